//! The deepmud binary: parse the command line, call the library, map errors
//! to exit codes (2: bad input, 1: anything else).

mod cli;

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use deepmud::experiment::plan::{Base, PlanError, Variant};
use deepmud::experiment::run::{RunOptions, TraceReplicationError};
use deepmud::ops::experiment::{ExperimentFolderError, MergeError};
use deepmud::output::folder::FolderError;
use deepmud::output::journal::JournalError;
use deepmud::plot::RunFileError;
use deepmud::scenario::ScenarioError;
use deepmud::{commands, ops};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => commands::run(&commands::RunRequest {
            scenario: args.scenario.scenario,
            overrides: with_flags(args.scenario.set, &args.run),
            out: args.out,
            quiet: args.quiet,
            options: RunOptions {
                threads: args.run.threads,
                shipments: args.shipments.into(),
                target_ci: args.target_ci,
                trace: args.trace,
            },
            charts: charts(&args.charts),
        }),
        Command::Check(args) => commands::check(args.scenario.as_deref(), &args.set),
        Command::Metrics => commands::metrics(),
        Command::Plot(args) => commands::plot(&args.dir, &charts(&args.charts)),
        Command::Sweep(args) => commands::sweep(
            &base(args.scenario.scenario, args.scenario.set, &args.common),
            &args.vary,
            &args.design,
            &args.metrics,
            &experiment(&args.common),
        ),
        Command::Tornado(args) => commands::tornado(
            &base(args.scenario.scenario, args.scenario.set, &args.common),
            &args.params,
            args.delta.as_deref(),
            &args.ranges,
            args.metric.as_deref(),
            &experiment(&args.common),
        ),
        Command::Compare(args) => {
            let mut scenarios = args.scenarios.into_iter();
            let first = scenarios.next();
            let alternatives: Vec<PathBuf> = scenarios.collect();
            let mut variants = Vec::new();
            if !args.set.is_empty() {
                variants.push(Variant {
                    flag: "--set",
                    set: args.set,
                });
            }
            variants.extend(args.variants.iter().map(|text| {
                Variant {
                    flag: "--variant",
                    set: text
                        .split(';')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                }
            }));
            commands::compare(
                &base(first, Vec::new(), &args.common),
                &alternatives,
                &variants,
                &args.metrics,
                &experiment(&args.common),
            )
        }
        Command::Merge(args) => commands::merge(&args.dirs, &args.out, &charts(&args.charts)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Whoever reads stdout has stopped (`| head`): not an error.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) if error.is::<commands::Interrupted>() => {
            eprintln!("{error}");
            ExitCode::from(130)
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            if is_bad_input(&error) {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// Whether `error` is the user's input: a scenario, an output folder that
/// cannot be used, a trace of a replication the run does not have, or a
/// run's files `plot` cannot draw from (exit code 2).
fn is_bad_input(error: &anyhow::Error) -> bool {
    error.chain().any(|c| {
        c.is::<ScenarioError>()
            || c.is::<FolderError>()
            || c.is::<TraceReplicationError>()
            || c.is::<RunFileError>()
            || c.is::<PlanError>()
            || c.is::<ExperimentFolderError>()
            || c.is::<MergeError>()
            || c.is::<JournalError>()
    })
}

/// Whether `error` comes from writing to a reader that has gone away.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn charts(args: &cli::ChartArgs) -> ops::Charts {
    ops::Charts {
        format: args.format.into(),
        width_px: args.width,
        height_px: args.height,
    }
}

/// `--reps`, `--seed` and `--years` are overrides like `--set`, validated
/// the same way.
fn with_flags(mut overrides: Vec<String>, flags: &cli::RunFlags) -> Vec<String> {
    if let Some(reps) = flags.reps {
        overrides.push(format!("scenario.replications={reps}"));
    }
    if let Some(seed) = flags.seed {
        overrides.push(format!("scenario.seed={seed}"));
    }
    if let Some(years) = flags.years {
        overrides.push(format!("scenario.years={years:?}"));
    }
    overrides
}

/// A base scenario with its `--set` values and the flags that are overrides.
fn base(file: Option<PathBuf>, set: Vec<String>, common: &cli::ExperimentArgs) -> Base {
    Base {
        file,
        set: with_flags(set, &common.run),
    }
}

fn experiment(common: &cli::ExperimentArgs) -> commands::ExperimentRequest {
    commands::ExperimentRequest {
        out: common.out.clone(),
        threads: common.run.threads,
        resume: common.resume,
        restart: common.restart,
        shard: common.shard,
        quiet: common.quiet,
        charts: charts(&common.charts),
    }
}
