//! Each gallery scenario reproduces its failure and its cure, in exact counts.

use pollhook::gallery::{self, Variant};
use pollhook::sim::{self, Metrics};

/// The figures a gallery scenario is about.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Counts {
    requests: u64,
    rate_limited: u64,
    callbacks: u64,
    retries: u64,
    timeouts: u64,
    abandoned: u64,
    duplicates_received: u64,
    duplicates_processed: u64,
    out_of_order: u64,
    dropped: u64,
    signature_rejected: u64,
    replays_accepted: u64,
    detected: u32,
    never_learned: u32,
    learned_wrong: u32,
}

impl From<&Metrics> for Counts {
    fn from(m: &Metrics) -> Self {
        Counts {
            requests: m.provider_requests,
            rate_limited: m.rate_limited,
            callbacks: m.callbacks,
            retries: m.retries,
            timeouts: m.timeouts,
            abandoned: m.abandoned,
            duplicates_received: m.duplicates_received,
            duplicates_processed: m.duplicates_processed,
            out_of_order: m.out_of_order,
            dropped: m.dropped,
            signature_rejected: m.signature_rejected,
            replays_accepted: m.replays_accepted,
            detected: m.detected,
            never_learned: m.never_learned,
            learned_wrong: m.learned_wrong,
        }
    }
}

fn metrics(variant: &Variant) -> Metrics {
    let run = sim::run(&variant.scenario);
    run.lane(variant.strategy).expect("every strategy runs").metrics.clone()
}

/// Checks every variant of an entry against the expected counts, in order:
/// the failure first, then each cure.
fn check(key: &str, expected: &[Counts]) {
    let entry = gallery::entry(key).unwrap_or_else(|| panic!("no gallery entry {key}"));
    let variants: Vec<&Variant> = entry.variants().collect();
    assert_eq!(variants.len(), expected.len(), "{key}: number of variants");
    for (variant, expected) in variants.iter().zip(expected) {
        assert_eq!(&Counts::from(&metrics(variant)), expected, "{key}: {}", variant.label);
    }
}

#[test]
fn duplicate_delivery() {
    let failure = Counts {
        callbacks: 2,
        retries: 1,
        timeouts: 1,
        duplicates_received: 1,
        duplicates_processed: 1,
        detected: 1,
        ..Counts::default()
    };
    let cure = Counts { duplicates_processed: 0, ..failure };
    check("duplicate-delivery", &[failure, cure]);
}

#[test]
fn slow_handler() {
    // Ten attempts (the first and nine retries of the Standard Webhooks
    // schedule) all time out, and each one is processed again.
    let failure = Counts {
        callbacks: 10,
        retries: 9,
        timeouts: 10,
        abandoned: 1,
        duplicates_received: 9,
        duplicates_processed: 9,
        detected: 1,
        ..Counts::default()
    };
    let cure = Counts { callbacks: 1, detected: 1, ..Counts::default() };
    check("slow-handler", &[failure, cure]);
}

#[test]
fn out_of_order() {
    // Processing fails during the restart (503), succeeded lands, then the
    // processing retry lands: three deliveries reach the endpoint.
    let failure = Counts {
        callbacks: 3,
        retries: 1,
        out_of_order: 1,
        detected: 1,
        learned_wrong: 1,
        ..Counts::default()
    };
    let rank = Counts { out_of_order: 0, learned_wrong: 0, ..failure };
    let fetch = Counts { requests: 2, ..rank };
    check("out-of-order", &[failure, rank, fetch]);
}

#[test]
fn signature_reserialized() {
    let failure = Counts {
        callbacks: 10,
        retries: 9,
        abandoned: 1,
        signature_rejected: 10,
        never_learned: 1,
        ..Counts::default()
    };
    let cure = Counts { callbacks: 1, detected: 1, ..Counts::default() };
    check("signature-reserialized", &[failure, cure]);
}

#[test]
fn endpoint_down() {
    let failure = Counts { callbacks: 4, abandoned: 4, never_learned: 4, ..Counts::default() };
    let cure = Counts { callbacks: 19, retries: 15, detected: 4, ..Counts::default() };
    check("endpoint-down", &[failure, cure]);
}

#[test]
fn lost_webhook() {
    let failure = Counts { callbacks: 1, dropped: 1, never_learned: 1, ..Counts::default() };
    let cure = Counts { requests: 1, never_learned: 0, detected: 1, ..failure };
    check("lost-webhook", &[failure, cure]);
}

#[test]
fn rate_limited_poller() {
    let failure = Counts { requests: 7_823, rate_limited: 6_389, detected: 200, ..Counts::default() };
    let backoff = Counts { requests: 1_763, rate_limited: 1_454, detected: 200, ..Counts::default() };
    let webhooks = Counts { callbacks: 200, detected: 200, ..Counts::default() };
    check("rate-limited-poller", &[failure, backoff, webhooks]);
}

#[test]
fn webhook_before_record() {
    let failure = Counts { callbacks: 1, dropped: 1, never_learned: 1, ..Counts::default() };
    let cure = Counts { callbacks: 2, retries: 1, duplicates_received: 1, detected: 1, ..Counts::default() };
    check("webhook-before-record", &[failure, cure]);
}

#[test]
fn replay() {
    let failure = Counts {
        callbacks: 1,
        duplicates_received: 1,
        duplicates_processed: 1,
        replays_accepted: 1,
        detected: 1,
        ..Counts::default()
    };
    let cure = Counts { callbacks: 1, signature_rejected: 1, detected: 1, ..Counts::default() };
    check("replay", &[failure, cure]);
}

#[test]
fn gallery_delays_tell_the_story() {
    let delay = |key: &str, index: usize| {
        let entry = gallery::entry(key).unwrap();
        let variant = entry.variants().nth(index).unwrap().clone();
        metrics(&variant).delay.map(|d| d.max_ms)
    };
    // Back up at 2 h; the last event's retry after 2 h lands at 2 h 35 min.
    assert_eq!(delay("endpoint-down", 1), Some(2 * 3_600_000 + 35 * 60_000 + 5_900));
    // Reconciliation runs 30 min after the payment is recorded.
    assert_eq!(delay("lost-webhook", 1), Some(30 * 60_000 + 200 - 7_000));
    // The 409 makes ABC Payment retry 5 s after the answer lands.
    assert_eq!(delay("webhook-before-record", 1), Some(5_300));
}

#[test]
fn every_entry_has_an_explanation() {
    let entries = gallery::entries();
    assert!(entries.len() >= 7);
    for entry in entries {
        assert!(entry.explanation.len() > 200, "{}", entry.key);
        assert!(!entry.cures.is_empty(), "{}", entry.key);
    }
}
