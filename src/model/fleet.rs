//! Shuttles: sail to site (keeping clear of typhoons), join the mining
//! vessel that will have a load soonest, queue there, load by ship-to-ship
//! transfer that moves only under an Hs limit, sail to port full (or with a
//! part load under the sailing rules), queue for a berth, unload, and sail
//! back.

use std::collections::VecDeque;

use super::ore::Parcel;
use super::unit::{Core, impl_unit};
use super::{Event, Operation, SimError, SystemState, TOL_T, Vessel};
use crate::engine::Simulation;
use crate::stats::budget::QueueStats;

/// Where a shuttle's time goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShuttleState {
    /// In port before its first departure, or while no mining system is in
    /// service.
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
    /// Alongside during a typhoon alert, or keeping clear of one at the
    /// site (waiting in port, holding off at sea).
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

impl From<ShuttleState> for usize {
    fn from(state: ShuttleState) -> usize {
        state as usize
    }
}

/// What a shuttle is physically doing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Activity {
    /// In port before its first departure, or while no mining system is in
    /// service.
    Idle,
    Sailing {
        to_site: bool,
    },
    /// Keeping clear of a typhoon at the site: in port before sailing out,
    /// or at sea short of the site.
    HoldingOff {
        in_port: bool,
    },
    /// At the site, waiting for mining system `system`.
    Queued {
        system: usize,
    },
    /// Alongside mining system `system`, waiting for cargo, or with a
    /// transfer batch under way.
    Alongside {
        system: usize,
        transfer: Option<Transfer>,
    },
    /// In port: waiting for a berth or unloading.
    AtPort,
}

/// A ship-to-ship transfer batch. It moves mud from the buffer to the
/// shuttle's hold at its rate, pro rata to its progress, only while Hs is
/// below the transfer limit and no typhoon alert is on; the shuttle stays
/// alongside until it is done.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Transfer {
    /// Tonnes still to move, as of `moving_since_h` (or the last pause).
    left_t: f64,
    /// Rate fixed when the batch began, wet t/h.
    rate_t_per_h: f64,
    /// When it last started moving; `None` while paused.
    moving_since_h: Option<f64>,
    /// The shuttle sails with what it has once this batch is done (its
    /// maximum wait alongside is over).
    last: bool,
}

/// The shuttles at one mining vessel: the one alongside and those waiting
/// for it in arrival order, with when they joined. The waits of every
/// vessel's queue are counted in one [`QueueStats`].
#[derive(Debug, Default)]
pub(super) struct Mooring {
    alongside: Option<usize>,
    waiting: VecDeque<(usize, f64)>,
}

impl Mooring {
    /// The shuttle alongside, if any.
    pub fn alongside(&self) -> Option<usize> {
        self.alongside
    }

    /// Shuttles alongside or waiting.
    fn occupancy(&self) -> usize {
        usize::from(self.alongside.is_some()) + self.waiting.len()
    }

    /// Shuttle `unit` arrives at `now_h`, having waited `waited_h` in
    /// another queue at the site it left unserved: it comes alongside
    /// (true) if no one is, or joins the queue (false), its wait going on.
    fn arrive(&mut self, unit: usize, now_h: f64, waited_h: f64, stats: &mut QueueStats) -> bool {
        if self.alongside.is_none() {
            stats.pass_after(waited_h);
            self.alongside = Some(unit);
            true
        } else {
            self.waiting.push_back((unit, now_h - waited_h));
            stats.join(now_h);
            false
        }
    }

    /// The shuttle alongside casts off; the first waiting, if any, comes
    /// alongside and is returned.
    fn cast_off(&mut self, now_h: f64, stats: &mut QueueStats) -> Option<usize> {
        self.alongside = None;
        let (next, joined_h) = self.waiting.pop_front()?;
        stats.leave(now_h, joined_h);
        self.alongside = Some(next);
        Some(next)
    }

    /// Shuttle `unit` leaves the queue unserved, and gives up its wait.
    fn leave_queue(&mut self, unit: usize, now_h: f64, stats: &mut QueueStats) {
        if let Some(at) = self.waiting.iter().position(|&(s, _)| s == unit) {
            if let Some((_, joined_h)) = self.waiting.remove(at) {
                stats.step_out(now_h);
                stats.abandon(now_h - joined_h);
            }
        }
    }

    /// The shuttles waiting, in order.
    fn queued(&self) -> impl Iterator<Item = usize> + '_ {
        self.waiting.iter().map(|&(unit, _)| unit)
    }

    /// Counts the waits so far of the shuttles still waiting at the horizon.
    pub fn censor_waiting(&self, horizon_h: f64, stats: &mut QueueStats) {
        for &(_, joined_h) in &self.waiting {
            stats.censor(horizon_h, joined_h);
        }
    }

    /// Every shuttle waiting leaves the queue unserved, in order, with its
    /// wait so far (h) to carry to another queue.
    fn empty_queue(&mut self, now_h: f64, stats: &mut QueueStats) -> Vec<(usize, f64)> {
        self.waiting
            .drain(..)
            .map(|(unit, joined_h)| {
                stats.step_out(now_h);
                (unit, now_h - joined_h)
            })
            .collect()
    }
}

/// One shuttle vessel.
pub(super) struct Shuttle {
    pub activity: Activity,
    pub core: Core<ShuttleState>,
    pub cargo: Parcel,
    /// Idle in port because no mining system was in service.
    stranded: bool,
    /// When it came alongside its mining system, h.
    alongside_since_h: f64,
    /// Its maximum wait alongside (`fleet.max_wait_h`) is over: it takes
    /// what the buffer holds and sails (cleared, so that it waits for a
    /// full load, if it finds its hold and the buffer empty).
    wait_over: bool,
}

impl Shuttle {
    /// A shuttle in port at `now_h`.
    pub fn new(now_h: f64) -> Self {
        Shuttle {
            activity: Activity::Idle,
            core: Core::new(ShuttleState::Idle, now_h),
            cargo: Parcel::default(),
            stranded: false,
            alongside_since_h: now_h,
            wait_over: false,
        }
    }
}

impl_unit!(Shuttle, ShuttleState, |unit, token| Event::Shuttle {
    unit,
    token
});

impl Shuttle {
    /// Idle in port for want of a mining system in service, with nothing
    /// scheduled (not one still waiting for its staggered first departure).
    pub fn waiting_in_port(&self) -> bool {
        self.stranded && !self.core.retiring && !self.core.retired
    }
}

impl Operation {
    fn sailing_h(&self) -> f64 {
        self.unloading_leg_nm() / self.scenario.fleet.speed_kn
    }

    /// Schedules a shuttle's first departure at the start of the run;
    /// departures are spread evenly over one round trip so the fleet does not
    /// sail as a convoy.
    pub(super) fn start_shuttle(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
    ) -> Result<(), SimError> {
        self.start_shuttle_staggered(sim, unit, unit, self.shuttles.len())
    }

    /// Schedules the departure of the `rank`-th of `count` shuttles leaving
    /// together, spread evenly over one round trip.
    pub(super) fn start_shuttle_staggered(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        rank: usize,
        count: usize,
    ) -> Result<(), SimError> {
        let offset_h = 2.0 * self.sailing_h() * rank as f64 / count.max(1) as f64;
        self.shuttles.schedule(sim, unit, offset_h)
    }

    fn shuttle_sail(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        to_site: bool,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        self.shuttles[unit].activity = Activity::Sailing { to_site };
        self.shuttles.set_state(unit, ShuttleState::Transit, now_h);
        self.shuttles.schedule(sim, unit, self.sailing_h())
    }

    /// Sails from port to the site, unless it would arrive during the
    /// typhoon alert on now: then it waits in port (booked as typhoon) until
    /// it can arrive as the alert ends.
    fn shuttle_sail_out(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let hold_h = self
            .weather
            .alert_until_h()
            .map_or(0.0, |until_h| until_h - self.sailing_h() - now_h);
        if hold_h > 0.0 {
            return self.hold_off(sim, unit, true, hold_h);
        }
        self.shuttle_sail(sim, unit, true)
    }

    /// Keeps clear of a typhoon for `hours`, in port or at sea, booked as
    /// typhoon.
    fn hold_off(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        in_port: bool,
        hours: f64,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        self.shuttles[unit].activity = Activity::HoldingOff { in_port };
        self.shuttles.set_state(unit, ShuttleState::Typhoon, now_h);
        self.shuttles.schedule(sim, unit, hours)
    }

    /// A shuttle's timed activity ended.
    pub(super) fn shuttle_event(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
    ) -> Result<(), SimError> {
        match self.shuttles[unit].activity {
            Activity::Idle => {
                self.shuttles[unit].stranded = false;
                self.shuttle_in_port(sim, unit)
            }
            Activity::HoldingOff { in_port: true } => self.shuttle_sail_out(sim, unit),
            Activity::HoldingOff { in_port: false } | Activity::Sailing { to_site: true } => {
                self.arrive_site(sim, unit, None)
            }
            Activity::Sailing { to_site: false } => {
                self.shuttles[unit].activity = Activity::AtPort;
                if self.shuttles[unit].cargo.wet_t > TOL_T {
                    self.dock_arrive(sim, Vessel::Shuttle(unit))
                } else {
                    // Nothing to unload: no berth, no ship served.
                    self.shuttle_in_port(sim, unit)
                }
            }
            Activity::Alongside {
                system,
                transfer: Some(_),
            } => self.batch_done(sim, unit, system),
            Activity::Alongside {
                system,
                transfer: None,
            } => {
                self.shuttles[unit].wait_over = true;
                self.serve_alongside(sim, system)?;
                self.system_resume(sim, system)
            }
            Activity::AtPort => {
                let cargo = std::mem::take(&mut self.shuttles[unit].cargo);
                self.unloaded(sim, Vessel::Shuttle(unit), cargo)?;
                self.shuttle_in_port(sim, unit)
            }
            Activity::Queued { .. } => Ok(()),
        }
    }

    /// In port with an empty hold: sail out again, or stay if retiring or
    /// no mining system is in service.
    fn shuttle_in_port(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let retiring = self.shuttles[unit].core.retiring;
        if retiring || !self.systems.iter().any(|s| s.in_service()) {
            self.shuttle_idle(unit, now_h, retiring);
            return Ok(());
        }
        self.shuttle_sail_out(sim, unit)
    }

    /// The transfer batch to shuttle `unit` alongside `system` is done:
    /// sail if full (or its wait is over, or the system is leaving), else
    /// wait for more.
    fn batch_done(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        system: usize,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        self.settle_lift(system, now_h);
        let last = matches!(
            self.shuttles[unit].activity,
            Activity::Alongside {
                transfer: Some(Transfer { last: true, .. }),
                ..
            }
        );
        self.shuttles[unit].activity = Activity::Alongside {
            system,
            transfer: None,
        };
        let full = self.shuttle_room_t(unit) <= TOL_T;
        let cargo = self.shuttles[unit].cargo.wet_t > TOL_T;
        let in_service = self.systems[system].in_service();
        let leave = last || self.shuttles[unit].core.retiring || !self.systems[system].on_site;
        if full || ((leave || !in_service) && cargo) {
            self.depart_site(sim, unit, system)?;
        } else if !in_service {
            self.redistribute_shuttles(sim, system)?;
        } else {
            self.restart_wait_clock(sim, unit, now_h)?;
            self.serve_alongside(sim, system)?;
        }
        self.system_resume(sim, system)
    }

    /// Schedules the end of a shuttle's maximum wait alongside, counted
    /// from when it came alongside (`fleet.max_wait_h`; none by default).
    fn restart_wait_clock(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        now_h: f64,
    ) -> Result<(), SimError> {
        let Some(max_wait_h) = self.scenario.fleet.max_wait_h else {
            return Ok(());
        };
        let shuttle = &mut self.shuttles[unit];
        if shuttle.wait_over {
            return Ok(());
        }
        let left_h = shuttle.alongside_since_h + max_wait_h - now_h;
        if left_h <= 0.0 {
            shuttle.wait_over = true;
            return Ok(());
        }
        self.shuttles.schedule(sim, unit, left_h)
    }

    fn shuttle_room_t(&self, unit: usize) -> f64 {
        self.scenario.fleet.capacity_t - self.shuttles[unit].cargo.wet_t
    }

    /// Tonnes the shuttles at `system` (alongside and queued) still have
    /// room for; a batch under way counts what it has still to move.
    fn committed_t(&self, system: usize) -> f64 {
        let mooring = &self.systems[system].mooring;
        mooring
            .alongside()
            .into_iter()
            .chain(mooring.queued())
            .map(|unit| self.shuttle_room_t(unit).max(0.0))
            .sum()
    }

    /// The mining system shuttle `unit` should serve: among those in
    /// service, one on site first, then the one that will have a load for
    /// it soonest, then the one blocked by its full buffer longest, then
    /// the one with the most mud beyond what the shuttles already there
    /// will take, then the fewest shuttles. The time to a load is the
    /// longer of the lifting its buffer still needs (after what the
    /// shuttles already there will take) and the transfers of the shuttles
    /// ahead of it, both in calm weather.
    fn dispatch_target(&self, unit: usize) -> Option<usize> {
        let room_t = self.shuttle_room_t(unit).max(0.0);
        let lift_rate = self.scenario.mining.lift_rate_t_per_h();
        let transfer_rate = self.scenario.fleet.transfer_rate_t_per_h;
        let key = |i: usize| {
            let system = &self.systems[i];
            let committed_t = self.committed_t(i);
            let short_t = committed_t + room_t - system.buffer.wet_t;
            let hours_to_load = (short_t.max(0.0) / lift_rate).max(committed_t / transfer_rate);
            let clock = &system.core.clock;
            let blocked_since_h = if clock.state() == SystemState::Blocked {
                clock.since_h()
            } else {
                f64::INFINITY
            };
            let spare_t = system.buffer.wet_t - committed_t;
            (
                !system.on_site,
                hours_to_load,
                blocked_since_h,
                -spare_t,
                system.mooring.occupancy(),
            )
        };
        (0..self.systems.len())
            .filter(|&i| self.systems[i].in_service())
            .map(|i| (i, key(i)))
            .min_by(|(_, a), (_, b)| {
                let (off_a, h_a, blocked_a, spare_a, n_a) = *a;
                let (off_b, h_b, blocked_b, spare_b, n_b) = *b;
                off_a
                    .cmp(&off_b)
                    .then(h_a.total_cmp(&h_b))
                    .then(blocked_a.total_cmp(&blocked_b))
                    .then(spare_a.total_cmp(&spare_b))
                    .then(n_a.cmp(&n_b))
            })
            .map(|(i, _)| i)
    }

    /// A shuttle reaches the site (or, with `waited_h`, leaves a queue
    /// there unserved after that wait): it holds off while a typhoon alert
    /// is on, else joins the mining system [`Self::dispatch_target`] picks,
    /// its wait going on. A wait that ends anywhere else is given up.
    fn arrive_site(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        waited_h: Option<f64>,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let retiring = self.shuttles[unit].core.retiring;
        let alert_until_h = self.weather.alert_until_h();
        let target = if retiring || alert_until_h.is_some() {
            None
        } else {
            for system in 0..self.systems.len() {
                self.settle_lift(system, now_h);
            }
            self.dispatch_target(unit)
        };
        let Some(system) = target else {
            if let Some(waited_h) = waited_h {
                self.site_queue.abandon(waited_h);
            }
            return match alert_until_h {
                Some(until_h) if !retiring => self.hold_off(sim, unit, false, until_h - now_h),
                // Retiring, or no mining system in service: back to port.
                _ => self.shuttle_sail(sim, unit, false),
            };
        };
        self.join_system(sim, unit, system, waited_h.unwrap_or(0.0))
    }

    /// Shuttle `unit`, at the site, joins `system` after waiting `waited_h`
    /// at another: alongside, or queued.
    fn join_system(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        system: usize,
        waited_h: f64,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        if self.systems[system]
            .mooring
            .arrive(unit, now_h, waited_h, &mut self.site_queue)
        {
            self.come_alongside(sim, unit, system)
        } else {
            self.shuttles[unit].activity = Activity::Queued { system };
            self.shuttles
                .set_state(unit, ShuttleState::SiteQueue, now_h);
            Ok(())
        }
    }

    /// Mining system `system` has left service (its last trip is done, or
    /// it retires): its shuttles go elsewhere, and the hub's ships load
    /// what there is if no more mud is coming.
    pub(super) fn system_left_service(
        &mut self,
        sim: &mut Simulation<Event>,
        system: usize,
    ) -> Result<(), SimError> {
        self.redistribute_shuttles(sim, system)?;
        self.load_hub_ship(sim)
    }

    /// Whether no more mud will reach the hub or port: no mining system in
    /// service or still lifting, and none of them or the shuttles carrying
    /// any.
    pub(super) fn supply_ended(&self) -> bool {
        self.systems
            .iter()
            .all(|s| !s.in_service() && s.lifting_since_h.is_none() && s.buffer.wet_t <= TOL_T)
            && self.shuttles.iter().all(|s| s.cargo.wet_t <= TOL_T)
    }

    /// Sends the shuttles waiting at a mining system that has left service
    /// elsewhere: one alongside with cargo to port, the others to another
    /// system (or back to port if none is in service).
    pub(super) fn redistribute_shuttles(
        &mut self,
        sim: &mut Simulation<Event>,
        system: usize,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let queued = self.systems[system]
            .mooring
            .empty_queue(now_h, &mut self.site_queue);
        for (unit, waited_h) in queued {
            self.arrive_site(sim, unit, Some(waited_h))?;
        }
        let Some(unit) = self.systems[system].mooring.alongside() else {
            return Ok(());
        };
        if self.shuttles[unit].activity
            != (Activity::Alongside {
                system,
                transfer: None,
            })
        {
            return Ok(());
        }
        if self.shuttles[unit].cargo.wet_t > TOL_T {
            self.depart_site(sim, unit, system)
        } else {
            self.systems[system].mooring.alongside = None;
            self.arrive_site(sim, unit, None)
        }
    }

    fn come_alongside(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        system: usize,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let shuttle = &mut self.shuttles[unit];
        shuttle.activity = Activity::Alongside {
            system,
            transfer: None,
        };
        shuttle.alongside_since_h = now_h;
        shuttle.wait_over = false;
        self.shuttles.cancel(unit);
        self.restart_wait_clock(sim, unit, now_h)?;
        self.serve_alongside(sim, system)?;
        self.system_resume(sim, system)
    }

    /// The buffer level at which the idle shuttle alongside `system` starts
    /// its next transfer batch: enough to fill it, or a full buffer.
    pub(super) fn waiting_threshold_t(&self, system: usize) -> Option<f64> {
        let unit = self.systems[system].mooring.alongside()?;
        match self.shuttles[unit].activity {
            Activity::Alongside { transfer: None, .. } => Some(
                self.shuttle_room_t(unit)
                    .min(self.scenario.mining.buffer_capacity_t),
            ),
            _ => None,
        }
    }

    /// Whether a shuttle alongside `system` waits to load or is loading,
    /// so that its plans depend on the transfer limit.
    pub(super) fn watches_transfer_limit(&self, system: usize) -> bool {
        self.systems[system].on_site && self.systems[system].mooring.alongside().is_some()
    }

    /// The shuttle alongside `system`, if any, carries on: its transfer
    /// batch moves or pauses with the weather, or it starts one if the
    /// buffer holds its load (or anything, once its wait is over).
    pub(super) fn serve_alongside(
        &mut self,
        sim: &mut Simulation<Event>,
        system: usize,
    ) -> Result<(), SimError> {
        let Some(unit) = self.systems[system].mooring.alongside() else {
            return Ok(());
        };
        self.settle_lift(system, sim.now().hours());
        match self.shuttles[unit].activity {
            Activity::Alongside {
                transfer: Some(transfer),
                ..
            } => self.run_transfer(sim, unit, system, transfer),
            Activity::Alongside { transfer: None, .. } => self.await_cargo(sim, unit, system),
            _ => Ok(()),
        }
    }

    /// Shuttle `unit`, alongside `system` with no batch under way: starts
    /// one if the buffer holds its load (or anything, once its wait is
    /// over) and the sea and alert allow, else books why it waits: for
    /// cargo, or, with a batch to start, for the weather or the typhoon.
    fn await_cargo(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        system: usize,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        if !self.systems[system].on_site {
            self.shuttles
                .set_state(unit, ShuttleState::WaitingCargo, now_h);
            return Ok(());
        }
        let room_t = self.shuttle_room_t(unit);
        if room_t <= TOL_T {
            // Full already: a phase made the holds smaller than its load.
            return self.depart_site(sim, unit, system);
        }
        self.settle_lift(system, now_h);
        let level_t = self.systems[system].buffer.wet_t;
        let threshold_t = room_t.min(self.scenario.mining.buffer_capacity_t);
        let enough = level_t >= threshold_t - TOL_T && level_t > 0.0;
        if !enough && self.shuttles[unit].wait_over && level_t <= TOL_T {
            if self.shuttles[unit].cargo.wet_t > TOL_T {
                return self.depart_site(sim, unit, system);
            }
            // Nothing aboard nor in the buffer: it waits for a full load.
            self.shuttles[unit].wait_over = false;
        }
        let wait_over = self.shuttles[unit].wait_over;
        let batch = enough || (wait_over && level_t > TOL_T);
        if !batch {
            self.shuttles
                .set_state(unit, ShuttleState::WaitingCargo, now_h);
            return Ok(());
        }
        // A batch begins only when it can move at once.
        if self.weather.stormbound() {
            self.shuttles.set_state(unit, ShuttleState::Typhoon, now_h);
            return Ok(());
        }
        if self.weather.hs_m() >= self.scenario.fleet.hs_limit_transfer_m {
            self.shuttles.set_state(unit, ShuttleState::Weather, now_h);
            return Ok(());
        }
        self.start_batch(sim, unit, system, wait_over)
    }

    /// A transfer batch of what the buffer holds, up to the shuttle's room,
    /// begins; the shuttle stays alongside while it transfers.
    fn start_batch(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        system: usize,
        last: bool,
    ) -> Result<(), SimError> {
        let batch_t = self
            .shuttle_room_t(unit)
            .min(self.systems[system].buffer.wet_t);
        let transfer = Transfer {
            left_t: batch_t,
            rate_t_per_h: self.scenario.fleet.transfer_rate_t_per_h,
            moving_since_h: None,
            last,
        };
        self.shuttles.cancel(unit);
        self.run_transfer(sim, unit, system, transfer)
    }

    /// Moves the mud the batch to the shuttle alongside `system` has
    /// transferred since it was last settled from the buffer to the hold.
    /// Called before the buffer is read or lifted into, so the buffer never
    /// holds less than the batch has left to move.
    pub(super) fn settle_transfer(&mut self, system: usize, now_h: f64) {
        let Some(unit) = self.systems[system].mooring.alongside() else {
            return;
        };
        let Activity::Alongside {
            transfer: Some(mut transfer),
            ..
        } = self.shuttles[unit].activity
        else {
            return;
        };
        let Some(since_h) = transfer.moving_since_h else {
            return;
        };
        let mut moved_t = ((now_h - since_h) * transfer.rate_t_per_h).min(transfer.left_t);
        let done = transfer.left_t - moved_t <= TOL_T;
        if done {
            // Rounding dust of the batch, and of a buffer it empties, goes too.
            let buffer_t = self.systems[system].buffer.wet_t;
            moved_t = if buffer_t - transfer.left_t <= TOL_T {
                buffer_t
            } else {
                transfer.left_t
            };
        }
        if moved_t > 0.0 {
            let parcel = self.systems[system].buffer.take(moved_t);
            self.shuttles[unit].cargo.absorb(parcel);
            transfer.left_t = if done { 0.0 } else { transfer.left_t - moved_t };
        }
        transfer.moving_since_h = Some(now_h);
        self.shuttles[unit].activity = Activity::Alongside {
            system,
            transfer: Some(transfer),
        };
    }

    /// The batch to shuttle `unit` alongside `system` moves while the sea
    /// is below the transfer limit and no typhoon alert is on, and pauses
    /// otherwise (its progress kept).
    fn run_transfer(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        system: usize,
        mut transfer: Transfer,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let storm = self.weather.stormbound();
        let calm = self.weather.hs_m() < self.scenario.fleet.hs_limit_transfer_m;
        let allowed = self.systems[system].on_site && !storm && calm;
        match (allowed, transfer.moving_since_h) {
            (true, None) => {
                transfer.moving_since_h = Some(now_h);
                self.shuttles
                    .set_state(unit, ShuttleState::Transferring, now_h);
                self.shuttles
                    .schedule(sim, unit, transfer.left_t / transfer.rate_t_per_h)?;
            }
            (false, Some(since_h)) => {
                let moved_t = ((now_h - since_h) * transfer.rate_t_per_h).min(transfer.left_t);
                transfer.left_t -= moved_t;
                transfer.moving_since_h = None;
                self.shuttles.cancel(unit);
            }
            (true, Some(_)) | (false, None) => {}
        }
        if !allowed {
            let state = if storm {
                ShuttleState::Typhoon
            } else {
                ShuttleState::Weather
            };
            self.shuttles.set_state(unit, state, now_h);
        }
        self.shuttles[unit].activity = Activity::Alongside {
            system,
            transfer: Some(transfer),
        };
        self.wake_when_transfer_frees_room(sim, system)
    }

    /// A system blocked by its full buffer while a batch moves out of it
    /// faster than it lifts is woken once the batch has freed an hour of
    /// lifting, to lift into that room; with a slower transfer it waits for
    /// the batch to end (or the next change).
    pub(super) fn wake_when_transfer_frees_room(
        &mut self,
        sim: &mut Simulation<Event>,
        system: usize,
    ) -> Result<(), SimError> {
        if self.systems[system].core.clock.state() != SystemState::Blocked {
            return Ok(());
        }
        let Some(unit) = self.systems[system].mooring.alongside() else {
            return Ok(());
        };
        let Activity::Alongside {
            transfer:
                Some(Transfer {
                    left_t,
                    rate_t_per_h,
                    moving_since_h: Some(_),
                    ..
                }),
            ..
        } = self.shuttles[unit].activity
        else {
            return Ok(());
        };
        let lift_rate = self.scenario.mining.lift_rate_t_per_h();
        let wake_h = lift_rate / rate_t_per_h;
        if rate_t_per_h > lift_rate && wake_h < left_t / rate_t_per_h {
            self.systems.schedule(sim, system, wake_h)?;
        }
        Ok(())
    }

    /// The shuttle alongside `system` casts off for port; the next in the
    /// queue comes alongside.
    fn depart_site(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        system: usize,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let next = self.systems[system]
            .mooring
            .cast_off(now_h, &mut self.site_queue);
        self.shuttle_sail(sim, unit, false)?;
        if let Some(next) = next {
            self.come_alongside(sim, next, system)?;
        }
        Ok(())
    }

    /// Leaves a shuttle idle in port with nothing scheduled; a retired one's
    /// time stops being booked, an idle one waits for a phase to wake it.
    fn shuttle_idle(&mut self, unit: usize, now_h: f64, retire: bool) {
        let shuttle = &mut self.shuttles[unit];
        shuttle.activity = Activity::Idle;
        shuttle.stranded = !retire;
        self.shuttles.stop(unit, ShuttleState::Idle, now_h, retire);
    }

    /// Takes a shuttle out of service after its current cycle: one in port
    /// stays; one at the site leaves with what it has (or finishes its
    /// transfer first); one sailing out turns back on arrival.
    pub(super) fn retire_shuttle(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        self.shuttles[unit].core.retiring = true;
        match self.shuttles[unit].activity {
            Activity::Idle | Activity::HoldingOff { in_port: true } => {
                self.shuttle_idle(unit, now_h, true);
                Ok(())
            }
            Activity::HoldingOff { in_port: false } => self.shuttle_sail(sim, unit, false),
            Activity::Queued { system } => {
                self.systems[system]
                    .mooring
                    .leave_queue(unit, now_h, &mut self.site_queue);
                self.shuttle_sail(sim, unit, false)
            }
            Activity::Alongside {
                system,
                transfer: None,
            } => self.depart_site(sim, unit, system),
            Activity::Sailing { .. } | Activity::Alongside { .. } | Activity::AtPort => Ok(()),
        }
    }

    /// Mining system `system` stops on site with its string up (a repair,
    /// or sheltering from a typhoon or survival seas): a shuttle alongside
    /// with cargo aboard and no batch under way sails with it.
    pub(super) fn release_part_load(
        &mut self,
        sim: &mut Simulation<Event>,
        system: usize,
    ) -> Result<(), SimError> {
        let Some(unit) = self.systems[system].mooring.alongside() else {
            return Ok(());
        };
        let idle = matches!(
            self.shuttles[unit].activity,
            Activity::Alongside { transfer: None, .. }
        );
        if idle && self.shuttles[unit].cargo.wet_t > TOL_T {
            self.depart_site(sim, unit, system)?;
        }
        Ok(())
    }

    /// Mining system `system` leaves the site for port (campaign end,
    /// retirement, port work): the shuttle alongside leaves with what it
    /// has aboard (a batch under way stops, the rest staying in the
    /// buffer); an empty one, and those queued, go to another system on
    /// site if there is one, or wait for this one's return.
    pub(super) fn system_leaves_site(
        &mut self,
        sim: &mut Simulation<Event>,
        system: usize,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        self.settle_transfer(system, now_h);
        let other_on_site = (0..self.systems.len())
            .any(|i| i != system && self.systems[i].on_site && self.systems[i].in_service());
        if other_on_site {
            let queued = self.systems[system]
                .mooring
                .empty_queue(now_h, &mut self.site_queue);
            for (unit, waited_h) in queued {
                self.arrive_site(sim, unit, Some(waited_h))?;
            }
        }
        let Some(unit) = self.systems[system].mooring.alongside() else {
            return Ok(());
        };
        if let Activity::Alongside {
            transfer: Some(_), ..
        } = self.shuttles[unit].activity
        {
            self.shuttles[unit].activity = Activity::Alongside {
                system,
                transfer: None,
            };
            self.shuttles.cancel(unit);
            self.restart_wait_clock(sim, unit, now_h)?;
        }
        if self.shuttles[unit].cargo.wet_t > TOL_T {
            return self.depart_site(sim, unit, system);
        }
        if other_on_site {
            self.systems[system].mooring.alongside = None;
            self.shuttles.cancel(unit);
            return self.arrive_site(sim, unit, None);
        }
        self.serve_alongside(sim, system)
    }
}
