//! Output files of a run. A run writes its whole folder in a staging folder
//! swapped into place at the end ([`folder`]); each file is also written
//! atomically (a temporary file, then a rename), so redrawing charts in
//! place never leaves a half-written one. One exporter per file: adding a
//! format is adding a file.

mod annual;
pub mod experiment;
pub mod folder;
pub mod journal;
pub mod metric_list;
pub mod money;
mod phases;
pub mod report;
pub mod shipments;
mod summary;
pub mod table;
mod time_budget;
pub mod trace;
mod weather_monthly;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::experiment::run::RunOutput;
use crate::stats::summary::Summary;

/// What an exporter renders from: the run, and how its charts are named.
#[derive(Clone, Copy, Debug)]
pub struct Inputs<'a> {
    pub run: &'a RunOutput,
    /// Extension of the charts the report shows (`png` or `svg`).
    pub chart_extension: &'a str,
}

/// Renders one output file of a run.
pub trait Exporter {
    /// The file's name in the output folder.
    fn file_name(&self) -> &'static str;
    /// The file's bytes.
    fn render(&self, inputs: &Inputs) -> anyhow::Result<Vec<u8>>;
}

/// Every result file and the report, except `shipments.csv`, which is
/// streamed during the run ([`shipments`]). Their bytes depend only on the
/// scenario, the seed and the chart format.
pub fn exporters() -> Vec<Box<dyn Exporter>> {
    vec![
        Box::new(summary::SummaryJson),
        Box::new(annual::AnnualCsv),
        Box::new(time_budget::TimeBudgetCsv),
        Box::new(weather_monthly::WeatherMonthlyCsv),
        Box::new(phases::PhasesCsv),
        Box::new(report::ReportMd),
    ]
}

/// The name of the file [`write_timing`] writes.
pub const TIMING_FILE: &str = "timing.json";

/// Column names of a [`Summary`] in CSV files.
const SUMMARY_COLUMNS: [&str; 6] = ["n", "mean", "ci95_half_width", "p10", "p50", "p90"];

/// A [`Summary`]'s cells, in [`SUMMARY_COLUMNS`] order. A statistic with no
/// value (no samples, or a CI from one) is an empty cell, what spreadsheets
/// and data frames read as missing; `n` beside it says why.
fn summary_cells(s: &Summary) -> [String; 6] {
    let cell = |x: f64| {
        if x.is_finite() {
            x.to_string()
        } else {
            String::new()
        }
    };
    [
        s.n.to_string(),
        cell(s.mean),
        cell(s.ci95_half_width),
        cell(s.p10),
        cell(s.p50),
        cell(s.p90),
    ]
}

/// How result files write a statistic that has no value; also in
/// summary.json, so the file explains itself.
pub const EMPTY_STATISTICS: &str = "a statistic with no value is null in JSON and an empty cell in CSV, \
     and every statistic is always written with its n: n = 0, no samples (every statistic empty); \
     n = 1, no confidence interval (ci95_half_width empty)";

/// Wall-clock facts about a run, kept out of the result files so those stay
/// byte-identical for a given scenario and seed.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Timing {
    pub wall_s: f64,
    pub events: u64,
    pub events_per_s: f64,
    pub threads: usize,
    /// The process's peak resident memory when the run's files were
    /// written, KiB (Linux `VmHWM`); `None` where it is not known.
    pub peak_resident_kib: Option<u64>,
}

/// This process's peak resident set size, KiB, from `/proc/self/status`.
pub fn peak_resident_kib() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The names of every file a run writes, but charts: the exporters',
/// `shipments.csv`, `timing.json` and, when asked for, `trace.csv`.
pub fn file_names() -> Vec<String> {
    let mut names: Vec<String> = exporters()
        .iter()
        .map(|exporter| exporter.file_name().to_string())
        .collect();
    names.push(shipments::FILE_NAME.to_string());
    names.push(TIMING_FILE.to_string());
    names.push(trace::FILE_NAME.to_string());
    names
}

/// Writes every exporter's file into the folder `dir` (created if needed);
/// returns the paths written.
pub fn write_results(dir: &Path, inputs: &Inputs) -> anyhow::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir).with_context(|| format!("creating output folder {}", dir.display()))?;
    let mut written = Vec::new();
    for exporter in exporters() {
        let path = dir.join(exporter.file_name());
        let bytes = exporter
            .render(inputs)
            .with_context(|| format!("rendering {}", exporter.file_name()))?;
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// Writes `timing.json` into `dir`; returns its path.
pub fn write_timing(dir: &Path, timing: &Timing) -> anyhow::Result<PathBuf> {
    let path = dir.join(TIMING_FILE);
    let mut bytes = serde_json::to_vec_pretty(timing)?;
    bytes.push(b'\n');
    write_atomic(&path, &bytes)?;
    Ok(path)
}

/// Writes `bytes` to `path` through a temporary file and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let file_name = path
        .file_name()
        .and_then(|name| name.to_str())
        .with_context(|| format!("{} is not a file path", path.display()))?;
    let temporary = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = fs::File::create(&temporary)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .and_then(|()| fs::rename(&temporary, path));
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result.with_context(|| format!("writing {}", path.display()))
}
