//! The benchmark scenario, shared by the native benchmark
//! (`benches/simulation.rs`) and the wasm entry point (`examples/wasm_sim.rs`),
//! so both time the same model. `bench/simpy_model.py` rebuilds the same
//! parameters in Python.

use pollhook::scenario::{Arrival, Scenario, Span, SECOND};

/// Builds the benchmark scenario: Poisson arrivals at 100 payments per
/// second, durations uniform from 1 s to 60 s, a fixed one-way latency of
/// 50 ms, a poll every 2 s and no rate limit. Every other field keeps its
/// default, so webhook deliveries are signed and verified (HMAC-SHA256).
///
/// The scenario skips `Scenario::sanitized`, because the page's limit of
/// 10,000 payments would clamp the count.
pub fn scenario(payments: u32) -> Scenario {
    let mut scenario = Scenario::default();
    scenario.workload.payments = payments;
    scenario.workload.arrival = Arrival::Poisson { per_second: 100.0 };
    scenario.workload.duration = Span::range(SECOND, 60 * SECOND);
    scenario.network.latency = Span::fixed(50);
    scenario.polling.interval_ms = 2 * SECOND;
    scenario.api.rate_limited = false;
    scenario
}
