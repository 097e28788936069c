//! The port: berths where vessels unload (first come, first served), the
//! stockpile, and the processing plant that turns dry mud into rare-earth
//! oxide, refined at home up to a capacity and exported beyond it.

use std::collections::VecDeque;

use rand::RngExt;

use super::ore::Parcel;
use super::{Event, Operation, ShuttleState, SimError, SystemState, Vessel};
use crate::engine::Simulation;
use crate::scenario;
use crate::stats::budget::QueueStats;

/// Berths, their queue, the stockpile and the year's home refining.
pub(super) struct Port {
    berths: usize,
    busy: usize,
    waiting: VecDeque<(Vessel, f64)>,
    pub queue: QueueStats,
    pub stockpile: Parcel,
}

impl Port {
    pub fn new(spec: &scenario::Port) -> Self {
        Port {
            berths: spec.berths as usize,
            busy: 0,
            waiting: VecDeque::new(),
            queue: QueueStats::default(),
            stockpile: Parcel::default(),
        }
    }
}

impl Port {
    /// Changes the number of berths (a phase); vessels unloading finish.
    pub fn set_berths(&mut self, berths: usize) {
        self.berths = berths;
    }

    /// Whether a free berth and a waiting vessel meet.
    pub fn can_start_unloading(&self) -> bool {
        self.busy < self.berths && !self.waiting.is_empty()
    }
}

impl Operation {
    /// A loaded vessel arrives: unload at a free berth, or queue.
    pub(super) fn port_arrive(
        &mut self,
        sim: &mut Simulation<Event>,
        vessel: Vessel,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        if self.port.busy < self.port.berths {
            self.port.queue.pass();
            return self.start_unloading(sim, vessel);
        }
        self.port.waiting.push_back((vessel, now_h));
        self.port.queue.join(now_h);
        match vessel {
            Vessel::System(unit) => self.set_system_state(unit, SystemState::PortQueue, now_h),
            Vessel::Shuttle(unit) => self.set_shuttle_state(unit, ShuttleState::PortQueue, now_h),
        }
        Ok(())
    }

    fn start_unloading(
        &mut self,
        sim: &mut Simulation<Event>,
        vessel: Vessel,
    ) -> Result<(), SimError> {
        let now_h = sim.now().hours();
        self.port.busy += 1;
        let rate = self.scenario.port.unload_rate_t_per_h;
        match vessel {
            Vessel::System(unit) => {
                let duration_h = self.systems[unit].buffer.wet_t / rate;
                self.set_system_state(unit, SystemState::Unloading, now_h);
                self.schedule_system(sim, unit, duration_h)?;
            }
            Vessel::Shuttle(unit) => {
                let duration_h = self.shuttles[unit].cargo.wet_t / rate;
                self.set_shuttle_state(unit, ShuttleState::Unloading, now_h);
                self.schedule_shuttle(sim, unit, duration_h)?;
            }
        }
        Ok(())
    }

    /// A berth is free: the first vessel waiting starts unloading.
    pub(super) fn berth_freed(&mut self, sim: &mut Simulation<Event>) -> Result<(), SimError> {
        self.port.busy -= 1;
        if self.port.can_start_unloading() {
            self.berth_taken_by_next(sim)?;
        }
        Ok(())
    }

    /// The first vessel waiting takes a free berth.
    pub(super) fn berth_taken_by_next(
        &mut self,
        sim: &mut Simulation<Event>,
    ) -> Result<(), SimError> {
        if let Some((vessel, joined_h)) = self.port.waiting.pop_front() {
            self.port.queue.leave(sim.now().hours(), joined_h);
            self.start_unloading(sim, vessel)?;
        }
        Ok(())
    }

    /// The plant's daily run: with probability `plant_availability` it
    /// processes up to its daily capacity of dry mud from the stockpile.
    pub(super) fn plant_day(&mut self, now_h: f64) {
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
