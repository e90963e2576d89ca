//! The messages a host page exchanges with an embedded playground through
//! `window.postMessage`. Parsing and writing are pure; the page wires them
//! to the window. docs/embedding.md documents the format.

use serde::Deserialize;
use serde_json::json;

use crate::scenario::units::parse_duration;
use crate::scenario::Millis;
use crate::sim::{Detection, Strategy};

/// Tag of every message the playground sends, so a host can tell them apart.
pub const SOURCE: &str = "pollhook";
/// Version of the message format.
pub const VERSION: u32 = 1;

/// A command from the host page.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Play,
    Pause,
    /// Moves to a virtual time, in milliseconds.
    Seek(Millis),
    /// Applies link parameters, such as "poll=5s&payments=3".
    Set(String),
    /// Asks for a state event now.
    GetState,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
enum Wire {
    Play,
    Pause,
    Seek { time: TimeValue },
    Set { params: String },
    GetState,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TimeValue {
    Millis(u64),
    Text(String),
}

/// Longest message the playground reads, in bytes of JSON.
pub const MAX_MESSAGE_BYTES: usize = 4_096;

/// Reads a command from the JSON of a message's data. Anything else is an
/// error that says why, and the page ignores and counts it.
pub fn parse_command(json: &str) -> Result<Command, String> {
    if json.len() > MAX_MESSAGE_BYTES {
        return Err(format!("message of {} bytes is longer than {MAX_MESSAGE_BYTES}", json.len()));
    }
    let wire: Wire =
        serde_json::from_str(json).map_err(|error| format!("not a playground command: {error}"))?;
    Ok(match wire {
        Wire::Play => Command::Play,
        Wire::Pause => Command::Pause,
        Wire::GetState => Command::GetState,
        Wire::Set { params } => Command::Set(params),
        Wire::Seek { time: TimeValue::Millis(ms) } => Command::Seek(ms),
        Wire::Seek { time: TimeValue::Text(text) } => {
            Command::Seek(parse_duration(&text).map_err(|error| format!("seek time {error}"))?)
        }
    })
}

/// The event the playground sends once it is ready for commands.
pub fn ready_event() -> String {
    json!({ "source": SOURCE, "version": VERSION, "type": "ready" }).to_string()
}

/// What the playground shows, sent after every change a host may care about.
#[derive(Clone, Debug, PartialEq)]
pub struct StateEvent {
    pub time_ms: Millis,
    pub end_ms: Millis,
    pub playing: bool,
    /// The link parameters of the current scenario.
    pub params: String,
    /// Messages ignored so far because they were not commands.
    pub ignored_messages: u64,
}

pub fn state_event(state: &StateEvent) -> String {
    json!({
        "source": SOURCE,
        "version": VERSION,
        "type": "state",
        "time_ms": state.time_ms,
        "end_ms": state.end_ms,
        "playing": state.playing,
        "params": state.params,
        "ignored_messages": state.ignored_messages,
    })
    .to_string()
}

/// Sent when playback passes the moment a gateway learns a payment's outcome.
pub fn detection_event(strategy: Strategy, detection: &Detection) -> String {
    json!({
        "source": SOURCE,
        "version": VERSION,
        "type": "payment-detected",
        "strategy": strategy.key(),
        "payment": detection.payment + 1,
        "status": detection.status.as_str(),
        "at_ms": detection.at,
        "delay_ms": detection.delay_ms,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Status;

    #[test]
    fn commands_parse() {
        let cases = [
            (r#"{"type":"play"}"#, Command::Play),
            (r#"{"type":"pause"}"#, Command::Pause),
            (r#"{"type":"get-state"}"#, Command::GetState),
            (r#"{"type":"seek","time":8200}"#, Command::Seek(8_200)),
            (r#"{"type":"seek","time":"8.2s"}"#, Command::Seek(8_200)),
            (r#"{"type":"set","params":"poll=5s"}"#, Command::Set("poll=5s".to_string())),
            // Hosts may tag their messages; other fields are ignored.
            (r#"{"type":"play","from":"course-page"}"#, Command::Play),
        ];
        for (json, expected) in cases {
            assert_eq!(parse_command(json), Ok(expected), "{json}");
        }
    }

    #[test]
    fn malformed_messages_are_errors() {
        let bad = [
            "",
            "null",
            "42",
            r#""play""#,
            r#"{"type":"explode"}"#,
            r#"{"type":"seek"}"#,
            r#"{"type":"seek","time":-5}"#,
            r#"{"type":"seek","time":"soon"}"#,
            r#"{"type":"set","params":5}"#,
            r#"{"source":"react-devtools-bridge","payload":{}}"#,
        ];
        for json in bad {
            assert!(parse_command(json).is_err(), "{json}");
        }
        let long = format!(r#"{{"type":"set","params":"{}"}}"#, "x".repeat(MAX_MESSAGE_BYTES));
        assert!(parse_command(&long).unwrap_err().contains("longer than"));
    }

    #[test]
    fn events_are_tagged_json() {
        let value: serde_json::Value = serde_json::from_str(&ready_event()).unwrap();
        assert_eq!(value["source"], "pollhook");
        assert_eq!(value["type"], "ready");
        let found = Detection { at: 8_200, payment: 0, status: Status::Succeeded, delay_ms: 1_200 };
        let value: serde_json::Value =
            serde_json::from_str(&detection_event(Strategy::Polling, &found)).unwrap();
        assert_eq!(value["payment"], 1);
        assert_eq!(value["strategy"], "polling");
        assert_eq!(value["delay_ms"], 1_200);
        let state = StateEvent {
            time_ms: 5,
            end_ms: 8_200,
            playing: true,
            params: "poll=5s".into(),
            ignored_messages: 2,
        };
        let value: serde_json::Value = serde_json::from_str(&state_event(&state)).unwrap();
        assert_eq!(value["ignored_messages"], 2);
        assert_eq!(value["params"], "poll=5s");
    }
}
