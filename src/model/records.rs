//! What one replication produces: the year records, the shipment log, queue
//! statistics, time budgets and the mass balance.

use super::ore::Parcel;
use super::trace::Trace;
use super::weather::WorkLimit;
use crate::stats::budget::{QueueStats, TimeBudget};

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
    /// Of the exported REO, what was exported because it needs a purity
    /// home refining does not reach, t.
    pub reo_export_purity_t: f64,
    /// Typhoon warnings, failures and shipments unloaded.
    pub typhoons: u64,
    pub failures: u64,
    pub shipments: u64,
    /// Typhoon retrievals that could not have the string up before the
    /// typhoon arrived.
    pub typhoon_unfinished_retrievals: u64,
    /// Hours per calendar month (0 = January), and of those, for each
    /// operation of [`WorkLimit::ALL`] in its order, the hours with Hs below
    /// its limit and no typhoon alert.
    pub weather_h: [f64; 12],
    pub workable_h: [[f64; 12]; WorkLimit::ALL.len()],
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

    /// |imbalance| as a share of the mud lifted (of 1 t when less was
    /// lifted): rounding grows with the tonnage and the number of moves, so
    /// conservation is judged relative to it ([`MASS_TOLERANCE`]).
    pub fn relative_imbalance(&self) -> f64 {
        self.imbalance_t().abs() / self.lifted_t.max(1.0)
    }
}

/// The largest [`MassBalance::relative_imbalance`] that counts as mass
/// conserved: f64 rounding over ~10⁷ moves of a tonnage stays below it.
pub const MASS_TOLERANCE: f64 = 1e-9;

/// A queue's statistics over one replication.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueRecord {
    /// Time-averaged number waiting.
    pub mean_length: f64,
    /// Waits of the ships that left the queue, then the waits so far of
    /// those still in it at the horizon, h.
    pub waits_h: Vec<f64>,
    /// Ships still waiting at the horizon (the last of `waits_h`).
    pub censored: usize,
    /// Ships that left the queue unserved (retired, or sent back to port),
    /// among `waits_h`.
    pub unserved: usize,
}

impl QueueRecord {
    /// The record of `queue`, advanced to the horizon `horizon_h` with its
    /// censored waits counted.
    pub(super) fn of(queue: &QueueStats, horizon_h: f64) -> Self {
        QueueRecord {
            mean_length: queue.mean_length(horizon_h),
            waits_h: queue.waits_h().to_vec(),
            censored: queue.censored(),
            unserved: queue.unserved(),
        }
    }
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
    /// Dewatered product the hub received, wet t (0 without a hub).
    pub hub_received_t: f64,
    pub shipments: Vec<Shipment>,
    pub mass_balance: MassBalance,
    pub events: u64,
    /// Every unit's state changes, from [`super::run_replication_traced`].
    pub trace: Option<Trace>,
    /// The money, settled after the simulation, when the scenario has an
    /// `[economics]` section.
    pub money: Option<super::economics::Money>,
}

/// Adds `parcel` to the year records' delivered figures.
pub(super) fn book_delivery(year: &mut YearRecord, parcel: &Parcel, reo_t: f64) {
    year.delivered_wet_t += parcel.wet_t;
    year.delivered_dry_t += parcel.dry_t;
    year.delivered_rey_ppm_t += parcel.rey_ppm_t;
    year.delivered_reo_t += reo_t;
    year.shipments += 1;
}
