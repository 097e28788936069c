//! Whole scenarios: replications per second of `commercial.toml` and
//! `scale-up.toml` (one replication per iteration, single thread).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use deepmud::model::run_replication;
use deepmud::scenario::load_file;

fn scenarios(c: &mut Criterion) {
    let mut group = c.benchmark_group("replication");
    group.throughput(Throughput::Elements(1));
    group.sample_size(20);
    for name in ["commercial", "scale-up"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(format!("{name}.toml"));
        let scenario = load_file(&path, &[]).unwrap_or_else(|e| panic!("{e}"));
        let seed = scenario.scenario.seed;
        let mut replication = 0;
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                replication += 1;
                black_box(run_replication(&scenario, seed, replication).expect("replication runs"))
            });
        });
    }
    group.finish();
}

// Criterion's HTML plots would draw text through the ab_glyph font path
// deepmud enables in plotters, without a registered font; the figures are
// read from the terminal output instead.
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = scenarios
}
criterion_main!(benches);
