//! Time budgets: hours spent in each state, per simulated year, and
//! time-weighted queue statistics.

use crate::engine::HOURS_PER_YEAR;

/// Hours per state per simulated year, for a group of units. States are
/// indices `0..states` chosen by the model; an interval that spans a year
/// boundary is split between the years.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeBudget {
    states: usize,
    /// `hours[year * states + state]`.
    hours: Vec<f64>,
}

impl TimeBudget {
    /// An empty budget over `years` years (the last may be partial).
    pub fn new(states: usize, years: usize) -> Self {
        TimeBudget {
            states,
            hours: vec![0.0; states * years],
        }
    }

    /// The number of years covered.
    pub fn years(&self) -> usize {
        self.hours.len().checked_div(self.states).unwrap_or(0)
    }

    /// The number of states.
    pub fn states(&self) -> usize {
        self.states
    }

    /// Adds another budget's hours, state by state and year by year (the
    /// years both cover).
    pub fn merge(&mut self, other: &TimeBudget) {
        if self.states == other.states {
            for (mine, theirs) in self.hours.iter_mut().zip(&other.hours) {
                *mine += theirs;
            }
        }
    }

    /// Books the interval [`from_h`, `to_h`) to `state`, split by year.
    /// Time beyond the last year is ignored.
    pub fn add(&mut self, state: usize, from_h: f64, to_h: f64) {
        let years = self.years();
        let mut start = from_h;
        while start < to_h {
            let year = (start / HOURS_PER_YEAR) as usize;
            if year >= years {
                return;
            }
            let year_end = (year + 1) as f64 * HOURS_PER_YEAR;
            let end = to_h.min(year_end);
            self.hours[year * self.states + state] += end - start;
            start = end;
        }
    }

    /// Hours in `state` during `year`.
    pub fn hours(&self, year: usize, state: usize) -> f64 {
        self.hours[year * self.states + state]
    }

    /// Hours in `state` over all years.
    pub fn total(&self, state: usize) -> f64 {
        (0..self.years()).map(|year| self.hours(year, state)).sum()
    }
}

/// A unit's current state and since when; every change of state books the
/// time spent in the old one to a [`TimeBudget`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StateClock<S> {
    state: S,
    since_h: f64,
}

impl<S: Copy + PartialEq + Into<usize>> StateClock<S> {
    /// In `state` from `now_h`.
    pub fn new(state: S, now_h: f64) -> Self {
        StateClock {
            state,
            since_h: now_h,
        }
    }

    /// The current state.
    pub fn state(&self) -> S {
        self.state
    }

    /// When the current state was entered, h.
    pub fn since_h(&self) -> f64 {
        self.since_h
    }

    /// Books the time since the last change to the current state, then
    /// enters `state` (nothing happens if it is the current one).
    pub fn enter(&mut self, budget: &mut TimeBudget, state: S, now_h: f64) {
        if self.state != state {
            self.close(budget, now_h);
            self.state = state;
            self.since_h = now_h;
        }
    }

    /// Books the time from the last change up to `now_h` (at the horizon).
    pub fn close(&self, budget: &mut TimeBudget, now_h: f64) {
        budget.add(self.state.into(), self.since_h, now_h);
    }
}

/// A queue's time-weighted length and the waits of the entities that left
/// it, and of those still in it at the horizon (censored: their wait so
/// far). With every entity's wait counted, L = λW holds exactly over
/// [0, H]: Σ waits = ∫ length dt.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueueStats {
    length: usize,
    last_change_h: f64,
    length_area: f64,
    waits_h: Vec<f64>,
    censored: usize,
    unserved: usize,
}

impl QueueStats {
    /// One entity joins the queue at `now_h`.
    pub fn join(&mut self, now_h: f64) {
        self.advance(now_h);
        self.length += 1;
    }

    /// One entity that joined at `joined_h` leaves the queue at `now_h`.
    pub fn leave(&mut self, now_h: f64, joined_h: f64) {
        self.advance(now_h);
        self.length = self.length.saturating_sub(1);
        self.waits_h.push(now_h - joined_h);
    }

    /// One entity is served on arrival: a wait of zero.
    pub fn pass(&mut self) {
        self.waits_h.push(0.0);
    }

    /// One entity leaves the queue at `now_h` unserved, for another queue
    /// counted here: its wait goes on there, and is counted once, when it
    /// ends.
    pub fn step_out(&mut self, now_h: f64) {
        self.advance(now_h);
        self.length = self.length.saturating_sub(1);
    }

    /// One entity that stepped out of another queue counted here after
    /// waiting `wait_h` is served on arrival.
    pub fn pass_after(&mut self, wait_h: f64) {
        self.waits_h.push(wait_h);
    }

    /// One entity that stepped out after waiting `wait_h` gives up
    /// unserved: its wait is counted, it is not a ship served.
    pub fn abandon(&mut self, wait_h: f64) {
        self.waits_h.push(wait_h);
        self.unserved += 1;
    }

    /// One entity that joined at `joined_h` is still waiting at the
    /// horizon `horizon_h`: its wait so far is counted, as censored.
    pub fn censor(&mut self, horizon_h: f64, joined_h: f64) {
        self.waits_h.push(horizon_h - joined_h);
        self.censored += 1;
    }

    /// Entities still waiting at the horizon, among [`Self::waits_h`].
    pub fn censored(&self) -> usize {
        self.censored
    }

    /// Entities that left unserved, among [`Self::waits_h`].
    pub fn unserved(&self) -> usize {
        self.unserved
    }

    /// Integrates the length up to `now_h`.
    pub fn advance(&mut self, now_h: f64) {
        self.length_area += self.length as f64 * (now_h - self.last_change_h);
        self.last_change_h = now_h;
    }

    /// The time-average length over [0, `horizon_h`], after `advance(horizon_h)`.
    pub fn mean_length(&self, horizon_h: f64) -> f64 {
        if horizon_h > 0.0 {
            self.length_area / horizon_h
        } else {
            0.0
        }
    }

    /// Waits of every entity served or gone unserved, in the order they
    /// ended (zero for those served on arrival), then the censored waits of
    /// those still waiting.
    pub fn waits_h(&self) -> &[f64] {
        &self.waits_h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interval_across_a_year_boundary_is_split() {
        let mut budget = TimeBudget::new(2, 2);
        budget.add(1, 8_700.0, 8_800.0);
        assert_eq!(budget.hours(0, 1), 60.0);
        assert_eq!(budget.hours(1, 1), 40.0);
        assert_eq!(budget.total(1), 100.0);
        budget.add(0, 17_000.0, 30_000.0);
        assert_eq!(
            budget.hours(1, 0),
            520.0,
            "time past the horizon is dropped"
        );
    }

    #[test]
    fn queue_length_is_time_weighted() {
        let mut queue = QueueStats::default();
        queue.join(0.0);
        queue.join(2.0);
        queue.leave(4.0, 0.0);
        queue.leave(5.0, 2.0);
        queue.advance(10.0);
        // Length 1 on [0,2), 2 on [2,4), 1 on [4,5): area 2 + 4 + 1 = 7.
        assert!((queue.mean_length(10.0) - 0.7).abs() < 1e-12);
        assert_eq!(queue.waits_h(), &[4.0, 3.0]);
    }

    #[test]
    fn a_wait_carried_between_queues_counts_once_and_keeps_littles_law() {
        let mut queue = QueueStats::default();
        // A waits on [0, 3) and steps out for another queue, where it is
        // served on arrival: one wait of 3 h. B waits on [1, 4), steps out
        // and rejoins at once with its 3 h (as if it had joined at 1), and
        // is served at 6: one wait of 5 h. C waits on [2, 5) and gives up.
        queue.join(0.0);
        queue.join(1.0);
        queue.join(2.0);
        queue.step_out(3.0);
        queue.pass_after(3.0);
        queue.step_out(4.0);
        queue.join(4.0);
        queue.step_out(5.0);
        queue.abandon(3.0);
        queue.leave(6.0, 1.0);
        queue.advance(10.0);
        assert_eq!(queue.waits_h(), &[3.0, 3.0, 5.0]);
        assert_eq!(queue.unserved(), 1);
        // Length 1, 2, 3, 2, 2, 1 on the hours from 0 to 6: area 11 h,
        // Σ waits = 11 h, so L = λW with λ = 3 / 10 h.
        assert!((queue.mean_length(10.0) - 0.3 * 11.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn censored_waits_keep_littles_law_at_the_horizon() {
        // One served on arrival at 0, one waiting on [1, 4), two joining at
        // 2 and 6 still waiting at the horizon 10.
        let mut queue = QueueStats::default();
        queue.pass();
        queue.join(1.0);
        queue.join(2.0);
        queue.leave(4.0, 1.0);
        queue.join(6.0);
        queue.advance(10.0);
        queue.censor(10.0, 2.0);
        queue.censor(10.0, 6.0);
        assert_eq!(queue.waits_h(), &[0.0, 3.0, 8.0, 4.0]);
        assert_eq!(queue.censored(), 2);
        // L = area / H = (3 + 8 + 4) / 10; λ = 4 / 10; W = 15 / 4.
        let lambda = 4.0 / 10.0;
        let w = queue.waits_h().iter().sum::<f64>() / 4.0;
        assert!((queue.mean_length(10.0) - 1.5).abs() < 1e-12);
        assert!((queue.mean_length(10.0) - lambda * w).abs() < 1e-12);
    }
}
