//! The engine against queueing theory: M/M/1 and M/M/c mean waits (Erlang C)
//! and Little's law, on long runs analysed by batch means.

use std::collections::VecDeque;

use deepmud::engine::{EngineError, Model, SimTime, Simulation};
use deepmud::model::streams::{Owner, Purpose, stream};
use deepmud::stats::summary::{MeanVar, batch_means};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::Exp1;

#[derive(Clone, Copy)]
enum Event {
    Arrival,
    Departure { arrived_h: f64 },
}

/// An M/M/c queue: Poisson arrivals at rate λ, c servers with exponential
/// service at rate μ each, first come first served.
struct MMc {
    arrivals: ChaCha8Rng,
    services: ChaCha8Rng,
    lambda: f64,
    mu: f64,
    servers: usize,
    busy: usize,
    queue: VecDeque<f64>,
    /// Waits in queue, in the order service starts.
    waits_h: Vec<f64>,
    arrived: u64,
    sojourn: MeanVar,
    in_system_area: f64,
    last_change_h: f64,
}

impl MMc {
    fn new(lambda: f64, mu: f64, servers: usize, seed: u64) -> Self {
        MMc {
            arrivals: stream(seed, 0, Purpose::Logistics, Owner::Site),
            services: stream(seed, 0, Purpose::Failures, Owner::Site),
            lambda,
            mu,
            servers,
            busy: 0,
            queue: VecDeque::new(),
            waits_h: Vec::new(),
            arrived: 0,
            sojourn: MeanVar::default(),
            in_system_area: 0.0,
            last_change_h: 0.0,
        }
    }

    fn in_system(&self) -> usize {
        self.busy + self.queue.len()
    }

    /// Integrates the number in system up to `now_h`, for the time average L.
    fn advance(&mut self, now_h: f64) {
        self.in_system_area += self.in_system() as f64 * (now_h - self.last_change_h);
        self.last_change_h = now_h;
    }

    fn start_service(
        &mut self,
        sim: &mut Simulation<Event>,
        arrived_h: f64,
    ) -> Result<(), EngineError> {
        self.waits_h.push(sim.now().hours() - arrived_h);
        let service_h = self.services.sample::<f64, _>(Exp1) / self.mu;
        sim.schedule_in(service_h, Event::Departure { arrived_h })
    }
}

impl Model for MMc {
    type Event = Event;
    type Error = EngineError;

    fn handle(&mut self, sim: &mut Simulation<Event>, event: Event) -> Result<(), EngineError> {
        let now_h = sim.now().hours();
        self.advance(now_h);
        match event {
            Event::Arrival => {
                self.arrived += 1;
                let gap_h = self.arrivals.sample::<f64, _>(Exp1) / self.lambda;
                sim.schedule_in(gap_h, Event::Arrival)?;
                if self.busy < self.servers {
                    self.busy += 1;
                    self.start_service(sim, now_h)?;
                } else {
                    self.queue.push_back(now_h);
                }
            }
            Event::Departure { arrived_h } => {
                self.sojourn.add(now_h - arrived_h);
                match self.queue.pop_front() {
                    Some(next_arrived_h) => self.start_service(sim, next_arrived_h)?,
                    None => self.busy -= 1,
                }
            }
        }
        Ok(())
    }
}

/// Erlang's C formula: the probability that an arrival waits in an M/M/c
/// queue with offered load a = λ/μ (Kleinrock 1975, Queueing Systems I, §3.5).
fn erlang_c(servers: usize, offered_load: f64) -> f64 {
    let c = servers as f64;
    let mut term = 1.0;
    let mut sum = 0.0;
    for k in 0..servers {
        if k > 0 {
            term *= offered_load / k as f64;
        }
        sum += term;
    }
    let last = term * offered_load / c * c / (c - offered_load);
    last / (sum + last)
}

/// Analytic mean wait in queue: Wq = C(c, a) / (cμ − λ).
fn analytic_wait_h(lambda: f64, mu: f64, servers: usize) -> f64 {
    erlang_c(servers, lambda / mu) / (servers as f64 * mu - lambda)
}

struct Outcome {
    waits: MeanVar,
    little_l: f64,
    little_lambda_w: f64,
}

/// Simulates `customers` arrivals, drops the first 5% of waits as warm-up and
/// summarises the rest as 40 batch means.
fn simulate(lambda: f64, mu: f64, servers: usize, customers: u64) -> Outcome {
    let mut model = MMc::new(lambda, mu, servers, 2026);
    let mut sim = Simulation::new();
    sim.schedule_at(SimTime::ZERO, Event::Arrival).unwrap();
    let horizon = SimTime::from_hours(customers as f64 / lambda).unwrap();
    sim.run_until(&mut model, horizon).unwrap();
    model.advance(horizon.hours());
    let warm_up = model.waits_h.len() / 20;
    let waits = batch_means(&model.waits_h[warm_up..], 40);
    let observed_lambda = model.arrived as f64 / horizon.hours();
    Outcome {
        waits,
        little_l: model.in_system_area / horizon.hours(),
        little_lambda_w: observed_lambda * model.sojourn.mean(),
    }
}

fn assert_matches_theory(lambda: f64, mu: f64, servers: usize, customers: u64) {
    let outcome = simulate(lambda, mu, servers, customers);
    let expected = analytic_wait_h(lambda, mu, servers);
    let half_width = outcome.waits.ci_half_width(0.99);
    let mean = outcome.waits.mean();
    assert!(
        (mean - expected).abs() <= half_width,
        "M/M/{servers} at rho = {}: simulated Wq = {mean:.4} ± {half_width:.4} (99% CI), analytic {expected:.4}",
        lambda / (servers as f64 * mu)
    );
    let little_error = (outcome.little_l - outcome.little_lambda_w).abs() / outcome.little_l;
    assert!(
        little_error < 0.01,
        "Little's law: L = {:.4}, lambda W = {:.4}",
        outcome.little_l,
        outcome.little_lambda_w
    );
}

#[test]
fn mm1_at_rho_0_5_mean_wait_matches_erlang_c() {
    assert_matches_theory(0.5, 1.0, 1, 1_000_000);
}

#[test]
fn mm1_at_rho_0_9_mean_wait_matches_erlang_c() {
    assert_matches_theory(0.9, 1.0, 1, 4_000_000);
}

#[test]
fn mm3_at_rho_0_8_mean_wait_matches_erlang_c() {
    assert_matches_theory(2.4, 1.0, 3, 2_000_000);
}

#[test]
fn erlang_c_reduces_to_rho_for_one_server() {
    // For c = 1, C(1, a) = a = ρ, so Wq = ρ / (μ − λ).
    assert!((erlang_c(1, 0.7) - 0.7).abs() < 1e-15);
    assert!((analytic_wait_h(0.5, 1.0, 1) - 1.0).abs() < 1e-15);
}
