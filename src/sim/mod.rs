//! The deterministic simulation: a scenario and its seed in, a trace and its
//! metrics out. Nothing here touches the DOM, a clock or a global random
//! generator, so every run is reproducible natively and in the browser.

mod cursor;
mod engine;
mod histogram;
mod metrics;
mod queue;
mod rate_limit;
mod retry;
mod rng;
pub mod signature;
mod timeline;
mod totals;
mod trace;
mod workload;

use serde::Serialize;

pub use crate::scenario::Strategy;
pub use cursor::{MetricsCursor, StatusCounts};
pub use engine::{run_with, simulate, Limited, Recorder, Stepper, HORIZON_AFTER_LAST_PAYMENT};
pub use metrics::{detections, measure, DelayStats, Detection, Metrics};
pub use queue::EventQueue;
pub use rate_limit::TokenBucket;
pub use retry::next_delay;
pub use timeline::{Tally, Timeline};
pub use totals::Totals;
pub use trace::{
    Actor, InFlight, Message, MessageKind, Note, NoteKind, PaymentView, Purpose, StateChange, Status, Trace,
};
pub use workload::{draw_payments, Payment};

use std::rc::Rc;

use crate::scenario::{Millis, Scenario};

/// The outcome of one strategy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lane {
    pub strategy: Strategy,
    pub trace: Trace,
    /// Metrics over the whole run.
    pub metrics: Metrics,
}

/// The same payments, handled by each strategy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Run {
    pub payments: Vec<Payment>,
    pub lanes: Vec<Lane>,
}

impl Run {
    /// Virtual time when the last lane has nothing left to do, in milliseconds.
    pub fn end(&self) -> Millis {
        self.lanes.iter().map(|lane| lane.trace.end()).max().unwrap_or(0)
    }

    pub fn lane(&self, strategy: Strategy) -> Option<&Lane> {
        self.lanes.iter().find(|lane| lane.strategy == strategy)
    }
}

/// The final metrics of one strategy and the number of events it took,
/// without keeping the trace.
pub fn run_totals(scenario: &Scenario, strategy: Strategy) -> (Metrics, u64) {
    let (totals, events) = run_with(strategy, scenario, Totals::new());
    (totals.finish(), events)
}

/// Runs like [`run_totals`] in memory that does not grow with the number of
/// payments, for runs of millions of payments. The delay percentiles are
/// off by less than 0.8%, and every count, mean and maximum is exact.
pub fn run_bounded(scenario: &Scenario, strategy: Strategy) -> (Metrics, u64) {
    let (totals, events) = run_with(strategy, scenario, Totals::bounded());
    (totals.finish(), events)
}

/// Maximum number of messages in one strategy's trace on the page, about
/// 150 MB at 72 bytes a message. A run stops at this many and records the
/// time in [`Trace::cut_at`].
pub const TRACE_MESSAGE_LIMIT: usize = 2_000_000;

/// Runs every strategy the scenario shows over the scenario's payments,
/// each up to [`TRACE_MESSAGE_LIMIT`] messages.
pub fn run(scenario: &Scenario) -> Run {
    run_limited(scenario, TRACE_MESSAGE_LIMIT)
}

/// Runs like [`run`], with each strategy's trace stopped at `max_messages` messages.
pub fn run_limited(scenario: &Scenario, max_messages: usize) -> Run {
    RunBuilder::new(scenario, max_messages).finish()
}

/// A [`Run`] computed a slice of events at a time, so that the page can
/// spread a big run over several short tasks.
pub struct RunBuilder {
    scenario: Rc<Scenario>,
    lanes: Vec<(Stepper<Limited<Trace>>, bool)>,
}

impl RunBuilder {
    /// Starts every strategy the scenario shows, each stopping at `max_messages` messages.
    pub fn new(scenario: &Scenario, max_messages: usize) -> Self {
        let scenario = Rc::new(scenario.clone());
        let lanes = Strategy::ALL
            .iter()
            .filter(|&&strategy| scenario.shown.includes(strategy))
            .map(|&strategy| {
                let recorder = Limited::new(Trace::default(), max_messages);
                (Stepper::new(strategy, scenario.clone(), recorder), false)
            })
            .collect();
        RunBuilder { scenario, lanes }
    }

    /// Handles up to `events` events in each strategy that has not ended.
    /// Returns false once every strategy has ended.
    pub fn advance(&mut self, events: u64) -> bool {
        for (stepper, done) in self.lanes.iter_mut().filter(|(_, done)| !*done) {
            *done = !stepper.step(events);
        }
        self.lanes.iter().any(|(_, done)| !done)
    }

    /// Returns the events handled so far, over all strategies.
    pub fn events(&self) -> u64 {
        self.lanes.iter().map(|(stepper, _)| stepper.events()).sum()
    }

    /// Runs what is left and returns the run with the metrics of each
    /// strategy. The builder is empty afterwards.
    pub fn finish(&mut self) -> Run {
        while self.advance(u64::MAX) {}
        let payments = draw_payments(&self.scenario);
        let lanes = std::mem::take(&mut self.lanes)
            .into_iter()
            .map(|(stepper, _)| {
                let strategy = stepper.strategy();
                let (limited, _) = stepper.finish();
                let trace = Trace { cut_at: limited.cut_at, ..limited.recorder };
                let metrics = measure(&trace, payments.len(), Millis::MAX);
                Lane { strategy, trace, metrics }
            })
            .collect();
        Run { payments, lanes }
    }
}
