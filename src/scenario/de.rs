//! Typing the TOML tree with serde while finding every problem, not just
//! the first.
//!
//! serde stops at the first error. [`deserialize_all`] records the error's
//! dotted path, neutralises that spot (an unknown key is skipped; a bad or
//! missing value becomes a zero placeholder) and deserialises again, until
//! it succeeds. Each pass neutralises one more path, so it ends; callers
//! discard the placeholder-filled result when any fault was found.

use std::collections::HashSet;
use std::fmt;

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use toml::Value;

use super::error::{did_you_mean, type_name, unknown_word_hint};
use super::overrides::{child_index, child_key};
use super::validate::whole_range;

/// Passes before giving up: a guard against pathological files, far above
/// what anyone reads in one report.
const MAX_FAULTS: usize = 100;

/// Longest value quoted in a problem; longer ones (whole sections) are omitted.
const MAX_QUOTED_CHARS: usize = 60;

/// One problem found while typing the tree.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Fault {
    /// Dotted path of the key or element.
    pub path: String,
    /// The offending value as TOML, when short enough to quote.
    pub value: Option<String>,
    pub message: String,
    /// For an unknown key, the path of the valid key it was probably meant to be.
    pub suggested: Option<String>,
}

/// Deserialises `root` as `T`, returning every fault found. The value is
/// `None` only if `root` itself is of the wrong kind or the faults could
/// not all be neutralised (more than [`MAX_FAULTS`]); when faults are returned, its neutralised fields hold
/// placeholders and only serve to check the rest.
pub(crate) fn deserialize_all<T: DeserializeOwned>(root: &Value) -> (Option<T>, Vec<Fault>) {
    deserialize_all_at(root, "")
}

/// [`deserialize_all`] for a value found at `path` in a larger tree, so
/// that faults carry their full paths.
pub(crate) fn deserialize_all_at<T: DeserializeOwned>(
    value: &Value,
    path: &str,
) -> (Option<T>, Vec<Fault>) {
    let mut neutralised = HashSet::new();
    let mut faults = Vec::new();
    loop {
        let de = ValueDe {
            value,
            path: path.to_string(),
            neutralised: &neutralised,
        };
        match T::deserialize(de) {
            Ok(typed) => return (Some(typed), faults),
            Err(error) => {
                let fault = error.into_fault(path, value);
                // A fault of the value as a whole leaves nothing else to check.
                let whole = fault.path == path;
                let fresh = neutralised.insert(fault.path.clone());
                faults.push(fault);
                if whole {
                    return (None, faults);
                }
                if !fresh || faults.len() >= MAX_FAULTS {
                    faults.push(Fault {
                        path: String::new(),
                        value: None,
                        message: format!("stopped after {} problems", faults.len()),
                        suggested: None,
                    });
                    return (None, faults);
                }
            }
        }
    }
}

/// A value quoted for a problem message, if it is short.
pub(crate) fn quote(value: &Value) -> Option<String> {
    let text = match *value {
        Value::Float(x) if x.is_nan() => "nan".to_string(),
        Value::Float(x) => format!("{x:?}"),
        _ => value.to_string(),
    };
    (text.chars().count() <= MAX_QUOTED_CHARS && !text.contains('\n')).then_some(text)
}

/// A deserialisation error, located once the path where it arose is known.
#[derive(Debug)]
pub(crate) struct Error {
    message: String,
    location: Location,
    /// For an unknown key, the closest valid key: its bare name when raised,
    /// its full path once the table holding it has located the error.
    suggestion: Option<String>,
}

#[derive(Debug)]
enum Location {
    /// Raised by a visitor; the caller that knows the path fills it in.
    Unknown,
    /// A struct lacks this required field; located under the struct's path.
    MissingField(&'static str),
    At {
        path: String,
        value: Option<String>,
    },
}

impl Error {
    fn at(path: &str, value: &Value, message: String) -> Error {
        Error {
            message,
            location: Location::At {
                path: path.to_string(),
                value: quote(value),
            },
            suggestion: None,
        }
    }

    /// Locates an error raised while deserialising the value at `path`.
    fn within(mut self, path: &str, value: Option<&Value>) -> Error {
        self.location = match self.location {
            Location::Unknown => Location::At {
                path: path.to_string(),
                value: value.and_then(quote),
            },
            Location::MissingField(field) => Location::At {
                path: child_key(path, field),
                value: None,
            },
            located => located,
        };
        self
    }

    fn into_fault(self, path: &str, value: &Value) -> Fault {
        let Error {
            message,
            location,
            suggestion,
        } = self.within(path, Some(value));
        let (path, value) = match location {
            Location::At { path, value } => (path, value),
            Location::Unknown | Location::MissingField(_) => (String::new(), None),
        };
        Fault {
            path,
            value,
            message,
            suggested: suggestion,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error {
            message: message.to_string(),
            location: Location::Unknown,
            suggestion: None,
        }
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Error {
            suggestion: did_you_mean(field, expected).map(str::to_string),
            ..Error::custom(format!(
                "unknown key; {}",
                unknown_word_hint(field, expected)
            ))
        }
    }

    fn missing_field(field: &'static str) -> Self {
        Error {
            message: "required key is missing".to_string(),
            location: Location::MissingField(field),
            suggestion: None,
        }
    }
}

/// Deserialises one value of the tree, at a known path.
struct ValueDe<'a> {
    value: &'a Value,
    path: String,
    neutralised: &'a HashSet<String>,
}

impl ValueDe<'_> {
    fn expected(&self, what: &str) -> Error {
        let message = format!("expected {what}, found {}", type_name(self.value));
        Error::at(&self.path, self.value, message)
    }

    fn finite(&self, x: f64) -> Result<f64, Error> {
        if x.is_finite() {
            Ok(x)
        } else {
            Err(Error::at(
                &self.path,
                self.value,
                "must be a finite number".into(),
            ))
        }
    }

    /// A non-negative integer no larger than `max`. A key with a range in
    /// validation states that range, not its type's.
    fn whole(&self, max: u64) -> Result<u64, Error> {
        let range = whole_range(&self.path);
        let fail = |message: String| Err(Error::at(&self.path, self.value, message));
        match (self.value, range) {
            (&Value::Integer(i), _) if u64::try_from(i).is_ok_and(|n| n <= max) => Ok(i as u64),
            (Value::Integer(_), Some(range)) => fail(format!("must be a whole number {range}")),
            (Value::Integer(_), None) if max == u64::MAX => {
                fail("must be a whole number ≥ 0".to_string())
            }
            (Value::Integer(_), None) => fail(format!("must be a whole number in [0, {max}]")),
            (&Value::Float(x), Some(range)) if !x.is_finite() => {
                fail(format!("must be a whole number {range}"))
            }
            (Value::Float(_), Some(range)) => fail(format!(
                "must be a whole number {range}, written without a decimal point"
            )),
            (Value::Float(_), None) => {
                fail("must be a whole number, written without a decimal point".to_string())
            }
            (_, Some(range)) => Err(self.expected(&format!("a whole number {range}"))),
            (_, None) => Err(self.expected("a whole number")),
        }
    }

    fn entries<'de, V: Visitor<'de>>(
        &self,
        fields: Option<&'static [&'static str]>,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let Value::Table(table) = self.value else {
            return Err(self.expected("a table"));
        };
        let mut entries: Vec<(&str, Option<&Value>)> = table
            .iter()
            .filter(|(key, _)| {
                let known = fields.is_none_or(|f| f.contains(&key.as_str()));
                known || !self.neutralised.contains(&child_key(&self.path, key))
            })
            .map(|(key, value)| (key.as_str(), Some(value)))
            .collect();
        for field in fields.unwrap_or_default() {
            if !table.contains_key(*field)
                && self.neutralised.contains(&child_key(&self.path, field))
            {
                entries.push((field, None));
            }
        }
        let access = Entries {
            entries: entries.into_iter(),
            pending: None,
            path: &self.path,
            neutralised: self.neutralised,
        };
        visitor
            .visit_map(access)
            .map_err(|e| e.within(&self.path, Some(self.value)))
    }
}

impl<'de> de::Deserializer<'de> for ValueDe<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_str(s),
            Value::Integer(i) => visitor.visit_i64(*i),
            Value::Float(f) => visitor.visit_f64(self.finite(*f)?),
            Value::Boolean(b) => visitor.visit_bool(*b),
            Value::Datetime(d) => visitor.visit_string(d.to_string()),
            Value::Array(items) => visitor.visit_seq(Elements {
                items: items.iter().enumerate(),
                path: &self.path,
                neutralised: self.neutralised,
            }),
            Value::Table(_) => self.entries(None, visitor),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match *self.value {
            Value::Integer(i) => visitor.visit_f64(i as f64),
            Value::Float(f) => visitor.visit_f64(self.finite(f)?),
            _ => Err(self.expected("a number")),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_u64(self.whole(u32::MAX.into())?)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_u64(self.whole(u64::MAX)?)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match *self.value {
            Value::Boolean(b) => visitor.visit_bool(b),
            _ => Err(self.expected("true or false")),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_str(s),
            _ => Err(self.expected("a string in quotes")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(_) => self.deserialize_any(visitor),
            _ => Err(self.expected("an array")),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.entries(None, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.entries(Some(fields), visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u128 char bytes byte_buf unit unit_struct
        tuple tuple_struct enum identifier
    }
}

/// The entries of a table, minus neutralised unknown keys, plus
/// placeholders for neutralised missing fields.
struct Entries<'a, I> {
    entries: I,
    pending: Option<(String, Option<&'a Value>)>,
    path: &'a str,
    neutralised: &'a HashSet<String>,
}

impl<'de, 'a, I> MapAccess<'de> for Entries<'a, I>
where
    I: Iterator<Item = (&'a str, Option<&'a Value>)>,
{
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        let path = child_key(self.path, key);
        let result = seed
            .deserialize(key.into_deserializer())
            .map_err(|e: Error| {
                let suggestion = e
                    .suggestion
                    .as_deref()
                    .map(|field| child_key(self.path, field));
                Error {
                    suggestion,
                    ..e.within(&path, value)
                }
            });
        self.pending = Some((path, value));
        result.map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let Some((path, value)) = self.pending.take() else {
            return Err(de::Error::custom("a value was requested before its key"));
        };
        deserialize_at(seed, path, value, self.neutralised)
    }
}

/// Deserialises the value at `path`: the value itself, or a placeholder if
/// it is absent or neutralised.
fn deserialize_at<'de, S: DeserializeSeed<'de>>(
    seed: S,
    path: String,
    value: Option<&Value>,
    neutralised: &HashSet<String>,
) -> Result<S::Value, Error> {
    match value {
        Some(value) if !neutralised.contains(&path) => {
            let de = ValueDe {
                value,
                path: path.clone(),
                neutralised,
            };
            seed.deserialize(de)
                .map_err(|e| e.within(&path, Some(value)))
        }
        Some(_) => seed.deserialize(Placeholder { present: true }),
        None => seed.deserialize(Placeholder { present: false }),
    }
}

/// The elements of an array, each at its indexed path.
struct Elements<'a, I> {
    items: I,
    path: &'a str,
    neutralised: &'a HashSet<String>,
}

impl<'de, 'a, I> SeqAccess<'de> for Elements<'a, I>
where
    I: Iterator<Item = (usize, &'a Value)>,
{
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        let Some((index, value)) = self.items.next() else {
            return Ok(None);
        };
        let path = child_index(self.path, index);
        deserialize_at(seed, path, Some(value), self.neutralised).map(Some)
    }
}

/// A stand-in for a bad or missing value: zero, empty or false of whatever
/// type is asked for, so that the rest can still be checked. An optional
/// value is `Some` if the key was present (so checks that depend on its
/// presence stay quiet), else `None`.
#[derive(Clone, Copy)]
struct Placeholder {
    present: bool,
}

impl<'de> de::Deserializer<'de> for Placeholder {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_u64(0)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_bool(false)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_str("")
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_str("")
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.present {
            visitor.visit_some(self)
        } else {
            visitor.visit_none()
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_seq(SeqDeserializer::new(std::iter::empty::<Placeholder>()))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(MapDeserializer::new(
            std::iter::empty::<(&str, Placeholder)>(),
        ))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let absent = Placeholder { present: false };
        visitor.visit_map(MapDeserializer::new(fields.iter().map(|f| (*f, absent))))
    }

    forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct newtype_struct tuple tuple_struct enum identifier ignored_any
    }
}

impl IntoDeserializer<'_, Error> for Placeholder {
    type Deserializer = Placeholder;

    fn into_deserializer(self) -> Placeholder {
        self
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        count: u32,
        rate: f64,
        inner: Inner,
        #[serde(default)]
        items: Vec<Inner>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        name: String,
        #[serde(default)]
        flag: bool,
    }

    fn run(text: &str) -> (Option<Outer>, Vec<Fault>) {
        let root = Value::Table(text.parse().expect("test TOML is valid"));
        deserialize_all(&root)
    }

    fn paths(faults: &[Fault]) -> Vec<&str> {
        faults.iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn valid_input_deserialises_without_faults() {
        let (typed, faults) = run("count = 2\nrate = 3\n[inner]\nname = \"a\"\n");
        assert!(faults.is_empty(), "{faults:?}");
        let typed = typed.unwrap();
        assert_eq!(typed.rate, 3.0);
        assert_eq!(typed.inner.name, "a");
    }

    #[test]
    fn every_fault_is_found_in_one_call() {
        let (typed, faults) = run(concat!(
            "count = 2.5\nrate = \"fast\"\ncolour = 1\n",
            "[inner]\nnmae = \"a\"\n",
            "[[items]]\nname = 3\n[[items]]\nflag = 1\n",
        ));
        assert!(typed.is_some());
        let mut found = paths(&faults);
        found.sort_unstable();
        assert_eq!(
            found,
            [
                "colour",
                "count",
                "inner.name",
                "inner.nmae",
                "items[0].name",
                "items[1].flag",
                "items[1].name",
                "rate",
            ]
        );
    }

    #[test]
    fn faults_carry_the_value_and_a_clear_message() {
        let (_, faults) = run("count = 2.5\nrate = nan\nnmae = 1\n[inner]\nname = \"a\"\n");
        let fault = |path: &str| faults.iter().find(|f| f.path == path).unwrap().clone();
        assert_eq!(fault("count").value.as_deref(), Some("2.5"));
        assert!(fault("count").message.contains("whole number"));
        assert_eq!(fault("rate").message, "must be a finite number");
        assert_eq!(
            fault("nmae").message,
            "unknown key; expected one of: count, rate, inner, items"
        );
    }

    #[test]
    fn missing_required_key_is_located_under_its_table() {
        let (_, faults) = run("count = 1\nrate = 1\n[inner]\nflag = true\n");
        assert_eq!(paths(&faults), ["inner.name"]);
        assert_eq!(faults[0].message, "required key is missing");
        assert_eq!(faults[0].value, None);
    }

    #[test]
    fn a_table_where_a_number_belongs_is_a_type_fault() {
        let (_, faults) = run("count = [1]\nrate = { a = 1 }\ninner = 3\n");
        assert_eq!(paths(&faults).len(), 3, "{faults:?}");
        assert!(
            faults
                .iter()
                .any(|f| f.message == "expected a table, found an integer")
        );
    }

    #[test]
    fn faults_inside_a_subtree_carry_their_full_paths() {
        let value = Value::Table("flag = 1\n".parse().unwrap());
        let (_, faults) = deserialize_all_at::<Inner>(&value, "items[3]");
        assert_eq!(paths(&faults), ["items[3].flag", "items[3].name"]);
    }

    #[test]
    fn a_fault_of_the_whole_value_is_reported_once() {
        let (typed, faults) = deserialize_all_at::<Vec<Inner>>(&Value::Integer(3), "items");
        assert!(typed.is_none());
        assert_eq!(paths(&faults), ["items"]);
    }

    #[test]
    fn a_flood_of_faults_stops_with_a_note() {
        let text: String = (0..500).map(|i| format!("unknown{i} = 1\n")).collect();
        let (typed, faults) = run(&text);
        assert!(typed.is_none());
        assert_eq!(faults.len(), MAX_FAULTS + 1);
        assert!(faults.last().unwrap().message.starts_with("stopped after"));
    }
}
