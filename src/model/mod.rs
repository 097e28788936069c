//! The mining operation on top of the engine: one module per part, each a
//! state machine driven by engine events. docs/MODEL.md has the states,
//! events and formulas.
//!
//! [`run_replication`] simulates one replication of a scenario and returns
//! its [`Replication`] record: annual tonnages and oxide, time budgets per
//! unit type, queue statistics, shipments and a mass balance.

mod fleet;
mod hub;
mod lift;
pub mod ore;
mod port;
pub mod weather;

use rand_chacha::ChaCha8Rng;

use crate::engine::{EngineError, HOURS_PER_YEAR, Model, SimTime, Simulation, Token};
use crate::experiment::seeds::{Purpose, stream};
use crate::scenario::Scenario;
use crate::stats::budget::{QueueStats, TimeBudget};

use fleet::Shuttle;
use hub::{Hub, HubShip};
use lift::MiningSystem;
use ore::{Assay, Parcel, Seabed};
use port::{Dock, Port};
use weather::{Change, Limits, Step, Weather};

/// Where a mining system's time goes; every hour is in exactly one state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SystemState {
    /// In port and out of service (before mobilising or after its last trip).
    Idle,
    /// Sailing between port and site.
    Transit,
    /// Waiting for a berth.
    PortQueue,
    /// Unloading mud at a berth.
    Unloading,
    /// Running the lift string down to the seabed.
    TrippingIn,
    /// Pulling the lift string up for a planned return to port.
    TrippingOut,
    /// Lifting mud into the buffer.
    Lifting,
    /// Connected, buffer full, waiting for a shuttle.
    Blocked,
    /// Waiting for a weather window, or recovering from a survival-limit retrieval.
    Weather,
    /// Retrieving, sheltering and redeploying for a typhoon.
    Typhoon,
    /// Repairing a failure, with any retrieval and redeployment it needs.
    Failure,
    /// Planned maintenance.
    Maintenance,
    /// Crew change.
    CrewChange,
    /// Moving the seabed tool to a new patch.
    Relocation,
}

impl From<SystemState> for usize {
    fn from(state: SystemState) -> usize {
        state as usize
    }
}

impl From<ShuttleState> for usize {
    fn from(state: ShuttleState) -> usize {
        state as usize
    }
}

impl SystemState {
    /// Every state, in reporting order.
    pub const ALL: [SystemState; 14] = [
        SystemState::Idle,
        SystemState::Transit,
        SystemState::PortQueue,
        SystemState::Unloading,
        SystemState::TrippingIn,
        SystemState::TrippingOut,
        SystemState::Lifting,
        SystemState::Blocked,
        SystemState::Weather,
        SystemState::Typhoon,
        SystemState::Failure,
        SystemState::Maintenance,
        SystemState::CrewChange,
        SystemState::Relocation,
    ];

    /// The state's name in output files.
    pub fn name(self) -> &'static str {
        match self {
            SystemState::Idle => "idle",
            SystemState::Transit => "transit",
            SystemState::PortQueue => "port_queue",
            SystemState::Unloading => "unloading",
            SystemState::TrippingIn => "tripping_in",
            SystemState::TrippingOut => "tripping_out",
            SystemState::Lifting => "lifting",
            SystemState::Blocked => "blocked",
            SystemState::Weather => "weather",
            SystemState::Typhoon => "typhoon",
            SystemState::Failure => "failure",
            SystemState::Maintenance => "maintenance",
            SystemState::CrewChange => "crew_change",
            SystemState::Relocation => "relocation",
        }
    }
}

/// Where a shuttle's time goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShuttleState {
    /// In port before its first departure.
    Idle,
    /// Sailing between port and site.
    Transit,
    /// Waiting at the site for the mining vessel (another shuttle alongside).
    SiteQueue,
    /// Alongside, waiting for mud to be lifted.
    WaitingCargo,
    /// Ship-to-ship transfer.
    Transferring,
    /// Alongside, waves above the transfer limit.
    Weather,
    /// Alongside during a typhoon alert.
    Typhoon,
    /// Waiting for a berth.
    PortQueue,
    /// Unloading at a berth.
    Unloading,
}

impl ShuttleState {
    /// Every state, in reporting order.
    pub const ALL: [ShuttleState; 9] = [
        ShuttleState::Idle,
        ShuttleState::Transit,
        ShuttleState::SiteQueue,
        ShuttleState::WaitingCargo,
        ShuttleState::Transferring,
        ShuttleState::Weather,
        ShuttleState::Typhoon,
        ShuttleState::PortQueue,
        ShuttleState::Unloading,
    ];

    /// The state's name in output files.
    pub fn name(self) -> &'static str {
        match self {
            ShuttleState::Idle => "idle",
            ShuttleState::Transit => "transit",
            ShuttleState::SiteQueue => "site_queue",
            ShuttleState::WaitingCargo => "waiting_cargo",
            ShuttleState::Transferring => "transferring",
            ShuttleState::Weather => "weather",
            ShuttleState::Typhoon => "typhoon",
            ShuttleState::PortQueue => "port_queue",
            ShuttleState::Unloading => "unloading",
        }
    }
}

/// Where a hub ship's time goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HubShipState {
    /// At the hub, waiting for a full load or the loader.
    WaitingCargo,
    /// Loading at the hub.
    Loading,
    /// Sailing between hub and port.
    Transit,
    /// Waiting for a berth at the port.
    PortQueue,
    /// Unloading at the port.
    Unloading,
}

impl HubShipState {
    /// Every state, in reporting order.
    pub const ALL: [HubShipState; 5] = [
        HubShipState::WaitingCargo,
        HubShipState::Loading,
        HubShipState::Transit,
        HubShipState::PortQueue,
        HubShipState::Unloading,
    ];

    /// The state's name in output files.
    pub fn name(self) -> &'static str {
        match self {
            HubShipState::WaitingCargo => "waiting_cargo",
            HubShipState::Loading => "loading",
            HubShipState::Transit => "transit",
            HubShipState::PortQueue => "port_queue",
            HubShipState::Unloading => "unloading",
        }
    }
}

impl From<HubShipState> for usize {
    fn from(state: HubShipState) -> usize {
        state as usize
    }
}

/// Planned work that falls due on a calendar interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlannedWork {
    Maintenance,
    CrewChange,
}

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
    /// A mining system's timed activity ends, or its lifting needs a decision.
    System { unit: usize, token: Token },
    /// A shuttle's timed activity ends.
    Shuttle { unit: usize, token: Token },
    /// A hub ship's timed activity ends.
    HubShip { unit: usize, token: Token },
    /// A mining system's time on site for this trip is up.
    CampaignEnd { unit: usize, trip: u32 },
    /// Planned work falls due for a mining system.
    Due { unit: usize, work: PlannedWork },
    /// Scale-up phase `index` (of the scenario's resolved phases) begins.
    PhaseStart(usize),
}

/// An error that stops a replication.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    #[error("simulation engine: {0}")]
    Engine(#[from] EngineError),
}

/// One simulated year of one replication.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct YearRecord {
    /// Wet mud lifted into buffers, t.
    pub lifted_wet_t: f64,
    /// Wet mud unloaded at port, t.
    pub delivered_wet_t: f64,
    /// Dry mud unloaded at port, t.
    pub delivered_dry_t: f64,
    /// Σ dry t × REY ppm of delivered mud (for the mass-weighted grade).
    pub delivered_rey_ppm_t: f64,
    /// REO contained in delivered mud, t.
    pub delivered_reo_t: f64,
    /// Dry mud processed by the plant, t.
    pub processed_dry_t: f64,
    /// REO recovered by the plant, light and heavy, t.
    pub reo_light_t: f64,
    pub reo_heavy_t: f64,
    /// Recovered REO refined at home and exported for refining, t.
    pub reo_home_t: f64,
    pub reo_export_t: f64,
    /// Typhoon warnings, failures and shipments unloaded.
    pub typhoons: u64,
    pub failures: u64,
    pub shipments: u64,
    /// Hours per calendar month (0 = January), and of those the hours with
    /// Hs below the lifting limit and no typhoon alert.
    pub weather_h: [f64; 12],
    pub workable_h: [f64; 12],
}

/// One delivery unloaded at port.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shipment {
    /// Time the unloading finished, h.
    pub time_h: f64,
    /// The vessel: a mining system or a shuttle, with its index.
    pub vessel: Vessel,
    pub wet_t: f64,
    pub dry_t: f64,
    /// Mass-weighted total REY grade, ppm of dry mass.
    pub grade_ppm: f64,
    /// Contained REO, t.
    pub reo_t: f64,
}

/// A vessel that unloads at the hub or the port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vessel {
    System(usize),
    Shuttle(usize),
    HubShip(usize),
}

/// The mass balance of one replication at the horizon, wet t.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MassBalance {
    pub lifted_t: f64,
    pub delivered_t: f64,
    pub in_buffers_t: f64,
    /// In shuttle and hub-ship holds.
    pub in_ships_t: f64,
    /// In the hub's product stockpile.
    pub in_hub_t: f64,
    /// Water removed by dewatering at the hub.
    pub water_removed_t: f64,
}

impl MassBalance {
    /// lifted − delivered − everything still held − water removed: zero up
    /// to rounding when mass is conserved.
    pub fn imbalance_t(&self) -> f64 {
        self.lifted_t
            - self.delivered_t
            - self.in_buffers_t
            - self.in_ships_t
            - self.in_hub_t
            - self.water_removed_t
    }
}

/// A queue's statistics over one replication.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueRecord {
    /// Time-averaged number waiting.
    pub mean_length: f64,
    /// Waits of the ships that left the queue, h.
    pub waits_h: Vec<f64>,
}

/// Everything one replication produces.
#[derive(Clone, Debug)]
pub struct Replication {
    pub years: Vec<YearRecord>,
    pub system_budget: TimeBudget,
    pub shuttle_budget: TimeBudget,
    pub hub_ship_budget: TimeBudget,
    pub site_queue: QueueRecord,
    pub berth_queue: QueueRecord,
    /// Vessels waiting for a berth at the hub (empty without a hub).
    pub hub_queue: QueueRecord,
    pub shipments: Vec<Shipment>,
    pub mass_balance: MassBalance,
    pub events: u64,
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
    systems: Vec<MiningSystem>,
    shuttles: Vec<Shuttle>,
    port: Port,
    hub: Option<Hub>,
    hub_ships: Vec<HubShip>,
    assay: Assay,
    failure_rng: ChaCha8Rng,
    ore_rng: ChaCha8Rng,
    logistics_rng: ChaCha8Rng,
    years: Vec<YearRecord>,
    system_budget: TimeBudget,
    shuttle_budget: TimeBudget,
    hub_ship_budget: TimeBudget,
    site_queue: QueueStats,
    shipments: Vec<Shipment>,
    lifted_t: f64,
    delivered_t: f64,
    /// Cumulative lifting hours of the whole fleet, for learning curves.
    operating_h: f64,
}

/// Simulates replication `replication` of `scenario` with seed `seed`.
pub fn run_replication(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
) -> Result<Replication, SimError> {
    let mut operation = Operation::new(scenario, seed, replication);
    let mut sim = Simulation::with_capacity(64);
    operation.start(&mut sim)?;
    let horizon = SimTime::from_hours(operation.horizon_h).map_err(EngineError::from)?;
    sim.run_until(&mut operation, horizon)?;
    Ok(operation.finish(sim.now().hours(), sim.events_fired()))
}

impl Operation {
    fn new(scenario: &Scenario, seed: u64, replication: u64) -> Self {
        let horizon_h = scenario.scenario.years * HOURS_PER_YEAR;
        let year_count = scenario.scenario.years.ceil().max(1.0) as usize;
        let mut ore_rng = stream(seed, replication, Purpose::Ore);
        let mut failure_rng = stream(seed, replication, Purpose::Failures);
        let systems = (0..scenario.mining.systems as usize)
            .map(|_| MiningSystem::new(scenario, 0.0, &mut ore_rng, &mut failure_rng, 1.0))
            .collect();
        let shuttles = (0..scenario.fleet.shuttles as usize)
            .map(|_| Shuttle::new(0.0))
            .collect();
        Operation {
            weather: Weather::new(
                &scenario.weather,
                scenario.scenario.start_month,
                stream(seed, replication, Purpose::Weather),
            ),
            sea_change: None,
            systems,
            shuttles,
            port: Port::new(&scenario.port),
            hub: scenario.hub.as_ref().map(Hub::new),
            hub_ships: (0..scenario.hub.as_ref().map_or(0, |h| h.ships as usize))
                .map(|_| HubShip::new(0.0))
                .collect(),
            assay: Assay::new(&scenario.ore),
            failure_rng,
            ore_rng,
            logistics_rng: stream(seed, replication, Purpose::Logistics),
            years: vec![YearRecord::default(); year_count],
            system_budget: TimeBudget::new(SystemState::ALL.len(), year_count),
            shuttle_budget: TimeBudget::new(ShuttleState::ALL.len(), year_count),
            hub_ship_budget: TimeBudget::new(HubShipState::ALL.len(), year_count),
            site_queue: QueueStats::default(),
            shipments: Vec::new(),
            lifted_t: 0.0,
            delivered_t: 0.0,
            operating_h: 0.0,
            horizon_h,
            scenario: scenario.clone(),
        }
    }

    /// Schedules the first events: weather, typhoons, the plant, every
    /// system's mobilisation and every shuttle's first departure.
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
        self.start_hub_ships();
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
    /// statistics (hours, and hours workable for lifting).
    fn book_weather(&mut self, until_h: f64) {
        let years = &mut self.years;
        let last_year = years.len() - 1;
        self.weather.book_until(
            until_h,
            self.horizon_h,
            self.scenario.mining.hs_limit_lift_m,
            |t_h, month, hours, workable| {
                let year = ((t_h / HOURS_PER_YEAR) as usize).min(last_year);
                years[year].weather_h[month] += hours;
                if workable {
                    years[year].workable_h[month] += hours;
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
        if let Some(Change::Crossing(step) | Change::SearchOn(step)) = self.sea_change {
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
            Some(Change::Crossing(step)) => {
                self.weather.apply(step);
                self.schedule_sea_change(sim, step)?;
                self.weather_changed(sim)
            }
            Some(Change::SearchOn(step)) => self.schedule_sea_change(sim, step),
            None => Ok(()),
        }
    }

    /// Lets every unit react to a change of weather.
    fn weather_changed(&mut self, sim: &mut Simulation<Event>) -> Result<(), SimError> {
        for unit in 0..self.systems.len() {
            self.serve_alongside(sim, unit)?;
            self.system_resume(sim, unit)?;
        }
        Ok(())
    }

    fn finish(mut self, now_h: f64, events: u64) -> Replication {
        self.book_weather(self.horizon_h);
        self.settle_plant(self.horizon_h, false);
        for unit in 0..self.systems.len() {
            self.settle_lift(unit, now_h);
            let system = &self.systems[unit];
            if !system.retired {
                system.clock.close(&mut self.system_budget, now_h);
            }
        }
        for shuttle in self.shuttles.iter().filter(|s| !s.retired) {
            shuttle.clock.close(&mut self.shuttle_budget, now_h);
        }
        for ship in &self.hub_ships {
            ship.clock.close(&mut self.hub_ship_budget, now_h);
        }
        self.site_queue.advance(now_h);
        self.port.terminal.queue.advance(now_h);
        let hub_queue = match self.hub.as_mut() {
            Some(hub) => {
                hub.terminal.queue.advance(now_h);
                QueueRecord {
                    mean_length: hub.terminal.queue.mean_length(now_h),
                    waits_h: hub.terminal.queue.waits_h().to_vec(),
                }
            }
            None => QueueRecord {
                mean_length: 0.0,
                waits_h: Vec::new(),
            },
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
            system_budget: self.system_budget,
            shuttle_budget: self.shuttle_budget,
            hub_ship_budget: self.hub_ship_budget,
            site_queue: QueueRecord {
                mean_length: self.site_queue.mean_length(now_h),
                waits_h: self.site_queue.waits_h().to_vec(),
            },
            berth_queue: QueueRecord {
                mean_length: self.port.terminal.queue.mean_length(now_h),
                waits_h: self.port.terminal.queue.waits_h().to_vec(),
            },
            hub_queue,
            shipments: self.shipments,
            mass_balance,
            events,
        }
    }
}

impl Operation {
    /// A scale-up phase begins: its scenario takes over; mining systems and
    /// shuttles are added (mobilising now) or retired (after their current
    /// cycle) to match its counts.
    fn start_phase(&mut self, sim: &mut Simulation<Event>, index: usize) -> Result<(), SimError> {
        let Some(phase) = self.scenario.resolved_phases.get(index) else {
            return Ok(());
        };
        let mut next = phase.scenario.clone();
        let now_h = sim.now().hours();
        // The plant's days before the phase run on the old figures.
        self.settle_plant(now_h, false);
        // Mud lifted so far is booked at the old rate, grade and capacity.
        for unit in 0..self.systems.len() {
            self.settle_lift(unit, now_h);
        }
        next.resolved_phases = std::mem::take(&mut self.scenario.resolved_phases);
        let old_limits = self.limits();
        let previous = std::mem::replace(&mut self.scenario, next);
        if self.limits() != old_limits {
            // The sea state of now, watched against the new limits.
            self.weather.apply_latest_booked();
            self.schedule_sea_change(sim, self.weather.current())?;
        }
        let ore_changed = previous.ore != self.scenario.ore;
        self.assay = Assay::new(&self.scenario.ore);
        self.port
            .terminal
            .set_berths(self.scenario.port.berths as usize);
        while self.port.terminal.can_start_unloading() {
            self.berth_taken_by_next(sim, Dock::Port)?;
        }

        let active: Vec<usize> = (0..self.systems.len())
            .filter(|&unit| !self.systems[unit].retiring)
            .collect();
        if ore_changed {
            // The phase's ore describes the seabed worked from now on.
            for &unit in &active {
                self.systems[unit].seabed = Seabed::new(&self.scenario.ore, &mut self.ore_rng);
            }
        }
        if previous.mining.failure != self.scenario.mining.failure {
            // New failure modes: every system's clocks are drawn afresh.
            let factor = self.failure_rate_factor();
            for unit in 0..self.systems.len() {
                if self.systems[unit].retired {
                    continue;
                }
                self.systems[unit].failure_left_h = self
                    .scenario
                    .mining
                    .failure
                    .iter()
                    .map(|mode| mode.tbf_h.sample(&mut self.failure_rng) / factor)
                    .collect();
            }
        }
        let count = active.len().max(1) as f64;
        for (was, now, work) in [
            (
                previous.mining.maintenance.is_some(),
                &self.scenario.mining.maintenance,
                PlannedWork::Maintenance,
            ),
            (
                previous.mining.crew_change.is_some(),
                &self.scenario.mining.crew_change,
                PlannedWork::CrewChange,
            ),
        ] {
            if let Some(periodic) = now.as_ref().filter(|_| !was) {
                let interval_h = periodic.interval_d * 24.0;
                for (k, &unit) in active.iter().enumerate() {
                    let first_h = interval_h * (1.0 + k as f64 / count);
                    sim.schedule_in(first_h, Event::Due { unit, work })?;
                }
            }
        }
        // A system in port after its last trip sails again if the phase
        // allows more trips.
        for &unit in &active {
            let system = &self.systems[unit];
            let more_trips = self
                .scenario
                .mining
                .max_trips
                .is_none_or(|max| system.trips < max);
            if system.activity == lift::Activity::Idle && system.trips > 0 && more_trips {
                self.sail(sim, unit, true)?;
            }
        }
        let wanted = self.scenario.mining.systems as usize;
        for _ in active.len()..wanted {
            let factor = self.failure_rate_factor();
            let system = MiningSystem::new(
                &self.scenario,
                sim.now().hours(),
                &mut self.ore_rng,
                &mut self.failure_rng,
                factor,
            );
            self.systems.push(system);
            self.start_system(sim, self.systems.len() - 1)?;
        }
        for &unit in active
            .iter()
            .rev()
            .take(active.len().saturating_sub(wanted))
        {
            self.retire_system(sim, unit)?;
        }

        let active: Vec<usize> = (0..self.shuttles.len())
            .filter(|&unit| !self.shuttles[unit].retiring)
            .collect();
        let wanted = self.scenario.fleet.shuttles as usize;
        let added = wanted.saturating_sub(active.len());
        for rank in 0..added {
            self.shuttles.push(Shuttle::new(sim.now().hours()));
            self.start_shuttle_staggered(sim, self.shuttles.len() - 1, rank, added)?;
        }
        for &unit in active
            .iter()
            .rev()
            .take(active.len().saturating_sub(wanted))
        {
            self.retire_shuttle(sim, unit)?;
        }
        // Shuttles idle in port for want of a mining system sail again.
        if self.systems.iter().any(|system| system.in_service()) {
            for unit in 0..self.shuttles.len() {
                if self.shuttles[unit].waiting_in_port() {
                    self.schedule_shuttle(sim, unit, 0.0)?;
                }
            }
        }
        // New limits, capacities and rates apply to every unit's next decision.
        self.weather_changed(sim)
    }

    /// The learning-curve factor on failure rates now.
    fn failure_rate_factor(&self) -> f64 {
        let learning = &self.scenario.learning;
        learning.multiplier(learning.failure_progress_ratio, self.operating_h)
    }

    /// The learning-curve factor on the time to trip a metre of pipe now.
    fn trip_time_factor(&self) -> f64 {
        let learning = &self.scenario.learning;
        learning.multiplier(learning.trip_progress_ratio, self.operating_h)
    }
}

impl Model for Operation {
    type Event = Event;
    type Error = SimError;

    fn is_live(&self, event: &Event) -> bool {
        match *event {
            Event::System { unit, token } => self.systems[unit].generation.is_live(token),
            Event::Shuttle { unit, token } => self.shuttles[unit].generation.is_live(token),
            Event::HubShip { unit, token } => self.hub_ships[unit].generation.is_live(token),
            Event::AlertEnd(token) => self.weather.alert_generation.is_live(token),
            Event::SeaState { token, .. } => self.weather.change_generation.is_live(token),
            _ => true,
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
        match event {
            Event::SeaState { token, deferred } => self.sea_state_event(sim, token, deferred)?,
            Event::TyphoonWarning => {
                let year = self.year_of(now_h);
                self.years[year].typhoons += 1;
                let (alert_end_h, next_warning_h) = self.weather.warn(now_h);
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
                self.weather_changed(sim)?;
            }
            Event::AlertEnd(_) => {
                self.weather.clear_alert();
                self.weather_changed(sim)?;
            }
            Event::System { unit, .. } => self.system_event(sim, unit)?,
            Event::Shuttle { unit, .. } => self.shuttle_event(sim, unit)?,
            Event::HubShip { unit, .. } => self.hub_ship_event(sim, unit)?,
            Event::CampaignEnd { unit, trip } => self.campaign_end(sim, unit, trip)?,
            Event::Due { unit, work } => self.work_due(sim, unit, work)?,
            Event::PhaseStart(index) => self.start_phase(sim, index)?,
        }
        Ok(())
    }
}

/// Adds `parcel` to the year records' delivered figures.
fn book_delivery(year: &mut YearRecord, parcel: &Parcel, reo_t: f64) {
    year.delivered_wet_t += parcel.wet_t;
    year.delivered_dry_t += parcel.dry_t;
    year.delivered_rey_ppm_t += parcel.rey_ppm_t;
    year.delivered_reo_t += reo_t;
    year.shipments += 1;
}
