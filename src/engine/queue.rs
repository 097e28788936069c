//! The event list: a binary heap ordered by (time, sequence number).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::time::SimTime;

/// One scheduled event. The heap is a max-heap, so `Ord` is reversed: the
/// entry with the earliest time, then the lowest sequence number, is greatest.
struct Entry<E> {
    time_key: u64,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time_key == other.time_key && self.seq == other.seq
    }
}

impl<E> Eq for Entry<E> {}

impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for Entry<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time_key, other.seq).cmp(&(self.time_key, self.seq))
    }
}

/// A future-event list. Events at equal times come out in the order they
/// were pushed (the sequence number breaks ties), so runs are deterministic.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u64,
}

impl<E> EventQueue<E> {
    /// An empty list with room for `capacity` pending events.
    pub fn with_capacity(capacity: usize) -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(capacity),
            next_seq: 0,
        }
    }

    /// Adds `event` at `time`.
    pub fn push(&mut self, time: SimTime, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry {
            time_key: time.order_key(),
            seq,
            event,
        });
    }

    /// Removes and returns the earliest event.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.heap
            .pop()
            .map(|entry| (SimTime::from_order_key(entry.time_key), entry.event))
    }

    /// The time of the earliest event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap
            .peek()
            .map(|entry| SimTime::from_order_key(entry.time_key))
    }

    /// The number of pending events, stale ones included.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}
