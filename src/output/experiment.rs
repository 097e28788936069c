//! The result files of an experiment: `sweep.csv` (and `sensitivity.csv`
//! for a Latin hypercube), `tornado.csv`, `compare.csv` with `compare.md`;
//! and the tables printed after a run. Rendered from the manifest and the
//! analysis, never from the run, so a merge writes the same bytes.

use std::fmt::Write as _;

use super::{SUMMARY_COLUMNS, summary_cells};
use crate::experiment::analysis::{Alternative, MetricSensitivity, Tornado};
use crate::experiment::plan::{Kind, Manifest};
use crate::experiment::selector::Selector;
use crate::stats::paired::Difference;
use crate::stats::summary::Summary;

/// The result files of an experiment of `kind`, beside its manifest,
/// `replications.csv`, `timing.json` and its charts.
pub fn file_names(kind: Kind) -> Vec<String> {
    let names: &[&str] = match kind {
        Kind::Sweep => &["sweep.csv", "sensitivity.csv"],
        Kind::Tornado => &["tornado.csv"],
        Kind::Compare => &["compare.csv", "compare.md"],
    };
    names.iter().map(|n| n.to_string()).collect()
}

/// A number for a CSV cell; empty when undefined.
fn cell(value: f64) -> String {
    if value.is_finite() {
        value.to_string()
    } else {
        String::new()
    }
}

/// `sweep.csv`: a row per point, the parameter values, then each metric's
/// n, mean, CI half-width, P10, P50 and P90.
pub fn sweep_csv(manifest: &Manifest, summaries: &[Vec<Summary>]) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["point".to_string()];
    header.extend(manifest.parameters.iter().map(|p| p.path.clone()));
    for metric in &manifest.metrics {
        header.extend(SUMMARY_COLUMNS.iter().map(|s| format!("{metric}_{s}")));
    }
    writer.write_record(&header)?;
    for (index, (point, metrics)) in manifest.points.iter().zip(summaries).enumerate() {
        let mut row = vec![(index + 1).to_string()];
        row.extend(point.values.iter().cloned());
        for summary in metrics {
            row.extend(summary_cells(summary));
        }
        writer.write_record(&row)?;
    }
    Ok(writer.into_inner()?)
}

/// `sensitivity.csv`: per metric and parameter, the rank measures and the
/// rank regression's R², parameters ranked by |SRRC|.
pub fn sensitivity_csv(
    manifest: &Manifest,
    measures: &[MetricSensitivity],
) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "metric",
        "rank",
        "parameter",
        "srrc",
        "prcc",
        "spearman",
        "r_squared",
    ])?;
    for sensitivity in measures {
        let metric = &manifest.metrics[sensitivity.metric];
        let m = &sensitivity.measures;
        for (rank, parameter) in ranked(&m.srrc).into_iter().enumerate() {
            writer.write_record([
                metric.clone(),
                (rank + 1).to_string(),
                manifest.parameters[parameter].path.clone(),
                cell(m.srrc[parameter]),
                cell(m.prcc[parameter]),
                cell(m.spearman[parameter]),
                cell(m.r_squared),
            ])?;
        }
    }
    Ok(writer.into_inner()?)
}

/// Parameter indices by descending |coefficient|, undefined ones last, ties
/// in the order given.
pub fn ranked(coefficients: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..coefficients.len()).collect();
    let key = |i: usize| {
        let c = coefficients[i].abs();
        if c.is_nan() { -1.0 } else { c }
    };
    order.sort_by(|&a, &b| key(b).total_cmp(&key(a)));
    order
}

/// `tornado.csv`: a row per parameter, largest swing first.
pub fn tornado_csv(manifest: &Manifest, tornado: &Tornado) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "rank",
        "parameter",
        "base_input",
        "low_input",
        "high_input",
        "metric",
        "base_mean",
        "low_mean",
        "low_ci95_half_width",
        "high_mean",
        "high_ci95_half_width",
        "low_minus_base",
        "low_minus_base_ci95_half_width",
        "high_minus_base",
        "high_minus_base_ci95_half_width",
        "swing",
    ])?;
    for (rank, bar) in tornado.bars.iter().enumerate() {
        let parameter = &manifest.parameters[bar.parameter];
        writer.write_record([
            (rank + 1).to_string(),
            parameter.path.clone(),
            parameter.base.clone().unwrap_or_default(),
            bar.low_input.clone(),
            bar.high_input.clone(),
            manifest.metrics[0].clone(),
            cell(tornado.base.mean),
            cell(bar.low.mean),
            cell(bar.low.ci95_half_width),
            cell(bar.high.mean),
            cell(bar.high.ci95_half_width),
            cell(bar.low_difference.mean),
            cell(bar.low_difference.paired_ci95),
            cell(bar.high_difference.mean),
            cell(bar.high_difference.paired_ci95),
            cell(bar.swing),
        ])?;
    }
    Ok(writer.into_inner()?)
}

/// `compare.csv`: a row per alternative and metric.
pub fn compare_csv(manifest: &Manifest, alternatives: &[Alternative]) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "alternative",
        "metric",
        "unit",
        "pairs",
        "base_mean",
        "alternative_mean",
        "difference",
        "paired_ci95_half_width",
        "unpaired_ci95_half_width",
        "difference_pct",
    ])?;
    for alternative in alternatives {
        for (metric, difference) in manifest.metrics.iter().zip(&alternative.differences) {
            let unit = Selector::parse(metric)
                .map(|s| s.unit())
                .unwrap_or_default();
            writer.write_record([
                manifest.point_label(alternative.point),
                metric.clone(),
                unit,
                difference.pairs.to_string(),
                cell(difference.base_mean),
                cell(difference.alternative_mean),
                cell(difference.mean),
                cell(difference.paired_ci95),
                cell(difference.unpaired_ci95),
                cell(difference.percent_of_base().0),
            ])?;
        }
    }
    Ok(writer.into_inner()?)
}

/// A number to 4 significant figures, with thousands separators, for
/// tables read by people.
pub fn readable(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let magnitude = value.abs();
    let decimals = if magnitude >= 1000.0 || magnitude == 0.0 {
        0
    } else {
        (3 - magnitude.log10().floor() as i32).clamp(0, 6) as usize
    };
    let text = format!("{:.*}", decimals, magnitude);
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if value < 0.0 && text.chars().any(|c| c != '0' && c != '.') {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

/// `± x`, or "–" without an interval.
fn plus_minus(value: f64) -> String {
    if value.is_finite() {
        format!("± {}", readable(value))
    } else {
        "–".to_string()
    }
}

/// The Markdown table of a comparison (`compare.md`, and what `deepmud
/// compare` prints): per alternative and metric, the base and alternative
/// means, the paired difference with its CI, the unpaired CI, and their
/// ratio: how much narrower common random numbers make the interval.
pub fn compare_markdown(manifest: &Manifest, alternatives: &[Alternative]) -> String {
    let mut text = String::new();
    let base = manifest.point_label(0);
    let _ = writeln!(
        text,
        "# Paired comparison against {base}\n\n{} replications each, seed {}, common random \
         numbers: replication r of every scenario sees the same weather and, unit by unit, \
         the same failure and grade draws. Differences are alternative − base; CIs are 95%.\n",
        manifest.replications, manifest.seed
    );
    for alternative in alternatives {
        let _ = writeln!(text, "## {}\n", manifest.point_label(alternative.point));
        let _ = writeln!(
            text,
            "| Metric | Base | Alternative | Difference | Paired CI | Unpaired CI | CI ratio |\n\
             |---|---:|---:|---:|---:|---:|---:|"
        );
        for (metric, difference) in manifest.metrics.iter().zip(&alternative.differences) {
            let title = Selector::parse(metric).map_or(metric.clone(), |s| s.title());
            let _ = writeln!(
                text,
                "| {title} | {} | {} | {} | {} | {} | {} |",
                readable(difference.base_mean),
                readable(difference.alternative_mean),
                signed(difference),
                plus_minus(difference.paired_ci95),
                plus_minus(difference.unpaired_ci95),
                ratio(difference),
            );
        }
        text.push('\n');
    }
    text
}

/// A difference with its sign and its share of the base.
fn signed(difference: &Difference) -> String {
    let (percent, _, _) = difference.percent_of_base();
    let sign = if difference.mean > 0.0 { "+" } else { "" };
    if percent.is_finite() {
        format!(
            "{sign}{} ({sign}{:.1}%)",
            readable(difference.mean),
            percent
        )
    } else {
        format!("{sign}{}", readable(difference.mean))
    }
}

/// Unpaired ÷ paired half-width: "×3.2", "exact" when only the paired CI
/// is 0, "–" when neither interval has width.
fn ratio(difference: &Difference) -> String {
    let (paired, unpaired) = (difference.paired_ci95, difference.unpaired_ci95);
    if paired == 0.0 && unpaired > 0.0 {
        "exact".to_string()
    } else if paired > 0.0 && unpaired.is_finite() {
        format!("×{:.1}", unpaired / paired)
    } else {
        "–".to_string()
    }
}

/// The table `deepmud tornado` prints: bars by swing.
pub fn tornado_table(manifest: &Manifest, tornado: &Tornado) -> String {
    let title =
        Selector::parse(&manifest.metrics[0]).map_or(manifest.metrics[0].clone(), |s| s.title());
    let mut text = format!(
        "{title}: base {} {}\n",
        readable(tornado.base.mean),
        plus_minus(tornado.base.ci95_half_width)
    );
    let width = tornado
        .bars
        .iter()
        .map(|bar| manifest.parameters[bar.parameter].path.chars().count())
        .max()
        .unwrap_or(0);
    for (rank, bar) in tornado.bars.iter().enumerate() {
        let path = &manifest.parameters[bar.parameter].path;
        let _ = writeln!(
            text,
            "{:>2}. {path:<width$}  {} → {}   {} → {}   swing {}",
            rank + 1,
            bar.low_input,
            bar.high_input,
            readable(bar.low.mean),
            readable(bar.high.mean),
            readable(bar.swing),
        );
    }
    text
}

/// The table a Latin-hypercube sweep prints: per metric, the parameters
/// by |SRRC|.
pub fn sensitivity_table(manifest: &Manifest, measures: &[MetricSensitivity]) -> String {
    let width = manifest
        .parameters
        .iter()
        .map(|p| p.path.chars().count())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for sensitivity in measures {
        let m = &sensitivity.measures;
        let metric = &manifest.metrics[sensitivity.metric];
        let _ = writeln!(
            text,
            "{metric} ({}, rank regression R² = {:.2}):",
            manifest.design, m.r_squared
        );
        for (rank, p) in ranked(&m.srrc).into_iter().enumerate() {
            let _ = writeln!(
                text,
                "{:>3}. {:<width$}  SRRC {:>6.3}  PRCC {:>6.3}  Spearman {:>6.3}",
                rank + 1,
                manifest.parameters[p].path,
                m.srrc[p],
                m.prcc[p],
                m.spearman[p],
            );
        }
    }
    text
}

/// The most points `deepmud sweep` prints; sweep.csv has them all.
const PRINTED_POINTS: usize = 40;

/// The table `deepmud sweep` prints: each point's values and metric means
/// with their CIs (the first [`PRINTED_POINTS`]).
pub fn sweep_table(manifest: &Manifest, summaries: &[Vec<Summary>]) -> String {
    let mut header: Vec<String> = manifest.parameters.iter().map(|p| p.path.clone()).collect();
    header.extend(manifest.metrics.iter().cloned());
    let rows: Vec<Vec<String>> = manifest
        .points
        .iter()
        .zip(summaries)
        .take(PRINTED_POINTS)
        .map(|(point, metrics)| {
            let mut row = point.values.clone();
            row.extend(
                metrics
                    .iter()
                    .map(|s| format!("{} {}", readable(s.mean), plus_minus(s.ci95_half_width))),
            );
            row
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, &width)| format!("{cell:>width$}"))
            .collect();
        let _ = writeln!(text, "{}", cells.join("  "));
    }
    if manifest.points.len() > PRINTED_POINTS {
        let _ = writeln!(
            text,
            "… and {} more points in sweep.csv",
            manifest.points.len() - PRINTED_POINTS
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_numbers_have_four_significant_figures_and_separators() {
        assert_eq!(readable(3_042_218.4), "3,042,218");
        assert_eq!(readable(-1234.6), "-1,235");
        assert_eq!(readable(0.8601), "0.8601");
        assert_eq!(readable(12.345), "12.35");
        assert_eq!(readable(0.0), "0");
        assert_eq!(readable(f64::NAN), "–");
    }
}
