//! ABC Payment's rate limit: a token bucket per client, in integer
//! arithmetic so that every platform computes the same answers.

use crate::scenario::{Millis, SECOND};

/// Units per token: the bucket counts thousandths of a token, so a refill
/// rate of `r` requests per second adds exactly `r` units per millisecond.
const UNIT: u64 = 1_000;

#[derive(Clone, Debug)]
pub struct TokenBucket {
    /// Tokens the bucket holds when full, in thousandths.
    capacity: u64,
    /// Refill rate in thousandths of a token per millisecond, equal to requests per second.
    rate: u64,
    /// Tokens now, in thousandths.
    level: u64,
    /// Virtual time of the last refill, in milliseconds.
    refilled_at: Millis,
}

impl TokenBucket {
    /// A full bucket of `burst` tokens that refills at `per_second` tokens per second.
    pub fn new(per_second: u32, burst: u32) -> Self {
        let capacity = u64::from(burst.max(1)) * UNIT;
        TokenBucket { capacity, rate: u64::from(per_second.max(1)), level: capacity, refilled_at: 0 }
    }

    /// Takes one token at `now`. When the bucket is empty, returns the
    /// Retry-After value in whole seconds (at least 1), as HTTP sends it.
    pub fn try_take(&mut self, now: Millis) -> Result<(), u64> {
        let elapsed = now.saturating_sub(self.refilled_at);
        self.level = self.level.saturating_add(elapsed.saturating_mul(self.rate)).min(self.capacity);
        self.refilled_at = self.refilled_at.max(now);
        if self.level >= UNIT {
            self.level -= UNIT;
            Ok(())
        } else {
            let wait_ms = (UNIT - self.level).div_ceil(self.rate);
            Err(wait_ms.div_ceil(SECOND).max(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refill() {
        let mut bucket = TokenBucket::new(2, 3);
        assert_eq!((0..3).map(|_| bucket.try_take(0)).collect::<Vec<_>>(), [Ok(()), Ok(()), Ok(())]);
        assert_eq!(bucket.try_take(0), Err(1));
        // Two tokens per second: one token after 500 ms.
        assert_eq!(bucket.try_take(499), Err(1));
        assert_eq!(bucket.try_take(500), Ok(()));
        assert_eq!(bucket.try_take(500), Err(1));
    }

    #[test]
    fn slow_refill_gives_longer_retry_after() {
        // One token per second and a bucket of one: after taking it, the next
        // token needs 1000 ms, so Retry-After is 1 s; at 1 per 2.5 s it would be 3 s.
        let mut bucket = TokenBucket::new(1, 1);
        assert_eq!(bucket.try_take(10), Ok(()));
        assert_eq!(bucket.try_take(10), Err(1));
    }

    #[test]
    fn never_exceeds_capacity() {
        let mut bucket = TokenBucket::new(100, 5);
        let taken = (0..100).filter(|_| bucket.try_take(1_000_000).is_ok()).count();
        assert_eq!(taken, 5);
    }
}
