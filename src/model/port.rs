//! Docks and the port: berths where vessels unload (first come, first
//! served) at the hub or the port, the port's stockpile, and the processing plant that turns dry mud into rare-earth
//! oxide, refined at home up to a capacity and exported beyond it.

use std::collections::VecDeque;

use rand::RngExt;

use super::ore::Parcel;
use super::{Event, HubShipState, Operation, ShuttleState, SimError, SystemState, Vessel};
use crate::engine::Simulation;

/// Hours per day: the plant runs once a day.
const HOURS_PER_DAY: f64 = 24.0;
use crate::scenario;
use crate::stats::budget::QueueStats;

/// Berths where vessels unload, first come first served, and their queue.
pub(super) struct Terminal {
    berths: usize,
    busy: usize,
    waiting: VecDeque<(Vessel, f64)>,
    pub queue: QueueStats,
}

impl Terminal {
    pub fn new(berths: u32) -> Self {
        Terminal {
            berths: berths as usize,
            busy: 0,
            waiting: VecDeque::new(),
            queue: QueueStats::default(),
        }
    }

    /// Changes the number of berths (a phase); vessels unloading finish.
    pub fn set_berths(&mut self, berths: usize) {
        self.berths = berths;
    }

    /// Whether a free berth and a waiting vessel meet.
    pub fn can_start_unloading(&self) -> bool {
        self.busy < self.berths && !self.waiting.is_empty()
    }
}

/// The mainland port: its berths and the stockpile feeding the plant.
pub(super) struct Port {
    pub terminal: Terminal,
    pub stockpile: Parcel,
    /// When the plant's next daily run falls, h (every 24 h from 24 h).
    pub next_plant_day_h: f64,
}

impl Port {
    pub fn new(spec: &scenario::Port) -> Self {
        Port {
            terminal: Terminal::new(spec.berths),
            stockpile: Parcel::default(),
            next_plant_day_h: HOURS_PER_DAY,
        }
    }
}

/// Where a vessel unloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Dock {
    Hub,
    Port,
}

impl Operation {
    /// Mining vessels and shuttles unload at the hub when there is one;
    /// hub ships at the port.
    pub(super) fn dock_of(&self, vessel: Vessel) -> Dock {
        match vessel {
            Vessel::HubShip(_) => Dock::Port,
            _ if self.hub.is_some() => Dock::Hub,
            _ => Dock::Port,
        }
    }

    fn terminal(&mut self, dock: Dock) -> &mut Terminal {
        match (dock, self.hub.as_mut()) {
            (Dock::Hub, Some(hub)) => &mut hub.terminal,
            _ => &mut self.port.terminal,
        }
    }

    /// A loaded vessel arrives at its dock: unload at a free berth, or queue.
    pub(super) fn dock_arrive(
        &mut self,
        sim: &mut Simulation<Event>,
        vessel: Vessel,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let dock = self.dock_of(vessel);
        let terminal = self.terminal(dock);
        if terminal.busy < terminal.berths {
            terminal.queue.pass();
            return self.start_unloading(sim, vessel);
        }
        terminal.waiting.push_back((vessel, now_h));
        terminal.queue.join(now_h);
        match vessel {
            Vessel::System(unit) => self.systems.set_state(unit, SystemState::PortQueue, now_h),
            Vessel::Shuttle(unit) => self
                .shuttles
                .set_state(unit, ShuttleState::PortQueue, now_h),
            Vessel::HubShip(unit) => self
                .hub_ships
                .set_state(unit, HubShipState::PortQueue, now_h),
        }
        Ok(())
    }

    fn start_unloading(
        &mut self,
        sim: &mut Simulation<Event>,
        vessel: Vessel,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let dock = self.dock_of(vessel);
        self.terminal(dock).busy += 1;
        let rate = match (dock, &self.scenario.hub) {
            (Dock::Hub, Some(hub)) => hub.unload_rate_t_per_h,
            _ => self.scenario.port.unload_rate_t_per_h,
        };
        match vessel {
            Vessel::System(unit) => {
                let duration_h = self.systems[unit].buffer.wet_t / rate;
                self.systems.set_state(unit, SystemState::Unloading, now_h);
                self.systems.schedule(sim, unit, duration_h)?;
            }
            Vessel::Shuttle(unit) => {
                let duration_h = self.shuttles[unit].cargo.wet_t / rate;
                self.shuttles
                    .set_state(unit, ShuttleState::Unloading, now_h);
                self.shuttles.schedule(sim, unit, duration_h)?;
            }
            Vessel::HubShip(unit) => {
                let duration_h = self.hub_ships[unit].cargo.wet_t / rate;
                self.hub_ships
                    .set_state(unit, HubShipState::Unloading, now_h);
                self.hub_ships.schedule(sim, unit, duration_h)?;
            }
        }
        Ok(())
    }

    /// A vessel finished unloading `cargo`: into the hub (dewatered) or the
    /// port's stockpile (a shipment); its berth goes to the next in line.
    pub(super) fn unloaded(
        &mut self,
        sim: &mut Simulation<Event>,
        vessel: Vessel,
        cargo: Parcel,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let dock = self.dock_of(vessel);
        match dock {
            Dock::Hub => self.hub_receive(sim, cargo)?,
            Dock::Port => self.deliver(now_h, vessel, cargo),
        }
        self.berth_freed(sim, dock)
    }

    /// A berth is free: the first vessel waiting starts unloading.
    fn berth_freed(&mut self, sim: &mut Simulation<Event>, dock: Dock) -> Result<(), SimError> {
        self.terminal(dock).busy -= 1;
        if self.terminal(dock).can_start_unloading() {
            self.berth_taken_by_next(sim, dock)?;
        }
        Ok(())
    }

    /// The first vessel waiting at `dock` takes a free berth.
    pub(super) fn berth_taken_by_next(
        &mut self,
        sim: &mut Simulation<Event>,
        dock: Dock,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let terminal = self.terminal(dock);
        if let Some((vessel, joined_h)) = terminal.waiting.pop_front() {
            terminal.queue.leave(now_h, joined_h);
            self.start_unloading(sim, vessel)?;
        }
        Ok(())
    }

    /// Runs the plant's days due before `now_h` (and the horizon), or at it
    /// too when `inclusive`: the plant is settled when something it depends
    /// on changes (a delivery, a draw from the logistics stream it shares, a
    /// phase, the horizon), with the same daily arithmetic as a daily event.
    pub(super) fn settle_plant(&mut self, now_h: f64, inclusive: bool) {
        loop {
            let day_h = self.port.next_plant_day_h;
            let due = if inclusive {
                day_h <= now_h
            } else {
                day_h < now_h
            };
            if !due || day_h >= self.horizon_h {
                return;
            }
            self.plant_day(day_h);
            self.port.next_plant_day_h = day_h + HOURS_PER_DAY;
        }
    }

    /// The plant's daily run: with probability `plant_availability` it
    /// processes up to its daily capacity of dry mud from the stockpile.
    fn plant_day(&mut self, now_h: f64) {
        let port = &self.scenario.port;
        let u: f64 = self.logistics_rng.random();
        if u >= port.plant_availability || self.port.stockpile.wet_t <= 0.0 {
            return;
        }
        let feed = self
            .port
            .stockpile
            .take_dry(port.plant_capacity_dry_t_per_d);
        let reo_t = self.assay.reo_t(&feed) * port.recovery;
        let year = self.year_of(now_h);
        let record = &mut self.years[year];
        let home_t = reo_t.min((port.home_refining_reo_t_per_y - record.reo_home_t).max(0.0));
        record.processed_dry_t += feed.dry_t;
        record.reo_heavy_t += reo_t * self.assay.heavy_share();
        record.reo_light_t += reo_t * (1.0 - self.assay.heavy_share());
        record.reo_home_t += home_t;
        record.reo_export_t += reo_t - home_t;
    }
}
