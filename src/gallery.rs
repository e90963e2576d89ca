//! The scenario gallery: small reproductions of failures seen in production,
//! each paired with the cure.

use crate::scenario::{
    Acknowledge, ApplyRule, Arrival, RetryPreset, Scenario, Shown, Span, Strategy, HOUR, MINUTE, SECOND,
};

/// One half of a gallery entry: a scenario and the strategy whose panel tells the story.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// Short label for the button, such as "Failure" or "Cure: deduplicate".
    pub label: &'static str,
    pub scenario: Scenario,
    pub strategy: Strategy,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// Name used in links, such as "duplicate-delivery".
    pub key: &'static str,
    pub title: &'static str,
    /// One paragraph on what happens and why, shown on the page.
    pub explanation: &'static str,
    pub failure: Variant,
    pub cures: Vec<Variant>,
}

impl Entry {
    /// The failure followed by the cures.
    pub fn variants(&self) -> impl Iterator<Item = &Variant> {
        std::iter::once(&self.failure).chain(&self.cures)
    }
}

/// A scenario that shows only the given strategies.
fn showing(strategies: &[Strategy]) -> Scenario {
    let shown = Shown {
        polling: strategies.contains(&Strategy::Polling),
        webhook: strategies.contains(&Strategy::Webhook),
        hybrid: strategies.contains(&Strategy::Hybrid),
    };
    Scenario { shown, ..Scenario::default() }
}

fn variant(label: &'static str, strategy: Strategy, scenario: Scenario) -> Variant {
    Variant { label, scenario, strategy }
}

fn duplicate_delivery() -> Entry {
    let mut failure = showing(&[Strategy::Webhook]);
    failure.seed = 6;
    failure.network.webhook_loss_percent = 30;
    failure.receiver.deduplicate = false;
    failure.receiver.apply = ApplyRule::LastWriteWins;
    let mut cure = failure.clone();
    cure.receiver.deduplicate = true;
    Entry {
        key: "duplicate-delivery",
        title: "A duplicate delivery is processed twice",
        explanation: "The network loses 30% of webhook messages. In this run the gateway processes the \
            event and answers 200, but the answer is lost. ABC Payment hears nothing within its 15 s \
            timeout, so it sends the same event again 5 s later, and the gateway processes it a second \
            time: an order shipped twice, a receipt mailed twice. Delivery is at least once, never \
            exactly once. The cure is to record each event id and skip ids already seen.",
        failure: variant("Failure", Strategy::Webhook, failure),
        cures: vec![variant("Cure: deduplicate by event id", Strategy::Webhook, cure)],
    }
}

fn slow_handler() -> Entry {
    let mut failure = showing(&[Strategy::Webhook]);
    failure.endpoint.handler = Span::fixed(20 * SECOND);
    failure.receiver.acknowledge = Acknowledge::AfterProcessing;
    failure.receiver.deduplicate = false;
    let mut cure = failure.clone();
    cure.receiver.acknowledge = Acknowledge::AfterStoring;
    cure.endpoint.store_ms = 20;
    Entry {
        key: "slow-handler",
        title: "A slow handler times out and is retried while it still runs",
        explanation: "The handler needs 20 s and answers only when it is done, but ABC Payment waits \
            15 s. Every attempt times out, so ABC Payment retries while the handler is still working \
            on the previous attempt, and each retry starts the same work again until the schedule \
            gives up. The gateway does learn the status, many times over. The cure is to store the \
            raw event, answer 200 at once and process it afterwards.",
        failure: variant("Failure", Strategy::Webhook, failure),
        cures: vec![variant("Cure: store, answer, then process", Strategy::Webhook, cure)],
    }
}

fn out_of_order() -> Entry {
    let mut failure = showing(&[Strategy::Webhook]);
    failure.workload.processing_event = true;
    failure.workload.processing_after = Span::fixed(SECOND);
    failure.workload.duration = Span::fixed(3 * SECOND);
    failure.endpoint.down_from_ms = SECOND;
    failure.endpoint.down_for_ms = SECOND;
    failure.receiver.apply = ApplyRule::LastWriteWins;
    let mut rank = failure.clone();
    rank.receiver.apply = ApplyRule::StatusRank;
    let mut fetch = failure.clone();
    fetch.receiver.apply = ApplyRule::Fetch;
    Entry {
        key: "out-of-order",
        title: "Events applied out of order leave a payment in the wrong state",
        explanation: "ABC Payment sends payment.processing at 1 s and payment.succeeded at 3 s. A \
            deploy restarts the endpoint between 1 s and 2 s, so the processing event fails and is \
            retried 5 s later, after the succeeded event. A receiver that lets the last write win \
            moves the payment back to processing and keeps it there. Two cures: only move a status \
            forward (pending, processing, final), or treat every event as a hint and fetch the \
            current payment from the API.",
        failure: variant("Failure", Strategy::Webhook, failure),
        cures: vec![
            variant("Cure: status only moves forward", Strategy::Webhook, rank),
            variant("Cure: fetch the payment", Strategy::Webhook, fetch),
        ],
    }
}

fn signature_reserialized() -> Entry {
    let mut failure = showing(&[Strategy::Webhook]);
    failure.receiver.reserialize_body = true;
    let mut cure = failure.clone();
    cure.receiver.reserialize_body = false;
    Entry {
        key: "signature-reserialized",
        title: "A signature fails after the body is re-serialized",
        explanation: "ABC Payment signs the exact bytes it sends with HMAC-SHA256. The receiver's \
            framework parses the JSON and the handler verifies a re-serialized copy, whose keys come \
            out in another order. The data is the same but the bytes are not, so every attempt is \
            rejected with 401, retried for three days and abandoned, and the gateway never learns \
            the payment succeeded. The cure is to verify the raw body before parsing it.",
        failure: variant("Failure", Strategy::Webhook, failure),
        cures: vec![variant("Cure: verify the raw bytes", Strategy::Webhook, cure)],
    }
}

fn endpoint_down() -> Entry {
    let mut cure = showing(&[Strategy::Webhook]);
    cure.workload.payments = 4;
    cure.workload.arrival = Arrival::Steady { gap_ms: 30 * MINUTE };
    cure.endpoint.down_from_ms = 0;
    cure.endpoint.down_for_ms = 2 * HOUR;
    let mut failure = cure.clone();
    failure.delivery.retry = RetryPreset::GitHub;
    failure.delivery.timeout_ms = 10 * SECOND;
    Entry {
        key: "endpoint-down",
        title: "An endpoint down for two hours catches up through retries",
        explanation: "The gateway's endpoint is down for the first two hours while four payments \
            complete, one every 30 minutes. With no automatic retries, as GitHub sends webhooks, \
            every event is lost. With the Standard Webhooks schedule (5 s, 5 min, 30 min, 2 h, ...) \
            ABC Payment keeps trying, and each event arrives once the endpoint is back: late, but \
            complete.",
        failure: variant("Failure: no retries", Strategy::Webhook, failure),
        cures: vec![variant("Cure: retry on a schedule", Strategy::Webhook, cure)],
    }
}

fn lost_webhook() -> Entry {
    let mut scenario = showing(&[Strategy::Webhook, Strategy::Hybrid]);
    let only_webhook = showing(&[Strategy::Webhook]).shown;
    scenario.receiver.acknowledge = Acknowledge::BeforeStoring;
    scenario.endpoint.store_ms = 20;
    scenario.endpoint.crash_percent = 100;
    Entry {
        key: "lost-webhook",
        title: "A webhook lost for good, caught by reconciliation",
        explanation: "The endpoint answers 200 before it stores the event, and in this run the \
            process crashes in between. ABC Payment saw a 200, so it never retries, and the webhook \
            is lost for good: a gateway with webhooks alone never learns the outcome. The cure adds \
            a second panel whose gateway also runs a reconciliation job every 30 minutes, fetching \
            each payment still open after 5 minutes, so it learns the outcome at the next run.",
        failure: variant(
            "Failure: webhooks only",
            Strategy::Webhook,
            Scenario { shown: only_webhook, ..scenario.clone() },
        ),
        cures: vec![variant("Cure: reconcile every 30 min", Strategy::Hybrid, scenario)],
    }
}

fn rate_limited_poller() -> Entry {
    let mut failure = showing(&[Strategy::Polling, Strategy::Webhook]);
    failure.workload.payments = 200;
    failure.workload.arrival = Arrival::Burst;
    failure.workload.duration = Span::range(5 * SECOND, 60 * SECOND);
    failure.polling.interval_ms = SECOND;
    failure.api.rate_per_second = 25;
    failure.api.burst = 25;
    let mut backoff = failure.clone();
    backoff.polling.backoff_factor = 2.0;
    backoff.polling.max_interval_ms = 30 * SECOND;
    Entry {
        key: "rate-limited-poller",
        title: "A poller hits the rate limit",
        explanation: "A sale starts: 200 payments at once, each polled every second, against an API \
            that allows 25 requests per second (Stripe's test-mode limit). Most requests come back \
            429 Too Many Requests and the gateway waits as Retry-After asks. Backing off (doubling \
            the wait up to 30 s) cuts the requests and the 429s by three quarters, but the gateway \
            now learns of each payment later. Webhooks need no requests at all and learn of each \
            payment within one network trip.",
        failure: variant("Failure: poll every second", Strategy::Polling, failure.clone()),
        cures: vec![
            variant("Cure: back off exponentially", Strategy::Polling, backoff),
            variant("Cure: switch to webhooks", Strategy::Webhook, failure),
        ],
    }
}

fn webhook_before_record() -> Entry {
    let mut failure = showing(&[Strategy::Webhook]);
    failure.workload.duration = Span::fixed(SECOND);
    failure.workload.record_delay = Span::fixed(3 * SECOND);
    let mut cure = failure.clone();
    cure.receiver.reject_unknown = true;
    Entry {
        key: "webhook-before-record",
        title: "The webhook arrives before the gateway knows the payment",
        explanation: "A card payment completes in 1 s, but the gateway stores the payment's id only \
            when the buyer's browser returns from the payment page, 3 s after creation (one measured \
            case saw a webhook arrive 2.7 to 3.5 s before the browser). The event names a payment \
            the gateway does not know; answering 200 and dropping it loses the outcome. Answering \
            409 instead makes ABC Payment retry 5 s later, when the payment is known.",
        failure: variant("Failure: answer 200 and drop", Strategy::Webhook, failure),
        cures: vec![variant("Cure: answer 409 until known", Strategy::Webhook, cure)],
    }
}

fn replay_attack() -> Entry {
    let mut failure = showing(&[Strategy::Webhook]);
    failure.delivery.replay_after_ms = 10 * MINUTE;
    failure.receiver.verify_signatures = false;
    failure.receiver.deduplicate = false;
    let mut cure = failure.clone();
    cure.receiver.verify_signatures = true;
    Entry {
        key: "replay",
        title: "A replayed delivery is accepted",
        explanation: "An attacker who captured a delivery sends it again 10 minutes later. A receiver \
            that checks nothing processes it as new. Verifying the signature is not enough on its \
            own, because the replay carries a valid one; what stops it is the signed timestamp, \
            which is now outside the receiver's 5 minute tolerance.",
        failure: variant("Failure: no verification", Strategy::Webhook, failure),
        cures: vec![variant("Cure: verify with a tolerance", Strategy::Webhook, cure)],
    }
}

/// Every gallery entry, in the order the page lists them.
pub fn entries() -> Vec<Entry> {
    vec![
        duplicate_delivery(),
        slow_handler(),
        out_of_order(),
        signature_reserialized(),
        endpoint_down(),
        lost_webhook(),
        rate_limited_poller(),
        webhook_before_record(),
        replay_attack(),
    ]
}

/// Returns the entry with the given key.
pub fn entry(key: &str) -> Option<Entry> {
    entries().into_iter().find(|entry| entry.key == key)
}
