//! Aggregation across replications: ordered percentiles, and a confidence
//! interval that shrinks as 1/√n.

use deepmud::experiment::run::{RunOptions, RunOutput, run};
use deepmud::scenario::{DEFAULT_SCENARIO, load_str};

fn run_default(replications: u32) -> RunOutput {
    let overrides = [format!("scenario.replications={replications}")];
    let scenario = load_str(DEFAULT_SCENARIO, "default", &overrides).unwrap();
    run(&scenario, &RunOptions::default(), &|| {}, &mut Vec::new()).unwrap()
}

#[test]
fn percentiles_are_ordered_for_every_metric_and_year() {
    let output = run_default(20);
    for row in output.annual.iter().filter(|row| row.summary.n > 0) {
        let s = row.summary;
        assert!(
            s.p10 <= s.p50 && s.p50 <= s.p90,
            "year {} {}: {} {} {}",
            row.year,
            row.metric.name,
            s.p10,
            s.p50,
            s.p90
        );
    }
}

#[test]
fn confidence_interval_shrinks_as_one_over_root_n() {
    let half_width = |output: &RunOutput| {
        let (_, summary) = output
            .kpis
            .iter()
            .find(|(m, _)| m.name == "mud_delivered_wet_t")
            .unwrap();
        summary.ci95_half_width
    };
    let small = half_width(&run_default(16));
    let large = half_width(&run_default(64));
    // Four times the replications: half the half-width, up to the ratio of
    // t quantiles (2.131 / 1.998) and the noise in the sample sd.
    let ratio = small / large;
    assert!(
        (1.4..=3.2).contains(&ratio),
        "16 vs 64 replications: ratio {ratio:.2}, expected ≈ 2"
    );
}
