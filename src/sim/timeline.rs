//! A recorder for long runs: one row of running totals per second of
//! virtual time, and nothing per message or per settled payment. A day at
//! 100 payments per second is 8.64 million payments and hundreds of millions
//! of events, but only 86,400 rows, so memory grows with the length of the
//! run in seconds, not with its traffic. Reading the totals at any second is
//! an index into that list.

use std::collections::HashMap;

use super::engine::Recorder;
use super::trace::{Actor, Message, MessageKind, Note, Purpose, StateChange, Status};
use crate::scenario::{Millis, SECOND};

/// Running totals of a run from its start to the end of one second.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Payments created at ABC Payment.
    pub created: u64,
    /// Payments that reached a final status at ABC Payment.
    pub completed: u64,
    /// Payments whose final status the gateway has learned.
    pub detected: u64,
    /// Status requests the gateway sent to ABC Payment.
    pub requests: u64,
    /// Status responses that carried a status that was not final yet.
    pub wasted: u64,
    /// Webhook delivery attempts ABC Payment sent.
    pub callbacks: u64,
    /// Sum of the detection delays of the detected payments, in milliseconds.
    pub delay_sum_ms: u64,
    /// Maximum detection delay so far, in milliseconds.
    pub max_delay_ms: Millis,
}

impl Tally {
    /// Returns the mean detection delay in milliseconds, or `None` before the first detection.
    pub fn mean_delay_ms(&self) -> Option<f64> {
        (self.detected > 0).then(|| self.delay_sum_ms as f64 / self.detected as f64)
    }

    /// Returns the payments that are final at ABC Payment but not yet known to the gateway.
    pub fn waiting(&self) -> u64 {
        self.completed.saturating_sub(self.detected)
    }
}

/// Running totals of a run, kept per second of virtual time.
#[derive(Debug, Default)]
pub struct Timeline {
    /// Rows of running totals: `seconds[k]` counts everything before `(k + 1)` seconds.
    seconds: Vec<Tally>,
    current: Tally,
    /// Final status and time of each payment the gateway has not learned yet.
    unknown: HashMap<u32, (Millis, Status)>,
    /// Virtual time of the latest event recorded.
    latest: Millis,
    /// Messages recorded so far, and the number at which the run stops.
    messages: usize,
    message_limit: Option<usize>,
    /// Virtual time at which the run stopped at the message limit.
    cut_at: Option<Millis>,
}

impl Timeline {
    /// Creates a timeline with room for `seconds` rows, so that a run of known
    /// length does not reallocate its rows as it grows.
    pub fn with_capacity(seconds: usize) -> Self {
        Timeline { seconds: Vec::with_capacity(seconds), ..Timeline::default() }
    }

    /// Creates a timeline that stops the run after `max_messages` messages.
    pub fn limited(max_messages: usize) -> Self {
        Timeline { message_limit: Some(max_messages), ..Timeline::default() }
    }

    /// Returns the virtual time at which the run stopped at the message
    /// limit, or `None` when it went to its end.
    pub fn cut_at(&self) -> Option<Millis> {
        self.cut_at
    }

    /// Closes every second that ends at or before `at`.
    fn advance(&mut self, at: Millis) {
        self.latest = self.latest.max(at);
        while (self.seconds.len() as u64 + 1) * SECOND <= at {
            self.seconds.push(self.current);
        }
    }

    /// Returns the number of whole seconds recorded so far.
    pub fn seconds(&self) -> usize {
        self.seconds.len()
    }

    /// Returns the totals at the end of second `second` (counted from 0),
    /// or `None` when the run has not got that far.
    pub fn at(&self, second: usize) -> Option<Tally> {
        self.seconds.get(second).copied()
    }

    /// Returns the totals of everything recorded so far, including the second in progress.
    pub fn latest(&self) -> Tally {
        self.current
    }

    /// Returns the virtual time of the latest event recorded, in milliseconds.
    pub fn covered_ms(&self) -> Millis {
        self.latest
    }

    /// Closes the second in progress, once the run has ended.
    pub fn finish(&mut self) {
        if self.latest >= self.seconds.len() as u64 * SECOND {
            self.seconds.push(self.current);
        }
    }

    /// Returns the bytes the timeline holds on the heap: its rows and its open payments.
    pub fn heap_bytes(&self) -> usize {
        self.seconds.capacity() * std::mem::size_of::<Tally>()
            + self.unknown.capacity() * std::mem::size_of::<(u32, (Millis, Status))>()
    }
}

impl Recorder for Timeline {
    fn message(&mut self, message: &Message) {
        self.advance(message.sent_at);
        self.messages += 1;
        let tally = &mut self.current;
        match message.kind {
            MessageKind::StatusRequest => tally.requests += 1,
            MessageKind::StatusResponse if message.status.is_some_and(|status| !status.is_final()) => {
                tally.wasted += 1;
            }
            MessageKind::Webhook if message.purpose == Purpose::Delivery => tally.callbacks += 1,
            _ => {}
        }
    }

    fn change(&mut self, change: StateChange) {
        self.advance(change.at);
        match change.actor {
            Actor::Provider if change.status == Status::Pending => self.current.created += 1,
            Actor::Provider if change.status.is_final() => {
                self.current.completed += 1;
                self.unknown.insert(change.payment, (change.at, change.status));
            }
            Actor::Provider => {}
            Actor::Gateway => {
                let learned =
                    self.unknown.get(&change.payment).filter(|(_, status)| *status == change.status);
                if let Some(&(final_at, _)) = learned {
                    self.unknown.remove(&change.payment);
                    let delay = change.at - final_at;
                    self.current.detected += 1;
                    self.current.delay_sum_ms += delay;
                    self.current.max_delay_ms = self.current.max_delay_ms.max(delay);
                }
            }
        }
    }

    fn note(&mut self, note: Note) {
        self.advance(note.at);
    }

    fn retired(&mut self, payment: u32) {
        self.unknown.remove(&payment);
    }

    fn is_full(&self) -> bool {
        self.message_limit.is_some_and(|limit| self.messages >= limit)
    }

    fn cut(&mut self, at: Millis) {
        self.cut_at = Some(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Arrival, Scenario, Span};
    use crate::sim::{run_totals, run_with, Stepper, Strategy};

    fn busy_scenario() -> Scenario {
        let mut scenario = Scenario::default();
        scenario.workload.payments = 2_000;
        scenario.workload.arrival = Arrival::Poisson { per_second: 100.0 };
        scenario.workload.duration = Span::range(SECOND, 60 * SECOND);
        scenario.api.rate_limited = false;
        scenario
    }

    #[test]
    fn final_row_matches_totals() {
        let scenario = busy_scenario();
        for strategy in [Strategy::Polling, Strategy::Webhook] {
            let (mut timeline, _) = run_with(strategy, &scenario, Timeline::default());
            timeline.finish();
            let (metrics, _) = run_totals(&scenario, strategy);
            let last = timeline.at(timeline.seconds() - 1).expect("a row per second");
            assert_eq!(last, timeline.latest(), "{strategy:?}");
            assert_eq!(last.created, 2_000, "{strategy:?}");
            assert_eq!(last.completed, u64::from(metrics.completed), "{strategy:?}");
            assert_eq!(last.detected, u64::from(metrics.detected), "{strategy:?}");
            assert_eq!(last.requests, metrics.provider_requests, "{strategy:?}");
            assert_eq!(last.wasted, metrics.wasted_requests, "{strategy:?}");
            assert_eq!(last.callbacks, metrics.callbacks, "{strategy:?}");
            let delay = metrics.delay.expect("payments detected");
            assert_eq!(last.max_delay_ms, delay.max_ms, "{strategy:?}");
            assert!((last.mean_delay_ms().unwrap() - delay.mean_ms).abs() < 1e-6, "{strategy:?}");
        }
    }

    #[test]
    fn rows_never_decrease() {
        let (timeline, _) = run_with(Strategy::Polling, &busy_scenario(), Timeline::default());
        assert!(timeline.seconds() >= 20, "{}", timeline.seconds());
        let rows: Vec<Tally> = (0..timeline.seconds()).filter_map(|second| timeline.at(second)).collect();
        for pair in rows.windows(2) {
            assert!(pair[0].created <= pair[1].created);
            assert!(pair[0].requests <= pair[1].requests);
            assert!(pair[0].detected <= pair[1].detected);
        }
        // About 100 payments a second are created while the workload lasts.
        let tenth = rows[9].created;
        assert!((900..=1_100).contains(&tenth), "{tenth} payments in 10 s");
    }

    #[test]
    fn slices_match_one_pass() {
        let scenario = std::rc::Rc::new(busy_scenario());
        let mut stepper = Stepper::new(Strategy::Polling, scenario.clone(), Timeline::default());
        while stepper.step(1_000) {}
        let (sliced, events) = stepper.finish();
        let (whole, whole_events) = run_with(Strategy::Polling, &scenario, Timeline::default());
        assert_eq!(events, whole_events);
        assert_eq!(sliced.seconds(), whole.seconds());
        assert_eq!(sliced.latest(), whole.latest());
    }

    #[test]
    fn limit_stops_the_run() {
        let (timeline, _) = run_with(Strategy::Polling, &busy_scenario(), Timeline::limited(1_000));
        assert!(timeline.cut_at().is_some());
        assert_eq!(timeline.messages, 1_000);
        let (whole, _) = run_with(Strategy::Polling, &busy_scenario(), Timeline::default());
        assert_eq!(whole.cut_at(), None);
    }

    #[test]
    fn open_payments_are_dropped() {
        let (timeline, _) = run_with(Strategy::Webhook, &busy_scenario(), Timeline::default());
        assert!(timeline.unknown.is_empty(), "{} payments left", timeline.unknown.len());
    }
}
