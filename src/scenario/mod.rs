//! The scenario: TOML schema, distributions, overrides and validation.
