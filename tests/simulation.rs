//! Native checks of the simulation against the story it tells and against
//! the analytic values of each strategy.

// Scenarios are built from the default and then edited field by field, which
// reads better than nested struct literals.
#![allow(clippy::field_reassign_with_default)]

use pollhook::scenario::{Acknowledge, ApplyRule, Arrival, RetryPreset, Scenario, Span, SECOND};
use pollhook::sim::{measure, run, run_limited, Lane, MessageKind, Run, Status, Strategy};
use proptest::prelude::{any, prop_assert, prop_assert_eq, prop_oneof, proptest, Just, ProptestConfig};
use proptest::strategy::Strategy as _;

fn lane(run: &Run, strategy: Strategy) -> &Lane {
    run.lane(strategy).expect("every strategy has a lane")
}

fn kinds(lane: &Lane) -> Vec<(MessageKind, Option<Status>)> {
    lane.trace.messages.iter().map(|m| (m.kind, m.status)).collect()
}

/// Many payments whose completion moments are spread uniformly over many poll
/// intervals, with a fixed latency so the analytic values are exact.
fn spread_scenario(interval_ms: u64, latency_ms: u64) -> Scenario {
    let mut scenario = Scenario::default();
    scenario.seed = 42;
    scenario.workload.payments = 20_000;
    scenario.workload.arrival = Arrival::Steady { gap_ms: 37 };
    scenario.workload.duration = Span::range(10 * SECOND, 70 * SECOND);
    scenario.network.latency = Span::fixed(latency_ms);
    scenario.polling.interval_ms = interval_ms;
    // The analytic values assume that ABC Payment answers every request.
    scenario.api.rate_limited = false;
    scenario
}

#[test]
fn default_story_polls_four_times() {
    let run = run(&Scenario::default());
    let polling = lane(&run, Strategy::Polling);

    use MessageKind::*;
    let pending = Some(Status::Pending);
    let succeeded = Some(Status::Succeeded);
    assert_eq!(
        kinds(polling),
        [
            (StatusRequest, None),
            (StatusResponse, pending),
            (StatusRequest, None),
            (StatusResponse, pending),
            (StatusRequest, None),
            (StatusResponse, pending),
            (StatusRequest, None),
            (StatusResponse, succeeded),
        ]
    );
    let sent: Vec<u64> = polling.trace.messages.iter().map(|m| m.sent_at).collect();
    assert_eq!(sent, [2_000, 2_100, 4_000, 4_100, 6_000, 6_100, 8_000, 8_100]);

    let metrics = &polling.metrics;
    assert_eq!(metrics.provider_requests, 4);
    assert_eq!(metrics.wasted_requests, 3);
    assert_eq!(metrics.callbacks, 0);
    assert_eq!(metrics.detected, 1);
    // Completed at 7 s, learned when the fourth answer lands at 8.2 s.
    assert_eq!(metrics.delay.unwrap().max_ms, 1_200);
}

#[test]
fn default_story_sends_one_webhook() {
    let run = run(&Scenario::default());
    let webhook = lane(&run, Strategy::Webhook);

    assert_eq!(
        kinds(webhook),
        [(MessageKind::Webhook, Some(Status::Succeeded)), (MessageKind::WebhookResponse, None)]
    );
    assert_eq!(webhook.trace.messages[1].http_status, Some(200));

    let metrics = &webhook.metrics;
    assert_eq!(metrics.callbacks, 1);
    assert_eq!(metrics.provider_requests, 0);
    assert_eq!(metrics.wasted_requests, 0);
    assert_eq!(metrics.detected, 1);
    assert_eq!(metrics.delay.unwrap().max_ms, 100);
}

#[test]
fn polling_delay_is_half_interval_plus_latency() {
    let (interval, latency) = (2_000, 50);
    let run = run(&spread_scenario(interval, latency));
    let metrics = &lane(&run, Strategy::Polling).metrics;
    let delay = metrics.delay.unwrap();

    // Completion is uniform relative to the poll phase, so the wait for the
    // next poll is uniform on the integers 0..interval-1 (mean 999.5 ms), and
    // the answer then takes one latency back to the gateway. The standard
    // error of the mean over 20,000 payments is about 4 ms.
    let expected = (interval - 1) as f64 / 2.0 + latency as f64;
    assert_eq!(metrics.detected, 20_000);
    assert!((delay.mean_ms - expected).abs() < 15.0, "mean {} ms, expected {expected} ms", delay.mean_ms);
    assert!(delay.max_ms <= interval - 1 + latency, "max {}", delay.max_ms);
    assert!(delay.p95_ms >= 1_900 && delay.p95_ms <= 2_050, "p95 {}", delay.p95_ms);
}

#[test]
fn polling_waste_is_duration_over_interval() {
    let (interval, latency) = (2_000, 50);
    let scenario = spread_scenario(interval, latency);
    let run = run(&scenario);
    let metrics = &lane(&run, Strategy::Polling).metrics;

    // A payment of duration D gets a "pending" answer from every poll that
    // reaches ABC Payment before it completes, at k*T + L for k >= 1. Over D
    // uniform on [10 s, 70 s] that is (mean D - L) / T - 1/2 = 19.475 per
    // payment, close to the rule of thumb D/T = 20.
    let mean_duration = scenario.workload.duration.mean();
    let expected = (mean_duration - latency as f64) / interval as f64 - 0.5;
    let per_payment = metrics.wasted_requests as f64 / 20_000.0;
    assert!((per_payment - expected).abs() < 0.1, "{per_payment} per payment, expected {expected}");
    assert!((per_payment - mean_duration / interval as f64).abs() < 1.0);
    // Every payment costs its pending answers plus the one that says it is final.
    assert_eq!(metrics.provider_requests, metrics.wasted_requests + 20_000);
}

#[test]
fn webhook_delay_is_one_way_latency() {
    let run = run(&spread_scenario(2_000, 50));
    let metrics = &lane(&run, Strategy::Webhook).metrics;
    let delay = metrics.delay.unwrap();
    assert_eq!(metrics.callbacks, 20_000);
    assert_eq!(metrics.provider_requests, 0);
    assert_eq!((delay.mean_ms, delay.p95_ms, delay.max_ms), (50.0, 50, 50));
}

#[test]
fn webhook_delay_follows_latency_range() {
    let mut scenario = spread_scenario(2_000, 0);
    scenario.network.latency = Span::range(20, 180);
    let run = run(&scenario);
    let delay = lane(&run, Strategy::Webhook).metrics.delay.unwrap();
    // Uniform latency on [20, 180] ms has mean 100 ms; the standard error is under 0.4 ms.
    assert!((delay.mean_ms - 100.0).abs() < 2.0, "mean {}", delay.mean_ms);
    assert_eq!(delay.max_ms, 180);
}

#[test]
fn longer_interval_costs_fewer_requests() {
    let mut scenario = Scenario::default();
    scenario.workload.payments = 50;
    let short = run(&scenario);
    scenario.polling.interval_ms = 5 * SECOND;
    let long = run(&scenario);

    let requests = |run: &Run, strategy| lane(run, strategy).metrics.provider_requests;
    assert!(requests(&long, Strategy::Polling) < requests(&short, Strategy::Polling));
    assert_eq!(lane(&long, Strategy::Webhook).metrics, lane(&short, Strategy::Webhook).metrics);
}

#[test]
fn strategies_share_payments() {
    let mut scenario = Scenario::default();
    scenario.workload.payments = 30;
    scenario.workload.duration = Span::range(1_000, 60_000);
    scenario.workload.arrival = Arrival::Poisson { per_second: 2.0 };
    let run = run(&scenario);
    for lane in &run.lanes {
        for (index, payment) in run.payments.iter().enumerate() {
            let completed = lane
                .trace
                .changes
                .iter()
                .find(|c| c.payment == index as u32 && c.status.is_final())
                .expect("every payment completes");
            assert_eq!(completed.at, payment.completes_at, "{:?} payment {index}", lane.strategy);
        }
    }
}

#[test]
fn same_seed_same_run() {
    let mut scenario = spread_scenario(1_500, 0);
    scenario.workload.payments = 200;
    scenario.network.latency = Span::range(10, 300);
    assert_eq!(run(&scenario), run(&scenario));
    let other = Scenario { seed: scenario.seed + 1, ..scenario.clone() };
    assert_ne!(run(&scenario), run(&other));
}

#[test]
fn message_limit_cuts_run() {
    // Ten payments polled every 100 ms for a day would send 17 million messages.
    let mut scenario = Scenario::default();
    scenario.workload.payments = 10;
    scenario.workload.duration = Span::fixed(86_400 * SECOND);
    scenario.polling.interval_ms = 100;
    scenario.api.rate_limited = false;

    let limited = run_limited(&scenario, 5_000);
    let polling = lane(&limited, Strategy::Polling);
    let cut_at = polling.trace.cut_at.expect("the polling run stops at the limit");
    assert_eq!(polling.trace.messages.len(), 5_000);
    assert!(polling.trace.messages.iter().all(|m| m.sent_at <= cut_at));
    assert!(cut_at < 86_400 * SECOND);
    assert_eq!(polling.metrics.detected, 0, "no payment is final before the cut");

    let webhook = lane(&limited, Strategy::Webhook);
    assert_eq!(webhook.trace.cut_at, None, "20 webhook messages stay under the limit");
    assert_eq!(webhook.metrics.detected, 10);

    let whole = run(&Scenario {
        workload: pollhook::scenario::Workload { payments: 2, ..Default::default() },
        ..Scenario::default()
    });
    assert!(whole.lanes.iter().all(|lane| lane.trace.cut_at.is_none()));
}

fn any_span(max: u64) -> impl proptest::strategy::Strategy<Value = Span> {
    prop_oneof![
        (0..=max).prop_map(Span::fixed),
        (0..=max, 0..=max).prop_map(|(a, b)| Span::range(a.min(b), a.max(b))),
    ]
}

fn any_scenario() -> impl proptest::strategy::Strategy<Value = Scenario> {
    (
        any::<u64>(),
        1..=40u32,
        any_span(60_000),
        any_span(2_000),
        100..=10_000u64,
        prop_oneof![
            (0..=5_000u64).prop_map(|gap_ms| Arrival::Steady { gap_ms }),
            (0.1..20.0f64).prop_map(|per_second| Arrival::Poisson { per_second }),
            Just(Arrival::Burst),
        ],
    )
        .prop_map(|(seed, payments, duration, latency, interval_ms, arrival)| {
            let mut scenario = Scenario::default();
            scenario.seed = seed;
            scenario.workload.payments = payments;
            scenario.workload.arrival = arrival;
            scenario.workload.duration = duration;
            scenario.network.latency = latency;
            scenario.polling.interval_ms = interval_ms;
            // The delay bounds below assume that every request is answered.
            scenario.api.rate_limited = false;
            scenario
        })
}

/// Scenarios with every failure knob turned at random.
fn any_troubled_scenario() -> impl proptest::strategy::Strategy<Value = Scenario> {
    let delivery = (
        prop_oneof![
            Just(RetryPreset::StandardWebhooks),
            Just(RetryPreset::Svix),
            Just(RetryPreset::GitHub),
            Just(RetryPreset::Custom)
        ],
        0..=60u32,
        0..=20_000u64,
        any::<bool>(),
    );
    let receiver = (
        any::<bool>(),
        prop_oneof![Just(ApplyRule::LastWriteWins), Just(ApplyRule::StatusRank), Just(ApplyRule::Fetch)],
        prop_oneof![
            Just(Acknowledge::AfterProcessing),
            Just(Acknowledge::AfterStoring),
            Just(Acknowledge::BeforeStoring)
        ],
        any::<bool>(),
        any::<bool>(),
    );
    let endpoint = (0..=60_000u64, 0..=30u32, any_span(30_000), 0..=50u32, any_span(5_000));
    (any_scenario(), delivery, receiver, endpoint, any::<bool>(), 0..=20u32).prop_map(
        |(mut scenario, delivery, receiver, endpoint, processing, decline)| {
            scenario.delivery.retry = delivery.0;
            scenario.network.webhook_loss_percent = delivery.1;
            scenario.delivery.replay_after_ms = delivery.2;
            scenario.api.rate_limited = delivery.3;
            scenario.receiver.deduplicate = receiver.0;
            scenario.receiver.apply = receiver.1;
            scenario.receiver.acknowledge = receiver.2;
            scenario.receiver.reject_unknown = receiver.3;
            scenario.receiver.reserialize_body = receiver.4;
            scenario.endpoint.down_for_ms = endpoint.0;
            scenario.endpoint.error_percent = endpoint.1;
            scenario.endpoint.handler = endpoint.2;
            scenario.endpoint.crash_percent = endpoint.3;
            scenario.workload.record_delay = endpoint.4;
            scenario.workload.processing_event = processing;
            scenario.workload.decline_percent = decline;
            scenario.shown.hybrid = true;
            scenario
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn invariants_hold(scenario in any_scenario()) {
        let run = run(&scenario);
        let n = scenario.workload.payments;
        let max_latency = scenario.network.latency.max();

        for lane in &run.lanes {
            let metrics = &lane.metrics;
            // Nothing is lost in a scenario without failures.
            prop_assert_eq!(metrics.completed, n);
            prop_assert_eq!(metrics.detected, n);

            let messages = &lane.trace.messages;
            prop_assert!(messages.windows(2).all(|w| w[0].sent_at <= w[1].sent_at));
            prop_assert!(messages.iter().all(|m| m.arrives_at >= m.sent_at));
            prop_assert!(messages.iter().all(|m| m.arrives_at - m.sent_at <= max_latency));
            prop_assert!(lane.trace.changes.windows(2).all(|w| w[0].at <= w[1].at));

            let delay = metrics.delay.unwrap();
            match lane.strategy {
                Strategy::Polling => {
                    prop_assert!(delay.max_ms <= scenario.polling.interval_ms + 2 * max_latency);
                    prop_assert!(metrics.provider_requests >= metrics.wasted_requests + u64::from(n));
                    prop_assert_eq!(metrics.callbacks, 0);
                }
                Strategy::Webhook | Strategy::Hybrid => {
                    prop_assert!(delay.max_ms <= max_latency + scenario.endpoint.handler.max());
                    prop_assert_eq!(metrics.callbacks, u64::from(n));
                    prop_assert_eq!(metrics.provider_requests, 0);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever goes wrong, every payment completes at ABC Payment, and a
    /// payment the gateway does not know correctly at the end is explained
    /// by a failure the trace counts.
    #[test]
    fn failures_are_accounted(scenario in any_troubled_scenario()) {
        let run = run(&scenario);
        let n = scenario.workload.payments;
        for lane in &run.lanes {
            let m = &lane.metrics;
            prop_assert_eq!(m.completed, n);
            // Each final payment is known correctly, known wrongly or never learned.
            prop_assert!(m.never_learned + m.learned_wrong <= n);
            let converged = n - m.never_learned - m.learned_wrong;
            prop_assert!(m.detected >= converged && m.detected <= converged + m.learned_wrong);
            let unknown = m.never_learned + m.learned_wrong;
            if unknown > 0 {
                let explained = m.abandoned + m.dropped + m.out_of_order + m.signature_rejected + m.timeouts;
                prop_assert!(explained > 0, "{:?}: {} payments unknown with no failure counted", lane.strategy, unknown);
            }
            if lane.strategy == Strategy::Polling {
                prop_assert_eq!(unknown, 0, "polling asks until it knows");
            }
            prop_assert!(m.duplicates_processed <= m.duplicates_received + m.replays_accepted);
            if scenario.receiver.deduplicate {
                prop_assert_eq!(m.duplicates_processed, 0);
            }
            if scenario.receiver.apply != ApplyRule::LastWriteWins {
                prop_assert_eq!(m.out_of_order, 0);
            }
        }
        prop_assert_eq!(run.clone(), crate::run(&scenario), "deterministic");
        for lane in &run.lanes {
            let (totals, _) = pollhook::sim::run_totals(&scenario, lane.strategy);
            prop_assert_eq!(&totals, &lane.metrics, "running totals of {:?} match the trace", lane.strategy);

            // Bounded totals differ only in the percentiles, by less than 0.8%.
            let (mut bounded, _) = pollhook::sim::run_bounded(&scenario, lane.strategy);
            for (approximate, exact) in [(&mut bounded.delay, totals.delay), (&mut bounded.convergence, totals.convergence)] {
                if let (Some(approximate), Some(exact)) = (approximate.as_mut(), exact) {
                    prop_assert!(approximate.p95_ms <= exact.p95_ms && exact.p95_ms - approximate.p95_ms <= exact.p95_ms / 128);
                    approximate.p95_ms = exact.p95_ms;
                }
            }
            prop_assert_eq!(&bounded, &totals, "bounded totals of {:?}", lane.strategy);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    /// The playback cursor gives what `measure` gives, at every moment,
    /// moving forward and jumping back.
    #[test]
    fn cursor_matches_measure(scenario in any_troubled_scenario(), fractions in proptest::collection::vec(0.0..1.2f64, 1..8)) {
        let run = run(&scenario);
        let n = scenario.workload.payments as usize;
        for lane in &run.lanes {
            let end = lane.trace.end() as f64;
            let mut cursor = pollhook::sim::MetricsCursor::new(&lane.trace, n);
            for fraction in &fractions {
                let at = (end * fraction) as u64;
                cursor.seek(&lane.trace, at);
                prop_assert_eq!(cursor.metrics(&lane.trace), measure(&lane.trace, n, at), "{:?} at {}", lane.strategy, at);

                // The quick in-flight query finds what a scan of every message finds.
                let now = end * fraction;
                let quick: Vec<usize> = lane.trace.in_flight(now).map(|flight| flight.index).collect();
                let scanned: Vec<usize> = lane.trace.messages.iter().enumerate()
                    .filter(|(_, m)| {
                        let vanishes_at = if m.lost { (m.sent_at + m.arrives_at) as f64 / 2.0 } else { m.arrives_at as f64 };
                        m.sent_at as f64 <= now && vanishes_at > now
                    })
                    .map(|(index, _)| index)
                    .collect();
                prop_assert_eq!(quick, scanned);
            }
        }
    }
}
