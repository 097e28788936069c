//! `shipments.csv`: every delivery unloaded at port, written as the run
//! goes, in replication order, so the log never has to fit in memory.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::Context;

use crate::experiment::run::ShipmentSink;
use crate::model::{Shipment, Vessel};

/// The file's name in the output folder.
pub const FILE_NAME: &str = "shipments.csv";

/// A `shipments.csv` being written.
pub struct ShipmentsCsv<W: Write> {
    writer: csv::Writer<W>,
}

impl ShipmentsCsv<BufWriter<File>> {
    /// Creates `path` and writes its header.
    pub fn create(path: &Path) -> anyhow::Result<Self> {
        let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
        ShipmentsCsv::new(BufWriter::new(file))
            .with_context(|| format!("writing {}", path.display()))
    }

    /// Flushes the file to disk.
    pub fn finish_file(self) -> io::Result<()> {
        let file = self.finish()?.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()
    }
}

impl<W: Write> ShipmentsCsv<W> {
    /// Starts the file on `out` with its header.
    pub fn new(out: W) -> io::Result<Self> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record([
            "replication",
            "time_h",
            "vessel",
            "wet_t",
            "dry_t",
            "grade_rey_ppm",
            "reo_t",
        ])?;
        Ok(ShipmentsCsv { writer })
    }

    /// Flushes what is buffered and returns the underlying writer.
    pub fn finish(self) -> io::Result<W> {
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}

impl<W: Write> ShipmentSink for ShipmentsCsv<W> {
    fn replication(&mut self, replication: u64, shipments: &[Shipment]) -> io::Result<()> {
        for s in shipments {
            let vessel = match s.vessel {
                Vessel::System(i) => format!("mining_system_{}", i + 1),
                Vessel::Shuttle(i) => format!("shuttle_{}", i + 1),
                Vessel::HubShip(i) => format!("hub_ship_{}", i + 1),
            };
            self.writer.write_record([
                replication.to_string(),
                s.time_h.to_string(),
                vessel,
                s.wet_t.to_string(),
                s.dry_t.to_string(),
                s.grade_ppm.to_string(),
                s.reo_t.to_string(),
            ])?;
        }
        Ok(())
    }
}
