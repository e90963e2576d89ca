use std::rc::Rc;

use yew::prelude::*;

use super::message_log::MessageLog;
use super::metrics_card::MetricsCard;
use super::stage::{Picture, Stage, ROW_PAYMENTS};
use crate::scenario::units::format_duration;
use crate::scenario::Scenario;
use crate::sim::{MetricsCursor, Strategy};
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
    let payments = props.run.payments.len();
    let now_ms = props.now.floor() as u64;

    // One cursor per lane follows playback, so a frame costs only what
    // happened since the previous one. A new run gets a new cursor.
    let cursor = use_mut_ref(|| None::<(usize, MetricsCursor)>);
    let run_address = Rc::as_ptr(&props.run.0) as usize;
    let (metrics, picture, endpoint_disabled) = {
        let mut slot = cursor.borrow_mut();
        if slot.as_ref().map(|(address, _)| *address) != Some(run_address) {
            *slot = Some((run_address, MetricsCursor::new(&lane.trace, payments)));
        }
        let cursor = &mut slot.as_mut().expect("cursor set above").1;
        cursor.seek(&lane.trace, now_ms);
        let picture = if payments > ROW_PAYMENTS {
            Picture::Counts(cursor.status_counts())
        } else {
            Picture::Rows(Rc::new(cursor.views().to_vec()))
        };
        (cursor.metrics(&lane.trace), picture, cursor.endpoint_disabled())
    };
    let endpoint_down = strategy != Strategy::Polling && props.scenario.endpoint.is_down(now_ms);
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
            <Stage run={props.run.clone()} lane={props.lane} now={props.now} {picture} {endpoint_down} {endpoint_disabled} />
            <MessageLog run={props.run.clone()} lane={props.lane} now={props.now} />
            <MetricsCard {strategy} {metrics} totals={lane.metrics.clone()} payments={props.run.payments.len()} />
        </section>
    }
}
