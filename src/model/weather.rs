//! Site weather, shared by every unit: significant wave height as a seasonal
//! AR(1) process in log space at a fixed step, and typhoons as a Poisson
//! process with monthly rates, each announced a lead time ahead.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use crate::engine::{Generation, HOURS_PER_YEAR};
use crate::scenario;

/// Hours in a model month: twelve equal months of a 365-day year.
pub const HOURS_PER_MONTH: f64 = HOURS_PER_YEAR / 12.0;

/// The state of the sea and the typhoon alert at the site.
pub struct Weather {
    start_month0: usize,
    step_h: f64,
    ln_median: [f64; 12],
    log_sd: [f64; 12],
    phi: f64,
    innovation_sd: f64,
    typhoon_per_hour: [f64; 12],
    warning_h: f64,
    duration_h: scenario::Dist,
    rng: ChaCha8Rng,
    /// The standardised log-Hs anomaly, N(0, 1) at stationarity.
    anomaly: f64,
    hs_m: f64,
    /// End of the current typhoon alert (warning through passage); the site
    /// is stormbound while `now < alert_until_h` and an alert is on.
    alert_until_h: f64,
    alert: bool,
    /// Cancels a scheduled alert end when a second typhoon extends it.
    pub(crate) alert_generation: Generation,
    typhoons: u64,
}

impl Weather {
    /// The weather of one replication, drawing from its weather stream.
    pub fn new(spec: &scenario::Weather, start_month: u32, mut rng: ChaCha8Rng) -> Self {
        let ln_median = std::array::from_fn(|m| spec.hs_median_m.month(m).ln());
        let log_sd = std::array::from_fn(|m| spec.hs_log_sd.month(m));
        let typhoon_per_hour =
            std::array::from_fn(|m| spec.typhoon_rate_per_month.month(m) / HOURS_PER_MONTH);
        let phi = spec.hs_lag1_autocorrelation;
        let anomaly: f64 = rng.sample(StandardNormal);
        let mut weather = Weather {
            start_month0: (start_month.clamp(1, 12) - 1) as usize,
            step_h: spec.step_h,
            ln_median,
            log_sd,
            phi,
            innovation_sd: (1.0 - phi * phi).sqrt(),
            typhoon_per_hour,
            warning_h: spec.typhoon_warning_h,
            duration_h: spec.typhoon_duration_h.clone(),
            rng,
            anomaly,
            hs_m: 0.0,
            alert_until_h: 0.0,
            alert: false,
            alert_generation: Generation::default(),
            typhoons: 0,
        };
        weather.hs_m = weather.hs_at(0.0);
        weather
    }

    /// The calendar month (0 = January) at time `t_h`.
    pub fn month0(&self, t_h: f64) -> usize {
        (self.start_month0 + (t_h / HOURS_PER_MONTH) as usize) % 12
    }

    /// The weather step in hours.
    pub fn step_h(&self) -> f64 {
        self.step_h
    }

    /// The current significant wave height, m.
    pub fn hs_m(&self) -> f64 {
        self.hs_m
    }

    /// Whether a typhoon alert is on: nothing at the site operates.
    pub fn stormbound(&self) -> bool {
        self.alert
    }

    /// Typhoon warnings issued so far.
    pub fn typhoons(&self) -> u64 {
        self.typhoons
    }

    fn hs_at(&self, t_h: f64) -> f64 {
        let m = self.month0(t_h);
        (self.ln_median[m] + self.log_sd[m] * self.anomaly).exp()
    }

    /// Advances the sea state by one step ending at `now_h`:
    /// z ← φ z + √(1 − φ²) ε, Hs = exp(ln median_m + sd_m z).
    pub fn step(&mut self, now_h: f64) {
        let innovation: f64 = self.rng.sample(StandardNormal);
        self.anomaly = self.phi * self.anomaly + self.innovation_sd * innovation;
        self.hs_m = self.hs_at(now_h);
    }

    /// The time of the next typhoon warning after `now_h`, by inversion of
    /// the cumulative hazard of a Poisson process whose rate is constant
    /// within each month; `None` if every monthly rate is zero.
    pub fn next_typhoon_h(&mut self, now_h: f64) -> Option<f64> {
        if self.typhoon_per_hour.iter().all(|&rate| rate <= 0.0) {
            return None;
        }
        let u: f64 = self.rng.random();
        let mut hazard = -(1.0 - u).ln();
        let mut t = now_h;
        loop {
            let month_end = ((t / HOURS_PER_MONTH).floor() + 1.0) * HOURS_PER_MONTH;
            let rate = self.typhoon_per_hour[self.month0(t)];
            let span_h = month_end - t;
            if rate * span_h >= hazard {
                return Some(t + hazard / rate);
            }
            hazard -= rate * span_h;
            t = month_end;
        }
    }

    /// A typhoon warning at `now_h`: the alert lasts through the lead time
    /// and the drawn duration, extending any alert already on. Returns the
    /// alert's end.
    pub fn warn(&mut self, now_h: f64) -> f64 {
        self.typhoons += 1;
        let duration_h = self.duration_h.sample(&mut self.rng);
        let end = now_h + self.warning_h + duration_h;
        self.alert_until_h = if self.alert {
            self.alert_until_h.max(end)
        } else {
            end
        };
        self.alert = true;
        self.alert_until_h
    }

    /// Ends the typhoon alert.
    pub fn clear_alert(&mut self) {
        self.alert = false;
    }
}
