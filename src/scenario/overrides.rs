//! Dotted paths into a TOML table, and overrides set through them.
//!
//! `--set mining.systems=3` (and, later, `[[phase]]` tables) change the
//! parsed TOML table before it is typed, so an override is checked exactly
//! like a value written in the file. A path is dotted bare keys, each
//! optionally indexing arrays: `mining.failure[0].tbf_h`,
//! `weather.hs_median_m[6]`. Problems are reported with the same syntax.

use toml::{Table, Value};

use super::error::type_name;

/// One dotted part of a path: a key and the array indices applied after it.
struct Part<'a> {
    key: &'a str,
    indices: Vec<usize>,
}

/// Splits `path` into parts; errors name the path and what is wrong with it.
/// A key is bare (letters, digits, `_`, `-`) or in double quotes, as a
/// phase's dotted keys are: `phase[2].set."mining.systems"`.
fn parse_path(path: &str) -> Result<Vec<Part<'_>>, String> {
    if path.is_empty() {
        return Err("the path is empty".to_string());
    }
    let mut parts = Vec::new();
    let mut rest = path;
    loop {
        let (key, after) = if let Some(quoted) = rest.strip_prefix('"') {
            let close = quoted
                .find('"')
                .ok_or_else(|| format!("`{path}` has an unclosed `\"`"))?;
            (&quoted[..close], &quoted[close + 1..])
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            let key = &rest[..end];
            if !key.chars().all(is_bare_key_char) {
                return Err(format!(
                    "`{path}`: `{key}` is not a key (letters, digits, `_` and `-` only, \
                     or a key in double quotes)"
                ));
            }
            (key, &rest[end..])
        };
        if key.is_empty() {
            return Err(format!("`{path}` has an empty key"));
        }
        let mut indices = Vec::new();
        let mut after = after;
        while let Some(bracketed) = after.strip_prefix('[') {
            let index = bracketed
                .split_once(']')
                .and_then(|(digits, tail)| Some((digits.parse::<usize>().ok()?, tail)));
            let Some((index, tail)) = index else {
                return Err(format!("`{path}`: `{key}` has a malformed `[index]`"));
            };
            indices.push(index);
            after = tail;
        }
        parts.push(Part { key, indices });
        match after.strip_prefix('.') {
            Some(next) => rest = next,
            None if after.is_empty() => return Ok(parts),
            None => return Err(format!("`{path}`: expected `.` after `{key}`")),
        }
    }
}

fn is_bare_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// The path of `key` inside the table at `parent` (quoted unless bare).
pub(crate) fn child_key(parent: &str, key: &str) -> String {
    let key = if !key.is_empty() && key.chars().all(is_bare_key_char) {
        key.to_string()
    } else {
        format!("{key:?}")
    };
    if parent.is_empty() {
        key
    } else {
        format!("{parent}.{key}")
    }
}

/// The path of element `index` of the array at `parent`.
pub(crate) fn child_index(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

/// Whether `path` is `ancestor` or lies inside it.
pub(crate) fn is_within(path: &str, ancestor: &str) -> bool {
    ancestor.is_empty()
        || path
            .strip_prefix(ancestor)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// The path one level up (`a.b[2]` → `a.b` → `a` → ``), for finding the
/// nearest ancestor of a key that has no position of its own.
pub(crate) fn parent(path: &str) -> &str {
    path.rfind(['.', '[']).map_or("", |cut| &path[..cut])
}

/// The value at `path` inside `root`, if there is one.
pub(crate) fn lookup<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    let mut value = root;
    for part in parse_path(path).ok()? {
        value = value.as_table()?.get(part.key)?;
        for index in part.indices {
            value = value.as_array()?.get(index)?;
        }
    }
    Some(value)
}

/// Set `path` (dotted, e.g. "mining.lift_rate_t_per_h") in a TOML table,
/// creating intermediate tables; errors name the path.
///
/// `[i]` indexes an existing array element (`mining.failure[0].tbf_h`);
/// a path through a value that is not a table, or past the end of an
/// array, is an error.
pub fn apply_override(table: &mut Table, path: &str, value: Value) -> Result<(), String> {
    override_value(table, path, value).map(|_| ())
}

/// [`apply_override`], returning the path of what the override now owns:
/// the outermost key it created (`mining.maintenance` for
/// `mining.maintenance.interval_d` in a file without maintenance), else
/// `path` itself. A problem inside it is the override's, not the file's.
pub(crate) fn override_value(
    table: &mut Table,
    path: &str,
    value: Value,
) -> Result<String, String> {
    let parts = parse_path(path)?;
    let mut reached = String::new();
    let mut created: Option<String> = None;
    let mut table = table;
    for (n, part) in parts.iter().enumerate() {
        let is_last = n + 1 == parts.len();
        reached = child_key(&reached, part.key);
        if !table.contains_key(part.key) && created.is_none() {
            created = Some(reached.clone());
        }
        if is_last && part.indices.is_empty() {
            table.insert(part.key.to_string(), value);
            return Ok(created.unwrap_or_else(|| path.to_string()));
        }
        let mut slot = if part.indices.is_empty() {
            table
                .entry(part.key)
                .or_insert_with(|| Value::Table(Table::new()))
        } else {
            table
                .get_mut(part.key)
                .ok_or_else(|| format!("`{path}`: there is no array `{reached}` to index"))?
        };
        for (m, &index) in part.indices.iter().enumerate() {
            let found = type_name(slot);
            let array = slot
                .as_array_mut()
                .ok_or_else(|| format!("`{path}`: `{reached}` is {found}, not an array"))?;
            let len = array.len();
            slot = array.get_mut(index).ok_or_else(|| {
                format!("`{path}`: index {index} is past the end of `{reached}` ({len} elements)")
            })?;
            reached = child_index(&reached, index);
            if is_last && m + 1 == part.indices.len() {
                *slot = value;
                return Ok(path.to_string());
            }
        }
        let found = type_name(slot);
        table = slot
            .as_table_mut()
            .ok_or_else(|| format!("`{path}`: `{reached}` is {found}, not a table"))?;
    }
    Ok(path.to_string())
}

/// Parse one `--set key=value` argument (value parsed as a TOML value; if it
/// is not valid TOML but a number to Rust, such as `NaN`, `Infinity` or
/// `1e999`, it is that number, so that it is rejected as a number;
/// otherwise it is taken as a string).
///
/// The path is checked here, so a malformed one is reported with the
/// argument that held it.
pub fn parse_override(arg: &str) -> Result<(String, Value), String> {
    let Some((path, text)) = arg.split_once('=') else {
        return Err(format!(
            "`{arg}`: expected `path=value`, e.g. `mining.systems=2`"
        ));
    };
    let path = path.trim();
    if path.is_empty() {
        return Err(format!("`{arg}`: the path before `=` is empty"));
    }
    let path = normalize_path(path).map_err(|e| format!("`{arg}`: {e}"))?;
    let text = text.trim();
    let value = match text.parse::<Value>() {
        Ok(value) => value,
        // An inline table or array that does not parse is a mistake in it,
        // not a word to take as a string.
        Err(error) if text.starts_with('{') || text.starts_with('[') => {
            return Err(format!(
                "`{arg}`: the value is not valid TOML: {}",
                error.message()
            ));
        }
        Err(_) => text
            .parse::<f64>()
            .map(Value::Float)
            .unwrap_or_else(|_| Value::String(text.to_string())),
    };
    Ok((path, value))
}

/// `path` in one spelling: keys quoted only where they must be, indices
/// without leading zeros (`"mining".failure[00]` → `mining.failure[0]`),
/// so that two spellings of one key compare equal. A path into a phase's
/// overrides must name one dotted key: `phase[1].set.mining.systems` would
/// replace the phase's whole `mining` table, so it is refused in favour of
/// `phase[1].set."mining.systems"`.
pub fn normalize_path(path: &str) -> Result<String, String> {
    let parts = parse_path(path)?;
    let mut normal = String::new();
    for part in &parts {
        normal = child_key(&normal, part.key);
        for &index in &part.indices {
            normal = child_index(&normal, index);
        }
    }
    if let [phase, set, keys @ ..] = parts.as_slice()
        && phase.key == "phase"
        && !phase.indices.is_empty()
        && set.key == "set"
        && keys.len() > 1
    {
        let dotted: Vec<&str> = keys.iter().map(|k| k.key).collect();
        return Err(format!(
            "`{path}`: a phase's overrides are dotted keys; write `{}.set.\"{}\"`",
            child_index("phase", phase.indices[0]),
            dotted.join(".")
        ));
    }
    Ok(normal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        text.parse().expect("test TOML is valid")
    }

    #[test]
    fn paths_have_one_spelling_and_phase_keys_are_dotted() {
        assert_eq!(
            normalize_path("\"scenario\".\"seed\"").unwrap(),
            "scenario.seed"
        );
        assert_eq!(
            normalize_path("mining.failure[00].tbf_h").unwrap(),
            "mining.failure[0].tbf_h"
        );
        assert_eq!(
            normalize_path("phase[1].set.\"mining.systems\"").unwrap(),
            "phase[1].set.\"mining.systems\""
        );
        assert_eq!(
            normalize_path("phase[1].set.mining.systems").unwrap_err(),
            "`phase[1].set.mining.systems`: a phase's overrides are dotted keys; write \
             `phase[1].set.\"mining.systems\"`"
        );
    }

    #[test]
    fn a_quoted_key_reaches_a_phase_override() {
        let mut t = table("[[phase]]\nstart_year = 3\n[phase.set]\n\"mining.systems\" = 2\n");
        apply_override(&mut t, "phase[0].set.\"mining.systems\"", Value::Integer(4)).unwrap();
        assert_eq!(
            t,
            table("[[phase]]\nstart_year = 3\n[phase.set]\n\"mining.systems\" = 4\n")
        );
        let problem = |path: &str| parse_path(path).err().unwrap_or_default();
        assert!(problem("a.\"b").contains("unclosed"));
        assert!(problem("a.\"\"").contains("empty key"));
        assert!(problem("a\"b\"").contains("not a key"));
    }

    #[test]
    fn set_override_replaces_an_existing_value() {
        let mut t = table("[mining]\nsystems = 1\n");
        apply_override(&mut t, "mining.systems", Value::Integer(3)).unwrap();
        assert_eq!(t, table("[mining]\nsystems = 3\n"));
    }

    #[test]
    fn set_override_creates_intermediate_tables() {
        let mut t = Table::new();
        apply_override(&mut t, "mining.lift_design.pipe_bore_m", Value::Float(0.3)).unwrap();
        assert_eq!(t, table("[mining.lift_design]\npipe_bore_m = 0.3\n"));
    }

    #[test]
    fn set_override_reaches_into_arrays_by_index() {
        let mut t = table("[[mining.failure]]\nname = \"a\"\n[weather]\nhs_log_sd = [1, 2, 3]\n");
        apply_override(&mut t, "mining.failure[0].name", Value::String("b".into())).unwrap();
        apply_override(&mut t, "weather.hs_log_sd[1]", Value::Integer(9)).unwrap();
        assert_eq!(
            t,
            table("[[mining.failure]]\nname = \"b\"\n[weather]\nhs_log_sd = [1, 9, 3]\n")
        );
    }

    #[test]
    fn override_owns_the_outermost_key_it_created() {
        let mut t = table("[mining]\nsystems = 1\n");
        let owned = |t: &mut Table, path: &str| override_value(t, path, Value::Integer(1)).unwrap();
        assert_eq!(owned(&mut t, "mining.systems"), "mining.systems");
        assert_eq!(
            owned(&mut t, "mining.maintenance.interval_d"),
            "mining.maintenance"
        );
        assert_eq!(
            owned(&mut t, "mining.maintenance.duration_h"),
            "mining.maintenance.duration_h"
        );
        assert_eq!(owned(&mut t, "hub.berths"), "hub");
    }

    #[test]
    fn set_override_through_a_non_table_names_the_path() {
        let mut t = table("[site]\nwater_depth_m = 5700\n");
        let error = apply_override(&mut t, "site.water_depth_m.x", Value::Integer(1)).unwrap_err();
        assert!(
            error.contains("`site.water_depth_m` is an integer, not a table"),
            "{error}"
        );
    }

    #[test]
    fn set_override_past_the_end_of_an_array_is_an_error() {
        let mut t = table("[[mining.failure]]\nname = \"a\"\n");
        let error =
            apply_override(&mut t, "mining.failure[1].name", Value::Integer(1)).unwrap_err();
        assert!(
            error.contains("past the end of `mining.failure` (1 elements)"),
            "{error}"
        );
        let error = apply_override(&mut t, "mining.repair[0]", Value::Integer(1)).unwrap_err();
        assert!(error.contains("no array `mining.repair`"), "{error}");
    }

    #[test]
    fn parse_override_reads_toml_values() {
        assert_eq!(
            parse_override("mining.systems=3").unwrap(),
            ("mining.systems".to_string(), Value::Integer(3))
        );
        assert_eq!(
            parse_override(" scenario.years = 2.5 ").unwrap(),
            ("scenario.years".to_string(), Value::Float(2.5))
        );
        let (_, dist) =
            parse_override("mining.relocation_h={dist = \"exponential\", mean = 4}").unwrap();
        assert_eq!(
            dist,
            Value::Table(table("dist = \"exponential\"\nmean = 4\n"))
        );
    }

    #[test]
    fn parse_override_takes_invalid_toml_as_a_string() {
        assert_eq!(
            parse_override("scenario.name=deep run").unwrap().1,
            Value::String("deep run".into())
        );
        assert_eq!(
            parse_override("scenario.name=").unwrap().1,
            Value::String(String::new())
        );
    }

    #[test]
    fn parse_override_reads_numbers_toml_does_not_as_numbers() {
        let float = |arg: &str| match parse_override(arg).unwrap().1 {
            Value::Float(x) => x,
            other => panic!("{arg}: {other:?}"),
        };
        assert!(float("scenario.years=NaN").is_nan());
        assert_eq!(float("scenario.years=Infinity"), f64::INFINITY);
        assert_eq!(float("scenario.years=-INF"), f64::NEG_INFINITY);
        assert_eq!(float("scenario.years=1e999"), f64::INFINITY);
        assert_eq!(float("scenario.years=.5"), 0.5);
    }

    #[test]
    fn malformed_set_arguments_are_named() {
        let no_equals = parse_override("mining.systems").unwrap_err();
        assert!(
            no_equals.contains("`mining.systems`: expected `path=value`"),
            "{no_equals}"
        );
        let empty_key = parse_override("=3").unwrap_err();
        assert!(
            empty_key.contains("`=3`: the path before `=` is empty"),
            "{empty_key}"
        );
        let empty_part = parse_override("mining..systems=3").unwrap_err();
        assert!(empty_part.contains("empty key"), "{empty_part}");
        let bad_index = parse_override("mining.failure[x].name=3").unwrap_err();
        assert!(bad_index.contains("malformed `[index]`"), "{bad_index}");
    }

    #[test]
    fn paths_nest_and_quote_odd_keys() {
        assert_eq!(child_key("", "mining"), "mining");
        assert_eq!(child_key("mining", "a b"), "mining.\"a b\"");
        assert_eq!(child_index("mining.failure", 2), "mining.failure[2]");
        assert!(is_within("mining.failure[2].name", "mining.failure"));
        assert!(is_within("mining", "mining"));
        assert!(!is_within("mining_x", "mining"));
        assert_eq!(parent("mining.failure[2]"), "mining.failure");
        assert_eq!(parent("mining"), "");
    }

    #[test]
    fn lookup_follows_keys_and_indices() {
        let t = Value::Table(table(
            "[[mining.failure]]\nname = \"a\"\n[weather]\nhs_log_sd = [1, 2]\n",
        ));
        assert_eq!(
            lookup(&t, "mining.failure[0].name"),
            Some(&Value::String("a".into()))
        );
        assert_eq!(lookup(&t, "weather.hs_log_sd[1]"), Some(&Value::Integer(2)));
        assert_eq!(lookup(&t, "weather.hs_log_sd[2]"), None);
        assert_eq!(lookup(&t, "site"), None);
    }
}
