use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::browser;
use crate::scenario::query;
use crate::state::Action;

/// Quiet time after a scenario change during which further changes replace
/// the history entry that the first one pushed, so dragging a slider makes
/// one entry, not hundreds.
const HISTORY_QUIET_MS: u32 = 600;

/// Drops the `t=` parameter, so that two queries that differ only in time compare equal.
fn without_time(query: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form_urlencoded::parse(query.as_bytes()).filter(|(key, _)| key != "t"))
        .finish()
}

/// Keeps the address bar equal to the state, and applies the address when
/// the reader goes back or forward.
///
/// `query` is the state as a link; `with_history` is false in the embedded
/// view, whose history entries would land in the host page's back button.
#[hook]
pub fn use_url_sync(query: String, with_history: bool, on_action: Callback<Action>) {
    // Present while scenario changes come in quick succession, and dropped
    // HISTORY_QUIET_MS after the last one.
    let burst: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    let first = use_mut_ref(|| true);

    {
        let burst = burst.clone();
        use_effect_with(query, move |query| {
            let current = browser::current_query();
            // The first sync only writes down where the page started.
            let first = std::mem::replace(&mut *first.borrow_mut(), false);
            if *query == current {
                return;
            }
            let scenario_changed = without_time(query) != without_time(&current);
            if first || !scenario_changed || !with_history {
                // The page's start, a move of the playback time alone and
                // the embedded view replace the entry instead of adding one.
                browser::set_query(query, false);
                return;
            }
            // The address changes at once, because it takes precedence over
            // the saved settings when the page reloads. Only the first
            // change of a burst adds a history entry.
            let in_burst = burst.borrow().is_some();
            browser::set_query(query, !in_burst);
            let slot = burst.clone();
            *burst.borrow_mut() = Some(Timeout::new(HISTORY_QUIET_MS, move || {
                slot.borrow_mut().take();
            }));
        });
    }

    use_effect_with((), move |_| {
        let listener = Closure::<dyn Fn(web_sys::PopStateEvent)>::new(move |_| {
            // A change after going back or forward starts a new history entry.
            burst.borrow_mut().take();
            let (link, rejected) = query::decode(&browser::current_query());
            for rejected in rejected {
                on_action.emit(Action::Notify(rejected.into()));
            }
            on_action.emit(Action::ApplyLink(Box::new(link)));
        });
        let window = web_sys::window();
        if let Some(window) = &window {
            let _ = window.add_event_listener_with_callback("popstate", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(window) = window {
                let _ =
                    window.remove_event_listener_with_callback("popstate", listener.as_ref().unchecked_ref());
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_is_left_out() {
        assert_eq!(without_time("poll=5s&t=2s&seed=3"), "poll=5s&seed=3");
        assert_eq!(without_time("t=2s"), "");
    }
}
