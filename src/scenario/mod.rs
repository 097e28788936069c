//! The scenario: TOML schema, defaults, distributions, dotted-path overrides
//! and validation.
//!
//! Loading runs in stages, like ripgrep's flags: the text is parsed into a
//! TOML table, `--set path=value` overrides change that table, serde types
//! it into a [`Scenario`], and range checks run on the typed values. Every
//! problem of every stage that can run is reported at once, each with its
//! file, line, column, dotted key, value and the allowed range:
//!
//! ```text
//! 3 problems in scenarios/x.toml
//! scenarios/x.toml:12:1: mining.lift_rate_t_per_hr = -3: unknown key; did you mean `lift_rate_t_per_h`?
//! scenarios/x.toml:30:1: port.plant_availability = 1.5: must be in (0, 1]
//! --set: fleet.speed_kn = -1: must be in (0, 40] kn
//! ```
//!
//! ```
//! use deepmud::scenario::{load_str, DEFAULT_SCENARIO};
//!
//! let overrides = ["mining.systems=2".to_string()];
//! let scenario = load_str(DEFAULT_SCENARIO, "default", &overrides).unwrap();
//! assert_eq!(scenario.mining.systems, 2);
//! ```

mod de;
mod dist;
mod economics;
mod error;
mod load;
mod overrides;
mod schema;
mod validate;

pub use dist::Dist;
pub use economics::*;
pub(crate) use error::did_you_mean;
pub(crate) use error::type_name;
pub use error::{ErrorKind, Problem, ScenarioError};
pub use load::{
    Override, load_file, load_file_overridden, load_str, load_str_overridden, read_text,
};
pub use overrides::{apply_override, normalize_path, parse_override};
pub(crate) use overrides::{is_within, lookup};
pub use schema::*;

/// The built-in default scenario: the text of scenarios/default.toml, embedded.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/default.toml");
