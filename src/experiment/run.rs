//! Running a scenario's replications and aggregating them: per-year and
//! horizon statistics across replications, time budgets, queues; the
//! shipment log is streamed out, not held.

use super::metrics::{ANNUAL_METRICS, Figures, Metric};
use rayon::prelude::*;

use crate::model::{
    HubShipState, QueueRecord, Replication, Shipment, ShuttleState, SimError, SystemState,
    run_replication,
};
use crate::scenario::Scenario;
use crate::stats::budget::TimeBudget;
use crate::stats::summary::{MeanVar, Summary, percentile_sorted};

/// One metric in one year, across replications.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnualRow {
    /// Simulated year, from 1.
    pub year: usize,
    pub metric: Metric,
    pub summary: Summary,
}

/// Mean hours in one state in one year, per unit type.
#[derive(Clone, Debug, PartialEq)]
pub struct BudgetRow {
    pub unit_type: &'static str,
    /// Simulated year, from 1.
    pub year: usize,
    pub state: &'static str,
    /// Hours summed over the units of this type, mean across replications.
    pub hours: f64,
    /// Share of the unit type's hours in that year.
    pub share: f64,
}

/// A queue's statistics across replications.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueReport {
    pub name: &'static str,
    /// Time-averaged number of ships waiting, one value per replication.
    pub mean_length: Summary,
    /// Ships served (those served on arrival count with a zero wait), over
    /// all replications.
    pub ships: u64,
    /// Each replication's mean wait and 90th-percentile wait, h (over the
    /// replications that served a ship).
    pub mean_wait_h: Summary,
    pub p90_wait_h: Summary,
}

/// Per-replication queue figures: a few numbers each, so memory stays flat
/// however many replications run.
#[derive(Clone, Debug, Default)]
struct QueueSamples {
    lengths: Vec<f64>,
    mean_waits: Vec<f64>,
    p90_waits: Vec<f64>,
    ships: u64,
}

impl QueueSamples {
    fn add(&mut self, record: &QueueRecord) {
        self.lengths.push(record.mean_length);
        if !record.waits_h.is_empty() {
            let mut waits = record.waits_h.clone();
            waits.sort_by(f64::total_cmp);
            let mean: MeanVar = waits.iter().copied().collect();
            self.mean_waits.push(mean.mean());
            self.p90_waits.push(percentile_sorted(&waits, 0.9));
            self.ships += waits.len() as u64;
        }
    }

    fn report(&self, name: &'static str) -> QueueReport {
        QueueReport {
            name,
            mean_length: Summary::of(&self.lengths),
            ships: self.ships,
            mean_wait_h: Summary::of(&self.mean_waits),
            p90_wait_h: Summary::of(&self.p90_waits),
        }
    }
}

/// A delivery, tagged with its replication (from 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ShipmentRow {
    pub replication: u64,
    pub shipment: Shipment,
}

/// The mass balance check of a run: the largest imbalance seen.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MassCheck {
    /// max over replications of |lifted − delivered − still held − water
    /// removed| ([`crate::model::MassBalance::imbalance_t`]), t.
    pub max_imbalance_t: f64,
}

/// Everything a run reports.
#[derive(Clone, Debug)]
pub struct RunOutput {
    pub scenario: Scenario,
    pub replications: usize,
    pub annual: Vec<AnnualRow>,
    /// Horizon values (annual rates) of each metric, across replications.
    pub kpis: Vec<(Metric, Summary)>,
    pub time_budget: Vec<BudgetRow>,
    pub queues: Vec<QueueReport>,
    /// Weather downtime share per calendar month (0 = January): hours with
    /// Hs at or above the lifting limit or under a typhoon alert, one sample
    /// per replication and year.
    pub weather_months: Vec<Summary>,
    pub events: u64,
    pub mass_check: MassCheck,
    pub precision: Precision,
}

/// The precision of the headline metric ([`HEADLINE_METRIC`]): 95% CI
/// half-width relative to the mean, wanted and achieved.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Precision {
    pub target: Option<f64>,
    pub achieved: Option<f64>,
}

impl Precision {
    /// The achieved relative half-width as a percentage, or "undefined".
    pub fn achieved_text(&self) -> String {
        self.achieved
            .map_or("undefined".to_string(), |a| format!("{:.2}%", 100.0 * a))
    }
}

impl RunOutput {
    /// Each state's share of a unit type's hours over the whole horizon,
    /// in state order; empty when the unit type has no hours.
    pub fn horizon_budget(&self, unit_type: &str) -> Vec<(&'static str, f64)> {
        let mut hours: Vec<(&'static str, f64)> = Vec::new();
        for row in self.time_budget.iter().filter(|r| r.unit_type == unit_type) {
            match hours.iter_mut().find(|(state, _)| *state == row.state) {
                Some((_, h)) => *h += row.hours,
                None => hours.push((row.state, row.hours)),
            }
        }
        let total: f64 = hours.iter().map(|(_, h)| h).sum();
        if total <= 0.0 {
            return Vec::new();
        }
        hours
            .into_iter()
            .map(|(state, h)| (state, h / total))
            .collect()
    }
}

/// Which replications' deliveries go to the [`ShipmentSink`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ShipmentLog {
    /// None.
    None,
    /// Replication 1 only.
    First,
    /// Every replication.
    #[default]
    All,
}

impl ShipmentLog {
    /// Whether replication `replication` (from 0) is logged.
    fn keeps(self, replication: u64) -> bool {
        match self {
            ShipmentLog::None => false,
            ShipmentLog::First => replication == 0,
            ShipmentLog::All => true,
        }
    }
}

/// Receives each logged replication's deliveries, in replication order, as
/// batches are aggregated, so a run never holds more than a batch of them:
/// `shipments.csv` streams to disk ([`crate::output::shipments`]); a `Vec`
/// collects them.
pub trait ShipmentSink {
    /// The deliveries of `replication` (from 1), in time order.
    fn replication(&mut self, replication: u64, shipments: &[Shipment]) -> std::io::Result<()>;
}

impl ShipmentSink for Vec<ShipmentRow> {
    fn replication(&mut self, replication: u64, shipments: &[Shipment]) -> std::io::Result<()> {
        self.extend(shipments.iter().map(|&shipment| ShipmentRow {
            replication,
            shipment,
        }));
        Ok(())
    }
}

/// How to run the replications.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RunOptions {
    /// Worker threads; 0 means one per core. Results do not depend on it.
    pub threads: usize,
    pub shipments: ShipmentLog,
    /// Keep adding replications (beyond the scenario's count, which becomes
    /// the minimum) until the 95% CI half-width of the headline metric,
    /// recovered REO per year, is within this fraction of its mean.
    pub target_ci: Option<f64>,
}

/// Replications run between aggregation steps and precision checks. Fixed,
/// so where a `target_ci` run stops never depends on the thread count.
const BATCH: u64 = 32;

/// Never run more replications than this to reach a `target_ci`.
pub const MAX_REPLICATIONS: u64 = 100_000;

/// The metric `target_ci` is judged on.
pub const HEADLINE_METRIC: &str = "reo_produced_t";

/// Runs the replications of `scenario` (its `replications` and `seed`) in
/// parallel, aggregating them in replication order so the result is
/// byte-identical for any thread count; calls `progress` after each one and
/// hands the deliveries `options.shipments` keeps to `shipments`.
pub fn run(
    scenario: &Scenario,
    options: &RunOptions,
    progress: &(dyn Fn() + Sync),
    shipments: &mut dyn ShipmentSink,
) -> Result<RunOutput, RunError> {
    let meta = &scenario.scenario;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .build()
        .map_err(|e| RunError::Threads(e.to_string()))?;
    let mut aggregate = Aggregate::new(scenario);
    let minimum = u64::from(meta.replications);
    let mut done = 0;
    while done < minimum || needs_more(&aggregate, options.target_ci, done) {
        let end = if done < minimum {
            (done + BATCH).min(minimum)
        } else {
            done + BATCH
        };
        let batch: Vec<Result<Replication, SimError>> = pool.install(|| {
            (done..end)
                .into_par_iter()
                .map(|replication| {
                    let rep = run_replication(scenario, meta.seed, replication);
                    progress();
                    rep
                })
                .collect()
        });
        for (replication, rep) in (done..end).zip(batch) {
            let rep = rep?;
            if options.shipments.keeps(replication) {
                shipments
                    .replication(replication + 1, &rep.shipments)
                    .map_err(RunError::Shipments)?;
            }
            aggregate.add(rep);
        }
        done = end;
    }
    Ok(aggregate.finish(options.target_ci))
}

/// Whether a `target_ci` run needs more replications after `done`.
fn needs_more(aggregate: &Aggregate, target_ci: Option<f64>, done: u64) -> bool {
    let Some(target) = target_ci else {
        return false;
    };
    if done >= MAX_REPLICATIONS {
        return false;
    }
    !aggregate
        .headline_precision()
        .is_some_and(|relative| relative <= target)
}

/// An error that stops a run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    #[error(transparent)]
    Simulation(#[from] SimError),
    #[error("cannot start the worker threads: {0}")]
    Threads(String),
    #[error("writing the shipment log")]
    Shipments(#[source] std::io::Error),
}

/// Accumulates replications as they finish; keeps per-replication values
/// (a few numbers per year), not event logs.
struct Aggregate {
    scenario: Scenario,
    /// annual[year][metric] = values across replications.
    annual: Vec<Vec<Vec<f64>>>,
    horizon: Vec<Vec<f64>>,
    system_hours: TimeBudget,
    shuttle_hours: TimeBudget,
    hub_ship_hours: TimeBudget,
    site_queue: QueueSamples,
    berth_queue: QueueSamples,
    hub_queue: QueueSamples,
    weather_months: Vec<Vec<f64>>,
    events: u64,
    replications: usize,
    mass_check: MassCheck,
}

impl Aggregate {
    fn new(scenario: &Scenario) -> Self {
        let years = scenario.scenario.years.ceil().max(1.0) as usize;
        Aggregate {
            scenario: scenario.clone(),
            annual: vec![vec![Vec::new(); ANNUAL_METRICS.len()]; years],
            horizon: vec![Vec::new(); ANNUAL_METRICS.len()],
            system_hours: TimeBudget::new(SystemState::ALL.len(), years),
            shuttle_hours: TimeBudget::new(ShuttleState::ALL.len(), years),
            hub_ship_hours: TimeBudget::new(HubShipState::ALL.len(), years),
            site_queue: QueueSamples::default(),
            berth_queue: QueueSamples::default(),
            hub_queue: QueueSamples::default(),
            weather_months: vec![Vec::new(); 12],
            events: 0,
            replications: 0,
            mass_check: MassCheck::default(),
        }
    }

    fn add(&mut self, rep: Replication) {
        for (year, metrics) in self.annual.iter_mut().enumerate() {
            let values = Figures::of_year(&rep, year).values();
            for (column, value) in metrics.iter_mut().zip(values) {
                column.push(value);
            }
        }
        let horizon = Figures::of_horizon(&rep, self.scenario.scenario.years);
        for (column, value) in self.horizon.iter_mut().zip(horizon.values()) {
            column.push(value);
        }
        self.system_hours.merge(&rep.system_budget);
        self.shuttle_hours.merge(&rep.shuttle_budget);
        self.hub_ship_hours.merge(&rep.hub_ship_budget);
        for year in &rep.years {
            for (month, samples) in self.weather_months.iter_mut().enumerate() {
                if year.weather_h[month] > 0.0 {
                    samples.push(1.0 - year.workable_h[month] / year.weather_h[month]);
                }
            }
        }
        self.site_queue.add(&rep.site_queue);
        self.berth_queue.add(&rep.berth_queue);
        if self.scenario.hub.is_some() {
            self.hub_queue.add(&rep.hub_queue);
        }
        self.events += rep.events;
        self.replications += 1;
        let imbalance = rep.mass_balance.imbalance_t().abs();
        self.mass_check.max_imbalance_t = self.mass_check.max_imbalance_t.max(imbalance);
    }

    /// The 95% CI half-width of the headline metric relative to its mean;
    /// `None` while it is undefined (fewer than two replications, zero mean).
    fn headline_precision(&self) -> Option<f64> {
        let index = ANNUAL_METRICS
            .iter()
            .position(|m| m.name == HEADLINE_METRIC)?;
        let summary = Summary::of(&self.horizon[index]);
        let relative = summary.ci95_half_width / summary.mean.abs();
        relative.is_finite().then_some(relative)
    }

    fn finish(self, target_ci: Option<f64>) -> RunOutput {
        let precision = Precision {
            target: target_ci,
            achieved: self.headline_precision(),
        };
        let annual = self
            .annual
            .iter()
            .enumerate()
            .flat_map(|(year, metrics)| {
                metrics
                    .iter()
                    .zip(ANNUAL_METRICS)
                    .map(move |(values, metric)| AnnualRow {
                        year: year + 1,
                        metric,
                        summary: Summary::of(values),
                    })
            })
            .collect();
        let kpis = ANNUAL_METRICS
            .iter()
            .zip(&self.horizon)
            .map(|(metric, values)| (*metric, Summary::of(values)))
            .collect();
        let reps = self.replications.max(1) as f64;
        let mut time_budget = budget_rows("mining_system", &self.system_hours, reps, |i| {
            SystemState::ALL[i].name()
        });
        time_budget.extend(budget_rows("shuttle", &self.shuttle_hours, reps, |i| {
            ShuttleState::ALL[i].name()
        }));
        time_budget.extend(budget_rows("hub_ship", &self.hub_ship_hours, reps, |i| {
            HubShipState::ALL[i].name()
        }));
        let mut queues = vec![
            self.site_queue.report("site"),
            self.berth_queue.report("berth"),
        ];
        if self.scenario.hub.is_some() {
            queues.push(self.hub_queue.report("hub"));
        }
        RunOutput {
            scenario: self.scenario,
            replications: self.replications,
            annual,
            kpis,
            time_budget,
            queues,
            weather_months: self.weather_months.iter().map(|m| Summary::of(m)).collect(),
            events: self.events,
            mass_check: self.mass_check,
            precision,
        }
    }
}

fn budget_rows(
    unit_type: &'static str,
    hours: &TimeBudget,
    reps: f64,
    name: impl Fn(usize) -> &'static str,
) -> Vec<BudgetRow> {
    let mut rows = Vec::new();
    for year in 0..hours.years() {
        let total: f64 = (0..hours.states()).map(|s| hours.hours(year, s)).sum();
        if total <= 0.0 {
            continue;
        }
        for state in 0..hours.states() {
            rows.push(BudgetRow {
                unit_type,
                year: year + 1,
                state: name(state),
                hours: hours.hours(year, state) / reps,
                share: hours.hours(year, state) / total,
            });
        }
    }
    rows
}
