//! The strip of phase names above a chart with phase starts: each name in a
//! white box in the first row where it clears the others, joined to its
//! phase start by a dashed line that runs down into the plot's top margin.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::Drawn;
use super::theme::{Theme, palette, text_width};

/// At most this many rows of names, and at most this share of the height
/// of the area the strip is cut from.
const MAX_ROWS: i32 = 4;
const MAX_SHARE: f64 = 0.2;

/// Phase names placed in rows, each beside its phase start's line.
pub(super) struct PhaseStrip<'a> {
    names: Vec<&'a str>,
    lines: Vec<i32>,
    widths: Vec<i32>,
    placed: Vec<Option<(i32, usize)>>,
    row_h: i32,
    pad: i32,
}

impl<'a> PhaseStrip<'a> {
    /// Height of one row of names, px.
    pub(super) fn row_height(theme: &Theme) -> i32 {
        theme.tick_em() * 3 / 2
    }

    /// Places `phases`, (line pixel, name) in drawing order, over the plot
    /// `columns` of a strip to be cut from the top of `area`.
    pub(super) fn layout<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
        phases: &[(i32, &'a str)],
        columns: &Range<i32>,
    ) -> anyhow::Result<Self> {
        let (lines, names): (Vec<i32>, Vec<&str>) = phases.iter().copied().unzip();
        let style = theme.tick_text();
        let mut widths = Vec::new();
        for name in &names {
            widths.push(text_width(area, name, &style)?);
        }
        let row_h = Self::row_height(theme);
        let pad = theme.px(8.0);
        let area_h = area.dim_in_pixel().1 as i32;
        let max_rows = ((f64::from(area_h) * MAX_SHARE) as i32 / row_h).clamp(1, MAX_ROWS);
        let placed = place_labels(&lines, &widths, columns, pad, max_rows as usize);
        Ok(PhaseStrip {
            names,
            lines,
            widths,
            placed,
            row_h,
            pad,
        })
    }

    /// Height of the strip, px: none when no name found a place.
    pub(super) fn height(&self) -> i32 {
        let rows = self
            .placed
            .iter()
            .flatten()
            .map(|&(_, row)| row + 1)
            .max()
            .unwrap_or(0);
        rows as i32 * self.row_h
    }

    /// Draws the strip into `strip`, [`Self::height`] high, each line
    /// running `reach_px` on below it to where the plot's own line starts.
    /// Lines first, so no line strikes through a name.
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        strip: &DrawingArea<DB, Shift>,
        theme: &Theme,
        reach_px: i32,
    ) -> anyhow::Result<()> {
        let (strip_x, strip_y) = strip.get_pixel_range();
        let line_end = strip_y.end - strip_y.start + reach_px;
        let row_centre = |row: usize| row as i32 * self.row_h + self.row_h / 2;
        let line = palette::BLACK.stroke_width(theme.axis_width());
        for (&line_x, &(_, row)) in self.lines.iter().zip(&self.placed).filter_map(with_place) {
            let x = line_x - strip_x.start;
            strip
                .draw(&DashedPathElement::new(
                    [(x, row_centre(row)), (x, line_end)],
                    theme.px(14.0),
                    theme.px(9.0),
                    line,
                ))
                .drawn()?;
        }
        let text = theme.tick_text().pos(Pos::new(HPos::Left, VPos::Center));
        let labels = self.names.iter().zip(&self.widths).zip(&self.placed);
        for ((name, &width), &(left, row)) in labels.filter_map(with_place) {
            let (left, y) = (left - strip_x.start, row_centre(row));
            strip
                .draw(&Rectangle::new(
                    [
                        (left - self.pad / 2, y - self.row_h / 2),
                        (left + width + self.pad / 2, y + self.row_h / 2),
                    ],
                    WHITE.filled(),
                ))
                .drawn()?;
            strip.draw_text(name, &text, (left, y)).drawn()?;
        }
        Ok(())
    }
}

/// Keeps the labels that found a place.
fn with_place<T>((item, place): (T, &Option<(i32, usize)>)) -> Option<(T, &(i32, usize))> {
    place.as_ref().map(|place| (item, place))
}

/// Places phase labels, in order: each starts just right of its line (or
/// ends just left of it when it would run past the plot), in the first of
/// `max_rows` rows where it clears the labels already there. Returns (left
/// pixel, row), or `None` for a label with no room: its line is still drawn.
fn place_labels(
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
    use plotters::prelude::*;

    use super::{PhaseStrip, place_labels};
    use crate::plot::register_font;
    use crate::plot::theme::Theme;

    #[test]
    fn a_later_phase_line_passes_behind_an_earlier_name_not_through_it() {
        // "commercial" finds room in row 0, so its line runs down through
        // row 1, where "demonstration" extends past it: every line must be
        // drawn before the first white name box.
        register_font().unwrap();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (1200, 800)).into_drawing_area();
            let theme = Theme::for_size((1200, 800));
            let phases = [(100, "pause"), (130, "demonstration"), (300, "commercial")];
            let strip = PhaseStrip::layout(&root, &theme, &phases, &(0..1200)).unwrap();
            let rows: Vec<_> = strip.placed.iter().map(|p| p.map(|(_, row)| row)).collect();
            assert_eq!(rows, [Some(0), Some(1), Some(0)]);
            let (demonstration_left, _) = strip.placed[1].unwrap();
            assert!(demonstration_left + strip.widths[1] > 300);
            strip.draw(&root, &theme, 0).unwrap();
        }
        let last_line = svg.rfind("<polyline").unwrap();
        let first_box = svg.find("<rect").unwrap();
        assert!(last_line < first_box, "a line is drawn over a name:\n{svg}");
    }

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
