//! Running a scenario's replications and aggregating them: per-year and
//! horizon statistics across replications, time budgets, queues, shipments.

use super::metrics::{ANNUAL_METRICS, Figures, Metric};
use crate::model::{Replication, Shipment, ShuttleState, SimError, SystemState, run_replication};
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
    /// Time-averaged number of ships waiting.
    pub mean_length: Summary,
    /// Ships served (those served on arrival count with a zero wait), over
    /// all replications.
    pub ships: usize,
    /// Mean and 90th percentile of the wait, h, pooled over replications.
    pub mean_wait_h: f64,
    pub p90_wait_h: f64,
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
    /// max over replications of |lifted − delivered − in buffers − in ships|, t.
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
    pub shipments: Vec<ShipmentRow>,
    pub events: u64,
    pub mass_check: MassCheck,
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

/// Runs every replication of `scenario` (its `replications` and `seed`),
/// calling `progress` after each one.
pub fn run(scenario: &Scenario, mut progress: impl FnMut()) -> Result<RunOutput, SimError> {
    let meta = &scenario.scenario;
    let mut aggregate = Aggregate::new(scenario);
    for replication in 0..u64::from(meta.replications) {
        let rep = run_replication(scenario, meta.seed, replication)?;
        aggregate.add(replication, rep);
        progress();
    }
    Ok(aggregate.finish())
}

/// Accumulates replications as they finish; keeps per-replication values
/// (a few numbers per year), not event logs.
struct Aggregate {
    scenario: Scenario,
    dry_factor: f64,
    /// annual[year][metric] = values across replications.
    annual: Vec<Vec<Vec<f64>>>,
    horizon: Vec<Vec<f64>>,
    system_hours: TimeBudget,
    shuttle_hours: TimeBudget,
    site_queue_lengths: Vec<f64>,
    berth_queue_lengths: Vec<f64>,
    site_waits: Vec<f64>,
    berth_waits: Vec<f64>,
    weather_months: Vec<Vec<f64>>,
    shipments: Vec<ShipmentRow>,
    events: u64,
    replications: usize,
    mass_check: MassCheck,
}

impl Aggregate {
    fn new(scenario: &Scenario) -> Self {
        let years = scenario.scenario.years.ceil().max(1.0) as usize;
        Aggregate {
            scenario: scenario.clone(),
            dry_factor: scenario.ore.solids_mass_fraction,
            annual: vec![vec![Vec::new(); ANNUAL_METRICS.len()]; years],
            horizon: vec![Vec::new(); ANNUAL_METRICS.len()],
            system_hours: TimeBudget::new(SystemState::ALL.len(), years),
            shuttle_hours: TimeBudget::new(ShuttleState::ALL.len(), years),
            site_queue_lengths: Vec::new(),
            berth_queue_lengths: Vec::new(),
            site_waits: Vec::new(),
            berth_waits: Vec::new(),
            weather_months: vec![Vec::new(); 12],
            shipments: Vec::new(),
            events: 0,
            replications: 0,
            mass_check: MassCheck::default(),
        }
    }

    fn add(&mut self, replication: u64, rep: Replication) {
        for (year, metrics) in self.annual.iter_mut().enumerate() {
            let values = Figures::of_year(&rep, year, self.dry_factor).values();
            for (column, value) in metrics.iter_mut().zip(values) {
                column.push(value);
            }
        }
        let horizon = Figures::of_horizon(&rep, self.scenario.scenario.years, self.dry_factor);
        for (column, value) in self.horizon.iter_mut().zip(horizon.values()) {
            column.push(value);
        }
        self.system_hours.merge(&rep.system_budget);
        self.shuttle_hours.merge(&rep.shuttle_budget);
        for year in &rep.years {
            for (month, samples) in self.weather_months.iter_mut().enumerate() {
                if year.weather_h[month] > 0.0 {
                    samples.push(1.0 - year.workable_h[month] / year.weather_h[month]);
                }
            }
        }
        self.site_queue_lengths.push(rep.site_queue.mean_length);
        self.berth_queue_lengths.push(rep.berth_queue.mean_length);
        self.site_waits.extend_from_slice(&rep.site_queue.waits_h);
        self.berth_waits.extend_from_slice(&rep.berth_queue.waits_h);
        self.shipments
            .extend(rep.shipments.iter().map(|&shipment| ShipmentRow {
                replication: replication + 1,
                shipment,
            }));
        self.events += rep.events;
        self.replications += 1;
        let balance = rep.mass_balance;
        let imbalance =
            (balance.lifted_t - balance.delivered_t - balance.in_buffers_t - balance.in_ships_t)
                .abs();
        self.mass_check.max_imbalance_t = self.mass_check.max_imbalance_t.max(imbalance);
    }

    fn finish(self) -> RunOutput {
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
        let queues = vec![
            queue_report("site", &self.site_queue_lengths, self.site_waits),
            queue_report("berth", &self.berth_queue_lengths, self.berth_waits),
        ];
        RunOutput {
            scenario: self.scenario,
            replications: self.replications,
            annual,
            kpis,
            time_budget,
            queues,
            weather_months: self.weather_months.iter().map(|m| Summary::of(m)).collect(),
            shipments: self.shipments,
            events: self.events,
            mass_check: self.mass_check,
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

fn queue_report(name: &'static str, lengths: &[f64], mut waits: Vec<f64>) -> QueueReport {
    let mean_wait_h: MeanVar = waits.iter().copied().collect();
    waits.sort_by(f64::total_cmp);
    QueueReport {
        name,
        mean_length: Summary::of(lengths),
        ships: waits.len(),
        mean_wait_h: mean_wait_h.mean(),
        p90_wait_h: if waits.is_empty() {
            0.0
        } else {
            percentile_sorted(&waits, 0.9)
        },
    }
}
