//! Shuttles, hub ships and queues against hand-computed timelines:
//! weather-bound transfer, part-load sailing rules, dispatch when a system
//! leaves or several are full, empty shuttles at port and with no system in
//! service, what a waiting shuttle is booked to, rounding dust, censored and
//! carried queue waits and the run's stockpile warnings.

use deepmud::engine::HOURS_PER_YEAR;
use deepmud::experiment::run::{RunOptions, ShipmentLog, ShipmentRow, run};
use deepmud::model::streams::{Owner, Purpose, stream};
use deepmud::model::weather::Weather;
use deepmud::model::{
    Replication, ShuttleState, SystemState, Vessel, run_replication, run_replication_traced,
};
use deepmud::scenario::{Scenario, load_str};

use crate::lift::january_typhoons;
use crate::model::DETERMINISTIC;

fn scenario(text: &str, overrides: &[&str]) -> Scenario {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    load_str(text, "test scenario", &overrides).unwrap_or_else(|e| panic!("{e}"))
}

fn replication(text: &str, overrides: &[&str]) -> Replication {
    run_replication(&scenario(text, overrides), 1, 0).unwrap_or_else(|e| panic!("{e}"))
}

/// The deterministic operation with one shuttle of 5,000 t (sailing 100 nm
/// at 10 kn, 10 h) and monthly sea states without scatter: Hs is each
/// month's median exactly, on 1-h steps, so months begin on a step.
fn scripted_sea(february_hs_m: f64) -> String {
    scripted_months(&format!(
        "[1.0, {february_hs_m}, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]"
    ))
}

/// The deterministic operation with the monthly Hs `months` (a TOML list
/// of twelve, from January), without scatter, on 1-h steps.
fn scripted_months(months: &str) -> String {
    DETERMINISTIC.replace(
        "hs_median_m = 1.0\n",
        &format!("hs_median_m = {months}\nstep_h = 1.0\n"),
    )
}

const ONE_SHUTTLE: [&str; 8] = [
    "scenario.start_month=1",
    "mining.hs_limit_trip_m=3.0",
    "mining.hs_limit_lift_m=3.0",
    "mining.hs_limit_survival_m=5.0",
    "fleet.shuttles=1",
    "fleet.capacity_t=5000",
    "fleet.speed_kn=10",
    "fleet.hs_limit_transfer_m=1.5",
];

#[test]
fn transfer_pauses_above_its_hs_limit_and_resumes() {
    let text = scripted_sea(2.0);
    let mut overrides = ONE_SHUTTLE.to_vec();
    overrides.push("fleet.transfer_rate_t_per_h=5");
    let rep = replication(&text, &overrides);
    // The system lifts from 10 + 50 = 60 h at 100 t/h; the buffer holds the
    // shuttle's 5,000 t at 110 h. At 5 t/h the batch needs 1,000 h: it moves
    // 620 h to the end of January (730 h, 3,100 t), pauses through
    // February (Hs 2.0 m ≥ 1.5 m, 730–1,460 h) and moves the last 1,900 t in
    // 380 h: done at 1,840 h; sail 10 h, unload 5,000 / 1,000 = 5 h.
    let first = rep.shipments[0];
    assert_eq!(first.vessel, Vessel::Shuttle(0));
    assert!((first.time_h - 1_855.0).abs() < 1e-6, "{}", first.time_h);
    assert!((first.wet_t - 5_000.0).abs() < 1e-6);
    let weather_h = rep.shuttle_budget.total(ShuttleState::Weather as usize);
    assert!((weather_h - 730.0).abs() < 1e-6, "weather {weather_h} h");
    // Without the rough month the same batch ends at 1,110 h.
    let calm = replication(&scripted_sea(1.0), &overrides);
    assert!((calm.shipments[0].time_h - 1_125.0).abs() < 1e-6);
}

#[test]
fn a_shuttle_sails_part_loaded_once_its_maximum_wait_is_over() {
    let mut overrides = ONE_SHUTTLE.to_vec();
    overrides.extend(["fleet.transfer_rate_t_per_h=1000", "fleet.max_wait_h=80"]);
    let rep = replication(&scripted_sea(1.0), &overrides);
    // Alongside at 10 h, its wait is over at 90 h: the buffer then holds
    // (90 − 60) h × 100 t/h = 3,000 t, transferred in 3 h; sail 10 h,
    // unload 3 h: 3,000 t delivered at 106 h.
    let first = rep.shipments[0];
    assert!((first.time_h - 106.0).abs() < 1e-6, "{}", first.time_h);
    assert!((first.wet_t - 3_000.0).abs() < 1e-6);
    // Back alongside at 116 h, it finds its full 5,000 t at 140 h (the
    // buffer emptied at 90 h), before its next wait is over at 196 h.
    let second = rep.shipments[1];
    assert!((second.wet_t - 5_000.0).abs() < 1e-6);
    assert!((second.time_h - (140.0 + 5.0 + 10.0 + 5.0)).abs() < 1e-6);
}

#[test]
fn an_empty_shuttle_takes_no_berth_and_is_not_a_ship_served() {
    let mut overrides = ONE_SHUTTLE.to_vec();
    overrides.extend([
        "fleet.transfer_rate_t_per_h=1000",
        "mining.campaign_d=5",
        "mining.max_trips=1",
    ]);
    let rep = replication(&scripted_sea(1.0), &overrides);
    // The shuttle takes 5,000 t at 110–115 h and unloads it at 125–130 h;
    // the campaign ends at 10 + 120 = 130 h, the string is up at 170 h, and
    // the system unloads the 2,000 t lifted 110–130 h at 180–182 h and
    // stops. The shuttle, back alongside at 140 h and empty, returns to
    // port with nothing: two ships served at the berth, not three.
    assert_eq!(rep.shipments.len(), 2);
    assert!((rep.shipments[1].wet_t - 2_000.0).abs() < 1e-6);
    assert_eq!(rep.berth_queue.waits_h.len(), 2);
    assert_eq!(
        rep.shuttle_budget.total(ShuttleState::Unloading as usize),
        5.0
    );
}

#[test]
fn an_empty_shuttle_moves_to_another_system_when_its_own_sails_for_port() {
    let text = format!(
        "{}\n[mining.maintenance]\ninterval_d = 10\nduration_h = 24\nat_port = true\n",
        scripted_sea(1.0)
    );
    let mut overrides = ONE_SHUTTLE.to_vec();
    overrides.extend([
        "scenario.years=0.04",
        "mining.systems=2",
        "mining.buffer_capacity_t=100000",
        "fleet.shuttles=2",
        "fleet.capacity_t=60000",
    ]);
    let rep = replication(&text, &overrides);
    // Both systems arrive at 10 h; shuttle 0 joins system 0 at 10 h,
    // shuttle 1 (leaving 10 h later) system 1, whose buffer is as far from
    // a load and has no shuttle. System 0's maintenance (at port) falls due
    // at 240 h, system 1's at 360 h: system 0 trips out 40 h and leaves at
    // 280 h with 18,000 t aboard, less than a load, so shuttle 0 is empty
    // and joins system 1's queue, where the horizon (350.4 h) finds it.
    let horizon_h = 0.04 * HOURS_PER_YEAR;
    let queue = &rep.site_queue;
    assert_eq!(queue.censored, 1);
    assert_eq!(queue.waits_h, vec![0.0, 0.0, horizon_h - 280.0]);
}

#[test]
fn queue_waits_count_ships_still_waiting_at_the_horizon_and_keep_littles_law() {
    let overrides = [
        "mining.lift_rate_t_per_h=5",
        "mining.buffer_capacity_t=100000",
        "fleet.shuttles=3",
        "fleet.capacity_t=60000",
        "fleet.speed_kn=10",
    ];
    let rep = replication(DETERMINISTIC, &overrides);
    // The shuttles leave 20/3 h apart and arrive at 10, 16.67 and 23.33 h;
    // 60,000 t at 5 t/h takes longer than the year, so the first waits
    // alongside and the other two queue until the horizon.
    let horizon_h = HOURS_PER_YEAR;
    let queue = &rep.site_queue;
    assert_eq!(queue.censored, 2);
    let expected = [
        0.0,
        horizon_h - (10.0 + 20.0 / 3.0),
        horizon_h - (10.0 + 40.0 / 3.0),
    ];
    for (wait, want) in queue.waits_h.iter().zip(expected) {
        assert!((wait - want).abs() < 1e-9, "{:?}", queue.waits_h);
    }
    // Little's law over [0, H]: L = λ W with λ = 3 / H arrivals per hour.
    let lambda = 3.0 / horizon_h;
    let w = queue.waits_h.iter().sum::<f64>() / 3.0;
    assert!((queue.mean_length - lambda * w).abs() < 1e-12);
    assert!((queue.mean_length - 2.0).abs() < 0.01);
}

/// The deterministic cycle unloading at a hub 100 nm from the site: each
/// 220-h cycle brings 10,000 wet t at 40% solids, 5,000 wet t of product at
/// 80%, at 220 k h; one ship of 6,000 t sails 50 nm to the port.
fn hub_of_6000_t(extra: &str) -> String {
    format!(
        "{DETERMINISTIC}\n[hub]\nsite_distance_nm = 100\nport_distance_nm = 50\n\
         unload_rate_t_per_h = 1000\nproduct_solids_fraction = 0.8\nships = 1\n\
         ship_capacity_t = 6000\nload_rate_t_per_h = 1000\n{extra}"
    )
}

#[test]
fn a_hub_ship_sails_part_loaded_once_its_maximum_wait_is_over() {
    // Full holds only: the ship loads 6,000 t once the second cycle's
    // product is in at 440 h, loads 6 h, sails 5 h and unloads 6 h.
    let full = replication(&hub_of_6000_t("ship_speed_kn = 10\n"), &[]);
    assert!((full.shipments[0].time_h - 457.0).abs() < 1e-6);
    // With a 300-h maximum wait (from 0 h) it takes the first 5,000 t at
    // 300 h: load 5 h, sail 5 h, unload 5 h.
    let rep = replication(
        &hub_of_6000_t("ship_speed_kn = 10\nmax_wait_h = 300\n"),
        &[],
    );
    let shipment = rep.shipments[0];
    assert!(
        (shipment.time_h - 315.0).abs() < 1e-6,
        "{}",
        shipment.time_h
    );
    assert!((shipment.dry_t - 4_000.0).abs() < 1e-6);
}

#[test]
fn a_hub_ship_sails_part_loaded_once_no_more_mud_is_coming() {
    // One trip: the system's 5,000 t of product is in at 220 h and the
    // system stops; the ship sails with it at once: delivered at 235 h.
    let rep = replication(
        &hub_of_6000_t("ship_speed_kn = 10\n"),
        &["mining.max_trips=1"],
    );
    assert_eq!(rep.shipments.len(), 1);
    let shipment = rep.shipments[0];
    assert!(
        (shipment.time_h - 235.0).abs() < 1e-6,
        "{}",
        shipment.time_h
    );
    assert!((shipment.dry_t - 4_000.0).abs() < 1e-6);
    assert!(rep.mass_balance.in_hub_t.abs() < 1e-6);
}

#[test]
fn product_accumulating_at_the_hub_is_a_run_warning() {
    let options = RunOptions {
        threads: 1,
        shipments: ShipmentLog::None,
        target_ci: None,
        trace: None,
    };
    let mut sink: Vec<ShipmentRow> = Vec::new();
    // A ship of 0.05 kn takes 1,000 h each way: it carries 6,000 t in the
    // time the hub receives about 45,000 t.
    let slow = scenario(&hub_of_6000_t("ship_speed_kn = 0.05\n"), &[]);
    let output = run(&slow, &options, &|| {}, &mut sink).unwrap();
    assert_eq!(output.warnings.len(), 1, "{:?}", output.warnings);
    assert!(
        output.warnings[0].starts_with("product accumulates at the hub"),
        "{}",
        output.warnings[0]
    );
    let fast = scenario(&hub_of_6000_t("ship_speed_kn = 10\n"), &[]);
    let output = run(&fast, &options, &|| {}, &mut sink).unwrap();
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
}

#[test]
fn shuttles_hold_off_a_typhoon_at_the_site_and_book_it_as_typhoon() {
    let calm = january_typhoons();
    let base = scenario(&calm, &["scenario.start_month=1"]);
    // A seed whose one typhoon of the year is warned in January after 50 h:
    // its alert runs from the warning t_w to t_w + 48 + 1,000 h.
    let (seed, warning_h, alert_end_h) = (1..200)
        .find_map(|seed| {
            let mut weather = Weather::new(
                &base.weather,
                1,
                stream(seed, 0, Purpose::Weather, Owner::Site),
            );
            let warning_h = weather
                .first_warning_h()
                .filter(|&w| (50.0..700.0).contains(&w))?;
            let (end_h, next) = weather.warn(warning_h);
            next.is_none_or(|n| n >= HOURS_PER_YEAR)
                .then_some((seed, warning_h, end_h))
        })
        .expect("a seed with one January typhoon");
    assert!((alert_end_h - warning_h - 1_048.0).abs() < 1e-9);
    // The site lies 10 h of sailing after the warning: shuttle 0, leaving
    // at 0 h, arrives during the alert and holds off until its end; shuttle
    // 1 leaves half a round trip later, at the same time, and waits in port
    // until it can arrive as the alert ends.
    let sail_h = warning_h + 10.0;
    let distance = format!("site.port_distance_nm={}", 10.0 * sail_h);
    let overrides = [
        "scenario.start_month=1",
        "fleet.shuttles=2",
        "fleet.speed_kn=10",
        &distance,
    ];
    let rep = run_replication(&scenario(&calm, &overrides), seed, 0).unwrap();
    let typhoon_h = rep.shuttle_budget.total(ShuttleState::Typhoon as usize);
    let expected_h = (alert_end_h - sail_h) + (alert_end_h - 2.0 * sail_h);
    assert!(
        (typhoon_h - expected_h).abs() < 1e-6,
        "{typhoon_h} h, expected {expected_h} h"
    );
}

#[test]
fn a_shuttle_joins_the_system_that_will_have_its_load_soonest() {
    let text = format!(
        "{}\n[mining.maintenance]\ninterval_d = 10\nduration_h = 100\nat_port = false\n",
        scripted_sea(1.0)
    );
    let mut overrides = ONE_SHUTTLE.to_vec();
    overrides.extend([
        "mining.systems=2",
        "mining.vessel_speed_kn=40",
        "mining.buffer_capacity_t=100000",
        "fleet.capacity_t=30000",
        "fleet.speed_kn=0.25",
        "fleet.transfer_rate_t_per_h=1000",
    ]);
    let rep = replication(&text, &overrides);
    // Both systems lift from 2.5 + 50 = 52.5 h at 100 t/h; on-site
    // maintenance stops system 0 at 240–340 h and system 1 at 360–460 h.
    // The shuttle arrives at 100 nm / 0.25 kn = 400 h, when system 0 holds
    // 24,750 t and system 1 30,750 t: it joins system 1 (a load now, not in
    // 52.5 h), transfers 30,000 t in 30 h, sails 400 h and unloads 30 h.
    let first = rep.shipments[0];
    assert!((first.time_h - 860.0).abs() < 1e-6, "{}", first.time_h);
}

#[test]
fn maximum_waits_must_be_positive_hours() {
    let overrides = [
        "fleet.max_wait_h=0".to_string(),
        "hub={site_distance_nm = 100, port_distance_nm = 1000, max_wait_h = -1}".to_string(),
    ];
    let error = load_str(DETERMINISTIC, "test scenario", &overrides)
        .expect_err("waits of 0 and -1 h are rejected")
        .to_string();
    assert!(
        error.contains("fleet.max_wait_h = 0: must be > 0 h"),
        "{error}"
    );
    assert!(
        error.contains("hub.max_wait_h = -1: must be > 0 h"),
        "{error}"
    );
}

#[test]
fn a_port_stockpile_outgrowing_the_plant_is_a_run_warning() {
    let options = RunOptions {
        threads: 1,
        shipments: ShipmentLog::None,
        target_ci: None,
        trace: None,
    };
    let mut sink: Vec<ShipmentRow> = Vec::new();
    // 39 deliveries of 4,000 dry t against a plant taking 10 dry t a day.
    let small_plant = scenario(DETERMINISTIC, &["port.plant_capacity_dry_t_per_d=10"]);
    let output = run(&small_plant, &options, &|| {}, &mut sink).unwrap();
    assert_eq!(output.warnings.len(), 1, "{:?}", output.warnings);
    assert!(output.warnings[0].starts_with("the port stockpile grows without bound"));
    let output = run(&scenario(DETERMINISTIC, &[]), &options, &|| {}, &mut sink).unwrap();
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
}

#[test]
fn a_transfer_takes_mud_from_the_buffer_as_it_moves_and_a_pause_blocks_the_lift() {
    let text = scripted_sea(2.0);
    let mut overrides = ONE_SHUTTLE.to_vec();
    let years = format!("scenario.years={}", 1_800.0 / HOURS_PER_YEAR);
    overrides.extend(["fleet.transfer_rate_t_per_h=5", &years]);
    let rep = replication(&text, &overrides);
    // As in the pause test, the batch moves at 5 t/h from 110 h, pauses
    // 730–1,460 h, and has moved 3,100 + 5 × 340 = 4,800 t at the 1,800-h
    // horizon. The buffer (10,000 t) gains 100 − 5 t/h from 110 h and is
    // full at t_f = (10,000 + 6,000 − 550) / 95 = 162.63 h; a transfer
    // slower than the lift does not wake it. The pause at 730 h does: the
    // system lifts back the 3,100 − 5 (t_f − 110) t freed since t_f, at
    // 100 t/h with the transfer paused, and stays blocked from then to the
    // horizon (the slow transfer, resumed at 1,460 h, not waking it).
    // Lifted = full buffer + moved by 730 h = 13,100 t.
    let full_h = 15_450.0 / 95.0;
    let refilled_t = 3_100.0 - 5.0 * (full_h - 110.0);
    let b = rep.mass_balance;
    assert!((b.lifted_t - 13_100.0).abs() < 1e-3, "{b:?}");
    assert!((b.in_ships_t - 4_800.0).abs() < 1e-6, "{b:?}");
    assert!(
        (b.in_buffers_t - (10_000.0 - 1_700.0)).abs() < 1e-3,
        "{b:?}"
    );
    let blocked_h = rep.system_budget.total(SystemState::Blocked as usize);
    let expected_h = (730.0 - full_h) + (1_800.0 - 730.0 - refilled_t / 100.0);
    assert!(
        (blocked_h - expected_h).abs() < 1e-3,
        "{blocked_h} h, expected {expected_h} h"
    );
}

#[test]
fn a_transfer_faster_than_the_lift_lets_a_blocked_system_lift_again() {
    let years = format!("scenario.years={}", 175.0 / HOURS_PER_YEAR);
    let mut overrides = ONE_SHUTTLE.to_vec();
    overrides.extend([
        "fleet.transfer_rate_t_per_h=1000",
        "fleet.capacity_t=10000",
        &years,
    ]);
    let rep = replication(&scripted_sea(1.0), &overrides);
    // The buffer (10,000 t) is full at 160 h and the shuttle takes all of
    // it in 10 h at 1,000 t/h. Blocked at 160 h, the system is woken when
    // the batch has freed an hour of lifting (100 t, 0.1 h) and lifts into
    // the room the transfer frees, faster than it fills it, to the horizon
    // at 175 h.
    let blocked_h = rep.system_budget.total(SystemState::Blocked as usize);
    assert!((blocked_h - 0.1).abs() < 1e-6, "{blocked_h}");
    let lifted_h = rep.system_budget.total(SystemState::Lifting as usize);
    assert!((lifted_h - (175.0 - 60.0 - 0.1)).abs() < 1e-6, "{lifted_h}");
}

/// (time, from, to, cause) of every trace row of `unit` (`shuttle 1`).
fn timeline(rep: &Replication, unit: &str) -> Vec<(f64, &'static str, &'static str, String)> {
    let trace = rep.trace.as_ref().expect("a traced replication");
    trace
        .rows
        .iter()
        .filter(|row| row.unit() == unit)
        .map(|row| (row.time_h, row.from, row.to, row.cause.to_string()))
        .collect()
}

fn assert_timeline(rep: &Replication, unit: &str, expected: &[(f64, &str, &str, &str)]) {
    let rows = timeline(rep, unit);
    assert_eq!(rows.len(), expected.len(), "{unit}: {rows:?}");
    for (row, want) in rows.iter().zip(expected) {
        let same = (row.0 - want.0).abs() < 1e-9
            && (row.1, row.2, row.3.as_str()) == (want.1, want.2, want.3);
        assert!(same, "{unit}: {row:?}, expected {want:?}; all {rows:?}");
    }
}

fn traced(text: &str, overrides: &[&str]) -> Replication {
    run_replication_traced(&scenario(text, overrides), 1, 0).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_shuttle_whose_maximum_wait_ends_with_nothing_to_take_waits_for_a_full_load() {
    let years = format!("scenario.years={}", 175.0 / HOURS_PER_YEAR);
    let mut overrides = ONE_SHUTTLE.to_vec();
    overrides.extend([
        "fleet.transfer_rate_t_per_h=1000",
        "fleet.max_wait_h=20",
        "mining.patch_t=1000",
        "mining.relocation_h=5",
        &years,
    ]);
    let rep = traced(&scripted_sea(1.0), &overrides);
    // Alongside at 10 h, its wait is over at 30 h with its hold and the
    // buffer empty (the system lifts from 60 h): it waits for a full load.
    // The system relocates every 1,000 t (10 h of lifting, then 5 h), so
    // lifts 60–70, 75–85, 90–100, 105–115 and 120–130 h: 5,000 t at 130 h,
    // taken in 5 h; sail 10 h, unload 5 h. Before, it took the first
    // patch's 1,000 t at 70 h and sailed.
    assert_eq!(rep.shipments.len(), 1);
    assert!((rep.shipments[0].time_h - 150.0).abs() < 1e-9);
    assert!((rep.shipments[0].wet_t - 5_000.0).abs() < 1e-9);
    assert_timeline(
        &rep,
        "shuttle 1",
        &[
            (0.0, "new", "idle", "start"),
            (0.0, "idle", "transit", "timed"),
            (10.0, "transit", "waiting_cargo", "timed"),
            (130.0, "waiting_cargo", "transferring", "timed"),
            (135.0, "transferring", "transit", "timed"),
            (145.0, "transit", "unloading", "timed"),
            (150.0, "unloading", "transit", "timed"),
            (160.0, "transit", "waiting_cargo", "timed"),
            (175.0, "waiting_cargo", "horizon", "horizon"),
        ],
    );
}

#[test]
fn a_shuttle_alongside_an_empty_buffer_waits_for_cargo_not_for_the_weather() {
    let years = format!("scenario.years={}", 748.0 / HOURS_PER_YEAR);
    let mut overrides = ONE_SHUTTLE.to_vec();
    overrides.extend(["fleet.transfer_rate_t_per_h=1000", &years]);
    // January's Hs of 2.0 m (0–730 h) stops transfers (limit 1.5 m), not
    // the system (limits 3.0 m).
    let rough_january =
        scripted_months("[2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]");
    let rep = traced(&rough_january, &overrides);
    // Alongside at 10 h, it waits for cargo until the buffer holds its
    // 5,000 t at 110 h (lifting from 60 h at 100 t/h), then for the sea
    // until February at 730 h; it loads in 5 h, sails 10 h and unloads.
    // Before, its 100 h before 110 h were booked as weather too.
    assert_timeline(
        &rep,
        "shuttle 1",
        &[
            (0.0, "new", "idle", "start"),
            (0.0, "idle", "transit", "timed"),
            (10.0, "transit", "waiting_cargo", "timed"),
            (110.0, "waiting_cargo", "weather", "timed"),
            (730.0, "weather", "transferring", "sea_state"),
            (735.0, "transferring", "transit", "timed"),
            (745.0, "transit", "unloading", "timed"),
            (748.0, "unloading", "horizon", "horizon"),
        ],
    );
    let hours = |state: ShuttleState| rep.shuttle_budget.total(state as usize);
    assert!((hours(ShuttleState::WaitingCargo) - 100.0).abs() < 1e-9);
    assert!((hours(ShuttleState::Weather) - 620.0).abs() < 1e-9);
}

#[test]
fn one_shuttle_serving_several_full_systems_goes_to_the_one_blocked_longest() {
    let years = format!("scenario.years={}", 199.0 / HOURS_PER_YEAR);
    let mut overrides = ONE_SHUTTLE.to_vec();
    overrides.extend([
        "mining.systems=3",
        "fleet.transfer_rate_t_per_h=1000",
        &years,
    ]);
    let rep = traced(&scripted_sea(1.0), &overrides);
    // Three systems lift from 60 h at 100 t/h into 10,000-t buffers. The
    // shuttle (a 30-h round trip with 5 h of unloading) takes 5,000 t at
    // 110–115 h from system 1 (the tie goes to the lowest index) and at
    // 140–145 h from system 2 (a load now, system 1's in 20 h). Back at
    // 170 h, every buffer holds a load: system 1 6,000 t, system 2
    // 6,000 t, system 3 full and blocked since 160 h. It goes to system 3,
    // which lifts again once the batch has freed an hour of lifting (100 t
    // at 1,000 t/h: 0.1 h). Before, the tie went to system 1 again and
    // system 3 stayed blocked.
    assert_timeline(
        &rep,
        "system 3",
        &[
            (0.0, "new", "idle", "start"),
            (0.0, "idle", "transit", "start"),
            (10.0, "transit", "tripping_in", "timed"),
            (60.0, "tripping_in", "lifting", "timed"),
            (160.0, "lifting", "blocked", "timed"),
            (170.1, "blocked", "lifting", "timed"),
            (199.0, "lifting", "horizon", "horizon"),
        ],
    );
    let blocked_h = rep.system_budget.total(SystemState::Blocked as usize);
    assert!((blocked_h - 10.1).abs() < 1e-9, "{blocked_h}");
}

#[test]
fn a_batch_that_empties_the_buffer_leaves_no_dust_for_the_system_to_ship() {
    let mut overrides = ONE_SHUTTLE.to_vec();
    overrides.extend([
        "fleet.transfer_rate_t_per_h=300",
        "fleet.max_wait_h=1",
        "mining.campaign_d=5",
        "mining.max_trips=1",
    ]);
    let rep = replication(&scripted_sea(1.0), &overrides);
    // The system lifts 60–130 h (7,000 t) and trips out 130–170 h. The
    // shuttle takes 5,000 t at 110–126.67 h (300 t/h); back alongside at
    // 151.67 h, its wait is over at 152.67 h and it takes the buffer's
    // 2,000 t in 6.67 h. 20 / 3 h × 300 t/h falls short of 2,000 t by a
    // few 1e-12 t: that dust goes with the batch, so the system sails to
    // port at 170 h with an empty buffer and takes no berth.
    let tonnes: Vec<f64> = rep.shipments.iter().map(|s| s.wet_t).collect();
    assert_eq!(tonnes, [5_000.0, 2_000.0]);
    assert_eq!(rep.shipments[1].vessel, Vessel::Shuttle(0));
    assert_eq!(rep.mass_balance.in_buffers_t, 0.0);
    assert_eq!(rep.berth_queue.waits_h.len(), 2);
}

/// Two systems 100 nm out lifting 100 t/h into 100,000-t buffers, three
/// shuttles of 60,000 t (loads that take longer than the run), system 1
/// going to port for maintenance at 240 h.
fn two_systems_three_big_shuttles(extra: &str) -> String {
    format!(
        "{}\n[mining.maintenance]\ninterval_d = 10\nduration_h = 24\nat_port = true\n{extra}",
        scripted_sea(1.0)
    )
}

const BIG_SHUTTLES: [&str; 8] = [
    "scenario.start_month=1",
    "scenario.years=0.04",
    "mining.systems=2",
    "mining.buffer_capacity_t=100000",
    "fleet.shuttles=3",
    "fleet.capacity_t=60000",
    "fleet.speed_kn=10",
    "fleet.hs_limit_transfer_m=1.5",
];

#[test]
fn a_shuttle_moved_to_another_queue_is_one_visit_with_one_wait() {
    let rep = replication(&two_systems_three_big_shuttles(""), &BIG_SHUTTLES);
    // Shuttles arrive at 10, 16.67 and 23.33 h: shuttle 1 comes alongside
    // system 1, shuttle 2 system 2 (a load in 600 h, not 1,200 h), shuttle
    // 3 queues at system 1 (1,200 h either way; the tie goes to the lowest
    // index). System 1 trips out for maintenance at 240 h and leaves at
    // 280 h: shuttle 3 moves to system 2's queue with its 256.67 h of
    // waiting, and empty shuttle 1 joins behind it. At the horizon
    // (350.4 h) both still wait: shuttle 3 since 23.33 h, one visit.
    let horizon_h = 0.04 * HOURS_PER_YEAR;
    let queue = &rep.site_queue;
    let expected = [0.0, 0.0, horizon_h - 70.0 / 3.0, horizon_h - 280.0];
    assert_eq!(queue.waits_h.len(), expected.len(), "{:?}", queue.waits_h);
    for (wait, want) in queue.waits_h.iter().zip(expected) {
        assert!((wait - want).abs() < 1e-9, "{:?}", queue.waits_h);
    }
    assert_eq!((queue.censored, queue.unserved), (2, 0));
    // Little's law over [0, H]: the time-averaged length is Σ waits / H.
    let waits_h: f64 = queue.waits_h.iter().sum();
    assert!((queue.mean_length - waits_h / horizon_h).abs() < 1e-12);
}

#[test]
fn a_shuttle_retired_from_a_queue_is_not_a_ship_served() {
    let phase = format!(
        "[[phase]]\nname = \"one shuttle fewer\"\nstart_year = {}\n[phase.set]\n\"fleet.shuttles\" = 2\n",
        1.0 + 200.0 / HOURS_PER_YEAR
    );
    let rep = replication(&two_systems_three_big_shuttles(&phase), &BIG_SHUTTLES);
    // As above, but shuttle 3 retires at 200 h from system 1's queue,
    // unserved after 176.67 h, and sails home empty. Shuttle 1 moves to
    // system 2's queue at 280 h and waits to the horizon.
    let horizon_h = 0.04 * HOURS_PER_YEAR;
    let queue = &rep.site_queue;
    let expected = [0.0, 0.0, 200.0 - 70.0 / 3.0, horizon_h - 280.0];
    assert_eq!(queue.waits_h.len(), expected.len(), "{:?}", queue.waits_h);
    for (wait, want) in queue.waits_h.iter().zip(expected) {
        assert!((wait - want).abs() < 1e-9, "{:?}", queue.waits_h);
    }
    assert_eq!((queue.censored, queue.unserved), (1, 1));
    let waits_h: f64 = queue.waits_h.iter().sum();
    assert!((queue.mean_length - waits_h / horizon_h).abs() < 1e-12);
}

#[test]
fn shuttles_wait_in_port_while_no_system_is_in_service_and_sail_when_one_starts() {
    let phase = format!(
        "{}\n[[phase]]\nname = \"first system\"\nstart_year = {}\n[phase.set]\n\"mining.systems\" = 1\n",
        scripted_sea(1.0),
        1.0 + 100.0 / HOURS_PER_YEAR
    );
    let years = format!("scenario.years={}", 235.0 / HOURS_PER_YEAR);
    let mut overrides = ONE_SHUTTLE.to_vec();
    overrides.extend([
        "mining.systems=0",
        "fleet.transfer_rate_t_per_h=1000",
        &years,
    ]);
    let rep = traced(&phase, &overrides);
    // No system until the phase at 100 h: the shuttle stays in port (it
    // used to sail out and back, 20 h of transit for nothing). The system
    // mobilised at 100 h reaches the site at 110 h with the shuttle, lifts
    // from 160 h, and the shuttle takes its 5,000 t at 210–215 h. (The
    // phase wakes it by an event at once, so its cause is `timed`.)
    assert_timeline(
        &rep,
        "shuttle 1",
        &[
            (0.0, "new", "idle", "start"),
            (100.0, "idle", "transit", "timed"),
            (110.0, "transit", "waiting_cargo", "timed"),
            (210.0, "waiting_cargo", "transferring", "timed"),
            (215.0, "transferring", "transit", "timed"),
            (225.0, "transit", "unloading", "timed"),
            (230.0, "unloading", "transit", "timed"),
            (235.0, "transit", "horizon", "horizon"),
        ],
    );
}
