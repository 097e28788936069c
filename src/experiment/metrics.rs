//! Every reported metric, declared once in [`METRICS`]: its name, unit,
//! label, kind and how one replication's value is computed. Aggregation,
//! the result files, the tables and the charts iterate that table, so a
//! metric is added by adding a row. Also the mining industry's time-usage
//! ratios the availability metrics are made of.

use crate::model::{Replication, SystemState, YearMoney, YearRecord};
use crate::scenario::Scenario;
use crate::stats::budget::TimeBudget;

/// What a metric measures, which decides where it is reported and the unit
/// of its horizon (KPI) value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Tonnes or counts over a period: a value per year in `annual.csv`,
    /// and over the horizon a rate per year (total ÷ simulated years).
    Flow,
    /// A grade, ratio or running total of a period: a value per year, and
    /// the same quantity over the whole horizon.
    Level,
    /// One value per replication over the whole run (an NPV, a break-even
    /// year): a KPI, with no rows in `annual.csv`.
    WholeRun,
}

impl Kind {
    /// Every kind, in the order `deepmud metrics` explains them.
    pub const ALL: [Kind; 3] = [Kind::Flow, Kind::Level, Kind::WholeRun];

    /// The kind's name in listings.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Flow => "annual flow",
            Kind::Level => "annual level",
            Kind::WholeRun => "whole run",
        }
    }

    /// What a metric of this kind reports, in a sentence.
    pub fn meaning(self) -> &'static str {
        match self {
            Kind::Flow => "a total per year; its KPI is the rate per year over the horizon",
            Kind::Level => "a value per year; its KPI is the same quantity over the horizon",
            Kind::WholeRun => "one value per replication over the whole run; no annual rows",
        }
    }

    /// Whether the metric has a value per year (rows in `annual.csv`).
    pub fn is_annual(self) -> bool {
        !matches!(self, Kind::WholeRun)
    }
}

/// A reported quantity, declared once in [`METRICS`].
#[derive(Clone, Copy, Debug)]
pub struct Metric {
    /// Name in output files; a metric's identity.
    pub name: &'static str,
    /// Unit of its annual values, for tables and axis titles.
    pub unit: &'static str,
    /// Human name, with the unit as shown, for tables.
    pub label: &'static str,
    pub kind: Kind,
    /// Whether `deepmud run` prints it in its short KPI table (every metric
    /// is in `summary.json` and `report.md`).
    pub kpi_table: bool,
    /// Whether it is money, reported only for a scenario with `[economics]`.
    pub money: bool,
    /// The value of one replication over `period` (a flow as a rate per
    /// year of the period); `None` where undefined, e.g. the grade of a year
    /// with no deliveries, which summaries across replications leave out.
    /// A whole-run metric is only asked about the horizon.
    pub value: fn(&Period) -> Option<f64>,
}

impl Metric {
    /// The unit of the metric's horizon (KPI) value.
    pub fn horizon_unit(&self) -> String {
        match self.kind {
            Kind::Flow => format!("{}/yr", self.unit),
            Kind::Level | Kind::WholeRun => self.unit.to_string(),
        }
    }
}

/// Metrics are told apart by name.
impl PartialEq for Metric {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Metric {}

/// Every metric, in reporting order: the order of `annual.csv`, the KPI
/// tables and `deepmud metrics`.
pub const METRICS: &[Metric] = &[
    Metric {
        name: "mud_lifted_wet_t",
        unit: "t",
        label: "Mud lifted, wet (t/yr)",
        kind: Kind::Flow,
        kpi_table: true,
        money: false,
        value: |p| Some(p.rate(|y| y.lifted_wet_t)),
    },
    Metric {
        name: "mud_delivered_wet_t",
        unit: "t",
        label: "Mud delivered, wet (t/yr)",
        kind: Kind::Flow,
        kpi_table: true,
        money: false,
        value: |p| Some(p.rate(|y| y.delivered_wet_t)),
    },
    Metric {
        name: "mud_delivered_dry_t",
        unit: "t",
        label: "Mud delivered, dry (t/yr)",
        kind: Kind::Flow,
        kpi_table: true,
        money: false,
        value: |p| Some(p.rate(|y| y.delivered_dry_t)),
    },
    Metric {
        name: "delivered_grade_rey_ppm",
        unit: "ppm",
        label: "Delivered grade (REY ppm)",
        kind: Kind::Level,
        kpi_table: true,
        money: false,
        // Mass-weighted over the period's deliveries.
        value: |p| {
            ratio(
                p.total(|y| y.delivered_rey_ppm_t),
                p.total(|y| y.delivered_dry_t),
            )
        },
    },
    Metric {
        name: "reo_delivered_t",
        unit: "t",
        label: "REO in delivered mud (t/yr)",
        kind: Kind::Flow,
        kpi_table: true,
        money: false,
        value: |p| Some(p.rate(|y| y.delivered_reo_t)),
    },
    Metric {
        name: "reo_produced_t",
        unit: "t",
        label: "REO produced (t/yr)",
        kind: Kind::Flow,
        kpi_table: false,
        money: false,
        // The sum of the two rates below, so it equals light + heavy exactly.
        value: |p| Some(p.rate(|y| y.reo_light_t) + p.rate(|y| y.reo_heavy_t)),
    },
    Metric {
        name: "reo_light_t",
        unit: "t",
        label: "REO produced, light (t/yr)",
        kind: Kind::Flow,
        kpi_table: true,
        money: false,
        value: |p| Some(p.rate(|y| y.reo_light_t)),
    },
    Metric {
        name: "reo_heavy_t",
        unit: "t",
        label: "REO produced, heavy (t/yr)",
        kind: Kind::Flow,
        kpi_table: true,
        money: false,
        value: |p| Some(p.rate(|y| y.reo_heavy_t)),
    },
    Metric {
        name: "reo_refined_home_t",
        unit: "t",
        label: "REO refined at home (t/yr)",
        kind: Kind::Flow,
        kpi_table: false,
        money: false,
        value: |p| Some(p.rate(|y| y.reo_home_t)),
    },
    Metric {
        name: "reo_exported_t",
        unit: "t",
        label: "REO exported to refine (t/yr)",
        kind: Kind::Flow,
        kpi_table: false,
        money: false,
        value: |p| Some(p.rate(|y| y.reo_export_t)),
    },
    Metric {
        name: "reo_exported_purity_t",
        unit: "t",
        label: "REO exported for purity (t/yr)",
        kind: Kind::Flow,
        kpi_table: false,
        money: false,
        value: |p| Some(p.rate(|y| y.reo_export_purity_t)),
    },
    Metric {
        name: "home_refined_share",
        unit: "fraction",
        label: "Share of REO refined at home",
        kind: Kind::Level,
        kpi_table: true,
        money: false,
        value: |p| {
            let home = p.total(|y| y.reo_home_t);
            ratio(home, home + p.total(|y| y.reo_export_t))
        },
    },
    Metric {
        name: "reo_cumulative_t",
        unit: "t",
        label: "REO produced, cumulative (t)",
        kind: Kind::Level,
        kpi_table: false,
        money: false,
        // Since the start of the run, to the end of the period.
        value: |p| {
            let recovered = p.since_start().iter();
            Some(recovered.map(|y| y.reo_light_t + y.reo_heavy_t).sum())
        },
    },
    Metric {
        name: "physical_availability",
        unit: "fraction",
        label: "Physical availability",
        kind: Kind::Level,
        kpi_table: true,
        money: false,
        value: |p| p.usage().physical_availability(),
    },
    Metric {
        name: "use_of_availability",
        unit: "fraction",
        label: "Use of availability",
        kind: Kind::Level,
        kpi_table: true,
        money: false,
        value: |p| p.usage().use_of_availability(),
    },
    Metric {
        name: "operating_utilisation",
        unit: "fraction",
        label: "Operating utilisation",
        kind: Kind::Level,
        kpi_table: true,
        money: false,
        value: |p| p.usage().operating_utilisation(),
    },
    Metric {
        name: "effective_utilisation",
        unit: "fraction",
        label: "Lifting share of calendar",
        kind: Kind::Level,
        kpi_table: true,
        money: false,
        value: |p| p.usage().effective_utilisation(),
    },
    Metric {
        name: "typhoons",
        unit: "count",
        label: "Typhoon warnings (/yr)",
        kind: Kind::Flow,
        kpi_table: true,
        money: false,
        value: |p| Some(p.rate(|y| y.typhoons as f64)),
    },
    Metric {
        name: "typhoon_unfinished_retrievals",
        unit: "count",
        label: "Typhoon retrievals late (/yr)",
        kind: Kind::Flow,
        kpi_table: true,
        money: false,
        value: |p| Some(p.rate(|y| y.typhoon_unfinished_retrievals as f64)),
    },
    Metric {
        name: "failures",
        unit: "count",
        label: "Failures (/yr)",
        kind: Kind::Flow,
        kpi_table: true,
        money: false,
        value: |p| Some(p.rate(|y| y.failures as f64)),
    },
    Metric {
        name: "shipments",
        unit: "count",
        label: "Shipments (/yr)",
        kind: Kind::Flow,
        kpi_table: true,
        money: false,
        value: |p| Some(p.rate(|y| y.shipments as f64)),
    },
    Metric {
        name: "no_lift_share",
        unit: "fraction",
        label: "Replications lifting nothing",
        kind: Kind::WholeRun,
        kpi_table: true,
        money: false,
        // 1 for a replication that lifts nothing, else 0: the mean across
        // replications is the share, its CI that of a proportion.
        value: |p| Some(f64::from(u8::from(p.total(|y| y.lifted_wet_t) <= 0.0))),
    },
    Metric {
        name: "cost_per_kg",
        unit: "USD/kg",
        label: "Cost per kg REO (USD/kg)",
        kind: Kind::Level,
        kpi_table: true,
        money: true,
        // Every cost of the period over the oxide it produced.
        value: |p| {
            let kg = p.total(|y| y.reo_light_t + y.reo_heavy_t) * KG_PER_T;
            p.money_total(YearMoney::cost_usd)
                .and_then(|cost| ratio(cost, kg))
        },
    },
    Metric {
        name: "price_usd_per_kg",
        unit: "USD/kg",
        label: "Market price of the basket (USD/kg)",
        kind: Kind::Level,
        kpi_table: true,
        money: true,
        // Over several years: weighted by the oxide sold, or the mean of
        // the years' prices when none was.
        value: |p| {
            let money = p.money()?;
            let kg = p.total(|y| y.reo_light_t + y.reo_heavy_t) * KG_PER_T;
            let revenue: f64 = money.iter().map(|m| m.revenue_usd).sum();
            let mean = money.iter().map(|m| m.price_usd_per_kg).sum::<f64>() / money.len() as f64;
            Some(ratio(revenue, kg).unwrap_or(mean))
        },
    },
    Metric {
        name: "cost_to_price_ratio",
        unit: "ratio",
        label: "Cost per kg ÷ market price",
        kind: Kind::Level,
        kpi_table: true,
        money: true,
        // Cost over revenue: cost per kg ÷ the price the oxide sold at.
        value: |p| {
            let cost = p.money_total(YearMoney::cost_usd)?;
            ratio(cost, p.money_total(|m| m.revenue_usd)?)
        },
    },
    Metric {
        name: "revenue_usd",
        unit: "USD",
        label: "Revenue (USD/yr)",
        kind: Kind::Flow,
        kpi_table: false,
        money: true,
        value: |p| p.money_rate(|m| m.revenue_usd),
    },
    Metric {
        name: "cost_usd",
        unit: "USD",
        label: "Cost (USD/yr)",
        kind: Kind::Flow,
        kpi_table: false,
        money: true,
        value: |p| p.money_rate(YearMoney::cost_usd),
    },
    Metric {
        name: "cost_vessels_usd",
        unit: "USD",
        label: "Cost: vessel day rates (USD/yr)",
        kind: Kind::Flow,
        kpi_table: false,
        money: true,
        value: |p| p.money_rate(|m| m.vessels_usd),
    },
    Metric {
        name: "cost_fuel_usd",
        unit: "USD",
        label: "Cost: fuel (USD/yr)",
        kind: Kind::Flow,
        kpi_table: false,
        money: true,
        value: |p| p.money_rate(|m| m.fuel_usd),
    },
    Metric {
        name: "cost_capex_usd",
        unit: "USD",
        label: "Cost: capital (USD/yr)",
        kind: Kind::Flow,
        kpi_table: false,
        money: true,
        value: |p| p.money_rate(|m| m.capex_usd),
    },
    Metric {
        name: "cost_processing_usd",
        unit: "USD",
        label: "Cost: processing (USD/yr)",
        kind: Kind::Flow,
        kpi_table: false,
        money: true,
        value: |p| p.money_rate(|m| m.processing_usd),
    },
    Metric {
        name: "cost_transport_usd",
        unit: "USD",
        label: "Cost: transport (USD/yr)",
        kind: Kind::Flow,
        kpi_table: false,
        money: true,
        value: |p| p.money_rate(|m| m.transport_usd),
    },
    Metric {
        name: "cost_refining_home_usd",
        unit: "USD",
        label: "Cost: refining at home (USD/yr)",
        kind: Kind::Flow,
        kpi_table: false,
        money: true,
        value: |p| p.money_rate(|m| m.refining_home_usd),
    },
    Metric {
        name: "cost_refining_abroad_usd",
        unit: "USD",
        label: "Cost: refining abroad, with freight (USD/yr)",
        kind: Kind::Flow,
        kpi_table: false,
        money: true,
        value: |p| p.money_rate(|m| m.refining_abroad_usd),
    },
    Metric {
        name: "cost_programme_usd",
        unit: "USD",
        label: "Cost: programme (USD/yr)",
        kind: Kind::Flow,
        kpi_table: false,
        money: true,
        value: |p| p.money_rate(|m| m.programme_usd),
    },
    Metric {
        name: "cash_flow_usd",
        unit: "USD",
        label: "Cash flow (USD/yr)",
        kind: Kind::Flow,
        kpi_table: false,
        money: true,
        value: |p| p.money_rate(|m| m.cash_flow_usd),
    },
    Metric {
        name: "cumulative_cash_flow_usd",
        unit: "USD",
        label: "Cumulative cash flow (USD)",
        kind: Kind::Level,
        kpi_table: false,
        money: true,
        // Since the start of the run, to the end of the period.
        value: |p| {
            let money = p.money_since_start()?;
            Some(money.iter().map(|m| m.cash_flow_usd).sum())
        },
    },
    Metric {
        name: "npv_usd",
        unit: "USD",
        label: "Net present value (USD)",
        kind: Kind::WholeRun,
        kpi_table: true,
        money: true,
        value: |p| p.replication.money.as_ref().map(|m| m.npv_usd),
    },
    Metric {
        name: "irr",
        unit: "fraction",
        label: "Internal rate of return",
        kind: Kind::WholeRun,
        kpi_table: true,
        money: true,
        // Undefined where the cash flows never change sign.
        value: |p| p.replication.money.as_ref().and_then(|m| m.irr),
    },
    Metric {
        name: "breakeven_year",
        unit: "year",
        label: "Break-even year",
        kind: Kind::WholeRun,
        kpi_table: true,
        money: true,
        // Undefined for a replication that does not break even within the
        // horizon: breakeven_share counts those that do.
        value: |p| {
            let money = p.replication.money.as_ref()?;
            money.breakeven_year.map(|year| year as f64)
        },
    },
    Metric {
        name: "breakeven_share",
        unit: "fraction",
        label: "Replications breaking even",
        kind: Kind::WholeRun,
        kpi_table: true,
        money: true,
        value: |p| {
            let money = p.replication.money.as_ref()?;
            Some(f64::from(u8::from(money.breakeven_year.is_some())))
        },
    },
];

/// kg per t.
const KG_PER_T: f64 = 1000.0;

/// The metric of [`METRICS`] called `name`. Meant for constants
/// (`const M: &Metric = named("…")`), where a name not in the table is a
/// build error; called at run time with such a name, it panics.
pub const fn named(name: &str) -> &'static Metric {
    let mut index = 0;
    while index < METRICS.len() {
        if same_text(METRICS[index].name, name) {
            return &METRICS[index];
        }
        index += 1;
    }
    panic!("no metric of that name in METRICS");
}

/// `a == b`, usable in a `const fn`.
const fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut index = 0;
    while index < a.len() {
        if a[index] != b[index] {
            return false;
        }
        index += 1;
    }
    true
}

/// Which stretch of a replication a [`Period`] covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    /// One simulated year, from 0.
    Year(usize),
    /// The whole horizon.
    Horizon,
}

/// A stretch of one replication that metrics are evaluated over, with the
/// scenario it ran.
#[derive(Clone, Copy, Debug)]
pub struct Period<'a> {
    pub replication: &'a Replication,
    pub scenario: &'a Scenario,
    pub span: Span,
}

impl Period<'_> {
    /// The year records of the period.
    pub fn records(&self) -> &[YearRecord] {
        match self.span {
            Span::Year(year) => &self.replication.years[year..=year],
            Span::Horizon => &self.replication.years,
        }
    }

    /// The year records from the start of the run to the end of the period.
    pub fn since_start(&self) -> &[YearRecord] {
        match self.span {
            Span::Year(year) => &self.replication.years[..=year],
            Span::Horizon => &self.replication.years,
        }
    }

    /// Length, simulated years: 1 for a year, the scenario's (possibly
    /// fractional) `years` for the horizon.
    pub fn length_years(&self) -> f64 {
        match self.span {
            Span::Year(_) => 1.0,
            Span::Horizon => self.scenario.scenario.years,
        }
    }

    /// `field` summed over the period's year records.
    pub fn total(&self, field: fn(&YearRecord) -> f64) -> f64 {
        self.records().iter().map(field).sum()
    }

    /// `field` per simulated year of the period: its total ÷ the length.
    pub fn rate(&self, field: fn(&YearRecord) -> f64) -> f64 {
        self.total(field) / self.length_years()
    }

    /// The money of the period's years; `None` without `[economics]`.
    pub fn money(&self) -> Option<&[YearMoney]> {
        let years = &self.replication.money.as_ref()?.years;
        Some(match self.span {
            Span::Year(year) => &years[year..=year],
            Span::Horizon => years,
        })
    }

    /// The money from the start of the run to the end of the period.
    pub fn money_since_start(&self) -> Option<&[YearMoney]> {
        let years = &self.replication.money.as_ref()?.years;
        Some(match self.span {
            Span::Year(year) => &years[..=year],
            Span::Horizon => years,
        })
    }

    /// `field` summed over the period's money.
    pub fn money_total(&self, field: fn(&YearMoney) -> f64) -> Option<f64> {
        Some(self.money()?.iter().map(field).sum())
    }

    /// `field` per simulated year of the period.
    pub fn money_rate(&self, field: fn(&YearMoney) -> f64) -> Option<f64> {
        Some(self.money_total(field)? / self.length_years())
    }

    /// The mining systems' time usage over the period.
    pub fn usage(&self) -> TimeUsage {
        let budget = &self.replication.system_budget;
        match self.span {
            Span::Year(year) => TimeUsage::of_year(budget, year),
            Span::Horizon => TimeUsage::of_horizon(budget),
        }
    }
}

/// The time-usage hours of mining systems over some period.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TimeUsage {
    pub calendar_h: f64,
    pub available_h: f64,
    pub operating_h: f64,
    pub productive_h: f64,
}

impl TimeUsage {
    /// Classifies each state: failure and maintenance make a system
    /// unavailable; transit, unloading, tripping, lifting and relocation are
    /// operating time; lifting is productive; the rest (idle, queues,
    /// weather, typhoon, blocked, crew change) is standby.
    pub fn add_hours(&mut self, state: SystemState, hours: f64) {
        self.calendar_h += hours;
        let down = matches!(state, SystemState::Failure | SystemState::Maintenance);
        if !down {
            self.available_h += hours;
        }
        let operating = matches!(
            state,
            SystemState::Transit
                | SystemState::Unloading
                | SystemState::TrippingIn
                | SystemState::TrippingOut
                | SystemState::Lifting
                | SystemState::Relocation
        );
        if operating {
            self.operating_h += hours;
        }
        if state == SystemState::Lifting {
            self.productive_h += hours;
        }
    }

    /// Of year `year` of a system budget.
    pub fn of_year(budget: &TimeBudget, year: usize) -> TimeUsage {
        let mut usage = TimeUsage::default();
        for state in SystemState::ALL {
            usage.add_hours(state, budget.hours(year, state as usize));
        }
        usage
    }

    /// Of every year of a system budget.
    pub fn of_horizon(budget: &TimeBudget) -> TimeUsage {
        let mut usage = TimeUsage::default();
        for state in SystemState::ALL {
            usage.add_hours(state, budget.total(state as usize));
        }
        usage
    }

    /// Physical availability = available / calendar hours.
    pub fn physical_availability(&self) -> Option<f64> {
        ratio(self.available_h, self.calendar_h)
    }

    /// Use of availability = operating / available hours.
    pub fn use_of_availability(&self) -> Option<f64> {
        ratio(self.operating_h, self.available_h)
    }

    /// Operating utilisation = operating / calendar hours.
    pub fn operating_utilisation(&self) -> Option<f64> {
        ratio(self.operating_h, self.calendar_h)
    }

    /// Effective utilisation = productive (lifting) / calendar hours.
    pub fn effective_utilisation(&self) -> Option<f64> {
        ratio(self.productive_h, self.calendar_h)
    }
}

/// A ratio, undefined without a denominator, e.g. the grade of a year with
/// no deliveries.
fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator > 0.0).then(|| numerator / denominator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_has_a_unique_name_a_unit_and_a_label() {
        for (index, metric) in METRICS.iter().enumerate() {
            assert!(!metric.unit.is_empty(), "{}", metric.name);
            assert!(!metric.label.is_empty(), "{}", metric.name);
            let twin = METRICS[..index].iter().find(|m| m.name == metric.name);
            assert!(twin.is_none(), "{} is declared twice", metric.name);
        }
    }

    #[test]
    fn a_flow_reports_a_rate_per_year_over_the_horizon() {
        let lifted = named("mud_lifted_wet_t");
        assert_eq!(
            (lifted.kind, lifted.horizon_unit()),
            (Kind::Flow, "t/yr".into())
        );
        let cumulative = named("reo_cumulative_t");
        assert_eq!(cumulative.kind, Kind::Level);
        assert_eq!(cumulative.horizon_unit(), "t");
    }

    #[test]
    fn a_ratio_without_a_denominator_is_undefined() {
        assert_eq!(ratio(3.0, 4.0), Some(0.75));
        assert_eq!(ratio(0.0, 0.0), None);
        assert_eq!(TimeUsage::default().physical_availability(), None);
    }
}
