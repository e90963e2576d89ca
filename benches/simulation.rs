//! Native simulation throughput: `run_totals` over one million payments,
//! polling and webhook, on the scenario in `common/mod.rs`.
//!
//! Run it with `cargo bench --bench simulation`; `scripts/bench.sh` runs it
//! with the other benchmarks. `BENCH_PAYMENTS` sets another payment count.
//! Besides Criterion's timings, the benchmark writes the metrics and the
//! event count of one untimed run per strategy to
//! `target/bench/native-metrics.json`, which `scripts/bench.sh` compares
//! with the SimPy model. It also writes the CPU time of every timed call to
//! `target/bench/native-cpu.json`, because on a shared machine the wall
//! time includes the time other processes held the CPU.

mod common;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput};
use pollhook::sim::{run_totals, Metrics, Strategy};

const STRATEGIES: [Strategy; 2] = [Strategy::Polling, Strategy::Webhook];

/// Payments in one benchmark run unless `BENCH_PAYMENTS` sets another count.
const DEFAULT_PAYMENTS: u32 = 1_000_000;

fn payment_count() -> u32 {
    match std::env::var("BENCH_PAYMENTS") {
        Err(_) => DEFAULT_PAYMENTS,
        Ok(text) => match text.trim().parse::<u32>() {
            Ok(count) if count > 0 => count,
            _ => panic!("invalid BENCH_PAYMENTS '{text}': expected a whole number from 1 to 4294967295"),
        },
    }
}

/// Directory for the metrics file: `BENCH_OUT_DIR`, or `target/bench` in the package.
fn output_dir() -> PathBuf {
    match std::env::var_os("BENCH_OUT_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target").join("bench"),
    }
}

/// Returns the CPU time the calling thread has used so far, in nanoseconds,
/// from Linux's `/proc/thread-self/schedstat`, or `None` where that file is missing.
fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Builds one strategy's figures as JSON, with the per-payment means that the SimPy comparison uses.
fn summary(strategy: Strategy, payments: u32, metrics: &Metrics, events: u64) -> serde_json::Value {
    let per_payment = |count: u64| count as f64 / f64::from(payments);
    serde_json::json!({
        "strategy": strategy.key(),
        "payments": payments,
        "events": events,
        "completed": metrics.completed,
        "detected": metrics.detected,
        "mean_delay_ms": metrics.delay.map(|delay| delay.mean_ms),
        "p95_delay_ms": metrics.delay.map(|delay| delay.p95_ms),
        "max_delay_ms": metrics.delay.map(|delay| delay.max_ms),
        "provider_requests": metrics.provider_requests,
        "wasted_requests": metrics.wasted_requests,
        "callbacks": metrics.callbacks,
        "requests_per_payment": per_payment(metrics.provider_requests),
        "wasted_per_payment": per_payment(metrics.wasted_requests),
        "callbacks_per_payment": per_payment(metrics.callbacks),
    })
}

fn write_json(name: &str, document: &serde_json::Value) {
    let dir = output_dir();
    let path = dir.join(name);
    let text = serde_json::to_string_pretty(document).expect("benchmark figures serialize to JSON");
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&path, text + "\n"))
        .unwrap_or_else(|error| panic!("failed to write {}: {error}", path.display()));
    eprintln!("[simulation] wrote {}", path.display());
}

/// Runs each strategy once, untimed, and writes its metrics and event count.
fn write_metrics(payments: u32) {
    let scenario = common::scenario(payments);
    let lanes: Vec<serde_json::Value> = STRATEGIES
        .iter()
        .map(|&strategy| {
            let (metrics, events) = run_totals(&scenario, strategy);
            assert_eq!(
                metrics.detected,
                payments,
                "{}: the gateway learned {} of {payments} outcomes; every payment must be detected",
                strategy.key(),
                metrics.detected
            );
            summary(strategy, payments, &metrics, events)
        })
        .collect();

    write_json("native-metrics.json", &serde_json::json!({ "seed": scenario.seed, "lanes": lanes }));
}

fn simulation(c: &mut Criterion) {
    let payments = payment_count();
    write_metrics(payments);

    let scenario = common::scenario(payments);
    let mut group = c.benchmark_group("run_totals");
    // One run of a million payments takes seconds, so every sample is a
    // single iteration and ten samples are enough for a stable mean.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(u64::from(payments)));
    let mut cpu = serde_json::Map::new();
    for strategy in STRATEGIES {
        // CPU seconds per run, one entry per call from Criterion, warm-up included.
        let mut cpu_seconds: Vec<f64> = Vec::new();
        group.bench_with_input(BenchmarkId::new(strategy.key(), payments), &scenario, |b, scenario| {
            b.iter_custom(|iterations| {
                let cpu_before = thread_cpu_ns();
                let started = Instant::now();
                for _ in 0..iterations {
                    black_box(run_totals(black_box(scenario), strategy));
                }
                let wall = started.elapsed();
                if let (Some(before), Some(after)) = (cpu_before, thread_cpu_ns()) {
                    cpu_seconds.push((after - before) as f64 / 1e9 / iterations as f64);
                }
                wall
            })
        });
        cpu.insert(strategy.key().to_string(), serde_json::json!(cpu_seconds));
    }
    group.finish();
    write_json("native-cpu.json", &serde_json::json!({ "payments": payments, "cpu_seconds_per_run": cpu }));
}

criterion_group!(benches, simulation);
criterion_main!(benches);
