//! Webhook retry schedules: when the next attempt goes out after a failure.

use super::rng::SimRng;
use crate::scenario::presets::{
    ADYEN_DELAYS, ADYEN_WINDOW, SHOPIFY_DELAYS, STANDARD_WEBHOOKS_DELAYS, STRIPE_WINDOW, SVIX_DELAYS,
};
use crate::scenario::{Delivery, Millis, RetryPreset, DAY, HOUR, MINUTE};

/// Returns the delay before the next attempt, counted from the moment the
/// last attempt failed, or `None` when the schedule gives up.
///
/// `failed_attempts` counts the attempts made so far, all failed (at least 1);
/// `since_first_ms` is the time from the first attempt to the failure.
pub fn next_delay(
    delivery: &Delivery,
    failed_attempts: u32,
    since_first_ms: Millis,
    rng: &mut SimRng,
) -> Option<Millis> {
    let retry_index = failed_attempts.checked_sub(1)? as usize;
    match delivery.retry {
        RetryPreset::StandardWebhooks => STANDARD_WEBHOOKS_DELAYS.get(retry_index).copied(),
        RetryPreset::Svix => SVIX_DELAYS.get(retry_index).copied(),
        RetryPreset::Shopify => SHOPIFY_DELAYS.get(retry_index).copied(),
        RetryPreset::GitHub => None,
        RetryPreset::Custom => delivery.custom_delays_ms.get(retry_index).copied(),
        RetryPreset::StripeLive => {
            let delay = doubling(MINUTE, retry_index, DAY);
            (since_first_ms + delay <= STRIPE_WINDOW).then_some(delay)
        }
        RetryPreset::Adyen => {
            let delay = ADYEN_DELAYS.get(retry_index).copied().unwrap_or(8 * HOUR);
            (since_first_ms + delay <= ADYEN_WINDOW).then_some(delay)
        }
        RetryPreset::ExponentialJitter => {
            if retry_index >= delivery.backoff_retries as usize {
                return None;
            }
            let base = doubling(delivery.backoff_initial_ms, retry_index, delivery.backoff_max_ms);
            let half = base / 2;
            Some(base - half + rng.sample(crate::scenario::Span::range(0, half)))
        }
    }
}

/// `first * 2^index`, capped at `max` without overflowing.
fn doubling(first: Millis, index: usize, max: Millis) -> Millis {
    let factor = 1u64.checked_shl(index.min(63) as u32).unwrap_or(u64::MAX);
    first.saturating_mul(factor).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::Stream;

    fn delays(delivery: &Delivery) -> Vec<Millis> {
        let mut rng = SimRng::new(1, Stream::Webhook);
        let mut elapsed = 0;
        let mut out = Vec::new();
        for failed in 1.. {
            match next_delay(delivery, failed, elapsed, &mut rng) {
                Some(delay) => {
                    out.push(delay);
                    elapsed += delay;
                }
                None => break,
            }
        }
        out
    }

    fn preset(retry: RetryPreset) -> Delivery {
        Delivery { retry, ..Delivery::default() }
    }

    #[test]
    fn stripe_stays_within_three_days() {
        let schedule = delays(&preset(RetryPreset::StripeLive));
        assert_eq!(schedule[..3], [MINUTE, 2 * MINUTE, 4 * MINUTE]);
        assert_eq!(*schedule.last().unwrap(), DAY);
        assert!(schedule.iter().sum::<Millis>() <= 3 * DAY);
        assert_eq!(schedule.len(), 12);
    }

    #[test]
    fn adyen_repeats_every_8_hours_for_30_days() {
        let schedule = delays(&preset(RetryPreset::Adyen));
        assert_eq!(schedule[..ADYEN_DELAYS.len()], ADYEN_DELAYS);
        assert!(schedule[ADYEN_DELAYS.len()..].iter().all(|&d| d == 8 * HOUR));
        let total: Millis = schedule.iter().sum();
        assert!(total <= 30 * DAY && total + 8 * HOUR > 30 * DAY, "total {total}");
    }

    #[test]
    fn github_never_retries() {
        assert_eq!(delays(&preset(RetryPreset::GitHub)), Vec::<Millis>::new());
    }

    #[test]
    fn jitter_stays_within_half_of_base() {
        let delivery = Delivery {
            retry: RetryPreset::ExponentialJitter,
            backoff_initial_ms: 1_000,
            backoff_max_ms: 8_000,
            backoff_retries: 6,
            ..Delivery::default()
        };
        let schedule = delays(&delivery);
        assert_eq!(schedule.len(), 6);
        let bases = [1_000, 2_000, 4_000, 8_000, 8_000, 8_000];
        for (delay, base) in schedule.iter().zip(bases) {
            assert!(*delay >= base / 2 && *delay <= base, "{delay} for base {base}");
        }
    }

    #[test]
    fn doubling_saturates() {
        assert_eq!(doubling(MINUTE, 200, DAY), DAY);
        assert_eq!(doubling(u64::MAX, 3, 10), 10);
    }
}
