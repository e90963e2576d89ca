//! Small reads and writes of browser state that the components share. Each
//! falls back quietly where the browser lacks the feature.

use wasm_bindgen::JsCast;

use crate::state::Theme;

fn document_element() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

fn media_matches(query: &str) -> bool {
    web_sys::window()
        .and_then(|window| window.match_media(query).ok().flatten())
        .is_some_and(|list| list.matches())
}

/// Whether the reader asked the system to reduce motion.
pub fn prefers_reduced_motion() -> bool {
    media_matches("(prefers-reduced-motion: reduce)")
}

/// Whether the page shows its dark palette for the chosen theme.
pub fn is_dark(theme: Theme) -> bool {
    match theme {
        Theme::Dark => true,
        Theme::Light => false,
        Theme::System => media_matches("(prefers-color-scheme: dark)"),
    }
}

/// Sets `data-theme` on `<html>`; the stylesheet picks the palette from it.
pub fn set_theme(theme: Theme) {
    let Some(root) = document_element() else { return };
    let _ = match theme {
        Theme::System => root.remove_attribute("data-theme"),
        Theme::Light => root.set_attribute("data-theme", "light"),
        Theme::Dark => root.set_attribute("data-theme", "dark"),
    };
}

/// Enters or leaves full screen; the browser may refuse, which is fine.
pub fn set_fullscreen(on: bool) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    if on {
        if let Some(root) = document.document_element() {
            let _ = root.request_fullscreen();
        }
    } else if document.fullscreen_element().is_some() {
        document.exit_fullscreen();
    }
}

/// The page's own address and the address of its embedded view.
pub fn links() -> (String, String) {
    let Some(location) = web_sys::window().map(|window| window.location()) else {
        return (String::new(), String::new());
    };
    let base =
        format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default());
    let query = location.search().unwrap_or_default();
    let link = format!("{base}{query}");
    let separator = if query.is_empty() { "?" } else { "&" };
    (link.clone(), format!("{link}{separator}embed=1"))
}

/// The element with the given id, as the type asked for.
pub fn element_by_id<T: JsCast>(id: &str) -> Option<T> {
    web_sys::window()?.document()?.get_element_by_id(id)?.dyn_into().ok()
}
