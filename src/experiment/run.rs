//! Running a scenario's replications and aggregating them: per-year and
//! horizon statistics across replications, time budgets, queues; the
//! shipment log is streamed out, not held.

use super::metrics::{self, METRICS, Metric, Period, Span};
use rayon::prelude::*;

use crate::model::trace::Trace;
use crate::model::weather::WorkLimit;
use crate::model::{
    HubShipState, MASS_TOLERANCE, QueueRecord, Replication, Shipment, ShuttleState, SimError,
    SystemState, run_replication, run_replication_traced,
};
use crate::scenario::Scenario;
use crate::stats::budget::TimeBudget;
use crate::stats::summary::{MeanVar, Summary, percentile_sorted};

/// One metric in one year, across replications.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnualRow {
    /// Simulated year, from 1.
    pub year: usize,
    pub metric: &'static Metric,
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
    /// all replications, and those still waiting at the horizon, whose
    /// waits so far count among the waits (censored); ships that left
    /// unserved count among the waits only.
    pub ships: u64,
    pub censored: u64,
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
    censored: u64,
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
            self.ships += (waits.len() - record.censored - record.unserved) as u64;
            self.censored += record.censored as u64;
        }
    }

    fn report(&self, name: &'static str) -> QueueReport {
        QueueReport {
            name,
            mean_length: Summary::of(&self.lengths),
            ships: self.ships,
            censored: self.censored,
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

/// The mass balance check of a run: the largest imbalance seen, in tonnes
/// and relative to the mud lifted, which is what it is judged on.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MassCheck {
    /// max over replications of |lifted − delivered − still held − water
    /// removed| ([`crate::model::MassBalance::imbalance_t`]), t.
    pub max_imbalance_t: f64,
    /// max over replications of that imbalance ÷ the mud lifted
    /// ([`crate::model::MassBalance::relative_imbalance`]).
    pub max_relative_imbalance: f64,
}

impl MassCheck {
    /// Whether every replication conserved mass within [`MASS_TOLERANCE`].
    pub fn holds(&self) -> bool {
        self.max_relative_imbalance <= MASS_TOLERANCE
    }

    /// "within 4.4e-14 of the mud lifted (8.7e-6 t)", or the breach.
    pub fn text(&self) -> String {
        let verdict = if self.holds() {
            "within"
        } else {
            "NOT CONSERVED: off by"
        };
        format!(
            "mass balance {verdict} {:.1e} of the mud lifted (tolerance {MASS_TOLERANCE:.0e}; {:.3e} t)",
            self.max_relative_imbalance, self.max_imbalance_t
        )
    }
}

/// Everything a run reports.
#[derive(Clone, Debug)]
pub struct RunOutput {
    pub scenario: Scenario,
    pub replications: usize,
    /// Year by year, each annual metric of [`METRICS`] in its order.
    pub annual: Vec<AnnualRow>,
    /// Horizon values of every metric of [`METRICS`] (flows as annual
    /// rates), across replications, in its order.
    pub kpis: Vec<(&'static Metric, Summary)>,
    pub time_budget: Vec<BudgetRow>,
    pub queues: Vec<QueueReport>,
    /// Weather downtime share per operation, in [`WorkLimit::ALL`] order.
    pub weather_months: Vec<WeatherMonths>,
    pub events: u64,
    pub mass_check: MassCheck,
    pub precision: Precision,
    /// The vessel timeline of the replication [`RunOptions::trace`] names.
    pub trace: Option<Trace>,
    /// What the run's figures hide, for the reader: product stranded at
    /// the hub, a stockpile that outgrows the plant.
    pub warnings: Vec<String>,
}

/// One operation's weather downtime share per calendar month: hours with
/// Hs at or above its limit or under a typhoon alert, one sample per
/// replication and year.
#[derive(Clone, Debug, PartialEq)]
pub struct WeatherMonths {
    pub work: WorkLimit,
    /// By calendar month, 0 = January.
    pub months: Vec<Summary>,
}

/// The precision of the headline metric ([`HEADLINE_METRIC`]): 95% CI
/// half-width relative to the mean, wanted and achieved.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Precision {
    pub target: Option<f64>,
    pub achieved: Option<f64>,
    /// Why a `target_ci` run stopped without meeting its target.
    pub short: Option<Short>,
}

/// Why a `target_ci` run stopped short of its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Short {
    /// The relative CI is undefined after the scenario's replications (and
    /// at least two): the headline metric is zero in every one, so there is
    /// no mean for the CI to be relative to.
    Undefined,
    /// [`MAX_REPLICATIONS`] were run.
    Cap,
}

impl Short {
    /// The name written in summary.json.
    pub fn name(self) -> &'static str {
        match self {
            Short::Undefined => "undefined",
            Short::Cap => "replication_cap",
        }
    }
}

impl Precision {
    /// The achieved relative half-width as a percentage, or why there is
    /// none, and why the run stopped short of its target.
    pub fn achieved_text(&self) -> String {
        let achieved = self
            .achieved
            .map_or("undefined".to_string(), |a| format!("{:.2}%", 100.0 * a));
        match self.short {
            None => achieved,
            Some(Short::Undefined) => format!(
                "undefined: {} is 0 in every replication, so its CI has no mean to be \
                 relative to (stopped rather than run on to the cap of {MAX_REPLICATIONS} \
                 replications)",
                HEADLINE_METRIC.name
            ),
            Some(Short::Cap) => {
                format!(
                    "{achieved}, target not met: stopped at the {MAX_REPLICATIONS}-replication cap"
                )
            }
        }
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
    /// The replication (from 1) whose vessel timeline is recorded, one of
    /// the scenario's `replications`.
    pub trace: Option<u32>,
}

/// A trace asked of a replication the run does not have.
#[derive(Clone, Copy, Debug, thiserror::Error)]
#[error(
    "cannot trace replication {trace}: the run has replications 1 to {replications} \
     (scenario.replications, or --reps)"
)]
pub struct TraceReplicationError {
    pub trace: u32,
    pub replications: u32,
}

impl RunOptions {
    /// Refuses a trace of a replication `scenario` does not run.
    pub fn check(&self, scenario: &Scenario) -> Result<(), TraceReplicationError> {
        let replications = scenario.scenario.replications;
        match self.trace {
            Some(trace) if trace == 0 || trace > replications => Err(TraceReplicationError {
                trace,
                replications,
            }),
            _ => Ok(()),
        }
    }
}

/// Replications run between aggregation steps and precision checks. Fixed,
/// so where a `target_ci` run stops never depends on the thread count.
const BATCH: u64 = 32;

/// Never run more replications than this to reach a `target_ci`.
pub const MAX_REPLICATIONS: u64 = 100_000;

/// The metric `target_ci` is judged on.
pub const HEADLINE_METRIC: &Metric = metrics::named("reo_produced_t");

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
    options.check(scenario)?;
    let meta = &scenario.scenario;
    let traced = options.trace.map(|trace| u64::from(trace) - 1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .build()
        .map_err(|e| RunError::Threads(e.to_string()))?;
    let mut aggregate = Aggregate::new(scenario, METRICS);
    let minimum = u64::from(meta.replications);
    let mut done = 0;
    while done < minimum || needs_more(&aggregate, options.target_ci, done) {
        let end = batch_end(done, minimum);
        let batch: Vec<Result<Replication, SimError>> = pool.install(|| {
            (done..end)
                .into_par_iter()
                .map(|replication| {
                    let rep = if traced == Some(replication) {
                        run_replication_traced(scenario, meta.seed, replication)
                    } else {
                        run_replication(scenario, meta.seed, replication)
                    };
                    progress();
                    rep
                })
                .collect()
        });
        for (replication, rep) in (done..end).zip(batch) {
            let mut rep = rep.map_err(|source| RunError::Simulation {
                replication: replication + 1,
                source,
            })?;
            if let Some(trace) = rep.trace.take() {
                aggregate.trace = Some(trace);
            }
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

/// Where the batch after `done` replications ends: at most [`BATCH`] on,
/// and neither past the scenario's `minimum` while below it nor, after it,
/// past [`MAX_REPLICATIONS`].
fn batch_end(done: u64, minimum: u64) -> u64 {
    if done < minimum {
        (done + BATCH).min(minimum)
    } else {
        (done + BATCH).min(MAX_REPLICATIONS)
    }
}

/// Whether a `target_ci` run needs more replications after `done` (at
/// least its minimum): not past the cap, nor once a batch has left the
/// relative CI undefined ([`Short::Undefined`]).
fn needs_more(aggregate: &Aggregate, target_ci: Option<f64>, done: u64) -> bool {
    let Some(target) = target_ci else {
        return false;
    };
    if done >= MAX_REPLICATIONS {
        return false;
    }
    match aggregate.headline_precision() {
        Some(relative) => relative > target,
        None => done < 2,
    }
}

/// An error that stops a run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// Replication `replication` (from 1) stopped.
    #[error("replication {replication} of the run")]
    Simulation {
        replication: u64,
        #[source]
        source: SimError,
    },
    #[error("cannot start the worker threads: {0}")]
    Threads(String),
    #[error("writing the shipment log")]
    Shipments(#[source] std::io::Error),
    #[error(transparent)]
    Trace(#[from] TraceReplicationError),
}

/// One metric's values, one per replication; an undefined value is NaN,
/// which [`Summary::of`] leaves out.
struct Column {
    metric: &'static Metric,
    /// annual[year] = values across replications; empty for a whole-run
    /// metric.
    annual: Vec<Vec<f64>>,
    horizon: Vec<f64>,
}

/// Accumulates replications as they finish; keeps per-replication values
/// (a few numbers per year), not event logs.
struct Aggregate {
    scenario: Scenario,
    years: usize,
    /// One per metric reported, in reporting order.
    columns: Vec<Column>,
    system_hours: TimeBudget,
    shuttle_hours: TimeBudget,
    hub_ship_hours: TimeBudget,
    site_queue: QueueSamples,
    berth_queue: QueueSamples,
    hub_queue: QueueSamples,
    /// weather_months[work][month]: one sample per replication and year.
    weather_months: Vec<Vec<Vec<f64>>>,
    events: u64,
    replications: usize,
    mass_check: MassCheck,
    trace: Option<Trace>,
    stockpiles: Stockpiles,
}

/// Sums over replications of what stays in the stockpiles, for the run's
/// warnings.
#[derive(Clone, Copy, Debug, Default)]
struct Stockpiles {
    hub_received_t: f64,
    hub_left_t: f64,
    delivered_dry_t: f64,
    port_left_dry_t: f64,
    last_year_growth_dry_t: f64,
}

/// A stockpile left with more than this share of what reached it over the
/// run is worth a warning.
const STOCKPILE_WARNING_SHARE: f64 = 0.1;

impl Stockpiles {
    fn add(&mut self, rep: &Replication) {
        self.hub_received_t += rep.hub_received_t;
        self.hub_left_t += rep.mass_balance.in_hub_t;
        let delivered: f64 = rep.years.iter().map(|y| y.delivered_dry_t).sum();
        let processed: f64 = rep.years.iter().map(|y| y.processed_dry_t).sum();
        self.delivered_dry_t += delivered;
        self.port_left_dry_t += delivered - processed;
        if let Some(last) = rep.years.last() {
            self.last_year_growth_dry_t += last.delivered_dry_t - last.processed_dry_t;
        }
    }

    /// Warnings: product left at the hub at the horizon, and a port
    /// stockpile that holds much of what was delivered and still grew in
    /// the last year.
    fn warnings(&self, reps: f64) -> Vec<String> {
        let mut warnings = Vec::new();
        let share = |left: f64, total: f64| if total > 0.0 { left / total } else { 0.0 };
        let hub_share = share(self.hub_left_t, self.hub_received_t);
        if hub_share > STOCKPILE_WARNING_SHARE {
            warnings.push(format!(
                "product accumulates at the hub: {:.0} wet t ({:.0}% of what it received) is still there at the horizon (mean over replications); see hub.ships, hub.ship_capacity_t and hub.max_wait_h",
                self.hub_left_t / reps,
                100.0 * hub_share
            ));
        }
        let port_share = share(self.port_left_dry_t, self.delivered_dry_t);
        if port_share > STOCKPILE_WARNING_SHARE && self.last_year_growth_dry_t > 0.0 {
            warnings.push(format!(
                "the port stockpile grows without bound: {:.0} dry t ({:.0}% of deliveries) is unprocessed at the horizon and it grew by {:.0} dry t in the last year (means over replications); see port.plant_capacity_dry_t_per_d",
                self.port_left_dry_t / reps,
                100.0 * port_share,
                self.last_year_growth_dry_t / reps
            ));
        }
        warnings
    }
}

impl Aggregate {
    /// Aggregates replications of `scenario` into `metrics`.
    fn new(scenario: &Scenario, metrics: &'static [Metric]) -> Self {
        let years = scenario.scenario.years.ceil().max(1.0) as usize;
        let columns = metrics
            .iter()
            .filter(|metric| !metric.money || scenario.economics.is_some())
            .map(|metric| Column {
                metric,
                annual: vec![Vec::new(); if metric.kind.is_annual() { years } else { 0 }],
                horizon: Vec::new(),
            })
            .collect();
        Aggregate {
            scenario: scenario.clone(),
            years,
            columns,
            system_hours: TimeBudget::new(SystemState::ALL.len(), years),
            shuttle_hours: TimeBudget::new(ShuttleState::ALL.len(), years),
            hub_ship_hours: TimeBudget::new(HubShipState::ALL.len(), years),
            site_queue: QueueSamples::default(),
            berth_queue: QueueSamples::default(),
            hub_queue: QueueSamples::default(),
            weather_months: vec![vec![Vec::new(); 12]; WorkLimit::ALL.len()],
            events: 0,
            replications: 0,
            mass_check: MassCheck::default(),
            trace: None,
            stockpiles: Stockpiles::default(),
        }
    }

    fn add(&mut self, rep: Replication) {
        let period = |span| Period {
            replication: &rep,
            scenario: &self.scenario,
            span,
        };
        for column in &mut self.columns {
            let value = |span| (column.metric.value)(&period(span)).unwrap_or(f64::NAN);
            for (year, values) in column.annual.iter_mut().enumerate() {
                values.push(value(Span::Year(year)));
            }
            column.horizon.push(value(Span::Horizon));
        }
        self.system_hours.merge(&rep.system_budget);
        self.shuttle_hours.merge(&rep.shuttle_budget);
        self.hub_ship_hours.merge(&rep.hub_ship_budget);
        for year in &rep.years {
            for (work, workable_h) in self.weather_months.iter_mut().zip(&year.workable_h) {
                for (month, samples) in work.iter_mut().enumerate() {
                    if year.weather_h[month] > 0.0 {
                        samples.push(1.0 - workable_h[month] / year.weather_h[month]);
                    }
                }
            }
        }
        self.site_queue.add(&rep.site_queue);
        self.berth_queue.add(&rep.berth_queue);
        if self.scenario.hub.is_some() {
            self.hub_queue.add(&rep.hub_queue);
        }
        self.stockpiles.add(&rep);
        self.events += rep.events;
        self.replications += 1;
        let imbalance = rep.mass_balance.imbalance_t().abs();
        self.mass_check.max_imbalance_t = self.mass_check.max_imbalance_t.max(imbalance);
        let relative = rep.mass_balance.relative_imbalance();
        self.mass_check.max_relative_imbalance =
            self.mass_check.max_relative_imbalance.max(relative);
    }

    /// The 95% CI half-width of the headline metric relative to its mean;
    /// `None` while it is undefined (fewer than two replications, zero mean).
    fn headline_precision(&self) -> Option<f64> {
        let column = self.columns.iter().find(|c| c.metric == HEADLINE_METRIC)?;
        let summary = Summary::of(&column.horizon);
        let relative = summary.ci95_half_width / summary.mean.abs();
        relative.is_finite().then_some(relative)
    }

    fn finish(self, target_ci: Option<f64>) -> RunOutput {
        let achieved = self.headline_precision();
        let short = target_ci.and_then(|target| match achieved {
            None => Some(Short::Undefined),
            Some(relative) if relative > target => Some(Short::Cap),
            Some(_) => None,
        });
        let precision = Precision {
            target: target_ci,
            achieved,
            short,
        };
        let columns = &self.columns;
        let annual = (0..self.years)
            .flat_map(|year| {
                columns.iter().filter_map(move |column| {
                    let values = column.annual.get(year)?;
                    Some(AnnualRow {
                        year: year + 1,
                        metric: column.metric,
                        summary: Summary::of(values),
                    })
                })
            })
            .collect();
        let kpis = columns
            .iter()
            .map(|column| (column.metric, Summary::of(&column.horizon)))
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
            weather_months: WorkLimit::ALL
                .iter()
                .zip(&self.weather_months)
                .map(|(&work, months)| WeatherMonths {
                    work,
                    months: months.iter().map(|m| Summary::of(m)).collect(),
                })
                .collect(),
            events: self.events,
            mass_check: self.mass_check,
            precision,
            trace: self.trace,
            warnings: self.stockpiles.warnings(reps),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::metrics::Kind;
    use crate::scenario::{DEFAULT_SCENARIO, load_str};

    /// A whole-run figure, like a break-even year: the first simulated year
    /// (from 1) with a delivery, undefined for a replication with none.
    const FIRST_DELIVERY_YEAR: Metric = Metric {
        name: "first_delivery_year",
        unit: "year",
        label: "First delivery (year)",
        kind: Kind::WholeRun,
        kpi_table: false,
        money: false,
        value: |p| {
            let years = &p.replication.years;
            let first = years.iter().position(|year| year.shipments > 0)?;
            Some((first + 1) as f64)
        },
    };

    const TABLE: &[Metric] = &[*metrics::named("shipments"), FIRST_DELIVERY_YEAR];

    #[test]
    fn a_target_ci_run_never_passes_the_replication_cap() {
        // Regression: batches of 32 from a minimum of 10 ran to 100,010.
        assert_eq!(batch_end(99_978, 10), 100_000);
        assert_eq!(batch_end(10, 10), 42);
        assert_eq!(batch_end(0, 10), 10);
        // A scenario asking for more than the cap gets them, no more.
        assert_eq!(batch_end(200_000 - 5, 200_000), 200_000);
        let scenario = load_str(DEFAULT_SCENARIO, "default", &[]).unwrap();
        let aggregate = Aggregate::new(&scenario, METRICS);
        assert!(!needs_more(&aggregate, Some(0.01), MAX_REPLICATIONS));
    }

    #[test]
    fn a_target_ci_on_an_all_zero_headline_stops_after_the_first_batch() {
        let overrides = [
            "mining.systems=0".to_string(),
            "scenario.years=0.1".to_string(),
        ];
        let scenario = load_str(DEFAULT_SCENARIO, "default", &overrides).unwrap();
        let mut aggregate = Aggregate::new(&scenario, METRICS);
        for replication in 0..BATCH {
            aggregate.add(run_replication(&scenario, 1, replication).unwrap());
        }
        assert_eq!(aggregate.headline_precision(), None);
        assert!(!needs_more(&aggregate, Some(0.05), BATCH));
        let precision = aggregate.finish(Some(0.05)).precision;
        assert_eq!(precision.short, Some(Short::Undefined));
        assert!(
            precision
                .achieved_text()
                .starts_with("undefined: reo_produced_t is 0 in every replication")
        );
    }

    #[test]
    fn a_whole_run_metric_summarises_one_value_per_replication() {
        let overrides = ["scenario.years=3".to_string()];
        let scenario = load_str(DEFAULT_SCENARIO, "default", &overrides).unwrap();
        let mut aggregate = Aggregate::new(&scenario, TABLE);
        // Each replication delivers 10 shipments a year from its first
        // delivery year on; the second delivers nothing.
        let first_delivery_years = [Some(2), None, Some(1), Some(3)];
        for (replication, first) in (0..).zip(first_delivery_years) {
            let mut rep = run_replication(&scenario, 1, replication).unwrap();
            for (year, record) in (1..).zip(rep.years.iter_mut()) {
                let delivering = first.is_some_and(|first| year >= first);
                record.shipments = if delivering { 10 } else { 0 };
            }
            aggregate.add(rep);
        }
        let output = aggregate.finish(None);

        let (metric, first) = output.kpis[1];
        assert_eq!(metric, &FIRST_DELIVERY_YEAR);
        assert_eq!(metric.horizon_unit(), "year");
        // Years 2, 1 and 3; the replication that never delivers is left
        // out. s = 1, so the half-width is t(0.975, 2) / √3 with
        // t(0.975, 2) = 4.302652730; percentiles interpolate the sorted
        // values 1, 2, 3 at positions 0.2, 1 and 1.8 (type 7).
        assert_eq!(first.n, 3);
        assert!((first.mean - 2.0).abs() < 1e-12, "{first:?}");
        let half_width = 4.302_652_730 / 3f64.sqrt();
        assert!(
            (first.ci95_half_width - half_width).abs() < 1e-8,
            "{first:?}"
        );
        assert!((first.p10 - 1.2).abs() < 1e-12, "{first:?}");
        assert!((first.p50 - 2.0).abs() < 1e-12, "{first:?}");
        assert!((first.p90 - 2.8).abs() < 1e-12, "{first:?}");

        // The flow beside it: a row per year, and a rate per year over the
        // horizon, (20 + 0 + 30 + 10) / 3 / 4 replications on average.
        let (shipments, rate) = output.kpis[0];
        assert_eq!(shipments.horizon_unit(), "count/yr");
        assert_eq!(rate.n, 4);
        assert!((rate.mean - 5.0).abs() < 1e-12, "{rate:?}");
        let years: Vec<(usize, &str)> = output
            .annual
            .iter()
            .map(|row| (row.year, row.metric.name))
            .collect();
        assert_eq!(
            years,
            [(1, "shipments"), (2, "shipments"), (3, "shipments")]
        );
        assert_eq!(output.annual[0].summary.mean, 2.5);
    }
}
