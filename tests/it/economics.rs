//! Economics and refining (issue 10): the money of a deterministic
//! operation against a hand computation (day rates from the exact state
//! hours, fuel, capital by annuity and as cash, processing, transport,
//! refining, revenue, NPV, IRR, break-even), the refining routes, price
//! paths and the stochastic price factor, common random numbers for
//! figures and prices, capital bought by phases, and bad input refused
//! with exit code 2 before anything runs.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use deepmud::experiment::metrics::{Period, Span, named};
use deepmud::model::{
    Money, Replication, SystemState, annuity_usd, breakeven, irr, irr_at, npv, npv_at,
    run_replication,
};
use deepmud::scenario::{Scenario, load_str};

/// A deterministic operation whose cycle divides the year: a calm fixed
/// sea (Hs 1 m, no scatter, no typhoons), no failures or planned work, no
/// shuttles, a plant always available, mud at a fixed grade. The one
/// mining system sails 100 nm at 10 kn (10 h), trips in 5,000 m at
/// 100 m/h (50 h), lifts its 24,000 t buffer at 2,000 t/h (12 h), trips
/// out at 125 m/h (40 h), sails back (10 h) and unloads at 1,000 t/h
/// (24 h): a cycle of 146 h, 60 to the year (60 × 146 = 8,760 h), so every
/// year has the same state hours, and the first year starts at port.
const OPERATION: &str = r#"[scenario]
name = "money"
years = 3
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
lift_rate_t_per_h = 2000
buffer_capacity_t = 24000
trip_in_m_per_h = 100
trip_out_m_per_h = 125

[fleet]
shuttles = 0

[port]
berths = 1
unload_rate_t_per_h = 1000
plant_availability = 1.0
plant_capacity_dry_t_per_d = 500

[ore]
rey_ppm = 2000
dilution_fraction = 0.0
solids_mass_fraction = 0.25

[refining]
home_capacity_reo_t_per_y = 200
"#;

/// The money of [`OPERATION`]: every cost by its own rate, so that each
/// term of the hand computation shows.
const ECONOMICS: &str = r#"
[economics]
start_year = 2030
discount_rate = 0.08
programme_cost_usd = 1000000
fuel_usd_per_t = 600
processing_usd_per_dry_t = 40
transport_usd_per_t_nm = 0.01

[economics.day_rate_usd]
mining_system = { operating = 100000, standby = 70000, transit = 80000, in_port = 40000 }

[economics.fuel_t_per_d]
mining_system = { operating = 50, standby = 30, transit = 40, in_port = 10 }

[economics.capex]
mining_system = { usd = 100e6, life_y = 5, salvage_usd = 10e6 }
plant_per_dry_t_per_d = { usd = 2000, life_y = 10, salvage_usd = 0 }

[economics.refining]
home_usd_per_t_reo = 20000
abroad_usd_per_t_reo = 10000
export_freight_usd_per_t_reo = 500

[economics.price]
light_usd_per_kg = 100
heavy_usd_per_kg = { 2030 = 400, 2032 = 800 }
"#;

/// [`OPERATION`] with [`ECONOMICS`].
fn with_economics() -> String {
    format!("{OPERATION}{ECONOMICS}")
}

fn scenario(text: &str, overrides: &[&str]) -> Scenario {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    load_str(text, "test scenario", &overrides).unwrap_or_else(|e| panic!("{e}"))
}

fn replicate(scenario: &Scenario, replication: u64) -> Replication {
    run_replication(scenario, scenario.scenario.seed, replication).expect("the replication runs")
}

fn money(replication: &Replication) -> &Money {
    replication.money.as_ref().expect("money with [economics]")
}

/// The horizon value of metric `name` for `replication` of `scenario`.
fn horizon(name: &str, replication: &Replication, scenario: &Scenario) -> Option<f64> {
    let period = Period {
        replication,
        scenario,
        span: Span::Horizon,
    };
    (named(name).value)(&period)
}

/// The value of metric `name` in simulated year `year` (from 0).
fn in_year(name: &str, replication: &Replication, scenario: &Scenario, year: usize) -> Option<f64> {
    let period = Period {
        replication,
        scenario,
        span: Span::Year(year),
    };
    (named(name).value)(&period)
}

/// Asserts `actual` is `expected` up to a relative 1e-9 (of 1 for values
/// near zero): the hand computation's sums and the model's accumulate
/// rounding in different orders.
#[track_caller]
fn close(actual: f64, expected: f64, what: &str) {
    let tolerance = 1e-9 * expected.abs().max(1.0);
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: {actual} ≠ {expected} (by hand)"
    );
}

#[track_caller]
fn close_all(actual: &[f64], expected: &[f64], what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: {actual:?}");
    for (year, (&a, &e)) in actual.iter().zip(expected).enumerate() {
        close(a, e, &format!("{what}, year {}", year + 1));
    }
}

fn each_year(money: &Money, field: fn(&deepmud::model::YearMoney) -> f64) -> Vec<f64> {
    money.years.iter().map(field).collect()
}

// The hand computation of [`OPERATION`] with [`ECONOMICS`], year by year.
//
// State hours, every year (60 cycles of 146 h): transit 60 × 20 = 1,200 h,
// tripping in 60 × 50 = 3,000 h, lifting 60 × 12 = 720 h, tripping out
// 60 × 40 = 2,400 h, unloading 60 × 24 = 1,440 h (8,760 h in all).
// By state group: operating (tripping, lifting) 6,120 h = 255 vessel-days,
// standby 0, transit 1,200 h = 50 d, in port (unloading) 1,440 h = 60 d.
//
// Vessels: 255 × 100,000 + 0 × 70,000 + 50 × 80,000 + 60 × 40,000
//        = 25,500,000 + 4,000,000 + 2,400,000 = 31,900,000 USD a year.
// Fuel: 255 × 50 + 50 × 40 + 60 × 10 = 12,750 + 2,000 + 600 = 15,350 t
//       × 600 USD/t = 9,210,000 USD a year.
//
// Deliveries: 24,000 t wet every 146 h, at 146 k h. The 60th (8,760 h) is
// in year 2 and the 180th, at the horizon, is not unloaded: 59, 60, 60
// deliveries, 1,416,000, 1,440,000 and 1,440,000 t wet.
// Transport: wet t × 100 nm × 0.01 = 1,416,000, 1,440,000, 1,440,000 USD.
//
// The plant processes 500 dry t a day (6,000 dry t arrive every 6 days):
// its days run at 24 d h; the first delivery (146 h) is processed from day
// 7 (168 h); the day at 8,760 h is year 2's and the one at the horizon is
// not run. Days 7..364, 365..729 and 730..1094: 358, 365, 365 days,
// 179,000, 182,500 and 182,500 dry t.
// Processing: × 40 USD = 7,160,000, 7,300,000, 7,300,000 USD.
// REO: dry t × 2,000 ppm × oxide factor 1.2 × recovery 0.8 = dry t ×
// 0.00192: 343.68, 350.4, 350.4 t (1,044.48 t, 1,044,480 kg); 44 % heavy.
//
// Refining: 200 t at home (the capacity), the rest exported: 143.68,
// 150.4, 150.4 t. Home: 200 × 20,000 = 4,000,000 USD a year. Abroad: t ×
// (10,000 + 500) = 1,508,640, 1,579,200, 1,579,200 USD.
// Programme: 1,000,000 USD in year 1.
//
// Operating cost (all but capital):
//   year 1: 31,900,000 + 9,210,000 + 1,416,000 + 7,160,000 + 4,000,000
//           + 1,508,640 + 1,000,000 = 56,194,640
//   years 2, 3: 31,900,000 + 9,210,000 + 1,440,000 + 7,300,000
//           + 4,000,000 + 1,579,200 = 55,429,200
//
// Prices: light 100 USD/kg; heavy on the path 2030 = 400, 2032 = 800, so
// 400, 600, 800 in 2030, 2031, 2032. Basket = 0.56 × 100 + 0.44 × heavy =
// 232, 320, 408 USD/kg. Revenue = kg × basket:
//   343,680 × 232 = 79,733,760; 350,400 × 320 = 112,128,000;
//   350,400 × 408 = 142,963,200 (334,824,960 in all).
//
// Capital, r = 0.08, bought at t = 0 (booked in year 1):
//   mining system: C = 100e6, L = 5, S = 10e6; v^5 = 1.08^-5 = 0.680583197
//     annuity = (100e6 − 10e6 × 0.680583197) × 0.08 / (1 − 0.680583197)
//             = 93,194,168.03 × 0.08 / 0.319416803 = 23,341,080.91 a year
//     book value at the horizon (3 of 5 years): 100e6 − 90e6 × 3/5 = 46e6
//   plant: 500 dry t/d × 2,000 = 1e6, L = 10, S = 0; v^10 = 0.463193488
//     annuity = 2,000 × 0.08 / (1 − 0.463193488) × 500 = 298.0590 × 500
//             = 149,029.49 a year; book value at 3 of 10 years: 700,000
//   residual at the horizon: 46,700,000
//
// Cash flows (revenue − operating cost − capital bought):
//   CF1 = 79,733,760 − 56,194,640 − 101,000,000 = −77,460,880
//   CF2 = 112,128,000 − 55,429,200 = 56,698,800
//   CF3 = 142,963,200 − 55,429,200 = 87,534,000
// Cumulative: −77,460,880 (2030), −20,762,080 (2031), 66,771,920 (2032):
// break-even in 2032.
// NPV = −77,460,880 / 1.08 + 56,698,800 / 1.08² + (87,534,000 + 46,700,000)
//       / 1.08³ = −71,723,037.04 + 48,610,082.30 + 106,559,277.04
//     = 83,446,322.31 USD.
// IRR: the x with −77,460,880 / (1 + x) + 56,698,800 / (1 + x)² +
// 134,234,000 / (1 + x)³ = 0, solved by hand by bisection: x = 0.7323180.
//
// Cost per kg, annuity: (56,194,640 + 2 × 55,429,200 + 3 × (23,341,080.91
// + 149,029.49)) / 1,044,480 = (167,053,040 + 70,470,331.21) / 1,044,480
// = 227.408252 USD/kg; ÷ price (334,824,960 / 1,044,480 = 320.5665 USD/kg)
// = 0.709396.
// Cost per kg, cash: 101e6 in year 1, less the book value at the horizon
// (46.7e6) in year 3 (docs/MODEL.md §12.4: "minus the salvage or book
// value received when the unit ends its life, is retired, or the horizon
// comes"): (167,053,040 + 101,000,000 − 46,700,000) / 1,044,480
// = 211.926547 USD/kg.

const VESSELS_USD: f64 = 31_900_000.0;
const FUEL_USD: f64 = 9_210_000.0;
const TRANSPORT_USD: [f64; 3] = [1_416_000.0, 1_440_000.0, 1_440_000.0];
const PROCESSING_USD: [f64; 3] = [7_160_000.0, 7_300_000.0, 7_300_000.0];
const REO_T: [f64; 3] = [343.68, 350.4, 350.4];
const HOME_USD: f64 = 4_000_000.0;
const ABROAD_USD: [f64; 3] = [1_508_640.0, 1_579_200.0, 1_579_200.0];
const PROGRAMME_USD: [f64; 3] = [1_000_000.0, 0.0, 0.0];
const PRICE_USD_PER_KG: [f64; 3] = [232.0, 320.0, 408.0];
const REVENUE_USD: [f64; 3] = [79_733_760.0, 112_128_000.0, 142_963_200.0];
const OPERATING_USD: [f64; 3] = [56_194_640.0, 55_429_200.0, 55_429_200.0];
const MINING_ANNUITY_USD: f64 = 23_341_080.91;
const PLANT_ANNUITY_USD: f64 = 149_029.49;
const RESIDUAL_USD: f64 = 46_700_000.0;
const CASH_FLOW_USD: [f64; 3] = [-77_460_880.0, 56_698_800.0, 87_534_000.0];
const NPV_USD: f64 = 83_446_322.31;
const IRR: f64 = 0.7323180;
const TOTAL_KG: f64 = 1_044_480.0;

#[test]
fn the_state_hours_and_tonnages_are_those_of_the_hand_computation() {
    let s = scenario(&with_economics(), &[]);
    let rep = replicate(&s, 0);
    let hours = |year: usize, state: SystemState| rep.system_budget.hours(year, state as usize);
    for year in 0..3 {
        assert_eq!(hours(year, SystemState::Transit), 1_200.0);
        assert_eq!(hours(year, SystemState::TrippingIn), 3_000.0);
        assert_eq!(hours(year, SystemState::Lifting), 720.0);
        assert_eq!(hours(year, SystemState::TrippingOut), 2_400.0);
        assert_eq!(hours(year, SystemState::Unloading), 1_440.0);
    }
    let delivered: Vec<f64> = rep.years.iter().map(|y| y.delivered_wet_t).collect();
    assert_eq!(delivered, [1_416_000.0, 1_440_000.0, 1_440_000.0]);
    let processed: Vec<f64> = rep.years.iter().map(|y| y.processed_dry_t).collect();
    assert_eq!(processed, [179_000.0, 182_500.0, 182_500.0]);
    let reo: Vec<f64> = rep
        .years
        .iter()
        .map(|y| y.reo_light_t + y.reo_heavy_t)
        .collect();
    close_all(&reo, &REO_T, "REO");
}

#[test]
fn deterministic_money_equals_the_hand_computation_with_annuity_capital() {
    let s = scenario(&with_economics(), &[]);
    let rep = replicate(&s, 0);
    let m = money(&rep);
    close_all(
        &each_year(m, |y| y.vessels_usd),
        &[VESSELS_USD; 3],
        "vessels",
    );
    close_all(&each_year(m, |y| y.fuel_usd), &[FUEL_USD; 3], "fuel");
    close_all(
        &each_year(m, |y| y.transport_usd),
        &TRANSPORT_USD,
        "transport",
    );
    close_all(
        &each_year(m, |y| y.processing_usd),
        &PROCESSING_USD,
        "processing",
    );
    close_all(
        &each_year(m, |y| y.refining_home_usd),
        &[HOME_USD; 3],
        "refining at home",
    );
    close_all(
        &each_year(m, |y| y.refining_abroad_usd),
        &ABROAD_USD,
        "refining abroad",
    );
    close_all(
        &each_year(m, |y| y.programme_usd),
        &PROGRAMME_USD,
        "programme",
    );
    close_all(
        &each_year(m, |y| y.price_usd_per_kg),
        &PRICE_USD_PER_KG,
        "price",
    );
    close_all(&each_year(m, |y| y.revenue_usd), &REVENUE_USD, "revenue");
    // The annuities by hand to the cent.
    for capex in each_year(m, |y| y.capex_usd) {
        assert!(
            (capex - (MINING_ANNUITY_USD + PLANT_ANNUITY_USD)).abs() < 0.01,
            "{capex}"
        );
    }
    close_all(
        &each_year(m, |y| y.cash_flow_usd),
        &CASH_FLOW_USD,
        "cash flow",
    );
    close(m.residual_usd, RESIDUAL_USD, "residual value");
    assert!((m.npv_usd - NPV_USD).abs() < 0.01, "NPV {}", m.npv_usd);
    let irr = m.irr.expect("the flows change sign");
    assert!((irr - IRR).abs() < 1e-6, "IRR {irr}");
    // At the IRR the NPV is zero (to 1e-6 of the flows).
    let flows = each_year(m, |y| y.cash_flow_usd);
    assert!(
        npv(&flows, m.residual_usd, irr).abs() < 1.0,
        "NPV at the IRR"
    );
    assert_eq!(m.breakeven_year, Some(2032));

    let cost_per_kg = horizon("cost_per_kg", &rep, &s).expect("oxide produced");
    let by_hand = (OPERATING_USD.iter().sum::<f64>()
        + 3.0 * (MINING_ANNUITY_USD + PLANT_ANNUITY_USD))
        / TOTAL_KG;
    assert!((cost_per_kg - by_hand).abs() < 1e-7, "{cost_per_kg}");
    assert!((cost_per_kg - 227.408252).abs() < 1e-6, "{cost_per_kg}");
    let price = horizon("price_usd_per_kg", &rep, &s).expect("oxide sold");
    assert!((price - 334_824_960.0 / TOTAL_KG).abs() < 1e-9, "{price}");
    let ratio = horizon("cost_to_price_ratio", &rep, &s).expect("revenue");
    assert!((ratio - cost_per_kg / price).abs() < 1e-12, "{ratio}");
    assert!((ratio - 0.709396).abs() < 1e-6, "{ratio}");
    close(
        horizon("npv_usd", &rep, &s).unwrap(),
        m.npv_usd,
        "npv_usd metric",
    );
    close(horizon("irr", &rep, &s).unwrap(), irr, "irr metric");
    assert_eq!(horizon("breakeven_year", &rep, &s), Some(2032.0));
    assert_eq!(horizon("breakeven_share", &rep, &s), Some(1.0));
    // Cumulative cash flow by year (no residual value).
    let cumulative: Vec<f64> = (0..3)
        .map(|year| in_year("cumulative_cash_flow_usd", &rep, &s, year).unwrap())
        .collect();
    close_all(
        &cumulative,
        &[-77_460_880.0, -20_762_080.0, 66_771_920.0],
        "cumulative cash flow",
    );
}

#[test]
fn deterministic_money_equals_the_hand_computation_with_cash_capital() {
    let s = scenario(&with_economics(), &["economics.capex_method=\"cash\""]);
    let rep = replicate(&s, 0);
    let m = money(&rep);
    // Capital as cash: the 101e6 bought in year 1, and the book value of
    // both units at the horizon taken back in year 3.
    close_all(
        &each_year(m, |y| y.capex_usd),
        &[101_000_000.0, 0.0, -RESIDUAL_USD],
        "cash capital",
    );
    // The method changes the cost, not the cash: flows, NPV, IRR and the
    // break-even year are those of the annuity.
    close_all(
        &each_year(m, |y| y.cash_flow_usd),
        &CASH_FLOW_USD,
        "cash flow",
    );
    assert!((m.npv_usd - NPV_USD).abs() < 0.01, "NPV {}", m.npv_usd);
    assert!((m.irr.unwrap() - IRR).abs() < 1e-6);
    assert_eq!(m.breakeven_year, Some(2032));
    let cost_per_kg = horizon("cost_per_kg", &rep, &s).expect("oxide produced");
    let by_hand = (OPERATING_USD.iter().sum::<f64>() + 101_000_000.0 - RESIDUAL_USD) / TOTAL_KG;
    assert!((cost_per_kg - by_hand).abs() < 1e-9, "{cost_per_kg}");
    assert!((cost_per_kg - 211.926547).abs() < 1e-6, "{cost_per_kg}");
}

#[test]
fn without_revenue_enough_there_is_no_break_even_and_no_irr() {
    // Prices of 1 USD/kg: every year's flow is negative.
    let s = scenario(
        &with_economics(),
        &[
            "economics.price.light_usd_per_kg=1",
            "economics.price.heavy_usd_per_kg=1",
        ],
    );
    let rep = replicate(&s, 0);
    let m = money(&rep);
    assert!(m.years.iter().all(|y| y.cash_flow_usd < 0.0));
    // The residual value does not make up for them either.
    assert!(m.years.iter().map(|y| y.cash_flow_usd).sum::<f64>() + m.residual_usd < 0.0);
    assert_eq!(m.breakeven_year, None);
    assert_eq!(m.irr, None);
    assert_eq!(horizon("breakeven_year", &rep, &s), None);
    assert_eq!(horizon("breakeven_share", &rep, &s), Some(0.0));
}

// ---- refining routes ----

#[test]
fn oxide_beyond_home_capacity_is_exported_and_the_shares_add_to_one() {
    let s = scenario(&with_economics(), &[]);
    let rep = replicate(&s, 0);
    for (year, record) in rep.years.iter().enumerate() {
        let produced = record.reo_light_t + record.reo_heavy_t;
        assert!(produced > 200.0, "production above the capacity");
        close(record.reo_home_t, 200.0, "refined at home");
        close(record.reo_export_t, produced - 200.0, "exported");
        assert_eq!(record.reo_export_purity_t, 0.0);
        let home = in_year("home_refined_share", &rep, &s, year).unwrap();
        close(home + record.reo_export_t / produced, 1.0, "shares");
        close(home, 200.0 / produced, "home share");
    }
    let share = horizon("home_refined_share", &rep, &s).unwrap();
    close(share, 600.0 / 1_044.48, "home share over the horizon");
}

#[test]
fn capacity_raised_by_a_phase_refines_more_at_home_from_that_year() {
    let text = format!(
        "{}\n[[phase]]\nname = \"more refining\"\nstart_year = 2\n[phase.set]\n\
         \"refining.home_capacity_reo_t_per_y\" = 300.0\n",
        with_economics()
    );
    let s = scenario(&text, &[]);
    let rep = replicate(&s, 0);
    let home: Vec<f64> = rep.years.iter().map(|y| y.reo_home_t).collect();
    close_all(&home, &[200.0, 300.0, 300.0], "refined at home");
    let exported: Vec<f64> = rep.years.iter().map(|y| y.reo_export_t).collect();
    close_all(&exported, &[143.68, 50.4, 50.4], "exported");
    let m = money(&rep);
    close_all(
        &each_year(m, |y| y.refining_home_usd),
        &[4_000_000.0, 6_000_000.0, 6_000_000.0],
        "refining at home",
    );
    close_all(
        &each_year(m, |y| y.refining_abroad_usd),
        &[143.68 * 10_500.0, 50.4 * 10_500.0, 50.4 * 10_500.0],
        "refining abroad",
    );
}

#[test]
fn a_share_needing_higher_purity_is_exported_whatever_the_capacity() {
    for capacity in ["1e9", "1e15"] {
        let s = scenario(
            &with_economics(),
            &[
                &format!("refining.home_capacity_reo_t_per_y={capacity}"),
                "refining.high_purity_share=0.25",
                "refining.high_purity=\"5N\"",
                "refining.home_purity=\"4N5\"",
            ],
        );
        let rep = replicate(&s, 0);
        for record in &rep.years {
            let produced = record.reo_light_t + record.reo_heavy_t;
            close(
                record.reo_export_purity_t,
                0.25 * produced,
                "exported for purity",
            );
            close(record.reo_export_t, 0.25 * produced, "exported");
            close(record.reo_home_t, 0.75 * produced, "refined at home");
        }
        close(
            horizon("home_refined_share", &rep, &s).unwrap(),
            0.75,
            "home share",
        );
    }
    // Below the capacity the purity share is exported on top of what the
    // capacity leaves: home = min(0.75 P, 100).
    let s = scenario(
        &with_economics(),
        &[
            "refining.home_capacity_reo_t_per_y=100",
            "refining.high_purity_share=0.25",
        ],
    );
    let rep = replicate(&s, 0);
    for record in &rep.years {
        let produced = record.reo_light_t + record.reo_heavy_t;
        close(record.reo_home_t, 100.0, "refined at home");
        close(record.reo_export_t, produced - 100.0, "exported");
        close(
            record.reo_export_purity_t,
            0.25 * produced,
            "exported for purity",
        );
    }
}

#[test]
fn a_purity_home_refining_reaches_is_refined_at_home() {
    for (home, high) in [("5N", "5N"), ("5N", "4N5"), ("6N", "5N")] {
        let s = scenario(
            &with_economics(),
            &[
                "refining.home_capacity_reo_t_per_y=1e9",
                "refining.high_purity_share=0.25",
                &format!("refining.high_purity=\"{high}\""),
                &format!("refining.home_purity=\"{home}\""),
            ],
        );
        let rep = replicate(&s, 0);
        for record in &rep.years {
            assert_eq!(record.reo_export_t, 0.0, "{home} at home, {high} needed");
            assert_eq!(record.reo_export_purity_t, 0.0);
            close(
                record.reo_home_t,
                record.reo_light_t + record.reo_heavy_t,
                "refined at home",
            );
        }
    }
}

// ---- prices ----

/// [`OPERATION`] with one system fewer: nothing is produced, so that only
/// the prices are computed, fast. The basket is one element on a path.
fn priced(price: &str, years: u32) -> String {
    let operation = OPERATION
        .replace("systems = 1", "systems = 0")
        .replace("years = 3", &format!("years = {years}"));
    format!(
        "{operation}\n[economics]\nstart_year = 2028\n\n\
         [economics.price.elements]\nNd = {{ share = 1.0, usd_per_kg = {{ 2030 = 90, 2040 = 110 }} }}\n{price}"
    )
}

/// The path 2030 = 90, 2040 = 110 read in 2028..2041: flat before 2030,
/// +2 a year to 2040, flat after.
const PATH_2028_2041: [f64; 14] = [
    90.0, 90.0, 90.0, 92.0, 94.0, 96.0, 98.0, 100.0, 102.0, 104.0, 106.0, 108.0, 110.0, 110.0,
];

#[test]
fn a_price_path_interpolates_linearly_and_is_flat_outside_its_years() {
    let s = scenario(&priced("", 14), &[]);
    let rep = replicate(&s, 0);
    let prices = each_year(money(&rep), |y| y.price_usd_per_kg);
    assert_eq!(prices, PATH_2028_2041);
    // The annual metric, a year without oxide sold, is the year's price.
    let metric: Vec<f64> = (0..14)
        .map(|year| in_year("price_usd_per_kg", &rep, &s, year).unwrap())
        .collect();
    assert_eq!(metric, PATH_2028_2041);
    // Two elements: 0.4 × the path + 0.6 × a path from 2035 (50) to 2037
    // (70), read 2034..2038: 50, 50, 60, 70, 70.
    let text = priced("", 5)
        .replace("start_year = 2028", "start_year = 2034")
        .replace("share = 1.0", "share = 0.4")
        + "Pr = { share = 0.6, usd_per_kg = { 2035 = 50, 2037 = 70 } }\n";
    let rep = replicate(&scenario(&text, &[]), 0);
    let prices = each_year(money(&rep), |y| y.price_usd_per_kg);
    let nd = [98.0, 100.0, 102.0, 104.0, 106.0];
    let pr = [50.0, 50.0, 60.0, 70.0, 70.0];
    let expected: Vec<f64> = nd.iter().zip(pr).map(|(n, p)| 0.4 * n + 0.6 * p).collect();
    close_all(&prices, &expected, "two-element basket");
}

#[test]
fn the_annual_csv_shows_the_interpolated_price_per_year() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("prices.toml"), priced("", 14)).unwrap();
    let output = deepmud(dir.path(), &["run", "prices.toml", "--out", "out"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = fs::read_to_string(dir.path().join("out/annual.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|c| c == name).unwrap();
    let mut prices = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        if &record[column("metric")] == "price_usd_per_kg" {
            prices.push(record[column("mean")].parse::<f64>().unwrap());
        }
    }
    assert_eq!(prices, PATH_2028_2041);
}

const STOCHASTIC_NONE: &str =
    "[economics.price.stochastic]\nvolatility = 0.0\nreversion_per_y = 0.5\n";

#[test]
fn a_stochastic_price_without_volatility_or_shocks_is_its_path_exactly() {
    let s = scenario(&priced(STOCHASTIC_NONE, 14), &[]);
    for replication in 0..5 {
        let rep = replicate(&s, replication);
        assert_eq!(
            each_year(money(&rep), |y| y.price_usd_per_kg),
            PATH_2028_2041
        );
    }
}

#[test]
fn a_given_shock_multiplies_its_year_and_decays_with_the_reversion() {
    // σ = 0, κ = 0.5 (φ = e^−0.5), a ×2 shock in 2031: the log factor is
    // ln 2 in 2031, φ ln 2 in 2032, φ² ln 2 in 2033.
    let stochastic = "[economics.price.stochastic]\nreversion_per_y = 0.5\n\
                      shocks = [{ year = 2031, factor = 2.0 }]\n";
    let rep = replicate(&scenario(&priced(stochastic, 6), &[]), 0);
    let prices = each_year(money(&rep), |y| y.price_usd_per_kg);
    let phi = (-0.5f64).exp();
    let factors = [1.0, 1.0, 1.0, 2.0, 2f64.powf(phi), 2f64.powf(phi * phi)];
    let expected: Vec<f64> = factors
        .iter()
        .zip(PATH_2028_2041)
        .map(|(f, p)| f * p)
        .collect();
    close_all(&prices, &expected, "shocked price");
}

/// The mean and the variance of the log of the price factor in each year,
/// over `replications` replications.
fn factor_statistics(stochastic: &str, replications: u64) -> Vec<(f64, f64, f64)> {
    let s = scenario(&priced(stochastic, 5), &[]);
    let factors: Vec<Vec<f64>> = (0..replications)
        .map(|replication| {
            let rep = replicate(&s, replication);
            money(&rep)
                .years
                .iter()
                .zip(PATH_2028_2041)
                .map(|(y, path)| y.price_usd_per_kg / path)
                .collect()
        })
        .collect();
    let n = replications as f64;
    (0..5)
        .map(|year| {
            let values: Vec<f64> = factors.iter().map(|f| f[year]).collect();
            let mean = values.iter().sum::<f64>() / n;
            let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            let logs: Vec<f64> = values.iter().map(|v| v.ln()).collect();
            let log_mean = logs.iter().sum::<f64>() / n;
            let log_var = logs.iter().map(|l| (l - log_mean).powi(2)).sum::<f64>() / (n - 1.0);
            (mean, sd / n.sqrt(), log_var)
        })
        .collect()
}

#[test]
fn a_volatile_price_averages_its_path_over_many_replications() {
    // σ = 0.3, κ = 0.5: the factor's mean is 1 each year, and the variance
    // of its log is σ² (1 − φ^{2t}) / (1 − φ²).
    let sigma: f64 = 0.3;
    let phi = (-0.5f64).exp();
    let stochastic = "[economics.price.stochastic]\nvolatility = 0.3\nreversion_per_y = 0.5\n";
    for (year, (mean, se, log_var)) in factor_statistics(stochastic, 4000).into_iter().enumerate() {
        let t = year as i32 + 1;
        assert!(
            (mean - 1.0).abs() < 4.0 * se,
            "year {t}: mean factor {mean} ± {se}"
        );
        let expected = sigma.powi(2) * (1.0 - phi.powi(2 * t)) / (1.0 - phi.powi(2));
        // The sample variance's relative standard error is √(2/n) ≈ 2 %.
        assert!(
            (log_var / expected - 1.0).abs() < 0.1,
            "year {t}: variance of the log factor {log_var}, expected {expected}"
        );
    }
    // κ = 0, a random walk: the variance of the log is σ² t.
    let walk = "[economics.price.stochastic]\nvolatility = 0.3\nreversion_per_y = 0.0\n";
    for (year, (mean, se, log_var)) in factor_statistics(walk, 4000).into_iter().enumerate() {
        let t = year as f64 + 1.0;
        assert!(
            (mean - 1.0).abs() < 4.0 * se,
            "year {t}: mean factor {mean} ± {se}"
        );
        let expected = sigma.powi(2) * t;
        assert!(
            (log_var / expected - 1.0).abs() < 0.1,
            "year {t}: variance of the log factor {log_var}, expected {expected}"
        );
    }
}

// ---- common random numbers ----

#[test]
fn a_random_figure_keeps_its_draw_and_the_prices_their_history_across_points() {
    let text = with_economics()
        .replace(
            "processing_usd_per_dry_t = 40",
            "processing_usd_per_dry_t = { dist = \"uniform\", min = 30, max = 50 }",
        )
        .replace(
            "[economics.price]\nlight_usd_per_kg = 100\nheavy_usd_per_kg = { 2030 = 400, 2032 = 800 }\n",
            "[economics.price.elements]\nNd = { share = 0.5, usd_per_kg = 90 }\n\
             Dy = { share = 0.5, usd_per_kg = { dist = \"triangular\", min = 200, mode = 250, max = 400 } }\n\
             [economics.price.stochastic]\nvolatility = 0.3\nreversion_per_y = 0.5\n\
             shock_probability_per_y = 0.3\nshock_factor = 1.5\n",
        );
    let base = scenario(&text, &[]);
    let point = scenario(&text, &["fleet.shuttles=2", "port.berths=2"]);
    let rate = |rep: &Replication| -> Vec<f64> {
        money(rep)
            .years
            .iter()
            .zip(&rep.years)
            .map(|(m, y)| m.processing_usd / y.processed_dry_t)
            .collect()
    };
    let mut draws = Vec::new();
    for replication in 0..3 {
        let a = replicate(&base, replication);
        let b = replicate(&point, replication);
        // The points differ in the operation...
        assert_ne!(
            a.years[0].delivered_wet_t, b.years[0].delivered_wet_t,
            "the shuttles change the deliveries"
        );
        // ...but not in the draw of the processing cost, constant over
        // the years, nor in the price history.
        let (ra, rb) = (rate(&a), rate(&b));
        for (x, y) in ra.iter().zip(&rb) {
            assert!((x - y).abs() < 1e-9 * x, "{ra:?} ≠ {rb:?}");
            assert!((x - ra[0]).abs() < 1e-9 * x && (30.0..=50.0).contains(x));
        }
        assert_eq!(
            each_year(money(&a), |y| y.price_usd_per_kg),
            each_year(money(&b), |y| y.price_usd_per_kg),
            "replication {replication}: the price history"
        );
        draws.push((ra[0], each_year(money(&a), |y| y.price_usd_per_kg)));
    }
    // Replications draw differently.
    assert!(
        draws[0].0 != draws[1].0 && draws[1].0 != draws[2].0,
        "{draws:?}"
    );
    assert!(draws[0].1 != draws[1].1, "{draws:?}");
}

// ---- capital bought by phases ----

// [`OPERATION`] with a mining system on a price path (100e6 in 2030,
// 120e6 from 2031), a life of 2 years and a salvage value of 10e6, no plant
// capital; a phase adds a second system in year 2, another takes it away
// in year 3.
//
// Unit A: bought at t = 0 (2030) for 100e6 (year 1); at the end of its
// life, t = 2, fetches its salvage 10e6 (year 3) and is renewed at the
// 2032 price, 120e6 (year 3), as A'. At the horizon (t = 3) A' has served
// 1 of 2 years: book value 120e6 − 110e6 × 1/2 = 65e6.
// Unit B: bought at t = 1 (2031) for 120e6 (year 2); retired, the newest,
// at t = 2 at its book value 120e6 − 110e6 × 1/2 = 65e6 (year 3).
// Cash: bought 100e6, 120e6, 120e6; sold 0, 0, 10e6 + 65e6 = 75e6;
// residual 65e6; cash capital charge 100e6, 120e6, 120e6 − 75e6 − 65e6
// = −20e6.
// Annuity, v² = 1.08^−2 = 0.857338820:
//   a(100e6) = (100e6 − 10e6 × 0.857338820) × 0.08 / 0.142661180
//            = 51,269,230.77;  a(120e6) = (120e6 − 8,573,388.20) × 0.08
//            / 0.142661180 = 62,484,615.38
//   year 1: A = 51,269,230.77; year 2: A + B = 113,753,846.15;
//   year 3: A' = 62,484,615.38 (B is retired at its start).

fn phased_capital(method: &str) -> Replication {
    let text = format!(
        "{}\n[[phase]]\nname = \"two\"\nstart_year = 2\n[phase.set]\n\"mining.systems\" = 2\n\
         \n[[phase]]\nname = \"one\"\nstart_year = 3\n[phase.set]\n\"mining.systems\" = 1\n",
        with_economics().replace(
            "mining_system = { usd = 100e6, life_y = 5, salvage_usd = 10e6 }",
            "mining_system = { usd = { 2030 = 100e6, 2031 = 120e6 }, life_y = 2, salvage_usd = 10e6 }",
        )
    );
    let s = scenario(
        &text,
        &[
            "economics.capex.plant_per_dry_t_per_d.usd=0",
            &format!("economics.capex_method=\"{method}\""),
        ],
    );
    replicate(&s, 0)
}

#[test]
fn capital_bought_by_phases_renewed_and_valued_at_the_horizon_as_cash() {
    let rep = phased_capital("cash");
    let m = money(&rep);
    close_all(
        &each_year(m, |y| y.capex_usd),
        &[100e6, 120e6, -20e6],
        "cash capital",
    );
    close(m.residual_usd, 65e6, "residual value");
    // The cash flow carries capital as bought less sold, without the
    // residual value, which the NPV adds.
    let bought_less_sold = [100e6, 120e6, 120e6 - 75e6];
    for (index, (y, capital)) in m.years.iter().zip(bought_less_sold).enumerate() {
        let operating = y.cost_usd() - y.capex_usd;
        close(
            y.cash_flow_usd,
            y.revenue_usd - operating - capital,
            &format!("cash flow, year {}", index + 1),
        );
    }
    let flows = each_year(m, |y| y.cash_flow_usd);
    let by_hand =
        flows[0] / 1.08 + flows[1] / 1.08f64.powi(2) + (flows[2] + 65e6) / 1.08f64.powi(3);
    close(m.npv_usd, by_hand, "NPV");
}

#[test]
fn capital_bought_by_phases_and_renewed_as_annuities() {
    let rep = phased_capital("annuity");
    let m = money(&rep);
    let a100 = 51_269_230.77;
    let a120 = 62_484_615.38;
    let expected = [a100, a100 + a120, a120];
    for (year, (capex, hand)) in each_year(m, |y| y.capex_usd)
        .iter()
        .zip(expected)
        .enumerate()
    {
        assert!(
            (capex - hand).abs() < 0.01,
            "year {}: {capex} ≠ {hand}",
            year + 1
        );
    }
    // The cash flows do not depend on the method.
    let cash = phased_capital("cash");
    close_all(
        &each_year(m, |y| y.cash_flow_usd),
        &each_year(money(&cash), |y| y.cash_flow_usd),
        "cash flow",
    );
    close(m.npv_usd, money(&cash).npv_usd, "NPV");
}

// ---- the money functions ----

#[test]
fn npv_discounts_year_end_flows_and_the_residual_value() {
    // −100 / 1.1 + 121 / 1.21 = 9.0909..., residual 0.
    close(npv(&[-100.0, 121.0], 0.0, 0.1), -100.0 / 1.1 + 100.0, "npv");
    // The residual is discounted over N years: 10 / 1.1² = 8.2645.
    close(npv(&[0.0, 0.0], 12.1, 0.1), 10.0, "residual");
    close(npv(&[5.0, 5.0], 0.0, 0.0), 10.0, "at r = 0");
}

#[test]
fn irr_is_the_rate_of_zero_npv_or_none_without_a_change_of_sign() {
    // −100 at the end of year 1, 121 at the end of year 2: (1 + x) = 1.21.
    let x = irr(&[-100.0, 121.0], 0.0).unwrap();
    assert!((x - 0.21).abs() < 1e-9, "{x}");
    // −100 then 110 and a residual of 11: −100/(1+x) + 121/(1+x)² = 0.
    let x = irr(&[-100.0, 110.0], 11.0).unwrap();
    assert!((x - 0.21).abs() < 1e-9, "{x}");
    // A negative rate: −100 then 50.
    let x = irr(&[-100.0, 50.0], 0.0).unwrap();
    assert!((x + 0.5).abs() < 1e-9, "{x}");
    assert_eq!(irr(&[10.0, 20.0], 0.0), None);
    assert_eq!(irr(&[-10.0, -20.0], 0.0), None);
    // The residual value alone would give the NPV a root, but an operation
    // whose yearly cash flows are all negative has no rate of return.
    assert_eq!(irr(&[-10.0, -20.0], 100.0), None);
}

/// Over a part-year horizon the last flow and the residual are discounted
/// at the horizon, not at the end of a whole year (the 2026 test runs 0.15
/// year).
#[test]
fn a_part_year_is_discounted_to_the_horizon() {
    let at = npv_at(&[-100.0, 0.0, 110.25], 20.0, 0.05, 2.5);
    let by_hand = -100.0 / 1.05 + (110.25 + 20.0) / 1.05f64.powf(2.5);
    close(at, by_hand, "npv over 2.5 years");
    close(
        npv_at(&[-100.0, 121.0], 0.0, 0.1, 2.0),
        npv(&[-100.0, 121.0], 0.0, 0.1),
        "whole years",
    );
    let x = irr_at(&[-100.0, 0.0, 110.25], 0.0, 2.5).unwrap();
    assert!(
        npv_at(&[-100.0, 0.0, 110.25], 0.0, x, 2.5).abs() < 1e-6,
        "{x}"
    );
}

#[test]
fn breakeven_is_the_first_year_of_non_negative_cumulative_cash() {
    assert_eq!(breakeven(&[-5.0, 3.0, 2.0]), Some(2));
    assert_eq!(breakeven(&[-5.0, 3.0, 1.0]), None);
    assert_eq!(breakeven(&[1.0, -5.0]), Some(0));
    assert_eq!(breakeven(&[]), None);
}

#[test]
fn annuity_spreads_price_less_discounted_salvage_over_the_life() {
    // One year at 10 %: 110 at the year's end repays 100.
    close(annuity_usd(100.0, 0.0, 1.0, 0.1), 110.0, "one year");
    // r = 0: straight line (C − S) / L.
    close(annuity_usd(100.0, 20.0, 4.0, 0.0), 20.0, "r = 0");
    // Its present value over the life equals C − S v^L.
    let (c, s, life, r) = (1e6, 1e5, 10.0, 0.07);
    let a = annuity_usd(c, s, life, r);
    let pv: f64 = (1..=10).map(|t| a * (1.0f64 + r).powi(-t)).sum();
    close(pv, c - s * (1.0f64 + r).powf(-life), "present value");
}

// ---- bad input, through the binary ----

fn deepmud(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_deepmud"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("deepmud runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The 1-based line of `text` that contains `part`.
fn line_with(text: &str, part: &str) -> usize {
    text.lines()
        .position(|l| l.contains(part))
        .unwrap_or_else(|| panic!("no line holds {part:?}"))
        + 1
}

/// Writes `text` as `bad.toml` and asserts that `deepmud check` and
/// `deepmud run` both refuse it with exit code 2, without a panic and
/// without creating anything, and that the message holds `expected`.
/// Returns the message of `check`.
#[track_caller]
fn refused_file(text: &str, args: &[&str], expected: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.toml"), text).unwrap();
    let mut message = String::new();
    for command in ["check", "run"] {
        let mut all = vec![command, "bad.toml"];
        all.extend(args);
        if command == "run" {
            all.extend(["--out", "out"]);
        }
        let output = deepmud(dir.path(), &all);
        let err = stderr(&output);
        assert_eq!(
            output.status.code(),
            Some(2),
            "deepmud {}: {err}",
            all.join(" ")
        );
        assert!(!err.contains("panicked"), "{err}");
        for part in expected {
            assert!(
                err.contains(part),
                "deepmud {}: no `{part}` in: {err}",
                all.join(" ")
            );
        }
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            ["bad.toml"],
            "deepmud {}: created files",
            all.join(" ")
        );
        if command == "check" {
            message = err;
        }
    }
    message
}

/// [`with_economics`] with `from` replaced by `to`, refused with a message
/// at `bad.toml:<line of to's first line>` holding `expected`.
#[track_caller]
fn refused_edit(from: &str, to: &str, expected: &[&str]) {
    let first = to.lines().next().unwrap();
    refused_edit_at(from, to, first, expected);
}

/// [`refused_edit`] with the message at the line holding `at`.
#[track_caller]
fn refused_edit_at(from: &str, to: &str, at: &str, expected: &[&str]) {
    let text = with_economics();
    assert!(text.contains(from), "{from}");
    let text = text.replacen(from, to, 1);
    let at = format!("bad.toml:{}:", line_with(&text, at));
    let mut all = vec![at.as_str()];
    all.extend(expected);
    refused_file(&text, &[], &all);
}

#[test]
fn negative_prices_and_costs_are_refused_with_their_range() {
    refused_edit(
        "light_usd_per_kg = 100",
        "light_usd_per_kg = -5",
        &["economics.price.light_usd_per_kg = -5", "must be ≥ 0 USD"],
    );
    refused_edit(
        "processing_usd_per_dry_t = 40",
        "processing_usd_per_dry_t = -40",
        &[
            "economics.processing_usd_per_dry_t = -40",
            "must be ≥ 0 USD",
        ],
    );
    refused_edit(
        "mining_system = { operating = 100000,",
        "mining_system = { operating = -1,",
        &[
            "economics.day_rate_usd.mining_system.operating = -1",
            "must be ≥ 0 USD",
        ],
    );
    refused_edit(
        "heavy_usd_per_kg = { 2030 = 400, 2032 = 800 }",
        "heavy_usd_per_kg = { 2030 = 400, 2032 = -800 }",
        &[
            "economics.price.heavy_usd_per_kg.2032 = -800",
            "must be ≥ 0 USD",
        ],
    );
    refused_edit(
        "home_usd_per_t_reo = 20000",
        "home_usd_per_t_reo = { dist = \"uniform\", min = -10, max = 10 }",
        &["economics.refining.home_usd_per_t_reo"],
    );
    refused_edit(
        "mining_system = { operating = 50,",
        "mining_system = { operating = -50,",
        &[
            "economics.fuel_t_per_d.mining_system.operating = -50",
            "in [0, 10000] t/d",
        ],
    );
    refused_edit(
        "salvage_usd = 10e6 }",
        "salvage_usd = -1 }",
        &[
            "economics.capex.mining_system.salvage_usd = -1",
            "must be ≥ 0 USD",
        ],
    );
}

#[test]
fn a_discount_rate_of_minus_one_or_less_is_refused() {
    for rate in ["-1", "-2", "-1.0"] {
        refused_edit(
            "discount_rate = 0.08",
            &format!("discount_rate = {rate}"),
            &[
                &format!("economics.discount_rate = {rate}"),
                "must be in (-1, 1] per year",
            ],
        );
    }
    refused_file(
        &with_economics(),
        &["--set", "economics.discount_rate=-1"],
        &["--set: economics.discount_rate = -1: must be in (-1, 1] per year"],
    );
}

#[test]
fn a_yearly_path_with_unsorted_years_is_refused() {
    refused_edit(
        "heavy_usd_per_kg = { 2030 = 400, 2032 = 800 }",
        "heavy_usd_per_kg = { 2032 = 800, 2030 = 400 }",
        &[
            "economics.price.heavy_usd_per_kg",
            "ascending order",
            "2032, 2030",
        ],
    );
}

#[test]
fn a_yearly_path_out_of_order_is_refused_however_it_is_written() {
    // A year with a leading zero is still that year.
    refused_edit(
        "heavy_usd_per_kg = { 2030 = 400, 2032 = 800 }",
        "heavy_usd_per_kg = { 2040 = 400, 02030 = 800 }",
        &[
            "economics.price.heavy_usd_per_kg",
            "ascending order",
            "2040, 02030",
        ],
    );
    // In a phase's overrides, of a figure or inside a table of them.
    let text = format!(
        "{}\n[[phase]]\nname = \"later\"\nstart_year = 2\n[phase.set]\n\
         \"economics.fuel_usd_per_t\" = {{ 2040 = 700, 2030 = 600 }}\n\
         \"economics.refining\" = {{ home_usd_per_t_reo = {{ 2035 = 1, 2034 = 2 }} }}\n",
        with_economics()
    );
    let fuel = line_with(&text, "\"economics.fuel_usd_per_t\" =");
    let refining = line_with(&text, "\"economics.refining\" =");
    refused_file(
        &text,
        &[],
        &[
            &format!(
                "bad.toml:{fuel}:1: phase[0].set.\"economics.fuel_usd_per_t\": the years of a \
                 yearly path must be written in ascending order; found 2040, 2030"
            ),
            &format!("bad.toml:{refining}:"),
            "phase[0].set.\"economics.refining\".home_usd_per_t_reo: the years",
            "found 2035, 2034",
        ],
    );
    // On the command line.
    refused_file(
        &with_economics(),
        &[
            "--set",
            "economics.price.heavy_usd_per_kg={2032 = 800, 2030 = 400}",
        ],
        &[
            "--set: economics.price.heavy_usd_per_kg: the years of a yearly path must be written in \
           ascending order; found 2032, 2030",
        ],
    );
}

#[test]
fn a_yearly_path_in_order_is_accepted_wherever_it_is_written() {
    let text = format!(
        "{}\n[[phase]]\nname = \"later\"\nstart_year = 2\n[phase.set]\n\
         \"economics.fuel_usd_per_t\" = {{ 2030 = 600, 2040 = 700 }}\n",
        with_economics()
    );
    scenario(
        &text,
        &["economics.price.heavy_usd_per_kg={2030 = 1, 02031 = 2}"],
    );
    // A --set in order replaces a path out of order in the file.
    let unsorted =
        with_economics().replace("{ 2030 = 400, 2032 = 800 }", "{ 2032 = 800, 2030 = 400 }");
    scenario(
        &unsorted,
        &["economics.price.heavy_usd_per_kg={2030 = 400, 2032 = 800}"],
    );
}

#[test]
fn a_yearly_path_with_a_year_given_twice_is_refused() {
    // Two spellings of one year.
    refused_edit(
        "heavy_usd_per_kg = { 2030 = 400, 2032 = 800 }",
        "heavy_usd_per_kg = { 2030 = 400, 02030 = 800 }",
        &[
            "economics.price.heavy_usd_per_kg",
            "year 2030 is given twice",
        ],
    );
    // The same key twice, which TOML itself refuses.
    refused_edit(
        "heavy_usd_per_kg = { 2030 = 400, 2032 = 800 }",
        "heavy_usd_per_kg = { 2030 = 400, 2030 = 800 }",
        &["TOML syntax error: duplicate key `2030`"],
    );
    // Any key given twice is named.
    let text = with_economics().replacen(
        "discount_rate = 0.08\n",
        "discount_rate = 0.08\ndiscount_rate = 0.05\n",
        1,
    );
    let line = line_with(&text, "discount_rate = 0.05");
    refused_file(
        &text,
        &[],
        &[&format!(
            "bad.toml:{line}:1: TOML syntax error: duplicate key `discount_rate`"
        )],
    );
}

#[test]
fn a_basket_by_element_must_name_elements_whose_shares_add_to_one() {
    let groups = "light_usd_per_kg = 100\nheavy_usd_per_kg = { 2030 = 400, 2032 = 800 }\n";
    refused_edit(
        groups,
        "[economics.price.elements]\nY = { share = 0.5, usd_per_kg = 10 }\nNd = { share = 0.4, usd_per_kg = 90 }\n",
        &[
            "economics.price.elements",
            "shares must add up to 1 (they add up to 0.9)",
        ],
    );
    refused_edit_at(
        groups,
        "[economics.price.elements]\nY = { share = 0.5, usd_per_kg = 10 }\nXx = { share = 0.5, usd_per_kg = 90 }\n",
        "Xx =",
        &[
            "economics.price.elements.Xx",
            "`Xx` is not a rare-earth element symbol",
            "Dy",
        ],
    );
    refused_edit_at(
        "heavy_usd_per_kg = { 2030 = 400, 2032 = 800 }\n",
        "heavy_usd_per_kg = { 2030 = 400, 2032 = 800 }\n[economics.price.elements]\nY = { share = 1.0, usd_per_kg = 10 }\n",
        "[economics.price]",
        &["economics.price", "by group", "by element", "not both"],
    );
}

#[test]
fn a_missing_heavy_price_is_refused() {
    let text = with_economics().replace("heavy_usd_per_kg = { 2030 = 400, 2032 = 800 }\n", "");
    let line = line_with(&text, "[economics.price]");
    refused_file(
        &text,
        &[],
        &[
            &format!("bad.toml:{line}:"),
            "economics.price",
            "give both light_usd_per_kg and heavy_usd_per_kg",
        ],
    );
}

#[test]
fn a_bad_purity_and_a_capital_life_of_zero_are_refused() {
    refused_edit_at(
        "home_capacity_reo_t_per_y = 200",
        "home_capacity_reo_t_per_y = 200\nhome_purity = \"99.99\"",
        "home_purity",
        &[
            "refining.home_purity",
            "`99.99` is not a purity grade",
            "\"4N\"",
        ],
    );
    refused_edit(
        "life_y = 5,",
        "life_y = 0,",
        &[
            "economics.capex.mining_system.life_y = 0",
            "must be in [0.1, 200] years",
        ],
    );
}

/// Review regressions: a life so short that renewals would run without
/// bound, a salvage value above the price, a figure too large to print,
/// and each money figure's own unit in its message.
#[test]
fn short_lives_high_salvage_and_huge_figures_are_refused() {
    refused_edit(
        "life_y = 5,",
        "life_y = 1e-6,",
        &[
            "economics.capex.mining_system.life_y = 1e-6",
            "must be in [0.1, 200] years",
        ],
    );
    refused_edit(
        "salvage_usd = 10e6 }",
        "salvage_usd = 200e6 }",
        &[
            "economics.capex.mining_system.salvage_usd = 200000000",
            "must be ≤ the mean of usd (100000000 USD)",
        ],
    );
    refused_edit(
        "light_usd_per_kg = 100",
        "light_usd_per_kg = 1e200",
        &[
            "economics.price.light_usd_per_kg",
            "its mean must be ≤ 1e15 USD/kg",
        ],
    );
    refused_edit(
        "light_usd_per_kg = 100",
        "light_usd_per_kg = -5",
        &["must be ≥ 0 USD/kg"],
    );
}

/// A yearly path given on the command line with a year twice is named as
/// bad TOML, not taken for a string.
#[test]
fn a_set_path_with_a_year_twice_is_bad_toml() {
    refused_file(
        &with_economics(),
        &["--set", "economics.fuel_usd_per_t={2030=1,2030=2}"],
        &["--set", "the value is not valid TOML: duplicate key"],
    );
}

/// Varying a key that a phase sets changes it only before the phase: the
/// experiment says so instead of reporting a nil effect silently.
#[test]
fn varying_a_key_a_phase_sets_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{}\n[[phase]]\nname = \"dearer\"\nstart_year = 2\n[phase.set]\n\"economics.fuel_usd_per_t\" = 900\n",
        with_economics()
    );
    fs::write(dir.path().join("phased.toml"), text).unwrap();
    let output = deepmud(
        dir.path(),
        &[
            "sweep",
            "phased.toml",
            "--vary",
            "economics.fuel_usd_per_t=500,700",
            "--vary",
            "port.recovery=0.7,0.8",
            "--reps",
            "1",
            "--out",
            "sweep",
            "-q",
            "--format",
            "svg",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains(
            "warning: economics.fuel_usd_per_t is set by phase `dearer` \
             (\"economics.fuel_usd_per_t\", from year 2): the value varied holds only before it"
        ),
        "{err}"
    );
    assert!(!err.contains("port.recovery is set"), "{err}");
}

// ---- money metrics need [economics] ----

#[test]
fn money_metrics_without_economics_are_refused_by_experiments() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("plain.toml"), OPERATION).unwrap();
    let commands: [&[&str]; 3] = [
        &[
            "sweep",
            "plain.toml",
            "--vary",
            "fleet.shuttles=0,1",
            "--metric",
            "cost_per_kg",
        ],
        &[
            "tornado",
            "plain.toml",
            "--params",
            "mining.lift_rate_t_per_h",
            "--delta",
            "20%",
            "--metric",
            "npv_usd",
        ],
        &[
            "compare",
            "plain.toml",
            "plain.toml",
            "--metric",
            "breakeven_year",
        ],
    ];
    for args in commands {
        let mut all = args.to_vec();
        all.extend(["--out", "out"]);
        let output = deepmud(dir.path(), &all);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        let metric = args.last().unwrap();
        assert!(
            err.contains(&format!("--metric {metric}"))
                && err.contains("has no [economics] section"),
            "{err}"
        );
        assert!(
            !dir.path().join("out").exists(),
            "deepmud {}",
            all.join(" ")
        );
    }
}

#[test]
fn without_economics_no_money_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("plain.toml"), OPERATION).unwrap();
    let output = deepmud(dir.path(), &["run", "plain.toml", "--out", "out"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let annual = fs::read_to_string(dir.path().join("out/annual.csv")).unwrap();
    let summary = fs::read_to_string(dir.path().join("out/summary.json")).unwrap();
    let money: Vec<&str> = deepmud::experiment::metrics::METRICS
        .iter()
        .filter(|m| m.money)
        .map(|m| m.name)
        .collect();
    assert!(money.contains(&"cost_per_kg") && money.contains(&"npv_usd"));
    for name in money {
        assert!(
            !annual.contains(&format!(",{name},")),
            "{name} in annual.csv"
        );
        assert!(
            !summary.contains(&format!("\"{name}\"")),
            "{name} in summary.json"
        );
    }
    // The refining route is physical, reported either way.
    assert!(annual.contains(",home_refined_share,"));
    let s = scenario(OPERATION, &[]);
    assert!(replicate(&s, 0).money.is_none());
}

#[test]
fn comparing_with_a_scenario_without_economics_compares_what_both_report() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("money.toml"), with_economics()).unwrap();
    fs::write(
        dir.path().join("plain.toml"),
        OPERATION.replace("name = \"money\"", "name = \"plain\""),
    )
    .unwrap();
    // No --metric: every metric both scenarios report, so no money.
    let output = deepmud(
        dir.path(),
        &[
            "compare",
            "money.toml",
            "plain.toml",
            "--out",
            "out",
            "-q",
            "--format",
            "svg",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let csv = fs::read_to_string(dir.path().join("out/compare.csv")).unwrap();
    assert!(
        csv.contains(",reo_produced_t,") || csv.contains("reo_produced_t,"),
        "{csv}"
    );
    assert!(csv.contains("home_refined_share"), "{csv}");
    for metric in deepmud::experiment::metrics::METRICS
        .iter()
        .filter(|m| m.money)
    {
        assert!(!csv.contains(metric.name), "{} in {csv}", metric.name);
    }
    // A money metric asked for is refused, naming the scenario without.
    let output = deepmud(
        dir.path(),
        &[
            "compare",
            "money.toml",
            "plain.toml",
            "--metric",
            "cost_per_kg",
            "--out",
            "out2",
        ],
    );
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--metric cost_per_kg: scenario `plain` has no [economics] section"),
        "{err}"
    );
    assert!(!dir.path().join("out2").exists());
}

#[test]
fn the_figures_of_a_year_are_those_of_the_phase_in_force_at_its_middle() {
    // A phase from year 2.6 is in force at the middle of year 3 only
    // (t = 2.5 y); one from year 2 at the middle of years 2 and 3.
    for (start, doubled) in [("2.6", [false, false, true]), ("2", [false, true, true])] {
        let text = format!(
            "{}\n[[phase]]\nname = \"dear fuel\"\nstart_year = {start}\n[phase.set]\n\
             \"economics.fuel_usd_per_t\" = 1200\n",
            with_economics()
        );
        let rep = replicate(&scenario(&text, &[]), 0);
        let expected: Vec<f64> = doubled
            .iter()
            .map(|&d| if d { 2.0 * FUEL_USD } else { FUEL_USD })
            .collect();
        close_all(&each_year(money(&rep), |y| y.fuel_usd), &expected, start);
    }
}

#[test]
fn a_part_year_at_the_horizon_costs_its_part() {
    // 2.5 years: the last half-year is 4,380 h, 30 cycles of 146 h, so
    // half a year's vessel-days and fuel, and half a year of annuities.
    // Book values at 2.5 y: the mining system 100e6 − 90e6 × 2.5/5 = 55e6,
    // the plant 1e6 × (1 − 2.5/10) = 750,000.
    let s = scenario(&with_economics(), &["scenario.years=2.5"]);
    let rep = replicate(&s, 0);
    let m = money(&rep);
    close_all(
        &each_year(m, |y| y.vessels_usd),
        &[VESSELS_USD, VESSELS_USD, VESSELS_USD / 2.0],
        "vessels",
    );
    close_all(
        &each_year(m, |y| y.fuel_usd),
        &[FUEL_USD, FUEL_USD, FUEL_USD / 2.0],
        "fuel",
    );
    let annuity = MINING_ANNUITY_USD + PLANT_ANNUITY_USD;
    for (capex, hand) in each_year(m, |y| y.capex_usd)
        .iter()
        .zip([annuity, annuity, annuity / 2.0])
    {
        assert!((capex - hand).abs() < 0.01, "{capex} ≠ {hand}");
    }
    close(m.residual_usd, 55_750_000.0, "residual value");
}

#[test]
fn day_rates_and_fuel_follow_the_documented_state_groups() {
    use deepmud::model::{HubShipState as H, ShuttleState as Sh, SystemState as M};
    use deepmud::scenario::DEFAULT_SCENARIO;
    // docs/MODEL.md §12.3, written out here rather than taken from the model.
    let groups = ["operating", "standby", "transit", "in_port"];
    let system: [&[M]; 4] = [
        &[M::TrippingIn, M::TrippingOut, M::Lifting, M::Relocation],
        &[
            M::Blocked,
            M::Weather,
            M::Typhoon,
            M::Failure,
            M::Maintenance,
            M::CrewChange,
        ],
        &[M::Transit],
        &[M::Idle, M::PortQueue, M::Unloading],
    ];
    let shuttle: [&[Sh]; 4] = [
        &[Sh::Transferring],
        &[Sh::SiteQueue, Sh::WaitingCargo, Sh::Weather, Sh::Typhoon],
        &[Sh::Transit],
        &[Sh::Idle, Sh::PortQueue, Sh::Unloading],
    ];
    let hub_ship: [&[H]; 4] = [
        &[H::Loading],
        &[H::WaitingCargo],
        &[H::Transit],
        &[H::PortQueue, H::Unloading],
    ];
    for (g, group) in groups.iter().enumerate() {
        for vessel in ["mining_system", "shuttle", "hub_ship"] {
            // A day rate of 1 USD and 2 t of fuel at 1 USD/t per day in
            // this group alone: the costs count its vessel-days.
            let s = scenario(
                DEFAULT_SCENARIO,
                &[
                    "hub={site_distance_nm = 100, port_distance_nm = 1000}",
                    "scenario.years=1",
                    &format!("economics.day_rate_usd={{ {vessel} = {{ {group} = 1 }} }}"),
                    &format!("economics.fuel_t_per_d={{ {vessel} = {{ {group} = 2 }} }}"),
                    "economics.fuel_usd_per_t=1",
                ],
            );
            let rep = replicate(&s, 0);
            let days = |budget: &deepmud::stats::budget::TimeBudget, states: Vec<usize>| {
                states
                    .iter()
                    .map(|&state| budget.hours(0, state))
                    .sum::<f64>()
                    / 24.0
            };
            let expected = match vessel {
                "mining_system" => days(
                    &rep.system_budget,
                    system[g].iter().map(|&s| s as usize).collect(),
                ),
                "shuttle" => days(
                    &rep.shuttle_budget,
                    shuttle[g].iter().map(|&s| s as usize).collect(),
                ),
                _ => days(
                    &rep.hub_ship_budget,
                    hub_ship[g].iter().map(|&s| s as usize).collect(),
                ),
            };
            if g == 0 {
                assert!(expected > 0.0, "{vessel} works");
            }
            let m = &money(&rep).years[0];
            close(
                m.vessels_usd,
                expected,
                &format!("{vessel} {group} day rate"),
            );
            close(
                m.fuel_usd,
                2.0 * expected,
                &format!("{vessel} {group} fuel"),
            );
        }
    }
}

#[test]
fn every_asset_is_bought_at_the_start_by_its_count() {
    use deepmud::scenario::DEFAULT_SCENARIO;
    // Prices that tell the assets apart in the sum: 1e9 a mining system,
    // 1e6 a shuttle, 1e3 a hub ship, 1e12 the hub, 1 per dry t/d of plant.
    let s = scenario(
        DEFAULT_SCENARIO,
        &[
            "hub={site_distance_nm = 100, port_distance_nm = 1000, ships = 3}",
            "scenario.years=1",
            "economics.capex_method=\"cash\"",
            "economics.capex={ mining_system = { usd = 1e9, life_y = 10 }, shuttle = { usd = 1e6, life_y = 10 }, \
             hub_ship = { usd = 1e3, life_y = 10 }, hub = { usd = 1e12, life_y = 10 }, \
             plant_per_dry_t_per_d = { usd = 1, life_y = 10 } }",
        ],
    );
    let rep = replicate(&s, 0);
    let m = money(&rep);
    let plant = s.port.plant_capacity_dry_t_per_d;
    let bought = f64::from(s.mining.systems) * 1e9
        + f64::from(s.fleet.shuttles) * 1e6
        + 3.0 * 1e3
        + 1e12
        + plant;
    // Bought in year 1, 9/10 of it left at the horizon (straight line to
    // no salvage over 10 years), so the cash charge is a tenth of it.
    close(m.residual_usd, 0.9 * bought, "residual value");
    close(m.years[0].capex_usd, 0.1 * bought, "cash capital");
    let operating = m.years[0].cost_usd() - m.years[0].capex_usd;
    close(
        m.years[0].cash_flow_usd,
        m.years[0].revenue_usd - operating - bought,
        "cash flow",
    );
}

#[test]
fn a_tornado_on_a_yearly_path_is_told_to_name_one_of_its_years() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("money.toml"), with_economics()).unwrap();
    let path = "economics.price.heavy_usd_per_kg";
    let output = deepmud(
        dir.path(),
        &[
            "tornado",
            "money.toml",
            "--params",
            path,
            "--delta",
            "20%",
            "--out",
            "out",
        ],
    );
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "--params {path}: {path} is a yearly path: name one of its years, e.g. {path}.2030 or {path}.2032"
        )),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
    // Which works: the price in 2030 does not move the cost per kg.
    let output = deepmud(
        dir.path(),
        &[
            "tornado",
            "money.toml",
            "--params",
            &format!("{path}.2030"),
            "--delta",
            "20%",
            "--metric",
            "cost_per_kg",
            "--out",
            "out",
            "-q",
            "--format",
            "svg",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let csv = fs::read_to_string(dir.path().join("out/tornado.csv")).unwrap();
    assert!(
        csv.contains(&format!("{path}.2030,400,320,480,cost_per_kg")),
        "{csv}"
    );
}

#[test]
fn irr_of_a_long_horizon_is_not_thrown_off_by_overflow_at_low_rates() {
    // 160 years: −100, then 20 a year, and −100 in the last year (a
    // renewal). Near a rate of −1 the discount factors overflow (0.01^−160)
    // and the NPV is ∞ − ∞, not a number: the IRR was that rate, −0.99,
    // with an NPV of NaN. The NPV is 0 at a rate near −1/6 (where the last
    // year's −100 weighs as much as the twenties) and near 0.2; the lowest
    // is the IRR.
    let mut flows = vec![20.0; 160];
    flows[0] = -100.0;
    flows[159] = -100.0;
    let x = irr(&flows, 0.0).expect("the flows change sign");
    let scale: f64 = flows
        .iter()
        .enumerate()
        .map(|(t, cf)| cf.abs() * (1.0 + x).powi(-(t as i32 + 1)))
        .sum();
    let at = npv(&flows, 0.0, x);
    assert!(at.abs() < 1e-9 * scale, "NPV at {x}: {at} (of {scale})");
    assert!((-0.2..-0.1).contains(&x), "{x}");
    // Without the last year's renewal, the one root.
    flows[159] = 20.0;
    let x = irr(&flows, 0.0).unwrap();
    assert!((x - 0.2).abs() < 1e-6, "{x}");
}

#[test]
fn a_phase_cannot_change_the_whole_run_keys_of_economics() {
    for (key, value) in [
        ("economics.start_year", "2040"),
        ("economics.usd_base_year", "2030"),
        ("economics.capex_method", "\"cash\""),
        ("economics.discount_rate", "0.5"),
    ] {
        let text = format!(
            "{}\n[[phase]]\nname = \"later\"\nstart_year = 2\n[phase.set]\n\"{key}\" = {value}\n",
            with_economics()
        );
        let line = line_with(&text, &format!("\"{key}\" ="));
        refused_file(
            &text,
            &[],
            &[&format!(
                "bad.toml:{line}:1: phase[0].set.\"{key}\" = {value}: `{key}` may not be set in a \
                 phase (it holds for the whole run; give it in the file's [economics])"
            )],
        );
    }
    // Nor inside a table it sets.
    let text = format!(
        "{}\n[[phase]]\nname = \"later\"\nstart_year = 2\n[phase.set]\n\
         \"economics.price\" = {{ light_usd_per_kg = 1, heavy_usd_per_kg = 2 }}\n\
         \"economics\" = {{ start_year = 2040 }}\n",
        with_economics()
    );
    refused_file(
        &text,
        &[],
        &[
            "phase[0].set.economics",
            "`economics.start_year` may not be set in a phase",
        ],
    );
}

/// A phase may change a file's economics but not bring them: the money of
/// a file without [economics] is never settled, so the phase would be
/// silently ignored.
#[test]
fn a_phase_cannot_add_economics_to_a_file_without_them() {
    let text = format!(
        "{OPERATION}\n[[phase]]\nname = \"later\"\nstart_year = 2\n[phase.set]\n\
         \"economics.fuel_usd_per_t\" = 800\n"
    );
    let line = line_with(&text, "\"economics.fuel_usd_per_t\" =");
    refused_file(
        &text,
        &[],
        &[
            &format!("bad.toml:{line}:1: phase[0].set.\"economics.fuel_usd_per_t\""),
            "a phase cannot add [economics]",
        ],
    );
}

#[test]
fn capital_bought_in_a_phase_is_priced_in_the_runs_calendar() {
    // The phase replaces all of [economics], so its start_year is the
    // default, 2028: the second system, bought at t = 1, is still bought in
    // 2031 (start 2030 + 1), at 120e6, and its annuity at the file's 8 %.
    let text = format!(
        "{}\n[[phase]]\nname = \"two\"\nstart_year = 2\n[phase.set]\n\"mining.systems\" = 2\n\
         \"economics\" = {{ price = {{ light_usd_per_kg = 100, heavy_usd_per_kg = 400 }}, \
         capex = {{ mining_system = {{ usd = {{ 2030 = 100e6, 2031 = 120e6 }}, life_y = 5 }} }} }}\n",
        with_economics()
    );
    let s = scenario(&text, &["economics.capex_method=\"cash\""]);
    let rep = replicate(&s, 0);
    // Year 2's capital is the second system alone.
    close(money(&rep).years[1].capex_usd, 120e6, "bought in 2031");
    let s = scenario(&text, &[]);
    let rep = replicate(&s, 0);
    let a = annuity_usd(100e6, 10e6, 5.0, 0.08) + PLANT_ANNUITY_USD;
    let b = annuity_usd(120e6, 0.0, 5.0, 0.08);
    assert!((money(&rep).years[1].capex_usd - (a + b)).abs() < 0.01);
}

#[test]
fn random_shocks_come_at_their_probability_and_decay_like_given_ones() {
    // A shock every year (probability 1), ×2, σ = 0, κ = 0.5:
    // X_t = φ X_{t−1} + ln 2.
    let stochastic = "[economics.price.stochastic]\nreversion_per_y = 0.5\n\
                      shock_probability_per_y = 1.0\nshock_factor = 2.0\n";
    let rep = replicate(&scenario(&priced(stochastic, 5), &[]), 0);
    let phi = (-0.5f64).exp();
    let mut log = 0.0;
    let expected: Vec<f64> = PATH_2028_2041[..5]
        .iter()
        .map(|path| {
            log = phi * log + 2f64.ln();
            path * f64::exp(log)
        })
        .collect();
    close_all(
        &each_year(money(&rep), |y| y.price_usd_per_kg),
        &expected,
        "shocked",
    );
    // At probability 0.3 about 30 % of replication-years are shocked: with
    // σ = 0 and κ large (the shock gone by the next year), a year's factor
    // is 2 or 1.
    let stochastic = "[economics.price.stochastic]\nreversion_per_y = 10.0\n\
                      shock_probability_per_y = 0.3\nshock_factor = 2.0\n";
    let s = scenario(&priced(stochastic, 5), &[]);
    let (mut shocked, mut years) = (0.0, 0.0);
    for replication in 0..400 {
        let rep = replicate(&s, replication);
        for (m, path) in money(&rep).years.iter().zip(PATH_2028_2041) {
            let factor = m.price_usd_per_kg / path;
            assert!(
                (factor - 1.0).abs() < 1e-3 || (factor - 2.0).abs() < 1e-3,
                "{factor}"
            );
            shocked += f64::from(u8::from(factor > 1.5));
            years += 1.0;
        }
    }
    // 2,000 years: the share's standard error is √(0.3 × 0.7 / 2000) ≈ 0.01.
    assert!((shocked / years - 0.3).abs() < 0.04, "{}", shocked / years);
}

#[test]
fn a_sweep_sees_the_same_price_history_at_every_point() {
    let dir = tempfile::tempdir().unwrap();
    let text = with_economics()
        + "\n[economics.price.stochastic]\nvolatility = 0.3\nreversion_per_y = 0.5\n";
    fs::write(dir.path().join("money.toml"), text).unwrap();
    let output = deepmud(
        dir.path(),
        &[
            "sweep",
            "money.toml",
            "--vary",
            "fleet.shuttles=0,2",
            "--metric",
            "price_usd_per_kg@year1,price_usd_per_kg@year2,price_usd_per_kg@year3,reo_produced_t",
            "--reps",
            "4",
            "--out",
            "out",
            "-q",
            "--format",
            "svg",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = fs::read_to_string(dir.path().join("out/replications.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let cell = |row: &csv::StringRecord, name: &str| -> String {
        row[header.iter().position(|c| c == name).unwrap()].to_string()
    };
    let point = |p: &str| -> Vec<&csv::StringRecord> {
        rows.iter().filter(|r| cell(r, "point") == p).collect()
    };
    let (first, second) = (point("1"), point("2"));
    assert_eq!(first.len(), 4);
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(cell(a, "replication"), cell(b, "replication"));
        for year in 1..=3 {
            let column = format!("price_usd_per_kg@year{year}");
            assert_eq!(cell(a, &column), cell(b, &column), "{column}");
        }
        // The operation itself differs between the points.
        assert_ne!(cell(a, "reo_produced_t"), cell(b, "reo_produced_t"));
    }
    // And the replications' histories differ from one another.
    assert_ne!(
        cell(first[0], "price_usd_per_kg@year2"),
        cell(first[1], "price_usd_per_kg@year2")
    );
}
