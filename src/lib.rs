//! deepmud: a discrete-event simulator of deep-sea rare-earth mud mining.
//!
//! The arrows go one way: `commands → experiment → model → engine`, with
//! `scenario`, `stats` and `output` used from above. The engine knows
//! nothing about mining; `stats` knows nothing about files.

pub mod commands;
pub mod engine;
pub mod experiment;
pub mod model;
pub mod output;
pub mod plot;
pub mod scenario;
pub mod stats;
