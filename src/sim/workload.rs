//! The payments of a run, drawn once from the seed and shared by every strategy.

use serde::Serialize;

use super::rng::{SimRng, Stream};
use crate::scenario::{Arrival, Millis, Scenario};

/// One payment as ABC Payment will process it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Payment {
    /// Virtual time the payment is created, in milliseconds.
    pub created_at: Millis,
    /// Virtual time ABC Payment marks the payment final, in milliseconds.
    pub completes_at: Millis,
}

/// Draws the payments of the scenario, ordered by creation time.
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
        let duration = rng.sample(workload.duration);
        payments.push(Payment {
            created_at,
            completes_at: created_at + duration,
        });
    }
    payments
}
