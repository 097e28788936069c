//! Running an experiment's points: every (point, replication) pair is one
//! job on a shared thread pool, so a sweep costs what its replications
//! cost, with no start-up per point. Replication r of every point uses
//! the same seed and replication number, hence the same random streams
//! (common random numbers). A point is handed on, with each replication's
//! metric values, as soon as its last replication finishes.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::selector::Selector;
use crate::model::{SimError, run_replication};
use crate::scenario::Scenario;

/// One point to run.
#[derive(Clone, Copy, Debug)]
pub struct Job<'a> {
    /// The point's index in its experiment.
    pub point: usize,
    pub scenario: &'a Scenario,
}

/// A finished point: `values[r][m]` is selector m's value in replication
/// r (NaN where undefined).
#[derive(Clone, Debug, PartialEq)]
pub struct Finished {
    pub point: usize,
    pub values: Vec<Vec<f64>>,
}

/// How [`run_points`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ran {
    /// Events processed by the replications that ran.
    pub events: u64,
    /// Whether `stop` was raised before every point finished.
    pub interrupted: bool,
}

/// An error that stops the points.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    #[error("replication {replication} of point {point}")]
    Simulation {
        /// From 1.
        point: usize,
        /// From 1.
        replication: u64,
        #[source]
        source: SimError,
    },
    #[error("recording a finished point")]
    Record(#[source] std::io::Error),
    #[error("cannot start worker threads: {0}")]
    Threads(String),
}

/// What every point runs: replications 0 … `replications` − 1 of `seed`,
/// measured by `selectors`, on `threads` threads (0: one per core).
#[derive(Clone, Copy, Debug)]
pub struct Batch<'a> {
    pub seed: u64,
    pub replications: u32,
    pub selectors: &'a [Selector],
    pub threads: usize,
}

/// Per point: each replication's values once run, and how many are.
struct Slot {
    values: Vec<Option<Vec<f64>>>,
    done: u32,
}

/// Runs `batch` on every job, calling `progress` after each replication and `finished` with each point as it completes (in no fixed
/// order; callers that need one sort). Once `stop` is raised no new
/// replication starts; the points already complete have been handed on.
pub fn run_points(
    jobs: &[Job],
    batch: Batch,
    progress: &(dyn Fn() + Sync),
    stop: &AtomicBool,
    finished: &mut (dyn FnMut(Finished) -> std::io::Result<()> + Send),
) -> Result<Ran, BatchError> {
    let Batch {
        seed,
        replications,
        selectors,
        threads,
    } = batch;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| BatchError::Threads(e.to_string()))?;
    let reps = replications as usize;
    let slots: Vec<Mutex<Slot>> = jobs
        .iter()
        .map(|_| {
            Mutex::new(Slot {
                values: Vec::new(),
                done: 0,
            })
        })
        .collect();
    let sink = Mutex::new(finished);
    let events = std::sync::atomic::AtomicU64::new(0);
    let total = jobs.len() * reps;
    let result: Result<(), BatchError> = pool.install(|| {
        (0..total).into_par_iter().try_for_each(|task| {
            if stop.load(Ordering::Relaxed) {
                return Ok(());
            }
            let (index, replication) = (task / reps, task % reps);
            let job = jobs[index];
            let rep =
                run_replication(job.scenario, seed, replication as u64).map_err(|source| {
                    stop.store(true, Ordering::Relaxed);
                    BatchError::Simulation {
                        point: job.point + 1,
                        replication: replication as u64 + 1,
                        source,
                    }
                })?;
            events.fetch_add(rep.events, Ordering::Relaxed);
            let values: Vec<f64> = selectors
                .iter()
                .map(|selector| selector.value(&rep, job.scenario))
                .collect();
            drop(rep);
            progress();
            let complete = {
                let mut slot = slots[index].lock().unwrap_or_else(|e| e.into_inner());
                // Allocated when the point's first replication ends, so
                // memory holds the points in flight, not every point.
                if slot.values.is_empty() {
                    slot.values = vec![None; reps];
                }
                slot.values[replication] = Some(values);
                slot.done += 1;
                (slot.done == replications).then(|| {
                    std::mem::take(&mut slot.values)
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                })
            };
            if let Some(values) = complete {
                let mut sink = sink.lock().unwrap_or_else(|e| e.into_inner());
                (*sink)(Finished {
                    point: job.point,
                    values,
                })
                .map_err(|error| {
                    stop.store(true, Ordering::Relaxed);
                    BatchError::Record(error)
                })?;
            }
            Ok(())
        })
    });
    result?;
    let complete = slots.iter().all(|slot| {
        let slot = slot.lock().unwrap_or_else(|e| e.into_inner());
        slot.done == replications
    });
    Ok(Ran {
        events: events.into_inner(),
        interrupted: !complete,
    })
}
