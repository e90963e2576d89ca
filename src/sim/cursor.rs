//! A cursor that follows playback through a trace and keeps the metrics
//! and every payment's status up to date, doing only the work since its last
//! position. `measure` answers the same question from scratch; a test checks
//! that both agree at every moment.

use super::metrics::{summarize, Metrics};
use super::trace::{Actor, Message, MessageKind, NoteKind, PaymentView, Purpose, Status, Trace};
use crate::scenario::{Millis, SECOND};

/// How many payments each side holds in each status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusCounts {
    /// Payments not created yet (provider) or not recorded yet (gateway).
    pub none: u32,
    pub pending: u32,
    pub processing: u32,
    pub succeeded: u32,
    pub failed: u32,
}

impl StatusCounts {
    fn slot(&mut self, status: Option<Status>) -> &mut u32 {
        match status {
            None => &mut self.none,
            Some(Status::Pending) => &mut self.pending,
            Some(Status::Processing) => &mut self.processing,
            Some(Status::Succeeded) => &mut self.succeeded,
            Some(Status::Failed) => &mut self.failed,
        }
    }

    fn moved(&mut self, from: Option<Status>, to: Option<Status>) {
        *self.slot(from) -= 1;
        *self.slot(to) += 1;
    }
}

#[derive(Clone, Copy, Default)]
struct Track {
    final_status: Option<(Millis, Status)>,
    first_match: Option<Millis>,
    last_match: Option<Millis>,
}

/// The state of one lane at the cursor's position.
pub struct MetricsCursor {
    /// Messages in order of arrival, as indexes into the trace.
    by_arrival: Vec<usize>,
    position: Millis,
    /// Next unread entries: messages by send time, messages by arrival, changes, notes.
    next_sent: usize,
    next_arrived: usize,
    next_change: usize,
    next_note: usize,
    counters: Metrics,
    per_second: Vec<u64>,
    peak: u64,
    views: Vec<PaymentView>,
    tracks: Vec<Track>,
    provider_counts: StatusCounts,
    gateway_counts: StatusCounts,
    delays: Vec<Millis>,
    endpoint_disabled: bool,
}

impl MetricsCursor {
    pub fn new(trace: &Trace, payment_count: usize) -> Self {
        let mut by_arrival: Vec<usize> =
            (0..trace.messages.len()).filter(|&i| !trace.messages[i].lost).collect();
        by_arrival.sort_by_key(|&i| trace.messages[i].arrives_at);
        let mut cursor = MetricsCursor {
            by_arrival,
            position: 0,
            next_sent: 0,
            next_arrived: 0,
            next_change: 0,
            next_note: 0,
            counters: Metrics::default(),
            per_second: Vec::new(),
            peak: 0,
            views: Vec::new(),
            tracks: Vec::new(),
            provider_counts: StatusCounts::default(),
            gateway_counts: StatusCounts::default(),
            delays: Vec::new(),
            endpoint_disabled: false,
        };
        cursor.reset(payment_count);
        cursor
    }

    fn reset(&mut self, payment_count: usize) {
        self.position = 0;
        self.next_sent = 0;
        self.next_arrived = 0;
        self.next_change = 0;
        self.next_note = 0;
        self.counters = Metrics::default();
        self.per_second.clear();
        self.peak = 0;
        self.views = vec![PaymentView::default(); payment_count];
        self.tracks = vec![Track::default(); payment_count];
        let all_none = StatusCounts { none: payment_count as u32, ..StatusCounts::default() };
        self.provider_counts = all_none;
        self.gateway_counts = all_none;
        self.delays.clear();
        self.endpoint_disabled = false;
    }

    /// Moves to virtual time `at`: forward from the current position, or
    /// from the start when `at` lies before it.
    pub fn seek(&mut self, trace: &Trace, at: Millis) {
        if at < self.position {
            self.reset(self.views.len());
        }
        self.position = at;

        while let Some(message) = trace.messages.get(self.next_sent).filter(|m| m.sent_at <= at) {
            if message.kind == MessageKind::Webhook
                && message.purpose == Purpose::Delivery
                && message.attempt > 1
            {
                self.counters.retries += 1;
            }
            self.next_sent += 1;
        }
        while let Some(&index) = self.by_arrival.get(self.next_arrived) {
            let message = &trace.messages[index];
            if message.arrives_at > at {
                break;
            }
            self.count_arrival(message);
            self.next_arrived += 1;
        }
        while let Some(change) = trace.changes.get(self.next_change).filter(|c| c.at <= at) {
            self.apply_change(change.at, change.payment, change.actor, change.status);
            self.next_change += 1;
        }
        while let Some(note) = trace.notes.get(self.next_note).filter(|n| n.at <= at) {
            self.count_note(&note.kind);
            self.next_note += 1;
        }
    }

    fn count_arrival(&mut self, message: &Message) {
        let counters = &mut self.counters;
        match message.kind {
            MessageKind::StatusRequest => {
                counters.provider_requests += 1;
                let second = (message.arrives_at / SECOND) as usize;
                if second >= self.per_second.len() {
                    self.per_second.resize(second + 1, 0);
                }
                self.per_second[second] += 1;
                self.peak = self.peak.max(self.per_second[second]);
            }
            MessageKind::StatusResponse if message.http_status == Some(429) => counters.rate_limited += 1,
            MessageKind::StatusResponse if message.status.is_some_and(|s| !s.is_final()) => {
                counters.wasted_requests += 1;
            }
            MessageKind::Webhook if message.purpose == Purpose::Delivery => counters.callbacks += 1,
            _ => {}
        }
    }

    fn apply_change(&mut self, at: Millis, payment: u32, actor: Actor, status: Status) {
        let index = payment as usize;
        let view = &mut self.views[index];
        let track = &mut self.tracks[index];
        match actor {
            Actor::Provider => {
                self.provider_counts.moved(view.provider, Some(status));
                view.provider = Some(status);
                if status.is_final() {
                    track.final_status = Some((at, status));
                    self.counters.completed += 1;
                }
            }
            Actor::Gateway => {
                self.gateway_counts.moved(view.gateway, Some(status));
                view.gateway = Some(status);
                if let Some((final_at, final_status)) = track.final_status {
                    if final_status == status {
                        if track.first_match.is_none() {
                            self.delays.push(at - final_at);
                        }
                        track.first_match.get_or_insert(at);
                        track.last_match = Some(at);
                    }
                }
            }
        }
    }

    fn count_note(&mut self, kind: &NoteKind) {
        let counters = &mut self.counters;
        match kind {
            NoteKind::EndpointDisabled => self.endpoint_disabled = true,
            NoteKind::TimedOut { .. } => counters.timeouts += 1,
            NoteKind::Abandoned { .. } => counters.abandoned += 1,
            NoteKind::Received { duplicate: true, .. } => counters.duplicates_received += 1,
            NoteKind::Applied { duplicate, out_of_order, .. } => {
                counters.duplicates_processed += u64::from(*duplicate);
                counters.out_of_order += u64::from(*out_of_order);
            }
            NoteKind::DroppedUnknown { .. } | NoteKind::LostInCrash { .. } => counters.dropped += 1,
            NoteKind::SignatureRejected { .. } => counters.signature_rejected += 1,
            NoteKind::ReplayAccepted { .. } => counters.replays_accepted += 1,
            _ => {}
        }
    }

    /// Each payment's status on both sides at the cursor's position.
    pub fn views(&self) -> &[PaymentView] {
        &self.views
    }

    /// Whether ABC Payment has disabled the endpoint by the cursor's position.
    pub fn endpoint_disabled(&self) -> bool {
        self.endpoint_disabled
    }

    /// How many payments ABC Payment and the gateway hold in each status.
    pub fn status_counts(&self) -> (StatusCounts, StatusCounts) {
        (self.provider_counts, self.gateway_counts)
    }

    /// The metrics at the cursor's position; equal to
    /// `measure(trace, payment_count, position)`.
    pub fn metrics(&self, trace: &Trace) -> Metrics {
        let mut metrics = self.counters.clone();
        let mut convergence = Vec::new();
        for (track, view) in self.tracks.iter().zip(&self.views) {
            let Some((final_at, final_status)) = track.final_status else { continue };
            if view.gateway == Some(final_status) {
                convergence.push(track.last_match.unwrap_or(final_at) - final_at);
            } else if track.first_match.is_some() || view.gateway.is_some_and(Status::is_final) {
                metrics.learned_wrong += 1;
            } else {
                metrics.never_learned += 1;
            }
        }
        metrics.detected = self.delays.len() as u32;
        metrics.delay = summarize(self.delays.clone());
        metrics.convergence = summarize(convergence);
        metrics.peak_requests_per_second = self.peak;
        let start = trace.changes.first().map_or(0, |c| c.at);
        let stop = self.position.min(trace.end());
        let window_s = stop.saturating_sub(start) as f64 / SECOND as f64;
        metrics.mean_requests_per_second =
            if window_s > 0.0 { metrics.provider_requests as f64 / window_s } else { 0.0 };
        metrics
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::sim::{measure, run};

    #[test]
    fn follows_measure_forward_and_back() {
        let mut scenario = Scenario::default();
        scenario.workload.payments = 5;
        scenario.workload.processing_event = true;
        let run = run(&scenario);
        for lane in &run.lanes {
            let mut cursor = MetricsCursor::new(&lane.trace, 5);
            for at in [0, 1_000, 7_000, 7_100, 9_000, 3_000, 12_000, Millis::MAX] {
                cursor.seek(&lane.trace, at);
                assert_eq!(
                    cursor.metrics(&lane.trace),
                    measure(&lane.trace, 5, at),
                    "{:?} at {at}",
                    lane.strategy
                );
                assert_eq!(cursor.views(), lane.trace.statuses_at(5, at).as_slice());
            }
        }
    }

    #[test]
    fn counts_statuses() {
        let run = run(&Scenario::default());
        let trace = &run.lanes[0].trace;
        let mut cursor = MetricsCursor::new(trace, 1);
        cursor.seek(trace, 7_500);
        let (provider, gateway) = cursor.status_counts();
        assert_eq!(provider, StatusCounts { succeeded: 1, ..StatusCounts::default() });
        assert_eq!(gateway, StatusCounts { pending: 1, ..StatusCounts::default() });
    }
}
