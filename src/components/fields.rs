//! Labelled inputs shared by the control panel.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Reads the value of the input element that fired the event.
pub fn input_value(event: &Event) -> String {
    event.target_unchecked_into::<HtmlInputElement>().value()
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

/// Cuts text to at most 40 characters, so an overlong value cannot flood a notice.
pub fn shorten(text: &str) -> String {
    const LIMIT: usize = 40;
    if text.chars().count() <= LIMIT {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(LIMIT).collect::<String>())
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

#[derive(Properties, PartialEq)]
pub struct NumberFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// Unit shown after the input, such as "s" or "ms".
    pub unit: AttrValue,
    pub value: f64,
    pub min: f64,
    pub max: f64,
    pub step: f64,
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
    let onchange = Callback::from(move |event: Event| on_commit.emit(input_value(&event)));
    let hint_id = format!("{}-hint", props.id);
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <div class="field__input">
                { props.children.clone() }
                <input
                    id={props.id.clone()}
                    type="number"
                    inputmode="decimal"
                    value={format_number(props.value)}
                    min={props.min.to_string()}
                    max={props.max.to_string()}
                    step={props.step.to_string()}
                    aria-describedby={props.hint.as_ref().map(|_| hint_id.clone())}
                    {onchange}
                />
                <span class="field__unit">{ props.unit.clone() }</span>
            </div>
            if let Some(hint) = &props.hint {
                <p class="field__hint" id={hint_id}>{ hint.clone() }</p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_decimal_names_bad_text() {
        assert_eq!(parse_decimal(" 2.5 "), Ok(2.5));
        assert_eq!(parse_decimal(""), Err("is empty".to_string()));
        assert_eq!(
            parse_decimal("abc"),
            Err("\"abc\" is not a number".to_string())
        );
        assert_eq!(
            parse_decimal("inf"),
            Err("\"inf\" is not a number".to_string())
        );
        let long = "9".repeat(100) + "x";
        assert!(parse_decimal(&long).unwrap_err().chars().count() < 60);
    }

    #[test]
    fn format_number_drops_zero_fraction() {
        assert_eq!(format_number(2.0), "2");
        assert_eq!(format_number(0.1), "0.1");
        assert_eq!(format_number(1.23456), "1.235");
    }
}
