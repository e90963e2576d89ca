//! The animated picture of one strategy: the gateway and ABC Payment as two
//! lanes, one track per payment between them, and every message in flight
//! as a token on its payment's track.

use yew::prelude::*;

use std::rc::Rc;

use super::describe::{status_class, token_label};
use super::flow_stage::FlowStage;
use crate::sim::{Actor, InFlight, PaymentView, Status, StatusCounts, Trace};
use crate::state::RunHandle;

const WIDTH: f64 = 560.0;
const LANE_WIDTH: f64 = 140.0;
const HEADER: f64 = 36.0;
const FOOTER: f64 = 10.0;
/// Height available to the payment tracks when there are many payments.
const TRACKS_HEIGHT: f64 = 360.0;
/// Above this many payments the tokens lose their labels and the chips their text.
const LABELLED_PAYMENTS: usize = 8;
/// Above this many payments a row per payment is too thin to follow, and the
/// stage draws flows and queues instead.
pub const ROW_PAYMENTS: usize = 200;

/// What the stage draws besides the messages in flight.
#[derive(Clone, Debug, PartialEq)]
pub enum Picture {
    /// Each payment's status on both sides, one row per payment.
    Rows(Rc<Vec<PaymentView>>),
    /// How many payments ABC Payment and the gateway hold in each status.
    Counts((StatusCounts, StatusCounts)),
}

/// Vertical size of one payment's track, in SVG units.
fn track_height(payments: usize) -> f64 {
    match payments {
        0..=2 => 100.0,
        3..=LABELLED_PAYMENTS => 48.0,
        n => (TRACKS_HEIGHT / n as f64).max(1.0),
    }
}

fn lane_x(actor: Actor) -> f64 {
    match actor {
        Actor::Gateway => 0.0,
        Actor::Provider => WIDTH - LANE_WIDTH,
    }
}

/// Where tokens leave and land: the inner edge of each lane.
fn lane_edge(actor: Actor) -> f64 {
    match actor {
        Actor::Gateway => LANE_WIDTH,
        Actor::Provider => WIDTH - LANE_WIDTH,
    }
}

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub run: RunHandle,
    /// Index of the lane in the run.
    pub lane: usize,
    /// Virtual time to draw, in milliseconds.
    pub now: f64,
    pub picture: Picture,
    /// Whether the gateway's webhook endpoint is down at this moment.
    #[prop_or_default]
    pub endpoint_down: bool,
    /// Whether ABC Payment has disabled the endpoint by this moment.
    #[prop_or_default]
    pub endpoint_disabled: bool,
}

#[function_component]
pub fn Stage(props: &StageProps) -> Html {
    let views = match &props.picture {
        Picture::Rows(views) => views.clone(),
        Picture::Counts(counts) => {
            return html! {
                <FlowStage run={props.run.clone()} lane={props.lane} now={props.now} counts={*counts}
                           endpoint_down={props.endpoint_down} endpoint_disabled={props.endpoint_disabled} />
            };
        }
    };
    let run = &props.run;
    let trace: &Trace = &run.lanes[props.lane].trace;
    let payments = run.payments.len();
    let track = track_height(payments);
    let labelled = payments <= LABELLED_PAYMENTS;
    let height = HEADER + track * payments as f64 + FOOTER;
    let track_y = |payment: u32| HEADER + track * (payment as f64 + 0.5);

    let lanes = [(Actor::Gateway, "Gateway"), (Actor::Provider, "ABC Payment")].map(|(actor, name)| {
        let (side, trouble) = match actor {
            Actor::Gateway => ("gateway", props.endpoint_down.then_some("endpoint down")),
            Actor::Provider => ("provider", props.endpoint_disabled.then_some("endpoint disabled")),
        };
        let center = lane_x(actor) + LANE_WIDTH / 2.0;
        html! {
            <g class={classes!("lane", format!("lane--{side}"), trouble.map(|_| "lane--trouble"))}>
                <rect class="lane__body" x={lane_x(actor).to_string()} y="0" width={LANE_WIDTH.to_string()}
                      height={height.to_string()} rx="10" />
                <text class="lane__name" x={center.to_string()} y="23">{ name }</text>
                if let Some(trouble) = trouble {
                    <text class="lane__trouble" x={center.to_string()} y={(height - 6.0).to_string()}>{ trouble }</text>
                }
            </g>
        }
    });

    let tracks = views.iter().enumerate().map(|(payment, view)| {
        let y = track_y(payment as u32);
        html! {
            <g class="track" key={payment}>
                <line class="track__line" x1={LANE_WIDTH.to_string()} x2={(WIDTH - LANE_WIDTH).to_string()}
                      y1={y.to_string()} y2={y.to_string()} />
                { chip(Actor::Gateway, payment, view, y, track, labelled) }
                { chip(Actor::Provider, payment, view, y, track, labelled) }
            </g>
        }
    });

    let tokens = trace
        .in_flight(props.now)
        .map(|flight| token(&flight, track_y(flight.message.payment), track, labelled));

    html! {
        <svg class="stage" viewBox={format!("0 0 {WIDTH} {height}")} role="img"
             aria-label={stage_summary(&views)} preserveAspectRatio="xMidYMin meet">
            { for lanes }
            { for tracks }
            { for tokens }
        </svg>
    }
}

/// A short sentence for screen readers about where the payments stand.
fn stage_summary(views: &[PaymentView]) -> String {
    let final_at = |pick: fn(&PaymentView) -> Option<Status>| {
        views.iter().filter(|view| pick(view).is_some_and(Status::is_final)).count()
    };
    format!(
        "{} of {} payments final at ABC Payment; the gateway knows {} of them.",
        final_at(|view| view.provider),
        views.len(),
        final_at(|view| view.gateway)
    )
}

/// One side's view of a payment, drawn inside that side's lane.
fn chip(actor: Actor, payment: usize, view: &PaymentView, y: f64, track: f64, labelled: bool) -> Html {
    let status = match actor {
        Actor::Gateway => view.gateway,
        Actor::Provider => view.provider,
    };
    let class = classes!("chip", format!("chip--{}", status_class(status)));
    let inset = 10.0;
    let x = lane_x(actor) + inset;
    let width = LANE_WIDTH - 2.0 * inset;
    if !labelled {
        let height = (track * 0.7).max(1.0);
        return html! {
            <rect {class} x={x.to_string()} y={(y - height / 2.0).to_string()} width={width.to_string()}
                  height={height.to_string()} />
        };
    }
    let height = 30.0;
    let text = match status {
        Some(status) => format!("#{} {}", payment + 1, status.as_str()),
        None => format!("#{} not created", payment + 1),
    };
    html! {
        <g {class}>
            <rect x={x.to_string()} y={(y - height / 2.0).to_string()} width={width.to_string()}
                  height={height.to_string()} rx="6" />
            <text x={(x + width / 2.0).to_string()} y={(y + 5.0).to_string()}>{ text }</text>
        </g>
    }
}

/// A message on its way, on its payment's track. Requests to ABC Payment
/// travel just above the track line and answers just below it, so a
/// request and an answer in flight at once never hide each other.
fn token(flight: &InFlight<'_>, y: f64, track: f64, labelled: bool) -> Html {
    let message = flight.message;
    let (text, kind) = token_label(message);
    let width = 16.0 + 7.2 * text.chars().count() as f64;
    // A labelled token starts and ends just outside the lanes, so it never
    // covers a payment chip.
    let inset = if labelled { width / 2.0 } else { 0.0 };
    let direction = if message.kind.from() == Actor::Gateway { 1.0 } else { -1.0 };
    let from = lane_edge(message.kind.from()) + direction * inset;
    let to = lane_edge(message.kind.to()) - direction * inset;
    let x = from + (to - from) * flight.progress;
    let lift = if message.kind.from() == Actor::Gateway { -1.0 } else { 1.0 };
    let class = classes!("token", format!("token--{kind}"), message.lost.then_some("token--lost"));
    let key = flight.index.to_string();

    if !labelled {
        let radius = (track * 0.45).clamp(1.5, 5.0);
        return html! {
            <circle {key} {class} cx={x.to_string()} cy={(y + lift * radius * 0.6).to_string()} r={radius.to_string()} />
        };
    }
    let height = (track * 0.4).min(22.0);
    let center_y = y + lift * (track * 0.26).min(17.0);
    html! {
        <g {key} {class} data-kind={kind}>
            <rect x={(x - width / 2.0).to_string()} y={(center_y - height / 2.0).to_string()}
                  width={width.to_string()} height={height.to_string()} rx="11" />
            <text x={x.to_string()} y={(center_y + 4.5).to_string()}>{ text }</text>
        </g>
    }
}
