//! The subcommands: each loads its inputs, calls one function of [`ops`]
//! (or `plot`), and prints what it returns. The binary only parses flags
//! and maps errors to exit codes.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::experiment::run::RunOptions;
use crate::ops::{self, Charts, FolderOptions};
use crate::output;
use crate::plot;
use crate::scenario::{self, Scenario};

/// What `deepmud run` was asked to do.
#[derive(Clone, Debug)]
pub struct RunRequest {
    /// Scenario file; `None` for the built-in default.
    pub scenario: Option<PathBuf>,
    /// Dotted-path overrides, `path=value`.
    pub overrides: Vec<String>,
    /// Output folder; `None` for `output/<scenario name>`.
    pub out: Option<PathBuf>,
    /// Hide the progress bar.
    pub quiet: bool,
    /// Threads, shipment log, precision target.
    pub options: RunOptions,
    /// Which charts to draw.
    pub charts: Charts,
}

/// `deepmud plot`: redraw every chart of a run from its CSV files.
pub fn plot(dir: &Path, charts: &Charts) -> anyhow::Result<()> {
    let written = plot::draw_all(dir, charts.format, charts.width_px, charts.height_px)?;
    print(&format!(
        "drew {} chart files in {}\n",
        written.len(),
        dir.display()
    ))
}

/// Loads a scenario file (or the built-in default) with overrides.
pub fn load(
    path: Option<&Path>,
    overrides: &[String],
) -> Result<Scenario, scenario::ScenarioError> {
    match path {
        Some(path) => scenario::load_file(path, overrides),
        None => scenario::load_str(
            scenario::DEFAULT_SCENARIO,
            "built-in default scenario",
            overrides,
        ),
    }
}

/// `deepmud check`: validate and print the resolved scenario.
pub fn check(path: Option<&Path>, overrides: &[String]) -> anyhow::Result<()> {
    let scenario = load(path, overrides)?;
    print(&scenario.to_toml_string())?;
    let origin = path.map_or_else(
        || "built-in default scenario".to_string(),
        |p| p.display().to_string(),
    );
    eprintln!("{origin}: ok");
    Ok(())
}

/// `deepmud metrics`: every metric with its units, kind and label.
pub fn metrics() -> anyhow::Result<()> {
    print(&output::metric_list::metric_list())
}

/// `deepmud run`: run the replications into the output folder, print KPIs.
pub fn run(request: &RunRequest) -> anyhow::Result<()> {
    let scenario = load(request.scenario.as_deref(), &request.overrides)?;
    let options = FolderOptions {
        out: request
            .out
            .clone()
            .unwrap_or_else(|| ops::default_folder(&scenario)),
        run: request.options,
        charts: request.charts,
    };
    let bar = progress_bar(request, &scenario)?;
    let done = ops::run_to_folder(&scenario, &options, &|| bar.inc(1));
    bar.finish_and_clear();
    let done = done?;
    print(&format!(
        "{}wrote {} files to {}\n",
        output::table::kpi_table(&done.output, &done.timing),
        done.written.len(),
        done.out.display()
    ))
}

/// Writes `text` to stdout. A failure, such as a closed pipe
/// (`deepmud check x.toml | head -1`), is returned as an [`io::Error`]
/// rather than a panic, so the binary can end quietly.
fn print(text: &str) -> anyhow::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .context("writing to stdout")
}

/// A progress bar on stderr over the replications; hidden with `--quiet`
/// and when stderr is not a terminal. With a precision target the count is
/// open-ended.
fn progress_bar(request: &RunRequest, scenario: &Scenario) -> anyhow::Result<ProgressBar> {
    if request.quiet {
        return Ok(ProgressBar::hidden());
    }
    let target = request.options.target_ci.is_some();
    let template = if target {
        "{msg} {spinner} {pos} replications (until the CI target is met), {elapsed}"
    } else {
        "{msg} [{bar:30}] {pos}/{len} replications, {elapsed} (eta {eta})"
    };
    let length = (!target).then_some(u64::from(scenario.scenario.replications));
    let bar = ProgressBar::with_draw_target(length, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(template)
            .context("progress bar template")?
            .progress_chars("=> "),
    );
    bar.set_message(scenario.scenario.name.clone());
    Ok(bar)
}
