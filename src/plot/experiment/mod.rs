//! Charts of experiments: response curves and heatmaps of sweeps, tornado
//! charts of one-at-a-time sensitivity, paired comparisons and global
//! sensitivity coefficients.
//!
//! They are drawn from data in memory, which the experiment code builds
//! from its result files, so merged shards and a single run draw the same
//! chart. The look (theme, axes, legends) and the atomic PNG and SVG
//! writers are those of a run's charts.

mod coefficients;
mod comparison;
mod heatmap;
mod layout;
mod response;
mod tornado;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Drawing, Format, check_size, register_font, write_chart};

/// A mean with the ends of its 95% confidence interval (NaN ends:
/// undefined, draw no band/whisker).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    /// The mean across replications.
    pub mean: f64,
    /// The lower end of its 95% CI.
    pub lo: f64,
    /// The upper end of its 95% CI.
    pub hi: f64,
}

/// One line of a response chart: x ascending.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    /// The legend entry (shown when there is more than one curve).
    pub label: String,
    /// (parameter value, metric) pairs.
    pub points: Vec<(f64, Band)>,
}

/// A metric against one varied parameter: a line per curve with its CI as
/// a shaded band; a curve's label goes in a legend when there is more than
/// one curve (there may be up to ~10 curves; one colour each from the
/// palette).
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub title: String,
    /// The varied parameter.
    pub x_title: String,
    /// The metric, with its unit.
    pub y_title: String,
    pub curves: Vec<Curve>,
}

/// A metric over two varied parameters: cells coloured by value (a
/// sequential colour scale with a labelled colour bar), each cell also
/// printed with its value when there is room; NaN cells drawn hatched/grey.
/// xs and ys ascending; values\[iy\]\[ix\].
#[derive(Clone, Debug, PartialEq)]
pub struct Heatmap {
    pub title: String,
    /// The parameter along x.
    pub x_title: String,
    /// The parameter along y.
    pub y_title: String,
    /// The metric, with its unit: the colour bar's title.
    pub value_title: String,
    /// The x parameter's values, ascending.
    pub xs: Vec<f64>,
    /// The y parameter's values, ascending.
    pub ys: Vec<f64>,
    /// The metric at each pair, `values[iy][ix]`; a missing cell is undefined.
    pub values: Vec<Vec<f64>>,
}

/// One bar of a tornado: the metric at the parameter's low and high input.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoBar {
    /// The parameter's dotted path, named beside its bar.
    pub parameter: String,
    /// The low input as shown at its bar end ("3", "64").
    pub low_input: String,
    /// The high input as shown at its bar end.
    pub high_input: String,
    /// The metric at the low input.
    pub low: Band,
    /// The metric at the high input.
    pub high: Band,
}

/// One-at-a-time sensitivity: horizontal bars from the base value to the
/// low and the high result (two colours: "low input", "high input" in a
/// legend), sorted as given (largest swing first, top), the base value a
/// vertical line labelled with its value, each bar end labelled with the
/// input that produced it (e.g. "3" and "5", or "64" / "96"), and CI
/// whiskers at each bar end (Band lo..hi).
#[derive(Clone, Debug, PartialEq)]
pub struct Tornado {
    pub title: String,
    /// The metric, with its unit: the x axis title.
    pub metric_title: String,
    /// The metric at the base scenario.
    pub base: Band,
    /// Top to bottom.
    pub bars: Vec<TornadoBar>,
}

/// One metric's paired difference, alternative − base, in percent of the
/// base mean: the mean, its 95% CI from paired samples, and the CI an
/// unpaired comparison would give (wider, the point of common random
/// numbers).
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    /// The metric, named beside its row.
    pub label: String,
    /// The mean difference, % of the base mean.
    pub mean_pct: f64,
    /// The 95% CI from paired samples, (lo, hi).
    pub paired_pct: (f64, f64),
    /// The 95% CI an unpaired comparison gives, (lo, hi).
    pub unpaired_pct: (f64, f64),
}

/// A dot-and-whisker chart: one row per metric (labels on the left), x =
/// difference in % of base, a zero line, the paired CI as a thick whisker
/// and the unpaired CI as a thin, lighter one, legend "paired (common
/// random numbers)" / "unpaired". Rows whose values are NaN say "undefined".
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub title: String,
    /// Top to bottom.
    pub rows: Vec<Difference>,
}

/// Global sensitivity: one horizontal bar per parameter, value in \[-1, 1\]
/// (a standardised rank regression coefficient), axis fixed at -1..1, zero
/// line, bars sorted as given, value printed at each bar end.
#[derive(Clone, Debug, PartialEq)]
pub struct Coefficients {
    pub title: String,
    /// What the coefficient is, e.g. "Standardised rank regression coefficient".
    pub x_title: String,
    /// (parameter, coefficient), top to bottom.
    pub bars: Vec<(String, f64)>,
}

/// Any chart of an experiment.
#[derive(Clone, Debug, PartialEq)]
pub enum ExperimentChart {
    Response(Response),
    Heatmap(Heatmap),
    Tornado(Tornado),
    Comparison(Comparison),
    Sensitivity(Coefficients),
}

/// Draws `chart` into `dir` as `<stem>.png` and/or `<stem>.svg`, each
/// written atomically; returns the paths written.
pub fn draw(
    dir: &Path,
    stem: &str,
    chart: &ExperimentChart,
    format: Format,
    width_px: u32,
    height_px: u32,
) -> anyhow::Result<Vec<PathBuf>> {
    check_size(width_px, height_px)?;
    register_font()?;
    write_chart(dir, stem, chart, format, (width_px, height_px))
}

impl Drawing for ExperimentChart {
    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        match self {
            ExperimentChart::Response(chart) => response::draw_response(root, chart),
            ExperimentChart::Heatmap(chart) => heatmap::draw_heatmap(root, chart),
            ExperimentChart::Tornado(chart) => tornado::draw_tornado(root, chart),
            ExperimentChart::Comparison(chart) => comparison::draw_comparison(root, chart),
            ExperimentChart::Sensitivity(chart) => coefficients::draw_coefficients(root, chart),
        }
    }
}
