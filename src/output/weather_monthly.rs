//! `weather_monthly.csv`: weather downtime share by calendar month.

use super::{Exporter, SUMMARY_COLUMNS, summary_cells};
use crate::experiment::run::RunOutput;

pub struct WeatherMonthlyCsv;

impl Exporter for WeatherMonthlyCsv {
    fn file_name(&self) -> &'static str {
        "weather_monthly.csv"
    }

    fn render(&self, run: &RunOutput) -> anyhow::Result<Vec<u8>> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["month"].iter().chain(&SUMMARY_COLUMNS))?;
        for (month, s) in run.weather_months.iter().enumerate() {
            let month = [(month + 1).to_string()];
            writer.write_record(month.iter().chain(&summary_cells(s)))?;
        }
        Ok(writer.into_inner()?)
    }
}
