//! The native simulation benchmark's scenario as a wasm module, so that
//! `tests/perf/wasm-sim.mjs` can time the same runs in headless Chromium.
//!
//! Build it for wasm with the release profile, then run the wasm-bindgen CLI
//! over it (`scripts/bench.sh` does both):
//!
//! ```sh
//! cargo build --release --example wasm_sim --target wasm32-unknown-unknown
//! wasm-bindgen --target web --out-dir target/bench/wasm \
//!     target/wasm32-unknown-unknown/release/examples/wasm_sim.wasm
//! ```
//!
//! The page times each call with `performance.now()`, so this module reads
//! no clock itself.

#[path = "../benches/common/mod.rs"]
mod common;

use pollhook::sim::{run_totals, Strategy};
use wasm_bindgen::prelude::*;

/// Runs `run_totals` on the benchmark scenario with `payments` payments and
/// returns a JSON object with the event count and the figures that the
/// native benchmark writes: `events`, `detected`, `mean_delay_ms`,
/// `provider_requests`, `wasted_requests` and `callbacks`.
///
/// `strategy` is `polling` or `webhook`; any other value throws an error.
#[wasm_bindgen]
pub fn run_benchmark(strategy: &str, payments: u32) -> Result<String, JsError> {
    let strategy = match Strategy::from_key(strategy) {
        Some(strategy @ (Strategy::Polling | Strategy::Webhook)) => strategy,
        _ => {
            return Err(JsError::new(&format!("invalid strategy '{strategy}': expected polling or webhook")))
        }
    };
    if payments == 0 {
        return Err(JsError::new("invalid payment count 0: expected at least 1"));
    }

    let (metrics, events) = run_totals(&common::scenario(payments), strategy);
    let summary = serde_json::json!({
        "strategy": strategy.key(),
        "payments": payments,
        "events": events,
        "detected": metrics.detected,
        "mean_delay_ms": metrics.delay.map(|delay| delay.mean_ms),
        "provider_requests": metrics.provider_requests,
        "wasted_requests": metrics.wasted_requests,
        "callbacks": metrics.callbacks,
    });
    Ok(summary.to_string())
}
