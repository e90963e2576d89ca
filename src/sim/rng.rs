//! The seeded random generator behind every draw of a run.
//!
//! PCG (`rand_pcg::Pcg64Mcg`) is fast, small in wasm and gives the same stream
//! on every platform. Each part of a run draws from its own stream, derived
//! from the seed, so adding a message to one strategy never shifts the
//! payment durations that another strategy sees.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use crate::scenario::{Millis, Span};

/// Independent streams derived from one seed.
#[derive(Clone, Copy, Debug)]
pub enum Stream {
    Workload,
    Polling,
    Webhook,
    Hybrid,
}

pub struct SimRng(Pcg64Mcg);

impl SimRng {
    pub fn new(seed: u64, stream: Stream) -> Self {
        // The golden-ratio constant spreads neighbouring stream numbers over
        // the whole seed space before PCG expands the seed.
        let salt = (stream as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        SimRng(Pcg64Mcg::seed_from_u64(seed ^ salt))
    }

    /// Draws a value of the span, in milliseconds.
    pub fn sample(&mut self, span: Span) -> Millis {
        match span {
            Span::Fixed { ms } => ms,
            Span::Range { min_ms, max_ms } if min_ms >= max_ms => min_ms,
            Span::Range { min_ms, max_ms } => self.0.random_range(min_ms..=max_ms),
        }
    }

    /// Draws a float uniformly from `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    /// Draws an exponential gap with the given mean, in milliseconds, rounded
    /// to the nearest millisecond. `libm` keeps the logarithm bit-identical
    /// natively and in wasm.
    pub fn exponential(&mut self, mean_ms: f64) -> Millis {
        let u = 1.0 - self.unit(); // in (0, 1], so the logarithm is finite
        libm::round(-libm::log(u) * mean_ms) as Millis
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ_and_repeat() {
        let draw = |stream| {
            let mut rng = SimRng::new(7, stream);
            (0..4).map(|_| rng.sample(Span::range(0, 1_000_000))).collect::<Vec<_>>()
        };
        assert_eq!(draw(Stream::Polling), draw(Stream::Polling));
        assert_ne!(draw(Stream::Polling), draw(Stream::Webhook));
    }

    #[test]
    fn sample_stays_in_range() {
        let mut rng = SimRng::new(1, Stream::Workload);
        for _ in 0..1_000 {
            let value = rng.sample(Span::range(10, 20));
            assert!((10..=20).contains(&value), "{value}");
        }
        assert_eq!(rng.sample(Span::fixed(5)), 5);
    }

    #[test]
    fn exponential_mean_is_close() {
        let mut rng = SimRng::new(3, Stream::Workload);
        let n = 20_000;
        let total: u64 = (0..n).map(|_| rng.exponential(1_000.0)).sum();
        let mean = total as f64 / n as f64;
        // The standard error of the mean of 20,000 draws is about 7 ms.
        assert!((mean - 1_000.0).abs() < 30.0, "mean {mean}");
    }
}
