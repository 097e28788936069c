//! deepmud: a discrete-event simulator of deep-sea rare-earth mud mining.
//!
//! The arrows go one way: `experiment → model → engine`, with `scenario` and
//! `stats` used from above. The engine knows nothing about mining.

pub mod engine;
pub mod experiment;
pub mod scenario;
pub mod stats;
