//! Words for what the trace records: token labels and log lines. Pure
//! functions, so the wording is tested natively.

use crate::sim::{Message, MessageKind, NoteKind, Purpose, Status};

/// The token's CSS modifier alone, without building its text; the canvas
/// stage calls this for thousands of messages a frame.
pub fn token_kind(message: &Message) -> &'static str {
    match message.kind {
        MessageKind::StatusRequest => "request",
        MessageKind::StatusResponse if message.http_status == Some(429) => "limited",
        MessageKind::StatusResponse => status_class(message.status),
        MessageKind::Webhook if message.purpose == Purpose::Replay => "replay",
        MessageKind::Webhook => "webhook",
        MessageKind::WebhookResponse => match message.http_status {
            Some(200..=299) => "ack",
            _ => "error",
        },
    }
}

/// The token's text and its CSS modifier, by what the message carries.
pub fn token_label(message: &Message) -> (String, &'static str) {
    let status = message.status.map_or("?", Status::as_str);
    let (text, kind) = match message.kind {
        MessageKind::StatusRequest => {
            let text = match message.purpose {
                Purpose::Fetch => "GET payment",
                Purpose::Reconcile => "reconcile",
                _ => "GET status",
            };
            (text.to_string(), "request")
        }
        MessageKind::StatusResponse if message.http_status == Some(429) => {
            ("429 slow down".to_string(), "limited")
        }
        MessageKind::StatusResponse => (status.to_string(), status_class(message.status)),
        MessageKind::Webhook if message.purpose == Purpose::Replay => (format!("replay: {status}"), "replay"),
        MessageKind::Webhook if message.attempt > 1 => {
            (format!("retry {}: {status}", message.attempt), "webhook")
        }
        MessageKind::Webhook => (format!("webhook: {status}"), "webhook"),
        MessageKind::WebhookResponse => match message.http_status {
            Some(code @ 200..=299) => (format!("{code} OK"), "ack"),
            Some(401) => ("401 bad signature".to_string(), "error"),
            Some(409) => ("409 unknown".to_string(), "error"),
            Some(503) => ("503 down".to_string(), "error"),
            Some(code) => (format!("{code} error"), "error"),
            None => ("no answer".to_string(), "error"),
        },
    };
    if message.lost {
        (format!("{text} (lost)"), kind)
    } else {
        (text, kind)
    }
}

/// CSS modifier for a status, shared by tokens and payment chips.
pub fn status_class(status: Option<Status>) -> &'static str {
    match status {
        None => "none",
        Some(Status::Pending) => "pending",
        Some(Status::Processing) => "processing",
        Some(Status::Succeeded) => "succeeded",
        Some(Status::Failed) => "failed",
    }
}

/// One line of the log for a note, and whether it reports a problem.
pub fn note_text(kind: &NoteKind, payment: u32) -> (String, bool) {
    let event = |id: &u32| format!("evt_{id}");
    match kind {
        NoteKind::Received { event_id, duplicate: true } => {
            (format!("Gateway received {} again", event(event_id)), true)
        }
        NoteKind::Received { event_id, .. } => (format!("Gateway received {}", event(event_id)), false),
        NoteKind::Applied { event_id, status, duplicate, out_of_order } => {
            let mut text = format!("Gateway applied {}: {}", event(event_id), status.as_str());
            if *duplicate {
                text.push_str(", a second time");
            }
            if *out_of_order {
                text.push_str(", over a newer event");
            }
            (text, *duplicate || *out_of_order)
        }
        NoteKind::IgnoredStale { event_id } => {
            (format!("Gateway ignored {}: older than what it knows", event(event_id)), false)
        }
        NoteKind::SkippedDuplicate { event_id } => {
            (format!("Gateway skipped {}: already received", event(event_id)), false)
        }
        NoteKind::DroppedUnknown { event_id } => {
            (format!("Gateway dropped {}: unknown payment, answered 200", event(event_id)), true)
        }
        NoteKind::RejectedUnknown { event_id } => {
            (format!("Gateway answered 409 to {}: unknown payment", event(event_id)), false)
        }
        NoteKind::SignatureRejected { event_id, replay, outside_tolerance } => {
            let what = if *replay { format!("a replay of {}", event(event_id)) } else { event(event_id) };
            let why =
                if *outside_tolerance { "timestamp outside the tolerance" } else { "signature mismatch" };
            (format!("Gateway rejected {what}: {why}"), !*replay)
        }
        NoteKind::ReplayAccepted { event_id } => {
            (format!("Gateway accepted a replay of {}", event(event_id)), true)
        }
        NoteKind::LostInCrash { event_id } => {
            (format!("Gateway crashed before storing {}: event lost", event(event_id)), true)
        }
        NoteKind::TimedOut { event_id, attempt } => {
            (format!("ABC Payment: attempt {attempt} of {} timed out", event(event_id)), true)
        }
        NoteKind::Abandoned { event_id } => (format!("ABC Payment gave up on {}", event(event_id)), true),
        NoteKind::EndpointDisabled => ("ABC Payment disabled the endpoint".to_string(), true),
        NoteKind::GaveUp => (format!("Gateway stopped polling payment #{}", payment + 1), true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(kind: MessageKind, purpose: Purpose) -> Message {
        Message::blank(kind, purpose, 0)
    }

    #[test]
    fn tokens_name_what_they_carry() {
        let cases = [
            (message(MessageKind::StatusRequest, Purpose::Poll), "GET status", "request"),
            (message(MessageKind::StatusRequest, Purpose::Fetch), "GET payment", "request"),
            (
                Message { http_status: Some(429), ..message(MessageKind::StatusResponse, Purpose::Poll) },
                "429 slow down",
                "limited",
            ),
            (
                Message {
                    status: Some(Status::Pending),
                    ..message(MessageKind::StatusResponse, Purpose::Poll)
                },
                "pending",
                "pending",
            ),
            (
                Message {
                    status: Some(Status::Succeeded),
                    attempt: 3,
                    ..message(MessageKind::Webhook, Purpose::Delivery)
                },
                "retry 3: succeeded",
                "webhook",
            ),
            (
                Message {
                    http_status: Some(503),
                    lost: true,
                    ..message(MessageKind::WebhookResponse, Purpose::Delivery)
                },
                "503 down (lost)",
                "error",
            ),
        ];
        for (message, text, kind) in cases {
            assert_eq!(token_label(&message), (text.to_string(), kind));
            assert_eq!(token_kind(&message), kind);
        }
    }

    #[test]
    fn notes_read_as_sentences() {
        let applied = NoteKind::Applied {
            event_id: 4,
            status: Status::Processing,
            duplicate: true,
            out_of_order: true,
        };
        assert_eq!(
            note_text(&applied, 0),
            ("Gateway applied evt_4: processing, a second time, over a newer event".to_string(), true)
        );
        assert_eq!(note_text(&NoteKind::GaveUp, 2).0, "Gateway stopped polling payment #3");
    }
}
