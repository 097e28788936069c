//! Axes: tick positions that never crowd their labels, number formatting,
//! units, and the space the labels need.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::Drawn;
use super::theme::{Theme, text_width};

/// A chart whose two axes are plain numbers.
pub(crate) type Chart2d<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Smallest 1, 2 or 5 × 10^k at least `raw` (which must be positive).
pub(crate) fn nice_step(raw: f64) -> f64 {
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude)
}

/// A numeric axis whose ends are multiples of a nice step, so that plotters
/// puts a labelled tick at both ends and at every step between. A log axis
/// runs over log10 of the quantity and is labelled with the quantity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct ValueAxis {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
    pub log: bool,
}

impl ValueAxis {
    /// From zero to at least `max`, with at most `max_labels` labels.
    pub fn from_zero(max: f64, max_labels: usize) -> Self {
        Self::covering(0.0, max, max_labels, false)
    }

    /// From zero to at least `max`, labelled at whole numbers only (counts).
    pub fn counts(max: f64, max_labels: usize) -> Self {
        Self::covering(0.0, max, max_labels, true)
    }

    /// The smallest nice axis holding `lo..=hi` with at most `max_labels`
    /// labels (at least two).
    pub fn covering(lo: f64, hi: f64, max_labels: usize, whole: bool) -> Self {
        let max_labels = max_labels.max(2);
        let span = hi - lo;
        let span = if span > 0.0 {
            span
        } else {
            (hi.abs() * 0.1).max(1.0)
        };
        let mut step = nice_step(span / (max_labels - 1) as f64);
        if whole {
            step = step.max(1.0);
        }
        loop {
            let axis_lo = (lo / step).floor() * step;
            let mut axis_hi = (hi / step).ceil() * step;
            if axis_hi <= axis_lo {
                axis_hi = axis_lo + step;
            }
            let axis = ValueAxis {
                lo: axis_lo,
                hi: axis_hi,
                step,
                log: false,
            };
            if axis.n_labels() <= max_labels {
                return axis;
            }
            step = nice_step(step * 1.5);
        }
    }

    /// Exactly `lo..hi`, labelled at the multiples of the finest nice step
    /// that gives at most `max_labels` labels; the ends need not be labelled.
    pub fn within(lo: f64, hi: f64, max_labels: usize) -> Self {
        let max_labels = max_labels.max(2);
        let mut step = nice_step(((hi - lo) / max_labels as f64).max(f64::MIN_POSITIVE));
        loop {
            let axis = ValueAxis {
                lo,
                hi,
                step,
                log: false,
            };
            if axis.n_labels() <= max_labels {
                return axis;
            }
            step = nice_step(step * 1.5);
        }
    }

    /// A log axis over whole decades holding `lo..=hi` (positive values),
    /// with at most `max_labels` labels: its coordinates are log10 of the
    /// quantity, labelled at powers of ten.
    pub fn decades(lo: f64, hi: f64, max_labels: usize) -> Self {
        let axis = Self::covering(lo.log10().floor(), hi.log10().ceil(), max_labels, true);
        ValueAxis { log: true, ..axis }
    }

    pub fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }

    /// The first multiple of the step in the range.
    fn first_tick(&self) -> f64 {
        (self.lo / self.step - 1e-9).ceil() * self.step
    }

    /// Number of labelled ticks (multiples of the step in the range).
    pub fn n_labels(&self) -> usize {
        ((self.hi - self.first_tick()) / self.step + 1e-9).floor() as usize + 1
    }

    /// Decimals that tell every tick apart.
    pub fn decimals(&self) -> usize {
        decimals_for_step(self.step)
    }

    pub fn format(&self, value: f64) -> String {
        if self.log {
            let decimals = (-value.round()).max(0.0) as usize;
            format_number(10f64.powf(value), decimals)
        } else {
            format_number(value, self.decimals())
        }
    }

    /// Every tick label, bottom to top.
    pub fn labels(&self) -> Vec<String> {
        let first = self.first_tick();
        (0..self.n_labels())
            .map(|i| self.format(first + i as f64 * self.step))
            .collect()
    }
}

/// Decimals needed to show multiples of `step`.
fn decimals_for_step(step: f64) -> usize {
    if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    }
}

/// `value` with `decimals` decimals and comma thousands separators:
/// 12345.6 → "12,346" (0 decimals).
pub(crate) fn format_number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text.as_str(), None),
    };
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let is_zero = text.chars().all(|c| c == '0' || c == '.');
    let sign = if value < 0.0 && !is_zero { "-" } else { "" };
    match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Unit for a tonnage whose largest value is `max_t`, so tick labels keep
/// to four digits: (divisor, unit).
pub(crate) fn tonnes_unit(max_t: f64) -> (f64, &'static str) {
    if max_t >= 1e7 {
        (1e6, "Mt")
    } else if max_t >= 1e4 {
        (1e3, "kt")
    } else {
        (1.0, "t")
    }
}

/// Unit for US dollars whose largest magnitude is `max_usd`, so tick labels
/// keep to four digits: (divisor, unit).
pub(crate) fn usd_unit(max_usd: f64) -> (f64, &'static str) {
    if max_usd >= 1e10 {
        (1e9, "USD billion")
    } else if max_usd >= 1e7 {
        (1e6, "USD million")
    } else if max_usd >= 1e4 {
        (1e3, "USD thousand")
    } else {
        (1.0, "USD")
    }
}

/// How many labels of about `label_px` fit along `length_px` with half a
/// label's room between neighbours.
pub(crate) fn labels_that_fit(length_px: i32, label_px: i32) -> usize {
    (length_px * 2 / (label_px.max(1) * 3)).max(2) as usize
}

/// Number of y-axis labels for a plot `height_px` high.
pub(crate) fn y_labels_for_height(theme: &Theme, height_px: i32) -> usize {
    // Labels at least 1.8 em apart leave 0.8 em between neighbours.
    (height_px * 5 / (theme.tick_em() * 9)).clamp(1, 9) as usize + 1
}

/// The simulated-year axis: `lo..hi` in (1-based, possibly fractional)
/// years, labelled at whole years only.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct YearAxis {
    pub lo: f64,
    pub hi: f64,
}

impl YearAxis {
    /// Spanning `years` and `extra` (phase starts); half a year either side
    /// of a single year.
    pub fn spanning(years: impl IntoIterator<Item = f64>, extra: &[f64]) -> Self {
        let values: Vec<f64> = years
            .into_iter()
            .chain(extra.iter().copied())
            .filter(|v| v.is_finite())
            .collect();
        let lo = values.iter().copied().reduce(f64::min).unwrap_or(1.0);
        let hi = values.iter().copied().reduce(f64::max).unwrap_or(1.0);
        if hi - lo < 1.0 {
            YearAxis {
                lo: lo - 0.5,
                hi: hi + 0.5,
            }
        } else {
            YearAxis { lo, hi }
        }
    }

    pub fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }

    /// Labels to ask plotters for along `length_px`: never more than whole
    /// years in the range, so every label is a whole year.
    pub fn n_labels<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
        length_px: i32,
    ) -> anyhow::Result<usize> {
        let widest = text_width(area, &format_number(self.hi, 0), &theme.tick_text())?;
        let whole_years = (self.hi.floor() - self.lo.ceil()) as usize + 1;
        Ok(labels_that_fit(length_px, widest + theme.tick_em()).min(whole_years.max(1)))
    }

    pub fn format(value: f64) -> String {
        if (value - value.round()).abs() < 1e-6 {
            format_number(value, 0)
        } else {
            format_number(value, 1)
        }
    }

    /// A calendar year: no thousands separator (2035, not 2,035).
    pub fn format_calendar(value: f64) -> String {
        if !value.is_finite() {
            String::new()
        } else if (value - value.round()).abs() < 1e-6 {
            format!("{value:.0}")
        } else {
            format!("{value:.1}")
        }
    }

    /// A tick label: a calendar year, or a simulated year.
    pub fn label(value: f64, calendar: bool) -> String {
        if calendar {
            Self::format_calendar(value)
        } else {
            Self::format(value)
        }
    }

    /// The axis title for calendar or simulated years.
    pub fn title(calendar: bool) -> &'static str {
        if calendar { "Year" } else { "Simulated year" }
    }
}

/// Width of the y label area: axis title, gap, widest tick label, tick.
pub(crate) fn y_label_area_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    labels: &[String],
) -> anyhow::Result<i32> {
    let mut widest = 0;
    for label in labels {
        widest = widest.max(text_width(area, label, &theme.tick_text())?);
    }
    Ok(theme.axis_title_em() + theme.gap() + widest + 2 * theme.tick_len() + theme.px(4.0))
}

/// Height of the x label area: tick, tick labels, gap, axis title.
pub(crate) fn x_label_area_height(theme: &Theme) -> i32 {
    2 * theme.tick_len() + theme.tick_em() + theme.gap() + theme.axis_title_em() + theme.px(6.0)
}

/// Height of a label area with tick marks and no labels.
pub(crate) fn tick_only_area_height(theme: &Theme) -> i32 {
    theme.tick_len() + theme.axis_width() as i32
}

/// What the mesh of a chart shows.
pub(crate) struct Mesh<'a> {
    pub x_labels: usize,
    pub y_labels: usize,
    pub x_format: &'a dyn Fn(&f64) -> String,
    pub y_format: &'a dyn Fn(&f64) -> String,
    pub x_title: Option<&'a str>,
    pub y_title: &'a str,
    /// Width of the y label area the chart was built with.
    pub y_label_width: i32,
    /// Vertical grid lines at the x labels.
    pub x_grid: bool,
}

/// Draws axes, ticks, labels, titles and the horizontal grid in the
/// house style. The y title is set smaller if it would not otherwise fit
/// along the plot.
pub(crate) fn draw_mesh<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    theme: &Theme,
    mesh: &Mesh<'_>,
) -> anyhow::Result<()> {
    draw_axes(chart, theme, mesh)?;
    let plot = chart.plotting_area().strip_coord_spec();
    let mut style = theme.axis_title_text();
    let length = text_width(&plot, mesh.y_title, &style)?;
    let room = plot.dim_in_pixel().1 as i32;
    if length > room {
        let size = style.font.get_size() * f64::from(room) / f64::from(length);
        style = TextStyle {
            font: style.font.resize(size),
            ..style
        };
    }
    let style = style
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Center, VPos::Top));
    // Text positions are relative to the plotting area: the title goes at
    // the outer edge of the y label area, centred on the plot.
    plot.draw_text(mesh.y_title, &style, (-mesh.y_label_width, room / 2))
        .drawn()
}

fn draw_axes<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    theme: &Theme,
    mesh: &Mesh<'_>,
) -> anyhow::Result<()> {
    let mut style = chart.configure_mesh();
    style
        .x_labels(mesh.x_labels)
        .y_labels(mesh.y_labels)
        .x_label_formatter(mesh.x_format)
        .y_label_formatter(mesh.y_format)
        .max_light_lines(0)
        .bold_line_style(theme.grid_style())
        .axis_style(theme.axis_style())
        .label_style(theme.tick_text())
        .axis_desc_style(theme.axis_title_text())
        .set_all_tick_mark_size(theme.tick_len());
    if let Some(x_title) = mesh.x_title {
        style.x_desc(x_title);
    }
    if !mesh.x_grid {
        style.disable_x_mesh();
    }
    style.draw().drawn()
}

/// Pixel column of `x` in a chart whose plotting area spans `pixels` for `range`.
pub(crate) fn x_to_pixel(x: f64, range: &Range<f64>, pixels: &Range<i32>) -> i32 {
    let fraction = (x - range.start) / (range.end - range.start);
    pixels.start + (fraction * f64::from(pixels.end - pixels.start - 1)).round() as i32
}

#[cfg(test)]
mod tests {
    use plotters::coord::ranged1d::Ranged;
    use plotters::coord::types::RangedCoordf64;

    use super::{ValueAxis, YearAxis, format_number, nice_step, usd_unit};

    /// The ticks plotters draws when asked for `axis.n_labels()` labels.
    fn plotters_ticks(axis: &ValueAxis) -> Vec<String> {
        RangedCoordf64::from(axis.range())
            .key_points(axis.n_labels())
            .into_iter()
            .map(|v| axis.format(v))
            .collect()
    }

    #[test]
    fn plotters_draws_exactly_the_ticks_the_axis_was_sized_for() {
        let axes = [
            ValueAxis::from_zero(6_900.0, 5),
            ValueAxis::from_zero(1_725.3, 4),
            ValueAxis::from_zero(100.0, 6),
            ValueAxis::from_zero(0.37, 6),
            ValueAxis::counts(3.0, 9),
            ValueAxis::within(4_500.0, 5_500.0, 6),
            ValueAxis::within(4_512.0, 5_377.0, 8),
        ];
        for axis in axes {
            assert_eq!(plotters_ticks(&axis), axis.labels(), "{axis:?}");
        }
    }

    #[test]
    fn an_axis_from_zero_ends_on_a_labelled_nice_number_above_the_data() {
        let axis = ValueAxis::from_zero(6_900.0, 5);
        assert_eq!((axis.lo, axis.hi, axis.step), (0.0, 8_000.0, 2_000.0));
        assert_eq!(axis.labels(), ["0", "2,000", "4,000", "6,000", "8,000"]);
    }

    #[test]
    fn a_log_axis_spans_whole_decades_labelled_with_the_quantity() {
        let axis = ValueAxis::decades(30.0, 12_600.0, 8);
        assert_eq!((axis.lo, axis.hi, axis.step), (1.0, 5.0, 1.0));
        assert_eq!(axis.labels(), ["10", "100", "1,000", "10,000", "100,000"]);
        assert_eq!(
            ValueAxis::decades(0.05, 3.0, 8).labels(),
            ["0.01", "0.1", "1", "10"]
        );
        assert_eq!(plotters_ticks(&axis), axis.labels());
    }

    #[test]
    fn dollars_keep_tick_labels_to_four_digits() {
        assert_eq!(usd_unit(3.0e10), (1e9, "USD billion"));
        assert_eq!(usd_unit(1.4e9), (1e6, "USD million"));
        assert_eq!(usd_unit(450_000.0), (1e3, "USD thousand"));
        assert_eq!(usd_unit(900.0), (1.0, "USD"));
    }

    #[test]
    fn calendar_years_have_no_thousands_separator() {
        assert_eq!(YearAxis::format_calendar(2028.0), "2028");
        assert_eq!(YearAxis::format_calendar(2035.5), "2035.5");
        assert_eq!(YearAxis::format_calendar(f64::NAN), "");
        assert_eq!(YearAxis::label(2028.0, false), "2,028");
    }

    #[test]
    fn count_axes_are_labelled_at_whole_numbers_only() {
        let axis = ValueAxis::counts(3.0, 9);
        assert_eq!(axis.step, 1.0);
        assert_eq!(axis.labels(), ["0", "1", "2", "3"]);
    }

    #[test]
    fn nice_steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(0.13), 0.2);
        assert_eq!(nice_step(2.0), 2.0);
        assert_eq!(nice_step(2.1), 5.0);
        assert_eq!(nice_step(720.0), 1_000.0);
    }

    #[test]
    fn numbers_get_thousands_separators_and_no_negative_zero() {
        assert_eq!(format_number(1_234_567.0, 0), "1,234,567");
        assert_eq!(format_number(-1_234.5, 1), "-1,234.5");
        assert_eq!(format_number(-0.01, 1), "0.0");
        assert_eq!(format_number(f64::NAN, 0), "");
    }
}
