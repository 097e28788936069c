//! Experiments: replications of a scenario, their seeds and their metrics.

pub mod metrics;
pub mod run;
pub mod seeds;
