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
    /// The file names deepmud writes in an output folder.
    owned: Vec<String>,
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
        if target
            .file_name()
            .is_some_and(|name| name.to_string_lossy().ends_with(".partial"))
        {
            return Err(refuse(
                "names ending in .partial are experiments' work folders: choose another folder"
                    .into(),
            ));
        }
        // Replacing the folder the process stands in (or one holding it)
        // would leave the shell in a deleted folder.
        let here = std::env::current_dir().and_then(fs::canonicalize);
        let whole = fs::canonicalize(&target);
        if let (Ok(here), Ok(whole)) = (here, whole)
            && here.starts_with(&whole)
        {
            return Err(refuse(
                "is the current folder or holds it, and a run replaces its output folder as \
                 a whole: choose a subfolder, e.g. --out results"
                    .into(),
            ));
        }
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
                let foreign = foreign_files(&target, owned)
                    .map_err(|e| refuse(format!("cannot be read: {e}")))?;
                if let Some(file) = foreign.first() {
                    return Err(refuse(format!(
                        "holds `{file}`, which deepmud does not write; it is replaced as a \
                         whole, so choose a new or empty folder, or move `{file}` out"
                    )));
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
            owned: owned.to_vec(),
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
            // Files someone put in the folder while the run was under way
            // are not deepmud's to delete: they move into the new folder.
            for file in foreign_files(&target, &self.owned)
                .with_context(|| format!("reading {}", target.display()))?
            {
                fs::rename(target.join(&file), self.staging.join(&file))
                    .with_context(|| format!("keeping {} in the new output", file))?;
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

/// The entries of folder `dir` that deepmud does not write (`owned` names
/// those it does), in name order.
fn foreign_files(dir: &Path, owned: &[String]) -> io::Result<Vec<String>> {
    let mut foreign = Vec::new();
    for entry in fs::read_dir(dir)? {
        let file = entry?.file_name().to_string_lossy().to_string();
        if !owned.contains(&file) && !is_temporary_file(&file, owned) {
            foreign.push(file);
        }
    }
    foreign.sort();
    Ok(foreign)
}

/// `target` with symbolic links and a trailing `.` or `..` resolved, so the
/// folder replaced is the one the user means.
pub fn resolve(target: &Path) -> io::Result<PathBuf> {
    // `out/` is `out`: a trailing separator would follow a link and put
    // the swap's renames inside the folder.
    let target: PathBuf = target.components().collect();
    let target = target.as_path();
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
fn is_temporary_file(name: &str, owned: &[String]) -> bool {
    let Some(rest) = name.strip_prefix('.') else {
        return false;
    };
    // `.<file>.<pid>.tmp` or `.<stem>.<pid>.tmp.<extension>`, for a file
    // deepmud writes here.
    let (before, extension) = match rest.rsplit_once(".tmp") {
        Some((before, "")) => (before, ""),
        Some((before, extension)) if extension.starts_with('.') => (before, extension),
        _ => return false,
    };
    let Some((file, pid)) = before.rsplit_once('.') else {
        return false;
    };
    !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && owned.iter().any(|own| *own == format!("{file}{extension}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_deepmuds_own_temporary_files_count_as_temporary() {
        let owned = ["summary.json".to_string(), "throughput.png".to_string()];
        assert!(is_temporary_file(".summary.json.123.tmp", &owned));
        assert!(is_temporary_file(".throughput.123.tmp.png", &owned));
        for name in [
            ".draft.tmp",
            ".cache.tmp.d",
            ".notes.tmp.txt",
            "summary.json.1.tmp",
            ".summary.json.12a.tmp",
            ".backup.2024.tmp",
            ".mynotes.1.tmp.txt",
        ] {
            assert!(!is_temporary_file(name, &owned), "{name}");
        }
    }

    #[test]
    fn a_file_added_to_the_folder_during_a_run_is_kept_in_the_new_one() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let target = dir.path().join("out");
        let owned = vec!["summary.json".to_string()];
        fs::create_dir(&target).unwrap();
        fs::write(target.join("summary.json"), "old").unwrap();
        let staged = Staged::create(&target, &owned).unwrap();
        fs::write(staged.path().join("summary.json"), "new").unwrap();
        fs::write(target.join("notes.md"), "the user's").unwrap();
        let out = staged.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("summary.json")).unwrap(), "new");
        assert_eq!(
            fs::read_to_string(out.join("notes.md")).unwrap(),
            "the user's"
        );
    }
}
