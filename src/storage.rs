//! Saves the reader's settings in localStorage so they survive a reload.
//!
//! The settings are stored as link parameters (`scenario::query`), the same
//! readable form as the address bar, so one decoder checks both and a
//! damaged entry is named parameter by parameter.

use crate::playback::Preferences;
use crate::scenario::query::{self, Link, ViewOptions};
use crate::scenario::Scenario;
use crate::state::Notice;

const KEY: &str = "pollhook.settings.v2";

pub struct Settings {
    pub scenario: Scenario,
    pub preferences: Preferences,
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Writes settings as link parameters.
pub fn encode(settings: &Settings) -> String {
    let defaults = Preferences::default();
    let preferences = settings.preferences;
    query::encode(&Link {
        scenario: settings.scenario.clone(),
        time_ms: None,
        view: ViewOptions {
            speed: (preferences.speed != defaults.speed).then_some(preferences.speed),
            slow_motion: (preferences.slow_motion != defaults.slow_motion).then_some(preferences.slow_motion),
            skip_quiet: (preferences.skip_quiet != defaults.skip_quiet).then_some(preferences.skip_quiet),
            ..ViewOptions::default()
        },
    })
}

/// Reads settings from link parameters; each parameter that cannot be
/// used becomes a notice naming it and the value used instead.
pub fn decode(text: &str) -> (Settings, Vec<Notice>) {
    let (link, rejected) = query::decode(text);
    let defaults = Preferences::default();
    let view = link.view;
    let settings = Settings {
        scenario: link.scenario,
        preferences: Preferences {
            speed: view.speed.unwrap_or(defaults.speed),
            slow_motion: view.slow_motion.unwrap_or(defaults.slow_motion),
            skip_quiet: view.skip_quiet.unwrap_or(defaults.skip_quiet),
        },
    };
    let notices = rejected
        .into_iter()
        .map(|rejected| {
            let outcome = match rejected.used.as_str() {
                "ignored" => "ignored".to_string(),
                used => format!("using {used}"),
            };
            Notice::new(format!(
                "Saved setting {}={}: {}; {outcome}.",
                rejected.key, rejected.value, rejected.reason
            ))
        })
        .collect();
    (settings, notices)
}

/// Loads the saved settings, or `None` when nothing is saved, with a notice
/// for each saved parameter that could not be used.
pub fn load() -> (Option<Settings>, Vec<Notice>) {
    match local_storage().and_then(|storage| storage.get_item(KEY).ok().flatten()) {
        Some(text) => {
            let (settings, notices) = decode(&text);
            (Some(settings), notices)
        }
        None => (None, Vec::new()),
    }
}

/// Saves the settings; a browser that blocks storage just keeps nothing.
pub fn save(settings: &Settings) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(KEY, &encode(settings));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip() {
        let mut scenario = Scenario::default();
        scenario.polling.interval_ms = 3_000;
        scenario.seed = 42;
        let preferences = Preferences { speed: 10.0, slow_motion: false, skip_quiet: true };
        let text = encode(&Settings { scenario: scenario.clone(), preferences });
        assert_eq!(text, "seed=42&poll=3s&speed=10&slow=off&skip=on");
        let (settings, notices) = decode(&text);
        assert_eq!(settings.scenario, scenario);
        assert_eq!(settings.preferences, preferences);
        assert!(notices.is_empty());
    }

    #[test]
    fn damaged_entry_names_each_parameter() {
        let (settings, notices) = decode("{not json&poll=5ms");
        assert_eq!(settings.scenario.polling.interval_ms, 100);
        let texts: Vec<&str> = notices.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(texts[0].starts_with("Saved setting {not json=: "), "{texts:?}");
        assert!(texts[1].starts_with("Saved setting poll=5ms: "), "{texts:?}");
    }
}
