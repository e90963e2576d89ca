//! Dialogs over the page: sharing a link or an embed snippet, and the list
//! of keyboard shortcuts.

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::browser;
use crate::export;
use crate::scenario::units::group_thousands;
use crate::sim::Strategy;
use crate::state::{Action, Dialog, RunHandle};

/// Keyboard shortcuts, as (keys, what they do). The keyboard hook in
/// `hooks::use_shortcuts` follows this list.
pub const SHORTCUTS: [(&str, &str); 13] = [
    ("Space or K", "Play or pause"),
    ("Right arrow or S", "Step to the next event"),
    ("Left arrow", "Step back to the previous event"),
    ("Home or R", "Back to the start"),
    ("End or E", "Skip to the end"),
    ("N or Page Down", "Next tour step, or next event"),
    ("P or Page Up", "Previous tour step, or previous event"),
    ("G", "Start the guided tour"),
    ("F", "Presentation mode on or off"),
    ("T", "Switch between light and dark theme"),
    ("L", "Share a link"),
    ("X", "Export the run"),
    ("? or Escape", "Show this list, or close a dialog"),
];

#[derive(Properties, PartialEq)]
struct ModalProps {
    id: AttrValue,
    title: AttrValue,
    on_close: Callback<()>,
    children: Html,
}

/// A modal dialog that takes focus when it opens, keeps Tab inside
/// itself, closes on Escape or on its Close button, and gives focus back to
/// what had it before.
#[function_component]
fn Modal(props: &ModalProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            let opener = web_sys::window()
                .and_then(|window| window.document())
                .and_then(|document| document.active_element())
                .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(element) = node.cast::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
            move || {
                if let Some(opener) = opener {
                    let _ = opener.focus();
                }
            }
        });
    }
    let on_close = props.on_close.clone();
    let trap = node.clone();
    let onkeydown = Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
        "Escape" => {
            event.prevent_default();
            on_close.emit(());
        }
        "Tab" => keep_focus_inside(&trap, &event),
        _ => {}
    });
    let title_id = format!("{}-title", props.id);
    html! {
        <div class="modal" onclick={props.on_close.reform(|_: MouseEvent| ())}>
            <div class="modal__box" role="dialog" aria-modal="true" aria-labelledby={title_id.clone()}
                 id={props.id.clone()} tabindex="-1" ref={node} {onkeydown}
                 onclick={Callback::from(|event: MouseEvent| event.stop_propagation())}>
                <div class="modal__head">
                    <h2 id={title_id}>{ props.title.clone() }</h2>
                    <button type="button" class="button button--small" onclick={props.on_close.reform(|_: MouseEvent| ())}>
                        { "Close" }
                    </button>
                </div>
                { props.children.clone() }
            </div>
        </div>
    }
}

/// Moves focus from the last focusable element to the first, or with Shift
/// from the first to the last, so that Tab cycles within the dialog.
fn keep_focus_inside(dialog: &NodeRef, event: &KeyboardEvent) {
    let Some(dialog) = dialog.cast::<web_sys::Element>() else { return };
    let Ok(list) =
        dialog.query_selector_all("button, input, select, textarea, [href], [tabindex]:not([tabindex='-1'])")
    else {
        return;
    };
    let focusable: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|index| list.item(index))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else { return };
    let active =
        web_sys::window().and_then(|window| window.document()).and_then(|document| document.active_element());
    let at =
        |element: &web_sys::HtmlElement| active.as_ref().is_some_and(|active| active == element.as_ref());
    if event.shift_key() && (at(first) || active.as_ref().is_some_and(|a| a == dialog.as_ref())) {
        event.prevent_default();
        let _ = last.focus();
    } else if !event.shift_key() && at(last) {
        event.prevent_default();
        let _ = first.focus();
    }
}

/// Copies text to the clipboard and reports the outcome in words.
fn copy_text(text: String, on_result: Callback<String>) {
    let Some(clipboard) = web_sys::window().map(|window| window.navigator().clipboard()) else {
        on_result.emit("Copying is not available here; select the text and copy it.".to_string());
        return;
    };
    let done = on_result.clone();
    let ok = Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(move |_| done.emit("Copied.".to_string()));
    let failed = Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(move |_| {
        on_result.emit("The browser refused to copy; select the text and copy it.".to_string())
    });
    let _ = clipboard.write_text(&text).then2(&ok, &failed);
    // The promise calls one of them later, so both must outlive this
    // function; a copy is a rare click, so each leaks two small closures.
    ok.forget();
    failed.forget();
}

/// The iframe snippet for a link to the embedded view.
pub fn iframe_snippet(embed_url: &str) -> String {
    format!(
        "<iframe src=\"{}\" width=\"768\" height=\"464\" style=\"border:0;max-width:100%\" \
         title=\"Polling vs webhooks playground\" loading=\"lazy\"></iframe>",
        embed_url.replace('&', "&amp;").replace('"', "&quot;")
    )
}

#[derive(Properties, PartialEq)]
pub struct ShareDialogProps {
    /// Link to the page with the current scenario.
    pub link: AttrValue,
    /// Link to the embedded view of the current scenario.
    pub embed_link: AttrValue,
    pub on_action: Callback<Action>,
}

#[function_component]
pub fn ShareDialog(props: &ShareDialogProps) -> Html {
    let status = use_state(String::new);
    let snippet = iframe_snippet(&props.embed_link);
    let copy = |text: String| {
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let status = status.clone();
            copy_text(text.clone(), Callback::from(move |outcome| status.set(outcome)));
        })
    };
    let select_all = Callback::from(|event: FocusEvent| {
        if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
            input.select();
        } else if let Some(area) = event.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
            area.select();
        }
    });
    html! {
        <Modal id="share-dialog" title="Share this scenario" on_close={props.on_action.reform(|()| Action::CloseDialog)}>
            <p>{ "The link opens this exact run, paused at the current moment." }</p>
            <label for="share-link">{ "Link" }</label>
            <div class="share__row">
                <input id="share-link" type="text" readonly=true value={props.link.clone()} onfocus={select_all.clone()}
                       data-testid="share-link" />
                <button type="button" class="button" onclick={copy(props.link.to_string())}>{ "Copy link" }</button>
            </div>
            <label for="share-embed">{ "Embed in a course page" }</label>
            <div class="share__row">
                <textarea id="share-embed" readonly=true rows="3" value={snippet.clone()} onfocus={select_all}
                          data-testid="share-embed" />
                <button type="button" class="button" onclick={copy(snippet)}>{ "Copy snippet" }</button>
            </div>
            <p class="share__status" role="status" aria-live="polite">{ (*status).clone() }</p>
        </Modal>
    }
}

#[derive(Properties, PartialEq)]
pub struct ShortcutsDialogProps {
    pub on_action: Callback<Action>,
}

#[function_component]
pub fn ShortcutsDialog(props: &ShortcutsDialogProps) -> Html {
    html! {
        <Modal id="shortcuts-dialog" title="Keyboard shortcuts" on_close={props.on_action.reform(|()| Action::CloseDialog)}>
            <table class="shortcuts">
                <thead><tr><th scope="col">{ "Keys" }</th><th scope="col">{ "Action" }</th></tr></thead>
                <tbody>
                    { for SHORTCUTS.iter().map(|(keys, action)| html! {
                        <tr><td><kbd>{ *keys }</kbd></td><td>{ *action }</td></tr>
                    }) }
                </tbody>
            </table>
            <p class="field__hint">{ "Shortcuts are off while a text field has focus." }</p>
        </Modal>
    }
}

#[derive(Properties, PartialEq)]
pub struct ExportDialogProps {
    pub run: RunHandle,
    /// Link parameters of the scenario, stored in the JSON export.
    pub params: AttrValue,
    pub on_action: Callback<Action>,
}

/// Downloads of the run: a Mermaid diagram, the trace as CSV, the whole run
/// as JSON, and the stage as a PNG image.
#[function_component]
pub fn ExportDialog(props: &ExportDialogProps) -> Html {
    let strategies: Vec<Strategy> = props.run.lanes.iter().map(|lane| lane.strategy).collect();
    let chosen = use_state(|| strategies.first().copied().unwrap_or(Strategy::Polling));
    let status = use_state(String::new);
    let strategy = if strategies.contains(&chosen) { *chosen } else { strategies[0] };
    let diagram = use_memo((props.run.clone(), strategy), |(run, strategy)| {
        export::mermaid(run, *strategy, MERMAID_PAYMENTS)
    });

    let on_choose = {
        let chosen = chosen.clone();
        Callback::from(move |event: Event| {
            let key = event.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            if let Some(strategy) = Strategy::from_key(&key) {
                chosen.set(strategy);
            }
        })
    };
    let key = strategy.key();
    // The text of each file is built only when its button is pressed,
    // because for a big run it takes seconds and tens of megabytes.
    let download = |file: String, mime: &'static str, messages: usize, text: Rc<dyn Fn() -> String>| {
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            if messages > EXPORT_MESSAGE_LIMIT {
                status.set(format!(
                    "{file} would hold {} messages, more than the {} an export may hold. \
                     Fewer payments or a longer poll interval make the run smaller.",
                    group_thousands(messages as u64),
                    group_thousands(EXPORT_MESSAGE_LIMIT as u64)
                ));
                return;
            }
            match browser::download_text(&file, mime, &text()) {
                Ok(()) => status.set(format!("Downloaded {file}.")),
                Err(reason) => status.set(reason),
            }
        })
    };
    let lane_messages = props.run.lane(strategy).map_or(0, |lane| lane.trace.messages.len());
    let run_messages: usize = props.run.lanes.iter().map(|lane| lane.trace.messages.len()).sum();
    let on_mermaid = {
        let text = (*diagram).clone();
        download(format!("pollhook-{key}.mmd"), "text/plain", 0, Rc::new(move || text.clone()))
    };
    let on_csv = {
        let run = props.run.clone();
        download(
            format!("pollhook-{key}-trace.csv"),
            "text/csv",
            lane_messages,
            Rc::new(move || export::trace_csv(&run, strategy)),
        )
    };
    let on_json = {
        let (run, params) = (props.run.clone(), props.params.clone());
        download(
            "pollhook-run.json".to_string(),
            "application/json",
            run_messages,
            Rc::new(move || export::run_json(&run, &params)),
        )
    };
    let on_png = {
        let status = status.clone();
        Callback::from(move |_: MouseEvent| match browser::download_stage_png("pollhook-stage.png") {
            Ok(()) => status.set("Downloaded pollhook-stage.png.".to_string()),
            Err(reason) => status.set(reason),
        })
    };
    let on_copy = {
        let (status, text) = (status.clone(), (*diagram).clone());
        Callback::from(move |_: MouseEvent| {
            let status = status.clone();
            copy_text(text.clone(), Callback::from(move |outcome| status.set(outcome)));
        })
    };

    html! {
        <Modal id="export-dialog" title="Export this run" on_close={props.on_action.reform(|()| Action::CloseDialog)}>
            <label for="export-strategy">{ "Strategy" }</label>
            <select id="export-strategy" onchange={on_choose}>
                { for strategies.iter().map(|s| html! {
                    <option value={s.key()} selected={*s == strategy}>{ s.label() }</option>
                }) }
            </select>
            <label for="export-mermaid">{ "Mermaid sequence diagram, for a design document" }</label>
            <textarea id="export-mermaid" class="export__diagram" readonly=true rows="8" value={(*diagram).clone()}
                      data-testid="export-mermaid" />
            <div class="export__buttons">
                <button type="button" class="button" onclick={on_copy}>{ "Copy diagram" }</button>
                <button type="button" class="button" data-testid="export-mmd" onclick={on_mermaid}>{ "Download .mmd" }</button>
                <button type="button" class="button" data-testid="export-csv" onclick={on_csv}>{ "Trace as CSV" }</button>
                <button type="button" class="button" data-testid="export-json" onclick={on_json}>{ "Run as JSON" }</button>
                <button type="button" class="button" data-testid="export-png" onclick={on_png}>{ "Stage as PNG" }</button>
            </div>
            <p class="share__status" role="status" aria-live="polite">{ (*status).clone() }</p>
        </Modal>
    }
}

/// Maximum number of messages in a CSV or JSON export, about 25 MB of CSV.
/// Bigger files take seconds to build and can exceed what a browser string holds.
const EXPORT_MESSAGE_LIMIT: usize = 250_000;

/// The diagram shows the messages of this many payments at most; more would
/// not fit on a page.
const MERMAID_PAYMENTS: usize = 5;

/// What the dialogs show, taken from the state.
pub struct DialogContext<'a> {
    pub link: &'a str,
    pub embed_link: &'a str,
    pub run: &'a RunHandle,
    pub params: &'a str,
}

/// Which dialog to render, if any.
pub fn dialog(dialog: Option<Dialog>, context: DialogContext<'_>, on_action: &Callback<Action>) -> Html {
    match dialog {
        Some(Dialog::Share) => html! {
            <ShareDialog link={context.link.to_string()} embed_link={context.embed_link.to_string()}
                         on_action={on_action.clone()} />
        },
        Some(Dialog::Shortcuts) => html! { <ShortcutsDialog on_action={on_action.clone()} /> },
        Some(Dialog::Export) => html! {
            <ExportDialog run={context.run.clone()} params={context.params.to_string()} on_action={on_action.clone()} />
        },
        None => html! {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_escapes_the_link() {
        let snippet = iframe_snippet("https://example.test/?embed=1&poll=2s\"x");
        assert!(snippet.contains("src=\"https://example.test/?embed=1&amp;poll=2s&quot;x\""));
        assert!(snippet.starts_with("<iframe ") && snippet.ends_with("</iframe>"));
    }
}
