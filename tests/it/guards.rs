//! Guards on what a scenario can ask for: inputs that cannot make
//! progress, or would make a run of minutes, are refused before the run
//! (exit code 2, naming the key and its range); a model that loops at one
//! instant stops with an error instead of hanging; a truncated distribution
//! bounds what it feeds (block grades).

use std::fs;

use assert_cmd::Command;

use crate::cli::SMALL;
use crate::model::DETERMINISTIC;
use deepmud::engine::MAX_EVENTS_AT_ONE_INSTANT;
use deepmud::experiment::run::{MassCheck, RunError, RunOptions, ShipmentRow, run};
use deepmud::model::{MASS_TOLERANCE, MassBalance, SimError, run_replication};
use deepmud::scenario::{Dist, Scenario, load_str};

/// Runs `deepmud run` on `text` with `sets` as `--set` overrides; asserts
/// exit code 2, no panic and no output folder; returns stderr.
fn run_refused(text: &str, sets: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("guarded.toml");
    fs::write(&path, text).expect("write the scenario");
    let out = dir.path().join("out");
    let mut command = Command::cargo_bin("deepmud").expect("the deepmud binary is built");
    command
        .arg("run")
        .arg(&path)
        .arg("--quiet")
        .arg("--out")
        .arg(&out);
    for set in sets {
        command.arg("--set").arg(set);
    }
    let output = command.output().expect("deepmud runs");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "a refused run writes nothing");
    stderr
}

#[test]
fn a_tiny_patch_relocated_instantly_is_refused_naming_patch_t_and_the_cycle() {
    // Regression: patch_t = 1e-7 t with relocation_h = 0 relocated for ever.
    // At 100 t/h a 0.1 h cycle needs patch_t ≥ 0.1 h × 100 t/h = 10 t.
    let stderr = run_refused(SMALL, &["mining.patch_t=1e-7", "mining.relocation_h=0"]);
    assert!(stderr.contains("mining.patch_t = 1e-7"), "{stderr}");
    assert!(stderr.contains("must take ≥ 0.1 h"), "{stderr}");
    assert!(stderr.contains("make patch_t ≥ 10 t"), "{stderr}");
}

#[test]
fn a_buffer_holding_under_a_tenth_of_an_hour_of_lifting_is_refused() {
    // Regression: a 0.001 t buffer filled and emptied into the shuttle
    // alongside every 1e-7 h, 27 million events in 0.1 year. At 100 t/h a
    // buffer must hold ≥ 0.1 h × 100 t/h = 10 t.
    let stderr = run_refused(SMALL, &["mining.buffer_capacity_t=0.001"]);
    assert!(
        stderr.contains("mining.buffer_capacity_t = 0.001"),
        "{stderr}"
    );
    assert!(stderr.contains("at least 0.1 h of lifting"), "{stderr}");
    assert!(stderr.contains("make it ≥ 10 t"), "{stderr}");
    let at_the_limit = load_str(SMALL, "small", &["mining.buffer_capacity_t=10".into()]);
    assert!(at_the_limit.is_ok(), "{:?}", at_the_limit.err());
}

#[test]
fn a_patch_cycle_of_a_tenth_of_an_hour_is_accepted() {
    // 10 t at 100 t/h is 0.1 h of lifting: exactly the limit.
    let scenario = load_str(
        SMALL,
        "small",
        &["mining.patch_t=10".into(), "mining.relocation_h=0".into()],
    );
    assert!(scenario.is_ok(), "{:?}", scenario.err());
}

#[test]
fn a_failure_mode_that_fails_and_is_repaired_instantly_is_refused() {
    // Regression: tbf_h = 1e-7 with repair_h = 0 looped once lifting started.
    let stderr = run_refused(
        SMALL,
        &["mining.failure=[{name = \"pump\", tbf_h = 1e-7, repair_h = 0}]"],
    );
    assert!(stderr.contains("mining.failure[0].tbf_h"), "{stderr}");
    assert!(stderr.contains("must add up to ≥ 0.1 h"), "{stderr}");
}

#[test]
fn a_weather_step_of_a_ten_thousandth_of_an_hour_is_refused_with_its_range() {
    let stderr = run_refused(SMALL, &["weather.step_h=1e-4"]);
    assert!(
        stderr.contains("weather.step_h = 0.0001: must be in [0.1, 24] h"),
        "{stderr}"
    );
}

#[test]
fn maintenance_every_millionth_of_a_day_is_refused_with_its_range() {
    let stderr = run_refused(
        SMALL,
        &["mining.maintenance={interval_d = 1e-6, duration_h = 1}"],
    );
    assert!(
        stderr.contains("mining.maintenance.interval_d = 1e-6: must be ≥ 1 d"),
        "{stderr}"
    );
    let stderr = run_refused(
        SMALL,
        &["mining.crew_change={interval_d = 0.5, duration_h = 1}"],
    );
    assert!(
        stderr.contains("mining.crew_change.interval_d = 0.5: must be ≥ 1 d"),
        "{stderr}"
    );
}

#[test]
fn a_seabed_block_below_a_hundred_tonnes_is_refused_with_its_range() {
    let stderr = run_refused(SMALL, &["ore.block_t=1e-9"]);
    assert!(
        stderr.contains("ore.block_t = 1e-9: must be ≥ 100 t"),
        "{stderr}"
    );
}

/// The deterministic scenario with one failure mode that fails every 1e-7
/// operating hours and is repaired at once: validation refuses it, so it
/// is set on the loaded scenario, as a model bug would behave.
fn looping_at_one_instant() -> Scenario {
    let mut scenario = load_str(
        DETERMINISTIC,
        "deterministic",
        &["mining.failure=[{name = \"pump\", tbf_h = 500, repair_h = 1}]".into()],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut mode = scenario.mining.failure[0].clone();
    mode.tbf_h = Dist::fixed(1e-7);
    mode.repair_h = Dist::fixed(0.0);
    scenario.mining.failure = vec![mode].into();
    scenario
}

#[test]
fn a_replication_looping_at_one_instant_stops_with_an_error_naming_the_unit_and_state() {
    let error = run_replication(&looping_at_one_instant(), 1, 0)
        .expect_err("a looping replication is an error");
    let SimError::Stalled { at_h, events, what } = &error else {
        panic!("not a stall: {error}");
    };
    // Sail 100 nm at 10 kn (10 h), trip in 5,000 m at 100 m/h (50 h): the
    // first failure comes as lifting starts, at 60 h.
    assert!((at_h - 60.0).abs() < 1e-6, "{error}");
    assert_eq!(*events, MAX_EVENTS_AT_ONE_INSTANT);
    assert_eq!(what, "mining system 1 in state failure");
    assert!(error.to_string().contains("no progress"), "{error}");
}

#[test]
fn a_stalled_replication_stops_the_run_with_its_number() {
    let mut shipments: Vec<ShipmentRow> = Vec::new();
    let error = run(
        &looping_at_one_instant(),
        &RunOptions::default(),
        &|| {},
        &mut shipments,
    )
    .expect_err("the run stops");
    assert!(
        matches!(error, RunError::Simulation { replication: 1, .. }),
        "{error:?}"
    );
}

#[test]
fn a_grade_truncated_at_max_caps_every_shipment() {
    // Dilution 0 and blocks of one 10,000 t load, so each shipment is one
    // block: at most max = 1,500 ppm though the lognormal's p90 is 3,000.
    let scenario = load_str(
        DETERMINISTIC,
        "deterministic",
        &["ore.rey_ppm={dist = \"lognormal\", median = 1000, p90 = 3000, max = 1500}".into()],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut highest: f64 = 0.0;
    for replication in 0..20 {
        let rep = run_replication(&scenario, 7, replication).unwrap_or_else(|e| panic!("{e}"));
        for shipment in &rep.shipments {
            highest = highest.max(shipment.grade_ppm);
        }
    }
    assert!(highest <= 1500.0 + 1e-9, "{highest}");
    // Near the cap the truncated density is f(1,500) / F(1,500) ≈ 4e-4 per
    // ppm, so 780 shipments have one within 15 ppm of it with P ≈ 99%.
    assert!(highest > 1485.0, "{highest}");
}

#[test]
fn a_truncation_that_keeps_nothing_is_refused_naming_the_key() {
    let stderr = run_refused(
        SMALL,
        &["ore.rey_ppm={dist = \"exponential\", mean = 1000, min = 90000, max = 100000}"],
    );
    assert!(stderr.contains("ore.rey_ppm"), "{stderr}");
    assert!(
        stderr.contains("min and max keep none of the exponential distribution"),
        "{stderr}"
    );
    let stderr = run_refused(
        SMALL,
        &["ore.rey_ppm={dist = \"lognormal\", median = 1000, p90 = 3000, min = 8000, max = 2000}"],
    );
    assert!(
        stderr.contains("max (2000) must be > min (8000)"),
        "{stderr}"
    );
}

#[test]
fn mass_balance_is_judged_relative_to_the_tonnage_lifted() {
    // The case: 0.016 t adrift in 1.6e7 t lifted is 1e-9 of it,
    // rounding, not lost mud.
    let adrift = MassBalance {
        lifted_t: 1.6e7,
        delivered_t: 1.6e7 - 0.016,
        ..MassBalance::default()
    };
    assert!((adrift.relative_imbalance() - 1e-9).abs() < 1e-15);
    let lost = MassBalance {
        lifted_t: 1.6e7,
        delivered_t: 1.5e7,
        ..MassBalance::default()
    };
    assert!((lost.relative_imbalance() - 1.0 / 16.0).abs() < 1e-12);
    let check = MassCheck {
        max_imbalance_t: 1e6,
        max_relative_imbalance: lost.relative_imbalance(),
    };
    assert!(!check.holds());
    assert!(
        check
            .text()
            .contains("NOT CONSERVED: off by 6.2e-2 of the mud lifted")
    );
}

#[test]
fn a_failure_every_few_minutes_keeps_mass_within_the_relative_tolerance() {
    // Failures every 0.05 operating hours repaired in 0.05 h: the shortest
    // cycle validation allows, ~10⁴ failures a year, each splitting a lift.
    let scenario = load_str(
        include_str!("../../scenarios/default.toml"),
        "default",
        &["mining.failure=[{name = \"trip\", tbf_h = {dist = \"exponential\", mean = 0.05}, repair_h = 0.05}]".into()],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let rep = run_replication(&scenario, 1, 0).unwrap_or_else(|e| panic!("{e}"));
    let failures: u64 = rep.years.iter().map(|y| y.failures).sum();
    assert!(failures > 10_000, "{failures}");
    let b = rep.mass_balance;
    assert!(b.relative_imbalance() < MASS_TOLERANCE, "{b:?}");
}

#[test]
fn target_ci_on_a_zero_headline_stops_after_the_first_batch_and_says_why() {
    // Regression: no mining system, so no REO: the run went on to 100,010
    // replications and printed "undefined".
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("idle.toml");
    fs::write(&path, SMALL).expect("write the scenario");
    let out = dir.path().join("out");
    let output = Command::cargo_bin("deepmud")
        .expect("the deepmud binary is built")
        .args([
            "run",
            "--quiet",
            "--target-ci",
            "5%",
            "--set",
            "mining.systems=0",
        ])
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("deepmud runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    // SMALL asks for 2 replications, the fewest a CI needs; the headline
    // is 0 in both, so no batch follows.
    assert!(
        stdout
            .contains("undefined: reo_produced_t is 0 in every replication, so its CI has no mean"),
        "{stdout}"
    );
    assert!(stdout.contains("after 2 replications"), "{stdout}");
    let summary = fs::read_to_string(out.join("summary.json")).expect("summary.json");
    assert!(
        summary.contains("\"stopped_short\": \"undefined\""),
        "{summary}"
    );
}
