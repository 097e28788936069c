//! Berths where vessels unload, first come first served, at the hub or the
//! port, and the queue of those waiting for one.

use std::collections::VecDeque;

use super::Vessel;
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
    fn can_start_unloading(&self) -> bool {
        self.busy < self.berths && !self.waiting.is_empty()
    }

    /// A vessel arriving at `now_h` takes a free berth (true) or joins the
    /// queue (false).
    pub fn arrive(&mut self, vessel: Vessel, now_h: f64) -> bool {
        if self.busy < self.berths {
            self.queue.pass();
            self.busy += 1;
            true
        } else {
            self.waiting.push_back((vessel, now_h));
            self.queue.join(now_h);
            false
        }
    }

    /// A vessel leaves its berth at `now_h`; the first one waiting, if any,
    /// takes a free berth and is returned.
    pub fn depart(&mut self, now_h: f64) -> Option<Vessel> {
        self.busy -= 1;
        self.next_in_line(now_h)
    }

    /// Counts the waits so far of the vessels still waiting at the horizon.
    pub fn censor_waiting(&mut self, horizon_h: f64) {
        for &(_, joined_h) in &self.waiting {
            self.queue.censor(horizon_h, joined_h);
        }
    }

    /// The first vessel waiting takes a free berth, if there are both.
    pub fn next_in_line(&mut self, now_h: f64) -> Option<Vessel> {
        if !self.can_start_unloading() {
            return None;
        }
        let (vessel, joined_h) = self.waiting.pop_front()?;
        self.queue.leave(now_h, joined_h);
        self.busy += 1;
        Some(vessel)
    }
}
