//! `replications.csv`: every replication's metric values, one row per
//! point and replication. While an experiment runs it is its journal: each
//! finished point is appended as one block and flushed, in the order points
//! finish, so a killed run loses only the points in flight. At the end the
//! rows are written sorted by point and replication, which is what makes a
//! resumed or merged run byte-identical to an uninterrupted one.
//!
//! Values are written as the shortest decimal that reads back as the same
//! `f64`, and an undefined value as an empty cell.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::experiment::analysis::Values;
use crate::experiment::batch::Finished;

/// The file's name.
pub const FILE_NAME: &str = "replications.csv";

/// A journal that is not one this experiment wrote.
#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}: {reason}")]
pub struct JournalError {
    pub path: PathBuf,
    pub line: usize,
    pub reason: String,
}

/// The header: point and replication numbers (from 1), then the metrics.
pub fn header(metrics: &[String]) -> String {
    let mut line = String::from("point,replication");
    for metric in metrics {
        line.push(',');
        line.push_str(metric);
    }
    line.push('\n');
    line
}

/// The rows of one point, replications in order.
fn block(point: usize, values: &[Vec<f64>]) -> String {
    let mut text = String::new();
    for (replication, row) in values.iter().enumerate() {
        let _ = write!(text, "{},{}", point + 1, replication + 1);
        for value in row {
            text.push(',');
            if value.is_finite() {
                let _ = write!(text, "{value}");
            }
        }
        text.push('\n');
    }
    text
}

/// Every point's rows, sorted: the final file.
pub fn render(metrics: &[String], values: &Values) -> String {
    let mut text = header(metrics);
    for (&point, rows) in values {
        text.push_str(&block(point, rows));
    }
    text
}

/// An open journal, appended to as points finish.
pub struct Journal {
    file: File,
}

impl Journal {
    /// Starts an empty journal at `path` with the header for `metrics`.
    pub fn create(path: &Path, metrics: &[String]) -> io::Result<Journal> {
        let mut file = File::create(path)?;
        file.write_all(header(metrics).as_bytes())?;
        file.flush()?;
        Ok(Journal { file })
    }

    /// Reopens the journal at `path`: its complete points (those with all
    /// `replications` rows), and the journal cut back to the end of the
    /// last of them, dropping a block a kill left unfinished.
    /// A journal missing, or cut within its header (a start killed at
    /// once), is started again. `owns` says which points belong here.
    pub fn resume(
        path: &Path,
        metrics: &[String],
        replications: u32,
        owns: &dyn Fn(usize) -> bool,
    ) -> Result<(Journal, Values), JournalError> {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if header(metrics).starts_with(&text) {
            let journal = Journal::create(path, metrics).map_err(|error| JournalError {
                path: path.to_path_buf(),
                line: 0,
                reason: format!("cannot write: {error}"),
            })?;
            return Ok((journal, Values::new()));
        }
        let (values, kept) = parse(path, &text, metrics, replications, owns, false)?;
        let file = OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|file| {
                file.set_len(kept as u64)?;
                Ok(file)
            })
            .map_err(|error| JournalError {
                path: path.to_path_buf(),
                line: 0,
                reason: format!("cannot reopen: {error}"),
            })?;
        let mut journal = Journal { file };
        journal.seek_end().map_err(|error| JournalError {
            path: path.to_path_buf(),
            line: 0,
            reason: format!("cannot reopen: {error}"),
        })?;
        Ok((journal, values))
    }

    fn seek_end(&mut self) -> io::Result<()> {
        use std::io::Seek;
        self.file.seek(io::SeekFrom::End(0)).map(|_| ())
    }

    /// Appends a finished point and flushes it to the file.
    pub fn append(&mut self, finished: &Finished) -> io::Result<()> {
        self.file
            .write_all(block(finished.point, &finished.values).as_bytes())?;
        self.file.flush()
    }
}

/// Reads a finished `replications.csv` (a shard's, to merge): every block
/// must be whole.
pub fn read(
    path: &Path,
    metrics: &[String],
    replications: u32,
    owns: &dyn Fn(usize) -> bool,
) -> Result<Values, JournalError> {
    let text = std::fs::read_to_string(path).map_err(|error| JournalError {
        path: path.to_path_buf(),
        line: 0,
        reason: format!("cannot read: {error}"),
    })?;
    parse(path, &text, metrics, replications, owns, true).map(|(values, _)| values)
}

/// The complete points of a journal, and the byte length up to the end of
/// the last of them. A trailing unfinished block (or line) is dropped,
/// unless `strict`; anything else out of place is an error.
fn parse(
    path: &Path,
    text: &str,
    metrics: &[String],
    replications: u32,
    owns: &dyn Fn(usize) -> bool,
    strict: bool,
) -> Result<(Values, usize), JournalError> {
    let error = |line: usize, reason: String| JournalError {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let expected = header(metrics);
    if !text.starts_with(&expected) {
        return Err(error(
            1,
            format!("the header is not `{}`", expected.trim_end()),
        ));
    }
    let mut values: Values = BTreeMap::new();
    let mut kept = expected.len();
    let mut offset = expected.len();
    let mut current: Option<(usize, Vec<Vec<f64>>)> = None;
    for (index, line) in text[expected.len()..].split_inclusive('\n').enumerate() {
        let number = index + 2;
        offset += line.len();
        let Some(line) = line.strip_suffix('\n') else {
            // A line cut off by a kill.
            if strict {
                return Err(error(number, "the last line is unfinished".into()));
            }
            break;
        };
        let cells: Vec<&str> = line.split(',').collect();
        if cells.len() != metrics.len() + 2 {
            return Err(error(
                number,
                format!("{} cells, expected {}", cells.len(), metrics.len() + 2),
            ));
        }
        let whole = |cell: &str| cell.parse::<usize>().ok().filter(|&n| n >= 1);
        let (Some(point), Some(replication)) = (whole(cells[0]), whole(cells[1])) else {
            return Err(error(
                number,
                "point and replication must count from 1".into(),
            ));
        };
        let row: Vec<f64> = cells[2..]
            .iter()
            .map(|cell| {
                if cell.is_empty() {
                    Ok(f64::NAN)
                } else {
                    cell.parse::<f64>()
                        .map_err(|_| error(number, format!("`{cell}` is not a number")))
                }
            })
            .collect::<Result<_, _>>()?;
        let point = point - 1;
        if !owns(point) {
            return Err(error(
                number,
                format!(
                    "point {} is not one of this experiment's (or shard's)",
                    point + 1
                ),
            ));
        }
        let (block_point, rows) = current.get_or_insert_with(|| (point, Vec::new()));
        if *block_point != point || rows.len() + 1 != replication {
            return Err(error(
                number,
                format!(
                    "expected replication {} of point {}, found replication {replication} of point {}",
                    rows.len() + 1,
                    *block_point + 1,
                    point + 1
                ),
            ));
        }
        rows.push(row);
        if rows.len() == replications as usize {
            let (point, rows) = current.take().unwrap_or_default();
            if values.insert(point, rows).is_some() {
                return Err(error(number, format!("point {} appears twice", point + 1)));
            }
            kept = offset;
        }
    }
    if strict && current.is_some() {
        return Err(error(0, "the last point has too few replications".into()));
    }
    Ok((values, kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics() -> Vec<String> {
        vec!["a".into(), "b".into()]
    }

    #[test]
    fn a_journal_cut_mid_point_resumes_after_the_last_whole_point() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let mut journal = Journal::create(&path, &metrics()).unwrap();
        let values = vec![vec![1.5, f64::NAN], vec![0.1 + 0.2, 1e300]];
        journal
            .append(&Finished {
                point: 3,
                values: values.clone(),
            })
            .unwrap();
        drop(journal);
        // A kill while writing point 1's block: one row and a half.
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("1,1,2,3\n1,2,4");
        std::fs::write(&path, &text).unwrap();

        let (mut journal, found) = Journal::resume(&path, &metrics(), 2, &|_| true).unwrap();
        assert_eq!(found.len(), 1);
        let rows = &found[&3];
        assert_eq!(rows[0][0], 1.5);
        assert!(rows[0][1].is_nan());
        assert_eq!(rows[1], [0.1 + 0.2, 1e300]);
        journal
            .append(&Finished {
                point: 0,
                values: vec![vec![2.0, 3.0], vec![4.0, 5.0]],
            })
            .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            format!(
                "point,replication,a,b\n4,1,1.5,\n4,2,0.30000000000000004,{}\n1,1,2,3\n1,2,4,5\n",
                1e300
            )
        );
        let all = read(&path, &metrics(), 2, &|_| true).unwrap();
        assert_eq!(
            render(&metrics(), &all).lines().nth(1),
            Some("1,1,2,3"),
            "sorted by point"
        );
    }

    #[test]
    fn a_journal_of_another_experiment_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "point,replication,x\n").unwrap();
        let error = Journal::resume(&path, &metrics(), 2, &|_| true)
            .err()
            .unwrap();
        assert!(
            error
                .to_string()
                .ends_with(":1: the header is not `point,replication,a,b`")
        );
        std::fs::write(&path, "point,replication,a,b\n1,2,3,4\n").unwrap();
        let error = read(&path, &metrics(), 2, &|_| true).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("expected replication 1 of point 1")
        );
        let error = read(&path, &metrics(), 2, &|point| point != 0).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("point 1 is not one of this experiment's")
        );
        // A journal cut within its header starts again.
        std::fs::write(&path, "point,repl").unwrap();
        let (_, found) = Journal::resume(&path, &metrics(), 2, &|_| true).unwrap();
        assert!(found.is_empty());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), header(&metrics()));
    }
}
