//! The short KPI table `deepmud run` prints.

use std::fmt::Write;

use super::Timing;
use crate::experiment::run::{HEADLINE_METRIC, RunOutput};
use crate::stats::summary::Summary;

/// The KPI table, time budgets, queues and run facts as plain text.
pub fn kpi_table(run: &RunOutput, timing: &Timing) -> String {
    let meta = &run.scenario.scenario;
    let mut text = String::new();
    let _ = writeln!(
        text,
        "scenario {:?}: {} replication(s), seed {}, {} year(s)",
        meta.name, run.replications, meta.seed, meta.years
    );
    let _ = writeln!(
        text,
        "{:<30} {:>12} {:>11} {:>12} {:>12} {:>12}",
        "KPI (across replications)", "mean", "±95% CI", "P10", "P50", "P90"
    );
    for (metric, summary) in run.kpis.iter().filter(|(m, _)| m.kpi_table) {
        let percent = metric.unit == "fraction";
        let _ = writeln!(text, "{:<30} {}", metric.label, row(summary, percent));
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

fn row(summary: &Summary, percent: bool) -> String {
    let cell = |x: f64| {
        if !x.is_finite() {
            "-".to_string()
        } else if percent {
            format!("{:.1}%", 100.0 * x)
        } else if x.abs() >= 100.0 {
            format!("{x:.0}")
        } else {
            format!("{x:.2}")
        }
    };
    format!(
        "{:>12} {:>11} {:>12} {:>12} {:>12}",
        cell(summary.mean),
        cell(summary.ci95_half_width),
        cell(summary.p10),
        cell(summary.p50),
        cell(summary.p90)
    )
}
