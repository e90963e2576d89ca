//! A long run: hours of traffic at 100 payments per second through polling
//! and webhooks, computed a slice at a time so that the page stays
//! responsive. Each strategy keeps a [`Timeline`] of running totals per
//! second, so memory grows with the hours simulated, not with the payments,
//! and showing any second of the run is a lookup.

use std::rc::Rc;

use crate::scenario::{self, Millis, Strategy, HOUR, LONG_RUN_RATE, SECOND};
use crate::sim::{Stepper, Tally, Timeline};

/// Lengths of long run the page offers, in hours of virtual time.
pub const HOURS: [u32; 3] = [1, 6, 24];

/// The strategies a long run compares.
pub const STRATEGIES: [Strategy; 2] = [Strategy::Polling, Strategy::Webhook];

struct Lane {
    strategy: Strategy,
    stepper: Stepper<Timeline>,
    done: bool,
}

/// A long run in progress or finished.
pub struct LongRun {
    /// Time over which payments are created, in milliseconds.
    length_ms: Millis,
    lanes: Vec<Lane>,
}

/// Figures of one strategy at one second of a long run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LaneAt {
    pub strategy: Strategy,
    /// Running totals at the end of the second.
    pub tally: Tally,
    /// Status requests sent during that second alone.
    pub requests_in_second: u64,
}

impl LongRun {
    /// Starts a long run whose payments arrive over `hours` hours of virtual time.
    pub fn hours(hours: u32) -> Self {
        LongRun::new(Millis::from(hours) * HOUR)
    }

    /// Starts a long run whose payments arrive over `length_ms` of virtual time.
    pub fn new(length_ms: Millis) -> Self {
        let payments = (length_ms as f64 / SECOND as f64 * LONG_RUN_RATE).round() as u32;
        let scenario = Rc::new(scenario::long_run(payments));
        // Payments end at most a minute after the last one is created, and the
        // gateways learn of them seconds later, so ten minutes of spare rows suffice.
        let rows = (length_ms / SECOND) as usize + 600;
        let lanes = STRATEGIES
            .iter()
            .map(|&strategy| Lane {
                strategy,
                stepper: Stepper::new(strategy, scenario.clone(), Timeline::with_capacity(rows)),
                done: false,
            })
            .collect();
        LongRun { length_ms, lanes }
    }

    /// Returns the number of payments the run creates in all.
    pub fn payments(&self) -> u64 {
        (self.length_ms as f64 / SECOND as f64 * LONG_RUN_RATE).round() as u64
    }

    /// Handles up to `events` more events in each strategy that has not
    /// ended. Returns false once every strategy has ended.
    pub fn advance(&mut self, events: u64) -> bool {
        for lane in self.lanes.iter_mut().filter(|lane| !lane.done) {
            if !lane.stepper.step(events) {
                lane.done = true;
                lane.stepper.recorder_mut().finish();
            }
        }
        !self.is_done()
    }

    pub fn is_done(&self) -> bool {
        self.lanes.iter().all(|lane| lane.done)
    }

    /// Returns the events handled so far, over all strategies.
    pub fn events(&self) -> u64 {
        self.lanes.iter().map(|lane| lane.stepper.events()).sum()
    }

    /// Returns the virtual time every strategy has reached, in milliseconds.
    pub fn covered_ms(&self) -> Millis {
        self.lanes.iter().map(|lane| lane.stepper.recorder().covered_ms()).min().unwrap_or(0)
    }

    /// Returns the number of whole seconds every strategy has recorded, so
    /// seconds `0..seconds()` can be shown.
    pub fn seconds(&self) -> usize {
        self.lanes.iter().map(|lane| lane.stepper.recorder().seconds()).min().unwrap_or(0)
    }

    /// Returns the length of the run's workload in milliseconds: the time
    /// the last payment is due to be created.
    pub fn length_ms(&self) -> Millis {
        self.length_ms
    }

    /// Returns what each strategy shows at the end of second `second`, or
    /// `None` when that second has not been computed yet.
    pub fn at(&self, second: usize) -> Option<Vec<LaneAt>> {
        self.lanes
            .iter()
            .map(|lane| {
                let timeline = lane.stepper.recorder();
                let tally = timeline.at(second)?;
                let before =
                    second.checked_sub(1).and_then(|previous| timeline.at(previous)).unwrap_or_default();
                Some(LaneAt {
                    strategy: lane.strategy,
                    tally,
                    requests_in_second: tally.requests - before.requests,
                })
            })
            .collect()
    }

    /// Returns status requests per second for one strategy, averaged over
    /// at most `points` equal stretches of the seconds computed so far, as
    /// (middle of the stretch in milliseconds, requests per second).
    pub fn request_rate(&self, strategy: Strategy, points: usize) -> Vec<(f64, f64)> {
        let Some(lane) = self.lanes.iter().find(|lane| lane.strategy == strategy) else {
            return Vec::new();
        };
        let timeline = lane.stepper.recorder();
        let seconds = self.seconds();
        let width = seconds.div_ceil(points.max(1)).max(1);
        let mut rates = Vec::new();
        let mut start = 0;
        let mut before = 0;
        while start < seconds {
            let end = (start + width).min(seconds);
            let total = timeline.at(end - 1).map_or(before, |tally| tally.requests);
            let middle = (start + end) as f64 / 2.0 * SECOND as f64;
            rates.push((middle, (total - before) as f64 / (end - start) as f64));
            before = total;
            start = end;
        }
        rates
    }

    /// Returns the bytes the run's timelines hold on the heap.
    pub fn timeline_bytes(&self) -> usize {
        self.lanes.iter().map(|lane| lane.stepper.recorder().heap_bytes()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::MINUTE;

    #[test]
    fn two_minutes_in_slices() {
        let mut run = LongRun::new(2 * MINUTE);
        assert_eq!(run.payments(), 12_000);
        assert_eq!(run.at(0), None, "nothing computed yet");
        while run.advance(5_000) {}
        assert!(run.is_done());
        assert!(run.seconds() >= 120, "{}", run.seconds());

        // Every payment is created and learned by both strategies.
        let end = run.at(run.seconds() - 1).expect("the last second");
        for lane in &end {
            assert_eq!(lane.tally.created, 12_000, "{:?}", lane.strategy);
            assert_eq!(lane.tally.detected, 12_000, "{:?}", lane.strategy);
        }
        let (polling, webhook) = (end[0].tally, end[1].tally);
        assert!(polling.requests > 5 * 12_000, "{polling:?}");
        assert_eq!(webhook.requests, 0);
        assert_eq!(webhook.callbacks, 12_000);
        assert!(polling.mean_delay_ms().unwrap() > 10.0 * webhook.mean_delay_ms().unwrap());

        // A minute in, about 6,000 payments exist, the same in both strategies.
        let middle = run.at(59).expect("second 59");
        let created = middle[0].tally.created as f64;
        assert!((created - 6_000.0).abs() < 300.0, "{created}");
        assert_eq!(middle[0].tally.created, middle[1].tally.created);
        assert!(middle[0].requests_in_second > 1_000, "{:?}", middle[0]);
        assert_eq!(run.at(run.seconds()), None);

        // The rate series adds up to the requests.
        let rates = run.request_rate(Strategy::Polling, 50);
        let width = run.seconds().div_ceil(50);
        let mut total = 0.0;
        for (index, (_, rate)) in rates.iter().enumerate() {
            let seconds = width.min(run.seconds() - index * width);
            total += rate * seconds as f64;
        }
        assert!((total - polling.requests as f64).abs() < 1e-6, "{total} against {}", polling.requests);

        // Two timelines of 720 rows of 64 bytes, plus open payments.
        assert!(run.timeline_bytes() < 200_000, "{}", run.timeline_bytes());
    }
}
