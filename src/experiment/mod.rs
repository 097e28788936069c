//! Experiments: replications of a scenario and their metrics; sweeps,
//! tornado diagrams and paired comparisons of many scenario points run on
//! common random numbers, resumable and shardable.

pub mod analysis;
pub mod batch;
pub mod design;
pub mod metrics;
pub mod plan;
pub mod run;
pub mod selector;
