//! A generic discrete-event engine. It knows nothing about mining.
//!
//! A model owns its event type (a plain `enum`, no boxing) and implements
//! [`Model`]; a [`Simulation`] holds the clock and the future-event list and
//! calls [`Model::handle`] for each event in time order until a horizon.
//! Events at equal times fire in the order they were scheduled.
//! Cancellation uses generation tokens: an event carries the [`Token`] of the
//! [`Generation`] it belongs to; bumping the generation makes every pending
//! event with an older token stale, and [`Model::is_live`] drops it unseen.
//!
//! # Example: an M/M/1 queue
//!
//! Customers arrive at rate λ = 0.5 per hour and are served at rate μ = 1 per
//! hour by one server. Queueing theory gives the mean wait in queue
//! Wq = ρ / (μ − λ) = 1 h with ρ = λ/μ.
//!
//! ```
//! use deepmud::engine::{EngineError, Model, SimTime, Simulation};
//! use rand::{RngExt, SeedableRng};
//! use rand_chacha::ChaCha8Rng;
//!
//! #[derive(Clone, Copy)]
//! enum Event { Arrival, Departure }
//!
//! struct MM1 { rng: ChaCha8Rng, lambda: f64, mu: f64, queue: Vec<f64>, busy: bool,
//!              served: u64, total_wait_h: f64 }
//!
//! impl MM1 {
//!     fn exp(&mut self, rate: f64) -> f64 { -(1.0 - self.rng.random::<f64>()).ln() / rate }
//! }
//!
//! impl Model for MM1 {
//!     type Event = Event;
//!     type Error = EngineError;
//!     fn handle(&mut self, sim: &mut Simulation<Event>, event: Event) -> Result<(), EngineError> {
//!         let now = sim.now().hours();
//!         match event {
//!             Event::Arrival => {
//!                 let gap = self.exp(self.lambda);
//!                 sim.schedule_in(gap, Event::Arrival)?;
//!                 if self.busy {
//!                     self.queue.push(now);
//!                 } else {
//!                     self.busy = true;
//!                     self.served += 1;
//!                     let service = self.exp(self.mu);
//!                     sim.schedule_in(service, Event::Departure)?;
//!                 }
//!             }
//!             Event::Departure => {
//!                 if self.queue.is_empty() {
//!                     self.busy = false;
//!                 } else {
//!                     let arrived = self.queue.remove(0);
//!                     self.total_wait_h += now - arrived;
//!                     self.served += 1;
//!                     let service = self.exp(self.mu);
//!                     sim.schedule_in(service, Event::Departure)?;
//!                 }
//!             }
//!         }
//!         Ok(())
//!     }
//! }
//!
//! let mut model = MM1 { rng: ChaCha8Rng::seed_from_u64(7), lambda: 0.5, mu: 1.0,
//!                       queue: Vec::new(), busy: false, served: 0, total_wait_h: 0.0 };
//! let mut sim = Simulation::new();
//! sim.schedule_at(SimTime::ZERO, Event::Arrival)?;
//! sim.run_until(&mut model, SimTime::from_hours(200_000.0)?)?;
//! let mean_wait_h = model.total_wait_h / model.served as f64;
//! assert!((mean_wait_h - 1.0).abs() < 0.1, "Wq = {mean_wait_h}");
//! assert!(sim.events_fired() > 150_000);
//! # Ok::<(), EngineError>(())
//! ```

mod queue;
mod time;

pub use queue::EventQueue;
pub use time::{HOURS_PER_YEAR, SimTime, TimeError};

/// An error raised by the engine while scheduling.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// A time or delay was NaN, infinite or negative.
    #[error(transparent)]
    Time(#[from] TimeError),
    /// An event was scheduled before the current time.
    #[error("cannot schedule an event at {requested}, before the current time {now}")]
    InThePast { now: SimTime, requested: SimTime },
    /// [`MAX_EVENTS_AT_ONE_INSTANT`] events in a row fired at one time: the
    /// model makes no progress.
    #[error("no progress: {events} events in a row at {at}")]
    Stalled { at: SimTime, events: u64 },
}

/// The most events that may fire in a row at one simulated time before
/// [`Simulation::step`] stops the run as stalled: far above any real burst
/// of simultaneous events, far below a run of minutes.
pub const MAX_EVENTS_AT_ONE_INSTANT: u64 = 1_000_000;

/// A model driven by the engine: it owns its state and its event type.
pub trait Model {
    /// The model's own event type: a plain `Copy` enum (events are moved
    /// around the heap by copying, and carry no heap data).
    type Event: Copy;
    /// The model's error type; engine errors convert into it.
    type Error: From<EngineError>;

    /// Whether a popped event should still fire. Models using [`Generation`]
    /// tokens return `false` for stale events; the default keeps every event.
    fn is_live(&self, _event: &Self::Event) -> bool {
        true
    }

    /// Reacts to one event at `sim.now()`, scheduling further events.
    fn handle(
        &mut self,
        sim: &mut Simulation<Self::Event>,
        event: Self::Event,
    ) -> Result<(), Self::Error>;

    /// The error that stops a run in which `events` events in a row fired
    /// at `at`, the last of them `event`. Models override it to say which
    /// part of them is stuck, and in what state.
    fn stalled(&self, at: SimTime, events: u64, _event: &Self::Event) -> Self::Error {
        EngineError::Stalled { at, events }.into()
    }
}

/// A cancellation token carried by a scheduled event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Token(u64);

/// A generation counter: events carrying an older token than the current
/// one are stale and never fire.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Generation(u64);

impl Generation {
    /// The token to put in events scheduled now.
    pub fn token(&self) -> Token {
        Token(self.0)
    }

    /// Cancels every pending event carrying a token of this generation.
    pub fn cancel_all(&mut self) {
        self.0 += 1;
    }

    /// Whether an event carrying `token` is still live.
    pub fn is_live(&self, token: Token) -> bool {
        token.0 == self.0
    }
}

/// The clock and the future-event list of one simulation run.
pub struct Simulation<E> {
    queue: EventQueue<E>,
    now: SimTime,
    fired: u64,
    cancelled: u64,
    /// Live events fired in a row at `now`.
    at_this_instant: u64,
}

impl<E: Copy> Default for Simulation<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> Simulation<E> {
    /// A simulation at time zero with no pending events.
    pub fn new() -> Self {
        Self::with_capacity(64)
    }

    /// Like [`Simulation::new`], with room for `capacity` pending events.
    pub fn with_capacity(capacity: usize) -> Self {
        Simulation {
            queue: EventQueue::with_capacity(capacity),
            now: SimTime::ZERO,
            fired: 0,
            cancelled: 0,
            at_this_instant: 0,
        }
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` at `time`, which must not be before now.
    pub fn schedule_at(&mut self, time: SimTime, event: E) -> Result<(), EngineError> {
        if time < self.now {
            return Err(EngineError::InThePast {
                now: self.now,
                requested: time,
            });
        }
        self.queue.push(time, event);
        Ok(())
    }

    /// Schedules `event` after `delay_h` hours (finite and non-negative).
    pub fn schedule_in(&mut self, delay_h: f64, event: E) -> Result<(), EngineError> {
        let time = self.now.after(delay_h)?;
        self.queue.push(time, event);
        Ok(())
    }

    /// The time of the earliest pending event (stale ones included).
    pub fn next_time(&self) -> Option<SimTime> {
        self.queue.peek_time()
    }

    /// Events handled so far (stale events are not counted).
    pub fn events_fired(&self) -> u64 {
        self.fired
    }

    /// Stale events popped and dropped so far.
    pub fn events_cancelled(&self) -> u64 {
        self.cancelled
    }

    /// Events still in the list, stale ones included.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Pops the earliest event, advances the clock to it and fires it (or
    /// drops it if stale). Returns `false` when no event is pending, and the
    /// model's [`Model::stalled`] error instead of firing the event that
    /// would be more than [`MAX_EVENTS_AT_ONE_INSTANT`] in a row at one time.
    pub fn step<M>(&mut self, model: &mut M) -> Result<bool, M::Error>
    where
        M: Model<Event = E>,
    {
        let Some((time, event)) = self.queue.pop() else {
            return Ok(false);
        };
        if time > self.now {
            self.at_this_instant = 0;
        }
        self.now = time;
        if model.is_live(&event) {
            self.at_this_instant += 1;
            if self.at_this_instant > MAX_EVENTS_AT_ONE_INSTANT {
                return Err(model.stalled(time, MAX_EVENTS_AT_ONE_INSTANT, &event));
            }
            self.fired += 1;
            model.handle(self, event)?;
        } else {
            self.cancelled += 1;
        }
        Ok(true)
    }

    /// Fires every event with time ≤ `horizon` in order, then sets the clock
    /// to `horizon` (if it is later than now). Later events stay pending, so a
    /// run can continue with a further call.
    pub fn run_until<M>(&mut self, model: &mut M, horizon: SimTime) -> Result<(), M::Error>
    where
        M: Model<Event = E>,
    {
        while self.queue.peek_time().is_some_and(|time| time <= horizon) {
            self.step(model)?;
        }
        if horizon > self.now {
            self.now = horizon;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records the order in which events fire.
    struct Recorder {
        fired: Vec<u32>,
        generation: Generation,
    }

    #[derive(Clone, Copy)]
    enum Ev {
        Plain(u32),
        Cancellable(u32, Token),
    }

    impl Model for Recorder {
        type Event = Ev;
        type Error = EngineError;
        fn is_live(&self, event: &Ev) -> bool {
            match event {
                Ev::Plain(_) => true,
                Ev::Cancellable(_, token) => self.generation.is_live(*token),
            }
        }
        fn handle(&mut self, _sim: &mut Simulation<Ev>, event: Ev) -> Result<(), EngineError> {
            match event {
                Ev::Plain(id) | Ev::Cancellable(id, _) => self.fired.push(id),
            }
            Ok(())
        }
    }

    fn recorder() -> Recorder {
        Recorder {
            fired: Vec::new(),
            generation: Generation::default(),
        }
    }

    #[test]
    fn equal_time_events_fire_in_scheduling_order() {
        let mut sim = Simulation::new();
        let t = SimTime::from_hours(5.0).unwrap();
        for id in [3, 1, 4, 1, 5, 9, 2, 6] {
            sim.schedule_at(t, Ev::Plain(id)).unwrap();
        }
        sim.schedule_at(SimTime::from_hours(1.0).unwrap(), Ev::Plain(0))
            .unwrap();
        let mut model = recorder();
        sim.run_until(&mut model, SimTime::from_hours(10.0).unwrap())
            .unwrap();
        assert_eq!(model.fired, vec![0, 3, 1, 4, 1, 5, 9, 2, 6]);
        assert_eq!(sim.events_fired(), 9);
    }

    #[test]
    fn a_cancelled_event_never_fires() {
        let mut sim = Simulation::new();
        let mut model = recorder();
        let old = model.generation.token();
        sim.schedule_in(1.0, Ev::Cancellable(1, old)).unwrap();
        model.generation.cancel_all();
        let new = model.generation.token();
        sim.schedule_in(2.0, Ev::Cancellable(2, new)).unwrap();
        sim.run_until(&mut model, SimTime::from_hours(3.0).unwrap())
            .unwrap();
        assert_eq!(model.fired, vec![2]);
        assert_eq!(sim.events_cancelled(), 1);
    }

    #[test]
    fn run_until_stops_at_the_horizon_and_resumes() {
        let mut sim = Simulation::new();
        let mut model = recorder();
        sim.schedule_in(1.0, Ev::Plain(1)).unwrap();
        sim.schedule_in(5.0, Ev::Plain(5)).unwrap();
        sim.run_until(&mut model, SimTime::from_hours(5.0).unwrap())
            .unwrap();
        sim.schedule_in(0.5, Ev::Plain(6)).unwrap();
        sim.run_until(&mut model, SimTime::from_hours(4.0).unwrap())
            .unwrap();
        assert_eq!(sim.now().hours(), 5.0, "the clock never runs backwards");
        sim.run_until(&mut model, SimTime::from_hours(9.0).unwrap())
            .unwrap();
        assert_eq!(model.fired, vec![1, 5, 6]);
        assert_eq!(sim.now().hours(), 9.0);
    }

    /// Reschedules itself at the same instant, for ever.
    struct Stuck;

    impl Model for Stuck {
        type Event = Ev;
        type Error = EngineError;
        fn handle(&mut self, sim: &mut Simulation<Ev>, event: Ev) -> Result<(), EngineError> {
            sim.schedule_in(0.0, event)
        }
    }

    #[test]
    fn a_model_that_loops_at_one_instant_stops_with_a_stalled_error() {
        let mut sim = Simulation::new();
        let t = SimTime::from_hours(280.0).unwrap();
        sim.schedule_at(t, Ev::Plain(0)).unwrap();
        let err = sim
            .run_until(&mut Stuck, SimTime::from_hours(1_000.0).unwrap())
            .unwrap_err();
        assert_eq!(
            err,
            EngineError::Stalled {
                at: t,
                events: MAX_EVENTS_AT_ONE_INSTANT
            }
        );
        assert_eq!(sim.events_fired(), MAX_EVENTS_AT_ONE_INSTANT);
    }

    #[test]
    fn events_at_one_instant_are_counted_afresh_when_time_moves_on() {
        let mut sim = Simulation::new();
        let mut model = recorder();
        let burst = MAX_EVENTS_AT_ONE_INSTANT as usize;
        for t in [1.0, 2.0] {
            let at = SimTime::from_hours(t).unwrap();
            for _ in 0..burst {
                sim.schedule_at(at, Ev::Plain(0)).unwrap();
            }
        }
        sim.run_until(&mut model, SimTime::from_hours(3.0).unwrap())
            .unwrap();
        assert_eq!(model.fired.len(), 2 * burst);
    }

    #[test]
    fn scheduling_in_the_past_or_with_a_bad_delay_is_an_error() {
        let mut sim: Simulation<Ev> = Simulation::new();
        let mut model = recorder();
        sim.run_until(&mut model, SimTime::from_hours(10.0).unwrap())
            .unwrap();
        let err = sim
            .schedule_at(SimTime::from_hours(2.0).unwrap(), Ev::Plain(0))
            .unwrap_err();
        assert!(matches!(err, EngineError::InThePast { .. }));
        assert!(sim.schedule_in(f64::NAN, Ev::Plain(0)).is_err());
        assert!(sim.schedule_in(-1.0, Ev::Plain(0)).is_err());
        assert_eq!(sim.pending(), 0);
    }
}
