//! Experimental designs: which values of which scenario keys each point of
//! a sweep or tornado runs. `--vary PATH=SPEC` takes a list (`1,2,4`), an
//! integer range (`1..6`, both ends included) or a float range with a
//! point count (`100..400:7`); a full grid crosses every `--vary`, the last
//! varying fastest. `--design lhs:N` draws N Latin-hypercube points over
//! ranges instead; a tornado moves one key at a time to a low and a high
//! value.

use rand::RngExt;

use crate::scenario::normalize_path;
use rand_chacha::ChaCha8Rng;

/// The most points one experiment may have: beyond this a typo
/// (`1..1000000`) is more likely than a plan.
pub const MAX_POINTS: usize = 100_000;

/// Values given on the command line that make no design; the message
/// names the flag and the argument.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{flag}{}{text}: {reason}", if text.is_empty() { "" } else { " " })]
pub struct DesignError {
    pub flag: &'static str,
    pub text: String,
    pub reason: String,
}

impl DesignError {
    fn new(flag: &'static str, text: &str, reason: impl Into<String>) -> Self {
        DesignError {
            flag,
            text: text.to_string(),
            reason: reason.into(),
        }
    }
}

/// What `--vary` gives a key.
#[derive(Clone, Debug, PartialEq)]
pub enum Spec {
    /// Values as written (TOML values: numbers, or strings for a key such
    /// as `mining.survival_practice`).
    List(Vec<String>),
    /// Every integer from the first to the last, both included.
    Integers(i64, i64),
    /// `count` evenly spaced values from `lo` to `hi`, both included.
    Floats { lo: f64, hi: f64, count: usize },
    /// `lo..hi` of non-integers: an interval a Latin hypercube draws from,
    /// which a grid cannot use without a point count.
    Interval { lo: f64, hi: f64 },
}

/// One `--vary PATH=SPEC`.
#[derive(Clone, Debug, PartialEq)]
pub struct Vary {
    pub path: String,
    pub spec: Spec,
    /// The argument as given, for messages and the manifest.
    pub text: String,
}

/// Splits `PATH=REST`, naming `flag` in the error; the path in its one
/// spelling ([`normalize_path`]).
pub fn split_path<'a>(flag: &'static str, text: &'a str) -> Result<(String, &'a str), DesignError> {
    let (path, rest) = text.split_once('=').ok_or_else(|| {
        DesignError::new(flag, text, "expected PATH=VALUES, e.g. fleet.shuttles=1..5")
    })?;
    let path = path.trim();
    if path.is_empty() {
        return Err(DesignError::new(flag, text, "the path before `=` is empty"));
    }
    let path = normalize_path(path).map_err(|reason| DesignError::new(flag, text, reason))?;
    Ok((path, rest.trim()))
}

/// A finite number, or an error naming what is not.
fn number(flag: &'static str, text: &str, part: &str) -> Result<f64, DesignError> {
    match part.trim().parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ => Err(DesignError::new(
            flag,
            text,
            format!("`{}` is not a finite number", part.trim()),
        )),
    }
}

/// The two ends of `lo..hi`, numbers, `lo` below `hi`.
fn interval(flag: &'static str, text: &str, range: &str) -> Result<(f64, f64), DesignError> {
    let (lo, hi) = range
        .split_once("..")
        .ok_or_else(|| DesignError::new(flag, text, "expected a range lo..hi"))?;
    let (lo, hi) = (number(flag, text, lo)?, number(flag, text, hi)?);
    if hi <= lo {
        return Err(DesignError::new(
            flag,
            text,
            format!("the range is empty: {lo} is not below {hi}"),
        ));
    }
    if !(hi - lo).is_finite() {
        return Err(DesignError::new(
            flag,
            text,
            "the range is wider than a number can hold",
        ));
    }
    Ok((lo, hi))
}

impl Vary {
    /// Parses `PATH=SPEC` for a grid.
    pub fn parse(text: &str) -> Result<Vary, DesignError> {
        const FLAG: &str = "--vary";
        let (path, spec) = split_path(FLAG, text)?;
        let spec = if spec.is_empty() {
            return Err(DesignError::new(FLAG, text, "no values after `=`"));
        } else if let Some((range, count)) = spec.split_once(':') {
            let (lo, hi) = interval(FLAG, text, range)?;
            let count = match count.trim().parse::<usize>() {
                Ok(0) | Ok(1) => {
                    return Err(DesignError::new(
                        FLAG,
                        text,
                        format!(
                            "a range of {} points: give at least 2, or a single value",
                            count.trim()
                        ),
                    ));
                }
                Ok(count) if count <= MAX_POINTS => count,
                Ok(count) => {
                    return Err(DesignError::new(
                        FLAG,
                        text,
                        format!("{count} points: at most {MAX_POINTS}"),
                    ));
                }
                Err(_) => {
                    return Err(DesignError::new(
                        FLAG,
                        text,
                        format!(
                            "`{}` is not a point count (a whole number from 2)",
                            count.trim()
                        ),
                    ));
                }
            };
            Spec::Floats { lo, hi, count }
        } else if let Some((lo, hi)) = spec.split_once("..") {
            match (lo.trim().parse::<i64>(), hi.trim().parse::<i64>()) {
                (Ok(lo), Ok(hi)) if hi >= lo => {
                    if hi.abs_diff(lo) >= MAX_POINTS as u64 {
                        return Err(DesignError::new(
                            FLAG,
                            text,
                            format!("{lo}..{hi} has more than {MAX_POINTS} values"),
                        ));
                    }
                    Spec::Integers(lo, hi)
                }
                (Ok(lo), Ok(hi)) => {
                    return Err(DesignError::new(
                        FLAG,
                        text,
                        format!("the range is empty: {lo} is above {hi}"),
                    ));
                }
                _ => {
                    let (lo, hi) = interval(FLAG, text, spec)?;
                    Spec::Interval { lo, hi }
                }
            }
        } else {
            let values: Vec<String> = spec.split(',').map(|v| v.trim().to_string()).collect();
            if values.iter().any(String::is_empty) {
                return Err(DesignError::new(FLAG, text, "an empty value in the list"));
            }
            Spec::List(values)
        };
        Ok(Vary {
            path,
            spec,
            text: text.to_string(),
        })
    }

    /// The values, as TOML texts, in order.
    pub fn values(&self) -> Vec<String> {
        match &self.spec {
            Spec::List(values) => values.clone(),
            Spec::Integers(lo, hi) => (*lo..=*hi).map(|v| v.to_string()).collect(),
            Spec::Floats { lo, hi, count } => (0..*count)
                .map(|i| {
                    let share = i as f64 / (*count - 1) as f64;
                    value_text(lo + (hi - lo) * share)
                })
                .collect(),
            Spec::Interval { .. } => Vec::new(),
        }
    }

    /// The number of values, without listing them.
    fn count(&self) -> usize {
        match &self.spec {
            Spec::List(values) => values.len(),
            Spec::Integers(lo, hi) => (hi - lo) as usize + 1,
            Spec::Floats { count, .. } => *count,
            Spec::Interval { .. } => 0,
        }
    }

    /// The interval a Latin hypercube draws from: a range's ends; a list
    /// is refused.
    pub fn interval(&self) -> Result<(f64, f64), DesignError> {
        match self.spec {
            Spec::Integers(lo, hi) if hi > lo => Ok((lo as f64, hi as f64)),
            Spec::Floats { lo, hi, .. } | Spec::Interval { lo, hi } => Ok((lo, hi)),
            _ => Err(DesignError::new(
                "--vary",
                &self.text,
                "--design lhs draws from ranges: write PATH=lo..hi with lo below hi",
            )),
        }
    }
}

/// A number as the TOML text of a value: a whole number as an integer (a
/// float key reads it as a float), else the shortest text that reads back
/// as the value rounded to 12 significant digits, so evenly spaced points
/// are written `0.3`, not `0.30000000000000004`.
pub fn value_text(value: f64) -> String {
    let rounded: f64 = format!("{value:.11e}").parse().unwrap_or(value);
    if rounded.fract() == 0.0 && rounded.abs() < 9.0e15 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:?}")
    }
}

/// Every combination of the values of each `--vary`, the last varying
/// fastest; each point lists one value per `--vary`, in their order.
pub fn grid(varies: &[Vary]) -> Result<Vec<Vec<String>>, DesignError> {
    let mut size: usize = 1;
    for vary in varies {
        if matches!(vary.spec, Spec::Interval { .. }) {
            return Err(DesignError::new(
                "--vary",
                &vary.text,
                "a grid needs a point count for a range of non-integers, e.g. 100..400:7 \
                 (or draw from the range with --design lhs:N)",
            ));
        }
        size = size
            .checked_mul(vary.count())
            .filter(|&n| n <= MAX_POINTS)
            .ok_or_else(|| {
                DesignError::new(
                    "--vary",
                    &vary.text,
                    format!("the grid would have more than {MAX_POINTS} points"),
                )
            })?;
    }
    let mut points: Vec<Vec<String>> = vec![Vec::new()];
    for vary in varies {
        let values = vary.values();
        points = points
            .iter()
            .flat_map(|point| {
                values.iter().map(move |value| {
                    let mut next = point.clone();
                    next.push(value.clone());
                    next
                })
            })
            .collect();
    }
    Ok(points)
}

/// `--design`: a full grid, or `lhs:N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Design {
    Grid,
    /// N Latin-hypercube points.
    Lhs(usize),
}

impl Design {
    /// Parses `grid` or `lhs:N`.
    pub fn parse(text: &str) -> Result<Design, DesignError> {
        let error = |reason: &str| DesignError::new("--design", text, reason);
        match text.trim() {
            "grid" => Ok(Design::Grid),
            other => {
                let count = other
                    .strip_prefix("lhs:")
                    .ok_or_else(|| error("expected `grid` or `lhs:N`, e.g. lhs:50"))?;
                match count.trim().parse::<usize>() {
                    Ok(0) => Err(error("a Latin hypercube of 0 points")),
                    Ok(n) if n <= MAX_POINTS => Ok(Design::Lhs(n)),
                    Ok(_) => Err(error(&format!("at most {MAX_POINTS} points"))),
                    Err(_) => Err(error("N is not a whole number, e.g. lhs:50")),
                }
            }
        }
    }

    /// The name in the manifest.
    pub fn name(self) -> String {
        match self {
            Design::Grid => "grid".to_string(),
            Design::Lhs(n) => format!("lhs:{n}"),
        }
    }
}

/// `count` Latin-hypercube points over `intervals` (lo, hi), drawn from
/// `rng`: each interval is cut into `count` strata of equal probability
/// (equal width, the draw being uniform), each stratum holds one value, at
/// a uniform position within it, and the strata are matched across keys
/// by independent random permutations (McKay, Beckman & Conover 1979). An
/// integer key's interval is widened by half a unit each side and its
/// draws rounded, so each integer has its share of the strata.
pub fn latin_hypercube(
    intervals: &[(f64, f64, bool)],
    count: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<Vec<f64>> {
    let mut columns = Vec::with_capacity(intervals.len());
    for &(lo, hi, integer) in intervals {
        let (lo, hi) = if integer {
            (lo - 0.5, hi + 0.5)
        } else {
            (lo, hi)
        };
        let mut strata: Vec<usize> = (0..count).collect();
        for i in (1..count).rev() {
            strata.swap(i, rng.random_range(0..=i));
        }
        let column: Vec<f64> = strata
            .iter()
            .map(|&stratum| {
                let u: f64 = rng.random();
                let value = lo + (hi - lo) * (stratum as f64 + u) / count as f64;
                if integer {
                    value.round().clamp(lo + 0.5, hi - 0.5)
                } else {
                    value
                }
            })
            .collect();
        columns.push(column);
    }
    (0..count)
        .map(|point| columns.iter().map(|column| column[point]).collect())
        .collect()
}

/// `--delta 20%` or `0.2`: the share a tornado moves each key by, in (0, 1).
pub fn parse_delta(text: &str) -> Result<f64, DesignError> {
    let error = |reason: &str| DesignError::new("--delta", text, reason);
    let (number, scale) = match text.trim().strip_suffix('%') {
        Some(percent) => (percent, 0.01),
        None => (text.trim(), 1.0),
    };
    let share = number
        .trim()
        .parse::<f64>()
        .map_err(|_| error("not a share: write e.g. 20% or 0.2"))?
        * scale;
    if share > 0.0 && share < 1.0 {
        Ok(share)
    } else {
        Err(error("must be between 0% and 100%, exclusive"))
    }
}

/// A tornado's low and high input for a key whose base value is `base`:
/// `base × (1 ∓ delta)`, rounded for an integer key, and at least one unit
/// from the base so the bar has width.
pub fn tornado_ends(base: f64, delta: f64, integer: bool) -> (f64, f64) {
    let (low, high) = (base * (1.0 - delta), base * (1.0 + delta));
    let (low, high) = if base < 0.0 { (high, low) } else { (low, high) };
    if integer {
        (low.round().min(base - 1.0), high.round().max(base + 1.0))
    } else {
        (low, high)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn values(text: &str) -> Vec<String> {
        Vary::parse(text).unwrap().values()
    }

    #[test]
    fn specs_give_lists_integer_ranges_and_spaced_floats() {
        assert_eq!(values("fleet.shuttles=1,2,4"), ["1", "2", "4"]);
        assert_eq!(values("fleet.shuttles=1..5"), ["1", "2", "3", "4", "5"]);
        assert_eq!(
            values("mining.lift_rate_t_per_h=100..400:7"),
            ["100", "150", "200", "250", "300", "350", "400"]
        );
        assert_eq!(values("ore.heavy_share=0.1..0.3:3"), ["0.1", "0.2", "0.3"]);
        assert_eq!(
            values("x=0..1:4"),
            ["0", "0.333333333333", "0.666666666667", "1"]
        );
        assert_eq!(
            values("mining.survival_practice=retrieve,hang_off"),
            ["retrieve", "hang_off"]
        );
        assert_eq!(values("fleet.shuttles=3..3"), ["3"]);
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        let reason = |text: &str| Vary::parse(text).unwrap_err().to_string();
        assert_eq!(
            reason("fleet.shuttles"),
            "--vary fleet.shuttles: expected PATH=VALUES, e.g. fleet.shuttles=1..5"
        );
        assert_eq!(
            reason("fleet.shuttles=5..1"),
            "--vary fleet.shuttles=5..1: the range is empty: 5 is above 1"
        );
        assert_eq!(
            reason("x=400..100:4"),
            "--vary x=400..100:4: the range is empty: 400 is not below 100"
        );
        assert_eq!(
            reason("x=100..400:0"),
            "--vary x=100..400:0: a range of 0 points: give at least 2, or a single value"
        );
        assert!(reason("x=a..b:3").contains("`a` is not a finite number"));
        assert_eq!(
            Vary::parse("x=1.5..3").unwrap().spec,
            Spec::Interval { lo: 1.5, hi: 3.0 }
        );
        let interval = [Vary::parse("x=1.5..3").unwrap()];
        assert!(
            grid(&interval)
                .unwrap_err()
                .to_string()
                .contains("needs a point count")
        );
        assert!(reason("x=3..1.5").contains("the range is empty"));
        assert!(reason("x=1,,2").contains("an empty value"));
        assert!(reason("x=").contains("no values"));
        assert!(reason("=1,2").contains("the path before `=` is empty"));
        assert!(reason("x=1..1000000000").contains("more than 100000 values"));
    }

    #[test]
    fn a_grid_crosses_every_vary_with_the_last_fastest() {
        let varies = [
            Vary::parse("a=1,2").unwrap(),
            Vary::parse("b=10..12").unwrap(),
        ];
        let points = grid(&varies).unwrap();
        let flat: Vec<String> = points.iter().map(|p| p.join(" ")).collect();
        assert_eq!(flat, ["1 10", "1 11", "1 12", "2 10", "2 11", "2 12"]);
        let huge = [
            Vary::parse("a=1..1000").unwrap(),
            Vary::parse("b=1..1000").unwrap(),
        ];
        assert!(
            grid(&huge)
                .unwrap_err()
                .to_string()
                .contains("more than 100000")
        );
    }

    #[test]
    fn designs_parse_and_refuse_zero_points() {
        assert_eq!(Design::parse("lhs:40"), Ok(Design::Lhs(40)));
        assert_eq!(Design::parse("grid"), Ok(Design::Grid));
        assert_eq!(
            Design::parse("lhs:0").unwrap_err().to_string(),
            "--design lhs:0: a Latin hypercube of 0 points"
        );
        assert!(Design::parse("sobol:8").is_err());
        assert!(Design::parse("lhs:x").is_err());
    }

    #[test]
    fn each_latin_hypercube_column_has_one_value_per_stratum() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let count = 50;
        let points = latin_hypercube(&[(0.0, 1.0, false), (100.0, 400.0, false)], count, &mut rng);
        assert_eq!(points.len(), count);
        for (key, (lo, hi)) in [(0.0, 1.0), (100.0, 400.0)].into_iter().enumerate() {
            let mut strata: Vec<usize> = points
                .iter()
                .map(|p| ((p[key] - lo) / (hi - lo) * count as f64).floor() as usize)
                .collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..count).collect::<Vec<_>>(), "key {key}");
        }
        let integers = latin_hypercube(&[(1.0, 5.0, true)], 10, &mut rng);
        let mut drawn: Vec<f64> = integers.iter().map(|p| p[0]).collect();
        drawn.sort_by(f64::total_cmp);
        assert_eq!(drawn, [1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 4.0, 5.0, 5.0]);
    }

    #[test]
    fn tornado_ends_move_by_the_delta_and_integers_by_at_least_one() {
        assert_eq!(tornado_ends(100.0, 0.2, false), (80.0, 120.0));
        assert_eq!(tornado_ends(4.0, 0.2, true), (3.0, 5.0));
        assert_eq!(tornado_ends(2.0, 0.2, true), (1.0, 3.0));
        assert_eq!(tornado_ends(20.0, 0.2, true), (16.0, 24.0));
        assert_eq!(tornado_ends(-10.0, 0.5, false), (-15.0, -5.0));
        assert_eq!(parse_delta("20%"), Ok(0.2));
        assert_eq!(parse_delta("0.1"), Ok(0.1));
        assert!(parse_delta("100%").is_err());
        assert!(parse_delta("x").is_err());
    }
}
