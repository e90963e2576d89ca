//! The stage for runs with more payments than rows can show: each side's
//! payments as a stacked bar by status (the queues), and every message in
//! flight as a dot travelling between them (the flows). It draws on a
//! canvas, because thousands of SVG elements per frame would be too slow.

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

/// Reads a colour from the page's CSS variables, so the canvas follows the theme.
fn color(style: &Option<web_sys::CssStyleDeclaration>, variable: &str) -> String {
    style
        .as_ref()
        .and_then(|style| style.get_property_value(variable).ok())
        .map(|value| value.trim().to_string())
        .filter(|value| !value.is_empty())
        .unwrap_or_else(|| "#888888".to_string())
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
    let style = window.get_computed_style(canvas).ok().flatten();

    let _ = context.set_transform(scale, 0.0, 0.0, scale, 0.0, 0.0);
    context.clear_rect(0.0, 0.0, WIDTH, HEIGHT);
    let text = color(&style, "--text");
    let muted = color(&style, "--text-muted");
    context.set_font("600 13px system-ui, sans-serif");
    context.set_text_align("center");

    for (actor, name, counts, trouble) in [
        (Actor::Gateway, "Gateway", gateway, endpoint_down.then_some("endpoint down")),
        (Actor::Provider, "ABC Payment", provider, endpoint_disabled.then_some("endpoint disabled")),
    ] {
        let x = if actor == Actor::Gateway { 0.0 } else { WIDTH - LANE_WIDTH };
        let lane_var = if actor == Actor::Gateway { "--lane-gateway" } else { "--lane-provider" };
        context.set_fill_style_str(&color(&style, lane_var));
        context.fill_rect(x, 0.0, LANE_WIDTH, HEIGHT);
        context.set_fill_style_str(&text);
        let _ = context.fill_text(name, x + LANE_WIDTH / 2.0, 22.0);
        draw_queue(&context, &style, x, counts, &muted);
        if let Some(trouble) = trouble {
            context.set_fill_style_str(&color(&style, "--c-error"));
            let _ = context.fill_text(trouble, x + LANE_WIDTH / 2.0, HEIGHT - 8.0);
        }
    }

    for (variable, group) in dots {
        context.set_fill_style_str(&color(&style, variable));
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
    style: &Option<web_sys::CssStyleDeclaration>,
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
        context.set_fill_style_str(&color(style, variable));
        context.fill_rect(bar_x, y, bar_width, part);
        context.set_fill_style_str(muted);
        label_y = (y + part / 2.0 + 4.0).min(label_y - 13.0).max(TOP + 12.0);
        let _ = context.fill_text(&format!("{n} {label}"), bar_x + bar_width + 6.0, label_y);
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
