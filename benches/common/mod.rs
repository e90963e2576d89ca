//! The benchmark scenario, shared by the native benchmark
//! (`benches/simulation.rs`) and the wasm entry point (`examples/wasm_sim.rs`),
//! so both time the same model. `bench/simpy_model.py` rebuilds the same
//! parameters in Python.

use pollhook::scenario::Scenario;

/// Builds the benchmark scenario, the same as the page's long run
/// ([`pollhook::scenario::long_run`]): Poisson arrivals at 100 payments per
/// second, durations uniform from 1 s to 60 s, a fixed one-way latency of
/// 50 ms, a poll every 2 s and no rate limit. Webhook deliveries are signed
/// and verified (HMAC-SHA256).
pub fn scenario(payments: u32) -> Scenario {
    pollhook::scenario::long_run(payments)
}
