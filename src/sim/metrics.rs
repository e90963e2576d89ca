//! Cost and latency figures, derived from a trace alone.
//!
//! Every figure can be taken at any virtual time `until`, counting only what
//! has arrived by then, so the counters on the page move exactly when the
//! tokens on the stage land.

use serde::Serialize;

use super::trace::{Actor, MessageKind, NoteKind, Purpose, Status, Trace};
use crate::scenario::{Millis, SECOND};

/// Summary of the detection delays of the payments the gateway has learned about.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct DelayStats {
    /// Arithmetic mean, in milliseconds.
    pub mean_ms: f64,
    /// 95th percentile (nearest rank), in milliseconds.
    pub p95_ms: Millis,
    /// Largest delay, in milliseconds.
    pub max_ms: Millis,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Metrics {
    /// Requests that reached ABC Payment's API: polls, fetches and reconciliation.
    pub provider_requests: u64,
    /// Status answers that reached the gateway saying the payment was not final yet.
    pub wasted_requests: u64,
    /// 429 answers that reached the gateway.
    pub rate_limited: u64,
    /// Webhook delivery attempts that reached the gateway's endpoint.
    pub callbacks: u64,
    /// Delivery attempts after the first, sent by ABC Payment.
    pub retries: u64,
    /// Attempts whose answer did not come back within the timeout.
    pub timeouts: u64,
    /// Events ABC Payment gave up on after the last attempt failed.
    pub abandoned: u64,
    /// Deliveries of an event id the endpoint had received before.
    pub duplicates_received: u64,
    /// Events the gateway processed again although it had processed them before.
    pub duplicates_processed: u64,
    /// Events applied after a newer event of the same payment, overwriting it.
    pub out_of_order: u64,
    /// Events answered 2xx but never processed: unknown payment or a crash before storing.
    pub dropped: u64,
    /// Deliveries and replays rejected by signature verification.
    pub signature_rejected: u64,
    /// Replays the gateway accepted.
    pub replays_accepted: u64,
    /// Payments whose final status ABC Payment has set.
    pub completed: u32,
    /// Payments whose final status the gateway has learned.
    pub detected: u32,
    /// Final payments the gateway holds no final status for and never held the right one.
    pub never_learned: u32,
    /// Final payments the gateway holds a wrong status for.
    pub learned_wrong: u32,
    /// Delay from ABC Payment setting the final status to the gateway first
    /// learning it; `None` until the first payment is detected.
    pub delay: Option<DelayStats>,
    /// Delay from ABC Payment setting the final status to the gateway's view
    /// last becoming equal to it, over payments whose views agree.
    pub convergence: Option<DelayStats>,
    /// Largest number of requests reaching ABC Payment within one whole second of virtual time.
    pub peak_requests_per_second: u64,
    /// Requests reaching ABC Payment per second, averaged from the first
    /// payment's creation to `until` or the end of the run, whichever is earlier.
    pub mean_requests_per_second: f64,
}

/// Measures the trace as it stands at virtual time `until`; pass
/// `Millis::MAX` for the whole run.
pub fn measure(trace: &Trace, payment_count: usize, until: Millis) -> Metrics {
    let mut metrics = Metrics::default();
    let mut request_seconds = Vec::new();

    for message in trace.messages.iter().take_while(|m| m.sent_at <= until) {
        if message.kind == MessageKind::Webhook && message.purpose == Purpose::Delivery && message.attempt > 1
        {
            metrics.retries += 1;
        }
        if !message.arrived_by(until) {
            continue;
        }
        match message.kind {
            MessageKind::StatusRequest => {
                metrics.provider_requests += 1;
                request_seconds.push(message.arrives_at / SECOND);
            }
            MessageKind::StatusResponse if message.http_status == Some(429) => metrics.rate_limited += 1,
            MessageKind::StatusResponse if message.status.is_some_and(|s| !s.is_final()) => {
                metrics.wasted_requests += 1;
            }
            MessageKind::Webhook if message.purpose == Purpose::Delivery => metrics.callbacks += 1,
            _ => {}
        }
    }

    for note in trace.notes.iter().take_while(|n| n.at <= until) {
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

    let outcome = settle(trace, payment_count, until);
    metrics.completed = outcome.completed;
    metrics.detected = outcome.delays.len() as u32;
    metrics.never_learned = outcome.never_learned;
    metrics.learned_wrong = outcome.learned_wrong;
    metrics.delay = summarize(outcome.delays);
    metrics.convergence = summarize(outcome.convergence);

    let start = trace.changes.first().map_or(0, |c| c.at);
    let stop = until.min(trace.end());
    let window_s = stop.saturating_sub(start) as f64 / SECOND as f64;
    metrics.mean_requests_per_second =
        if window_s > 0.0 { metrics.provider_requests as f64 / window_s } else { 0.0 };
    metrics.peak_requests_per_second = peak_per_bucket(request_seconds);
    metrics
}

/// The moment the gateway first learned a payment's final status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Detection {
    /// Virtual time the gateway learned it, in milliseconds.
    pub at: Millis,
    pub payment: u32,
    pub status: Status,
    /// Time since ABC Payment set the final status, in milliseconds.
    pub delay_ms: Millis,
}

/// Returns every detection in the trace, in the order they happened.
pub fn detections(trace: &Trace, payment_count: usize) -> Vec<Detection> {
    let mut final_at: Vec<Option<(Millis, Status)>> = vec![None; payment_count];
    let mut detected = vec![false; payment_count];
    let mut out = Vec::new();
    for change in &trace.changes {
        let index = change.payment as usize;
        match change.actor {
            Actor::Provider if change.status.is_final() => final_at[index] = Some((change.at, change.status)),
            Actor::Provider => {}
            Actor::Gateway => {
                if let Some((at, status)) = final_at[index] {
                    if status == change.status && !detected[index] {
                        detected[index] = true;
                        out.push(Detection {
                            at: change.at,
                            payment: change.payment,
                            status,
                            delay_ms: change.at - at,
                        });
                    }
                }
            }
        }
    }
    out
}

/// How the gateway's views of the final payments stand at some moment.
struct Outcome {
    completed: u32,
    /// Detection delay of each payment the gateway has learned correctly.
    delays: Vec<Millis>,
    /// Convergence delay of each payment whose view now matches.
    convergence: Vec<Millis>,
    never_learned: u32,
    learned_wrong: u32,
}

#[derive(Clone, Copy, Default)]
struct PaymentTrack {
    /// Final status at ABC Payment and when it was set.
    final_status: Option<(Millis, Status)>,
    /// The gateway's view.
    view: Option<Status>,
    /// When the gateway first, and most recently, came to hold the final status.
    first_match: Option<Millis>,
    last_match: Option<Millis>,
}

fn settle(trace: &Trace, payment_count: usize, until: Millis) -> Outcome {
    let mut tracks = vec![PaymentTrack::default(); payment_count];
    for change in trace.changes.iter().take_while(|c| c.at <= until) {
        let track = &mut tracks[change.payment as usize];
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

    let mut outcome = Outcome {
        completed: 0,
        delays: Vec::new(),
        convergence: Vec::new(),
        never_learned: 0,
        learned_wrong: 0,
    };
    for track in &tracks {
        let Some((final_at, final_status)) = track.final_status else {
            continue;
        };
        outcome.completed += 1;
        if let Some(first) = track.first_match {
            outcome.delays.push(first - final_at);
        }
        if track.view == Some(final_status) {
            outcome.convergence.push(track.last_match.unwrap_or(final_at) - final_at);
        } else if track.first_match.is_some() || track.view.is_some_and(Status::is_final) {
            outcome.learned_wrong += 1;
        } else {
            outcome.never_learned += 1;
        }
    }
    outcome
}

pub(super) fn summarize(mut delays: Vec<Millis>) -> Option<DelayStats> {
    if delays.is_empty() {
        return None;
    }
    delays.sort_unstable();
    let n = delays.len();
    let rank = (n * 95).div_ceil(100).max(1);
    Some(DelayStats {
        mean_ms: delays.iter().sum::<Millis>() as f64 / n as f64,
        p95_ms: delays[rank - 1],
        max_ms: delays[n - 1],
    })
}

/// Returns the largest number of equal values in the list.
fn peak_per_bucket(mut buckets: Vec<Millis>) -> u64 {
    buckets.sort_unstable();
    let mut peak = 0;
    let mut run = 0;
    for (i, bucket) in buckets.iter().enumerate() {
        run = if i > 0 && buckets[i - 1] == *bucket { run + 1 } else { 1 };
        peak = peak.max(run);
    }
    peak
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarize_uses_nearest_rank() {
        let delays: Vec<Millis> = (1..=100).collect();
        let stats = summarize(delays).unwrap();
        assert_eq!(stats.mean_ms, 50.5);
        assert_eq!(stats.p95_ms, 95);
        assert_eq!(stats.max_ms, 100);
        assert_eq!(summarize(vec![7]).unwrap().p95_ms, 7);
        assert_eq!(summarize(Vec::new()), None);
    }

    #[test]
    fn detections_follow_the_story() {
        let run = crate::sim::run(&crate::scenario::Scenario::default());
        let found: Vec<Detection> = run.lanes.iter().flat_map(|lane| detections(&lane.trace, 1)).collect();
        let succeeded = Status::Succeeded;
        assert_eq!(
            found,
            [
                Detection { at: 8_200, payment: 0, status: succeeded, delay_ms: 1_200 },
                Detection { at: 7_100, payment: 0, status: succeeded, delay_ms: 100 },
            ]
        );
    }

    #[test]
    fn peak_counts_largest_bucket() {
        assert_eq!(peak_per_bucket(vec![3, 1, 3, 2, 3, 1]), 3);
        assert_eq!(peak_per_bucket(Vec::new()), 0);
    }
}
