//! The scenario schema: one struct per TOML section, with the defaults that
//! apply when a key is left out. Units live in key names (`_h`, `_t`, `_kn`,
//! ...). Allowed ranges are checked in `validate.rs`.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use toml::Value;

use super::dist::Dist;
use super::economics::{Economics, Refining};
use super::error::type_name;

/// A whole scenario, as read from TOML.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// `[scenario]`: name, horizon, seed, replications.
    #[serde(default)]
    pub scenario: Meta,
    /// `[site]`: where the deposit is.
    pub site: Site,
    /// `[weather]`: waves and typhoons at the site.
    #[serde(default)]
    pub weather: Weather,
    /// `[mining]`: the mining vessels and their lift strings.
    pub mining: Mining,
    /// `[fleet]`: shuttle vessels from site to port.
    #[serde(default)]
    pub fleet: Fleet,
    /// `[port]`: berths and the processing plant.
    #[serde(default)]
    pub port: Port,
    /// `[ore]`: grade of the seabed mud.
    #[serde(default)]
    pub ore: Ore,
    /// `[hub]`: an optional dewatering hub between the site and the port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hub: Option<Hub>,
    /// `[learning]`: learning curves over cumulative operating hours.
    #[serde(default)]
    pub learning: Learning,
    /// `[refining]`: the domestic refining route; the rest is exported.
    #[serde(default)]
    pub refining: Refining,
    /// `[economics]`: costs and prices; without it no money is reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub economics: Option<Economics>,
    /// `[[phase]]`: scale-up phases, each a set of dotted-path overrides
    /// from its start year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phase: Vec<Phase>,
    /// The scenario in force in each phase, resolved and validated by the
    /// loader (empty without phases).
    #[serde(skip)]
    pub resolved_phases: Vec<ResolvedPhase>,
}

impl Scenario {
    /// The resolved scenario as TOML, for `deepmud check` and summary files.
    pub fn to_toml_string(&self) -> String {
        toml::to_string(self)
            .unwrap_or_else(|e| format!("# this scenario cannot be written as TOML: {e}\n"))
    }
}

/// `[scenario]`: what to run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Meta {
    /// Names the output folder and reports.
    pub name: String,
    /// Simulated horizon, years of 8,760 h.
    pub years: f64,
    /// Calendar month at t = 0 (1 = January).
    pub start_month: u32,
    /// Master seed of every random stream.
    pub seed: u64,
    /// Monte Carlo replications.
    pub replications: u32,
}

impl Default for Meta {
    fn default() -> Self {
        Meta {
            name: "scenario".to_string(),
            years: 1.0,
            start_month: 1,
            seed: 1,
            replications: 10,
        }
    }
}

/// `[site]`: the deposit's depth and distance from port.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Water depth at the mining site, m.
    pub water_depth_m: f64,
    /// Site to the unloading port, nautical miles.
    pub port_distance_nm: f64,
}

/// `[weather]`: significant wave height Hs and typhoons.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weather {
    /// Time step of the Hs process, h.
    pub step_h: f64,
    /// Median Hs by calendar month, m.
    pub hs_median_m: Monthly,
    /// Standard deviation of ln Hs by calendar month.
    pub hs_log_sd: Monthly,
    /// Lag-1 autocorrelation of the standardised log-Hs anomaly, per step.
    pub hs_lag1_autocorrelation: f64,
    /// Mean typhoons affecting the site in each calendar month.
    pub typhoon_rate_per_month: Monthly,
    /// Warning lead time before a typhoon reaches the site, h.
    pub typhoon_warning_h: f64,
    /// How long a typhoon stops all work at the site, h.
    pub typhoon_duration_h: Dist,
}

impl Default for Weather {
    fn default() -> Self {
        Weather {
            step_h: 3.0,
            hs_median_m: Monthly::Same(2.0),
            hs_log_sd: Monthly::Same(0.35),
            hs_lag1_autocorrelation: 0.95,
            typhoon_rate_per_month: Monthly::Same(0.0),
            typhoon_warning_h: 72.0,
            typhoon_duration_h: Dist::triangular(24.0, 48.0, 72.0),
        }
    }
}

/// A value per calendar month: one number for all months, or twelve
/// (January to December).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged, try_from = "Value")]
pub enum Monthly {
    /// The same value every month.
    Same(f64),
    /// January to December.
    ByMonth([f64; 12]),
}

impl Monthly {
    /// The value for month `m0` (0 = January; taken modulo 12).
    pub fn month(&self, m0: usize) -> f64 {
        match self {
            Monthly::Same(x) => *x,
            Monthly::ByMonth(months) => months[m0 % 12],
        }
    }
}

impl TryFrom<Value> for Monthly {
    type Error = String;

    fn try_from(value: Value) -> Result<Monthly, String> {
        let number = |v: &Value| match v {
            Value::Integer(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        };
        if let Some(x) = number(&value) {
            return Ok(Monthly::Same(x));
        }
        let Value::Array(items) = value else {
            return Err(format!(
                "expected a number or an array of 12 numbers (January to December), found {}",
                type_name(&value)
            ));
        };
        let mut months = [0.0; 12];
        if items.len() != months.len() {
            return Err(format!(
                "expected 12 monthly values (January to December), found {}",
                items.len()
            ));
        }
        for (i, (slot, item)) in months.iter_mut().zip(&items).enumerate() {
            *slot = number(item).ok_or_else(|| {
                format!("element {i} must be a number, found {}", type_name(item))
            })?;
        }
        Ok(Monthly::ByMonth(months))
    }
}

/// `[mining]`: the mining systems (a vessel with its lift string each).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mining {
    /// Mining vessels, each with its own lift string.
    #[serde(default = "defaults::systems")]
    pub systems: u32,
    /// Transit speed, kn.
    #[serde(default = "defaults::vessel_speed_kn")]
    pub vessel_speed_kn: f64,
    /// Lift rate while lifting, wet t/h; or give `lift_design`.
    pub lift_rate_t_per_h: Option<f64>,
    /// The lift string's hydraulics, from which the lift rate is derived.
    pub lift_design: Option<LiftDesign>,
    /// Onboard wet-mud buffer, t; lifting stops when it is full.
    pub buffer_capacity_t: f64,
    /// Speed of running the string in, m/h.
    pub trip_in_m_per_h: f64,
    /// Speed of pulling the string out, m/h.
    pub trip_out_m_per_h: f64,
    /// Hs limit for tripping the string, m.
    #[serde(default = "defaults::hs_limit_trip_m")]
    pub hs_limit_trip_m: f64,
    /// Hs limit for lifting (connected); above it the system stands by, m.
    #[serde(default = "defaults::hs_limit_lift_m")]
    pub hs_limit_lift_m: f64,
    /// Hs above which a connected string is retrieved, m.
    #[serde(default = "defaults::hs_limit_survival_m")]
    pub hs_limit_survival_m: f64,
    /// What a string being tripped in does in survival seas: `"retrieve"`
    /// (pull it all up and restart; the default) or `"hang_off"` (pause
    /// with the string partly run and resume when the sea allows).
    #[serde(default)]
    pub survival_practice: SurvivalPractice,
    /// Safety margin between the end of a typhoon retrieval and the
    /// typhoon's arrival (the end of the warning lead time), h; default 12.
    #[serde(default = "defaults::typhoon_margin_h")]
    pub typhoon_margin_h: f64,
    /// Extra repair after a typhoon retrieval that could not finish before
    /// the arrival, booked as typhoon, h; default 0.
    #[serde(default = "defaults::typhoon_unfinished_repair_h")]
    pub typhoon_unfinished_repair_h: Dist,
    /// Wet t lifted at one seabed patch before the tool is relocated.
    pub patch_t: Option<f64>,
    /// Time to relocate the seabed tool, h.
    #[serde(default = "defaults::relocation_h")]
    pub relocation_h: Dist,
    /// Port-to-port trips per vessel, after which it stays in port.
    pub max_trips: Option<u32>,
    /// Longest stay on site per trip before returning to port, days.
    pub campaign_d: Option<f64>,
    /// Planned maintenance.
    pub maintenance: Option<Periodic>,
    /// Crew change.
    pub crew_change: Option<Periodic>,
    /// Failure modes, `[[mining.failure]]`.
    #[serde(default)]
    pub failure: FailureModes,
}

impl Mining {
    /// The lift rate, wet t/h: given, or derived from `lift_design`
    /// (0 when neither is given, which validation rejects).
    pub fn lift_rate_t_per_h(&self) -> f64 {
        match (self.lift_rate_t_per_h, &self.lift_design) {
            (Some(rate), _) => rate,
            (None, Some(design)) => design.lift_rate_t_per_h(),
            (None, None) => 0.0,
        }
    }
}

/// `[mining.lift_design]`: the lift string's hydraulics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiftDesign {
    /// Inner diameter of the lift pipe, m.
    pub pipe_bore_m: f64,
    /// Mean slurry velocity in the pipe, m/s.
    pub slurry_velocity_m_per_s: f64,
    /// Volume share of in-situ wet mud in the slurry.
    pub mud_volume_fraction: f64,
    /// Density of in-situ wet mud, t/m³.
    #[serde(default = "defaults::mud_wet_density_t_per_m3")]
    pub mud_wet_density_t_per_m3: f64,
}

impl LiftDesign {
    /// Wet mud lifted per hour: π/4 · bore² · velocity · 3600 · fraction · density.
    pub fn lift_rate_t_per_h(&self) -> f64 {
        let area_m2 = std::f64::consts::FRAC_PI_4 * self.pipe_bore_m.powi(2);
        area_m2
            * self.slurry_velocity_m_per_s
            * 3600.0
            * self.mud_volume_fraction
            * self.mud_wet_density_t_per_m3
    }
}

/// What a string being tripped in does when Hs reaches the survival limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SurvivalPractice {
    /// Pull the string up and start the deployment again from the surface.
    #[default]
    Retrieve,
    /// Hang the string off at its depth and carry on when the sea allows.
    HangOff,
}

impl SurvivalPractice {
    /// Every practice with its name in scenarios.
    const NAMES: [(&'static str, SurvivalPractice); 2] = [
        ("retrieve", SurvivalPractice::Retrieve),
        ("hang_off", SurvivalPractice::HangOff),
    ];
}

/// Read from its name in quotes. The scenario loader's placeholder for a
/// value already reported bad (a zero, see `de.rs`) reads as the default,
/// so that checking goes on; TOML integers are never that placeholder.
impl<'de> Deserialize<'de> for SurvivalPractice {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = SurvivalPractice;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"retrieve\" or \"hang_off\"")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Self::Value, E> {
                SurvivalPractice::NAMES
                    .iter()
                    .find(|(known, _)| *known == name)
                    .map(|&(_, practice)| practice)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(name), &self))
            }
            fn visit_u64<E: serde::de::Error>(self, _placeholder: u64) -> Result<Self::Value, E> {
                Ok(SurvivalPractice::default())
            }
        }
        deserializer.deserialize_any(Name)
    }
}

/// Periodic planned work: maintenance or crew change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Periodic {
    /// Days between starts.
    pub interval_d: f64,
    /// How long it lasts, h.
    pub duration_h: Dist,
    /// Done in port (trip out, sail, work, return) rather than on site.
    #[serde(default)]
    pub at_port: bool,
}

/// One failure mode of a mining system, `[[mining.failure]]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureMode {
    /// Label in outputs.
    pub name: String,
    /// Operating hours between failures.
    pub tbf_h: Dist,
    /// Repair time, h.
    pub repair_h: Dist,
    /// The repair needs the lift string tripped out and back in.
    #[serde(default)]
    pub retrieve_string: bool,
}

/// The failure modes of a mining system: a list, shared by the scenarios
/// of the phases that leave it as it was, so that resolving many phases
/// of a scenario with many failure modes copies none of them.
#[derive(Clone, Debug, Default)]
pub struct FailureModes(Arc<Vec<FailureMode>>);

impl FailureModes {
    /// The list to change, copied first if another scenario shares it.
    pub(crate) fn make_mut(&mut self) -> &mut Vec<FailureMode> {
        Arc::make_mut(&mut self.0)
    }
}

impl Deref for FailureModes {
    type Target = [FailureMode];

    fn deref(&self) -> &[FailureMode] {
        &self.0
    }
}

impl From<Vec<FailureMode>> for FailureModes {
    fn from(modes: Vec<FailureMode>) -> Self {
        FailureModes(Arc::new(modes))
    }
}

impl PartialEq for FailureModes {
    /// Equal contents; a shared list is equal without looking.
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl<'a> IntoIterator for &'a FailureModes {
    type Item = &'a FailureMode;
    type IntoIter = std::slice::Iter<'a, FailureMode>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Serialize for FailureModes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for FailureModes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::deserialize(deserializer).map(FailureModes::from)
    }
}

/// `[fleet]`: shuttle vessels carrying mud from site to port.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fleet {
    /// Number of shuttles (0: each mining vessel carries its own mud).
    pub shuttles: u32,
    /// Hold capacity, wet t.
    pub capacity_t: f64,
    /// Transit speed, kn.
    pub speed_kn: f64,
    /// Ship-to-ship loading rate, wet t/h.
    pub transfer_rate_t_per_h: f64,
    /// Hs limit for ship-to-ship transfer, m: a transfer moves only below it.
    pub hs_limit_transfer_m: f64,
    /// Longest wait alongside a mining vessel, h, from coming alongside:
    /// then the shuttle takes what the buffer holds and sails with a part
    /// load. Default: none (it waits for a full load).
    pub max_wait_h: Option<f64>,
}

impl Default for Fleet {
    fn default() -> Self {
        Fleet {
            shuttles: 0,
            capacity_t: 20_000.0,
            speed_kn: 12.0,
            transfer_rate_t_per_h: 1000.0,
            hs_limit_transfer_m: 2.0,
            max_wait_h: None,
        }
    }
}

/// `[port]`: unloading and processing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Port {
    /// Berths for unloading.
    pub berths: u32,
    /// Unloading rate per berth, wet t/h.
    pub unload_rate_t_per_h: f64,
    /// Processing plant capacity, dry t/day.
    pub plant_capacity_dry_t_per_d: f64,
    /// Fraction of time the plant is up.
    pub plant_availability: f64,
    /// Fraction of contained rare-earth oxide recovered.
    pub recovery: f64,
}

impl Default for Port {
    fn default() -> Self {
        Port {
            berths: 1,
            unload_rate_t_per_h: 1500.0,
            plant_capacity_dry_t_per_d: 5000.0,
            plant_availability: 0.9,
            recovery: 0.8,
        }
    }
}

/// `[ore]`: grade of the mud and conversions to dry mud and oxide.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Ore {
    /// Total REY of a seabed block, ppm, dry basis (default lognormal,
    /// median 1,000, p90 3,000, truncated at the 8,000 ppm measured maximum).
    pub rey_ppm: Dist,
    /// Wet t per seabed block.
    pub block_t: f64,
    /// Grade correlation from one block to the next.
    pub block_autocorrelation: f64,
    /// Share of low-grade cover mud mixed in.
    pub dilution_fraction: f64,
    /// Grade of the cover mud, ppm.
    pub dilution_rey_ppm: f64,
    /// Share of heavy REE (with Y) in REY.
    pub heavy_share: f64,
    /// Dry t per wet t.
    pub solids_mass_fraction: f64,
    /// REO mass per REY element mass.
    pub oxide_factor: f64,
}

impl Default for Ore {
    fn default() -> Self {
        Ore {
            rey_ppm: Dist::lognormal_median_p90(1000.0, 3000.0).truncated(None, Some(8000.0)),
            block_t: 10_000.0,
            block_autocorrelation: 0.7,
            dilution_fraction: 0.1,
            dilution_rey_ppm: 300.0,
            heavy_share: 0.44,
            solids_mass_fraction: 0.4,
            oxide_factor: 1.2,
        }
    }
}

/// `[hub]`: a dewatering hub between the site and the mainland port (the
/// 2027 plan dewaters mud on Minamitorishima before shipping it on). Mining
/// vessels and shuttles unload here instead of at the port; hub ships carry
/// the dewatered product on to the port.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hub {
    /// Site to the hub, nm.
    pub site_distance_nm: f64,
    /// Hub to the mainland port, nm.
    pub port_distance_nm: f64,
    /// Berths where arriving vessels unload.
    #[serde(default = "defaults::berths")]
    pub berths: u32,
    /// Unloading rate at a hub berth, wet t/h.
    #[serde(default = "defaults::hub_unload_rate_t_per_h")]
    pub unload_rate_t_per_h: f64,
    /// Dry t per wet t of the dewatered product.
    #[serde(default = "defaults::product_solids_fraction")]
    pub product_solids_fraction: f64,
    /// Ships carrying the product from the hub to the port.
    #[serde(default = "defaults::hub_ships")]
    pub ships: u32,
    /// Hold of a hub ship, wet t of product; a ship sails when full.
    #[serde(default = "defaults::hub_ship_capacity_t")]
    pub ship_capacity_t: f64,
    /// Longest wait of a hub ship at the hub for a full hold, h, from its
    /// arrival: then it loads what the stockpile holds and sails. Default:
    /// none (it sails only when full).
    #[serde(default)]
    pub max_wait_h: Option<f64>,
    /// Speed of a hub ship, kn.
    #[serde(default = "defaults::hub_ship_speed_kn")]
    pub ship_speed_kn: f64,
    /// Loading rate at the hub (one ship at a time), wet t/h.
    #[serde(default = "defaults::hub_load_rate_t_per_h")]
    pub load_rate_t_per_h: f64,
}

/// `[learning]`: Wright's-law learning curves. With cumulative fleet
/// operating (lifting) hours H and a progress ratio p per doubling, a
/// quantity scales by (max(H, reference_h) / reference_h)^log2(p).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Learning {
    /// Factor on failure rates per doubling of operating hours (1 = none).
    pub failure_progress_ratio: f64,
    /// Factor on the time to trip a metre of pipe per doubling (1 = none).
    pub trip_progress_ratio: f64,
    /// Operating hours at which the curves start, h.
    pub reference_h: f64,
}

impl Default for Learning {
    fn default() -> Self {
        Learning {
            failure_progress_ratio: 1.0,
            trip_progress_ratio: 1.0,
            reference_h: 1_000.0,
        }
    }
}

impl Learning {
    /// The learning multiplier for `progress_ratio` after `operating_h`
    /// cumulative operating hours.
    pub fn multiplier(&self, progress_ratio: f64, operating_h: f64) -> f64 {
        (operating_h.max(self.reference_h) / self.reference_h).powf(progress_ratio.log2())
    }
}

/// `[[phase]]`: from `start_year`, the scenario with `set` applied (on top
/// of the earlier phases), exactly like `--set`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Shown on charts and in reports.
    pub name: String,
    /// Simulated year (from 1) at whose start the phase begins; fractional
    /// years are allowed.
    pub start_year: f64,
    /// Dotted-path overrides, e.g. `"mining.systems" = 3`.
    #[serde(default)]
    pub set: toml::Table,
}

/// A phase with the scenario in force from its start.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedPhase {
    pub name: String,
    pub start_year: f64,
    pub scenario: Scenario,
}

/// Defaults of the keys that may be left out of sections that also have
/// required keys.
mod defaults {
    use super::Dist;

    pub fn systems() -> u32 {
        1
    }
    pub fn vessel_speed_kn() -> f64 {
        10.0
    }
    pub fn hs_limit_trip_m() -> f64 {
        2.5
    }
    pub fn hs_limit_lift_m() -> f64 {
        4.0
    }
    pub fn hs_limit_survival_m() -> f64 {
        6.0
    }
    pub fn typhoon_margin_h() -> f64 {
        12.0
    }
    pub fn typhoon_unfinished_repair_h() -> Dist {
        Dist::fixed(0.0)
    }
    pub fn relocation_h() -> Dist {
        Dist::fixed(12.0)
    }
    pub fn mud_wet_density_t_per_m3() -> f64 {
        1.35
    }
    pub fn berths() -> u32 {
        1
    }
    pub fn hub_unload_rate_t_per_h() -> f64 {
        1500.0
    }
    pub fn product_solids_fraction() -> f64 {
        0.7
    }
    pub fn hub_ships() -> u32 {
        1
    }
    pub fn hub_ship_capacity_t() -> f64 {
        10_000.0
    }
    pub fn hub_ship_speed_kn() -> f64 {
        12.0
    }
    pub fn hub_load_rate_t_per_h() -> f64 {
        1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lift_rate_is_derived_from_the_lift_design() {
        let design = LiftDesign {
            pipe_bore_m: 0.3,
            slurry_velocity_m_per_s: 4.0,
            mud_volume_fraction: 0.2,
            mud_wet_density_t_per_m3: 1.35,
        };
        // π/4 · 0.3² · 4 · 3600 · 0.2 · 1.35 ≈ 274.8 t/h.
        let expected = std::f64::consts::PI / 4.0 * 0.09 * 4.0 * 3600.0 * 0.2 * 1.35;
        assert!((design.lift_rate_t_per_h() - expected).abs() < 1e-9);
    }

    #[test]
    fn monthly_accepts_one_number_or_twelve() {
        assert_eq!(Monthly::try_from(Value::Integer(2)), Ok(Monthly::Same(2.0)));
        let twelve = Value::Array((1..=12).map(Value::Integer).collect());
        let monthly = Monthly::try_from(twelve).unwrap();
        assert_eq!(monthly.month(0), 1.0);
        assert_eq!(monthly.month(11), 12.0);
        assert_eq!(monthly.month(12), 1.0);
    }

    #[test]
    fn monthly_array_of_another_length_names_the_length() {
        let eleven = Value::Array((1..=11).map(Value::Integer).collect());
        let error = Monthly::try_from(eleven).unwrap_err();
        assert!(error.contains("found 11"), "{error}");
        let error = Monthly::try_from(Value::Boolean(true)).unwrap_err();
        assert!(error.contains("found a boolean"), "{error}");
    }
}
