//! A live region that tells screen-reader users when the gateway learns an
//! outcome, at most once every [`QUIET_MS`] so that they are not flooded.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::scenario::units::{format_clock, format_duration};
use crate::sim::{detections, Detection, Strategy};
use crate::state::RunHandle;

/// Least wall-clock time between two announcements, in milliseconds.
const QUIET_MS: f64 = 2_000.0;

/// Words for the detections of one strategy since the last announcement.
pub fn sentence(strategy: Strategy, found: &[Detection]) -> String {
    match found {
        [] => String::new(),
        [one] => format!(
            "{}: the gateway knows payment {} {} at {}, {} after it finished.",
            strategy.label(),
            one.payment + 1,
            one.status.as_str(),
            format_clock(one.at),
            format_duration(one.delay_ms)
        ),
        many => format!("{}: the gateway learned {} more outcomes.", strategy.label(), many.len()),
    }
}

/// Groups queued detections by strategy, in the order the strategies first appear.
pub fn announcement(queued: &[(Strategy, Detection)]) -> String {
    let mut order: Vec<Strategy> = Vec::new();
    for (strategy, _) in queued {
        if !order.contains(strategy) {
            order.push(*strategy);
        }
    }
    order
        .iter()
        .map(|strategy| {
            let found: Vec<Detection> =
                queued.iter().filter(|(s, _)| s == strategy).map(|(_, detection)| *detection).collect();
            sentence(*strategy, &found)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Properties, PartialEq)]
pub struct NarratorProps {
    pub run: RunHandle,
    /// Virtual time, in milliseconds.
    pub now: f64,
}

#[derive(Default)]
struct Pending {
    /// The run the queue belongs to, by address.
    run: usize,
    /// Virtual time up to which detections have been queued.
    seen_until: f64,
    queued: Vec<(Strategy, Detection)>,
    timer: Option<Timeout>,
    /// Wall-clock time of the last announcement, in milliseconds.
    last_wall: f64,
}

type Shared = Rc<RefCell<Pending>>;

#[function_component]
pub fn Narrator(props: &NarratorProps) -> Html {
    let text = use_state(String::new);
    let pending: Shared = use_mut_ref(Pending::default);
    let found = use_memo(props.run.clone(), |run| {
        let mut all: Vec<(Strategy, Detection)> = run
            .lanes
            .iter()
            .flat_map(|lane| {
                detections(&lane.trace, run.payments.len())
                    .into_iter()
                    .map(move |found| (lane.strategy, found))
            })
            .collect();
        all.sort_by_key(|(_, found)| found.at);
        all
    });

    {
        let (text, pending, found) = (text.clone(), pending.clone(), found.clone());
        let run_address = Rc::as_ptr(&props.run.0) as usize;
        use_effect_with((props.now.to_bits(), run_address), move |&(now_bits, run_address)| {
            enqueue(&pending, &found, f64::from_bits(now_bits), run_address);
            schedule(&pending, &text);
        });
    }

    html! {
        <div class="visually-hidden" role="status" aria-live="polite" data-testid="narration">{ (*text).clone() }</div>
    }
}

/// Queues the detections between the last time seen and `now`. A new run
/// or a jump backwards starts afresh without announcing the past.
fn enqueue(pending: &Shared, found: &[(Strategy, Detection)], now: f64, run_address: usize) {
    let mut pending = pending.borrow_mut();
    if pending.run != run_address || now < pending.seen_until {
        pending.run = run_address;
        pending.seen_until = now;
        pending.queued.clear();
        return;
    }
    let start = found.partition_point(|(_, d)| (d.at as f64) <= pending.seen_until);
    let end = found.partition_point(|(_, d)| (d.at as f64) <= now);
    pending.queued.extend_from_slice(&found[start..end.max(start)]);
    pending.seen_until = now;
}

/// Arms a timer that announces the queue once the quiet time has passed.
fn schedule(pending: &Shared, text: &UseStateHandle<String>) {
    let mut state = pending.borrow_mut();
    if state.queued.is_empty() || state.timer.is_some() {
        return;
    }
    let wait = (state.last_wall + QUIET_MS - js_sys::Date::now()).max(0.0);
    let (shared, text) = (pending.clone(), text.clone());
    state.timer = Some(Timeout::new(wait as u32, move || {
        let mut state = shared.borrow_mut();
        state.timer = None;
        state.last_wall = js_sys::Date::now();
        text.set(announcement(&state.queued));
        state.queued.clear();
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Status;

    fn found(payment: u32, at: u64) -> Detection {
        Detection { at, payment, status: Status::Succeeded, delay_ms: 1_200 }
    }

    #[test]
    fn one_detection_is_a_full_sentence() {
        assert_eq!(
            announcement(&[(Strategy::Polling, found(0, 8_200))]),
            "Polling: the gateway knows payment 1 succeeded at 0:08.200, 1.2 s after it finished."
        );
    }

    #[test]
    fn many_detections_are_summed_up() {
        let queued = [
            (Strategy::Webhook, found(0, 100)),
            (Strategy::Polling, found(1, 200)),
            (Strategy::Webhook, found(2, 300)),
        ];
        assert_eq!(
            announcement(&queued),
            "Webhook: the gateway learned 2 more outcomes. Polling: the gateway knows payment 2 succeeded \
             at 0:00.200, 1.2 s after it finished."
        );
    }
}
