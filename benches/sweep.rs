//! A sweep against the same replications run as one scenario: the 5 × 5
//! grid of issue 9 (`fleet.shuttles` 1..5 × `mining.lift_rate_t_per_h`
//! 50..250:5) × 30 replications of `commercial.toml`, all on the default
//! thread pool, against 750 replications of `commercial.toml` itself. The
//! sweep should cost no more per replication (no start-up per point).

use std::hint::black_box;
use std::sync::atomic::AtomicBool;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use deepmud::experiment::batch::{Batch, Job, run_points};
use deepmud::experiment::design::Design;
use deepmud::experiment::plan::{self, Base};
use deepmud::experiment::run::{RunOptions, ShipmentLog, run};

const VARY: [&str; 2] = ["fleet.shuttles=1..5", "mining.lift_rate_t_per_h=50..250:5"];

fn commercial() -> Base {
    Base {
        file: Some(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/commercial.toml"),
        ),
        set: vec!["scenario.replications=30".to_string()],
    }
}

fn sweep(c: &mut Criterion) {
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    group.throughput(Throughput::Elements(750));
    let varies: Vec<String> = VARY.iter().map(|v| v.to_string()).collect();
    group.bench_function("commercial 5x5 grid x 30 reps (plan and run)", |b| {
        b.iter(|| {
            let plan = plan::sweep(&commercial(), &varies, Design::Grid, &[], None)
                .unwrap_or_else(|e| panic!("{e}"));
            let jobs: Vec<Job> = plan
                .scenarios
                .iter()
                .enumerate()
                .filter_map(|(point, scenario)| {
                    Some(Job {
                        point,
                        scenario: scenario.as_ref()?,
                    })
                })
                .collect();
            let batch = Batch {
                seed: plan.manifest.seed,
                replications: plan.manifest.replications,
                selectors: &plan.selectors,
                threads: 0,
            };
            let mut points = 0;
            let stop = AtomicBool::new(false);
            let ran = run_points(&jobs, batch, &|| {}, &stop, &mut |_| {
                points += 1;
                Ok(())
            })
            .expect("the sweep runs");
            black_box((ran, points))
        });
    });
    let mut one = commercial();
    one.set = vec!["scenario.replications=750".to_string()];
    let scenario = deepmud::scenario::load_file(one.file.as_deref().expect("a file"), &one.set)
        .unwrap_or_else(|e| panic!("{e}"));
    let options = RunOptions {
        shipments: ShipmentLog::None,
        ..RunOptions::default()
    };
    group.bench_function("commercial 750 reps as one scenario", |b| {
        b.iter(|| {
            let mut sink = Vec::new();
            black_box(run(&scenario, &options, &|| {}, &mut sink).expect("the run runs"))
        });
    });
    group.finish();
}

// As in benches/scenarios.rs: no HTML plots (they would draw text without
// a registered font).
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = sweep
}
criterion_main!(benches);
