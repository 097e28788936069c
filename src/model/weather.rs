//! Site weather, shared by every unit: significant wave height as a seasonal
//! AR(1) process in log space at a fixed step, and typhoons as a Poisson
//! process with monthly rates, each announced a lead time ahead.
//!
//! The sea state is not an event per step. A replication's series is drawn
//! ahead, a chunk at a time, from its weather stream, in the same
//! chronological order of steps and typhoons as stepping it would draw them;
//! the model asks when Hs next crosses one of its operating limits and
//! schedules a single event there. Typhoon warnings and alert ends stay
//! events. Comparisons are made in log space against each month's limits,
//! so no step needs an `exp`.

use std::collections::VecDeque;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use crate::engine::{Generation, HOURS_PER_YEAR};
use crate::scenario;

/// Hours in a model month: twelve equal months of a 365-day year.
pub const HOURS_PER_MONTH: f64 = HOURS_PER_YEAR / 12.0;

/// Steps drawn ahead in one search for the next crossing; a search that
/// finds none asks to be continued at the last step it looked at, so the
/// series held in memory stays bounded whatever the horizon.
const SEARCH_STEPS: usize = 2_920;

/// Steps drawn at a time while searching (the search scans them in place).
const DRAW_CHUNK: u64 = 32;

/// Half-width, in log metres, of the band around a limit inside which a
/// step's Hs is compared with the limit in metres (`exp`), so that the log
/// comparison never decides differently from `Hs < limit`.
const LOG_EXACT_BAND: f64 = 1e-9;

/// Whether Hs is below `limit_m`, given ln Hs and ln of the limit: in log
/// space, except within [`LOG_EXACT_BAND`] of the limit, where the metres
/// decide, as `exp(ln Hs) < limit` always did.
#[inline]
fn below(log_hs: f64, limit_m: f64, ln_limit: f64) -> bool {
    let gap = log_hs - ln_limit;
    if gap.abs() <= LOG_EXACT_BAND {
        below_in_metres(log_hs, limit_m)
    } else {
        gap < 0.0
    }
}

/// `Hs < limit` in metres: rarely needed, and kept out of line so that the
/// compiler does not compute the `exp` on every comparison (it did: 2–3% of
/// a replication's time went to `exp`s whose result was thrown away).
#[cold]
#[inline(never)]
fn below_in_metres(log_hs: f64, limit_m: f64) -> bool {
    log_hs.exp() < limit_m
}

/// One weather step: when it starts and its standardised log-Hs anomaly.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    pub index: u64,
    pub t_h: f64,
    /// z, N(0, 1) at stationarity: ln Hs = ln median_m + sd_m z.
    pub z: f64,
    /// The calendar month (0 = January) and ln Hs, m, of the step.
    pub month0: usize,
    pub log_hs: f64,
}

/// A typhoon as drawn: its warning time, its passage duration after the
/// lead time, and the next warning (drawn right after it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Typhoon {
    pub warning_h: f64,
    pub duration_h: f64,
    pub next_warning_h: Option<f64>,
}

/// The operating limits the sea state is compared with, m: trip, lift,
/// survival, transfer; a set of them is a bit mask ([`Limits::TRIP`], …).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits(pub [f64; 4]);

impl Limits {
    pub const TRIP: u8 = 1;
    pub const LIFT: u8 = 2;
    pub const SURVIVAL: u8 = 4;
    pub const TRANSFER: u8 = 8;
    /// Every limit: what a typhoon alert or a phase may change.
    pub const ALL: u8 = 15;
}

/// The operations whose weather downtime is reported by calendar month,
/// each by the limit it obeys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkLimit {
    /// Tripping pipe in or out: `mining.hs_limit_trip_m`.
    Trip,
    /// Lifting: `mining.hs_limit_lift_m`.
    Lift,
    /// Ship-to-ship transfer: `fleet.hs_limit_transfer_m`.
    Transfer,
}

impl WorkLimit {
    /// Every one, in reporting order.
    pub const ALL: [WorkLimit; 3] = [WorkLimit::Trip, WorkLimit::Lift, WorkLimit::Transfer];

    /// Its name in output files.
    pub fn name(self) -> &'static str {
        match self {
            WorkLimit::Trip => "trip",
            WorkLimit::Lift => "lift",
            WorkLimit::Transfer => "transfer",
        }
    }

    /// Its limit's bit in [`Limits`].
    pub fn bit(self) -> u8 {
        match self {
            WorkLimit::Trip => Limits::TRIP,
            WorkLimit::Lift => Limits::LIFT,
            WorkLimit::Transfer => Limits::TRANSFER,
        }
    }
}

/// The calendar month (0 = January) at `t_h` for a run starting in month
/// `start_month0`.
fn month_at(start_month0: usize, t_h: f64) -> usize {
    (start_month0 + (t_h / HOURS_PER_MONTH) as usize) % 12
}

/// Draws the weather stream in chronological order: each typhoon (its
/// duration, then the time of the next) before the first step after its
/// warning, each step's innovation in turn.
struct Draws {
    rng: ChaCha8Rng,
    start_month0: usize,
    ln_median: [f64; 12],
    log_sd: [f64; 12],
    step_h: f64,
    phi: f64,
    innovation_sd: f64,
    typhoon_per_hour: [f64; 12],
    duration_h: scenario::Dist,
    last: Step,
    next_warning_h: Option<f64>,
}

impl Draws {
    /// The step `index` starting at `t_h` with anomaly `z`.
    fn step(&self, index: u64, t_h: f64, z: f64) -> Step {
        let month0 = month_at(self.start_month0, t_h);
        Step {
            index,
            t_h,
            z,
            month0,
            log_hs: self.ln_median[month0] + self.log_sd[month0] * z,
        }
    }

    /// Draws the time of the next typhoon warning after `now_h`, by
    /// inversion of the cumulative hazard of a Poisson process whose rate is
    /// constant within each month; `None` if every monthly rate is zero.
    fn next_warning_after(&mut self, now_h: f64) -> Option<f64> {
        if self.typhoon_per_hour.iter().all(|&rate| rate <= 0.0) {
            return None;
        }
        let u: f64 = self.rng.random();
        let mut hazard = -(1.0 - u).ln();
        let mut t = now_h;
        loop {
            let month_end = ((t / HOURS_PER_MONTH).floor() + 1.0) * HOURS_PER_MONTH;
            let rate = self.typhoon_per_hour[month_at(self.start_month0, t)];
            let span_h = month_end - t;
            if rate * span_h >= hazard {
                return Some(t + hazard / rate);
            }
            hazard -= rate * span_h;
            t = month_end;
        }
    }

    /// Draws the next step, first drawing every typhoon warned before it
    /// into `typhoons`: z ← φ z + √(1 − φ²) ε.
    fn next_step(&mut self, typhoons: &mut VecDeque<Typhoon>) -> Step {
        let t_h = self.last.t_h + self.step_h;
        while let Some(warning_h) = self.next_warning_h.filter(|&w| w < t_h) {
            let duration_h = self.duration_h.sample(&mut self.rng);
            self.next_warning_h = self.next_warning_after(warning_h);
            typhoons.push_back(Typhoon {
                warning_h,
                duration_h,
                next_warning_h: self.next_warning_h,
            });
        }
        let innovation: f64 = self.rng.sample(StandardNormal);
        let z = self.phi * self.last.z + self.innovation_sd * innovation;
        self.last = self.step(self.last.index + 1, t_h, z);
        self.last
    }
}

/// Where the next change of sea state relevant to the operation lies.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Change {
    /// Hs crosses the limits `crossed` (bits of [`Limits`]) at this step.
    Crossing { step: Step, crossed: u8 },
    /// No crossing up to this step; search on from it then.
    SearchOn(Step),
}

/// The state of the sea and the typhoon alert at the site.
pub struct Weather {
    draws: Draws,
    /// The limits last searched or booked against, with their logarithms.
    ln_limits: (Limits, [f64; 4]),
    /// Drawn steps from the first not yet booked to the end of the last search.
    ahead: VecDeque<Step>,
    /// The last step booked (the latest step before the last booking time).
    last_booked: Step,
    /// Drawn typhoons not yet warned.
    typhoons: VecDeque<Typhoon>,
    /// The step whose Hs the units see: the last crossing applied (steps
    /// after it, up to now, are on the same side of every limit).
    current: Step,
    hs_m: f64,
    /// Lead time of a typhoon warning before its passage, h.
    warning_lead_h: f64,
    /// End of the current typhoon alert (warning through passage).
    alert_until_h: f64,
    /// When the typhoon of the current alert arrives (the end of its lead time).
    arrival_h: f64,
    alert: bool,
    /// Cancels a scheduled alert end when a second typhoon extends it.
    pub(crate) alert_generation: Generation,
    /// Cancels a scheduled sea-state change when the limits change.
    pub(crate) change_generation: Generation,
}

impl Weather {
    /// The weather of one replication, drawing from its weather stream.
    pub fn new(spec: &scenario::Weather, start_month: u32, mut rng: ChaCha8Rng) -> Self {
        let ln_median = std::array::from_fn(|m| spec.hs_median_m.month(m).ln());
        let log_sd = std::array::from_fn(|m| spec.hs_log_sd.month(m));
        let typhoon_per_hour =
            std::array::from_fn(|m| spec.typhoon_rate_per_month.month(m) / HOURS_PER_MONTH);
        let phi = spec.hs_lag1_autocorrelation;
        let z0: f64 = rng.sample(StandardNormal);
        let mut draws = Draws {
            rng,
            start_month0: (start_month.clamp(1, 12) - 1) as usize,
            ln_median,
            log_sd,
            step_h: spec.step_h,
            phi,
            innovation_sd: (1.0 - phi * phi).sqrt(),
            typhoon_per_hour,
            duration_h: spec.typhoon_duration_h.clone(),
            last: Step {
                index: 0,
                t_h: 0.0,
                z: z0,
                month0: 0,
                log_hs: 0.0,
            },
            next_warning_h: None,
        };
        let first = draws.step(0, 0.0, z0);
        draws.last = first;
        draws.next_warning_h = draws.next_warning_after(0.0);
        let mut weather = Weather {
            draws,
            ln_limits: (Limits([f64::NAN; 4]), [f64::NAN; 4]),
            ahead: VecDeque::from([first]),
            last_booked: first,
            typhoons: VecDeque::new(),
            current: first,
            hs_m: 0.0,
            warning_lead_h: spec.typhoon_warning_h,
            alert_until_h: 0.0,
            arrival_h: 0.0,
            alert: false,
            alert_generation: Generation::default(),
            change_generation: Generation::default(),
        };
        weather.hs_m = weather.hs_of(first);
        weather
    }

    /// The calendar month (0 = January) at time `t_h`.
    pub fn month0(&self, t_h: f64) -> usize {
        month_at(self.draws.start_month0, t_h)
    }

    /// The significant wave height the units see now, m.
    pub fn hs_m(&self) -> f64 {
        self.hs_m
    }

    /// Whether a typhoon alert is on: nothing at the site operates.
    pub fn stormbound(&self) -> bool {
        self.alert
    }

    /// When the typhoon of the alert on arrives at the site (its warning
    /// plus the lead time; the first one's, when alerts overlap).
    pub fn typhoon_arrival_h(&self) -> Option<f64> {
        self.alert.then_some(self.arrival_h)
    }

    /// The end of the typhoon alert on now, if one is (a later warning may
    /// extend it).
    pub fn alert_until_h(&self) -> Option<f64> {
        self.alert.then_some(self.alert_until_h)
    }

    /// The first typhoon warning of the replication, if typhoons occur.
    pub fn first_warning_h(&self) -> Option<f64> {
        self.typhoons
            .front()
            .map(|typhoon| typhoon.warning_h)
            .or(self.draws.next_warning_h)
    }

    fn hs_of(&self, step: Step) -> f64 {
        step.log_hs.exp()
    }

    /// Which limits Hs of `step` is below, as a bit mask (bit i: limit i).
    fn below_mask(&self, step: Step, limits: &Limits, ln_limits: &[f64; 4]) -> u8 {
        let mut mask = 0;
        for (i, (&limit, &ln_limit)) in limits.0.iter().zip(ln_limits).enumerate() {
            mask |= u8::from(below(step.log_hs, limit, ln_limit)) << i;
        }
        mask
    }

    /// Draws the steps up to index `index` into `ahead` (with the typhoons
    /// warned before them); returns the index of `ahead`'s first step.
    fn draw_through(&mut self, index: u64) -> u64 {
        while self.draws.last.index < index {
            let step = self.draws.next_step(&mut self.typhoons);
            self.ahead.push_back(step);
        }
        // `ahead` holds consecutive steps ending with the last one drawn.
        self.draws.last.index + 1 - self.ahead.len() as u64
    }

    /// The drawn step with index `index`, at or after the first not yet
    /// booked (drawing ahead as needed).
    fn step_at(&mut self, index: u64) -> Step {
        let front = self.draw_through(index);
        self.ahead[(index - front) as usize]
    }

    /// Finds the first step after `from` (at most [`SEARCH_STEPS`] ahead,
    /// and before `horizon_h`) at which Hs crosses one of `limits`, relative
    /// to the step the units see now.
    pub fn next_change(&mut self, from: Step, limits: &Limits, horizon_h: f64) -> Option<Change> {
        let ln_limits = self.ln_of(limits);
        let seen = self.below_mask(self.current, limits, &ln_limits);
        let last_index = from.index + SEARCH_STEPS as u64;
        let mut index = from.index + 1;
        let mut last = from;
        while index <= last_index {
            // Draw a few steps at a time, then scan them in place. Drawing
            // ahead of the crossing changes no value: the stream is the
            // weather's own, and its draws keep their order.
            let want = last_index.min(index + DRAW_CHUNK - 1);
            let front = self.draw_through(want);
            let range = (index - front) as usize..=(want - front) as usize;
            for &step in self.ahead.range(range) {
                if step.t_h >= horizon_h {
                    return None;
                }
                let below = self.below_mask(step, limits, &ln_limits);
                if below != seen {
                    let crossed = below ^ seen;
                    return Some(Change::Crossing { step, crossed });
                }
                last = step;
            }
            index = want + 1;
        }
        Some(Change::SearchOn(last))
    }

    /// The logarithms of `limits`, computed when they change.
    fn ln_of(&mut self, limits: &Limits) -> [f64; 4] {
        if self.ln_limits.0 != *limits {
            self.ln_limits = (*limits, limits.0.map(f64::ln));
        }
        self.ln_limits.1
    }

    /// The step the units see now.
    pub fn current(&self) -> Step {
        self.current
    }

    /// The units see the sea state of `step` from now on.
    pub fn apply(&mut self, step: Step) {
        self.current = step;
        self.hs_m = self.hs_of(step);
    }

    /// The units see the latest step booked: used when the limits change, so
    /// that the next change is searched for against the new limits from the
    /// sea state of now.
    pub fn apply_latest_booked(&mut self) {
        self.apply(self.last_booked);
    }

    /// Books every step starting before `until_h` (and the horizon) not yet
    /// booked: `book(t_h, month, hours, workable)`, where `workable` has
    /// the bits of the `limits` Hs is below ([`Limits`]), none during a
    /// typhoon alert.
    pub fn book_until(
        &mut self,
        until_h: f64,
        horizon_h: f64,
        limits: &Limits,
        mut book: impl FnMut(f64, usize, f64, u8),
    ) {
        let end_h = until_h.min(horizon_h);
        // Most events fall within a step already booked: nothing to do.
        if self.ahead.front().is_some_and(|step| step.t_h >= end_h) {
            return;
        }
        let ln_limits = self.ln_of(limits);
        loop {
            let step = match self.ahead.front() {
                Some(&step) => step,
                None => self.step_at(self.draws.last.index + 1),
            };
            if step.t_h >= end_h {
                return;
            }
            self.ahead.pop_front();
            let hours = self.draws.step_h.min(horizon_h - step.t_h);
            let workable = if self.alert {
                0
            } else {
                self.below_mask(step, limits, &ln_limits)
            };
            book(step.t_h, step.month0, hours, workable);
            self.last_booked = step;
        }
    }

    /// The typhoon warned at `now_h`: the alert lasts through the lead time
    /// and the drawn duration, extending any alert already on. Returns the
    /// alert's end and the next warning.
    pub fn warn(&mut self, now_h: f64) -> (f64, Option<f64>) {
        while self.typhoons.is_empty() {
            self.draw_through(self.draws.last.index + 1);
        }
        let Some(typhoon) = self.typhoons.pop_front() else {
            return (now_h, None);
        };
        debug_assert_eq!(typhoon.warning_h, now_h, "typhoons warn in order");
        let end = now_h + self.warning_lead_h + typhoon.duration_h;
        self.alert_until_h = if self.alert {
            self.alert_until_h.max(end)
        } else {
            self.arrival_h = now_h + self.warning_lead_h;
            end
        };
        self.alert = true;
        (self.alert_until_h, typhoon.next_warning_h)
    }

    /// Ends the typhoon alert.
    pub fn clear_alert(&mut self) {
        self.alert = false;
    }
}
