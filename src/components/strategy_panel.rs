use yew::prelude::*;

use super::message_log::MessageLog;
use super::metrics_card::MetricsCard;
use super::stage::Stage;
use crate::scenario::units::format_duration;
use crate::scenario::Scenario;
use crate::sim::{measure, NoteKind, Strategy};
use crate::state::RunHandle;

#[derive(Properties, PartialEq)]
pub struct StrategyPanelProps {
    pub run: RunHandle,
    pub lane: usize,
    pub scenario: Scenario,
    /// Virtual time to show, in milliseconds.
    pub now: f64,
}

/// One strategy: its title, its stage and its counters at the playback time.
#[function_component]
pub fn StrategyPanel(props: &StrategyPanelProps) -> Html {
    let lane = &props.run.lanes[props.lane];
    let strategy = lane.strategy;
    let now_ms = props.now.floor() as u64;
    let metrics = measure(&lane.trace, props.run.payments.len(), now_ms);
    let endpoint_down = strategy != Strategy::Polling && props.scenario.endpoint.is_down(now_ms);
    let endpoint_disabled =
        lane.trace.notes.iter().take_while(|n| n.at <= now_ms).any(|n| n.kind == NoteKind::EndpointDisabled);
    let id = strategy.key();
    let summary = match strategy {
        Strategy::Polling => format!(
            "The gateway asks ABC Payment for the status every {} until the answer is final.",
            format_duration(props.scenario.polling.interval_ms)
        ),
        Strategy::Webhook => {
            "ABC Payment calls the gateway's webhook endpoint when the payment changes; the gateway answers 200."
                .to_string()
        }
        Strategy::Hybrid => format!(
            "Webhooks, plus a reconciliation run every {} that fetches each payment still open after {}.",
            format_duration(props.scenario.reconciliation.interval_ms),
            format_duration(props.scenario.reconciliation.min_age_ms)
        ),
    };
    html! {
        <section class={classes!("panel", format!("panel--{id}"))} data-testid={format!("panel-{id}")}
                 aria-labelledby={format!("panel-{id}-title")}>
            <header class="panel__header">
                <h2 id={format!("panel-{id}-title")}>{ strategy.label() }</h2>
                <p>{ summary }</p>
            </header>
            <Stage run={props.run.clone()} lane={props.lane} now={props.now} {endpoint_down} {endpoint_disabled} />
            <MessageLog run={props.run.clone()} lane={props.lane} now={props.now} />
            <MetricsCard {strategy} {metrics} totals={lane.metrics.clone()} payments={props.run.payments.len()} />
        </section>
    }
}
