//! A run as files a team can keep: a Mermaid sequence diagram for a design
//! document, CSV tables for a spreadsheet, and the whole run as JSON.
//!
//! Pure functions from a [`Run`] to text. The page turns the text into a
//! download, so nothing here imports a web crate.

mod csv;
mod mermaid;

use serde::Serialize;

use crate::sim::{Message, Metrics, Note, Payment, Run, StateChange, Strategy};

pub use csv::{changes_csv, notes_csv, trace_csv, TRACE_CSV_HEADER};
pub use mermaid::{mermaid, MAX_ARROWS};

/// Value of the `format` field of [`run_json`], so that a reader can tell the file apart.
pub const JSON_FORMAT: &str = "pollhook-run";

/// Version of the JSON layout; raise it when a field changes meaning or goes away.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct RunDocument<'a> {
    format: &'static str,
    version: u32,
    /// The scenario as the page's query string, so the run can be reproduced.
    scenario: &'a str,
    payments: &'a [Payment],
    lanes: Vec<LaneDocument<'a>>,
}

#[derive(Serialize)]
struct LaneDocument<'a> {
    strategy: Strategy,
    metrics: &'a Metrics,
    messages: &'a [Message],
    changes: &'a [StateChange],
    notes: &'a [Note],
}

/// Serializes the run as one JSON document:
/// `{"format":"pollhook-run","version":1,"scenario":…,"payments":[…],"lanes":[…]}`.
///
/// Each lane contains `strategy`, `metrics`, `messages`, `changes` and `notes`
/// with the field names of the simulation's types. Times are in milliseconds,
/// and `payment` fields are zero-based indices into `payments`, unlike the
/// one-based payment numbers of the CSV tables and the diagram.
pub fn run_json(run: &Run, scenario_query: &str) -> String {
    let lanes = run
        .lanes
        .iter()
        .map(|lane| LaneDocument {
            strategy: lane.strategy,
            metrics: &lane.metrics,
            messages: &lane.trace.messages,
            changes: &lane.trace.changes,
            notes: &lane.trace.notes,
        })
        .collect();
    let document = RunDocument {
        format: JSON_FORMAT,
        version: JSON_VERSION,
        scenario: scenario_query,
        payments: &run.payments,
        lanes,
    };
    // serde_json documents two causes of failure: a Serialize impl that
    // returns an error, and a map with non-string keys. The run's types
    // derive Serialize and contain no map.
    serde_json::to_string_pretty(&document).expect("a run serializes to JSON")
}
