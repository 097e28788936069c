//! What every unit (mining system, shuttle, hub ship) has, kept in one
//! place: the state its time is booked to, the generation that cancels its
//! pending timed event, and whether it is leaving or out of service; and the
//! list of units of one kind with their shared time budget and, when a
//! trace is asked for, the recorder of their state changes.

use std::ops::{Deref, DerefMut};

use super::trace::{self, Recorder};
use super::{Event, SimError};
use crate::engine::{Generation, Simulation, Token};
use crate::stats::budget::{StateClock, TimeBudget};

/// The part of a unit every kind shares.
pub(super) struct Core<S> {
    /// The state its time is booked to, and since when.
    pub clock: StateClock<S>,
    /// Cancels the unit's pending timed event when its plans change.
    pub generation: Generation,
    /// Leaving service after its current cycle (a later phase has fewer).
    pub retiring: bool,
    /// Out of service: its time is no longer booked.
    pub retired: bool,
}

impl<S: Copy + PartialEq + Into<usize>> Core<S> {
    /// A unit in service, in `state` from `now_h`.
    pub fn new(state: S, now_h: f64) -> Self {
        Core {
            clock: StateClock::new(state, now_h),
            generation: Generation::default(),
            retiring: false,
            retired: false,
        }
    }
}

/// A kind of unit: its states and the event that ends its timed activity.
pub(super) trait Unit {
    type State: Copy + PartialEq + Into<usize>;
    fn core(&self) -> &Core<Self::State>;
    fn core_mut(&mut self) -> &mut Core<Self::State>;
    /// The event ending unit `unit`'s timed activity, live while `token` is.
    fn timed_event(unit: usize, token: Token) -> Event;
    /// The name of `state` in output files.
    fn state_name(state: Self::State) -> &'static str;
}

/// Implements [`Unit`] for `$unit`, whose `core` field holds its
/// [`Core`]`<$state>` and whose timed event `$event(unit, token)` makes.
macro_rules! impl_unit {
    ($unit:ty, $state:ty, $event:expr) => {
        impl $crate::model::unit::Unit for $unit {
            type State = $state;
            fn core(&self) -> &$crate::model::unit::Core<$state> {
                &self.core
            }
            fn core_mut(&mut self) -> &mut $crate::model::unit::Core<$state> {
                &mut self.core
            }
            fn timed_event(unit: usize, token: $crate::engine::Token) -> $crate::model::Event {
                $event(unit, token)
            }
            fn state_name(state: $state) -> &'static str {
                state.name()
            }
        }
    };
}
pub(super) use impl_unit;

/// The units of one kind and the time budget their hours are booked to.
pub(super) struct Units<U> {
    list: Vec<U>,
    pub budget: TimeBudget,
    /// The kind's name in the trace (`system`, `shuttle`, `hub ship`).
    kind: &'static str,
    trace: Option<Recorder>,
}

impl<U: Unit> Units<U> {
    /// `list`, units of `kind`, booking to a budget of `states` states over
    /// `years` years, and recording their state changes to `trace` if given.
    pub fn new(
        list: Vec<U>,
        kind: &'static str,
        states: usize,
        years: usize,
        trace: Option<Recorder>,
    ) -> Self {
        let units = Units {
            list,
            budget: TimeBudget::new(states, years),
            kind,
            trace,
        };
        for unit in 0..units.list.len() {
            units.record_new(unit);
        }
        units
    }

    /// Adds a unit; returns its index.
    pub fn push(&mut self, unit: U) -> usize {
        self.list.push(unit);
        let index = self.list.len() - 1;
        self.record_new(index);
        index
    }

    /// Records that unit `unit` enters service in its first state.
    fn record_new(&self, unit: usize) {
        if let Some(trace) = &self.trace {
            let clock = &self.list[unit].core().clock;
            let state = U::state_name(clock.state());
            trace.record(clock.since_h(), self.kind, unit, trace::NEW, state);
        }
    }

    /// Books unit `unit`'s time so far to its current state and enters `state`.
    #[inline]
    pub fn set_state(&mut self, unit: usize, state: U::State, now_h: f64) {
        if self.trace.is_some() {
            self.record_change(unit, state, now_h);
        }
        self.list[unit]
            .core_mut()
            .clock
            .enter(&mut self.budget, state, now_h);
    }

    /// Records that unit `unit` enters `state` at `now_h`, if that changes
    /// its state. Out of line: without a trace, the call to
    /// [`Self::set_state`] (200,000 a replication) stays as lean as it was.
    #[cold]
    #[inline(never)]
    fn record_change(&self, unit: usize, state: U::State, now_h: f64) {
        let from = self.list[unit].core().clock.state();
        if let Some(trace) = self.trace.as_ref().filter(|_| from != state) {
            let (from, to) = (U::state_name(from), U::state_name(state));
            trace.record(now_h, self.kind, unit, from, to);
        }
    }

    /// Cancels unit `unit`'s pending timed event.
    pub fn cancel(&mut self, unit: usize) {
        self.list[unit].core_mut().generation.cancel_all();
    }

    /// Cancels unit `unit`'s pending timed event and schedules one after `delay_h`.
    pub fn schedule(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        delay_h: f64,
    ) -> Result<(), SimError> {
        let generation = &mut self.list[unit].core_mut().generation;
        generation.cancel_all();
        let token = generation.token();
        sim.schedule_in(delay_h, U::timed_event(unit, token))?;
        Ok(())
    }

    /// Whether `token` is unit `unit`'s live timed event.
    pub fn is_live(&self, unit: usize, token: Token) -> bool {
        self.list[unit].core().generation.is_live(token)
    }

    /// Leaves unit `unit` in its `idle` state with nothing scheduled; with
    /// `retire`, out of service: its time stops being booked.
    pub fn stop(&mut self, unit: usize, idle: U::State, now_h: f64, retire: bool) {
        self.cancel(unit);
        self.set_state(unit, idle, now_h);
        if retire {
            let core = self.list[unit].core_mut();
            core.clock.close(&mut self.budget, now_h);
            core.retired = true;
            if let Some(trace) = &self.trace {
                let idle = U::state_name(idle);
                trace.record(now_h, self.kind, unit, idle, trace::RETIRED);
            }
        }
    }

    /// Books every unit still in service up to the horizon `now_h`.
    pub fn close(&mut self, now_h: f64) {
        for (index, unit) in self.list.iter().enumerate() {
            let core = unit.core();
            if !core.retired {
                core.clock.close(&mut self.budget, now_h);
                if let Some(trace) = &self.trace {
                    let state = U::state_name(core.clock.state());
                    trace.record(now_h, self.kind, index, state, trace::HORIZON);
                }
            }
        }
    }
}

impl<U> Deref for Units<U> {
    type Target = [U];
    fn deref(&self) -> &[U] {
        &self.list
    }
}

impl<U> DerefMut for Units<U> {
    fn deref_mut(&mut self) -> &mut [U] {
        &mut self.list
    }
}
