//! Scenario errors: every problem found in one load, each located by origin,
//! line, column and dotted key, plus the wording that messages share.

use std::fmt;

/// Which stage of loading failed; callers may treat them differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be read (missing, a directory, not UTF-8, ...).
    Unreadable,
    /// The file holds nothing but whitespace.
    Empty,
    /// The file is not valid TOML.
    Syntax,
    /// A `--set` argument is malformed or cannot be applied; the problems
    /// also list whatever else is wrong with the scenario.
    Override,
    /// Well-formed TOML with unknown keys, wrong types or values out of range.
    Invalid,
}

/// One thing wrong with a scenario, located as precisely as possible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file path, or `--set` for a value given on the command line.
    pub origin: String,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters) in the file, when known.
    pub column: Option<usize>,
    /// Dotted path of the key, e.g. `mining.failure[0].tbf_h`; empty when the
    /// problem is not about one key.
    pub key: String,
    /// The offending value as TOML, when it is short enough to quote.
    pub value: Option<String>,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for Problem {
    /// `scenarios/x.toml:12:1: mining.lift_rate_t_per_h = -3: must be > 0 t/h`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if !self.key.is_empty() {
            write!(f, ": {}", self.key)?;
            if let Some(value) = &self.value {
                write!(f, " = {value}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// A scenario that could not be loaded, with every problem found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScenarioError {
    /// The stage that failed.
    pub kind: ErrorKind,
    /// The file path (or the name of a built-in scenario).
    pub origin: String,
    /// Every problem, in the order they appear in the file, then `--set` ones.
    pub problems: Vec<Problem>,
}

impl ScenarioError {
    pub(crate) fn new(kind: ErrorKind, origin: &str, problems: Vec<Problem>) -> Self {
        ScenarioError {
            kind,
            origin: origin.to_string(),
            problems,
        }
    }
}

impl fmt::Display for ScenarioError {
    /// A first line `N problem(s) in <origin>`, then one line per problem.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        write!(f, "{count} {noun} in {}", self.origin)?;
        for problem in &self.problems {
            write!(f, "\n{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

/// The valid word closest to a misspelt one: a word that only adds a unit
/// suffix (`speed` → `speed_kn`), else the nearest within a third of its
/// length in Damerau–Levenshtein distance (rustc's threshold).
pub(crate) fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let mut extended = candidates.iter().filter(|c| {
        c.strip_prefix(word)
            .is_some_and(|rest| rest.starts_with('_'))
    });
    if let (Some(only), None) = (extended.next(), extended.next()) {
        return Some(only);
    }
    let limit = word.chars().count().max(3) / 3;
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|&(distance, _)| distance <= limit)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, c)| c)
}

/// "did you mean `x`?" or the list of what is allowed, for an unknown word.
pub(crate) fn unknown_word_hint(word: &str, candidates: &[&str]) -> String {
    match did_you_mean(word, candidates) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("expected one of: {}", candidates.join(", ")),
    }
}

/// A TOML value's type, with its article, for "expected X, found Y".
pub(crate) fn type_name(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) => "an integer",
        toml::Value::Float(_) => "a float",
        toml::Value::Boolean(_) => "a boolean",
        toml::Value::Datetime(_) => "a date-time",
        toml::Value::Array(_) => "an array",
        toml::Value::Table(_) => "a table",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_display_names_origin_position_key_value_and_rule() {
        let problem = Problem {
            origin: "scenarios/x.toml".into(),
            line: Some(12),
            column: Some(1),
            key: "mining.lift_rate_t_per_h".into(),
            value: Some("-3".into()),
            message: "must be > 0 t/h".into(),
        };
        assert_eq!(
            problem.to_string(),
            "scenarios/x.toml:12:1: mining.lift_rate_t_per_h = -3: must be > 0 t/h"
        );
    }

    #[test]
    fn problem_without_position_or_key_shows_origin_and_message() {
        let problem = Problem {
            origin: "x.toml".into(),
            line: None,
            column: None,
            key: String::new(),
            value: None,
            message: "file is empty".into(),
        };
        assert_eq!(problem.to_string(), "x.toml: file is empty");
    }

    #[test]
    fn error_display_counts_problems_then_lists_them() {
        let problem = |key: &str| Problem {
            origin: "x.toml".into(),
            line: None,
            column: None,
            key: key.into(),
            value: None,
            message: "bad".into(),
        };
        let error = ScenarioError::new(
            ErrorKind::Invalid,
            "x.toml",
            vec![problem("a"), problem("b")],
        );
        assert_eq!(
            error.to_string(),
            "2 problems in x.toml\nx.toml: a: bad\nx.toml: b: bad"
        );
        let single = ScenarioError::new(ErrorKind::Invalid, "x.toml", vec![problem("a")]);
        assert!(single.to_string().starts_with("1 problem in x.toml\n"));
    }

    #[test]
    fn misspelling_suggests_the_nearest_candidate() {
        let keys = ["lift_rate_t_per_h", "buffer_capacity_t", "speed_kn"];
        assert_eq!(
            did_you_mean("lift_rate_t_per_hr", &keys),
            Some("lift_rate_t_per_h")
        );
        assert_eq!(
            did_you_mean("bufer_capacity_t", &keys),
            Some("buffer_capacity_t")
        );
    }

    #[test]
    fn key_missing_its_unit_suffix_suggests_the_suffixed_key() {
        assert_eq!(
            did_you_mean("speed", &["speed_kn", "capacity_t"]),
            Some("speed_kn")
        );
    }

    #[test]
    fn unrelated_word_lists_every_candidate() {
        assert_eq!(did_you_mean("colour", &["speed_kn", "capacity_t"]), None);
        assert_eq!(
            unknown_word_hint("colour", &["speed_kn", "capacity_t"]),
            "expected one of: speed_kn, capacity_t"
        );
    }
}
