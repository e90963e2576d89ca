//! The run of one strategy as a Mermaid `sequenceDiagram`, for pasting into
//! a design document: GitHub and most documentation tools render it.
//!
//! The syntax follows the grammar of Mermaid 11's sequence diagrams
//! (`sequenceDiagram.jison`). A message line is `A->>B: text`, and the text
//! runs from the colon to the end of the line. It must not contain `#`,
//! which starts a comment, or `;`, which ends a statement.

use std::fmt::Write;

use crate::scenario::units::format_clock;
use crate::scenario::Millis;
use crate::sim::{
    Actor, Message, MessageKind, Note, NoteKind, Purpose, Run, StateChange, Status, Strategy, Trace,
};

/// Largest number of arrows in one diagram, because Mermaid's layout gets
/// slow with many more.
pub const MAX_ARROWS: usize = 400;

/// Largest length of one diagram in bytes. Mermaid refuses a diagram longer
/// than its `maxTextSize` setting, 50,000 characters by default, and this
/// leaves room for the closing note.
const MAX_BYTES: usize = 48_000;

/// Draws the run of one strategy as a Mermaid sequence diagram.
///
/// Every message becomes an arrow in send order, labelled with its send time:
/// solid for requests and webhooks, dashed for responses, and ending in a cross
/// (`-x`, `--x`) when the network lost it. Notes show what is not a message:
/// ABC Payment setting a final status, the gateway learning one, timeouts,
/// duplicates, rejections. Arrows name their payment when the diagram shows
/// more than one. The diagram shows only the first `payment_limit` payments
/// and at most [`MAX_ARROWS`] arrows, stops early if it would outgrow
/// Mermaid's default size limit, and ends with a note that counts the
/// messages left out.
pub fn mermaid(run: &Run, strategy: Strategy, payment_limit: usize) -> String {
    let mut diagram = Diagram::new(strategy);
    let Some(lane) = run.lane(strategy) else {
        diagram.push_note("G,P", &format!("{} was not simulated in this run", strategy.label()));
        return diagram.text;
    };

    let trace = &lane.trace;
    let shown_payments = run.payments.len().min(payment_limit);
    let name_payments = shown_payments > 1;
    for step in steps(trace, payment_limit) {
        let line = match step {
            Step::Message(message) => {
                if diagram.arrows == MAX_ARROWS {
                    break;
                }
                arrow_line(message, name_payments)
            }
            Step::Change(change) => match change_line(change) {
                Some(line) => line,
                None => continue,
            },
            Step::Note(note) => match note_line(note) {
                Some(line) => line,
                None => continue,
            },
        };
        if !diagram.fits(&line) {
            break;
        }
        if matches!(step, Step::Message(_)) {
            diagram.arrows += 1;
        }
        diagram.text.push_str(&line);
    }

    let hidden = trace.messages.len() - diagram.arrows;
    if hidden > 0 {
        let noun = if hidden == 1 { "message" } else { "messages" };
        diagram.push_note("G,P", &format!("{hidden} more {noun} not shown"));
    }
    diagram.text
}

/// The diagram text, with the count of arrows drawn so far.
struct Diagram {
    text: String,
    arrows: usize,
}

impl Diagram {
    fn new(strategy: Strategy) -> Diagram {
        let mut text = String::from("sequenceDiagram\n");
        let _ = writeln!(text, "    title {} strategy", plain(strategy.label()));
        text.push_str("    participant G as Gateway\n");
        text.push_str("    participant P as ABC Payment\n");
        Diagram { text, arrows: 0 }
    }

    /// Checks whether a line fits in the size budget, keeping room for the closing note.
    fn fits(&self, line: &str) -> bool {
        const CLOSING_NOTE_BYTES: usize = 80;
        self.text.len() + line.len() + CLOSING_NOTE_BYTES <= MAX_BYTES
    }

    fn push_note(&mut self, over: &str, text: &str) {
        let _ = writeln!(self.text, "    Note over {over}: {}", plain(text));
    }
}

/// One line of the diagram before it is written.
#[derive(Clone, Copy)]
enum Step<'a> {
    Change(&'a StateChange),
    Note(&'a Note),
    Message(&'a Message),
}

impl Step<'_> {
    /// Sort key: the virtual time, then notes before status changes before
    /// messages sent. Within one millisecond the gateway thus receives an
    /// event, then changes its view, and ABC Payment sets a final status
    /// before it sends the webhook that reports it.
    // NOTE: the trace keeps no order between a note, a change and a message
    // of the same millisecond. A step can still appear before the one that
    // caused it, such as a 200 response sent before the event is applied.
    fn key(&self) -> (Millis, u8) {
        match self {
            Step::Note(note) => (note.at, 0),
            Step::Change(change) => (change.at, 1),
            Step::Message(message) => (message.sent_at, 2),
        }
    }
}

/// Merges the trace into one list ordered by time, keeping only the first
/// `payment_limit` payments.
fn steps(trace: &Trace, payment_limit: usize) -> Vec<Step<'_>> {
    let is_shown = |payment: u32| (payment as usize) < payment_limit;
    let mut steps: Vec<Step> = trace
        .changes
        .iter()
        .filter(|change| is_shown(change.payment))
        .map(Step::Change)
        .chain(trace.notes.iter().filter(|note| is_shown(note.payment)).map(Step::Note))
        .chain(trace.messages.iter().filter(|message| is_shown(message.payment)).map(Step::Message))
        .collect();
    // Each list is already in time order, and the sort is stable, so steps
    // with equal keys keep their order in the trace.
    steps.sort_by_key(Step::key);
    steps
}

fn arrow_line(message: &Message, name_payment: bool) -> String {
    let (from, to) = match message.kind.from() {
        Actor::Gateway => ("G", "P"),
        Actor::Provider => ("P", "G"),
    };
    let response = matches!(message.kind, MessageKind::StatusResponse | MessageKind::WebhookResponse);
    let arrow = match (response, message.lost) {
        (false, false) => "->>",
        (true, false) => "-->>",
        (false, true) => "-x",
        (true, true) => "--x",
    };
    let mut text = message_text(message);
    if name_payment {
        let _ = write!(text, " for payment {}", message.payment + 1);
    }
    format!("    {from}{arrow}{to}: {} {}\n", format_clock(message.sent_at), plain(&text))
}

fn message_text(message: &Message) -> String {
    let event = message.event_id.map_or_else(String::new, |id| format!("evt_{id}, "));
    match message.kind {
        MessageKind::StatusRequest => match message.purpose {
            Purpose::Fetch => "GET payment".to_string(),
            Purpose::Reconcile => "GET status (reconciliation)".to_string(),
            _ => "GET status".to_string(),
        },
        MessageKind::StatusResponse => match (message.http_status, message.retry_after_s) {
            (Some(429), Some(seconds)) => format!("429 Too Many Requests, retry after {seconds} s"),
            (Some(429), None) => "429 Too Many Requests".to_string(),
            _ => message.status.map_or("no status", Status::as_str).to_string(),
        },
        MessageKind::Webhook => {
            let event_type = message.status.map_or("unknown", Status::as_str);
            if message.purpose == Purpose::Replay {
                format!("replay of webhook payment.{event_type} ({event}attempt {})", message.attempt)
            } else {
                format!("webhook payment.{event_type} ({event}attempt {})", message.attempt)
            }
        }
        MessageKind::WebhookResponse => match message.http_status {
            Some(code) => format!("{code} {}", reason_phrase(code)),
            None => "no status code".to_string(),
        },
    }
}

/// Returns the reason phrase of each HTTP status code the simulation sends.
fn reason_phrase(code: u16) -> &'static str {
    match code {
        200 => "OK",
        401 => "Unauthorized",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Formats the note for a change to a final status. Returns `None` for other
/// changes, which the arrows already carry.
fn change_line(change: &StateChange) -> Option<String> {
    if !change.status.is_final() {
        return None;
    }
    let time = format_clock(change.at);
    let payment = change.payment + 1;
    let status = change.status.as_str();
    let line = match change.actor {
        Actor::Provider => format!("    Note over P: {time} payment {payment} {status}\n"),
        Actor::Gateway => format!("    Note over G: {time} knows payment {payment} {status}\n"),
    };
    Some(line)
}

/// Formats the line of a note. Returns `None` for routine work that the
/// arrows and the status notes already show, which is a first receipt and a
/// first, in-order apply.
fn note_line(note: &Note) -> Option<String> {
    let event = |id: u32| format!("evt_{id}");
    let (side, text) = match note.kind {
        NoteKind::Received { event_id, duplicate: true } => {
            ("G", format!("received {} again", event(event_id)))
        }
        NoteKind::Received { .. } => return None,
        NoteKind::Applied { event_id, status, duplicate, out_of_order } => {
            if !duplicate && !out_of_order {
                return None;
            }
            let mut text = format!("processed {} ({})", event(event_id), status.as_str());
            if duplicate {
                text.push_str(" a second time");
            }
            if out_of_order {
                text.push_str(" over a newer event");
            }
            ("G", text)
        }
        NoteKind::IgnoredStale { event_id } => {
            ("G", format!("ignored {}, older than the status it has", event(event_id)))
        }
        NoteKind::SkippedDuplicate { event_id } => {
            ("G", format!("skipped {}, already received", event(event_id)))
        }
        NoteKind::DroppedUnknown { event_id } => {
            ("G", format!("dropped {}, unknown payment, answered 200", event(event_id)))
        }
        NoteKind::RejectedUnknown { event_id } => {
            ("G", format!("rejected {}, unknown payment", event(event_id)))
        }
        NoteKind::SignatureRejected { event_id, replay, outside_tolerance } => {
            let subject = if replay { format!("a replay of {}", event(event_id)) } else { event(event_id) };
            let reason =
                if outside_tolerance { "timestamp outside the tolerance" } else { "signature mismatch" };
            ("G", format!("rejected {subject}, {reason}"))
        }
        NoteKind::ReplayAccepted { event_id } => ("G", format!("accepted a replay of {}", event(event_id))),
        NoteKind::LostInCrash { event_id } => {
            ("G", format!("crashed before storing {}, event lost", event(event_id)))
        }
        NoteKind::TimedOut { event_id, attempt } => {
            ("P", format!("attempt {attempt} of {} timed out", event(event_id)))
        }
        NoteKind::Abandoned { event_id } => ("P", format!("gave up on {}", event(event_id))),
        NoteKind::EndpointDisabled => ("P", "disabled the endpoint".to_string()),
        NoteKind::GaveUp => ("G", format!("stopped polling payment {}", note.payment + 1)),
    };
    Some(format!("    Note over {side}: {} {}\n", format_clock(note.at), plain(&text)))
}

/// Makes text safe after the colon of a Mermaid line: `#` and `;` become
/// Mermaid's entity codes `#35;` and `#59;`, and line breaks become spaces.
/// The texts this module writes contain none of them, so this only guards
/// against a future wording.
fn plain(text: &str) -> String {
    let mut safe = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => safe.push_str("#35;"),
            ';' => safe.push_str("#59;"),
            c if c.is_control() => safe.push(' '),
            c => safe.push(c),
        }
    }
    safe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_escapes_mermaid_specials() {
        assert_eq!(plain("payment 1 succeeded"), "payment 1 succeeded");
        assert_eq!(plain("payment #1"), "payment #35;1");
        assert_eq!(plain("a;b"), "a#59;b");
        assert_eq!(plain("two\nlines\r"), "two lines ");
    }

    #[test]
    fn arrows_cross_when_lost() {
        let request = Message::blank(MessageKind::StatusRequest, Purpose::Poll, 0);
        let response = Message {
            http_status: Some(200),
            event_id: Some(3),
            attempt: 1,
            lost: true,
            ..Message::blank(MessageKind::WebhookResponse, Purpose::Delivery, 1)
        };
        assert_eq!(arrow_line(&request, false), "    G->>P: 0:00.000 GET status\n");
        assert_eq!(arrow_line(&response, true), "    G--xP: 0:00.000 200 OK for payment 2\n");
    }

    #[test]
    fn message_text_names_429_and_replays() {
        let limited = Message {
            http_status: Some(429),
            retry_after_s: Some(2),
            ..Message::blank(MessageKind::StatusResponse, Purpose::Poll, 0)
        };
        let replay = Message {
            status: Some(Status::Succeeded),
            event_id: Some(1),
            attempt: 1,
            ..Message::blank(MessageKind::Webhook, Purpose::Replay, 0)
        };
        assert_eq!(message_text(&limited), "429 Too Many Requests, retry after 2 s");
        assert_eq!(message_text(&replay), "replay of webhook payment.succeeded (evt_1, attempt 1)");
    }

    #[test]
    fn routine_notes_are_left_out() {
        let note = |kind| Note { at: 1_500, payment: 0, kind };
        assert_eq!(note_line(&note(NoteKind::Received { event_id: 1, duplicate: false })), None);
        let first_apply = NoteKind::Applied {
            event_id: 1,
            status: Status::Succeeded,
            duplicate: false,
            out_of_order: false,
        };
        assert_eq!(note_line(&note(first_apply)), None);
        assert_eq!(
            note_line(&note(NoteKind::TimedOut { event_id: 1, attempt: 2 })).as_deref(),
            Some("    Note over P: 0:01.500 attempt 2 of evt_1 timed out\n")
        );
    }
}
