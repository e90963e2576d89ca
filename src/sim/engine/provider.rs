//! ABC Payment: the payment lifecycle, the status API with its rate limit,
//! and webhook delivery with timeouts, retries and endpoint disabling.

use super::{Delivery, Event, Recorder, World};
use crate::scenario::{Millis, Strategy};
use crate::sim::retry;
use crate::sim::trace::{Actor, Message, MessageKind, NoteKind, Purpose, Status};

impl<R: Recorder> World<'_, R> {
    pub(super) fn create(&mut self, now: Millis, payment: u32) {
        self.provider.status[payment as usize] = Status::Pending;
        self.record_first_status(now, payment, Actor::Provider, Status::Pending);
    }

    /// Moves a payment to a new status and, with webhooks, emits its event.
    pub(super) fn transition(&mut self, now: Millis, payment: u32, status: Status) {
        self.set_status(now, payment, Actor::Provider, status);
        if !super::uses_webhooks(self.strategy) {
            return;
        }
        let event_id = self.provider.next_event_id;
        self.provider.next_event_id += 1;
        let index = self.provider.deliveries.len();
        self.provider.deliveries.push(Delivery {
            event_id,
            payment,
            status,
            created_at: now,
            attempts: 0,
            first_attempt_at: now,
            awaiting: false,
            settled: false,
            captured: None,
        });
        if self.provider.endpoint_disabled {
            self.provider.deliveries[index].settled = true;
            self.note(now, payment, NoteKind::Abandoned { event_id });
        } else {
            self.send_attempt(now, index);
        }
    }

    /// Sends the next attempt of a delivery, signed with the current time.
    pub(super) fn send_attempt(&mut self, now: Millis, index: usize) {
        if self.provider.endpoint_disabled || self.provider.deliveries[index].settled {
            return;
        }
        let delivery = &mut self.provider.deliveries[index];
        delivery.attempts += 1;
        if delivery.attempts == 1 {
            delivery.first_attempt_at = now;
        }
        delivery.awaiting = true;
        let attempt = delivery.attempts;
        let message = Message {
            status: Some(delivery.status),
            event_id: Some(delivery.event_id),
            attempt,
            signed_at_s: Some(now / 1_000),
            ..Message::blank(MessageKind::Webhook, Purpose::Delivery, delivery.payment)
        };
        let sent = self.send(now, message, true);
        if self.scenario.delivery.replay_after_ms > 0 {
            self.provider.deliveries[index].captured = Some(sent);
        }
        let timeout = self.scenario.delivery.timeout_ms;
        self.queue.push(now + timeout, Event::DeliveryTimeout { delivery: index, attempt });
    }

    pub(super) fn webhook_response_arrived(&mut self, now: Millis, response: &Message) {
        if response.purpose == Purpose::Replay {
            return;
        }
        let (Some(event_id), attempt, code) = (response.event_id, response.attempt, response.http_status)
        else {
            return;
        };
        let index = (event_id - 1) as usize;
        let delivery = &self.provider.deliveries[index];
        // An answer that comes after the timeout finds the provider no longer waiting.
        if !delivery.awaiting || delivery.attempts != attempt {
            return;
        }
        self.provider.deliveries[index].awaiting = false;
        if code.is_some_and(|code| (200..300).contains(&code)) {
            self.provider.deliveries[index].settled = true;
            self.provider.failing_since = None;
            let replay_after = self.scenario.delivery.replay_after_ms;
            if let Some(captured) = self.provider.deliveries[index].captured.take() {
                let at = captured.sent_at + replay_after;
                let parked = self.parking.park(captured);
                self.queue.push(at.max(now), Event::Replay(parked));
            }
        } else {
            self.attempt_failed(now, index);
        }
    }

    pub(super) fn delivery_timeout(&mut self, now: Millis, index: usize, attempt: u16) {
        let delivery = &self.provider.deliveries[index];
        if !delivery.awaiting || delivery.attempts != attempt {
            return;
        }
        let (payment, event_id) = (delivery.payment, delivery.event_id);
        self.provider.deliveries[index].awaiting = false;
        self.note(now, payment, NoteKind::TimedOut { event_id, attempt });
        self.attempt_failed(now, index);
    }

    /// Schedules the next attempt, or abandons the event when the schedule
    /// is exhausted, or disables the endpoint when it has failed for too long.
    fn attempt_failed(&mut self, now: Millis, index: usize) {
        let failing_since = *self.provider.failing_since.get_or_insert(now);
        let disable_after = self.scenario.delivery.disable_after_ms;
        if disable_after > 0 && now - failing_since >= disable_after {
            self.disable_endpoint(now);
            return;
        }

        let delivery = &self.provider.deliveries[index];
        let since_first = now - delivery.first_attempt_at;
        let attempts = u32::from(delivery.attempts);
        match retry::next_delay(&self.scenario.delivery, attempts, since_first, &mut self.rng) {
            Some(delay) => self.queue.push(now + delay, Event::RetryDue(index)),
            None => self.abandon(now, index),
        }
    }

    fn abandon(&mut self, now: Millis, index: usize) {
        let delivery = &mut self.provider.deliveries[index];
        delivery.settled = true;
        delivery.awaiting = false;
        let (payment, event_id) = (delivery.payment, delivery.event_id);
        self.note(now, payment, NoteKind::Abandoned { event_id });
    }

    /// Disables the endpoint and abandons every event not yet delivered.
    fn disable_endpoint(&mut self, now: Millis) {
        self.provider.endpoint_disabled = true;
        let payment = self.provider.deliveries.first().map_or(0, |d| d.payment);
        self.note(now, payment, NoteKind::EndpointDisabled);
        let open: Vec<usize> = (0..self.provider.deliveries.len())
            .filter(|&index| !self.provider.deliveries[index].settled)
            .collect();
        for index in open {
            self.abandon(now, index);
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
            Ok(()) => Message {
                status: Some(self.provider.status[payment as usize]),
                http_status: Some(200),
                ..blank
            },
            Err(retry_after_s) => {
                Message { http_status: Some(429), retry_after_s: Some(retry_after_s), ..blank }
            }
        };
        self.send(now, response, false);
    }
}

impl Strategy {
    pub(super) fn polls(self) -> bool {
        self == Strategy::Polling
    }

    pub(super) fn reconciles(self) -> bool {
        self == Strategy::Hybrid
    }
}
