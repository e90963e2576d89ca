//! Finishes a run too big for one task in slices between frames, so that
//! applying a big scenario never freezes the page for seconds.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::browser::now_ms;
use crate::state::{Action, Pending};

/// Wall-clock time one slice may take, in milliseconds, well under the
/// 50 ms at which the browser reports a long task.
const SLICE_MS: f64 = 12.0;
/// Events each strategy handles between two looks at the clock.
const EVENTS_PER_STEP: u64 = 5_000;
/// Shortest wall-clock time between two progress updates, in milliseconds,
/// because each update renders the whole page.
const PROGRESS_MS: f64 = 250.0;

/// Computes one slice, or publishes the progress, then schedules the next
/// task or reports the run finished. A task that publishes computes nothing,
/// because the page's redraw runs in the same task.
fn run_slice(
    pending: Pending,
    events: UseStateHandle<Option<u64>>,
    timer: Rc<RefCell<Option<Timeout>>>,
    on_action: Callback<Action>,
    published_at: f64,
) {
    let started = now_ms();
    let slot = timer.clone();
    if started - published_at >= PROGRESS_MS {
        events.set(Some(pending.0.borrow().events()));
        *timer.borrow_mut() =
            Some(Timeout::new(0, move || run_slice(pending, events, slot, on_action, started)));
        return;
    }
    let more = {
        let mut builder = pending.0.borrow_mut();
        loop {
            let more = builder.advance(EVENTS_PER_STEP);
            if !more || now_ms() - started >= SLICE_MS {
                break more;
            }
        }
    };
    if more {
        *timer.borrow_mut() =
            Some(Timeout::new(0, move || run_slice(pending, events, slot, on_action, published_at)));
    } else {
        on_action.emit(Action::FinishPending);
    }
}

/// Advances the state's pending run, if any, until it is finished. Returns
/// the events computed so far while a run is pending.
#[hook]
pub fn use_pending_run(pending: Option<Pending>, on_action: Callback<Action>) -> Option<u64> {
    let events = use_state(|| None::<u64>);
    let timer: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    {
        let (events, timer) = (events.clone(), timer.clone());
        use_effect_with(pending, move |pending| {
            timer.borrow_mut().take();
            if let Some(pending) = pending.clone() {
                events.set(Some(pending.0.borrow().events()));
                let slot = timer.clone();
                *timer.borrow_mut() =
                    Some(Timeout::new(0, move || run_slice(pending, events, slot, on_action, now_ms())));
            } else {
                events.set(None);
            }
            move || drop(timer.borrow_mut().take())
        });
    }
    *events
}
