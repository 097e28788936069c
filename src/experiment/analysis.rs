//! What an experiment's replications say: each point's statistics, a
//! tornado's bars sorted by swing, a comparison's paired differences, and
//! the rank sensitivity of a Latin-hypercube sweep. Computed from the
//! manifest and the per-replication values alone, so a resumed, merged or
//! redrawn experiment gives the same results.

use std::collections::BTreeMap;

use super::plan::{Kind, Manifest};
use crate::stats::paired::Difference;
use crate::stats::sensitivity::{Sensitivity, sensitivity};
use crate::stats::summary::Summary;

/// Per point (by index), each replication's value of each metric:
/// `values[point][replication][metric]`.
pub type Values = BTreeMap<usize, Vec<Vec<f64>>>;

/// One metric's values across the replications of a point.
fn column(replications: &[Vec<f64>], metric: usize) -> Vec<f64> {
    replications.iter().map(|values| values[metric]).collect()
}

/// Each point's statistics of each metric: `[point][metric]`.
pub fn point_summaries(manifest: &Manifest, values: &Values) -> Vec<Vec<Summary>> {
    (0..manifest.points.len())
        .map(|point| {
            let replications = values.get(&point).map_or(&[][..], Vec::as_slice);
            (0..manifest.metrics.len())
                .map(|metric| Summary::of(&column(replications, metric)))
                .collect()
        })
        .collect()
}

/// The rank sensitivity of one metric to every parameter of a sweep, from
/// the point means.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricSensitivity {
    /// Index into the manifest's metrics.
    pub metric: usize,
    pub measures: Sensitivity,
}

/// Parameter `parameter`'s value at each point as a number; `None` when
/// one is not a number (`retrieve`, `hang_off`).
pub fn numeric_parameter(manifest: &Manifest, parameter: usize) -> Option<Vec<f64>> {
    manifest
        .points
        .iter()
        .map(|point| point.values[parameter].parse::<f64>().ok())
        .collect()
}

/// Every parameter's values as numbers, `[parameter][point]`; `None` when
/// one is not a number.
pub fn numeric_parameters(manifest: &Manifest) -> Option<Vec<Vec<f64>>> {
    (0..manifest.parameters.len())
        .map(|parameter| numeric_parameter(manifest, parameter))
        .collect()
}

/// Rank sensitivity of each metric, for a Latin-hypercube sweep.
pub fn sweep_sensitivity(
    manifest: &Manifest,
    summaries: &[Vec<Summary>],
) -> Option<Vec<MetricSensitivity>> {
    if manifest.kind != Kind::Sweep || !manifest.design.starts_with("lhs:") {
        return None;
    }
    let inputs = numeric_parameters(manifest)?;
    Some(
        (0..manifest.metrics.len())
            .map(|metric| {
                let output: Vec<f64> = summaries.iter().map(|s| s[metric].mean).collect();
                MetricSensitivity {
                    metric,
                    measures: sensitivity(&inputs, &output),
                }
            })
            .collect(),
    )
}

/// One tornado bar: a parameter at its low and high input.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Index into the manifest's parameters.
    pub parameter: usize,
    pub low_input: String,
    pub high_input: String,
    pub low: Summary,
    pub high: Summary,
    /// low − base and high − base, paired replication by replication.
    pub low_difference: Difference,
    pub high_difference: Difference,
    /// |high − low| of the means.
    pub swing: f64,
}

/// A tornado: the base value and the bars, largest swing first.
#[derive(Clone, Debug, PartialEq)]
pub struct Tornado {
    pub base: Summary,
    pub bars: Vec<Bar>,
}

/// The tornado of the manifest's first metric: point 0 is the base, points
/// 2i + 1 and 2i + 2 parameter i's low and high.
pub fn tornado(manifest: &Manifest, values: &Values) -> Tornado {
    let metric = |point: usize| {
        values
            .get(&point)
            .map_or_else(Vec::new, |reps| column(reps, 0))
    };
    let base = metric(0);
    let mut bars: Vec<Bar> = (0..manifest.parameters.len())
        .map(|parameter| {
            let (low_point, high_point) = (2 * parameter + 1, 2 * parameter + 2);
            let (low, high) = (metric(low_point), metric(high_point));
            let low_summary = Summary::of(&low);
            let high_summary = Summary::of(&high);
            Bar {
                parameter,
                low_input: manifest.points[low_point].values[parameter].clone(),
                high_input: manifest.points[high_point].values[parameter].clone(),
                low: low_summary,
                high: high_summary,
                low_difference: Difference::of(&base, &low),
                high_difference: Difference::of(&base, &high),
                swing: (high_summary.mean - low_summary.mean).abs(),
            }
        })
        .collect();
    // Largest swing first; an undefined swing last; ties keep the order given.
    bars.sort_by(|a, b| {
        let key = |bar: &Bar| if bar.swing.is_nan() { -1.0 } else { bar.swing };
        key(b).total_cmp(&key(a))
    });
    Tornado {
        base: Summary::of(&base),
        bars,
    }
}

/// One alternative of a comparison: its paired difference from the base
/// in each metric.
#[derive(Clone, Debug, PartialEq)]
pub struct Alternative {
    /// Index into the manifest's points.
    pub point: usize,
    /// One per metric.
    pub differences: Vec<Difference>,
}

/// Each alternative (points 1 …) against the base (point 0).
pub fn compare(manifest: &Manifest, values: &Values) -> Vec<Alternative> {
    let empty = Vec::new();
    let base = values.get(&0).unwrap_or(&empty);
    (1..manifest.points.len())
        .map(|point| {
            let alternative = values.get(&point).unwrap_or(&empty);
            Alternative {
                point,
                differences: (0..manifest.metrics.len())
                    .map(|metric| {
                        Difference::of(&column(base, metric), &column(alternative, metric))
                    })
                    .collect(),
            }
        })
        .collect()
}
