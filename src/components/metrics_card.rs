use yew::prelude::*;

use crate::scenario::units::format_duration_f64;
use crate::sim::{DelayStats, Metrics, Strategy};

#[derive(Properties, PartialEq)]
pub struct MetricsCardProps {
    pub strategy: Strategy,
    /// Metrics up to the playback time.
    pub metrics: Metrics,
    /// Metrics over the whole run, which decide the problem counters shown.
    pub totals: Metrics,
    pub payments: usize,
}

/// A problem counter: its test id, label, explanation, and how to read it.
type Problem = (&'static str, &'static str, &'static str, fn(&Metrics) -> u64);

/// Counters shown only for runs in which they ever go above zero.
const PROBLEMS: [Problem; 12] = [
    (
        "rate-limited",
        "429 answers",
        "Requests ABC Payment refused because the rate limit was reached.",
        |m| m.rate_limited,
    ),
    ("retries", "Retries", "Delivery attempts after the first one.", |m| m.retries),
    ("timeouts", "Timeouts", "Attempts whose answer did not come back in time.", |m| m.timeouts),
    ("abandoned", "Abandoned events", "Events ABC Payment gave up on after the last attempt.", |m| {
        m.abandoned
    }),
    (
        "duplicates-received",
        "Duplicates received",
        "Deliveries of an event the endpoint had already received.",
        |m| m.duplicates_received,
    ),
    ("duplicates-processed", "Duplicates processed", "Events the gateway processed a second time.", |m| {
        m.duplicates_processed
    }),
    (
        "out-of-order",
        "Applied out of order",
        "Events that overwrote a newer event of the same payment.",
        |m| m.out_of_order,
    ),
    ("dropped", "Dropped after 200", "Events answered 200 but never processed.", |m| m.dropped),
    ("signature-rejected", "Signatures rejected", "Deliveries and replays that failed verification.", |m| {
        m.signature_rejected
    }),
    ("replays-accepted", "Replays accepted", "Replayed deliveries that the gateway took as new.", |m| {
        m.replays_accepted
    }),
    ("never-learned", "Never learned", "Final payments whose outcome the gateway does not know.", |m| {
        u64::from(m.never_learned)
    }),
    ("learned-wrong", "Learned wrong", "Final payments for which the gateway holds the wrong status.", |m| {
        u64::from(m.learned_wrong)
    }),
];

/// The counters of one strategy, as they stand at the playback time.
#[function_component]
pub fn MetricsCard(props: &MetricsCardProps) -> Html {
    let metrics = &props.metrics;
    let prefix = props.strategy.key();
    let delay = |stats: &Option<DelayStats>, pick: fn(&DelayStats) -> f64| {
        stats.as_ref().map_or("–".to_string(), |stats| format_duration_f64(pick(stats)))
    };
    let stat = |name: &str, label: &str, value: String, hint: &str, problem: bool| {
        // The embedded view shows only the key counters and the problems.
        let secondary =
            matches!(name, "delay-p95" | "delay-max" | "peak-rps" | "mean-rps" | "convergence-max");
        html! {
            <div class={classes!("stat", problem.then_some("stat--problem"), secondary.then_some("stat--secondary"))}
                 title={hint.to_string()}>
                <dt>{ label.to_string() }</dt>
                <dd data-testid={format!("{prefix}-{name}")}>{ value }</dd>
            </div>
        }
    };
    let problems = PROBLEMS.iter().filter(|(_, _, _, read)| read(&props.totals) > 0);
    let converged = props.totals.convergence.is_some() && props.totals.convergence != props.totals.delay;

    html! {
        <dl class="metrics" aria-label={format!("{} counters", props.strategy.label())}>
            { stat("requests", "Requests to ABC Payment", metrics.provider_requests.to_string(),
                   "Requests that reached ABC Payment's API: polls, fetches and reconciliation.", false) }
            { stat("wasted", "Wasted requests", metrics.wasted_requests.to_string(),
                   "Requests answered \"not final yet\": they cost a call and told the gateway nothing new.", false) }
            { stat("callbacks", "Webhook callbacks", metrics.callbacks.to_string(),
                   "Webhook deliveries that reached the gateway's endpoint.", false) }
            { stat("detected", "Payments known final", format!("{} of {}", metrics.detected, props.payments),
                   "Payments whose final status the gateway has learned.", false) }
            { stat("delay-mean", "Mean detection delay", delay(&metrics.delay, |s| s.mean_ms),
                   "Time from ABC Payment finishing a payment to the gateway knowing it, averaged.", false) }
            { stat("delay-p95", "95th percentile delay", delay(&metrics.delay, |s| s.p95_ms as f64),
                   "95% of payments were known within this delay.", false) }
            { stat("delay-max", "Longest delay", delay(&metrics.delay, |s| s.max_ms as f64),
                   "The slowest detection so far.", false) }
            { stat("peak-rps", "Peak load on ABC Payment", format!("{} req/s", metrics.peak_requests_per_second),
                   "Most requests reaching ABC Payment within one second.", false) }
            { stat("mean-rps", "Mean load on ABC Payment", format!("{:.2} req/s", metrics.mean_requests_per_second),
                   "Requests reaching ABC Payment per second since the first payment.", false) }
            if converged {
                { stat("convergence-max", "Longest time to agree", delay(&metrics.convergence, |s| s.max_ms as f64),
                       "Time from ABC Payment finishing a payment until the gateway's view last came to match it.", false) }
            }
            { for problems.map(|(name, label, hint, read)| stat(name, label, read(metrics).to_string(), hint, true)) }
        </dl>
    }
}
