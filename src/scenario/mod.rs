//! Every parameter a reader can tune, with its unit, its allowed range and its
//! default.
//!
//! A [`Scenario`] that reaches the simulation is always within its limits:
//! every input path (controls, saved state, links) goes through
//! [`Scenario::sanitized`], which clamps what is out of range and reports each
//! change as an [`Adjustment`] that the page shows in words.

pub mod limits;
pub mod presets;
pub mod query;
pub mod units;

use serde::{Deserialize, Serialize};

pub use limits::{Adjustment, Limit};
pub use presets::{DurationPreset, RetryPreset};

/// Virtual time and durations, in milliseconds.
pub type Millis = u64;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;
pub const DAY: Millis = 24 * HOUR;

/// A duration that is either fixed or drawn uniformly from a closed range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Span {
    /// Always this many milliseconds.
    Fixed { ms: Millis },
    /// Uniform on `[min_ms, max_ms]`, both ends included.
    Range { min_ms: Millis, max_ms: Millis },
}

impl Span {
    pub fn fixed(ms: Millis) -> Self {
        Span::Fixed { ms }
    }

    pub fn range(min_ms: Millis, max_ms: Millis) -> Self {
        Span::Range { min_ms, max_ms }
    }

    /// Smallest value the span can take, in milliseconds.
    pub fn min(&self) -> Millis {
        match *self {
            Span::Fixed { ms } => ms,
            Span::Range { min_ms, .. } => min_ms,
        }
    }

    /// Largest value the span can take, in milliseconds.
    pub fn max(&self) -> Millis {
        match *self {
            Span::Fixed { ms } => ms,
            Span::Range { max_ms, .. } => max_ms,
        }
    }

    /// Mean of the span, in milliseconds.
    pub fn mean(&self) -> f64 {
        (self.min() as f64 + self.max() as f64) / 2.0
    }
}

/// How payments are spread over time.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Arrival {
    /// A new payment every `gap_ms` milliseconds, the first at time zero.
    Steady { gap_ms: Millis },
    /// A Poisson process: exponential gaps with this mean rate, in payments per second.
    Poisson { per_second: f64 },
    /// Every payment is created at time zero.
    Burst,
}

/// The payments that go through every strategy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Workload {
    /// Number of payments in the run.
    pub payments: u32,
    /// When each payment is created.
    pub arrival: Arrival,
    /// Time from creating a payment until ABC Payment marks it final, in milliseconds.
    pub duration: Span,
    /// Share of payments that end declined ("failed") instead of "succeeded", in percent.
    pub decline_percent: u32,
    /// Whether ABC Payment sends a `payment.processing` event before the final one.
    pub processing_event: bool,
    /// Time from creating a payment until it becomes "processing", in
    /// milliseconds; capped at the payment's duration.
    pub processing_after: Span,
    /// Time from creating a payment at ABC Payment until the gateway has
    /// stored its id, in milliseconds. Until then the gateway cannot match
    /// an event to an order (the buyer's redirect, or a slow commit).
    pub record_delay: Span,
}

impl Default for Workload {
    fn default() -> Self {
        Workload {
            payments: 1,
            arrival: Arrival::Steady { gap_ms: SECOND },
            duration: Span::fixed(7 * SECOND),
            decline_percent: 0,
            processing_event: false,
            processing_after: Span::fixed(SECOND),
            record_delay: Span::fixed(0),
        }
    }
}

/// The network between the gateway and ABC Payment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Network {
    /// One-way latency of every message, in milliseconds, drawn anew per message.
    pub latency: Span,
    /// Share of webhook deliveries and their answers lost on the way, in percent.
    pub webhook_loss_percent: u32,
}

impl Default for Network {
    fn default() -> Self {
        Network { latency: Span::fixed(100), webhook_loss_percent: 0 }
    }
}

/// How the polling gateway asks for the status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Polling {
    /// Time between two status requests for one payment, in milliseconds.
    /// The first request goes out one interval after the gateway records the payment.
    pub interval_ms: Millis,
    /// Each wait is this many times the previous one; 1 keeps the interval fixed.
    pub backoff_factor: f64,
    /// Longest wait between two requests when backing off, in milliseconds.
    pub max_interval_ms: Millis,
    /// Requests per payment after which the gateway stops asking; 0 means never stop.
    pub give_up_after: u32,
}

impl Default for Polling {
    fn default() -> Self {
        Polling {
            interval_ms: 2 * SECOND,
            backoff_factor: 1.0,
            max_interval_ms: 5 * MINUTE,
            give_up_after: 0,
        }
    }
}

/// ABC Payment's API limits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProviderApi {
    /// Whether the API enforces a rate limit.
    pub rate_limited: bool,
    /// Token-bucket refill rate per client, in requests per second.
    pub rate_per_second: u32,
    /// Token-bucket capacity: how many requests a client may send at once.
    pub burst: u32,
}

impl Default for ProviderApi {
    /// Stripe's live-mode limit of 100 operations per second.
    fn default() -> Self {
        ProviderApi { rate_limited: true, rate_per_second: 100, burst: 100 }
    }
}

/// How ABC Payment delivers webhooks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Delivery {
    /// The retry schedule.
    pub retry: RetryPreset,
    /// Delays of the custom schedule, each counted from the failure of the
    /// previous attempt, in milliseconds.
    pub custom_delays_ms: Vec<Millis>,
    /// First delay of exponential backoff, in milliseconds.
    pub backoff_initial_ms: Millis,
    /// Longest delay of exponential backoff, in milliseconds.
    pub backoff_max_ms: Millis,
    /// Retries of exponential backoff after the first attempt.
    pub backoff_retries: u32,
    /// How long ABC Payment waits for the endpoint's answer, in milliseconds;
    /// a later answer counts as a failure.
    pub timeout_ms: Millis,
    /// ABC Payment disables an endpoint that has failed without a single
    /// success for this long, in milliseconds; 0 means never.
    pub disable_after_ms: Millis,
    /// An attacker replays each captured delivery this long after the
    /// original, in milliseconds; 0 means no replays.
    pub replay_after_ms: Millis,
}

impl Default for Delivery {
    fn default() -> Self {
        Delivery {
            retry: RetryPreset::StandardWebhooks,
            custom_delays_ms: vec![5 * SECOND, MINUTE, 10 * MINUTE],
            backoff_initial_ms: 5 * SECOND,
            backoff_max_ms: HOUR,
            backoff_retries: 8,
            timeout_ms: 15 * SECOND,
            disable_after_ms: 0,
            replay_after_ms: 0,
        }
    }
}

/// When the gateway's endpoint answers a delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Acknowledge {
    /// Handle the event completely, then answer 2xx: a slow handler makes the
    /// provider time out and retry.
    AfterProcessing,
    /// Store the raw event, answer 2xx, then process it from the store.
    AfterStoring,
    /// Answer 2xx at once, then store and process; a crash in between loses the event.
    BeforeStoring,
}

/// How the gateway turns an event into its view of the payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplyRule {
    /// The event's status replaces the stored one, whatever it was.
    LastWriteWins,
    /// The status moves only forward: pending, processing, then final.
    StatusRank,
    /// The event is only a hint: the gateway fetches the payment from ABC
    /// Payment and stores what the API returns (a "thin" event).
    Fetch,
}

/// The gateway's webhook endpoint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Endpoint {
    /// Virtual time at which the endpoint goes down, in milliseconds.
    pub down_from_ms: Millis,
    /// How long the endpoint stays down, in milliseconds; 0 means never down.
    pub down_for_ms: Millis,
    /// Share of deliveries answered with HTTP 500, in percent.
    pub error_percent: u32,
    /// Time the handler needs to process an event, in milliseconds.
    pub handler: Span,
    /// Time to store a raw event, in milliseconds.
    pub store_ms: Millis,
    /// Share of events lost when the process crashes after answering and
    /// before storing, in percent; matters only with [`Acknowledge::BeforeStoring`].
    pub crash_percent: u32,
}

impl Endpoint {
    /// Whether the endpoint is down at virtual time `at`, in milliseconds.
    pub fn is_down(&self, at: Millis) -> bool {
        self.down_for_ms > 0
            && (self.down_from_ms..self.down_from_ms.saturating_add(self.down_for_ms)).contains(&at)
    }
}

impl Default for Endpoint {
    /// A healthy endpoint that handles events instantly, so that by default
    /// a webhook costs the gateway exactly what a status answer does.
    fn default() -> Self {
        Endpoint {
            down_from_ms: 0,
            down_for_ms: 0,
            error_percent: 0,
            handler: Span::fixed(0),
            store_ms: 0,
            crash_percent: 0,
        }
    }
}

/// What the gateway does with each delivery.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Receiver {
    /// Skip events whose id was already received.
    pub deduplicate: bool,
    pub apply: ApplyRule,
    pub acknowledge: Acknowledge,
    /// Answer 409 to an event for a payment the gateway has not recorded yet,
    /// so that ABC Payment retries it later; otherwise the event is dropped.
    pub reject_unknown: bool,
    /// Verify each delivery's HMAC-SHA256 signature.
    pub verify_signatures: bool,
    /// Parse and re-serialize the body before verifying, which changes its
    /// bytes and breaks the signature.
    pub reserialize_body: bool,
    /// Largest accepted age of a signed timestamp, in milliseconds.
    pub tolerance_ms: Millis,
}

impl Default for Receiver {
    fn default() -> Self {
        Receiver {
            deduplicate: true,
            apply: ApplyRule::StatusRank,
            acknowledge: Acknowledge::AfterStoring,
            reject_unknown: false,
            verify_signatures: true,
            reserialize_body: false,
            tolerance_ms: 5 * MINUTE,
        }
    }
}

/// The periodic safety net of the hybrid strategy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Reconciliation {
    /// Time between two reconciliation runs, in milliseconds.
    pub interval_ms: Millis,
    /// A run fetches only payments at least this old that the gateway does
    /// not know to be final, in milliseconds.
    pub min_age_ms: Millis,
}

impl Default for Reconciliation {
    fn default() -> Self {
        Reconciliation { interval_ms: 30 * MINUTE, min_age_ms: 5 * MINUTE }
    }
}

/// How the gateway learns that a payment finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// The gateway asks ABC Payment for the status on a timer.
    Polling,
    /// ABC Payment calls the gateway's webhook endpoint when the status changes.
    Webhook,
    /// Webhooks, plus a periodic reconciliation run that fetches every
    /// payment the webhooks have not settled.
    Hybrid,
}

impl Strategy {
    pub const ALL: [Strategy; 3] = [Strategy::Polling, Strategy::Webhook, Strategy::Hybrid];

    pub fn label(self) -> &'static str {
        match self {
            Strategy::Polling => "Polling",
            Strategy::Webhook => "Webhook",
            Strategy::Hybrid => "Webhook + reconciliation",
        }
    }

    /// Lower-case name used in test ids, links and CSS classes.
    pub fn key(self) -> &'static str {
        match self {
            Strategy::Polling => "polling",
            Strategy::Webhook => "webhook",
            Strategy::Hybrid => "hybrid",
        }
    }

    pub fn from_key(key: &str) -> Option<Strategy> {
        Strategy::ALL.into_iter().find(|strategy| strategy.key() == key)
    }
}

/// Which strategy panels the page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Shown {
    pub polling: bool,
    pub webhook: bool,
    pub hybrid: bool,
}

impl Shown {
    pub fn includes(&self, strategy: Strategy) -> bool {
        match strategy {
            Strategy::Polling => self.polling,
            Strategy::Webhook => self.webhook,
            Strategy::Hybrid => self.hybrid,
        }
    }
}

impl Default for Shown {
    fn default() -> Self {
        Shown { polling: true, webhook: true, hybrid: false }
    }
}

/// A complete, reproducible description of one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scenario {
    /// Seed of the random generator; the same scenario and seed give the same trace.
    pub seed: u64,
    pub workload: Workload,
    pub network: Network,
    pub polling: Polling,
    pub api: ProviderApi,
    pub delivery: Delivery,
    pub endpoint: Endpoint,
    pub receiver: Receiver,
    pub reconciliation: Reconciliation,
    pub shown: Shown,
}

impl Default for Scenario {
    /// The story most readers know: one card payment that takes seven seconds,
    /// a gateway that polls every two seconds and learns the result from its
    /// fourth request, and a single webhook on the other side.
    fn default() -> Self {
        Scenario {
            seed: 1,
            workload: Workload::default(),
            network: Network::default(),
            polling: Polling::default(),
            api: ProviderApi::default(),
            delivery: Delivery::default(),
            endpoint: Endpoint::default(),
            receiver: Receiver::default(),
            reconciliation: Reconciliation::default(),
            shown: Shown::default(),
        }
    }
}

impl Scenario {
    /// Clamps every field into its allowed range and returns the result with
    /// one [`Adjustment`] per changed field.
    pub fn sanitized(mut self) -> (Scenario, Vec<Adjustment>) {
        let mut out = Vec::new();
        let adjustments = &mut out;

        let workload = &mut self.workload;
        limits::PAYMENTS.clamp_u32(&mut workload.payments, adjustments);
        match &mut workload.arrival {
            Arrival::Steady { gap_ms } => limits::ARRIVAL_GAP.clamp(gap_ms, adjustments),
            Arrival::Poisson { per_second } => limits::ARRIVAL_RATE.clamp_f64(per_second, adjustments),
            Arrival::Burst => {}
        }
        limits::DURATION.clamp_span(&mut workload.duration, adjustments);
        limits::PERCENT.named("decline share").clamp_u32(&mut workload.decline_percent, adjustments);
        limits::DURATION.named("processing after").clamp_span(&mut workload.processing_after, adjustments);
        limits::RECORD_DELAY.clamp_span(&mut workload.record_delay, adjustments);

        limits::LATENCY.clamp_span(&mut self.network.latency, adjustments);
        limits::PERCENT.named("webhook loss").clamp_u32(&mut self.network.webhook_loss_percent, adjustments);

        let polling = &mut self.polling;
        limits::POLL_INTERVAL.clamp(&mut polling.interval_ms, adjustments);
        limits::BACKOFF_FACTOR.clamp_factor(&mut polling.backoff_factor, adjustments);
        limits::POLL_INTERVAL.named("longest poll interval").clamp(&mut polling.max_interval_ms, adjustments);
        limits::ATTEMPTS.named("give up after").clamp_u32(&mut polling.give_up_after, adjustments);

        limits::RATE.clamp_u32(&mut self.api.rate_per_second, adjustments);
        limits::BURST.clamp_u32(&mut self.api.burst, adjustments);

        let delivery = &mut self.delivery;
        if delivery.custom_delays_ms.len() > limits::MAX_CUSTOM_DELAYS {
            adjustments.push(Adjustment {
                field: "custom retry delays",
                given: format!("{} delays", delivery.custom_delays_ms.len()),
                used: format!("the first {}", limits::MAX_CUSTOM_DELAYS),
                reason: format!("at most {} retries are allowed", limits::MAX_CUSTOM_DELAYS),
            });
            delivery.custom_delays_ms.truncate(limits::MAX_CUSTOM_DELAYS);
        }
        for delay in &mut delivery.custom_delays_ms {
            limits::RETRY_DELAY.clamp(delay, adjustments);
        }
        limits::RETRY_DELAY.named("first backoff delay").clamp(&mut delivery.backoff_initial_ms, adjustments);
        limits::RETRY_DELAY.named("longest backoff delay").clamp(&mut delivery.backoff_max_ms, adjustments);
        limits::ATTEMPTS.named("backoff retries").clamp_u32(&mut delivery.backoff_retries, adjustments);
        limits::TIMEOUT.clamp(&mut delivery.timeout_ms, adjustments);
        limits::HORIZON.named("disable after").clamp(&mut delivery.disable_after_ms, adjustments);
        limits::HORIZON.named("replay after").clamp(&mut delivery.replay_after_ms, adjustments);

        let endpoint = &mut self.endpoint;
        limits::HORIZON.named("endpoint down from").clamp(&mut endpoint.down_from_ms, adjustments);
        limits::HORIZON.named("endpoint down for").clamp(&mut endpoint.down_for_ms, adjustments);
        limits::PERCENT.named("endpoint errors").clamp_u32(&mut endpoint.error_percent, adjustments);
        limits::HANDLER.clamp_span(&mut endpoint.handler, adjustments);
        limits::HANDLER.named("store time").clamp(&mut endpoint.store_ms, adjustments);
        limits::PERCENT.named("crash share").clamp_u32(&mut endpoint.crash_percent, adjustments);

        limits::TOLERANCE.clamp(&mut self.receiver.tolerance_ms, adjustments);
        limits::RECONCILE_INTERVAL.clamp(&mut self.reconciliation.interval_ms, adjustments);
        limits::HORIZON
            .named("reconciliation minimum age")
            .clamp(&mut self.reconciliation.min_age_ms, adjustments);

        if !(self.shown.polling || self.shown.webhook || self.shown.hybrid) {
            adjustments.push(Adjustment {
                field: "strategies shown",
                given: "none".to_string(),
                used: "polling and webhook".to_string(),
                reason: "at least one strategy must be shown".to_string(),
            });
            self.shown = Shown::default();
        }

        (self, out)
    }
}

/// Payments per second in a long run.
pub const LONG_RUN_RATE: f64 = 100.0;

/// Builds the scenario of a long run and of the benchmarks. Payments arrive
/// as a Poisson process at 100 per second and take 1 s to 60 s (uniform).
/// Latency is a fixed 50 ms each way, the gateway polls every 2 s, and there
/// is no rate limit. Every other field keeps its default, so webhook
/// deliveries are signed and verified.
///
/// The count skips [`Scenario::sanitized`], whose limit of 10,000 payments
/// is for runs that keep a whole trace.
pub fn long_run(payments: u32) -> Scenario {
    let mut scenario = Scenario::default();
    scenario.workload.payments = payments;
    scenario.workload.arrival = Arrival::Poisson { per_second: LONG_RUN_RATE };
    scenario.workload.duration = Span::range(SECOND, 60 * SECOND);
    scenario.network.latency = Span::fixed(50);
    scenario.polling.interval_ms = 2 * SECOND;
    scenario.api.rate_limited = false;
    scenario
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_within_limits() {
        let (scenario, adjustments) = Scenario::default().sanitized();
        assert_eq!(scenario, Scenario::default());
        assert!(adjustments.is_empty(), "{adjustments:?}");
    }

    #[test]
    fn sanitized_clamps_and_reports() {
        let mut scenario = Scenario::default();
        scenario.polling.interval_ms = 0;
        scenario.workload.payments = 1_000_000;
        scenario.network.latency = Span::range(500, 100);

        let (fixed, adjustments) = scenario.sanitized();

        assert_eq!(fixed.polling.interval_ms, limits::POLL_INTERVAL.min);
        assert_eq!(fixed.workload.payments as u64, limits::PAYMENTS.max);
        assert_eq!(fixed.network.latency, Span::range(100, 500));
        let fields: Vec<&str> = adjustments.iter().map(|a| a.field).collect();
        assert_eq!(fields, ["payments", "latency", "poll interval"]);
        assert_eq!(adjustments[2].given, "0 ms");
        assert_eq!(adjustments[2].used, "100 ms");
    }

    #[test]
    fn poisson_rate_not_finite_is_replaced() {
        let mut scenario = Scenario::default();
        scenario.workload.arrival = Arrival::Poisson { per_second: f64::NAN };
        let (fixed, adjustments) = scenario.sanitized();
        assert_eq!(fixed.workload.arrival, Arrival::Poisson { per_second: 1.0 });
        assert_eq!(adjustments.len(), 1);
        assert_eq!(adjustments[0].given, "NaN per second");
    }

    #[test]
    fn no_strategy_shown_restores_default() {
        let shown = Shown { polling: false, webhook: false, hybrid: false };
        let (fixed, adjustments) = Scenario { shown, ..Scenario::default() }.sanitized();
        assert_eq!(fixed.shown, Shown::default());
        assert_eq!(adjustments[0].field, "strategies shown");
    }

    #[test]
    fn too_many_custom_delays_are_cut() {
        let mut scenario = Scenario::default();
        scenario.delivery.custom_delays_ms = vec![SECOND; 500];
        let (fixed, adjustments) = scenario.sanitized();
        assert_eq!(fixed.delivery.custom_delays_ms.len(), limits::MAX_CUSTOM_DELAYS);
        assert_eq!(adjustments.len(), 1);
    }

    #[test]
    fn missing_fields_take_defaults() {
        let scenario: Scenario =
            serde_json::from_str(r#"{"seed": 9, "polling": {"interval_ms": 3000}}"#).unwrap();
        assert_eq!(scenario.seed, 9);
        assert_eq!(scenario.polling.interval_ms, 3_000);
        assert_eq!(scenario.polling.backoff_factor, 1.0);
        assert_eq!(scenario.workload, Workload::default());
    }
}
