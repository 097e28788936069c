//! Loading: text → TOML table → `--set` overrides → typed `Scenario` →
//! range checks. Every problem of every stage that can run is collected and
//! located (file, line, column, dotted key) before any of them is reported.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::{Spanned, Table, Value};

use super::de::{Fault, deserialize_all, deserialize_all_at, quote};
use super::error::{ErrorKind, Problem, ScenarioError};
use super::overrides::{
    child_index, child_key, is_within, lookup, override_value, parent, parse_override,
};
use super::schema::{FailureMode, FailureModes, ResolvedPhase, Scenario};
use super::validate::{Finding, validate, validate_failure_mode};

/// The origin of values given on the command line.
const SET_ORIGIN: &str = "--set";

/// A `path=value` override and the flag that gave it, which problems with
/// it name: `--set`, or an experiment's `--vary`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    pub flag: &'static str,
    pub text: String,
}

impl Override {
    /// An override given with `--set`.
    pub fn set(text: &str) -> Override {
        Override {
            flag: SET_ORIGIN,
            text: text.to_string(),
        }
    }
}

/// Reads and loads a scenario file, applying `path=value` overrides.
pub fn load_file(path: &Path, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let overrides: Vec<Override> = overrides.iter().map(|text| Override::set(text)).collect();
    load_file_overridden(path, &overrides)
}

/// [`load_file`] with overrides from any flag.
pub fn load_file_overridden(
    path: &Path,
    overrides: &[Override],
) -> Result<Scenario, ScenarioError> {
    let text = read_text(path)?;
    load_str_overridden(&text, &path.display().to_string(), overrides)
}

/// The text of a scenario file, or the error that names it.
pub fn read_text(path: &Path) -> Result<String, ScenarioError> {
    std::fs::read_to_string(path).map_err(|error| {
        let origin = path.display().to_string();
        ScenarioError::new(
            ErrorKind::Unreadable,
            &origin,
            vec![problem(
                &origin,
                None,
                "",
                None,
                format!("cannot read file: {error}"),
            )],
        )
    })
}

/// Loads a scenario from TOML text; `origin` names it in problems (a file
/// path, or a label for built-in text).
pub fn load_str(text: &str, origin: &str, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let overrides: Vec<Override> = overrides.iter().map(|text| Override::set(text)).collect();
    load_str_overridden(text, origin, &overrides)
}

/// [`load_str`] with overrides from any flag.
pub fn load_str_overridden(
    text: &str,
    origin: &str,
    overrides: &[Override],
) -> Result<Scenario, ScenarioError> {
    if text.trim().is_empty() {
        let empty = problem(origin, None, "", None, "file is empty".into());
        return Err(ScenarioError::new(ErrorKind::Empty, origin, vec![empty]));
    }
    let mut table: Table = text.parse().map_err(|error: toml::de::Error| {
        let position = error.span().map(|span| line_column(text, span.start));
        let message = syntax_message(text, &error);
        let syntax = problem(origin, position, "", None, message);
        ScenarioError::new(ErrorKind::Syntax, origin, vec![syntax])
    })?;

    let mut set_paths = Vec::new();
    // Each applied override's path and value as written, for the order of
    // the years of a yearly path, which the parsed value no longer has.
    let mut set_values = Vec::new();
    let mut set_problems = Vec::new();
    if let Some(problem) = both_lift_alternatives(overrides) {
        set_problems.push(problem);
    }
    for arg in overrides {
        let applied = parse_override(&arg.text).and_then(|(path, value)| {
            replace_lift_alternative(&mut table, &path);
            let written = arg.text.split_once('=').map_or("", |(_, text)| text.trim());
            set_values.push((path.clone(), written.to_string()));
            override_value(&mut table, &path, value)
        });
        match applied {
            Ok(path) => set_paths.push((path, arg.flag)),
            Err(message) => set_problems.push(problem(arg.flag, None, "", None, message)),
        }
    }

    let root = Value::Table(table);
    let locator = Locator {
        text,
        origin,
        offsets: key_offsets(text),
        set_paths: &set_paths,
        root: &root,
    };
    let (typed, mut problems) = type_and_check(&locator, &set_values);
    let kind = if set_problems.is_empty() {
        ErrorKind::Invalid
    } else {
        ErrorKind::Override
    };
    let Some(mut scenario) = typed else {
        problems.extend(set_problems);
        return Err(ScenarioError::new(kind, origin, problems));
    };
    // Phases are resolved even when the rest has problems, so that all are
    // reported at once; the rest's are not repeated for every phase.
    let mut reported: HashSet<(String, String)> = problems
        .iter()
        .map(|p| (p.key.clone(), p.message.clone()))
        .collect();
    let (phases, phase_problems) = resolve_phases(&locator, &scenario, &mut reported);
    problems.extend(phase_problems);
    sort_in_file_order(&mut problems);
    problems.extend(set_problems);
    if !problems.is_empty() {
        return Err(ScenarioError::new(kind, origin, problems));
    }
    scenario.resolved_phases = phases;
    Ok(scenario)
}

/// The message of a TOML syntax error; a key given twice is named, as
/// written at the second place (`{ 2030 = 1, 2030 = 2 }` names `2030`).
fn syntax_message(text: &str, error: &toml::de::Error) -> String {
    let reason = error.message().trim_end();
    let key = error
        .span()
        .filter(|_| reason == "duplicate key")
        .and_then(|span| text.get(span))
        .map(str::trim)
        .filter(|key| !key.is_empty());
    match key {
        Some(key) => format!(
            "TOML syntax error: duplicate key `{key}`: a key may be given only once in a table"
        ),
        None => format!("TOML syntax error: {reason}"),
    }
}

/// The two ways to give the lift rate: a rate, or a design it is derived
/// from. A scenario gives exactly one.
const LIFT_RATE: &str = "mining.lift_rate_t_per_h";
const LIFT_DESIGN: &str = "mining.lift_design";

/// An override of one way to give the lift rate replaces the other, so
/// `--set mining.lift_rate_t_per_h=150` (or a sweep of it) works on a
/// scenario that derives its rate from a `[mining.lift_design]`.
fn replace_lift_alternative(table: &mut Table, path: &str) {
    let other = if is_within(path, LIFT_RATE) {
        LIFT_DESIGN
    } else if is_within(path, LIFT_DESIGN) {
        LIFT_RATE
    } else {
        return;
    };
    let key = &other["mining.".len()..];
    if let Some(Value::Table(mining)) = table.get_mut("mining") {
        mining.remove(key);
    }
}

/// Overrides of both the lift rate and the lift design contradict each
/// other (whichever comes last would silently undo the other).
fn both_lift_alternatives(overrides: &[Override]) -> Option<Problem> {
    let path_of = |arg: &Override| parse_override(&arg.text).ok().map(|(path, _)| path);
    let rate = overrides
        .iter()
        .find(|a| path_of(a).is_some_and(|p| is_within(&p, LIFT_RATE)))?;
    let design = overrides
        .iter()
        .find(|a| path_of(a).is_some_and(|p| is_within(&p, LIFT_DESIGN)))?;
    Some(problem(
        design.flag,
        None,
        "",
        None,
        format!(
            "`{}` ({}) and `{}` ({}): a lift rate replaces the lift design, so give one of them",
            rate.text, rate.flag, design.text, design.flag
        ),
    ))
}

/// Where the failure modes live in the tree.
const FAILURE_PATH: &str = "mining.failure";

/// The scenario in force in each `[[phase]]`: the file's values (with
/// `--set`) plus every phase's overrides up to and including it, typed and
/// range-checked like the file. Problems are located at the phase's
/// override that caused them, or at the phase; one at the phase that is in
/// `reported` already (found in the file, or in an earlier phase) is not
/// repeated.
///
/// The phases change one tree in turn. All of it but the failure modes is
/// small, and typed and checked afresh in each phase; the failure modes,
/// which may be thousands, are typed and checked again only where a phase
/// changes them, and otherwise shared with the phase before. So resolving
/// takes time in proportion to the file, not to phases × failure modes.
fn resolve_phases(
    locator: &Locator<'_>,
    base: &Scenario,
    reported: &mut HashSet<(String, String)>,
) -> (Vec<ResolvedPhase>, Vec<Problem>) {
    let Value::Table(root) = locator.root else {
        return (Vec::new(), Vec::new());
    };
    let mut tree = Value::Table(
        root.iter()
            .filter(|(key, _)| *key != "phase")
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect(),
    );
    let mut failures = base.mining.failure.clone();
    let mut resolved = Vec::new();
    let mut problems = Vec::new();
    for (index, phase) in base.phase.iter().enumerate() {
        let phase_path = child_index("phase", index);
        let set_path = child_key(&phase_path, "set");
        let set_keys: Vec<String> = phase
            .set
            .keys()
            .map(|key| child_key(&set_path, key))
            .collect();
        let in_phase = |path: &str, message: &str| {
            format!(
                "in phase `{}` (from year {}): {path}: {message}",
                phase.name, phase.start_year
            )
        };
        let Value::Table(table) = &mut tree else {
            break;
        };
        // What each override owns, by the key that set it.
        let mut owned = Vec::new();
        for ((key, value), set_key) in phase.set.iter().zip(&set_keys) {
            match override_value(table, key, value.clone()) {
                Ok(path) => owned.push((path, set_key)),
                Err(message) => {
                    problems.push(locator.locate(set_key, quote(value), in_phase(key, &message)))
                }
            }
        }
        let (typed, mut faults) = deserialize_all::<Scenario>(&without_failures(&tree));
        let mut findings = typed.as_ref().map(validate).unwrap_or_default();
        let owned_paths = owned.iter().map(|(path, _)| path.as_str());
        let (failure_faults, failure_findings) = retype_failures(&tree, &mut failures, owned_paths);
        faults.extend(failure_faults);
        findings.extend(failure_findings);
        for found in worth_reporting(&tree, faults, findings) {
            let own = owned.iter().find(|(key, _)| is_within(&found.path, key));
            let repeated = !reported.insert((found.path.clone(), found.message.clone()));
            if own.is_none() && repeated {
                continue;
            }
            let anchor = own.map_or(phase_path.as_str(), |(_, set_key)| set_key.as_str());
            let message = in_phase(&found.path, &found.message);
            problems.push(locator.locate(anchor, found.value, message));
        }
        if let Some(mut scenario) = typed {
            scenario.mining.failure = failures.clone();
            resolved.push(ResolvedPhase {
                name: phase.name.clone(),
                start_year: phase.start_year,
                scenario,
            });
        }
    }
    (resolved, problems)
}

/// The tree without its failure modes, for typing all the rest.
fn without_failures(tree: &Value) -> Value {
    let Value::Table(root) = tree else {
        return tree.clone();
    };
    let table = root
        .iter()
        .map(|(key, value)| match value {
            Value::Table(mining) if key == "mining" => {
                let rest = mining
                    .iter()
                    .filter(|(key, _)| *key != "failure")
                    .map(|(key, value)| (key.clone(), value.clone()));
                (key.clone(), Value::Table(rest.collect()))
            }
            _ => (key.clone(), value.clone()),
        })
        .collect();
    Value::Table(table)
}

/// Types and checks again the failure modes that overrides owning `owned`
/// paths changed: the whole list if one of them holds it, else each mode
/// one of them lies in. Returns the faults and findings.
fn retype_failures<'a>(
    tree: &Value,
    failures: &mut FailureModes,
    owned: impl Iterator<Item = &'a str>,
) -> (Vec<Fault>, Vec<Finding>) {
    let mut faults = Vec::new();
    let mut findings = Vec::new();
    let mut changed = BTreeSet::new();
    let mut whole_list = false;
    for path in owned {
        if is_within(FAILURE_PATH, path) {
            whole_list = true;
        } else if let Some(index) = failure_index(path) {
            changed.insert(index);
        }
    }
    if whole_list {
        let (typed, new_faults) = match lookup(tree, FAILURE_PATH) {
            Some(list) => deserialize_all_at::<FailureModes>(list, FAILURE_PATH),
            None => (Some(FailureModes::default()), Vec::new()),
        };
        faults.extend(new_faults);
        *failures = typed.unwrap_or_default();
        for (index, mode) in failures.iter().enumerate() {
            findings.extend(validate_failure_mode(index, mode));
        }
        return (faults, findings);
    }
    for index in changed {
        let path = child_index(FAILURE_PATH, index);
        let Some(value) = lookup(tree, &path) else {
            continue;
        };
        let (typed, new_faults) = deserialize_all_at::<FailureMode>(value, &path);
        faults.extend(new_faults);
        if let Some(mode) = typed {
            findings.extend(validate_failure_mode(index, &mode));
            if let Some(slot) = failures.make_mut().get_mut(index) {
                *slot = mode;
            }
        }
    }
    (faults, findings)
}

/// The index of the failure mode that `path` lies in, if it lies in one.
fn failure_index(path: &str) -> Option<usize> {
    let rest = path.strip_prefix(FAILURE_PATH)?.strip_prefix('[')?;
    rest.split_once(']')?.0.parse().ok()
}

/// Types the tree and checks ranges, returning the problems of both stages
/// in file order, then those of `--set` values (`set_values`: each
/// override's path and value as written).
fn type_and_check(
    locator: &Locator<'_>,
    set_values: &[(String, String)],
) -> (Option<Scenario>, Vec<Problem>) {
    let (typed, faults) = deserialize_all::<Scenario>(locator.root);
    let findings = typed.as_ref().map(validate).unwrap_or_default();
    let mut problems: Vec<Problem> = worth_reporting(locator.root, faults, findings)
        .into_iter()
        .map(|found| locator.locate(&found.path, found.value, found.message))
        .collect();
    problems.extend(unsorted_paths(locator, set_values));
    sort_in_file_order(&mut problems);
    (typed, problems)
}

/// The yearly paths whose years are not written in ascending order: in the
/// file's `[economics]` and phase overrides (unless a `--set` replaces
/// them), and in `--set` values. A path reads like a timeline, and one out
/// of order is more likely a typo than meant. The order is that of the
/// text: the parsed tables keep their keys sorted, and a year written with
/// a leading zero (`02030`) is still the year 2030.
fn unsorted_paths(locator: &Locator<'_>, set_values: &[(String, String)]) -> Vec<Problem> {
    let mut found = Vec::new();
    if let Ok(document) = DeTable::parse(locator.text) {
        let mut in_file = Vec::new();
        unsorted_in_table(document.get_ref(), "", &mut in_file);
        let replaced = |path: &str| {
            locator
                .set_paths
                .iter()
                .any(|(set, _)| is_within(path, set))
        };
        found.extend(in_file.into_iter().filter(|(path, _)| !replaced(path)));
    }
    // The last override of a path is the one in force.
    for (index, (path, written)) in set_values.iter().enumerate() {
        let replaced_later = set_values[index + 1..]
            .iter()
            .any(|(later, _)| is_within(path, later));
        if replaced_later {
            continue;
        }
        if let Ok(document) = DeTable::parse(&format!("value = {written}"))
            && let Some(value) = document.get_ref().get("value")
        {
            unsorted_in_value(value, path, &mut found);
        }
    }
    found
        .into_iter()
        .filter(|(path, _)| holds_figures(path))
        .map(|(path, years)| {
            let message = format!(
                "the years of a yearly path must be written in ascending order; found {}",
                years.join(", ")
            );
            locator.locate(&path, None, message)
        })
        .collect()
}

/// Whether `path` lies where yearly paths are figures: in `[economics]`,
/// or in a phase's overrides.
fn holds_figures(path: &str) -> bool {
    let in_phase = path
        .strip_prefix("phase[")
        .and_then(|rest| rest.split_once("]."))
        .is_some_and(|(_, rest)| is_within(rest, "set"));
    in_phase || is_within(path, "economics")
}

/// Adds the tables under `table` (at `path`) that are yearly paths with
/// their years out of order to `found`, with the years as written.
fn unsorted_in_table(table: &DeTable<'_>, path: &str, found: &mut Vec<(String, Vec<String>)>) {
    for (key, value) in table {
        unsorted_in_value(value, &child_key(path, key.get_ref()), found);
    }
}

fn unsorted_in_value(
    value: &Spanned<DeValue<'_>>,
    path: &str,
    found: &mut Vec<(String, Vec<String>)>,
) {
    match value.get_ref() {
        DeValue::Table(table) => match written_years(table) {
            Some(years) => {
                if years.windows(2).any(|pair| pair[0].1 > pair[1].1) {
                    let written = years.into_iter().map(|(key, _)| key).collect();
                    found.push((path.to_string(), written));
                }
            }
            None => unsorted_in_table(table, path, found),
        },
        DeValue::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                unsorted_in_value(item, &child_index(path, index), found);
            }
        }
        _ => {}
    }
}

/// The keys of `table` as written and as years, in the order of the
/// text, when it has two or more and every one is a whole number: a
/// yearly path. (Years out of range, or given twice, are the figure's own
/// problems.)
fn written_years(table: &DeTable<'_>) -> Option<Vec<(String, i64)>> {
    if table.len() < 2 {
        return None;
    }
    let mut years = table
        .keys()
        .map(|key| {
            let text = key.get_ref().to_string();
            let year = text.trim().parse::<i64>().ok()?;
            Some((key.span().start, text, year))
        })
        .collect::<Option<Vec<_>>>()?;
    years.sort_by_key(|&(start, _, _)| start);
    Some(
        years
            .into_iter()
            .map(|(_, text, year)| (text, year))
            .collect(),
    )
}

/// In the order of their positions in the file, then those of `--set`.
fn sort_in_file_order(problems: &mut [Problem]) {
    problems.sort_by_key(|p| {
        (
            p.origin.starts_with("--"),
            p.line.is_none(),
            p.line,
            p.column,
        )
    });
}

/// A fault or finding, by path, before it is located.
struct Found {
    path: String,
    value: Option<String>,
    message: String,
}

/// The faults and findings of one typing of `tree`, less those that would
/// only echo another.
fn worth_reporting(tree: &Value, faults: Vec<Fault>, findings: Vec<Finding>) -> Vec<Found> {
    // A missing key that an unknown key's "did you mean" already names
    // needs no problem of its own.
    let suggested: Vec<&str> = faults
        .iter()
        .filter_map(|f| f.suggested.as_deref())
        .collect();
    let redundant = |path: &str| suggested.contains(&path) && lookup(tree, path).is_none();
    // A check on a value that holds, or sits inside, a placeholder would
    // only echo the fault that put it there.
    let echoes_a_fault = |path: &str| {
        faults
            .iter()
            .any(|fault| is_within(path, &fault.path) || is_within(&fault.path, path))
    };
    let mut found: Vec<Found> = faults
        .iter()
        .filter(|fault| !redundant(&fault.path))
        .map(|fault| Found {
            path: fault.path.clone(),
            value: fault.value.clone(),
            message: fault.message.clone(),
        })
        .collect();
    found.extend(
        findings
            .into_iter()
            .filter(|finding| !redundant(&finding.path) && !echoes_a_fault(&finding.path))
            .map(|finding| Found {
                value: lookup(tree, &finding.path).and_then(quote),
                path: finding.path,
                message: finding.message,
            }),
    );
    found
}

fn problem(
    origin: &str,
    position: Option<(usize, usize)>,
    key: &str,
    value: Option<String>,
    message: String,
) -> Problem {
    Problem {
        origin: origin.to_string(),
        line: position.map(|(line, _)| line),
        column: position.map(|(_, column)| column),
        key: key.to_string(),
        value,
        message,
    }
}

/// Turns faults and findings, known by path, into located problems.
struct Locator<'a> {
    text: &'a str,
    origin: &'a str,
    /// Byte offset of each key (or array element) in the text, by path.
    offsets: HashMap<String, usize>,
    /// What `--set` (or `--vary`) arguments own: the keys they set, or the
    /// outermost ones they created, with the flag.
    set_paths: &'a [(String, &'static str)],
    /// The tree that was typed, to quote values.
    root: &'a Value,
}

impl Locator<'_> {
    /// A value set on the command line is located there; anything else at
    /// its key in the file, or at its nearest ancestor that is in the file
    /// (the section of a missing key).
    fn locate(&self, path: &str, value: Option<String>, message: String) -> Problem {
        // The last override of a key is the one in force.
        let owner = self
            .set_paths
            .iter()
            .rev()
            .find(|(set, _)| is_within(path, set));
        if let Some((_, flag)) = owner {
            return problem(flag, None, path, value, message);
        }
        let mut at = path;
        let offset = loop {
            if let Some(&offset) = self.offsets.get(at) {
                break Some(offset);
            }
            if at.is_empty() {
                break None;
            }
            at = parent(at);
        };
        let position = offset.map(|offset| line_column(self.text, offset));
        problem(self.origin, position, path, value, message)
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let line = before.matches('\n').count() + 1;
    (line, before[line_start..].chars().count() + 1)
}

/// The byte offset of every key in the text, by dotted path; array
/// elements by the offset of the element.
fn key_offsets(text: &str) -> HashMap<String, usize> {
    let mut offsets = HashMap::new();
    if let Ok(document) = DeTable::parse(text) {
        record_table(document.get_ref(), "", &mut offsets);
    }
    offsets
}

fn record_table(table: &DeTable<'_>, path: &str, offsets: &mut HashMap<String, usize>) {
    for (key, value) in table {
        let path = child_key(path, key.get_ref());
        offsets.entry(path.clone()).or_insert(key.span().start);
        record_value(value, &path, offsets);
    }
}

fn record_value(value: &Spanned<DeValue<'_>>, path: &str, offsets: &mut HashMap<String, usize>) {
    match value.get_ref() {
        DeValue::Table(table) => record_table(table, path, offsets),
        DeValue::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let path = child_index(path, index);
                offsets.entry(path.clone()).or_insert(item.span().start);
                record_value(item, &path, offsets);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::scenario::{DEFAULT_SCENARIO, Dist, Monthly};

    /// The smallest valid scenario: required keys only.
    const MINIMAL: &str = "\
[site]
water_depth_m = 5700
port_distance_nm = 1100

[mining]
lift_rate_t_per_h = 100
buffer_capacity_t = 20000
trip_in_m_per_h = 50
trip_out_m_per_h = 80
";

    /// Every key of the schema, each set away from its default.
    const FULL: &str = r#"
[scenario]
name = "full"
years = 3.5
start_month = 4
seed = 99
replications = 7

[site]
water_depth_m = 5700.0
port_distance_nm = 1100

[weather]
step_h = 1
hs_median_m = [2.8, 2.7, 2.5, 2.0, 1.5, 1.5, 1.5, 1.5, 1.5, 2.0, 2.5, 2.7]
hs_log_sd = 0.4
hs_lag1_autocorrelation = 0.9
typhoon_rate_per_month = [0, 0, 0, 0, 0, 0.1, 0.2, 0.4, 0.5, 0.4, 0.2, 0]
typhoon_warning_h = 48
typhoon_duration_h = { dist = "uniform", min = 12, max = 36 }

[mining]
systems = 2
vessel_speed_kn = 12
buffer_capacity_t = 30000
trip_in_m_per_h = 50
trip_out_m_per_h = 80
hs_limit_trip_m = 3.5
hs_limit_lift_m = 4
hs_limit_survival_m = 6
patch_t = 20000
relocation_h = { dist = "weibull", shape = 2, scale = 12 }
max_trips = 3
campaign_d = 16

[mining.lift_design]
pipe_bore_m = 0.3
slurry_velocity_m_per_s = 4
mud_volume_fraction = 0.2
mud_wet_density_t_per_m3 = 1.4

[mining.maintenance]
interval_d = 365
duration_h = { dist = "normal", mean = 300, sd = 50 }
at_port = true

[mining.crew_change]
interval_d = 28
duration_h = 4

[[mining.failure]]
name = "pump"
tbf_h = { dist = "exponential", mean = 500 }
repair_h = { dist = "lognormal", mean = 10, sd = 5 }

[[mining.failure]]
name = "tool"
tbf_h = { dist = "fixed", value = 4000 }
repair_h = { dist = "triangular", min = 24, mode = 72, max = 168 }
retrieve_string = true

[fleet]
shuttles = 3
capacity_t = 15000
speed_kn = 13
transfer_rate_t_per_h = 800
hs_limit_transfer_m = 2.5

[port]
berths = 2
unload_rate_t_per_h = 1200
plant_capacity_dry_t_per_d = 1000
plant_availability = 0.95
recovery = 0.85

[refining]
home_capacity_reo_t_per_y = 500

[ore]
rey_ppm = { dist = "lognormal", median = 670, p90 = 2000 }
block_t = 5000
block_autocorrelation = 0.5
dilution_fraction = 0.05
dilution_rey_ppm = 250
heavy_share = 0.4
solids_mass_fraction = 0.35
oxide_factor = 1.19
"#;

    fn load(text: &str, overrides: &[&str]) -> Result<Scenario, ScenarioError> {
        let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
        load_str(text, "x.toml", &overrides)
    }

    fn problems(text: &str, overrides: &[&str]) -> Vec<Problem> {
        match load(text, overrides) {
            Ok(_) => panic!("expected problems in:\n{text}"),
            Err(error) => error.problems,
        }
    }

    fn line_of(text: &str, start: &str) -> usize {
        text.lines()
            .position(|l| l.starts_with(start))
            .expect("line present")
            + 1
    }

    #[test]
    fn default_scenario_loads() {
        let scenario = load(DEFAULT_SCENARIO, &[]).unwrap_or_else(|e| panic!("{e}"));
        assert!(scenario.mining.lift_rate_t_per_h() > 0.0);
    }

    #[test]
    fn valid_full_scenario_loads_every_key() {
        let s = load(FULL, &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.scenario.name, "full");
        assert_eq!(s.scenario.start_month, 4);
        assert_eq!(s.site.port_distance_nm, 1100.0);
        assert_eq!(s.weather.hs_median_m.month(0), 2.8);
        assert_eq!(s.weather.hs_log_sd, Monthly::Same(0.4));
        assert_eq!(s.mining.systems, 2);
        assert_eq!(s.mining.max_trips, Some(3));
        assert_eq!(s.mining.lift_rate_t_per_h, None);
        let design = s.mining.lift_design.as_ref().unwrap();
        assert_eq!(s.mining.lift_rate_t_per_h(), design.lift_rate_t_per_h());
        assert!(s.mining.maintenance.as_ref().unwrap().at_port);
        assert_eq!(
            s.mining.crew_change.as_ref().unwrap().duration_h,
            Dist::fixed(4.0)
        );
        assert_eq!(s.mining.failure.len(), 2);
        assert!(s.mining.failure[1].retrieve_string);
        assert_eq!(s.fleet.shuttles, 3);
        assert_eq!(s.port.berths, 2);
        assert_eq!(s.ore.oxide_factor, 1.19);
    }

    #[test]
    fn omitted_keys_and_sections_take_their_defaults() {
        let s = load(MINIMAL, &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.scenario.name, "scenario");
        assert_eq!(s.scenario.replications, 10);
        assert_eq!(
            s.weather.typhoon_duration_h,
            Dist::triangular(24.0, 48.0, 72.0)
        );
        assert_eq!(s.mining.systems, 1);
        assert_eq!(s.mining.relocation_h, Dist::fixed(12.0));
        assert_eq!(s.mining.hs_limit_survival_m, 6.0);
        assert!(s.mining.failure.is_empty());
        assert_eq!(s.fleet.capacity_t, 20_000.0);
        assert_eq!(s.port.plant_availability, 0.9);
        assert_eq!(
            s.ore.rey_ppm,
            Dist::lognormal_median_p90(1000.0, 3000.0).truncated(None, Some(8000.0))
        );
    }

    #[test]
    fn resolved_scenario_round_trips_through_toml() {
        for text in [FULL, MINIMAL, DEFAULT_SCENARIO] {
            let scenario = load(text, &[]).unwrap_or_else(|e| panic!("{e}"));
            let written = scenario.to_toml_string();
            let again = load(&written, &[]).unwrap_or_else(|e| panic!("{e}\n{written}"));
            assert_eq!(again, scenario, "{written}");
        }
    }

    #[test]
    fn integers_are_accepted_where_floats_are_expected() {
        let s = load(MINIMAL, &["fleet.speed_kn=12", "mining.systems=2"]).unwrap();
        assert_eq!(s.fleet.speed_kn, 12.0);
        assert_eq!(s.mining.systems, 2);
    }

    #[test]
    fn floats_are_rejected_where_integers_are_expected() {
        let found = problems(MINIMAL, &["mining.systems=2.0"]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].key, "mining.systems");
        assert!(
            found[0].message.contains("whole number"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn three_problems_are_reported_together() {
        let text = MINIMAL.replace("buffer_capacity_t = 20000", "buffer_capacity_t = -3")
            + "colour = \"red\"\n[port]\nplant_availability = 1.5\n";
        let found = problems(&text, &[]);
        let keys: Vec<&str> = found.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "mining.buffer_capacity_t",
                "mining.colour",
                "port.plant_availability"
            ],
            "{found:#?}"
        );
        assert_eq!(
            found[0].to_string(),
            format!(
                "x.toml:{}:1: mining.buffer_capacity_t = -3: must be > 0 t",
                line_of(&text, "buffer")
            )
        );
    }

    #[test]
    fn problem_line_and_column_point_at_the_key() {
        let text = MINIMAL.replace("trip_out_m_per_h = 80", "trip_out_m_per_h = 0");
        let found = problems(&text, &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, Some(line_of(&text, "trip_out")));
        assert_eq!(found[0].column, Some(1));
        let inline =
            MINIMAL.to_string() + "relocation_h = { dist = \"exponential\", mean = nan }\n";
        let found = problems(&inline, &[]);
        assert_eq!(found[0].key, "mining.relocation_h.mean");
        let line = line_of(&inline, "relocation");
        let column = inline
            .lines()
            .nth(line - 1)
            .and_then(|l| l.find("mean"))
            .unwrap()
            + 1;
        assert_eq!((found[0].line, found[0].column), (Some(line), Some(column)));
    }

    #[test]
    fn misspelt_key_suggests_closest_valid_key() {
        let text = MINIMAL.replace("lift_rate_t_per_h", "lift_rate_t_per_hr");
        let found = problems(&text, &[]);
        assert_eq!(
            found.len(),
            1,
            "the missing key is not reported twice: {found:#?}"
        );
        assert_eq!(
            found[0].to_string(),
            format!(
                "x.toml:{}:1: mining.lift_rate_t_per_hr = 100: unknown key; did you mean `lift_rate_t_per_h`?",
                line_of(&text, "lift_rate")
            )
        );
    }

    #[test]
    fn unknown_key_with_nothing_close_lists_the_valid_keys() {
        let found = problems(&format!("{MINIMAL}[port]\nwharf = 1\n"), &[]);
        assert!(
            found[0]
                .message
                .contains("expected one of: berths, unload_rate_t_per_h"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn missing_required_key_points_at_its_section() {
        let text = MINIMAL.replace("water_depth_m = 5700\n", "");
        let found = problems(&text, &[]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].key, "site.water_depth_m");
        assert_eq!(found[0].message, "required key is missing");
        assert_eq!(found[0].line, Some(line_of(&text, "[site]")));
    }

    #[test]
    fn missing_sections_are_each_reported() {
        let found = problems("[scenario]\nyears = 2\n", &[]);
        let keys: Vec<&str> = found.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["site", "mining"]);
    }

    #[test]
    fn nan_is_rejected_where_finite_required() {
        for value in ["nan", "inf", "-inf", "+nan"] {
            let found = problems(MINIMAL, &[&format!("site.water_depth_m={value}")]);
            assert_eq!(found.len(), 1, "{found:#?}");
            assert_eq!(found[0].message, "must be a finite number");
        }
    }

    #[test]
    fn set_override_changes_a_value() {
        let s = load(MINIMAL, &["mining.systems=3", "scenario.name=deep run"]).unwrap();
        assert_eq!(s.mining.systems, 3);
        assert_eq!(s.scenario.name, "deep run");
    }

    #[test]
    fn set_override_is_validated_like_the_file() {
        let error = load(MINIMAL, &["fleet.speed_kn=-1"]).unwrap_err();
        assert_eq!(error.kind, ErrorKind::Invalid);
        assert_eq!(error.problems.len(), 1);
        assert_eq!(
            error.problems[0].to_string(),
            "--set: fleet.speed_kn = -1: must be in (0, 40] kn"
        );
    }

    #[test]
    fn set_override_of_a_whole_table_is_checked_inside() {
        let found = problems(MINIMAL, &["mining.maintenance={ interval_d = -1 }"]);
        let shown: Vec<String> = found.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            shown,
            [
                "--set: mining.maintenance.duration_h: required key is missing",
                "--set: mining.maintenance.interval_d = -1: must be ≥ 1 d",
            ]
        );
    }

    #[test]
    fn malformed_set_is_reported_with_its_argument_alongside_other_problems() {
        let error = load(
            MINIMAL,
            &[
                "mining.systems",
                "site.water_depth_m.x=1",
                "fleet.speed_kn=-1",
            ],
        )
        .unwrap_err();
        assert_eq!(error.kind, ErrorKind::Override);
        let shown: Vec<String> = error.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(shown.len(), 3, "{shown:#?}");
        assert!(shown[0].contains("fleet.speed_kn = -1"), "{shown:#?}");
        assert!(
            shown[1].starts_with("--set: `mining.systems`: expected `path=value`"),
            "{shown:#?}"
        );
        assert!(
            shown[2].contains("`site.water_depth_m` is an integer, not a table"),
            "{shown:#?}"
        );
    }

    #[test]
    fn empty_file_says_so() {
        for text in ["", "  \n\t\n"] {
            let error = load(text, &[]).unwrap_err();
            assert_eq!(error.kind, ErrorKind::Empty);
            assert_eq!(
                error.to_string(),
                "1 problem in x.toml\nx.toml: file is empty"
            );
        }
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let error = load("[site]\nwater_depth_m = \n", &[]).unwrap_err();
        assert_eq!(error.kind, ErrorKind::Syntax);
        let problem = &error.problems[0];
        assert_eq!((problem.line, problem.column), (Some(2), Some(17)));
        assert!(
            problem.message.starts_with("TOML syntax error: "),
            "{}",
            problem.message
        );
    }

    #[test]
    fn unreadable_file_names_the_path_and_the_reason() {
        let error = load_file(Path::new("no/such/scenario.toml"), &[]).unwrap_err();
        assert_eq!(error.kind, ErrorKind::Unreadable);
        let shown = error.to_string();
        assert!(
            shown.contains("no/such/scenario.toml: cannot read file: "),
            "{shown}"
        );
    }

    #[test]
    fn unknown_dist_name_lists_the_allowed_names() {
        let found = problems(
            MINIMAL,
            &["mining.relocation_h={dist = \"gamma\", mean = 3}"],
        );
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .contains("unknown distribution `gamma`; expected one of: fixed, exponential"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn bad_dist_parameters_are_problems() {
        let found = problems(
            MINIMAL,
            &["mining.relocation_h={dist = \"lognormal\", median = 10, p90 = 5}"],
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].key, "mining.relocation_h");
        assert!(
            found[0].message.contains("p90 (5) must be > median (10)"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn lift_rate_or_lift_design_exactly_one() {
        let design = "[mining.lift_design]\npipe_bore_m = 0.3\nslurry_velocity_m_per_s = 4\nmud_volume_fraction = 0.2\n";
        let both = problems(&format!("{MINIMAL}{design}"), &[]);
        assert_eq!(
            both[0].message,
            "give either lift_rate_t_per_h or lift_design, not both"
        );
        // An override of one replaces the other.
        let derived = load_str(
            MINIMAL,
            "minimal",
            &["mining.lift_design={pipe_bore_m = 0.3, slurry_velocity_m_per_s = 4, mud_volume_fraction = 0.2}".to_string()],
        )
        .unwrap();
        assert_eq!(derived.mining.lift_rate_t_per_h, None);
        let text = MINIMAL.replace("lift_rate_t_per_h = 100\n", "");
        let rate = load_str(
            &format!("{text}{design}"),
            "minimal",
            &["mining.lift_rate_t_per_h=150".to_string()],
        )
        .unwrap();
        assert_eq!(rate.mining.lift_rate_t_per_h, Some(150.0));
        assert!(rate.mining.lift_design.is_none());
        let text = MINIMAL.replace("lift_rate_t_per_h = 100\n", "");
        let neither = problems(&text, &[]);
        assert_eq!(neither[0].key, "mining.lift_rate_t_per_h");
        assert!(neither[0].message.starts_with("required key is missing"));
    }

    #[test]
    fn survival_limit_below_a_working_limit_is_a_problem() {
        let found = problems(MINIMAL, &["mining.hs_limit_lift_m=7"]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].key, "mining.hs_limit_survival_m");
        assert_eq!(
            found[0].line,
            Some(line_of(MINIMAL, "[mining]")),
            "located at its section"
        );
    }

    #[test]
    fn monthly_array_of_wrong_length_names_the_length() {
        let found = problems(MINIMAL, &["weather.hs_median_m=[1, 2]"]);
        assert_eq!(
            found[0].message,
            "expected 12 monthly values (January to December), found 2"
        );
    }

    #[test]
    fn wrong_shapes_are_type_problems_not_panics() {
        let cases = [
            "site = []\nmining = \"x\"\n",
            "[[site]]\n[[mining]]\n",
            "[site]\n[mining]\n",
            "[site]\nwater_depth_m = { a = 1 }\nport_distance_nm = [[1]]\n[mining]\nfailure = [1, \"x\", {}]\n",
            "[site]\nwater_depth_m = 1e308\nport_distance_nm = 9223372036854775807\n[mining]\nsystems = -9223372036854775808\n",
            "[weather]\nhs_median_m = []\ntyphoon_duration_h = \"long\"\n[site]\n[mining]\n",
            "scenario = 1979-05-27T07:32:00Z\n",
        ];
        for text in cases {
            let found = problems(text, &[]);
            assert!(!found.is_empty());
        }
    }

    fn toml_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            any::<i64>().prop_map(Value::Integer),
            any::<f64>().prop_map(Value::Float),
            prop_oneof![Just(0.0), Just(1.0), Just(-1.0), Just(0.5), Just(13.0)]
                .prop_map(Value::Float),
            "[a-z_]{0,8}".prop_map(Value::String),
            any::<bool>().prop_map(Value::Boolean),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..13).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("dist".to_string()),
                        Just("mean".to_string()),
                        "[a-z]{1,6}"
                    ],
                    inner,
                    0..4
                )
                .prop_map(|m| Value::Table(m.into_iter().collect())),
            ]
        })
    }

    const PATHS: [&str; 16] = [
        "scenario",
        "scenario.years",
        "scenario.replications",
        "site.water_depth_m",
        "weather.hs_median_m",
        "weather.typhoon_duration_h",
        "mining",
        "mining.systems",
        "mining.lift_design",
        "mining.relocation_h",
        "mining.maintenance",
        "mining.failure",
        "mining.hs_limit_survival_m",
        "fleet",
        "port.recovery",
        "ore.rey_ppm",
    ];

    proptest! {
        /// Any value anywhere either loads into a scenario that passes its
        /// own checks again, or yields located problems: never a panic.
        #[test]
        fn any_value_at_any_key_loads_or_reports_problems(
            sets in prop::collection::vec((0..PATHS.len(), toml_value()), 1..4)
        ) {
            let overrides: Vec<String> = sets
                .iter()
                .map(|(i, value)| format!("{}={value}", PATHS[*i]))
                .collect();
            match load_str(MINIMAL, "x.toml", &overrides) {
                Ok(scenario) => prop_assert!(validate(&scenario).is_empty()),
                Err(error) => {
                    prop_assert!(!error.problems.is_empty());
                    prop_assert!(error.problems.iter().all(|p| !p.message.is_empty()));
                }
            }
        }
    }
}
