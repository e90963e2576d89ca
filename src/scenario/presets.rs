//! Named presets grounded in what payment and webhook providers publish.
//! docs/domain.md lists the source of every figure.

use serde::{Deserialize, Serialize};

use super::{Millis, Span, DAY, HOUR, MINUTE, SECOND};

/// A webhook retry schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetryPreset {
    /// The example schedule of the Standard Webhooks specification 1.0.
    StandardWebhooks,
    /// Svix's published schedule.
    Svix,
    /// Stripe live mode: exponential backoff for up to three days.
    StripeLive,
    /// Shopify: eight retries over four hours.
    Shopify,
    /// Adyen: three quick retries, then a widening schedule for up to 30 days.
    Adyen,
    /// GitHub: no automatic retries.
    GitHub,
    /// The reader's own list of delays.
    Custom,
    /// Doubling delays with equal jitter: half of each delay is fixed, the
    /// other half drawn at random, so that retries of many events spread out.
    ExponentialJitter,
}

impl RetryPreset {
    pub const ALL: [RetryPreset; 8] = [
        RetryPreset::StandardWebhooks,
        RetryPreset::Svix,
        RetryPreset::StripeLive,
        RetryPreset::Shopify,
        RetryPreset::Adyen,
        RetryPreset::GitHub,
        RetryPreset::Custom,
        RetryPreset::ExponentialJitter,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RetryPreset::StandardWebhooks => "Standard Webhooks example",
            RetryPreset::Svix => "Svix",
            RetryPreset::StripeLive => "Stripe (live mode)",
            RetryPreset::Shopify => "Shopify",
            RetryPreset::Adyen => "Adyen",
            RetryPreset::GitHub => "GitHub (no retries)",
            RetryPreset::Custom => "Custom list",
            RetryPreset::ExponentialJitter => "Exponential backoff with jitter",
        }
    }

    /// Name used in links and saved settings.
    pub fn key(self) -> &'static str {
        match self {
            RetryPreset::StandardWebhooks => "standard",
            RetryPreset::Svix => "svix",
            RetryPreset::StripeLive => "stripe",
            RetryPreset::Shopify => "shopify",
            RetryPreset::Adyen => "adyen",
            RetryPreset::GitHub => "github",
            RetryPreset::Custom => "custom",
            RetryPreset::ExponentialJitter => "exponential",
        }
    }

    pub fn from_key(key: &str) -> Option<RetryPreset> {
        RetryPreset::ALL.into_iter().find(|preset| preset.key() == key)
    }

    /// The provider's receiver timeout, where it publishes one (or where a
    /// third party reports one), in milliseconds.
    pub fn timeout_ms(self) -> Option<Millis> {
        match self {
            RetryPreset::StandardWebhooks | RetryPreset::Svix => Some(15 * SECOND),
            RetryPreset::GitHub | RetryPreset::Adyen => Some(10 * SECOND),
            RetryPreset::Shopify => Some(5 * SECOND),
            RetryPreset::StripeLive | RetryPreset::Custom | RetryPreset::ExponentialJitter => None,
        }
    }

    /// How long an endpoint may fail before the provider disables it, in
    /// milliseconds, where the provider publishes it.
    pub fn disable_after_ms(self) -> Option<Millis> {
        match self {
            RetryPreset::Svix => Some(5 * DAY),
            _ => None,
        }
    }

    /// One sentence on where the schedule comes from and what is modelled.
    pub fn source(self) -> &'static str {
        match self {
            RetryPreset::StandardWebhooks => {
                "At once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h after each failure \
                 (Standard Webhooks 1.0, example schedule)."
            }
            RetryPreset::Svix => {
                "At once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h; an endpoint failing for 5 days \
                 is disabled (Svix documentation)."
            }
            RetryPreset::StripeLive => {
                "Stripe retries for up to 3 days with exponential backoff but publishes no delays; modelled \
                 as doubling from 1 min, at most 24 h apart, until 3 days have passed."
            }
            RetryPreset::Shopify => {
                "Shopify retries 8 times over 4 hours but publishes no delays; modelled as doubling from \
                 1 min, the last one filling the 4 hours."
            }
            RetryPreset::Adyen => {
                "Three quick retries 9 s apart, then 2, 5, 10, 15 and 30 min, 1, 2, 4 and 8 h, for up to \
                 30 days (Adyen documentation); the 8 h interval is modelled as repeating."
            }
            RetryPreset::GitHub => {
                "No automatic retries; a person can redeliver within 3 days (GitHub documentation)."
            }
            RetryPreset::Custom => "The delays listed below, each counted from the failure before it.",
            RetryPreset::ExponentialJitter => {
                "Delays double from the first one up to the longest, each with equal jitter (half fixed, \
                 half random)."
            }
        }
    }
}

/// Standard Webhooks 1.0 example schedule, after the first attempt.
pub const STANDARD_WEBHOOKS_DELAYS: [Millis; 9] =
    [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR];
/// Svix's schedule, after the first attempt.
pub const SVIX_DELAYS: [Millis; 7] =
    [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];
/// Shopify's eight retries, doubling from 1 min; the last one completes 4 hours.
pub const SHOPIFY_DELAYS: [Millis; 8] =
    [MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE, 16 * MINUTE, 32 * MINUTE, 64 * MINUTE, 113 * MINUTE];
/// Adyen's schedule up to the first 8-hour delay; 8-hour delays then repeat.
pub const ADYEN_DELAYS: [Millis; 12] = [
    9 * SECOND,
    9 * SECOND,
    9 * SECOND,
    2 * MINUTE,
    5 * MINUTE,
    10 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    HOUR,
    2 * HOUR,
    4 * HOUR,
    8 * HOUR,
];
/// Adyen stops retrying this long after the first attempt.
pub const ADYEN_WINDOW: Millis = 30 * DAY;
/// Stripe stops retrying this long after the first attempt.
pub const STRIPE_WINDOW: Millis = 3 * DAY;

/// How long a payment takes, from published figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationPreset {
    /// The default story: seven seconds, so that a 2 s poller asks four times.
    Story,
    CardAuthorization,
    SepaInstant,
    ThreeDSecure,
    BankRedirect,
    BankTransfer,
}

impl DurationPreset {
    pub const ALL: [DurationPreset; 6] = [
        DurationPreset::Story,
        DurationPreset::CardAuthorization,
        DurationPreset::SepaInstant,
        DurationPreset::ThreeDSecure,
        DurationPreset::BankRedirect,
        DurationPreset::BankTransfer,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DurationPreset::Story => "The story: 7 s",
            DurationPreset::CardAuthorization => "Card authorization: 0.8 to 2.5 s",
            DurationPreset::SepaInstant => "SEPA Instant: 1 to 10 s",
            DurationPreset::ThreeDSecure => "3-D Secure challenge: 20 s to 5 min",
            DurationPreset::BankRedirect => "Bank redirect: 10 s to 30 min",
            DurationPreset::BankTransfer => "Bank transfer (ACH): 1 to 4 days",
        }
    }

    pub fn span(self) -> Span {
        match self {
            DurationPreset::Story => Span::fixed(7 * SECOND),
            DurationPreset::CardAuthorization => Span::range(800, 2_500),
            DurationPreset::SepaInstant => Span::range(SECOND, 10 * SECOND),
            DurationPreset::ThreeDSecure => Span::range(20 * SECOND, 5 * MINUTE),
            DurationPreset::BankRedirect => Span::range(10 * SECOND, 30 * MINUTE),
            DurationPreset::BankTransfer => Span::range(DAY, 4 * DAY),
        }
    }

    /// Returns the preset whose span equals the given one, if any.
    pub fn matching(span: Span) -> Option<DurationPreset> {
        DurationPreset::ALL.into_iter().find(|preset| preset.span() == span)
    }

    pub fn source(self) -> &'static str {
        match self {
            DurationPreset::Story => "A round number for the familiar four-polls story.",
            DurationPreset::CardAuthorization => {
                "Stripe test-mode charges measured by users: median 1.24 s, 95th percentile under 2 s."
            }
            DurationPreset::SepaInstant => "The SEPA Instant scheme settles within 10 s at most.",
            DurationPreset::ThreeDSecure => {
                "The buyer answers a bank challenge; issuers time out after 5 to 99 min."
            }
            DurationPreset::BankRedirect => "Usually seconds, sometimes up to 30 min.",
            DurationPreset::BankTransfer => "ACH debits take up to 4 business days.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_schedule_totals_75_hours() {
        let total: Millis = STANDARD_WEBHOOKS_DELAYS.iter().sum();
        assert_eq!(total, 75 * HOUR + 35 * MINUTE + 5 * SECOND);
    }

    #[test]
    fn shopify_schedule_totals_4_hours() {
        assert_eq!(SHOPIFY_DELAYS.len(), 8);
        assert_eq!(SHOPIFY_DELAYS.iter().sum::<Millis>(), 4 * HOUR);
    }

    #[test]
    fn keys_round_trip() {
        for preset in RetryPreset::ALL {
            assert_eq!(RetryPreset::from_key(preset.key()), Some(preset));
        }
        assert_eq!(RetryPreset::from_key("nope"), None);
    }

    #[test]
    fn duration_presets_match_their_spans() {
        for preset in DurationPreset::ALL {
            assert_eq!(DurationPreset::matching(preset.span()), Some(preset));
        }
    }
}
