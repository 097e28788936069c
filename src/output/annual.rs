//! `annual.csv`: one row per year and metric, with its statistics across
//! replications.

use super::{Exporter, Inputs, SUMMARY_COLUMNS, summary_cells};

pub struct AnnualCsv;

impl Exporter for AnnualCsv {
    fn file_name(&self) -> &'static str {
        "annual.csv"
    }

    fn render(&self, inputs: &Inputs) -> anyhow::Result<Vec<u8>> {
        let run = inputs.run;
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["year", "metric", "unit"].iter().chain(&SUMMARY_COLUMNS))?;
        for row in &run.annual {
            let key = [
                row.year.to_string(),
                row.metric.name.to_string(),
                row.metric.unit.to_string(),
            ];
            writer.write_record(key.iter().chain(&summary_cells(&row.summary)))?;
        }
        Ok(writer.into_inner()?)
    }
}
