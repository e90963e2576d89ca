use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::browser;
use crate::scenario::query;
use crate::state::Action;

/// Quiet time after the last change before the address bar gets a new
/// history entry, so dragging a slider makes one entry, not hundreds.
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
    let pending: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    let first = use_mut_ref(|| true);

    use_effect_with(query, move |query| {
        let current = browser::current_query();
        // The first sync only writes down where the page started.
        let first = std::mem::replace(&mut *first.borrow_mut(), false);
        if *query != current {
            let same_scenario = without_time(query) == without_time(&current);
            if first || same_scenario || !with_history {
                // Only the playback time moved: no new history entry.
                browser::set_query(query, false);
            } else {
                let query = query.clone();
                let slot = pending.clone();
                *pending.borrow_mut() = Some(Timeout::new(HISTORY_QUIET_MS, move || {
                    slot.borrow_mut().take();
                    if without_time(&query) != without_time(&browser::current_query()) {
                        browser::set_query(&query, true);
                    }
                }));
            }
        }
    });

    use_effect_with((), move |_| {
        let listener = Closure::<dyn Fn(web_sys::PopStateEvent)>::new(move |_| {
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
