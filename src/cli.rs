//! The command-line interface: clap definitions of every subcommand.

use std::path::PathBuf;

use clap::builder::RangedU64ValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};
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
    /// Number of replications, 1 to 1000000 (overrides `scenario.replications`).
    #[arg(long, allow_hyphen_values = true,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_REPLICATIONS)))]
    pub reps: Option<u32>,
    /// Random seed (overrides `scenario.seed`); TOML integers stop at 2^63 − 1.
    #[arg(long, allow_hyphen_values = true,
          value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    pub seed: Option<u64>,
    /// Simulated years, more than 0 and at most 200 (overrides `scenario.years`).
    #[arg(long, allow_hyphen_values = true, value_parser = parse_years)]
    pub years: Option<f64>,
    /// Output folder; default `output/<scenario name>`.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads, 1 to 1024; 0 (the default) is one per core. Results
    /// do not depend on it.
    #[arg(long, default_value_t = 0, allow_hyphen_values = true,
          value_parser = RangedU64ValueParser::<usize>::new().range(0..=MAX_THREADS))]
    pub threads: usize,
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
