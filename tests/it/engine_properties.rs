//! Properties of the event engine under arbitrary schedule/cancel sequences.

use std::collections::BTreeSet;

use deepmud::engine::{EngineError, Generation, Model, SimTime, Simulation, Token};
use proptest::prelude::*;

const UNITS: usize = 4;

#[derive(Clone, Copy)]
struct Ev {
    id: u32,
    unit: usize,
    token: Token,
}

/// Checks each firing against the set of events that should still fire.
struct Checker {
    generations: [Generation; UNITS],
    /// Ids that are scheduled and not cancelled, per unit.
    live: [BTreeSet<u32>; UNITS],
    fired: BTreeSet<u32>,
    last_time: SimTime,
    violations: Vec<String>,
}

impl Model for Checker {
    type Event = Ev;
    type Error = EngineError;

    fn is_live(&self, event: &Ev) -> bool {
        self.generations[event.unit].is_live(event.token)
    }

    fn handle(&mut self, sim: &mut Simulation<Ev>, event: Ev) -> Result<(), EngineError> {
        if sim.now() < self.last_time {
            self.violations
                .push(format!("time went back to {}", sim.now()));
        }
        self.last_time = sim.now();
        if !self.live[event.unit].remove(&event.id) {
            self.violations
                .push(format!("event {} fired but was not live", event.id));
        }
        if !self.fired.insert(event.id) {
            self.violations
                .push(format!("event {} fired twice", event.id));
        }
        Ok(())
    }
}

#[derive(Clone, Debug)]
enum Op {
    /// Schedule an event for a unit after a delay (small integers make ties).
    Schedule { unit: usize, delay_h: f64 },
    /// Cancel every pending event of a unit.
    Cancel { unit: usize },
    /// Run the simulation forward by some hours.
    Advance { hours: f64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..UNITS, prop_oneof![(0u8..5).prop_map(f64::from), 0.0..50.0f64])
            .prop_map(|(unit, delay_h)| Op::Schedule { unit, delay_h }),
        1 => (0..UNITS).prop_map(|unit| Op::Cancel { unit }),
        1 => (0.0..20.0f64).prop_map(|hours| Op::Advance { hours }),
    ]
}

proptest! {
    #[test]
    fn times_never_decrease_and_every_live_event_fires_exactly_once(
        ops in prop::collection::vec(op(), 0..300)
    ) {
        let mut model = Checker {
            generations: [Generation::default(); UNITS],
            live: Default::default(),
            fired: BTreeSet::new(),
            last_time: SimTime::ZERO,
            violations: Vec::new(),
        };
        let mut sim = Simulation::new();
        let mut next_id = 0;
        for op in ops {
            match op {
                Op::Schedule { unit, delay_h } => {
                    let token = model.generations[unit].token();
                    sim.schedule_in(delay_h, Ev { id: next_id, unit, token }).unwrap();
                    model.live[unit].insert(next_id);
                    next_id += 1;
                }
                Op::Cancel { unit } => {
                    model.generations[unit].cancel_all();
                    model.live[unit].clear();
                }
                Op::Advance { hours } => {
                    let until = sim.now().after(hours).unwrap();
                    sim.run_until(&mut model, until).unwrap();
                }
            }
        }
        sim.run_until(&mut model, SimTime::from_hours(1e9).unwrap()).unwrap();
        prop_assert!(model.violations.is_empty(), "{:?}", model.violations);
        prop_assert!(model.live.iter().all(BTreeSet::is_empty), "live events never fired");
        prop_assert_eq!(sim.events_fired() + sim.events_cancelled(), u64::from(next_id));
    }
}
