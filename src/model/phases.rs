//! Scale-up phases and learning curves: a phase's scenario takes over at its
//! start, adding or retiring mining systems and shuttles; Wright's law lowers
//! failure rates and raises tripping speed with cumulative lifting hours.

use super::fleet::Shuttle;
use super::lift::{self, MiningSystem};
use super::ore::{Assay, Seabed};
use super::port::Dock;
use super::streams::SystemStreams;
use super::weather::Limits;
use super::{Event, Operation, PlannedWork, SimError};
use crate::engine::Simulation;

impl Operation {
    /// A scale-up phase begins: its scenario takes over; mining systems and
    /// shuttles are added (mobilising now) or retired (after their current
    /// cycle) to match its counts.
    pub(super) fn start_phase(
        &mut self,
        sim: &mut Simulation<Event>,
        index: usize,
    ) -> Result<(), SimError> {
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
        self.fill_free_berths(sim, Dock::Port)?;

        let active: Vec<usize> = (0..self.systems.len())
            .filter(|&unit| !self.systems[unit].core.retiring)
            .collect();
        if ore_changed {
            // The phase's ore describes the seabed worked from now on.
            for &unit in &active {
                let system = &mut self.systems[unit];
                system.seabed = Seabed::new(&self.scenario.ore, &mut system.rng.ore);
            }
        }
        if previous.mining.failure != self.scenario.mining.failure {
            // New failure modes: every system's clocks are drawn afresh.
            let factor = self.failure_rate_factor();
            for unit in 0..self.systems.len() {
                if self.systems[unit].core.retired {
                    continue;
                }
                let system = &mut self.systems[unit];
                system.failure_left_h = self
                    .scenario
                    .mining
                    .failure
                    .iter()
                    .map(|mode| mode.tbf_h.sample(&mut system.rng.failures) / factor)
                    .collect();
            }
        }
        // New intervals apply from the last occurrence: the occurrence queued
        // under the old interval is moved (to now, if already past).
        let count = active.len().max(1) as f64;
        for work in PlannedWork::ALL {
            let was = work.periodic(&previous.mining);
            let now = work.periodic(&self.scenario.mining);
            if was.map(|p| p.interval_d) == now.map(|p| p.interval_d) {
                continue;
            }
            for (rank, &unit) in active.iter().enumerate() {
                let system = &mut self.systems[unit];
                match (was, now) {
                    (None, Some(periodic)) => {
                        let stagger = rank as f64 / count;
                        system.schedule_first_due(sim, unit, work, periodic, stagger)?;
                    }
                    _ => system.schedule_due(sim, unit, work, now)?,
                }
            }
        }
        // A new stay on site counts from the arrival of systems on site.
        if previous.mining.campaign_d != self.scenario.mining.campaign_d {
            for &unit in &active {
                if self.systems[unit].on_site {
                    let campaign_d = self.scenario.mining.campaign_d;
                    self.systems[unit].schedule_campaign_end(sim, unit, campaign_d)?;
                }
            }
        }
        let wanted = self.scenario.mining.systems as usize;
        let retiring: Vec<usize> = active
            .iter()
            .rev()
            .take(active.len().saturating_sub(wanted))
            .copied()
            .collect();
        // A system in port after its last trip sails again if the phase
        // allows more trips, unless the phase retires it.
        for &unit in active.iter().filter(|unit| !retiring.contains(unit)) {
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
        for _ in active.len()..wanted {
            let factor = self.failure_rate_factor();
            let streams = SystemStreams::new(self.seed, self.replication, self.systems.len());
            let system = MiningSystem::new(&self.scenario, sim.now().hours(), streams, factor);
            let unit = self.systems.push(system);
            self.start_system(sim, unit)?;
        }
        for unit in retiring {
            self.retire_system(sim, unit)?;
        }

        let active: Vec<usize> = (0..self.shuttles.len())
            .filter(|&unit| !self.shuttles[unit].core.retiring)
            .collect();
        let wanted = self.scenario.fleet.shuttles as usize;
        let added = wanted.saturating_sub(active.len());
        for rank in 0..added {
            let unit = self.shuttles.push(Shuttle::new(sim.now().hours()));
            self.start_shuttle_staggered(sim, unit, rank, added)?;
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
                    self.shuttles.schedule(sim, unit, 0.0)?;
                }
            }
        }
        // New limits, capacities and rates apply to every unit's next decision.
        self.weather_changed(sim, Limits::ALL)
    }

    /// The learning-curve factor on failure rates now.
    pub(super) fn failure_rate_factor(&self) -> f64 {
        let learning = &self.scenario.learning;
        learning.multiplier(learning.failure_progress_ratio, self.operating_h)
    }

    /// The learning-curve factor on the time to trip a metre of pipe now.
    pub(super) fn trip_time_factor(&self) -> f64 {
        let learning = &self.scenario.learning;
        learning.multiplier(learning.trip_progress_ratio, self.operating_h)
    }
}
