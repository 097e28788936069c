//! deepmud: a discrete-event simulator of deep-sea rare-earth mud mining.
//!
//! The arrows go one way: `commands → ops → experiment → model → engine`,
//! with `scenario`, `stats`, `output` and `plot` used from above; `ops`
//! holds whole jobs (a scenario run into a folder) built from the rest. The engine knows
//! nothing about mining; `stats` knows nothing about files.

pub mod commands;
pub mod engine;
pub mod experiment;
pub mod model;
pub mod ops;
pub mod output;
pub mod plot;
pub mod scenario;
pub mod stats;
