//! `summary.json`: the resolved scenario, seed, version, and every KPI with
//! its mean, 95% confidence interval and percentiles across replications.

use serde_json::{Map, Value, json};

use super::{Exporter, Inputs};
use crate::experiment::run::HEADLINE_METRIC;
use crate::model::MASS_TOLERANCE;

pub struct SummaryJson;

impl Exporter for SummaryJson {
    fn file_name(&self) -> &'static str {
        "summary.json"
    }

    fn render(&self, inputs: &Inputs) -> anyhow::Result<Vec<u8>> {
        let run = inputs.run;
        let meta = &run.scenario.scenario;
        let mut kpis = Map::new();
        for (metric, summary) in &run.kpis {
            let mut entry = serde_json::to_value(summary)?;
            if let Value::Object(fields) = &mut entry {
                fields.insert("unit".into(), json!(metric.horizon_unit()));
            }
            kpis.insert(metric.name.into(), entry);
        }
        let mut queues = Map::new();
        for queue in &run.queues {
            queues.insert(
                queue.name.into(),
                json!({
                    "mean_length": queue.mean_length,
                    "ships": queue.ships,
                    "censored": queue.censored,
                    "mean_wait_h": queue.mean_wait_h,
                    "p90_wait_h": queue.p90_wait_h,
                }),
            );
        }
        let mut budgets = Map::new();
        for unit_type in ["mining_system", "shuttle", "hub_ship"] {
            let shares = run.horizon_budget(unit_type);
            if !shares.is_empty() {
                let shares = shares
                    .into_iter()
                    .map(|(state, share)| (state.to_string(), json!(share)));
                budgets.insert(unit_type.into(), Value::Object(shares.collect()));
            }
        }
        let summary = json!({
            "deepmud_version": env!("CARGO_PKG_VERSION"),
            "scenario": run.scenario,
            "seed": meta.seed,
            "replications": run.replications,
            "years": meta.years,
            "ci_method": "95% CI of the mean across replications, Student's t with n-1 degrees of freedom; percentiles by linear interpolation (type 7)",
            "empty_statistics": super::EMPTY_STATISTICS,
            "kpis": kpis,
            "queues": queues,
            "warnings": run.warnings,
            "time_budget_share": budgets,
            "precision": {
                "metric": HEADLINE_METRIC.name,
                "target_relative_ci95_half_width": run.precision.target,
                "achieved_relative_ci95_half_width": run.precision.achieved,
                "stopped_short": run.precision.short.map(|short| short.name()),
            },
            "events_processed": run.events,
            "mass_balance_max_imbalance_t": run.mass_check.max_imbalance_t,
            "mass_balance_max_relative_imbalance": run.mass_check.max_relative_imbalance,
            "mass_balance_tolerance_relative": MASS_TOLERANCE,
        });
        let mut bytes = serde_json::to_vec_pretty(&summary)?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}
