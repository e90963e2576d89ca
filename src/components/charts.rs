//! Three charts under the panels: load on ABC Payment over time, how long
//! the gateway takes to learn outcomes, and the trade-off between the two
//! across poll intervals.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::charts::{
    delay_distribution, request_rate, sweep_intervals, sweep_point, sweep_scenario, TradeoffPoint,
    SWEEP_MESSAGE_LIMIT, SWEEP_PAYMENTS,
};
use crate::scenario::units::{format_duration, format_duration_f64, group_thousands};
use crate::scenario::{Scenario, Strategy};
use crate::state::RunHandle;

const WIDTH: f64 = 520.0;
const HEIGHT: f64 = 250.0;
const LEFT: f64 = 58.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 42.0;

/// How values map onto an axis.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Scale {
    Linear {
        min: f64,
        max: f64,
    },
    Log {
        min: f64,
        max: f64,
    },
    /// A linear axis of milliseconds, with ticks at round durations.
    Time {
        min: f64,
        max: f64,
    },
    /// A log axis of milliseconds, with ticks at round durations.
    LogTime {
        min: f64,
        max: f64,
    },
}

const SECOND_MS: f64 = 1_000.0;
const MINUTE_MS: f64 = 60_000.0;
const HOUR_MS: f64 = 3_600_000.0;
const DAY_MS: f64 = 86_400_000.0;

/// Tick spacings of a linear time axis, in milliseconds: the first one of at
/// least a fifth of the axis is used.
const TIME_STEPS: [f64; 31] = [
    1.0,
    2.0,
    5.0,
    10.0,
    20.0,
    50.0,
    100.0,
    200.0,
    500.0,
    SECOND_MS,
    2.0 * SECOND_MS,
    5.0 * SECOND_MS,
    10.0 * SECOND_MS,
    15.0 * SECOND_MS,
    30.0 * SECOND_MS,
    MINUTE_MS,
    2.0 * MINUTE_MS,
    5.0 * MINUTE_MS,
    10.0 * MINUTE_MS,
    15.0 * MINUTE_MS,
    30.0 * MINUTE_MS,
    HOUR_MS,
    2.0 * HOUR_MS,
    3.0 * HOUR_MS,
    6.0 * HOUR_MS,
    12.0 * HOUR_MS,
    DAY_MS,
    2.0 * DAY_MS,
    5.0 * DAY_MS,
    10.0 * DAY_MS,
    30.0 * DAY_MS,
];

/// Ticks of a log time axis, in milliseconds: round durations about a factor of three apart.
const LOG_TIME_TICKS: [f64; 20] = [
    1.0,
    3.0,
    10.0,
    30.0,
    100.0,
    300.0,
    SECOND_MS,
    3.0 * SECOND_MS,
    10.0 * SECOND_MS,
    30.0 * SECOND_MS,
    MINUTE_MS,
    5.0 * MINUTE_MS,
    15.0 * MINUTE_MS,
    HOUR_MS,
    3.0 * HOUR_MS,
    12.0 * HOUR_MS,
    DAY_MS,
    3.0 * DAY_MS,
    10.0 * DAY_MS,
    30.0 * DAY_MS,
];

impl Scale {
    /// Position of a value from 0 (axis start) to 1 (axis end).
    fn fraction(self, value: f64) -> f64 {
        match self {
            Scale::Linear { min, max } | Scale::Time { min, max } => {
                (value - min) / (max - min).max(f64::EPSILON)
            }
            Scale::Log { min, max } | Scale::LogTime { min, max } => {
                (value.max(min).ln() - min.ln()) / (max.ln() - min.ln()).max(f64::EPSILON)
            }
        }
    }

    /// Tick values: about five round numbers, or the powers of ten and their
    /// halves on a log scale.
    fn ticks(self) -> Vec<f64> {
        match self {
            Scale::Linear { min, max } => {
                let raw = (max - min) / 5.0;
                let magnitude = 10f64.powf(raw.max(f64::MIN_POSITIVE).log10().floor());
                let step =
                    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(raw);
                multiples(min, max, step)
            }
            Scale::Time { min, max } => {
                let raw = (max - min) / 5.0;
                let step = TIME_STEPS.iter().copied().find(|step| *step >= raw).unwrap_or(raw.max(1.0));
                multiples(min, max, step)
            }
            Scale::LogTime { min, max } => {
                LOG_TIME_TICKS.iter().copied().filter(|tick| *tick >= min && *tick <= max).collect()
            }
            Scale::Log { min, max } => {
                let mut ticks = Vec::new();
                let mut decade = 10f64.powf(min.log10().floor());
                while decade <= max {
                    for factor in [1.0, 3.0] {
                        let tick = decade * factor;
                        if tick >= min && tick <= max {
                            ticks.push(tick);
                        }
                    }
                    decade *= 10.0;
                }
                ticks
            }
        }
    }
}

/// Returns the multiples of `step` from `min` to `max`, for the ticks of a linear axis.
fn multiples(min: f64, max: f64, step: f64) -> Vec<f64> {
    let mut ticks = Vec::new();
    let mut tick = (min / step).ceil() * step;
    while tick <= max + step * 1e-9 {
        ticks.push(tick);
        tick += step;
    }
    ticks
}

/// Range of positive values for a log axis, padded to whole decades.
fn log_range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let (mut low, mut high) = (f64::INFINITY, 0.0f64);
    for value in values.filter(|v| v.is_finite() && *v > 0.0) {
        low = low.min(value);
        high = high.max(value);
    }
    (high > 0.0).then(|| (10f64.powf(low.log10().floor()), 10f64.powf(high.log10().ceil()).max(low * 10.0)))
}

/// One line or set of points on a chart.
pub(super) struct Series {
    pub strategy: Strategy,
    pub points: Vec<(f64, f64)>,
    /// Draw markers at the points as well as the line.
    pub markers: bool,
    /// A point to ring and label, such as the scenario's own poll interval.
    pub highlight: Option<((f64, f64), String)>,
}

pub(super) struct Chart<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub x: Scale,
    pub y: Scale,
    pub x_tick: fn(f64) -> String,
    pub y_tick: fn(f64) -> String,
    pub series: Vec<Series>,
    /// A vertical line, such as the playback time.
    pub cursor_x: Option<f64>,
    /// One sentence for screen readers about what the chart shows.
    pub summary: String,
}

fn plot_x(scale: Scale, value: f64) -> f64 {
    LEFT + scale.fraction(value).clamp(0.0, 1.0) * (WIDTH - LEFT - RIGHT)
}

fn plot_y(scale: Scale, value: f64) -> f64 {
    HEIGHT - BOTTOM - scale.fraction(value).clamp(0.0, 1.0) * (HEIGHT - TOP - BOTTOM)
}

pub(super) fn draw(chart: Chart<'_>) -> Html {
    let x_ticks = chart.x.ticks().into_iter().map(|tick| {
        let x = plot_x(chart.x, tick);
        html! {
            <g class="chart__tick">
                <line x1={x.to_string()} x2={x.to_string()} y1={TOP.to_string()} y2={(HEIGHT - BOTTOM).to_string()} />
                <text x={x.to_string()} y={(HEIGHT - BOTTOM + 16.0).to_string()} text-anchor="middle">{ (chart.x_tick)(tick) }</text>
            </g>
        }
    });
    let y_ticks = chart.y.ticks().into_iter().map(|tick| {
        let y = plot_y(chart.y, tick);
        html! {
            <g class="chart__tick">
                <line x1={LEFT.to_string()} x2={(WIDTH - RIGHT).to_string()} y1={y.to_string()} y2={y.to_string()} />
                <text x={(LEFT - 6.0).to_string()} y={(y + 4.0).to_string()} text-anchor="end">{ (chart.y_tick)(tick) }</text>
            </g>
        }
    });
    let lines = chart.series.iter().map(|series| {
        let path: String = series
            .points
            .iter()
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .enumerate()
            .map(|(i, &(x, y))| {
                format!("{}{:.1},{:.1}", if i == 0 { "M" } else { " L" }, plot_x(chart.x, x), plot_y(chart.y, y))
            })
            .collect();
        let class = classes!("chart__series", format!("chart__series--{}", series.strategy.key()));
        // Each strategy has its own marker shape, so overlapping points
        // stay apart without colour.
        let markers = series.markers.then(|| {
            let dots = series.points.iter().filter(|(x, y)| x.is_finite() && y.is_finite()).map(|&(x, y)| {
                let (cx, cy) = (plot_x(chart.x, x), plot_y(chart.y, y));
                match series.strategy {
                    Strategy::Polling => html! { <circle cx={format!("{cx:.1}")} cy={format!("{cy:.1}")} r="3.5" /> },
                    Strategy::Webhook => html! {
                        <rect x={format!("{:.1}", cx - 4.5)} y={format!("{:.1}", cy - 4.5)} width="9" height="9" />
                    },
                    Strategy::Hybrid => html! {
                        <circle class="chart__ring" cx={format!("{cx:.1}")} cy={format!("{cy:.1}")} r="7" />
                    },
                }
            });
            html! { <>{ for dots }</> }
        });
        let highlight = series.highlight.as_ref().filter(|((x, y), _)| x.is_finite() && y.is_finite()).map(|((x, y), label)| {
            let (cx, cy) = (plot_x(chart.x, *x), plot_y(chart.y, *y));
            html! {
                <g class="chart__highlight">
                    <circle class="chart__ring" cx={format!("{cx:.1}")} cy={format!("{cy:.1}")} r="8" />
                    <text x={format!("{:.1}", cx + 10.0)} y={format!("{:.1}", cy - 10.0)}>{ label.clone() }</text>
                </g>
            }
        });
        html! {
            <g {class}>
                if series.points.len() > 1 {
                    <path d={path} />
                }
                { markers.unwrap_or_default() }
                { highlight.unwrap_or_default() }
            </g>
        }
    });
    let legend = chart.series.iter().map(|series| {
        html! {
            <li class={classes!("chart__key", format!("chart__key--{}", series.strategy.key()))}>
                { series.strategy.label() }
            </li>
        }
    });
    let cursor = chart.cursor_x.map(|value| {
        let x = plot_x(chart.x, value);
        html! { <line class="chart__cursor" x1={x.to_string()} x2={x.to_string()} y1={TOP.to_string()} y2={(HEIGHT - BOTTOM).to_string()} /> }
    });
    html! {
        <figure class="chart" data-testid={format!("chart-{}", chart.id)}>
            <figcaption>{ chart.title }</figcaption>
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" aria-label={chart.summary}>
                { for x_ticks }
                { for y_ticks }
                <text class="chart__label" x={((LEFT + WIDTH - RIGHT) / 2.0).to_string()} y={(HEIGHT - 6.0).to_string()}
                      text-anchor="middle">{ chart.x_label }</text>
                <text class="chart__label" transform={format!("translate(14 {}) rotate(-90)", (TOP + HEIGHT - BOTTOM) / 2.0)}
                      text-anchor="middle">{ chart.y_label }</text>
                { for lines }
                { cursor.unwrap_or_default() }
            </svg>
            <ul class="chart__legend">{ for legend }</ul>
        </figure>
    }
}

pub(super) fn plain_number(value: f64) -> String {
    if value >= 10.0 || value == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{}", (value * 100.0).round() / 100.0)
    }
}

/// Names the payments the trade-off chart simulates: "the first 200 payments", or "the payment".
fn first_payments(count: u32) -> String {
    if count == 1 {
        "the payment".to_string()
    } else {
        format!("the first {count} payments")
    }
}

pub(super) fn duration_tick(value: f64) -> String {
    // The origin of a time axis reads "0" rather than "0 ms" on an axis of hours.
    if value <= 0.0 {
        return "0".to_string();
    }
    format_duration(value.round() as u64)
}

fn percent_tick(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}

/// Computes the trade-off points one per task, so that no task blocks the
/// page for long, and a new scenario starts over. A point whose run would
/// send too many messages is `None`.
#[hook]
fn use_tradeoff(scenario: &Scenario) -> Rc<Vec<Option<TradeoffPoint>>> {
    let points = use_state(|| Rc::new(Vec::new()));
    let timer: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    {
        let (points, timer) = (points.clone(), timer.clone());
        use_effect_with(scenario.clone(), move |scenario| {
            let sample = Rc::new(sweep_scenario(scenario));
            // The scenario's own interval joins the curve, so it can be marked.
            let mut intervals = sweep_intervals(scenario);
            intervals.push(scenario.polling.interval_ms);
            intervals.sort_unstable();
            intervals.dedup();
            let mut jobs: Vec<(Strategy, Option<u64>)> =
                intervals.into_iter().map(|interval| (Strategy::Polling, Some(interval))).collect();
            jobs.push((Strategy::Webhook, None));
            jobs.push((Strategy::Hybrid, None));
            points.set(Rc::new(Vec::new()));
            schedule(Rc::new(jobs), 0, sample, Rc::new(RefCell::new(Vec::new())), points, timer.clone());
            move || {
                timer.borrow_mut().take();
            }
        });
    }
    (*points).clone()
}

/// Runs job `next`, publishes the points so far, and schedules the next job.
fn schedule(
    jobs: Rc<Vec<(Strategy, Option<u64>)>>,
    next: usize,
    sample: Rc<Scenario>,
    done: Rc<RefCell<Vec<Option<TradeoffPoint>>>>,
    points: UseStateHandle<Rc<Vec<Option<TradeoffPoint>>>>,
    timer: Rc<RefCell<Option<Timeout>>>,
) {
    if next >= jobs.len() {
        return;
    }
    let slot = timer.clone();
    *timer.borrow_mut() = Some(Timeout::new(0, move || {
        let (strategy, interval) = jobs[next];
        done.borrow_mut().push(sweep_point(&sample, strategy, interval));
        points.set(Rc::new(done.borrow().clone()));
        schedule(jobs, next + 1, sample, done, points, slot);
    }));
}

/// The time cursor on the load chart moves in this many steps over a run,
/// so the charts redraw a few hundred times per run rather than every frame.
pub const CURSOR_STEPS: u32 = 400;

#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    pub run: RunHandle,
    pub scenario: Scenario,
    /// Playback position, in steps of the run's length out of [`CURSOR_STEPS`].
    pub cursor: u32,
}

#[function_component]
pub fn Charts(props: &ChartsProps) -> Html {
    let run = &props.run;
    let end = run.end().max(1);
    let payments = run.payments.len();

    let rates = use_memo(run.clone(), |run| {
        run.lanes.iter().map(|lane| (lane.strategy, request_rate(&lane.trace, end, 120))).collect::<Vec<_>>()
    });
    let distributions = use_memo(run.clone(), |run| {
        run.lanes
            .iter()
            .map(|lane| (lane.strategy, delay_distribution(&lane.trace, payments, 200)))
            .collect::<Vec<_>>()
    });
    let swept = use_tradeoff(&props.scenario);
    let tradeoff: Vec<TradeoffPoint> = swept.iter().flatten().copied().collect();

    let peak_rate =
        rates.iter().flat_map(|(_, series)| series.iter().map(|(_, r)| *r)).fold(0.0f64, f64::max);
    let load = draw(Chart {
        id: "load",
        title: "Requests reaching ABC Payment per second",
        x_label: "virtual time",
        y_label: "requests per second",
        x: Scale::Time { min: 0.0, max: end as f64 },
        y: Scale::Linear { min: 0.0, max: peak_rate.max(1.0) * 1.1 },
        x_tick: duration_tick,
        y_tick: plain_number,
        series: rates
            .iter()
            .map(|(strategy, points)| Series {
                strategy: *strategy,
                points: points.clone(),
                markers: false,
                highlight: None,
            })
            .collect(),
        cursor_x: Some(end as f64 * f64::from(props.cursor) / f64::from(CURSOR_STEPS)),
        summary: rates
            .iter()
            .map(|(strategy, series)| {
                let peak = series.iter().map(|(_, r)| *r).fold(0.0f64, f64::max);
                format!(
                    "{}: at most {:.1} requests per second, averaged over each stretch.",
                    strategy.label(),
                    peak
                )
            })
            .collect::<Vec<_>>()
            .join(" "),
    });

    let delay_range = log_range(distributions.iter().flat_map(|(_, curve)| curve.iter().map(|(d, _)| *d)));
    let delays = match delay_range {
        Some((min, max)) => draw(Chart {
            id: "delay",
            title: "Share of payments the gateway knows, by detection delay",
            x_label: "detection delay (log scale)",
            y_label: "payments known",
            x: Scale::LogTime { min, max },
            y: Scale::Linear { min: 0.0, max: 1.0 },
            x_tick: duration_tick,
            y_tick: percent_tick,
            series: distributions
                .iter()
                .map(|(strategy, curve)| Series {
                    strategy: *strategy,
                    points: curve.clone(),
                    markers: false,
                    highlight: None,
                })
                .collect(),
            cursor_x: None,
            summary: distributions
                .iter()
                .filter_map(|(strategy, curve)| {
                    let median = curve.iter().find(|(_, share)| *share >= 0.5)?;
                    Some(format!(
                        "{}: half the payments known within {}.",
                        strategy.label(),
                        format_duration_f64(median.0)
                    ))
                })
                .collect::<Vec<_>>()
                .join(" "),
        }),
        None => html! { <p class="chart__empty">{ "No payment has been detected in this run." }</p> },
    };

    let polling: Vec<(f64, f64)> = tradeoff
        .iter()
        .filter(|p| p.strategy == Strategy::Polling)
        .map(|p| (p.requests_per_payment, p.mean_delay_ms))
        .collect();
    // Push strategies may send no request at all; a log axis has no zero, so
    // they sit at the axis's left edge.
    let x_range = log_range(tradeoff.iter().map(|p| p.requests_per_payment)).unwrap_or((0.1, 100.0));
    let y_range = log_range(tradeoff.iter().map(|p| p.mean_delay_ms)).unwrap_or((10.0, 10_000.0));
    let current = props.scenario.polling.interval_ms;
    let highlight = tradeoff
        .iter()
        .find(|p| p.strategy == Strategy::Polling && p.interval_ms == Some(current))
        .map(|p| ((p.requests_per_payment, p.mean_delay_ms), format!("every {}", format_duration(current))));
    let mut series = vec![Series { strategy: Strategy::Polling, points: polling, markers: true, highlight }];
    for strategy in [Strategy::Webhook, Strategy::Hybrid] {
        if let Some(point) = tradeoff.iter().find(|p| p.strategy == strategy) {
            let x = point.requests_per_payment.max(x_range.0);
            series.push(Series {
                strategy,
                points: vec![(x, point.mean_delay_ms)],
                markers: true,
                highlight: None,
            });
        }
    }
    let computed = swept.len();
    let left_out = swept.len() - tradeoff.len();
    let mut intervals = sweep_intervals(&props.scenario);
    intervals.push(current);
    intervals.sort_unstable();
    intervals.dedup();
    let total = intervals.len() + 2;
    let trade = draw(Chart {
        id: "tradeoff",
        title: "Cost against delay, across poll intervals",
        x_label: "requests to ABC Payment per payment (log scale)",
        y_label: "mean detection delay",
        x: Scale::Log { min: x_range.0, max: x_range.1 },
        y: Scale::LogTime { min: y_range.0, max: y_range.1 },
        x_tick: plain_number,
        y_tick: duration_tick,
        series,
        cursor_x: None,
        summary: format!(
            "Polling at {} intervals from fast to slow, and the push strategies, on {}.",
            total - 2,
            first_payments(SWEEP_PAYMENTS.min(props.scenario.workload.payments))
        ),
    });

    html! {
        <section class="charts" aria-labelledby="charts-title">
            <h2 id="charts-title">{ "Charts" }</h2>
            <div class="charts__grid">
                { load }
                { delays }
                <div>
                    { trade }
                    <p class="chart__note" data-testid="tradeoff-progress">
                        { format!(
                            "{computed} of {total} points; each simulates {}. Webhooks alone \
                             send no status requests, so their point sits at the left edge.",
                            first_payments(SWEEP_PAYMENTS.min(props.scenario.workload.payments))
                        ) }
                        if left_out > 0 {
                            { format!(
                                " {left_out} left out: each would send more than {} messages.",
                                group_thousands(SWEEP_MESSAGE_LIMIT as u64)
                            ) }
                        }
                    </p>
                </div>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_ticks_are_round_durations() {
        let hour = Scale::Time { min: 0.0, max: 3_665_000.0 }.ticks();
        assert_eq!(hour, [0.0, 15.0 * MINUTE_MS, 30.0 * MINUTE_MS, 45.0 * MINUTE_MS, HOUR_MS]);
        let day = Scale::Time { min: 0.0, max: DAY_MS }.ticks();
        assert_eq!(day, [0.0, 6.0 * HOUR_MS, 12.0 * HOUR_MS, 18.0 * HOUR_MS, DAY_MS]);
        let delays = Scale::LogTime { min: 100.0, max: 100_000.0 }.ticks();
        assert_eq!(
            delays,
            [100.0, 300.0, SECOND_MS, 3.0 * SECOND_MS, 10.0 * SECOND_MS, 30.0 * SECOND_MS, MINUTE_MS]
        );
    }

    #[test]
    fn log_ticks_are_decades_and_threes() {
        assert_eq!(Scale::Log { min: 1.0, max: 100.0 }.ticks(), [1.0, 3.0, 10.0, 30.0, 100.0]);
    }

    #[test]
    fn linear_ticks_are_round() {
        assert_eq!(Scale::Linear { min: 0.0, max: 10.0 }.ticks(), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(
            Scale::Linear { min: 0.0, max: 1.0 }.ticks(),
            [0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
    }

    #[test]
    fn log_range_pads_to_decades() {
        assert_eq!(log_range([3.0, 250.0, 0.0, f64::NAN].into_iter()), Some((1.0, 1_000.0)));
        assert_eq!(log_range([0.0].into_iter()), None);
    }
}
