mod use_animation_frame;
mod use_host_messages;
mod use_long_run;
mod use_pending_run;
mod use_shortcuts;
mod use_url_sync;

pub use use_animation_frame::use_animation_frame;
pub use use_host_messages::use_host_messages;
pub use use_long_run::{use_long_run, LongRunHandle, Progress};
pub use use_pending_run::use_pending_run;
pub use use_shortcuts::{shortcut, use_shortcuts};
pub use use_url_sync::use_url_sync;
