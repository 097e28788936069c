//! `shipments.csv`: every delivery unloaded at port.

use super::{Exporter, Inputs};
use crate::model::Vessel;

pub struct ShipmentsCsv;

impl Exporter for ShipmentsCsv {
    fn file_name(&self) -> &'static str {
        "shipments.csv"
    }

    fn render(&self, inputs: &Inputs) -> anyhow::Result<Vec<u8>> {
        let run = inputs.run;
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record([
            "replication",
            "time_h",
            "vessel",
            "wet_t",
            "dry_t",
            "grade_rey_ppm",
            "reo_t",
        ])?;
        for row in &run.shipments {
            let s = row.shipment;
            let vessel = match s.vessel {
                Vessel::System(i) => format!("mining_system_{}", i + 1),
                Vessel::Shuttle(i) => format!("shuttle_{}", i + 1),
                Vessel::HubShip(i) => format!("hub_ship_{}", i + 1),
            };
            writer.write_record([
                row.replication.to_string(),
                s.time_h.to_string(),
                vessel,
                s.wet_t.to_string(),
                s.dry_t.to_string(),
                s.grade_ppm.to_string(),
                s.reo_t.to_string(),
            ])?;
        }
        Ok(writer.into_inner()?)
    }
}
