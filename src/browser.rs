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

/// The element with the given id, as the type asked for.
pub fn element_by_id<T: JsCast>(id: &str) -> Option<T> {
    web_sys::window()?.document()?.get_element_by_id(id)?.dyn_into().ok()
}

/// The page's query string, without the leading "?".
pub fn current_query() -> String {
    web_sys::window()
        .and_then(|window| window.location().search().ok())
        .map(|search| search.trim_start_matches('?').to_string())
        .unwrap_or_default()
}

/// The page's address with the given query string.
pub fn address_with(query: &str) -> String {
    let Some(location) = web_sys::window().map(|window| window.location()) else {
        return String::new();
    };
    let base =
        format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default());
    if query.is_empty() {
        base
    } else {
        format!("{base}?{query}")
    }
}

/// Puts the query in the address bar: a new history entry with `push`,
/// otherwise a replacement of the current one.
pub fn set_query(query: &str, push: bool) {
    let Some(history) = web_sys::window().and_then(|window| window.history().ok()) else { return };
    let address = address_with(query);
    let _ = if push {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address))
    } else {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address))
    };
}

/// Whether the page runs inside a frame of another page.
pub fn in_frame() -> bool {
    web_sys::window().is_some_and(|window| match (window.parent(), window.self_()) {
        (Ok(Some(parent)), this) => !js_sys::Object::is(&parent, &this),
        _ => false,
    })
}

/// Sends a message to the page that embeds this one. The messages carry
/// nothing private, so any host origin may read them.
pub fn post_to_parent(json: &str) {
    let Some(window) = web_sys::window() else { return };
    let Ok(Some(parent)) = window.parent() else { return };
    if js_sys::Object::is(&parent, &window) {
        return;
    }
    if let Ok(value) = js_sys::JSON::parse(json) {
        let _ = parent.post_message(&value, "*");
    }
}

/// Returns the time since the page started, in milliseconds, from the
/// Performance API, or 0 where it is missing.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|window| window.performance()).map_or(0.0, |performance| performance.now())
}

/// Offers text as a file download. Returns a sentence when the browser
/// could not make the file.
pub fn download_text(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| format!("The browser could not make {file_name}."))?;
    if blob.size() < text.len() as f64 {
        return Err(format!("The browser could not hold all of {file_name}; nothing was downloaded."));
    }
    download_blob(file_name, &blob);
    Ok(())
}

fn download_blob(file_name: &str, blob: &web_sys::Blob) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else { return };
    download_url(file_name, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
}

fn download_url(file_name: &str, url: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    let Ok(anchor) = document.create_element("a") else { return };
    let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlAnchorElement>() else { return };
    anchor.set_href(url);
    anchor.set_download(file_name);
    anchor.click();
}

/// SVG presentation properties copied into each element before the stage
/// is drawn as an image, since an image does not see the page's stylesheet.
const INLINED_STYLES: [&str; 10] = [
    "fill",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "opacity",
    "font-size",
    "font-weight",
    "font-family",
    "text-anchor",
    "dominant-baseline",
];

/// Copies the computed style of every element of `original` onto the same
/// element of `copy`, which must be a deep clone of it.
fn inline_styles(window: &web_sys::Window, original: &web_sys::Element, copy: &web_sys::Element) {
    if let Ok(Some(computed)) = window.get_computed_style(original) {
        let style: String = INLINED_STYLES
            .iter()
            .filter_map(|name| {
                let value = computed.get_property_value(name).ok()?;
                (!value.is_empty()).then(|| format!("{name}:{value};"))
            })
            .collect();
        let _ = copy.set_attribute("style", &style);
    }
    let (originals, copies) = (original.children(), copy.children());
    for index in 0..originals.length().min(copies.length()) {
        if let (Some(original), Some(copy)) = (originals.item(index), copies.item(index)) {
            inline_styles(window, &original, &copy);
        }
    }
}

/// Returns the computed value of a CSS property of the page's body, or
/// `fallback` when the browser has none, so an exported image keeps the theme.
fn body_style(window: &web_sys::Window, document: &web_sys::Document, name: &str, fallback: &str) -> String {
    document
        .body()
        .and_then(|body| window.get_computed_style(&body).ok().flatten())
        .and_then(|style| style.get_property_value(name).ok())
        .filter(|value| !value.is_empty())
        .unwrap_or_else(|| fallback.to_string())
}

/// Returns the heading of the panel that contains `stage`, which names its strategy.
fn panel_title(stage: &web_sys::Element) -> String {
    stage
        .closest(".panel")
        .ok()
        .flatten()
        .and_then(|panel| panel.query_selector("h2").ok().flatten())
        .and_then(|heading| heading.text_content())
        .unwrap_or_default()
}

/// Draws the canvas stages of a big run side by side, each below the name of
/// its strategy, into a PNG and offers it as a download.
fn download_canvas_stages(
    window: &web_sys::Window,
    document: &web_sys::Document,
    file_name: &str,
) -> Result<(), String> {
    const GAP: f64 = 48.0;
    const TITLE_HEIGHT: f64 = 64.0;
    let stages = document.query_selector_all("canvas.stage").map_err(|_| "The stage could not be found.")?;
    let canvases: Vec<web_sys::HtmlCanvasElement> =
        (0..stages.length()).filter_map(|index| stages.item(index)?.dyn_into().ok()).collect();
    if canvases.is_empty() {
        return Err("There is no stage on the page to export.".to_string());
    }

    let width = canvases.iter().map(|canvas| f64::from(canvas.width()) + GAP).sum::<f64>() - GAP;
    let height = canvases.iter().map(|canvas| f64::from(canvas.height())).fold(0.0, f64::max) + TITLE_HEIGHT;
    let output: web_sys::HtmlCanvasElement =
        document.create_element("canvas").map_err(|_| "no canvas")?.dyn_into().map_err(|_| "no canvas")?;
    output.set_width(width as u32);
    output.set_height(height as u32);
    let context: web_sys::CanvasRenderingContext2d = output
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|context| context.dyn_into().ok())
        .ok_or("The browser could not draw the stage.")?;

    context.set_fill_style_str(&body_style(window, document, "background-color", "#ffffff"));
    context.fill_rect(0.0, 0.0, width, height);
    context.set_fill_style_str(&body_style(window, document, "color", "#000000"));
    context.set_font("700 36px system-ui, sans-serif");
    let mut x = 0.0;
    for canvas in &canvases {
        let _ = context.fill_text(&panel_title(canvas), x + 8.0, 44.0);
        let _ = context.draw_image_with_html_canvas_element(canvas, x, TITLE_HEIGHT);
        x += f64::from(canvas.width()) + GAP;
    }
    let url =
        output.to_data_url_with_type("image/png").map_err(|_| "The browser could not encode the PNG.")?;
    download_url(file_name, &url);
    Ok(())
}

/// Draws every stage on the page side by side into a PNG and offers it as
/// a download. Returns a sentence when the page has no stage to draw.
pub fn download_stage_png(file_name: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("The page has no window.")?;
    let document = window.document().ok_or("The page has no document.")?;
    let stages = document.query_selector_all("svg.stage").map_err(|_| "The stage could not be found.")?;
    if stages.length() == 0 {
        return download_canvas_stages(&window, &document, file_name);
    }

    // One SVG holding every stage in a row, each at its own viewBox size
    // below the name of its strategy.
    const GAP: f64 = 24.0;
    const TITLE_HEIGHT: f64 = 32.0;
    let text_color = body_style(&window, &document, "color", "#000000");
    let mut parts = String::new();
    let (mut width, mut height) = (0.0f64, 0.0f64);
    for index in 0..stages.length() {
        let Some(node) = stages.item(index) else { continue };
        let Ok(stage) = node.dyn_into::<web_sys::Element>() else { continue };
        let Ok(copy) = stage.clone_node_with_deep(true) else { continue };
        let Ok(copy) = copy.dyn_into::<web_sys::Element>() else { continue };
        inline_styles(&window, &stage, &copy);
        let view_box = stage.get_attribute("viewBox").unwrap_or_default();
        let numbers: Vec<f64> = view_box.split_whitespace().filter_map(|n| n.parse().ok()).collect();
        let (w, h) = match numbers.as_slice() {
            [_, _, w, h] => (*w, *h),
            _ => (560.0, 200.0),
        };
        let _ = copy.set_attribute("x", &width.to_string());
        let _ = copy.set_attribute("y", &TITLE_HEIGHT.to_string());
        let _ = copy.set_attribute("width", &w.to_string());
        let _ = copy.set_attribute("height", &h.to_string());
        // The panel's heading names the strategy above its stage.
        let title = panel_title(&stage);
        let escaped = title.replace('&', "&amp;").replace('<', "&lt;");
        parts.push_str(&format!(
            "<text x=\"{}\" y=\"22\" style=\"font:700 18px system-ui,sans-serif;fill:{text_color}\">{escaped}</text>",
            width + 4.0
        ));
        parts.push_str(&copy.outer_html());
        width += w + GAP;
        height = height.max(h + TITLE_HEIGHT);
    }
    width -= GAP;
    let background = body_style(&window, &document, "background-color", "#ffffff");
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\"><rect width=\"100%\" height=\"100%\" fill=\"{background}\"/>{parts}</svg>"
    );

    // Twice the SVG size, so the image stays sharp on a slide.
    const SCALE: f64 = 2.0;
    let canvas: web_sys::HtmlCanvasElement =
        document.create_element("canvas").map_err(|_| "no canvas")?.dyn_into().map_err(|_| "no canvas")?;
    canvas.set_width((width * SCALE) as u32);
    canvas.set_height((height * SCALE) as u32);
    let image = web_sys::HtmlImageElement::new().map_err(|_| "no image")?;
    let source =
        format!("data:image/svg+xml;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&svg)));
    let file_name = file_name.to_string();
    let drawn = image.clone();
    let on_load = wasm_bindgen::closure::Closure::once_into_js(move || {
        let Ok(Some(context)) = canvas.get_context("2d") else { return };
        let Ok(context) = context.dyn_into::<web_sys::CanvasRenderingContext2d>() else { return };
        let _ = context.scale(SCALE, SCALE);
        let _ = context.draw_image_with_html_image_element(&drawn, 0.0, 0.0);
        if let Ok(url) = canvas.to_data_url_with_type("image/png") {
            download_url(&file_name, &url);
        }
    });
    image.set_onload(Some(on_load.unchecked_ref()));
    image.set_src(&source);
    Ok(())
}
