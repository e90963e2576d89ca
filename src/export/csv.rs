//! The trace of one strategy as CSV tables (RFC 4180: comma-separated,
//! CRLF line endings, a header row, quotes only where a field needs them).
//!
//! Payments are numbered from 1, as on the page. Times are virtual
//! milliseconds. A cell is empty where the value does not apply.

use serde::Serialize;

use crate::sim::{Message, NoteKind, Run, Status, Strategy};

/// Header row of [`trace_csv`].
pub const TRACE_CSV_HEADER: &str =
    "kind,purpose,payment,sent_ms,arrives_ms,lost,status,http_status,event_id,attempt,retry_after_s";

const CHANGES_CSV_HEADER: &str = "at_ms,payment,actor,status";

const NOTES_CSV_HEADER: &str =
    "at_ms,payment,kind,event_id,attempt,status,duplicate,out_of_order,replay,outside_tolerance";

/// Writes one row per message of the strategy, in send order.
///
/// `kind`, `purpose` and `status` use the names of the JSON export, such as
/// `status_request`. `attempt` is empty for messages that are not webhook
/// deliveries or replays. A strategy the run did not simulate gives the header alone.
pub fn trace_csv(run: &Run, strategy: Strategy) -> String {
    let mut table = Table::new(TRACE_CSV_HEADER);
    let Some(lane) = run.lane(strategy) else {
        return table.text;
    };
    for message in &lane.trace.messages {
        table.row(&message_cells(message));
    }
    table.text
}

/// Writes one row per status change of the strategy, at ABC Payment
/// (`actor` is `provider`) or at the gateway, in the order they happened.
pub fn changes_csv(run: &Run, strategy: Strategy) -> String {
    let mut table = Table::new(CHANGES_CSV_HEADER);
    let Some(lane) = run.lane(strategy) else {
        return table.text;
    };
    for change in &lane.trace.changes {
        table.row(&[
            change.at.to_string(),
            (change.payment + 1).to_string(),
            serde_name(&change.actor),
            serde_name(&change.status),
        ]);
    }
    table.text
}

/// Writes one row per note of the strategy (a timeout, a duplicate, a
/// rejected signature and so on), in the order they happened. `kind` is the
/// note's tag in the JSON export, and the other columns are the note's fields.
pub fn notes_csv(run: &Run, strategy: Strategy) -> String {
    let mut table = Table::new(NOTES_CSV_HEADER);
    let Some(lane) = run.lane(strategy) else {
        return table.text;
    };
    for note in &lane.trace.notes {
        let fields = NoteFields::of(&note.kind);
        table.row(&[
            note.at.to_string(),
            (note.payment + 1).to_string(),
            fields.kind.to_string(),
            optional(fields.event_id),
            optional(fields.attempt),
            optional(fields.status.map(|status| status.as_str())),
            optional(fields.duplicate),
            optional(fields.out_of_order),
            optional(fields.replay),
            optional(fields.outside_tolerance),
        ]);
    }
    table.text
}

fn message_cells(message: &Message) -> [String; 11] {
    let attempt = (message.attempt > 0).then_some(message.attempt);
    [
        serde_name(&message.kind),
        serde_name(&message.purpose),
        (message.payment + 1).to_string(),
        message.sent_at.to_string(),
        message.arrives_at.to_string(),
        message.lost.to_string(),
        optional(message.status.map(Status::as_str)),
        optional(message.http_status),
        optional(message.event_id),
        optional(attempt),
        optional(message.retry_after_s),
    ]
}

/// The fields of a note, flattened into the columns of [`notes_csv`].
#[derive(Default)]
struct NoteFields {
    kind: &'static str,
    event_id: Option<u32>,
    attempt: Option<u16>,
    status: Option<Status>,
    duplicate: Option<bool>,
    out_of_order: Option<bool>,
    replay: Option<bool>,
    outside_tolerance: Option<bool>,
}

impl NoteFields {
    // The patterns name every field, so a field added to `NoteKind` fails to
    // compile here until it has a column.
    fn of(kind: &NoteKind) -> NoteFields {
        match *kind {
            NoteKind::Received { event_id, duplicate } => NoteFields {
                kind: "received",
                event_id: Some(event_id),
                duplicate: Some(duplicate),
                ..NoteFields::default()
            },
            NoteKind::Applied { event_id, status, duplicate, out_of_order } => NoteFields {
                kind: "applied",
                event_id: Some(event_id),
                status: Some(status),
                duplicate: Some(duplicate),
                out_of_order: Some(out_of_order),
                ..NoteFields::default()
            },
            NoteKind::IgnoredStale { event_id } => NoteFields::event("ignored_stale", event_id),
            NoteKind::SkippedDuplicate { event_id } => NoteFields::event("skipped_duplicate", event_id),
            NoteKind::DroppedUnknown { event_id } => NoteFields::event("dropped_unknown", event_id),
            NoteKind::RejectedUnknown { event_id } => NoteFields::event("rejected_unknown", event_id),
            NoteKind::SignatureRejected { event_id, replay, outside_tolerance } => NoteFields {
                kind: "signature_rejected",
                event_id: Some(event_id),
                replay: Some(replay),
                outside_tolerance: Some(outside_tolerance),
                ..NoteFields::default()
            },
            NoteKind::ReplayAccepted { event_id } => NoteFields::event("replay_accepted", event_id),
            NoteKind::LostInCrash { event_id } => NoteFields::event("lost_in_crash", event_id),
            NoteKind::TimedOut { event_id, attempt } => NoteFields {
                kind: "timed_out",
                event_id: Some(event_id),
                attempt: Some(attempt),
                ..NoteFields::default()
            },
            NoteKind::Abandoned { event_id } => NoteFields::event("abandoned", event_id),
            NoteKind::EndpointDisabled => NoteFields { kind: "endpoint_disabled", ..NoteFields::default() },
            NoteKind::GaveUp => NoteFields { kind: "gave_up", ..NoteFields::default() },
        }
    }

    fn event(kind: &'static str, event_id: u32) -> NoteFields {
        NoteFields { kind, event_id: Some(event_id), ..NoteFields::default() }
    }
}

/// CSV text under construction: the header, then one CRLF-terminated line per row.
struct Table {
    text: String,
}

impl Table {
    fn new(header: &str) -> Table {
        Table { text: format!("{header}\r\n") }
    }

    fn row(&mut self, cells: &[String]) {
        for (index, cell) in cells.iter().enumerate() {
            if index > 0 {
                self.text.push(',');
            }
            self.text.push_str(&quote_field(cell));
        }
        self.text.push_str("\r\n");
    }
}

/// Quotes a field as RFC 4180 requires: a field that contains a comma, a
/// double quote, CR or LF goes between double quotes, with each double quote
/// inside doubled. Other fields stay as they are.
fn quote_field(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

fn optional<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(String::new, |value| value.to_string())
}

/// Returns the name serde gives a unit variant, such as `status_request`,
/// so that the CSV and the JSON export spell values the same way.
fn serde_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        other => unreachable!("a unit variant serializes to a string, not {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Actor, MessageKind, Purpose};

    #[test]
    fn quote_field_follows_rfc_4180() {
        let cases = [
            ("plain", "plain"),
            ("", ""),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("carriage\rreturn", "\"carriage\rreturn\""),
            (" spaced ", " spaced "),
        ];
        for (field, expected) in cases {
            assert_eq!(quote_field(field), expected, "{field:?}");
        }
    }

    #[test]
    fn table_row_quotes_only_cells_that_need_it() {
        let mut table = Table::new("a,b,c");
        table.row(&["1".to_string(), "x,y".to_string(), String::new()]);
        assert_eq!(table.text, "a,b,c\r\n1,\"x,y\",\r\n");
    }

    #[test]
    fn message_cells_leave_missing_values_empty() {
        let message = Message {
            sent_at: 2_000,
            arrives_at: 2_100,
            http_status: Some(429),
            retry_after_s: Some(1),
            ..Message::blank(MessageKind::StatusResponse, Purpose::Poll, 0)
        };
        assert_eq!(message_cells(&message).join(","), "status_response,poll,1,2000,2100,false,,429,,,1");
    }

    #[test]
    fn serde_name_matches_json_names() {
        assert_eq!(serde_name(&MessageKind::WebhookResponse), "webhook_response");
        assert_eq!(serde_name(&Actor::Provider), "provider");
        assert_eq!(serde_name(&Status::Succeeded), "succeeded");
    }

    #[test]
    fn note_kinds_match_json_tags() {
        let kinds = [
            NoteKind::Received { event_id: 1, duplicate: true },
            NoteKind::Applied { event_id: 1, status: Status::Failed, duplicate: false, out_of_order: true },
            NoteKind::IgnoredStale { event_id: 1 },
            NoteKind::SkippedDuplicate { event_id: 1 },
            NoteKind::DroppedUnknown { event_id: 1 },
            NoteKind::RejectedUnknown { event_id: 1 },
            NoteKind::SignatureRejected { event_id: 1, replay: true, outside_tolerance: false },
            NoteKind::ReplayAccepted { event_id: 1 },
            NoteKind::LostInCrash { event_id: 1 },
            NoteKind::TimedOut { event_id: 1, attempt: 2 },
            NoteKind::Abandoned { event_id: 1 },
            NoteKind::EndpointDisabled,
            NoteKind::GaveUp,
        ];
        for kind in kinds {
            let json = serde_json::to_value(&kind).unwrap();
            assert_eq!(Some(NoteFields::of(&kind).kind), json["kind"].as_str(), "{kind:?}");
        }
    }
}
