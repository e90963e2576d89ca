//! A long run of the benchmark scenario (100 payments per second), natively,
//! with bounded totals: how long it takes and the process's peak memory.
//! Run it for one hour and for 24 hours of virtual time. When memory stays
//! bounded, both peaks are about the same.
//!
//! ```sh
//! cargo run --release --example long_run -- --hours 24 --out target/bench/long-run-24h.json
//! ```
//!
//! The peak is the process's resident set high-water mark (`VmHWM` in
//! Linux's `/proc/self/status`), so each length needs its own process.

#[path = "../benches/common/mod.rs"]
mod common;

use std::time::Instant;

use pollhook::sim::{run_bounded, Strategy};

/// Payments per second of virtual time in the benchmark scenario.
const RATE: f64 = 100.0;

struct Options {
    hours: f64,
    out: Option<String>,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options { hours: 24.0, out: None };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--hours" => {
                let text = value("--hours")?;
                options.hours =
                    text.parse::<f64>().ok().filter(|hours| *hours > 0.0 && *hours <= 24.0 * 30.0).ok_or(
                        format!("invalid --hours '{text}': expected a number above 0 and at most 720"),
                    )?;
            }
            "--out" => options.out = Some(value("--out")?),
            other => return Err(format!("unknown argument '{other}': expected --hours H or --out FILE")),
        }
    }
    Ok(options)
}

/// Returns the process's peak resident memory so far in bytes, or `None` outside Linux.
fn peak_resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

fn main() {
    let options = parse_options().unwrap_or_else(|message| {
        eprintln!("[long_run] error: {message}");
        std::process::exit(2);
    });
    let payments = (options.hours * 3_600.0 * RATE).round() as u32;
    let scenario = common::scenario(payments);

    let mut lanes = Vec::new();
    for strategy in [Strategy::Polling, Strategy::Webhook] {
        let started = Instant::now();
        let (metrics, events) = run_bounded(&scenario, strategy);
        let seconds = started.elapsed().as_secs_f64();
        eprintln!(
            "[long_run] {}: {payments} payments over {} h of virtual time, {events} events in {seconds:.1} s",
            strategy.key(),
            options.hours,
        );
        lanes.push(serde_json::json!({
            "strategy": strategy.key(),
            "events": events,
            "elapsed_s": seconds,
            "events_per_second": events as f64 / seconds,
            "payments_per_second": f64::from(payments) / seconds,
            "detected": metrics.detected,
            "mean_delay_ms": metrics.delay.map(|delay| delay.mean_ms),
            "p95_delay_ms": metrics.delay.map(|delay| delay.p95_ms),
            "provider_requests": metrics.provider_requests,
            "peak_requests_per_second": metrics.peak_requests_per_second,
            "callbacks": metrics.callbacks,
        }));
    }
    let document = serde_json::json!({
        "hours": options.hours,
        "payments_per_second": RATE,
        "payments": payments,
        "peak_resident_bytes": peak_resident_bytes(),
        "lanes": lanes,
    });
    let text = serde_json::to_string_pretty(&document).expect("the figures serialize to JSON") + "\n";
    match options.out {
        Some(path) => std::fs::write(&path, text).unwrap_or_else(|error| {
            eprintln!("[long_run] error: failed to write {path}: {error}");
            std::process::exit(1);
        }),
        None => print!("{text}"),
    }
}
