use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::state::{Action, Dialog, Theme};

/// What a key press asks for; `None` for keys the page leaves alone.
/// The list shown to readers is `components::dialogs::SHORTCUTS`.
pub fn shortcut(key: &str, dark: bool) -> Option<Action> {
    let action = match key {
        " " | "k" | "K" => Action::TogglePlay,
        "ArrowRight" | "s" | "S" => Action::Step,
        "Home" | "r" | "R" => Action::Restart,
        "End" | "e" | "E" => Action::SkipToEnd,
        "PageDown" | "n" | "N" => Action::NextInSequence,
        "PageUp" | "p" | "P" => Action::PreviousInSequence,
        "ArrowLeft" => Action::StepBack,
        "g" | "G" => Action::OpenTour(0),
        "f" | "F" => Action::TogglePresent,
        "t" | "T" => Action::SetTheme(if dark { Theme::Light } else { Theme::Dark }),
        "l" | "L" => Action::OpenDialog(Dialog::Share),
        "x" | "X" => Action::OpenDialog(Dialog::Export),
        "?" => Action::OpenDialog(Dialog::Shortcuts),
        "Escape" => Action::CloseDialog,
        _ => return None,
    };
    Some(action)
}

/// Whether the key press belongs to a text field or a control that uses keys itself.
fn typed_into_field(event: &web_sys::KeyboardEvent) -> bool {
    let Some(element) = event.target().and_then(|target| target.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    let tag = element.tag_name().to_ascii_lowercase();
    let input_type = element.get_attribute("type").unwrap_or_default();
    matches!(tag.as_str(), "textarea" | "select")
        || (tag == "input" && input_type != "checkbox" && input_type != "radio")
        || element.closest("[role=dialog]").ok().flatten().is_some() && event.key() != "Escape"
}

/// Sends the action of each shortcut key pressed anywhere on the page.
/// `dark` tells which theme the T key switches to.
#[hook]
pub fn use_shortcuts(on_action: Callback<Action>, dark: bool) {
    use_effect_with(dark, move |&dark| {
        let listener =
            Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |event: web_sys::KeyboardEvent| {
                if event.ctrl_key() || event.meta_key() || event.alt_key() || typed_into_field(&event) {
                    return;
                }
                // A focused button handles Space and Enter itself.
                let on_button = event
                    .target()
                    .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|element| element.tag_name().eq_ignore_ascii_case("button"));
                if on_button && event.key() == " " {
                    return;
                }
                if let Some(action) = shortcut(&event.key(), dark) {
                    event.prevent_default();
                    on_action.emit(action);
                }
            });
        let document = web_sys::window().and_then(|window| window.document());
        if let Some(document) = &document {
            let _ = document.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(document) = document {
                let _ = document
                    .remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
        }
    });
}
