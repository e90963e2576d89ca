//! The guided tour: the story from pull to push to real-world failures, one
//! step at a time. Each step sets up its own scenario.

use crate::gallery;
use crate::scenario::{Arrival, DurationPreset, Scenario, Shown, Span, SECOND};

/// What a step shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Setup {
    /// A scenario built for this step.
    Scenario(Box<Scenario>),
    /// A variant of a gallery entry, by key and index.
    Gallery(&'static str, usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub title: &'static str,
    /// What to watch for, in two or three sentences.
    pub text: &'static str,
    pub setup: Setup,
}

impl Step {
    /// The scenario the step runs.
    pub fn scenario(&self) -> Scenario {
        match &self.setup {
            Setup::Scenario(scenario) => (**scenario).clone(),
            Setup::Gallery(key, variant) => gallery::entry(key)
                .and_then(|entry| entry.variants().nth(*variant).map(|v| v.scenario.clone()))
                .unwrap_or_default(),
        }
    }
}

fn only(polling: bool, webhook: bool, hybrid: bool) -> Shown {
    Shown { polling, webhook, hybrid }
}

/// A sale: many card payments arriving at random.
fn busy_shop(poll_interval_ms: u64) -> Scenario {
    let mut scenario = Scenario::default();
    scenario.workload.payments = 100;
    scenario.workload.arrival = Arrival::Poisson { per_second: 5.0 };
    scenario.workload.duration = DurationPreset::ThreeDSecure.span();
    scenario.polling.interval_ms = poll_interval_ms;
    scenario
}

/// Every step, in order.
pub fn steps() -> Vec<Step> {
    let pull = Scenario { shown: only(true, false, false), ..Scenario::default() };
    let mut slow_bank = busy_shop(5 * SECOND);
    slow_bank.workload.duration = Span::range(20 * SECOND, 2 * 60 * SECOND);
    vec![
        Step {
            title: "Pull: the gateway keeps asking",
            text:
                "A payment takes 7 seconds at ABC Payment. The gateway asks for its status every 2 seconds. \
                   Three answers say pending, and only the fourth says succeeded, 1.2 s after the payment \
                   finished.",
            setup: Setup::Scenario(Box::new(pull)),
        },
        Step {
            title: "Push: ABC Payment calls back",
            text:
                "The same payment, handled both ways. On the right ABC Payment calls the gateway's webhook \
                   endpoint once, as soon as the payment succeeds: one message instead of four, and the \
                   gateway knows within one network trip.",
            setup: Setup::Scenario(Box::default()),
        },
        Step {
            title: "Polling cost grows with every payment",
            text: "A sale: 100 payments with bank challenges that take 20 s to 2 min. Every open \
                   payment costs a request every 5 s, so most requests come back pending. The webhook panel \
                   sends one message per payment.",
            setup: Setup::Scenario(Box::new(slow_bank)),
        },
        Step {
            title: "Polling faster is not free",
            text: "Polling every second shortens the delay but multiplies the requests, until ABC Payment's \
                   rate limit answers 429 and the gateway has to wait anyway.",
            setup: Setup::Gallery("rate-limited-poller", 0),
        },
        Step {
            title: "Webhooks arrive at least once",
            text: "A lost 200 makes ABC Payment send the same event again, and a receiver that does not \
                   deduplicate processes it twice. Try the cure: skip event ids already seen.",
            setup: Setup::Gallery("duplicate-delivery", 0),
        },
        Step {
            title: "Order is not promised",
            text: "A retried processing event lands after the succeeded event and a last-write-wins \
                   receiver moves the payment backwards. Only moving a status forward, or fetching the \
                   payment, keeps it right.",
            setup: Setup::Gallery("out-of-order", 0),
        },
        Step {
            title: "Retries carry events through an outage",
            text: "The endpoint is down for two hours. ABC Payment retries on a schedule, and every event \
                   arrives once the endpoint is back. Playback skips the quiet hours.",
            setup: Setup::Gallery("endpoint-down", 1),
        },
        Step {
            title: "Reconciliation is the safety net",
            text: "An event can still be lost for good. A periodic job that fetches open payments catches \
                   what the webhooks missed, at the cost of a few requests: webhooks for speed, polling for \
                   certainty.",
            setup: Setup::Gallery("lost-webhook", 1),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_has_a_scenario_within_limits() {
        let steps = steps();
        assert_eq!(steps.len(), 8);
        for step in &steps {
            let scenario = step.scenario();
            assert_eq!(scenario.clone().sanitized().0, scenario, "{}", step.title);
            if let Setup::Gallery(key, variant) = step.setup {
                let entry = gallery::entry(key).unwrap_or_else(|| panic!("no gallery entry {key}"));
                assert!(entry.variants().nth(variant).is_some(), "{key} {variant}");
            }
        }
    }

    #[test]
    fn first_step_is_the_story() {
        let scenario = steps()[0].scenario();
        assert_eq!(scenario.workload, Scenario::default().workload);
        assert!(scenario.shown.polling && !scenario.shown.webhook);
    }
}
