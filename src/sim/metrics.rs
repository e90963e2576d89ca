//! Cost and latency figures, derived from a trace alone.
//!
//! Every figure can be taken at any virtual time `until`, counting only what
//! has arrived by then, so the counters on the page move exactly when the
//! tokens on the stage land.

use serde::Serialize;

use super::trace::{Actor, MessageKind, Trace};
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

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metrics {
    /// Requests that reached ABC Payment's API.
    pub provider_requests: u64,
    /// Status responses that reached the gateway saying the payment was not final yet.
    pub wasted_requests: u64,
    /// Webhook delivery attempts that reached the gateway.
    pub callbacks: u64,
    /// Payments whose final status ABC Payment has set.
    pub completed: u32,
    /// Payments whose final status the gateway has learned.
    pub detected: u32,
    /// Delay from ABC Payment setting the final status to the gateway learning it;
    /// `None` until the first payment is detected.
    pub delay: Option<DelayStats>,
    /// Largest number of requests reaching ABC Payment within one whole second of virtual time.
    pub peak_requests_per_second: u64,
    /// Requests reaching ABC Payment per second, averaged from the first
    /// payment's creation to `until` or the end of the run, whichever is earlier.
    pub mean_requests_per_second: f64,
}

/// Measures the trace as it stands at virtual time `until`; pass
/// `Millis::MAX` for the whole run.
pub fn measure(trace: &Trace, payment_count: usize, until: Millis) -> Metrics {
    let arrived = trace.messages.iter().filter(|m| m.arrives_at <= until);

    let mut provider_requests = 0;
    let mut wasted_requests = 0;
    let mut callbacks = 0;
    let mut request_seconds = Vec::new();
    for message in arrived {
        match message.kind {
            kind if kind.is_provider_request() => {
                provider_requests += 1;
                request_seconds.push(message.arrives_at / SECOND);
            }
            MessageKind::StatusResponse if message.status.is_some_and(|s| !s.is_final()) => {
                wasted_requests += 1;
            }
            MessageKind::Webhook => callbacks += 1,
            _ => {}
        }
    }

    let (completed, delays) = detection_delays(trace, payment_count, until);
    let start = trace.changes.first().map_or(0, |c| c.at);
    let stop = until.min(trace.end());
    let window_s = stop.saturating_sub(start) as f64 / SECOND as f64;

    Metrics {
        provider_requests,
        wasted_requests,
        callbacks,
        completed,
        detected: delays.len() as u32,
        delay: summarize(delays),
        peak_requests_per_second: peak_per_bucket(request_seconds),
        mean_requests_per_second: if window_s > 0.0 {
            provider_requests as f64 / window_s
        } else {
            0.0
        },
    }
}

/// Returns the number of payments ABC Payment has completed by `until`, and
/// the detection delay of each one the gateway has learned correctly by then.
fn detection_delays(trace: &Trace, payment_count: usize, until: Millis) -> (u32, Vec<Millis>) {
    let mut completed_at = vec![None; payment_count];
    let mut delays = Vec::new();
    let mut completed = 0;
    for change in trace.changes.iter().take_while(|c| c.at <= until) {
        if !change.status.is_final() {
            continue;
        }
        let slot = &mut completed_at[change.payment as usize];
        match change.actor {
            Actor::Provider => {
                *slot = Some((change.at, change.status, false));
                completed += 1;
            }
            Actor::Gateway => {
                if let Some((at, status, detected)) = slot {
                    if *status == change.status && !*detected {
                        delays.push(change.at - *at);
                        *detected = true;
                    }
                }
            }
        }
    }
    (completed, delays)
}

fn summarize(mut delays: Vec<Millis>) -> Option<DelayStats> {
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
        run = if i > 0 && buckets[i - 1] == *bucket {
            run + 1
        } else {
            1
        };
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
    fn peak_counts_largest_bucket() {
        assert_eq!(peak_per_bucket(vec![3, 1, 3, 2, 3, 1]), 3);
        assert_eq!(peak_per_bucket(Vec::new()), 0);
    }
}
