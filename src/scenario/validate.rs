//! Range checks on a typed scenario. Each message states the allowed range
//! and unit ("must be in [0, 1)", "must be > 0 kn").
//!
//! Every key with a range is one row of [`RANGES`]; the rules that relate
//! keys to each other, and those on each failure mode and phase, follow it.

use std::fmt;

use super::dist::Dist;
use super::economics::{ELEMENTS, Economics, Figure, Price};
use super::error::unknown_word_hint;
use super::overrides::{child_index, child_key, is_within, lookup, override_value};
use super::schema::{FailureMode, LiftDesign, Monthly, Phase, Scenario};

/// A value outside its allowed range, by dotted path.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Finding {
    pub path: String,
    pub message: String,
}

/// One key's allowed values. The getter gives `None` when the key is
/// absent or not in force (an optional key, a `[hub]` that is not there).
struct Rule {
    path: &'static str,
    check: Check,
}

enum Check {
    Real(fn(&Scenario) -> Option<f64>, Range, &'static str),
    Whole(fn(&Scenario) -> Option<u64>, Range),
    Monthly(fn(&Scenario) -> &Monthly, Range, &'static str),
    Dist(fn(&Scenario) -> Option<&Dist>, &'static str),
}

const fn real(
    path: &'static str,
    get: fn(&Scenario) -> Option<f64>,
    range: Range,
    unit: &'static str,
) -> Rule {
    Rule {
        path,
        check: Check::Real(get, range, unit),
    }
}

const fn whole(path: &'static str, get: fn(&Scenario) -> Option<u64>, range: Range) -> Rule {
    Rule {
        path,
        check: Check::Whole(get, range),
    }
}

const fn monthly(
    path: &'static str,
    get: fn(&Scenario) -> &Monthly,
    range: Range,
    unit: &'static str,
) -> Rule {
    Rule {
        path,
        check: Check::Monthly(get, range, unit),
    }
}

const fn dist(path: &'static str, get: fn(&Scenario) -> Option<&Dist>, unit: &'static str) -> Rule {
    Rule {
        path,
        check: Check::Dist(get, unit),
    }
}

const DISTANCE_NM: Range = Range::gt_le(0.0, 20_000.0);
const SPEED_KN: Range = Range::gt_le(0.0, 40.0);
const POSITIVE: Range = Range::gt(0.0);
const FRACTION: Range = Range::gt_le(0.0, 1.0);

/// The shortest weather step, h: a finer step multiplies the sea-state
/// work of a run without a sea that changes faster.
const MIN_STEP_H: f64 = 0.1;
/// The shortest interval of periodic planned work, d.
const MIN_INTERVAL_D: f64 = 1.0;
/// The smallest seabed block, wet t: each block is a grade draw.
const MIN_BLOCK_T: f64 = 100.0;
/// The shortest mean cycle of a patch (lifting it and relocating) and of a
/// failure mode (operating until it fails and repairing it), h: shorter
/// cycles make a run of millions of events an hour, or none that advance
/// the clock at all.
const MIN_CYCLE_H: f64 = 0.1;

/// The lift design, when it is what gives the lift rate.
fn lift_design(s: &Scenario) -> Option<&LiftDesign> {
    s.mining
        .lift_design
        .as_ref()
        .filter(|_| s.mining.lift_rate_t_per_h.is_none())
}

/// Every key with an allowed range, in schema order.
#[rustfmt::skip]
const RANGES: &[Rule] = &[
    real("scenario.years", |s| Some(s.scenario.years), Range::gt_le(0.0, 200.0), "years"),
    whole("scenario.start_month", |s| Some(s.scenario.start_month.into()), Range::ge_le(1.0, 12.0)),
    whole("scenario.seed", |s| Some(s.scenario.seed), Range::ge(0.0)),
    whole("scenario.replications", |s| Some(s.scenario.replications.into()), Range::ge_le(1.0, 1e6)),

    real("site.water_depth_m", |s| Some(s.site.water_depth_m), Range::gt_le(0.0, 11_000.0), "m"),
    real("site.port_distance_nm", |s| Some(s.site.port_distance_nm), DISTANCE_NM, "nm"),

    real("weather.step_h", |s| Some(s.weather.step_h), Range::ge_le(MIN_STEP_H, 24.0), "h"),
    monthly("weather.hs_median_m", |s| &s.weather.hs_median_m, Range::gt_le(0.0, 30.0), "m"),
    monthly("weather.hs_log_sd", |s| &s.weather.hs_log_sd, Range::ge_le(0.0, 3.0), ""),
    real("weather.hs_lag1_autocorrelation", |s| Some(s.weather.hs_lag1_autocorrelation), Range::ge_lt(0.0, 1.0), ""),
    monthly("weather.typhoon_rate_per_month", |s| &s.weather.typhoon_rate_per_month, Range::ge_le(0.0, 30.0), "typhoons per month"),
    real("weather.typhoon_warning_h", |s| Some(s.weather.typhoon_warning_h), Range::ge_le(0.0, 720.0), "h"),
    dist("weather.typhoon_duration_h", |s| Some(&s.weather.typhoon_duration_h), "h"),

    whole("mining.systems", |s| Some(s.mining.systems.into()), Range::ge_le(0.0, 100.0)),
    real("mining.vessel_speed_kn", |s| Some(s.mining.vessel_speed_kn), SPEED_KN, "kn"),
    real("mining.lift_rate_t_per_h", |s| s.mining.lift_rate_t_per_h.filter(|_| s.mining.lift_design.is_none()), POSITIVE, "t/h"),
    real("mining.lift_design.pipe_bore_m", |s| lift_design(s).map(|d| d.pipe_bore_m), Range::gt_le(0.0, 2.0), "m"),
    real("mining.lift_design.slurry_velocity_m_per_s", |s| lift_design(s).map(|d| d.slurry_velocity_m_per_s), Range::gt_le(0.0, 20.0), "m/s"),
    real("mining.lift_design.mud_volume_fraction", |s| lift_design(s).map(|d| d.mud_volume_fraction), Range::gt_lt(0.0, 1.0), ""),
    real("mining.lift_design.mud_wet_density_t_per_m3", |s| lift_design(s).map(|d| d.mud_wet_density_t_per_m3), Range::ge_le(1.0, 3.0), "t/m³"),
    real("mining.buffer_capacity_t", |s| Some(s.mining.buffer_capacity_t), POSITIVE, "t"),
    real("mining.trip_in_m_per_h", |s| Some(s.mining.trip_in_m_per_h), POSITIVE, "m/h"),
    real("mining.trip_out_m_per_h", |s| Some(s.mining.trip_out_m_per_h), POSITIVE, "m/h"),
    real("mining.hs_limit_trip_m", |s| Some(s.mining.hs_limit_trip_m), POSITIVE, "m"),
    real("mining.hs_limit_lift_m", |s| Some(s.mining.hs_limit_lift_m), POSITIVE, "m"),
    real("mining.hs_limit_survival_m", |s| Some(s.mining.hs_limit_survival_m), POSITIVE, "m"),
    real("mining.typhoon_margin_h", |s| Some(s.mining.typhoon_margin_h), Range::ge_le(0.0, 720.0), "h"),
    dist("mining.typhoon_unfinished_repair_h", |s| Some(&s.mining.typhoon_unfinished_repair_h), "h"),
    real("mining.patch_t", |s| s.mining.patch_t, POSITIVE, "t"),
    dist("mining.relocation_h", |s| Some(&s.mining.relocation_h), "h"),
    whole("mining.max_trips", |s| s.mining.max_trips.map(u64::from), Range::ge(1.0)),
    real("mining.campaign_d", |s| s.mining.campaign_d, POSITIVE, "d"),
    real("mining.maintenance.interval_d", |s| s.mining.maintenance.as_ref().map(|p| p.interval_d), Range::ge(MIN_INTERVAL_D), "d"),
    dist("mining.maintenance.duration_h", |s| s.mining.maintenance.as_ref().map(|p| &p.duration_h), "h"),
    real("mining.crew_change.interval_d", |s| s.mining.crew_change.as_ref().map(|p| p.interval_d), Range::ge(MIN_INTERVAL_D), "d"),
    dist("mining.crew_change.duration_h", |s| s.mining.crew_change.as_ref().map(|p| &p.duration_h), "h"),

    whole("fleet.shuttles", |s| Some(s.fleet.shuttles.into()), Range::ge_le(0.0, 1000.0)),
    real("fleet.capacity_t", |s| Some(s.fleet.capacity_t), POSITIVE, "t"),
    real("fleet.speed_kn", |s| Some(s.fleet.speed_kn), SPEED_KN, "kn"),
    real("fleet.transfer_rate_t_per_h", |s| Some(s.fleet.transfer_rate_t_per_h), POSITIVE, "t/h"),
    real("fleet.hs_limit_transfer_m", |s| Some(s.fleet.hs_limit_transfer_m), POSITIVE, "m"),
    real("fleet.max_wait_h", |s| s.fleet.max_wait_h, POSITIVE, "h"),

    whole("port.berths", |s| Some(s.port.berths.into()), Range::ge_le(1.0, 100.0)),
    real("port.unload_rate_t_per_h", |s| Some(s.port.unload_rate_t_per_h), POSITIVE, "t/h"),
    real("port.plant_capacity_dry_t_per_d", |s| Some(s.port.plant_capacity_dry_t_per_d), POSITIVE, "dry t/d"),
    real("port.plant_availability", |s| Some(s.port.plant_availability), FRACTION, ""),
    real("port.recovery", |s| Some(s.port.recovery), FRACTION, ""),

    dist("ore.rey_ppm", |s| Some(&s.ore.rey_ppm), "ppm"),
    real("ore.block_t", |s| Some(s.ore.block_t), Range::ge(MIN_BLOCK_T), "t"),
    real("ore.block_autocorrelation", |s| Some(s.ore.block_autocorrelation), Range::ge_lt(0.0, 1.0), ""),
    real("ore.dilution_fraction", |s| Some(s.ore.dilution_fraction), Range::ge_lt(0.0, 1.0), ""),
    real("ore.dilution_rey_ppm", |s| Some(s.ore.dilution_rey_ppm), Range::ge(0.0), "ppm"),
    real("ore.heavy_share", |s| Some(s.ore.heavy_share), Range::ge_le(0.0, 1.0), ""),
    real("ore.solids_mass_fraction", |s| Some(s.ore.solids_mass_fraction), FRACTION, ""),
    real("ore.oxide_factor", |s| Some(s.ore.oxide_factor), Range::ge_le(1.0, 2.0), ""),

    real("hub.site_distance_nm", |s| s.hub.as_ref().map(|h| h.site_distance_nm), DISTANCE_NM, "nm"),
    real("hub.port_distance_nm", |s| s.hub.as_ref().map(|h| h.port_distance_nm), DISTANCE_NM, "nm"),
    whole("hub.berths", |s| s.hub.as_ref().map(|h| h.berths.into()), Range::ge_le(1.0, 100.0)),
    real("hub.unload_rate_t_per_h", |s| s.hub.as_ref().map(|h| h.unload_rate_t_per_h), POSITIVE, "t/h"),
    real("hub.product_solids_fraction", |s| s.hub.as_ref().map(|h| h.product_solids_fraction), FRACTION, ""),
    whole("hub.ships", |s| s.hub.as_ref().map(|h| h.ships.into()), Range::ge_le(1.0, 1000.0)),
    real("hub.ship_capacity_t", |s| s.hub.as_ref().map(|h| h.ship_capacity_t), POSITIVE, "t"),
    real("hub.max_wait_h", |s| s.hub.as_ref().and_then(|h| h.max_wait_h), POSITIVE, "h"),
    real("hub.ship_speed_kn", |s| s.hub.as_ref().map(|h| h.ship_speed_kn), SPEED_KN, "kn"),
    real("hub.load_rate_t_per_h", |s| s.hub.as_ref().map(|h| h.load_rate_t_per_h), POSITIVE, "t/h"),

    real("learning.failure_progress_ratio", |s| Some(s.learning.failure_progress_ratio), FRACTION, ""),
    real("learning.trip_progress_ratio", |s| Some(s.learning.trip_progress_ratio), FRACTION, ""),
    real("learning.reference_h", |s| Some(s.learning.reference_h), POSITIVE, "h"),

    real("refining.home_capacity_reo_t_per_y", |s| Some(s.refining.home_capacity_reo_t_per_y), Range::ge(0.0), "t REO/y"),
    real("refining.home_purity", |s| Some(s.refining.home_purity.0), PURITY, "nines"),
    real("refining.high_purity_share", |s| Some(s.refining.high_purity_share), Range::ge_le(0.0, 1.0), ""),
    real("refining.high_purity", |s| Some(s.refining.high_purity.0), PURITY, "nines"),

    whole("economics.start_year", |s| s.economics.as_ref().map(|e| e.start_year.max(0) as u64), CALENDAR),
    whole("economics.usd_base_year", |s| s.economics.as_ref().map(|e| e.usd_base_year.max(0) as u64), CALENDAR),
    real("economics.discount_rate", |s| s.economics.as_ref().map(|e| e.discount_rate), Range::gt_le(-1.0, 1.0), "per year"),
];

/// Purity grades, in nines: 2N (99 %) to 7N.
const PURITY: Range = Range::ge_le(2.0, 7.0);
/// Calendar years a scenario may name.
const CALENDAR: Range = Range::ge_le(1900.0, 2300.0);

/// The allowed range of a whole-number key, for the message of a value
/// that does not even fit its type (a negative count, say).
pub(crate) fn whole_range(path: &str) -> Option<Range> {
    RANGES.iter().find_map(|rule| match rule.check {
        Check::Whole(_, range) if rule.path == path => Some(range),
        _ => None,
    })
}

/// Every range problem in `scenario`.
pub(crate) fn validate(scenario: &Scenario) -> Vec<Finding> {
    let mut c = Checker::default();
    for rule in RANGES {
        c.rule(rule, scenario);
    }
    check_relations(&mut c, scenario);
    for (index, mode) in scenario.mining.failure.iter().enumerate() {
        check_failure_mode(&mut c, index, mode);
    }
    check_phases(&mut c, &scenario.phase);
    if scenario.economics.is_none() {
        refuse_phase_economics(&mut c, &scenario.phase);
    }
    if let Some(economics) = &scenario.economics {
        check_economics(&mut c, economics);
    }
    c.findings
}

/// The range problems of failure mode `index` alone.
pub(crate) fn validate_failure_mode(index: usize, mode: &FailureMode) -> Vec<Finding> {
    let mut c = Checker::default();
    check_failure_mode(&mut c, index, mode);
    c.findings
}

/// Rules that relate keys to each other.
fn check_relations(c: &mut Checker, s: &Scenario) {
    let mining = &s.mining;
    match (mining.lift_rate_t_per_h, &mining.lift_design) {
        (Some(_), Some(_)) => c.fail(
            "mining.lift_design",
            "give either lift_rate_t_per_h or lift_design, not both",
        ),
        (None, None) => c.fail(
            "mining.lift_rate_t_per_h",
            "required key is missing (or give a [mining.lift_design] table to derive it)",
        ),
        _ => {}
    }
    let limits = [
        mining.hs_limit_trip_m,
        mining.hs_limit_lift_m,
        mining.hs_limit_survival_m,
    ];
    let highest_working = mining.hs_limit_trip_m.max(mining.hs_limit_lift_m);
    if limits.iter().all(|&limit| POSITIVE.contains(limit))
        && mining.hs_limit_survival_m < highest_working
    {
        c.fail(
            "mining.hs_limit_survival_m",
            &format!("must be ≥ hs_limit_trip_m and hs_limit_lift_m ({highest_working} m)"),
        );
    }
    check_patch_cycle(c, s);
    check_buffer_cycle(c, s);
    if let Some(hub) = &s.hub
        && hub.product_solids_fraction < s.ore.solids_mass_fraction
    {
        c.fail(
            "hub.product_solids_fraction",
            "must be ≥ ore.solids_mass_fraction (dewatering only removes water)",
        );
    }
}

/// The figures, fuel use, capital costs and prices of `[economics]`.
fn check_economics(c: &mut Checker, e: &Economics) {
    for (path, figure) in e.figures() {
        let unit = money_unit(&path);
        match figure {
            Figure::Dist(dist) => {
                let before = c.findings.len();
                c.dist(&path, dist, unit);
                if c.findings.len() == before && dist.mean() > MAX_MONEY {
                    c.fail(&path, &format!("its mean must be ≤ {MAX_MONEY:e} {unit}"));
                }
            }
            Figure::Path(points) => {
                for &(year, value) in points {
                    c.money(&child_key(&path, &year.to_string()), value, unit);
                }
            }
        }
    }
    for (vessel, fuel) in e.fuel_t_per_d.each() {
        for (group, &t_per_d) in fuel.each() {
            let path = format!("economics.fuel_t_per_d.{vessel}.{group}");
            c.real(&path, t_per_d, Range::ge_le(0.0, 10_000.0), "t/d");
        }
    }
    for (asset, capex) in e.capex.each() {
        let path = format!("economics.capex.{asset}");
        c.real(
            &child_key(&path, "life_y"),
            capex.life_y,
            Range::ge_le(MIN_LIFE_Y, 200.0),
            "years",
        );
        let salvage = child_key(&path, "salvage_usd");
        c.money(&salvage, capex.salvage_usd, "USD");
        // Salvage above the price would make owning a unit pay.
        let (price, what) = match &capex.usd {
            Figure::Dist(dist) => (dist.mean(), "the mean of usd"),
            Figure::Path(points) => (
                points.iter().map(|&(_, v)| v).fold(f64::INFINITY, f64::min),
                "the lowest value of the usd path",
            ),
        };
        if capex.salvage_usd > price {
            c.fail(&salvage, &format!("must be ≤ {what} ({price} USD)"));
        }
    }
    check_prices(c, &e.price);
}

/// A price basket by group (light and heavy) or by element, whose shares
/// add up to 1, and the stochastic factor's parameters.
fn check_prices(c: &mut Checker, price: &Price) {
    const PATH: &str = "economics.price";
    let groups = price.light_usd_per_kg.is_some() || price.heavy_usd_per_kg.is_some();
    match &price.elements {
        Some(_) if groups => c.fail(
            PATH,
            "give prices by group (light_usd_per_kg, heavy_usd_per_kg) or by element ([economics.price.elements]), not both",
        ),
        Some(elements) => {
            for (name, element) in elements {
                let path = format!("{PATH}.elements.{name}");
                if !ELEMENTS.contains(&name.as_str()) {
                    let hint = unknown_word_hint(name, &ELEMENTS);
                    c.fail(&path, &format!("`{name}` is not a rare-earth element symbol; {hint}"));
                }
                c.real(&child_key(&path, "share"), element.share, Range::ge_le(0.0, 1.0), "");
            }
            let total: f64 = elements.values().map(|element| element.share).sum();
            if elements.is_empty() || (total - 1.0).abs() > SHARE_TOLERANCE {
                c.fail(
                    &format!("{PATH}.elements"),
                    &format!("the elements' shares must add up to 1 (they add up to {total})"),
                );
            }
        }
        None if price.light_usd_per_kg.is_none() || price.heavy_usd_per_kg.is_none() => c.fail(
            PATH,
            "give both light_usd_per_kg and heavy_usd_per_kg, or the basket by element in [economics.price.elements]",
        ),
        None => {}
    }
    if let Some(s) = &price.stochastic {
        let path = |key: &str| format!("{PATH}.stochastic.{key}");
        c.real(
            &path("volatility"),
            s.volatility,
            Range::ge_le(0.0, 3.0),
            "",
        );
        c.real(
            &path("reversion_per_y"),
            s.reversion_per_y,
            Range::ge_le(0.0, 10.0),
            "per year",
        );
        c.real(
            &path("shock_probability_per_y"),
            s.shock_probability_per_y,
            Range::ge_le(0.0, 1.0),
            "",
        );
        c.real(&path("shock_factor"), s.shock_factor, SHOCK, "");
        for (index, shock) in s.shocks.iter().enumerate() {
            let at = child_index(&path("shocks"), index);
            c.whole(&child_key(&at, "year"), shock.year.max(0) as u64, CALENDAR);
            c.real(&child_key(&at, "factor"), shock.factor, SHOCK, "");
        }
    }
}

/// The largest money figure, USD (or USD per unit): far above any real
/// cost, and low enough that sums over centuries stay readable numbers.
const MAX_MONEY: f64 = 1e15;
/// The shortest life of a unit, years: each renewal is a purchase, so a
/// shorter life would make a long run of renewals.
const MIN_LIFE_Y: f64 = 0.1;

/// The unit of the money figure at `path`, from its key.
fn money_unit(path: &str) -> &'static str {
    const SUFFIXES: [(&str, &str); 7] = [
        ("_usd_per_t_nm", "USD per t·nm"),
        ("_usd_per_dry_t", "USD per dry t"),
        ("_usd_per_t_reo", "USD per t REO"),
        ("_usd_per_t", "USD/t"),
        ("usd_per_kg", "USD/kg"),
        (".usd", "USD per unit"),
        ("_usd", "USD"),
    ];
    if path.starts_with("economics.day_rate_usd.") {
        return "USD/day";
    }
    SUFFIXES
        .iter()
        .find(|(suffix, _)| path.ends_with(suffix))
        .map_or("USD", |&(_, unit)| unit)
}

/// How far the element shares may add up from 1: rounding of shares
/// written to a few decimals.
const SHARE_TOLERANCE: f64 = 1e-6;
/// What a price shock may multiply the price by.
const SHOCK: Range = Range::gt_le(0.0, 100.0);

/// A patch must take at least [`MIN_CYCLE_H`] to lift and relocate, on
/// average: a tiny patch with an instant relocation would relocate for ever.
fn check_patch_cycle(c: &mut Checker, s: &Scenario) {
    let mining = &s.mining;
    let rate = mining.lift_rate_t_per_h();
    let Some(patch_t) = mining.patch_t else {
        return;
    };
    let valid = POSITIVE.contains(patch_t)
        && POSITIVE.contains(rate)
        && mining.relocation_h.problems("h").is_empty();
    if !valid {
        return;
    }
    let lift_h = patch_t / rate;
    let relocation_h = mining.relocation_h.mean();
    if lift_h + relocation_h < MIN_CYCLE_H {
        c.fail(
            "mining.patch_t",
            &format!(
                "lifting a patch (patch_t / lift rate = {lift_h:.3e} h) and relocating \
                 (mean relocation_h = {relocation_h:.3e} h) must take ≥ {MIN_CYCLE_H} h \
                 together: make patch_t ≥ {:.0} t or relocation_h longer",
                (MIN_CYCLE_H - relocation_h) * rate
            ),
        );
    }
}

/// The onboard buffer must hold at least [`MIN_CYCLE_H`] of lifting: a
/// smaller one fills and empties (into a shuttle alongside) so often that a
/// replication takes millions of events per simulated day.
fn check_buffer_cycle(c: &mut Checker, s: &Scenario) {
    let mining = &s.mining;
    let rate = mining.lift_rate_t_per_h();
    let capacity_t = mining.buffer_capacity_t;
    if !(POSITIVE.contains(capacity_t) && POSITIVE.contains(rate)) {
        return;
    }
    if capacity_t / rate < MIN_CYCLE_H {
        c.fail(
            "mining.buffer_capacity_t",
            &format!(
                "must hold at least {MIN_CYCLE_H} h of lifting (buffer_capacity_t / lift rate = \
                 {:.3e} h): make it ≥ {} t",
                capacity_t / rate,
                MIN_CYCLE_H * rate
            ),
        );
    }
}

fn check_failure_mode(c: &mut Checker, index: usize, mode: &FailureMode) {
    let path = child_index("mining.failure", index);
    if mode.name.trim().is_empty() {
        c.fail(
            &child_key(&path, "name"),
            "must not be empty: it labels the outputs",
        );
    }
    let tbf_path = child_key(&path, "tbf_h");
    let before = c.findings.len();
    c.dist(&tbf_path, &mode.tbf_h, "h");
    c.dist(&child_key(&path, "repair_h"), &mode.repair_h, "h");
    let (tbf_h, repair_h) = (mode.tbf_h.mean(), mode.repair_h.mean());
    if c.findings.len() == before && tbf_h + repair_h < MIN_CYCLE_H {
        c.fail(
            &tbf_path,
            &format!(
                "the mean time between failures ({tbf_h:.3e} h) and the mean repair_h \
                 ({repair_h:.3e} h) must add up to ≥ {MIN_CYCLE_H} h"
            ),
        );
    }
}

fn check_phases(c: &mut Checker, phases: &[Phase]) {
    let mut previous_start = 1.0;
    for (index, p) in phases.iter().enumerate() {
        let path = child_index("phase", index);
        if p.name.trim().is_empty() {
            c.fail(&child_key(&path, "name"), "must not be empty");
        }
        let start = child_key(&path, "start_year");
        c.real(
            &start,
            p.start_year,
            Range::ge_le(1.0, 201.0),
            "(simulated year, from 1)",
        );
        if index > 0 && p.start_year <= previous_start {
            c.fail(&start, "must be later than the previous phase's start_year");
        }
        previous_start = p.start_year;
        for key in p.set.keys() {
            let fixed = ["scenario", "weather", "learning", "phase", "hub"]
                .iter()
                .find(|section| is_within(key, section));
            if let Some(section) = fixed {
                let message =
                    format!("a phase cannot change `{section}` (it holds for the whole run)");
                c.fail(&child_key(&child_key(&path, "set"), key), &message);
            }
        }
        for (key, value) in &p.set {
            // What the override sets, on its own, to see which whole-run
            // keys of [economics] it reaches (a key, or a table holding it).
            let mut set = toml::Table::new();
            if override_value(&mut set, key, value.clone()).is_err() {
                continue;
            }
            let set = toml::Value::Table(set);
            for whole_run in WHOLE_RUN_ECONOMICS {
                if lookup(&set, whole_run).is_some() {
                    let message = format!(
                        "`{whole_run}` may not be set in a phase (it holds for the whole run; \
                         give it in the file's [economics])"
                    );
                    c.fail(&child_key(&child_key(&path, "set"), key), &message);
                }
            }
        }
    }
}

/// A phase may change the figures of a file's `[economics]`, not bring
/// one: the money is settled for a scenario whose file has it.
fn refuse_phase_economics(c: &mut Checker, phases: &[Phase]) {
    for (index, p) in phases.iter().enumerate() {
        for key in p.set.keys().filter(|key| is_within(key, "economics")) {
            let path = child_key(&child_key(&child_index("phase", index), "set"), key);
            c.fail(
                &path,
                "a phase cannot add [economics]: give the section in the file (a phase may then change its figures)",
            );
        }
    }
}

/// The keys of `[economics]` that hold for the whole run: a phase's value
/// would be read by some sums and not others (the calendar and the rate of
/// the NPV are the file's).
const WHOLE_RUN_ECONOMICS: [&str; 4] = [
    "economics.start_year",
    "economics.usd_base_year",
    "economics.capex_method",
    "economics.discount_rate",
];

/// An interval of allowed values; `None` ends are unbounded.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Range {
    low: Option<Bound>,
    high: Option<Bound>,
}

#[derive(Clone, Copy, Debug)]
struct Bound {
    at: f64,
    inclusive: bool,
}

impl Range {
    const fn new(low: Option<Bound>, high: Option<Bound>) -> Range {
        Range { low, high }
    }
    const fn gt(low: f64) -> Range {
        Range::new(Some(Bound::open(low)), None)
    }
    const fn ge(low: f64) -> Range {
        Range::new(Some(Bound::closed(low)), None)
    }
    const fn gt_le(low: f64, high: f64) -> Range {
        Range::new(Some(Bound::open(low)), Some(Bound::closed(high)))
    }
    const fn gt_lt(low: f64, high: f64) -> Range {
        Range::new(Some(Bound::open(low)), Some(Bound::open(high)))
    }
    const fn ge_le(low: f64, high: f64) -> Range {
        Range::new(Some(Bound::closed(low)), Some(Bound::closed(high)))
    }
    const fn ge_lt(low: f64, high: f64) -> Range {
        Range::new(Some(Bound::closed(low)), Some(Bound::open(high)))
    }

    /// Whether `x` lies in the range; NaN never does.
    fn contains(&self, x: f64) -> bool {
        let above = self
            .low
            .is_none_or(|b| x > b.at || (b.inclusive && x == b.at));
        let below = self
            .high
            .is_none_or(|b| x < b.at || (b.inclusive && x == b.at));
        above && below && !x.is_nan()
    }
}

impl Bound {
    const fn open(at: f64) -> Bound {
        Bound {
            at,
            inclusive: false,
        }
    }
    const fn closed(at: f64) -> Bound {
        Bound {
            at,
            inclusive: true,
        }
    }
}

impl fmt::Display for Range {
    /// `> 0`, `≥ 0`, `in (0, 200]`, ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.low, self.high) {
            (Some(low), Some(high)) => write!(
                f,
                "in {}{}, {}{}",
                if low.inclusive { '[' } else { '(' },
                low.at,
                high.at,
                if high.inclusive { ']' } else { ')' }
            ),
            (Some(low), None) => write!(f, "{} {}", if low.inclusive { '≥' } else { '>' }, low.at),
            (None, Some(high)) => {
                write!(f, "{} {}", if high.inclusive { '≤' } else { '<' }, high.at)
            }
            (None, None) => f.write_str("any number"),
        }
    }
}

/// Collects findings as checks run.
#[derive(Default)]
struct Checker {
    findings: Vec<Finding>,
}

impl Checker {
    fn fail(&mut self, path: &str, message: &str) {
        self.findings.push(Finding {
            path: path.to_string(),
            message: message.to_string(),
        });
    }

    fn real(&mut self, path: &str, x: f64, range: Range, unit: &str) {
        if !range.contains(x) {
            self.fail(path, format!("must be {range} {unit}").trim_end());
        }
    }

    /// A whole number; its range's ends are whole too, so the message reads
    /// "must be in [1, 100]" or "must be ≥ 1".
    fn whole(&mut self, path: &str, n: u64, range: Range) {
        // Exact below 2^53, far above any count a range here allows.
        if !range.contains(n as f64) {
            self.fail(path, &format!("must be {range}"));
        }
    }

    fn rule(&mut self, rule: &Rule, scenario: &Scenario) {
        match rule.check {
            Check::Real(get, range, unit) => {
                if let Some(x) = get(scenario) {
                    self.real(rule.path, x, range, unit);
                }
            }
            Check::Whole(get, range) => {
                if let Some(n) = get(scenario) {
                    self.whole(rule.path, n, range);
                }
            }
            Check::Monthly(get, range, unit) => self.monthly(rule.path, get(scenario), range, unit),
            Check::Dist(get, unit) => {
                if let Some(dist) = get(scenario) {
                    self.dist(rule.path, dist, unit);
                }
            }
        }
    }

    /// Each month's value; a by-month array is checked element by element.
    fn monthly(&mut self, path: &str, monthly: &Monthly, range: Range, unit: &str) {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        match monthly {
            Monthly::Same(x) => self.real(path, *x, range, unit),
            Monthly::ByMonth(months) => {
                for (i, (x, name)) in months.iter().zip(MONTHS).enumerate() {
                    if !range.contains(*x) {
                        let rule = format!("must be {range} {unit}");
                        self.fail(
                            &child_index(path, i),
                            &format!("{} ({name})", rule.trim_end()),
                        );
                    }
                }
            }
        }
    }

    /// A money amount: ≥ 0 and at most [`MAX_MONEY`].
    fn money(&mut self, path: &str, x: f64, unit: &str) {
        if x > MAX_MONEY {
            self.fail(path, &format!("must be ≤ {MAX_MONEY:e} {unit}"));
        } else {
            self.real(path, x, Range::ge(0.0), unit);
        }
    }

    fn dist(&mut self, path: &str, dist: &Dist, unit: &str) {
        for message in dist.problems(unit) {
            self.fail(path, &message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_like_interval_notation() {
        assert_eq!(Range::gt(0.0).to_string(), "> 0");
        assert_eq!(Range::ge(0.0).to_string(), "≥ 0");
        assert_eq!(Range::gt_le(0.0, 200.0).to_string(), "in (0, 200]");
        assert_eq!(Range::ge_lt(0.0, 1.0).to_string(), "in [0, 1)");
        assert_eq!(Range::gt_lt(0.0, 1.0).to_string(), "in (0, 1)");
        assert_eq!(Range::ge_le(1.0, 3.0).to_string(), "in [1, 3]");
    }

    #[test]
    fn ranges_respect_open_and_closed_ends_and_reject_nan() {
        let unit = Range::ge_lt(0.0, 1.0);
        assert!(unit.contains(0.0));
        assert!(unit.contains(0.999));
        assert!(!unit.contains(1.0));
        assert!(!unit.contains(-1e-300));
        assert!(!unit.contains(f64::NAN));
        assert!(Range::gt(0.0).contains(f64::MAX));
        assert!(!Range::gt(0.0).contains(0.0));
    }

    #[test]
    fn messages_carry_range_and_unit() {
        let mut c = Checker::default();
        c.real("fleet.speed_kn", -1.0, Range::gt_le(0.0, 40.0), "kn");
        c.real("port.recovery", 1.5, Range::gt_le(0.0, 1.0), "");
        c.whole("port.berths", 0, Range::ge_le(1.0, 100.0));
        c.whole("mining.max_trips", 0, Range::ge(1.0));
        let messages: Vec<_> = c.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "must be in (0, 40] kn",
                "must be in (0, 1]",
                "must be in [1, 100]",
                "must be ≥ 1"
            ]
        );
    }

    #[test]
    fn monthly_array_problems_name_the_month() {
        let mut c = Checker::default();
        let mut months = [2.0; 12];
        months[2] = -1.0;
        c.monthly(
            "weather.hs_median_m",
            &Monthly::ByMonth(months),
            Range::gt_le(0.0, 30.0),
            "m",
        );
        assert_eq!(
            c.findings,
            [Finding {
                path: "weather.hs_median_m[2]".into(),
                message: "must be in (0, 30] m (March)".into()
            }]
        );
    }
}
