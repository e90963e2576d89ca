mod use_animation_frame;
mod use_shortcuts;

pub use use_animation_frame::use_animation_frame;
pub use use_shortcuts::{shortcut, use_shortcuts};
