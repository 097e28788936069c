//! Snapshots pin the result files of every shipped scenario and of a
//! deterministic one, run through the real binary with few replications.
//! A refactor leaves them unchanged; a change to results updates them in a
//! commit of its own that says which figures moved and why.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

use crate::model::DETERMINISTIC;

/// Result files pinned whole.
const PINNED: [&str; 4] = [
    "summary.json",
    "annual.csv",
    "time_budget.csv",
    "weather_monthly.csv",
];

/// Rows of `shipments.csv` pinned, after its header.
const SHIPMENT_ROWS: usize = 50;

/// Runs `scenario` with `args` into a fresh folder and snapshots its files
/// under `name`.
fn pin(name: &str, scenario: &Path, args: &[&str]) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("out");
    let output = Command::cargo_bin("deepmud")
        .expect("the deepmud binary is built")
        .arg("run")
        .arg(scenario)
        .args(args)
        .args([
            "--quiet", "--format", "svg", "--width", "400", "--height", "300",
        ])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("deepmud runs");
    assert!(
        output.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    for file in PINNED {
        let text = fs::read_to_string(out.join(file)).expect("a result file");
        insta::assert_snapshot!(format!("{name}__{file}"), text);
    }
    let shipments = fs::read_to_string(out.join("shipments.csv")).expect("shipments.csv");
    let head: Vec<&str> = shipments.lines().take(SHIPMENT_ROWS + 1).collect();
    insta::assert_snapshot!(format!("{name}__shipments_head.csv"), head.join("\n"));
}

fn shipped(file: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(file)
}

#[test]
fn default_scenario_results_are_pinned() {
    pin(
        "default",
        &shipped("default.toml"),
        &["--reps", "4", "--years", "2"],
    );
}

#[test]
fn commercial_scenario_results_are_pinned() {
    pin(
        "commercial",
        &shipped("commercial.toml"),
        &["--reps", "3", "--years", "2"],
    );
}

#[test]
fn test_2026_scenario_results_are_pinned() {
    pin("test-2026", &shipped("test-2026.toml"), &["--reps", "8"]);
}

#[test]
fn trial_2027_scenario_results_are_pinned() {
    pin("trial-2027", &shipped("trial-2027.toml"), &["--reps", "4"]);
}

#[test]
fn scale_up_scenario_results_are_pinned() {
    pin("scale-up", &shipped("scale-up.toml"), &["--reps", "2"]);
}

#[test]
fn deterministic_scenario_results_are_pinned() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("deterministic.toml");
    fs::write(&path, DETERMINISTIC).expect("write the scenario");
    pin("deterministic", &path, &["--set", "fleet.shuttles=1"]);
}
