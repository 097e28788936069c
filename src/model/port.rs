//! Docks and the port: berths where vessels unload (first come, first
//! served) at the hub or the port, the port's stockpile, and the processing plant that turns dry mud into rare-earth
//! oxide, refined at home up to a capacity and exported beyond it.

use super::berths::Terminal;
use super::ore::Parcel;
use super::records::{Shipment, book_delivery};
use super::{Event, HubShipState, Operation, ShuttleState, SimError, SystemState, Vessel};
use crate::engine::Simulation;
use crate::scenario;

/// The mainland port: its berths and the stockpile feeding the plant.
pub(super) struct Port {
    pub terminal: Terminal,
    pub stockpile: Parcel,
}

impl Port {
    pub fn new(spec: &scenario::Port) -> Self {
        Port {
            terminal: Terminal::new(spec.berths),
            stockpile: Parcel::default(),
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
        if self.terminal(dock).arrive(vessel, now_h) {
            return self.start_unloading(sim, vessel);
        }
        self.book_at_dock(vessel, false, now_h);
        Ok(())
    }

    /// `vessel`, at a berth, unloads its cargo at the dock's rate.
    fn start_unloading(
        &mut self,
        sim: &mut Simulation<Event>,
        vessel: Vessel,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let rate = match (self.dock_of(vessel), &self.scenario.hub) {
            (Dock::Hub, Some(hub)) => hub.unload_rate_t_per_h,
            _ => self.scenario.port.unload_rate_t_per_h,
        };
        let (cargo_t, unit) = match vessel {
            Vessel::System(unit) => (self.systems[unit].buffer.wet_t, unit),
            Vessel::Shuttle(unit) => (self.shuttles[unit].cargo.wet_t, unit),
            Vessel::HubShip(unit) => (self.hub_ships[unit].cargo.wet_t, unit),
        };
        self.book_at_dock(vessel, true, now_h);
        let duration_h = cargo_t / rate;
        match vessel {
            Vessel::System(_) => self.systems.schedule(sim, unit, duration_h),
            Vessel::Shuttle(_) => self.shuttles.schedule(sim, unit, duration_h),
            Vessel::HubShip(_) => self.hub_ships.schedule(sim, unit, duration_h),
        }
    }

    /// Books `vessel`'s time from now to unloading, or to waiting for a berth.
    fn book_at_dock(&mut self, vessel: Vessel, unloading: bool, now_h: f64) {
        match vessel {
            Vessel::System(unit) => {
                let state = if unloading {
                    SystemState::Unloading
                } else {
                    SystemState::PortQueue
                };
                self.systems.set_state(unit, state, now_h);
            }
            Vessel::Shuttle(unit) => {
                let state = if unloading {
                    ShuttleState::Unloading
                } else {
                    ShuttleState::PortQueue
                };
                self.shuttles.set_state(unit, state, now_h);
            }
            Vessel::HubShip(unit) => {
                let state = if unloading {
                    HubShipState::Unloading
                } else {
                    HubShipState::PortQueue
                };
                self.hub_ships.set_state(unit, state, now_h);
            }
        }
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
        let now_h = sim.now().hours();
        match self.terminal(dock).depart(now_h) {
            Some(vessel) => self.start_unloading(sim, vessel),
            None => Ok(()),
        }
    }

    /// Vessels waiting at `dock` take the berths that are free (after a
    /// phase adds berths).
    pub(super) fn fill_free_berths(
        &mut self,
        sim: &mut Simulation<Event>,
        dock: Dock,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        while let Some(vessel) = self.terminal(dock).next_in_line(now_h) {
            self.start_unloading(sim, vessel)?;
        }
        Ok(())
    }

    /// Adds a delivery to the shipment log and the year's figures.
    pub(super) fn deliver(&mut self, now_h: f64, vessel: Vessel, cargo: Parcel) {
        if cargo.wet_t <= 0.0 {
            return;
        }
        self.settle_plant(now_h, true);
        let reo_t = self.assay.reo_t(&cargo);
        let year = self.year_of(now_h);
        book_delivery(&mut self.years[year], &cargo, reo_t);
        self.delivered_t += cargo.wet_t;
        self.port.stockpile.absorb(cargo);
        self.shipments.push(Shipment {
            time_h: now_h,
            vessel,
            wet_t: cargo.wet_t,
            dry_t: cargo.dry_t,
            grade_ppm: cargo.grade_ppm(),
            reo_t,
        });
    }
}
