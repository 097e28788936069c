//! Shuttles: sail to site, queue at a mining vessel, load by ship-to-ship
//! transfer under an Hs limit, sail to port, queue for a berth, unload, and
//! sail back.

use std::collections::VecDeque;

use super::ore::Parcel;
use super::unit::{Core, impl_unit};
use super::{Event, Operation, SimError, TOL_T, Vessel};
use crate::engine::Simulation;
use crate::stats::budget::QueueStats;

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

impl From<ShuttleState> for usize {
    fn from(state: ShuttleState) -> usize {
        state as usize
    }
}

/// What a shuttle is physically doing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Activity {
    /// In port before its first departure.
    Idle,
    Sailing {
        to_site: bool,
    },
    /// At the site, waiting for mining system `system`.
    Queued {
        system: usize,
    },
    /// Alongside mining system `system`; `transferring` while a batch moves.
    Alongside {
        system: usize,
        transferring: bool,
    },
    /// In port: waiting for a berth or unloading.
    AtPort,
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

    /// Shuttle `unit` arrives at `now_h`: it comes alongside (true) if no
    /// one is, or joins the queue (false).
    fn arrive(&mut self, unit: usize, now_h: f64, stats: &mut QueueStats) -> bool {
        if self.alongside.is_none() {
            stats.pass();
            self.alongside = Some(unit);
            true
        } else {
            self.waiting.push_back((unit, now_h));
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

    /// Shuttle `unit` leaves the queue.
    fn leave_queue(&mut self, unit: usize, now_h: f64, stats: &mut QueueStats) {
        if let Some(at) = self.waiting.iter().position(|&(s, _)| s == unit) {
            if let Some((_, joined_h)) = self.waiting.remove(at) {
                stats.leave(now_h, joined_h);
            }
        }
    }

    /// Every shuttle waiting leaves the queue, in order.
    fn empty_queue(&mut self, now_h: f64, stats: &mut QueueStats) -> Vec<usize> {
        self.waiting
            .drain(..)
            .map(|(unit, joined_h)| {
                stats.leave(now_h, joined_h);
                unit
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
}

impl Shuttle {
    /// A shuttle in port at `now_h`.
    pub fn new(now_h: f64) -> Self {
        Shuttle {
            activity: Activity::Idle,
            core: Core::new(ShuttleState::Idle, now_h),
            cargo: Parcel::default(),
            stranded: false,
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

    /// A shuttle's timed activity ended.
    pub(super) fn shuttle_event(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
    ) -> Result<(), SimError> {
        match self.shuttles[unit].activity {
            Activity::Idle => {
                self.shuttles[unit].stranded = false;
                self.shuttle_sail(sim, unit, true)
            }
            Activity::Sailing { to_site: true } => self.arrive_site(sim, unit),
            Activity::Sailing { to_site: false } => {
                self.shuttles[unit].activity = Activity::AtPort;
                self.dock_arrive(sim, Vessel::Shuttle(unit))
            }
            Activity::Alongside {
                system,
                transferring: true,
            } => {
                self.shuttles[unit].activity = Activity::Alongside {
                    system,
                    transferring: false,
                };
                let full = self.shuttle_room_t(unit) <= TOL_T;
                let cargo = self.shuttles[unit].cargo.wet_t > 0.0;
                let in_service = self.systems[system].in_service();
                let leave = self.shuttles[unit].core.retiring || !self.systems[system].on_site;
                if full || ((leave || !in_service) && cargo) {
                    self.depart_site(sim, unit, system)?;
                } else if !in_service {
                    self.redistribute_shuttles(sim, system)?;
                } else {
                    self.serve_alongside(sim, system)?;
                }
                self.system_resume(sim, system)
            }
            Activity::AtPort => {
                let now_h = sim.now().hours();
                let cargo = std::mem::take(&mut self.shuttles[unit].cargo);
                self.unloaded(sim, Vessel::Shuttle(unit), cargo)?;
                let retiring = self.shuttles[unit].core.retiring;
                if retiring || !self.systems.iter().any(|s| s.in_service()) {
                    self.shuttle_idle(unit, now_h, retiring);
                    return Ok(());
                }
                self.shuttle_sail(sim, unit, true)
            }
            Activity::Queued { .. } | Activity::Alongside { .. } => Ok(()),
        }
    }

    fn shuttle_room_t(&self, unit: usize) -> f64 {
        self.scenario.fleet.capacity_t - self.shuttles[unit].cargo.wet_t
    }

    /// A shuttle reaches the site and joins the mining system with the
    /// fewest shuttles (alongside or queued), preferring systems on site.
    fn arrive_site(&mut self, sim: &mut Simulation<Event>, unit: usize) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        if self.shuttles[unit].core.retiring {
            return self.shuttle_sail(sim, unit, false);
        }
        let target = (0..self.systems.len())
            .filter(|&i| self.systems[i].in_service())
            .min_by_key(|&i| {
                let system = &self.systems[i];
                (!system.on_site, system.mooring.occupancy())
            });
        let Some(system) = target else {
            // No mining system in service: back to port, to wait there.
            return self.shuttle_sail(sim, unit, false);
        };
        if self.systems[system]
            .mooring
            .arrive(unit, now_h, &mut self.site_queue)
        {
            self.come_alongside(sim, unit, system)
        } else {
            self.shuttles[unit].activity = Activity::Queued { system };
            self.shuttles
                .set_state(unit, ShuttleState::SiteQueue, now_h);
            Ok(())
        }
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
        for unit in queued {
            self.arrive_site(sim, unit)?;
        }
        let Some(unit) = self.systems[system].mooring.alongside() else {
            return Ok(());
        };
        if self.shuttles[unit].activity
            != (Activity::Alongside {
                system,
                transferring: false,
            })
        {
            return Ok(());
        }
        if self.shuttles[unit].cargo.wet_t > 0.0 {
            self.depart_site(sim, unit, system)
        } else {
            self.systems[system].mooring.alongside = None;
            self.arrive_site(sim, unit)
        }
    }

    fn come_alongside(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        system: usize,
    ) -> Result<(), SimError> {
        self.shuttles[unit].activity = Activity::Alongside {
            system,
            transferring: false,
        };
        self.serve_alongside(sim, system)?;
        self.system_resume(sim, system)
    }

    /// The buffer level at which the idle shuttle alongside `system` starts
    /// its next transfer batch: enough to fill it, or a full buffer.
    pub(super) fn waiting_threshold_t(&self, system: usize) -> Option<f64> {
        let unit = self.systems[system].mooring.alongside()?;
        match self.shuttles[unit].activity {
            Activity::Alongside {
                transferring: false,
                ..
            } => Some(
                self.shuttle_room_t(unit)
                    .min(self.scenario.mining.buffer_capacity_t),
            ),
            _ => None,
        }
    }

    /// Starts a transfer batch to the shuttle alongside `system` if the
    /// weather allows and the buffer holds enough; otherwise books why it waits.
    pub(super) fn serve_alongside(
        &mut self,
        sim: &mut Simulation<Event>,
        system: usize,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let Some(threshold_t) = self.waiting_threshold_t(system) else {
            return Ok(());
        };
        let Some(unit) = self.systems[system].mooring.alongside() else {
            return Ok(());
        };
        if !self.systems[system].on_site {
            self.shuttles
                .set_state(unit, ShuttleState::WaitingCargo, now_h);
            return Ok(());
        }
        if self.shuttle_room_t(unit) <= TOL_T {
            // Full already: a phase made the holds smaller than its load.
            return self.depart_site(sim, unit, system);
        }
        self.settle_lift(system, now_h);
        if self.weather.stormbound() {
            self.shuttles.set_state(unit, ShuttleState::Typhoon, now_h);
            return Ok(());
        }
        if self.weather.hs_m() >= self.scenario.fleet.hs_limit_transfer_m {
            self.shuttles.set_state(unit, ShuttleState::Weather, now_h);
            return Ok(());
        }
        let level_t = self.systems[system].buffer.wet_t;
        if level_t < threshold_t - TOL_T || level_t <= 0.0 {
            self.shuttles
                .set_state(unit, ShuttleState::WaitingCargo, now_h);
            return Ok(());
        }
        let room_t = self.shuttle_room_t(unit);
        let batch = self.systems[system].buffer.take(room_t);
        self.shuttles[unit].cargo.absorb(batch);
        self.shuttles[unit].activity = Activity::Alongside {
            system,
            transferring: true,
        };
        self.shuttles
            .set_state(unit, ShuttleState::Transferring, now_h);
        let duration_h = batch.wet_t / self.scenario.fleet.transfer_rate_t_per_h;
        self.shuttles.schedule(sim, unit, duration_h)
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
            Activity::Idle => {
                self.shuttle_idle(unit, now_h, true);
                Ok(())
            }
            Activity::Queued { system } => {
                self.systems[system]
                    .mooring
                    .leave_queue(unit, now_h, &mut self.site_queue);
                self.shuttle_sail(sim, unit, false)
            }
            Activity::Alongside {
                system,
                transferring: false,
            } => self.depart_site(sim, unit, system),
            Activity::Sailing { .. } | Activity::Alongside { .. } | Activity::AtPort => Ok(()),
        }
    }

    /// When a mining system leaves for port, an idle shuttle alongside with
    /// cargo takes what it has to port rather than wait for the system's return.
    pub(super) fn release_alongside_with_cargo(
        &mut self,
        sim: &mut Simulation<Event>,
        system: usize,
    ) -> Result<(), SimError> {
        let Some(unit) = self.systems[system].mooring.alongside() else {
            return Ok(());
        };
        let idle = matches!(
            self.shuttles[unit].activity,
            Activity::Alongside {
                transferring: false,
                ..
            }
        );
        if idle && self.shuttles[unit].cargo.wet_t > 0.0 {
            self.depart_site(sim, unit, system)?;
        }
        Ok(())
    }
}
