//! The subcommands as library calls: each builds its inputs, calls
//! `experiment`, and reports. The binary only parses flags and maps errors.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::experiment::run::{RunOptions, run as run_replications};
use crate::output::{self, Timing};
use crate::plot::{self, Format};
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

/// Chart format and size.
#[derive(Clone, Copy, Debug)]
pub struct Charts {
    pub format: Format,
    pub width_px: u32,
    pub height_px: u32,
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

/// `deepmud run`: run the replications, write the output files, print KPIs.
pub fn run(request: &RunRequest) -> anyhow::Result<()> {
    let scenario = load(request.scenario.as_deref(), &request.overrides)?;
    let out = request
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(folder_name(&scenario.scenario.name)));
    let bar = progress_bar(request, &scenario)?;
    let started = Instant::now();
    let result = run_replications(&scenario, &request.options, &|| bar.inc(1))
        .context("simulation failed")?;
    bar.finish_and_clear();
    let wall_s = started.elapsed().as_secs_f64();
    let timing = Timing {
        wall_s,
        events: result.events,
        events_per_s: result.events as f64 / wall_s.max(1e-9),
        threads: match request.options.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        },
    };
    let mut written = output::write_run(&out, &result, &timing)?;
    let charts = &request.charts;
    written.extend(plot::draw_all(
        &out,
        charts.format,
        charts.width_px,
        charts.height_px,
    )?);
    let extension = if charts.format == Format::Svg {
        "svg"
    } else {
        "png"
    };
    let report = out.join("report.md");
    output::write_atomic(
        &report,
        output::report::render(&result, extension).as_bytes(),
    )?;
    written.push(report);
    print(&format!(
        "{}wrote {} files to {}\n",
        output::table::kpi_table(&result, &timing),
        written.len(),
        out.display()
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

/// A folder name from a scenario name: letters, digits, `-` and `_` kept,
/// anything else becomes `_`.
fn folder_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.is_empty() {
        "scenario".to_string()
    } else {
        cleaned
    }
}
