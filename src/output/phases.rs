//! `phases.csv`: where each scale-up phase starts, for chart markers.

use super::Exporter;
use crate::experiment::run::RunOutput;

pub struct PhasesCsv;

impl Exporter for PhasesCsv {
    fn file_name(&self) -> &'static str {
        "phases.csv"
    }

    fn render(&self, run: &RunOutput) -> anyhow::Result<Vec<u8>> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["start_year", "name"])?;
        for phase in &run.scenario.phase {
            writer.write_record([phase.start_year.to_string(), phase.name.clone()])?;
        }
        Ok(writer.into_inner()?)
    }
}
