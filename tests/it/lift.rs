//! The mining system: typhoon retrieval timing, hanging off, the booking of
//! port calls for planned work, and phases that change its plans.

use deepmud::engine::HOURS_PER_YEAR;
use deepmud::experiment::metrics::TimeUsage;
use deepmud::experiment::run::{RunOptions, run};
use deepmud::model::streams::{Owner, Purpose, stream};
use deepmud::model::weather::Weather;
use deepmud::model::{Replication, SystemState, run_replication, run_replication_traced};
use deepmud::scenario::{Scenario, load_file, load_str};

use crate::model::DETERMINISTIC;

fn scenario(text: &str, overrides: &[&str]) -> Scenario {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    load_str(text, "test scenario", &overrides).unwrap_or_else(|e| panic!("{e}"))
}

fn hours(rep: &Replication, state: SystemState) -> f64 {
    rep.system_budget.total(state as usize)
}

fn lifted_t(rep: &Replication) -> f64 {
    rep.years.iter().map(|y| y.lifted_wet_t).sum()
}

fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < 1e-6,
        "{what}: {actual}, expected {expected}"
    );
}

/// The deterministic operation with a hold that never fills: once connected
/// (sail 10 h + trip in 5,000 m / 100 m/h = 50 h) it lifts until something
/// else stops it.
const NEVER_FULL: &str = "mining.buffer_capacity_t=10000000";

/// A replication of `scenario` with exactly one typhoon, warned at least
/// 200 h after the start and 400 h before the horizon; its warning time.
fn replication_with_one_typhoon(scenario: &Scenario) -> (u64, f64) {
    let horizon_h = scenario.scenario.years * HOURS_PER_YEAR;
    (0..500)
        .find_map(|replication| {
            let rng = stream(1, replication, Purpose::Weather, Owner::Site);
            let mut weather = Weather::new(&scenario.weather, scenario.scenario.start_month, rng);
            let warning_h = weather.first_warning_h()?;
            let (_, next) = weather.warn(warning_h);
            let alone = next.is_none_or(|next_h| next_h >= horizon_h);
            (alone && warning_h >= 200.0 && warning_h + 400.0 <= horizon_h)
                .then_some((replication, warning_h))
        })
        .expect("some replication has a single typhoon")
}

/// With a 72 h warning and a 48 h typhoon, a connected string whose
/// trip-out (5,000 m / 500 m/h = 10 h) and margin (12 h) fit in the lead
/// keeps lifting until arrival − 10 − 12 = warning + 50 h; the typhoon then
/// costs 12 + 10 + 48 h and the trip back in (50 h): 120 h, not the 170 h of
/// retrieving at the warning.
#[test]
fn typhoon_retrieval_starts_at_the_latest_safe_start() {
    let scenario = scenario(
        DETERMINISTIC,
        &[
            NEVER_FULL,
            "weather.typhoon_rate_per_month=0.1",
            "weather.typhoon_warning_h=72",
            "weather.typhoon_duration_h=48",
            "mining.trip_out_m_per_h=500",
            "mining.typhoon_margin_h=12",
        ],
    );
    let (replication, _) = replication_with_one_typhoon(&scenario);
    let rep = run_replication(&scenario, 1, replication).unwrap();
    let typhoon_h = 12.0 + 10.0 + 48.0 + 50.0;
    assert_close(hours(&rep, SystemState::Typhoon), typhoon_h, "typhoon h");
    let lifting_h = HOURS_PER_YEAR - 60.0 - typhoon_h;
    assert_close(hours(&rep, SystemState::Lifting), lifting_h, "lifting h");
    assert_close(lifted_t(&rep), 100.0 * lifting_h, "lifted t");
    assert_eq!(rep.years[0].typhoons, 1);
    assert_eq!(rep.years[0].typhoon_unfinished_retrievals, 0);
}

/// A trip-out of 5,000 m / 50 m/h = 100 h cannot finish within the 72 h
/// lead: it starts at the warning, is counted as unfinished, and owes the
/// scenario's 30 h repair after the passage. Typhoon time: trip out 100 h,
/// wait to the alert's end (72 + 48 − 100 = 20 h), repair 30 h, trip in 50 h.
#[test]
fn typhoon_retrieval_longer_than_the_lead_is_counted_and_repaired() {
    let scenario = scenario(
        DETERMINISTIC,
        &[
            NEVER_FULL,
            "weather.typhoon_rate_per_month=0.1",
            "weather.typhoon_warning_h=72",
            "weather.typhoon_duration_h=48",
            "mining.trip_out_m_per_h=50",
            "mining.typhoon_unfinished_repair_h=30",
        ],
    );
    let (replication, _) = replication_with_one_typhoon(&scenario);
    let rep = run_replication(&scenario, 1, replication).unwrap();
    let typhoon_h = 100.0 + 20.0 + 30.0 + 50.0;
    assert_close(hours(&rep, SystemState::Typhoon), typhoon_h, "typhoon h");
    assert_close(hours(&rep, SystemState::Failure), 0.0, "failure h");
    assert_eq!(rep.years[0].typhoon_unfinished_retrievals, 1);
    let lifting_h = HOURS_PER_YEAR - 60.0 - typhoon_h;
    assert_close(lifted_t(&rep), 100.0 * lifting_h, "lifted t");
}

/// The first trip in runs 10–60 h. A replication with a single typhoon
/// warned at w in [15, 55] h, and the scenario for it.
fn typhoon_during_the_first_trip_in(overrides: &[&str]) -> (Scenario, u64, f64) {
    let mut all = vec![
        NEVER_FULL,
        "scenario.years=0.05",
        "weather.typhoon_rate_per_month=3",
        "weather.typhoon_warning_h=72",
        "weather.typhoon_duration_h=48",
    ];
    all.extend_from_slice(overrides);
    let scenario = scenario(DETERMINISTIC, &all);
    let horizon_h = scenario.scenario.years * HOURS_PER_YEAR;
    let (replication, warning_h) = (0..2000)
        .find_map(|replication| {
            let rng = stream(1, replication, Purpose::Weather, Owner::Site);
            let mut weather = Weather::new(&scenario.weather, scenario.scenario.start_month, rng);
            let warning_h = weather.first_warning_h()?;
            let (_, next) = weather.warn(warning_h);
            let alone = next.is_none_or(|next_h| next_h >= horizon_h);
            (alone && (15.0..=55.0).contains(&warning_h)).then_some((replication, warning_h))
        })
        .expect("some replication has a single typhoon during the first trip in");
    (scenario, replication, warning_h)
}

/// Warned at w during the trip in, with a trip-out of 10 h and a 12 h
/// margin, the latest safe start is w + 50 h, after the string connects at
/// 60 h: it is run on, lifts until w + 50 and the typhoon costs 120 h.
#[test]
fn string_run_in_under_an_alert_goes_on_when_it_connects_before_the_latest_start() {
    let overrides = ["mining.trip_out_m_per_h=500", "mining.typhoon_margin_h=12"];
    let (scenario, replication, _) = typhoon_during_the_first_trip_in(&overrides);
    let rep = run_replication(&scenario, 1, replication).unwrap();
    let horizon_h = scenario.scenario.years * HOURS_PER_YEAR;
    assert_close(hours(&rep, SystemState::TrippingIn), 50.0, "trip in h");
    assert_close(hours(&rep, SystemState::Typhoon), 120.0, "typhoon h");
    let lifting_h = horizon_h - 60.0 - 120.0;
    assert_close(hours(&rep, SystemState::Lifting), lifting_h, "lifting h");
}

/// With a 50 h margin the latest safe start (w + 72 − 25 − 50) is before
/// the warning: the string being run in is pulled up at once, (w − 10) ×
/// 100 m at 200 m/h, shelters to w + 120 and is run in again (50 h): typhoon
/// time w to w + 170, and nothing is counted unfinished.
#[test]
fn string_run_in_under_an_alert_is_pulled_up_when_it_cannot_connect_in_time() {
    let overrides = ["mining.trip_out_m_per_h=200", "mining.typhoon_margin_h=50"];
    let (scenario, replication, warning_h) = typhoon_during_the_first_trip_in(&overrides);
    let rep = run_replication(&scenario, 1, replication).unwrap();
    let horizon_h = scenario.scenario.years * HOURS_PER_YEAR;
    assert_close(
        hours(&rep, SystemState::TrippingIn),
        warning_h - 10.0,
        "trip in h",
    );
    assert_close(hours(&rep, SystemState::Typhoon), 170.0, "typhoon h");
    let lifting_h = horizon_h - warning_h - 170.0;
    assert_close(hours(&rep, SystemState::Lifting), lifting_h, "lifting h");
    assert_eq!(rep.years[0].typhoon_unfinished_retrievals, 0);
}

/// Hs 1 m in January, 7 m (above the 6 m survival limit) in February, 1 m
/// after; weather steps of 10 h put the changes at exactly 730 and 1,460 h.
/// The string is run in at 5 m/h from 10 h: 3,600 m are down at 730 h.
const STORMY_FEBRUARY: [&str; 4] = [
    NEVER_FULL,
    "weather.step_h=10",
    "weather.hs_median_m=[1.0, 7.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]",
    "mining.trip_in_m_per_h=5",
];

/// Hung off, the string waits through February (730 h, booked weather) and
/// runs the last 1,400 m in 280 h: connected at 1,740 h.
#[test]
fn hung_off_string_pauses_partly_run_and_resumes_when_the_sea_allows() {
    let mut overrides = STORMY_FEBRUARY.to_vec();
    overrides.push("mining.survival_practice=hang_off");
    let rep = run_replication(&scenario(DETERMINISTIC, &overrides), 1, 0).unwrap();
    assert_close(
        hours(&rep, SystemState::TrippingIn),
        720.0 + 280.0,
        "trip in h",
    );
    assert_close(hours(&rep, SystemState::Weather), 730.0, "weather h");
    assert_close(
        hours(&rep, SystemState::Lifting),
        HOURS_PER_YEAR - 1740.0,
        "lift h",
    );
}

/// Retrieved, the 3,600 m come up in 28.8 h (at 125 m/h), the string waits
/// for March and is run in again from the surface (1,000 h, booked to the
/// survival seas that forced it): connected at 2,460 h.
#[test]
fn retrieved_string_restarts_its_deployment_from_the_surface() {
    let mut overrides = STORMY_FEBRUARY.to_vec();
    overrides.push("mining.survival_practice=retrieve");
    let rep = run_replication(&scenario(DETERMINISTIC, &overrides), 1, 0).unwrap();
    assert_close(hours(&rep, SystemState::TrippingIn), 720.0, "trip in h");
    assert_close(
        hours(&rep, SystemState::Weather),
        730.0 + 1000.0,
        "weather h",
    );
    assert_close(
        hours(&rep, SystemState::Lifting),
        HOURS_PER_YEAR - 2460.0,
        "lift h",
    );
}

/// Maintenance in port every 100 d (48 h) for a system that otherwise never
/// leaves, over half a year. At 2,400 h it trips out (40 h), sails in
/// (10 h), unloads 234,000 t (234 h, operating), is maintained (48 h),
/// sails out (10 h) and trips in (50 h): 158 h of maintenance, and the
/// only transit and tripping left operating are the first deployment's.
#[test]
fn port_call_for_maintenance_is_booked_to_maintenance() {
    let text = format!(
        "{DETERMINISTIC}\n[mining.maintenance]\ninterval_d = 100\nduration_h = 48\nat_port = true\n"
    );
    let rep = run_replication(&scenario(&text, &[NEVER_FULL, "scenario.years=0.5"]), 1, 0).unwrap();
    assert_close(
        hours(&rep, SystemState::Maintenance),
        158.0,
        "maintenance h",
    );
    assert_close(hours(&rep, SystemState::Transit), 10.0, "transit h");
    assert_close(hours(&rep, SystemState::TrippingIn), 50.0, "trip in h");
    assert_close(hours(&rep, SystemState::TrippingOut), 0.0, "trip out h");
    assert_close(hours(&rep, SystemState::Unloading), 234.0, "unloading h");
    let calendar_h = 0.5 * HOURS_PER_YEAR;
    let usage = TimeUsage::of_horizon(&rep.system_budget);
    let availability = usage.physical_availability().unwrap();
    assert_close(
        availability,
        (calendar_h - 158.0) / calendar_h,
        "availability",
    );
    let operating_h = 10.0 + 50.0 + 234.0 + (calendar_h - 10.0 - 50.0 - 158.0 - 234.0);
    assert_close(usage.operating_h, operating_h, "operating h");
}

/// Crew change every 300 d (10 h, on site), changed at day 36.5 to every
/// 10 d: the first falls due at once (0 + 10 d is past) and then every
/// 240 h, 33 times before the horizon (876 + 32 × 240 = 8,556 h): 330 h.
/// Left queued under the old interval it came at 7,200 h, 7 times: 70 h.
#[test]
fn phase_interval_reschedules_the_queued_crew_change() {
    let text = format!(
        "{DETERMINISTIC}\n[mining.crew_change]\ninterval_d = 300\nduration_h = 10\n\
         [[phase]]\nname = \"more crew changes\"\nstart_year = 1.1\n\
         [phase.set]\n\"mining.crew_change.interval_d\" = 10\n"
    );
    let rep = run_replication(&scenario(&text, &[NEVER_FULL]), 1, 0).unwrap();
    assert_close(
        hours(&rep, SystemState::CrewChange),
        33.0 * 10.0,
        "crew change h",
    );
}

/// campaign_d 100 → 20 at 240 h, one trip: the stay ends 20 d after the
/// arrival at 10 h, at 490 h, so 60–490 h lifts 43,000 t (not the 235,000 t
/// of 60–2,410 h under the old value).
#[test]
fn phase_campaign_length_applies_to_the_stay_under_way() {
    let text = format!(
        "{DETERMINISTIC}\n[[phase]]\nname = \"shorter stays\"\nstart_year = {}\n\
         [phase.set]\n\"mining.campaign_d\" = 20\n",
        1.0 + 240.0 / HOURS_PER_YEAR
    );
    let overrides = [NEVER_FULL, "mining.campaign_d=100", "mining.max_trips=1"];
    let rep = run_replication(&scenario(&text, &overrides), 1, 0).unwrap();
    assert_close(lifted_t(&rep), 430.0 * 100.0, "lifted t");
}

/// Two systems, one trip each, 1,000 nm from port (100 h a leg); at 1,000 h
/// a phase allows two trips and keeps one system. Only the kept one sails
/// again: transit 2 × 200 h + 200 h = 600 h, not 800 h with the retired
/// one sailing out and straight back.
#[test]
fn system_retired_by_the_phase_that_allows_more_trips_stays_in_port() {
    let text = format!(
        "{DETERMINISTIC}\n[[phase]]\nname = \"one more trip, one system\"\nstart_year = {}\n\
         [phase.set]\n\"mining.systems\" = 1\n\"mining.max_trips\" = 2\n",
        1.0 + 1000.0 / HOURS_PER_YEAR
    );
    let overrides = [
        "mining.systems=2",
        "mining.max_trips=1",
        "site.port_distance_nm=1000",
    ];
    let rep = run_replication(&scenario(&text, &overrides), 1, 0).unwrap();
    assert_close(hours(&rep, SystemState::Transit), 600.0, "transit h");
    let delivered: f64 = rep.years.iter().map(|y| y.delivered_wet_t).sum();
    assert_close(delivered, 3.0 * 10_000.0, "delivered t");
}

/// `no_lift_share` is the share of replications whose lifted tonnage is
/// zero, counted here one replication at a time.
#[test]
fn no_lift_share_is_the_share_of_replications_that_lift_nothing() {
    let overrides = ["scenario.replications=60".to_string()];
    let scenario = load_file("scenarios/test-2026.toml".as_ref(), &overrides).unwrap();
    let output = run(&scenario, &RunOptions::default(), &|| {}, &mut Vec::new()).unwrap();
    let (_, share) = output
        .kpis
        .iter()
        .find(|(metric, _)| metric.name == "no_lift_share")
        .unwrap();
    let seed = scenario.scenario.seed;
    let none = (0..60)
        .filter(|&r| lifted_t(&run_replication(&scenario, seed, r).unwrap()) <= 0.0)
        .count();
    assert!(none > 0 && none < 60, "{none} of 60 lift nothing");
    assert_close(share.mean, none as f64 / 60.0, "no_lift_share");
}

/// A misspelt practice is reported with its key and the allowed names,
/// beside the file's other problems (checking goes on past it).
#[test]
fn survival_practice_misspelt_is_reported_with_the_allowed_names() {
    let text = DETERMINISTIC.replace(
        "systems = 1\n",
        "systems = 1\nsurvival_practice = \"sideways\"\ntyphoon_margin_h = -1\n",
    );
    let error = load_str(&text, "bad.toml", &[]).unwrap_err().to_string();
    assert!(error.contains("2 problems"), "{error}");
    assert!(error.contains("mining.survival_practice"), "{error}");
    assert!(error.contains(r#""retrieve" or "hang_off""#), "{error}");
    assert!(error.contains("mining.typhoon_margin_h"), "{error}");
}

/// [`DETERMINISTIC`] with typhoons only in January (2 a month), each warned
/// 48 h ahead and lasting 1,000 h: an alert of 1,048 h.
pub(crate) fn january_typhoons() -> String {
    DETERMINISTIC.replace(
        "typhoon_rate_per_month = 0.0\n",
        "typhoon_rate_per_month = [2.0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n\
         typhoon_warning_h = 48\ntyphoon_duration_h = 1000\n",
    )
}

/// A mining system does not sail into a typhoon: bound for the site under
/// an alert that would still be on at its arrival, it holds in port, booked
/// as typhoon, and sails to arrive as the alert ends.
#[test]
fn a_system_bound_for_the_site_under_an_alert_holds_in_port_until_it_can_arrive_after_it() {
    let stormy = january_typhoons();
    let (replication, warning_h) = replication_with_one_typhoon(&scenario(&stormy, &[]));
    // The system joins by a phase 10 h into the alert; the site is 100 nm /
    // 10 kn = 10 h away; the alert ends at warning + 48 + 1,000 h. It holds
    // from warning + 10 h to the alert's end − 10 h, then sails.
    let joins_h = warning_h + 10.0;
    let alert_end_h = warning_h + 1_048.0;
    let text = format!(
        "{stormy}\n[[phase]]\nname = \"first system\"\nstart_year = {}\n\
         set = {{ \"mining.systems\" = 1 }}\n",
        1.0 + joins_h / HOURS_PER_YEAR
    );
    let phased = scenario(&text, &["mining.systems=0"]);
    let rep = run_replication_traced(&phased, 1, replication).unwrap();
    let rows: Vec<(f64, &str, &str)> = rep
        .trace
        .as_ref()
        .expect("a trace")
        .rows
        .iter()
        .filter(|row| row.unit() == "system 1")
        .map(|row| (row.time_h, row.from, row.to))
        .take(4)
        .collect();
    let expected = [
        (joins_h, "new", "idle"),
        (joins_h, "idle", "typhoon"),
        (alert_end_h - 10.0, "typhoon", "transit"),
        (alert_end_h, "transit", "tripping_in"),
    ];
    for (row, want) in rows.iter().zip(&expected) {
        assert_close(row.0, want.0, "time of a state change");
        assert_eq!((row.1, row.2), (want.1, want.2), "at {} h", row.0);
    }
    assert_close(hours(&rep, SystemState::Typhoon), 1_028.0, "typhoon hours");
}
