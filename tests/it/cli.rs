//! The real binary: bad input gives one clear message and exit code 2,
//! never a panic; `check` accepts every shipped scenario; `run` writes its
//! files and is byte-identical for the same seed.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use deepmud::experiment::metrics::METRICS;
use predicates::prelude::*;

/// A small valid scenario: a short, calm run.
pub(crate) const SMALL: &str = r#"[scenario]
name = "small"
years = 0.5
replications = 2

[site]
water_depth_m = 5700
port_distance_nm = 1100

[mining]
lift_rate_t_per_h = 100
buffer_capacity_t = 20000
trip_in_m_per_h = 50
trip_out_m_per_h = 80

[fleet]
shuttles = 1
"#;

fn deepmud() -> Command {
    Command::cargo_bin("deepmud").expect("the deepmud binary is built")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    fs::write(&path, text).expect("write a test scenario");
    path.display().to_string()
}

/// Runs `check` on `text` and returns its stderr, asserting exit code 2 and
/// no panic.
fn check_fails(text: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad.toml", text);
    let output = deepmud()
        .arg("check")
        .arg(&path)
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("bad.toml"), "names the file: {stderr}");
    stderr
}

#[test]
fn misspelt_key_names_the_line_and_the_closest_valid_key() {
    let text = SMALL.replace("lift_rate_t_per_h = 100", "lift_rate_t_per_hr = 100");
    let line = text
        .lines()
        .position(|l| l.starts_with("lift_rate_t_per_hr"))
        .unwrap()
        + 1;
    let stderr = check_fails(&text, &[]);
    assert!(
        stderr.contains(&format!(":{line}:")),
        "line {line}: {stderr}"
    );
    assert!(stderr.contains("lift_rate_t_per_hr"), "{stderr}");
    assert!(
        stderr.contains("did you mean `lift_rate_t_per_h`"),
        "{stderr}"
    );
}

#[test]
fn negative_rate_is_rejected_with_its_allowed_range() {
    let text = SMALL.replace("lift_rate_t_per_h = 100", "lift_rate_t_per_h = -3");
    let stderr = check_fails(&text, &[]);
    assert!(stderr.contains("mining.lift_rate_t_per_h"), "{stderr}");
    assert!(stderr.contains("-3"), "{stderr}");
    assert!(stderr.contains("> 0"), "{stderr}");
}

#[test]
fn probability_above_one_is_rejected() {
    let text = format!("{SMALL}\n[port]\nplant_availability = 1.5\n");
    let stderr = check_fails(&text, &[]);
    assert!(stderr.contains("port.plant_availability"), "{stderr}");
    assert!(stderr.contains("1.5"), "{stderr}");
}

#[test]
fn unknown_distribution_lists_the_allowed_ones() {
    let text = format!("{SMALL}\n[ore]\nrey_ppm = {{ dist = \"gamma\", mean = 1000 }}\n");
    let stderr = check_fails(&text, &[]);
    assert!(stderr.contains("gamma"), "{stderr}");
    assert!(stderr.contains("lognormal"), "{stderr}");
}

#[test]
fn several_problems_are_reported_together() {
    let text = SMALL
        .replace("lift_rate_t_per_h = 100", "lift_rate_t_per_h = -3")
        .replace("trip_in_m_per_h = 50", "trip_in_m_per_hour = 50")
        + "\n[port]\nplant_availability = 1.5\n";
    let stderr = check_fails(&text, &[]);
    for key in [
        "mining.lift_rate_t_per_h",
        "trip_in_m_per_hour",
        "port.plant_availability",
    ] {
        assert!(stderr.contains(key), "missing {key}: {stderr}");
    }
}

#[test]
fn malformed_set_is_rejected() {
    let stderr = check_fails(SMALL, &["--set", "mining.lift_rate_t_per_h"]);
    assert!(stderr.contains("mining.lift_rate_t_per_h"), "{stderr}");
}

#[test]
fn set_override_is_validated_like_the_file() {
    let stderr = check_fails(SMALL, &["--set", "fleet.speed_kn=-1"]);
    assert!(stderr.contains("fleet.speed_kn"), "{stderr}");
    assert!(stderr.contains("--set"), "{stderr}");
}

#[test]
fn empty_file_is_rejected() {
    let stderr = check_fails("", &[]);
    assert!(stderr.contains("empty"), "{stderr}");
}

#[test]
fn missing_file_is_rejected() {
    deepmud()
        .args(["check", "no/such/scenario.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/scenario.toml"))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn check_accepts_every_shipped_scenario() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut checked = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            deepmud().arg("check").arg(&path).assert().success();
            checked += 1;
        }
    }
    assert!(checked >= 4, "found {checked} scenarios");
}

#[test]
fn check_without_a_file_resolves_the_built_in_default() {
    deepmud()
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("[mining]"));
}

#[test]
fn run_writes_every_output_file_and_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "small.toml", SMALL);
    let outputs = ["first", "second"].map(|name| dir.path().join(name));
    for out in &outputs {
        deepmud()
            .args(["run", &scenario, "--seed", "42", "--quiet", "--out"])
            .arg(out)
            .assert()
            .success()
            .stdout(predicate::str::contains("Mud delivered, wet"));
    }
    for file in [
        "summary.json",
        "annual.csv",
        "time_budget.csv",
        "shipments.csv",
    ] {
        let first = fs::read(outputs[0].join(file)).unwrap();
        let second = fs::read(outputs[1].join(file)).unwrap();
        assert!(!first.is_empty(), "{file} is empty");
        assert_eq!(first, second, "{file} differs between identical runs");
    }
    assert!(outputs[0].join("timing.json").exists());
    let report = fs::read_to_string(outputs[0].join("report.md")).unwrap();
    assert!(report.contains("## Key results") && report.contains("throughput.png"));
    for chart in [
        "throughput",
        "cumulative_reo",
        "time_budget",
        "weather_months",
        "grade_histogram",
    ] {
        assert!(
            outputs[0].join(format!("{chart}.png")).exists(),
            "{chart}.png"
        );
        assert!(
            outputs[0].join(format!("{chart}.svg")).exists(),
            "{chart}.svg"
        );
    }
}

#[test]
fn plot_redraws_the_charts_from_the_csv_files() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "small.toml", SMALL);
    let out = dir.path().join("out");
    deepmud()
        .args(["run", &scenario, "--quiet", "--format", "png", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(!out.join("throughput.svg").exists());
    deepmud()
        .arg("plot")
        .arg(&out)
        .args(["--format", "svg", "--width", "600", "--height", "400"])
        .assert()
        .success();
    let svg = fs::read_to_string(out.join("throughput.svg")).unwrap();
    assert!(svg.contains("width=\"600\"") && svg.contains("height=\"400\""));
    deepmud()
        .args(["plot", "no/such/run"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("annual.csv"));
}

#[test]
fn results_are_byte_identical_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let outputs = ["1", "2"].map(|threads| {
        let out = dir.path().join(format!("threads-{threads}"));
        deepmud()
            .args([
                "run", "--reps", "12", "--seed", "3", "--quiet", "--format", "svg",
            ])
            .args(["--threads", threads, "--out"])
            .arg(&out)
            .assert()
            .success();
        out
    });
    for file in [
        "summary.json",
        "annual.csv",
        "time_budget.csv",
        "shipments.csv",
        "weather_monthly.csv",
    ] {
        let one = fs::read(outputs[0].join(file)).unwrap();
        let two = fs::read(outputs[1].join(file)).unwrap();
        assert_eq!(one, two, "{file} differs between --threads 1 and 2");
    }
}

#[test]
fn target_ci_reports_how_many_replications_it_took() {
    let dir = tempfile::tempdir().unwrap();
    deepmud()
        .args([
            "run",
            "--target-ci",
            "5%",
            "--quiet",
            "--format",
            "svg",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "precision target 5.00% on reo_produced_t",
        ));
    deepmud()
        .args(["run", "--target-ci", "150%"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("150%"));
}

#[test]
fn hub_problems_are_reported_with_their_rules() {
    let text = format!("{SMALL}\n[hub]\nport_distance_nm = 1000\nproduct_solids_fraction = 0.2\n");
    let stderr = check_fails(&text, &[]);
    assert!(stderr.contains("hub.site_distance_nm"), "{stderr}");
    assert!(stderr.contains("hub.product_solids_fraction"), "{stderr}");
    assert!(stderr.contains("dewatering only removes water"), "{stderr}");
}

/// `deepmud check x.toml | head -1` used to panic with "failed printing to
/// stdout: Broken pipe" (exit 101).
#[test]
fn closed_stdout_pipe_ends_quietly_with_success() {
    use assert_cmd::cargo::CommandCargoExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out").display().to_string();
    let run = [
        "run", "--reps", "1", "--years", "0.1", "--quiet", "--format", "svg", "--out", &out,
    ];
    for args in [&["check"][..], &run[..]] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let output = std::process::Command::cargo_bin("deepmud")
            .unwrap()
            .args(args)
            .stdout(writer)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!stderr.contains("error"), "{stderr}");
    }
}

/// `--reps 0` used to be reported as `--set: scenario.replications = 0`,
/// `--width 10` failed only after the whole run had written its files and
/// `--threads 1000000` started a million threads.
#[test]
fn out_of_range_run_flags_are_refused_by_name_before_anything_runs() {
    let cases: [(&[&str], &str); 10] = [
        (&["--reps", "0"], "--reps"),
        (&["--reps", "-1"], "--reps"),
        (&["--seed", "-1"], "--seed"),
        (&["--years", "0"], "--years"),
        (&["--years", "-3"], "--years"),
        (&["--years", "nan"], "not allowed"),
        (&["--threads", "1000000"], "--threads"),
        (&["--width", "10"], "--width"),
        (&["--height", "100"], "--height"),
        (&["--width", "20000"], "--width"),
    ];
    for (args, named) in cases {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let output = deepmud()
            .args(["run", "--quiet", "--out"])
            .arg(&out)
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(named), "{args:?} names {named}: {stderr}");
        assert!(!stderr.contains("--set"), "{args:?}: {stderr}");
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
    }
    deepmud()
        .args(["plot", "no/such/run", "--width", "10"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--width"));
}

#[test]
fn metrics_lists_every_metric_with_its_units_kind_and_label_in_table_order() {
    let output = deepmud().arg("metrics").output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    // Columns are at least two spaces apart; no cell holds two spaces.
    let cells = |line: &str| -> Vec<String> {
        line.split("  ")
            .map(str::trim)
            .filter(|cell| !cell.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut lines = stdout.lines();
    let header = lines.next().unwrap();
    assert_eq!(
        cells(header),
        ["metric", "unit", "KPI unit", "kind", "label"]
    );
    for metric in METRICS {
        let line = lines.next().unwrap();
        let expected = [
            metric.name.to_string(),
            metric.unit.to_string(),
            metric.horizon_unit(),
            metric.kind.name().to_string(),
            metric.label.to_string(),
        ];
        assert_eq!(cells(line), expected, "{line}");
    }
    assert_eq!(
        lines.next(),
        Some(""),
        "the table ends after the last metric"
    );
    let lifted = stdout
        .lines()
        .find(|line| line.starts_with("mud_lifted_wet_t "))
        .unwrap();
    assert_eq!(
        cells(lifted),
        [
            "mud_lifted_wet_t",
            "t",
            "t/yr",
            "annual flow",
            "Mud lifted, wet (t/yr)"
        ]
    );
    assert!(stdout.contains("annual flow: a total per year"), "{stdout}");
}
