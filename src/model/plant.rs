//! The processing plant at the port, which turns dry mud from the stockpile
//! into rare-earth oxide once a day, and the refining of that oxide at home
//! (up to a yearly capacity) or abroad.

use rand::RngExt;

use super::Operation;

/// Hours per day: the plant runs once a day.
const HOURS_PER_DAY: f64 = 24.0;

/// The plant's calendar: its days are run when something they depend on
/// changes, not as events.
pub(super) struct Plant {
    /// When the next daily run falls, h (every 24 h from 24 h).
    next_day_h: f64,
}

impl Plant {
    pub fn new() -> Self {
        Plant {
            next_day_h: HOURS_PER_DAY,
        }
    }
}

/// The share of `reo_t` refined at home, t: up to what is left of the
/// year's home capacity after `refined_t` already refined this year; the
/// rest is exported for refining.
fn refined_at_home_t(reo_t: f64, capacity_t_per_y: f64, refined_t: f64) -> f64 {
    reo_t.min((capacity_t_per_y - refined_t).max(0.0))
}

impl Operation {
    /// Runs the plant's days due before `now_h` (and the horizon), or at it
    /// too when `inclusive`: the plant is settled when something it depends
    /// on changes (a delivery, a draw from the logistics stream it shares, a
    /// phase, the horizon), with the same daily arithmetic as a daily event.
    pub(super) fn settle_plant(&mut self, now_h: f64, inclusive: bool) {
        loop {
            let day_h = self.plant.next_day_h;
            let due = if inclusive {
                day_h <= now_h
            } else {
                day_h < now_h
            };
            if !due || day_h >= self.horizon_h {
                return;
            }
            self.plant_day(day_h);
            self.plant.next_day_h = day_h + HOURS_PER_DAY;
        }
    }

    /// The plant's daily run: with probability `plant_availability` it
    /// processes up to its daily capacity of dry mud from the stockpile.
    fn plant_day(&mut self, now_h: f64) {
        let port = &self.scenario.port;
        let u: f64 = self.plant_rng.random();
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
        let refining = &self.scenario.refining;
        let purity_t = reo_t * refining.purity_export_share();
        let home_t = refined_at_home_t(
            reo_t - purity_t,
            refining.home_capacity_reo_t_per_y,
            record.reo_home_t,
        );
        record.processed_dry_t += feed.dry_t;
        record.reo_heavy_t += reo_t * self.assay.heavy_share();
        record.reo_light_t += reo_t * (1.0 - self.assay.heavy_share());
        record.reo_home_t += home_t;
        record.reo_export_t += reo_t - home_t;
        record.reo_export_purity_t += purity_t;
    }
}
