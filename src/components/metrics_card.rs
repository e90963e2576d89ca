use yew::prelude::*;

use crate::scenario::units::format_duration_f64;
use crate::sim::{Metrics, Strategy};

#[derive(Properties, PartialEq)]
pub struct MetricsCardProps {
    pub strategy: Strategy,
    /// Metrics up to the playback time.
    pub metrics: Metrics,
    pub payments: usize,
}

/// The counters of one strategy, as they stand at the playback time.
#[function_component]
pub fn MetricsCard(props: &MetricsCardProps) -> Html {
    let metrics = &props.metrics;
    let prefix = props.strategy.key();
    let delay = |pick: fn(&crate::sim::DelayStats) -> f64| {
        metrics
            .delay
            .as_ref()
            .map_or("–".to_string(), |stats| format_duration_f64(pick(stats)))
    };
    let stat = |name: &str, label: &str, value: String, hint: &str| {
        html! {
            <div class="stat" title={hint.to_string()}>
                <dt>{ label.to_string() }</dt>
                <dd data-testid={format!("{prefix}-{name}")}>{ value }</dd>
            </div>
        }
    };
    html! {
        <dl class="metrics" aria-label={format!("{} counters", props.strategy.label())}>
            { stat("requests", "Requests to ABC Payment", metrics.provider_requests.to_string(),
                   "Status requests that reached ABC Payment's API.") }
            { stat("wasted", "Wasted requests", metrics.wasted_requests.to_string(),
                   "Requests answered \"pending\": they cost a call and told the gateway nothing new.") }
            { stat("callbacks", "Webhook callbacks", metrics.callbacks.to_string(),
                   "Webhook deliveries that reached the gateway's endpoint.") }
            { stat("detected", "Payments known final", format!("{} of {}", metrics.detected, props.payments),
                   "Payments whose final status the gateway has learned.") }
            { stat("delay-mean", "Mean detection delay", delay(|s| s.mean_ms),
                   "Time from ABC Payment finishing a payment to the gateway knowing it, averaged.") }
            { stat("delay-p95", "95th percentile delay", delay(|s| s.p95_ms as f64),
                   "95% of payments were known within this delay.") }
            { stat("delay-max", "Longest delay", delay(|s| s.max_ms as f64),
                   "The slowest detection so far.") }
            { stat("peak-rps", "Peak load on ABC Payment", format!("{} req/s", metrics.peak_requests_per_second),
                   "Most requests reaching ABC Payment within one second.") }
            { stat("mean-rps", "Mean load on ABC Payment", format!("{:.2} req/s", metrics.mean_requests_per_second),
                   "Requests reaching ABC Payment per second since the first payment.") }
        </dl>
    }
}
