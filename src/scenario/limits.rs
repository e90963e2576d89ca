//! Allowed ranges of the scenario's fields, and the clamping that keeps a
//! scenario inside them.

use super::units::format_duration;
use super::{Millis, Span, DAY, HOUR, MINUTE, SECOND};

/// One field that was outside its range, with the value given and the value used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adjustment {
    /// Field name as the page labels it, for example "poll interval".
    pub field: &'static str,
    /// The rejected value, formatted with its unit.
    pub given: String,
    /// The value used instead, formatted with its unit.
    pub used: String,
    /// Why the given value was rejected.
    pub reason: String,
}

/// The closed range `[min, max]` of one field.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub field: &'static str,
    pub min: u64,
    pub max: u64,
    /// Value used when the given one is not a number at all.
    pub default: u64,
    /// Whether the value is a duration in milliseconds (formatted with a unit) or a plain count.
    pub is_duration: bool,
}

pub const PAYMENTS: Limit = Limit { field: "payments", min: 1, max: 10_000, default: 1, is_duration: false };
pub const ARRIVAL_GAP: Limit =
    Limit { field: "arrival gap", min: 0, max: DAY, default: SECOND, is_duration: true };
/// Payments per second of a Poisson arrival, in thousandths so that the range is an integer.
pub const ARRIVAL_RATE: Limit =
    Limit { field: "arrival rate", min: 1, max: 1_000_000, default: 1_000, is_duration: false };
pub const DURATION: Limit =
    Limit { field: "payment duration", min: 0, max: 30 * DAY, default: 7 * SECOND, is_duration: true };
pub const RECORD_DELAY: Limit =
    Limit { field: "record delay", min: 0, max: DAY, default: 0, is_duration: true };
pub const LATENCY: Limit = Limit { field: "latency", min: 0, max: MINUTE, default: 100, is_duration: true };
pub const POLL_INTERVAL: Limit =
    Limit { field: "poll interval", min: 100, max: DAY, default: 2 * SECOND, is_duration: true };
/// Poll backoff factor, in hundredths so that the range is an integer.
pub const BACKOFF_FACTOR: Limit =
    Limit { field: "backoff factor", min: 100, max: 1_000, default: 100, is_duration: false };
pub const ATTEMPTS: Limit = Limit { field: "attempts", min: 0, max: 1_000, default: 0, is_duration: false };
pub const PERCENT: Limit = Limit { field: "share", min: 0, max: 100, default: 0, is_duration: false };
pub const RATE: Limit = Limit { field: "rate limit", min: 1, max: 100_000, default: 100, is_duration: false };
pub const BURST: Limit = Limit { field: "burst", min: 1, max: 100_000, default: 100, is_duration: false };
pub const RETRY_DELAY: Limit =
    Limit { field: "retry delay", min: 0, max: 7 * DAY, default: 5 * SECOND, is_duration: true };
pub const TIMEOUT: Limit =
    Limit { field: "delivery timeout", min: 100, max: 5 * MINUTE, default: 15 * SECOND, is_duration: true };
pub const HANDLER: Limit = Limit { field: "handler time", min: 0, max: HOUR, default: 50, is_duration: true };
pub const TOLERANCE: Limit =
    Limit { field: "signature tolerance", min: 0, max: 7 * DAY, default: 5 * MINUTE, is_duration: true };
pub const RECONCILE_INTERVAL: Limit = Limit {
    field: "reconciliation interval",
    min: SECOND,
    max: 7 * DAY,
    default: 30 * MINUTE,
    is_duration: true,
};
/// Longest stretch of virtual time a setting may name, in milliseconds.
pub const HORIZON: Limit = Limit { field: "time", min: 0, max: 60 * DAY, default: 0, is_duration: true };
/// Most retries a custom schedule may list.
pub const MAX_CUSTOM_DELAYS: usize = 50;

impl Limit {
    /// The same range under another field name.
    pub const fn named(self, field: &'static str) -> Limit {
        Limit { field, ..self }
    }

    /// Formats a value of this field with its unit.
    pub fn format(&self, value: u64) -> String {
        if self.is_duration {
            format_duration(value)
        } else {
            value.to_string()
        }
    }

    /// Clamps `value` into the range and records an adjustment if it changed.
    pub fn clamp(&self, value: &mut Millis, adjustments: &mut Vec<Adjustment>) {
        let clamped = (*value).clamp(self.min, self.max);
        if clamped != *value {
            adjustments.push(self.out_of_range(self.format(*value), clamped));
            *value = clamped;
        }
    }

    pub fn clamp_u32(&self, value: &mut u32, adjustments: &mut Vec<Adjustment>) {
        let mut wide = u64::from(*value);
        self.clamp(&mut wide, adjustments);
        *value = wide as u32;
    }

    /// Clamps a rate in units per second against a limit kept in thousandths.
    pub fn clamp_f64(&self, value: &mut f64, adjustments: &mut Vec<Adjustment>) {
        let (min, max) = (self.min as f64 / 1000.0, self.max as f64 / 1000.0);
        let given = format!("{value} per second");
        if !value.is_finite() {
            let used = self.default as f64 / 1000.0;
            adjustments.push(Adjustment {
                field: self.field,
                given,
                used: format!("{used} per second"),
                reason: "not a number".to_string(),
            });
            *value = used;
        } else if *value < min || *value > max {
            let used = value.clamp(min, max);
            adjustments.push(Adjustment {
                field: self.field,
                given,
                used: format!("{used} per second"),
                reason: format!("allowed range is {min} to {max} per second"),
            });
            *value = used;
        }
    }

    /// Clamps a factor against a limit kept in hundredths; a value that is
    /// not a number becomes the default.
    pub fn clamp_factor(&self, value: &mut f64, adjustments: &mut Vec<Adjustment>) {
        let (min, max) = (self.min as f64 / 100.0, self.max as f64 / 100.0);
        let used = if value.is_finite() { value.clamp(min, max) } else { self.default as f64 / 100.0 };
        if used != *value {
            adjustments.push(Adjustment {
                field: self.field,
                given: format!("{value}"),
                used: format!("{used}"),
                reason: format!("allowed range is {min} to {max}"),
            });
            *value = used;
        }
    }

    /// Clamps both ends of a span and puts them in order; a range whose ends
    /// are reversed is swapped and reported.
    pub fn clamp_span(&self, span: &mut Span, adjustments: &mut Vec<Adjustment>) {
        match span {
            Span::Fixed { ms } => self.clamp(ms, adjustments),
            Span::Range { min_ms, max_ms } => {
                let before = adjustments.len();
                let mut low = (*min_ms).clamp(self.min, self.max);
                let mut high = (*max_ms).clamp(self.min, self.max);
                if low > high {
                    std::mem::swap(&mut low, &mut high);
                }
                if (low, high) != (*min_ms, *max_ms) {
                    adjustments.truncate(before);
                    adjustments.push(Adjustment {
                        field: self.field,
                        given: format!("{} to {}", self.format(*min_ms), self.format(*max_ms)),
                        used: format!("{} to {}", self.format(low), self.format(high)),
                        reason: format!(
                            "each end must lie between {} and {}, the lower end first",
                            self.format(self.min),
                            self.format(self.max)
                        ),
                    });
                    *min_ms = low;
                    *max_ms = high;
                }
            }
        }
    }

    fn out_of_range(&self, given: String, used: u64) -> Adjustment {
        Adjustment {
            field: self.field,
            given,
            used: self.format(used),
            reason: format!("allowed range is {} to {}", self.format(self.min), self.format(self.max)),
        }
    }
}
