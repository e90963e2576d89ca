//! Links that carry a whole scenario: "the URL is the state".
//!
//! A query string contains every scenario parameter, the seed, the strategies
//! shown, the virtual time and the view options, in words and units a person
//! can read and edit, such as `?poll=1s&duration=1s-10s&show=polling,hybrid`.
//!
//! [`encode`] writes only the parameters that differ from
//! [`Scenario::default`] and [`ViewOptions::default`], so the default page
//! has an empty query, and it writes them in the order of the table below.
//! [`decode`] reads any string without panicking. Every parameter it cannot
//! use becomes a [`Rejected`] that names the key, the value given and the
//! value used instead, and the rest of the link still applies.
//!
//! # Values
//!
//! - A duration is a number with a unit: `250ms`, `2s`, `1.5s`, `5min`, `2h`,
//!   `3d`, or parts that add up, such as `2h30min`. A bare number counts as
//!   seconds, as it does in the duration inputs on the page, so `latency=100`
//!   means 100 s (and is then clamped to 1 min). Fractions of a millisecond
//!   are rounded.
//! - A span is a duration (`7s`) or a range drawn uniformly, lower end first
//!   (`1s-10s`).
//! - A percentage is a whole number from 0 to 100, optionally followed by `%`
//!   (written `%25` in a URL).
//! - A switch is `on` or `off`; `true`, `false`, `yes`, `no`, `1` and `0` are
//!   accepted too. `embed` and `present` are written `1`, and a bare `embed`
//!   or `present` with no value means `1`.
//! - Words in values (units, switches, names) may be in any letter case, but
//!   keys must be lower case as listed. Spaces around a value are ignored.
//!
//! # Keys
//!
//! The table is in the order [`encode`] writes. The default column shows the
//! value of [`Scenario::default`], or "none" for a view option that is unset.
//!
//! | Key | Sets | Value and unit | Default | Example |
//! |---|---|---|---|---|
//! | `seed` | seed of the random generator | whole number, 0 to 18446744073709551615 | `1` | `seed=42` |
//! | `payments` | number of payments | 1 to 10000 | `1` | `payments=200` |
//! | `arrival` | when payments are created | `steady:GAP` (gap 0 to 1d), `poisson:RATE` (payments per second, 0.001 to 1000) or `burst` | `steady:1s` | `arrival=poisson:2.5` |
//! | `duration` | time from creating a payment until it is final | span, 0 to 30d | `7s` | `duration=1s-10s` |
//! | `decline` | share of payments that end declined | percentage | `0` | `decline=30` |
//! | `processing` | whether a `payment.processing` event comes first | switch | `off` | `processing=on` |
//! | `processing_after` | time until a payment becomes processing | span, 0 to 30d | `1s` | `processing_after=500ms` |
//! | `record` | time until the gateway has stored the payment's id | span, 0 to 1d | `0ms` | `record=3s` |
//! | `latency` | one-way network latency of each message | span, 0 to 1min | `100ms` | `latency=50ms-300ms` |
//! | `loss` | share of webhook deliveries and answers lost | percentage | `0` | `loss=30` |
//! | `poll` | time between two status requests for one payment | duration, 100ms to 1d | `2s` | `poll=1s` |
//! | `backoff` | factor by which each poll wait grows (1 keeps it fixed) | number, 1 to 10 | `1` | `backoff=2` |
//! | `poll_max` | longest wait between two polls when backing off | duration, 100ms to 1d | `5min` | `poll_max=30s` |
//! | `give_up` | requests per payment after which polling stops; 0 means never | 0 to 1000 | `0` | `give_up=10` |
//! | `rate_limit` | ABC Payment's API rate limit per client | `off`, a rate such as `25/s` (1 to 100000 per second), or `off:25/s` to keep a rate for when it is turned on | `100/s` | `rate_limit=25/s` |
//! | `burst` | requests a client may send at once (token-bucket capacity) | 1 to 100000 | `100` | `burst=25` |
//! | `retry` | webhook retry schedule | `standard`, `svix`, `stripe`, `shopify`, `adyen`, `github`, `custom` or `exponential` | `standard` | `retry=github` |
//! | `retry_delays` | delays of the custom schedule, each counted from the previous failure | up to 50 durations separated by commas, each 0 to 7d, or `none` | `5s,1min,10min` | `retry_delays=10s,1h` |
//! | `backoff_first` | first delay of the exponential schedule | duration, 0 to 7d | `5s` | `backoff_first=1s` |
//! | `backoff_max` | longest delay of the exponential schedule | duration, 0 to 7d | `1h` | `backoff_max=10min` |
//! | `backoff_retries` | retries of the exponential schedule | 0 to 1000 | `8` | `backoff_retries=5` |
//! | `timeout` | how long ABC Payment waits for the endpoint's answer | duration, 100ms to 5min | `15s` | `timeout=10s` |
//! | `disable_after` | failing time after which the endpoint is disabled; 0 means never | duration, 0 to 60d | `0ms` | `disable_after=5d` |
//! | `replay_after` | delay after which an attacker replays each delivery; 0 means never | duration, 0 to 60d | `0ms` | `replay_after=10min` |
//! | `down_from` | virtual time at which the endpoint goes down | duration, 0 to 60d | `0ms` | `down_from=1s` |
//! | `down_for` | how long the endpoint stays down; 0 means never | duration, 0 to 60d | `0ms` | `down_for=2h` |
//! | `errors` | share of deliveries answered with HTTP 500 | percentage | `0` | `errors=20` |
//! | `handler` | time the handler needs per event | span, 0 to 1h | `0ms` | `handler=20s` |
//! | `store` | time to store a raw event | duration, 0 to 1h | `0ms` | `store=20ms` |
//! | `crash` | share of events lost to a crash after answering and before storing | percentage | `0` | `crash=100` |
//! | `dedupe` | whether the receiver skips event ids it has seen | switch | `on` | `dedupe=off` |
//! | `apply` | how an event changes the stored status | `last-write-wins`, `status-rank` or `fetch` | `status-rank` | `apply=fetch` |
//! | `ack` | when the endpoint answers | `after-processing`, `after-storing` or `before-storing` | `after-storing` | `ack=before-storing` |
//! | `reject_unknown` | whether an event for an unknown payment gets 409 | switch | `off` | `reject_unknown=on` |
//! | `verify` | whether the receiver verifies signatures | switch | `on` | `verify=off` |
//! | `reserialize` | whether the body is re-serialized before verifying | switch | `off` | `reserialize=on` |
//! | `tolerance` | largest accepted age of a signed timestamp | duration, 0 to 7d | `5min` | `tolerance=1min` |
//! | `reconcile` | time between two reconciliation runs | duration, 1s to 7d | `30min` | `reconcile=10min` |
//! | `reconcile_age` | minimum age of a payment that reconciliation fetches | duration, 0 to 60d | `5min` | `reconcile_age=1min` |
//! | `show` | strategies shown | `polling`, `webhook` and `hybrid`, separated by commas, at least one | `polling,webhook` | `show=webhook,hybrid` |
//! | `t` | virtual time at which the page opens | duration, 0 to 10000d | none | `t=8.2s` |
//! | `speed` | playback speed, virtual per wall-clock time | number, 0.1 to 100000, optionally followed by `x` | none | `speed=10` |
//! | `slow` | slow motion while messages travel | switch | none | `slow=off` |
//! | `skip` | skipping of quiet stretches | switch | none | `skip=on` |
//! | `embed` | layout for embedding in another page | `1` or `0` | `0` | `embed=1` |
//! | `present` | presentation mode | `1` or `0` | `0` | `present=1` |
//! | `tour` | step of the guided tour, counted from 1 | whole number from 1 | none | `tour=3` |
//! | `story` | gallery entry, and the variant counted from 0 (the failure) | `KEY` or `KEY:VARIANT`; the key has at most 60 characters from `a-z`, `0-9` and `-` | none | `story=out-of-order:1` |
//! | `theme` | colour theme | `light` or `dark` | none | `theme=dark` |
//!
//! # Rejected parameters
//!
//! One [`Rejected`] is returned for each of these, and the field keeps the
//! value named in [`Rejected::used`]:
//!
//! - an unknown key (the parameter is ignored);
//! - a key that appears more than once: the last occurrence applies, and each
//!   earlier one is rejected, so that a parameter appended to a link wins;
//! - a value longer than 200 characters (600 for `retry_delays`, which must
//!   hold 50 delays), a value that cannot be read, or a wrong unit;
//! - a value outside its range, which is clamped by [`Scenario::sanitized`];
//!   the rejection carries the reason of its [`super::Adjustment`].
//!
//! The story key is checked only for its form; the page checks that the
//! gallery entry and the variant exist.

use std::borrow::Cow;

use super::units::{format_duration, format_duration_exact, parse_duration, shorten, DurationError};
use super::{
    Acknowledge, ApplyRule, Arrival, Millis, ProviderApi, RetryPreset, Scenario, Shown, Span, Strategy, DAY,
};
use crate::playback::{SPEED_MAX, SPEED_MIN};

/// Everything a link carries.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Link {
    pub scenario: Scenario,
    /// Virtual time at which the page opens, in milliseconds. `None` opens the page at the start.
    pub time_ms: Option<Millis>,
    pub view: ViewOptions,
}

/// View settings of the page. `None` leaves the reader's saved setting or the
/// page's default in place.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewOptions {
    /// Layout for embedding in another page (`embed=1`).
    pub embed: bool,
    /// Presentation mode (`present=1`).
    pub present: bool,
    /// Step of the guided tour, counted from 1 (`tour=3`).
    pub tour_step: Option<u32>,
    /// Gallery entry key and variant index, 0 for the failure
    /// (`story=out-of-order:1`). Only the key's form is checked here.
    pub story: Option<(String, usize)>,
    pub theme: Option<Theme>,
    /// Playback speed in virtual milliseconds per wall-clock millisecond,
    /// from [`SPEED_MIN`] to [`SPEED_MAX`] (`speed=10`).
    pub speed: Option<f64>,
    /// Slow motion while messages travel (`slow=on`).
    pub slow_motion: Option<bool>,
    /// Skipping of quiet stretches (`skip=on`).
    pub skip_quiet: Option<bool>,
}

/// Colour theme of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

/// A parameter that [`decode`] could not use as given.
///
/// `key` and `value` come from the link, so the page must render them as
/// text, never as HTML. Their control characters, line and paragraph
/// separators and bidirectional formatting characters are replaced with
/// U+FFFD. `key`, `value` and `used` are cut to at most 40 characters plus "…".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    /// The key as given.
    pub key: String,
    /// The value as given, after percent-decoding.
    pub value: String,
    /// Reason the value was rejected or changed, such as "allowed range is 1 to 500".
    pub reason: String,
    /// The value used instead, in link syntax, such as "500" or "2s". It is
    /// "none" for a view option left unset and "ignored" for an unknown key.
    pub used: String,
}

/// Maximum length of a value, in characters. A longer value is rejected unread.
pub const MAX_VALUE_CHARS: usize = 200;
/// Maximum length of a `retry_delays` value, in characters. It leaves room
/// for the maximum number of custom delays, each in its longest written form
/// ("604799999ms,").
pub const MAX_DELAYS_CHARS: usize = super::limits::MAX_CUSTOM_DELAYS * 12;
/// Maximum length of the gallery key in `story`, in characters.
pub const MAX_STORY_KEY_CHARS: usize = 60;
/// Latest virtual time `t` may name, in milliseconds. It is far beyond the
/// longest run the limits allow, and small enough that durations up to it
/// survive [`parse_duration`]'s floating-point arithmetic exactly.
pub const MAX_TIME_MS: Millis = 10_000 * DAY;

/// One key of the query string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Param {
    Seed,
    Payments,
    Arrival,
    Duration,
    Decline,
    Processing,
    ProcessingAfter,
    Record,
    Latency,
    Loss,
    Poll,
    Backoff,
    PollMax,
    GiveUp,
    RateLimit,
    Burst,
    Retry,
    RetryDelays,
    BackoffFirst,
    BackoffMax,
    BackoffRetries,
    Timeout,
    DisableAfter,
    ReplayAfter,
    DownFrom,
    DownFor,
    Errors,
    Handler,
    Store,
    Crash,
    Dedupe,
    Apply,
    Ack,
    RejectUnknown,
    Verify,
    Reserialize,
    Tolerance,
    Reconcile,
    ReconcileAge,
    Show,
    Time,
    Speed,
    Slow,
    Skip,
    Embed,
    Present,
    Tour,
    Story,
    Theme,
}

impl Param {
    /// Every key, in the order [`encode`] writes them.
    const ALL: [Param; 49] = [
        Param::Seed,
        Param::Payments,
        Param::Arrival,
        Param::Duration,
        Param::Decline,
        Param::Processing,
        Param::ProcessingAfter,
        Param::Record,
        Param::Latency,
        Param::Loss,
        Param::Poll,
        Param::Backoff,
        Param::PollMax,
        Param::GiveUp,
        Param::RateLimit,
        Param::Burst,
        Param::Retry,
        Param::RetryDelays,
        Param::BackoffFirst,
        Param::BackoffMax,
        Param::BackoffRetries,
        Param::Timeout,
        Param::DisableAfter,
        Param::ReplayAfter,
        Param::DownFrom,
        Param::DownFor,
        Param::Errors,
        Param::Handler,
        Param::Store,
        Param::Crash,
        Param::Dedupe,
        Param::Apply,
        Param::Ack,
        Param::RejectUnknown,
        Param::Verify,
        Param::Reserialize,
        Param::Tolerance,
        Param::Reconcile,
        Param::ReconcileAge,
        Param::Show,
        Param::Time,
        Param::Speed,
        Param::Slow,
        Param::Skip,
        Param::Embed,
        Param::Present,
        Param::Tour,
        Param::Story,
        Param::Theme,
    ];

    fn key(self) -> &'static str {
        match self {
            Param::Seed => "seed",
            Param::Payments => "payments",
            Param::Arrival => "arrival",
            Param::Duration => "duration",
            Param::Decline => "decline",
            Param::Processing => "processing",
            Param::ProcessingAfter => "processing_after",
            Param::Record => "record",
            Param::Latency => "latency",
            Param::Loss => "loss",
            Param::Poll => "poll",
            Param::Backoff => "backoff",
            Param::PollMax => "poll_max",
            Param::GiveUp => "give_up",
            Param::RateLimit => "rate_limit",
            Param::Burst => "burst",
            Param::Retry => "retry",
            Param::RetryDelays => "retry_delays",
            Param::BackoffFirst => "backoff_first",
            Param::BackoffMax => "backoff_max",
            Param::BackoffRetries => "backoff_retries",
            Param::Timeout => "timeout",
            Param::DisableAfter => "disable_after",
            Param::ReplayAfter => "replay_after",
            Param::DownFrom => "down_from",
            Param::DownFor => "down_for",
            Param::Errors => "errors",
            Param::Handler => "handler",
            Param::Store => "store",
            Param::Crash => "crash",
            Param::Dedupe => "dedupe",
            Param::Apply => "apply",
            Param::Ack => "ack",
            Param::RejectUnknown => "reject_unknown",
            Param::Verify => "verify",
            Param::Reserialize => "reserialize",
            Param::Tolerance => "tolerance",
            Param::Reconcile => "reconcile",
            Param::ReconcileAge => "reconcile_age",
            Param::Show => "show",
            Param::Time => "t",
            Param::Speed => "speed",
            Param::Slow => "slow",
            Param::Skip => "skip",
            Param::Embed => "embed",
            Param::Present => "present",
            Param::Tour => "tour",
            Param::Story => "story",
            Param::Theme => "theme",
        }
    }

    fn from_key(key: &str) -> Option<Param> {
        Param::ALL.into_iter().find(|param| param.key() == key)
    }

    fn max_chars(self) -> usize {
        match self {
            Param::RetryDelays => MAX_DELAYS_CHARS,
            _ => MAX_VALUE_CHARS,
        }
    }
}

/// Returns every key that [`encode`] writes and [`decode`] reads, in the order they are written.
pub fn keys() -> impl Iterator<Item = &'static str> {
    Param::ALL.into_iter().map(Param::key)
}

/// Writes the parameters of `link` that differ from the defaults, in the
/// order of the module's key table, without a leading "?".
pub fn encode(link: &Link) -> String {
    let default = Link::default();
    let mut query = String::new();
    for param in Param::ALL {
        let value = format_value(param, link);
        if value == format_value(param, &default) {
            continue;
        }
        let Some(value) = value else { continue };
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(param.key());
        query.push('=');
        query.push_str(&escape(&value));
    }
    query
}

/// Reads a query string, with or without its leading "?".
///
/// Returns the link and one [`Rejected`] per parameter that was not used as
/// given, in the order the parameters appear. Parameters not in the query
/// keep their defaults. The scenario returned is within its limits.
pub fn decode(query: &str) -> (Link, Vec<Rejected>) {
    let query = query.strip_prefix('?').unwrap_or(query);
    let pairs: Vec<(Cow<str>, Cow<str>)> = form_urlencoded::parse(query.as_bytes()).collect();

    let mut last_position = [None; Param::ALL.len()];
    for (position, (key, _)) in pairs.iter().enumerate() {
        if let Some(param) = Param::from_key(key) {
            last_position[param as usize] = Some(position);
        }
    }

    let mut link = Link::default();
    let mut rejected = Vec::new();
    // Rejections of earlier duplicates, whose used value is known only at the end.
    let mut overridden = Vec::new();
    for (position, (key, value)) in pairs.iter().enumerate() {
        let Some(param) = Param::from_key(key) else {
            rejected.push(Rejected::new(key, value, "unknown parameter".to_string(), "ignored".to_string()));
            continue;
        };
        if last_position[param as usize] != Some(position) {
            overridden.push((rejected.len(), param));
            let reason = "parameter appears again later in the link, and the last occurrence applies";
            rejected.push(Rejected::new(key, value, reason.to_string(), String::new()));
            continue;
        }
        if let Err(reason) = read_param(param, value, &mut link) {
            rejected.push(Rejected::new(key, value, reason, used_text(param, &link)));
        }
    }
    for (index, param) in overridden {
        rejected[index].used = used_text(param, &link);
    }
    (link, rejected)
}

impl Rejected {
    fn new(key: &str, value: &str, reason: String, used: String) -> Rejected {
        Rejected { key: quote(key), value: quote(value), reason, used }
    }
}

/// Replaces control characters, line and paragraph separators and
/// bidirectional formatting characters, which could hide or reorder the text
/// around them, and cuts the result to 40 characters.
fn quote(text: &str) -> String {
    let visible: String = text
        .chars()
        .map(|c| {
            let invisible = matches!(
                c,
                '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            );
            if c.is_control() || invisible {
                char::REPLACEMENT_CHARACTER
            } else {
                c
            }
        })
        .collect();
    shorten(&visible)
}

/// Formats the value of `param` for [`Rejected::used`]: in link syntax, or
/// "none" for an unset view option, cut to 40 characters.
fn used_text(param: Param, link: &Link) -> String {
    shorten(&format_value(param, link).unwrap_or_else(|| "none".to_string()))
}

/// Percent-encodes a value unless it contains only characters that a query
/// may hold literally and that [`decode`] reads back unchanged.
fn escape(value: &str) -> Cow<'_, str> {
    let literal = |c: char| c.is_ascii_alphanumeric() || matches!(c, ':' | ',' | '-' | '.' | '/' | '_');
    if value.chars().all(literal) {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(form_urlencoded::byte_serialize(value.as_bytes()).collect())
    }
}

/// Result of reading one parameter. `Err` contains the reason the value was
/// rejected or changed. When a value is changed, such as a speed clamped into
/// range, the link contains the value used.
type Outcome = Result<(), String>;

/// Reads one parameter into `link`, clamps the scenario into its limits, and
/// returns the reason if the value was not used as given.
fn read_param(param: Param, raw: &str, link: &mut Link) -> Outcome {
    if raw.chars().nth(param.max_chars()).is_some() {
        return Err(format!("value is longer than {} characters", param.max_chars()));
    }
    let text = raw.trim();
    let flag = matches!(param, Param::Embed | Param::Present);
    if text.is_empty() && !flag {
        return Err("value is empty".to_string());
    }
    apply(param, text, link)?;

    // The scenario was within its limits before this parameter, so every
    // adjustment concerns this parameter.
    let (scenario, adjustments) = std::mem::take(&mut link.scenario).sanitized();
    link.scenario = scenario;
    if adjustments.is_empty() {
        return Ok(());
    }
    let mut reasons: Vec<String> = Vec::new();
    for adjustment in adjustments {
        if !reasons.contains(&adjustment.reason) {
            reasons.push(adjustment.reason);
        }
    }
    Err(reasons.join(", and "))
}

/// Parses `text` as the value of `param` and stores it in `link`.
fn apply(param: Param, text: &str, link: &mut Link) -> Outcome {
    let scenario = &mut link.scenario;
    let view = &mut link.view;
    match param {
        Param::Seed => scenario.seed = parse_seed(text)?,
        Param::Payments => scenario.workload.payments = parse_count(text)?,
        Param::Arrival => scenario.workload.arrival = parse_arrival(text)?,
        Param::Duration => scenario.workload.duration = parse_span(text)?,
        Param::Decline => scenario.workload.decline_percent = parse_percent(text)?,
        Param::Processing => scenario.workload.processing_event = parse_switch(text)?,
        Param::ProcessingAfter => scenario.workload.processing_after = parse_span(text)?,
        Param::Record => scenario.workload.record_delay = parse_span(text)?,
        Param::Latency => scenario.network.latency = parse_span(text)?,
        Param::Loss => scenario.network.webhook_loss_percent = parse_percent(text)?,
        Param::Poll => scenario.polling.interval_ms = parse_time(text)?,
        Param::Backoff => scenario.polling.backoff_factor = parse_multiplier(text)?,
        Param::PollMax => scenario.polling.max_interval_ms = parse_time(text)?,
        Param::GiveUp => scenario.polling.give_up_after = parse_count(text)?,
        Param::RateLimit => {
            let (limited, rate) = parse_rate_limit(text)?;
            scenario.api.rate_limited = limited;
            scenario.api.rate_per_second = rate;
        }
        Param::Burst => scenario.api.burst = parse_count(text)?,
        Param::Retry => scenario.delivery.retry = parse_retry(text)?,
        Param::RetryDelays => scenario.delivery.custom_delays_ms = parse_delays(text)?,
        Param::BackoffFirst => scenario.delivery.backoff_initial_ms = parse_time(text)?,
        Param::BackoffMax => scenario.delivery.backoff_max_ms = parse_time(text)?,
        Param::BackoffRetries => scenario.delivery.backoff_retries = parse_count(text)?,
        Param::Timeout => scenario.delivery.timeout_ms = parse_time(text)?,
        Param::DisableAfter => scenario.delivery.disable_after_ms = parse_time(text)?,
        Param::ReplayAfter => scenario.delivery.replay_after_ms = parse_time(text)?,
        Param::DownFrom => scenario.endpoint.down_from_ms = parse_time(text)?,
        Param::DownFor => scenario.endpoint.down_for_ms = parse_time(text)?,
        Param::Errors => scenario.endpoint.error_percent = parse_percent(text)?,
        Param::Handler => scenario.endpoint.handler = parse_span(text)?,
        Param::Store => scenario.endpoint.store_ms = parse_time(text)?,
        Param::Crash => scenario.endpoint.crash_percent = parse_percent(text)?,
        Param::Dedupe => scenario.receiver.deduplicate = parse_switch(text)?,
        Param::Apply => scenario.receiver.apply = parse_word(text, &APPLY_RULES)?,
        Param::Ack => scenario.receiver.acknowledge = parse_word(text, &ACKNOWLEDGE_RULES)?,
        Param::RejectUnknown => scenario.receiver.reject_unknown = parse_switch(text)?,
        Param::Verify => scenario.receiver.verify_signatures = parse_switch(text)?,
        Param::Reserialize => scenario.receiver.reserialize_body = parse_switch(text)?,
        Param::Tolerance => scenario.receiver.tolerance_ms = parse_time(text)?,
        Param::Reconcile => scenario.reconciliation.interval_ms = parse_time(text)?,
        Param::ReconcileAge => scenario.reconciliation.min_age_ms = parse_time(text)?,
        Param::Show => scenario.shown = parse_shown(text)?,
        Param::Time => {
            let time = parse_time(text)?;
            link.time_ms = Some(time.min(MAX_TIME_MS));
            if time > MAX_TIME_MS {
                return Err(format!("allowed range is 0 ms to {}", format_duration(MAX_TIME_MS)));
            }
        }
        Param::Speed => {
            let speed = parse_multiplier(text)?;
            let used = speed.clamp(SPEED_MIN, SPEED_MAX);
            view.speed = Some(used);
            if used != speed {
                return Err(format!("allowed range is {SPEED_MIN} to {SPEED_MAX}"));
            }
        }
        Param::Slow => view.slow_motion = Some(parse_switch(text)?),
        Param::Skip => view.skip_quiet = Some(parse_switch(text)?),
        Param::Embed => view.embed = text.is_empty() || parse_flag(text)?,
        Param::Present => view.present = text.is_empty() || parse_flag(text)?,
        Param::Tour => view.tour_step = Some(parse_tour_step(text)?),
        Param::Story => view.story = Some(parse_story(text)?),
        Param::Theme => view.theme = Some(parse_word(text, &THEMES)?),
    }
    Ok(())
}

/// Formats the value of `param` in `link`; `None` for an unset view option.
fn format_value(param: Param, link: &Link) -> Option<String> {
    let scenario = &link.scenario;
    let workload = &scenario.workload;
    let polling = &scenario.polling;
    let delivery = &scenario.delivery;
    let endpoint = &scenario.endpoint;
    let receiver = &scenario.receiver;
    let view = &link.view;
    let text = match param {
        Param::Seed => scenario.seed.to_string(),
        Param::Payments => workload.payments.to_string(),
        Param::Arrival => format_arrival(workload.arrival),
        Param::Duration => format_span(workload.duration),
        Param::Decline => workload.decline_percent.to_string(),
        Param::Processing => format_switch(workload.processing_event),
        Param::ProcessingAfter => format_span(workload.processing_after),
        Param::Record => format_span(workload.record_delay),
        Param::Latency => format_span(scenario.network.latency),
        Param::Loss => scenario.network.webhook_loss_percent.to_string(),
        Param::Poll => format_duration_exact(polling.interval_ms),
        Param::Backoff => polling.backoff_factor.to_string(),
        Param::PollMax => format_duration_exact(polling.max_interval_ms),
        Param::GiveUp => polling.give_up_after.to_string(),
        Param::RateLimit => format_rate_limit(&scenario.api),
        Param::Burst => scenario.api.burst.to_string(),
        Param::Retry => delivery.retry.key().to_string(),
        Param::RetryDelays => format_delays(&delivery.custom_delays_ms),
        Param::BackoffFirst => format_duration_exact(delivery.backoff_initial_ms),
        Param::BackoffMax => format_duration_exact(delivery.backoff_max_ms),
        Param::BackoffRetries => delivery.backoff_retries.to_string(),
        Param::Timeout => format_duration_exact(delivery.timeout_ms),
        Param::DisableAfter => format_duration_exact(delivery.disable_after_ms),
        Param::ReplayAfter => format_duration_exact(delivery.replay_after_ms),
        Param::DownFrom => format_duration_exact(endpoint.down_from_ms),
        Param::DownFor => format_duration_exact(endpoint.down_for_ms),
        Param::Errors => endpoint.error_percent.to_string(),
        Param::Handler => format_span(endpoint.handler),
        Param::Store => format_duration_exact(endpoint.store_ms),
        Param::Crash => endpoint.crash_percent.to_string(),
        Param::Dedupe => format_switch(receiver.deduplicate),
        Param::Apply => word_of(receiver.apply, &APPLY_RULES).to_string(),
        Param::Ack => word_of(receiver.acknowledge, &ACKNOWLEDGE_RULES).to_string(),
        Param::RejectUnknown => format_switch(receiver.reject_unknown),
        Param::Verify => format_switch(receiver.verify_signatures),
        Param::Reserialize => format_switch(receiver.reserialize_body),
        Param::Tolerance => format_duration_exact(receiver.tolerance_ms),
        Param::Reconcile => format_duration_exact(scenario.reconciliation.interval_ms),
        Param::ReconcileAge => format_duration_exact(scenario.reconciliation.min_age_ms),
        Param::Show => format_shown(&scenario.shown),
        Param::Time => return link.time_ms.map(format_duration_exact),
        Param::Speed => return view.speed.map(|speed| speed.to_string()),
        Param::Slow => return view.slow_motion.map(format_switch),
        Param::Skip => return view.skip_quiet.map(format_switch),
        Param::Embed => format_flag(view.embed),
        Param::Present => format_flag(view.present),
        Param::Tour => return view.tour_step.map(|step| step.to_string()),
        Param::Story => return view.story.as_ref().map(|(key, variant)| format_story(key, *variant)),
        Param::Theme => return view.theme.map(|theme| word_of(theme, &THEMES).to_string()),
    };
    Some(text)
}

const APPLY_RULES: [(&str, ApplyRule); 3] = [
    ("last-write-wins", ApplyRule::LastWriteWins),
    ("status-rank", ApplyRule::StatusRank),
    ("fetch", ApplyRule::Fetch),
];

const ACKNOWLEDGE_RULES: [(&str, Acknowledge); 3] = [
    ("after-processing", Acknowledge::AfterProcessing),
    ("after-storing", Acknowledge::AfterStoring),
    ("before-storing", Acknowledge::BeforeStoring),
];

const THEMES: [(&str, Theme); 2] = [("light", Theme::Light), ("dark", Theme::Dark)];

/// Returns the variant named by `text`, in any letter case.
fn parse_word<T: Copy>(text: &str, words: &[(&str, T)]) -> Result<T, String> {
    let lower = text.to_ascii_lowercase();
    match words.iter().find(|(word, _)| *word == lower) {
        Some((_, value)) => Ok(*value),
        None => {
            let names: Vec<&str> = words.iter().map(|(word, _)| *word).collect();
            Err(format!("value is not {}", list_choices(&names)))
        }
    }
}

fn word_of<T: Copy + PartialEq>(value: T, words: &[(&'static str, T)]) -> &'static str {
    words.iter().find(|(_, candidate)| *candidate == value).map_or("", |(word, _)| word)
}

/// Joins choices as "a, b or c".
fn list_choices(choices: &[&str]) -> String {
    match choices.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

const NOT_WHOLE: &str = "value is not a whole number such as 10";

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Returns true for a whole number with a minus sign, such as "-1".
fn is_negative_whole(text: &str) -> bool {
    text.strip_prefix('-').is_some_and(is_digits)
}

fn parse_seed(text: &str) -> Result<u64, String> {
    if is_negative_whole(text) {
        return Err("value is negative".to_string());
    }
    if !is_digits(text) {
        return Err(NOT_WHOLE.to_string());
    }
    text.parse().map_err(|_| format!("value is larger than {}", u64::MAX))
}

/// Reads a whole number. One too large for `u32` becomes `u32::MAX`, so that
/// [`Scenario::sanitized`] clamps it and names the allowed range.
fn parse_count(text: &str) -> Result<u32, String> {
    if is_negative_whole(text) {
        return Err("value is negative".to_string());
    }
    if !is_digits(text) {
        return Err(NOT_WHOLE.to_string());
    }
    Ok(text.parse().unwrap_or(u32::MAX))
}

fn parse_percent(text: &str) -> Result<u32, String> {
    let digits = text.strip_suffix('%').unwrap_or(text).trim_end();
    parse_count(digits).map_err(|_| "value is not a whole percentage such as 30".to_string())
}

/// Reads a plain decimal number such as "2" or "2.5". Signs, exponents,
/// "inf" and "NaN" are rejected.
fn parse_decimal(text: &str) -> Option<f64> {
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    let points = text.bytes().filter(|&b| b == b'.').count();
    if digits == 0 || points > 1 || digits + points != text.len() {
        return None;
    }
    text.parse().ok().filter(|value: &f64| value.is_finite())
}

/// Reads a factor such as "2", "1.5" or "10x".
fn parse_multiplier(text: &str) -> Result<f64, String> {
    let number = text.strip_suffix(['x', 'X']).unwrap_or(text).trim_end();
    if number.strip_prefix('-').and_then(parse_decimal).is_some() {
        return Err("value is negative".to_string());
    }
    parse_decimal(number).ok_or_else(|| "value is not a number such as 2 or 2.5".to_string())
}

fn parse_switch(text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" | "1" => Ok(true),
        "off" | "false" | "no" | "0" => Ok(false),
        _ => Err("value is not on or off".to_string()),
    }
}

fn format_switch(on: bool) -> String {
    if on { "on" } else { "off" }.to_string()
}

fn parse_flag(text: &str) -> Result<bool, String> {
    parse_switch(text).map_err(|_| "value is not 1 or 0".to_string())
}

fn format_flag(on: bool) -> String {
    if on { "1" } else { "0" }.to_string()
}

/// Reads a duration in milliseconds. `label` names the value in the reason,
/// such as "lower end".
/// Reads a duration. One too large for a `u64` of milliseconds becomes
/// `Millis::MAX`, so that the range check clamps it and names the allowed range.
fn parse_duration_named(text: &str, label: &str) -> Result<Millis, String> {
    match parse_duration(text) {
        Err(DurationError::TooLarge) => Ok(Millis::MAX),
        parsed => parsed.map_err(|error| format!("{label} {error}")),
    }
}

fn parse_time(text: &str) -> Result<Millis, String> {
    parse_duration_named(text, "value")
}

/// Reads "7s" as a fixed span and "1s-10s" as a range.
fn parse_span(text: &str) -> Result<Span, String> {
    // "-1s-5s" would otherwise split into an empty lower end and "1s-5s".
    if text.starts_with('-') {
        return Err(format!("value {}", DurationError::Negative));
    }
    match text.split_once('-') {
        None => Ok(Span::fixed(parse_time(text)?)),
        Some((low, high)) => {
            Ok(Span::range(parse_duration_named(low, "lower end")?, parse_duration_named(high, "upper end")?))
        }
    }
}

/// Writes a span. A range with equal ends stays a range ("5s-5s").
fn format_span(span: Span) -> String {
    match span {
        Span::Fixed { ms } => format_duration_exact(ms),
        Span::Range { min_ms, max_ms } => {
            format!("{}-{}", format_duration_exact(min_ms), format_duration_exact(max_ms))
        }
    }
}

const ARRIVAL_CHOICES: &str =
    "value is not steady:GAP such as steady:1s, poisson:RATE such as poisson:2.5, or burst";

fn parse_arrival(text: &str) -> Result<Arrival, String> {
    let lower = text.to_ascii_lowercase();
    if lower == "burst" {
        return Ok(Arrival::Burst);
    }
    let Some((kind, parameter)) = lower.split_once(':') else {
        return Err(ARRIVAL_CHOICES.to_string());
    };
    match kind.trim() {
        "steady" => Ok(Arrival::Steady { gap_ms: parse_duration_named(parameter, "gap")? }),
        "poisson" => {
            let rate = parameter.trim();
            let rate = rate.strip_suffix("/s").unwrap_or(rate).trim_end();
            let per_second = parse_decimal(rate)
                .ok_or_else(|| "rate is not a number of payments per second such as 2.5".to_string())?;
            Ok(Arrival::Poisson { per_second })
        }
        _ => Err(ARRIVAL_CHOICES.to_string()),
    }
}

fn format_arrival(arrival: Arrival) -> String {
    match arrival {
        Arrival::Steady { gap_ms } => format!("steady:{}", format_duration_exact(gap_ms)),
        Arrival::Poisson { per_second } => format!("poisson:{per_second}"),
        Arrival::Burst => "burst".to_string(),
    }
}

/// Reads "off", "on", "25/s", "25" or "off:25/s" into (limited, rate per second).
/// "off" and "on" keep the default rate.
fn parse_rate_limit(text: &str) -> Result<(bool, u32), String> {
    let lower = text.to_ascii_lowercase();
    let default_rate = ProviderApi::default().rate_per_second;
    let (limited, rate) = match lower.split_once(':') {
        Some((state, rate)) if state.trim() == "off" => (false, Some(rate.trim())),
        Some(_) => return Err(RATE_LIMIT_CHOICES.to_string()),
        None if lower == "off" => (false, None),
        None if lower == "on" => (true, None),
        None => (true, Some(lower.as_str())),
    };
    let Some(rate) = rate else {
        return Ok((limited, default_rate));
    };
    let number = rate.strip_suffix("/s").unwrap_or(rate).trim_end();
    match parse_count(number) {
        Ok(rate) => Ok((limited, rate)),
        Err(_) => Err(RATE_LIMIT_CHOICES.to_string()),
    }
}

const RATE_LIMIT_CHOICES: &str = "value is not off or a rate such as 100/s";

/// Writes the rate limit. When the limit is off, the rate is still written
/// if it differs from the default, so that turning the limit on restores it.
fn format_rate_limit(api: &ProviderApi) -> String {
    match (api.rate_limited, api.rate_per_second) {
        (true, rate) => format!("{rate}/s"),
        (false, rate) if rate == ProviderApi::default().rate_per_second => "off".to_string(),
        (false, rate) => format!("off:{rate}/s"),
    }
}

fn parse_retry(text: &str) -> Result<RetryPreset, String> {
    RetryPreset::from_key(&text.to_ascii_lowercase()).ok_or_else(|| {
        let keys: Vec<&str> = RetryPreset::ALL.iter().map(|preset| preset.key()).collect();
        format!("value is not {}", list_choices(&keys))
    })
}

/// Reads "5s,1min,10min" or "none". Each delay is read on its own, because
/// [`parse_duration`] adds up parts separated by commas.
fn parse_delays(text: &str) -> Result<Vec<Millis>, String> {
    if text.eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    text.split(',')
        .enumerate()
        .map(|(index, part)| parse_duration_named(part, &format!("delay {}", index + 1)))
        .collect()
}

fn format_delays(delays: &[Millis]) -> String {
    if delays.is_empty() {
        return "none".to_string();
    }
    delays.iter().map(|&delay| format_duration_exact(delay)).collect::<Vec<_>>().join(",")
}

fn parse_shown(text: &str) -> Result<Shown, String> {
    let mut shown = Shown { polling: false, webhook: false, hybrid: false };
    for (index, name) in text.split(',').enumerate() {
        match Strategy::from_key(&name.trim().to_ascii_lowercase()) {
            Some(Strategy::Polling) => shown.polling = true,
            Some(Strategy::Webhook) => shown.webhook = true,
            Some(Strategy::Hybrid) => shown.hybrid = true,
            None => return Err(format!("item {} is not polling, webhook or hybrid", index + 1)),
        }
    }
    Ok(shown)
}

fn format_shown(shown: &Shown) -> String {
    let names: Vec<&str> =
        Strategy::ALL.into_iter().filter(|&strategy| shown.includes(strategy)).map(Strategy::key).collect();
    names.join(",")
}

fn parse_tour_step(text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(step) if step >= 1 && is_digits(text) => Ok(step),
        _ => Err("value is not a step number from 1 to 4294967295".to_string()),
    }
}

/// Reads "out-of-order" (variant 0) or "out-of-order:1".
fn parse_story(text: &str) -> Result<(String, usize), String> {
    const FORM: &str = "value is not a gallery key of at most 60 characters from a-z, 0-9 and -, \
                        optionally followed by :VARIANT such as :1";
    let (key, variant) = match text.split_once(':') {
        Some((key, variant)) => (key, Some(variant)),
        None => (text, None),
    };
    let key_is_valid = !key.is_empty()
        && key.len() <= MAX_STORY_KEY_CHARS
        && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !key_is_valid {
        return Err(FORM.to_string());
    }
    // The variant is read as u32 so that a link means the same on 32-bit wasm
    // and on a 64-bit host.
    let variant = match variant {
        None => 0,
        Some(variant) if is_digits(variant) => variant.parse::<u32>().map_err(|_| FORM.to_string())? as usize,
        Some(_) => return Err(FORM.to_string()),
    };
    Ok((key.to_string(), variant))
}

fn format_story(key: &str, variant: usize) -> String {
    if variant == 0 {
        key.to_string()
    } else {
        format!("{key}:{variant}")
    }
}
