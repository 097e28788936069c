//! Whole jobs, one function each, the way cargo's `ops` serve its
//! subcommands: a caller (the binary, or a script using the library) builds
//! an options struct, calls one, and presents what it returns.

pub mod experiment;
mod experiment_charts;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;

use crate::experiment::run::{RunOptions, RunOutput, run};
use crate::output::folder::Staged;
use crate::output::shipments::{self, ShipmentsCsv};
use crate::output::{self, Inputs, Timing, trace};
use crate::plot::{self, Format};
use crate::scenario::Scenario;

/// Chart format and size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Charts {
    pub format: Format,
    pub width_px: u32,
    pub height_px: u32,
}

/// How to run a scenario into a folder.
#[derive(Clone, Debug)]
pub struct FolderOptions {
    /// The output folder.
    pub out: PathBuf,
    /// Threads, shipment log, precision target.
    pub run: RunOptions,
    pub charts: Charts,
}

/// What [`run_to_folder`] did.
#[derive(Clone, Debug)]
pub struct FolderRun {
    /// The output folder.
    pub out: PathBuf,
    /// Every file written, in the output folder.
    pub written: Vec<PathBuf>,
    pub output: RunOutput,
    pub timing: Timing,
}

/// The default output folder of a scenario: `output/<scenario name>`.
pub fn default_folder(scenario: &Scenario) -> PathBuf {
    Path::new("output").join(folder_name(&scenario.scenario.name))
}

/// Runs the replications of `scenario`, writes the result files, draws the
/// charts and writes the report into `options.out`, replacing that folder
/// as a whole or not at all ([`Staged`]); calls `progress` after each
/// replication. An unusable `out`, or a trace of a replication the run does
/// not have, is refused before anything runs.
pub fn run_to_folder(
    scenario: &Scenario,
    options: &FolderOptions,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<FolderRun> {
    options.run.check(scenario)?;
    let mut owned = output::file_names();
    owned.extend(plot::file_names());
    let staged = Staged::create(&options.out, &owned)?;
    let out = staged.path();
    let shipments_path = out.join(shipments::FILE_NAME);
    let mut shipments = ShipmentsCsv::create(&shipments_path)?;
    let started = Instant::now();
    let result =
        run(scenario, &options.run, progress, &mut shipments).context("simulation failed")?;
    let wall_s = started.elapsed().as_secs_f64();
    shipments
        .finish_file()
        .with_context(|| format!("writing {}", shipments_path.display()))?;
    let charts = &options.charts;
    let inputs = Inputs {
        run: &result,
        chart_extension: charts.format.report_extension(),
    };
    let mut written = vec![shipments_path];
    written.extend(output::write_results(out, &inputs)?);
    if let Some(recorded) = &result.trace {
        written.push(trace::write(out, recorded)?);
    }
    written.extend(plot::draw_all(
        out,
        charts.format,
        charts.width_px,
        charts.height_px,
    )?);
    let timing = Timing {
        wall_s,
        events: result.events,
        events_per_s: result.events as f64 / wall_s.max(1e-9),
        threads: match options.run.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        },
        peak_resident_kib: output::peak_resident_kib(),
    };
    written.push(output::write_timing(out, &timing)?);
    let written = written.iter().map(|p| staged.final_path(p)).collect();
    Ok(FolderRun {
        out: staged.commit()?,
        written,
        output: result,
        timing,
    })
}

/// A folder name from a scenario name: letters, digits, `-` and `_` kept,
/// anything else becomes `_`.
pub(crate) fn folder_name(name: &str) -> String {
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
