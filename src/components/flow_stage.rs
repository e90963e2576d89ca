//! The stage for runs with more payments than rows can show: each side's
//! payments as a stacked bar by status (the queues), and every message in
//! flight as a dot travelling between them (the flows). It draws on a
//! canvas, because thousands of SVG elements per frame would be too slow.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

use super::describe::token_kind;
use crate::sim::{Actor, StatusCounts, Trace};
use crate::state::RunHandle;

/// Logical size of the drawing, scaled to the canvas's width on screen.
const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 300.0;
const LANE_WIDTH: f64 = 140.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = HEIGHT - 30.0;
/// Requests travel in the upper band, answers and webhooks in the lower one.
const REQUEST_BAND: (f64, f64) = (TOP + 10.0, 145.0);
const ANSWER_BAND: (f64, f64) = (165.0, BOTTOM - 10.0);
const DOT: f64 = 3.0;

/// Status segments of a queue bar, bottom to top, with their CSS colour variable and label.
fn segments(counts: &StatusCounts) -> [(u32, &'static str, &'static str); 5] {
    [
        (counts.succeeded, "--c-succeeded", "succeeded"),
        (counts.failed, "--c-failed", "failed"),
        (counts.processing, "--c-processing", "processing"),
        (counts.pending, "--c-pending", "pending"),
        (counts.none, "--c-none", "not yet"),
    ]
}

/// The CSS colour variable of a token kind from `describe::token_label`.
fn kind_color(kind: &str) -> &'static str {
    match kind {
        "request" => "--c-request",
        "pending" => "--c-pending",
        "processing" => "--c-processing",
        "succeeded" => "--c-succeeded",
        "failed" => "--c-failed",
        "webhook" => "--c-webhook",
        "ack" => "--c-ack",
        "limited" => "--c-limited",
        "replay" => "--c-replay",
        _ => "--c-error",
    }
}

/// A message's place on the canvas: x, y, and whether the network lost it.
type Dot = (f64, f64, bool);

/// A fixed pseudo-random height within a band, so a message keeps its
/// place in the flow from frame to frame.
fn lane_offset(index: usize, band: (f64, f64)) -> f64 {
    let hash = (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
    band.0 + (hash % 10_000) as f64 / 10_000.0 * (band.1 - band.0)
}

#[derive(Properties, PartialEq)]
pub struct FlowStageProps {
    pub run: RunHandle,
    pub lane: usize,
    /// Virtual time to draw, in milliseconds.
    pub now: f64,
    /// Payments per status at ABC Payment and at the gateway.
    pub counts: (StatusCounts, StatusCounts),
    pub endpoint_down: bool,
    pub endpoint_disabled: bool,
}

#[function_component]
pub fn FlowStage(props: &FlowStageProps) -> Html {
    let canvas = use_node_ref();
    let trace = &props.run.lanes[props.lane].trace;
    let (dots, in_flight) = collect_dots(trace, props.now);
    let (provider, gateway) = props.counts;
    let total = props.run.payments.len();
    let summary = format!(
        "{} of {total} payments final at ABC Payment; the gateway knows {} of them; {in_flight} messages in flight.",
        provider.succeeded + provider.failed,
        gateway.succeeded + gateway.failed,
    );

    // The canvas keeps its pixels when the theme or its size changes, so
    // those changes redraw it even while the playback is paused.
    let redraw = use_force_update();
    {
        let canvas = canvas.clone();
        use_effect_with((), move |_| {
            let watch = canvas.cast::<HtmlCanvasElement>().and_then(|canvas| LookWatch::new(&canvas, redraw));
            move || drop(watch)
        });
    }
    {
        let canvas = canvas.clone();
        let counts = props.counts;
        let trouble = (props.endpoint_down, props.endpoint_disabled);
        use_effect(move || {
            if let Some(canvas) = canvas.cast::<HtmlCanvasElement>() {
                draw(&canvas, &dots, in_flight, counts, trouble);
            }
        });
    }

    html! {
        <canvas ref={canvas} class="stage stage--flows" role="img" aria-label={summary}
                data-in-flight={in_flight.to_string()} />
    }
}

/// Observers that call back when the page's theme or the canvas's size
/// changes; they stop when this is dropped.
struct LookWatch {
    theme: web_sys::MutationObserver,
    size: web_sys::ResizeObserver,
    scheme: Option<web_sys::MediaQueryList>,
    callback: Closure<dyn FnMut()>,
}

impl LookWatch {
    fn new(canvas: &HtmlCanvasElement, redraw: UseForceUpdateHandle) -> Option<Self> {
        let window = web_sys::window()?;
        let root = window.document()?.document_element()?;
        let callback = Closure::<dyn FnMut()>::new(move || redraw.force_update());
        let function = callback.as_ref().unchecked_ref();
        let theme = web_sys::MutationObserver::new(function).ok()?;
        let options = web_sys::MutationObserverInit::new();
        options.set_attributes(true);
        options.set_attribute_filter(&js_sys::Array::of1(&"data-theme".into()));
        theme.observe_with_options(&root, &options).ok()?;
        let size = web_sys::ResizeObserver::new(function).ok()?;
        size.observe(canvas);
        let scheme = window.match_media("(prefers-color-scheme: dark)").ok().flatten();
        if let Some(scheme) = &scheme {
            let _ = scheme.add_event_listener_with_callback("change", function);
        }
        Some(Self { theme, size, scheme, callback })
    }
}

impl Drop for LookWatch {
    fn drop(&mut self) {
        self.theme.disconnect();
        self.size.disconnect();
        if let Some(scheme) = &self.scheme {
            let _ =
                scheme.remove_event_listener_with_callback("change", self.callback.as_ref().unchecked_ref());
        }
    }
}

/// The page's colours as the canvas needs them, read from its CSS variables
/// so the canvas follows the theme.
///
/// Reading a computed style right after Yew has changed the page forces
/// the browser to recompute every style in the middle of the frame, so the
/// colours are read once per look of the page: its theme attribute, its
/// system colour scheme and presentation mode, none of which costs a style
/// recomputation to check.
struct Palette {
    look: String,
    style: Option<web_sys::CssStyleDeclaration>,
    colors: Vec<(&'static str, String)>,
}

thread_local! {
    static PALETTE: std::cell::RefCell<Option<Palette>> = const { std::cell::RefCell::new(None) };
}

/// A short description of what decides the page's colours.
fn page_look(window: &web_sys::Window) -> String {
    let document = window.document();
    let theme = document
        .as_ref()
        .and_then(|document| document.document_element())
        .and_then(|root| root.get_attribute("data-theme"))
        .unwrap_or_default();
    let dark =
        window.match_media("(prefers-color-scheme: dark)").ok().flatten().is_some_and(|list| list.matches());
    let present =
        document.and_then(|document| document.query_selector(".app--present").ok().flatten()).is_some();
    format!("{theme}/{dark}/{present}")
}

/// Reads a colour from the page's CSS variables, cached per look of the page.
fn color(window: &web_sys::Window, canvas: &HtmlCanvasElement, look: &str, variable: &'static str) -> String {
    PALETTE.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|palette| palette.look != look) {
            let style = window.get_computed_style(canvas).ok().flatten();
            *cell = Some(Palette { look: look.to_string(), style, colors: Vec::new() });
        }
        let palette = cell.as_mut().expect("set above");
        if let Some((_, value)) = palette.colors.iter().find(|(name, _)| *name == variable) {
            return value.clone();
        }
        let value = palette
            .style
            .as_ref()
            .and_then(|style| style.get_property_value(variable).ok())
            .map(|value| value.trim().to_string())
            .filter(|value| !value.is_empty())
            .unwrap_or_else(|| "#888888".to_string());
        palette.colors.push((variable, value.clone()));
        value
    })
}

/// Every message in flight as a dot, grouped by colour so that the canvas
/// changes fill style once per kind, and how many there are.
fn collect_dots(trace: &Trace, now: f64) -> (Vec<(&'static str, Vec<Dot>)>, usize) {
    let mut by_color: Vec<(&'static str, Vec<Dot>)> = Vec::new();
    let mut count = 0;
    for flight in trace.in_flight(now) {
        let message = flight.message;
        let from_gateway = message.kind.from() == Actor::Gateway;
        let (start, end) =
            if from_gateway { (LANE_WIDTH, WIDTH - LANE_WIDTH) } else { (WIDTH - LANE_WIDTH, LANE_WIDTH) };
        let band = if message.kind.is_provider_request() { REQUEST_BAND } else { ANSWER_BAND };
        let dot = (start + (end - start) * flight.progress, lane_offset(flight.index, band), message.lost);
        let variable = kind_color(token_kind(message));
        match by_color.iter_mut().find(|(name, _)| *name == variable) {
            Some((_, dots)) => dots.push(dot),
            None => by_color.push((variable, vec![dot])),
        }
        count += 1;
    }
    (by_color, count)
}

fn draw(
    canvas: &HtmlCanvasElement,
    dots: &[(&'static str, Vec<Dot>)],
    count: usize,
    (provider, gateway): (StatusCounts, StatusCounts),
    (endpoint_down, endpoint_disabled): (bool, bool),
) {
    let Some(window) = web_sys::window() else { return };
    let ratio = window.device_pixel_ratio().max(1.0);
    let css_width = f64::from(canvas.client_width().max(1));
    let scale = css_width / WIDTH * ratio;
    let (pixel_width, pixel_height) = ((WIDTH * scale) as u32, (HEIGHT * scale) as u32);
    if canvas.width() != pixel_width || canvas.height() != pixel_height {
        canvas.set_width(pixel_width);
        canvas.set_height(pixel_height);
    }
    let Ok(Some(context)) = canvas.get_context("2d") else { return };
    let Ok(context) = context.dyn_into::<CanvasRenderingContext2d>() else { return };

    let _ = context.set_transform(scale, 0.0, 0.0, scale, 0.0, 0.0);
    context.clear_rect(0.0, 0.0, WIDTH, HEIGHT);
    let look = page_look(&window);
    let paint = |variable: &'static str| color(&window, canvas, &look, variable);
    let text = paint("--text");
    let muted = paint("--text-muted");
    context.set_font("600 13px system-ui, sans-serif");
    context.set_text_align("center");

    for (actor, name, counts, trouble) in [
        (Actor::Gateway, "Gateway", gateway, endpoint_down.then_some("endpoint down")),
        (Actor::Provider, "ABC Payment", provider, endpoint_disabled.then_some("endpoint disabled")),
    ] {
        let x = if actor == Actor::Gateway { 0.0 } else { WIDTH - LANE_WIDTH };
        let lane_var = if actor == Actor::Gateway { "--lane-gateway" } else { "--lane-provider" };
        context.set_fill_style_str(&paint(lane_var));
        context.fill_rect(x, 0.0, LANE_WIDTH, HEIGHT);
        context.set_fill_style_str(&text);
        let _ = context.fill_text(name, x + LANE_WIDTH / 2.0, 22.0);
        draw_queue(&context, &paint, x, counts, &muted);
        if let Some(trouble) = trouble {
            context.set_fill_style_str(&paint("--c-error"));
            let _ = context.fill_text(trouble, x + LANE_WIDTH / 2.0, HEIGHT - 8.0);
        }
    }

    for (variable, group) in dots {
        context.set_fill_style_str(&paint(variable));
        for &(x, y, lost) in group {
            context.set_global_alpha(if lost { 0.35 } else { 1.0 });
            context.fill_rect(x - DOT / 2.0, y - DOT / 2.0, DOT, DOT);
        }
    }
    context.set_global_alpha(1.0);

    context.set_fill_style_str(&muted);
    context.set_font("12px system-ui, sans-serif");
    let _ = context.fill_text("requests →", WIDTH / 2.0, REQUEST_BAND.0 - 4.0);
    let _ = context.fill_text("← answers and webhooks", WIDTH / 2.0, ANSWER_BAND.0 - 4.0);
    let _ = context.fill_text(&format!("{count} messages in flight"), WIDTH / 2.0, HEIGHT - 8.0);
}

/// One side's payments as a bar stacked by status, with the counts beside it.
fn draw_queue(
    context: &CanvasRenderingContext2d,
    paint: &dyn Fn(&'static str) -> String,
    x: f64,
    counts: StatusCounts,
    muted: &str,
) {
    let total: u32 = segments(&counts).iter().map(|(n, _, _)| n).sum();
    if total == 0 {
        return;
    }
    let (bar_x, bar_width) = (x + 12.0, 28.0);
    let height = BOTTOM - TOP;
    let mut y = BOTTOM;
    context.set_font("11px system-ui, sans-serif");
    context.set_text_align("left");
    let mut label_y = BOTTOM;
    for (n, variable, label) in segments(&counts) {
        if n == 0 {
            continue;
        }
        let part = height * f64::from(n) / f64::from(total);
        y -= part;
        context.set_fill_style_str(&paint(variable));
        context.fill_rect(bar_x, y, bar_width, part);
        context.set_fill_style_str(muted);
        label_y = (y + part / 2.0 + 4.0).min(label_y - 13.0).max(TOP + 12.0);
        // Squeezed to the lane, so "10000 succeeded" in a wide font stays whole.
        let text_x = bar_x + bar_width + 6.0;
        let _ = context.fill_text_with_max_width(
            &format!("{n} {label}"),
            text_x,
            label_y,
            x + LANE_WIDTH - 4.0 - text_x,
        );
    }
    context.set_text_align("center");
    context.set_font("600 13px system-ui, sans-serif");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_stay_in_their_band() {
        for index in [0, 1, 7, 1_000, 123_456, usize::MAX / 3] {
            let y = lane_offset(index, REQUEST_BAND);
            assert!(y >= REQUEST_BAND.0 && y <= REQUEST_BAND.1, "{index}: {y}");
        }
        assert_eq!(lane_offset(42, ANSWER_BAND), lane_offset(42, ANSWER_BAND));
    }
}
