//! The payments of a run, drawn from the seed and shared by every strategy.

use serde::Serialize;

use super::rng::{SimRng, Stream};
use super::trace::Status;
use crate::scenario::{Arrival, Millis, Scenario, Workload};

/// One payment as ABC Payment will process it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Payment {
    /// Position of the payment in the run, from 0.
    pub index: u32,
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

/// The scenario's payments, drawn one at a time in order of creation, so a
/// run of millions of payments never holds them all.
///
/// Each payment takes the same number of draws whatever the decline share,
/// so changing it never changes the durations.
pub struct WorkloadStream {
    workload: Workload,
    rng: SimRng,
    next_index: u32,
    created_at: Millis,
}

impl WorkloadStream {
    pub fn new(scenario: &Scenario) -> Self {
        WorkloadStream {
            workload: scenario.workload.clone(),
            rng: SimRng::new(scenario.seed, Stream::Workload),
            next_index: 0,
            created_at: 0,
        }
    }

    /// Whether every payment has been drawn.
    pub fn is_exhausted(&self) -> bool {
        self.next_index >= self.workload.payments
    }
}

impl Iterator for WorkloadStream {
    type Item = Payment;

    fn next(&mut self) -> Option<Payment> {
        if self.is_exhausted() {
            return None;
        }
        let index = self.next_index;
        self.next_index += 1;
        let workload = &self.workload;
        let rng = &mut self.rng;
        if index > 0 {
            self.created_at += match workload.arrival {
                Arrival::Steady { gap_ms } => gap_ms,
                Arrival::Poisson { per_second } => rng.exponential(1_000.0 / per_second),
                Arrival::Burst => 0,
            };
        }
        let created_at = self.created_at;
        let completes_at = created_at + rng.sample(workload.duration);
        let declined = rng.unit() * 100.0 < f64::from(workload.decline_percent);
        let processing_at = created_at + rng.sample(workload.processing_after);
        let recorded_at = created_at + rng.sample(workload.record_delay);
        Some(Payment {
            index,
            created_at,
            recorded_at,
            processing_at: workload.processing_event.then_some(processing_at.min(completes_at)),
            completes_at,
            outcome: if declined { Status::Failed } else { Status::Succeeded },
        })
    }
}

/// Draws all the payments of the scenario, ordered by creation time.
pub fn draw_payments(scenario: &Scenario) -> Vec<Payment> {
    WorkloadStream::new(scenario).collect()
}
