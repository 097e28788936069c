//! `weather_monthly.csv`: weather downtime share by calendar month.

use super::{Exporter, Inputs, SUMMARY_COLUMNS, summary_cells};

pub struct WeatherMonthlyCsv;

impl Exporter for WeatherMonthlyCsv {
    fn file_name(&self) -> &'static str {
        "weather_monthly.csv"
    }

    fn render(&self, inputs: &Inputs) -> anyhow::Result<Vec<u8>> {
        let run = inputs.run;
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["month"].iter().chain(&SUMMARY_COLUMNS))?;
        for (month, s) in run.weather_months.iter().enumerate() {
            let month = [(month + 1).to_string()];
            writer.write_record(month.iter().chain(&summary_cells(s)))?;
        }
        Ok(writer.into_inner()?)
    }
}
