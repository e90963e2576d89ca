//! Yew components. Each renders a pure function of its props; none of them
//! schedules simulation events.

mod controls;
mod describe;
mod fields;
mod gallery;
mod message_log;
mod metrics_card;
mod notices;
mod playback_bar;
mod stage;
mod strategy_panel;

pub use controls::Controls;
pub use gallery::{Gallery, StoryBox};
pub use notices::Notices;
pub use playback_bar::PlaybackBar;
pub use strategy_panel::StrategyPanel;
