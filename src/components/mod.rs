//! Yew components. Each renders a pure function of its props; none of them
//! schedules simulation events.

mod controls;
mod fields;
mod message_log;
mod metrics_card;
mod notices;
mod playback_bar;
mod span_field;
mod stage;
mod strategy_panel;

pub use controls::Controls;
pub use notices::Notices;
pub use playback_bar::PlaybackBar;
pub use strategy_panel::StrategyPanel;
