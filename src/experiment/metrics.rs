//! The reported metrics of a replication, per year and over the horizon,
//! including the mining industry's time-usage ratios.

use crate::model::{Replication, SystemState, YearRecord};
use crate::stats::budget::TimeBudget;

/// A reported quantity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Metric {
    /// Name in output files.
    pub name: &'static str,
    /// Unit, for tables and axis titles.
    pub unit: &'static str,
    /// A flow (tonnes, counts) whose horizon value is a rate per year; other
    /// metrics (grades, ratios, cumulative totals) are reported as they are.
    pub flow: bool,
}

impl Metric {
    /// The unit of the metric's horizon (KPI) value.
    pub fn horizon_unit(&self) -> String {
        if self.flow {
            format!("{}/yr", self.unit)
        } else {
            self.unit.to_string()
        }
    }
}

/// Annual metrics, in reporting order ([`Figures::values`] order).
pub const ANNUAL_METRICS: [Metric; 18] = [
    Metric {
        name: "mud_lifted_wet_t",
        unit: "t",
        flow: true,
    },
    Metric {
        name: "mud_delivered_wet_t",
        unit: "t",
        flow: true,
    },
    Metric {
        name: "mud_delivered_dry_t",
        unit: "t",
        flow: true,
    },
    Metric {
        name: "delivered_grade_rey_ppm",
        unit: "ppm",
        flow: false,
    },
    Metric {
        name: "reo_delivered_t",
        unit: "t",
        flow: true,
    },
    Metric {
        name: "reo_produced_t",
        unit: "t",
        flow: true,
    },
    Metric {
        name: "reo_light_t",
        unit: "t",
        flow: true,
    },
    Metric {
        name: "reo_heavy_t",
        unit: "t",
        flow: true,
    },
    Metric {
        name: "reo_refined_home_t",
        unit: "t",
        flow: true,
    },
    Metric {
        name: "reo_exported_t",
        unit: "t",
        flow: true,
    },
    Metric {
        name: "reo_cumulative_t",
        unit: "t",
        flow: false,
    },
    Metric {
        name: "physical_availability",
        unit: "fraction",
        flow: false,
    },
    Metric {
        name: "use_of_availability",
        unit: "fraction",
        flow: false,
    },
    Metric {
        name: "operating_utilisation",
        unit: "fraction",
        flow: false,
    },
    Metric {
        name: "effective_utilisation",
        unit: "fraction",
        flow: false,
    },
    Metric {
        name: "typhoons",
        unit: "count",
        flow: true,
    },
    Metric {
        name: "failures",
        unit: "count",
        flow: true,
    },
    Metric {
        name: "shipments",
        unit: "count",
        flow: true,
    },
];

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

    /// Physical availability = available / calendar hours.
    pub fn physical_availability(&self) -> f64 {
        ratio(self.available_h, self.calendar_h)
    }

    /// Use of availability = operating / available hours.
    pub fn use_of_availability(&self) -> f64 {
        ratio(self.operating_h, self.available_h)
    }

    /// Operating utilisation = operating / calendar hours.
    pub fn operating_utilisation(&self) -> f64 {
        ratio(self.operating_h, self.calendar_h)
    }

    /// Effective utilisation = productive (lifting) / calendar hours.
    pub fn effective_utilisation(&self) -> f64 {
        ratio(self.productive_h, self.calendar_h)
    }
}

/// Recovered REO (light and heavy) over `records`, t.
fn recovered_reo_t(records: &[YearRecord]) -> f64 {
    records.iter().map(|y| y.reo_light_t + y.reo_heavy_t).sum()
}

/// A ratio, undefined (NaN) without a denominator, e.g. the grade of a
/// year with no deliveries; summaries across replications leave it out.
fn ratio(numerator: f64, denominator: f64) -> f64 {
    if denominator > 0.0 {
        numerator / denominator
    } else {
        f64::NAN
    }
}

/// The figures of one replication over some years, per year.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Figures {
    pub lifted_wet_t: f64,
    pub delivered_wet_t: f64,
    pub delivered_dry_t: f64,
    pub grade_ppm: f64,
    pub reo_delivered_t: f64,
    pub reo_light_t: f64,
    pub reo_heavy_t: f64,
    pub reo_home_t: f64,
    pub reo_export_t: f64,
    /// Recovered REO since the start of the run, t (not a rate).
    pub reo_cumulative_t: f64,
    pub usage: TimeUsage,
    pub typhoons: f64,
    pub failures: f64,
    pub shipments: f64,
}

impl Figures {
    /// Sums `records`, divides flows by `years` to give annual rates, and
    /// takes the mass-weighted grade and the time-usage ratios of `usage`.
    fn from_records(
        records: &[YearRecord],
        usage: TimeUsage,
        years: f64,
        reo_cumulative_t: f64,
    ) -> Self {
        let sum = |field: fn(&YearRecord) -> f64| records.iter().map(field).sum::<f64>();
        let delivered_wet_t = sum(|y| y.delivered_wet_t);
        let delivered_dry_t = sum(|y| y.delivered_dry_t);
        Figures {
            lifted_wet_t: sum(|y| y.lifted_wet_t) / years,
            delivered_wet_t: delivered_wet_t / years,
            delivered_dry_t: delivered_dry_t / years,
            grade_ppm: ratio(sum(|y| y.delivered_rey_ppm_t), delivered_dry_t),
            reo_delivered_t: sum(|y| y.delivered_reo_t) / years,
            reo_light_t: sum(|y| y.reo_light_t) / years,
            reo_heavy_t: sum(|y| y.reo_heavy_t) / years,
            reo_home_t: sum(|y| y.reo_home_t) / years,
            reo_export_t: sum(|y| y.reo_export_t) / years,
            reo_cumulative_t,
            usage,
            typhoons: sum(|y| y.typhoons as f64) / years,
            failures: sum(|y| y.failures as f64) / years,
            shipments: sum(|y| y.shipments as f64) / years,
        }
    }

    /// Year `year` of `rep`.
    pub fn of_year(rep: &Replication, year: usize) -> Self {
        let usage = TimeUsage::of_year(&rep.system_budget, year);
        let cumulative = recovered_reo_t(&rep.years[..=year]);
        Figures::from_records(&rep.years[year..=year], usage, 1.0, cumulative)
    }

    /// Annual rates over the whole horizon of `years` simulated years.
    pub fn of_horizon(rep: &Replication, years: f64) -> Self {
        let mut usage = TimeUsage::default();
        for state in SystemState::ALL {
            usage.add_hours(state, rep.system_budget.total(state as usize));
        }
        let cumulative = recovered_reo_t(&rep.years);
        Figures::from_records(&rep.years, usage, years, cumulative)
    }

    /// The values in [`ANNUAL_METRICS`] order.
    pub fn values(&self) -> [f64; 18] {
        [
            self.lifted_wet_t,
            self.delivered_wet_t,
            self.delivered_dry_t,
            self.grade_ppm,
            self.reo_delivered_t,
            self.reo_light_t + self.reo_heavy_t,
            self.reo_light_t,
            self.reo_heavy_t,
            self.reo_home_t,
            self.reo_export_t,
            self.reo_cumulative_t,
            self.usage.physical_availability(),
            self.usage.use_of_availability(),
            self.usage.operating_utilisation(),
            self.usage.effective_utilisation(),
            self.typhoons,
            self.failures,
            self.shipments,
        ]
    }
}
