//! Experiments: replications of a scenario and their metrics; sweeps,
//! tornado diagrams and paired comparisons of many scenario points run on
//! common random numbers, resumable and shardable.

pub mod design;
pub mod metrics;
pub mod run;
pub mod selector;
