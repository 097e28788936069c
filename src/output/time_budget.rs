//! `time_budget.csv`: hours and share of time in each state, per unit type
//! and year, mean across replications.

use super::{Exporter, Inputs};

pub struct TimeBudgetCsv;

impl Exporter for TimeBudgetCsv {
    fn file_name(&self) -> &'static str {
        "time_budget.csv"
    }

    fn render(&self, inputs: &Inputs) -> anyhow::Result<Vec<u8>> {
        let run = inputs.run;
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["unit_type", "year", "state", "hours", "share"])?;
        for row in &run.time_budget {
            writer.write_record([
                row.unit_type.to_string(),
                row.year.to_string(),
                row.state.to_string(),
                row.hours.to_string(),
                row.share.to_string(),
            ])?;
        }
        Ok(writer.into_inner()?)
    }
}
