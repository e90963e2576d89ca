//! The long-run section: hours of traffic at 100 payments per second
//! through polling and webhooks, with a time slider that shows the running
//! totals at any second computed so far.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::charts::{draw, duration_tick, plain_number, Chart, Scale, Series};
use crate::hooks::use_long_run;
use crate::long_run::{LaneAt, LongRun, HOURS, STRATEGIES};
use crate::scenario::units::{format_clock, format_duration, format_duration_f64, group_thousands};
use crate::scenario::{LONG_RUN_RATE, SECOND};

/// Points on the request-rate chart of a long run.
const CHART_POINTS: usize = 240;

/// Returns the bytes of the page's WebAssembly memory, which grows to the
/// largest size the page has needed and never shrinks.
fn wasm_memory_bytes() -> Option<f64> {
    let memory = wasm_bindgen::memory().dyn_into::<js_sys::WebAssembly::Memory>().ok()?;
    let buffer = memory.buffer().dyn_into::<js_sys::ArrayBuffer>().ok()?;
    Some(f64::from(buffer.byte_length()))
}

/// Formats a mean delay with three significant digits under a minute, as in
/// "1.04 s" or "50.0 ms", since a mean of many payments is rarely a round number.
fn format_mean_delay(ms: f64) -> String {
    if ms < 1_000.0 {
        format!("{ms:.1} ms")
    } else if ms < 60_000.0 {
        format!("{:.2} s", ms / 1_000.0)
    } else {
        format_duration_f64(ms)
    }
}

fn megabytes(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1_000_000.0)
}

/// One row of the table: test id, label, and how to read it from a strategy's second.
type Row = (&'static str, &'static str, fn(&LaneAt) -> String);

const ROWS: [Row; 9] = [
    ("created", "Payments created", |lane| group_thousands(lane.tally.created)),
    ("completed", "Final at ABC Payment", |lane| group_thousands(lane.tally.completed)),
    ("detected", "Known to the gateway", |lane| group_thousands(lane.tally.detected)),
    ("waiting", "Final but not yet known", |lane| group_thousands(lane.tally.waiting())),
    ("rate", "Status requests in this second", |lane| group_thousands(lane.requests_in_second)),
    ("requests", "Status requests so far", |lane| group_thousands(lane.tally.requests)),
    ("wasted", "Wasted requests so far", |lane| group_thousands(lane.tally.wasted)),
    ("callbacks", "Webhook deliveries so far", |lane| group_thousands(lane.tally.callbacks)),
    ("delay", "Mean detection delay so far", |lane| {
        lane.tally.mean_delay_ms().map_or_else(|| "–".to_string(), format_mean_delay)
    }),
];

fn table(lanes: &[LaneAt]) -> Html {
    let header = lanes.iter().map(|lane| html! { <th scope="col">{ lane.strategy.label() }</th> });
    let rows = ROWS.iter().map(|(key, label, read)| {
        let cells = lanes.iter().map(|lane| {
            html! { <td data-testid={format!("long-run-{}-{key}", lane.strategy.key())}>{ read(lane) }</td> }
        });
        html! { <tr><th scope="row">{ *label }</th>{ for cells }</tr> }
    });
    html! {
        <table class="long-run__table">
            <thead><tr><th scope="col">{ "At this second" }</th>{ for header }</tr></thead>
            <tbody>{ for rows }</tbody>
        </table>
    }
}

fn rate_chart(run: &LongRun, at_ms: f64) -> Html {
    let series: Vec<Series> = STRATEGIES
        .iter()
        .map(|&strategy| Series {
            strategy,
            points: run.request_rate(strategy, CHART_POINTS),
            markers: false,
            highlight: None,
        })
        .collect();
    let peak = series.iter().flat_map(|s| s.points.iter().map(|(_, rate)| *rate)).fold(0.0f64, f64::max);
    let summary = format!(
        "Polling sends up to {peak:.0} status requests per second over the {} computed so far; webhooks send none.",
        format_duration(run.seconds() as u64 * SECOND)
    );
    draw(Chart {
        id: "long-run-load",
        title: "Status requests per second over the run",
        x_label: "virtual time",
        y_label: "requests per second",
        x: Scale::Time { min: 0.0, max: (run.seconds().max(1) as u64 * SECOND) as f64 },
        y: Scale::Linear { min: 0.0, max: peak.max(1.0) * 1.1 },
        x_tick: duration_tick,
        y_tick: plain_number,
        series,
        cursor_x: Some(at_ms),
        summary,
    })
}

#[function_component]
pub fn LongRunSection() -> Html {
    let handle = use_long_run();
    let hours = use_state(|| 1u32);
    // The second shown; `None` follows the newest second while the run computes.
    let chosen = use_state(|| None::<usize>);

    let on_hours = {
        let hours = hours.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            if let Ok(value) = value.parse::<u32>() {
                hours.set(value);
            }
        })
    };
    let on_start = {
        let (start, hours, chosen) = (handle.start.clone(), *hours, chosen.clone());
        Callback::from(move |_| {
            chosen.set(None);
            start.emit(hours);
        })
    };
    let on_stop = {
        let stop = handle.stop.clone();
        Callback::from(move |_| stop.emit(()))
    };
    let on_seek = {
        let chosen = chosen.clone();
        Callback::from(move |event: InputEvent| {
            let target: Option<web_sys::HtmlInputElement> = event.target_dyn_into();
            if let Some(second) = target.and_then(|input| input.value().parse::<usize>().ok()) {
                chosen.set(Some(second));
            }
        })
    };

    let progress = handle.progress;
    let slot = handle.run.borrow();
    let hour_options = HOURS.iter().map(|&h| {
        let label = if h == 1 { "1 hour".to_string() } else { format!("{h} hours") };
        html! { <option value={h.to_string()} selected={h == *hours}>{ label }</option> }
    });
    let controls = html! {
        <div class="long-run__controls">
            <label for="long-run-hours">{ "Length" }</label>
            <select id="long-run-hours" onchange={on_hours} disabled={progress.running}>{ for hour_options }</select>
            if progress.running {
                <button type="button" class="button" data-testid="long-run-stop" onclick={on_stop}>{ "Stop" }</button>
            } else {
                <button type="button" class="button button--primary" data-testid="long-run-start" onclick={on_start}>
                    { format!("Run {} of traffic", if *hours == 1 { "1 hour".to_string() } else { format!("{} hours", *hours) }) }
                </button>
            }
        </div>
    };

    let body = match slot.as_ref() {
        None => html! {},
        Some(run) => {
            let seconds = run.seconds();
            let memory = wasm_memory_bytes();
            let status = format!(
                "{} {} of {} of virtual time in {:.1} s of wall-clock time; {} events so far. \
                 The timelines hold {}; the page's WebAssembly memory is {}.",
                if run.is_done() {
                    "Simulated"
                } else if progress.running {
                    "Simulating:"
                } else {
                    "Stopped at"
                },
                format_duration(run.covered_ms().min(run.length_ms())),
                format_duration(run.length_ms()),
                progress.wall_ms / 1_000.0,
                group_thousands(run.events()),
                megabytes(run.timeline_bytes() as f64),
                memory.map_or_else(|| "unknown".to_string(), megabytes),
            );
            let second =
                chosen.map_or(seconds.saturating_sub(1), |second| second.min(seconds.saturating_sub(1)));
            let lanes = (seconds > 0).then(|| run.at(second)).flatten();
            let at_ms = ((second + 1) as u64 * SECOND) as f64;
            html! {
                <>
                    <p class="long-run__status" data-testid="long-run-status" data-done={run.is_done().to_string()}
                       data-seconds={seconds.to_string()} data-events={run.events().to_string()}
                       data-wall-ms={format!("{:.0}", progress.wall_ms)}
                       data-memory-bytes={memory.map_or_else(String::new, |bytes| format!("{bytes:.0}"))}
                       data-timeline-bytes={run.timeline_bytes().to_string()}>
                        <progress max={run.length_ms().to_string()} value={run.covered_ms().min(run.length_ms()).to_string()}
                                  aria-label="Virtual time simulated" />
                        { status }
                    </p>
                    if let Some(lanes) = lanes {
                        <div class="long-run__seek">
                            <label for="long-run-time">{ "Show the run at" }</label>
                            <input id="long-run-time" type="range" min="0" max={(seconds - 1).to_string()}
                                   step="1" value={second.to_string()} oninput={on_seek}
                                   aria-valuetext={format_clock((second as u64 + 1) * SECOND)} />
                            <output for="long-run-time" data-testid="long-run-clock" data-second={second.to_string()}>{ format_clock((second as u64 + 1) * SECOND) }</output>
                        </div>
                        { table(&lanes) }
                        <div class="long-run__chart">{ rate_chart(run, at_ms) }</div>
                    }
                </>
            }
        }
    };

    html! {
        <section class="long-run" aria-labelledby="long-run-title" data-testid="long-run">
            <h2 id="long-run-title">{ "Long run: hours of traffic" }</h2>
            <p>
                { format!(
                    "The same two gateways for hours at {LONG_RUN_RATE:.0} payments per second, each payment final \
                     1 s to 60 s after it is created, a status request every 2 s and no rate limit. A day is \
                     8,640,000 payments. The page keeps one row of running totals per second of virtual time \
                     and nothing per message, so the memory it needs grows with the hours, not with the traffic. \
                     The run computes in short slices while the page stays usable: a day takes a few minutes.",
                ) }
            </p>
            { controls }
            { body }
        </section>
    }
}
