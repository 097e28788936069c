//! Experiments: replications and their seeds.

pub mod seeds;
