//! One panel of annual quantities: each one's P10–P90 range as a shaded
//! band and its median as a line, over simulated years (labelled as such or
//! as calendar years), with optional dashed phase lines. The throughput,
//! cumulative REO, cost per kg and cash flow charts are built from it.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::Drawn;
use super::axis::{
    Chart2d, Mesh, ValueAxis, YearAxis, draw_mesh, tick_only_area_height, x_label_area_height,
    x_to_pixel, y_label_area_width, y_labels_for_height,
};
use super::data::{Phase, YearQuantiles};
use super::phase_strip::PhaseStrip;
use super::theme::{Theme, draw_message, palette};

/// Space around a panel's plotting area, in pixels.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Margins {
    pub top: i32,
    pub bottom: i32,
    pub left: i32,
    pub right: i32,
}

impl Margins {
    /// A chart over `x` × `y` on `area`, inside these margins, with an x
    /// label area `x_label_height` px high and a y label area
    /// `y_label_width` px wide: the frame every chart is drawn in.
    pub fn chart<'a, DB: DrawingBackend>(
        self,
        area: &'a DrawingArea<DB, Shift>,
        x_label_height: i32,
        y_label_width: i32,
        x: Range<f64>,
        y: Range<f64>,
    ) -> anyhow::Result<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>> {
        ChartBuilder::on(area)
            .margin_top(self.top)
            .margin_bottom(self.bottom)
            .margin_left(self.left)
            .margin_right(self.right)
            .x_label_area_size(x_label_height)
            .y_label_area_size(y_label_width)
            .build_cartesian_2d(x, y)
            .drawn()
    }

    /// Left and right margins every band panel uses, so stacked panels and
    /// labels laid out in advance line up.
    pub fn standard(theme: &Theme) -> Self {
        Margins {
            top: theme.px(8.0),
            bottom: theme.px(4.0),
            left: theme.gap(),
            right: theme.gap() * 2,
        }
    }
}

/// One quantity of a panel and its colours.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Band<'a> {
    /// The quantity, already in the axis's unit (log10 of it on a log axis).
    pub series: &'a [YearQuantiles],
    pub median: RGBColor,
    /// `None`: the median only, no P10–P90 band.
    pub range: Option<RGBColor>,
}

impl<'a> Band<'a> {
    /// In the colours every single-quantity chart uses.
    pub fn standard(series: &'a [YearQuantiles]) -> Self {
        Band {
            series,
            median: palette::MEDIAN,
            range: Some(palette::RANGE),
        }
    }
}

pub(crate) struct BandPanel<'a> {
    /// Drawn in order: every band's range, then every median.
    pub bands: &'a [Band<'a>],
    pub years: YearAxis,
    /// Whether the years are calendar years (else simulated years).
    pub calendar: bool,
    pub x_labels: usize,
    /// `None`: tick marks only (a panel with another one below it).
    pub x_title: Option<&'a str>,
    pub y: ValueAxis,
    pub y_title: &'a str,
    pub y_label_width: i32,
    pub margins: Margins,
    /// Years where a dashed vertical line marks a phase start.
    pub phase_starts: &'a [f64],
    /// Draw each year's value as a step across its year (from year − 0.5
    /// to year + 0.5), for annual totals; otherwise join the points.
    pub steps: bool,
}

impl BandPanel<'_> {
    /// Height of everything in the panel but its plotting area.
    pub fn chrome_height(theme: &Theme, margins: Margins, x_title: bool) -> i32 {
        margins.top
            + margins.bottom
            + if x_title {
                x_label_area_height(theme)
            } else {
                tick_only_area_height(theme)
            }
    }

    /// Pixel columns of the plotting area inside a panel drawn on `area`.
    pub fn plot_columns(
        area: &DrawingArea<impl DrawingBackend, Shift>,
        margins: Margins,
        y_label_width: i32,
    ) -> Range<i32> {
        let (x, _) = area.get_pixel_range();
        x.start + margins.left + y_label_width..x.end - margins.right
    }
}

/// Draws `panel` into `area`; returns the chart, for marks drawn on top.
pub(crate) fn draw_band_panel<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
    panel: &BandPanel<'_>,
) -> anyhow::Result<Chart2d<'a, DB>> {
    let m = panel.margins;
    let x_area = match panel.x_title {
        Some(_) => x_label_area_height(theme),
        None => tick_only_area_height(theme),
    };
    let mut chart = m.chart(
        area,
        x_area,
        panel.y_label_width,
        panel.years.range(),
        panel.y.range(),
    )?;

    let y_format = |v: &f64| panel.y.format(*v);
    let x_format = |v: &f64| match panel.x_title {
        Some(_) => YearAxis::label(*v, panel.calendar),
        None => String::new(),
    };
    draw_mesh(
        &mut chart,
        theme,
        &Mesh {
            x_labels: panel.x_labels,
            y_labels: panel.y.n_labels(),
            x_format: &x_format,
            y_format: &y_format,
            x_title: panel.x_title,
            y_title: panel.y_title,
            y_label_width: panel.y_label_width,
            x_grid: true,
        },
    )?;

    let clamp = |v: f64| v.clamp(panel.y.lo, panel.y.hi);
    for band in panel.bands {
        if let Some(colour) = band.range {
            draw_range(
                &mut chart,
                panel,
                band.series,
                colour.mix(palette::RANGE_ALPHA).filled(),
                clamp,
            )?;
        }
    }

    let phase_line = palette::BLACK.stroke_width(theme.axis_width());
    for &start in panel.phase_starts {
        chart
            .draw_series(DashedLineSeries::new(
                [(start, panel.y.lo), (start, panel.y.hi)],
                theme.px(14.0),
                theme.px(9.0),
                phase_line,
            ))
            .drawn()?;
    }

    for band in panel.bands {
        let median = band.median.stroke_width(theme.line_width());
        for run in runs(band.series, |p| p.q.p50.is_finite()) {
            let points = trace(run, panel.steps, |p| clamp(p.q.p50));
            if let [point] = points[..] {
                chart
                    .draw_series(std::iter::once(Circle::new(
                        point,
                        theme.line_width() * 3 / 2,
                        median.filled(),
                    )))
                    .drawn()?;
            } else {
                chart.draw_series(LineSeries::new(points, median)).drawn()?;
            }
        }
    }

    let no_data = panel
        .bands
        .iter()
        .all(|band| band.series.iter().all(|p| p.q.finite_max().is_none()));
    if no_data {
        draw_message(&chart.plotting_area().strip_coord_spec(), theme, "No data")?;
    }
    Ok(chart)
}

/// Draws the P10–P90 range of `series` as a shaded band in `style`.
fn draw_range<DB: DrawingBackend>(
    chart: &mut Chart2d<'_, DB>,
    panel: &BandPanel<'_>,
    series: &[YearQuantiles],
    style: ShapeStyle,
    clamp: impl Fn(f64) -> f64,
) -> anyhow::Result<()> {
    for run in runs(series, |p| p.q.p10.is_finite() && p.q.p90.is_finite()) {
        if let ([p], false) = (run, panel.steps) {
            // A lone point has no width: show its range as a short bar.
            let half = 0.02 * (panel.years.hi - panel.years.lo);
            let corners = [
                ((p.year - half).max(panel.years.lo), clamp(p.q.p10)),
                ((p.year + half).min(panel.years.hi), clamp(p.q.p90)),
            ];
            chart
                .draw_series(std::iter::once(Rectangle::new(corners, style)))
                .drawn()?;
            continue;
        }
        let mut outline = trace(run, panel.steps, |p| clamp(p.q.p90));
        let mut lower = trace(run, panel.steps, |p| clamp(p.q.p10));
        lower.reverse();
        outline.extend(lower);
        chart
            .draw_series(std::iter::once(Polygon::new(outline, style)))
            .drawn()?;
    }
    Ok(())
}

/// A chart of one band panel with its phases named above the plot.
pub(crate) struct SinglePanel<'a> {
    pub bands: &'a [Band<'a>],
    pub phases: &'a [Phase],
    /// As in [`BandPanel::calendar`].
    pub calendar: bool,
    pub y_title: &'a str,
    /// As in [`BandPanel::steps`].
    pub steps: bool,
}

/// Draws `panel` on `body`, its y axis from `y_axis` given the most labels
/// that fit, then `marks` on top of the chart.
pub(crate) fn draw_single_panel<DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    theme: &Theme,
    panel: &SinglePanel<'_>,
    y_axis: impl Fn(usize) -> ValueAxis,
    marks: impl FnOnce(&mut Chart2d<'_, DB>, &ValueAxis) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    // A phase starting with year s is marked at s − 0.5, where year s begins.
    let phase_starts: Vec<f64> = panel.phases.iter().map(|p| p.start_year - 0.5).collect();
    let half = if panel.steps { 0.5 } else { 0.0 };
    let years = YearAxis::spanning(
        panel
            .bands
            .iter()
            .flat_map(|band| band.series.iter())
            .flat_map(|p| [p.year - half, p.year + half]),
        &phase_starts,
    );
    let margins = Margins::standard(theme);
    let chrome = BandPanel::chrome_height(theme, margins, true);
    let estimated_strip = if phase_starts.is_empty() {
        0
    } else {
        PhaseStrip::row_height(theme)
    };
    let plot_h = body.dim_in_pixel().1 as i32 - estimated_strip - chrome;
    let y = y_axis(y_labels_for_height(theme, plot_h));
    let y_label_width = y_label_area_width(body, theme, &y.labels())?;
    let columns = BandPanel::plot_columns(body, margins, y_label_width);
    let x_labels = years.n_labels(body, theme, columns.end - columns.start)?;
    let phases: Vec<(i32, &str)> = phase_starts
        .iter()
        .zip(panel.phases)
        .map(|(&start, phase)| {
            let line = x_to_pixel(start, &years.range(), &columns);
            (line, phase.name.as_str())
        })
        .collect();
    let strip = PhaseStrip::layout(body, theme, &phases, &columns)?;
    let (strip_area, plot_area) = body.split_vertically(strip.height());
    let mut chart = draw_band_panel(
        &plot_area,
        theme,
        &BandPanel {
            bands: panel.bands,
            years,
            calendar: panel.calendar,
            x_labels,
            x_title: Some(YearAxis::title(panel.calendar)),
            y,
            y_title: panel.y_title,
            y_label_width,
            margins,
            phase_starts: &phase_starts,
            steps: panel.steps,
        },
    )?;
    marks(&mut chart, &y)?;
    strip.draw(&strip_area, theme, margins.top)
}

/// The (x, y) vertices of `value` along `run`: one per year, or with
/// `steps` two per year, at year − 0.5 and year + 0.5.
fn trace(
    run: &[YearQuantiles],
    steps: bool,
    value: impl Fn(&YearQuantiles) -> f64,
) -> Vec<(f64, f64)> {
    if steps {
        run.iter()
            .flat_map(|p| [(p.year - 0.5, value(p)), (p.year + 0.5, value(p))])
            .collect()
    } else {
        run.iter().map(|p| (p.year, value(p))).collect()
    }
}

/// Maximal runs of consecutive points that satisfy `keep`: a missing value
/// breaks a line or band instead of being drawn as zero.
fn runs<T>(points: &[T], keep: impl Fn(&T) -> bool) -> Vec<&[T]> {
    points
        .split(|p| !keep(p))
        .filter(|run| !run.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::runs;

    #[test]
    fn missing_values_split_a_series_into_runs() {
        let values = [1.0, f64::NAN, 2.0, 3.0, f64::NAN, f64::NAN, 4.0];
        let split = runs(&values, |v| v.is_finite());
        assert_eq!(split, vec![&[1.0][..], &[2.0, 3.0][..], &[4.0][..]]);
    }
}
