//! Reading a run's CSV files into what each chart draws.
//!
//! Numbers are Rust `f64` Display text, so `NaN` may appear; it is kept as
//! `NaN` here and each chart decides what a missing value means for it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::grade::{Bins, GradeRange};
use crate::experiment::metrics::{METRICS, Metric, named};
use crate::model::trace::{HORIZON, NEW, RETIRED};

/// The annual metrics the charts draw, from the metric table.
const REO_PRODUCED: &Metric = named("reo_produced_t");
const DRY_MUD_DELIVERED: &Metric = named("mud_delivered_dry_t");
const REO_CUMULATIVE: &Metric = named("reo_cumulative_t");
const CHARTED: &[&Metric] = &[REO_PRODUCED, DRY_MUD_DELIVERED, REO_CUMULATIVE];
const COST_PER_KG: &Metric = named("cost_per_kg");
const PRICE: &Metric = named("price_usd_per_kg");
const CUMULATIVE_CASH: &Metric = named("cumulative_cash_flow_usd");

/// P10, median and P90 of one quantity across replications.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Quantiles {
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

impl Quantiles {
    /// The same quantiles multiplied by `factor` (a change of unit).
    pub fn scaled(self, factor: f64) -> Self {
        Quantiles {
            p10: self.p10 * factor,
            p50: self.p50 * factor,
            p90: self.p90 * factor,
        }
    }

    /// The largest finite value, if any.
    pub fn finite_max(self) -> Option<f64> {
        [self.p10, self.p50, self.p90]
            .into_iter()
            .filter(|v| v.is_finite())
            .reduce(f64::max)
    }
}

/// Quantiles of an annual quantity at one simulated year (1-based).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct YearQuantiles {
    pub year: f64,
    pub q: Quantiles,
}

/// Largest finite value in a series, if any.
pub(crate) fn series_max(series: &[YearQuantiles]) -> Option<f64> {
    series
        .iter()
        .filter_map(|point| point.q.finite_max())
        .reduce(f64::max)
}

/// Where a phase of the scenario starts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Phase {
    pub start_year: f64,
    pub name: String,
}

/// Input of the `throughput` chart.
#[derive(Clone, Debug, Default)]
pub(crate) struct ThroughputData {
    pub reo_t: Vec<YearQuantiles>,
    pub dry_mud_t: Vec<YearQuantiles>,
    pub phases: Vec<Phase>,
}

/// Input of the `cumulative_reo` chart.
#[derive(Clone, Debug, Default)]
pub(crate) struct CumulativeData {
    pub reo_t: Vec<YearQuantiles>,
}

/// Input of the `time_budget` chart: mining systems' share of time by state.
#[derive(Clone, Debug, Default)]
pub(crate) struct TimeBudgetData {
    /// Simulated years, ascending.
    pub years: Vec<u32>,
    /// States in the order of the file.
    pub states: Vec<String>,
    /// `share[state][year]`, a fraction; `NaN` where the file has none.
    pub share: Vec<Vec<f64>>,
}

/// Weather downtime share of one calendar month (1 = January).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct MonthQuantiles {
    pub month: u32,
    pub q: Quantiles,
}

/// One operation's weather downtime by calendar month.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct WorkMonths {
    /// The column prefix in `weather_monthly.csv` (`trip`, `lift`, …).
    pub work: String,
    /// By month, ascending.
    pub months: Vec<MonthQuantiles>,
}

/// Input of the `grade_histogram` chart.
#[derive(Clone, Debug, Default)]
pub(crate) struct GradeData {
    /// Grades of every shipment, all replications together, binned;
    /// `None` without a finite grade.
    pub bins: Option<Bins>,
    /// Number of distinct replications with shipments.
    pub replications: usize,
}

/// A unit's time in one state, h.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Span {
    pub start_h: f64,
    pub end_h: f64,
    /// Index into [`TimelineData::states`].
    pub state: usize,
}

/// One unit's row of the timeline.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct UnitTimeline {
    /// As in the trace: `system 1`, `shuttle 3`.
    pub name: String,
    /// In time order, not overlapping.
    pub spans: Vec<Span>,
}

/// Input of the `timeline` chart: one traced replication.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct TimelineData {
    /// By kind (in the order kinds first appear), then by number.
    pub units: Vec<UnitTimeline>,
    /// Every state entered, in the order first entered.
    pub states: Vec<String>,
    /// The last time in the trace (the horizon), h.
    pub end_h: f64,
    pub phases: Vec<Phase>,
}

/// The break-even KPIs of a run, from `summary.json`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Breakeven {
    /// Share of replications breaking even within the horizon.
    pub share: f64,
    /// Median calendar break-even year of those that do; `None` when none do.
    pub p50_year: Option<f64>,
}

/// Input of the economics charts (cost per kg, cash flow, refining, cost
/// breakdown). Its years, and its phases' starts, are calendar years when
/// `summary.json` gives the calendar year of simulated year 1
/// (`economics.start_year`), else simulated years.
#[derive(Clone, Debug, Default)]
pub(crate) struct EconomicsData {
    /// Whether the years are calendar years.
    pub calendar: bool,
    pub phases: Vec<Phase>,
    pub cost_per_kg: Vec<YearQuantiles>,
    pub price_per_kg: Vec<YearQuantiles>,
    pub cumulative_cash_usd: Vec<YearQuantiles>,
    /// `None` without `summary.json` (or its break-even KPIs).
    pub breakeven: Option<Breakeven>,
    /// The years of [`Self::means`], ascending.
    pub years: Vec<f64>,
    /// The share of a year the last of [`Self::years`] lasts, under 1 when
    /// the horizon (`summary.json`'s `scenario.scenario.years`) ends part
    /// way through it; `None` for a whole last year or without the horizon.
    /// Its annual figures are totals over that part year, and its points
    /// above are placed at its real end: year − 0.5 + the share, where its
    /// stacked block ends.
    pub last_fraction: Option<f64>,
    /// Whether capital is counted as cash (`capex_method = "cash"`), which
    /// credits the book value at the horizon and can make the last year's
    /// cost zero or negative.
    pub capex_cash: bool,
    /// Each annual metric's means across replications, by year of
    /// [`Self::years`] (`NaN` where the file has none), by name.
    means: BTreeMap<String, Vec<f64>>,
}

impl EconomicsData {
    /// `metric`'s mean in each of [`Self::years`]; `NaN` where the file
    /// has none.
    pub fn means(&self, metric: &Metric) -> Vec<f64> {
        self.means
            .get(metric.name)
            .cloned()
            .unwrap_or_else(|| vec![f64::NAN; self.years.len()])
    }
}

/// Everything the charts of one run draw.
#[derive(Clone, Debug, Default)]
pub(crate) struct RunData {
    pub throughput: ThroughputData,
    pub cumulative: CumulativeData,
    pub time_budget: TimeBudgetData,
    /// In the order of the file's columns.
    pub weather: Vec<WorkMonths>,
    pub grades: GradeData,
    /// `None` without a `trace.csv`.
    pub timeline: Option<TimelineData>,
    /// `None` for a run without money metrics (no `[economics]`).
    pub economics: Option<EconomicsData>,
}

/// A statistic of `annual.csv`: an empty cell (no
/// value) reads as `NaN`, as does the `NaN` older runs wrote.
fn statistic<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(deserializer)?.unwrap_or(f64::NAN))
}

#[derive(Deserialize)]
struct AnnualRow {
    year: u32,
    metric: String,
    #[serde(deserialize_with = "statistic")]
    mean: f64,
    #[serde(deserialize_with = "statistic")]
    p10: f64,
    #[serde(deserialize_with = "statistic")]
    p50: f64,
    #[serde(deserialize_with = "statistic")]
    p90: f64,
}

/// What the charts read from `summary.json`; every other field is ignored.
#[derive(Deserialize)]
struct SummaryFile {
    scenario: SummaryScenario,
    #[serde(default)]
    kpis: BTreeMap<String, KpiStatistics>,
}

#[derive(Deserialize)]
struct SummaryScenario {
    economics: Option<SummaryEconomics>,
    scenario: Option<SummaryRun>,
}

#[derive(Deserialize)]
struct SummaryRun {
    years: Option<f64>,
}

#[derive(Deserialize)]
struct SummaryEconomics {
    start_year: i64,
    capex_method: Option<String>,
}

#[derive(Deserialize)]
struct KpiStatistics {
    mean: Option<f64>,
    p50: Option<f64>,
}

#[derive(Deserialize)]
struct TimeBudgetRow {
    unit_type: String,
    year: u32,
    state: String,
    share: f64,
}

#[derive(Deserialize)]
struct ShipmentRow {
    replication: u64,
    grade_rey_ppm: f64,
}

#[derive(Deserialize)]
struct TraceRow {
    time_h: f64,
    unit: String,
    to_state: String,
}

#[derive(Deserialize)]
struct PhaseRow {
    start_year: f64,
    name: String,
}

impl RunData {
    /// Reads every CSV file the charts need from `dir`, and from
    /// `summary.json` the calendar years and break-even of a run with money
    /// metrics. `phases.csv`, `trace.csv` and `summary.json` are optional;
    /// every other file must exist.
    pub fn read(dir: &Path) -> anyhow::Result<Self> {
        let annual_path = dir.join("annual.csv");
        let annual: Vec<AnnualRow> = read_csv(&annual_path)?;
        check_annual(&annual_path, &annual)?;
        check_complete(&annual_path)?;
        let budget: Vec<TimeBudgetRow> = read_csv(&dir.join("time_budget.csv"))?;
        let grades = read_grades(&dir.join("shipments.csv"))?;
        let weather = read_weather(&dir.join("weather_monthly.csv"))?;
        let phases_path = dir.join("phases.csv");
        let mut phases: Vec<PhaseRow> = if phases_path.exists() {
            read_csv(&phases_path)?
        } else {
            Vec::new()
        };
        phases.retain(|phase| phase.start_year.is_finite());
        phases.sort_by(|a, b| a.start_year.total_cmp(&b.start_year));

        let phases: Vec<Phase> = phases
            .into_iter()
            .map(|row| Phase {
                start_year: row.start_year,
                name: row.name,
            })
            .collect();
        let trace_path = dir.join("trace.csv");
        let timeline = if trace_path.exists() {
            Some(read_timeline(&trace_path, &phases)?)
        } else {
            None
        };

        let economics = if annual.iter().any(|row| is_money(&row.metric)) {
            let summary_path = dir.join("summary.json");
            let summary = if summary_path.exists() {
                Some(read_summary(&summary_path)?)
            } else {
                None
            };
            Some(economics(&annual, summary.as_ref(), &phases))
        } else {
            None
        };

        Ok(RunData {
            throughput: ThroughputData {
                reo_t: annual_series(&annual, REO_PRODUCED),
                dry_mud_t: annual_series(&annual, DRY_MUD_DELIVERED),
                phases,
            },
            cumulative: CumulativeData {
                reo_t: annual_series(&annual, REO_CUMULATIVE),
            },
            time_budget: time_budget(&budget, "mining_system"),
            weather,
            grades,
            timeline,
            economics,
        })
    }
}

/// Whether `name` is a money metric, reported only with `[economics]`.
fn is_money(name: &str) -> bool {
    METRICS
        .iter()
        .any(|metric| metric.money && metric.name == name)
}

fn read_summary(path: &Path) -> Result<SummaryFile, RunFileError> {
    let text = std::fs::read_to_string(path).map_err(|error| RunFileError::new(path, error))?;
    serde_json::from_str(&text).map_err(|error| RunFileError::new(path, error))
}

/// The economics charts' input from the annual rows and `summary.json`.
fn economics(rows: &[AnnualRow], summary: Option<&SummaryFile>, phases: &[Phase]) -> EconomicsData {
    let mut years: Vec<u32> = rows.iter().map(|row| row.year).collect();
    years.sort_unstable();
    years.dedup();
    let start = summary
        .and_then(|summary| summary.scenario.economics.as_ref())
        .map(|economics| economics.start_year);
    // Simulated year 1 is calendar year `start`.
    let offset = start.map_or(0.0, |start| (start - 1) as f64);
    let horizon = summary
        .and_then(|summary| summary.scenario.scenario.as_ref())
        .and_then(|run| run.years);
    let last_year = years.last().copied();
    let last_fraction = last_year.and_then(|last| part_year(horizon?, last));
    // A year y spans y ± 0.5 on the charts, its point at y; a part year
    // lasting f spans y − 0.5 to y − 0.5 + f (as its stacked block does),
    // its point at that real end, within its year's label.
    let shifted = |series: Vec<YearQuantiles>| -> Vec<YearQuantiles> {
        series
            .into_iter()
            .map(|p| {
                let part = last_fraction.filter(|_| Some(p.year) == last_year.map(f64::from));
                YearQuantiles {
                    year: p.year + part.map_or(0.0, |f| f - 0.5) + offset,
                    ..p
                }
            })
            .collect()
    };
    let capex_cash = summary
        .and_then(|summary| summary.scenario.economics.as_ref())
        .and_then(|economics| economics.capex_method.as_deref())
        == Some("cash");
    let breakeven = summary.and_then(|summary| {
        let kpi = |name: &str| summary.kpis.get(name);
        Some(Breakeven {
            share: kpi("breakeven_share")?.mean?,
            p50_year: kpi("breakeven_year").and_then(|k| k.p50),
        })
    });
    EconomicsData {
        calendar: start.is_some(),
        phases: phases
            .iter()
            .map(|phase| Phase {
                start_year: phase.start_year + offset,
                name: phase.name.clone(),
            })
            .collect(),
        cost_per_kg: shifted(annual_series(rows, COST_PER_KG)),
        price_per_kg: shifted(annual_series(rows, PRICE)),
        cumulative_cash_usd: shifted(annual_series(rows, CUMULATIVE_CASH)),
        breakeven,
        means: annual_means(rows, &years),
        years: years.iter().map(|&year| f64::from(year) + offset).collect(),
        last_fraction,
        capex_cash,
    }
}

/// The share of a year simulated year `last` lasts within a horizon of
/// `horizon` years, when it ends part way through it (0.15 for year 1 of a
/// 0.15-year run, 0.2 for year 5 of 4.2 years); `None` for a whole year, a
/// horizon that does not end in `last`, or one that is not a length.
pub(crate) fn part_year(horizon: f64, last: u32) -> Option<f64> {
    let fraction = horizon - f64::from(last.saturating_sub(1));
    (horizon.is_finite() && horizon > 0.0 && fraction > 1e-9 && fraction < 1.0 - 1e-9)
        .then_some(fraction)
}

/// Reads `weather_monthly.csv`: a `month` column and, per operation, a
/// group of statistics columns named `<operation>_p10` and so on. An empty
/// cell, or `NaN`, reads as `NaN`.
fn read_weather(path: &Path) -> Result<Vec<WorkMonths>, RunFileError> {
    let context = |error: csv::Error| RunFileError::new(path, error);
    let mut reader = csv::Reader::from_path(path).map_err(context)?;
    let headers = reader.headers().map_err(context)?.clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let month_column = column("month")
        .ok_or_else(|| RunFileError::new(path, "has no `month` column: not a run's file"))?;
    let mut works: Vec<(WorkMonths, [usize; 3])> = Vec::new();
    for header in headers.iter() {
        let Some(work) = header.strip_suffix("_p50") else {
            continue;
        };
        let statistic = |name: &str| column(&format!("{work}_{name}"));
        if let (Some(p10), Some(p50), Some(p90)) =
            (statistic("p10"), statistic("p50"), statistic("p90"))
        {
            let months = WorkMonths {
                work: work.to_string(),
                months: Vec::new(),
            };
            works.push((months, [p10, p50, p90]));
        }
    }
    if works.is_empty() {
        return Err(RunFileError::new(
            path,
            "has no `<operation>_p10`, `_p50`, `_p90` columns: not a run's file",
        ));
    }
    for record in reader.records() {
        let record = record.map_err(context)?;
        let cell = |index: usize| {
            record
                .get(index)
                .and_then(|text| text.trim().parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        let month = cell(month_column);
        if !(1.0..=12.0).contains(&month) || month.fract() != 0.0 {
            continue;
        }
        for (work, [p10, p50, p90]) in &mut works {
            work.months.push(MonthQuantiles {
                month: month as u32,
                q: Quantiles {
                    p10: cell(*p10),
                    p50: cell(*p50),
                    p90: cell(*p90),
                },
            });
        }
    }
    Ok(works
        .into_iter()
        .map(|(mut work, _)| {
            work.months.sort_by_key(|month| month.month);
            work
        })
        .collect())
}

/// Reads `trace.csv` into each unit's spans, a row at a time: a unit's
/// span in a state runs from the row that enters it to the unit's next row.
fn read_timeline(path: &Path, phases: &[Phase]) -> Result<TimelineData, RunFileError> {
    let context = |error: csv::Error| RunFileError::new(path, error);
    let mut data = TimelineData::default();
    // Per unit: its kind's rank, its number, and the state it is in, since when.
    let mut kinds: Vec<String> = Vec::new();
    let mut order: Vec<(usize, u64)> = Vec::new();
    let mut open: Vec<Option<(usize, f64)>> = Vec::new();
    for row in csv::Reader::from_path(path).map_err(context)?.deserialize() {
        let row: TraceRow = row.map_err(context)?;
        if !row.time_h.is_finite() {
            return Err(RunFileError::new(
                path,
                format!("time_h {} of `{}` is not a time", row.time_h, row.unit),
            ));
        }
        let unit = match data.units.iter().position(|u| u.name == row.unit) {
            Some(unit) => unit,
            None => {
                let (kind, number) = match row.unit.rsplit_once(' ') {
                    Some((kind, number)) => (kind, number.parse().unwrap_or(u64::MAX)),
                    None => (row.unit.as_str(), u64::MAX),
                };
                let rank = match kinds.iter().position(|k| k == kind) {
                    Some(rank) => rank,
                    None => {
                        kinds.push(kind.to_string());
                        kinds.len() - 1
                    }
                };
                order.push((rank, number));
                open.push(None);
                data.units.push(UnitTimeline {
                    name: row.unit.clone(),
                    spans: Vec::new(),
                });
                data.units.len() - 1
            }
        };
        if let Some((state, start_h)) = open[unit].take()
            && row.time_h > start_h
        {
            data.units[unit].spans.push(Span {
                start_h,
                end_h: row.time_h,
                state,
            });
        }
        data.end_h = data.end_h.max(row.time_h);
        let to = row.to_state.as_str();
        if to != RETIRED && to != HORIZON && to != NEW {
            let state = match data.states.iter().position(|s| s == to) {
                Some(state) => state,
                None => {
                    data.states.push(to.to_string());
                    data.states.len() - 1
                }
            };
            open[unit] = Some((state, row.time_h));
        }
    }
    let mut ranked: Vec<(usize, u64, UnitTimeline)> = order
        .into_iter()
        .zip(std::mem::take(&mut data.units))
        .map(|((rank, number), unit)| (rank, number, unit))
        .collect();
    ranked.sort_by_key(|&(rank, number, _)| (rank, number));
    data.units = ranked.into_iter().map(|(_, _, unit)| unit).collect();
    data.phases = phases.to_vec();
    Ok(data)
}

/// A run's file that cannot be drawn from: missing, unreadable, empty or
/// truncated.
#[derive(Debug, thiserror::Error)]
#[error("{}: {problem}", path.display())]
pub struct RunFileError {
    pub path: std::path::PathBuf,
    pub problem: String,
}

impl RunFileError {
    fn new(path: &Path, problem: impl std::fmt::Display) -> Self {
        RunFileError {
            path: path.to_path_buf(),
            problem: problem.to_string(),
        }
    }
}

/// Refuses an `annual.csv` with no rows, or one cut short: every year from
/// 1 to the last must list the same metrics, among them those charted.
fn check_annual(path: &Path, rows: &[AnnualRow]) -> Result<(), RunFileError> {
    let fail = |problem: String| Err(RunFileError::new(path, problem));
    if rows.is_empty() {
        return fail("has no rows (empty, or a header only): not a complete run's file".into());
    }
    let last = rows.iter().map(|r| r.year).max().unwrap_or(0);
    let metrics_of = |year: u32| -> BTreeSet<&str> {
        rows.iter()
            .filter(|r| r.year == year)
            .map(|r| r.metric.as_str())
            .collect()
    };
    let first = metrics_of(1);
    for metric in CHARTED.iter().map(|metric| metric.name) {
        if !first.contains(metric) {
            return fail(format!(
                "year 1 has no `{metric}` row: not a complete run's file"
            ));
        }
    }
    for year in 2..=last {
        let metrics = metrics_of(year);
        if metrics != first {
            return fail(format!(
                "year {year} lists {} of the {} metrics of year 1: the file is truncated or damaged",
                metrics.intersection(&first).count(),
                first.len()
            ));
        }
    }
    Ok(())
}

/// Refuses a file whose last line has no line break: one cut mid-row,
/// whose last cell may still read as a (shorter) number.
fn check_complete(path: &Path) -> Result<(), RunFileError> {
    let bytes = std::fs::read(path).map_err(|error| RunFileError::new(path, error))?;
    if bytes.last() == Some(&b'\n') {
        Ok(())
    } else {
        Err(RunFileError::new(
            path,
            "does not end with a line break: the file is truncated",
        ))
    }
}

/// Bins the grades of `shipments.csv` in three passes over the file (range,
/// tails, bins), so a log of millions of deliveries is never held in memory.
fn read_grades(path: &Path) -> Result<GradeData, RunFileError> {
    let mut range = GradeRange::default();
    let mut replications = BTreeSet::new();
    each_shipment(path, |row| {
        range.add(row.grade_rey_ppm);
        replications.insert(row.replication);
    })?;
    let mut tails = range.tails();
    each_shipment(path, |row| tails.add(row.grade_rey_ppm))?;
    let mut bins = range.bins(&tails);
    if let Some(bins) = &mut bins {
        each_shipment(path, |row| bins.add(row.grade_rey_ppm))?;
    }
    Ok(GradeData {
        bins,
        replications: replications.len(),
    })
}

/// Calls `each` with every row of the shipment log at `path`, in order.
fn each_shipment(path: &Path, mut each: impl FnMut(&ShipmentRow)) -> Result<(), RunFileError> {
    let context = |error: csv::Error| RunFileError::new(path, error);
    for row in csv::Reader::from_path(path).map_err(context)?.deserialize() {
        let row: ShipmentRow = row.map_err(context)?;
        each(&row);
    }
    Ok(())
}

fn read_csv<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>, RunFileError> {
    let context = |error: csv::Error| RunFileError::new(path, error);
    let mut reader = csv::Reader::from_path(path).map_err(context)?;
    reader
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(context)
}

/// One metric's rows of `annual.csv`, by year.
fn annual_series(rows: &[AnnualRow], metric: &Metric) -> Vec<YearQuantiles> {
    let mut series: Vec<YearQuantiles> = rows
        .iter()
        .filter(|row| row.metric == metric.name)
        .map(|row| YearQuantiles {
            year: f64::from(row.year),
            q: Quantiles {
                p10: row.p10,
                p50: row.p50,
                p90: row.p90,
            },
        })
        .collect();
    series.sort_by(|a, b| a.year.total_cmp(&b.year));
    series
}

/// Every metric's means across replications in each of `years`; `NaN`
/// for a year without a row.
fn annual_means(rows: &[AnnualRow], years: &[u32]) -> BTreeMap<String, Vec<f64>> {
    let mut means: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for row in rows {
        if let Ok(index) = years.binary_search(&row.year) {
            means
                .entry(row.metric.clone())
                .or_insert_with(|| vec![f64::NAN; years.len()])[index] = row.mean;
        }
    }
    means
}

/// One unit type's shares, as a state × year table.
fn time_budget(rows: &[TimeBudgetRow], unit_type: &str) -> TimeBudgetData {
    let rows: Vec<&TimeBudgetRow> = rows.iter().filter(|r| r.unit_type == unit_type).collect();
    let mut years: Vec<u32> = rows.iter().map(|r| r.year).collect();
    years.sort_unstable();
    years.dedup();
    let mut states: Vec<String> = Vec::new();
    for row in &rows {
        if !states.contains(&row.state) {
            states.push(row.state.clone());
        }
    }
    let mut share = vec![vec![f64::NAN; years.len()]; states.len()];
    for row in &rows {
        let state = states.iter().position(|s| *s == row.state);
        let year = years.binary_search(&row.year).ok();
        if let (Some(state), Some(year)) = (state, year) {
            share[state][year] = row.share;
        }
    }
    TimeBudgetData {
        years,
        states,
        share,
    }
}

#[cfg(test)]
mod tests {
    use super::{Span, read_timeline};

    #[test]
    fn a_trace_becomes_spans_per_unit_ordered_by_kind_and_number() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trace.csv");
        std::fs::write(
            &path,
            "time_h,unit,from_state,to_state,cause\n\
             0,system 1,new,idle,start\n\
             0,shuttle 9,new,idle,start\n\
             0,shuttle 10,new,transit,start\n\
             0,system 1,idle,transit,start\n\
             10,system 1,transit,lifting,timed\n\
             50,system 2,new,transit,phase\n\
             60,system 1,lifting,idle,phase\n\
             60,system 1,idle,retired,phase\n\
             100,system 2,transit,horizon,horizon\n\
             100,shuttle 9,idle,horizon,horizon\n\
             100,shuttle 10,transit,horizon,horizon\n",
        )
        .unwrap();
        let data = read_timeline(&path, &[]).unwrap();
        let names: Vec<&str> = data.units.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["system 1", "system 2", "shuttle 9", "shuttle 10"]);
        assert_eq!(data.states, ["idle", "transit", "lifting"]);
        assert_eq!(data.end_h, 100.0);
        let span = |start_h, end_h, state| Span {
            start_h,
            end_h,
            state,
        };
        // The idle instant at 0 h and the retirement leave no span.
        assert_eq!(
            data.units[0].spans,
            [span(0.0, 10.0, 1), span(10.0, 60.0, 2)]
        );
        assert_eq!(data.units[1].spans, [span(50.0, 100.0, 1)]);
        assert_eq!(data.units[2].spans, [span(0.0, 100.0, 0)]);
    }
}
