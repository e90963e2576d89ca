use yew::prelude::*;

use super::fields::{format_number, input_value, parse_decimal};
use crate::scenario::{Millis, Span};

#[derive(Properties, PartialEq)]
pub struct SpanFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// Unit the reader types in, such as "s".
    pub unit: AttrValue,
    /// Milliseconds per unit, such as 1000 for seconds.
    pub unit_ms: f64,
    /// Largest value the inputs offer, in the reader's unit.
    pub max: f64,
    pub step: f64,
    pub span: Span,
    pub on_change: Callback<Span>,
    /// Receives a sentence about a rejected value, without the field name.
    pub on_invalid: Callback<String>,
}

/// A duration that is fixed or drawn from a range, in the reader's unit.
#[function_component]
pub fn SpanField(props: &SpanFieldProps) -> Html {
    let span = props.span;
    let is_range = matches!(span, Span::Range { .. });

    let on_mode = {
        let on_change = props.on_change.clone();
        Callback::from(move |event: Event| {
            let next = match (input_value(&event).as_str(), span) {
                ("range", Span::Fixed { ms }) => Span::range(ms / 2, ms + ms / 2),
                ("fixed", Span::Range { .. }) => Span::fixed(span.mean().round() as Millis),
                _ => span,
            };
            on_change.emit(next);
        })
    };

    // Builds the handler of one input; `place` puts the typed value into the span.
    let handler = |place: fn(Span, Millis) -> Span, current: Millis| {
        let on_change = props.on_change.clone();
        let on_invalid = props.on_invalid.clone();
        let (unit, unit_ms) = (props.unit.clone(), props.unit_ms);
        Callback::from(move |text: String| match parse_decimal(&text) {
            Ok(value) if value >= 0.0 => {
                on_change.emit(place(span, (value * unit_ms).round() as Millis))
            }
            Ok(value) => on_invalid.emit(format!(
                "{} {unit} is negative; kept {} {unit}.",
                format_number(value),
                format_number(current as f64 / unit_ms)
            )),
            Err(reason) => on_invalid.emit(format!(
                "the value {reason}; kept {} {unit}.",
                format_number(current as f64 / unit_ms)
            )),
        })
    };

    let input = |suffix: &str, label: &str, value: Millis, on_commit: Callback<String>| {
        let id = format!("{}-{suffix}", props.id);
        let onchange = Callback::from(move |event: Event| on_commit.emit(input_value(&event)));
        html! {
            <div class="field__input">
                <label class="visually-hidden" for={id.clone()}>{ format!("{} {label}", props.label) }</label>
                <input
                    {id}
                    type="number"
                    inputmode="decimal"
                    min="0"
                    max={props.max.to_string()}
                    step={props.step.to_string()}
                    value={format_number(value as f64 / props.unit_ms)}
                    {onchange}
                />
                <span class="field__unit">{ props.unit.clone() }</span>
            </div>
        }
    };

    html! {
        <fieldset class="field field--span">
            <legend>{ props.label.clone() }</legend>
            <div class="segmented" role="radiogroup" aria-label={format!("{} kind", props.label)}>
                <label>
                    <input type="radio" name={props.id.clone()} value="fixed" checked={!is_range} onchange={on_mode.clone()} />
                    { "fixed" }
                </label>
                <label>
                    <input type="radio" name={props.id.clone()} value="range" checked={is_range} onchange={on_mode} />
                    { "range" }
                </label>
            </div>
            <div class="span-inputs">
                {
                    match span {
                        Span::Fixed { ms } => input("value", "", ms, handler(|_, ms| Span::fixed(ms), ms)),
                        Span::Range { min_ms, max_ms } => html! {
                            <>
                                { input("min", "minimum", min_ms, handler(|s, ms| Span::range(ms, s.max()), min_ms)) }
                                <span class="span-inputs__to">{ "to" }</span>
                                { input("max", "maximum", max_ms, handler(|s, ms| Span::range(s.min(), ms), max_ms)) }
                            </>
                        },
                    }
                }
            </div>
        </fieldset>
    }
}
