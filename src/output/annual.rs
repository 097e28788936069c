//! `annual.csv`: one row per year and metric, with its statistics across
//! replications.

use super::Exporter;
use crate::experiment::run::RunOutput;

pub struct AnnualCsv;

impl Exporter for AnnualCsv {
    fn file_name(&self) -> &'static str {
        "annual.csv"
    }

    fn render(&self, run: &RunOutput) -> anyhow::Result<Vec<u8>> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record([
            "year",
            "metric",
            "unit",
            "n",
            "mean",
            "ci95_half_width",
            "p10",
            "p50",
            "p90",
        ])?;
        for row in &run.annual {
            let s = row.summary;
            writer.write_record([
                row.year.to_string(),
                row.metric.name.to_string(),
                row.metric.unit.to_string(),
                s.n.to_string(),
                s.mean.to_string(),
                s.ci95_half_width.to_string(),
                s.p10.to_string(),
                s.p50.to_string(),
                s.p90.to_string(),
            ])?;
        }
        Ok(writer.into_inner()?)
    }
}
