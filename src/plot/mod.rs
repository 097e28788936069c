//! Every chart of a run, drawn from the run's CSV files into PNG and SVG.
//!
//! Each chart is one function generic over the plotters drawing backend, so
//! the PNG and the SVG come from the same code. Text is set in DejaVu Sans,
//! embedded in the binary (`fonts/`, with its licence), so drawing needs no
//! system font. Sizes scale with the image and are chosen to stay readable
//! when a 1200 × 800 px chart is shrunk to a journal column (about 85 mm).
//! `plot` reads only the aggregated files a run writes; it never sees the
//! model.

mod axis;
mod band;
mod cash_flow;
mod cost_breakdown;
mod cost_per_kg;
mod cumulative;
mod data;
pub mod experiment;
mod grade;
mod legend;
mod phase_strip;
mod refining;
mod stacked;
mod theme;
mod throughput;
mod time_budget;
mod timeline;
mod weather;

#[cfg(test)]
mod tests;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, anyhow};
use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;
use plotters::style::FontStyle;

pub(crate) use axis::format_number;
pub use data::RunFileError;
use data::{EconomicsData, RunData};

/// Output image format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Svg,
    Both,
}

impl Format {
    /// The extension a report shows charts in: SVG only when there is no PNG.
    pub fn report_extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png | Format::Both => "png",
        }
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Png => &["png"],
            Format::Svg => &["svg"],
            Format::Both => &["png", "svg"],
        }
    }
}

/// The smallest chart width with room for axis labels, legend and title, px.
pub const MIN_WIDTH_PX: u32 = 200;
/// The smallest chart height with room for axis labels, legend and title, px.
pub const MIN_HEIGHT_PX: u32 = 150;
/// The largest chart side, px: a PNG is drawn in a width × height × 3-byte
/// buffer, 300 MB at 10,000 × 10,000.
pub const MAX_SIDE_PX: u32 = 10_000;

/// Draws every chart from the CSV files in `dir` into `dir`, the timeline
/// only when `dir` holds a `trace.csv`, the economics charts only when
/// `annual.csv` has money metrics (a scenario with `[economics]`); returns
/// the files written.
pub fn draw_all(
    dir: &Path,
    format: Format,
    width_px: u32,
    height_px: u32,
) -> anyhow::Result<Vec<PathBuf>> {
    check_size(width_px, height_px)?;
    register_font()?;
    let run = RunData::read(dir)?;
    let mut written = Vec::new();
    for chart in Chart::ALL {
        if !chart.drawn_for(&run) {
            continue;
        }
        let drawing = RunChart { chart, run: &run };
        written.extend(write_chart(
            dir,
            chart.stem(),
            &drawing,
            format,
            (width_px, height_px),
        )?);
    }
    Ok(written)
}

/// Fails unless a chart of `width_px` × `height_px` can be drawn.
fn check_size(width_px: u32, height_px: u32) -> anyhow::Result<()> {
    anyhow::ensure!(
        (MIN_WIDTH_PX..=MAX_SIDE_PX).contains(&width_px)
            && (MIN_HEIGHT_PX..=MAX_SIDE_PX).contains(&height_px),
        "chart size {width_px} × {height_px} px cannot be drawn: from \
         {MIN_WIDTH_PX} × {MIN_HEIGHT_PX} to {MAX_SIDE_PX} × {MAX_SIDE_PX}"
    );
    Ok(())
}

/// Draws `drawing` into `dir` as `<stem>.png` and/or `<stem>.svg`; returns
/// the files written.
fn write_chart(
    dir: &Path,
    stem: &str,
    drawing: &impl Drawing,
    format: Format,
    size: (u32, u32),
) -> anyhow::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for extension in format.extensions() {
        let path = dir.join(format!("{stem}.{extension}"));
        match *extension {
            "png" => write_png(&path, drawing, size),
            _ => write_svg(&path, drawing, size),
        }
        .with_context(|| format!("drawing {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// The names of every chart file [`draw_all`] can write.
pub fn file_names() -> Vec<String> {
    Chart::ALL
        .iter()
        .flat_map(|chart| {
            Format::Both
                .extensions()
                .iter()
                .map(move |extension| format!("{}.{extension}", chart.stem()))
        })
        .collect()
}

/// The charts of a run, in the order they are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chart {
    Throughput,
    CumulativeReo,
    TimeBudget,
    WeatherMonths,
    GradeHistogram,
    Timeline,
    CostPerKg,
    CashFlow,
    Refining,
    CostBreakdown,
}

impl Chart {
    const ALL: [Chart; 10] = [
        Chart::Throughput,
        Chart::CumulativeReo,
        Chart::TimeBudget,
        Chart::WeatherMonths,
        Chart::GradeHistogram,
        Chart::Timeline,
        Chart::CostPerKg,
        Chart::CashFlow,
        Chart::Refining,
        Chart::CostBreakdown,
    ];

    /// Whether the chart is drawn for `run`: the timeline needs a trace,
    /// the economics charts money metrics.
    fn drawn_for(self, run: &RunData) -> bool {
        match self {
            Chart::Timeline => run.timeline.is_some(),
            Chart::CostPerKg | Chart::CashFlow | Chart::Refining | Chart::CostBreakdown => {
                run.economics.is_some()
            }
            _ => true,
        }
    }

    fn stem(self) -> &'static str {
        match self {
            Chart::Throughput => "throughput",
            Chart::CumulativeReo => "cumulative_reo",
            Chart::TimeBudget => "time_budget",
            Chart::WeatherMonths => "weather_months",
            Chart::GradeHistogram => "grade_histogram",
            Chart::Timeline => "timeline",
            Chart::CostPerKg => "cost_per_kg",
            Chart::CashFlow => "cash_flow",
            Chart::Refining => "refining",
            Chart::CostBreakdown => "cost_breakdown",
        }
    }
}

/// One image's content, drawn on any plotters backend.
trait Drawing {
    /// Draws the content on `root`, already filled white.
    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()>;
}

/// A chart of a run, with the run's data.
struct RunChart<'a> {
    chart: Chart,
    run: &'a RunData,
}

impl Drawing for RunChart<'_> {
    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let run = self.run;
        match self.chart {
            Chart::Throughput => throughput::draw_throughput(root, &run.throughput),
            Chart::CumulativeReo => cumulative::draw_cumulative_reo(root, &run.cumulative),
            Chart::TimeBudget => time_budget::draw_time_budget(root, &run.time_budget),
            Chart::WeatherMonths => weather::draw_weather_months(root, &run.weather),
            Chart::GradeHistogram => grade::draw_grade_histogram(root, &run.grades),
            Chart::Timeline => match &run.timeline {
                Some(timeline) => timeline::draw_timeline(root, timeline),
                None => Ok(()),
            },
            Chart::CostPerKg => economics(root, run, cost_per_kg::draw_cost_per_kg),
            Chart::CashFlow => economics(root, run, cash_flow::draw_cash_flow),
            Chart::Refining => economics(root, run, refining::draw_refining),
            Chart::CostBreakdown => economics(root, run, cost_breakdown::draw_cost_breakdown),
        }
    }
}

/// Draws an economics chart with `draw`; nothing for a run without money
/// metrics.
fn economics<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    run: &RunData,
    draw: fn(&DrawingArea<DB, Shift>, &EconomicsData) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    match &run.economics {
        Some(economics) => draw(root, economics),
        None => Ok(()),
    }
}

/// Draws `drawing` on a white `root` and finishes the image.
fn render<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    drawing: &impl Drawing,
) -> anyhow::Result<()> {
    root.fill(&WHITE).drawn()?;
    drawing.draw_on(root)?;
    root.present().drawn()
}

/// Draws `drawing` as a PNG. The bitmap backend writes the file itself and
/// picks the encoder from the extension, so it writes a temporary `.png`
/// beside the target, renamed into place once complete.
fn write_png(path: &Path, drawing: &impl Drawing, size: (u32, u32)) -> anyhow::Result<()> {
    let stem = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .with_context(|| format!("{} is not a file path", path.display()))?;
    let temporary = path.with_file_name(format!(".{stem}.{}.tmp.png", std::process::id()));
    let drawn = {
        let root = BitMapBackend::new(&temporary, size).into_drawing_area();
        render(&root, drawing)
        // `root` drops here; the backend has already saved on `present`.
    };
    let result = drawn.and_then(|()| {
        fs::rename(&temporary, path).with_context(|| format!("writing {}", path.display()))
    });
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// Draws `drawing` as an SVG document, written atomically.
fn write_svg(path: &Path, drawing: &impl Drawing, size: (u32, u32)) -> anyhow::Result<()> {
    let mut document = String::new();
    {
        let root = SVGBackend::with_string(&mut document, size).into_drawing_area();
        render(&root, drawing)?;
    }
    crate::output::write_atomic(path, document.as_bytes())
}

/// The embedded font: DejaVu Sans (Bitstream Vera licence, `fonts/LICENSE-DejaVu.txt`).
const DEJAVU_SANS: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");

/// Registers the embedded font as plotters' "sans-serif", once per process.
fn register_font() -> anyhow::Result<()> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            plotters::style::register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS)
                .map_err(|_| "the embedded DejaVu Sans font is not a valid font".to_string())
        })
        .clone()
        .map_err(|message| anyhow!(message))
}

/// Turns plotters' drawing errors, whose backend error type need not be
/// `'static`, into `anyhow` errors.
trait Drawn<T> {
    fn drawn(self) -> anyhow::Result<T>;
}

impl<T, E: std::error::Error + Send + Sync> Drawn<T> for Result<T, DrawingAreaErrorKind<E>> {
    fn drawn(self) -> anyhow::Result<T> {
        self.map_err(|error| anyhow!("plotters: {error}"))
    }
}
