//! The vessel timeline: `run --trace REP` writes `trace.csv` of that
//! replication and the timeline chart; the trace lists every change of
//! state with its cause and agrees with the time budget.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use deepmud::model::trace::{Cause, TraceRow};
use deepmud::model::{SystemState, run_replication, run_replication_traced};
use deepmud::scenario::{Scenario, load_str};

use super::model::DETERMINISTIC;

fn scenario(text: &str, overrides: &[&str]) -> Scenario {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    load_str(text, "test scenario", &overrides).unwrap_or_else(|e| panic!("{e}"))
}

fn deepmud() -> Command {
    Command::cargo_bin("deepmud").expect("the deepmud binary is built")
}

/// (time, unit, from, to, cause) of a row, for comparing with a table.
fn cells(row: &TraceRow) -> (f64, String, &'static str, &'static str, String) {
    (
        row.time_h,
        row.unit(),
        row.from,
        row.to,
        row.cause.to_string(),
    )
}

#[test]
fn the_deterministic_cycle_is_traced_row_by_row_with_hand_computed_times() {
    let rep = run_replication_traced(&scenario(DETERMINISTIC, &[]), 1, 0).unwrap();
    let trace = rep.trace.expect("a traced replication has a trace");
    // The cycle of `lift_limited_cycle_delivers_hand_computed_tonnage`:
    // sail 100 nm / 10 kn = 10 h, trip in 5,000 m / 100 m/h = 50 h, lift
    // 10,000 t / 100 t/h = 100 h, trip out 5,000 / 125 = 40 h, sail back
    // 10 h, unload 10,000 t / 1,000 t/h = 10 h: 220 h, then again.
    let expected = [
        (0.0, "new", "idle", "start"),
        (0.0, "idle", "transit", "start"),
        (10.0, "transit", "tripping_in", "timed"),
        (60.0, "tripping_in", "lifting", "timed"),
        (160.0, "lifting", "tripping_out", "timed"),
        (200.0, "tripping_out", "transit", "timed"),
        (210.0, "transit", "unloading", "timed"),
        (220.0, "unloading", "transit", "timed"),
        (230.0, "transit", "tripping_in", "timed"),
    ];
    for (row, (time_h, from, to, cause)) in trace.rows.iter().zip(expected) {
        let want = (time_h, "system 1".to_string(), from, to, cause.to_string());
        assert_eq!(cells(row), want);
    }
    // 39 cycles end at 8,580 h; the 40th lifts 8,640–8,740 h and trips out
    // until the horizon closes the record.
    let last: Vec<_> = trace.rows.iter().rev().take(3).rev().map(cells).collect();
    assert_eq!(
        last,
        [
            (
                8640.0,
                "system 1".into(),
                "tripping_in",
                "lifting",
                "timed".into()
            ),
            (
                8740.0,
                "system 1".into(),
                "lifting",
                "tripping_out",
                "timed".into()
            ),
            (
                8760.0,
                "system 1".into(),
                "tripping_out",
                "horizon",
                "horizon".into()
            ),
        ]
    );
    // Two rows to start, six a cycle (39 of them), three in the 40th, one
    // at the horizon.
    assert_eq!(trace.rows.len(), 2 + 6 * 39 + 3 + 1);
}

#[test]
fn each_trace_row_leaves_the_state_the_unit_last_entered() {
    let text = include_str!("../../scenarios/commercial.toml");
    let rep = run_replication_traced(&scenario(text, &["scenario.years=1.0"]), 3, 0).unwrap();
    let trace = rep.trace.unwrap();
    let mut state: Vec<(String, &str, f64)> = Vec::new();
    for row in &trace.rows {
        let unit = row.unit();
        match state.iter_mut().find(|(name, _, _)| *name == unit) {
            Some((_, last, since_h)) => {
                assert_eq!(row.from, *last, "{row:?}");
                assert_ne!(row.from, row.to, "a row is a change: {row:?}");
                assert!(row.time_h >= *since_h, "rows are in time order: {row:?}");
                (*last, *since_h) = (row.to, row.time_h);
            }
            None => {
                assert_eq!(row.from, "new", "a unit's first row: {row:?}");
                state.push((unit, row.to, row.time_h));
            }
        }
    }
    // 3 systems and 4 shuttles, each closed at the horizon.
    assert_eq!(state.len(), 7);
    assert!(
        state
            .iter()
            .all(|(_, last, t)| *last == "horizon" && *t == 8760.0)
    );
    let causes: Vec<Cause> = trace.rows.iter().map(|row| row.cause).collect();
    for cause in [Cause::Start, Cause::SeaState, Cause::Timed, Cause::Horizon] {
        assert!(causes.contains(&cause), "{cause} in a year of commercial");
    }
}

#[test]
fn the_trace_adds_up_to_the_time_budget_and_changes_no_result() {
    let text = include_str!("../../scenarios/commercial.toml");
    let scenario = scenario(text, &["scenario.years=1.0"]);
    let plain = run_replication(&scenario, 5, 2).unwrap();
    let traced = run_replication_traced(&scenario, 5, 2).unwrap();
    assert!(plain.trace.is_none());
    assert_eq!(plain.years, traced.years);
    assert_eq!(plain.shipments, traced.shipments);
    assert_eq!(plain.events, traced.events);

    // Hours per system state from the trace: each row ends the span of
    // the state it leaves, begun at the unit's previous row.
    let trace = traced.trace.unwrap();
    let mut since: Vec<(String, f64)> = Vec::new();
    let mut hours = vec![0.0; SystemState::ALL.len()];
    for row in trace.rows.iter().filter(|row| row.kind == "system") {
        let unit = row.unit();
        if let Some((_, since_h)) = since.iter_mut().find(|(name, _)| *name == unit) {
            let state = SystemState::ALL.iter().position(|s| s.name() == row.from);
            hours[state.expect("a system state")] += row.time_h - *since_h;
            *since_h = row.time_h;
        } else {
            since.push((unit, row.time_h));
        }
    }
    for (index, state) in SystemState::ALL.iter().enumerate() {
        let booked = plain.system_budget.total(index);
        assert!(
            (hours[index] - booked).abs() < 1e-6 * booked.max(1.0),
            "{}: trace {} h, budget {booked} h",
            state.name(),
            hours[index]
        );
    }
}

fn assert_png(path: &Path) {
    let bytes = fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
    assert_eq!(&bytes[12..16], b"IHDR", "{}", path.display());
}

fn assert_svg(path: &Path) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains("<svg"), "{}", path.display());
    assert!(text.trim_end().ends_with("</svg>"), "{}", path.display());
}

#[test]
fn run_with_trace_writes_trace_csv_and_the_timeline_chart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deterministic.toml");
    fs::write(&path, DETERMINISTIC).unwrap();
    let out = dir.path().join("out");
    deepmud()
        .args(["run", "--quiet", "--trace", "1", "--out"])
        .arg(&out)
        .arg(&path)
        .assert()
        .success();
    let csv = fs::read_to_string(out.join("trace.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().take(5).collect();
    assert_eq!(
        lines,
        [
            "time_h,unit,from_state,to_state,cause",
            "0,system 1,new,idle,start",
            "0,system 1,idle,transit,start",
            "10,system 1,transit,tripping_in,timed",
            "60,system 1,tripping_in,lifting,timed",
        ]
    );
    assert_png(&out.join("timeline.png"));
    assert_svg(&out.join("timeline.svg"));
    let svg = fs::read_to_string(out.join("timeline.svg")).unwrap();
    assert!(svg.contains("system 1") && svg.contains("Lifting"));

    // `plot` redraws the timeline from trace.csv; without it, there is none.
    fs::remove_file(out.join("timeline.png")).unwrap();
    deepmud().arg("plot").arg(&out).assert().success();
    assert_png(&out.join("timeline.png"));
    let plain = dir.path().join("plain");
    deepmud()
        .args(["run", "--quiet", "--out"])
        .arg(&plain)
        .arg(&path)
        .assert()
        .success();
    assert!(!plain.join("trace.csv").exists());
    assert!(!plain.join("timeline.png").exists());
}

#[test]
fn trace_numbers_replications_from_one_like_the_shipment_log() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    deepmud()
        .args(["run", "--quiet", "--reps", "3", "--trace", "2", "--out"])
        .arg(&out)
        .assert()
        .success();
    // Every delivery of replication 2 in shipments.csv ends an unloading
    // in the trace, at the same time.
    let trace = fs::read_to_string(out.join("trace.csv")).unwrap();
    let unloaded: Vec<&str> = trace
        .lines()
        .filter(|line| line.split(',').nth(2) == Some("unloading"))
        .map(|line| line.split(',').next().unwrap())
        .collect();
    let shipments = fs::read_to_string(out.join("shipments.csv")).unwrap();
    let of = |replication: &str| -> Vec<String> {
        shipments
            .lines()
            .skip(1)
            .filter(|line| line.split(',').next() == Some(replication))
            .map(|line| line.split(',').nth(1).unwrap().to_string())
            .collect()
    };
    let second = of("2");
    assert!(!second.is_empty());
    assert!(second.iter().all(|t| unloaded.contains(&t.as_str())));
    assert!(!of("1").iter().all(|t| unloaded.contains(&t.as_str())));
}

#[test]
fn a_trace_of_a_replication_the_run_does_not_have_is_refused_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    deepmud()
        .args(["run", "--quiet", "--reps", "3", "--trace", "4", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "cannot trace replication 4: the run has replications 1 to 3",
        ));
    assert!(!out.exists(), "refused before anything runs");
    deepmud()
        .args(["run", "--quiet", "--trace", "0"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--trace"));
}

#[test]
fn commercial_run_with_trace_1_writes_trace_csv_and_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    deepmud()
        .arg("run")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/commercial.toml"))
        .args(["--quiet", "--reps", "1", "--trace", "1", "--out"])
        .arg(&out)
        .assert()
        .success();
    let csv = fs::read_to_string(out.join("trace.csv")).unwrap();
    // Five years of 3 systems and 4 shuttles, each closed at 43,800 h.
    assert!(csv.lines().count() > 1_000, "{} rows", csv.lines().count());
    for unit in ["system 3", "shuttle 4"] {
        assert!(
            csv.contains(&format!("43800,{unit},")),
            "{unit} at the horizon"
        );
    }
    assert_png(&out.join("timeline.png"));
    assert_svg(&out.join("timeline.svg"));
}
