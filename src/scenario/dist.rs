//! `Dist`: a non-negative random quantity in a scenario (a duration, a time
//! between failures, a grade), written as a bare number (fixed) or a table
//! `{ dist = "<name>", ... }`, optionally truncated to `[min, max]`, sampled
//! by inverse transform.

use std::cmp::Ordering;
use std::f64::consts::PI;

use rand::RngExt;
use rand::distr::Open01;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use toml::{Table, Value};

use super::error::{type_name, unknown_word_hint};
use crate::stats::normal::{normal_cdf, normal_quantile};

/// The distribution names a scenario may use.
const NAMES: [&str; 7] = [
    "fixed",
    "exponential",
    "lognormal",
    "triangular",
    "uniform",
    "weibull",
    "normal",
];

/// The kinds whose own parameters are `min` and `max` (their support), so
/// they take no truncation.
const BOUNDED: [&str; 2] = ["triangular", "uniform"];

/// Midpoints of the rule that integrates the quantile function for the
/// mean of a truncated distribution.
const MEAN_POINTS: u32 = 4096;

/// A non-negative random quantity.
///
/// Parsed from TOML, then checked by scenario validation ([`Dist::problems`]);
/// a `Dist` that passed validation has finite moments and non-negative
/// quantiles. It serialises back to the form the user wrote.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(try_from = "Value")]
pub struct Dist {
    shape: Shape,
    truncation: Option<Truncation>,
}

/// The distribution restricted to `[min, max]`: a draw is the quantile of
/// a uniform on `[F(min), F(max)]`, one uniform per draw as without it.
/// The least probability `min` and `max` may keep: below it F(min) and
/// F(max) are too close for a uniform between them to be drawn accurately.
const MIN_KEPT_PROBABILITY: f64 = 1e-6;

/// The largest `f64` below 1.
const BELOW_ONE: f64 = 1.0 - f64::EPSILON / 2.0;

#[derive(Clone, Copy, Debug, PartialEq)]
struct Truncation {
    /// As written; absent ends are 0 and +∞.
    min: Option<f64>,
    max: Option<f64>,
    /// F(min) and F(max) of the untruncated distribution.
    u_low: f64,
    u_high: f64,
}

impl Truncation {
    fn low(&self) -> f64 {
        self.min.unwrap_or(0.0)
    }

    fn high(&self) -> f64 {
        self.max.unwrap_or(f64::INFINITY)
    }
}

/// The parameters, normalised for sampling.
#[derive(Clone, Debug, PartialEq)]
enum Shape {
    Fixed {
        value: f64,
    },
    Exponential {
        mean: f64,
    },
    LogNormal {
        /// Mean of ln X.
        mu: f64,
        /// Standard deviation of ln X.
        sigma: f64,
        written: LogNormalForm,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    Weibull {
        shape: f64,
        scale: f64,
    },
    /// A normal truncated at 0: `mean` and `sd` are those of the parent normal.
    Normal {
        mean: f64,
        sd: f64,
        /// Φ(−mean/sd): the parent's probability below 0, cut off.
        below_zero: f64,
    },
}

/// The two ways to write a lognormal, kept to write it back the same way.
#[derive(Clone, Copy, Debug, PartialEq)]
enum LogNormalForm {
    MedianP90 { median: f64, p90: f64 },
    MeanSd { mean: f64, sd: f64 },
}

impl Shape {
    fn quantile(&self, u: f64) -> f64 {
        match *self {
            Shape::Fixed { value } => value,
            Shape::Exponential { mean } => -mean * (-u).ln_1p(),
            Shape::LogNormal { mu, sigma, .. } => (mu + sigma * normal_quantile(u)).exp(),
            Shape::Triangular { min, mode, max } => {
                let width = max - min;
                if u * width < mode - min {
                    min + (u * width * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * width * (max - mode)).sqrt()
                }
            }
            Shape::Uniform { min, max } => min + u * (max - min),
            Shape::Weibull { shape, scale } => scale * (-(-u).ln_1p()).powf(shape.recip()),
            Shape::Normal {
                mean,
                sd,
                below_zero,
            } => (mean + sd * normal_quantile(below_zero + u * (1.0 - below_zero))).max(0.0),
        }
    }

    /// P(X ≤ x).
    fn cdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        let p = match *self {
            Shape::Fixed { value } => f64::from(u8::from(x >= value)),
            Shape::Exponential { mean } => -(-x.max(0.0) / mean).exp_m1(),
            Shape::LogNormal { mu, sigma, .. } if x > 0.0 => normal_cdf((x.ln() - mu) / sigma),
            Shape::LogNormal { .. } => 0.0,
            Shape::Triangular { min, mode, max } => {
                if x <= min {
                    0.0
                } else if x >= max {
                    1.0
                } else if x <= mode {
                    (x - min).powi(2) / ((max - min) * (mode - min))
                } else {
                    1.0 - (max - x).powi(2) / ((max - min) * (max - mode))
                }
            }
            Shape::Uniform { min, max } => (x - min) / (max - min),
            Shape::Weibull { shape, scale } => -(-(x.max(0.0) / scale).powf(shape)).exp_m1(),
            Shape::Normal {
                mean,
                sd,
                below_zero,
            } => (normal_cdf((x - mean) / sd) - below_zero) / (1.0 - below_zero),
        };
        p.clamp(0.0, 1.0)
    }

    /// P(X < x): the CDF, except at a fixed value's own point.
    fn cdf_below(&self, x: f64) -> f64 {
        match *self {
            Shape::Fixed { value } => f64::from(u8::from(x > value)),
            _ => self.cdf(x),
        }
    }

    /// ∫ F⁻¹(u) du over [from, to], by the midpoint rule: E[X; F(X) in
    /// [from, to]].
    fn partial_mean(&self, from: f64, to: f64) -> f64 {
        let width = (to - from) / f64::from(MEAN_POINTS);
        (0..MEAN_POINTS)
            .map(|i| self.quantile(from + (f64::from(i) + 0.5) * width))
            .sum::<f64>()
            * width
    }

    /// The mean, analytically.
    fn mean(&self) -> f64 {
        match *self {
            Shape::Fixed { value } => value,
            Shape::Exponential { mean } => mean,
            Shape::LogNormal { mu, sigma, .. } => (mu + sigma * sigma / 2.0).exp(),
            Shape::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Shape::Uniform { min, max } => (min + max) / 2.0,
            Shape::Weibull { shape, scale } => scale * libm::lgamma(1.0 + shape.recip()).exp(),
            // E[X | X ≥ 0] = μ + σ φ(α) / (1 − Φ(α)), α = −μ/σ.
            Shape::Normal { mean, sd, .. } => {
                let alpha = -mean / sd;
                let density = (-alpha * alpha / 2.0).exp() / (2.0 * PI).sqrt();
                mean + sd * density / normal_cdf(-alpha)
            }
        }
    }

    /// The name written in `dist = "..."`.
    fn name(&self) -> &'static str {
        match self {
            Shape::Fixed { .. } => "fixed",
            Shape::Exponential { .. } => "exponential",
            Shape::LogNormal { .. } => "lognormal",
            Shape::Triangular { .. } => "triangular",
            Shape::Uniform { .. } => "uniform",
            Shape::Weibull { .. } => "weibull",
            Shape::Normal { .. } => "normal",
        }
    }
}

impl Dist {
    fn of(shape: Shape) -> Dist {
        Dist {
            shape,
            truncation: None,
        }
    }

    /// Always `value`.
    pub fn fixed(value: f64) -> Dist {
        Dist::of(Shape::Fixed { value })
    }

    /// Triangular on [min, max] with its peak at `mode`.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Dist {
        Dist::of(Shape::Triangular { min, mode, max })
    }

    /// Lognormal with the given median and 90th percentile.
    pub fn lognormal_median_p90(median: f64, p90: f64) -> Dist {
        let sigma = (p90 / median).ln() / normal_quantile(0.9);
        Dist::of(Shape::LogNormal {
            mu: median.ln(),
            sigma,
            written: LogNormalForm::MedianP90 { median, p90 },
        })
    }

    /// The same distribution restricted to `[min, max]` (absent ends: 0
    /// and +∞). Validation checks that the range keeps some probability.
    pub fn truncated(self, min: Option<f64>, max: Option<f64>) -> Dist {
        let low = min.unwrap_or(0.0);
        let high = max.unwrap_or(f64::INFINITY);
        Dist {
            truncation: Some(Truncation {
                min,
                max,
                u_low: self.shape.cdf_below(low),
                u_high: self.shape.cdf(high),
            }),
            shape: self.shape,
        }
    }

    /// Lognormal with the given mean and standard deviation:
    /// σ² = ln(1 + sd²/mean²), μ = ln(mean) − σ²/2.
    fn lognormal_mean_sd(mean: f64, sd: f64) -> Dist {
        let variance = (sd / mean).powi(2).ln_1p();
        Dist::of(Shape::LogNormal {
            mu: mean.ln() - variance / 2.0,
            sigma: variance.sqrt(),
            written: LogNormalForm::MeanSd { mean, sd },
        })
    }

    /// Normal(mean, sd) truncated to [0, ∞).
    fn truncated_normal(mean: f64, sd: f64) -> Dist {
        Dist::of(Shape::Normal {
            mean,
            sd,
            below_zero: normal_cdf(-mean / sd),
        })
    }

    /// The inverse CDF at `u` in (0, 1): of the truncated distribution when
    /// `min` or `max` is given. At 0 and 1 it gives the ends of the support
    /// (possibly infinite without truncation; with it, the upper end is
    /// finite); outside [0, 1] the result is meaningless.
    pub fn quantile(&self, u: f64) -> f64 {
        match self.truncation {
            None => self.shape.quantile(u),
            Some(t) => {
                // Kept below 1, where F⁻¹ of an unbounded distribution is
                // infinite: F(min) + u·(1 − F(min)) rounds to 1 for u close
                // enough to 1.
                let p = (t.u_low + u * (t.u_high - t.u_low)).min(BELOW_ONE);
                self.shape.quantile(p).clamp(t.low(), t.high())
            }
        }
    }

    /// One draw: the quantile of one uniform on the open interval (0, 1).
    ///
    /// Exactly one uniform per draw keeps common random numbers aligned
    /// across scenarios, and inverse transform is portable across crate
    /// versions, unlike sampling algorithms.
    pub fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.quantile(rng.sample(Open01))
    }

    /// The mean: analytic without truncation; with it, the quantile
    /// function integrated numerically (a midpoint rule on
    /// [`MEAN_POINTS`] points over the kept range of u, and the analytic
    /// mean for an unbounded upper tail).
    pub fn mean(&self) -> f64 {
        let Some(t) = self.truncation else {
            return self.shape.mean();
        };
        if let Shape::Fixed { value } = self.shape {
            return value;
        }
        let kept = t.u_high - t.u_low;
        let mean = if t.max.is_some() {
            self.shape.partial_mean(t.u_low, t.u_high) / kept
        } else {
            // E[X | X ≥ min] = (E[X] − E[X; X < min]) / (1 − F(min)).
            (self.shape.mean() - self.shape.partial_mean(0.0, t.u_low)) / kept
        };
        mean.clamp(t.low(), t.high())
    }

    /// Every reason these parameters are not a valid non-negative
    /// distribution; `unit` is the quantity's unit, for the messages.
    pub fn problems(&self, unit: &str) -> Vec<String> {
        let mut checks = Checks {
            unit,
            found: Vec::new(),
        };
        match self.shape {
            Shape::Fixed { value } => checks.at_least_zero("value", value),
            Shape::Exponential { mean } => checks.positive("mean", mean),
            Shape::LogNormal { written, .. } => match written {
                LogNormalForm::MedianP90 { median, p90 } => {
                    checks.positive("median", median);
                    checks.ordered("median", median, "p90", p90);
                }
                LogNormalForm::MeanSd { mean, sd } => {
                    checks.positive("mean", mean);
                    checks.positive("sd", sd);
                }
            },
            Shape::Triangular { min, mode, max } => {
                checks.at_least_zero("min", min);
                checks.not_above("min", min, "mode", mode);
                checks.not_above("mode", mode, "max", max);
                checks.ordered("min", min, "max", max);
            }
            Shape::Uniform { min, max } => {
                checks.at_least_zero("min", min);
                checks.ordered("min", min, "max", max);
            }
            Shape::Weibull { shape, scale } => {
                checks.positive("shape", shape);
                checks.positive("scale", scale);
            }
            Shape::Normal { mean, sd, .. } => {
                checks.at_least_zero("mean", mean);
                checks.positive("sd", sd);
            }
        }
        if let Some(t) = self.truncation {
            checks.truncation(&t);
        }
        if let Some(t) = self.truncation.filter(|_| checks.found.is_empty()) {
            let kept = t.u_high - t.u_low;
            if kept.partial_cmp(&0.0) != Some(Ordering::Greater) {
                checks.found.push(format!(
                    "min and max keep none of the {} distribution: P({} ≤ X ≤ {}) = 0",
                    self.shape.name(),
                    t.low(),
                    t.high()
                ));
            } else if kept < MIN_KEPT_PROBABILITY {
                checks.found.push(format!(
                    "min and max keep almost none of the {} distribution: P({} ≤ X ≤ {}) = {kept:.1e}, \
                     and at least {MIN_KEPT_PROBABILITY:e} is needed to sample it accurately",
                    self.shape.name(),
                    t.low(),
                    t.high()
                ));
            }
        }
        if checks.found.is_empty() && !self.mean().is_finite() {
            checks
                .found
                .push("the parameters are too extreme: the mean is not a finite number".into());
        }
        checks.found
    }

    /// Reads the parameters named in `names` from a distribution table,
    /// collecting every missing, unknown or non-numeric one.
    fn params<const N: usize>(
        name: &str,
        table: &Table,
        names: [&str; N],
    ) -> Result<[f64; N], String> {
        let mut problems = Vec::new();
        for key in table.keys().filter(|k| *k != "dist") {
            if !names.contains(&key.as_str()) {
                let hint = unknown_word_hint(key, &names);
                problems.push(format!("{name} has no parameter `{key}`; {hint}"));
            }
        }
        let mut values = [0.0; N];
        for (slot, key) in values.iter_mut().zip(names) {
            match table.get(key) {
                None => problems.push(format!("{name} needs `{key}`")),
                Some(Value::Integer(i)) => *slot = *i as f64,
                Some(Value::Float(f)) => *slot = *f,
                Some(other) => problems.push(format!(
                    "`{key}` must be a number, found {}",
                    type_name(other)
                )),
            }
        }
        if problems.is_empty() {
            Ok(values)
        } else {
            Err(problems.join("; "))
        }
    }
}

/// Collects parameter-range messages for [`Dist::problems`].
struct Checks<'a> {
    unit: &'a str,
    found: Vec<String>,
}

impl Checks<'_> {
    fn positive(&mut self, name: &str, x: f64) {
        if !(x > 0.0 && x.is_finite()) {
            self.found.push(
                format!("{name} must be > 0 {}", self.unit)
                    .trim_end()
                    .to_string(),
            );
        }
    }

    fn at_least_zero(&mut self, name: &str, x: f64) {
        if !(x >= 0.0 && x.is_finite()) {
            let reason = format!("{name} must be ≥ 0 {}", self.unit);
            self.found.push(format!(
                "{} (the quantity cannot be negative)",
                reason.trim_end()
            ));
        }
    }

    /// `low < high`, strictly: equal ends are a fixed value.
    fn ordered(&mut self, low_name: &str, low: f64, high_name: &str, high: f64) {
        if !(low < high && high.is_finite()) {
            self.found.push(format!(
                "{high_name} ({high}) must be > {low_name} ({low}); use a bare number for a fixed value"
            ));
        }
    }

    /// Truncation ends: each ≥ 0 and finite, `min < max`.
    fn truncation(&mut self, t: &Truncation) {
        if let Some(min) = t.min {
            self.at_least_zero("min", min);
        }
        if let Some(max) = t.max {
            self.positive("max", max);
        }
        if let (Some(min), Some(max)) = (t.min, t.max) {
            self.ordered("min", min, "max", max);
        }
    }

    fn not_above(&mut self, low_name: &str, low: f64, high_name: &str, high: f64) {
        if !matches!(
            low.partial_cmp(&high),
            Some(Ordering::Less | Ordering::Equal)
        ) {
            self.found
                .push(format!("{low_name} ({low}) must be ≤ {high_name} ({high})"));
        }
    }
}

impl TryFrom<Value> for Dist {
    type Error = String;

    fn try_from(value: Value) -> Result<Dist, String> {
        let table = match value {
            Value::Integer(i) => return Ok(Dist::fixed(i as f64)),
            Value::Float(f) => return Ok(Dist::fixed(f)),
            Value::Table(table) => table,
            other => {
                return Err(format!(
                    "expected a number or a distribution table like \
                     {{ dist = \"exponential\", mean = 400 }}, found {}",
                    type_name(&other)
                ));
            }
        };
        let name = match table.get("dist") {
            Some(Value::String(name)) => name.as_str(),
            Some(other) => {
                return Err(format!(
                    "`dist` must be a string naming the distribution, found {}",
                    type_name(other)
                ));
            }
            None => {
                return Err(format!(
                    "a distribution table needs `dist = \"<name>\"`, one of: {}",
                    NAMES.join(", ")
                ));
            }
        };
        let mut table = table.clone();
        let bounds = if BOUNDED.contains(&name) {
            None
        } else {
            let min = table.remove("min");
            let max = table.remove("max");
            let bound = |key: &str, value: Option<Value>| match value {
                None => Ok(None),
                Some(Value::Integer(i)) => Ok(Some(i as f64)),
                Some(Value::Float(f)) => Ok(Some(f)),
                Some(other) => Err(format!(
                    "`{key}` (a truncation bound) must be a number, found {}",
                    type_name(&other)
                )),
            };
            let bounds = (bound("min", min)?, bound("max", max)?);
            (bounds != (None, None)).then_some(bounds)
        };
        let dist = Dist::shape_from(name, &table)?;
        Ok(match bounds {
            Some((min, max)) => dist.truncated(min, max),
            None => dist,
        })
    }
}

impl Dist {
    /// The untruncated distribution `name` with the parameters in `table`.
    fn shape_from(name: &str, table: &Table) -> Result<Dist, String> {
        match name {
            "fixed" => Dist::params(name, table, ["value"]).map(|[value]| Dist::fixed(value)),
            "exponential" => Dist::params(name, table, ["mean"])
                .map(|[mean]| Dist::of(Shape::Exponential { mean })),
            "lognormal" if table.contains_key("median") || table.contains_key("p90") => {
                if table.contains_key("mean") || table.contains_key("sd") {
                    return Err(
                        "lognormal takes either `median` and `p90`, or `mean` and `sd`, not a mix"
                            .into(),
                    );
                }
                Dist::params(name, table, ["median", "p90"])
                    .map(|[median, p90]| Dist::lognormal_median_p90(median, p90))
            }
            "lognormal" => Dist::params(name, table, ["mean", "sd"])
                .map(|[mean, sd]| Dist::lognormal_mean_sd(mean, sd))
                .map_err(|e| format!("{e} (or give `median` and `p90` instead)")),
            "triangular" => Dist::params(name, table, ["min", "mode", "max"])
                .map(|[min, mode, max]| Dist::triangular(min, mode, max)),
            "uniform" => Dist::params(name, table, ["min", "max"])
                .map(|[min, max]| Dist::of(Shape::Uniform { min, max })),
            "weibull" => Dist::params(name, table, ["shape", "scale"])
                .map(|[shape, scale]| Dist::of(Shape::Weibull { shape, scale })),
            "normal" => Dist::params(name, table, ["mean", "sd"])
                .map(|[mean, sd]| Dist::truncated_normal(mean, sd)),
            unknown => Err(format!(
                "unknown distribution `{unknown}`; {}",
                unknown_word_hint(unknown, &NAMES)
            )),
        }
    }
}

impl Serialize for Dist {
    /// A bare number for a fixed value, otherwise `{ dist = "<name>", ... }`
    /// with the parameters the user gave, in their documented order.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (name, params): (&str, &[(&str, f64)]) = match self.shape {
            Shape::Fixed { value } if self.truncation.is_none() => {
                return serializer.serialize_f64(value);
            }
            Shape::Fixed { value } => ("fixed", &[("value", value)]),
            Shape::Exponential { mean } => ("exponential", &[("mean", mean)]),
            Shape::LogNormal { written, .. } => match written {
                LogNormalForm::MedianP90 { median, p90 } => {
                    ("lognormal", &[("median", median), ("p90", p90)])
                }
                LogNormalForm::MeanSd { mean, sd } => ("lognormal", &[("mean", mean), ("sd", sd)]),
            },
            Shape::Triangular { min, mode, max } => {
                ("triangular", &[("min", min), ("mode", mode), ("max", max)])
            }
            Shape::Uniform { min, max } => ("uniform", &[("min", min), ("max", max)]),
            Shape::Weibull { shape, scale } => ("weibull", &[("shape", shape), ("scale", scale)]),
            Shape::Normal { mean, sd, .. } => ("normal", &[("mean", mean), ("sd", sd)]),
        };
        let bounds = self.truncation.map_or([None, None], |t| {
            [t.min.map(|x| ("min", x)), t.max.map(|x| ("max", x))]
        });
        let entries = params.len() + 1 + bounds.iter().flatten().count();
        let mut map = serializer.serialize_map(Some(entries))?;
        map.serialize_entry("dist", name)?;
        for (key, x) in params.iter().chain(bounds.iter().flatten()) {
            map.serialize_entry(key, x)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    fn dist(text: &str) -> Dist {
        let value: Value = text.parse().expect("test TOML value is valid");
        Dist::try_from(value).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance * b.abs().max(1e-300)
    }

    #[test]
    fn bare_number_is_a_fixed_value() {
        assert_eq!(dist("12"), Dist::fixed(12.0));
        assert_eq!(dist("12.5").quantile(0.3), 12.5);
        assert_eq!(dist("{ dist = \"fixed\", value = 3 }").mean(), 3.0);
    }

    #[test]
    fn lognormal_median_and_p90_are_its_quantiles() {
        let d = dist("{ dist = \"lognormal\", median = 1000, p90 = 3000 }");
        assert!(close(d.quantile(0.5), 1000.0, 1e-12), "{}", d.quantile(0.5));
        assert!(close(d.quantile(0.9), 3000.0, 1e-12), "{}", d.quantile(0.9));
    }

    #[test]
    fn lognormal_from_mean_and_sd_has_that_mean() {
        let d = dist("{ dist = \"lognormal\", mean = 6, sd = 9 }");
        assert!(close(d.mean(), 6.0, 1e-12), "{}", d.mean());
    }

    #[test]
    fn triangular_quantile_at_the_modes_cdf_is_the_mode() {
        let (min, mode, max) = (24.0, 48.0, 96.0);
        let d = Dist::triangular(min, mode, max);
        let cdf_at_mode = (mode - min) / (max - min);
        assert!(close(d.quantile(cdf_at_mode), mode, 1e-12));
        assert_eq!(d.quantile(0.0), min);
        assert_eq!(d.quantile(1.0), max);
    }

    #[test]
    fn truncated_normal_mean_matches_the_closed_form() {
        // Half-normal: mean 0, sd σ truncated at 0 has mean σ √(2/π).
        let d = dist("{ dist = \"normal\", mean = 0, sd = 3 }");
        assert!(
            close(d.mean(), 3.0 * (2.0 / PI).sqrt(), 1e-12),
            "{}",
            d.mean()
        );
        assert!(d.quantile(1e-9) >= 0.0);
    }

    #[test]
    fn weibull_mean_uses_the_gamma_function() {
        // Shape 2: mean = scale · Γ(1.5) = scale · √π / 2.
        let d = dist("{ dist = \"weibull\", shape = 2, scale = 10 }");
        assert!(
            close(d.mean(), 10.0 * PI.sqrt() / 2.0, 1e-13),
            "{}",
            d.mean()
        );
        // Shape 0.5: mean = scale · Γ(3) = 2 · scale.
        let heavy = dist("{ dist = \"weibull\", shape = 0.5, scale = 10 }");
        assert!(close(heavy.mean(), 20.0, 1e-13), "{}", heavy.mean());
        // Shape 1 is the exponential.
        let e = dist("{ dist = \"weibull\", shape = 1, scale = 10 }");
        assert!(close(e.mean(), 10.0, 1e-13));
        assert!(close(e.quantile(0.5), 10.0 * 2f64.ln(), 1e-13));
    }

    /// A sample mean of 200,000 draws lies within 1% of `mean()`.
    #[test]
    fn sample_means_match_analytic_means_for_every_kind() {
        let kinds = [
            "{ dist = \"fixed\", value = 7 }",
            "{ dist = \"exponential\", mean = 400 }",
            "{ dist = \"lognormal\", median = 6, p90 = 24 }",
            "{ dist = \"lognormal\", mean = 100, sd = 50 }",
            "{ dist = \"triangular\", min = 24, mode = 48, max = 72 }",
            "{ dist = \"uniform\", min = 2, max = 10 }",
            "{ dist = \"weibull\", shape = 1.5, scale = 4000 }",
            "{ dist = \"normal\", mean = 10, sd = 8 }",
            "{ dist = \"lognormal\", median = 1000, p90 = 3000, max = 8000 }",
            "{ dist = \"exponential\", mean = 400, min = 50, max = 2000 }",
            "{ dist = \"weibull\", shape = 1.5, scale = 4000, min = 1000 }",
            "{ dist = \"normal\", mean = 10, sd = 8, min = 4, max = 30 }",
        ];
        let mut rng = ChaCha8Rng::seed_from_u64(20_260_202);
        for text in kinds {
            let d = dist(text);
            let n = 200_000;
            let sample_mean = (0..n).map(|_| d.sample(&mut rng)).sum::<f64>() / f64::from(n);
            assert!(
                close(sample_mean, d.mean(), 0.01),
                "{text}: sample mean {sample_mean}, mean {}",
                d.mean()
            );
        }
    }

    #[test]
    fn truncated_lognormal_mean_matches_the_closed_form() {
        // E[X | a ≤ X ≤ b] = e^{μ+σ²/2} [Φ(β − σ) − Φ(α − σ)] / [Φ(β) − Φ(α)],
        // α = (ln a − μ)/σ, β = (ln b − μ)/σ (Johnson, Kotz & Balakrishnan,
        // Continuous Univariate Distributions 1, §14.3).
        let d = dist("{ dist = \"lognormal\", median = 1000, p90 = 3000, min = 200, max = 8000 }");
        let (mu, sigma) = (1000f64.ln(), 3f64.ln() / normal_quantile(0.9));
        let (alpha, beta) = ((200f64.ln() - mu) / sigma, (8000f64.ln() - mu) / sigma);
        let expected = (mu + sigma * sigma / 2.0).exp()
            * (normal_cdf(beta - sigma) - normal_cdf(alpha - sigma))
            / (normal_cdf(beta) - normal_cdf(alpha));
        assert!(
            close(d.mean(), expected, 1e-6),
            "{} vs {expected}",
            d.mean()
        );
    }

    #[test]
    fn exponential_truncated_below_is_memoryless() {
        // E[X | X ≥ a] = a + mean for an exponential.
        let d = dist("{ dist = \"exponential\", mean = 400, min = 100 }");
        assert!(close(d.mean(), 500.0, 1e-6), "{}", d.mean());
        assert!(close(d.quantile(0.5), 100.0 + 400.0 * 2f64.ln(), 1e-12));
    }

    #[test]
    fn truncated_draws_stay_within_min_and_max_with_one_uniform_each() {
        let d = dist("{ dist = \"weibull\", shape = 0.7, scale = 10, min = 2, max = 30 }");
        assert!(close(d.quantile(0.0), 2.0, 1e-12));
        assert!(close(d.quantile(1.0), 30.0, 1e-12));
        let parent = dist("{ dist = \"weibull\", shape = 0.7, scale = 10 }");
        // u maps linearly onto [F(2), F(30)] of the parent.
        let (low, high) = (parent.shape.cdf(2.0), parent.shape.cdf(30.0));
        assert!(close(
            d.quantile(0.25),
            parent.quantile(low + 0.25 * (high - low)),
            1e-12
        ));
        let mut rng = ChaCha8Rng::seed_from_u64(8);
        let mut shadow = ChaCha8Rng::seed_from_u64(8);
        for _ in 0..10_000 {
            let x = d.sample(&mut rng);
            assert!((2.0..=30.0).contains(&x), "{x}");
        }
        for _ in 0..10_000 {
            let _ = parent.sample(&mut shadow);
        }
        assert_eq!(
            rng.random::<u64>(),
            shadow.random::<u64>(),
            "one uniform per draw"
        );
    }

    #[test]
    fn truncation_bounds_are_validated() {
        let problems = |text: &str| dist(text).problems("ppm");
        assert_eq!(
            problems("{ dist = \"lognormal\", median = 1000, p90 = 3000, min = 9000, max = 8000 }"),
            ["max (8000) must be > min (9000); use a bare number for a fixed value"]
        );
        assert_eq!(
            problems("{ dist = \"exponential\", mean = 1, min = -1 }"),
            ["min must be ≥ 0 ppm (the quantity cannot be negative)"]
        );
        assert_eq!(
            problems("{ dist = \"exponential\", mean = 1, min = 5000, max = 6000 }"),
            ["min and max keep none of the exponential distribution: P(5000 ≤ X ≤ 6000) = 0"]
        );
        assert_eq!(
            problems("{ dist = \"fixed\", value = 3, min = 4 }"),
            ["min and max keep none of the fixed distribution: P(4 ≤ X ≤ inf) = 0"]
        );
        assert_eq!(
            problems("{ dist = \"exponential\", mean = 1, min = 36 }"),
            [
                "min and max keep almost none of the exponential distribution: \
                 P(36 ≤ X ≤ inf) = 2.2e-16, and at least 1e-6 is needed to sample it accurately"
            ]
        );
        assert!(problems("{ dist = \"fixed\", value = 3, min = 3, max = 3.5 }").is_empty());
        assert!(problems("{ dist = \"normal\", mean = 5, sd = 1, max = 6 }").is_empty());
    }

    /// F(min) + u·(1 − F(min)) rounds to exactly 1 for u near 1; the draw
    /// must stay finite there.
    #[test]
    fn an_upper_tail_draw_next_to_one_stays_finite() {
        let d = dist("{ dist = \"lognormal\", median = 1, p90 = 2, min = 10 }");
        assert!(d.problems("h").is_empty());
        let x = d.quantile(1.0 - f64::EPSILON / 2.0);
        assert!(x.is_finite() && x >= 10.0, "{x}");
        assert!(d.quantile(1.0).is_finite());
    }

    #[test]
    fn triangular_and_uniform_keep_min_and_max_as_their_support() {
        let d = dist("{ dist = \"uniform\", min = 2, max = 10 }");
        assert_eq!(d.truncation, None);
        assert_eq!(d.quantile(0.5), 6.0);
    }

    #[test]
    fn truncation_bounds_must_be_numbers() {
        let error = Dist::try_from(toml::Value::Table(
            "dist = \"exponential\"\nmean = 3\nmax = \"8\"\n"
                .parse()
                .unwrap(),
        ))
        .unwrap_err();
        assert!(
            error.contains("`max` (a truncation bound) must be a number"),
            "{error}"
        );
    }

    #[test]
    fn unknown_distribution_name_lists_the_allowed_names() {
        let error = Dist::try_from(toml::Value::Table(
            "dist = \"gamma\"\nmean = 3\n".parse().unwrap(),
        ))
        .unwrap_err();
        assert!(error.contains("unknown distribution `gamma`"), "{error}");
        assert!(error.contains("fixed, exponential, lognormal"), "{error}");
    }

    #[test]
    fn misspelt_distribution_name_suggests_the_closest() {
        let error = Dist::try_from(toml::Value::Table(
            "dist = \"lognorm\"\nmedian = 3\n".parse().unwrap(),
        ))
        .unwrap_err();
        assert!(error.contains("did you mean `lognormal`?"), "{error}");
    }

    #[test]
    fn missing_and_unknown_parameters_are_all_named() {
        let error = Dist::try_from(toml::Value::Table(
            "dist = \"triangular\"\nmin = 1\nmod = 2\n".parse().unwrap(),
        ))
        .unwrap_err();
        assert!(
            error.contains("no parameter `mod`; did you mean `mode`?"),
            "{error}"
        );
        assert!(error.contains("needs `mode`"), "{error}");
        assert!(error.contains("needs `max`"), "{error}");
    }

    #[test]
    fn lognormal_forms_cannot_be_mixed() {
        let error = Dist::try_from(toml::Value::Table(
            "dist = \"lognormal\"\nmedian = 3\nsd = 2\n"
                .parse()
                .unwrap(),
        ))
        .unwrap_err();
        assert!(error.contains("not a mix"), "{error}");
    }

    #[test]
    fn non_numbers_are_rejected() {
        let error = Dist::try_from(Value::String("long".into())).unwrap_err();
        assert!(error.contains("found a string"), "{error}");
        let error = Dist::try_from(toml::Value::Table(
            "dist = \"exponential\"\nmean = \"400\"\n".parse().unwrap(),
        ))
        .unwrap_err();
        assert!(
            error.contains("`mean` must be a number, found a string"),
            "{error}"
        );
    }

    #[test]
    fn parameters_that_allow_negative_values_are_problems() {
        let problems = |text: &str| dist(text).problems("h");
        assert_eq!(
            problems("-1"),
            ["value must be ≥ 0 h (the quantity cannot be negative)"]
        );
        assert_eq!(
            problems("{ dist = \"uniform\", min = -1, max = 3 }"),
            ["min must be ≥ 0 h (the quantity cannot be negative)"]
        );
        assert_eq!(
            problems("{ dist = \"lognormal\", median = 3, p90 = 2 }"),
            ["p90 (2) must be > median (3); use a bare number for a fixed value"]
        );
        assert_eq!(
            problems("{ dist = \"triangular\", min = 5, mode = 4, max = 9 }"),
            ["min (5) must be ≤ mode (4)"]
        );
        assert_eq!(
            problems("{ dist = \"exponential\", mean = 0 }"),
            ["mean must be > 0 h"]
        );
        assert_eq!(
            problems("{ dist = \"weibull\", shape = 0.001, scale = 1 }").len(),
            1
        );
        assert!(problems("{ dist = \"normal\", mean = 5, sd = 1 }").is_empty());
    }

    #[test]
    fn dist_serialises_back_to_the_users_form() {
        for text in [
            "{ dist = \"lognormal\", median = 6.0, p90 = 24.0 }",
            "{ dist = \"lognormal\", mean = 6.0, sd = 2.0 }",
            "{ dist = \"triangular\", min = 1.0, mode = 2.0, max = 3.0 }",
            "{ dist = \"lognormal\", median = 6.0, p90 = 24.0, max = 80.0 }",
            "{ dist = \"exponential\", mean = 6.0, min = 1.0 }",
            "{ dist = \"fixed\", value = 3.0, min = 1.0, max = 5.0 }",
        ] {
            let expected: Value = text.parse().unwrap();
            assert_eq!(Value::try_from(dist(text)).unwrap(), expected);
        }
        assert_eq!(
            Value::try_from(Dist::fixed(12.0)).unwrap(),
            Value::Float(12.0)
        );
    }
}
