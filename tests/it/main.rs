//! deepmud's integration tests, one binary with a module per subject.

mod aggregation;
mod cli;
mod economics;
mod engine_properties;
mod experiments;
mod fleet;
mod guards;
mod lift;
mod model;
mod output_edges;
mod queueing;
mod scenario_edges;
mod snapshots;
mod trace;
mod weather_months;
