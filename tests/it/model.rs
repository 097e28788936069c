//! The mining model against hand-computed cycles and analytic results.

use deepmud::engine::HOURS_PER_YEAR;
use deepmud::model::streams::{Owner, Purpose, stream};
use deepmud::model::weather::{Limits, Weather, WorkLimit};
use deepmud::model::{
    MASS_TOLERANCE, Replication, ShuttleState, SystemState, run_replication, run_replication_traced,
};
use deepmud::scenario::{DEFAULT_SCENARIO, Scenario, load_str};
use deepmud::stats::normal::normal_cdf;

/// A deterministic operation: calm fixed sea (Hs 1 m), no typhoons, no
/// failures, fixed durations, mud at a fixed grade.
pub(crate) const DETERMINISTIC: &str = r#"
[scenario]
name = "deterministic"
years = 1
replications = 1

[site]
water_depth_m = 5000
port_distance_nm = 100

[weather]
hs_median_m = 1.0
hs_log_sd = 0.0
typhoon_rate_per_month = 0.0

[mining]
systems = 1
vessel_speed_kn = 10
lift_rate_t_per_h = 100
buffer_capacity_t = 10000
trip_in_m_per_h = 100
trip_out_m_per_h = 125

[fleet]
shuttles = 0

[port]
berths = 1
unload_rate_t_per_h = 1000

[ore]
rey_ppm = 2000
dilution_fraction = 0.0
"#;

fn scenario(text: &str, overrides: &[&str]) -> Scenario {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    load_str(text, "test scenario", &overrides).unwrap_or_else(|e| panic!("{e}"))
}

fn delivered_t(rep: &Replication) -> f64 {
    rep.years.iter().map(|y| y.delivered_wet_t).sum()
}

#[test]
fn lift_limited_cycle_delivers_hand_computed_tonnage() {
    let rep = run_replication(&scenario(DETERMINISTIC, &[]), 1, 0).unwrap();
    // One cycle: sail out 100 nm / 10 kn = 10 h, trip in 5,000 m / 100 m/h
    // = 50 h, lift 10,000 t / 100 t/h = 100 h, trip out 5,000 / 125 = 40 h,
    // sail back 10 h, unload 10,000 t / 1,000 t/h = 10 h: C = 220 h.
    let cycle_h = 10.0 + 50.0 + 100.0 + 40.0 + 10.0 + 10.0;
    let deliveries = (HOURS_PER_YEAR / cycle_h).floor();
    assert_eq!(deliveries, 39.0);
    assert!((delivered_t(&rep) - deliveries * 10_000.0).abs() < 1e-6);
    // The 40th cycle starts at 39 × 220 = 8,580 h and lifts 8,640–8,740 h.
    let lifted: f64 = rep.years.iter().map(|y| y.lifted_wet_t).sum();
    assert!((lifted - 400_000.0).abs() < 1e-6, "lifted {lifted}");
    assert_eq!(rep.years[0].shipments, 39);
    // Time budget: 39 full cycles plus the 40th up to the horizon.
    let lifting_h = rep.system_budget.total(SystemState::Lifting as usize);
    assert!((lifting_h - 40.0 * 100.0).abs() < 1e-6);
}

#[test]
fn shuttle_limited_cycle_delivers_hand_computed_tonnage() {
    let scenario = scenario(
        DETERMINISTIC,
        &[
            "mining.lift_rate_t_per_h=500",
            "mining.buffer_capacity_t=20000",
            "fleet.shuttles=1",
            "fleet.capacity_t=5000",
            "fleet.speed_kn=10",
            "fleet.transfer_rate_t_per_h=1000",
            "port.unload_rate_t_per_h=800",
        ],
    );
    let rep = run_replication(&scenario, 1, 0).unwrap();
    // The system lifts from 10 + 50 = 60 h; the buffer holds a shuttle load
    // 5,000 / 500 = 10 h later; transfer 5 h, sail 10 h, unload 6.25 h: the
    // first delivery at 91.25 h. The lift (500 t/h) outpaces the shuttle, so
    // each later round trip, P = 10 + 5 + 10 + 6.25 = 31.25 h, finds a full
    // load waiting.
    let first_h = 60.0 + 10.0 + 5.0 + 10.0 + 6.25;
    let period_h = 31.25;
    let deliveries = 1.0 + ((HOURS_PER_YEAR - first_h) / period_h).floor();
    assert_eq!(deliveries, 278.0);
    assert!((delivered_t(&rep) - deliveries * 5_000.0).abs() < 1e-6);
    let blocked_h = rep.system_budget.total(SystemState::Blocked as usize);
    assert!(blocked_h > 0.0, "a lift faster than the shuttle blocks");
    let transferring_h = rep
        .shuttle_budget
        .total(ShuttleState::Transferring as usize);
    assert!((transferring_h - 5.0 * (deliveries + 1.0)).abs() < 5.0 + 1e-6);
}

#[test]
fn mass_is_conserved_in_every_replication() {
    let text = include_str!("../../scenarios/commercial.toml");
    let scenario = scenario(text, &["scenario.years=2.0"]);
    for replication in 0..4 {
        let rep = run_replication(&scenario, 7, replication).unwrap();
        let b = rep.mass_balance;
        let residual = b.lifted_t - b.delivered_t - b.in_buffers_t - b.in_ships_t;
        assert!(b.lifted_t > 0.0);
        assert!(
            residual.abs() / b.lifted_t < MASS_TOLERANCE,
            "replication {replication}: lifted {} = delivered {} + buffers {} + ships {} + {residual}",
            b.lifted_t,
            b.delivered_t,
            b.in_buffers_t,
            b.in_ships_t
        );
        let annual_lifted: f64 = rep.years.iter().map(|y| y.lifted_wet_t).sum();
        assert!((annual_lifted - b.lifted_t).abs() < 1e-3);
    }
}

#[test]
fn availability_with_exponential_failures_matches_mtbf_over_mtbf_plus_mttr() {
    // Onboard repairs only, a buffer that never fills, negligible tripping.
    let scenario = scenario(
        DETERMINISTIC,
        &[
            "scenario.years=40.0",
            "site.water_depth_m=1",
            "mining.buffer_capacity_t=1e12",
            "mining.failure=[{name = \"pump\", tbf_h = {dist = \"exponential\", mean = 100}, repair_h = {dist = \"exponential\", mean = 20}}]",
        ],
    );
    let rep = run_replication(&scenario, 3, 0).unwrap();
    let lifting = rep.system_budget.total(SystemState::Lifting as usize);
    let failure = rep.system_budget.total(SystemState::Failure as usize);
    let availability = lifting / (lifting + failure);
    let expected = 100.0 / (100.0 + 20.0);
    assert!(
        (availability - expected).abs() < 0.01,
        "availability {availability:.4}, MTBF/(MTBF+MTTR) = {expected:.4}"
    );
}

#[test]
fn mean_shipment_grade_matches_the_configured_mean_after_dilution() {
    // Block grades uniform on [1,000, 3,000] ppm (mean 2,000), 20% cover mud
    // at 500 ppm: expected mean grade 0.8 × 2,000 + 0.2 × 500 = 1,700 ppm.
    let scenario = scenario(
        DETERMINISTIC,
        &[
            "scenario.years=5.0",
            "mining.lift_rate_t_per_h=1000",
            "mining.buffer_capacity_t=50000",
            "ore.rey_ppm={dist = \"uniform\", min = 1000, max = 3000}",
            "ore.block_t=1000",
            "ore.block_autocorrelation=0.5",
            "ore.dilution_fraction=0.2",
            "ore.dilution_rey_ppm=500",
        ],
    );
    let rep = run_replication(&scenario, 11, 0).unwrap();
    let dry: f64 = rep.shipments.iter().map(|s| s.dry_t).sum();
    let grade = rep
        .shipments
        .iter()
        .map(|s| s.dry_t * s.grade_ppm)
        .sum::<f64>()
        / dry;
    assert!(rep.shipments.len() > 100);
    assert!(
        (grade - 1_700.0).abs() / 1_700.0 < 0.01,
        "mean shipment grade {grade:.1} ppm, expected 1,700"
    );
}

const WEATHER: &str = r#"
[site]
water_depth_m = 5000
port_distance_nm = 100

[weather]
hs_median_m = [2.8, 2.6, 2.4, 2.0, 1.5, 1.5, 1.5, 1.5, 1.6, 2.0, 2.4, 2.7]
hs_log_sd = 0.35
hs_lag1_autocorrelation = 0.95
typhoon_rate_per_month = [0, 0, 0, 0, 0.1, 0.2, 0.3, 0.5, 0.5, 0.4, 0.2, 0]

[mining]
lift_rate_t_per_h = 100
buffer_capacity_t = 10000
trip_in_m_per_h = 100
trip_out_m_per_h = 100
"#;

#[test]
fn operable_fraction_matches_the_lognormal_marginal() {
    let scenario = scenario(WEATHER, &[]);
    let spec = &scenario.weather;
    let mut weather = Weather::new(spec, 1, stream(5, 0, Purpose::Weather, Owner::Site));
    let limit_m: f64 = 2.5;
    let limits = Limits([9.0, limit_m, 9.0, 9.0]);
    let horizon_h = 400.0 * HOURS_PER_YEAR;
    let (mut below_h, mut total_h) = (0.0, 0.0);
    weather.book_until(horizon_h, horizon_h, &limits, |_, _, hours, workable| {
        total_h += hours;
        if workable & Limits::LIFT != 0 {
            below_h += hours;
        }
    });
    let simulated = below_h / total_h;
    // P(Hs < L) in month m = Φ((ln L − ln median_m) / σ); months are equal.
    let analytic = (0..12)
        .map(|m| {
            normal_cdf((limit_m.ln() - spec.hs_median_m.month(m).ln()) / spec.hs_log_sd.month(m))
        })
        .sum::<f64>()
        / 12.0;
    assert!(
        (simulated - analytic).abs() < 0.01,
        "simulated {simulated:.4}, analytic {analytic:.4}"
    );
}

/// The sea state drawn ahead as a series gives, for a given seed, the same
/// lifting-limit downtime per month as stepping the AR(1) recursion of
/// docs/MODEL.md directly: z₀ ~ N(0, 1), z ← φ z + √(1 − φ²) ε, Hs = exp(ln
/// median_m + sd_m z), one draw a step from the replication's weather stream.
#[test]
fn series_weather_matches_the_ar1_recursion_stepped_directly() {
    use rand::RngExt;
    let text = format!("{WEATHER}\n[scenario]\nyears = 3\n\n[fleet]\nshuttles = 1\n").replace(
        "typhoon_rate_per_month = [0, 0, 0, 0, 0.1, 0.2, 0.3, 0.5, 0.5, 0.4, 0.2, 0]",
        "typhoon_rate_per_month = 0",
    );
    let scenario = scenario(&text, &[]);
    let (seed, replication) = (11, 3);
    let rep = run_replication(&scenario, seed, replication).unwrap();

    let spec = &scenario.weather;
    let limit_m = scenario.mining.hs_limit_lift_m;
    let horizon_h = scenario.scenario.years * HOURS_PER_YEAR;
    let phi = spec.hs_lag1_autocorrelation;
    let mut rng = stream(seed, replication, Purpose::Weather, Owner::Site);
    let mut z: f64 = rng.sample(rand_distr::StandardNormal);
    let mut downtime_h = vec![[0.0f64; 12]; rep.years.len()];
    let mut t_h = 0.0;
    while t_h < horizon_h {
        let month = ((t_h / (HOURS_PER_YEAR / 12.0)) as usize) % 12;
        let hs = (spec.hs_median_m.month(month).ln() + spec.hs_log_sd.month(month) * z).exp();
        if hs >= limit_m {
            downtime_h[(t_h / HOURS_PER_YEAR) as usize][month] += spec.step_h;
        }
        let innovation: f64 = rng.sample(rand_distr::StandardNormal);
        z = phi * z + (1.0 - phi * phi).sqrt() * innovation;
        t_h += spec.step_h;
    }
    for (year, (record, expected)) in rep.years.iter().zip(&downtime_h).enumerate() {
        for (month, &expected_h) in expected.iter().enumerate() {
            let lift = WorkLimit::Lift as usize;
            let simulated_h = record.weather_h[month] - record.workable_h[lift][month];
            assert_eq!(simulated_h, expected_h, "year {year}, month {month}");
        }
    }
    assert!(downtime_h.iter().flatten().sum::<f64>() > 100.0);
}

#[test]
fn typhoon_counts_match_the_configured_monthly_rates() {
    let scenario = scenario(WEATHER, &[]);
    let spec = &scenario.weather;
    let mut weather = Weather::new(spec, 1, stream(9, 0, Purpose::Weather, Owner::Site));
    let years = 4_000.0;
    let mut by_month = [0u32; 12];
    let mut next = weather.first_warning_h();
    while let Some(warning_h) = next.filter(|&w| w < years * HOURS_PER_YEAR) {
        by_month[weather.month0(warning_h)] += 1;
        next = weather.warn(warning_h).1;
        weather.clear_alert();
    }
    for (m, &count) in by_month.iter().enumerate() {
        let expected = spec.typhoon_rate_per_month.month(m) * years;
        // Poisson: the count's standard deviation is √expected.
        let tolerance = 4.0 * expected.sqrt();
        assert!(
            (f64::from(count) - expected).abs() <= tolerance,
            "month {m}: {count} typhoons, expected {expected} ± {tolerance:.0}"
        );
    }
    let total: u32 = by_month.iter().sum();
    let per_year = f64::from(total) / years;
    assert!(
        (per_year - 2.2).abs() < 0.05,
        "{per_year} typhoons per year, expected 2.2"
    );
}

#[test]
fn the_2026_test_replay_takes_about_33_days_port_to_port() {
    // JAMSTEC 2026-02-02 and Reuters 2026-02-03: Shimizu 12 Jan → Shimizu
    // 14 Feb 2026, 33 days (docs/RESEARCH.md, validation case V1).
    let scenario = scenario(include_str!("../../scenarios/test-2026.toml"), &[]);
    let mut cycles_d: Vec<f64> = (0..40)
        .map(|replication| {
            let rep = run_replication(&scenario, 2026, replication).unwrap();
            let budget = &rep.system_budget;
            let all_h: f64 = SystemState::ALL
                .iter()
                .map(|&s| budget.total(s as usize))
                .sum();
            (all_h - budget.total(SystemState::Idle as usize)) / 24.0
        })
        .collect();
    cycles_d.sort_by(f64::total_cmp);
    let median_d = (cycles_d[19] + cycles_d[20]) / 2.0;
    assert!(
        (31.0..=35.0).contains(&median_d),
        "median port-to-port cycle {median_d:.1} d, published 33 d"
    );
}

/// A lift-limited cycle of exactly 219 h = 8,760 h / 40, so every year
/// holds the same whole number of cycles: sail 10 h, trip in 50 h, lift
/// 9,900 t / 99 t/h = 100 h, trip out 40 h, sail 10 h, unload
/// 9,900 t / 1,100 t/h = 9 h.
const ALIGNED_CYCLE: [&str; 4] = [
    "mining.buffer_capacity_t=9900",
    "mining.lift_rate_t_per_h=99",
    "port.unload_rate_t_per_h=1100",
    "scenario.years=4.0",
];

#[test]
fn a_second_system_from_year_three_doubles_annual_output_exactly() {
    let text = format!(
        "{DETERMINISTIC}\n[[phase]]\nname = \"second system\"\nstart_year = 3\nset = {{ \"mining.systems\" = 2 }}\n"
    );
    let rep = run_replication(&scenario(&text, &ALIGNED_CYCLE), 1, 0).unwrap();
    let lifted: Vec<f64> = rep.years.iter().map(|y| y.lifted_wet_t).collect();
    let delivered: Vec<f64> = rep.years.iter().map(|y| y.delivered_wet_t).collect();
    // 40 cycles of 9,900 t lifted in every year by each system.
    assert_eq!(lifted[0], 40.0 * 9_900.0);
    assert_eq!(lifted[1], lifted[0]);
    assert_eq!(lifted[2], 2.0 * lifted[0], "lifted per year: {lifted:?}");
    assert_eq!(lifted[3], 2.0 * lifted[0]);
    // Deliveries end cycles, so a system's first year holds 39 and later
    // years 40: the doubling shows in delivery from the second full year.
    assert_eq!(delivered[1], 40.0 * 9_900.0);
    assert_eq!(
        delivered[3],
        2.0 * delivered[1],
        "delivered per year: {delivered:?}"
    );
}

#[test]
fn a_retired_system_finishes_its_cycle_and_stops() {
    let text = format!(
        "{DETERMINISTIC}\n[[phase]]\nname = \"one system\"\nstart_year = 2.5\nset = {{ \"mining.systems\" = 1 }}\n"
    );
    let overrides = [ALIGNED_CYCLE.as_slice(), &["mining.systems=2"]].concat();
    let rep = run_replication(&scenario(&text, &overrides), 1, 0).unwrap();
    let lifted: Vec<f64> = rep.years.iter().map(|y| y.lifted_wet_t).collect();
    assert_eq!(lifted[0], 2.0 * 40.0 * 9_900.0);
    assert_eq!(lifted[3], 40.0 * 9_900.0, "lifted per year: {lifted:?}");
    let b = rep.mass_balance;
    assert!((b.lifted_t - b.delivered_t - b.in_buffers_t - b.in_ships_t).abs() < 1e-6);
}

#[test]
fn a_phase_allowing_more_trips_sends_a_stopped_system_out_again() {
    let text = format!(
        "{DETERMINISTIC}\n[[phase]]\nname = \"more trips\"\nstart_year = 2\nset = {{ \"mining.max_trips\" = 3 }}\n"
    );
    let overrides = [ALIGNED_CYCLE.as_slice(), &["mining.max_trips=1"]].concat();
    let rep = run_replication(&scenario(&text, &overrides), 1, 0).unwrap();
    let shipments: Vec<u64> = rep.years.iter().map(|y| y.shipments).collect();
    // One trip in year 1, the two more the phase allows in year 2, then none.
    assert_eq!(shipments, vec![1, 2, 0, 0]);
}

#[test]
fn a_system_retired_while_idle_keeps_its_idle_hours_booked() {
    // Regression: retiring a system idle after its last trip dropped the
    // idle hours since that trip from the time budget.
    let text = format!(
        "{DETERMINISTIC}\n[[phase]]\nname = \"none\"\nstart_year = 2\nset = {{ \"mining.systems\" = 0 }}\n"
    );
    let overrides = [ALIGNED_CYCLE.as_slice(), &["mining.max_trips=1"]].concat();
    let rep = run_replication(&scenario(&text, &overrides), 1, 0).unwrap();
    let year_one_h: f64 = SystemState::ALL
        .iter()
        .map(|&s| rep.system_budget.hours(0, s as usize))
        .sum();
    assert!(
        (year_one_h - HOURS_PER_YEAR).abs() < 1e-6,
        "{year_one_h} h booked in year 1"
    );
    let later_h: f64 = SystemState::ALL
        .iter()
        .map(|&s| rep.system_budget.hours(1, s as usize))
        .sum();
    assert_eq!(later_h, 0.0, "a retired system books no time");
}

#[test]
fn shuttles_never_attach_to_a_retired_system() {
    // Regression: a shuttle reaching the site while the only system in
    // service was away on a port call attached to a retired system (fewest
    // shuttles, lowest index) and waited there for the rest of the run.
    let text = format!(
        "{DETERMINISTIC}\n[[phase]]\nname = \"pause\"\nstart_year = 2\nset = {{ \"mining.systems\" = 0 }}\n\
         [[phase]]\nname = \"new vessel\"\nstart_year = 2.2\nset = {{ \"mining.systems\" = 1 }}\n"
    );
    let overrides = [
        "scenario.years=4.0",
        "mining.lift_rate_t_per_h=500",
        "mining.buffer_capacity_t=20000",
        "mining.maintenance={interval_d = 20, duration_h = 48, at_port = true}",
        "fleet.shuttles=2",
        "fleet.capacity_t=5000",
        "fleet.speed_kn=10",
    ];
    let rep = run_replication(&scenario(&text, &overrides), 1, 0).unwrap();
    let last = 3;
    let all_h: f64 = ShuttleState::ALL
        .iter()
        .map(|&s| rep.shuttle_budget.hours(last, s as usize))
        .sum();
    let waiting_h = rep
        .shuttle_budget
        .hours(last, ShuttleState::WaitingCargo as usize);
    assert!(
        waiting_h < 0.4 * all_h,
        "shuttles waited {waiting_h} of {all_h} h for cargo"
    );
    assert!(rep.years[last].shipments > 0);
    let b = rep.mass_balance;
    assert!((b.lifted_t - b.delivered_t - b.in_buffers_t - b.in_ships_t).abs() < 1e-6);
}

/// The lift-limited cycle unloading at a dewatering hub 100 nm from the site,
/// with one hub ship to a port 50 nm on.
const HUB: &str = "\n[hub]\nsite_distance_nm = 100\nport_distance_nm = 50\nunload_rate_t_per_h = 1000\n\
    product_solids_fraction = 0.8\nships = 1\nship_capacity_t = 5000\nship_speed_kn = 10\n\
    load_rate_t_per_h = 1000\n";

#[test]
fn hub_dewaters_and_ships_on_hand_computed_tonnage() {
    let rep = run_replication(&scenario(&format!("{DETERMINISTIC}{HUB}"), &[]), 1, 0).unwrap();
    // The system's cycle is the lift-limited 220 h, now ending with 10 h of
    // unloading at the hub. 10,000 wet t at 40% solids is 4,000 dry t, which
    // dewatered to 80% solids is 5,000 wet t: one ship load, loaded 5 h,
    // sailed 5 h, unloaded 5 h, so delivery k lands at 220 k + 15 h.
    let deliveries = ((HOURS_PER_YEAR - 15.0) / 220.0).floor();
    assert_eq!(deliveries, 39.0);
    let year = &rep.years[0];
    assert_eq!(year.shipments, 39);
    assert!((year.delivered_wet_t - deliveries * 5_000.0).abs() < 1e-6);
    assert!((year.delivered_dry_t - deliveries * 4_000.0).abs() < 1e-6);
    assert!(
        rep.shipments
            .iter()
            .all(|s| (s.grade_ppm - 2_000.0).abs() < 1e-9)
    );
    let b = rep.mass_balance;
    assert!((b.water_removed_t - deliveries * 5_000.0).abs() < 1e-6);
    assert!(b.imbalance_t().abs() < 1e-6, "{b:?}");
}

#[test]
fn mass_is_conserved_through_a_hub_with_shuttles() {
    let text = format!("{}{HUB}", include_str!("../../scenarios/default.toml"));
    let scenario = scenario(&text, &["hub.ships=2", "hub.ship_capacity_t=15000"]);
    for replication in 0..3 {
        let rep = run_replication(&scenario, 5, replication).unwrap();
        let b = rep.mass_balance;
        assert!(b.water_removed_t > 0.0 && b.delivered_t > 0.0);
        assert!(
            b.relative_imbalance() < MASS_TOLERANCE,
            "replication {replication}: {b:?}"
        );
        assert!(!rep.hub_queue.waits_h.is_empty());
    }
}

#[test]
fn a_phase_shrinking_shuttle_holds_sends_overfull_shuttles_to_port() {
    // Regression: a shuttle alongside holding more than the new, smaller
    // hold moved mud back into the buffer and scheduled a negative delay.
    let text = format!(
        "{}\n[[phase]]\nname = \"smaller holds\"\nstart_year = 2\nset = {{ \"fleet.capacity_t\" = 5000.0 }}\n",
        include_str!("../../scenarios/commercial.toml")
    );
    let scenario = scenario(
        &text,
        &["scenario.years=3.0", "mining.buffer_capacity_t=8000"],
    );
    for replication in 0..10 {
        let rep = run_replication(&scenario, 4, replication).unwrap();
        assert!(rep.mass_balance.relative_imbalance() < MASS_TOLERANCE);
    }
}

#[test]
fn an_empty_shuttle_left_alongside_is_booked_waiting_not_weather() {
    // Regression: when its mining system left for port, an empty shuttle
    // alongside kept its "weather" state until some limit was next crossed
    // (never, in a calm fixed sea), so the system's time away was booked to
    // the shuttle as weather downtime.
    let scenario = scenario(
        DETERMINISTIC,
        &[
            "fleet.shuttles=1",
            "fleet.hs_limit_transfer_m=0.5",
            "mining.campaign_d=10",
        ],
    );
    let rep = run_replication(&scenario, 1, 0).unwrap();
    let weather_h = rep.shuttle_budget.total(ShuttleState::Weather as usize);
    // Hs is 1 m, above the transfer limit: the shuttle waits for weather only
    // while the system is on site, at most the campaign of each trip.
    let away = [
        SystemState::Transit,
        SystemState::PortQueue,
        SystemState::Unloading,
        SystemState::Idle,
    ];
    let on_site_h = HOURS_PER_YEAR
        - away
            .iter()
            .map(|&s| rep.system_budget.total(s as usize))
            .sum::<f64>();
    assert!(weather_h > 0.0, "the sea is above the transfer limit");
    assert!(
        weather_h <= on_site_h + 1e-6,
        "shuttle weather {weather_h} h > system on site {on_site_h} h"
    );
}

#[test]
fn a_shuttle_waiting_for_a_full_buffer_loads_through_a_failure_due_at_that_moment() {
    // Regression: the buffer reaching the shuttle's load and a failure due
    // at the same instant sent the system to its repair without serving the
    // shuttle, which then waited out the repair (until 210 h here).
    let scenario = scenario(
        DETERMINISTIC,
        &[
            "fleet.shuttles=1",
            "fleet.capacity_t=5000",
            "fleet.speed_kn=10",
            "mining.failure=[{ name = \"pump\", tbf_h = 50, repair_h = 100 }]",
        ],
    );
    let rep = run_replication(&scenario, 1, 0).unwrap();
    // Lifting from 10 + 50 = 60 h fills the 5,000 t load at 110 h, when the
    // pump fails after its 50 operating hours; transfer 5,000 / 1,000 = 5 h,
    // sail 100 nm / 10 kn = 10 h, unload 5,000 / 1,000 = 5 h: at port 130 h.
    let first = rep.shipments.first().expect("a delivery");
    assert!(
        (first.time_h - 130.0).abs() < 1e-6,
        "first delivery at {} h",
        first.time_h
    );
    assert_eq!(first.vessel, deepmud::model::Vessel::Shuttle(0));
}

/// Common random numbers across fleet sizes (DESIGN §3): each mining system
/// draws its failures, grades and durations from streams of its own, so a
/// third system leaves what the first two do unchanged, failure by failure,
/// when nothing couples them: no shuttles, a berth each, no learning, and
/// no planned work (whose dates are staggered across the fleet).
#[test]
fn adding_a_third_system_leaves_the_first_two_systems_failure_times_unchanged() {
    let timeline = |systems: u32, unit: &str| {
        let overrides = [
            format!("mining.systems={systems}"),
            "fleet.shuttles=0".to_string(),
            "port.berths=3".to_string(),
            "scenario.years=4".to_string(),
            "mining.maintenance.interval_d=10000".to_string(),
            "mining.crew_change.interval_d=10000".to_string(),
        ];
        let scenario =
            load_str(DEFAULT_SCENARIO, "default", &overrides).unwrap_or_else(|e| panic!("{e}"));
        let rep = run_replication_traced(&scenario, 11, 2).unwrap();
        let rows: Vec<(f64, &str, &str)> = rep
            .trace
            .expect("a traced replication has a trace")
            .rows
            .iter()
            .filter(|row| row.unit() == unit && row.to != "horizon")
            .map(|row| (row.time_h, row.from, row.to))
            .collect();
        rows
    };
    for unit in ["system 1", "system 2"] {
        let two = timeline(2, unit);
        let failures = two.iter().filter(|(_, _, to)| *to == "failure").count();
        assert!(failures > 10, "{unit} fails {failures} times in 4 years");
        let three = timeline(3, unit);
        let first_difference = two.iter().zip(&three).position(|(a, b)| a != b);
        assert_eq!(first_difference, None, "{unit}: rows differ");
        assert_eq!(two.len(), three.len(), "{unit}");
    }
    let third = timeline(3, "system 3");
    assert_ne!(third, timeline(3, "system 1"));
}
