//! Experiment plans: the points a sweep, tornado or comparison runs, each a
//! scenario loaded and validated before anything runs, and the manifest
//! (`sweep.json`) that records them. The manifest is all a resumed run, a
//! shard merge or a redraw needs: the same manifest and the same
//! per-replication values give the same result files, byte for byte.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::design::{
    self, Design, DesignError, Vary, latin_hypercube, split_path, tornado_ends, value_text,
};
use super::selector::{Selector, SelectorError};
use crate::model::streams;
use crate::scenario::{
    self, DEFAULT_SCENARIO, Override, Scenario, ScenarioError, load_str_overridden,
};

/// What an experiment compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Points over a grid or a Latin hypercube of key values.
    Sweep,
    /// One key at a time to a low and a high value, around a base.
    Tornado,
    /// Scenarios against a base, paired replication by replication.
    Compare,
}

impl Kind {
    /// The name of the experiment, in file and folder names.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Sweep => "sweep",
            Kind::Tornado => "tornado",
            Kind::Compare => "compare",
        }
    }
}

/// A scenario file with the `--set` values every point built on it shares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The file as given, or [`BUILT_IN`].
    pub file: String,
    /// Its `scenario.name`.
    pub name: String,
    /// `path=value` overrides, in order (`--set`, and `--reps`, `--seed`,
    /// `--years` as overrides).
    pub set: Vec<String>,
}

/// The origin of the built-in default scenario.
pub const BUILT_IN: &str = "built-in default scenario";

/// A key an experiment varies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parameter {
    /// Its dotted path.
    pub path: String,
    /// How its values were asked for: the `--vary` or `--range` argument,
    /// or the tornado's `±delta`.
    pub given: String,
    /// Whether the scenario holds it as an integer.
    pub integer: bool,
    /// Its value in the base scenario (tornado), as TOML text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
}

/// One point: a source with values for the parameters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    /// Index into the manifest's `scenarios`.
    pub scenario: usize,
    /// One TOML value text per parameter (empty for a comparison).
    pub values: Vec<String>,
    /// Overrides of this point beyond its source's (a comparison's
    /// `--set` alternative).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<String>,
    /// FNV-1a hash of the resolved scenario, so a resumed or merged run
    /// built from an edited file is refused.
    pub digest: String,
}

/// `--shard K/N`: this run does the points whose index (from 0) is K − 1
/// modulo N.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Parses `K/N`, 1 ≤ K ≤ N.
    pub fn parse(text: &str) -> Result<Shard, DesignError> {
        let error = |reason: &str| DesignError {
            flag: "--shard",
            text: text.to_string(),
            reason: reason.to_string(),
        };
        let (k, n) = text
            .split_once('/')
            .ok_or_else(|| error("expected K/N, e.g. 3/64"))?;
        let (Ok(index), Ok(count)) = (k.trim().parse::<usize>(), n.trim().parse::<usize>()) else {
            return Err(error("K and N are whole numbers, e.g. 3/64"));
        };
        if count == 0 || index == 0 || index > count {
            return Err(error("K must be from 1 to N, and N at least 1"));
        }
        Ok(Shard { index, count })
    }

    /// Whether point `point` (from 0) is this shard's.
    pub fn owns(self, point: usize) -> bool {
        point % self.count == self.index - 1
    }
}

/// Everything that fixes an experiment's results; written as `sweep.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The deepmud version that planned it.
    pub deepmud_version: String,
    pub kind: Kind,
    /// `grid`, `lhs:N`, `one-at-a-time` or `paired`.
    pub design: String,
    /// Every point runs replications 0 … R − 1 of this seed.
    pub seed: u64,
    pub replications: u32,
    /// The metric selectors, in order.
    pub metrics: Vec<String>,
    pub scenarios: Vec<Source>,
    pub parameters: Vec<Parameter>,
    pub points: Vec<Point>,
    /// The part of the points this run does; none for a whole run (and a
    /// merged one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
}

impl Manifest {
    /// The points this run does, by index.
    pub fn owned_points(&self) -> Vec<usize> {
        (0..self.points.len()).filter(|&p| self.owns(p)).collect()
    }

    /// Whether point `point` is one of the manifest's and this run's.
    pub fn owns(&self, point: usize) -> bool {
        point < self.points.len() && self.shard.is_none_or(|shard| shard.owns(point))
    }

    /// Checks that the manifest is one deepmud could have written: its
    /// metrics parse, each point has a value per parameter and a scenario,
    /// a tornado has its base and two points per parameter, a comparison a
    /// base and an alternative.
    pub fn check(&self) -> Result<(), String> {
        self.selectors().map_err(|e| e.to_string())?;
        if self.metrics.is_empty() || self.points.is_empty() || self.replications == 0 {
            return Err("no metrics, points or replications".into());
        }
        for (index, point) in self.points.iter().enumerate() {
            let values = if self.kind == Kind::Compare {
                0
            } else {
                self.parameters.len()
            };
            if point.values.len() != values || point.scenario >= self.scenarios.len() {
                return Err(format!("point {} does not match the parameters", index + 1));
            }
        }
        let points = self.points.len();
        let consistent = match self.kind {
            Kind::Sweep => !self.parameters.is_empty(),
            Kind::Tornado => {
                self.metrics.len() == 1
                    && !self.parameters.is_empty()
                    && points == 2 * self.parameters.len() + 1
            }
            Kind::Compare => points >= 2,
        };
        if !consistent {
            return Err(format!(
                "a {} of {points} points cannot be",
                self.kind.name()
            ));
        }
        if self
            .shard
            .is_some_and(|s| s.index == 0 || s.index > s.count)
        {
            return Err("its shard is not K/N with 1 ≤ K ≤ N".into());
        }
        Ok(())
    }

    /// The metric selectors.
    pub fn selectors(&self) -> Result<Vec<Selector>, SelectorError> {
        self.metrics.iter().map(|m| Selector::parse(m)).collect()
    }

    /// A short label of point `point`: its parameter values
    /// (`fleet.shuttles=3 mining.lift_rate_t_per_h=100`), or its scenario
    /// and overrides.
    pub fn point_label(&self, point: usize) -> String {
        let p = &self.points[point];
        if self.kind == Kind::Compare {
            let source = &self.scenarios[p.scenario];
            // Two files of one scenario name are told apart by file.
            let shared = self
                .scenarios
                .iter()
                .filter(|other| other.name == source.name)
                .count();
            let mut label = if shared > 1 {
                source.file.clone()
            } else {
                source.name.clone()
            };
            for set in &p.set {
                label.push_str(&format!(" + {set}"));
            }
            return label;
        }
        let pairs: Vec<String> = self
            .parameters
            .iter()
            .zip(&p.values)
            .map(|(parameter, value)| format!("{}={value}", parameter.path))
            .collect();
        pairs.join(" ")
    }
}

/// A point's scenario that fails to load: the first such point in full,
/// and the others by their first problem.
#[derive(Debug, thiserror::Error)]
#[error("point {number} of {count} ({label}){}", others_text(others))]
pub struct PointError {
    pub number: usize,
    pub count: usize,
    pub label: String,
    /// Every other failing point: its number, label and first problem.
    pub others: Vec<(usize, String, String)>,
    #[source]
    pub source: ScenarioError,
}

/// The most other failing points a [`PointError`] lists.
const LISTED_POINTS: usize = 5;

fn others_text(others: &[(usize, String, String)]) -> String {
    if others.is_empty() {
        return String::new();
    }
    let listed: Vec<String> = others
        .iter()
        .take(LISTED_POINTS)
        .map(|(number, label, problem)| format!("point {number}, {label}: {problem}"))
        .collect();
    format!(
        ", and {} more point{} fail ({}{})",
        others.len(),
        if others.len() == 1 { "" } else { "s" },
        listed.join("; "),
        if others.len() > LISTED_POINTS {
            "; …"
        } else {
            ""
        }
    )
}

/// Input that makes no experiment; every variant is the user's input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Point(#[from] PointError),
    #[error(transparent)]
    Design(#[from] DesignError),
    #[error(transparent)]
    Selector(#[from] SelectorError),
}

/// A planned experiment: its manifest, the scenario of each point and the
/// metrics.
#[derive(Clone, Debug)]
pub struct Plan {
    pub manifest: Manifest,
    /// One per point of the manifest, in order: its scenario, or `None`
    /// for a point of another shard.
    pub scenarios: Vec<Option<Scenario>>,
    pub selectors: Vec<Selector>,
}

impl Plan {
    /// A warning for each varied parameter that a scale-up phase sets: the
    /// value varied holds only until that phase begins, so its effect on
    /// the metrics can look nil.
    pub fn phase_warnings(&self) -> Vec<String> {
        let Some(scenario) = self.scenarios.iter().flatten().next() else {
            return Vec::new();
        };
        let mut warnings = Vec::new();
        for parameter in &self.manifest.parameters {
            let path = &parameter.path;
            for phase in &scenario.phase {
                let set = phase
                    .set
                    .keys()
                    .find(|key| scenario::is_within(path, key) || scenario::is_within(key, path));
                if let Some(key) = set {
                    warnings.push(format!(
                        "{path} is set by phase `{}` (\"{key}\", from year {}): the value varied holds only before it",
                        phase.name, phase.start_year
                    ));
                    break;
                }
            }
        }
        warnings
    }
}

/// A scenario file (or the built-in default) and its `--set` values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Base {
    pub file: Option<PathBuf>,
    pub set: Vec<String>,
}

/// A source's text, read once for all its points.
struct Text {
    origin: String,
    text: String,
}

impl Text {
    fn read(file: Option<&Path>) -> Result<Text, ScenarioError> {
        match file {
            None => Ok(Text {
                origin: BUILT_IN.to_string(),
                text: DEFAULT_SCENARIO.to_string(),
            }),
            Some(path) => Ok(Text {
                origin: path.display().to_string(),
                text: scenario::read_text(path)?,
            }),
        }
    }

    fn load(&self, set: &[String], point: &[Override]) -> Result<Scenario, ScenarioError> {
        let mut overrides: Vec<Override> = set.iter().map(|s| Override::set(s)).collect();
        overrides.extend_from_slice(point);
        load_str_overridden(&self.text, &self.origin, &overrides)
    }
}

/// Keys an experiment cannot vary: every point runs the base's seed and
/// replication count, which is what makes its random numbers common.
const FIXED_KEYS: [&str; 2] = ["scenario.seed", "scenario.replications"];

fn refuse_fixed(flag: &'static str, text: &str, path: &str) -> Result<(), DesignError> {
    if FIXED_KEYS.contains(&path) {
        return Err(DesignError {
            flag,
            text: text.to_string(),
            reason: format!(
                "{path} cannot be varied: every point runs the base's seed and replications, \
                 so that points share their random numbers (set it with --seed or --reps)"
            ),
        });
    }
    Ok(())
}

/// Refuses a path that is no key of the scenario, with the loader's
/// closest valid key; a key the scenario leaves unset is fine.
fn known_key(
    text: &Text,
    base: &Base,
    base_scenario: &Scenario,
    flag: &'static str,
    path: &str,
) -> Result<(), PlanError> {
    if resolved(base_scenario, path).is_some() {
        return Ok(());
    }
    let probe = Override {
        flag,
        text: format!("{path}=1"),
    };
    let loaded = text.load(&base.set, &[probe]);
    let unknown = loaded.as_ref().err().and_then(|error| {
        error
            .problems
            .iter()
            .find(|p| p.origin == flag && p.message.contains("unknown key"))
    });
    match unknown {
        Some(problem) => Err(DesignError {
            flag,
            text: path.to_string(),
            reason: problem.message.clone(),
        }
        .into()),
        None => Ok(()),
    }
}

/// Refuses varying both the lift rate and the lift design: a given rate
/// replaces the design.
fn refuse_both_lift_alternatives(paths: &[String]) -> Result<(), DesignError> {
    const RATE: &str = "mining.lift_rate_t_per_h";
    const DESIGN: &str = "mining.lift_design";
    let rate = paths.iter().find(|p| scenario::is_within(p, RATE));
    let design = paths.iter().find(|p| scenario::is_within(p, DESIGN));
    match (rate, design) {
        (Some(rate), Some(design)) => Err(DesignError {
            flag: "--vary",
            text: design.clone(),
            reason: format!(
                "{rate} and {design}: a lift rate replaces the lift design, so vary one of them"
            ),
        }),
        _ => Ok(()),
    }
}

/// The digest of a resolved scenario.
fn digest(scenario: &Scenario) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in scenario.to_toml_string().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The value of `path` in the resolved `scenario`, if it has one; the lift
/// rate of a scenario that derives it from a lift design is that rate.
fn resolved(scenario: &Scenario, path: &str) -> Option<toml::Value> {
    let tree: toml::Value = toml::from_str(&scenario.to_toml_string()).ok()?;
    match scenario::lookup(&tree, path) {
        Some(value) => Some(value.clone()),
        None if path == "mining.lift_rate_t_per_h" => {
            Some(toml::Value::Float(scenario.mining.lift_rate_t_per_h()))
        }
        None => None,
    }
}

/// Parses the `--metric` selectors (default `defaults`).
fn selectors(metrics: &[String], defaults: &[&str]) -> Result<Vec<Selector>, SelectorError> {
    let texts: Vec<&str> = if metrics.is_empty() {
        defaults.to_vec()
    } else {
        metrics
            .iter()
            .flat_map(|m| m.split(','))
            .map(str::trim)
            .collect()
    };
    let mut parsed: Vec<Selector> = Vec::new();
    for text in texts {
        let selector = Selector::parse(text)?;
        if parsed.contains(&selector) {
            return Err(SelectorError {
                text: text.to_string(),
                reason: "given twice".to_string(),
            });
        }
        parsed.push(selector);
    }
    Ok(parsed)
}

/// Loads every point (`overrides` each, by flag) on `text`, checking the
/// selectors' years against each; every point that fails is reported.
/// Returns each point's digest and, if it is `shard`'s, its scenario.
fn load_points(
    text: &Text,
    base: &Base,
    points: &[Vec<Override>],
    labels: &[String],
    selectors: &[Selector],
    shard: Option<Shard>,
) -> Result<Vec<(String, Option<Scenario>)>, PlanError> {
    let mut scenarios = Vec::with_capacity(points.len());
    let mut failed: Option<PointError> = None;
    for (index, overrides) in points.iter().enumerate() {
        match text.load(&base.set, overrides) {
            Ok(scenario) => {
                for selector in selectors {
                    selector.check(&scenario)?;
                }
                // Every point is checked and hashed; only this shard's
                // are kept.
                let kept = shard.is_none_or(|shard| shard.owns(index));
                scenarios.push((digest(&scenario), kept.then_some(scenario)));
            }
            Err(source) => match &mut failed {
                None => {
                    failed = Some(PointError {
                        number: index + 1,
                        count: points.len(),
                        label: labels[index].clone(),
                        others: Vec::new(),
                        source,
                    })
                }
                Some(first) => first.others.push((
                    index + 1,
                    labels[index].clone(),
                    source
                        .problems
                        .first()
                        .map_or_else(String::new, |p| p.to_string()),
                )),
            },
        }
    }
    match failed {
        Some(error) => Err(error.into()),
        None => Ok(scenarios),
    }
}

fn manifest(
    kind: Kind,
    design: String,
    base: &Scenario,
    selectors: &[Selector],
    scenarios: Vec<Source>,
    parameters: Vec<Parameter>,
    points: Vec<Point>,
) -> Manifest {
    Manifest {
        deepmud_version: env!("CARGO_PKG_VERSION").to_string(),
        kind,
        design,
        seed: base.scenario.seed,
        replications: base.scenario.replications,
        metrics: selectors.iter().map(Selector::to_string).collect(),
        scenarios,
        parameters,
        points,
        shard: None,
    }
}

/// The default metrics of a sweep.
pub const SWEEP_METRICS: [&str; 3] = [
    "mud_delivered_wet_t",
    "reo_produced_t",
    "physical_availability",
];

/// The default metric of a tornado: the headline.
pub const TORNADO_METRIC: &str = "reo_produced_t";

/// A sweep of `base` over `varies`, on a full grid or a Latin hypercube;
/// every point is checked, and the scenarios of `shard`'s kept.
pub fn sweep(
    base: &Base,
    varies: &[String],
    design: Design,
    metrics: &[String],
    shard: Option<Shard>,
) -> Result<Plan, PlanError> {
    let selectors = selectors(metrics, &SWEEP_METRICS)?;
    let text = Text::read(base.file.as_deref())?;
    let base_scenario = text.load(&base.set, &[])?;
    let mut parsed: Vec<Vary> = Vec::new();
    for text in varies {
        let vary = Vary::parse(text)?;
        refuse_fixed("--vary", text, &vary.path)?;
        if let Some(other) = parsed.iter().find(|v| {
            scenario::is_within(&v.path, &vary.path) || scenario::is_within(&vary.path, &v.path)
        }) {
            let reason = if other.path == vary.path {
                format!("{} is varied twice", vary.path)
            } else {
                format!(
                    "{} and {} overlap: one would overwrite the other",
                    other.path, vary.path
                )
            };
            return Err(DesignError {
                flag: "--vary",
                text: text.clone(),
                reason,
            }
            .into());
        }
        parsed.push(vary);
    }
    if parsed.is_empty() {
        return Err(DesignError {
            flag: "--vary",
            text: String::new(),
            reason: "a sweep needs at least one --vary PATH=VALUES".to_string(),
        }
        .into());
    }
    for vary in &parsed {
        known_key(&text, base, &base_scenario, "--vary", &vary.path)?;
    }
    let paths: Vec<String> = parsed.iter().map(|v| v.path.clone()).collect();
    refuse_both_lift_alternatives(&paths)?;
    // An integer key: one the scenario holds as an integer, or, where it
    // has no value, one given an integer range.
    let integer = |vary: &Vary| match resolved(&base_scenario, &vary.path) {
        Some(value) => matches!(value, toml::Value::Integer(_)),
        None => matches!(vary.spec, design::Spec::Integers(..)),
    };
    let rows: Vec<Vec<String>> = match design {
        Design::Grid => design::grid(&parsed)?,
        Design::Lhs(count) => {
            if count < parsed.len() + 2 {
                return Err(DesignError {
                    flag: "--design",
                    text: design.name(),
                    reason: format!(
                        "rank regression over {} parameters needs at least {} points",
                        parsed.len(),
                        parsed.len() + 2
                    ),
                }
                .into());
            }
            let intervals: Vec<(f64, f64, bool)> = parsed
                .iter()
                .map(|vary| vary.interval().map(|(lo, hi)| (lo, hi, integer(vary))))
                .collect::<Result<_, _>>()?;
            let mut rng = streams::design_stream(base_scenario.scenario.seed);
            latin_hypercube(&intervals, count, &mut rng)
                .into_iter()
                .map(|row| row.into_iter().map(value_text).collect())
                .collect()
        }
    };
    let parameters: Vec<Parameter> = parsed
        .iter()
        .map(|vary| Parameter {
            path: vary.path.clone(),
            given: vary.text.clone(),
            integer: integer(vary),
            base: None,
        })
        .collect();
    let overrides: Vec<Vec<Override>> = rows
        .iter()
        .map(|row| point_overrides("--vary", &parameters, row))
        .collect();
    let labels = rows.iter().map(|row| pairs(&parameters, row)).collect();
    let points = PointRows {
        rows,
        overrides: &overrides,
        labels,
        shard,
    };
    let (kind, design) = (Kind::Sweep, design.name());
    let plan = (kind, design);
    one_source_plan(
        plan,
        &text,
        base,
        &base_scenario,
        parameters,
        points,
        selectors,
    )
}

/// The points of an experiment on one source: each row of parameter
/// values, its overrides and its label.
struct PointRows<'a> {
    rows: Vec<Vec<String>>,
    overrides: &'a [Vec<Override>],
    labels: Vec<String>,
    /// Whose scenarios to keep.
    shard: Option<Shard>,
}

/// Loads every point of an experiment on `base` alone and plans it.
fn one_source_plan(
    (kind, design): (Kind, String),
    text: &Text,
    base: &Base,
    base_scenario: &Scenario,
    parameters: Vec<Parameter>,
    points: PointRows,
    selectors: Vec<Selector>,
) -> Result<Plan, PlanError> {
    let loaded = load_points(
        text,
        base,
        points.overrides,
        &points.labels,
        &selectors,
        points.shard,
    )?;
    let (manifest_points, scenarios) = points
        .rows
        .into_iter()
        .zip(loaded)
        .map(|(values, (digest, scenario))| {
            let point = Point {
                scenario: 0,
                values,
                set: Vec::new(),
                digest,
            };
            (point, scenario)
        })
        .unzip();
    Ok(Plan {
        manifest: manifest(
            kind,
            design,
            base_scenario,
            &selectors,
            vec![source(base, base_scenario)],
            parameters,
            manifest_points,
        ),
        scenarios,
        selectors,
    })
}

fn source(base: &Base, scenario: &Scenario) -> Source {
    Source {
        file: base
            .file
            .as_ref()
            .map_or(BUILT_IN.to_string(), |f| f.display().to_string()),
        name: scenario.scenario.name.clone(),
        set: base.set.clone(),
    }
}

/// `path=value` overrides of a row of parameter values, given by `flag`.
fn point_overrides(flag: &'static str, parameters: &[Parameter], row: &[String]) -> Vec<Override> {
    parameters
        .iter()
        .zip(row)
        .map(|(parameter, value)| Override {
            flag,
            text: format!("{}={value}", parameter.path),
        })
        .collect()
}

fn pairs(parameters: &[Parameter], row: &[String]) -> String {
    let pairs: Vec<String> = parameters
        .iter()
        .zip(row)
        .map(|(parameter, value)| format!("{}={value}", parameter.path))
        .collect();
    pairs.join(", ")
}

/// A tornado of `base`: each of `params` moved by ±`delta` of its base
/// value, and each `--range PATH=lo..hi` to its ends; the first point is
/// the base.
pub fn tornado(
    base: &Base,
    params: &[String],
    delta: Option<f64>,
    ranges: &[String],
    metric: Option<&str>,
) -> Result<Plan, PlanError> {
    let selector = Selector::parse(metric.unwrap_or(TORNADO_METRIC))?;
    let text = Text::read(base.file.as_deref())?;
    let base_scenario = text.load(&base.set, &[])?;
    let mut parameters: Vec<Parameter> = Vec::new();
    let mut ends: Vec<(String, String)> = Vec::new();
    let duplicate = |parameters: &[Parameter], flag: &'static str, text: &str, path: &str| {
        if parameters.iter().any(|p| p.path == path) {
            Err(DesignError {
                flag,
                text: text.to_string(),
                reason: format!("{path} is given twice"),
            })
        } else {
            refuse_fixed(flag, text, path)
        }
    };
    let base_number = |flag: &'static str, text: &str, path: &str| {
        let error = |reason: String| DesignError {
            flag,
            text: text.to_string(),
            reason,
        };
        match resolved(&base_scenario, path) {
            Some(toml::Value::Integer(v)) => Ok((v as f64, true)),
            Some(toml::Value::Float(v)) => Ok((v, false)),
            Some(toml::Value::Table(table)) => Err(error(table_hint(path, &table))),
            Some(other) => Err(error(format!(
                "{path} is {}, not a number",
                scenario::type_name(&other)
            ))),
            None => Err(error(format!(
                "{path} has no value in the scenario to move by a share: give --range {path}=lo..hi"
            ))),
        }
    };
    let known = |flag: &'static str, path: &str| known_key(&text, base, &base_scenario, flag, path);
    let names: Vec<String> = params
        .iter()
        .flat_map(|p| p.split(','))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            scenario::normalize_path(p).map_err(|reason| DesignError {
                flag: "--params",
                text: p.to_string(),
                reason,
            })
        })
        .collect::<Result<_, _>>()?;
    for path in &names {
        duplicate(&parameters, "--params", path, path)?;
        known("--params", path)?;
        let Some(delta) = delta else {
            return Err(DesignError {
                flag: "--params",
                text: path.clone(),
                reason: "give --delta (e.g. 20%) to move it by, or --range PATH=lo..hi".into(),
            }
            .into());
        };
        let (value, integer) = base_number("--params", path, path)?;
        if value == 0.0 {
            return Err(DesignError {
                flag: "--params",
                text: path.clone(),
                reason: format!(
                    "{path} is 0 in the scenario, so ±{} of it is 0: give --range {path}=lo..hi",
                    percent(delta)
                ),
            }
            .into());
        }
        let (low, high) = tornado_ends(value, delta, integer);
        ends.push((value_text(six_figures(low)), value_text(six_figures(high))));
        parameters.push(Parameter {
            path: path.clone(),
            given: format!("±{}", percent(delta)),
            integer,
            base: Some(value_text(value)),
        });
    }
    for text in ranges {
        let (path, range) = split_path("--range", text)?;
        let path = path.as_str();
        duplicate(&parameters, "--range", text, path)?;
        known("--range", path)?;
        let (lo, hi) = range.split_once("..").ok_or_else(|| DesignError {
            flag: "--range",
            text: text.clone(),
            reason: "expected PATH=lo..hi".into(),
        })?;
        let (lo, hi) = (lo.trim(), hi.trim());
        let (value, integer) = match base_number("--range", text, path) {
            Ok(found) => found,
            Err(_) if resolved(&base_scenario, path).is_none() => (f64::NAN, false),
            Err(error) => return Err(error.into()),
        };
        let (Ok(low), Ok(high)) = (lo.parse::<f64>(), hi.parse::<f64>()) else {
            return Err(DesignError {
                flag: "--range",
                text: text.clone(),
                reason: "lo and hi must be numbers".into(),
            }
            .into());
        };
        if !(low.is_finite() && high.is_finite()) || high <= low {
            return Err(DesignError {
                flag: "--range",
                text: text.clone(),
                reason: format!("the range is empty: {lo} is not below {hi}"),
            }
            .into());
        }
        ends.push((value_text(low), value_text(high)));
        parameters.push(Parameter {
            path: path.to_string(),
            given: text.clone(),
            integer,
            base: value.is_finite().then(|| value_text(value)),
        });
    }
    if parameters.is_empty() {
        return Err(DesignError {
            flag: "--params",
            text: String::new(),
            reason: "a tornado needs --params A,B,C with --delta, or --range PATH=lo..hi".into(),
        }
        .into());
    }
    // The base point holds every parameter at its base value; a key with no
    // base value (a --range on an unset key) stays unset there.
    let base_row: Vec<String> = parameters
        .iter()
        .map(|p| p.base.clone().unwrap_or_default())
        .collect();
    let mut rows = vec![base_row.clone()];
    let mut overrides: Vec<Vec<Override>> = vec![Vec::new()];
    for (index, (low, high)) in ends.iter().enumerate() {
        for end in [low, high] {
            let mut row = base_row.clone();
            row[index] = end.clone();
            rows.push(row);
            overrides.push(vec![Override {
                flag: if parameters[index].given.starts_with('±') {
                    "--params"
                } else {
                    "--range"
                },
                text: format!("{}={end}", parameters[index].path),
            }]);
        }
    }
    let label = |i: usize| match i {
        0 => "base".to_string(),
        i => overrides[i][0].text.clone(),
    };
    let labels = (0..rows.len()).map(label).collect();
    let points = PointRows {
        rows,
        overrides: &overrides,
        labels,
        shard: None,
    };
    let design = "one-at-a-time".to_string();
    one_source_plan(
        (Kind::Tornado, design),
        &text,
        base,
        &base_scenario,
        parameters,
        points,
        vec![selector],
    )
}

/// A tornado input to six significant figures: the value run and shown.
fn six_figures(value: f64) -> f64 {
    format!("{value:.5e}").parse().unwrap_or(value)
}

fn percent(share: f64) -> String {
    format!("{}%", value_text(share * 100.0))
}

/// One alternative of a comparison made from the base: `path=value`
/// overrides and the flag that gave them (`--set` or `--variant`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    pub flag: &'static str,
    pub set: Vec<String>,
}

/// A comparison of `base` with each of `alternatives` (files, with the
/// base's `--set` too) and with each of `variants` (the base under those
/// overrides). Every scenario runs the base's seed and replications.
pub fn compare(
    base: &Base,
    alternatives: &[PathBuf],
    variants: &[Variant],
    metrics: &[String],
) -> Result<Plan, PlanError> {
    let text = Text::read(base.file.as_deref())?;
    let base_scenario = text.load(&base.set, &[])?;
    let all: Vec<&str> = super::metrics::METRICS
        .iter()
        .filter(|m| !m.money || base_scenario.economics.is_some())
        .map(|m| m.name)
        .collect();
    let mut selectors = selectors(metrics, &all)?;
    for selector in &selectors {
        selector.check(&base_scenario)?;
    }
    let by_default = metrics.is_empty();
    for (index, variant) in variants.iter().enumerate() {
        if variant.set.is_empty() {
            return Err(DesignError {
                flag: variant.flag,
                text: String::new(),
                reason: "an alternative with no values is the base".into(),
            }
            .into());
        }
        let normal = |variant: &Variant| -> Vec<(String, toml::Value)> {
            variant
                .set
                .iter()
                .filter_map(|text| scenario::parse_override(text).ok())
                .collect()
        };
        let this = normal(variant);
        if let Some(repeated) = this
            .iter()
            .enumerate()
            .find(|(i, (path, _))| this[..*i].iter().any(|(p, _)| p == path))
        {
            return Err(DesignError {
                flag: variant.flag,
                text: variant.set.join(";"),
                reason: format!("{} is set twice in one alternative", repeated.1.0),
            }
            .into());
        }
        if variants[..index].iter().any(|v| normal(v) == this) {
            return Err(DesignError {
                flag: variant.flag,
                text: variant.set.join(";"),
                reason: "the same alternative is given twice".into(),
            }
            .into());
        }
        for text in &variant.set {
            if let Ok((path, _)) = scenario::parse_override(text) {
                refuse_fixed(variant.flag, text, &path)?;
            }
        }
    }
    if alternatives.is_empty() && variants.is_empty() {
        return Err(DesignError {
            flag: "compare",
            text: String::new(),
            reason: "nothing to compare: give ALT.toml files, --set PATH=VALUE values that \
                     make an alternative of the base, or --variant alternatives"
                .into(),
        }
        .into());
    }
    let common = [
        format!("scenario.seed={}", base_scenario.scenario.seed),
        format!(
            "scenario.replications={}",
            base_scenario.scenario.replications
        ),
    ];
    let mut sources = vec![source(base, &base_scenario)];
    let mut scenarios = vec![Some(base_scenario.clone())];
    let mut points = vec![Point {
        scenario: 0,
        values: Vec::new(),
        set: Vec::new(),
        digest: digest(&base_scenario),
    }];
    for file in alternatives {
        let alternative = Base {
            file: Some(file.clone()),
            set: base.set.iter().cloned().chain(common.clone()).collect(),
        };
        let text = Text::read(Some(file))?;
        let scenario = text.load(&alternative.set, &[])?;
        check_compared(&mut selectors, &scenario, by_default)?;
        points.push(Point {
            scenario: sources.len(),
            values: Vec::new(),
            set: Vec::new(),
            digest: digest(&scenario),
        });
        sources.push(source(&alternative, &scenario));
        scenarios.push(Some(scenario));
    }
    for variant in variants {
        let overrides: Vec<Override> = variant
            .set
            .iter()
            .map(|text| Override {
                flag: variant.flag,
                text: text.clone(),
            })
            .collect();
        let scenario = text.load(&base.set, &overrides)?;
        check_compared(&mut selectors, &scenario, by_default)?;
        points.push(Point {
            scenario: 0,
            values: Vec::new(),
            set: variant.set.clone(),
            digest: digest(&scenario),
        });
        scenarios.push(Some(scenario));
    }
    Ok(Plan {
        manifest: manifest(
            Kind::Compare,
            "paired".to_string(),
            &base_scenario,
            &selectors,
            sources,
            Vec::new(),
            points,
        ),
        scenarios,
        selectors,
    })
}

/// What to name instead of the table at `path`: one of its numbers, a
/// year of a yearly path or a parameter of a distribution, by the keys it
/// has.
fn table_hint(path: &str, table: &toml::Table) -> String {
    let numbers: Vec<String> = table
        .iter()
        .filter(|(_, value)| value.is_integer() || value.is_float())
        .map(|(key, _)| format!("{path}.{key}"))
        .take(2)
        .collect();
    let yearly = !table.is_empty() && table.keys().all(|key| key.trim().parse::<i64>().is_ok());
    match (yearly, numbers.is_empty()) {
        (true, false) => format!(
            "{path} is a yearly path: name one of its years, e.g. {}",
            numbers.join(" or ")
        ),
        (false, false) => format!(
            "{path} is a table (a distribution?): name a number in it, e.g. {}",
            numbers.join(" or ")
        ),
        _ => format!(
            "{path} is a table (a distribution?): name a number in it, e.g. {path}.mean or {path}.median"
        ),
    }
}

/// Checks the selectors of a comparison against one of its scenarios.
/// Compared `by_default` (no `--metric`), every metric is every metric
/// all the scenarios report: one without `[economics]` drops the money
/// metrics rather than refusing a `--metric` no one gave.
fn check_compared(
    selectors: &mut Vec<Selector>,
    scenario: &Scenario,
    by_default: bool,
) -> Result<(), SelectorError> {
    if by_default && scenario.economics.is_none() {
        selectors.retain(|selector| !selector.metric.money);
    }
    for selector in selectors.iter() {
        selector.check(scenario)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_the_points_round_robin() {
        let shard = Shard::parse("2/3").unwrap();
        let owned: Vec<usize> = (0..8).filter(|&p| shard.owns(p)).collect();
        assert_eq!(owned, [1, 4, 7]);
        for bad in ["0/3", "4/3", "1/0", "a/b", "3"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }
}
