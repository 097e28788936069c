//! Range checks on a typed scenario. Each message states the allowed range
//! and unit ("must be in [0, 1)", "must be > 0 kn").

use std::fmt;

use super::dist::Dist;
use super::overrides::{child_index, child_key, is_within};
use super::schema::{Mining, Monthly, Periodic, Scenario};

/// A value outside its allowed range, by dotted path.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Finding {
    pub path: String,
    pub message: String,
}

/// Every range problem in `scenario`.
pub(crate) fn validate(scenario: &Scenario) -> Vec<Finding> {
    let mut c = Checker::default();
    let Scenario {
        scenario: meta,
        site,
        weather,
        mining,
        fleet,
        port,
        ore,
        hub,
        learning,
        phase,
        resolved_phases: _,
    } = scenario;

    c.real(
        "scenario.years",
        meta.years,
        Range::gt_le(0.0, 200.0),
        "years",
    );
    c.whole("scenario.start_month", meta.start_month, 1, 12);
    c.whole("scenario.replications", meta.replications, 1, 1_000_000);

    c.real(
        "site.water_depth_m",
        site.water_depth_m,
        Range::gt_le(0.0, 11_000.0),
        "m",
    );
    c.real(
        "site.port_distance_nm",
        site.port_distance_nm,
        Range::gt_le(0.0, 20_000.0),
        "nm",
    );

    c.real(
        "weather.step_h",
        weather.step_h,
        Range::gt_le(0.0, 24.0),
        "h",
    );
    c.monthly(
        "weather.hs_median_m",
        &weather.hs_median_m,
        Range::gt_le(0.0, 30.0),
        "m",
    );
    c.monthly(
        "weather.hs_log_sd",
        &weather.hs_log_sd,
        Range::ge_le(0.0, 3.0),
        "",
    );
    c.real(
        "weather.hs_lag1_autocorrelation",
        weather.hs_lag1_autocorrelation,
        Range::ge_lt(0.0, 1.0),
        "",
    );
    c.monthly(
        "weather.typhoon_rate_per_month",
        &weather.typhoon_rate_per_month,
        Range::ge_le(0.0, 30.0),
        "typhoons per month",
    );
    c.real(
        "weather.typhoon_warning_h",
        weather.typhoon_warning_h,
        Range::ge_le(0.0, 720.0),
        "h",
    );
    c.dist(
        "weather.typhoon_duration_h",
        &weather.typhoon_duration_h,
        "h",
    );

    check_mining(&mut c, mining);

    c.whole("fleet.shuttles", fleet.shuttles, 0, 1000);
    c.real("fleet.capacity_t", fleet.capacity_t, Range::gt(0.0), "t");
    c.real(
        "fleet.speed_kn",
        fleet.speed_kn,
        Range::gt_le(0.0, 40.0),
        "kn",
    );
    c.real(
        "fleet.transfer_rate_t_per_h",
        fleet.transfer_rate_t_per_h,
        Range::gt(0.0),
        "t/h",
    );
    c.real(
        "fleet.hs_limit_transfer_m",
        fleet.hs_limit_transfer_m,
        Range::gt(0.0),
        "m",
    );

    c.whole("port.berths", port.berths, 1, 100);
    c.real(
        "port.unload_rate_t_per_h",
        port.unload_rate_t_per_h,
        Range::gt(0.0),
        "t/h",
    );
    c.real(
        "port.plant_capacity_dry_t_per_d",
        port.plant_capacity_dry_t_per_d,
        Range::gt(0.0),
        "dry t/d",
    );
    c.real(
        "port.plant_availability",
        port.plant_availability,
        Range::gt_le(0.0, 1.0),
        "",
    );
    c.real("port.recovery", port.recovery, Range::gt_le(0.0, 1.0), "");
    c.real(
        "port.home_refining_reo_t_per_y",
        port.home_refining_reo_t_per_y,
        Range::ge(0.0),
        "t REO/y",
    );

    c.dist("ore.rey_ppm", &ore.rey_ppm, "ppm");
    c.real("ore.block_t", ore.block_t, Range::gt(0.0), "t");
    c.real(
        "ore.block_autocorrelation",
        ore.block_autocorrelation,
        Range::ge_lt(0.0, 1.0),
        "",
    );
    c.real(
        "ore.dilution_fraction",
        ore.dilution_fraction,
        Range::ge_lt(0.0, 1.0),
        "",
    );
    c.real(
        "ore.dilution_rey_ppm",
        ore.dilution_rey_ppm,
        Range::ge(0.0),
        "ppm",
    );
    c.real(
        "ore.heavy_share",
        ore.heavy_share,
        Range::ge_le(0.0, 1.0),
        "",
    );
    c.real(
        "ore.solids_mass_fraction",
        ore.solids_mass_fraction,
        Range::gt_le(0.0, 1.0),
        "",
    );
    c.real(
        "ore.oxide_factor",
        ore.oxide_factor,
        Range::ge_le(1.0, 2.0),
        "",
    );

    if let Some(hub) = hub {
        let distance = Range::gt_le(0.0, 20_000.0);
        c.real("hub.site_distance_nm", hub.site_distance_nm, distance, "nm");
        c.real("hub.port_distance_nm", hub.port_distance_nm, distance, "nm");
        c.whole("hub.berths", hub.berths, 1, 100);
        c.real(
            "hub.unload_rate_t_per_h",
            hub.unload_rate_t_per_h,
            Range::gt(0.0),
            "t/h",
        );
        c.real(
            "hub.product_solids_fraction",
            hub.product_solids_fraction,
            Range::gt_le(0.0, 1.0),
            "",
        );
        if hub.product_solids_fraction < ore.solids_mass_fraction {
            c.fail(
                "hub.product_solids_fraction",
                "must be ≥ ore.solids_mass_fraction (dewatering only removes water)",
            );
        }
        c.whole("hub.ships", hub.ships, 1, 1000);
        c.real(
            "hub.ship_capacity_t",
            hub.ship_capacity_t,
            Range::gt(0.0),
            "t",
        );
        c.real(
            "hub.ship_speed_kn",
            hub.ship_speed_kn,
            Range::gt_le(0.0, 40.0),
            "kn",
        );
        c.real(
            "hub.load_rate_t_per_h",
            hub.load_rate_t_per_h,
            Range::gt(0.0),
            "t/h",
        );
    }

    c.real(
        "learning.failure_progress_ratio",
        learning.failure_progress_ratio,
        Range::gt_le(0.0, 1.0),
        "",
    );
    c.real(
        "learning.trip_progress_ratio",
        learning.trip_progress_ratio,
        Range::gt_le(0.0, 1.0),
        "",
    );
    c.real(
        "learning.reference_h",
        learning.reference_h,
        Range::gt(0.0),
        "h",
    );

    let mut previous_start = 1.0;
    for (index, p) in phase.iter().enumerate() {
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
    }

    c.findings
}

fn check_mining(c: &mut Checker, mining: &Mining) {
    c.whole("mining.systems", mining.systems, 0, 100);
    c.real(
        "mining.vessel_speed_kn",
        mining.vessel_speed_kn,
        Range::gt_le(0.0, 40.0),
        "kn",
    );
    match (mining.lift_rate_t_per_h, &mining.lift_design) {
        (Some(rate), None) => c.real("mining.lift_rate_t_per_h", rate, Range::gt(0.0), "t/h"),
        (None, Some(design)) => {
            let path = "mining.lift_design";
            c.real(
                &child_key(path, "pipe_bore_m"),
                design.pipe_bore_m,
                Range::gt_le(0.0, 2.0),
                "m",
            );
            c.real(
                &child_key(path, "slurry_velocity_m_per_s"),
                design.slurry_velocity_m_per_s,
                Range::gt_le(0.0, 20.0),
                "m/s",
            );
            c.real(
                &child_key(path, "mud_volume_fraction"),
                design.mud_volume_fraction,
                Range::gt_lt(0.0, 1.0),
                "",
            );
            c.real(
                &child_key(path, "mud_wet_density_t_per_m3"),
                design.mud_wet_density_t_per_m3,
                Range::ge_le(1.0, 3.0),
                "t/m³",
            );
        }
        (Some(_), Some(_)) => c.fail(
            "mining.lift_design",
            "give either lift_rate_t_per_h or lift_design, not both",
        ),
        (None, None) => c.fail(
            "mining.lift_rate_t_per_h",
            "required key is missing (or give a [mining.lift_design] table to derive it)",
        ),
    }
    c.real(
        "mining.buffer_capacity_t",
        mining.buffer_capacity_t,
        Range::gt(0.0),
        "t",
    );
    c.real(
        "mining.trip_in_m_per_h",
        mining.trip_in_m_per_h,
        Range::gt(0.0),
        "m/h",
    );
    c.real(
        "mining.trip_out_m_per_h",
        mining.trip_out_m_per_h,
        Range::gt(0.0),
        "m/h",
    );
    let limits = [
        ("mining.hs_limit_trip_m", mining.hs_limit_trip_m),
        ("mining.hs_limit_lift_m", mining.hs_limit_lift_m),
        ("mining.hs_limit_survival_m", mining.hs_limit_survival_m),
    ];
    let before = c.findings.len();
    for (path, limit) in limits {
        c.real(path, limit, Range::gt(0.0), "m");
    }
    let survival = mining.hs_limit_survival_m;
    let highest_working = mining.hs_limit_trip_m.max(mining.hs_limit_lift_m);
    if c.findings.len() == before && survival < highest_working {
        c.fail(
            "mining.hs_limit_survival_m",
            &format!("must be ≥ hs_limit_trip_m and hs_limit_lift_m ({highest_working} m)"),
        );
    }
    if let Some(patch_t) = mining.patch_t {
        c.real("mining.patch_t", patch_t, Range::gt(0.0), "t");
    }
    c.dist("mining.relocation_h", &mining.relocation_h, "h");
    if let Some(max_trips) = mining.max_trips {
        c.whole("mining.max_trips", max_trips, 1, u32::MAX);
    }
    if let Some(campaign_d) = mining.campaign_d {
        c.real("mining.campaign_d", campaign_d, Range::gt(0.0), "d");
    }
    for (path, periodic) in [
        ("mining.maintenance", &mining.maintenance),
        ("mining.crew_change", &mining.crew_change),
    ] {
        if let Some(Periodic {
            interval_d,
            duration_h,
            ..
        }) = periodic
        {
            c.real(
                &child_key(path, "interval_d"),
                *interval_d,
                Range::gt(0.0),
                "d",
            );
            c.dist(&child_key(path, "duration_h"), duration_h, "h");
        }
    }
    for (i, mode) in mining.failure.iter().enumerate() {
        let path = child_index("mining.failure", i);
        if mode.name.trim().is_empty() {
            c.fail(
                &child_key(&path, "name"),
                "must not be empty: it labels the outputs",
            );
        }
        let tbf_path = child_key(&path, "tbf_h");
        let before = c.findings.len();
        c.dist(&tbf_path, &mode.tbf_h, "h");
        if c.findings.len() == before && mode.tbf_h.mean() <= 0.0 {
            c.fail(&tbf_path, "must have a mean > 0 h");
        }
        c.dist(&child_key(&path, "repair_h"), &mode.repair_h, "h");
    }
}

/// An interval of allowed values; `None` ends are unbounded.
#[derive(Clone, Copy, Debug)]
struct Range {
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

    fn whole(&mut self, path: &str, n: u32, low: u32, high: u32) {
        if !(low..=high).contains(&n) {
            let rule = if high == u32::MAX {
                format!("must be ≥ {low}")
            } else {
                format!("must be in [{low}, {high}]")
            };
            self.fail(path, &rule);
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
        c.whole("port.berths", 0, 1, 100);
        let messages: Vec<_> = c.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "must be in (0, 40] kn",
                "must be in (0, 1]",
                "must be in [1, 100]"
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
