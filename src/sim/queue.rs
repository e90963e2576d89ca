//! The event queue, ordered by (time, sequence number).
//!
//! The sequence number breaks ties in insertion order, so two events at the
//! same millisecond are always handled in the order they were scheduled, and
//! the run stays deterministic.
//!
//! A discrete-event simulation never schedules into the past, so the keys
//! (time, then sequence number) only grow: the queue is a radix heap. Each
//! entry sits in the bucket of the highest bit in which its key differs
//! from the last key taken out, and moves to a lower bucket a few times at
//! most. A binary heap of the same tens of thousands of entries spent most
//! of a run's time on cache misses while sifting.

use crate::scenario::Millis;

/// One bucket per bit of the 128-bit key, plus one for the last key itself.
const BUCKETS: usize = 129;

pub struct EventQueue<E> {
    buckets: Vec<Vec<(u128, E)>>,
    /// The key taken out last; every key in the queue is larger.
    last: u128,
    next_seq: u64,
    next_workload_seq: u64,
    len: usize,
}

/// Sequence numbers of ordinary events start here, above every workload
/// event's, so that at equal times workload events come first.
const FIRST_SEQ: u64 = 1 << 63;

fn key(at: Millis, seq: u64) -> u128 {
    (u128::from(at) << 64) | u128::from(seq)
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        EventQueue {
            buckets: (0..BUCKETS).map(|_| Vec::new()).collect(),
            last: 0,
            next_seq: FIRST_SEQ,
            next_workload_seq: 0,
            len: 0,
        }
    }

    fn bucket(&self, key: u128) -> usize {
        (128 - (key ^ self.last).leading_zeros()) as usize
    }

    /// Schedules an event. `at` must not lie before the time of the event
    /// taken out last, which a simulation's clock guarantees.
    pub fn push(&mut self, at: Millis, event: E) {
        let key = key(at, self.next_seq);
        self.next_seq += 1;
        self.insert(key, event);
    }

    /// Schedules a workload event: the creation of a payment and what its
    /// workload fixes in advance. At equal times these come before every
    /// event scheduled with [`EventQueue::push`], in the order they were
    /// scheduled. A workload event must not be scheduled at the current
    /// time once an ordinary event of that time has been taken out.
    pub fn push_workload(&mut self, at: Millis, event: E) {
        let key = key(at, self.next_workload_seq);
        self.next_workload_seq += 1;
        self.insert(key, event);
    }

    fn insert(&mut self, key: u128, event: E) {
        assert!(
            key > self.last || self.len == 0 && self.last == 0,
            "event scheduled in the past: {} ms",
            key >> 64
        );
        let bucket = self.bucket(key);
        self.buckets[bucket].push((key, event));
        self.len += 1;
    }

    /// Removes and returns the earliest event with its time.
    pub fn pop(&mut self) -> Option<(Millis, E)> {
        if self.len == 0 {
            return None;
        }
        if self.buckets[0].is_empty() {
            let index = self.buckets.iter().position(|bucket| !bucket.is_empty())?;
            let entries = std::mem::take(&mut self.buckets[index]);
            self.last = entries.iter().map(|(key, _)| *key).min()?;
            for (key, event) in entries {
                let bucket = self.bucket(key);
                self.buckets[bucket].push((key, event));
            }
        }
        let (key, event) = self.buckets[0].pop()?;
        self.len -= 1;
        Some(((key >> 64) as Millis, event))
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_insertion() {
        let mut queue = EventQueue::new();
        queue.push(30, "c");
        queue.push(10, "a");
        queue.push(30, "d");
        queue.push(10, "b");
        let order: Vec<_> = std::iter::from_fn(|| queue.pop()).collect();
        assert_eq!(order, [(10, "a"), (10, "b"), (30, "c"), (30, "d")]);
        assert!(queue.is_empty());
    }

    #[test]
    fn workload_events_come_first_at_equal_times() {
        let mut queue = EventQueue::new();
        queue.push(10, "ordinary");
        queue.push_workload(10, "workload");
        queue.push_workload(10, "second workload");
        let order: Vec<_> = std::iter::from_fn(|| queue.pop()).map(|(_, e)| e).collect();
        assert_eq!(order, ["workload", "second workload", "ordinary"]);
    }

    #[test]
    fn matches_a_sorted_order_under_interleaving() {
        // Pushes never go before the last pop, as in a simulation.
        let mut queue = EventQueue::new();
        let mut expected: Vec<(Millis, u64)> = Vec::new();
        let mut popped = Vec::new();
        let mut seed: u64 = 7;
        let mut now = 0;
        let mut id = 0u64;
        for round in 0..5_000 {
            for _ in 0..(round % 4) {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                let at = now + (seed >> 58);
                queue.push(at, id);
                expected.push((at, id));
                id += 1;
            }
            if let Some((at, event)) = queue.pop() {
                now = at;
                popped.push((at, event));
            }
        }
        popped.extend(std::iter::from_fn(|| queue.pop()));
        expected.sort();
        assert_eq!(popped, expected);
    }
}
