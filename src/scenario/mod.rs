//! Every parameter a reader can tune, with its unit, its allowed range and its
//! default.
//!
//! A [`Scenario`] that reaches the simulation is always within its limits:
//! every input path (controls, saved state, links) goes through
//! [`Scenario::sanitized`], which clamps what is out of range and reports each
//! change as an [`Adjustment`] that the page shows in words.

pub mod limits;
pub mod units;

use serde::{Deserialize, Serialize};

pub use limits::{Adjustment, Limit};

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
pub struct Workload {
    /// Number of payments in the run.
    pub payments: u32,
    /// When each payment is created.
    pub arrival: Arrival,
    /// Time from creating a payment until ABC Payment marks it final, in milliseconds.
    pub duration: Span,
}

/// The network between the gateway and ABC Payment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Network {
    /// One-way latency of every message, in milliseconds, drawn anew per message.
    pub latency: Span,
}

/// How the polling gateway asks for the status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Polling {
    /// Time between two status requests for one payment, in milliseconds.
    /// The first request goes out one interval after the payment is created.
    pub interval_ms: Millis,
}

/// A complete, reproducible description of one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// Seed of the random generator; the same scenario and seed give the same trace.
    pub seed: u64,
    pub workload: Workload,
    pub network: Network,
    pub polling: Polling,
}

impl Default for Scenario {
    /// The story most readers know: one card payment that takes seven seconds,
    /// a gateway that polls every two seconds and learns the result from its
    /// fourth request, and a single webhook on the other side.
    fn default() -> Self {
        Scenario {
            seed: 1,
            workload: Workload {
                payments: 1,
                arrival: Arrival::Steady { gap_ms: SECOND },
                duration: Span::fixed(7 * SECOND),
            },
            network: Network {
                latency: Span::fixed(100),
            },
            polling: Polling {
                interval_ms: 2 * SECOND,
            },
        }
    }
}

impl Scenario {
    /// Clamps every field into its allowed range and returns the result with
    /// one [`Adjustment`] per changed field.
    pub fn sanitized(mut self) -> (Scenario, Vec<Adjustment>) {
        let mut adjustments = Vec::new();

        limits::PAYMENTS.clamp_u32(&mut self.workload.payments, &mut adjustments);
        match &mut self.workload.arrival {
            Arrival::Steady { gap_ms } => limits::ARRIVAL_GAP.clamp(gap_ms, &mut adjustments),
            Arrival::Poisson { per_second } => {
                limits::ARRIVAL_RATE.clamp_f64(per_second, &mut adjustments)
            }
            Arrival::Burst => {}
        }
        limits::DURATION.clamp_span(&mut self.workload.duration, &mut adjustments);
        limits::LATENCY.clamp_span(&mut self.network.latency, &mut adjustments);
        limits::POLL_INTERVAL.clamp(&mut self.polling.interval_ms, &mut adjustments);

        (self, adjustments)
    }
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
        scenario.workload.arrival = Arrival::Poisson {
            per_second: f64::NAN,
        };
        let (fixed, adjustments) = scenario.sanitized();
        assert_eq!(fixed.workload.arrival, Arrival::Poisson { per_second: 1.0 });
        assert_eq!(adjustments.len(), 1);
        assert_eq!(adjustments[0].given, "NaN per second");
    }
}
