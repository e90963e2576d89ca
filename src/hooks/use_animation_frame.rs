use std::cell::RefCell;
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

type FrameSlot = Rc<RefCell<Option<AnimationFrame>>>;

/// Calls `on_frame` with each animation frame's timestamp, in milliseconds,
/// for as long as `active` is true.
///
/// Each frame requests the next one. The pending request lives in a shared
/// slot, so the effect's cleanup cancels it by dropping it when `active`
/// turns false or the component unmounts.
#[hook]
pub fn use_animation_frame(active: bool, on_frame: Callback<f64>) {
    use_effect_with(active, move |&active| {
        let slot: FrameSlot = Rc::default();
        if active {
            schedule(slot.clone(), on_frame);
        }
        move || {
            slot.borrow_mut().take();
        }
    });
}

fn schedule(slot: FrameSlot, on_frame: Callback<f64>) {
    let next_slot = slot.clone();
    let frame = request_animation_frame(move |timestamp| {
        on_frame.emit(timestamp);
        schedule(next_slot, on_frame);
    });
    *slot.borrow_mut() = Some(frame);
}
