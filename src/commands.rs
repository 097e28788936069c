//! The subcommands: each loads its inputs, calls one function of [`ops`]
//! (or `plot`), and prints what it returns. The binary only parses flags
//! and maps errors to exit codes.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::experiment::design::{Design, parse_delta};
use crate::experiment::plan::{self, Base, Plan, PlanError, Shard, Variant};
use crate::experiment::run::RunOptions;
use crate::ops::experiment::{ExperimentOptions, Status};
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
    if ops::experiment::is_experiment(dir) {
        let done = ops::experiment::redraw(dir, *charts)?;
        return print(&format!(
            "redrew the experiment in {}: {} files\n",
            done.out.display(),
            done.written.len()
        ));
    }
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

/// What every experiment subcommand was asked to do besides its design.
#[derive(Clone, Debug)]
pub struct ExperimentRequest {
    /// Output folder; `None` for `output/<scenario name>-<kind>`.
    pub out: Option<PathBuf>,
    pub threads: usize,
    pub resume: bool,
    pub restart: bool,
    pub shard: Option<Shard>,
    pub quiet: bool,
    pub charts: Charts,
}

/// An experiment stopped by Ctrl-C; its finished points are saved.
#[derive(Debug, thiserror::Error)]
#[error(
    "stopped: {done} of {owned} points done, saved in {}; the same command with --resume \
     runs the rest",
    work.display()
)]
pub struct Interrupted {
    pub done: usize,
    pub owned: usize,
    pub work: PathBuf,
}

/// Raised by Ctrl-C: no replication starts after it.
static STOP: AtomicBool = AtomicBool::new(false);

/// Makes Ctrl-C (and SIGTERM, SIGHUP: a scheduler pre-empting a shard)
/// stop an experiment cleanly: the replications running finish, finished
/// points are kept; a second signal quits at once.
fn stop_on_ctrl_c() {
    // Only the first handler of a process can be set; later calls (a
    // library caller running several experiments) keep it.
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!(
            "\nstopping: the replications running now finish and finished points are kept \
             (Ctrl-C again to quit at once)"
        );
    });
}

/// `deepmud sweep`.
pub fn sweep(
    base: &Base,
    varies: &[String],
    design: &str,
    metrics: &[String],
    request: &ExperimentRequest,
) -> anyhow::Result<()> {
    let design = Design::parse(design).map_err(PlanError::from)?;
    let plan = plan::sweep(base, varies, design, metrics, request.shard)?;
    experiment(&plan, request)
}

/// `deepmud tornado`.
pub fn tornado(
    base: &Base,
    params: &[String],
    delta: Option<&str>,
    ranges: &[String],
    metric: Option<&str>,
    request: &ExperimentRequest,
) -> anyhow::Result<()> {
    let delta = delta
        .map(parse_delta)
        .transpose()
        .map_err(PlanError::from)?;
    experiment(
        &plan::tornado(base, params, delta, ranges, metric)?,
        request,
    )
}

/// `deepmud compare`.
pub fn compare(
    base: &Base,
    alternatives: &[PathBuf],
    variants: &[Variant],
    metrics: &[String],
    request: &ExperimentRequest,
) -> anyhow::Result<()> {
    experiment(
        &plan::compare(base, alternatives, variants, metrics)?,
        request,
    )
}

/// `deepmud merge`.
pub fn merge(dirs: &[PathBuf], out: &Path, charts: &Charts) -> anyhow::Result<()> {
    let done = ops::experiment::merge(dirs, out, *charts)?;
    print(&format!(
        "{}merged {} folders: wrote {} files to {}\n",
        done.table,
        dirs.len(),
        done.written.len(),
        done.out.display()
    ))
}

/// Runs a planned experiment with a progress bar and prints its table.
fn experiment(plan: &Plan, request: &ExperimentRequest) -> anyhow::Result<()> {
    for warning in plan.phase_warnings() {
        eprintln!("warning: {warning}");
    }
    let options = ExperimentOptions {
        out: request
            .out
            .clone()
            .unwrap_or_else(|| ops::experiment::default_folder(plan)),
        threads: request.threads,
        resume: request.resume,
        restart: request.restart,
        shard: request.shard,
        charts: request.charts,
    };
    let bar = if request.quiet {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{msg} [{bar:30}] {pos}/{len} replications ({per_sec}), {elapsed} (eta {eta})",
            )
            .context("progress bar template")?
            .progress_chars("=> "),
        );
        bar.set_message(format!(
            "{} {} points",
            plan.manifest.kind.name(),
            plan.manifest.points.len()
        ));
        bar
    };
    stop_on_ctrl_c();
    let done = ops::experiment::run_experiment(
        plan,
        &options,
        &|total| bar.set_length(total),
        &|| bar.inc(1),
        &STOP,
    );
    bar.finish_and_clear();
    let done = done?;
    match done.status {
        Status::Interrupted => Err(Interrupted {
            done: done.done,
            owned: done.owned,
            work: done.out,
        }
        .into()),
        Status::ShardDone => print(&format!(
            "shard {}: {} of {} points done; wrote {} files to {}; `deepmud merge` joins the shards\n",
            request
                .shard
                .map_or("1/1".to_string(), |s| format!("{}/{}", s.index, s.count)),
            done.done,
            plan.manifest.points.len(),
            done.written.len(),
            done.out.display()
        )),
        Status::Complete => print(&format!(
            "{}wrote {} files to {}\n",
            done.table,
            done.written.len(),
            done.out.display()
        )),
    }
}
