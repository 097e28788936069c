//! The short KPI table `deepmud run` prints.

use std::fmt::Write;

use super::{Timing, money};
use crate::experiment::metrics::Metric;
use crate::experiment::run::{HEADLINE_METRIC, RunOutput};
use crate::stats::summary::Summary;

/// The label column is at least this wide, in characters.
const MIN_LABEL_WIDTH: usize = 30;

/// The KPI table, time budgets, queues and run facts as plain text.
pub fn kpi_table(run: &RunOutput, timing: &Timing) -> String {
    let meta = &run.scenario.scenario;
    let mut text = String::new();
    let _ = writeln!(
        text,
        "scenario {:?}: {} replication(s), seed {}, {} year(s)",
        meta.name, run.replications, meta.seed, meta.years
    );
    let rows: Vec<&(&Metric, Summary)> = run.kpis.iter().filter(|(m, _)| m.kpi_table).collect();
    let width = rows
        .iter()
        .map(|(metric, _)| metric.label.chars().count())
        .fold(MIN_LABEL_WIDTH, usize::max);
    let _ = writeln!(
        text,
        "{:<width$} {:>12} {:>11} {:>12} {:>12} {:>12}",
        "KPI (across replications)", "mean", "±95% CI", "P10", "P50", "P90"
    );
    for (metric, summary) in rows {
        let _ = writeln!(
            text,
            "{:<width$} {}",
            metric.label,
            row(summary, metric.unit)
        );
    }
    for unit_type in ["mining_system", "shuttle", "hub_ship"] {
        let listed: Vec<String> = run
            .horizon_budget(unit_type)
            .into_iter()
            .filter(|(_, share)| *share > 0.0)
            .map(|(state, share)| format!("{state} {:.1}%", 100.0 * share))
            .collect();
        if !listed.is_empty() {
            let _ = writeln!(text, "time budget, {unit_type}: {}", listed.join(", "));
        }
    }
    for queue in &run.queues {
        if queue.ships + queue.censored == 0 {
            continue;
        }
        let censored = if queue.censored > 0 {
            format!(
                ", {} still waiting at the horizon, their waits so far included",
                queue.censored
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            text,
            "{} queue: mean length {:.2}, wait mean {:.1} h, P90 {:.1} h ({} ships served{censored}; means over replications)",
            queue.name,
            queue.mean_length.mean,
            queue.mean_wait_h.mean,
            queue.p90_wait_h.mean,
            queue.ships
        );
    }
    for warning in &run.warnings {
        let _ = writeln!(text, "warning: {warning}");
    }
    if let Some(target) = run.precision.target {
        let achieved = run.precision.achieved_text();
        let _ = writeln!(
            text,
            "precision target {:.2}% on {}: {achieved} after {} replications",
            100.0 * target,
            HEADLINE_METRIC.name,
            run.replications
        );
    }
    let _ = writeln!(
        text,
        "events processed: {} ({:.2} million events/s, {:.2} s wall); {}",
        run.events,
        timing.events_per_s / 1e6,
        timing.wall_s,
        run.mass_check.text()
    );
    text
}

/// A KPI's statistics in the table's columns, as its `unit` reads: a
/// fraction as a percentage, US dollars in millions or billions, a year as
/// a year (its CI in years).
fn row(summary: &Summary, unit: &str) -> String {
    let cell = |x: f64, spread: bool| {
        if !x.is_finite() {
            "-".to_string()
        } else if unit == "fraction" {
            format!("{:.1}%", 100.0 * x)
        } else if unit == "USD" {
            money::usd(x)
        } else if unit == "year" && spread {
            format!("{x:.1}")
        } else if unit == "year" || x.abs() >= 100.0 {
            format!("{x:.0}")
        } else {
            format!("{x:.2}")
        }
    };
    format!(
        "{:>12} {:>11} {:>12} {:>12} {:>12}",
        cell(summary.mean, false),
        cell(summary.ci95_half_width, true),
        cell(summary.p10, false),
        cell(summary.p50, false),
        cell(summary.p90, false)
    )
}

#[cfg(test)]
mod tests {
    use super::{kpi_table, row};
    use crate::experiment::run::{RunOptions, ShipmentRow, run};
    use crate::output::Timing;
    use crate::scenario::{DEFAULT_SCENARIO, load_str};
    use crate::stats::summary::Summary;

    #[test]
    fn money_reads_in_millions_or_billions_within_the_columns() {
        let npv = row(&Summary::of(&[-2_377_960_451.0, -2_100_000_000.0]), "USD");
        // Mean −2.24 bn; P10 −2.378 + 0.1 × 0.278 = −2.35 bn (type 7).
        assert!(
            npv.contains("-2.24 bn") && npv.contains("-2.35 bn"),
            "{npv}"
        );
        let ratio = row(&Summary::of(&[1.0, 2.0]), "ratio");
        assert_eq!(npv.chars().count(), ratio.chars().count());
    }

    #[test]
    fn a_break_even_year_reads_as_a_year_with_its_ci_in_years() {
        // Sorted 2036, 2038, 2041: P10, P50, P90 at positions 0.2, 1, 1.8
        // (type 7) are 2036.4, 2038 and 2040.4.
        let cells = row(&Summary::of(&[2038.0, 2041.0, 2036.0]), "year");
        let cells: Vec<&str> = cells.split_whitespace().collect();
        assert_eq!(cells[0], "2038");
        assert!(
            cells[1].parse::<f64>().is_ok_and(|ci| ci < 100.0),
            "{cells:?}"
        );
        assert_eq!(cells[2..], ["2036", "2038", "2040"]);
    }

    #[test]
    fn every_kpi_row_lines_up_under_the_header_whatever_its_label() {
        let overrides = [
            "scenario.years=1".to_string(),
            "scenario.replications=2".to_string(),
        ];
        let scenario = load_str(DEFAULT_SCENARIO, "default", &overrides).unwrap();
        let mut shipments: Vec<ShipmentRow> = Vec::new();
        let output = run(&scenario, &RunOptions::default(), &|| {}, &mut shipments).unwrap();
        let timing = Timing {
            wall_s: 1.0,
            events: output.events,
            events_per_s: 1.0,
            threads: 1,
            peak_resident_kib: None,
        };
        let table = kpi_table(&output, &timing);
        let lines: Vec<&str> = table.lines().collect();
        let header = lines[1];
        assert!(header.starts_with("KPI (across replications)"));
        let labels: Vec<&str> = output
            .kpis
            .iter()
            .filter(|(metric, _)| metric.kpi_table)
            .map(|(metric, _)| metric.label)
            .collect();
        assert!(labels.contains(&"Market price of the basket (USD/kg)"));
        for (line, label) in lines[2..].iter().zip(&labels) {
            assert!(line.starts_with(&format!("{label} ")), "{line}");
            assert_eq!(line.chars().count(), header.chars().count(), "{line}");
        }
        let npv = lines[2..]
            .iter()
            .find(|line| line.starts_with("Net present value"))
            .unwrap();
        assert!(npv.contains(" M") || npv.contains(" bn"), "{npv}");
    }
}
