//! Edges of scenario loading, through the real binary: `deepmud check` on a
//! bad scenario exits with code 2, prints every problem with its range and
//! origin, and never panics.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

use crate::cli::SMALL;

/// A hub with its two required keys, for `--set`.
const HUB: &str = "hub={site_distance_nm = 100, port_distance_nm = 1000}";

/// The 1-based number of the first line of `text` that starts with `start`.
fn line_of(text: &str, start: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starts with {start:?}"))
        + 1
}

/// Runs `deepmud check` on `text` written to `bad.toml` with `args` after
/// it; asserts exit code 2, no panic and a first line that counts the
/// problems listed after it. Returns the problem lines, with the file's
/// path shortened to its name.
fn check_fails(text: &str, args: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("bad.toml");
    fs::write(&path, text).expect("write the scenario");
    check_path_fails(&path, args)
}

fn check_path_fails(path: &Path, args: &[&str]) -> Vec<String> {
    let output = Command::cargo_bin("deepmud")
        .expect("the deepmud binary is built")
        .arg("check")
        .arg(path)
        .args(args)
        .output()
        .expect("deepmud runs");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let mut lines = stderr.lines();
    let header = lines.next().expect("a first line");
    let shown = path.display().to_string();
    let name = path.file_name().expect("a file name").to_string_lossy();
    let problems: Vec<String> = lines.map(|line| line.replace(&shown, &name)).collect();
    let noun = if problems.len() == 1 {
        "problem"
    } else {
        "problems"
    };
    assert!(
        header.ends_with(&format!("{} {noun} in {}", problems.len(), path.display())),
        "the count matches the lines listed: {stderr}"
    );
    problems
}

/// The problem line about `key`, asserting there is exactly one.
fn about<'a>(problems: &'a [String], key: &str) -> &'a str {
    let found: Vec<&String> = problems
        .iter()
        .filter(|p| p.contains(&format!(": {key} ")) || p.contains(&format!(": {key}:")))
        .collect();
    assert_eq!(found.len(), 1, "one problem about {key}: {problems:#?}");
    found[0]
}

/// Every whole-number key with its range, as problems state it.
const WHOLE_KEYS: [(&str, &str); 9] = [
    ("scenario.start_month", "in [1, 12]"),
    ("scenario.seed", "≥ 0"),
    ("scenario.replications", "in [1, 1000000]"),
    ("mining.systems", "in [0, 100]"),
    ("mining.max_trips", "≥ 1"),
    ("fleet.shuttles", "in [0, 1000]"),
    ("port.berths", "in [1, 100]"),
    ("hub.berths", "in [1, 100]"),
    ("hub.ships", "in [1, 1000]"),
];

fn set_every_whole_key(value: &str) -> Vec<String> {
    let mut args = vec!["--set".to_string(), HUB.to_string()];
    for (key, _) in WHOLE_KEYS {
        args.push("--set".to_string());
        args.push(format!("{key}={value}"));
    }
    args
}

#[test]
fn negative_whole_numbers_state_the_keys_allowed_range() {
    let args = set_every_whole_key("-1");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let problems = check_fails(SMALL, &args);
    assert_eq!(problems.len(), WHOLE_KEYS.len(), "{problems:#?}");
    for (key, range) in WHOLE_KEYS {
        assert_eq!(
            about(&problems, key),
            format!("--set: {key} = -1: must be a whole number {range}")
        );
    }
    assert!(
        !problems.iter().any(|p| p.contains("4294967295")),
        "{problems:#?}"
    );
}

#[test]
fn whole_numbers_too_large_for_their_type_state_the_keys_allowed_range() {
    let args = set_every_whole_key("5000000000");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let problems = check_fails(SMALL, &args);
    // A seed of 5e9 fits its type and has no upper bound.
    assert_eq!(problems.len(), WHOLE_KEYS.len() - 1, "{problems:#?}");
    for (key, range) in WHOLE_KEYS.iter().filter(|(key, _)| *key != "scenario.seed") {
        let shown = about(&problems, key);
        assert!(shown.ends_with(range), "{shown}");
        assert!(!shown.contains("4294967295"), "{shown}");
    }
}

#[test]
fn mining_systems_minus_one_in_the_file_states_zero_to_one_hundred() {
    let text = SMALL.replace("[mining]\n", "[mining]\nsystems = -1\n");
    let problems = check_fails(&text, &[]);
    let line = line_of(&text, "systems");
    assert_eq!(
        problems,
        [format!(
            "bad.toml:{line}:1: mining.systems = -1: must be a whole number in [0, 100]"
        )]
    );
}

#[test]
fn whole_number_in_its_type_but_out_of_range_states_the_same_range() {
    let problems = check_fails(SMALL, &["--set", "mining.systems=101"]);
    assert_eq!(
        problems,
        ["--set: mining.systems = 101: must be in [0, 100]"]
    );
}

#[test]
fn whole_number_written_as_a_float_states_the_range_and_the_form() {
    let problems = check_fails(
        SMALL,
        &["--set", "port.berths=2.0", "--set", "mining.systems=nan"],
    );
    assert_eq!(
        about(&problems, "port.berths"),
        "--set: port.berths = 2.0: must be a whole number in [1, 100], written without a decimal point"
    );
    assert_eq!(
        about(&problems, "mining.systems"),
        "--set: mining.systems = nan: must be a whole number in [0, 100]"
    );
}

#[test]
fn whole_number_key_set_by_a_phase_states_its_range() {
    let text = format!(
        "{SMALL}\n[[phase]]\nname = \"scale-up\"\nstart_year = 2\nset = {{ \"mining.systems\" = -4 }}\n"
    );
    let problems = check_fails(&text, &[]);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].ends_with(
            "in phase `scale-up` (from year 2): mining.systems: must be a whole number in [0, 100]"
        ),
        "{problems:#?}"
    );
}

#[test]
fn a_table_only_set_created_is_blamed_on_set() {
    let problems = check_fails(SMALL, &["--set", "mining.maintenance.interval_d=30"]);
    assert_eq!(
        problems,
        ["--set: mining.maintenance.duration_h: required key is missing"]
    );
    let problems = check_fails(SMALL, &["--set", "hub.berths=2"]);
    assert_eq!(
        problems,
        [
            "--set: hub.site_distance_nm: required key is missing",
            "--set: hub.port_distance_nm: required key is missing",
        ]
    );
}

#[test]
fn a_key_the_file_has_is_still_blamed_on_the_file() {
    let text = SMALL.replace("[mining]\n", "[mining]\nhs_limit_survival_m = 6\n");
    let problems = check_fails(&text, &["--set", "mining.hs_limit_lift_m=7"]);
    let line = line_of(&text, "hs_limit_survival_m");
    assert_eq!(
        problems,
        [format!(
            "bad.toml:{line}:1: mining.hs_limit_survival_m = 6: must be ≥ hs_limit_trip_m and hs_limit_lift_m (7 m)"
        )]
    );
}

#[test]
fn a_table_only_a_phase_created_is_blamed_on_its_set_key() {
    let text = format!(
        "{SMALL}\n[[phase]]\nname = \"upkeep\"\nstart_year = 2\nset = {{ \"mining.maintenance.interval_d\" = 30 }}\n"
    );
    let problems = check_fails(&text, &[]);
    let line = line_of(&text, "set =");
    let column = "set = { ".len() + 1;
    assert_eq!(
        problems,
        [format!(
            "bad.toml:{line}:{column}: phase[0].set.\"mining.maintenance.interval_d\": \
             in phase `upkeep` (from year 2): mining.maintenance.duration_h: required key is missing"
        )]
    );
}

#[test]
fn nan_and_infinity_on_set_are_numbers_that_are_not_allowed() {
    for value in [
        "nan", "NaN", "-nan", "inf", "+inf", "Infinity", "-INF", "1e999",
    ] {
        let problems = check_fails(SMALL, &["--set", &format!("scenario.years={value}")]);
        assert_eq!(problems.len(), 1, "{value}: {problems:#?}");
        let shown = &problems[0];
        assert!(
            shown.ends_with(": must be a finite number"),
            "{value}: {shown}"
        );
        assert!(
            !shown.contains("string") && !shown.contains('"'),
            "{value}: {shown}"
        );
    }
}

#[test]
fn nan_and_infinity_in_the_file_are_numbers_that_are_not_allowed() {
    let text = SMALL
        .replace("years = 0.5", "years = nan")
        .replace("water_depth_m = 5700", "water_depth_m = -inf")
        .replace(
            "[mining]\n",
            "[mining]\nsystems = +inf\nrelocation_h = { dist = \"exponential\", mean = nan }\n",
        );
    let problems = check_fails(&text, &[]);
    assert_eq!(problems.len(), 4, "{problems:#?}");
    let expected = [
        ("scenario.years", "nan", "must be a finite number"),
        ("site.water_depth_m", "-inf", "must be a finite number"),
        (
            "mining.systems",
            "inf",
            "must be a whole number in [0, 100]",
        ),
        ("mining.relocation_h.mean", "nan", "must be a finite number"),
    ];
    for (key, value, message) in expected {
        assert!(
            about(&problems, key).ends_with(&format!("{key} = {value}: {message}")),
            "{problems:#?}"
        );
    }
}

/// Failure modes and phases of the large scenario.
const MANY: usize = 2_000;

/// The failure mode a phase in the middle changes.
const CHANGED_MODE: usize = 3;

/// SMALL with `MANY` failure modes, and the text of `MANY` phases that
/// each set the mining systems and shuttles; phase `MANY / 2` also changes
/// one failure mode's repair time.
fn many_modes_and_phases() -> (String, String) {
    let mut base = SMALL.replace("years = 0.5", "years = 150");
    for i in 0..MANY {
        base += &format!(
            "\n[[mining.failure]]\nname = \"mode {i}\"\n\
             tbf_h = {{ dist = \"exponential\", mean = {} }}\n\
             repair_h = {{ dist = \"lognormal\", median = 10, p90 = 30 }}\n",
            1000 + i
        );
    }
    let mut phases = String::new();
    for (i, (systems, shuttles)) in phase_counts().enumerate() {
        let extra = if i == MANY / 2 {
            format!(", \"mining.failure[{CHANGED_MODE}].repair_h\" = 99")
        } else {
            String::new()
        };
        phases += &format!(
            "\n[[phase]]\nname = \"phase {i}\"\nstart_year = {}\n\
             set = {{ \"mining.systems\" = {systems}, \"fleet.shuttles\" = {shuttles}{extra} }}\n",
            1.0 + (i + 1) as f64 * 0.07
        );
    }
    (base, phases)
}

/// The (systems, shuttles) each phase sets.
fn phase_counts() -> impl Iterator<Item = (u32, u32)> {
    (0..MANY as u32).map(|i| (1 + i % 5, i % 7))
}

/// Regression: each phase cloned the tree and typed and checked every
/// failure mode again, so 3,000 modes × 3,000 phases took 19 s to load.
#[test]
fn thousands_of_phases_over_thousands_of_failure_modes_resolve_to_their_overrides() {
    let (base, phases) = many_modes_and_phases();
    let scenario = deepmud::scenario::load_str(&(base.clone() + &phases), "many", &[])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(scenario.resolved_phases.len(), MANY);
    let unchanged = &scenario.mining.failure;
    assert_eq!(unchanged.len(), MANY);
    for (i, (phase, (systems, shuttles))) in scenario
        .resolved_phases
        .iter()
        .zip(phase_counts())
        .enumerate()
    {
        let s = &phase.scenario;
        assert_eq!(phase.name, format!("phase {i}"));
        assert_eq!((s.mining.systems, s.fleet.shuttles), (systems, shuttles));
        assert_eq!(s.mining.failure.len(), MANY);
        assert_eq!(s.mining.failure[MANY - 1], unchanged[MANY - 1]);
        let repair = &s.mining.failure[CHANGED_MODE].repair_h;
        if i < MANY / 2 {
            assert_eq!(*repair, unchanged[CHANGED_MODE].repair_h, "phase {i}");
        } else {
            assert_eq!(*repair, deepmud::scenario::Dist::fixed(99.0), "phase {i}");
        }
    }
    // A phase's scenario is the file with the overrides in force given as --set.
    for i in [0, MANY / 2 - 1, MANY / 2, MANY - 1] {
        let (systems, shuttles) = phase_counts().nth(i).unwrap();
        let mut overrides = vec![
            format!("mining.systems={systems}"),
            format!("fleet.shuttles={shuttles}"),
        ];
        if i >= MANY / 2 {
            overrides.push(format!("mining.failure[{CHANGED_MODE}].repair_h=99"));
        }
        let expected = deepmud::scenario::load_str(&base, "many", &overrides)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            scenario.resolved_phases[i].scenario == expected,
            "phase {i}"
        );
    }
}

#[test]
fn check_of_thousands_of_phases_finds_the_one_bad_override_in_the_last() {
    let (base, phases) = many_modes_and_phases();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let good = dir.path().join("many.toml");
    fs::write(&good, base.clone() + &phases).expect("write the scenario");
    Command::cargo_bin("deepmud")
        .expect("the deepmud binary is built")
        .arg("check")
        .arg(&good)
        .assert()
        .success();

    let last = format!("\"mining.failure[{}].tbf_h\" = -1 }}\n", MANY - 1);
    let bad = phases
        .trim_end()
        .strip_suffix('}')
        .expect("a set table")
        .to_string()
        + ", "
        + &last;
    let text = base + &bad;
    let problems = check_fails(&text, &[]);
    let line = text.lines().count();
    assert_eq!(
        problems,
        [format!(
            "bad.toml:{line}:{}: phase[{}].set.\"mining.failure[{}].tbf_h\" = -1: \
             in phase `phase {}` (from year {}): mining.failure[{}].tbf_h: \
             value must be ≥ 0 h (the quantity cannot be negative)",
            text.lines()
                .last()
                .unwrap()
                .find("\"mining.failure")
                .unwrap()
                + 1,
            MANY - 1,
            MANY - 1,
            MANY - 1,
            1.0 + MANY as f64 * 0.07,
            MANY - 1,
        )]
    );
}

/// SMALL with phases, each setting the overrides given.
fn with_phases(text: &str, sets: &[&str]) -> String {
    let mut text = text.to_string();
    for (i, set) in sets.iter().enumerate() {
        text += &format!(
            "\n[[phase]]\nname = \"p{i}\"\nstart_year = {}\nset = {{ {set} }}\n",
            i + 2
        );
    }
    text
}

#[test]
fn phase_problems_are_reported_with_the_other_problems() {
    let base = format!("{SMALL}\n[port]\nplant_availability = 1.5\n");
    let text = with_phases(&base, &["\"mining.systems\" = 500"]);
    let problems = check_fails(&text, &["--set", "fleet.speed_kn=-1"]);
    let set_line = line_of(&text, "set =");
    assert_eq!(
        problems,
        [
            format!(
                "bad.toml:{}:1: port.plant_availability = 1.5: must be in (0, 1]",
                line_of(&text, "plant_availability")
            ),
            format!(
                "bad.toml:{set_line}:9: phase[0].set.\"mining.systems\" = 500: \
                 in phase `p0` (from year 2): mining.systems: must be in [0, 100]"
            ),
            "--set: fleet.speed_kn = -1: must be in (0, 40] kn".to_string(),
        ]
    );
}

#[test]
fn phase_problems_are_reported_alongside_a_malformed_set() {
    let text = with_phases(SMALL, &["\"mining.systems\" = 500"]);
    let problems = check_fails(&text, &["--set", "mining.systems"]);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains("phase[0]"), "{problems:#?}");
    assert!(
        problems[1].starts_with("--set: `mining.systems`: expected `path=value`"),
        "{problems:#?}"
    );
}

#[test]
fn a_problem_outside_the_phases_is_not_repeated_for_each_phase() {
    let base = format!("{SMALL}\n[port]\nplant_availability = 1.5\n")
        .replace("lift_rate_t_per_h = 100", "lift_rate_t_per_hr = 100");
    let sets = [
        "\"fleet.shuttles\" = 2",
        "\"mining.systems\" = 3",
        "\"port.berths\" = 2",
    ];
    let problems = check_fails(&with_phases(&base, &sets), &[]);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].contains("did you mean `lift_rate_t_per_h`"),
        "{problems:#?}"
    );
    assert!(
        problems[1].contains("port.plant_availability"),
        "{problems:#?}"
    );
}

#[test]
fn a_phase_problem_is_not_repeated_by_the_phases_after_it() {
    let sets = [
        "\"mining.systems\" = 500",
        "\"fleet.shuttles\" = 2",
        "\"mining.systems\" = 600",
    ];
    let problems = check_fails(&with_phases(SMALL, &sets), &[]);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].contains("phase[0].set.\"mining.systems\" = 500"),
        "{problems:#?}"
    );
    assert!(
        problems[1].contains("phase[2].set.\"mining.systems\" = 600"),
        "{problems:#?}"
    );
}

#[test]
fn a_phase_that_breaks_a_whole_section_reports_that_alone() {
    let problems = check_fails(&with_phases(SMALL, &["\"mining\" = 3"]), &[]);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].ends_with("mining: expected a table, found an integer"),
        "{problems:#?}"
    );
}

#[test]
fn a_weather_step_below_a_tenth_of_an_hour_is_refused() {
    // Regression: step_h = 1e-13 was accepted and the run never ended.
    let problems = check_fails(SMALL, &["--set", "weather.step_h=1e-13"]);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("weather.step_h") && p.contains("[0.1, 24]")),
        "{problems:#?}"
    );
}
