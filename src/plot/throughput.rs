//! `throughput`: annual recovered REO and dry mud delivered, two stacked
//! panels sharing the year axis (each its own y scale, so neither is
//! flattened), with dashed lines at phase starts labelled above the plot.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::Drawn;
use super::axis::{
    ValueAxis, YearAxis, tonnes_unit, x_to_pixel, y_label_area_width, y_labels_for_height,
};
use super::band::{BandPanel, Margins, draw_band_panel};
use super::data::{ThroughputData, YearQuantiles, series_max};
use super::legend::{self, Entry, Swatch, draw_row_legend, row_legend_height};
use super::theme::{Theme, draw_message, palette, text_width, titled};

/// At most this many rows of phase labels, and at most this share of the
/// chart's height.
const MAX_PHASE_ROWS: i32 = 4;
const MAX_PHASE_STRIP_SHARE: f64 = 0.2;

pub(crate) fn draw_throughput<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ThroughputData,
) -> anyhow::Result<()> {
    let theme = Theme::for_size(root.dim_in_pixel());
    let body = titled(root, &theme, "Annual production")?;
    let reo_max = series_max(&data.reo_t).unwrap_or(0.0);
    let mud_max = series_max(&data.dry_mud_t).unwrap_or(0.0);
    if reo_max.max(mud_max) <= 0.0 {
        return draw_message(&body, &theme, "No production in this run");
    }

    let mut entries = legend::range_and_median("replications");
    if !data.phases.is_empty() {
        entries.push(Entry::new(
            "Phase start",
            Swatch::DashedLine(palette::BLACK),
        ));
    }
    let (legend_area, body) = body.split_vertically(row_legend_height(&body, &theme, &entries)?);
    draw_row_legend(&legend_area, &theme, &entries)?;

    let (reo_divisor, reo_unit) = tonnes_unit(reo_max);
    let (mud_divisor, mud_unit) = tonnes_unit(mud_max);
    let reo = scaled(&data.reo_t, reo_divisor);
    let mud = scaled(&data.dry_mud_t, mud_divisor);
    // Annual totals are steps across their year (year ± 0.5), so a phase
    // starting with year s is marked at s − 0.5, where its first step begins.
    let phase_starts: Vec<f64> = data.phases.iter().map(|p| p.start_year - 0.5).collect();
    let years = YearAxis::spanning(
        reo.iter()
            .chain(mud.iter())
            .flat_map(|p| [p.year - 0.5, p.year + 0.5]),
        &phase_starts,
    );

    // Vertical budget. The phase label strip's height depends on the label
    // layout, which depends on the y label width; estimate one row first.
    let top_margins = Margins {
        bottom: theme.gap(),
        ..Margins::standard(&theme)
    };
    let bottom_margins = Margins::standard(&theme);
    let top_chrome = BandPanel::chrome_height(&theme, top_margins, false);
    let bottom_chrome = BandPanel::chrome_height(&theme, bottom_margins, true);
    let row_h = theme.tick_em() * 3 / 2;
    let body_h = body.dim_in_pixel().1 as i32;
    let estimated_strip = if phase_starts.is_empty() { 0 } else { row_h };
    let plot_h = (body_h - estimated_strip - top_chrome - bottom_chrome) / 2;
    let y_labels = y_labels_for_height(&theme, plot_h);
    let reo_axis = ValueAxis::from_zero(reo_max / reo_divisor, y_labels);
    let mud_axis = ValueAxis::from_zero(mud_max / mud_divisor, y_labels);
    let mut y_labels_text = reo_axis.labels();
    y_labels_text.extend(mud_axis.labels());
    let y_label_width = y_label_area_width(&body, &theme, &y_labels_text)?;
    let columns = BandPanel::plot_columns(&body, bottom_margins, y_label_width);
    let x_labels = years.n_labels(&body, &theme, columns.end - columns.start)?;

    let phase_lines: Vec<i32> = phase_starts
        .iter()
        .map(|&start| x_to_pixel(start, &years.range(), &columns))
        .collect();
    let label_style = theme.tick_text();
    let mut label_widths = Vec::new();
    for phase in &data.phases {
        label_widths.push(text_width(&body, &phase.name, &label_style)?);
    }
    let pad = theme.px(8.0);
    let max_rows = ((f64::from(body_h) * MAX_PHASE_STRIP_SHARE) as i32 / row_h)
        .clamp(1, MAX_PHASE_ROWS) as usize;
    let placed = place_labels(&phase_lines, &label_widths, &columns, pad, max_rows);
    let strip_rows = placed
        .iter()
        .flatten()
        .map(|&(_, row)| row + 1)
        .max()
        .unwrap_or(0);
    let (strip, panels) = body.split_vertically(strip_rows as i32 * row_h);

    let panels_h = panels.dim_in_pixel().1 as i32;
    let top_h = (panels_h + top_chrome - bottom_chrome) / 2;
    let plot_h = top_h - top_chrome;
    let (top, bottom) = panels.split_vertically(top_h);

    let reo_title = fitting_title(
        &body,
        &theme,
        [
            format!("Recovered REO ({reo_unit}/yr)"),
            format!("REO ({reo_unit}/yr)"),
        ],
        plot_h,
    )?;
    let mud_title = fitting_title(
        &body,
        &theme,
        [
            format!("Dry mud delivered ({mud_unit}/yr)"),
            format!("Dry mud ({mud_unit}/yr)"),
        ],
        plot_h,
    )?;
    draw_band_panel(
        &top,
        &theme,
        &BandPanel {
            series: &reo,
            years,
            x_labels,
            x_title: None,
            y: reo_axis,
            y_title: &reo_title,
            y_label_width,
            margins: top_margins,
            phase_starts: &phase_starts,
            steps: true,
        },
    )?;
    draw_band_panel(
        &bottom,
        &theme,
        &BandPanel {
            series: &mud,
            years,
            x_labels,
            x_title: Some("Simulated year"),
            y: mud_axis,
            y_title: &mud_title,
            y_label_width,
            margins: bottom_margins,
            phase_starts: &phase_starts,
            steps: true,
        },
    )?;

    // Phase names above the top panel, each joined to its line. Lines
    // first, so no line strikes through a name.
    let (strip_x, strip_y) = strip.get_pixel_range();
    let strip_bottom = strip_y.end - strip_y.start;
    let row_centre = |row: usize| row as i32 * row_h + row_h / 2;
    let line = palette::BLACK.stroke_width(theme.axis_width());
    for (&line_x, &(_, row)) in phase_lines.iter().zip(&placed).filter_map(with_place) {
        let x = line_x - strip_x.start;
        strip
            .draw(&DashedPathElement::new(
                [(x, row_centre(row)), (x, strip_bottom + top_margins.top)],
                theme.px(14.0),
                theme.px(9.0),
                line,
            ))
            .drawn()?;
    }
    let text = label_style.pos(Pos::new(HPos::Left, VPos::Center));
    let labels = data.phases.iter().zip(&label_widths).zip(&placed);
    for ((phase, &width), &(left, row)) in labels.filter_map(with_place) {
        let (left, y) = (left - strip_x.start, row_centre(row));
        strip
            .draw(&Rectangle::new(
                [
                    (left - pad / 2, y - row_h / 2),
                    (left + width + pad / 2, y + row_h / 2),
                ],
                WHITE.filled(),
            ))
            .drawn()?;
        strip.draw_text(&phase.name, &text, (left, y)).drawn()?;
    }
    Ok(())
}

/// Keeps the labels that found a place.
fn with_place<T>((item, place): (T, &Option<(i32, usize)>)) -> Option<(T, &(i32, usize))> {
    place.as_ref().map(|place| (item, place))
}

/// The series with every quantile divided by `divisor`.
fn scaled(series: &[YearQuantiles], divisor: f64) -> Vec<YearQuantiles> {
    series
        .iter()
        .map(|p| YearQuantiles {
            year: p.year,
            q: p.q.scaled(1.0 / divisor),
        })
        .collect()
}

/// The first of `titles` that fits along a y axis `length_px` long.
fn fitting_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    titles: [String; 2],
    length_px: i32,
) -> anyhow::Result<String> {
    let [long, short] = titles;
    let fits = text_width(area, &long, &theme.axis_title_text())? <= length_px;
    Ok(if fits { long } else { short })
}

/// Places phase labels, in order: each starts just right of its line (or
/// ends just left of it when it would run past the plot), in the first of
/// `max_rows` rows where it clears the labels already there. Returns (left
/// pixel, row), or `None` for a label with no room: its line is still drawn.
pub(super) fn place_labels(
    lines: &[i32],
    widths: &[i32],
    columns: &Range<i32>,
    pad: i32,
    max_rows: usize,
) -> Vec<Option<(i32, usize)>> {
    let mut row_ends: Vec<i32> = Vec::new();
    lines
        .iter()
        .zip(widths)
        .map(|(&line, &width)| {
            let mut left = line + pad;
            if left + width > columns.end {
                left = (line - pad - width).max(columns.start);
            }
            let row = match row_ends.iter().position(|&end| end + pad <= left) {
                Some(row) => row,
                None if row_ends.len() < max_rows => {
                    row_ends.push(i32::MIN);
                    row_ends.len() - 1
                }
                None => return None,
            };
            row_ends[row] = left + width;
            Some((left, row))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::place_labels;

    #[test]
    fn phase_labels_that_would_overlap_go_to_the_next_row() {
        // Lines at 100, 130 and 400; labels 80 px wide; plot 0..1000.
        let placed = place_labels(&[100, 130, 400], &[80, 80, 80], &(0..1000), 5, 3);
        assert_eq!(placed, vec![Some((105, 0)), Some((135, 1)), Some((405, 0))]);
    }

    #[test]
    fn a_phase_label_near_the_right_edge_ends_at_its_line() {
        let placed = place_labels(&[950], &[80], &(0..1000), 5, 3);
        assert_eq!(placed, vec![Some((865, 0))]);
    }

    #[test]
    fn a_phase_label_with_no_free_row_is_left_out_rather_than_overlapping() {
        let placed = place_labels(&[100, 101, 102, 300], &[80; 4], &(0..1000), 5, 2);
        assert_eq!(
            placed,
            vec![Some((105, 0)), Some((106, 1)), None, Some((305, 0))]
        );
    }
}
