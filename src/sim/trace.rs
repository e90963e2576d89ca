//! The output of a run: every message and every state change, in the order
//! they happened. Metrics and every view are derived from this alone.

use serde::Serialize;

use crate::scenario::Millis;

/// A payment's status, as ABC Payment stores it or as the gateway believes it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Processing,
    Succeeded,
    Failed,
}

impl Status {
    /// Whether the payment can no longer change.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Succeeded | Status::Failed)
    }

    /// Position in the life of a payment: pending, then processing, then final.
    pub fn rank(self) -> u8 {
        match self {
            Status::Pending => 0,
            Status::Processing => 1,
            Status::Succeeded | Status::Failed => 2,
        }
    }

    /// The status as the provider's API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Processing => "processing",
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
        }
    }
}

/// The two parties of every message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Gateway,
    Provider,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// `GET /payments/{id}` from the gateway to ABC Payment.
    StatusRequest,
    /// ABC Payment's answer to a status request: the status, or 429.
    StatusResponse,
    /// A webhook delivery attempt to the gateway's endpoint.
    Webhook,
    /// The gateway endpoint's HTTP answer to a webhook delivery.
    WebhookResponse,
}

impl MessageKind {
    pub fn from(self) -> Actor {
        match self {
            MessageKind::StatusRequest | MessageKind::WebhookResponse => Actor::Gateway,
            MessageKind::StatusResponse | MessageKind::Webhook => Actor::Provider,
        }
    }

    pub fn to(self) -> Actor {
        match self.from() {
            Actor::Gateway => Actor::Provider,
            Actor::Provider => Actor::Gateway,
        }
    }

    /// Whether the message is a request sent to ABC Payment's API.
    pub fn is_provider_request(self) -> bool {
        matches!(self, MessageKind::StatusRequest)
    }
}

/// Why a message was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// A scheduled status request of the polling gateway.
    Poll,
    /// A status request after a thin event, to read the current payment.
    Fetch,
    /// A status request of the hybrid gateway's reconciliation run.
    Reconcile,
    /// A webhook delivery attempt from ABC Payment, and its answer.
    Delivery,
    /// A captured delivery sent again by an attacker, and its answer.
    Replay,
}

/// One message on the network.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Message {
    pub kind: MessageKind,
    pub purpose: Purpose,
    /// Index of the payment the message is about.
    pub payment: u32,
    /// Virtual time the message leaves its sender, in milliseconds.
    pub sent_at: Millis,
    /// Virtual time the message reaches its receiver, in milliseconds; for a
    /// lost message, the time it would have arrived.
    pub arrives_at: Millis,
    /// Whether the network lost the message.
    pub lost: bool,
    /// Payment status carried in the body, for status responses and webhooks.
    pub status: Option<Status>,
    /// HTTP status code, for responses.
    pub http_status: Option<u16>,
    /// Webhook event id, the same on every attempt of one delivery.
    pub event_id: Option<u32>,
    /// Attempt number of a webhook delivery, starting at 1; zero for other messages.
    pub attempt: u16,
    /// Retry-After of a 429 answer, in seconds.
    pub retry_after_s: Option<u64>,
    /// The `webhook-timestamp` a delivery was signed with, in virtual seconds.
    pub signed_at_s: Option<u64>,
}

impl Message {
    /// A message of the given kind with every optional field empty, to fill
    /// in with struct update syntax.
    pub fn blank(kind: MessageKind, purpose: Purpose, payment: u32) -> Self {
        Message {
            kind,
            purpose,
            payment,
            sent_at: 0,
            arrives_at: 0,
            lost: false,
            status: None,
            http_status: None,
            event_id: None,
            attempt: 0,
            retry_after_s: None,
            signed_at_s: None,
        }
    }

    /// Whether the message reached its receiver by time `at`.
    pub fn arrived_by(&self, at: Millis) -> bool {
        !self.lost && self.arrives_at <= at
    }
}

/// A change of a payment's status as one actor records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StateChange {
    pub at: Millis,
    pub payment: u32,
    pub actor: Actor,
    pub status: Status,
}

/// Something the gateway or ABC Payment did that is not a message or a
/// change of status, recorded so that metrics come from the trace alone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    pub at: Millis,
    pub payment: u32,
    pub kind: NoteKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoteKind {
    /// The endpoint's application received a delivery; `duplicate` when it
    /// had received this event id before.
    Received { event_id: u32, duplicate: bool },
    /// The gateway applied an event to its view. `duplicate` when it had
    /// applied this event id before; `out_of_order` when it had already
    /// applied an event of the same payment that ABC Payment created later.
    Applied { event_id: u32, status: Status, duplicate: bool, out_of_order: bool },
    /// The status rule ignored an event older than what the gateway knows.
    IgnoredStale { event_id: u32 },
    /// Deduplication answered 200 without processing the event again.
    SkippedDuplicate { event_id: u32 },
    /// The event named a payment the gateway has not recorded, and was dropped.
    DroppedUnknown { event_id: u32 },
    /// The event named a payment the gateway has not recorded, and was answered 409.
    RejectedUnknown { event_id: u32 },
    /// Signature verification rejected a delivery or a replay.
    SignatureRejected { event_id: u32, replay: bool, outside_tolerance: bool },
    /// A replayed delivery passed verification.
    ReplayAccepted { event_id: u32 },
    /// The process crashed after answering 2xx and before storing the event.
    LostInCrash { event_id: u32 },
    /// ABC Payment stopped waiting for the answer to an attempt.
    TimedOut { event_id: u32, attempt: u16 },
    /// ABC Payment gave up on an event after its last attempt failed.
    Abandoned { event_id: u32 },
    /// ABC Payment disabled the endpoint after failures.
    EndpointDisabled,
    /// The polling gateway stopped asking about a payment.
    GaveUp,
}

/// Everything that happened in one strategy's run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Trace {
    /// Messages in the order they were sent, so `sent_at` never decreases.
    pub messages: Vec<Message>,
    /// State changes in the order they happened, so `at` never decreases.
    pub changes: Vec<StateChange>,
    /// Notes in the order they happened, so `at` never decreases.
    pub notes: Vec<Note>,
    /// Longest trip of any message, in milliseconds; lets `in_flight` skip
    /// messages that must have landed already.
    #[serde(skip)]
    pub max_trip: Millis,
    /// Virtual time at which the run stopped because the trace reached its
    /// message limit, in milliseconds; `None` when the run went to its end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cut_at: Option<Millis>,
}

impl Trace {
    /// Virtual time of the last arrival, state change or note, in milliseconds.
    pub fn end(&self) -> Millis {
        let last_arrival = self.messages.iter().map(|m| m.arrives_at).max().unwrap_or(0);
        let last_change = self.changes.last().map_or(0, |c| c.at);
        let last_note = self.notes.last().map_or(0, |n| n.at);
        last_arrival.max(last_change).max(last_note)
    }
}

/// A message on its way at some moment, with how far it has travelled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InFlight<'a> {
    /// Index of the message in the trace.
    pub index: usize,
    pub message: &'a Message,
    /// Share of the trip already done, from 0 (just sent) to 1 (arriving).
    pub progress: f64,
}

impl Trace {
    /// Returns the messages sent at or before `at` that have not yet arrived.
    /// A lost message vanishes halfway. `at` is a float so that tokens move
    /// smoothly between milliseconds.
    pub fn in_flight(&self, at: f64) -> impl Iterator<Item = InFlight<'_>> {
        // Messages are ordered by send time, so the ones sent later than `at`
        // form a suffix, and the ones sent before `at - max_trip` have landed.
        let sent = self.messages.partition_point(|m| m.sent_at as f64 <= at);
        let landed = self.messages.partition_point(|m| (m.sent_at + self.max_trip) as f64 <= at);
        let first = landed.min(sent);
        self.messages[first..sent]
            .iter()
            .enumerate()
            .map(move |(offset, message)| (first + offset, message))
            .filter(move |(_, m)| {
                let vanishes_at =
                    if m.lost { (m.sent_at + m.arrives_at) as f64 / 2.0 } else { m.arrives_at as f64 };
                vanishes_at > at
            })
            .map(move |(index, message)| {
                let trip = (message.arrives_at - message.sent_at) as f64;
                let progress = if trip > 0.0 { (at - message.sent_at as f64) / trip } else { 1.0 };
                InFlight { index, message, progress }
            })
    }

    /// Returns each payment's status at ABC Payment and at the gateway at
    /// time `at`; a payment not yet created has no status.
    pub fn statuses_at(&self, payment_count: usize, at: Millis) -> Vec<PaymentView> {
        let mut views = vec![PaymentView::default(); payment_count];
        for change in self.changes.iter().take_while(|c| c.at <= at) {
            let view = &mut views[change.payment as usize];
            match change.actor {
                Actor::Provider => view.provider = Some(change.status),
                Actor::Gateway => view.gateway = Some(change.status),
            }
        }
        views
    }

    /// Returns every moment at which something is sent, arrives or changes,
    /// sorted and without repeats.
    pub fn moments(&self) -> Vec<Millis> {
        let mut moments: Vec<Millis> = self
            .messages
            .iter()
            .flat_map(|m| [m.sent_at, m.arrives_at])
            .chain(self.changes.iter().map(|c| c.at))
            .chain(self.notes.iter().map(|n| n.at))
            .collect();
        moments.sort_unstable();
        moments.dedup();
        moments
    }
}

/// What each side believes about one payment at some moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PaymentView {
    pub provider: Option<Status>,
    pub gateway: Option<Status>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(sent_at: Millis, arrives_at: Millis) -> Message {
        Message { sent_at, arrives_at, ..Message::blank(MessageKind::StatusRequest, Purpose::Poll, 0) }
    }

    #[test]
    fn lost_message_vanishes_halfway() {
        let lost = Message { lost: true, ..message(0, 100) };
        let trace = Trace { messages: vec![lost], max_trip: 100, ..Trace::default() };
        assert_eq!(trace.in_flight(49.0).count(), 1);
        assert_eq!(trace.in_flight(50.0).count(), 0);
    }

    #[test]
    fn in_flight_reports_progress() {
        let trace = Trace {
            messages: vec![message(0, 100), message(50, 150), message(200, 300)],
            max_trip: 100,
            ..Trace::default()
        };
        let flying: Vec<(usize, f64)> = trace.in_flight(100.0).map(|f| (f.index, f.progress)).collect();
        assert_eq!(flying, [(1, 0.5)]);
        assert_eq!(trace.in_flight(0.0).count(), 1);
        assert_eq!(trace.in_flight(300.0).count(), 0);
    }

    #[test]
    fn statuses_follow_changes() {
        let change = |at, actor, status| StateChange { at, payment: 0, actor, status };
        let trace = Trace {
            changes: vec![
                change(0, Actor::Provider, Status::Pending),
                change(0, Actor::Gateway, Status::Pending),
                change(70, Actor::Provider, Status::Succeeded),
                change(90, Actor::Gateway, Status::Succeeded),
            ],
            ..Trace::default()
        };
        let at = |t| trace.statuses_at(1, t)[0];
        assert_eq!(at(80), PaymentView { provider: Some(Status::Succeeded), gateway: Some(Status::Pending) });
        assert_eq!(at(90).gateway, Some(Status::Succeeded));
        assert_eq!(trace.moments(), [0, 70, 90]);
    }
}
