//! The command-line interface: clap definitions of every subcommand.

use std::path::PathBuf;

use clap::builder::RangedU64ValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};
use deepmud::experiment::plan::Shard;
use deepmud::experiment::run::ShipmentLog;
use deepmud::plot::{self, Format};

/// The bounds of `--reps` and `--years`: those of `scenario.replications`
/// and `scenario.years` (src/scenario/validate.rs), checked here too so the
/// message names the flag, not the override it becomes.
const MAX_REPLICATIONS: u32 = 1_000_000;
const MAX_YEARS: f64 = 200.0;

/// More worker threads than this is a typo, not a machine.
const MAX_THREADS: u64 = 1024;

/// A pixel bound as clap's integer range type.
const fn px(bound: u32) -> i64 {
    bound as i64
}

/// deepmud: discrete-event simulation of deep-sea rare-earth mud mining.
#[derive(Debug, Parser)]
#[command(name = "deepmud", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario's replications, print KPIs and write output files.
    Run(RunArgs),
    /// Validate a scenario and print it as resolved (defaults and overrides applied).
    Check(ScenarioArgs),
    /// List every metric the results report, with its unit, kind and label.
    Metrics,
    /// Redraw every chart of a run from its CSV files, without re-running.
    Plot(PlotArgs),
    /// Run a scenario over a grid (or Latin hypercube) of key values, on
    /// common random numbers: sweep.csv, response curves, a heatmap.
    Sweep(SweepArgs),
    /// One-at-a-time sensitivity: each key to a low and a high value around
    /// the base, bars sorted by swing: tornado.csv and the tornado chart.
    Tornado(TornadoArgs),
    /// Paired differences of scenarios against a base, replication by
    /// replication on common random numbers: compare.csv, compare.md, a chart.
    Compare(CompareArgs),
    /// Join the folders of an experiment's shards (`--shard K/N`) into the
    /// files of a whole run.
    Merge(MergeArgs),
}

/// Replications, seed, horizon and threads: of a run, and of every point
/// of an experiment.
#[derive(Debug, Args)]
pub struct RunFlags {
    /// Number of replications (of each point), 1 to 1000000 (overrides
    /// `scenario.replications`).
    #[arg(long, allow_hyphen_values = true,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_REPLICATIONS)))]
    pub reps: Option<u32>,
    /// Random seed (of every point; overrides `scenario.seed`); TOML
    /// integers stop at 2^63 − 1.
    #[arg(long, allow_hyphen_values = true,
          value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    pub seed: Option<u64>,
    /// Simulated years, more than 0 and at most 200 (overrides `scenario.years`).
    #[arg(long, allow_hyphen_values = true, value_parser = parse_years)]
    pub years: Option<f64>,
    /// Worker threads, 1 to 1024; 0 (the default) is one per core. Results
    /// do not depend on it.
    #[arg(long, default_value_t = 0, allow_hyphen_values = true,
          value_parser = RangedU64ValueParser::<usize>::new().range(0..=MAX_THREADS))]
    pub threads: usize,
}

/// What every experiment (sweep, tornado, compare) takes besides its design.
#[derive(Debug, Args)]
pub struct ExperimentArgs {
    #[command(flatten)]
    pub run: RunFlags,
    /// Output folder; default `output/<scenario name>-<sweep|tornado|compare>`.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Continue an interrupted experiment: finished points are kept, the
    /// rest run; the files are those of an uninterrupted run.
    #[arg(long, conflicts_with = "restart")]
    pub resume: bool,
    /// Discard an interrupted experiment's finished points and start again.
    #[arg(long)]
    pub restart: bool,
    /// Run only shard K of N: the points whose number is K modulo N (from
    /// 1); `deepmud merge` joins the shards' folders.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub charts: ChartArgs,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// A key and its values: a list `1,2,4`, an integer range `1..6` (both
    /// ends included) or a float range with a point count `100..400:7`
    /// (repeatable; a grid crosses them all, the last varying fastest).
    #[arg(long = "vary", value_name = "PATH=VALUES", required = true)]
    pub vary: Vec<String>,
    /// `grid` (every combination) or `lhs:N` (N Latin-hypercube points over
    /// the ranges, with rank sensitivity in sensitivity.csv).
    #[arg(long, default_value = "grid")]
    pub design: String,
    /// Metrics to report (repeatable or comma-separated): NAME, NAME@total
    /// or NAME@yearN; `deepmud metrics` lists them. Default
    /// mud_delivered_wet_t, reo_produced_t, physical_availability.
    #[arg(long = "metric", value_name = "METRIC")]
    pub metrics: Vec<String>,
    #[command(flatten)]
    pub common: ExperimentArgs,
}

#[derive(Debug, Args)]
pub struct TornadoArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Keys to move by ±--delta of their base value (comma-separated or repeated).
    #[arg(long = "params", value_name = "A,B,C")]
    pub params: Vec<String>,
    /// How far to move each of --params: a share such as `20%` or `0.2`.
    #[arg(long)]
    pub delta: Option<String>,
    /// A key and its own low and high value, `PATH=lo..hi` (repeatable).
    #[arg(long = "range", value_name = "PATH=LO..HI")]
    pub ranges: Vec<String>,
    /// The metric the bars measure (NAME, NAME@total or NAME@yearN);
    /// default reo_produced_t.
    #[arg(long)]
    pub metric: Option<String>,
    #[command(flatten)]
    pub common: ExperimentArgs,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The base scenario, then alternatives to compare with it; every one
    /// runs the base's seed and replications.
    #[arg(required = true, value_name = "BASE.toml [ALT.toml]...")]
    pub scenarios: Vec<PathBuf>,
    /// Values that make one more alternative: the base with these set,
    /// e.g. `--set fleet.shuttles=6` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// One more alternative of the base, its values separated by `;`, e.g.
    /// `--variant 'fleet.shuttles=6;fleet.speed_kn=14'` (repeatable: each is
    /// an alternative).
    #[arg(long = "variant", value_name = "PATH=VALUE[;PATH=VALUE]")]
    pub variants: Vec<String>,
    /// Metrics to compare (repeatable or comma-separated); default every metric.
    #[arg(long = "metric", value_name = "METRIC")]
    pub metrics: Vec<String>,
    #[command(flatten)]
    pub common: ExperimentArgs,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shards' output folders.
    #[arg(required = true, value_name = "SHARD_DIR")]
    pub dirs: Vec<PathBuf>,
    /// Where to write the merged experiment.
    #[arg(long, required = true)]
    pub out: PathBuf,
    #[command(flatten)]
    pub charts: ChartArgs,
}

/// Chart format and size.
#[derive(Debug, Args)]
pub struct ChartArgs {
    /// Chart file format.
    #[arg(long, value_enum, default_value = "both")]
    pub format: FormatArg,
    /// Chart width, px (200 to 10000).
    #[arg(long, default_value_t = 1200, allow_hyphen_values = true,
          value_parser = clap::value_parser!(u32).range(px(plot::MIN_WIDTH_PX)..=px(plot::MAX_SIDE_PX)))]
    pub width: u32,
    /// Chart height, px (150 to 10000).
    #[arg(long, default_value_t = 800, allow_hyphen_values = true,
          value_parser = clap::value_parser!(u32).range(px(plot::MIN_HEIGHT_PX)..=px(plot::MAX_SIDE_PX)))]
    pub height: u32,
}

#[derive(Debug, Args)]
pub struct PlotArgs {
    /// A run's output folder (holding annual.csv and the other CSV files).
    pub dir: PathBuf,
    #[command(flatten)]
    pub charts: ChartArgs,
}

/// Which scenario, and overrides of its values.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// Scenario TOML file; without it, the built-in default scenario.
    pub scenario: Option<PathBuf>,
    /// Override a scenario value by its dotted path, e.g.
    /// `--set mining.lift_rate_t_per_h=40` (repeatable; the value is TOML).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub run: RunFlags,
    /// Output folder; default `output/<scenario name>`.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Which replications' deliveries shipments.csv lists (it is streamed
    /// to disk, so memory stays flat either way).
    #[arg(long, value_enum, default_value = "all")]
    pub shipments: ShipmentLogArg,
    /// Add replications until the 95% CI half-width of recovered REO per
    /// year is within this share of its mean, e.g. `2%` or `0.02`.
    #[arg(long, value_name = "PERCENT", value_parser = parse_share)]
    pub target_ci: Option<f64>,
    /// Record replication REP's vessel timeline (from 1, at most the number
    /// of replications): trace.csv, and the timeline chart.
    #[arg(long, value_name = "REP", allow_hyphen_values = true,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_REPLICATIONS)))]
    pub trace: Option<u32>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub charts: ChartArgs,
}

/// `--format`: the command-line names of [`Format`], so the library
/// needs no clap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Png,
    Svg,
    Both,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Png => Format::Png,
            FormatArg::Svg => Format::Svg,
            FormatArg::Both => Format::Both,
        }
    }
}

/// `--shipments`: the command-line names of [`ShipmentLog`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShipmentLogArg {
    /// No deliveries: the file holds only its header.
    None,
    /// Replication 1's deliveries.
    First,
    /// Every replication's deliveries.
    All,
}

impl From<ShipmentLogArg> for ShipmentLog {
    fn from(log: ShipmentLogArg) -> Self {
        match log {
            ShipmentLogArg::None => ShipmentLog::None,
            ShipmentLogArg::First => ShipmentLog::First,
            ShipmentLogArg::All => ShipmentLog::All,
        }
    }
}

/// Parses `--years`: a finite number in (0, 200].
fn parse_years(text: &str) -> Result<f64, String> {
    let years: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of years"))?;
    if !years.is_finite() {
        Err(format!(
            "`{text}` is not allowed: years must be a finite number in (0, {MAX_YEARS}]"
        ))
    } else if years > 0.0 && years <= MAX_YEARS {
        Ok(years)
    } else {
        Err(format!("`{text}` must be in (0, {MAX_YEARS}] years"))
    }
}

/// Parses `--shard K/N`.
fn parse_shard(text: &str) -> Result<Shard, String> {
    Shard::parse(text).map_err(|e| e.reason)
}

/// Parses `2%` or `0.02` into a share in (0, 1).
fn parse_share(text: &str) -> Result<f64, String> {
    let (number, scale) = match text.strip_suffix('%') {
        Some(percent) => (percent, 0.01),
        None => (text, 1.0),
    };
    let share = number
        .trim()
        .parse::<f64>()
        .map_err(|_| format!("`{text}` is not a share: write e.g. 2% or 0.02"))?
        * scale;
    if share > 0.0 && share < 1.0 {
        Ok(share)
    } else {
        Err(format!("`{text}` must be between 0% and 100%, exclusive"))
    }
}
