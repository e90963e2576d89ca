//! The scenario's parameters, grouped by the part of the system they set.
//! Every change emits a whole new scenario; rejected text becomes a notice.

use yew::prelude::*;

use super::fields::{
    format_number, input_value, parse_decimal, restore_input, CheckField, DurationField, NumberField,
    SelectField, SpanField,
};
use crate::scenario::units::format_duration;
use crate::scenario::{
    Acknowledge, ApplyRule, Arrival, DurationPreset, Millis, RetryPreset, Scenario, HOUR, MINUTE, SECOND,
};
use crate::state::Notice;

/// Poll intervals the slider stops at, in milliseconds. The text field
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

/// Payment counts the slider stops at, closer together where a few
/// payments make a difference to the picture.
const PAYMENT_STEPS: [u64; 27] = [
    1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 300, 400, 500, 1_000, 2_000, 3_000,
    5_000, 7_500, 10_000,
];

/// Index of the slider stop closest to the value; a tie goes to the larger stop.
fn step_index(steps: &[u64], value: u64) -> usize {
    steps.iter().enumerate().rev().min_by_key(|(_, &step)| step.abs_diff(value)).map_or(0, |(index, _)| index)
}

/// Builds the callbacks that turn an edit of one field into a new scenario.
#[derive(Clone)]
struct Editor {
    scenario: Scenario,
    on_configure: Callback<Scenario>,
    on_notice: Callback<Notice>,
}

impl Editor {
    /// A callback that writes its value into a copy of the scenario and emits it.
    fn set<T: 'static>(&self, apply: impl Fn(&mut Scenario, T) + 'static) -> Callback<T> {
        let (scenario, on_configure) = (self.scenario.clone(), self.on_configure.clone());
        Callback::from(move |value: T| {
            let mut next = scenario.clone();
            apply(&mut next, value);
            on_configure.emit(next);
        })
    }

    /// A callback that reports a rejected value of `field` as a notice.
    fn invalid(&self, field: &'static str) -> Callback<String> {
        let on_notice = self.on_notice.clone();
        Callback::from(move |sentence: String| on_notice.emit(Notice::new(format!("{field}: {sentence}"))))
    }

    /// A callback for a number typed as text: non-negative numbers go to
    /// `apply`; anything else becomes a notice that names the value kept.
    fn number(
        &self,
        field: &'static str,
        current: String,
        apply: impl Fn(&mut Scenario, f64) + 'static,
    ) -> Callback<String> {
        let set = self.set(apply);
        let invalid = self.invalid(field);
        Callback::from(move |text: String| match parse_decimal(&text) {
            Ok(value) if value >= 0.0 => set.emit(value),
            Ok(value) => invalid.emit(format!("{} is negative; kept {current}.", format_number(value))),
            Err(reason) => invalid.emit(format!("the value {reason}; kept {current}.")),
        })
    }

    /// A callback for a whole number typed as text, such as a percentage.
    fn count(&self, field: &'static str, current: u32, apply: fn(&mut Scenario, u32)) -> Callback<String> {
        self.number(field, current.to_string(), move |scenario, value| {
            apply(scenario, value.round().min(f64::from(u32::MAX)) as u32)
        })
    }
}

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub scenario: Scenario,
    pub on_configure: Callback<Scenario>,
    pub on_notice: Callback<Notice>,
}

#[function_component]
pub fn Controls(props: &ControlsProps) -> Html {
    let editor = Editor {
        scenario: props.scenario.clone(),
        on_configure: props.on_configure.clone(),
        on_notice: props.on_notice.clone(),
    };
    html! {
        <form class="controls" aria-label="Scenario" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <h2 class="controls__title">{ "Scenario" }</h2>
            { section("Payments", true, payments_section(&editor)) }
            { section("Polling", true, polling_section(&editor)) }
            { section("Network", false, network_section(&editor)) }
            { section("ABC Payment's API", false, api_section(&editor)) }
            { section("Webhook delivery", false, delivery_section(&editor)) }
            { section("Webhook endpoint", false, endpoint_section(&editor)) }
            { section("Webhook receiver", false, receiver_section(&editor)) }
            { section("Reconciliation", false, reconciliation_section(&editor)) }
            { section("Panels and seed", true, view_section(&editor)) }
        </form>
    }
}

fn section(title: &str, open: bool, body: Html) -> Html {
    html! {
        <details class="controls__section" {open}>
            <summary>{ title.to_string() }</summary>
            { body }
        </details>
    }
}

fn payments_section(editor: &Editor) -> Html {
    let workload = &editor.scenario.workload;
    let payments = workload.payments;
    let on_payments_slider = {
        let set = editor.set(|s, count: u64| s.workload.payments = count as u32);
        Callback::from(move |event: InputEvent| {
            let index: usize = input_value(&event).parse().unwrap_or(0);
            set.emit(PAYMENT_STEPS[index.min(PAYMENT_STEPS.len() - 1)]);
        })
    };
    let arrival = workload.arrival;
    let arrival_kind = match arrival {
        Arrival::Steady { .. } => "steady",
        Arrival::Poisson { .. } => "poisson",
        Arrival::Burst => "burst",
    };
    let on_arrival_kind = editor.set(|s, kind: String| {
        s.workload.arrival = match kind.as_str() {
            "poisson" => Arrival::Poisson { per_second: 1.0 },
            "burst" => Arrival::Burst,
            _ => Arrival::Steady { gap_ms: SECOND },
        }
    });
    let arrival_detail = match arrival {
        _ if payments == 1 => html! {},
        Arrival::Steady { gap_ms } => html! {
            <DurationField id="arrival-gap" label="Time between payments" value={gap_ms}
                on_change={editor.set(|s, gap_ms| s.workload.arrival = Arrival::Steady { gap_ms })}
                on_invalid={editor.invalid("Time between payments")} />
        },
        Arrival::Poisson { per_second } => html! {
            <NumberField id="arrival-rate" label="Mean arrival rate" unit="per s"
                value={per_second}
                on_commit={editor.number("Mean arrival rate", format!("{} per second", format_number(per_second)),
                    |s, per_second| s.workload.arrival = Arrival::Poisson { per_second })} />
        },
        Arrival::Burst => html! { <p class="field__hint">{ "Every payment is created at time zero." }</p> },
    };
    let preset = DurationPreset::matching(workload.duration);
    let preset_options: Vec<(AttrValue, AttrValue)> = DurationPreset::ALL
        .iter()
        .map(|p| (AttrValue::from(format!("{p:?}")), AttrValue::from(p.label())))
        .chain([(AttrValue::from("custom"), AttrValue::from("Custom"))])
        .collect();
    let on_preset = editor.set(|s, key: String| {
        if let Some(preset) = DurationPreset::ALL.into_iter().find(|p| format!("{p:?}") == key) {
            s.workload.duration = preset.span();
        }
    });

    html! {
        <>
            <NumberField id="payments" label="Payments" value={payments as f64}
                on_commit={editor.count("Payments", payments, |s, n| s.workload.payments = n)}>
                <input id="payments-slider" type="range" aria-label="Payments slider"
                    min="0" max={(PAYMENT_STEPS.len() - 1).to_string()} step="1"
                    value={step_index(&PAYMENT_STEPS, u64::from(payments)).to_string()}
                    aria-valuetext={payments.to_string()} oninput={on_payments_slider} />
            </NumberField>
            if payments > 1 {
                <SelectField id="arrival-kind" label="Payments arrive"
                    options={vec![
                        ("steady".into(), "at a steady pace".into()),
                        ("poisson".into(), "at random (Poisson)".into()),
                        ("burst".into(), "all at once".into()),
                    ]}
                    selected={arrival_kind} on_change={on_arrival_kind} />
            }
            { arrival_detail }
            <SelectField id="duration-preset" label="Kind of payment" options={preset_options}
                selected={preset.map_or("custom".to_string(), |p| format!("{p:?}"))} on_change={on_preset}
                hint={preset.map(|p| AttrValue::from(p.source()))} />
            <SpanField id="duration" label="Payment duration" span={workload.duration}
                on_change={editor.set(|s, span| s.workload.duration = span)}
                on_invalid={editor.invalid("Payment duration")}
                hint="From creation until ABC Payment marks the payment final." />
            <NumberField id="decline" label="Declined" unit="%" value={workload.decline_percent as f64}
                on_commit={editor.count("Declined", workload.decline_percent, |s, n| s.workload.decline_percent = n)} />
            <CheckField id="processing-event" label="Send payment.processing before the final event"
                checked={workload.processing_event}
                on_change={editor.set(|s, on| s.workload.processing_event = on)} />
            if workload.processing_event {
                <SpanField id="processing-after" label="Processing starts after" span={workload.processing_after}
                    on_change={editor.set(|s, span| s.workload.processing_after = span)}
                    on_invalid={editor.invalid("Processing starts after")} />
            }
            <SpanField id="record-delay" label="Gateway records the payment after" span={workload.record_delay}
                on_change={editor.set(|s, span| s.workload.record_delay = span)}
                on_invalid={editor.invalid("Gateway records the payment after")}
                hint="Until then an event for it names an unknown payment, as when the buyer's browser returns late." />
        </>
    }
}

fn polling_section(editor: &Editor) -> Html {
    let polling = &editor.scenario.polling;
    let interval = polling.interval_ms;
    let on_slider = {
        let set = editor.set(|s, ms: Millis| s.polling.interval_ms = ms);
        Callback::from(move |event: InputEvent| {
            let index: usize = input_value(&event).parse().unwrap_or(0);
            set.emit(POLL_STEPS[index.min(POLL_STEPS.len() - 1)]);
        })
    };
    html! {
        <>
            <DurationField id="poll-interval" label="Poll interval" value={interval}
                on_change={editor.set(|s, ms| s.polling.interval_ms = ms)}
                on_invalid={editor.invalid("Poll interval")}
                hint="How long the polling gateway waits between two status requests for one payment.">
                <input id="poll-interval-slider" type="range" aria-label="Poll interval slider"
                    min="0" max={(POLL_STEPS.len() - 1).to_string()} step="1"
                    value={step_index(&POLL_STEPS, interval).to_string()}
                    aria-valuetext={format_duration(interval)} oninput={on_slider} />
            </DurationField>
            <NumberField id="backoff-factor" label="Backoff factor" unit="×" value={polling.backoff_factor}
                on_commit={editor.number("Backoff factor", format_number(polling.backoff_factor), |s, f| s.polling.backoff_factor = f)}
                hint="Each wait is this many times the previous one; 1 keeps the interval fixed." />
            if polling.backoff_factor > 1.0 {
                <DurationField id="poll-max-interval" label="Longest wait" value={polling.max_interval_ms}
                    on_change={editor.set(|s, ms| s.polling.max_interval_ms = ms)}
                    on_invalid={editor.invalid("Longest wait")} />
            }
            <NumberField id="give-up" label="Give up after" unit="requests" value={polling.give_up_after as f64}
                on_commit={editor.count("Give up after", polling.give_up_after, |s, n| s.polling.give_up_after = n)}
                hint="0 keeps asking until the answer is final." />
        </>
    }
}

fn network_section(editor: &Editor) -> Html {
    let network = &editor.scenario.network;
    html! {
        <>
            <SpanField id="latency" label="Network latency, one way" span={network.latency}
                on_change={editor.set(|s, span| s.network.latency = span)}
                on_invalid={editor.invalid("Network latency")} />
            <NumberField id="webhook-loss" label="Webhook messages lost" unit="%"
                value={network.webhook_loss_percent as f64}
                on_commit={editor.count("Webhook messages lost", network.webhook_loss_percent, |s, n| s.network.webhook_loss_percent = n)}
                hint="Deliveries and their answers that never arrive." />
        </>
    }
}

fn api_section(editor: &Editor) -> Html {
    let api = &editor.scenario.api;
    html! {
        <>
            <CheckField id="rate-limited" label="Rate limit per client" checked={api.rate_limited}
                on_change={editor.set(|s, on| s.api.rate_limited = on)}
                hint="A token bucket; an empty bucket answers 429 with Retry-After. Stripe allows 100 per second in live mode, 25 in test mode." />
            if api.rate_limited {
                <NumberField id="rate" label="Requests per second" value={api.rate_per_second as f64}
                    on_commit={editor.count("Requests per second", api.rate_per_second, |s, n| s.api.rate_per_second = n)} />
                <NumberField id="burst" label="Burst" unit="requests" value={api.burst as f64}
                    on_commit={editor.count("Burst", api.burst, |s, n| s.api.burst = n)} />
            }
        </>
    }
}

fn delivery_section(editor: &Editor) -> Html {
    let delivery = &editor.scenario.delivery;
    let options: Vec<(AttrValue, AttrValue)> =
        RetryPreset::ALL.iter().map(|p| (AttrValue::from(p.key()), AttrValue::from(p.label()))).collect();
    let on_preset = editor.set(|s, key: String| {
        if let Some(preset) = RetryPreset::from_key(&key) {
            s.delivery.retry = preset;
            if let Some(timeout) = preset.timeout_ms() {
                s.delivery.timeout_ms = timeout;
            }
            s.delivery.disable_after_ms = preset.disable_after_ms().unwrap_or(0);
        }
    });
    let custom_text = delivery
        .custom_delays_ms
        .iter()
        .map(|&ms| crate::scenario::units::format_duration_exact(ms))
        .collect::<Vec<_>>()
        .join(", ");
    let on_custom = {
        let set = editor.set(|s, delays: Vec<Millis>| s.delivery.custom_delays_ms = delays);
        let invalid = editor.invalid("Custom retry delays");
        let current = custom_text.clone();
        Callback::from(move |event: Event| {
            match parse_delay_list(&input_value(&event)) {
                Ok(delays) => set.emit(delays),
                Err(reason) => invalid.emit(format!("{reason}; kept {current}.")),
            }
            restore_input(&event, &current);
        })
    };
    html! {
        <>
            <SelectField id="retry-preset" label="Retry schedule" {options} selected={delivery.retry.key()}
                on_change={on_preset} hint={AttrValue::from(delivery.retry.source())} />
            if delivery.retry == RetryPreset::Custom {
                <div class="field">
                    <label for="custom-delays">{ "Delays after each failure" }</label>
                    <input id="custom-delays" type="text" spellcheck="false" value={custom_text} onchange={on_custom}
                        aria-describedby="custom-delays-hint" />
                    <p class="field__hint" id="custom-delays-hint">{ "Comma-separated, such as 5s, 1min, 10min." }</p>
                </div>
            }
            if delivery.retry == RetryPreset::ExponentialJitter {
                <DurationField id="backoff-initial" label="First delay" value={delivery.backoff_initial_ms}
                    on_change={editor.set(|s, ms| s.delivery.backoff_initial_ms = ms)}
                    on_invalid={editor.invalid("First delay")} />
                <DurationField id="backoff-max" label="Longest delay" value={delivery.backoff_max_ms}
                    on_change={editor.set(|s, ms| s.delivery.backoff_max_ms = ms)}
                    on_invalid={editor.invalid("Longest delay")} />
                <NumberField id="backoff-retries" label="Retries" value={delivery.backoff_retries as f64}
                    on_commit={editor.count("Retries", delivery.backoff_retries, |s, n| s.delivery.backoff_retries = n)} />
            }
            <DurationField id="timeout" label="Answer timeout" value={delivery.timeout_ms}
                on_change={editor.set(|s, ms| s.delivery.timeout_ms = ms)}
                on_invalid={editor.invalid("Answer timeout")}
                hint="Only a 2xx answer within this time counts as delivered." />
            <DurationField id="disable-after" label="Disable a failing endpoint after" value={delivery.disable_after_ms}
                on_change={editor.set(|s, ms| s.delivery.disable_after_ms = ms)}
                on_invalid={editor.invalid("Disable a failing endpoint after")}
                hint="0 never disables it. Svix disables an endpoint that fails for 5 days." />
            <DurationField id="replay-after" label="Attacker replays each delivery after" value={delivery.replay_after_ms}
                on_change={editor.set(|s, ms| s.delivery.replay_after_ms = ms)}
                on_invalid={editor.invalid("Attacker replays each delivery after")}
                hint="0 means no replays." />
        </>
    }
}

fn endpoint_section(editor: &Editor) -> Html {
    let endpoint = &editor.scenario.endpoint;
    html! {
        <>
            <DurationField id="down-from" label="Endpoint down from" value={endpoint.down_from_ms}
                on_change={editor.set(|s, ms| s.endpoint.down_from_ms = ms)}
                on_invalid={editor.invalid("Endpoint down from")} />
            <DurationField id="down-for" label="Endpoint down for" value={endpoint.down_for_ms}
                on_change={editor.set(|s, ms| s.endpoint.down_for_ms = ms)}
                on_invalid={editor.invalid("Endpoint down for")}
                hint="While down, the load balancer answers 503. 0 keeps the endpoint up." />
            <NumberField id="error-rate" label="Answers 500" unit="%" value={endpoint.error_percent as f64}
                on_commit={editor.count("Answers 500", endpoint.error_percent, |s, n| s.endpoint.error_percent = n)} />
            <SpanField id="handler" label="Handler time" span={endpoint.handler}
                on_change={editor.set(|s, span| s.endpoint.handler = span)}
                on_invalid={editor.invalid("Handler time")}
                hint="Time to process one event." />
            <DurationField id="store-time" label="Time to store a raw event" value={endpoint.store_ms}
                on_change={editor.set(|s, ms| s.endpoint.store_ms = ms)}
                on_invalid={editor.invalid("Time to store a raw event")} />
            <NumberField id="crash-rate" label="Crashes before storing" unit="%" value={endpoint.crash_percent as f64}
                on_commit={editor.count("Crashes before storing", endpoint.crash_percent, |s, n| s.endpoint.crash_percent = n)}
                hint="Matters only when the receiver answers before storing." />
        </>
    }
}

fn receiver_section(editor: &Editor) -> Html {
    let receiver = &editor.scenario.receiver;
    let apply_key = match receiver.apply {
        ApplyRule::LastWriteWins => "last-write-wins",
        ApplyRule::StatusRank => "status-rank",
        ApplyRule::Fetch => "fetch",
    };
    let acknowledge_key = match receiver.acknowledge {
        Acknowledge::AfterProcessing => "after-processing",
        Acknowledge::AfterStoring => "after-storing",
        Acknowledge::BeforeStoring => "before-storing",
    };
    html! {
        <>
            <CheckField id="deduplicate" label="Deduplicate by event id" checked={receiver.deduplicate}
                on_change={editor.set(|s, on| s.receiver.deduplicate = on)} />
            <SelectField id="apply-rule" label="Apply events"
                options={vec![
                    ("last-write-wins".into(), "last write wins".into()),
                    ("status-rank".into(), "by status rank (only forward)".into()),
                    ("fetch".into(), "fetch the payment (thin events)".into()),
                ]}
                selected={apply_key}
                on_change={editor.set(|s, key: String| s.receiver.apply = match key.as_str() {
                    "last-write-wins" => ApplyRule::LastWriteWins,
                    "fetch" => ApplyRule::Fetch,
                    _ => ApplyRule::StatusRank,
                })} />
            <SelectField id="acknowledge" label="Answer 200"
                options={vec![
                    ("after-processing".into(), "after processing".into()),
                    ("after-storing".into(), "after storing, then process".into()),
                    ("before-storing".into(), "before storing".into()),
                ]}
                selected={acknowledge_key}
                on_change={editor.set(|s, key: String| s.receiver.acknowledge = match key.as_str() {
                    "after-processing" => Acknowledge::AfterProcessing,
                    "before-storing" => Acknowledge::BeforeStoring,
                    _ => Acknowledge::AfterStoring,
                })} />
            <CheckField id="reject-unknown" label="Answer 409 for unknown payments" checked={receiver.reject_unknown}
                on_change={editor.set(|s, on| s.receiver.reject_unknown = on)}
                hint="ABC Payment then retries the event; otherwise it is answered 200 and dropped." />
            <CheckField id="verify" label="Verify signatures" checked={receiver.verify_signatures}
                on_change={editor.set(|s, on| s.receiver.verify_signatures = on)} />
            <CheckField id="reserialize" label="Verify a re-serialized body" checked={receiver.reserialize_body}
                on_change={editor.set(|s, on| s.receiver.reserialize_body = on)}
                hint="Parsing and writing the JSON back changes its bytes, and the signature no longer matches." />
            <DurationField id="tolerance" label="Timestamp tolerance" value={receiver.tolerance_ms}
                on_change={editor.set(|s, ms| s.receiver.tolerance_ms = ms)}
                on_invalid={editor.invalid("Timestamp tolerance")} />
        </>
    }
}

fn reconciliation_section(editor: &Editor) -> Html {
    let reconciliation = &editor.scenario.reconciliation;
    html! {
        <>
            <p class="field__hint">{ "Used by the \"Webhook + reconciliation\" panel." }</p>
            <DurationField id="reconcile-interval" label="Run every" value={reconciliation.interval_ms}
                on_change={editor.set(|s, ms| s.reconciliation.interval_ms = ms)}
                on_invalid={editor.invalid("Reconciliation interval")} />
            <DurationField id="reconcile-age" label="Fetch payments open for at least" value={reconciliation.min_age_ms}
                on_change={editor.set(|s, ms| s.reconciliation.min_age_ms = ms)}
                on_invalid={editor.invalid("Reconciliation minimum age")} />
        </>
    }
}

fn view_section(editor: &Editor) -> Html {
    let shown = &editor.scenario.shown;
    let seed = editor.scenario.seed;
    let on_seed_text = {
        let set = editor.set(|s, seed: u64| s.seed = seed);
        let invalid = editor.invalid("Seed");
        Callback::from(move |event: Event| {
            let text = input_value(&event);
            match text.trim().parse::<u64>() {
                Ok(value) => set.emit(value),
                Err(_) => invalid.emit(format!(
                    "\"{}\" is not a whole number from 0 to {}; kept {seed}.",
                    crate::scenario::units::shorten(text.trim()),
                    u64::MAX
                )),
            }
            restore_input(&event, &seed.to_string());
        })
    };
    let on_new_seed = {
        let set = editor.set(|s, seed: u64| s.seed = seed);
        // Seeds below 2^32 stay short enough to read out in a meeting.
        Callback::from(move |_: MouseEvent| set.emit((js_sys::Math::random() * 4_294_967_296.0) as u64))
    };
    html! {
        <>
            <fieldset class="field">
                <legend>{ "Panels" }</legend>
                <CheckField id="show-polling" label="Polling" checked={shown.polling}
                    on_change={editor.set(|s, on| s.shown.polling = on)} />
                <CheckField id="show-webhook" label="Webhook" checked={shown.webhook}
                    on_change={editor.set(|s, on| s.shown.webhook = on)} />
                <CheckField id="show-hybrid" label="Webhook + reconciliation" checked={shown.hybrid}
                    on_change={editor.set(|s, on| s.shown.hybrid = on)} />
            </fieldset>
            <div class="field">
                <label for="seed">{ "Seed" }</label>
                <div class="field__input">
                    <input id="seed" type="text" inputmode="numeric" value={seed.to_string()} onchange={on_seed_text}
                        aria-describedby="seed-hint" />
                    <button type="button" class="button" onclick={on_new_seed}>{ "New seed" }</button>
                </div>
                <p class="field__hint" id="seed-hint">{ "The same seed gives the same run, for every reader." }</p>
            </div>
        </>
    }
}

/// Reads a comma-separated list of durations, such as "5s, 1min, 10min".
fn parse_delay_list(text: &str) -> Result<Vec<Millis>, String> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|part| {
            crate::scenario::units::parse_duration(part)
                .map_err(|error| format!("\"{}\" {error}", crate::scenario::units::shorten(part.trim())))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::limits;

    #[test]
    fn poll_steps_are_sorted_and_in_limits() {
        assert!(POLL_STEPS.windows(2).all(|w| w[0] < w[1]));
        let limit = limits::POLL_INTERVAL;
        assert!(POLL_STEPS.iter().all(|&s| s >= limit.min && s <= limit.max));
    }

    #[test]
    fn step_index_finds_nearest() {
        assert_eq!(POLL_STEPS[step_index(&POLL_STEPS, 2_000)], 2_000);
        assert_eq!(POLL_STEPS[step_index(&POLL_STEPS, 2_100)], 2_000);
        assert_eq!(step_index(&POLL_STEPS, 0), 0);
        assert_eq!(step_index(&POLL_STEPS, u64::MAX), POLL_STEPS.len() - 1);
        assert_eq!(PAYMENT_STEPS[step_index(&PAYMENT_STEPS, 7)], 8);
    }

    #[test]
    fn payment_steps_are_sorted_and_in_limits() {
        assert!(PAYMENT_STEPS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(PAYMENT_STEPS[0], limits::PAYMENTS.min);
        assert_eq!(*PAYMENT_STEPS.last().unwrap(), limits::PAYMENTS.max);
    }

    #[test]
    fn delay_list_reads_units() {
        assert_eq!(parse_delay_list("5s, 1min,10min"), Ok(vec![5_000, 60_000, 600_000]));
        assert_eq!(parse_delay_list(" "), Ok(vec![]));
        assert!(parse_delay_list("5s, soon").unwrap_err().contains("\"soon\""));
    }
}
