//! An output folder replaced as a whole or not at all. A run writes into a
//! fresh sibling, `<name>.deepmud-tmp-<pid>`, and only when every file is
//! complete swaps it into place (the old folder renamed away, the new one
//! renamed in, the old one removed). A run killed part way leaves the
//! previous folder untouched; the next run removes what it left behind.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Marks a folder being written by the process whose id follows.
const STAGING_MARK: &str = ".deepmud-tmp-";
/// Marks a previous folder being swapped out by the process whose id follows.
const RETIRED_MARK: &str = ".deepmud-old-";

/// An output folder that cannot be used; found before anything runs.
#[derive(Debug, thiserror::Error)]
#[error("output folder {}: {problem}", path.display())]
pub struct FolderError {
    pub path: PathBuf,
    pub problem: String,
}

/// A fresh folder beside the output folder, swapped into its place by
/// [`Staged::commit`] and removed if dropped uncommitted.
#[derive(Debug)]
pub struct Staged {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl Staged {
    /// Checks that `target` can be replaced and creates its staging folder.
    /// `target` may be missing, or a folder holding only files deepmud
    /// writes (`owned` names them): anything else in it is refused rather
    /// than deleted. Leftovers of killed runs beside it are cleaned up.
    pub fn create(target: &Path, owned: &[String]) -> Result<Staged, FolderError> {
        let refuse = |problem: String| FolderError {
            path: target.to_path_buf(),
            problem,
        };
        let target = resolve(target).map_err(|e| refuse(e.to_string()))?;
        let name = target
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| refuse("has no folder name to replace".into()))?
            .to_string();
        let parent = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if fs::metadata(&parent).is_ok_and(|m| !m.is_dir()) {
            return Err(refuse(format!(
                "{} is a file, not a folder",
                parent.display()
            )));
        }
        fs::create_dir_all(&parent)
            .map_err(|e| refuse(format!("cannot create {}: {e}", parent.display())))?;
        clean_leftovers(&parent, &name, &target);
        match fs::metadata(&target) {
            Ok(meta) if !meta.is_dir() => {
                return Err(refuse("is a file, not a folder".into()));
            }
            Ok(_) => {
                let entries =
                    fs::read_dir(&target).map_err(|e| refuse(format!("cannot be read: {e}")))?;
                for entry in entries {
                    let entry = entry.map_err(|e| refuse(format!("cannot be read: {e}")))?;
                    let file = entry.file_name().to_string_lossy().to_string();
                    if !owned.contains(&file) && !is_temporary_file(&file) {
                        return Err(refuse(format!(
                            "holds `{file}`, which deepmud does not write; it is replaced as a \
                             whole, so choose a new or empty folder, or move `{file}` out"
                        )));
                    }
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(refuse(e.to_string())),
        }
        let staging = parent.join(format!("{name}{STAGING_MARK}{}", std::process::id()));
        if staging.exists() {
            let _ = fs::remove_dir_all(&staging);
        }
        fs::create_dir(&staging).map_err(|e| {
            refuse(format!(
                "cannot write beside it ({}: {e})",
                staging.display()
            ))
        })?;
        Ok(Staged {
            target,
            staging,
            committed: false,
        })
    }

    /// The folder to write into.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Where `path`, written in the staging folder, is once committed.
    pub fn final_path(&self, path: &Path) -> PathBuf {
        match path.strip_prefix(&self.staging) {
            Ok(relative) => self.target.join(relative),
            Err(_) => path.to_path_buf(),
        }
    }

    /// Puts the staging folder in the output folder's place; returns the
    /// output folder.
    pub fn commit(mut self) -> anyhow::Result<PathBuf> {
        let target = self.target.clone();
        let swap = || -> anyhow::Result<()> {
            if fs::symlink_metadata(&target).is_err() {
                return fs::rename(&self.staging, &target)
                    .with_context(|| format!("moving the new output into {}", target.display()));
            }
            let retired = sibling(&target, RETIRED_MARK);
            fs::rename(&target, &retired)
                .with_context(|| format!("moving the previous {} aside", target.display()))?;
            if let Err(error) = fs::rename(&self.staging, &target) {
                let _ = fs::rename(&retired, &target);
                return Err(error)
                    .with_context(|| format!("moving the new output into {}", target.display()));
            }
            let _ = fs::remove_dir_all(&retired);
            Ok(())
        };
        swap()?;
        self.committed = true;
        Ok(target)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// `target` with symbolic links and a trailing `.` or `..` resolved, so the
/// folder replaced is the one the user means.
fn resolve(target: &Path) -> io::Result<PathBuf> {
    let is_link = fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink());
    if is_link || target.file_name().is_none() {
        fs::canonicalize(target)
    } else {
        Ok(target.to_path_buf())
    }
}

/// `<target><mark><this process id>`.
fn sibling(target: &Path, mark: &str) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(format!("{mark}{}", std::process::id()));
    PathBuf::from(name)
}

/// Removes staging folders of runs that died beside `target`, and puts back
/// a previous folder a run died swapping out.
fn clean_leftovers(parent: &Path, name: &str, target: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().to_string();
        let Some(rest) = file.strip_prefix(name) else {
            continue;
        };
        let (retired, pid) = if let Some(pid) = rest.strip_prefix(STAGING_MARK) {
            (false, pid)
        } else if let Some(pid) = rest.strip_prefix(RETIRED_MARK) {
            (true, pid)
        } else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if process_is_running(pid) {
            continue;
        }
        let path = entry.path();
        if retired && fs::symlink_metadata(target).is_err() {
            let _ = fs::rename(&path, target);
        } else {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// Whether process `pid` is running: known where `/proc` lists processes
/// (Linux); elsewhere every other process counts as gone.
fn process_is_running(pid: u32) -> bool {
    pid == std::process::id()
        || (Path::new("/proc/self").exists() && Path::new("/proc").join(pid.to_string()).exists())
}

/// Temporary files of the per-file atomic writes (`.summary.json.123.tmp`,
/// `.throughput.123.tmp.png`), left by runs killed mid-write.
fn is_temporary_file(name: &str) -> bool {
    name.starts_with('.') && (name.ends_with(".tmp") || name.contains(".tmp."))
}
