//! The output folder at its edges: replaced as a whole or not at all,
//! refused before the simulation when it cannot be used, and `plot` on
//! files it cannot read.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;

fn deepmud() -> Command {
    Command::cargo_bin("deepmud").expect("the deepmud binary is built")
}

/// A quick run of the built-in default scenario into `out`.
fn quick_run(out: &Path, format: &str) {
    deepmud()
        .args(["run", "--reps", "2", "--years", "0.5", "--quiet"])
        .args(["--width", "400", "--height", "300", "--format", format])
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

/// Every file in `dir` (not recursive) with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().to_string();
            (name, fs::read(entry.path()).unwrap())
        })
        .collect()
}

/// Entries beside `out` left by a run: staging or retired folders.
fn leftovers(out: &Path) -> Vec<PathBuf> {
    let name = out.file_name().unwrap().to_string_lossy().to_string();
    fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let file = path.file_name().unwrap().to_string_lossy().to_string();
            file.starts_with(&name) && file != name
        })
        .collect()
}

/// A `--format svg` run over a `--format both` run used to leave the old
/// PNGs beside the new report.
#[test]
fn a_run_over_another_format_leaves_no_stale_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    quick_run(&out, "both");
    assert!(out.join("throughput.png").exists());
    quick_run(&out, "svg");
    let files = contents(&out);
    assert!(files.contains_key("throughput.svg"));
    let pngs: Vec<&String> = files.keys().filter(|f| f.ends_with(".png")).collect();
    assert!(pngs.is_empty(), "stale charts: {pngs:?}");
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

/// `--out` naming a file used to fail with exit 1 after the whole run.
#[test]
fn unusable_out_is_refused_before_the_simulation() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    fs::write(&file, "not a folder").unwrap();
    let foreign = dir.path().join("papers");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("draft.tex"), "mine").unwrap();
    for (out, says) in [
        (file.clone(), "is a file"),
        (file.join("inside"), "is a file"),
        (foreign.clone(), "draft.tex"),
    ] {
        deepmud()
            .args(["run", "--quiet", "--out"])
            .arg(&out)
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(out.display().to_string()))
            .stderr(predicate::str::contains(says));
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), "not a folder");
    assert_eq!(contents(&foreign).len(), 1, "the folder is left alone");
}

/// kill -9 during a large run used to leave a new summary.json beside the
/// old shipments, charts and report, and a temporary file no later run
/// removed.
#[test]
fn a_killed_run_leaves_the_previous_folder_intact_and_the_next_run_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    quick_run(&out, "both");
    let before = contents(&out);

    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/commercial.toml");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("deepmud"))
        .arg("run")
        .arg(&scenario)
        .args(["--reps", "5000", "--years", "20", "--quiet", "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let staging = dir.path().join(format!("out.deepmud-tmp-{}", child.id()));
    let deadline = Instant::now() + Duration::from_secs(60);
    // Wait until the run is streaming shipments.csv into its staging folder.
    let shipments = staging.join("shipments.csv");
    while fs::metadata(&shipments).map_or(true, |m| m.len() == 0) {
        assert!(Instant::now() < deadline, "no staging folder appeared");
        assert!(child.try_wait().unwrap().is_none(), "the run ended early");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(child.try_wait().unwrap().is_none(), "the run ended early");
    child.kill().unwrap();
    child.wait().unwrap();

    assert_eq!(contents(&out), before, "the previous folder changed");
    assert!(
        staging.exists(),
        "a killed run cannot clean up after itself"
    );

    quick_run(&out, "svg");
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
    assert!(!out.join("throughput.png").exists());
}

/// The peak resident memory a run reports in timing.json, KiB.
fn peak_resident_kib(replications: u32) -> Option<u64> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/commercial.toml");
    deepmud()
        .arg("run")
        .arg(&scenario)
        .args([
            "--years",
            "3",
            "--shipments",
            "all",
            "--threads",
            "2",
            "--quiet",
        ])
        .args(["--format", "svg", "--width", "400", "--height", "300"])
        .arg("--reps")
        .arg(replications.to_string())
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let timing: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("timing.json")).unwrap()).unwrap();
    timing["peak_resident_kib"].as_u64()
}

/// `--shipments all` used to hold the whole log in memory (1.0 GB for
/// 1,000 replications of scale-up.toml): 8.6 MB at 50 replications here,
/// 25 MB at 400. Streamed, the peak does not grow with replications.
#[test]
fn shipment_log_streams_so_memory_does_not_grow_with_replications() {
    let (Some(few), Some(many)) = (peak_resident_kib(50), peak_resident_kib(400)) else {
        eprintln!("peak resident memory is not known on this platform");
        return;
    };
    eprintln!("peak resident memory: 50 replications {few} KiB, 400 replications {many} KiB");
    assert!(
        many < 2 * few,
        "400 replications peaked at {many} KiB, 50 at {few} KiB"
    );
}

/// `deepmud plot` on an empty, header-only or truncated annual.csv used to
/// draw a chart saying "No production".
#[test]
fn plot_refuses_an_empty_or_truncated_annual_csv_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    deepmud()
        .args([
            "run", "--reps", "2", "--years", "2", "--quiet", "--format", "svg",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let annual = fs::read_to_string(out.join("annual.csv")).unwrap();
    let lines: Vec<&str> = annual.lines().collect();
    let header = format!("{}\n", lines[0]);
    let cut_at_a_row = format!("{}\n", lines[..lines.len() - 3].join("\n"));
    let cut_mid_row = &annual[..annual.len() - 10];
    for (case, text) in [
        ("empty", ""),
        ("header only", header.as_str()),
        ("cut at a row", cut_at_a_row.as_str()),
        ("cut mid-row", cut_mid_row),
    ] {
        fs::write(out.join("annual.csv"), text).unwrap();
        let output = deepmud()
            .arg("plot")
            .arg(&out)
            .args(["--format", "svg"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{case}: {stderr}");
        assert!(stderr.contains("annual.csv"), "{case}: {stderr}");
        assert!(!stderr.contains("panicked"), "{case}: {stderr}");
    }
}
