//! The classic hold model: N pending events; each pop schedules one new
//! event at now + Exp(1). Run through the engine's public API and, for
//! comparison, as a bare `BinaryHeap` push/pop loop doing the same work.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use deepmud::engine::{EngineError, EventQueue, Model, SimTime, Simulation};
use deepmud::model::streams::{Owner, Purpose, stream};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::Exp1;

/// Events popped per measured iteration.
const HOLDS_PER_ITERATION: u64 = 100_000;

struct Hold {
    rng: ChaCha8Rng,
}

#[derive(Clone, Copy)]
struct Tick;

impl Model for Hold {
    type Event = Tick;
    type Error = EngineError;

    fn handle(&mut self, sim: &mut Simulation<Tick>, _event: Tick) -> Result<(), EngineError> {
        let delay_h: f64 = self.rng.sample(Exp1);
        sim.schedule_in(delay_h, Tick)
    }
}

fn engine_hold(pending: usize) -> (Simulation<Tick>, Hold) {
    let mut model = Hold {
        rng: stream(1, 0, Purpose::Logistics, Owner::Site),
    };
    let mut sim = Simulation::with_capacity(pending + 1);
    for _ in 0..pending {
        let delay_h: f64 = model.rng.sample(Exp1);
        sim.schedule_in(delay_h, Tick).expect("finite delay");
    }
    (sim, model)
}

/// The bare heap stores only the time's order key (finite non-negative f64
/// bits order like the values).
fn bare_hold(pending: usize) -> (BinaryHeap<Reverse<u64>>, ChaCha8Rng) {
    let mut rng = stream(1, 0, Purpose::Logistics, Owner::Site);
    let mut heap = BinaryHeap::with_capacity(pending + 1);
    for _ in 0..pending {
        let delay_h: f64 = rng.sample(Exp1);
        heap.push(Reverse(delay_h.to_bits()));
    }
    (heap, rng)
}

fn hold(c: &mut Criterion) {
    let mut group = c.benchmark_group("hold");
    group.throughput(Throughput::Elements(HOLDS_PER_ITERATION));
    for pending in [10, 100, 1_000, 10_000] {
        group.bench_function(BenchmarkId::new("engine", pending), |b| {
            let (mut sim, mut model) = engine_hold(pending);
            b.iter(|| {
                for _ in 0..HOLDS_PER_ITERATION {
                    sim.step(&mut model).expect("hold model never fails");
                }
                black_box(sim.now())
            });
        });
        // The event list alone, without the simulation loop: shows where
        // the engine's time goes.
        group.bench_function(BenchmarkId::new("event_queue", pending), |b| {
            let mut rng = stream(1, 0, Purpose::Logistics, Owner::Site);
            let mut queue = EventQueue::with_capacity(pending + 1);
            for _ in 0..pending {
                let delay_h: f64 = rng.sample(Exp1);
                queue.push(SimTime::ZERO.after(delay_h).expect("finite delay"), Tick);
            }
            b.iter(|| {
                let mut now = SimTime::ZERO;
                for _ in 0..HOLDS_PER_ITERATION {
                    let Some((time, event)) = queue.pop() else {
                        break;
                    };
                    now = time;
                    let delay_h: f64 = rng.sample(Exp1);
                    queue.push(time.after(delay_h).expect("finite delay"), event);
                }
                black_box(now)
            });
        });
        group.bench_function(BenchmarkId::new("bare_binary_heap", pending), |b| {
            let (mut heap, mut rng) = bare_hold(pending);
            b.iter(|| {
                let mut now_h = 0.0;
                for _ in 0..HOLDS_PER_ITERATION {
                    let Some(Reverse(key)) = heap.pop() else {
                        break;
                    };
                    now_h = f64::from_bits(key);
                    let delay_h: f64 = rng.sample(Exp1);
                    heap.push(Reverse((now_h + delay_h).to_bits()));
                }
                black_box(now_h)
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
    targets = hold
}
criterion_main!(benches);
