//! Legends, drawn outside the plotting area so they never hide data: a
//! centred row (wrapping as needed) under the title, or columns beside the plot.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::Drawn;
use super::theme::{Theme, palette, text_width};

/// How an entry's series looks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Swatch {
    /// A solid line (a median).
    Line(RGBColor),
    /// A solid line half as wide (a secondary interval).
    ThinLine(RGBColor),
    /// A dashed line (a marker such as a phase start).
    DashedLine(RGBColor),
    /// A translucent box (a P10–P90 range).
    Range(RGBColor),
    /// An opaque box (a stacked area or a bar).
    Fill(RGBColor),
    /// None: a note about what the chart leaves out.
    Note,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    pub label: String,
    pub swatch: Swatch,
}

impl Entry {
    pub fn new(label: impl Into<String>, swatch: Swatch) -> Self {
        Entry {
            label: label.into(),
            swatch,
        }
    }
}

/// The P10–P90 range (over `samples`) and median entries of the band charts.
pub(crate) fn range_and_median(samples: &str) -> Vec<Entry> {
    vec![
        Entry::new("Median (P50)", Swatch::Line(palette::MEDIAN)),
        Entry::new(
            format!("P10–P90 across {samples}"),
            Swatch::Range(palette::RANGE),
        ),
    ]
}

struct Metrics {
    em: i32,
    swatch_w: i32,
    text_gap: i32,
    entry_gap: i32,
    row_h: i32,
}

fn metrics(theme: &Theme) -> Metrics {
    let em = super::theme::em(&theme.legend_text());
    Metrics {
        em,
        swatch_w: em * 3 / 2,
        text_gap: em * 2 / 5,
        entry_gap: em * 6 / 5,
        row_h: em * 3 / 2,
    }
}

fn entry_widths<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    entries: &[Entry],
) -> anyhow::Result<Vec<i32>> {
    let m = metrics(theme);
    entries
        .iter()
        .map(|e| Ok(m.swatch_w + m.text_gap + text_width(area, &e.label, &theme.legend_text())?))
        .collect()
}

/// Splits entries into rows no wider than `max_width`.
fn rows(widths: &[i32], gap: i32, max_width: i32) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut row_width = 0;
    for (i, width) in widths.iter().enumerate() {
        match rows.last_mut() {
            Some(row) if row_width + gap + width <= max_width => {
                row.push(i);
                row_width += gap + width;
            }
            _ => {
                rows.push(vec![i]);
                row_width = *width;
            }
        }
    }
    rows
}

/// Height a row legend needs across `area`'s width.
pub(crate) fn row_legend_height<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    entries: &[Entry],
) -> anyhow::Result<i32> {
    let m = metrics(theme);
    let widths = entry_widths(area, theme, entries)?;
    let max_width = area.dim_in_pixel().0 as i32 - 2 * theme.gap();
    Ok(rows(&widths, m.entry_gap, max_width).len() as i32 * m.row_h)
}

/// Draws `entries`, and a phase-start entry when `phases`, in centred rows
/// at the top of `body`; returns the area below them.
pub(crate) fn draw_legend_on_top<DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    theme: &Theme,
    mut entries: Vec<Entry>,
    phases: bool,
) -> anyhow::Result<DrawingArea<DB, Shift>> {
    if phases {
        entries.push(Entry::new(
            "Phase start",
            Swatch::DashedLine(palette::BLACK),
        ));
    }
    let (legend_area, rest) = body.split_vertically(row_legend_height(body, theme, &entries)?);
    draw_row_legend(&legend_area, theme, &entries)?;
    Ok(rest)
}

/// Draws entries in centred rows filling `area`'s width.
pub(crate) fn draw_row_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    entries: &[Entry],
) -> anyhow::Result<()> {
    let m = metrics(theme);
    let widths = entry_widths(area, theme, entries)?;
    let area_width = area.dim_in_pixel().0 as i32;
    for (r, row) in rows(&widths, m.entry_gap, area_width - 2 * theme.gap())
        .iter()
        .enumerate()
    {
        let row_width: i32 =
            row.iter().map(|&i| widths[i]).sum::<i32>() + m.entry_gap * (row.len() as i32 - 1);
        let mut x = (area_width - row_width) / 2;
        let y = r as i32 * m.row_h + m.row_h / 2;
        for &i in row {
            draw_entry(area, theme, &entries[i], (x, y))?;
            x += widths[i] + m.entry_gap;
        }
    }
    Ok(())
}

/// Size of a column legend no taller than `max_height`: (width, columns).
pub(crate) fn column_legend_size<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    entries: &[Entry],
    max_height: i32,
) -> anyhow::Result<(i32, usize)> {
    let m = metrics(theme);
    let widest = entry_widths(area, theme, entries)?
        .into_iter()
        .max()
        .unwrap_or(0);
    let per_column = (max_height / m.row_h).max(1) as usize;
    let columns = entries.len().div_ceil(per_column).max(1);
    let width = columns as i32 * widest + (columns as i32 - 1) * m.entry_gap + theme.gap();
    Ok((width, columns))
}

/// Draws entries top to bottom in `columns` columns, from the top of `area`.
pub(crate) fn draw_column_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    entries: &[Entry],
    columns: usize,
) -> anyhow::Result<()> {
    let m = metrics(theme);
    let widest = entry_widths(area, theme, entries)?
        .into_iter()
        .max()
        .unwrap_or(0);
    let per_column = entries.len().div_ceil(columns.max(1)).max(1);
    for (i, entry) in entries.iter().enumerate() {
        let column = (i / per_column) as i32;
        let row = (i % per_column) as i32;
        let x = theme.gap() + column * (widest + m.entry_gap);
        let y = row * m.row_h + m.row_h / 2;
        draw_entry(area, theme, entry, (x, y))?;
    }
    Ok(())
}

/// Draws one entry with its swatch's left edge at `x`, centred on `y`.
fn draw_entry<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    entry: &Entry,
    (x, y): (i32, i32),
) -> anyhow::Result<()> {
    let m = metrics(theme);
    let half = m.em * 2 / 5;
    let (x1, line) = (x + m.swatch_w, theme.line_width());
    match entry.swatch {
        Swatch::Line(colour) => area
            .draw(&PathElement::new(
                vec![(x, y), (x1, y)],
                colour.stroke_width(line),
            ))
            .drawn()?,
        Swatch::ThinLine(colour) => area
            .draw(&PathElement::new(
                vec![(x, y), (x1, y)],
                colour.stroke_width(line.div_ceil(2)),
            ))
            .drawn()?,
        Swatch::DashedLine(colour) => {
            let dash = m.swatch_w / 5;
            for k in [0, 2, 4] {
                area.draw(&PathElement::new(
                    vec![(x + k * dash, y), (x + (k + 1) * dash, y)],
                    colour.stroke_width(line.div_ceil(2)),
                ))
                .drawn()?;
            }
        }
        Swatch::Range(colour) => area
            .draw(&Rectangle::new(
                [(x, y - half), (x1, y + half)],
                colour.mix(palette::RANGE_ALPHA).filled(),
            ))
            .drawn()?,
        Swatch::Fill(colour) => area
            .draw(&Rectangle::new(
                [(x, y - half), (x1, y + half)],
                colour.filled(),
            ))
            .drawn()?,
        Swatch::Note => {}
    }
    let style = theme.legend_text().pos(Pos::new(HPos::Left, VPos::Center));
    area.draw_text(&entry.label, &style, (x1 + m.text_gap, y))
        .drawn()
}

#[cfg(test)]
mod tests {
    use super::rows;

    #[test]
    fn legend_rows_wrap_before_exceeding_the_width() {
        assert_eq!(rows(&[40, 40, 40], 10, 100), vec![vec![0, 1], vec![2]]);
        assert_eq!(rows(&[40, 40, 40], 10, 140), vec![vec![0, 1, 2]]);
        // An entry wider than the row still gets a row of its own.
        assert_eq!(rows(&[150, 20], 10, 100), vec![vec![0], vec![1]]);
    }
}
