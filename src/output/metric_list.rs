//! The list `deepmud metrics` prints: every metric of the table with its
//! units, kind and label, then what each kind means.

use std::fmt::Write;

use crate::experiment::metrics::{Kind, METRICS, Metric};
use crate::experiment::selector;

/// Columns of the list.
const HEADER: [&str; 5] = ["metric", "unit", "KPI unit", "kind", "label"];

/// Every metric of [`METRICS`], one a line in reporting order, in columns
/// at least two spaces apart; then what each kind listed means.
pub fn metric_list() -> String {
    render(METRICS)
}

fn render(metrics: &[Metric]) -> String {
    let rows: Vec<[String; 5]> = metrics
        .iter()
        .map(|metric| {
            [
                metric.name.to_string(),
                metric.unit.to_string(),
                metric.horizon_unit(),
                metric.kind.name().to_string(),
                metric.label.to_string(),
            ]
        })
        .collect();
    let header = HEADER.map(str::to_string);
    let mut widths = [0; 5];
    for row in rows.iter().chain([&header]) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    for row in [&header].into_iter().chain(&rows) {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(widths) {
            let _ = write!(line, "{cell:<width$}  ");
        }
        let _ = writeln!(text, "{}", line.trim_end());
    }
    let _ = writeln!(
        text,
        "\nunit: of the values per year in annual.csv; KPI unit: of the horizon value\n\
         in summary.json, report.md and the KPI table of `deepmud run`."
    );
    for kind in Kind::ALL {
        if metrics.iter().any(|metric| metric.kind == kind) {
            let _ = writeln!(text, "{}: {}.", kind.name(), kind.meaning());
        }
    }
    if metrics.iter().any(|metric| metric.money) {
        let _ = writeln!(
            text,
            "Money (USD of the scenario's economics.usd_base_year) is reported only for a\n\
             scenario with an [economics] section."
        );
    }
    let _ = writeln!(text, "\n{}", selector::SYNTAX);
    text
}
