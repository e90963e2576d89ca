//! The output of a run: every message and every state change, in the order
//! they happened. Metrics and every view are derived from this alone.

use serde::Serialize;

use crate::scenario::Millis;

/// A payment's status, as ABC Payment stores it or as the gateway believes it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Succeeded,
    Failed,
}

impl Status {
    /// Whether the payment can no longer change.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Succeeded | Status::Failed)
    }

    /// The status as the provider's API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
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
    /// ABC Payment's answer to a status request, carrying the current status.
    StatusResponse,
    /// A webhook delivery attempt from ABC Payment to the gateway's endpoint.
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

/// One message on the network.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Message {
    pub kind: MessageKind,
    /// Index of the payment the message is about.
    pub payment: u32,
    /// Virtual time the message leaves its sender, in milliseconds.
    pub sent_at: Millis,
    /// Virtual time the message reaches its receiver, in milliseconds.
    pub arrives_at: Millis,
    /// Payment status carried in the body, for status responses and webhooks.
    pub status: Option<Status>,
    /// HTTP status code, for responses.
    pub http_status: Option<u16>,
    /// Webhook event id, the same on every attempt of one delivery.
    pub event_id: Option<u32>,
    /// Attempt number of a webhook delivery, starting at 1; zero for other messages.
    pub attempt: u16,
}

/// A change of a payment's status as one actor records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StateChange {
    pub at: Millis,
    pub payment: u32,
    pub actor: Actor,
    pub status: Status,
}

/// Everything that happened in one strategy's run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Trace {
    /// Messages in the order they were sent, so `sent_at` never decreases.
    pub messages: Vec<Message>,
    /// State changes in the order they happened, so `at` never decreases.
    pub changes: Vec<StateChange>,
}

impl Trace {
    /// Virtual time of the last arrival or state change, in milliseconds.
    pub fn end(&self) -> Millis {
        let last_arrival = self
            .messages
            .iter()
            .map(|m| m.arrives_at)
            .max()
            .unwrap_or(0);
        let last_change = self.changes.last().map_or(0, |c| c.at);
        last_arrival.max(last_change)
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
    /// `at` is a float so that tokens move smoothly between milliseconds.
    pub fn in_flight(&self, at: f64) -> impl Iterator<Item = InFlight<'_>> {
        // Messages are ordered by send time, so the ones sent later than `at` form a suffix.
        let sent = self.messages.partition_point(|m| m.sent_at as f64 <= at);
        self.messages[..sent]
            .iter()
            .enumerate()
            .filter(move |(_, m)| (m.arrives_at as f64) > at)
            .map(move |(index, message)| {
                let trip = (message.arrives_at - message.sent_at) as f64;
                let progress = if trip > 0.0 {
                    (at - message.sent_at as f64) / trip
                } else {
                    1.0
                };
                InFlight {
                    index,
                    message,
                    progress,
                }
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
        Message {
            kind: MessageKind::StatusRequest,
            payment: 0,
            sent_at,
            arrives_at,
            status: None,
            http_status: None,
            event_id: None,
            attempt: 0,
        }
    }

    #[test]
    fn in_flight_reports_progress() {
        let trace = Trace {
            messages: vec![message(0, 100), message(50, 150), message(200, 300)],
            changes: vec![],
        };
        let flying: Vec<(usize, f64)> = trace
            .in_flight(100.0)
            .map(|f| (f.index, f.progress))
            .collect();
        assert_eq!(flying, [(1, 0.5)]);
        assert_eq!(trace.in_flight(0.0).count(), 1);
        assert_eq!(trace.in_flight(300.0).count(), 0);
    }

    #[test]
    fn statuses_follow_changes() {
        let change = |at, actor, status| StateChange {
            at,
            payment: 0,
            actor,
            status,
        };
        let trace = Trace {
            messages: vec![],
            changes: vec![
                change(0, Actor::Provider, Status::Pending),
                change(0, Actor::Gateway, Status::Pending),
                change(70, Actor::Provider, Status::Succeeded),
                change(90, Actor::Gateway, Status::Succeeded),
            ],
        };
        let at = |t| trace.statuses_at(1, t)[0];
        assert_eq!(
            at(80),
            PaymentView {
                provider: Some(Status::Succeeded),
                gateway: Some(Status::Pending)
            }
        );
        assert_eq!(at(90).gateway, Some(Status::Succeeded));
        assert_eq!(trace.moments(), [0, 70, 90]);
    }
}
