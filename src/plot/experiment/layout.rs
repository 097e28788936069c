//! Layout shared by the experiment charts: text set to fit (titles, long
//! parameter names), numbers to three significant figures, numeric x axes
//! with room for labels beyond the data, and the frame of the charts with
//! one labelled row per item.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::Drawn;
use super::super::axis::{Chart2d, ValueAxis, format_number, labels_that_fit, x_label_area_height};
use super::super::band::Margins;
use super::super::theme::{Theme, em, text_width};

/// Text is set no smaller than this em height, px.
const MIN_EM_PX: i32 = 9;

/// Line height of wrapped text, in ems.
const LINE_SPACING: f64 = 1.2;

/// `value` to three significant figures (all its whole digits when it has
/// more, no trailing zeros), with thousands separators: 0.012345 →
/// "0.0123", 12345 → "12,345", 6.2 → "6.2".
pub(super) fn significant(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    let magnitude = value.abs().log10().floor() as i32;
    let text = format_number(value, (2 - magnitude).clamp(0, 12) as usize);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// The least and greatest finite value of `values`.
pub(super) fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |range, v| match range {
            None => Some((v, v)),
            Some((lo, hi)) => Some((v.min(lo), v.max(hi))),
        })
}

/// `lo..hi` widened around its centre when it has no span, so an axis
/// over equal values still has one.
pub(super) fn spread((lo, hi): (f64, f64)) -> (f64, f64) {
    if hi - lo > 1e-9 * lo.abs().max(hi.abs()) {
        return (lo, hi);
    }
    let centre = (lo + hi) / 2.0;
    let half = if centre == 0.0 {
        1.0
    } else {
        centre.abs() * 0.05
    };
    (centre - half, centre + half)
}

/// The smallest nice axis holding `lo..hi` (widened by [`spread`]) with at
/// most `max_labels` labels, or 0..1 when the values are too large for one.
pub(super) fn nice_axis(lo: f64, hi: f64, max_labels: usize) -> ValueAxis {
    let (lo, hi) = spread((lo, hi));
    let axis = ValueAxis::covering(lo, hi, max_labels, false);
    if axis.lo.is_finite() && axis.hi.is_finite() && axis.step.is_finite() && axis.step > 0.0 {
        axis
    } else {
        ValueAxis::covering(0.0, 1.0, max_labels, false)
    }
}

/// `style` with an em height of `em_px` pixels.
pub(super) fn with_em(style: &TextStyle<'static>, em_px: i32) -> TextStyle<'static> {
    let size = style.font.get_size() * f64::from(em_px) / f64::from(em(style).max(1));
    TextStyle {
        font: style.font.resize(size),
        ..style.clone()
    }
}

/// The places a label may break: after a dot, underscore, space, slash,
/// comma or hyphen, and before an opening bracket.
fn pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let end = match c {
            '.' | '_' | ' ' | '/' | ',' | '-' => i + c.len_utf8(),
            '[' | '(' => i,
            _ => continue,
        };
        if end > start {
            pieces.push(&text[start..end]);
            start = end;
        }
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

/// `text` broken into lines no wider than `max_width` where it can break
/// ([`pieces`]); a piece wider than that has a line of its own.
fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_width: i32,
) -> anyhow::Result<Vec<String>> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for piece in pieces(text) {
        let candidate = format!("{line}{piece}");
        if line.is_empty() || text_width(area, candidate.trim_end(), style)? <= max_width {
            line = candidate;
        } else {
            lines.push(line.trim_end().to_string());
            line = piece.to_string();
        }
    }
    lines.push(line.trim_end().to_string());
    Ok(lines)
}

/// Labels set to fit a width and a line budget: the largest size from
/// `style` down at which every label, wrapped, fits in `max_width` and in
/// `max_lines(em)` lines; at the smallest size they are wrapped to the
/// width whatever the lines.
fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    style: &TextStyle<'static>,
    labels: &[&str],
    max_width: i32,
    max_lines: impl Fn(i32) -> usize,
) -> anyhow::Result<(TextStyle<'static>, Vec<Vec<String>>)> {
    let full = em(style);
    let mut em_px = full;
    loop {
        let sized = with_em(style, em_px);
        let lines = labels
            .iter()
            .map(|label| wrap(area, label, &sized, max_width))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let fits = lines.iter().all(|l| l.len() <= max_lines(em_px));
        if fits || em_px <= MIN_EM_PX.min(full) {
            return Ok((sized, lines));
        }
        em_px -= 1;
    }
}

/// Height of one line of text `em_px` high, px.
fn line_height(em_px: i32) -> i32 {
    (f64::from(em_px) * LINE_SPACING).round() as i32
}

/// Draws `title` centred at the top of `root`, set smaller or on two lines
/// when it is wider than the image; returns the area below it.
pub(super) fn titled<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    title: &str,
) -> anyhow::Result<DrawingArea<DB, Shift>> {
    let (width, _) = root.dim_in_pixel();
    let max_width = width as i32 - 2 * theme.gap();
    let (style, lines) = fit(root, &theme.title_text(), &[title], max_width, |em_px| {
        // Two lines only once the title would be smaller than axis titles.
        if em_px < theme.axis_title_em() { 2 } else { 1 }
    })?;
    let line_h = line_height(em(&style));
    let top = theme.gap();
    let at = style.pos(Pos::new(HPos::Center, VPos::Top));
    let lines = lines.concat();
    for (i, line) in lines.iter().enumerate() {
        root.draw_text(line, &at, (width as i32 / 2, top + i as i32 * line_h))
            .drawn()?;
    }
    let height = top + (lines.len() as i32 - 1) * line_h + em(&style) + theme.gap();
    Ok(root.split_vertically(height).1)
}

/// Which side of a point a label goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Side {
    Left,
    Right,
}

/// A label beside a value on the x axis, `width_px` wide including its gap.
#[derive(Clone, Copy, Debug)]
pub(super) struct Beside {
    pub x: f64,
    pub width_px: i32,
    pub side: Side,
}

/// Whether every label fits on an axis over `lo..hi` drawn `plot_w` px wide.
fn labels_fit(lo: f64, hi: f64, plot_w: i32, labels: &[Beside]) -> bool {
    let px_per_unit = f64::from(plot_w.max(1)) / (hi - lo);
    labels.iter().all(|label| {
        let room = f64::from(label.width_px) / px_per_unit;
        match label.side {
            Side::Left => label.x - room >= lo,
            Side::Right => label.x + room <= hi,
        }
    })
}

/// The widest tick label of `axis`, px.
fn widest_tick<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    axis: &ValueAxis,
) -> anyhow::Result<i32> {
    let mut widest = 0;
    for label in axis.labels() {
        widest = widest.max(text_width(area, &label, &theme.tick_text())?);
    }
    Ok(widest)
}

/// A numeric x axis and the right margin its last tick label needs.
#[derive(Clone, Copy, Debug)]
pub(super) struct XAxis {
    pub axis: ValueAxis,
    pub right: i32,
}

impl XAxis {
    /// The axis `make(max_labels)` with the most labels that fit along a
    /// plot `width` px wide less the right margin (at least `min_right`).
    pub fn fitting<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
        width: i32,
        min_right: i32,
        make: impl Fn(usize) -> ValueAxis,
    ) -> anyhow::Result<Self> {
        let mut fitted = XAxis {
            axis: make(2),
            right: min_right,
        };
        for max_labels in (2..=12).rev() {
            let axis = make(max_labels);
            let widest = widest_tick(area, theme, &axis)?;
            let right = min_right.max(widest / 2 + theme.px(4.0));
            fitted = XAxis { axis, right };
            if labels_that_fit(width - right, widest + theme.tick_em()) >= axis.n_labels() {
                break;
            }
        }
        Ok(fitted)
    }

    /// An axis over exactly `lo..hi` with a little room either side,
    /// widened until every label beside a value fits inside the plot (as
    /// far as a few rounds can on a tiny image).
    pub fn holding<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
        width: i32,
        min_right: i32,
        span: (f64, f64),
        labels: &[Beside],
    ) -> anyhow::Result<Self> {
        let (lo, hi) = spread(span);
        let pad = (hi - lo) * 0.04;
        let (mut lo, mut hi) = (lo - pad, hi + pad);
        let exact = |lo: f64, hi: f64| {
            move |n: usize| {
                let axis = ValueAxis::within(lo, hi, n);
                if axis.step.is_finite() && axis.step > 0.0 {
                    axis
                } else {
                    nice_axis(0.0, 1.0, n)
                }
            }
        };
        let mut fitted = Self::fitting(area, theme, width, min_right, exact(lo, hi))?;
        for _ in 0..6 {
            let (axis, plot_w) = (fitted.axis, width - fitted.right);
            if labels_fit(axis.lo, axis.hi, plot_w, labels) {
                break;
            }
            let units_per_px = (axis.hi - axis.lo) / f64::from(plot_w.max(1));
            for label in labels {
                let room = f64::from(label.width_px) * units_per_px;
                match label.side {
                    Side::Left => lo = lo.min(label.x - room),
                    Side::Right => hi = hi.max(label.x + room),
                }
            }
            fitted = Self::fitting(area, theme, width, min_right, exact(lo, hi))?;
        }
        Ok(fitted)
    }

    /// Draws the x axis, its labels, vertical grid lines and `title` on a
    /// chart whose y axis is unlabelled rows.
    pub fn draw_mesh<DB: DrawingBackend>(
        &self,
        chart: &mut Chart2d<'_, DB>,
        theme: &Theme,
        title: &str,
    ) -> anyhow::Result<()> {
        let format = |v: &f64| self.axis.format(*v);
        chart
            .configure_mesh()
            .x_labels(self.axis.n_labels())
            .y_labels(0)
            .x_label_formatter(&format)
            .max_light_lines(0)
            .disable_y_mesh()
            .bold_line_style(theme.grid_style())
            .axis_style(theme.axis_style())
            .label_style(theme.tick_text())
            .axis_desc_style(theme.axis_title_text())
            .set_all_tick_mark_size(theme.tick_len())
            .x_desc(title)
            .draw()
            .drawn()
    }
}

/// Names beside the rows of a chart, set as large as fits: wrapped at dots
/// and underscores when a row has room for more lines, smaller when not,
/// and only every second (third, …) row named when rows are thinner than
/// the smallest text.
pub(super) struct RowLabels {
    style: TextStyle<'static>,
    lines: Vec<Vec<String>>,
    every: usize,
    /// Width of the widest line, px.
    pub width: i32,
}

impl RowLabels {
    /// Sets `labels` in at most `max_width` px for rows `row_px` high.
    pub fn fit<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
        labels: &[&str],
        max_width: i32,
        row_px: f64,
    ) -> anyhow::Result<Self> {
        let min_row = f64::from(line_height(MIN_EM_PX));
        let every = (min_row / row_px.max(1e-9)).ceil().max(1.0) as usize;
        let room = row_px * every as f64 * 0.9;
        let (style, lines) = fit(area, &theme.tick_text(), labels, max_width, |em_px| {
            (room / f64::from(line_height(em_px))).floor() as usize
        })?;
        let mut width = 0;
        for line in lines.iter().flatten() {
            width = width.max(text_width(area, line, &style)?);
        }
        Ok(RowLabels {
            style,
            lines,
            every,
            width,
        })
    }

    /// Draws the labels right-aligned `gap` px left of `plot`, row `i`
    /// centred at `centre(i)` px from the plot's top.
    pub fn draw<DB: DrawingBackend>(
        &self,
        plot: &DrawingArea<DB, Shift>,
        gap: i32,
        centre: impl Fn(usize) -> i32,
    ) -> anyhow::Result<()> {
        let line_h = line_height(em(&self.style));
        let at = self.style.pos(Pos::new(HPos::Right, VPos::Center));
        for (i, lines) in self.lines.iter().enumerate().step_by(self.every) {
            let first = centre(i) - (lines.len() as i32 - 1) * line_h / 2;
            for (k, line) in lines.iter().enumerate() {
                plot.draw_text(line, &at, (-gap, first + k as i32 * line_h))
                    .drawn()?;
            }
        }
        Ok(())
    }
}

/// The frame of a chart with one labelled row per item, top to bottom, and
/// a numeric x axis: row `i` spans `n - i - 1 .. n - i` on the y axis.
pub(super) struct Rows {
    pub n: usize,
    pub labels: RowLabels,
    pub margins: Margins,
    pub y_label_width: i32,
    /// Height of a row, px.
    pub row_px: f64,
}

impl Rows {
    /// Lays out rows named `names` on `body`, with `top` px above the plot
    /// kept free for labels.
    pub fn layout<DB: DrawingBackend>(
        body: &DrawingArea<DB, Shift>,
        theme: &Theme,
        names: &[&str],
        top: i32,
    ) -> anyhow::Result<Self> {
        let margins = Margins {
            top: Margins::standard(theme).top.max(top),
            ..Margins::standard(theme)
        };
        let (body_w, body_h) = body.dim_in_pixel();
        let plot_h = body_h as i32 - margins.top - margins.bottom - x_label_area_height(theme);
        let row_px = f64::from(plot_h.max(1)) / names.len().max(1) as f64;
        let labels = RowLabels::fit(body, theme, names, body_w as i32 * 2 / 5, row_px)?;
        let y_label_width = labels.width + theme.gap();
        Ok(Rows {
            n: names.len(),
            labels,
            margins,
            y_label_width,
            row_px,
        })
    }

    /// Width of the plot plus its right margin, px.
    pub fn width<DB: DrawingBackend>(&self, body: &DrawingArea<DB, Shift>) -> i32 {
        body.dim_in_pixel().0 as i32 - self.margins.left - self.y_label_width
    }

    /// The chart over `x` on `body`, its axis and row names drawn.
    pub fn chart<'a, DB: DrawingBackend>(
        &self,
        body: &'a DrawingArea<DB, Shift>,
        theme: &Theme,
        x: XAxis,
        x_title: &str,
    ) -> anyhow::Result<Chart2d<'a, DB>> {
        let margins = Margins {
            right: x.right,
            ..self.margins
        };
        let mut chart = margins.chart(
            body,
            x_label_area_height(theme),
            self.y_label_width,
            x.axis.range(),
            0.0..self.n.max(1) as f64,
        )?;
        x.draw_mesh(&mut chart, theme, x_title)?;
        let plot = chart.plotting_area().strip_coord_spec();
        let row_px = f64::from(plot.dim_in_pixel().1) / self.n.max(1) as f64;
        self.labels.draw(&plot, theme.gap() / 2, |i| {
            (row_px * (i as f64 + 0.5)).round() as i32
        })?;
        Ok(chart)
    }

    /// Tick-sized text no taller than `share` of a row, but no smaller
    /// than the smallest text, for labels on the rows.
    pub fn text_style(&self, theme: &Theme, share: f64) -> TextStyle<'static> {
        let em_px = ((self.row_px * share) as i32).max(MIN_EM_PX);
        with_em(&theme.tick_text(), theme.tick_em().min(em_px))
    }

    /// The y of the centre of row `i`.
    pub fn centre(&self, i: usize) -> f64 {
        (self.n - i) as f64 - 0.5
    }
}

/// A horizontal line from `lo` to `hi` at `y` with a vertical cap `cap` px
/// each side of both ends: a confidence-interval whisker.
pub(super) fn capped_line<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    (lo, hi): (f64, f64),
    y: f64,
    cap: i32,
    style: ShapeStyle,
) -> anyhow::Result<()> {
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(lo, y), (hi, y)],
            style,
        )))
        .drawn()?;
    for x in [lo, hi] {
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((x, y)) + PathElement::new(vec![(0, -cap), (0, cap)], style),
            ))
            .drawn()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{pieces, significant, spread};

    #[test]
    fn numbers_keep_three_significant_figures_and_every_whole_digit() {
        assert_eq!(significant(0.012345), "0.0123");
        assert_eq!(significant(4.56789), "4.57");
        assert_eq!(significant(-42.42), "-42.4");
        assert_eq!(significant(12_345.6), "12,346");
        assert_eq!(significant(0.0), "0");
        assert_eq!(significant(6.2), "6.2");
        assert_eq!(significant(0.4), "0.4");
        assert_eq!(significant(1_000.0), "1,000");
    }

    #[test]
    fn parameter_names_break_after_dots_and_underscores_and_before_brackets() {
        assert_eq!(
            pieces("mining.failure[0].tbf_h.mean"),
            ["mining.", "failure", "[0].", "tbf_", "h.", "mean"]
        );
        assert_eq!(pieces("plain"), ["plain"]);
    }

    #[test]
    fn equal_ends_are_spread_around_their_value() {
        assert_eq!(spread((5.0, 5.0)), (4.75, 5.25));
        assert_eq!(spread((0.0, 0.0)), (-1.0, 1.0));
        assert_eq!(spread((1.0, 2.0)), (1.0, 2.0));
    }
}
