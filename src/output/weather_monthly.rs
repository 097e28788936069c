//! `weather_monthly.csv`: weather downtime share by calendar month.

use super::Exporter;
use crate::experiment::run::RunOutput;

pub struct WeatherMonthlyCsv;

impl Exporter for WeatherMonthlyCsv {
    fn file_name(&self) -> &'static str {
        "weather_monthly.csv"
    }

    fn render(&self, run: &RunOutput) -> anyhow::Result<Vec<u8>> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["month", "n", "mean", "ci95_half_width", "p10", "p50", "p90"])?;
        for (month, s) in run.weather_months.iter().enumerate() {
            writer.write_record([
                (month + 1).to_string(),
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
