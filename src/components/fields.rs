//! Labelled inputs shared by the control panel. Each one reports the
//! reader's value through a callback, or a sentence naming what was wrong
//! with it and the value kept.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::scenario::units::{format_duration_exact, parse_duration, shorten, DurationError};
use crate::scenario::{Millis, Span};

/// Reads the value of the input element that fired the event.
pub fn input_value(event: &Event) -> String {
    event.target_unchecked_into::<HtmlInputElement>().value()
}

/// Puts the shown value back into the input that fired the event. A
/// rejected value leaves the scenario, and so the props, unchanged, and
/// Yew only writes an input's value when its props change; without this
/// the rejected text would stay on screen. An accepted value is then
/// written over it when the new props arrive.
pub fn restore_input(event: &Event, shown: &str) {
    event.target_unchecked_into::<HtmlInputElement>().set_value(shown);
}

/// Reads the checked state of the checkbox that fired the event.
pub fn input_checked(event: &Event) -> bool {
    event.target_unchecked_into::<HtmlInputElement>().checked()
}

/// Parses a decimal number typed by the reader; the error names the text.
pub fn parse_decimal(text: &str) -> Result<f64, String> {
    let trimmed = text.trim();
    match trimmed.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ if trimmed.is_empty() => Err("is empty".to_string()),
        _ => Err(format!("\"{}\" is not a number", shorten(trimmed))),
    }
}

/// Formats a number for an input field without a trailing ".0".
pub fn format_number(value: f64) -> String {
    let rounded = (value * 1000.0).round() / 1000.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    }
}

/// Checks a duration typed by the reader: the value in milliseconds, or a
/// sentence naming the text and the value kept.
pub fn read_duration(text: &str, current: Millis) -> Result<Millis, String> {
    let kept = format_duration_exact(current);
    parse_duration(text).map_err(|error| match error {
        DurationError::Empty => format!("the value is empty; kept {kept}."),
        error => format!("\"{}\" {error}; kept {kept}.", shorten(text.trim())),
    })
}

/// Help text shown under an input and linked to it for screen readers.
fn hint_html(id: &str, hint: &Option<AttrValue>) -> Html {
    match hint {
        Some(hint) => html! { <p class="field__hint" id={format!("{id}-hint")}>{ hint.clone() }</p> },
        None => html! {},
    }
}

fn hint_id(id: &str, hint: &Option<AttrValue>) -> Option<String> {
    hint.as_ref().map(|_| format!("{id}-hint"))
}

#[derive(Properties, PartialEq)]
pub struct NumberFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// Unit shown after the input, such as "%" or "per s".
    #[prop_or_default]
    pub unit: AttrValue,
    pub value: f64,
    /// Receives the raw text when the reader commits a value.
    pub on_commit: Callback<String>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Shown before the input on the same row, such as a slider for the same value.
    #[prop_or_default]
    pub children: Html,
}

/// A number input with its label and unit.
#[function_component]
pub fn NumberField(props: &NumberFieldProps) -> Html {
    let on_commit = props.on_commit.clone();
    let shown = format_number(props.value);
    let onchange = Callback::from(move |event: Event| {
        on_commit.emit(input_value(&event));
        restore_input(&event, &shown);
    });
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <div class="field__input">
                { props.children.clone() }
                // A text input, not type="number": browsers hand a number
                // input's unparsable text to scripts as "", which would hide
                // what the reader typed from the notice.
                <input
                    id={props.id.clone()}
                    class="input--number"
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    value={format_number(props.value)}
                    aria-describedby={hint_id(&props.id, &props.hint)}
                    {onchange}
                />
                if !props.unit.is_empty() {
                    <span class="field__unit">{ props.unit.clone() }</span>
                }
            </div>
            { hint_html(&props.id, &props.hint) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct DurationFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// Current value, in milliseconds.
    pub value: Millis,
    pub on_change: Callback<Millis>,
    /// Receives a sentence about rejected text, without the field name.
    pub on_invalid: Callback<String>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Shown before the input on the same row, such as a slider.
    #[prop_or_default]
    pub children: Html,
}

/// A duration typed with its unit: "250ms", "2s", "1.5min", "2h", "3d".
#[function_component]
pub fn DurationField(props: &DurationFieldProps) -> Html {
    let onchange = {
        let (value, on_change, on_invalid) = (props.value, props.on_change.clone(), props.on_invalid.clone());
        Callback::from(move |event: Event| {
            match read_duration(&input_value(&event), value) {
                Ok(ms) => on_change.emit(ms),
                Err(sentence) => on_invalid.emit(sentence),
            }
            restore_input(&event, &format_duration_exact(value));
        })
    };
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <div class="field__input">
                { props.children.clone() }
                <input
                    id={props.id.clone()}
                    class="input--duration"
                    type="text"
                    spellcheck="false"
                    autocomplete="off"
                    value={format_duration_exact(props.value)}
                    aria-describedby={hint_id(&props.id, &props.hint)}
                    {onchange}
                />
            </div>
            { hint_html(&props.id, &props.hint) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub checked: bool,
    pub on_change: Callback<bool>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
}

#[function_component]
pub fn CheckField(props: &CheckFieldProps) -> Html {
    let on_change = props.on_change.clone();
    let onchange = Callback::from(move |event: Event| on_change.emit(input_checked(&event)));
    html! {
        <div class="field field--check">
            <label for={props.id.clone()}>
                <input id={props.id.clone()} type="checkbox" checked={props.checked}
                       aria-describedby={hint_id(&props.id, &props.hint)} {onchange} />
                { " " }{ props.label.clone() }
            </label>
            { hint_html(&props.id, &props.hint) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SelectFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// (value, label) pairs.
    pub options: Vec<(AttrValue, AttrValue)>,
    pub selected: AttrValue,
    pub on_change: Callback<String>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
}

#[function_component]
pub fn SelectField(props: &SelectFieldProps) -> Html {
    let on_change = props.on_change.clone();
    let onchange = Callback::from(move |event: Event| {
        on_change.emit(event.target_unchecked_into::<web_sys::HtmlSelectElement>().value())
    });
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <select id={props.id.clone()} aria-describedby={hint_id(&props.id, &props.hint)} {onchange}>
                { for props.options.iter().map(|(value, label)| html! {
                    <option value={value.clone()} selected={*value == props.selected}>{ label.clone() }</option>
                }) }
            </select>
            { hint_html(&props.id, &props.hint) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SpanFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub span: Span,
    pub on_change: Callback<Span>,
    /// Receives a sentence about rejected text, without the field name.
    pub on_invalid: Callback<String>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
}

/// A duration that is fixed or drawn from a range.
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

    // One text input; `place` puts its value into the span.
    let input = |suffix: &str, label: &str, value: Millis, place: fn(Span, Millis) -> Span| {
        let id = format!("{}-{suffix}", props.id);
        let (on_change, on_invalid) = (props.on_change.clone(), props.on_invalid.clone());
        let onchange = Callback::from(move |event: Event| {
            match read_duration(&input_value(&event), value) {
                Ok(ms) => on_change.emit(place(span, ms)),
                Err(sentence) => on_invalid.emit(sentence),
            }
            restore_input(&event, &format_duration_exact(value));
        });
        html! {
            <>
                <label class="visually-hidden" for={id.clone()}>{ format!("{} {label}", props.label) }</label>
                <input {id} class="input--duration" type="text" spellcheck="false" autocomplete="off"
                       value={format_duration_exact(value)} {onchange} />
            </>
        }
    };

    html! {
        <fieldset class="field field--span" aria-describedby={hint_id(&props.id, &props.hint)}>
            <legend>{ props.label.clone() }</legend>
            <div class="segmented">
                <label>
                    <input type="radio" name={props.id.clone()} value="fixed" checked={!is_range} onchange={on_mode.clone()} />
                    { " fixed" }
                </label>
                <label>
                    <input type="radio" name={props.id.clone()} value="range" checked={is_range} onchange={on_mode} />
                    { " range" }
                </label>
            </div>
            <div class="span-inputs">
                {
                    match span {
                        Span::Fixed { ms } => input("value", "value", ms, |_, ms| Span::fixed(ms)),
                        Span::Range { min_ms, max_ms } => html! {
                            <>
                                { input("min", "minimum", min_ms, |s, ms| Span::range(ms, s.max())) }
                                <span class="span-inputs__to">{ "to" }</span>
                                { input("max", "maximum", max_ms, |s, ms| Span::range(s.min(), ms)) }
                            </>
                        },
                    }
                }
            </div>
            { hint_html(&props.id, &props.hint) }
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_decimal_names_bad_text() {
        assert_eq!(parse_decimal(" 2.5 "), Ok(2.5));
        assert_eq!(parse_decimal(""), Err("is empty".to_string()));
        assert_eq!(parse_decimal("abc"), Err("\"abc\" is not a number".to_string()));
        assert_eq!(parse_decimal("inf"), Err("\"inf\" is not a number".to_string()));
        let long = "9".repeat(100) + "x";
        assert!(parse_decimal(&long).unwrap_err().chars().count() < 60);
    }

    #[test]
    fn read_duration_names_text_and_kept_value() {
        assert_eq!(read_duration("3 s", 2_000), Ok(3_000));
        let sentence = "\"abc\" is not a duration such as 250ms, 2s, 5min, 2h or 3d; kept 2s.";
        assert_eq!(read_duration("abc", 2_000), Err(sentence.to_string()));
        assert_eq!(read_duration(" ", 2_000), Err("the value is empty; kept 2s.".to_string()));
    }

    #[test]
    fn format_number_drops_zero_fraction() {
        assert_eq!(format_number(2.0), "2");
        assert_eq!(format_number(0.1), "0.1");
        assert_eq!(format_number(1.23456), "1.235");
    }
}
