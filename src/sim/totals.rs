//! Running totals: the run's final metrics without keeping its trace, for
//! long runs and benchmarks. They must equal `measure(trace, n, Millis::MAX)`
//! on the same run, which a test checks.
//!
//! Memory: a record for each payment the engine has not retired, and the
//! count of requests for each second of virtual time. `Totals::new` also
//! keeps each payment's detection delay (8 bytes), because the exact 95th
//! percentile needs them all. `Totals::bounded` counts delays in histograms
//! of fixed size instead, for runs of millions of payments.

use std::collections::HashMap;

use super::engine::Recorder;
use super::histogram::LogHistogram;
use super::metrics::{summarize, DelayStats, Metrics};
use super::trace::{Actor, Message, MessageKind, Note, NoteKind, Purpose, StateChange, Status};
use crate::scenario::{Millis, SECOND};

#[derive(Clone, Copy, Default)]
struct Track {
    final_status: Option<(Millis, Status)>,
    view: Option<Status>,
    first_match: Option<Millis>,
    last_match: Option<Millis>,
}

/// Delays, kept one by one or counted in a histogram.
enum Delays {
    Exact(Vec<Millis>),
    Bucketed(Box<LogHistogram>),
}

impl Delays {
    fn push(&mut self, delay: Millis) {
        match self {
            Delays::Exact(delays) => delays.push(delay),
            Delays::Bucketed(histogram) => histogram.record(delay),
        }
    }

    fn summarize(self) -> (u32, Option<DelayStats>) {
        match self {
            Delays::Exact(delays) => (delays.len() as u32, summarize(delays)),
            Delays::Bucketed(histogram) => (histogram.count() as u32, histogram.summarize()),
        }
    }
}

/// Metrics accumulated as the run records them.
pub struct Totals {
    metrics: Metrics,
    /// Payments the engine has not retired yet.
    tracks: HashMap<u32, Track>,
    delays: Delays,
    convergence: Delays,
    /// Requests reaching ABC Payment per whole second of virtual time.
    per_second: Vec<u64>,
    first_change: Option<Millis>,
    last_moment: Millis,
}

impl Default for Totals {
    fn default() -> Self {
        Totals::new()
    }
}

impl Totals {
    /// Totals with exact percentiles, equal to `measure` on the same run.
    pub fn new() -> Self {
        Totals::with_delays(|| Delays::Exact(Vec::new()))
    }

    /// Totals in memory that does not grow with the number of payments:
    /// percentiles come from histograms and are off by less than 0.8%.
    pub fn bounded() -> Self {
        Totals::with_delays(|| Delays::Bucketed(Box::default()))
    }

    fn with_delays(delays: impl Fn() -> Delays) -> Self {
        Totals {
            metrics: Metrics::default(),
            tracks: HashMap::new(),
            delays: delays(),
            convergence: delays(),
            per_second: Vec::new(),
            first_change: None,
            last_moment: 0,
        }
    }

    /// Counts a payment's outcome once nothing can change it.
    fn settle(&mut self, track: Track) {
        let Some((final_at, final_status)) = track.final_status else { return };
        self.metrics.completed += 1;
        if let Some(first) = track.first_match {
            self.delays.push(first - final_at);
        }
        if track.view == Some(final_status) {
            self.convergence.push(track.last_match.unwrap_or(final_at) - final_at);
        } else if track.first_match.is_some() || track.view.is_some_and(Status::is_final) {
            self.metrics.learned_wrong += 1;
        } else {
            self.metrics.never_learned += 1;
        }
    }

    /// The metrics of the whole run.
    pub fn finish(mut self) -> Metrics {
        let open: Vec<Track> = std::mem::take(&mut self.tracks).into_values().collect();
        for track in open {
            self.settle(track);
        }
        (self.metrics.detected, self.metrics.delay) = self.delays.summarize();
        self.metrics.convergence = self.convergence.summarize().1;
        self.metrics.peak_requests_per_second = self.per_second.iter().copied().max().unwrap_or(0);
        let start = self.first_change.unwrap_or(0);
        let window_s = self.last_moment.saturating_sub(start) as f64 / SECOND as f64;
        self.metrics.mean_requests_per_second =
            if window_s > 0.0 { self.metrics.provider_requests as f64 / window_s } else { 0.0 };
        self.metrics
    }

    fn seen(&mut self, at: Millis) {
        self.last_moment = self.last_moment.max(at);
    }
}

impl Recorder for Totals {
    fn message(&mut self, message: &Message) {
        self.seen(message.arrives_at);
        let metrics = &mut self.metrics;
        if message.kind == MessageKind::Webhook && message.purpose == Purpose::Delivery && message.attempt > 1
        {
            metrics.retries += 1;
        }
        if message.lost {
            return;
        }
        match message.kind {
            MessageKind::StatusRequest => {
                metrics.provider_requests += 1;
                let second = (message.arrives_at / SECOND) as usize;
                if second >= self.per_second.len() {
                    self.per_second.resize(second + 1, 0);
                }
                self.per_second[second] += 1;
            }
            MessageKind::StatusResponse if message.http_status == Some(429) => metrics.rate_limited += 1,
            MessageKind::StatusResponse if message.status.is_some_and(|s| !s.is_final()) => {
                metrics.wasted_requests += 1;
            }
            MessageKind::Webhook if message.purpose == Purpose::Delivery => metrics.callbacks += 1,
            _ => {}
        }
    }

    fn change(&mut self, change: StateChange) {
        self.seen(change.at);
        self.first_change.get_or_insert(change.at);
        let track = self.tracks.entry(change.payment).or_default();
        match change.actor {
            Actor::Provider if change.status.is_final() => {
                track.final_status = Some((change.at, change.status))
            }
            Actor::Provider => {}
            Actor::Gateway => {
                track.view = Some(change.status);
                if track.final_status.is_some_and(|(_, status)| status == change.status) {
                    track.first_match.get_or_insert(change.at);
                    track.last_match = Some(change.at);
                }
            }
        }
    }

    fn retired(&mut self, payment: u32) {
        if let Some(track) = self.tracks.remove(&payment) {
            self.settle(track);
        }
    }

    fn note(&mut self, note: Note) {
        self.seen(note.at);
        let metrics = &mut self.metrics;
        match note.kind {
            NoteKind::TimedOut { .. } => metrics.timeouts += 1,
            NoteKind::Abandoned { .. } => metrics.abandoned += 1,
            NoteKind::Received { duplicate: true, .. } => metrics.duplicates_received += 1,
            NoteKind::Applied { duplicate, out_of_order, .. } => {
                metrics.duplicates_processed += u64::from(duplicate);
                metrics.out_of_order += u64::from(out_of_order);
            }
            NoteKind::DroppedUnknown { .. } | NoteKind::LostInCrash { .. } => metrics.dropped += 1,
            NoteKind::SignatureRejected { .. } => metrics.signature_rejected += 1,
            NoteKind::ReplayAccepted { .. } => metrics.replays_accepted += 1,
            _ => {}
        }
    }
}
