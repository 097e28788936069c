//! `report.md`: the charts and KPI tables of a run, ready to paste into a
//! paper, with how every error bar was computed and the STRESS-DES items
//! (Monks et al. 2019, "Strengthening the reporting of empirical simulation
//! studies") a reader needs to judge the numbers.

mod economics;

use std::fmt::Write;

use super::{Exporter, Inputs, money};
use crate::experiment::run::{HEADLINE_METRIC, RunOutput};

pub struct ReportMd;

impl Exporter for ReportMd {
    fn file_name(&self) -> &'static str {
        "report.md"
    }

    fn render(&self, inputs: &Inputs) -> anyhow::Result<Vec<u8>> {
        Ok(render(inputs.run, inputs.chart_extension).into_bytes())
    }
}

/// The report, with charts referenced by file name with `chart_extension`
/// (`png` or `svg`).
pub fn render(run: &RunOutput, chart_extension: &str) -> String {
    let meta = &run.scenario.scenario;
    let reps = run.replications;
    let mut md = String::new();
    let _ = writeln!(md, "# deepmud report: {}\n", meta.name);
    let _ = writeln!(
        md,
        "deepmud {}, seed {}, {} replication(s), {} simulated year(s) of 8,760 h from calendar month {}. \
         Every figure below is reproducible byte for byte with `deepmud run` on the same scenario and seed.\n",
        env!("CARGO_PKG_VERSION"),
        meta.seed,
        reps,
        meta.years,
        meta.start_month
    );

    let _ = writeln!(md, "## Key results\n");
    let _ = writeln!(
        md,
        "Over the whole horizon: flows as annual rates (totals ÷ simulated years), grade mass-weighted, \
         availability ratios over all mining-system hours, cumulative REO as a total; across replications. \
         95% CI: confidence interval of the mean, Student's t with n − 1 degrees of freedom. \
         P10/P50/P90: percentiles of the replication values (linear interpolation).\n"
    );
    let _ = writeln!(md, "| metric | unit | mean | 95% CI ± | P10 | P50 | P90 |");
    let _ = writeln!(md, "|---|---|---:|---:|---:|---:|---:|");
    for (metric, s) in &run.kpis {
        let unit = metric.horizon_unit();
        // Dollar amounts of billions read in millions or billions.
        let cell = |x: f64| match metric.unit {
            "USD" if x.is_finite() => money::usd(x),
            _ => number(x),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            metric.name,
            unit,
            cell(s.mean),
            cell(s.ci95_half_width),
            cell(s.p10),
            cell(s.p50),
            cell(s.p90)
        );
    }
    if let Some(target) = run.precision.target {
        let achieved = run.precision.achieved_text();
        let headline = HEADLINE_METRIC.name;
        let _ = writeln!(
            md,
            "\nReplications were added in batches of 32 until the 95% CI half-width of `{headline}` \
             was within {:.2}% of its mean (the half-width method): {achieved} after {reps} replications.",
            100.0 * target
        );
    }

    if !run.scenario.phase.is_empty() {
        let _ = writeln!(md, "\n## Phases\n");
        let _ = writeln!(md, "| from simulated year | phase | overrides |");
        let _ = writeln!(md, "|---:|---|---|");
        for phase in &run.scenario.phase {
            let set: Vec<String> = phase
                .set
                .iter()
                .map(|(k, v)| format!("`{k} = {v}`"))
                .collect();
            let _ = writeln!(
                md,
                "| {} | {} | {} |",
                phase.start_year,
                phase.name,
                set.join(", ")
            );
        }
    }

    let _ = writeln!(md, "\n## Charts\n");
    let band = format!(
        "Shaded band: P10–P90 of the {reps} replications' values for each year; line: their median (P50); seed {}.",
        meta.seed
    );
    let charts = [
        (
            "throughput",
            "Recovered REO and dry mud delivered per year",
            band.as_str(),
        ),
        ("cumulative_reo", "Cumulative recovered REO", band.as_str()),
        (
            "time_budget",
            "Mining systems' time budget per year",
            "Share of all mining-system hours in each state, pooled over replications.",
        ),
        (
            "weather_months",
            "Weather downtime by calendar month",
            "For each operation (tripping, lifting, ship-to-ship transfer), the hours with Hs at or above its limit or under a typhoon alert; bar: P10–P90 over replication-years, mark: median.",
        ),
        (
            "grade_histogram",
            "Grade of shipments",
            "Mass-weighted total REY grade of each delivery (ppm of dry mud), from the replications kept by `--shipments`; the bars span all but the 0.1% lowest and 0.1% highest grades (none left out below 1,000 deliveries), and the chart names what it leaves out.",
        ),
    ];
    for (stem, title, method) in charts {
        let _ = writeln!(md, "![{title}]({stem}.{chart_extension})\n");
        let _ = writeln!(md, "*{title}.* {method}\n");
    }
    if let Some(trace) = &run.trace {
        let title = format!("Vessel timeline of replication {}", trace.replication);
        let _ = writeln!(md, "![{title}](timeline.{chart_extension})\n");
        let _ = writeln!(
            md,
            "*{title}.* Each vessel's state over time, from `trace.csv` (every change of state with its \
             cause); each pixel column shows the state that held most of its time, dashed lines mark \
             phase starts.\n"
        );
    }

    if let Some(economics) = &run.scenario.economics {
        economics::write_section(&mut md, run, economics, chart_extension);
    }

    let _ = writeln!(md, "## Time budget over the horizon\n");
    let _ = writeln!(md, "| unit type | state | share of hours |");
    let _ = writeln!(md, "|---|---|---:|");
    for unit_type in ["mining_system", "shuttle", "hub_ship"] {
        for (state, share) in run.horizon_budget(unit_type) {
            if share > 0.0 {
                let _ = writeln!(md, "| {unit_type} | {state} | {:.1}% |", 100.0 * share);
            }
        }
    }

    let _ = writeln!(md, "\n## Queues\n");
    let _ = writeln!(
        md,
        "Means over replications of each replication's figure.\n\n\
         | queue | mean number waiting | ships served | mean wait, h | P90 wait, h |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|");
    for q in &run.queues {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            q.name,
            number(q.mean_length.mean),
            q.ships,
            number(q.mean_wait_h.mean),
            number(q.p90_wait_h.mean)
        );
    }

    let _ = writeln!(md, "\n## How these numbers were made (STRESS-DES)\n");
    let _ = writeln!(
        md,
        "- **Objective**: throughput, downtime, grade and oxide output of the operation in the scenario file.\n\
         - **Model logic**: a discrete-event model of weather, lift operations, failures, shuttles, port and ore grade; \
         every state, event and formula is in `docs/MODEL.md`.\n\
         - **Data**: the scenario as resolved is in `summary.json`; the source of each figure, or the word \
         \"assumption\", is in the scenario file's comments (`docs/RESEARCH.md` collects the published figures).\n\
         - **Experimentation**: a terminating simulation from an empty system at t = 0 (no warm-up deleted); \
         run length {} years; {reps} independent replications; seed {}.\n\
         - **Randomness**: ChaCha8 streams per (seed, replication, purpose) for weather, failures, ore and logistics, \
         so results do not depend on thread count or platform.\n\
         - **Verification**: the test suite checks the engine against M/M/1 and M/M/c theory, the model against \
         hand-computed cycles, MTBF/(MTBF+MTTR) availability, the lognormal weather marginal, typhoon rates, \
         mass-weighted grade and mass conservation (this run: {}).\n\
         - **Implementation**: deepmud {} (Rust); events processed: {}.",
        meta.years,
        meta.seed,
        run.mass_check.text(),
        env!("CARGO_PKG_VERSION"),
        run.events
    );
    md
}

/// A number for a table: thousands without decimals, small values with two.
fn number(x: f64) -> String {
    if !x.is_finite() {
        "–".to_string()
    } else if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.3}")
    }
}
