//! The mining operation on top of the engine: one module per part, each a
//! state machine driven by engine events. docs/MODEL.md has the states,
//! events and formulas.
//!
//! [`run_replication`] simulates one replication of a scenario and returns
//! its [`Replication`] record: annual tonnages and oxide, time budgets per
//! unit type, queue statistics, shipments and a mass balance;
//! [`run_replication_traced`] adds its vessel timeline ([`trace`]).

mod berths;
mod economics;
mod fleet;
mod hub;
mod lift;
pub mod ore;
mod phases;
mod plant;
mod port;
mod records;
pub mod streams;
pub mod trace;
mod unit;
pub mod weather;

pub use economics::{Money, YearMoney, annuity_usd, breakeven, irr, irr_at, npv, npv_at};
pub use fleet::ShuttleState;
pub use hub::HubShipState;
pub use lift::{PlannedWork, SystemEvent, SystemState};
pub use records::{
    MASS_TOLERANCE, MassBalance, QueueRecord, Replication, Shipment, Vessel, YearRecord,
};

use rand_chacha::ChaCha8Rng;

use crate::engine::{EngineError, HOURS_PER_YEAR, Model, SimTime, Simulation, Token};
use crate::scenario::Scenario;
use crate::stats::budget::QueueStats;
use streams::{Owner, Purpose, SystemStreams, stream};

use fleet::Shuttle;
use hub::{Hub, HubShip};
use lift::MiningSystem;
use ore::Assay;
use plant::Plant;
use port::Port;
use trace::{Cause, Recorder};
use unit::{Unit, Units};
use weather::{Change, Limits, Step, Weather, WorkLimit};

/// The operation's events.
#[derive(Clone, Copy, Debug)]
pub enum Event {
    /// The sea state reaches the change found ahead (a crossing of an
    /// operating limit, or the end of a search); `deferred` once it has let
    /// the other events due at the same time go first.
    SeaState { token: Token, deferred: bool },
    /// A typhoon warning is issued for the site.
    TyphoonWarning,
    /// The typhoon alert ends (stale if a later typhoon extended it).
    AlertEnd(Token),
    /// The latest safe start of the retrieval for the typhoon warned.
    TyphoonRetrieval,
    /// Something happens to mining system `unit`.
    System { unit: usize, event: SystemEvent },
    /// A shuttle's timed activity ends.
    Shuttle { unit: usize, token: Token },
    /// A hub ship's timed activity ends.
    HubShip { unit: usize, token: Token },
    /// Scale-up phase `index` (of the scenario's resolved phases) begins.
    PhaseStart(usize),
}

/// An error that stops a replication.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    #[error("simulation engine")]
    Engine(#[from] EngineError),
    /// The engine's guard against a model that loops at one instant
    /// ([`crate::engine::MAX_EVENTS_AT_ONE_INSTANT`]).
    #[error(
        "the simulation made no progress: {events} events in a row at {at_h} h, \
         the last for {what}; the scenario's durations let it loop without time passing"
    )]
    Stalled {
        at_h: f64,
        events: u64,
        what: String,
    },
}

/// Tonnes (or metres) below which a quantity counts as used up, absorbing
/// floating-point rounding in rates × times.
const TOL_T: f64 = 1e-6;

/// The shortest delay between a system's decisions, h (0.36 ms): far above
/// the spacing of representable times over centuries (~1e-10 h at 40
/// years), so a decision can never be rescheduled at the same instant.
const TOL_H: f64 = 1e-7;

/// The state of the whole operation during one replication.
pub struct Operation {
    scenario: Scenario,
    horizon_h: f64,
    weather: Weather,
    /// The sea-state change the pending [`Event::SeaState`] stands for.
    sea_change: Option<Change>,
    systems: Units<MiningSystem>,
    shuttles: Units<Shuttle>,
    port: Port,
    plant: Plant,
    hub: Option<Hub>,
    hub_ships: Units<HubShip>,
    assay: Assay,
    /// The run's seed and this replication's number, which key the random
    /// streams of the systems phases add.
    seed: u64,
    replication: u64,
    /// The plant's availability draws.
    plant_rng: ChaCha8Rng,
    years: Vec<YearRecord>,
    site_queue: QueueStats,
    shipments: Vec<Shipment>,
    lifted_t: f64,
    delivered_t: f64,
    /// Cumulative lifting hours of the whole fleet, for learning curves.
    operating_h: f64,
    /// The latest safe start of the retrieval of a deployed string for the
    /// typhoon of the alert on, h.
    typhoon_retrieval_h: f64,
    /// Records the vessel timeline, when asked for.
    trace: Option<Recorder>,
}

/// Simulates replication `replication` (from 0) of `scenario` with seed `seed`.
pub fn run_replication(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
) -> Result<Replication, SimError> {
    simulate(scenario, seed, replication, false)
}

/// [`run_replication`], recording every unit's state changes in the
/// record's `trace`; the results are the same.
pub fn run_replication_traced(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
) -> Result<Replication, SimError> {
    simulate(scenario, seed, replication, true)
}

fn simulate(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
    traced: bool,
) -> Result<Replication, SimError> {
    let mut operation = Operation::new(scenario, seed, replication, traced);
    let mut sim = Simulation::with_capacity(64);
    operation.start(&mut sim)?;
    let horizon = SimTime::from_hours(operation.horizon_h).map_err(EngineError::from)?;
    sim.run_until(&mut operation, horizon)?;
    let mut record = operation.finish(sim.now().hours(), sim.events_fired());
    record.money = scenario
        .economics
        .as_ref()
        .map(|economics| economics::account(scenario, economics, &record, seed, replication));
    Ok(record)
}

impl Operation {
    fn new(scenario: &Scenario, seed: u64, replication: u64, traced: bool) -> Self {
        let horizon_h = scenario.scenario.years * HOURS_PER_YEAR;
        let year_count = scenario.scenario.years.ceil().max(1.0) as usize;
        let systems = (0..scenario.mining.systems as usize)
            .map(|n| {
                MiningSystem::new(scenario, 0.0, SystemStreams::new(seed, replication, n), 1.0)
            })
            .collect();
        let shuttles = (0..scenario.fleet.shuttles as usize)
            .map(|_| Shuttle::new(0.0))
            .collect();
        let hub_ships = (0..scenario.hub.as_ref().map_or(0, |h| h.ships as usize))
            .map(|_| HubShip::new(0.0))
            .collect();
        let trace = traced.then(|| Recorder::new(replication));
        Operation {
            weather: Weather::new(
                &scenario.weather,
                scenario.scenario.start_month,
                stream(seed, replication, Purpose::Weather, Owner::Site),
            ),
            sea_change: None,
            systems: Units::new(
                systems,
                "system",
                SystemState::ALL.len(),
                year_count,
                trace.clone(),
            ),
            shuttles: Units::new(
                shuttles,
                "shuttle",
                ShuttleState::ALL.len(),
                year_count,
                trace.clone(),
            ),
            port: Port::new(&scenario.port),
            plant: Plant::new(),
            hub: scenario.hub.as_ref().map(Hub::new),
            hub_ships: Units::new(
                hub_ships,
                "hub ship",
                HubShipState::ALL.len(),
                year_count,
                trace.clone(),
            ),
            assay: Assay::new(&scenario.ore),
            seed,
            replication,
            plant_rng: stream(seed, replication, Purpose::Logistics, Owner::Plant),
            years: vec![YearRecord::default(); year_count],
            site_queue: QueueStats::default(),
            shipments: Vec::new(),
            lifted_t: 0.0,
            delivered_t: 0.0,
            operating_h: 0.0,
            typhoon_retrieval_h: f64::INFINITY,
            trace,
            horizon_h,
            scenario: scenario.clone(),
        }
    }

    /// Schedules the first events: the first sea-state change and typhoon
    /// warning, the phases, every system's mobilisation and every shuttle's
    /// first departure.
    fn start(&mut self, sim: &mut Simulation<Event>) -> Result<(), SimError> {
        self.schedule_sea_change(sim, self.weather.current())?;
        if let Some(first) = self.weather.first_warning_h() {
            sim.schedule_at(
                SimTime::from_hours(first).map_err(EngineError::from)?,
                Event::TyphoonWarning,
            )?;
        }
        for (index, phase) in self.scenario.resolved_phases.iter().enumerate() {
            let start_h = (phase.start_year - 1.0) * HOURS_PER_YEAR;
            if start_h < self.horizon_h {
                sim.schedule_at(
                    SimTime::from_hours(start_h).map_err(EngineError::from)?,
                    Event::PhaseStart(index),
                )?;
            }
        }
        for unit in 0..self.systems.len() {
            self.start_system(sim, unit)?;
        }
        for unit in 0..self.shuttles.len() {
            self.start_shuttle(sim, unit)?;
        }
        self.start_hub_ships(sim)?;
        Ok(())
    }

    /// Distance from the site to where its vessels unload (hub or port), nm.
    fn unloading_leg_nm(&self) -> f64 {
        self.scenario
            .hub
            .as_ref()
            .map_or(self.scenario.site.port_distance_nm, |hub| {
                hub.site_distance_nm
            })
    }

    fn year_of(&self, t_h: f64) -> usize {
        ((t_h / HOURS_PER_YEAR) as usize).min(self.years.len() - 1)
    }

    /// Books the weather steps starting before `until_h` to the monthly
    /// statistics (hours, and hours workable for each [`WorkLimit`]).
    fn book_weather(&mut self, until_h: f64) {
        let limits = self.limits();
        let years = &mut self.years;
        let last_year = years.len() - 1;
        self.weather.book_until(
            until_h,
            self.horizon_h,
            &limits,
            |t_h, month, hours, workable| {
                let year = &mut years[((t_h / HOURS_PER_YEAR) as usize).min(last_year)];
                year.weather_h[month] += hours;
                for (work, workable_h) in WorkLimit::ALL.iter().zip(&mut year.workable_h) {
                    if workable & work.bit() != 0 {
                        workable_h[month] += hours;
                    }
                }
            },
        );
    }

    /// The operating limits the sea state is watched against, m.
    fn limits(&self) -> Limits {
        let mining = &self.scenario.mining;
        Limits([
            mining.hs_limit_trip_m,
            mining.hs_limit_lift_m,
            mining.hs_limit_survival_m,
            self.scenario.fleet.hs_limit_transfer_m,
        ])
    }

    /// Schedules the next change of sea state after step `from`: the first
    /// later step at which Hs crosses an operating limit.
    fn schedule_sea_change(
        &mut self,
        sim: &mut Simulation<Event>,
        from: Step,
    ) -> Result<(), SimError> {
        self.weather.change_generation.cancel_all();
        let limits = self.limits();
        self.sea_change = self.weather.next_change(from, &limits, self.horizon_h);
        if let Some(Change::Crossing { step, .. } | Change::SearchOn(step)) = self.sea_change {
            let token = self.weather.change_generation.token();
            sim.schedule_at(
                SimTime::from_hours(step.t_h).map_err(EngineError::from)?,
                Event::SeaState {
                    token,
                    deferred: false,
                },
            )?;
        }
        Ok(())
    }

    /// The sea state reaches the change found ahead. A step takes effect
    /// after the other events already due at its time, as it did when it was
    /// an event scheduled one step ahead.
    fn sea_state_event(
        &mut self,
        sim: &mut Simulation<Event>,
        token: Token,
        deferred: bool,
    ) -> Result<(), SimError> {
        if !deferred && sim.next_time() == Some(sim.now()) {
            sim.schedule_in(
                0.0,
                Event::SeaState {
                    token,
                    deferred: true,
                },
            )?;
            return Ok(());
        }
        match self.sea_change.take() {
            Some(Change::Crossing { step, crossed }) => {
                self.weather.apply(step);
                self.schedule_sea_change(sim, step)?;
                self.weather_changed(sim, crossed)
            }
            Some(Change::SearchOn(step)) => self.schedule_sea_change(sim, step),
            None => Ok(()),
        }
    }

    /// Lets the mining systems (and the shuttles alongside them) whose
    /// reaction depends on the limits `changed` (bits of [`Limits`]; all of
    /// them for a typhoon alert or a phase) react to the new sea.
    fn weather_changed(
        &mut self,
        sim: &mut Simulation<Event>,
        changed: u8,
    ) -> Result<(), SimError> {
        for unit in 0..self.systems.len() {
            if changed & self.limits_watched_at(unit) != 0 {
                self.serve_alongside(sim, unit)?;
                self.system_resume(sim, unit)?;
            }
        }
        Ok(())
    }

    /// The limits mining system `unit` obeys now, and the transfer limit if
    /// a shuttle alongside it on site waits to load or is loading.
    fn limits_watched_at(&self, unit: usize) -> u8 {
        let transfer = if self.watches_transfer_limit(unit) {
            Limits::TRANSFER
        } else {
            0
        };
        self.systems[unit].limits_obeyed() | transfer
    }

    fn finish(mut self, now_h: f64, events: u64) -> Replication {
        if let Some(trace) = &self.trace {
            trace.set_cause(Cause::Horizon);
        }
        self.book_weather(self.horizon_h);
        self.settle_plant(self.horizon_h, false);
        for unit in 0..self.systems.len() {
            self.settle_lift(unit, now_h);
        }
        self.systems.close(now_h);
        self.shuttles.close(now_h);
        self.hub_ships.close(now_h);
        self.site_queue.advance(now_h);
        for system in self.systems.iter() {
            system.mooring.censor_waiting(now_h, &mut self.site_queue);
        }
        self.port.terminal.queue.advance(now_h);
        self.port.terminal.censor_waiting(now_h);
        let hub_queue = match self.hub.as_mut() {
            Some(hub) => {
                hub.terminal.queue.advance(now_h);
                hub.terminal.censor_waiting(now_h);
                QueueRecord::of(&hub.terminal.queue, now_h)
            }
            None => QueueRecord::of(&QueueStats::default(), now_h),
        };
        let shuttle_cargo_t: f64 = self.shuttles.iter().map(|s| s.cargo.wet_t).sum();
        let hub_ship_cargo_t: f64 = self.hub_ships.iter().map(|s| s.cargo.wet_t).sum();
        let mass_balance = MassBalance {
            lifted_t: self.lifted_t,
            delivered_t: self.delivered_t,
            in_buffers_t: self.systems.iter().map(|s| s.buffer.wet_t).sum(),
            in_ships_t: shuttle_cargo_t + hub_ship_cargo_t,
            in_hub_t: self.hub.as_ref().map_or(0.0, |h| h.stockpile.wet_t),
            water_removed_t: self.hub.as_ref().map_or(0.0, |h| h.water_removed_t),
        };
        Replication {
            years: self.years,
            system_budget: self.systems.budget,
            shuttle_budget: self.shuttles.budget,
            hub_ship_budget: self.hub_ships.budget,
            site_queue: QueueRecord::of(&self.site_queue, now_h),
            berth_queue: QueueRecord::of(&self.port.terminal.queue, now_h),
            hub_queue,
            hub_received_t: self.hub.as_ref().map_or(0.0, |h| h.received_t),
            shipments: self.shipments,
            mass_balance,
            events,
            trace: self.trace.as_ref().map(Recorder::take),
            money: None,
        }
    }
}

impl Model for Operation {
    type Event = Event;
    type Error = SimError;

    fn is_live(&self, event: &Event) -> bool {
        match *event {
            Event::System {
                unit,
                event: SystemEvent::Timed(token),
            } => self.systems.is_live(unit, token),
            Event::System {
                unit,
                event: SystemEvent::CampaignEnd(token),
            } => self.systems[unit].campaign.is_live(token),
            Event::System {
                unit,
                event: SystemEvent::Due { work, token },
            } => self.systems[unit].due[work as usize]
                .generation
                .is_live(token),
            Event::Shuttle { unit, token } => self.shuttles.is_live(unit, token),
            Event::HubShip { unit, token } => self.hub_ships.is_live(unit, token),
            Event::AlertEnd(token) => self.weather.alert_generation.is_live(token),
            Event::SeaState { token, .. } => self.weather.change_generation.is_live(token),
            _ => true,
        }
    }

    fn stalled(&self, at: SimTime, events: u64, event: &Event) -> SimError {
        let what = match *event {
            Event::System { unit, .. } => format!(
                "mining system {} in state {}",
                unit + 1,
                self.systems[unit].core().clock.state().name()
            ),
            Event::Shuttle { unit, .. } => format!(
                "shuttle {} in state {}",
                unit + 1,
                self.shuttles[unit].core().clock.state().name()
            ),
            Event::HubShip { unit, .. } => format!(
                "hub ship {} in state {}",
                unit + 1,
                self.hub_ships[unit].core().clock.state().name()
            ),
            Event::SeaState { .. }
            | Event::TyphoonWarning
            | Event::TyphoonRetrieval
            | Event::AlertEnd(_) => "the weather".to_string(),
            Event::PhaseStart(index) => format!("phase {}", index + 1),
        };
        SimError::Stalled {
            at_h: at.hours(),
            events,
            what,
        }
    }

    fn handle(&mut self, sim: &mut Simulation<Event>, event: Event) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        // The horizon is the half-open interval [0, H): an event at H
        // belongs to the first year after it.
        if now_h >= self.horizon_h {
            return Ok(());
        }
        self.book_weather(now_h);
        if let Some(trace) = &self.trace {
            trace.set_cause(Cause::of(&event));
        }
        match event {
            Event::SeaState { token, deferred } => self.sea_state_event(sim, token, deferred)?,
            Event::TyphoonWarning => {
                let year = self.year_of(now_h);
                self.years[year].typhoons += 1;
                let alert_was_on = self.weather.stormbound();
                let (alert_end_h, next_warning_h) = self.weather.warn(now_h);
                if !alert_was_on {
                    self.plan_typhoon_retrieval(sim)?;
                }
                self.weather.alert_generation.cancel_all();
                let token = self.weather.alert_generation.token();
                sim.schedule_at(
                    SimTime::from_hours(alert_end_h).map_err(EngineError::from)?,
                    Event::AlertEnd(token),
                )?;
                if let Some(next) = next_warning_h {
                    sim.schedule_at(
                        SimTime::from_hours(next).map_err(EngineError::from)?,
                        Event::TyphoonWarning,
                    )?;
                }
                self.weather_changed(sim, Limits::ALL)?;
            }
            Event::TyphoonRetrieval => self.weather_changed(sim, Limits::ALL)?,
            Event::AlertEnd(_) => {
                self.weather.clear_alert();
                self.weather_changed(sim, Limits::ALL)?;
            }
            Event::System { unit, event } => match event {
                SystemEvent::Timed(_) => self.system_event(sim, unit)?,
                SystemEvent::CampaignEnd(_) => self.campaign_end(sim, unit)?,
                SystemEvent::Due { work, .. } => self.work_due(sim, unit, work)?,
            },
            Event::Shuttle { unit, .. } => self.shuttle_event(sim, unit)?,
            Event::HubShip { unit, .. } => self.hub_ship_event(sim, unit)?,
            Event::PhaseStart(index) => self.start_phase(sim, index)?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;

    /// Common random numbers across fleet sizes: a third system draws from
    /// streams of its own, so the first two start with the same failure
    /// clocks and leave their streams at the same point.
    #[test]
    fn adding_a_system_leaves_the_other_systems_draws_unchanged() {
        let with = |systems: u32| {
            let overrides = [format!("mining.systems={systems}")];
            let scenario = load_str(crate::scenario::DEFAULT_SCENARIO, "default", &overrides)
                .unwrap_or_else(|e| panic!("{e}"));
            Operation::new(&scenario, 7, 3, false)
        };
        let two = with(2);
        let three = with(3);
        for n in 0..2 {
            assert_eq!(
                two.systems[n].failure_left_h,
                three.systems[n].failure_left_h
            );
            assert_eq!(two.systems[n].rng.failures, three.systems[n].rng.failures);
            assert_eq!(two.systems[n].rng.ore, three.systems[n].rng.ore);
            assert_eq!(two.systems[n].rng.logistics, three.systems[n].rng.logistics);
        }
        assert_ne!(
            two.systems[0].failure_left_h,
            three.systems[2].failure_left_h
        );
    }
}
