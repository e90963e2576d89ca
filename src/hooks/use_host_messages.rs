use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::embed_api::{parse_command, Command};
use crate::state::Action;

/// Turns messages from the page that embeds this one into actions. A
/// message that is not a command is counted and otherwise ignored.
#[hook]
pub fn use_host_messages(on_action: Callback<Action>, on_get_state: Callback<()>) {
    use_effect_with((), move |_| {
        let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let json = js_sys::JSON::stringify(&event.data()).ok().and_then(|text| text.as_string());
            match json.as_deref().map(parse_command) {
                Some(Ok(Command::Play)) => on_action.emit(Action::Play),
                Some(Ok(Command::Pause)) => on_action.emit(Action::Pause),
                Some(Ok(Command::Seek(ms))) => {
                    on_action.emit(Action::Pause);
                    on_action.emit(Action::Seek(ms as f64));
                }
                Some(Ok(Command::Set(params))) => on_action.emit(Action::SetParams(params)),
                Some(Ok(Command::GetState)) => on_get_state.emit(()),
                Some(Err(_)) | None => on_action.emit(Action::IgnoreMessage),
            }
        });
        let window = web_sys::window();
        if let Some(window) = &window {
            let _ = window.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(window) = window {
                let _ =
                    window.remove_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
            }
        }
    });
}
