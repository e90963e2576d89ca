//! ABC Payment: the payment lifecycle, the status API with its rate limit,
//! and webhook delivery with timeouts, retries and endpoint disabling.

use super::ledger::PaymentState;
use super::{Delivery, Event, Recorder, World};
use crate::scenario::Millis;
use crate::sim::retry;
use crate::sim::trace::{Actor, Message, MessageKind, NoteKind, Purpose, Status};

impl<R: Recorder> World<R> {
    /// The payment exists: its state joins the ledger, what its workload
    /// fixes in advance is scheduled, and the next payment is drawn.
    pub(super) fn create(&mut self, now: Millis, index: u32) {
        let payment = self.upcoming.take().expect("a creation is scheduled with its payment");
        debug_assert_eq!(payment.index, index);
        self.ledger.insert(index, PaymentState::new(payment.created_at));
        self.record_first_status(now, index, Actor::Provider, Status::Pending);

        self.schedule_workload(payment.recorded_at, Event::Record(index));
        if let Some(at) = payment.processing_at {
            self.schedule_workload(at, Event::Transition(index, Status::Processing));
        }
        self.schedule_workload(payment.completes_at, Event::Transition(index, payment.outcome));
        self.schedule_next_payment();
    }

    /// Moves a payment to a new status and, with webhooks, emits its event.
    pub(super) fn transition(&mut self, now: Millis, payment: u32, status: Status) {
        self.set_status(now, payment, Actor::Provider, status);
        if !super::uses_webhooks(self.strategy) {
            return;
        }
        let event_id = self.provider.next_event_id;
        self.provider.next_event_id += 1;
        let disabled = self.provider.endpoint_disabled;
        self.state(payment).deliveries.push(Delivery {
            event_id,
            status,
            created_at: now,
            attempts: 0,
            first_attempt_at: now,
            awaiting: false,
            settled: disabled,
            captured: None,
        });
        if disabled {
            self.note(now, payment, NoteKind::Abandoned { event_id });
        } else {
            self.send_attempt(now, payment, event_id);
        }
    }

    /// Sends the next attempt of a delivery, signed with the current time.
    pub(super) fn send_attempt(&mut self, now: Millis, payment: u32, event_id: u32) {
        if self.provider.endpoint_disabled || self.state(payment).delivery(event_id).settled {
            return;
        }
        let delivery = self.state(payment).delivery(event_id);
        delivery.attempts += 1;
        if delivery.attempts == 1 {
            delivery.first_attempt_at = now;
        }
        delivery.awaiting = true;
        let attempt = delivery.attempts;
        let message = Message {
            status: Some(delivery.status),
            event_id: Some(event_id),
            attempt,
            signed_at_s: Some(now / 1_000),
            ..Message::blank(MessageKind::Webhook, Purpose::Delivery, payment)
        };
        let sent = self.send(now, message, true);
        if self.scenario.delivery.replay_after_ms > 0 {
            self.state(payment).delivery(event_id).captured = Some(sent);
        }
        let timeout = self.scenario.delivery.timeout_ms;
        self.schedule(now + timeout, Event::DeliveryTimeout { payment, event_id, attempt });
    }

    pub(super) fn webhook_response_arrived(&mut self, now: Millis, response: &Message) {
        if response.purpose == Purpose::Replay {
            return;
        }
        let (Some(event_id), attempt, code, payment) =
            (response.event_id, response.attempt, response.http_status, response.payment)
        else {
            return;
        };
        let delivery = self.state(payment).delivery(event_id);
        // An answer that comes after the timeout finds the provider no longer waiting.
        if !delivery.awaiting || delivery.attempts != attempt {
            return;
        }
        delivery.awaiting = false;
        if code.is_some_and(|code| (200..300).contains(&code)) {
            delivery.settled = true;
            let captured = delivery.captured.take();
            self.provider.failing_since = None;
            if let Some(captured) = captured {
                let at = captured.sent_at + self.scenario.delivery.replay_after_ms;
                let parked = self.parking.park(captured);
                self.schedule(at.max(now), Event::Replay(parked));
            }
        } else {
            self.attempt_failed(now, payment, event_id);
        }
    }

    pub(super) fn delivery_timeout(&mut self, now: Millis, payment: u32, event_id: u32, attempt: u16) {
        let delivery = self.state(payment).delivery(event_id);
        if !delivery.awaiting || delivery.attempts != attempt {
            return;
        }
        delivery.awaiting = false;
        self.note(now, payment, NoteKind::TimedOut { event_id, attempt });
        self.attempt_failed(now, payment, event_id);
    }

    /// Schedules the next attempt, or abandons the event when the schedule
    /// is exhausted, or disables the endpoint when it has failed for too long.
    fn attempt_failed(&mut self, now: Millis, payment: u32, event_id: u32) {
        let failing_since = *self.provider.failing_since.get_or_insert(now);
        let disable_after = self.scenario.delivery.disable_after_ms;
        if disable_after > 0 && now - failing_since >= disable_after {
            self.disable_endpoint(now, payment);
            return;
        }

        let delivery = self.state(payment).delivery(event_id);
        let since_first = now - delivery.first_attempt_at;
        let attempts = u32::from(delivery.attempts);
        match retry::next_delay(&self.scenario.delivery, attempts, since_first, &mut self.rng) {
            Some(delay) => self.schedule(now + delay, Event::RetryDue { payment, event_id }),
            None => self.abandon(now, payment, event_id),
        }
    }

    fn abandon(&mut self, now: Millis, payment: u32, event_id: u32) {
        let delivery = self.state(payment).delivery(event_id);
        delivery.settled = true;
        delivery.awaiting = false;
        self.note(now, payment, NoteKind::Abandoned { event_id });
    }

    /// Disables the endpoint and abandons every event not yet delivered.
    /// `payment` is the one whose failure tipped it over.
    fn disable_endpoint(&mut self, now: Millis, payment: u32) {
        self.provider.endpoint_disabled = true;
        self.note(now, payment, NoteKind::EndpointDisabled);
        let open: Vec<(u32, u32)> = self
            .ledger
            .live_ids()
            .collect::<Vec<_>>()
            .into_iter()
            .flat_map(|id| {
                let state = self.ledger.get(id).expect("live ids are live");
                state
                    .deliveries
                    .iter()
                    .filter(|d| !d.settled)
                    .map(move |d| (id, d.event_id))
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut open = open;
        open.sort_by_key(|&(_, event_id)| event_id);
        for (id, event_id) in open {
            self.abandon(now, id, event_id);
        }
    }

    /// Sends again, as an attacker would, a delivery captured on the wire,
    /// with its original signature and timestamp.
    pub(super) fn replay(&mut self, now: Millis, captured: Message) {
        let message = Message { purpose: Purpose::Replay, ..captured };
        self.send(now, message, false);
    }

    /// Answers a status request with the current status, or 429 when the
    /// gateway's token bucket is empty.
    pub(super) fn answer_status_request(&mut self, now: Millis, request: &Message) {
        let (payment, purpose) = (request.payment, request.purpose);
        let verdict = match &mut self.provider.bucket {
            Some(bucket) => bucket.try_take(now),
            None => Ok(()),
        };
        let blank = Message::blank(MessageKind::StatusResponse, purpose, payment);
        let response = match verdict {
            Ok(()) => Message { status: Some(self.state(payment).provider), http_status: Some(200), ..blank },
            Err(retry_after_s) => {
                Message { http_status: Some(429), retry_after_s: Some(retry_after_s), ..blank }
            }
        };
        self.send(now, response, false);
    }
}
