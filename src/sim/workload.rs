//! The payments of a run, drawn once from the seed and shared by every strategy.

use serde::Serialize;

use super::rng::{SimRng, Stream};
use super::trace::Status;
use crate::scenario::{Arrival, Millis, Scenario};

/// One payment as ABC Payment will process it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Payment {
    /// Virtual time the payment is created at ABC Payment, in milliseconds.
    pub created_at: Millis,
    /// Virtual time the gateway has stored the payment's id, in milliseconds.
    pub recorded_at: Millis,
    /// Virtual time the payment becomes "processing", if the scenario sends that event.
    pub processing_at: Option<Millis>,
    /// Virtual time ABC Payment marks the payment final, in milliseconds.
    pub completes_at: Millis,
    /// The final status: succeeded, or failed when declined.
    pub outcome: Status,
}

/// Draws the payments of the scenario, ordered by creation time.
///
/// Each payment takes the same number of draws whatever the decline share,
/// so changing it never changes the durations.
pub fn draw_payments(scenario: &Scenario) -> Vec<Payment> {
    let workload = &scenario.workload;
    let mut rng = SimRng::new(scenario.seed, Stream::Workload);
    let mut created_at: Millis = 0;
    let mut payments = Vec::with_capacity(workload.payments as usize);

    for index in 0..workload.payments {
        if index > 0 {
            created_at += match workload.arrival {
                Arrival::Steady { gap_ms } => gap_ms,
                Arrival::Poisson { per_second } => rng.exponential(1_000.0 / per_second),
                Arrival::Burst => 0,
            };
        }
        let completes_at = created_at + rng.sample(workload.duration);
        let declined = rng.unit() * 100.0 < f64::from(workload.decline_percent);
        let processing_at = created_at + rng.sample(workload.processing_after);
        let recorded_at = created_at + rng.sample(workload.record_delay);
        payments.push(Payment {
            created_at,
            recorded_at,
            processing_at: workload.processing_event.then_some(processing_at.min(completes_at)),
            completes_at,
            outcome: if declined { Status::Failed } else { Status::Succeeded },
        });
    }
    payments
}
