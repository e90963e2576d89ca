//! Yew components. Each renders a pure function of its props; none of them
//! schedules simulation events.

mod charts;
mod controls;
mod describe;
mod dialogs;
mod fields;
mod flow_stage;
mod gallery;
mod long_run;
mod message_log;
mod metrics_card;
mod narrator;
mod notices;
mod playback_bar;
mod stage;
mod strategy_panel;
mod tour_bar;

pub use charts::{Charts, CURSOR_STEPS};
pub use controls::Controls;
pub use dialogs::{dialog, DialogContext, SHORTCUTS};
pub use gallery::{Gallery, StoryBox};
pub use long_run::LongRunSection;
pub use narrator::Narrator;
pub use notices::Notices;
pub use playback_bar::PlaybackBar;
pub use strategy_panel::StrategyPanel;
pub use tour_bar::TourBar;
