use yew::prelude::*;

use super::fields::{format_number, input_value, parse_decimal, NumberField};
use super::span_field::SpanField;
use crate::scenario::units::format_duration;
use crate::scenario::{limits, Arrival, Millis, Scenario, HOUR, MINUTE, SECOND};
use crate::state::Notice;

/// Poll intervals the slider stops at, in milliseconds. The number field
/// beside it takes any value in range.
const POLL_STEPS: [Millis; 22] = [
    100,
    250,
    500,
    SECOND,
    1_500,
    2 * SECOND,
    3 * SECOND,
    4 * SECOND,
    5 * SECOND,
    7_500,
    10 * SECOND,
    15 * SECOND,
    20 * SECOND,
    30 * SECOND,
    MINUTE,
    2 * MINUTE,
    5 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    HOUR,
    4 * HOUR,
    24 * HOUR,
];

/// Writes one edited value into a scenario.
type FieldSetter = Box<dyn Fn(&mut Scenario, f64)>;

/// Index of the slider stop closest to the interval.
fn poll_step_index(interval_ms: Millis) -> usize {
    POLL_STEPS
        .iter()
        .enumerate()
        .min_by_key(|(_, &step)| step.abs_diff(interval_ms))
        .map_or(0, |(index, _)| index)
}

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub scenario: Scenario,
    pub on_configure: Callback<Scenario>,
    pub on_notice: Callback<Notice>,
}

/// The scenario's parameters. Every change emits a whole new scenario.
#[function_component]
pub fn Controls(props: &ControlsProps) -> Html {
    let scenario = &props.scenario;

    // Turns an edit of one field into a new scenario.
    let edit = |change: FieldSetter| {
        let scenario = scenario.clone();
        let on_configure = props.on_configure.clone();
        Callback::from(move |value: f64| {
            let mut next = scenario.clone();
            change(&mut next, value);
            on_configure.emit(next);
        })
    };
    // Parses typed text for `field`; rejects what is not a non-negative number.
    let parse = |field: &'static str, current: String, then: Callback<f64>| {
        let on_notice = props.on_notice.clone();
        Callback::from(move |text: String| match parse_decimal(&text) {
            Ok(value) if value >= 0.0 => then.emit(value),
            Ok(value) => on_notice.emit(Notice::new(format!(
                "{field}: {} is negative; kept {current}.",
                format_number(value)
            ))),
            Err(reason) => on_notice.emit(Notice::new(format!(
                "{field}: the value {reason}; kept {current}."
            ))),
        })
    };
    let invalid = |field: &'static str| {
        let on_notice = props.on_notice.clone();
        Callback::from(move |sentence: String| {
            on_notice.emit(Notice::new(format!("{field}: {sentence}")))
        })
    };

    let interval = scenario.polling.interval_ms;
    let set_interval = edit(Box::new(|s, ms| {
        s.polling.interval_ms = ms.round() as Millis
    }));
    let on_interval_slider = {
        let set_interval = set_interval.clone();
        Callback::from(move |event: InputEvent| {
            let index: usize = input_value(&event).parse().unwrap_or(0);
            set_interval.emit(POLL_STEPS[index.min(POLL_STEPS.len() - 1)] as f64);
        })
    };
    let on_interval_text = parse(
        "Poll interval",
        format_duration(interval),
        edit(Box::new(|s, seconds| {
            s.polling.interval_ms = (seconds * 1000.0).round() as Millis
        })),
    );

    let payments = scenario.workload.payments;
    let set_payments = edit(Box::new(|s, count| {
        s.workload.payments = count.round().min(u32::MAX as f64) as u32
    }));
    let on_payments_slider = {
        let set_payments = set_payments.clone();
        Callback::from(move |event: InputEvent| {
            set_payments.emit(input_value(&event).parse().unwrap_or(1.0));
        })
    };
    let on_payments_text = parse("Payments", payments.to_string(), set_payments);

    let arrival = scenario.workload.arrival;
    let on_arrival_kind = {
        let on_configure = props.on_configure.clone();
        let scenario = scenario.clone();
        Callback::from(move |event: Event| {
            let mut next = scenario.clone();
            next.workload.arrival = match input_value(&event).as_str() {
                "poisson" => Arrival::Poisson { per_second: 1.0 },
                "burst" => Arrival::Burst,
                _ => Arrival::Steady { gap_ms: SECOND },
            };
            on_configure.emit(next);
        })
    };
    let arrival_detail = match arrival {
        Arrival::Steady { gap_ms } => html! {
            <NumberField
                id="arrival-gap" label="Time between payments" unit="s"
                value={gap_ms as f64 / 1000.0} min={0.0} max={86_400.0} step={0.1}
                on_commit={parse(
                    "Time between payments",
                    format_duration(gap_ms),
                    edit(Box::new(|s, seconds| s.workload.arrival = Arrival::Steady { gap_ms: (seconds * 1000.0).round() as Millis })),
                )}
            />
        },
        Arrival::Poisson { per_second } => html! {
            <NumberField
                id="arrival-rate" label="Mean arrival rate" unit="per s"
                value={per_second} min={0.001} max={1000.0} step={0.1}
                on_commit={parse(
                    "Mean arrival rate",
                    format!("{} per second", format_number(per_second)),
                    edit(Box::new(|s, per_second| s.workload.arrival = Arrival::Poisson { per_second })),
                )}
            />
        },
        Arrival::Burst => {
            html! { <p class="field__hint">{ "Every payment is created at time zero." }</p> }
        }
    };

    let on_duration = {
        let on_configure = props.on_configure.clone();
        let scenario = scenario.clone();
        Callback::from(move |span| {
            let mut next = scenario.clone();
            next.workload.duration = span;
            on_configure.emit(next);
        })
    };
    let on_latency = {
        let on_configure = props.on_configure.clone();
        let scenario = scenario.clone();
        Callback::from(move |span| {
            let mut next = scenario.clone();
            next.network.latency = span;
            on_configure.emit(next);
        })
    };

    let seed = scenario.seed;
    let on_seed_text = {
        let on_notice = props.on_notice.clone();
        let set_seed = edit(Box::new(|s, seed| s.seed = seed as u64));
        Callback::from(move |text: String| match text.trim().parse::<u64>() {
            Ok(value) => set_seed.emit(value as f64),
            Err(_) => on_notice.emit(Notice::new(format!(
                "Seed: \"{}\" is not a whole number from 0 to {}; kept {seed}.",
                super::fields::shorten(text.trim()),
                u64::MAX
            ))),
        })
    };
    let on_new_seed = {
        let on_configure = props.on_configure.clone();
        let scenario = scenario.clone();
        Callback::from(move |_| {
            let mut next = scenario.clone();
            // Seeds up to 2^32 stay short enough to read out in a meeting.
            next.seed = (js_sys::Math::random() * 4_294_967_296.0) as u64;
            on_configure.emit(next);
        })
    };

    html! {
        <form class="controls" aria-label="Scenario" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <h2 class="controls__title">{ "Scenario" }</h2>

            <NumberField
                id="poll-interval" label="Poll interval" unit="s"
                value={interval as f64 / 1000.0} min={0.1} max={86_400.0} step={0.1}
                on_commit={on_interval_text}
                hint="How long the polling gateway waits between two status requests for one payment."
            >
                <input
                    id="poll-interval-slider" type="range" aria-label="Poll interval slider"
                    min="0" max={(POLL_STEPS.len() - 1).to_string()} step="1"
                    value={poll_step_index(interval).to_string()}
                    aria-valuetext={format_duration(interval)}
                    oninput={on_interval_slider}
                />
            </NumberField>

            <SpanField
                id="duration" label="Payment duration" unit="s" unit_ms={1000.0} max={2_592_000.0} step={0.1}
                span={scenario.workload.duration} on_change={on_duration} on_invalid={invalid("Payment duration")}
            />
            <SpanField
                id="latency" label="Network latency, one way" unit="ms" unit_ms={1.0} max={60_000.0} step={1.0}
                span={scenario.network.latency} on_change={on_latency} on_invalid={invalid("Network latency")}
            />

            <NumberField
                id="payments" label="Payments" unit="" value={payments as f64}
                min={1.0} max={limits::PAYMENTS.max as f64} step={1.0} on_commit={on_payments_text}
            >
                <input
                    id="payments-slider" type="range" aria-label="Payments slider"
                    min="1" max={limits::PAYMENTS.max.to_string()} step="1"
                    value={payments.to_string()}
                    oninput={on_payments_slider}
                />
            </NumberField>

            <div class="field">
                <label for="arrival-kind">{ "Payments arrive" }</label>
                <select id="arrival-kind" onchange={on_arrival_kind}>
                    <option value="steady" selected={matches!(arrival, Arrival::Steady { .. })}>{ "at a steady pace" }</option>
                    <option value="poisson" selected={matches!(arrival, Arrival::Poisson { .. })}>{ "at random (Poisson)" }</option>
                    <option value="burst" selected={matches!(arrival, Arrival::Burst)}>{ "all at once" }</option>
                </select>
            </div>
            { arrival_detail }

            <div class="field">
                <label for="seed">{ "Seed" }</label>
                <div class="field__input">
                    <input
                        id="seed" type="text" inputmode="numeric" value={seed.to_string()}
                        onchange={Callback::from(move |event: Event| on_seed_text.emit(input_value(&event)))}
                    />
                    <button type="button" class="button" onclick={on_new_seed}>{ "New seed" }</button>
                </div>
                <p class="field__hint">{ "The same seed gives the same run, for every reader." }</p>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poll_steps_are_sorted_and_in_limits() {
        assert!(POLL_STEPS.windows(2).all(|w| w[0] < w[1]));
        let limit = limits::POLL_INTERVAL;
        assert!(POLL_STEPS.iter().all(|&s| s >= limit.min && s <= limit.max));
    }

    #[test]
    fn poll_step_index_finds_nearest() {
        assert_eq!(POLL_STEPS[poll_step_index(2_000)], 2_000);
        assert_eq!(POLL_STEPS[poll_step_index(2_100)], 2_000);
        assert_eq!(poll_step_index(0), 0);
        assert_eq!(poll_step_index(u64::MAX), POLL_STEPS.len() - 1);
    }
}
