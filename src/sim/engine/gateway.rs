//! The merchant's gateway: polling, the webhook endpoint with its receiver
//! choices, and the reconciliation run of the hybrid strategy.

use super::{Event, PollState, Recorder, World};
use crate::scenario::{Acknowledge, ApplyRule, Millis, Strategy};
use crate::sim::signature;
use crate::sim::trace::{Actor, Message, MessageKind, NoteKind, Purpose, Status};

impl<R: Recorder> World<R> {
    /// The gateway has stored the payment's id: from now on it can poll for
    /// it and match events to it.
    pub(super) fn record_payment(&mut self, now: Millis, payment: u32) {
        self.state(payment).recorded = true;
        self.record_first_status(now, payment, Actor::Gateway, Status::Pending);

        if self.strategy == Strategy::Polling {
            let interval = self.scenario.polling.interval_ms;
            self.state(payment).poll =
                PollState { wait_ms: interval, next_at: now + interval, ..PollState::default() };
            self.schedule(now + interval, Event::PollDue { payment, generation: 0 });
        }
        if self.strategy == Strategy::Hybrid && !self.reconciling {
            self.reconciling = true;
            self.queue.push(now + self.scenario.reconciliation.interval_ms, Event::ReconcileDue);
        }
    }

    /// Sends a status request unless the gateway already knows the outcome
    /// or has given up, and arms the timer for the next one.
    pub(super) fn poll(&mut self, now: Millis, payment: u32, generation: u32) {
        let (state, view) = {
            let payment_state = self.state(payment);
            (payment_state.poll, payment_state.view)
        };
        if state.generation != generation || state.given_up || view.is_final() {
            return;
        }
        let scenario = self.scenario.clone();
        let polling = &scenario.polling;
        if polling.give_up_after > 0 && state.sent >= polling.give_up_after {
            self.state(payment).poll.given_up = true;
            self.note(now, payment, NoteKind::GaveUp);
            return;
        }

        self.send(now, Message::blank(MessageKind::StatusRequest, Purpose::Poll, payment), false);
        // The wait before this request was `wait_ms`; the next one grows by the backoff factor.
        let wait = if polling.backoff_factor > 1.0 {
            let grown = (state.wait_ms as f64 * polling.backoff_factor).round() as Millis;
            grown.min(polling.max_interval_ms.max(polling.interval_ms))
        } else {
            state.wait_ms
        };
        let state = &mut self.state(payment).poll;
        state.sent += 1;
        state.wait_ms = wait;
        state.next_at = now + wait;
        self.schedule(now + wait, Event::PollDue { payment, generation });
    }

    /// Fetches every payment that the webhooks have not settled and that is
    /// old enough, then arms the next run while any payment is unsettled.
    pub(super) fn reconcile(&mut self, now: Millis) {
        let min_age = self.scenario.reconciliation.min_age_ms;
        let stale: Vec<u32> = self
            .ledger
            .live_ids()
            .filter(|&id| {
                let state = self.ledger.get(id).expect("live ids are live");
                state.recorded && !state.view.is_final() && now.saturating_sub(state.created_at) >= min_age
            })
            .collect();
        for payment in stale {
            self.send(now, Message::blank(MessageKind::StatusRequest, Purpose::Reconcile, payment), false);
        }
        // Payments still to be created are open too.
        let all_final = self.upcoming.is_none() && self.ledger.iter_mut().all(|state| state.view.is_final());
        if all_final {
            self.reconciling = false;
        } else {
            self.queue.push(now + self.scenario.reconciliation.interval_ms, Event::ReconcileDue);
        }
    }

    /// Reads the current payment from ABC Payment, after a thin event.
    pub(super) fn fetch(&mut self, now: Millis, payment: u32) {
        self.send(now, Message::blank(MessageKind::StatusRequest, Purpose::Fetch, payment), false);
    }

    /// Stores the status ABC Payment returned, or waits as a 429 asks.
    pub(super) fn status_response_arrived(&mut self, now: Millis, response: &Message) {
        let (payment, purpose, status, code) =
            (response.payment, response.purpose, response.status, response.http_status);
        if code == Some(429) {
            let wait_ms = response.retry_after_s.unwrap_or(1) * 1_000;
            match purpose {
                Purpose::Poll => {
                    let state = &mut self.state(payment).poll;
                    state.generation += 1;
                    state.next_at = state.next_at.max(now + wait_ms);
                    let (at, generation) = (state.next_at, state.generation);
                    self.schedule(at, Event::PollDue { payment, generation });
                }
                Purpose::Fetch => self.schedule(now + wait_ms, Event::FetchDue(payment)),
                // The next reconciliation run asks again.
                _ => {}
            }
            return;
        }
        // A final status is terminal. With variable latency an answer to an
        // earlier request can arrive after the final one and must not undo it.
        let current = self.state(payment).view;
        if let Some(status) = status.filter(|status| !current.is_final() || status.is_final()) {
            self.set_status(now, payment, Actor::Gateway, status);
        }
    }

    /// The gateway's endpoint receives a delivery: the load balancer, the
    /// signature check, the application's error rate, the unknown-payment
    /// check and deduplication decide what happens, in that order.
    pub(super) fn webhook_arrived(&mut self, now: Millis, message: Message) {
        let (Some(event_id), Some(status)) = (message.event_id, message.status) else {
            return;
        };
        let payment = message.payment;
        let replay = message.purpose == Purpose::Replay;
        let scenario = self.scenario.clone();
        let endpoint = &scenario.endpoint;
        let receiver = &self.scenario.receiver;

        if endpoint.is_down(now) {
            self.respond(now, &message, 503);
            return;
        }

        if receiver.verify_signatures {
            if let Err(rejection) = self.verify(now, &message, status) {
                let outside_tolerance = rejection == signature::Rejection::OutsideTolerance;
                self.note(now, payment, NoteKind::SignatureRejected { event_id, replay, outside_tolerance });
                self.respond(now, &message, 401);
                return;
            }
        }
        if replay {
            self.note(now, payment, NoteKind::ReplayAccepted { event_id });
        }

        let error_percent = endpoint.error_percent;
        if self.chance(error_percent) {
            self.respond(now, &message, 500);
            return;
        }

        let duplicate = std::mem::replace(&mut self.state(payment).flags(event_id).received, true);
        self.note(now, payment, NoteKind::Received { event_id, duplicate });

        if !self.state(payment).recorded {
            if self.scenario.receiver.reject_unknown {
                self.note(now, payment, NoteKind::RejectedUnknown { event_id });
                self.respond(now, &message, 409);
            } else {
                self.note(now, payment, NoteKind::DroppedUnknown { event_id });
                self.respond(now, &message, 200);
            }
            return;
        }

        if self.scenario.receiver.deduplicate
            && std::mem::replace(&mut self.state(payment).flags(event_id).claimed, true)
        {
            self.note(now, payment, NoteKind::SkippedDuplicate { event_id });
            self.respond(now, &message, 200);
            return;
        }

        let handler = self.rng.sample(self.scenario.endpoint.handler);
        let store = self.scenario.endpoint.store_ms;
        match self.scenario.receiver.acknowledge {
            Acknowledge::AfterProcessing => {
                let message = self.parking.park(message);
                self.schedule(now + handler, Event::HandlerDone { message, respond: true });
            }
            Acknowledge::AfterStoring => {
                let parked = self.parking.park(message);
                self.schedule(now + store, Event::Stored(parked));
            }
            Acknowledge::BeforeStoring => {
                self.respond(now, &message, 200);
                let parked = self.parking.park(message);
                self.schedule(now + store, Event::Stored(parked));
            }
        }
    }

    /// Checks the delivery's signature as a receiver does, over the body as
    /// the receiver reads it. The header is rebuilt from what ABC Payment
    /// signed, which stands for the header travelling with the request.
    fn verify(&mut self, now: Millis, message: &Message, status: Status) -> Result<(), signature::Rejection> {
        let event_id = message.event_id.unwrap_or(0);
        let signed_at_s = message.signed_at_s.unwrap_or(0);
        let created_s = self.state(message.payment).delivery(event_id).created_at / 1_000;
        let id = signature::message_id(event_id);
        let body = signature::event_body(event_id, message.payment, status, created_s);
        let header = signature::sign(signature::SECRET, &id, signed_at_s, &body);

        let receiver = &self.scenario.receiver;
        let seen = if receiver.reserialize_body { signature::reserialize(&body) } else { body };
        let tolerance_s = receiver.tolerance_ms / 1_000;
        signature::verify(signature::SECRET, &id, signed_at_s, &seen, &header, now / 1_000, tolerance_s)
    }

    /// The raw event is stored: answer now if the endpoint answers after
    /// storing, or, if it answered before storing, survive or lose the event
    /// to a crash; then process it.
    pub(super) fn stored(&mut self, now: Millis, message: Message) {
        match self.scenario.receiver.acknowledge {
            Acknowledge::AfterStoring => self.respond(now, &message, 200),
            Acknowledge::BeforeStoring => {
                let crash_percent = self.scenario.endpoint.crash_percent;
                if self.chance(crash_percent) {
                    let (payment, event_id) = (message.payment, message.event_id.unwrap_or(0));
                    // The claim lived in the process that crashed.
                    self.state(payment).flags(event_id).claimed = false;
                    self.note(now, payment, NoteKind::LostInCrash { event_id });
                    return;
                }
            }
            Acknowledge::AfterProcessing => {}
        }
        let handler = self.rng.sample(self.scenario.endpoint.handler);
        let message = self.parking.park(message);
        self.schedule(now + handler, Event::HandlerDone { message, respond: false });
    }

    pub(super) fn handler_done(&mut self, now: Millis, message: Message, respond: bool) {
        self.apply_event(now, &message);
        if respond {
            self.respond(now, &message, 200);
        }
    }

    /// Applies an event to the gateway's view under the receiver's rule.
    fn apply_event(&mut self, now: Millis, message: &Message) {
        let (payment, event_id, status) = (message.payment, message.event_id.unwrap_or(0), message.status);
        let Some(status) = status else { return };
        let state = self.state(payment);
        let created_at = state.delivery(event_id).created_at;
        let duplicate = std::mem::replace(&mut state.flags(event_id).applied, true);
        let newest = state.newest_applied;
        let view = state.view;
        let out_of_order = newest.is_some_and(|newest| newest > created_at);

        match self.scenario.receiver.apply {
            ApplyRule::Fetch => {
                self.note(
                    now,
                    payment,
                    NoteKind::Applied { event_id, status, duplicate, out_of_order: false },
                );
                self.fetch(now, payment);
                return;
            }
            ApplyRule::StatusRank if status.rank() < view.rank() => {
                self.note(now, payment, NoteKind::IgnoredStale { event_id });
                return;
            }
            ApplyRule::StatusRank | ApplyRule::LastWriteWins => {}
        }
        self.note(now, payment, NoteKind::Applied { event_id, status, duplicate, out_of_order });
        self.state(payment).newest_applied = Some(newest.map_or(created_at, |n| n.max(created_at)));
        self.set_status(now, payment, Actor::Gateway, status);
    }

    /// Sends the endpoint's HTTP answer to a delivery or a replay.
    fn respond(&mut self, now: Millis, request: &Message, code: u16) {
        let response = Message {
            http_status: Some(code),
            event_id: request.event_id,
            attempt: request.attempt,
            ..Message::blank(MessageKind::WebhookResponse, request.purpose, request.payment)
        };
        let may_be_lost = request.purpose == Purpose::Delivery;
        self.send(now, response, may_be_lost);
    }
}
