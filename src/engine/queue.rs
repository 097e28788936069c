//! The event list: an implicit binary min-heap ordered by (time, sequence
//! number), compared as one `u128` key per entry.
//!
//! Entries are `Copy`, so sifting moves a hole instead of swapping, and one
//! integer comparison orders two entries. The key is stored as two `u64`
//! fields and joined for the comparison: a stored `u128` is 16-byte aligned,
//! which made an entry of the model's 24-byte event 48 bytes instead of 40
//! (3% of a scale-up replication's time, docs/BENCHMARKS.md). On the hold-model bench
//! (`benches/engine.rs`) this is 15–25% faster than a
//! `std::collections::BinaryHeap` of the same entries; 4-ary and bottom-up
//! variants were measured and were slower (docs/BENCHMARKS.md).

use super::time::SimTime;

/// Children per node.
const ARITY: usize = 2;

/// One scheduled event; [`Entry::key`] packs the time's order key (high 64
/// bits) and the sequence number (low 64 bits), so one integer comparison
/// orders by time and then by scheduling order.
#[derive(Clone, Copy)]
struct Entry<E> {
    time_key: u64,
    seq: u64,
    event: E,
}

impl<E: Copy> Entry<E> {
    fn time(&self) -> SimTime {
        SimTime::from_order_key(self.time_key)
    }

    #[inline(always)]
    fn key(&self) -> u128 {
        (u128::from(self.time_key) << 64) | u128::from(self.seq)
    }
}

/// A future-event list. Events at equal times come out in the order they
/// were pushed (the sequence number breaks ties), so runs are deterministic.
pub struct EventQueue<E> {
    heap: Vec<Entry<E>>,
    next_seq: u64,
}

impl<E: Copy> EventQueue<E> {
    /// An empty list with room for `capacity` pending events.
    pub fn with_capacity(capacity: usize) -> Self {
        EventQueue {
            heap: Vec::with_capacity(capacity),
            next_seq: 0,
        }
    }

    /// Adds `event` at `time`.
    pub fn push(&mut self, time: SimTime, event: E) {
        let entry = Entry {
            time_key: time.order_key(),
            seq: self.next_seq,
            event,
        };
        self.next_seq += 1;
        self.heap.push(entry);
        self.sift_up(self.heap.len() - 1);
    }

    /// Removes and returns the earliest event.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let last = self.heap.pop()?;
        let earliest = if self.heap.is_empty() {
            last
        } else {
            let root = std::mem::replace(&mut self.heap[0], last);
            self.sift_down(0);
            root
        };
        Some((earliest.time(), earliest.event))
    }

    /// The time of the earliest event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.first().map(Entry::time)
    }

    /// The number of pending events, stale ones included.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Moves the entry at `index` up until its parent is earlier, shifting
    /// parents down into the hole instead of swapping.
    fn sift_up(&mut self, mut index: usize) {
        let moving = self.heap[index];
        while index > 0 {
            let parent = (index - 1) / ARITY;
            if self.heap[parent].key() <= moving.key() {
                break;
            }
            self.heap[index] = self.heap[parent];
            index = parent;
        }
        self.heap[index] = moving;
    }

    /// Moves the entry at `index` down until all its children are later,
    /// shifting the earliest child up into the hole at each level.
    fn sift_down(&mut self, mut index: usize) {
        let len = self.heap.len();
        let moving = self.heap[index];
        loop {
            let first = index * ARITY + 1;
            if first >= len {
                break;
            }
            let last = (first + ARITY).min(len);
            let mut best = first;
            let mut best_key = self.heap[first].key();
            for child in first + 1..last {
                let child_key = self.heap[child].key();
                if child_key < best_key {
                    best = child;
                    best_key = child_key;
                }
            }
            if moving.key() <= best_key {
                break;
            }
            self.heap[index] = self.heap[best];
            index = best;
        }
        self.heap[index] = moving;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_then_insertion_order() {
        let mut queue = EventQueue::with_capacity(4);
        let times = [5.0, 1.0, 5.0, 3.0, 0.0, 5.0, 2.0, 1.0, 9.0, 4.0, 0.0];
        for (id, t) in times.iter().enumerate() {
            queue.push(SimTime::from_hours(*t).unwrap(), id);
        }
        let mut popped = Vec::new();
        while let Some((time, id)) = queue.pop() {
            popped.push((time.hours(), id));
        }
        let mut expected: Vec<(f64, usize)> = times.iter().copied().zip(0..).collect();
        expected.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        assert_eq!(popped, expected);
        assert!(queue.is_empty());
    }
}
