//! A histogram of delays in fixed memory, for runs too long to keep every
//! delay. Delays under 256 ms are counted exactly. Larger ones fall into
//! buckets at most 1/128 of their size wide, so a percentile read from it
//! is off by less than 0.8%. The mean and the maximum stay exact, and the
//! histogram takes 59 KB whatever the number of delays.

use super::metrics::DelayStats;
use crate::scenario::Millis;

/// Values below this get a bucket each.
const EXACT_BELOW: u64 = 128;
/// Buckets per power of two above `EXACT_BELOW`.
const SUB_BUCKETS: u64 = 128;
/// Number of powers of two from 2^7 up to 2^63, each split into `SUB_BUCKETS`.
const POWERS: usize = 64 - 7;
const BUCKETS: usize = EXACT_BELOW as usize + POWERS * SUB_BUCKETS as usize;

/// Counts of values in buckets that widen with the value (log-linear buckets).
#[derive(Clone, Debug)]
pub struct LogHistogram {
    counts: Vec<u64>,
    total: u64,
    sum: u128,
    max: Millis,
}

impl Default for LogHistogram {
    fn default() -> Self {
        LogHistogram { counts: vec![0; BUCKETS], total: 0, sum: 0, max: 0 }
    }
}

/// Returns the index of the bucket that counts `value`.
fn bucket(value: u64) -> usize {
    if value < EXACT_BELOW {
        return value as usize;
    }
    // 7 for values from 128 to 255, up to 63 for the largest ones.
    let power = 63 - u64::from(value.leading_zeros());
    let offset = (value >> (power - 7)) - SUB_BUCKETS;
    (EXACT_BELOW + (power - 7) * SUB_BUCKETS + offset) as usize
}

/// Returns the smallest value that falls into `bucket`.
fn lower_bound(bucket: usize) -> u64 {
    let bucket = bucket as u64;
    if bucket < EXACT_BELOW {
        return bucket;
    }
    let power = (bucket - EXACT_BELOW) / SUB_BUCKETS + 7;
    let offset = (bucket - EXACT_BELOW) % SUB_BUCKETS;
    (SUB_BUCKETS + offset) << (power - 7)
}

impl LogHistogram {
    /// Adds one value.
    pub fn record(&mut self, value: Millis) {
        self.counts[bucket(value)] += 1;
        self.total += 1;
        self.sum += u128::from(value);
        self.max = self.max.max(value);
    }

    /// Returns the number of values recorded.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// Returns the mean, maximum and 95th percentile, or `None` when empty.
    /// The percentile is the nearest rank's bucket floor, capped at the maximum.
    pub fn summarize(&self) -> Option<DelayStats> {
        if self.total == 0 {
            return None;
        }
        let rank = (self.total * 95).div_ceil(100).max(1);
        let mut seen = 0;
        let p95 = self
            .counts
            .iter()
            .position(|&count| {
                seen += count;
                seen >= rank
            })
            .map_or(self.max, |bucket| lower_bound(bucket).min(self.max));
        Some(DelayStats { mean_ms: self.sum as f64 / self.total as f64, p95_ms: p95, max_ms: self.max })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::metrics::summarize;

    #[test]
    fn buckets_cover_values_in_order() {
        let mut previous = 0;
        for value in (0..5_000).chain([u64::MAX / 3, u64::MAX - 1, u64::MAX]) {
            let index = bucket(value);
            assert!(index < BUCKETS, "{value}");
            assert!(index >= previous, "{value}");
            assert!(lower_bound(index) <= value, "{value}");
            previous = index;
        }
        for index in 0..BUCKETS {
            assert_eq!(bucket(lower_bound(index)), index, "bucket {index}");
        }
    }

    #[test]
    fn small_delays_are_exact() {
        let mut histogram = LogHistogram::default();
        for value in 1..=100 {
            histogram.record(value);
        }
        assert_eq!(histogram.summarize(), summarize((1..=100).collect()));
    }

    #[test]
    fn percentile_within_one_percent() {
        let delays: Vec<Millis> = (0..20_000u64).map(|i| (i * 7_919) % 3_600_000 + 50).collect();
        let mut histogram = LogHistogram::default();
        delays.iter().for_each(|&delay| histogram.record(delay));
        let exact = summarize(delays).expect("delays");
        let bucketed = histogram.summarize().expect("delays");
        assert_eq!(bucketed.max_ms, exact.max_ms);
        assert!((bucketed.mean_ms - exact.mean_ms).abs() < 1e-6);
        assert!(bucketed.p95_ms <= exact.p95_ms);
        assert!(
            (exact.p95_ms - bucketed.p95_ms) as f64 <= exact.p95_ms as f64 / 128.0,
            "{bucketed:?} {exact:?}"
        );
    }

    #[test]
    fn empty_histogram_has_no_summary() {
        assert_eq!(LogHistogram::default().summarize(), None);
    }
}
