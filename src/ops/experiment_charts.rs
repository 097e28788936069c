//! The charts of an experiment, built from its manifest and values: a
//! sweep's response curves (and a heatmap over exactly two parameters) or,
//! for a Latin hypercube, its rank-sensitivity bars; a tornado; a
//! comparison's paired differences. Their names follow from the manifest
//! alone, so a folder's files are known before anything is drawn.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::Charts;
use crate::experiment::analysis::{self, Values};
use crate::experiment::plan::{Kind, Manifest};
use crate::experiment::selector::Selector;
use crate::output::experiment::ranked;
use crate::plot::experiment::{
    self as charts, Band, Coefficients, Comparison, Curve, Difference, ExperimentChart, Heatmap,
    Response, Tornado, TornadoBar,
};
use crate::stats::summary::Summary;

/// Beyond this many combinations of the other parameters, a response
/// chart shows their mean instead of a curve each.
const MAX_CURVES: usize = 10;

/// A file-name-safe form of a path or selector.
fn slug(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn is_lhs(manifest: &Manifest) -> bool {
    manifest.design.starts_with("lhs:")
}

/// The parameters whose values are all numbers, by index.
fn numeric(manifest: &Manifest) -> Vec<usize> {
    (0..manifest.parameters.len())
        .filter(|&p| analysis::numeric_parameter(manifest, p).is_some())
        .collect()
}

/// Each chart's file stem (without extension) and what it shows.
fn charts_of(
    manifest: &Manifest,
    values: Option<&Values>,
) -> Vec<(String, Option<ExperimentChart>)> {
    let mut list = Vec::new();
    let summaries = values.map(|values| analysis::point_summaries(manifest, values));
    let titles: Vec<String> = manifest
        .metrics
        .iter()
        .map(|m| Selector::parse(m).map_or_else(|_| m.clone(), |s| s.title()))
        .collect();
    match manifest.kind {
        Kind::Sweep if is_lhs(manifest) => {
            let measures = summaries
                .as_ref()
                .and_then(|s| analysis::sweep_sensitivity(manifest, s));
            for (metric, name) in manifest.metrics.iter().enumerate() {
                let chart = measures.as_ref().map(|measures| {
                    let m = &measures[metric].measures;
                    ExperimentChart::Sensitivity(Coefficients {
                        title: format!(
                            "Rank sensitivity of {} ({}, R² = {:.2})",
                            lowercase_first(&titles[metric]),
                            manifest.design,
                            m.r_squared
                        ),
                        x_title: "Standardised rank regression coefficient (SRRC)".to_string(),
                        bars: ranked(&m.srrc)
                            .into_iter()
                            .map(|p| (manifest.parameters[p].path.clone(), m.srrc[p]))
                            .collect(),
                    })
                });
                list.push((format!("sensitivity_{}", slug(name)), chart));
            }
        }
        Kind::Sweep => {
            let numeric = numeric(manifest);
            for (metric, name) in manifest.metrics.iter().enumerate() {
                for &parameter in &numeric {
                    let chart = summaries
                        .as_ref()
                        .map(|s| response(manifest, s, parameter, metric, &titles[metric]));
                    list.push((
                        format!(
                            "response_{}_{}",
                            slug(&manifest.parameters[parameter].path),
                            slug(name)
                        ),
                        chart,
                    ));
                }
                if manifest.parameters.len() == 2 && numeric.len() == 2 {
                    let chart = summaries
                        .as_ref()
                        .map(|s| heatmap(manifest, s, metric, &titles[metric]));
                    list.push((format!("heatmap_{}", slug(name)), chart));
                }
            }
        }
        Kind::Tornado => {
            let chart = values.map(|values| tornado(manifest, values, &titles[0]));
            list.push(("tornado".to_string(), chart));
        }
        Kind::Compare => {
            let alternatives = values.map(|values| analysis::compare(manifest, values));
            let count = manifest.points.len() - 1;
            for index in 0..count {
                let stem = if count == 1 {
                    "compare".to_string()
                } else {
                    format!("compare_{}", index + 1)
                };
                let chart = alternatives.as_ref().map(|alternatives| {
                    let alternative = &alternatives[index];
                    ExperimentChart::Comparison(Comparison {
                        title: format!(
                            "{} − {} (paired, {} replications)",
                            manifest.point_label(alternative.point),
                            manifest.point_label(0),
                            manifest.replications
                        ),
                        rows: titles
                            .iter()
                            .zip(&alternative.differences)
                            .map(|(title, d)| {
                                let (mean, paired, unpaired) = d.percent_of_base();
                                Difference {
                                    label: title.clone(),
                                    mean_pct: mean,
                                    paired_pct: (mean - paired, mean + paired),
                                    unpaired_pct: (mean - unpaired, mean + unpaired),
                                }
                            })
                            .collect(),
                    })
                });
                list.push((stem, chart));
            }
        }
    }
    list
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if !text.starts_with("REO") => first.to_lowercase().chain(chars).collect(),
        _ => text.to_string(),
    }
}

/// A mean and its 95% CI.
fn band(summary: &Summary) -> Band {
    Band {
        mean: summary.mean,
        lo: summary.mean - summary.ci95_half_width,
        hi: summary.mean + summary.ci95_half_width,
    }
}

/// The metric against one parameter: a curve per combination of the other
/// parameters' values, or their mean when there are too many.
fn response(
    manifest: &Manifest,
    summaries: &[Vec<Summary>],
    parameter: usize,
    metric: usize,
    title: &str,
) -> ExperimentChart {
    let path = &manifest.parameters[parameter].path;
    let mut groups: BTreeMap<Vec<String>, Vec<(f64, Band)>> = BTreeMap::new();
    let mut order: Vec<Vec<String>> = Vec::new();
    for (point, summary) in manifest.points.iter().zip(summaries) {
        let others: Vec<String> = manifest
            .parameters
            .iter()
            .zip(&point.values)
            .enumerate()
            .filter(|(p, _)| *p != parameter)
            .map(|(_, (param, value))| format!("{}={value}", param.path))
            .collect();
        let x = point.values[parameter].parse::<f64>().unwrap_or(f64::NAN);
        if !groups.contains_key(&others) {
            order.push(others.clone());
        }
        groups
            .entry(others)
            .or_default()
            .push((x, band(&summary[metric])));
    }
    let curves: Vec<Curve> = if groups.len() <= MAX_CURVES {
        order
            .into_iter()
            .map(|key| {
                let mut points = groups.remove(&key).unwrap_or_default();
                points.sort_by(|a, b| a.0.total_cmp(&b.0));
                Curve {
                    label: if key.is_empty() {
                        title.to_string()
                    } else {
                        key.join(", ")
                    },
                    points,
                }
            })
            .collect()
    } else {
        let mut by_x: BTreeMap<u64, (f64, f64, usize)> = BTreeMap::new();
        for (x, band) in groups.values().flatten() {
            if band.mean.is_finite() {
                let entry = by_x.entry(x.to_bits()).or_insert((*x, 0.0, 0));
                entry.1 += band.mean;
                entry.2 += 1;
            }
        }
        let mut points: Vec<(f64, Band)> = by_x
            .into_values()
            .map(|(x, sum, n)| {
                let mean = sum / n as f64;
                (
                    x,
                    Band {
                        mean,
                        lo: f64::NAN,
                        hi: f64::NAN,
                    },
                )
            })
            .collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        vec![Curve {
            label: format!(
                "mean over {} combinations of the other parameters",
                groups.len()
            ),
            points,
        }]
    };
    ExperimentChart::Response(Response {
        title: format!(
            "{title} against {path} ({} replications a point, 95% CI)",
            manifest.replications
        ),
        x_title: path.clone(),
        y_title: title.to_string(),
        curves,
    })
}

/// The metric over two parameters.
fn heatmap(
    manifest: &Manifest,
    summaries: &[Vec<Summary>],
    metric: usize,
    title: &str,
) -> ExperimentChart {
    let axis = |parameter: usize| -> Vec<f64> {
        let mut values: Vec<f64> = manifest
            .points
            .iter()
            .filter_map(|p| p.values[parameter].parse::<f64>().ok())
            .collect();
        values.sort_by(f64::total_cmp);
        values.dedup();
        values
    };
    let (xs, ys) = (axis(0), axis(1));
    let mut values = vec![vec![f64::NAN; xs.len()]; ys.len()];
    for (point, summary) in manifest.points.iter().zip(summaries) {
        let at = |parameter: usize, axis: &[f64]| {
            let value = point.values[parameter].parse::<f64>().ok()?;
            axis.iter().position(|&v| v == value)
        };
        if let (Some(ix), Some(iy)) = (at(0, &xs), at(1, &ys)) {
            values[iy][ix] = summary[metric].mean;
        }
    }
    ExperimentChart::Heatmap(Heatmap {
        title: format!("{title}, mean of {} replications", manifest.replications),
        x_title: manifest.parameters[0].path.clone(),
        y_title: manifest.parameters[1].path.clone(),
        value_title: title.to_string(),
        xs,
        ys,
        values,
    })
}

/// The tornado: bar ends at the low and high means, whiskers the 95% CI of
/// the paired difference from the base, drawn about each end.
fn tornado(manifest: &Manifest, values: &Values, title: &str) -> ExperimentChart {
    let result = analysis::tornado(manifest, values);
    let end = |summary: &Summary, ci: f64| Band {
        mean: summary.mean,
        lo: summary.mean - ci,
        hi: summary.mean + ci,
    };
    let given: Vec<&str> = manifest
        .parameters
        .iter()
        .map(|p| p.given.as_str())
        .collect();
    let moved = if given.iter().all(|g| g.starts_with('±')) && !given.is_empty() {
        format!(", each input {}", given[0])
    } else {
        String::new()
    };
    ExperimentChart::Tornado(Tornado {
        title: format!(
            "Sensitivity of {}{moved} ({} replications, paired 95% CI)",
            lowercase_first(title),
            manifest.replications
        ),
        metric_title: title.to_string(),
        base: band(&result.base),
        bars: result
            .bars
            .iter()
            .map(|bar| TornadoBar {
                parameter: manifest.parameters[bar.parameter].path.clone(),
                low_input: bar.low_input.clone(),
                high_input: bar.high_input.clone(),
                low: end(&bar.low, bar.low_difference.paired_ci95),
                high: end(&bar.high, bar.high_difference.paired_ci95),
            })
            .collect(),
    })
}

/// The file stems of every chart of `manifest`.
pub fn stems(manifest: &Manifest) -> Vec<String> {
    charts_of(manifest, None)
        .into_iter()
        .map(|(stem, _)| stem)
        .collect()
}

/// Draws every chart of `manifest` into `dir`; returns the files written.
pub fn draw(
    dir: &Path,
    manifest: &Manifest,
    values: &Values,
    options: Charts,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (stem, chart) in charts_of(manifest, Some(values)) {
        if let Some(chart) = chart {
            written.extend(charts::draw(
                dir,
                &stem,
                &chart,
                options.format,
                options.width_px,
                options.height_px,
            )?);
        }
    }
    Ok(written)
}
