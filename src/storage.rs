//! Saves the reader's settings in localStorage so they survive a reload.

use serde::{Deserialize, Serialize};

use crate::playback::Preferences;
use crate::scenario::Scenario;
use crate::state::Notice;

const KEY: &str = "pollhook.settings.v1";

#[derive(Serialize, Deserialize)]
pub struct Settings {
    pub scenario: Scenario,
    #[serde(default)]
    pub preferences: Preferences,
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Loads the saved settings. Returns `None` when nothing is saved, and a
/// notice when something is saved but cannot be read.
pub fn load() -> (Option<Settings>, Option<Notice>) {
    let Some(text) = local_storage().and_then(|storage| storage.get_item(KEY).ok().flatten()) else {
        return (None, None);
    };
    match serde_json::from_str(&text) {
        Ok(settings) => (Some(settings), None),
        Err(error) => (
            None,
            Some(Notice::new(format!("Saved settings could not be read ({error}); using the defaults."))),
        ),
    }
}

/// Saves the settings; a browser that blocks storage just keeps nothing.
pub fn save(settings: &Settings) {
    if let (Some(storage), Ok(text)) = (local_storage(), serde_json::to_string(settings)) {
        let _ = storage.set_item(KEY, &text);
    }
}
