//! The data behind the charts, computed from runs and traces. Pure, so it
//! is tested natively; the chart components only draw it.

use crate::scenario::{Millis, Scenario, Strategy, SECOND};
use crate::sim::{detections, run_with, MessageKind, Timeline, Trace};

/// Requests reaching ABC Payment per second, averaged over at most `buckets`
/// equal stretches from 0 to `end`, each at least a second long so that one
/// request never reads as several per second. Each point is (middle of the
/// stretch in milliseconds, requests per second).
pub fn request_rate(trace: &Trace, end: Millis, buckets: usize) -> Vec<(f64, f64)> {
    let width = (end.max(1) as f64 / buckets.max(1) as f64).max(SECOND as f64);
    let buckets = (end.max(1) as f64 / width).ceil() as usize;
    let mut counts = vec![0u64; buckets];
    for message in &trace.messages {
        if message.kind == MessageKind::StatusRequest && !message.lost {
            let bucket = ((message.arrives_at as f64 / width) as usize).min(buckets - 1);
            counts[bucket] += 1;
        }
    }
    let seconds = width / SECOND as f64;
    counts.iter().enumerate().map(|(i, &count)| ((i as f64 + 0.5) * width, count as f64 / seconds)).collect()
}

/// The share of payments detected within each delay: points (delay in
/// milliseconds, share from 0 to 1 of all payments), at most `points` of
/// them. Payments never detected keep the curve below 1.
pub fn delay_distribution(trace: &Trace, payment_count: usize, points: usize) -> Vec<(f64, f64)> {
    let mut delays: Vec<Millis> = detections(trace, payment_count).iter().map(|d| d.delay_ms).collect();
    if delays.is_empty() || payment_count == 0 {
        return Vec::new();
    }
    delays.sort_unstable();
    let step = (delays.len() / points.max(1)).max(1);
    let total = payment_count as f64;
    // The curve starts at 0 at the shortest delay, so even one payment draws a step.
    let mut curve = vec![(delays[0] as f64, 0.0)];
    curve.extend(delays.iter().enumerate().step_by(step).map(|(i, &d)| (d as f64, (i + 1) as f64 / total)));
    let last = delays.len();
    curve.push((delays[last - 1] as f64, last as f64 / total));
    curve
}

/// How many of the run's first payments the trade-off chart simulates per
/// point, so that each point stays a short task in the browser.
pub const SWEEP_PAYMENTS: u32 = 200;
/// Maximum number of messages for one point of the trade-off chart, an
/// estimated 60 ms of simulation in the browser. A point that needs more is left out.
pub const SWEEP_MESSAGE_LIMIT: usize = 100_000;
/// Number of poll intervals on the trade-off curve.
pub const SWEEP_POINTS: usize = 24;
/// The shortest interval on the curve lets each payment be polled at most
/// this many times over its mean duration.
const MOST_POLLS_PER_PAYMENT: f64 = 150.0;

/// One point of the trade-off chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TradeoffPoint {
    pub strategy: Strategy,
    /// The poll interval, for polling points, in milliseconds.
    pub interval_ms: Option<Millis>,
    /// Requests that reached ABC Payment per payment.
    pub requests_per_payment: f64,
    /// Mean detection delay over the payments detected, in milliseconds.
    pub mean_delay_ms: f64,
    /// Share of the sampled payments the gateway learned, from 0 to 1.
    pub detected_share: f64,
}

/// The poll intervals of the trade-off curve, spaced evenly on a log
/// scale from a 150th of the mean payment duration to three times it,
/// within the allowed poll intervals.
pub fn sweep_intervals(scenario: &Scenario) -> Vec<Millis> {
    let limit = crate::scenario::limits::POLL_INTERVAL;
    let mean = scenario.workload.duration.mean().max(SECOND as f64);
    let low = (mean / MOST_POLLS_PER_PAYMENT).max(limit.min as f64);
    let high = (mean * 3.0).min(limit.max as f64).max(low * 2.0);
    let ratio = (high / low).powf(1.0 / (SWEEP_POINTS - 1) as f64);
    let mut intervals: Vec<Millis> =
        (0..SWEEP_POINTS).map(|i| (low * ratio.powi(i as i32)).round() as Millis).collect();
    intervals.dedup();
    intervals
}

/// The scenario the sweep simulates: the first [`SWEEP_PAYMENTS`] payments.
pub fn sweep_scenario(scenario: &Scenario) -> Scenario {
    let mut sample = scenario.clone();
    sample.workload.payments = sample.workload.payments.min(SWEEP_PAYMENTS);
    sample
}

/// Simulates one point of the trade-off chart: polling at an interval, or,
/// without one, the given push strategy. Returns `None` when the run would
/// send more than [`SWEEP_MESSAGE_LIMIT`] messages.
pub fn sweep_point(
    sample: &Scenario,
    strategy: Strategy,
    interval_ms: Option<Millis>,
) -> Option<TradeoffPoint> {
    let mut scenario = sample.clone();
    if let Some(interval) = interval_ms {
        scenario.polling.interval_ms = interval;
        scenario.polling.backoff_factor = 1.0;
    }
    // A timeline, the long run's recorder, keeps the wasm bundle to one
    // more copy of the engine than the page's traces need.
    let (timeline, _) = run_with(strategy, &scenario, Timeline::limited(SWEEP_MESSAGE_LIMIT));
    if timeline.cut_at().is_some() {
        return None;
    }
    let totals = timeline.latest();
    let payments = f64::from(scenario.workload.payments.max(1));
    Some(TradeoffPoint {
        strategy,
        interval_ms,
        requests_per_payment: totals.requests as f64 / payments,
        mean_delay_ms: totals.mean_delay_ms().unwrap_or(f64::NAN),
        detected_share: totals.detected as f64 / payments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::run;

    #[test]
    fn request_rate_sums_to_requests() {
        let mut scenario = Scenario::default();
        scenario.workload.payments = 20;
        scenario.api.rate_limited = false;
        let run = run(&scenario);
        let lane = &run.lanes[0];
        let end = run.end();
        let series = request_rate(&lane.trace, end, 40);
        assert!(series.len() <= 40, "{}", series.len());
        let width_s = (end as f64 / 40.0 / 1_000.0).max(1.0);
        assert_eq!(series.len(), (end as f64 / 1_000.0 / width_s).ceil() as usize);
        let total: f64 = series.iter().map(|(_, rate)| rate * width_s).sum();
        assert!((total - lane.metrics.provider_requests as f64).abs() < 1e-6, "{total}");
    }

    #[test]
    fn one_request_is_one_per_second() {
        // The default story: four requests over 8.2 s, one every 2 s.
        let run = run(&Scenario::default());
        let series = request_rate(&run.lanes[0].trace, run.end(), 120);
        assert_eq!(series.len(), 9, "one-second stretches");
        let peak = series.iter().map(|(_, rate)| *rate).fold(0.0, f64::max);
        assert_eq!(peak, 1.0);
    }

    #[test]
    fn one_payment_draws_a_step() {
        let run = run(&Scenario::default());
        let curve = delay_distribution(&run.lanes[0].trace, 1, 200);
        assert_eq!(curve.first(), Some(&(1_200.0, 0.0)));
        assert_eq!(curve.last(), Some(&(1_200.0, 1.0)));
    }

    #[test]
    fn distribution_ends_at_detected_share() {
        let mut scenario = Scenario::default();
        scenario.workload.payments = 50;
        let run = run(&scenario);
        let curve = delay_distribution(&run.lanes[0].trace, 50, 10);
        assert!(curve.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1));
        assert_eq!(curve.last().unwrap().1, 1.0);
        assert_eq!(curve.last().unwrap().0, run.lanes[0].metrics.delay.unwrap().max_ms as f64);
    }

    #[test]
    fn intervals_span_the_duration() {
        let intervals = sweep_intervals(&Scenario::default());
        assert!(intervals.len() >= 20, "{}", intervals.len());
        assert!(intervals.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(intervals[0], 100, "7 s / 150 is under the 100 ms floor");
        assert_eq!(*intervals.last().unwrap(), 21_000);
    }

    #[test]
    fn slower_polling_costs_less_and_learns_later() {
        let sample = sweep_scenario(&Scenario {
            workload: crate::scenario::Workload { payments: 500, ..Default::default() },
            ..Scenario::default()
        });
        assert_eq!(sample.workload.payments, SWEEP_PAYMENTS);
        let fast = sweep_point(&sample, Strategy::Polling, Some(500)).expect("under the message limit");
        let slow = sweep_point(&sample, Strategy::Polling, Some(5_000)).expect("under the message limit");
        assert!(fast.requests_per_payment > slow.requests_per_payment);
        assert!(fast.mean_delay_ms < slow.mean_delay_ms);
        let push = sweep_point(&sample, Strategy::Webhook, None).expect("under the message limit");
        assert_eq!(push.requests_per_payment, 0.0);
        assert_eq!(push.mean_delay_ms, 100.0);
        assert_eq!(push.detected_share, 1.0);
    }

    #[test]
    fn oversized_point_is_left_out() {
        // 200 payments polled every 100 ms for a day would send 346 million messages.
        let mut scenario = Scenario::default();
        scenario.workload.payments = 200;
        scenario.workload.duration = crate::scenario::Span::fixed(86_400 * SECOND);
        let sample = sweep_scenario(&scenario);
        assert_eq!(sweep_point(&sample, Strategy::Polling, Some(100)), None);
        assert!(sweep_point(&sample, Strategy::Polling, Some(sweep_intervals(&scenario)[0])).is_some());
    }
}
