//! Webhook delivery and polling follow the published behaviour exactly, in
//! virtual time, to the millisecond.

// Scenarios are built from the default and then edited field by field.
#![allow(clippy::field_reassign_with_default)]

use pollhook::scenario::presets::{ADYEN_DELAYS, SHOPIFY_DELAYS, STANDARD_WEBHOOKS_DELAYS, SVIX_DELAYS};
use pollhook::scenario::{Millis, RetryPreset, Scenario, Span, DAY, HOUR, MINUTE, SECOND};
use pollhook::sim::{self, Lane, MessageKind, NoteKind, Purpose, Run, Status, Strategy};

const LATENCY: Millis = 100;
/// The payment of the default scenario completes, and its event goes out, at 7 s.
const EVENT_AT: Millis = 7 * SECOND;

fn lane(run: &Run, strategy: Strategy) -> &Lane {
    run.lane(strategy).expect("every strategy runs")
}

/// Send times of the delivery attempts in the webhook lane.
fn attempt_times(run: &Run) -> Vec<Millis> {
    lane(run, Strategy::Webhook)
        .trace
        .messages
        .iter()
        .filter(|m| m.kind == MessageKind::Webhook && m.purpose == Purpose::Delivery)
        .map(|m| m.sent_at)
        .collect()
}

/// One payment whose endpoint answers 503 for 60 days, so every attempt fails.
fn endpoint_down_for_good(retry: RetryPreset) -> Scenario {
    let mut scenario = Scenario::default();
    scenario.network.latency = Span::fixed(LATENCY);
    scenario.endpoint.down_for_ms = 60 * DAY;
    scenario.delivery.retry = retry;
    scenario
}

/// Attempt times when each failure is known one round trip after the
/// attempt and each delay counts from that failure.
fn expected_times(delays: &[Millis]) -> Vec<Millis> {
    let mut times = vec![EVENT_AT];
    for delay in delays {
        let failed_at = times.last().unwrap() + 2 * LATENCY;
        times.push(failed_at + delay);
    }
    times
}

#[test]
fn retry_times_follow_each_preset() {
    let cases: [(RetryPreset, Vec<Millis>); 4] = [
        (RetryPreset::StandardWebhooks, STANDARD_WEBHOOKS_DELAYS.to_vec()),
        (RetryPreset::Svix, SVIX_DELAYS.to_vec()),
        (RetryPreset::Shopify, SHOPIFY_DELAYS.to_vec()),
        (RetryPreset::GitHub, Vec::new()),
    ];
    for (preset, delays) in cases {
        let run = sim::run(&endpoint_down_for_good(preset));
        assert_eq!(attempt_times(&run), expected_times(&delays), "{preset:?}");
        assert_eq!(lane(&run, Strategy::Webhook).metrics.abandoned, 1, "{preset:?}");
    }
}

#[test]
fn standard_schedule_spans_75_hours() {
    let run = sim::run(&endpoint_down_for_good(RetryPreset::StandardWebhooks));
    let times = attempt_times(&run);
    assert_eq!(times.len(), 10);
    // 75 h 35 min 5 s of delays plus nine 200 ms round trips.
    let expected_last = EVENT_AT + 75 * HOUR + 35 * MINUTE + 5 * SECOND + 9 * 2 * LATENCY;
    assert_eq!(*times.last().unwrap(), expected_last);
}

#[test]
fn stripe_doubles_within_three_days() {
    let run = sim::run(&endpoint_down_for_good(RetryPreset::StripeLive));
    let mut delays: Vec<Millis> = (0..11).map(|k| MINUTE << k).collect();
    delays.push(DAY);
    assert_eq!(attempt_times(&run), expected_times(&delays));
    let times = attempt_times(&run);
    assert!(times.last().unwrap() - times[0] <= 3 * DAY);
}

#[test]
fn adyen_retries_for_30_days() {
    let run = sim::run(&endpoint_down_for_good(RetryPreset::Adyen));
    let times = attempt_times(&run);
    let quick_and_widening = ADYEN_DELAYS.len() + 1;
    assert_eq!(times[..quick_and_widening], expected_times(&ADYEN_DELAYS)[..]);
    let eight_hours =
        times.windows(2).skip(ADYEN_DELAYS.len()).all(|w| w[1] - w[0] == 8 * HOUR + 2 * LATENCY);
    assert!(eight_hours);
    assert!(times.last().unwrap() - times[0] <= 30 * DAY);
    assert!(times.last().unwrap() - times[0] > 29 * DAY);
}

#[test]
fn custom_schedule_is_used_as_given() {
    let mut scenario = endpoint_down_for_good(RetryPreset::Custom);
    scenario.delivery.custom_delays_ms = vec![1_234, 0, 60_000];
    let run = sim::run(&scenario);
    assert_eq!(attempt_times(&run), expected_times(&[1_234, 0, 60_000]));
}

#[test]
fn jitter_is_bounded_and_seeded() {
    let mut scenario = endpoint_down_for_good(RetryPreset::ExponentialJitter);
    scenario.delivery.backoff_initial_ms = 10 * SECOND;
    scenario.delivery.backoff_max_ms = 80 * SECOND;
    scenario.delivery.backoff_retries = 6;
    let times = attempt_times(&sim::run(&scenario));
    assert_eq!(times.len(), 7);
    let bases = [10, 20, 40, 80, 80, 80].map(|s| s * SECOND);
    for (pair, base) in times.windows(2).zip(bases) {
        let delay = pair[1] - pair[0] - 2 * LATENCY;
        assert!(delay >= base / 2 && delay <= base, "delay {delay} for base {base}");
    }
    assert_eq!(attempt_times(&sim::run(&scenario)), times, "same seed, same jitter");
}

#[test]
fn timeout_counts_from_the_attempt() {
    // Every message is lost, so each failure is known only at the timeout.
    let mut scenario = Scenario::default();
    scenario.network.webhook_loss_percent = 100;
    scenario.delivery.retry = RetryPreset::Svix;
    scenario.delivery.timeout_ms = 15 * SECOND;
    let run = sim::run(&scenario);
    let mut expected = vec![EVENT_AT];
    for delay in SVIX_DELAYS {
        expected.push(expected.last().unwrap() + 15 * SECOND + delay);
    }
    assert_eq!(attempt_times(&run), expected);
    let metrics = &lane(&run, Strategy::Webhook).metrics;
    assert_eq!(metrics.timeouts, 8);
    assert_eq!(metrics.callbacks, 0);
    assert_eq!(metrics.never_learned, 1);
}

#[test]
fn late_answer_is_ignored() {
    // The handler answers after 16 s, the timeout is 15 s: the retry goes out
    // although the first answer, a 200, does arrive later.
    let mut scenario = Scenario::default();
    scenario.endpoint.handler = Span::fixed(16 * SECOND);
    scenario.receiver.acknowledge = pollhook::scenario::Acknowledge::AfterProcessing;
    scenario.delivery.retry = RetryPreset::Custom;
    scenario.delivery.custom_delays_ms = vec![SECOND];
    scenario.receiver.deduplicate = true;
    let run = sim::run(&scenario);
    assert_eq!(attempt_times(&run), [EVENT_AT, EVENT_AT + 16 * SECOND]);
    let metrics = &lane(&run, Strategy::Webhook).metrics;
    assert_eq!(metrics.timeouts, 1);
    assert_eq!(metrics.abandoned, 0, "the retry is answered at once as a duplicate");
    assert_eq!(metrics.duplicates_processed, 0);
}

#[test]
fn svix_disables_failing_endpoint() {
    let mut scenario = endpoint_down_for_good(RetryPreset::Adyen);
    scenario.delivery.disable_after_ms = 5 * DAY;
    scenario.workload.payments = 3;
    scenario.workload.arrival = pollhook::scenario::Arrival::Steady { gap_ms: 3 * DAY };
    let run = sim::run(&scenario);
    let trace = &lane(&run, Strategy::Webhook).trace;
    let disabled: Vec<Millis> =
        trace.notes.iter().filter(|n| n.kind == NoteKind::EndpointDisabled).map(|n| n.at).collect();
    assert_eq!(disabled.len(), 1);
    assert!(disabled[0] >= EVENT_AT + 5 * DAY);
    // Every event is abandoned: two were open when the endpoint was
    // disabled, and the third came after and was never sent.
    assert_eq!(lane(&run, Strategy::Webhook).metrics.abandoned, 3);
    let attempts_after = attempt_times(&run).into_iter().filter(|&t| t > disabled[0]).count();
    assert_eq!(attempts_after, 0);
}

#[test]
fn rate_limit_answers_429_and_poller_waits() {
    let mut scenario = Scenario::default();
    scenario.workload.payments = 10;
    scenario.workload.arrival = pollhook::scenario::Arrival::Burst;
    scenario.api.rate_per_second = 2;
    scenario.api.burst = 4;
    let run = sim::run(&scenario);
    let polling = lane(&run, Strategy::Polling);
    let messages = &polling.trace.messages;

    // The first round of ten polls at 2 s finds four tokens.
    let first_round: Vec<Option<u16>> = messages
        .iter()
        .filter(|m| m.kind == MessageKind::StatusResponse && m.sent_at == 2 * SECOND + LATENCY)
        .map(|m| m.http_status)
        .collect();
    assert_eq!(first_round.iter().filter(|&&code| code == Some(200)).count(), 4);
    assert_eq!(first_round.iter().filter(|&&code| code == Some(429)).count(), 6);
    assert!(messages.iter().filter(|m| m.http_status == Some(429)).all(|m| m.retry_after_s == Some(1)));

    // No request for a payment follows its 429 sooner than Retry-After.
    for response in messages.iter().filter(|m| m.http_status == Some(429)) {
        let next = messages.iter().find(|m| {
            m.kind == MessageKind::StatusRequest
                && m.payment == response.payment
                && m.sent_at > response.sent_at
        });
        if let Some(next) = next {
            assert!(next.sent_at >= response.arrives_at + SECOND, "payment {}", response.payment);
        }
    }
    let metrics = &polling.metrics;
    assert_eq!(metrics.detected, 10);
    assert_eq!(metrics.rate_limited, messages.iter().filter(|m| m.http_status == Some(429)).count() as u64);
}

#[test]
fn poll_backoff_doubles_to_cap_and_gives_up() {
    let mut scenario = Scenario::default();
    scenario.workload.duration = Span::fixed(HOUR);
    scenario.polling.interval_ms = SECOND;
    scenario.polling.backoff_factor = 2.0;
    scenario.polling.max_interval_ms = 8 * SECOND;
    scenario.polling.give_up_after = 6;
    let run = sim::run(&scenario);
    let polling = lane(&run, Strategy::Polling);
    let sent: Vec<Millis> = polling
        .trace
        .messages
        .iter()
        .filter(|m| m.kind == MessageKind::StatusRequest)
        .map(|m| m.sent_at)
        .collect();
    // Waits of 1, 2, 4, 8, 8, 8 s.
    assert_eq!(sent, [1, 3, 7, 15, 23, 31].map(|s| s * SECOND));
    assert!(polling.trace.notes.iter().any(|n| n.kind == NoteKind::GaveUp));
    assert_eq!(polling.metrics.never_learned, 1);
}

#[test]
fn declined_payments_end_failed() {
    let mut scenario = Scenario::default();
    scenario.workload.payments = 400;
    scenario.workload.decline_percent = 25;
    scenario.api.rate_limited = false;
    let run = sim::run(&scenario);
    let failed = run.payments.iter().filter(|p| p.outcome == Status::Failed).count();
    // 25% of 400 is 100; the binomial standard deviation is about 8.7.
    assert!((70..=130).contains(&failed), "{failed} declined");
    for lane in &run.lanes {
        assert_eq!(lane.metrics.detected, 400, "{:?}", lane.strategy);
        assert_eq!(lane.metrics.learned_wrong, 0, "{:?}", lane.strategy);
    }
}

#[test]
fn processing_event_precedes_final() {
    let mut scenario = Scenario::default();
    scenario.workload.processing_event = true;
    let run = sim::run(&scenario);
    let statuses: Vec<Option<Status>> = lane(&run, Strategy::Webhook)
        .trace
        .messages
        .iter()
        .filter(|m| m.kind == MessageKind::Webhook)
        .map(|m| m.status)
        .collect();
    assert_eq!(statuses, [Some(Status::Processing), Some(Status::Succeeded)]);
}

#[test]
fn thin_events_cost_requests() {
    let mut scenario = Scenario::default();
    scenario.workload.processing_event = true;
    scenario.receiver.apply = pollhook::scenario::ApplyRule::Fetch;
    let run = sim::run(&scenario);
    let webhook = &lane(&run, Strategy::Webhook).metrics;
    assert_eq!(webhook.provider_requests, 2, "one fetch per event");
    assert_eq!(webhook.wasted_requests, 1, "the fetch after processing finds it not final");
    assert_eq!(webhook.delay.unwrap().max_ms, 3 * LATENCY);
}

#[test]
fn replay_inside_tolerance_is_accepted() {
    let mut scenario = Scenario::default();
    scenario.delivery.replay_after_ms = 2 * MINUTE;
    scenario.receiver.tolerance_ms = 5 * MINUTE;
    scenario.receiver.deduplicate = true;
    let run = sim::run(&scenario);
    let metrics = &lane(&run, Strategy::Webhook).metrics;
    assert_eq!(metrics.replays_accepted, 1, "a valid signature inside the tolerance passes");
    assert_eq!(metrics.duplicates_received, 1);
    assert_eq!(metrics.duplicates_processed, 0, "deduplication stops it");
}

#[test]
fn hybrid_matches_webhook_without_failures() {
    let mut scenario = Scenario::default();
    scenario.workload.payments = 20;
    scenario.shown.hybrid = true;
    let run = sim::run(&scenario);
    let webhook = &lane(&run, Strategy::Webhook).metrics;
    let hybrid = &lane(&run, Strategy::Hybrid).metrics;
    assert_eq!(hybrid.callbacks, webhook.callbacks);
    assert_eq!(hybrid.provider_requests, 0, "reconciliation finds nothing open");
    assert_eq!(hybrid.detected, 20);
}
