//! Experiments: replications of a scenario, and their metrics.

pub mod metrics;
pub mod run;
