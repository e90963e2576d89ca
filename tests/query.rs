//! Links that carry a scenario: every key read and written, every rejection
//! named, random valid links kept exactly, and random strings read without a
//! panic.

use pollhook::gallery;
use pollhook::scenario::query::{
    decode, encode, keys, Link, Rejected, Theme, ViewOptions, MAX_STORY_KEY_CHARS, MAX_TIME_MS,
};
use pollhook::scenario::{
    limits, Acknowledge, ApplyRule, Arrival, Delivery, Endpoint, Network, Polling, ProviderApi, Receiver,
    Reconciliation, RetryPreset, Scenario, Shown, Span, Workload, DAY, HOUR, MINUTE, SECOND,
};
use proptest::prelude::{any, prop_assert, prop_assert_eq, prop_oneof, proptest, Just, ProptestConfig};
use proptest::strategy::{BoxedStrategy, Strategy as _};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

fn rejected(key: &str, value: &str, reason: &str, used: &str) -> Rejected {
    Rejected { key: key.into(), value: value.into(), reason: reason.into(), used: used.into() }
}

/// An edit of the default link.
type Change = fn(&mut Link);

fn link_with(change: Change) -> Link {
    let mut link = Link::default();
    change(&mut link);
    link
}

#[test]
fn default_link_is_empty_query() {
    assert_eq!(encode(&Link::default()), "");
    assert_eq!(decode(""), (Link::default(), Vec::new()));
    assert_eq!(decode("?"), (Link::default(), Vec::new()));
    assert_eq!(decode("&&"), (Link::default(), Vec::new()));
}

/// Lists valid queries, at least one per key, each with the change it makes to the default link.
fn valid_cases() -> Vec<(&'static str, Change)> {
    vec![
        ("seed=42", |l| l.scenario.seed = 42),
        ("seed=0", |l| l.scenario.seed = 0),
        ("seed=18446744073709551615", |l| l.scenario.seed = u64::MAX),
        ("payments=200", |l| l.scenario.workload.payments = 200),
        ("arrival=steady:30min", |l| l.scenario.workload.arrival = Arrival::Steady { gap_ms: 30 * MINUTE }),
        ("arrival=steady:0ms", |l| l.scenario.workload.arrival = Arrival::Steady { gap_ms: 0 }),
        ("arrival=poisson:2.5", |l| l.scenario.workload.arrival = Arrival::Poisson { per_second: 2.5 }),
        ("arrival=Poisson:0.5/s", |l| l.scenario.workload.arrival = Arrival::Poisson { per_second: 0.5 }),
        ("arrival=burst", |l| l.scenario.workload.arrival = Arrival::Burst),
        ("duration=1s-10s", |l| l.scenario.workload.duration = Span::range(SECOND, 10 * SECOND)),
        ("duration=3s", |l| l.scenario.workload.duration = Span::fixed(3 * SECOND)),
        ("duration=5s-5s", |l| l.scenario.workload.duration = Span::range(5 * SECOND, 5 * SECOND)),
        ("duration=1d-4d", |l| l.scenario.workload.duration = Span::range(DAY, 4 * DAY)),
        ("duration=1.5+min+-+2h30min", |l| {
            l.scenario.workload.duration = Span::range(90 * SECOND, 150 * MINUTE)
        }),
        ("decline=30", |l| l.scenario.workload.decline_percent = 30),
        ("decline=30%25", |l| l.scenario.workload.decline_percent = 30),
        ("processing=on", |l| l.scenario.workload.processing_event = true),
        ("processing=TRUE", |l| l.scenario.workload.processing_event = true),
        ("processing_after=500ms", |l| l.scenario.workload.processing_after = Span::fixed(500)),
        ("record=3s", |l| l.scenario.workload.record_delay = Span::fixed(3 * SECOND)),
        ("latency=50ms-300ms", |l| l.scenario.network.latency = Span::range(50, 300)),
        ("latency=0.25", |l| l.scenario.network.latency = Span::fixed(250)),
        ("loss=30", |l| l.scenario.network.webhook_loss_percent = 30),
        ("poll=1s", |l| l.scenario.polling.interval_ms = SECOND),
        ("poll=%201.5s%20", |l| l.scenario.polling.interval_ms = 1_500),
        ("backoff=2", |l| l.scenario.polling.backoff_factor = 2.0),
        ("backoff=1.5x", |l| l.scenario.polling.backoff_factor = 1.5),
        ("poll_max=30s", |l| l.scenario.polling.max_interval_ms = 30 * SECOND),
        ("give_up=10", |l| l.scenario.polling.give_up_after = 10),
        ("rate_limit=25/s", |l| l.scenario.api.rate_per_second = 25),
        ("rate_limit=25", |l| l.scenario.api.rate_per_second = 25),
        ("rate_limit=off", |l| l.scenario.api.rate_limited = false),
        ("rate_limit=off:25/s", |l| {
            l.scenario.api.rate_limited = false;
            l.scenario.api.rate_per_second = 25;
        }),
        ("rate_limit=on", |_| {}),
        ("burst=25", |l| l.scenario.api.burst = 25),
        ("retry=github", |l| l.scenario.delivery.retry = RetryPreset::GitHub),
        ("retry=Exponential", |l| l.scenario.delivery.retry = RetryPreset::ExponentialJitter),
        ("retry_delays=10s,1h", |l| l.scenario.delivery.custom_delays_ms = vec![10 * SECOND, HOUR]),
        ("retry_delays=1h30min,+2s", |l| {
            l.scenario.delivery.custom_delays_ms = vec![90 * MINUTE, 2 * SECOND]
        }),
        ("retry_delays=none", |l| l.scenario.delivery.custom_delays_ms = Vec::new()),
        ("backoff_first=1s", |l| l.scenario.delivery.backoff_initial_ms = SECOND),
        ("backoff_max=10min", |l| l.scenario.delivery.backoff_max_ms = 10 * MINUTE),
        ("backoff_retries=5", |l| l.scenario.delivery.backoff_retries = 5),
        ("timeout=10s", |l| l.scenario.delivery.timeout_ms = 10 * SECOND),
        ("disable_after=5d", |l| l.scenario.delivery.disable_after_ms = 5 * DAY),
        ("replay_after=10min", |l| l.scenario.delivery.replay_after_ms = 10 * MINUTE),
        ("down_from=1s", |l| l.scenario.endpoint.down_from_ms = SECOND),
        ("down_for=2h", |l| l.scenario.endpoint.down_for_ms = 2 * HOUR),
        ("errors=20", |l| l.scenario.endpoint.error_percent = 20),
        ("handler=20s", |l| l.scenario.endpoint.handler = Span::fixed(20 * SECOND)),
        ("handler=10ms-2s", |l| l.scenario.endpoint.handler = Span::range(10, 2 * SECOND)),
        ("store=20ms", |l| l.scenario.endpoint.store_ms = 20),
        ("crash=100", |l| l.scenario.endpoint.crash_percent = 100),
        ("dedupe=off", |l| l.scenario.receiver.deduplicate = false),
        ("apply=last-write-wins", |l| l.scenario.receiver.apply = ApplyRule::LastWriteWins),
        ("apply=fetch", |l| l.scenario.receiver.apply = ApplyRule::Fetch),
        ("apply=status-rank", |_| {}),
        ("ack=after-processing", |l| l.scenario.receiver.acknowledge = Acknowledge::AfterProcessing),
        ("ack=before-storing", |l| l.scenario.receiver.acknowledge = Acknowledge::BeforeStoring),
        ("reject_unknown=on", |l| l.scenario.receiver.reject_unknown = true),
        ("verify=no", |l| l.scenario.receiver.verify_signatures = false),
        ("reserialize=1", |l| l.scenario.receiver.reserialize_body = true),
        ("tolerance=1min", |l| l.scenario.receiver.tolerance_ms = MINUTE),
        ("reconcile=10min", |l| l.scenario.reconciliation.interval_ms = 10 * MINUTE),
        ("reconcile_age=1min", |l| l.scenario.reconciliation.min_age_ms = MINUTE),
        ("show=webhook,hybrid", |l| l.scenario.shown = Shown { polling: false, webhook: true, hybrid: true }),
        ("show=hybrid,+polling", |l| {
            l.scenario.shown = Shown { polling: true, webhook: false, hybrid: true }
        }),
        ("show=webhook", |l| l.scenario.shown = Shown { polling: false, webhook: true, hybrid: false }),
        ("t=8.2s", |l| l.time_ms = Some(8_200)),
        ("t=0ms", |l| l.time_ms = Some(0)),
        ("speed=10", |l| l.view.speed = Some(10.0)),
        ("speed=0.1", |l| l.view.speed = Some(0.1)),
        ("speed=100000x", |l| l.view.speed = Some(100_000.0)),
        ("slow=off", |l| l.view.slow_motion = Some(false)),
        ("slow=on", |l| l.view.slow_motion = Some(true)),
        ("skip=on", |l| l.view.skip_quiet = Some(true)),
        ("embed=1", |l| l.view.embed = true),
        ("embed", |l| l.view.embed = true),
        ("embed=0", |_| {}),
        ("present=1", |l| l.view.present = true),
        ("present", |l| l.view.present = true),
        ("tour=3", |l| l.view.tour_step = Some(3)),
        ("story=out-of-order", |l| l.view.story = Some(("out-of-order".into(), 0))),
        ("story=out-of-order:1", |l| l.view.story = Some(("out-of-order".into(), 1))),
        ("story=no-such-entry-9:0", |l| l.view.story = Some(("no-such-entry-9".into(), 0))),
        ("theme=light", |l| l.view.theme = Some(Theme::Light)),
        ("theme=Dark", |l| l.view.theme = Some(Theme::Dark)),
    ]
}

#[test]
fn every_key_reads_valid_values() {
    for (query, change) in valid_cases() {
        let expected = link_with(change);
        let (link, rejected) = decode(query);
        assert_eq!(rejected, [], "{query}");
        assert_eq!(link, expected, "{query}");
        assert_eq!(decode(&encode(&expected)), (expected, Vec::new()), "{query} written again");
    }
}

#[test]
fn valid_cases_cover_every_key() {
    let cases = valid_cases();
    for key in keys() {
        let covered = cases.iter().any(|(query, _)| query.split(['=', '&']).next() == Some(key));
        assert!(covered, "no valid case for {key}");
    }
}

/// Queries whose only parameter is rejected and leaves the default link.
const INVALID_CASES: [&str; 82] = [
    "seed=-1",
    "seed=1.5",
    "seed=18446744073709551616",
    "seed=abc",
    "payments=ten",
    "payments=-5",
    "payments=",
    "arrival=steady",
    "arrival=steady:",
    "arrival=steady:soon",
    "arrival=poisson:",
    "arrival=poisson:-1",
    "arrival=poisson:1e3",
    "arrival=poisson:NaN",
    "arrival=poisson:inf",
    "arrival=uniform:1s",
    "duration=-5s",
    "duration=1s-",
    "duration=1s-2s-3s",
    "duration=5 weeks",
    "decline=thirty",
    "decline=30.5",
    "processing=maybe",
    "processing_after=later",
    "record=1s-x",
    "latency=fast",
    "loss=-1",
    "poll=",
    "poll=1 fortnight",
    "poll=1e3",
    "backoff=two",
    "backoff=-2",
    "backoff=1.5.2",
    "backoff=inf",
    "poll_max=max",
    "give_up=never",
    "rate_limit=fast",
    "rate_limit=on:5/s",
    "rate_limit=off:",
    "rate_limit=25/min",
    "burst=1.5",
    "retry=weekly",
    "retry_delays=1s,,2s",
    "retry_delays=",
    "retry_delays=1s,soon",
    "backoff_first=x",
    "backoff_max=x",
    "backoff_retries=many",
    "timeout=forever",
    "disable_after=never",
    "replay_after=x",
    "down_from=noon",
    "down_for=ever",
    "errors=some",
    "handler=slow",
    "store=x",
    "crash=all",
    "dedupe=sometimes",
    "apply=newest",
    "ack=never",
    "reject_unknown=2",
    "verify=?",
    "reserialize=x",
    "tolerance=x",
    "reconcile=x",
    "reconcile_age=x",
    "show=none",
    "show=polling,email",
    "show=",
    "t=x",
    "speed=fast",
    "speed=-1",
    "slow=x",
    "skip=x",
    "embed=2",
    "present=yes please",
    "tour=0",
    "tour=first",
    "story=Out-Of-Order",
    "story=out-of-order:",
    "story=out-of-order:x",
    "theme=blue",
];

#[test]
fn invalid_values_keep_defaults() {
    for query in INVALID_CASES {
        let (link, rejected) = decode(query);
        assert_eq!(link, Link::default(), "{query}");
        assert_eq!(rejected.len(), 1, "{query}: {rejected:?}");
        let key = query.split('=').next().unwrap();
        assert_eq!(rejected[0].key, key, "{query}");
        assert!(!rejected[0].reason.is_empty(), "{query}");
    }
}

#[test]
fn invalid_cases_cover_every_key() {
    for key in keys() {
        let covered = INVALID_CASES.iter().any(|query| query.split('=').next() == Some(key));
        assert!(covered, "no invalid case for {key}");
    }
}

#[test]
fn rejections_name_value_and_used() {
    let long_seed = "1".repeat(201);
    let long_seed_query = format!("seed={long_seed}");
    let fifty_one_delays = format!("retry_delays={}", vec!["1s"; 51].join(","));
    let cases = [
        ("payments=100000", rejected("payments", "100000", "allowed range is 1 to 10000", "10000")),
        ("payments=0", rejected("payments", "0", "allowed range is 1 to 10000", "1")),
        (
            "payments=99999999999999999999999",
            rejected("payments", "99999999999999999999999", "allowed range is 1 to 10000", "10000"),
        ),
        ("poll=5ms", rejected("poll", "5ms", "allowed range is 100 ms to 1 d", "100ms")),
        ("seed=-1", rejected("seed", "-1", "value is negative", "1")),
        ("duration=-1s-5s", rejected("duration", "-1s-5s", "value is negative", "7s")),
        ("speed=-2", rejected("speed", "-2", "value is negative", "none")),
        (
            "latency=999999999999999999999999d",
            rejected("latency", "999999999999999999999999d", "allowed range is 0 ms to 1 min", "1min"),
        ),
        (
            "poll=99999999999999999999h",
            rejected("poll", "99999999999999999999h", "allowed range is 100 ms to 1 d", "1d"),
        ),
        ("latency=100", rejected("latency", "100", "allowed range is 0 ms to 1 min", "1min")),
        (
            "duration=10s-1s",
            rejected(
                "duration",
                "10s-1s",
                "each end must lie between 0 ms and 30 d, the lower end first",
                "1s-10s",
            ),
        ),
        (
            "poll=5+weeks",
            rejected("poll", "5 weeks", "value has the unit \"weeks\", not ms, s, min, h or d", "2s"),
        ),
        (
            "poll=soon",
            rejected("poll", "soon", "value is not a duration such as 250ms, 2s, 5min, 2h or 3d", "2s"),
        ),
        ("duration=1s-", rejected("duration", "1s-", "upper end is empty", "7s")),
        ("decline=101", rejected("decline", "101", "allowed range is 0 to 100", "100")),
        ("backoff=20", rejected("backoff", "20", "allowed range is 1 to 10", "10")),
        (
            "arrival=poisson:5000",
            rejected("arrival", "poisson:5000", "allowed range is 0.001 to 1000 per second", "poisson:1000"),
        ),
        (
            "arrival=sometimes",
            rejected(
                "arrival",
                "sometimes",
                "value is not steady:GAP such as steady:1s, poisson:RATE such as poisson:2.5, or burst",
                "steady:1s",
            ),
        ),
        ("rate_limit=0/s", rejected("rate_limit", "0/s", "allowed range is 1 to 100000", "1/s")),
        (
            "rate_limit=fast",
            rejected("rate_limit", "fast", "value is not off or a rate such as 100/s", "100/s"),
        ),
        (
            "retry=weekly",
            rejected(
                "retry",
                "weekly",
                "value is not standard, svix, stripe, shopify, adyen, github, custom or exponential",
                "standard",
            ),
        ),
        ("retry_delays=1s,8d", rejected("retry_delays", "1s,8d", "allowed range is 0 ms to 7 d", "1s,7d")),
        ("retry_delays=1s,,2s", rejected("retry_delays", "1s,,2s", "delay 2 is empty", "5s,1min,10min")),
        (
            fifty_one_delays.as_str(),
            rejected(
                "retry_delays",
                "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1…",
                "at most 50 retries are allowed",
                "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1…",
            ),
        ),
        (
            "apply=newest",
            rejected("apply", "newest", "value is not last-write-wins, status-rank or fetch", "status-rank"),
        ),
        (
            "ack=later",
            rejected(
                "ack",
                "later",
                "value is not after-processing, after-storing or before-storing",
                "after-storing",
            ),
        ),
        ("dedupe=maybe", rejected("dedupe", "maybe", "value is not on or off", "on")),
        (
            "show=polling,email",
            rejected("show", "polling,email", "item 2 is not polling, webhook or hybrid", "polling,webhook"),
        ),
        ("t=20000d", rejected("t", "20000d", "allowed range is 0 ms to 10000 d", "10000d")),
        ("speed=1000000", rejected("speed", "1000000", "allowed range is 0.1 to 100000", "100000")),
        ("speed=0.01", rejected("speed", "0.01", "allowed range is 0.1 to 100000", "0.1")),
        ("slow=fast", rejected("slow", "fast", "value is not on or off", "none")),
        ("embed=2", rejected("embed", "2", "value is not 1 or 0", "0")),
        ("tour=0", rejected("tour", "0", "value is not a step number from 1 to 4294967295", "none")),
        ("theme=blue", rejected("theme", "blue", "value is not light or dark", "none")),
        ("colour=red", rejected("colour", "red", "unknown parameter", "ignored")),
        ("payments", rejected("payments", "", "value is empty", "1")),
        (
            long_seed_query.as_str(),
            rejected(
                "seed",
                "1111111111111111111111111111111111111111…",
                "value is longer than 200 characters",
                "1",
            ),
        ),
    ];
    for (query, expected) in cases {
        let (_, rejections) = decode(query);
        assert_eq!(rejections, [expected], "{query}");
    }
}

#[test]
fn clamped_values_apply() {
    let (link, _) = decode("payments=100000&poll=5ms&speed=1000000&t=20000d&duration=10s-1s");
    assert_eq!(link.scenario.workload.payments, 10_000);
    assert_eq!(link.scenario.polling.interval_ms, 100);
    assert_eq!(link.scenario.workload.duration, Span::range(SECOND, 10 * SECOND));
    assert_eq!(link.view.speed, Some(100_000.0));
    assert_eq!(link.time_ms, Some(MAX_TIME_MS));
}

#[test]
fn retry_delays_cut_to_fifty() {
    let query = format!("retry_delays={}", vec!["1s"; 51].join(","));
    let (link, rejected) = decode(&query);
    assert_eq!(link.scenario.delivery.custom_delays_ms, vec![SECOND; limits::MAX_CUSTOM_DELAYS]);
    assert_eq!(rejected.len(), 1);
}

#[test]
fn longest_delay_list_is_read() {
    let delays = vec![7 * DAY - 1; limits::MAX_CUSTOM_DELAYS];
    let link =
        link_with(|l| l.scenario.delivery.custom_delays_ms = vec![7 * DAY - 1; limits::MAX_CUSTOM_DELAYS]);
    let query = encode(&link);
    assert!(query.len() > 200, "the list is longer than other values may be");
    let (decoded, rejected) = decode(&query);
    assert_eq!(rejected, []);
    assert_eq!(decoded.scenario.delivery.custom_delays_ms, delays);
}

#[test]
fn duplicate_key_last_wins() {
    let (link, rejections) = decode("seed=5&poll=1s&seed=7");
    assert_eq!(link.scenario.seed, 7);
    assert_eq!(link.scenario.polling.interval_ms, SECOND);
    let reason = "parameter appears again later in the link, and the last occurrence applies";
    assert_eq!(rejections, [rejected("seed", "5", reason, "7")]);
}

#[test]
fn duplicate_key_invalid_last_gives_default() {
    let (link, rejections) = decode("seed=5&seed=x");
    assert_eq!(link.scenario.seed, 1);
    assert_eq!(rejections.len(), 2);
    assert_eq!(rejections[0].used, "1", "the earlier value names what is used in the end");
    assert_eq!(rejections[1].reason, "value is not a whole number such as 10");
}

#[test]
fn rest_of_link_applies() {
    let (link, rejections) = decode("?poll=soon&seed=9&bogus=1&show=webhook");
    assert_eq!(link.scenario.seed, 9);
    assert_eq!(link.scenario.shown, Shown { polling: false, webhook: true, hybrid: false });
    assert_eq!(link.scenario.polling.interval_ms, 2 * SECOND);
    let keys: Vec<&str> = rejections.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["poll", "bogus"]);
}

#[test]
fn hostile_strings_stay_text() {
    let (link, rejections) = decode("story=%3Cscript%3Ealert(1)%3C/script%3E");
    assert_eq!(link.view.story, None);
    assert_eq!(rejections[0].value, "<script>alert(1)</script>");

    let (_, rejections) = decode("a%00b%E2%80%AEc=x%1B[31m%C2%85");
    assert_eq!(rejections[0].key, "a\u{FFFD}b\u{FFFD}c");
    assert_eq!(rejections[0].value, "x\u{FFFD}[31m\u{FFFD}");

    let (_, rejections) = decode("seed=1%E2%80%A82%E2%81%A63");
    assert_eq!(rejections[0].value, "1\u{FFFD}2\u{FFFD}3", "line separator and bidi isolate");

    let (_, rejections) = decode("seed=%FF%FE");
    assert_eq!(rejections[0].value, "\u{FFFD}\u{FFFD}", "invalid UTF-8 is replaced");

    let long_key = "k".repeat(5_000);
    let (_, rejections) = decode(&format!("{long_key}=1"));
    assert_eq!(rejections[0].key.chars().count(), 41);
}

#[test]
fn story_key_form_is_checked() {
    let longest = "a".repeat(MAX_STORY_KEY_CHARS);
    let (link, rejected) = decode(&format!("story={longest}:4294967295"));
    assert_eq!(rejected, []);
    assert_eq!(link.view.story, Some((longest.clone(), u32::MAX as usize)));

    for value in [format!("{longest}a"), "a:4294967296".into(), "a b".into(), "".into(), "é".into()] {
        let (link, rejected) = decode(&format!("story={value}"));
        assert_eq!(link.view.story, None, "{value}");
        assert_eq!(rejected.len(), 1, "{value}");
    }
}

#[test]
fn encode_writes_readable_example() {
    let mut link = Link::default();
    link.scenario.polling.interval_ms = SECOND;
    link.scenario.workload.duration = Span::range(SECOND, 10 * SECOND);
    link.scenario.shown = Shown { polling: true, webhook: false, hybrid: true };
    link.scenario.delivery.custom_delays_ms = vec![5 * SECOND, 90 * SECOND];
    link.scenario.workload.arrival = Arrival::Poisson { per_second: 2.5 };
    link.scenario.api.rate_limited = false;
    link.time_ms = Some(8_200);
    link.view.story = Some(("out-of-order".into(), 1));
    link.view.embed = true;
    assert_eq!(
        encode(&link),
        "arrival=poisson:2.5&duration=1s-10s&poll=1s&rate_limit=off&retry_delays=5s,90s&show=polling,hybrid\
         &t=8.2s&embed=1&story=out-of-order:1"
    );
}

/// Builds a link in which every key differs from the default.
fn link_with_every_key() -> Link {
    Link {
        scenario: Scenario {
            seed: 42,
            workload: Workload {
                payments: 3,
                arrival: Arrival::Burst,
                duration: Span::range(SECOND, 2 * SECOND),
                decline_percent: 10,
                processing_event: true,
                processing_after: Span::fixed(500),
                record_delay: Span::fixed(SECOND),
            },
            network: Network { latency: Span::fixed(50), webhook_loss_percent: 5 },
            polling: Polling {
                interval_ms: SECOND,
                backoff_factor: 2.0,
                max_interval_ms: MINUTE,
                give_up_after: 9,
            },
            api: ProviderApi { rate_limited: true, rate_per_second: 25, burst: 30 },
            delivery: Delivery {
                retry: RetryPreset::Custom,
                custom_delays_ms: vec![SECOND],
                backoff_initial_ms: SECOND,
                backoff_max_ms: MINUTE,
                backoff_retries: 3,
                timeout_ms: 10 * SECOND,
                disable_after_ms: DAY,
                replay_after_ms: MINUTE,
            },
            endpoint: Endpoint {
                down_from_ms: SECOND,
                down_for_ms: SECOND,
                error_percent: 20,
                handler: Span::fixed(10),
                store_ms: 20,
                crash_percent: 50,
            },
            receiver: Receiver {
                deduplicate: false,
                apply: ApplyRule::Fetch,
                acknowledge: Acknowledge::BeforeStoring,
                reject_unknown: true,
                verify_signatures: false,
                reserialize_body: true,
                tolerance_ms: MINUTE,
            },
            reconciliation: Reconciliation { interval_ms: MINUTE, min_age_ms: MINUTE },
            shown: Shown { polling: true, webhook: true, hybrid: true },
        },
        time_ms: Some(SECOND),
        view: ViewOptions {
            embed: true,
            present: true,
            tour_step: Some(2),
            story: Some(("replay".into(), 1)),
            theme: Some(Theme::Dark),
            speed: Some(2.0),
            slow_motion: Some(false),
            skip_quiet: Some(true),
        },
    }
}

#[test]
fn encode_writes_keys_in_table_order() {
    let link = link_with_every_key();
    let query = encode(&link);
    let written: Vec<&str> = query.split('&').map(|pair| pair.split('=').next().unwrap()).collect();
    let all: Vec<&str> = keys().collect();
    assert_eq!(written, all);
    assert_eq!(decode(&query), (link, Vec::new()));
}

#[test]
fn gallery_variants_round_trip() {
    for entry in gallery::entries() {
        for (index, variant) in entry.variants().enumerate() {
            let link = Link {
                scenario: variant.scenario.clone(),
                time_ms: None,
                view: ViewOptions { story: Some((entry.key.to_string(), index)), ..ViewOptions::default() },
            };
            let query = encode(&link);
            assert!(!query.contains('%'), "{}: {query}", entry.key);
            assert_eq!(decode(&query), (link, Vec::new()), "{} variant {index}", entry.key);
        }
    }
}

/// Reads the key table of a Markdown text: (key, default, example) per row.
fn key_table(text: &str) -> Vec<(String, String, String)> {
    text.lines()
        .map(|line| line.trim_start_matches("//!").trim())
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let unquote = |cell: &str| cell.trim_matches('`').to_string();
            (unquote(cells[1]), unquote(cells[4]), unquote(cells[5]))
        })
        .collect()
}

fn check_key_table(name: &str, text: &str) {
    let table = key_table(text);
    let listed: Vec<&str> = table.iter().map(|(key, _, _)| key.as_str()).collect();
    let all: Vec<&str> = keys().collect();
    assert_eq!(listed, all, "{name} lists every key in order");
    for (key, default, example) in &table {
        let (link, rejected) = decode(example);
        assert_eq!(rejected, [], "{name}: example of {key}");
        assert!(example.starts_with(&format!("{key}=")), "{name}: example of {key}");
        assert_ne!(link, Link::default(), "{name}: example of {key} changes the link");
        if default != "none" {
            let (link, rejected) = decode(&format!("{key}={default}"));
            assert_eq!(rejected, [], "{name}: default of {key}");
            assert_eq!(link, Link::default(), "{name}: default of {key}");
        }
    }
}

#[test]
fn docs_tables_match_keys() {
    let root = env!("CARGO_MANIFEST_DIR");
    let guide = std::fs::read_to_string(format!("{root}/docs/links.md")).expect("docs/links.md is readable");
    check_key_table("docs/links.md", &guide);
    let source =
        std::fs::read_to_string(format!("{root}/src/scenario/query.rs")).expect("query.rs is readable");
    check_key_table("query.rs", &source);
}

/// Generates a duration in `[min, max]`, often a whole number of some unit so that every
/// written form ("5min", "1.5s", "250ms") comes up.
fn any_duration(min: u64, max: u64) -> impl proptest::strategy::Strategy<Value = u64> {
    let in_unit = move |unit: u64| (0..=max / unit).prop_map(move |n| (n * unit).clamp(min, max));
    prop_oneof![min..=max, in_unit(100), in_unit(SECOND), in_unit(MINUTE), in_unit(HOUR), in_unit(DAY)]
}

fn any_span(max: u64) -> impl proptest::strategy::Strategy<Value = Span> {
    prop_oneof![
        any_duration(0, max).prop_map(Span::fixed),
        (any_duration(0, max), any_duration(0, max)).prop_map(|(a, b)| Span::range(a.min(b), a.max(b))),
    ]
}

fn any_workload() -> BoxedStrategy<Workload> {
    let arrival = prop_oneof![
        any_duration(0, DAY).prop_map(|gap_ms| Arrival::Steady { gap_ms }),
        prop_oneof![0.001f64..=1000.0, Just(0.001), Just(1000.0), Just(2.5)]
            .prop_map(|per_second| Arrival::Poisson { per_second }),
        Just(Arrival::Burst),
    ];
    (1u32..=500, arrival, any_span(30 * DAY), 0u32..=100, any::<bool>(), any_span(30 * DAY), any_span(DAY))
        .prop_map(
            |(
                payments,
                arrival,
                duration,
                decline_percent,
                processing_event,
                processing_after,
                record_delay,
            )| {
                Workload {
                    payments,
                    arrival,
                    duration,
                    decline_percent,
                    processing_event,
                    processing_after,
                    record_delay,
                }
            },
        )
        .boxed()
}

fn any_polling() -> BoxedStrategy<Polling> {
    let factor = prop_oneof![1.0f64..=10.0, Just(1.0), Just(2.0), Just(10.0)];
    (any_duration(100, DAY), factor, any_duration(100, DAY), 0u32..=1_000)
        .prop_map(|(interval_ms, backoff_factor, max_interval_ms, give_up_after)| Polling {
            interval_ms,
            backoff_factor,
            max_interval_ms,
            give_up_after,
        })
        .boxed()
}

fn any_delivery() -> BoxedStrategy<Delivery> {
    let retry = proptest::sample::select(RetryPreset::ALL.to_vec());
    let delays = proptest::collection::vec(any_duration(0, 7 * DAY), 0..=limits::MAX_CUSTOM_DELAYS);
    (
        retry,
        delays,
        any_duration(0, 7 * DAY),
        any_duration(0, 7 * DAY),
        0u32..=1_000,
        any_duration(100, 5 * MINUTE),
        any_duration(0, 60 * DAY),
        any_duration(0, 60 * DAY),
    )
        .prop_map(
            |(
                retry,
                custom_delays_ms,
                backoff_initial_ms,
                backoff_max_ms,
                backoff_retries,
                timeout_ms,
                disable_after_ms,
                replay_after_ms,
            )| Delivery {
                retry,
                custom_delays_ms,
                backoff_initial_ms,
                backoff_max_ms,
                backoff_retries,
                timeout_ms,
                disable_after_ms,
                replay_after_ms,
            },
        )
        .boxed()
}

fn any_endpoint() -> BoxedStrategy<Endpoint> {
    (
        any_duration(0, 60 * DAY),
        any_duration(0, 60 * DAY),
        0u32..=100,
        any_span(HOUR),
        any_duration(0, HOUR),
        0u32..=100,
    )
        .prop_map(|(down_from_ms, down_for_ms, error_percent, handler, store_ms, crash_percent)| Endpoint {
            down_from_ms,
            down_for_ms,
            error_percent,
            handler,
            store_ms,
            crash_percent,
        })
        .boxed()
}

fn any_receiver() -> BoxedStrategy<Receiver> {
    let apply =
        prop_oneof![Just(ApplyRule::LastWriteWins), Just(ApplyRule::StatusRank), Just(ApplyRule::Fetch)];
    let acknowledge = prop_oneof![
        Just(Acknowledge::AfterProcessing),
        Just(Acknowledge::AfterStoring),
        Just(Acknowledge::BeforeStoring)
    ];
    (any::<bool>(), apply, acknowledge, any::<bool>(), any::<bool>(), any::<bool>(), any_duration(0, 7 * DAY))
        .prop_map(
            |(
                deduplicate,
                apply,
                acknowledge,
                reject_unknown,
                verify_signatures,
                reserialize_body,
                tolerance_ms,
            )| {
                Receiver {
                    deduplicate,
                    apply,
                    acknowledge,
                    reject_unknown,
                    verify_signatures,
                    reserialize_body,
                    tolerance_ms,
                }
            },
        )
        .boxed()
}

fn any_scenario() -> BoxedStrategy<Scenario> {
    let network = (any_span(MINUTE), 0u32..=100)
        .prop_map(|(latency, webhook_loss_percent)| Network { latency, webhook_loss_percent });
    let api =
        (any::<bool>(), 1u32..=100_000, 1u32..=100_000).prop_map(|(rate_limited, rate_per_second, burst)| {
            ProviderApi { rate_limited, rate_per_second, burst }
        });
    let reconciliation = (any_duration(SECOND, 7 * DAY), any_duration(0, 60 * DAY))
        .prop_map(|(interval_ms, min_age_ms)| Reconciliation { interval_ms, min_age_ms });
    let shown = (any::<bool>(), any::<bool>(), any::<bool>())
        .prop_filter("at least one strategy is shown", |(p, w, h)| *p || *w || *h)
        .prop_map(|(polling, webhook, hybrid)| Shown { polling, webhook, hybrid });
    (
        any::<u64>(),
        any_workload(),
        network,
        any_polling(),
        api,
        any_delivery(),
        any_endpoint(),
        any_receiver(),
        reconciliation,
        shown,
    )
        .prop_map(
            |(seed, workload, network, polling, api, delivery, endpoint, receiver, reconciliation, shown)| {
                Scenario {
                    seed,
                    workload,
                    network,
                    polling,
                    api,
                    delivery,
                    endpoint,
                    receiver,
                    reconciliation,
                    shown,
                }
            },
        )
        .boxed()
}

fn any_view() -> BoxedStrategy<ViewOptions> {
    let story = ("[a-z0-9-]{1,60}", 0..=u32::MAX as usize);
    let theme = prop_oneof![Just(Theme::Light), Just(Theme::Dark)];
    let speed = prop_oneof![0.1f64..=100_000.0, Just(0.1), Just(1.0), Just(100_000.0)];
    (
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(1u32..=u32::MAX),
        proptest::option::of(story),
        proptest::option::of(theme),
        proptest::option::of(speed),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(|(embed, present, tour_step, story, theme, speed, slow_motion, skip_quiet)| ViewOptions {
            embed,
            present,
            tour_step,
            story,
            theme,
            speed,
            slow_motion,
            skip_quiet,
        })
        .boxed()
}

fn any_link() -> BoxedStrategy<Link> {
    let time = proptest::option::of(any_duration(0, MAX_TIME_MS));
    (any_scenario(), time, any_view())
        .prop_map(|(scenario, time_ms, view)| Link { scenario, time_ms, view })
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn valid_links_round_trip(link in any_link()) {
        let (sanitized, adjustments) = link.scenario.clone().sanitized();
        prop_assert_eq!(&sanitized, &link.scenario, "the generator stays within limits");
        prop_assert!(adjustments.is_empty());

        let query = encode(&link);
        prop_assert!(!query.contains('%'), "every value is written literally: {}", query);
        let (decoded, rejected) = decode(&query);
        prop_assert_eq!(rejected, Vec::<Rejected>::new(), "{}", query);
        prop_assert_eq!(&decoded, &link, "{}", query);
        prop_assert_eq!(decode(&format!("?{query}")).0, link);
    }
}

/// Pieces that random values and queries are built from: fragments of valid
/// values, separators, escapes, and characters that are hard to print.
const PIECES: [&str; 48] = [
    "",
    "0",
    "1",
    "7",
    "42",
    "500",
    "99999999999999999999999",
    "1.5",
    ".",
    "-",
    ":",
    ",",
    "/s",
    "s",
    "ms",
    "min",
    "h",
    "d",
    "x",
    "%",
    "%25",
    "%2",
    "%zz",
    "%00",
    "%FF",
    "%C3%A9",
    "%E2%80%AE",
    "+",
    "=",
    "&",
    "?",
    "#",
    "on",
    "off",
    "none",
    "steady:",
    "poisson:",
    "burst",
    "polling",
    "webhook",
    "hybrid,",
    "fetch",
    "dark",
    "<script>",
    "\u{202E}",
    "\u{0}",
    "é🙂",
    "out-of-order:",
];

fn random_piece(rng: &mut Pcg64Mcg) -> &'static str {
    PIECES[rng.random_range(0..PIECES.len())]
}

fn random_key(rng: &mut Pcg64Mcg) -> &'static str {
    let all: Vec<&'static str> = keys().collect();
    all[rng.random_range(0..all.len())]
}

/// Builds a random query string: raw bytes, random characters, escapes, known keys
/// with random values, or one very long value.
fn random_query(rng: &mut Pcg64Mcg) -> String {
    match rng.random_range(0..5) {
        0 => {
            let bytes: Vec<u8> = (0..rng.random_range(0..64)).map(|_| rng.random()).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        1 => (0..rng.random_range(0..32))
            .map(|_| char::from_u32(rng.random_range(0..0x11_0000)).unwrap_or('\u{FFFD}'))
            .collect(),
        2 => (0..rng.random_range(0..16)).map(|_| random_piece(rng)).collect(),
        3 => {
            let mut query = String::new();
            for _ in 0..rng.random_range(1..6) {
                query.push_str(random_key(rng));
                query.push('=');
                for _ in 0..rng.random_range(0..5) {
                    query.push_str(random_piece(rng));
                }
                query.push('&');
            }
            query
        }
        _ => {
            let mut value = String::new();
            let length = rng.random_range(150..700);
            while value.len() < length {
                value.push_str(random_piece(rng));
            }
            format!("{}={value}", random_key(rng))
        }
    }
}

#[test]
fn random_queries_never_panic() {
    let mut rng = Pcg64Mcg::seed_from_u64(7);
    for _ in 0..100_000 {
        let query = random_query(&mut rng);
        let (link, rejections) = decode(&query);
        for rejection in &rejections {
            assert!(rejection.key.chars().count() <= 41, "{query:?}: {rejection:?}");
            assert!(rejection.value.chars().count() <= 41, "{query:?}: {rejection:?}");
            assert!(rejection.used.chars().count() <= 41, "{query:?}: {rejection:?}");
            let shown_text = format!("{}{}", rejection.key, rejection.value);
            assert!(!shown_text.chars().any(char::is_control), "{query:?}: {rejection:?}");
        }
        let (sanitized, adjustments) = link.scenario.clone().sanitized();
        assert!(adjustments.is_empty(), "{query:?}: {adjustments:?}");
        assert_eq!(sanitized, link.scenario, "{query:?}");
        if let Some(speed) = link.view.speed {
            assert!((0.1..=100_000.0).contains(&speed), "{query:?}");
        }
        assert!(link.time_ms.is_none_or(|time| time <= MAX_TIME_MS), "{query:?}");
    }
}
