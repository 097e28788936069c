//! `weather_monthly.csv`: weather downtime share by calendar month, one
//! group of columns per operation (`trip_`, `lift_`, `transfer_` followed
//! by the summary statistics).

use super::{Exporter, Inputs, SUMMARY_COLUMNS, summary_cells};

pub struct WeatherMonthlyCsv;

impl Exporter for WeatherMonthlyCsv {
    fn file_name(&self) -> &'static str {
        "weather_monthly.csv"
    }

    fn render(&self, inputs: &Inputs) -> anyhow::Result<Vec<u8>> {
        let run = inputs.run;
        let mut writer = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["month".to_string()];
        for work in &run.weather_months {
            let name = work.work.name();
            header.extend(SUMMARY_COLUMNS.iter().map(|c| format!("{name}_{c}")));
        }
        writer.write_record(&header)?;
        for month in 0..12 {
            let mut record = vec![(month + 1).to_string()];
            for work in &run.weather_months {
                record.extend(summary_cells(&work.months[month]));
            }
            writer.write_record(&record)?;
        }
        Ok(writer.into_inner()?)
    }
}
