//! `trace.csv`: the vessel timeline of the replication `--trace` names,
//! one row per change of a unit's state, in the order they happened.

use std::path::{Path, PathBuf};

use super::write_atomic;
use crate::model::trace::Trace;

/// The file's name in the output folder.
pub const FILE_NAME: &str = "trace.csv";

/// The file's bytes.
pub fn render(trace: &Trace) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["time_h", "unit", "from_state", "to_state", "cause"])?;
    for row in &trace.rows {
        writer.write_record([
            row.time_h.to_string(),
            row.unit(),
            row.from.to_string(),
            row.to.to_string(),
            row.cause.to_string(),
        ])?;
    }
    Ok(writer.into_inner()?)
}

/// Writes `trace.csv` into `dir`; returns its path.
pub fn write(dir: &Path, trace: &Trace) -> anyhow::Result<PathBuf> {
    let path = dir.join(FILE_NAME);
    write_atomic(&path, &render(trace)?)?;
    Ok(path)
}
