//! The `[economics]` and `[refining]` sections: money figures (a number, a
//! distribution or a yearly path), day rates and fuel by vessel type and
//! state group, capital costs, refining costs, oxide prices and their
//! stochastic factor, and the domestic refining route. docs/MODEL.md §12
//! has the equations that use them.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use toml::Value;

use super::dist::Dist;
use super::error::type_name;

/// The earliest and latest calendar year a scenario may name.
pub const YEARS: std::ops::RangeInclusive<i64> = 1900..=2300;

/// A money or price figure: a number, a distribution drawn once per
/// replication, or a path of values by calendar year.
#[derive(Clone, Debug, PartialEq)]
pub enum Figure {
    /// A number (a `fixed` distribution) or a distribution table.
    Dist(Dist),
    /// Values at calendar years, ascending: linear between them, flat
    /// before the first and after the last.
    Path(Vec<(i64, f64)>),
}

impl Default for Figure {
    fn default() -> Self {
        Figure::Dist(Dist::fixed(0.0))
    }
}

impl Figure {
    /// A figure that is always `value`.
    pub fn fixed(value: f64) -> Figure {
        Figure::Dist(Dist::fixed(value))
    }

    /// The figure in calendar year `year`, with `u` in (0, 1) the
    /// replication's uniform for a distribution.
    pub fn value(&self, year: i64, u: f64) -> f64 {
        match self {
            Figure::Dist(dist) => dist.quantile(u),
            Figure::Path(points) => interpolate(points, year),
        }
    }
}

/// The value of a yearly path in `year`: linear between the given years,
/// the first value before them and the last after them.
fn interpolate(points: &[(i64, f64)], year: i64) -> f64 {
    let Some(&(first_year, first)) = points.first() else {
        return 0.0;
    };
    if year <= first_year {
        return first;
    }
    for pair in points.windows(2) {
        let ((y0, v0), (y1, v1)) = (pair[0], pair[1]);
        if year <= y1 {
            return v0 + (v1 - v0) * (year - y0) as f64 / (y1 - y0) as f64;
        }
    }
    points.last().map_or(first, |&(_, last)| last)
}

impl TryFrom<Value> for Figure {
    type Error = String;

    fn try_from(value: Value) -> Result<Figure, String> {
        let table = match value {
            Value::Table(table) if !table.contains_key("dist") => table,
            Value::Integer(_) | Value::Float(_) | Value::Table(_) => {
                return Dist::try_from(value).map(Figure::Dist);
            }
            other => {
                return Err(format!(
                    "expected a number, a distribution table like {{ dist = \"triangular\", \
                     min = 1, mode = 2, max = 3 }} or a yearly path like {{ 2030 = 90, 2040 = 110 }}, \
                     found {}",
                    type_name(&other)
                ));
            }
        };
        if table.is_empty() {
            return Err(
                "a yearly path needs at least one `year = value`, e.g. { 2030 = 90 }".into(),
            );
        }
        let mut points = Vec::with_capacity(table.len());
        for (key, item) in &table {
            let year: i64 = key
                .parse()
                .ok()
                .filter(|y| YEARS.contains(y))
                .ok_or_else(|| {
                    format!(
                        "`{key}` is not a calendar year in [{}, {}]: a table without `dist` is a \
                     yearly path like {{ 2030 = 90, 2040 = 110 }}",
                        YEARS.start(),
                        YEARS.end()
                    )
                })?;
            let number = match item {
                Value::Integer(i) => *i as f64,
                Value::Float(f) => *f,
                other => {
                    return Err(format!(
                        "the value of year {key} must be a number, found {}",
                        type_name(other)
                    ));
                }
            };
            points.push((year, number));
        }
        points.sort_by_key(|&(year, _)| year);
        if let Some(pair) = points.windows(2).find(|pair| pair[0].0 == pair[1].0) {
            return Err(format!("year {} is given twice", pair[0].0));
        }
        Ok(Figure::Path(points))
    }
}

impl<'de> Deserialize<'de> for Figure {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Figure::try_from(value).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Figure {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Figure::Dist(dist) => dist.serialize(serializer),
            Figure::Path(points) => {
                let table: BTreeMap<String, f64> = points
                    .iter()
                    .map(|&(year, value)| (year.to_string(), value))
                    .collect();
                table.serialize(serializer)
            }
        }
    }
}

/// `[economics]`: costs, prices and the money side of the operation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Economics {
    /// Calendar year of simulated year 1.
    pub start_year: i64,
    /// The year whose US dollars every figure is in (real terms).
    pub usd_base_year: i64,
    /// Real discount rate per year.
    pub discount_rate: f64,
    /// How capital cost enters each year's cost and the cost per kg.
    pub capex_method: CapexMethod,
    /// A lump sum booked as a cost in year 1, USD (a programme's spend).
    pub programme_cost_usd: Figure,
    /// Marine fuel price, USD/t.
    pub fuel_usd_per_t: Figure,
    /// Port plant cost per dry t processed, USD.
    pub processing_usd_per_dry_t: Figure,
    /// Freight per wet t delivered per nm of route, USD, where the day
    /// rates do not carry it.
    pub transport_usd_per_t_nm: Figure,
    /// USD per vessel-day, by vessel type and state group.
    pub day_rate_usd: ByVessel<ByState<Figure>>,
    /// Fuel burnt per vessel-day, t, by vessel type and state group.
    pub fuel_t_per_d: ByVessel<ByState<f64>>,
    /// Capital cost per unit.
    pub capex: CapexTable,
    /// Refining costs at home and abroad.
    pub refining: RefiningCosts,
    /// Oxide prices.
    pub price: Price,
}

impl Default for Economics {
    fn default() -> Self {
        Economics {
            start_year: 2028,
            usd_base_year: 2025,
            discount_rate: 0.08,
            capex_method: CapexMethod::Annuity,
            programme_cost_usd: Figure::default(),
            fuel_usd_per_t: Figure::default(),
            processing_usd_per_dry_t: Figure::default(),
            transport_usd_per_t_nm: Figure::default(),
            day_rate_usd: ByVessel::default(),
            fuel_t_per_d: ByVessel::default(),
            capex: CapexTable::default(),
            refining: RefiningCosts::default(),
            price: Price::default(),
        }
    }
}

impl Economics {
    /// Every figure with its dotted path, in schema order: the paths key
    /// the replication's draws and the checks' messages.
    pub fn figures(&self) -> Vec<(String, &Figure)> {
        let mut all = vec![
            (
                "economics.programme_cost_usd".to_string(),
                &self.programme_cost_usd,
            ),
            ("economics.fuel_usd_per_t".to_string(), &self.fuel_usd_per_t),
            (
                "economics.processing_usd_per_dry_t".to_string(),
                &self.processing_usd_per_dry_t,
            ),
            (
                "economics.transport_usd_per_t_nm".to_string(),
                &self.transport_usd_per_t_nm,
            ),
        ];
        for (vessel, rates) in self.day_rate_usd.each() {
            for (group, figure) in rates.each() {
                all.push((format!("economics.day_rate_usd.{vessel}.{group}"), figure));
            }
        }
        for (asset, capex) in self.capex.each() {
            all.push((format!("economics.capex.{asset}.usd"), &capex.usd));
        }
        let refining = &self.refining;
        all.extend([
            (
                "economics.refining.home_usd_per_t_reo".to_string(),
                &refining.home_usd_per_t_reo,
            ),
            (
                "economics.refining.abroad_usd_per_t_reo".to_string(),
                &refining.abroad_usd_per_t_reo,
            ),
            (
                "economics.refining.export_freight_usd_per_t_reo".to_string(),
                &refining.export_freight_usd_per_t_reo,
            ),
        ]);
        let price = &self.price;
        if let Some(light) = &price.light_usd_per_kg {
            all.push(("economics.price.light_usd_per_kg".to_string(), light));
        }
        if let Some(heavy) = &price.heavy_usd_per_kg {
            all.push(("economics.price.heavy_usd_per_kg".to_string(), heavy));
        }
        for (name, element) in price.elements.iter().flatten() {
            let path = format!("economics.price.elements.{name}.usd_per_kg");
            all.push((path, &element.usd_per_kg));
        }
        all
    }
}

/// How capital cost enters the yearly cost and the cost per kg (the cash
/// flow always carries it as cash).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CapexMethod {
    /// Each unit-year in service costs the equivalent annual cost of the
    /// unit's price, life, salvage value and the discount rate.
    #[default]
    Annuity,
    /// The price in the year a unit is bought, less what it fetches when
    /// it leaves service, and less its book value at the horizon for a
    /// unit still in service then.
    Cash,
}

/// Read from its name in quotes; the loader's placeholder for a value
/// already reported bad (a zero, see `de.rs`) reads as the default.
impl<'de> Deserialize<'de> for CapexMethod {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = CapexMethod;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"annuity\" or \"cash\"")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Self::Value, E> {
                match name {
                    "annuity" => Ok(CapexMethod::Annuity),
                    "cash" => Ok(CapexMethod::Cash),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Str(name), &self)),
                }
            }
            fn visit_u64<E: serde::de::Error>(self, _placeholder: u64) -> Result<Self::Value, E> {
                Ok(CapexMethod::default())
            }
        }
        deserializer.deserialize_any(Name)
    }
}

/// One value per vessel type.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ByVessel<T> {
    pub mining_system: T,
    pub shuttle: T,
    pub hub_ship: T,
}

impl<T> ByVessel<T> {
    /// Each vessel type's name and value.
    pub fn each(&self) -> [(&'static str, &T); 3] {
        [
            ("mining_system", &self.mining_system),
            ("shuttle", &self.shuttle),
            ("hub_ship", &self.hub_ship),
        ]
    }
}

/// One value per state group (docs/MODEL.md §12 maps states to groups).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ByState<T> {
    pub operating: T,
    pub standby: T,
    pub transit: T,
    pub in_port: T,
}

/// The state groups costs are given for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateGroup {
    Operating,
    Standby,
    Transit,
    InPort,
}

impl StateGroup {
    /// Every group, in the order of [`ByState::each`].
    pub const ALL: [StateGroup; 4] = [
        StateGroup::Operating,
        StateGroup::Standby,
        StateGroup::Transit,
        StateGroup::InPort,
    ];

    /// The group's key in scenarios.
    pub fn name(self) -> &'static str {
        match self {
            StateGroup::Operating => "operating",
            StateGroup::Standby => "standby",
            StateGroup::Transit => "transit",
            StateGroup::InPort => "in_port",
        }
    }
}

impl<T> ByState<T> {
    /// Each group's name and value.
    pub fn each(&self) -> [(&'static str, &T); 4] {
        StateGroup::ALL.map(|group| (group.name(), self.get(group)))
    }

    /// The value of `group`.
    pub fn get(&self, group: StateGroup) -> &T {
        match group {
            StateGroup::Operating => &self.operating,
            StateGroup::Standby => &self.standby,
            StateGroup::Transit => &self.transit,
            StateGroup::InPort => &self.in_port,
        }
    }
}

/// The capital cost of one unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Capex {
    /// Price of a unit bought in a calendar year, USD.
    pub usd: Figure,
    /// Years in service before it is renewed.
    pub life_y: f64,
    /// What a unit fetches at the end of its life, USD.
    pub salvage_usd: f64,
}

impl Default for Capex {
    fn default() -> Self {
        Capex {
            usd: Figure::default(),
            life_y: 25.0,
            salvage_usd: 0.0,
        }
    }
}

/// `[economics.capex]`: capital cost per unit of each asset.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CapexTable {
    pub mining_system: Capex,
    pub shuttle: Capex,
    pub hub_ship: Capex,
    /// The dewatering hub, when the scenario has one.
    pub hub: Capex,
    /// Per dry t/day of processing plant capacity.
    pub plant_per_dry_t_per_d: Capex,
}

impl CapexTable {
    /// Each asset's name and capital cost.
    pub fn each(&self) -> [(&'static str, &Capex); 5] {
        [
            ("mining_system", &self.mining_system),
            ("shuttle", &self.shuttle),
            ("hub_ship", &self.hub_ship),
            ("hub", &self.hub),
            ("plant_per_dry_t_per_d", &self.plant_per_dry_t_per_d),
        ]
    }
}

/// `[economics.refining]`: the cost of each refining route per t REO.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RefiningCosts {
    /// Domestic separation and refining, USD/t REO.
    pub home_usd_per_t_reo: Figure,
    /// Toll refining abroad, USD/t REO.
    pub abroad_usd_per_t_reo: Figure,
    /// Freight to the refinery abroad, USD/t REO.
    pub export_freight_usd_per_t_reo: Figure,
}

/// `[economics.price]`: oxide prices, USD/kg, by group or by element.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Price {
    /// Light REO, USD/kg.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub light_usd_per_kg: Option<Figure>,
    /// Heavy REO (with Y), USD/kg.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heavy_usd_per_kg: Option<Figure>,
    /// By element symbol: the basket's mass share and the oxide's price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elements: Option<BTreeMap<String, Element>>,
    /// A random factor on every price, year by year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stochastic: Option<Stochastic>,
}

/// Every element symbol a basket may name: the lanthanides, Sc and Y.
pub const ELEMENTS: [&str; 17] = [
    "Sc", "Y", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb",
    "Lu",
];

/// One element of the oxide basket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Element {
    /// Mass share of the element's oxide in the basket.
    pub share: f64,
    /// Price of the oxide, USD/kg.
    pub usd_per_kg: Figure,
}

/// `[economics.price.stochastic]`: a mean-reverting log factor on every
/// price, with optional shocks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Stochastic {
    /// Standard deviation of the yearly innovation of the log factor.
    pub volatility: f64,
    /// Mean-reversion speed κ per year (the factor keeps e^−κ of its
    /// deviation from one year to the next).
    pub reversion_per_y: f64,
    /// Chance of a random shock in any year.
    pub shock_probability_per_y: f64,
    /// What a random shock multiplies the price by in its year.
    pub shock_factor: f64,
    /// Shocks in given calendar years.
    pub shocks: Vec<Shock>,
}

impl Default for Stochastic {
    fn default() -> Self {
        Stochastic {
            volatility: 0.0,
            reversion_per_y: 0.0,
            shock_probability_per_y: 0.0,
            shock_factor: 1.0,
            shocks: Vec::new(),
        }
    }
}

/// A price shock in a given year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shock {
    /// Calendar year.
    pub year: i64,
    /// What it multiplies the price by in that year.
    pub factor: f64,
}

/// `[refining]`: the domestic refining route.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Refining {
    /// Domestic refining capacity, t REO/year; the rest is exported.
    pub home_capacity_reo_t_per_y: f64,
    /// Purity home refining reaches.
    pub home_purity: Purity,
    /// Share of the basket (REO mass) that needs `high_purity`.
    pub high_purity_share: f64,
    /// The purity that share needs: above `home_purity`, it is exported
    /// whatever the capacity.
    pub high_purity: Purity,
}

impl Default for Refining {
    fn default() -> Self {
        Refining {
            home_capacity_reo_t_per_y: 0.0,
            home_purity: Purity(4.0),
            high_purity_share: 0.0,
            high_purity: Purity(5.0),
        }
    }
}

impl Refining {
    /// The share of each day's oxide exported for its purity.
    pub fn purity_export_share(&self) -> f64 {
        if self.high_purity.0 > self.home_purity.0 {
            self.high_purity_share
        } else {
            0.0
        }
    }
}

/// A purity grade as its count of nines: "4N" = 99.99 % is 4, "4N5" =
/// 99.995 % is 4.5. Written as "4N", "4N5" or the count itself.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Purity(pub f64);

impl fmt::Display for Purity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0.trunc();
        if self.0 == whole {
            write!(f, "{whole}N")
        } else {
            write!(f, "{whole}N{}", ((self.0 - whole) * 10.0).round())
        }
    }
}

impl Purity {
    /// Parses "4N", "4N5" (case-insensitive).
    fn parse(text: &str) -> Option<Purity> {
        let upper = text.trim().to_ascii_uppercase();
        let (nines, rest) = upper.split_once('N')?;
        let nines: u8 = nines.parse().ok()?;
        let fraction = match rest {
            "" => 0.0,
            "5" => 0.5,
            _ => return None,
        };
        Some(Purity(f64::from(nines) + fraction))
    }
}

impl Serialize for Purity {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Purity {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(text) => Purity::parse(&text).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "`{text}` is not a purity grade: write the nines, like \"4N\" (99.99 %) or \"4N5\" (99.995 %)"
                ))
            }),
            Value::Integer(nines) => Ok(Purity(nines as f64)),
            Value::Float(nines) => Ok(Purity(nines)),
            other => Err(serde::de::Error::custom(format!(
                "expected a purity grade like \"4N\", found {}",
                type_name(&other)
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_interpolates_between_years_and_is_flat_outside() {
        let path = Figure::Path(vec![(2030, 90.0), (2040, 110.0)]);
        assert_eq!(path.value(2025, 0.5), 90.0);
        assert_eq!(path.value(2030, 0.5), 90.0);
        assert_eq!(path.value(2035, 0.5), 100.0);
        assert_eq!(path.value(2031, 0.5), 92.0);
        assert_eq!(path.value(2040, 0.5), 110.0);
        assert_eq!(path.value(2060, 0.5), 110.0);
    }

    #[test]
    fn a_table_without_dist_is_a_path_and_one_with_it_a_distribution() {
        let path: Value =
            toml::from_str::<toml::Table>("f = { 2040 = 110, 2030 = 90 }").unwrap()["f"].clone();
        assert_eq!(
            Figure::try_from(path),
            Ok(Figure::Path(vec![(2030, 90.0), (2040, 110.0)]))
        );
        let dist: Value =
            toml::from_str::<toml::Table>("f = { dist = \"uniform\", min = 1, max = 2 }").unwrap()
                ["f"]
                .clone();
        assert!(matches!(Figure::try_from(dist), Ok(Figure::Dist(_))));
        assert_eq!(Figure::try_from(Value::Integer(3)), Ok(Figure::fixed(3.0)));
    }

    #[test]
    fn a_path_names_its_bad_keys() {
        let table = |text: &str| toml::from_str::<toml::Table>(text).unwrap()["f"].clone();
        let error = Figure::try_from(table("f = { twenty = 1 }")).unwrap_err();
        assert!(error.contains("`twenty` is not a calendar year"), "{error}");
        let error = Figure::try_from(table("f = { 2030 = 1, 02030 = 2 }")).unwrap_err();
        assert!(error.contains("year 2030 is given twice"), "{error}");
        let error = Figure::try_from(table("f = { 2030 = \"x\" }")).unwrap_err();
        assert!(error.contains("must be a number"), "{error}");
    }

    #[test]
    fn purity_reads_nines() {
        assert_eq!(Purity::parse("4N"), Some(Purity(4.0)));
        assert_eq!(Purity::parse("4n5"), Some(Purity(4.5)));
        assert_eq!(Purity::parse("99.99"), None);
        assert_eq!(Purity(4.5).to_string(), "4N5");
        assert_eq!(Purity(5.0).to_string(), "5N");
    }

    #[test]
    fn a_purity_above_home_grade_exports_its_share() {
        let mut refining = Refining {
            high_purity_share: 0.2,
            ..Refining::default()
        };
        assert_eq!(refining.purity_export_share(), 0.2);
        refining.high_purity = Purity(4.0);
        assert_eq!(refining.purity_export_share(), 0.0);
    }
}
