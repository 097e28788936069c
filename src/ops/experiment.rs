//! Experiments run into a folder: a sweep, tornado or comparison, resumable
//! and shardable, and the merge of shards.
//!
//! While it runs, an experiment keeps its manifest and journal in a work
//! folder beside the output folder, `<out>.partial/`, each finished point
//! appended and flushed. Once every point it owns is done, the result files
//! are written into a staged folder swapped in for `<out>` as a whole
//! ([`Staged`]), and the work folder is removed: a killed run leaves the
//! previous results whole and its finished points in the work folder, and
//! `--resume` runs only the rest. A shard (`--shard K/N`) writes only its
//! manifest and `replications.csv`; `merge` joins shards into the files of
//! a whole run.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::Context;

use super::Charts;
use crate::experiment::analysis::{self, Values};
use crate::experiment::batch::{Batch, Job, run_points};
use crate::experiment::design::DesignError;
use crate::experiment::plan::{Kind, Manifest, Plan, PlanError, Shard};
use crate::output::experiment as files;
use crate::output::folder::{self, FolderError, Staged};
use crate::output::journal::{self, Journal};
use crate::output::{self, write_atomic};

/// The most metric values (points × replications × metrics) one run
/// holds: 8 bytes each.
pub const MAX_VALUES: u64 = 100_000_000;

/// The manifest's file name.
pub const MANIFEST: &str = "sweep.json";

/// The file `timing.json` of an experiment: wall-clock facts, kept out of
/// the result files.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct ExperimentTiming {
    pub wall_s: f64,
    /// Points and replications run by this invocation (not those resumed).
    pub points: usize,
    pub replications: u64,
    pub events: u64,
    pub points_per_s: f64,
    pub replications_per_s: f64,
    pub events_per_s: f64,
    pub threads: usize,
}

/// How to run an experiment into a folder.
#[derive(Clone, Debug)]
pub struct ExperimentOptions {
    pub out: PathBuf,
    /// Worker threads; 0 is one per core. Results do not depend on it.
    pub threads: usize,
    /// Continue the unfinished experiment in the work folder.
    pub resume: bool,
    /// Discard an unfinished experiment in the work folder and start again.
    pub restart: bool,
    pub shard: Option<Shard>,
    pub charts: Charts,
}

/// How an experiment run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Every point is done and the result files are written.
    Complete,
    /// This shard's points are done; `merge` joins the shards.
    ShardDone,
    /// Stopped (Ctrl-C) with points left; `--resume` continues.
    Interrupted,
}

/// What [`run_experiment`] or [`merge`] did.
#[derive(Clone, Debug)]
pub struct ExperimentDone {
    pub status: Status,
    /// The output folder (the work folder when interrupted).
    pub out: PathBuf,
    pub written: Vec<PathBuf>,
    /// Points this run owns, and how many of them are done.
    pub owned: usize,
    pub done: usize,
    /// The table to print: the sweep, tornado or comparison.
    pub table: String,
    pub timing: Option<ExperimentTiming>,
}

/// The folder an experiment keeps its manifest and journal in while it
/// runs: `<out>.partial` beside the output folder.
pub fn work_folder(out: &Path) -> PathBuf {
    let mut name = out.file_name().map_or_else(
        || std::ffi::OsString::from("experiment"),
        std::ffi::OsStr::to_os_string,
    );
    name.push(".partial");
    out.with_file_name(name)
}

/// An experiment folder that cannot be used as asked; found before
/// anything runs.
#[derive(Debug, thiserror::Error)]
#[error("{}: {problem}", path.display())]
pub struct ExperimentFolderError {
    pub path: PathBuf,
    pub problem: String,
}

/// The default output folder: `output/<scenario name>-<kind>`.
pub fn default_folder(plan: &Plan) -> PathBuf {
    let manifest = &plan.manifest;
    let name = manifest
        .scenarios
        .first()
        .map_or("scenario", |s| s.name.as_str());
    let kind = manifest.kind.name();
    Path::new("output").join(format!("{}-{kind}", super::folder_name(name)))
}

/// A manifest from its file: `None` when it is missing, unreadable or not
/// consistent ([`Manifest::check`]).
fn read_manifest(path: &Path) -> Option<Manifest> {
    let manifest: Manifest = serde_json::from_str(&fs::read_to_string(path).ok()?).ok()?;
    manifest.check().ok()?;
    Some(manifest)
}

fn manifest_bytes(manifest: &Manifest) -> anyhow::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(manifest)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Runs `plan` into `options.out`; calls `start` with the number of
/// replications to run once the finished points are known, `progress`
/// after each, and stops starting new ones once `stop` is raised.
pub fn run_experiment(
    plan: &Plan,
    options: &ExperimentOptions,
    start: &dyn Fn(u64),
    progress: &(dyn Fn() + Sync),
    stop: &AtomicBool,
) -> anyhow::Result<ExperimentDone> {
    let mut manifest = plan.manifest.clone();
    // One shard of one is the whole experiment.
    manifest.shard = options.shard.filter(|shard| shard.count > 1);
    let out = folder::resolve(&options.out).map_err(|error| FolderError {
        path: options.out.clone(),
        problem: error.to_string(),
    })?;
    let work = work_folder(&out);
    let refuse = |problem: String| ExperimentFolderError {
        path: work.clone(),
        problem,
    };
    let journal_path = work.join(journal::FILE_NAME);
    let manifest_path = work.join(MANIFEST);
    check_held(&manifest)?;
    check_work_folder(&work)?;
    // A work folder without a manifest is a start killed before any point
    // was recorded: nothing to keep. A manifest that cannot be read beside
    // recorded points is not discarded unasked.
    let unfinished = read_manifest(&manifest_path);
    // Rows after the journal's own header line.
    let recorded = fs::read_to_string(&journal_path).is_ok_and(|text| {
        text.split_once('\n')
            .is_some_and(|(_, rows)| !rows.is_empty())
    });
    if unfinished.is_none() && manifest_path.exists() && recorded && !options.restart {
        return Err(refuse(format!(
            "holds recorded points, but its {MANIFEST} cannot be read (edited, or written by \
             another deepmud version): --restart discards them"
        ))
        .into());
    }
    // The output folder must be one a run may replace: checked now, so a
    // long experiment does not fail at its end.
    check_replaceable(&out, &manifest)?;
    let (mut journal, mut values) = match unfinished {
        Some(found) if options.resume => {
            if !same_experiment(&found, &manifest) {
                return Err(refuse(format!(
                    "holds an unfinished experiment planned differently ({}); run the command \
                     that started it with --resume, or --restart to discard it",
                    first_difference(&found, &manifest)
                ))
                .into());
            }
            Journal::resume(
                &journal_path,
                &manifest.metrics,
                manifest.replications,
                &|p| manifest.owns(p),
            )?
        }
        Some(found) if !options.restart => {
            let done = Journal::resume(&journal_path, &found.metrics, found.replications, &|p| {
                found.owns(p)
            })
            .map_or(0, |(_, values)| values.len());
            return Err(refuse(format!(
                "holds an unfinished experiment ({done} points done): --resume continues it, \
                 --restart discards it"
            ))
            .into());
        }
        _ => {
            if options.resume && !work.exists() {
                return Err(refuse(
                    "there is no unfinished experiment to resume (run without --resume)".into(),
                )
                .into());
            }
            let here = std::env::current_dir().and_then(fs::canonicalize);
            if let (Ok(here), Ok(work)) = (here, fs::canonicalize(&work))
                && here.starts_with(&work)
            {
                return Err(refuse(
                    "is the current folder or holds it, and starting again removes it".into(),
                )
                .into());
            }
            if work.exists() {
                fs::remove_dir_all(&work)
                    .with_context(|| format!("removing the unfinished {}", work.display()))?;
            }
            fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
            write_atomic(&manifest_path, &manifest_bytes(&manifest)?)?;
            let journal = Journal::create(&journal_path, &manifest.metrics)
                .with_context(|| format!("creating {}", journal_path.display()))?;
            (journal, Values::new())
        }
    };
    let owned = manifest.owned_points();
    let jobs: Vec<Job> = owned
        .iter()
        .filter(|point| !values.contains_key(point))
        .map(|&point| {
            let scenario = plan.scenarios.get(point).and_then(Option::as_ref);
            scenario
                .map(|scenario| Job { point, scenario })
                .with_context(|| format!("point {} of the plan was not loaded", point + 1))
        })
        .collect::<anyhow::Result<_>>()?;
    start(jobs.len() as u64 * u64::from(manifest.replications));
    let started = Instant::now();
    let mut finished = Vec::new();
    let ran = run_points(
        &jobs,
        Batch {
            seed: manifest.seed,
            replications: manifest.replications,
            selectors: &plan.selectors,
            threads: options.threads,
        },
        progress,
        stop,
        &mut |point| {
            journal.append(&point)?;
            finished.push(point);
            Ok(())
        },
    )
    .context("simulation failed")?;
    let wall_s = started.elapsed().as_secs_f64();
    let points_run = finished.len();
    for point in finished {
        values.insert(point.point, point.values);
    }
    let done = owned.iter().filter(|p| values.contains_key(p)).count();
    if ran.interrupted {
        return Ok(ExperimentDone {
            status: Status::Interrupted,
            out: work,
            written: Vec::new(),
            owned: owned.len(),
            done,
            table: String::new(),
            timing: None,
        });
    }
    let replications = points_run as u64 * u64::from(manifest.replications);
    let per_s = |n: f64| n / wall_s.max(1e-9);
    let timing = ExperimentTiming {
        wall_s,
        points: points_run,
        replications,
        events: ran.events,
        points_per_s: per_s(points_run as f64),
        replications_per_s: per_s(replications as f64),
        events_per_s: per_s(ran.events as f64),
        threads: match options.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        },
    };
    let (written, table, out) = write_folder(
        &options.out,
        &manifest,
        &values,
        options.charts,
        Some(&timing),
    )?;
    fs::remove_dir_all(&work).with_context(|| format!("removing {}", work.display()))?;
    Ok(ExperimentDone {
        status: if manifest.shard.is_some() {
            Status::ShardDone
        } else {
            Status::Complete
        },
        out,
        written,
        owned: owned.len(),
        done,
        table,
        timing: Some(timing),
    })
}

/// Refuses an experiment whose values (points × replications × metrics)
/// would not fit in memory; before anything is created.
fn check_held(manifest: &Manifest) -> Result<(), PlanError> {
    let owned = manifest.owned_points().len() as u64;
    let held = owned * u64::from(manifest.replications) * manifest.metrics.len() as u64;
    if held <= MAX_VALUES {
        return Ok(());
    }
    Err(PlanError::from(DesignError {
        flag: "--reps",
        text: manifest.replications.to_string(),
        reason: format!(
            "{owned} points × {} replications × {} metrics is {held} values to hold, more than \
             {MAX_VALUES} (0.8 GB): fewer replications, points or metrics, or --shard K/N",
            manifest.replications,
            manifest.metrics.len()
        ),
    }))
}

/// Refuses a work folder holding anything deepmud does not write there, so
/// that discarding it never deletes a user's files.
fn check_work_folder(work: &Path) -> Result<(), ExperimentFolderError> {
    let Ok(entries) = fs::read_dir(work) else {
        return Ok(());
    };
    let foreign: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            let ours = [MANIFEST, journal::FILE_NAME];
            // `write_atomic`'s temporary files: `.<name>.<pid>.tmp`.
            let temporary = ours.iter().any(|file| {
                name.strip_prefix(&format!(".{file}."))
                    .and_then(|rest| rest.strip_suffix(".tmp"))
                    .is_some_and(|pid| pid.chars().all(|c| c.is_ascii_digit()))
            });
            !ours.contains(&name.as_str()) && !temporary
        })
        .collect();
    if foreign.is_empty() {
        Ok(())
    } else {
        Err(ExperimentFolderError {
            path: work.to_path_buf(),
            problem: format!(
                "holds files deepmud does not write ({}): move them, or choose another --out",
                foreign.join(", ")
            ),
        })
    }
}

/// Whether two manifests plan the same experiment: the same points, each
/// with the same resolved scenario (its digest), however the scenario
/// files were named or the replications asked for.
fn same_experiment(a: &Manifest, b: &Manifest) -> bool {
    let key = |m: &Manifest| Manifest {
        scenarios: Vec::new(),
        ..m.clone()
    };
    key(a) == key(b)
}

/// The first field in which two manifests differ, for messages.
fn first_difference(found: &Manifest, wanted: &Manifest) -> String {
    let fields = [
        ("kind", found.kind != wanted.kind),
        ("design", found.design != wanted.design),
        ("seed", found.seed != wanted.seed),
        ("replications", found.replications != wanted.replications),
        ("metrics", found.metrics != wanted.metrics),
        ("parameters", found.parameters != wanted.parameters),
        ("shard", found.shard != wanted.shard),
        (
            "deepmud_version",
            found.deepmud_version != wanted.deepmud_version,
        ),
    ];
    match fields.iter().find(|(_, differs)| *differs) {
        Some((field, _)) => format!("the {field} differ"),
        None => "their points differ (a scenario file edited since changes its points' digests)"
            .to_string(),
    }
}

/// Every file an experiment's folder may hold for `manifest`.
fn owned_names(manifest: &Manifest) -> Vec<String> {
    let mut names = vec![
        MANIFEST.to_string(),
        journal::FILE_NAME.to_string(),
        output::TIMING_FILE.to_string(),
    ];
    names.extend(files::file_names(manifest.kind));
    for stem in super::experiment_charts::stems(manifest) {
        for extension in ["png", "svg"] {
            names.push(format!("{stem}.{extension}"));
        }
    }
    names
}

/// Refuses an output folder holding files an experiment does not write.
fn check_replaceable(out: &Path, manifest: &Manifest) -> Result<(), FolderError> {
    let names = replaceable_names(out, manifest);
    Staged::create(out, &names).map(drop)
}

/// The files a run may replace in `out`: this experiment's, and those of
/// the experiment already there.
fn replaceable_names(out: &Path, manifest: &Manifest) -> Vec<String> {
    let mut names = owned_names(manifest);
    if let Some(previous) = read_manifest(&out.join(MANIFEST)) {
        names.extend(owned_names(&previous));
    }
    names
}

/// Writes the result files of `manifest` with `values` into a staged
/// folder swapped in for `out`; returns the files written, the table to
/// print and the folder.
fn write_folder(
    out: &Path,
    manifest: &Manifest,
    values: &Values,
    charts: Charts,
    timing: Option<&ExperimentTiming>,
) -> anyhow::Result<(Vec<PathBuf>, String, PathBuf)> {
    let staged = Staged::create(out, &replaceable_names(out, manifest))?;
    let dir = staged.path().to_path_buf();
    let mut written = Vec::new();
    let mut write = |name: &str, bytes: &[u8]| -> anyhow::Result<()> {
        let path = dir.join(name);
        write_atomic(&path, bytes)?;
        written.push(path);
        Ok(())
    };
    write(MANIFEST, &manifest_bytes(manifest)?)?;
    write(
        journal::FILE_NAME,
        journal::render(&manifest.metrics, values).as_bytes(),
    )?;
    if let Some(timing) = timing {
        let mut bytes = serde_json::to_vec_pretty(timing)?;
        bytes.push(b'\n');
        write(output::TIMING_FILE, &bytes)?;
    }
    let mut table = String::new();
    if manifest.shard.is_none() {
        let summaries = analysis::point_summaries(manifest, values);
        match manifest.kind {
            Kind::Sweep => {
                write("sweep.csv", &files::sweep_csv(manifest, &summaries)?)?;
                if let Some(measures) = analysis::sweep_sensitivity(manifest, &summaries) {
                    write(
                        "sensitivity.csv",
                        &files::sensitivity_csv(manifest, &measures)?,
                    )?;
                    table = files::sensitivity_table(manifest, &measures);
                } else {
                    table = files::sweep_table(manifest, &summaries);
                }
            }
            Kind::Tornado => {
                let tornado = analysis::tornado(manifest, values);
                write("tornado.csv", &files::tornado_csv(manifest, &tornado)?)?;
                table = files::tornado_table(manifest, &tornado);
            }
            Kind::Compare => {
                let alternatives = analysis::compare(manifest, values);
                write("compare.csv", &files::compare_csv(manifest, &alternatives)?)?;
                table = files::compare_markdown(manifest, &alternatives);
                write("compare.md", table.as_bytes())?;
            }
        }
        written.extend(super::experiment_charts::draw(
            &dir, manifest, values, charts,
        )?);
    }
    let written = written.iter().map(|p| staged.final_path(p)).collect();
    let out = staged.commit()?;
    Ok((written, table, out))
}

/// A shard folder `merge` cannot use.
#[derive(Debug, thiserror::Error)]
#[error("merge: {problem}")]
pub struct MergeError {
    pub problem: String,
}

/// Joins the shard folders `dirs` into `out`: the files a whole run of the
/// same experiment writes, byte for byte.
pub fn merge(dirs: &[PathBuf], out: &Path, charts: Charts) -> anyhow::Result<ExperimentDone> {
    let refuse = |problem: String| MergeError { problem };
    let target = folder::resolve(out).and_then(fs::canonicalize).ok();
    if let Some(input) = dirs
        .iter()
        .find(|dir| target.is_some() && fs::canonicalize(dir).ok() == target)
        .filter(|_| dirs.len() > 1)
    {
        return Err(refuse(format!(
            "--out {} is one of the shards merged ({}): choose another folder",
            out.display(),
            input.display()
        ))
        .into());
    }
    let mut merged: Option<Manifest> = None;
    let mut values = Values::new();
    let mut shards: Vec<(usize, usize, &Path)> = Vec::new();
    for dir in dirs {
        if work_folder(dir).exists() {
            return Err(refuse(format!(
                "{} is unfinished ({} holds its progress): finish it with --resume",
                dir.display(),
                work_folder(dir).display()
            ))
            .into());
        }
        let manifest = read_manifest(&dir.join(MANIFEST)).ok_or_else(|| {
            refuse(format!(
                "{} has no readable {MANIFEST}: not the folder of a finished shard",
                dir.display()
            ))
        })?;
        let shard = manifest.shard.unwrap_or(Shard { index: 1, count: 1 });
        let whole = Manifest {
            shard: None,
            ..manifest.clone()
        };
        match &merged {
            None => merged = Some(whole),
            Some(first) if !same_experiment(first, &whole) => {
                return Err(refuse(format!(
                    "{} is a shard of a different experiment than {} ({})",
                    dir.display(),
                    shards[0].2.display(),
                    first_difference(&whole, first)
                ))
                .into());
            }
            // The merged manifest is shard 1's (or the lowest given), so
            // the order of the folders does not matter.
            Some(_) if shards.iter().all(|(index, _, _)| shard.index < *index) => {
                merged = Some(whole);
            }
            Some(_) => {}
        }
        if let Some((_, count, other)) = shards.iter().find(|(_, n, _)| *n != shard.count) {
            return Err(refuse(format!(
                "{} is a shard of {}, {} of {}: the shards of one run share N",
                other.display(),
                count,
                dir.display(),
                shard.count
            ))
            .into());
        }
        if let Some(&(_, _, twin)) = shards
            .iter()
            .find(|(i, n, _)| *i == shard.index && *n == shard.count)
        {
            return Err(refuse(format!(
                "{} and {} are both shard {}/{}",
                twin.display(),
                dir.display(),
                shard.index,
                shard.count
            ))
            .into());
        }
        shards.push((shard.index, shard.count, dir));
        let shard_values = journal::read(
            &dir.join(journal::FILE_NAME),
            &manifest.metrics,
            manifest.replications,
            &|point| manifest.owns(point),
        )?;
        let expected = manifest.owned_points().len();
        if shard_values.len() != expected {
            return Err(refuse(format!(
                "{} holds {} of its shard's {expected} points",
                dir.display(),
                shard_values.len()
            ))
            .into());
        }
        values.extend(shard_values);
    }
    let manifest = merged.ok_or_else(|| refuse("no shard folders given".into()))?;
    let missing: Vec<String> = (0..manifest.points.len())
        .filter(|p| !values.contains_key(p))
        .map(|p| (p + 1).to_string())
        .collect();
    if !missing.is_empty() {
        let counts: Vec<usize> = shards.iter().map(|s| s.1).collect();
        return Err(refuse(format!(
            "{} of {} points are missing (points {}); the folders hold shards {} of {}",
            missing.len(),
            manifest.points.len(),
            abbreviate(&missing),
            shards
                .iter()
                .map(|(i, _, _)| i.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            counts.first().copied().unwrap_or(1)
        ))
        .into());
    }
    let (written, table, out) = write_folder(out, &manifest, &values, charts, None)?;
    Ok(ExperimentDone {
        status: Status::Complete,
        out,
        written,
        owned: manifest.points.len(),
        done: manifest.points.len(),
        table,
        timing: None,
    })
}

/// The first few of a list, then "…".
fn abbreviate(items: &[String]) -> String {
    if items.len() <= 8 {
        items.join(", ")
    } else {
        format!("{}, …", items[..8].join(", "))
    }
}

/// Redraws an experiment folder's files from its manifest and
/// `replications.csv`, in place, keeping its `timing.json`.
pub fn redraw(dir: &Path, charts: Charts) -> anyhow::Result<ExperimentDone> {
    if let Some(shard) = read_manifest(&dir.join(MANIFEST)).and_then(|m| m.shard) {
        return Err(ExperimentFolderError {
            path: dir.to_path_buf(),
            problem: format!(
                "holds shard {}/{} of an experiment, which has no charts: `deepmud merge` \
                 the shards, then plot the merged folder",
                shard.index, shard.count
            ),
        }
        .into());
    }
    let timing_path = dir.join(output::TIMING_FILE);
    let timing = fs::read(&timing_path).ok();
    let mut done = merge(&[dir.to_path_buf()], dir, charts)?;
    if let Some(bytes) = timing {
        write_atomic(&timing_path, &bytes)?;
        done.written.push(timing_path);
    }
    Ok(done)
}

/// Whether `dir` holds an experiment (its manifest).
pub fn is_experiment(dir: &Path) -> bool {
    dir.join(MANIFEST).is_file()
}
