//! The last line of defence: a visible message instead of a frozen page.

/// Shows an error box over the page and logs the message to the console.
///
/// index.html contains an element with id `fatal-error` for this; if it is
/// missing, one is created. Nothing here may panic, because this runs inside
/// the panic hook.
pub fn show_fatal_error(detail: &str) {
    web_sys::console::error_1(&detail.into());
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let element = match document.get_element_by_id("fatal-error") {
        Some(element) => element,
        None => {
            let Ok(element) = document.create_element("div") else {
                return;
            };
            element.set_id("fatal-error");
            let _ = element.set_attribute("role", "alert");
            if let Some(body) = document.body() {
                let _ = body.append_child(&element);
            }
            element
        }
    };
    element.set_text_content(Some(&format!(
        "The playground stopped because of an internal error. Reload the page to start again; \
         your settings are saved. Details: {detail}"
    )));
    let _ = element.remove_attribute("hidden");
}

/// Installs a panic hook that shows the panic message on the page.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| show_fatal_error(&info.to_string())));
}
