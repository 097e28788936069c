//! The dewatering hub: vessels from the site unload here, the mud is
//! dewatered into a product stockpile, and hub ships load it one at a time
//! (each sails when full, or with what there is once its maximum wait is
//! over), carry it to the mainland port and come back.

use std::collections::VecDeque;

use super::berths::Terminal;
use super::ore::Parcel;
use super::unit::{Core, impl_unit};
use super::{Event, Operation, SimError, TOL_T, Vessel};
use crate::engine::Simulation;
use crate::scenario;

/// Where a hub ship's time goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HubShipState {
    /// At the hub, waiting for a load (full, or part under the sailing
    /// rules) or the loader.
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

/// The hub's berths, product stockpile and loading point.
pub(super) struct Hub {
    pub terminal: Terminal,
    pub stockpile: Parcel,
    /// Water taken out of the mud so far, t.
    pub water_removed_t: f64,
    /// Dewatered product received so far, wet t.
    pub received_t: f64,
    loader_busy: bool,
    /// Hub ships waiting to load, in arrival order.
    waiting: VecDeque<usize>,
}

impl Hub {
    pub fn new(spec: &scenario::Hub) -> Self {
        Hub {
            terminal: Terminal::new(spec.berths),
            stockpile: Parcel::default(),
            water_removed_t: 0.0,
            received_t: 0.0,
            loader_busy: false,
            waiting: VecDeque::new(),
        }
    }
}

/// What a hub ship is physically doing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Activity {
    /// At the hub, waiting for a load and the loader; its timed event is
    /// the end of its maximum wait.
    Waiting,
    Loading,
    Sailing {
        to_port: bool,
    },
    /// At the port: waiting for a berth or unloading.
    AtPort,
}

/// One ship between the hub and the port.
pub(super) struct HubShip {
    activity: Activity,
    pub core: Core<HubShipState>,
    pub cargo: Parcel,
    /// Its maximum wait at the hub (`hub.max_wait_h`) is over: it loads
    /// what the stockpile holds.
    wait_over: bool,
}

impl_unit!(HubShip, HubShipState, |unit, token| Event::HubShip {
    unit,
    token
});

impl HubShip {
    /// A ship waiting at the hub from `now_h`.
    pub fn new(now_h: f64) -> Self {
        HubShip {
            activity: Activity::Waiting,
            core: Core::new(HubShipState::WaitingCargo, now_h),
            cargo: Parcel::default(),
            wait_over: false,
        }
    }
}

impl Operation {
    /// Every hub ship starts at the hub, waiting for a load.
    pub(super) fn start_hub_ships(&mut self, sim: &mut Simulation<Event>) -> Result<(), SimError> {
        for unit in 0..self.hub_ships.len() {
            self.hub_ship_waits(sim, unit)?;
        }
        Ok(())
    }

    /// Hub ship `unit` starts waiting at the hub for a load; its maximum
    /// wait, if any, runs from now.
    fn hub_ship_waits(&mut self, sim: &mut Simulation<Event>, unit: usize) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let ship = &mut self.hub_ships[unit];
        ship.activity = Activity::Waiting;
        ship.wait_over = false;
        self.hub_ships
            .set_state(unit, HubShipState::WaitingCargo, now_h);
        if let Some(hub) = self.hub.as_mut() {
            hub.waiting.push_back(unit);
        }
        match self.scenario.hub.as_ref().and_then(|h| h.max_wait_h) {
            Some(max_wait_h) => self.hub_ships.schedule(sim, unit, max_wait_h),
            None => Ok(()),
        }
    }

    /// Mud unloaded at the hub is dewatered into the product stockpile.
    pub(super) fn hub_receive(
        &mut self,
        sim: &mut Simulation<Event>,
        mut cargo: Parcel,
    ) -> Result<(), SimError> {
        let (Some(hub), Some(spec)) = (self.hub.as_mut(), self.scenario.hub.as_ref()) else {
            return Ok(());
        };
        hub.water_removed_t += cargo.dewater(spec.product_solids_fraction);
        hub.received_t += cargo.wet_t;
        hub.stockpile.absorb(cargo);
        self.load_hub_ship(sim)
    }

    /// The loader takes the first waiting ship once the stockpile holds a
    /// full load, or holds anything and either the ship's maximum wait is
    /// over or no more mud is coming (every mining system is out of service
    /// with nothing aboard, and so is every shuttle).
    pub(super) fn load_hub_ship(&mut self, sim: &mut Simulation<Event>) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let supply_ended = self.supply_ended();
        let (Some(hub), Some(spec)) = (self.hub.as_mut(), self.scenario.hub.as_ref()) else {
            return Ok(());
        };
        let Some(&unit) = hub.waiting.front() else {
            return Ok(());
        };
        let full = hub.stockpile.wet_t >= spec.ship_capacity_t - TOL_T;
        let part = (self.hub_ships[unit].wait_over || supply_ended) && hub.stockpile.wet_t > TOL_T;
        if hub.loader_busy || !(full || part) {
            return Ok(());
        }
        hub.waiting.pop_front();
        hub.loader_busy = true;
        let load = hub.stockpile.take(spec.ship_capacity_t);
        let duration_h = load.wet_t / spec.load_rate_t_per_h;
        let ship = &mut self.hub_ships[unit];
        ship.cargo = load;
        ship.activity = Activity::Loading;
        self.hub_ships.set_state(unit, HubShipState::Loading, now_h);
        self.hub_ships.schedule(sim, unit, duration_h)
    }

    fn hub_ship_sail(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
        to_port: bool,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        let Some(spec) = self.scenario.hub.as_ref() else {
            return Ok(());
        };
        let duration_h = spec.port_distance_nm / spec.ship_speed_kn;
        self.hub_ships[unit].activity = Activity::Sailing { to_port };
        self.hub_ships.set_state(unit, HubShipState::Transit, now_h);
        self.hub_ships.schedule(sim, unit, duration_h)
    }

    /// A hub ship's timed activity ended.
    pub(super) fn hub_ship_event(
        &mut self,
        sim: &mut Simulation<Event>,
        unit: usize,
    ) -> Result<(), SimError> {
        match self.hub_ships[unit].activity {
            Activity::Loading => {
                if let Some(hub) = self.hub.as_mut() {
                    hub.loader_busy = false;
                }
                self.hub_ship_sail(sim, unit, true)?;
                self.load_hub_ship(sim)
            }
            Activity::Sailing { to_port: true } => {
                self.hub_ships[unit].activity = Activity::AtPort;
                self.dock_arrive(sim, Vessel::HubShip(unit))
            }
            Activity::AtPort => {
                let cargo = std::mem::take(&mut self.hub_ships[unit].cargo);
                self.unloaded(sim, Vessel::HubShip(unit), cargo)?;
                self.hub_ship_sail(sim, unit, false)
            }
            Activity::Sailing { to_port: false } => {
                self.hub_ship_waits(sim, unit)?;
                self.load_hub_ship(sim)
            }
            Activity::Waiting => {
                self.hub_ships[unit].wait_over = true;
                self.load_hub_ship(sim)
            }
        }
    }
}
