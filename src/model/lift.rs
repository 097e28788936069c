//! A mining system: a vessel with a 6,000 m lift string. It mobilises,
//! trips pipe in, lifts mud into its buffer, stands by for weather, retrieves
//! the string for typhoons, survival seas, failures and trips to port, and
//! does planned maintenance, crew changes and patch relocations.

use super::fleet::Mooring;
use super::ore::{Parcel, Seabed};
use super::streams::SystemStreams;
use super::unit::{Core, impl_unit};
use super::weather::Limits;
use super::{EngineError, Event, Operation, SimError, TOL_H, TOL_T, Vessel};
use crate::engine::{Generation, HOURS_PER_YEAR, SimTime, Simulation, Token};
use crate::scenario::{self, Periodic, Scenario, SurvivalPractice};

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

/// Planned work that falls due on a calendar interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlannedWork {
    Maintenance,
    CrewChange,
}

impl PlannedWork {
    /// Every kind, in the order they are scheduled and served.
    pub const ALL: [PlannedWork; 2] = [PlannedWork::Maintenance, PlannedWork::CrewChange];

    /// The state its time is booked to.
    pub fn state(self) -> SystemState {
        match self {
            PlannedWork::Maintenance => SystemState::Maintenance,
            PlannedWork::CrewChange => SystemState::CrewChange,
        }
    }

    /// Its interval, duration and place in `mining`, if it is planned.
    pub fn periodic(self, mining: &scenario::Mining) -> Option<&Periodic> {
        match self {
            PlannedWork::Maintenance => mining.maintenance.as_ref(),
            PlannedWork::CrewChange => mining.crew_change.as_ref(),
        }
    }

    /// Whether it is planned to be done in port.
    fn at_port(self, mining: &scenario::Mining) -> bool {
        self.periodic(mining).is_some_and(|p| p.at_port)
    }
}

/// What happens to a mining system.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SystemEvent {
    /// Its timed activity ends, or its lifting needs a decision (stale once
    /// the token is cancelled).
    Timed(Token),
    /// Its time on site is up (stale once the token is cancelled: it left,
    /// or a phase changed `campaign_d`).
    CampaignEnd(Token),
    /// Planned work falls due (stale once a phase rescheduled it).
    Due { work: PlannedWork, token: Token },
}

/// Hours per day.
const HOURS_PER_DAY: f64 = 24.0;

/// When a system's planned work last fell due, and the generation of its
/// queued next occurrence.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct DueClock {
    /// The last occurrence, h (before the first: one interval before it).
    pub last_h: f64,
    pub generation: Generation,
}

impl MiningSystem {
    /// Schedules the first time planned `work` falls due for system `unit`:
    /// (1 + `stagger`) intervals from now, so systems that start together
    /// are spread over an interval (`stagger` in [0, 1)).
    pub(super) fn schedule_first_due(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        work: PlannedWork,
        periodic: &Periodic,
        stagger: f64,
    ) -> Result<(), SimError> {
        let interval_h = periodic.interval_d * HOURS_PER_DAY;
        self.due[work as usize].last_h = sim.now().hours() + interval_h * stagger;
        self.schedule_due(sim, unit, work, Some(periodic))
    }

    /// Queues the next occurrence of `work` one interval of `periodic` after
    /// the last (at once if that is past), cancelling the one queued; with
    /// no `periodic`, the work is no longer planned.
    pub(super) fn schedule_due(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        work: PlannedWork,
        periodic: Option<&Periodic>,
    ) -> Result<(), SimError> {
        let clock = &mut self.due[work as usize];
        clock.generation.cancel_all();
        let Some(periodic) = periodic else {
            return Ok(());
        };
        let next_h = clock.last_h + periodic.interval_d * HOURS_PER_DAY;
        let event = SystemEvent::Due {
            work,
            token: clock.generation.token(),
        };
        let at = SimTime::from_hours(next_h.max(sim.now().hours())).map_err(EngineError::from)?;
        sim.schedule_at(at, Event::System { unit, event })?;
        Ok(())
    }

    /// Queues the end of the stay on site `campaign_d` days after the
    /// arrival (at once if that is past), cancelling the one queued; none
    /// without a `campaign_d`.
    pub(super) fn schedule_campaign_end(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        campaign_d: Option<f64>,
    ) -> Result<(), SimError> {
        self.campaign.cancel_all();
        let Some(campaign_d) = campaign_d else {
            return Ok(());
        };
        let end_h = self.arrived_h + campaign_d * HOURS_PER_DAY;
        let event = SystemEvent::CampaignEnd(self.campaign.token());
        let at = SimTime::from_hours(end_h.max(sim.now().hours())).map_err(EngineError::from)?;
        sim.schedule_at(at, Event::System { unit, event })?;
        Ok(())
    }
}

/// What a mining system is physically doing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Activity {
    /// In port, out of service.
    Idle,
    Sailing {
        to_site: bool,
    },
    /// In port: waiting for a berth or unloading (the port drives it).
    AtPort,
    /// Planned work in port, timed.
    PortWork(PlannedWork),
    /// In port, ready to sail, holding until a typhoon alert will be over
    /// when it reaches the site; timed.
    PortTyphoon,
    /// Running pipe in or out; paused while the weather forbids it
    /// (`moving_since_h` is `None`), except in an emergency retrieval.
    Tripping {
        inward: bool,
        emergency: bool,
        remaining_m: f64,
        /// Pipe speed for this trip, fixed when it starts (learning curves
        /// change it between trips, never during one).
        rate_m_per_h: f64,
        moving_since_h: Option<f64>,
    },
    /// String deployed: lifting, blocked or standing by.
    Connected,
    /// Timed work with the string deployed (onboard repair, relocation,
    /// maintenance, crew change); lifting stops.
    Working,
    /// On site with the string up, waiting for the typhoon or the sea to pass.
    Surfaced,
    /// On site with the string up, repairing (booked to `cause`: failure,
    /// or typhoon for the damage of an unfinished typhoon retrieval).
    SurfaceRepair,
}

/// What to do once the string is up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum AfterRetrieval {
    SailToPort,
    Shelter,
    Repair { hours: f64 },
}

/// Work waiting for its next opportunity.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Pending {
    /// Planned work due, by [`PlannedWork`].
    due: [bool; 2],
    pub go_to_port: bool,
}

impl Pending {
    pub fn is_due(&self, work: PlannedWork) -> bool {
        self.due[work as usize]
    }

    pub fn set_due(&mut self, work: PlannedWork, due: bool) {
        self.due[work as usize] = due;
    }
}

/// One mining vessel and its lift string.
pub(super) struct MiningSystem {
    pub activity: Activity,
    pub core: Core<SystemState>,
    pub buffer: Parcel,
    pub lifting_since_h: Option<f64>,
    /// When its lifting and the transfer out of its buffer were last
    /// settled ([`Operation::settle_lift`]), h.
    pub settled_h: f64,
    /// Operating hours left until each failure mode fails.
    pub failure_left_h: Vec<f64>,
    pub patch_left_t: f64,
    pub pending: Pending,
    pub after_retrieval: AfterRetrieval,
    /// While recovering from a typhoon, failure or survival retrieval, the
    /// state that tripping and waiting are booked to.
    pub cause: Option<SystemState>,
    /// The planned work a port call is made for: its trip out, voyages and
    /// trip back in are booked to it (not to operating time).
    pub errand: Option<SystemState>,
    /// Repair hours owed for an unfinished typhoon retrieval, done once the
    /// typhoon has passed.
    pub typhoon_repair_h: f64,
    /// Port calls completed.
    pub trips: u32,
    /// Planned work's last occurrences and queued next ones, by [`PlannedWork`].
    pub due: [DueClock; 2],
    /// The last arrival on site, h, and the generation of its campaign end.
    pub arrived_h: f64,
    pub campaign: Generation,
    pub on_site: bool,
    pub seabed: Seabed,
    /// The shuttle alongside, and those waiting for it.
    pub mooring: Mooring,
    /// The system's own random streams.
    pub rng: SystemStreams,
}

impl MiningSystem {
    /// A system in port at `now_h`; its failure clocks are drawn with the
    /// learning-curve factor on failure rates in force.
    pub fn new(
        scenario: &Scenario,
        now_h: f64,
        mut rng: SystemStreams,
        failure_rate_factor: f64,
    ) -> Self {
        let failure_left_h = scenario
            .mining
            .failure
            .iter()
            .map(|mode| mode.tbf_h.sample(&mut rng.failures) / failure_rate_factor)
            .collect();
        let seabed = Seabed::new(&scenario.ore, &mut rng.ore);
        MiningSystem {
            activity: Activity::Idle,
            core: Core::new(SystemState::Idle, now_h),
            buffer: Parcel::default(),
            lifting_since_h: None,
            settled_h: f64::NEG_INFINITY,
            failure_left_h,
            patch_left_t: scenario.mining.patch_t.unwrap_or(f64::INFINITY),
            pending: Pending::default(),
            after_retrieval: AfterRetrieval::Shelter,
            cause: None,
            errand: None,
            typhoon_repair_h: 0.0,
            trips: 0,
            due: [DueClock::default(); 2],
            arrived_h: now_h,
            campaign: Generation::default(),
            on_site: false,
            seabed,
            mooring: Mooring::default(),
            rng,
        }
    }
}

impl_unit!(MiningSystem, SystemState, |unit, token| Event::System {
    unit,
    event: SystemEvent::Timed(token),
});

impl MiningSystem {
    /// The operating limits (bits of [`Limits`]) its reaction to the sea
    /// depends on now: tripping obeys the trip and survival limits, a
    /// surfaced string waits for the trip limit, a connected one lifts below
    /// the lift limit and is retrieved at the survival limit, and onboard
    /// work stops at the survival limit.
    pub fn limits_obeyed(&self) -> u8 {
        match self.activity {
            Activity::Tripping { .. } => Limits::TRIP | Limits::SURVIVAL,
            Activity::Surfaced => Limits::TRIP,
            Activity::Connected => Limits::LIFT | Limits::SURVIVAL,
            Activity::Working => Limits::SURVIVAL,
            Activity::Idle
            | Activity::Sailing { .. }
            | Activity::AtPort
            | Activity::PortWork(_)
            | Activity::PortTyphoon
            | Activity::SurfaceRepair => 0,
        }
    }

    /// Whether shuttles may be assigned to it: not idle in port, not retiring.
    pub fn in_service(&self) -> bool {
        !self.core.retiring && !self.core.retired && self.activity != Activity::Idle
    }
}

impl Operation {
    /// Mobilises a system from port at the start of the run, and schedules
    /// its planned work (staggered across systems).
    pub(super) fn start_system(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
    ) -> Result<(), SimError> {
        let count = self.systems.len() as f64;
        for work in PlannedWork::ALL {
            if let Some(periodic) = work.periodic(&self.scenario.mining) {
                let stagger = unit as f64 / count;
                self.systems[unit].schedule_first_due(sim, unit, work, periodic, stagger)?;
            }
        }
        self.sail(sim, unit, true)
    }

    /// Sails to the site or to port. A system does not sail into a typhoon:
    /// bound for the site under an alert that would still be on when it
    /// arrives, it holds in port (booked as typhoon) until it can arrive as
    /// the alert ends.
    pub(super) fn sail(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        to_site: bool,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let mining = &self.scenario.mining;
        let duration_h = self.unloading_leg_nm() / mining.vessel_speed_kn;
        let hold_h = self
            .weather
            .alert_until_h()
            .map_or(0.0, |until_h| until_h - duration_h - now_h);
        if to_site && hold_h > TOL_H {
            let system = &mut self.systems[unit];
            system.activity = Activity::PortTyphoon;
            system.cause = None;
            self.systems.set_state(unit, SystemState::Typhoon, now_h);
            return self.systems.schedule(sim, unit, hold_h);
        }
        self.systems[unit].activity = Activity::Sailing { to_site };
        self.systems[unit].cause = None;
        let state = self.systems[unit].errand.unwrap_or(SystemState::Transit);
        self.systems.set_state(unit, state, now_h);
        self.systems.schedule(sim, unit, duration_h)
    }

    /// A system's timed activity ended, or its lifting needs a decision.
    pub(super) fn system_event(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        match self.systems[unit].activity {
            Activity::Sailing { to_site: true } => {
                let campaign_d = self.scenario.mining.campaign_d;
                let system = &mut self.systems[unit];
                system.on_site = true;
                system.arrived_h = now_h;
                system.schedule_campaign_end(sim, unit, campaign_d)?;
                self.start_trip_in(sim, unit)?;
                self.serve_alongside(sim, unit)?;
            }
            Activity::Sailing { to_site: false } => {
                self.systems[unit].activity = Activity::AtPort;
                if self.systems[unit].buffer.wet_t > TOL_T {
                    self.dock_arrive(sim, Vessel::System(unit))?;
                } else {
                    self.system_in_port(sim, unit)?;
                }
            }
            Activity::AtPort => self.system_unloaded(sim, unit)?,
            // A later warning may have lengthened the alert: sail decides
            // again.
            Activity::PortTyphoon if self.systems[unit].core.retiring => {
                self.system_idle(unit, now_h, true);
            }
            Activity::PortTyphoon => self.sail(sim, unit, true)?,
            Activity::PortWork(work) => {
                self.systems[unit].pending.set_due(work, false);
                self.system_in_port(sim, unit)?;
            }
            Activity::Tripping {
                inward,
                remaining_m,
                rate_m_per_h,
                moving_since_h: Some(since_h),
                ..
            } => {
                let left = remaining_m - (now_h - since_h) * rate_m_per_h;
                debug_assert!(left <= 1e-6, "trip ended early: {left} m left");
                if inward {
                    let system = &mut self.systems[unit];
                    system.activity = Activity::Connected;
                    system.cause = None;
                    system.errand = None;
                    self.connected_decide(sim, unit)?;
                } else {
                    self.string_up(sim, unit)?;
                }
            }
            Activity::Connected => self.connected_decide(sim, unit)?,
            Activity::Working => {
                self.systems[unit].activity = Activity::Connected;
                self.connected_decide(sim, unit)?;
            }
            Activity::SurfaceRepair => {
                self.systems[unit].cause.get_or_insert(SystemState::Failure);
                self.start_trip_in(sim, unit)?;
            }
            Activity::Idle | Activity::Surfaced | Activity::Tripping { .. } => {}
        }
        Ok(())
    }

    /// Pipe speed for a trip starting now, with the learning-curve factor.
    fn trip_rate(&self, inward: bool) -> f64 {
        let mining = &self.scenario.mining;
        let nominal = if inward {
            mining.trip_in_m_per_h
        } else {
            mining.trip_out_m_per_h
        };
        nominal / self.trip_time_factor()
    }

    /// Deploys the string, which is up, unless the trip is over.
    fn start_trip_in(&mut self, sim: &mut Simulation<Event>, unit: usize) -> Result<(), SimError> {
        if self.systems[unit].pending.go_to_port {
            return self.leave_site(sim, unit);
        }
        self.systems[unit].activity = Activity::Tripping {
            inward: true,
            emergency: false,
            remaining_m: self.scenario.site.water_depth_m,
            rate_m_per_h: self.trip_rate(true),
            moving_since_h: None,
        };
        self.systems.cancel(unit);
        self.system_resume(sim, unit)
    }

    /// Starts pulling the string up, then doing `after`.
    fn start_trip_out(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        emergency: bool,
        after: AfterRetrieval,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        self.stop_lift(unit, now_h);
        let depth_m = self.scenario.site.water_depth_m;
        let deployed_m = match self.systems[unit].activity {
            Activity::Tripping {
                inward: true,
                remaining_m,
                rate_m_per_h,
                moving_since_h,
                ..
            } => {
                let moved = moving_since_h.map_or(0.0, |since| (now_h - since) * rate_m_per_h);
                depth_m - (remaining_m - moved).max(0.0)
            }
            _ => depth_m,
        };
        let trip_out_m_per_h = self.trip_rate(false);
        let system = &mut self.systems[unit];
        system.after_retrieval = after;
        system.core.generation.cancel_all();
        if deployed_m <= TOL_T {
            return self.string_up(sim, unit);
        }
        system.activity = Activity::Tripping {
            inward: false,
            emergency,
            remaining_m: deployed_m,
            rate_m_per_h: trip_out_m_per_h,
            moving_since_h: None,
        };
        self.system_resume(sim, unit)
    }

    /// Starts an emergency retrieval for a typhoon or survival seas. A
    /// typhoon retrieval that cannot be up before the typhoon arrives is
    /// counted, and owes the scenario's repair for it.
    fn emergency_retrieval(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        cause: SystemState,
    ) -> Result<(), SimError> {
        self.systems[unit].cause = Some(cause);
        self.systems[unit].errand = None;
        self.start_trip_out(sim, unit, true, AfterRetrieval::Shelter)?;
        let now_h = sim.now().hours();
        let (Some(arrival_h), SystemState::Typhoon) = (self.weather.typhoon_arrival_h(), cause)
        else {
            return Ok(());
        };
        let Activity::Tripping {
            inward: false,
            remaining_m,
            rate_m_per_h,
            ..
        } = self.systems[unit].activity
        else {
            return Ok(());
        };
        if now_h + remaining_m / rate_m_per_h > arrival_h + TOL_H {
            let year = self.year_of(now_h);
            self.years[year].typhoon_unfinished_retrievals += 1;
            let repair = &self.scenario.mining.typhoon_unfinished_repair_h;
            let system = &mut self.systems[unit];
            system.typhoon_repair_h += repair.sample(&mut system.rng.typhoon_repairs);
        }
        Ok(())
    }

    /// A typhoon was warned with no alert on: finds the latest safe start
    /// of the retrieval of a deployed string, its arrival less the
    /// trip-out time of the whole string at today's speed and the margin,
    /// and schedules the retrieval there (or has it start now).
    pub(super) fn plan_typhoon_retrieval(
        &mut self,
        sim: &mut Simulation<Event>,
    ) -> Result<(), SimError> {
        let Some(arrival_h) = self.weather.typhoon_arrival_h() else {
            return Ok(());
        };
        let trip_out_h = self.scenario.site.water_depth_m / self.trip_rate(false);
        let start_h = arrival_h - trip_out_h - self.scenario.mining.typhoon_margin_h;
        self.typhoon_retrieval_h = start_h;
        if start_h > sim.now().hours() {
            sim.schedule_at(
                SimTime::from_hours(start_h).map_err(EngineError::from)?,
                Event::TyphoonRetrieval,
            )?;
        }
        Ok(())
    }

    /// The string is up: sail to port, shelter, or repair.
    fn string_up(&mut self, sim: &mut Simulation<Event>, unit: usize) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        match self.systems[unit].after_retrieval {
            AfterRetrieval::SailToPort => self.leave_site(sim, unit),
            AfterRetrieval::Shelter => {
                self.systems[unit].activity = Activity::Surfaced;
                self.release_part_load(sim, unit)?;
                self.system_resume(sim, unit)
            }
            AfterRetrieval::Repair { hours } => {
                self.systems[unit].activity = Activity::SurfaceRepair;
                self.release_part_load(sim, unit)?;
                self.systems.set_state(unit, SystemState::Failure, now_h);
                self.systems.schedule(sim, unit, hours)
            }
        }
    }

    /// Whether a typhoon alert is on and its retrieval's latest safe start
    /// has come.
    fn typhoon_retrieval_due(&self, now_h: f64) -> bool {
        self.weather.stormbound() && now_h >= self.typhoon_retrieval_h - TOL_H
    }

    /// The retrieval the sea forces on a deployed string now, booked to its
    /// cause: a typhoon whose retrieval is due, or Hs at or above the
    /// survival limit.
    fn sea_emergency(&self, now_h: f64) -> Option<SystemState> {
        if self.typhoon_retrieval_due(now_h) {
            Some(SystemState::Typhoon)
        } else if self.weather.hs_m() >= self.scenario.mining.hs_limit_survival_m {
            Some(SystemState::Weather)
        } else {
            None
        }
    }

    /// Re-evaluates what the system can do now (after a weather change or a
    /// change of plan).
    pub(super) fn system_resume(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let hs = self.weather.hs_m();
        let storm = self.weather.stormbound();
        let trip_limit = self.scenario.mining.hs_limit_trip_m;
        let sea_emergency = self.sea_emergency(now_h);
        match self.systems[unit].activity {
            Activity::Tripping {
                inward,
                emergency,
                remaining_m,
                rate_m_per_h: rate,
                moving_since_h,
            } => {
                if inward {
                    let left_m = remaining_m
                        - moving_since_h.map_or(0.0, |since_h| (now_h - since_h) * rate);
                    // Under a typhoon alert the string is run on only if it
                    // connects before its retrieval must start.
                    let typhoon = storm && now_h + left_m / rate > self.typhoon_retrieval_h;
                    let hang_off =
                        self.scenario.mining.survival_practice == SurvivalPractice::HangOff;
                    match sea_emergency {
                        _ if typhoon => {
                            return self.emergency_retrieval(sim, unit, SystemState::Typhoon);
                        }
                        Some(SystemState::Weather) if hang_off => {}
                        Some(cause) => return self.emergency_retrieval(sim, unit, cause),
                        None => {}
                    }
                }
                let emergency = emergency || (sea_emergency.is_some() && !inward);
                let allowed = emergency || hs < trip_limit;
                let errand = self.systems[unit].errand;
                let system = &mut self.systems[unit];
                match (allowed, moving_since_h) {
                    (true, None) => {
                        system.activity = Activity::Tripping {
                            inward,
                            emergency,
                            remaining_m,
                            rate_m_per_h: rate,
                            moving_since_h: Some(now_h),
                        };
                        let moving = if inward {
                            SystemState::TrippingIn
                        } else {
                            SystemState::TrippingOut
                        };
                        let state = system.cause.or(errand).unwrap_or(moving);
                        self.systems.set_state(unit, state, now_h);
                        self.systems.schedule(sim, unit, remaining_m / rate)?;
                    }
                    (false, Some(since_h)) => {
                        system.activity = Activity::Tripping {
                            inward,
                            emergency,
                            remaining_m: (remaining_m - (now_h - since_h) * rate).max(0.0),
                            rate_m_per_h: rate,
                            moving_since_h: None,
                        };
                        system.core.generation.cancel_all();
                        let state = system.cause.unwrap_or(SystemState::Weather);
                        self.systems.set_state(unit, state, now_h);
                    }
                    (false, None) => {
                        let state = system.cause.unwrap_or(SystemState::Weather);
                        self.systems.set_state(unit, state, now_h);
                    }
                    (true, Some(_)) => {
                        system.activity = Activity::Tripping {
                            inward,
                            emergency,
                            remaining_m,
                            rate_m_per_h: rate,
                            moving_since_h,
                        };
                    }
                }
            }
            Activity::Connected => self.connected_decide(sim, unit)?,
            Activity::Working => {
                if let Some(cause) = sea_emergency {
                    self.emergency_retrieval(sim, unit, cause)?;
                }
            }
            Activity::Surfaced => {
                let system = &mut self.systems[unit];
                if storm {
                    system.cause = Some(SystemState::Typhoon);
                }
                let cause = system.cause.unwrap_or(SystemState::Weather);
                if !storm && system.typhoon_repair_h > 0.0 {
                    let repair_h = std::mem::take(&mut system.typhoon_repair_h);
                    system.activity = Activity::SurfaceRepair;
                    self.systems.set_state(unit, SystemState::Typhoon, now_h);
                    return self.systems.schedule(sim, unit, repair_h);
                }
                self.systems.set_state(unit, cause, now_h);
                if !storm && hs < trip_limit {
                    self.start_trip_in(sim, unit)?;
                }
            }
            Activity::Idle
            | Activity::Sailing { .. }
            | Activity::AtPort
            | Activity::PortWork(_)
            | Activity::PortTyphoon
            | Activity::SurfaceRepair => {}
        }
        Ok(())
    }

    /// Books the mud lifted since lifting last started, then stops lifting.
    fn stop_lift(&mut self, unit: usize, now_h: f64) {
        self.settle_lift(unit, now_h);
        self.systems[unit].lifting_since_h = None;
    }

    /// Books the mud lifted up to `now_h`, after the mud a transfer under
    /// way has taken from the buffer; lifting, if on, carries on. Once
    /// settled at an instant, it has nothing more to book then: lifting or
    /// a transfer that starts later at that instant starts from it.
    #[inline]
    pub(super) fn settle_lift(&mut self, unit: usize, now_h: f64) {
        if self.systems[unit].settled_h != now_h {
            self.settle_lift_since(unit, now_h);
        }
    }

    /// [`Self::settle_lift`] at an instant not settled yet; out of line,
    /// since two calls in three find the instant settled already.
    fn settle_lift_since(&mut self, unit: usize, now_h: f64) {
        self.systems[unit].settled_h = now_h;
        self.settle_transfer(unit, now_h);
        let Some(since_h) = self.systems[unit].lifting_since_h else {
            return;
        };
        self.systems[unit].lifting_since_h = Some(now_h);
        let elapsed_h = now_h - since_h;
        if elapsed_h <= 0.0 {
            return;
        }
        let rate = self.scenario.mining.lift_rate_t_per_h();
        let capacity = self.scenario.mining.buffer_capacity_t;
        let system = &mut self.systems[unit];
        let room_t = (capacity - system.buffer.wet_t).max(0.0);
        let lifted_t = (rate * elapsed_h).min(room_t);
        let parcel = system.seabed.lift(lifted_t, &mut system.rng.ore);
        system.buffer.absorb(parcel);
        system.patch_left_t -= lifted_t;
        for left in &mut system.failure_left_h {
            *left -= elapsed_h;
        }
        self.lifted_t += lifted_t;
        self.operating_h += elapsed_h;
        let mut start_h = since_h;
        while start_h < now_h {
            let year = self.year_of(start_h);
            let end_h = now_h.min((year + 1) as f64 * HOURS_PER_YEAR);
            let end_h = if end_h <= start_h { now_h } else { end_h };
            self.years[year].lifted_wet_t += lifted_t * (end_h - start_h) / elapsed_h;
            start_h = end_h;
        }
    }

    /// Decides what a connected system does now: retrieve, repair, go to
    /// port, do planned work, relocate, block, stand by or lift.
    fn connected_decide(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        self.stop_lift(unit, now_h);
        if let Some(cause) = self.sea_emergency(now_h) {
            return self.emergency_retrieval(sim, unit, cause);
        }
        let hs = self.weather.hs_m();
        if let Some(mode) = self.systems[unit]
            .failure_left_h
            .iter()
            .position(|&h| h <= TOL_H)
        {
            return self.fail(sim, unit, mode);
        }
        self.serve_alongside(sim, unit)?;
        let mining = &self.scenario.mining;
        let pending = self.systems[unit].pending;
        let port_work_due = PlannedWork::ALL
            .into_iter()
            .any(|work| pending.is_due(work) && work.at_port(mining));
        if pending.go_to_port || port_work_due {
            // A call for planned work alone is booked to that work.
            let errand = PlannedWork::ALL
                .into_iter()
                .find(|&work| pending.is_due(work) && work.at_port(mining))
                .filter(|_| !pending.go_to_port)
                .map(PlannedWork::state);
            self.systems[unit].cause = None;
            self.systems[unit].errand = errand;
            return self.start_trip_out(sim, unit, false, AfterRetrieval::SailToPort);
        }
        if let Some(work) = PlannedWork::ALL.into_iter().find(|&w| pending.is_due(w)) {
            self.systems[unit].pending.set_due(work, false);
            return self.work_connected(sim, unit, Some(work));
        }
        if self.systems[unit].patch_left_t <= TOL_T {
            self.systems[unit].patch_left_t = mining.patch_t.unwrap_or(f64::INFINITY);
            return self.work_connected(sim, unit, None);
        }
        let capacity = mining.buffer_capacity_t;
        let room_t = capacity - self.systems[unit].buffer.wet_t;
        if room_t <= TOL_T {
            if !self
                .shuttles
                .iter()
                .any(|s| !s.core.retiring && !s.core.retired)
            {
                return self.start_trip_out(sim, unit, false, AfterRetrieval::SailToPort);
            }
            self.systems.cancel(unit);
            self.systems.set_state(unit, SystemState::Blocked, now_h);
            return self.wake_when_transfer_frees_room(sim, unit);
        }
        if hs >= mining.hs_limit_lift_m {
            self.systems.cancel(unit);
            self.systems.set_state(unit, SystemState::Weather, now_h);
            return Ok(());
        }
        let rate = mining.lift_rate_t_per_h();
        let system = &self.systems[unit];
        let mut next_h = room_t / rate;
        next_h = next_h.min(system.patch_left_t / rate);
        for &left in &system.failure_left_h {
            next_h = next_h.min(left);
        }
        // A shuttle that waits only for the weather is woken by the weather.
        if let Some(threshold_t) = self.waiting_threshold_t(unit) {
            let short_t = threshold_t - system.buffer.wet_t;
            if short_t > TOL_T {
                next_h = next_h.min(short_t / rate);
            }
        }
        self.systems[unit].lifting_since_h = Some(now_h);
        self.systems.set_state(unit, SystemState::Lifting, now_h);
        self.systems.schedule(sim, unit, next_h.max(TOL_H))
    }

    /// Timed work with the string deployed: planned `work`, or a patch
    /// relocation when `None`.
    fn work_connected(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        work: Option<PlannedWork>,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        self.settle_plant(now_h, false);
        let mining = &self.scenario.mining;
        let (state, duration) = match work {
            Some(work) => (work.state(), work.periodic(mining).map(|p| &p.duration_h)),
            None => (SystemState::Relocation, Some(&mining.relocation_h)),
        };
        let duration_h = duration.map_or(0.0, |d| d.sample(&mut self.systems[unit].rng.logistics));
        self.systems[unit].activity = Activity::Working;
        self.systems.set_state(unit, state, now_h);
        self.systems.schedule(sim, unit, duration_h)
    }

    /// Failure mode `mode` fails: repair onboard, or retrieve the string first.
    fn fail(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        mode: usize,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let year = self.year_of(now_h);
        self.years[year].failures += 1;
        let factor = self.failure_rate_factor();
        let spec = &self.scenario.mining.failure[mode];
        let system = &mut self.systems[unit];
        system.failure_left_h[mode] = spec.tbf_h.sample(&mut system.rng.failures) / factor;
        let repair_h = spec.repair_h.sample(&mut system.rng.failures);
        if spec.retrieve_string {
            self.systems[unit].cause = Some(SystemState::Failure);
            self.start_trip_out(sim, unit, false, AfterRetrieval::Repair { hours: repair_h })?;
        } else {
            self.systems[unit].activity = Activity::Working;
            self.systems.set_state(unit, SystemState::Failure, now_h);
            self.systems.schedule(sim, unit, repair_h)?;
        }
        // The buffer can still be transferred to a shuttle waiting for it.
        self.serve_alongside(sim, unit)
    }

    /// The string is up for a return to port: leave the site.
    fn leave_site(&mut self, sim: &mut Simulation<Event>, unit: usize) -> Result<(), SimError> {
        let system = &mut self.systems[unit];
        system.on_site = false;
        system.campaign.cancel_all();
        system.typhoon_repair_h = 0.0;
        self.system_leaves_site(sim, unit)?;
        self.sail(sim, unit, false)
    }

    /// Unloading finished (at the hub or the port): carry on in port.
    fn system_unloaded(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
    ) -> Result<(), SimError> {
        let cargo = std::mem::take(&mut self.systems[unit].buffer);
        self.unloaded(sim, Vessel::System(unit), cargo)?;
        self.system_in_port(sim, unit)
    }

    /// In port with nothing to unload: planned port work, then back to site
    /// unless the system has made its last trip.
    fn system_in_port(&mut self, sim: &mut Simulation<Event>, unit: usize) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        self.systems[unit].pending.go_to_port = false;
        let pending = self.systems[unit].pending;
        let mining = &self.scenario.mining;
        let port_work = PlannedWork::ALL
            .into_iter()
            .find(|&work| pending.is_due(work) && work.at_port(mining));
        if let Some(work) = port_work {
            self.settle_plant(now_h, false);
            let duration_h = work.periodic(&self.scenario.mining).map_or(0.0, |p| {
                p.duration_h.sample(&mut self.systems[unit].rng.logistics)
            });
            self.systems[unit].activity = Activity::PortWork(work);
            self.systems.set_state(unit, work.state(), now_h);
            return self.systems.schedule(sim, unit, duration_h);
        }
        let system = &mut self.systems[unit];
        system.trips += 1;
        let last_trip = mining.max_trips.is_some_and(|max| system.trips >= max);
        if last_trip || system.core.retiring {
            let retire = system.core.retiring;
            self.system_idle(unit, now_h, retire);
            return self.system_left_service(sim, unit);
        }
        self.sail(sim, unit, true)
    }

    /// Leaves a system idle in port with nothing scheduled; a retired one's
    /// time stops being booked.
    fn system_idle(&mut self, unit: usize, now_h: f64, retire: bool) {
        let system = &mut self.systems[unit];
        system.activity = Activity::Idle;
        system.errand = None;
        self.systems.stop(unit, SystemState::Idle, now_h, retire);
    }

    /// Takes a system out of service after its current cycle: it returns to
    /// port at its next decision (reversing a deployment under way) and stays.
    pub(super) fn retire_system(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let system = &mut self.systems[unit];
        system.core.retiring = true;
        if system.activity == Activity::Idle {
            self.system_idle(unit, now_h, true);
            return Ok(());
        }
        system.pending.go_to_port = true;
        self.system_left_service(sim, unit)?;
        let system = &self.systems[unit];
        if !system.on_site {
            return Ok(());
        }
        match system.activity {
            Activity::Connected => self.connected_decide(sim, unit),
            Activity::Tripping { inward: true, .. } => {
                self.start_trip_out(sim, unit, false, AfterRetrieval::SailToPort)
            }
            Activity::Surfaced => self.leave_site(sim, unit),
            _ => Ok(()),
        }
    }

    /// The campaign on site is over: a deployment still under way is
    /// reversed; otherwise the system returns to port at its next decision.
    pub(super) fn campaign_end(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
    ) -> Result<(), SimError> {
        let system = &mut self.systems[unit];
        if !system.on_site {
            return Ok(());
        }
        system.pending.go_to_port = true;
        match system.activity {
            Activity::Connected => self.connected_decide(sim, unit),
            Activity::Tripping { inward: true, .. } => {
                self.start_trip_out(sim, unit, false, AfterRetrieval::SailToPort)
            }
            _ => Ok(()),
        }
    }

    /// Planned work falls due; the next occurrence is scheduled.
    pub(super) fn work_due(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        work: PlannedWork,
    ) -> Result<(), SimError> {
        let Some(periodic) = work.periodic(&self.scenario.mining) else {
            return Ok(());
        };
        let system = &mut self.systems[unit];
        system.due[work as usize].last_h = sim.now().hours();
        system.schedule_due(sim, unit, work, Some(periodic))?;
        if system.activity == Activity::Idle {
            return Ok(());
        }
        system.pending.set_due(work, true);
        if system.activity == Activity::Connected {
            self.connected_decide(sim, unit)?;
        }
        Ok(())
    }
}
