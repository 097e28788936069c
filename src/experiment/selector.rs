//! Metric selectors: which value of a [`Metric`] an experiment compares
//! across points. `reo_produced_t` is its horizon value (a flow as a rate
//! per year), `reo_produced_t@total` a flow's total over the horizon, and
//! `reo_produced_t@year10` its value in simulated year 10.

use std::fmt;

use super::metrics::{Kind, METRICS, Metric, Period, Span};
use crate::model::Replication;
use crate::scenario::Scenario;

/// Which value of a metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// The horizon (KPI) value: a flow as a rate per year.
    Horizon,
    /// A flow's total over the horizon.
    Total,
    /// The value in one simulated year, from 1.
    Year(usize),
}

/// A metric and which of its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selector {
    pub metric: &'static Metric,
    pub at: At,
}

/// A selector that names no value: the message says what is allowed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("--metric {text}: {reason}")]
pub struct SelectorError {
    pub text: String,
    pub reason: String,
}

impl Selector {
    /// Parses `NAME`, `NAME@total` or `NAME@yearN`.
    pub fn parse(text: &str) -> Result<Selector, SelectorError> {
        let error = |reason: String| SelectorError {
            text: text.to_string(),
            reason,
        };
        let (name, suffix) = match text.trim().split_once('@') {
            Some((name, suffix)) => (name, Some(suffix)),
            None => (text.trim(), None),
        };
        let metric = METRICS.iter().find(|m| m.name == name).ok_or_else(|| {
            let names: Vec<&str> = METRICS.iter().map(|m| m.name).collect();
            let hint = crate::scenario::did_you_mean(name, &names)
                .map_or(String::new(), |close| format!("did you mean `{close}`? "));
            error(format!(
                "unknown metric; {hint}`deepmud metrics` lists them all"
            ))
        })?;
        let at = match suffix {
            None => At::Horizon,
            Some("total") if metric.kind == Kind::Flow => At::Total,
            Some("total") => {
                return Err(error(format!(
                    "`@total` is for flows; {} is a {}, whose horizon value is `{name}`",
                    metric.name,
                    metric.kind.name()
                )));
            }
            Some(year) => {
                let number = year
                    .strip_prefix("year")
                    .and_then(|n| n.parse::<usize>().ok());
                match number {
                    Some(n) if n >= 1 && metric.kind.is_annual() => At::Year(n),
                    Some(_) if !metric.kind.is_annual() => {
                        return Err(error(format!(
                            "{} is a whole-run metric, with no value per year",
                            metric.name
                        )));
                    }
                    _ => {
                        return Err(error(format!(
                            "`@{year}` is not a value of a metric: write `{name}`, \
                             `{name}@total` or `{name}@yearN` with N from 1"
                        )));
                    }
                }
            }
        };
        Ok(Selector { metric, at })
    }

    /// The value for `replication` of `scenario`; NaN where undefined.
    pub fn value(&self, replication: &Replication, scenario: &Scenario) -> f64 {
        let period = |span| Period {
            replication,
            scenario,
            span,
        };
        let value = match self.at {
            At::Horizon => (self.metric.value)(&period(Span::Horizon)),
            At::Total => (self.metric.value)(&period(Span::Horizon))
                .map(|rate| rate * scenario.scenario.years),
            At::Year(year) if year <= replication.years.len() => {
                (self.metric.value)(&period(Span::Year(year - 1)))
            }
            At::Year(_) => None,
        };
        value.unwrap_or(f64::NAN)
    }

    /// Refuses a money metric of a scenario without `[economics]`, and a
    /// year past its horizon.
    pub fn check(&self, scenario: &Scenario) -> Result<(), SelectorError> {
        if self.metric.money && scenario.economics.is_none() {
            return Err(SelectorError {
                text: self.to_string(),
                reason: format!(
                    "scenario `{}` has no [economics] section, so no money is reported",
                    scenario.scenario.name
                ),
            });
        }
        self.check_years(scenario.scenario.years)
    }

    /// Refuses a year past the horizon of a scenario running `years`.
    fn check_years(&self, years: f64) -> Result<(), SelectorError> {
        let last = years.ceil().max(1.0) as usize;
        match self.at {
            At::Year(year) if year > last => Err(SelectorError {
                text: self.to_string(),
                reason: format!("the scenario runs {years} years, so years 1 to {last}"),
            }),
            _ => Ok(()),
        }
    }

    /// The unit of the selected value.
    pub fn unit(&self) -> String {
        match self.at {
            At::Horizon => self.metric.horizon_unit(),
            At::Total | At::Year(_) => self.metric.unit.to_string(),
        }
    }

    /// A human title: the metric's label, qualified by which value.
    pub fn title(&self) -> String {
        let label = self.metric.label;
        match self.at {
            At::Horizon => label.to_string(),
            At::Total => format!("{}, total over the horizon ({})", bare(label), self.unit()),
            At::Year(year) => format!("{}, year {year} ({})", bare(label), self.unit()),
        }
    }
}

/// A label without its trailing unit in parentheses.
fn bare(label: &str) -> &str {
    match label.rfind(" (") {
        Some(cut) if label.ends_with(')') => &label[..cut],
        _ => label,
    }
}

impl fmt::Display for Selector {
    /// The text [`Selector::parse`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            At::Horizon => write!(f, "{}", self.metric.name),
            At::Total => write!(f, "{}@total", self.metric.name),
            At::Year(year) => write!(f, "{}@year{year}", self.metric.name),
        }
    }
}

/// The selector syntax, for `deepmud metrics`.
pub const SYNTAX: &str = "Experiments (sweep, tornado, compare) take --metric NAME (its KPI value),\n\
NAME@total (a flow's total over the horizon) or NAME@yearN (its value in year N,\n\
from 1), e.g. --metric reo_produced_t@year10.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selector_reads_back_what_it_writes() {
        for text in [
            "reo_produced_t",
            "reo_produced_t@total",
            "mud_lifted_wet_t@year3",
            "physical_availability@year1",
        ] {
            assert_eq!(Selector::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn bad_selectors_say_what_is_allowed() {
        let reason = |text: &str| Selector::parse(text).unwrap_err().to_string();
        assert_eq!(
            reason("reo_produced"),
            "--metric reo_produced: unknown metric; did you mean `reo_produced_t`? \
             `deepmud metrics` lists them all"
        );
        assert!(reason("physical_availability@total").contains("`@total` is for flows"));
        assert!(reason("no_lift_share@year2").contains("whole-run metric"));
        assert!(reason("reo_produced_t@year0").contains("N from 1"));
        assert!(reason("reo_produced_t@2030").contains("`@2030` is not a value"));
        let late = Selector::parse("reo_produced_t@year11").unwrap();
        assert_eq!(
            late.check_years(10.0).unwrap_err().to_string(),
            "--metric reo_produced_t@year11: the scenario runs 10 years, so years 1 to 10"
        );
        assert!(late.check_years(10.5).is_ok());
    }

    #[test]
    fn titles_name_the_value_and_its_unit() {
        let title = |text: &str| Selector::parse(text).unwrap().title();
        assert_eq!(title("reo_produced_t"), "REO produced (t/yr)");
        assert_eq!(
            title("reo_produced_t@total"),
            "REO produced, total over the horizon (t)"
        );
        assert_eq!(title("reo_produced_t@year4"), "REO produced, year 4 (t)");
    }
}
