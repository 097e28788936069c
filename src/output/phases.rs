//! `phases.csv`: where each scale-up phase starts, for chart markers.

use super::{Exporter, Inputs};

pub struct PhasesCsv;

impl Exporter for PhasesCsv {
    fn file_name(&self) -> &'static str {
        "phases.csv"
    }

    fn render(&self, inputs: &Inputs) -> anyhow::Result<Vec<u8>> {
        let run = inputs.run;
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["start_year", "name"])?;
        for phase in &run.scenario.phase {
            writer.write_record([phase.start_year.to_string(), phase.name.clone()])?;
        }
        Ok(writer.into_inner()?)
    }
}
