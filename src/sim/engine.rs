//! The discrete-event engine: one world per strategy, driven by an event queue.
//!
//! Both strategies see the same payments (created and completed at the same
//! moments); only what the gateway does to learn the outcome differs.

use serde::Serialize;

use super::queue::EventQueue;
use super::rng::{SimRng, Stream};
use super::trace::{Actor, Message, MessageKind, StateChange, Status, Trace};
use super::workload::Payment;
use crate::scenario::{Millis, Scenario};

/// How the gateway learns that a payment finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// The gateway asks ABC Payment for the status every poll interval.
    Polling,
    /// ABC Payment calls the gateway's webhook endpoint when the status changes.
    Webhook,
}

impl Strategy {
    pub const ALL: [Strategy; 2] = [Strategy::Polling, Strategy::Webhook];

    pub fn label(self) -> &'static str {
        match self {
            Strategy::Polling => "Polling",
            Strategy::Webhook => "Webhook",
        }
    }

    fn stream(self) -> Stream {
        match self {
            Strategy::Polling => Stream::Polling,
            Strategy::Webhook => Stream::Webhook,
        }
    }
}

enum Event {
    /// The payment exists at ABC Payment and the gateway has its id.
    Create(u32),
    /// ABC Payment marks the payment final.
    Complete(u32),
    /// The gateway's poll timer for the payment fires.
    PollDue(u32),
    /// The message with this index in the trace reaches its receiver.
    Arrive(usize),
}

struct World<'a> {
    strategy: Strategy,
    scenario: &'a Scenario,
    rng: SimRng,
    queue: EventQueue<Event>,
    trace: Trace,
    /// Status of each payment as ABC Payment stores it.
    provider: Vec<Status>,
    /// Status of each payment as the gateway believes it is.
    gateway: Vec<Status>,
    /// Next webhook event id; ids are unique within a run.
    next_event_id: u32,
}

/// Runs one strategy over the given payments and returns its trace.
pub fn simulate(strategy: Strategy, scenario: &Scenario, payments: &[Payment]) -> Trace {
    let mut world = World {
        strategy,
        scenario,
        rng: SimRng::new(scenario.seed, strategy.stream()),
        queue: EventQueue::new(),
        trace: Trace::default(),
        provider: vec![Status::Pending; payments.len()],
        gateway: vec![Status::Pending; payments.len()],
        next_event_id: 1,
    };
    for (index, payment) in payments.iter().enumerate() {
        let index = index as u32;
        world.queue.push(payment.created_at, Event::Create(index));
        world
            .queue
            .push(payment.completes_at, Event::Complete(index));
    }
    while let Some((now, event)) = world.queue.pop() {
        world.handle(now, event);
    }
    world.trace
}

impl World<'_> {
    fn handle(&mut self, now: Millis, event: Event) {
        match event {
            Event::Create(payment) => self.create(now, payment),
            Event::Complete(payment) => self.complete(now, payment),
            Event::PollDue(payment) => self.poll(now, payment),
            Event::Arrive(index) => self.arrive(now, index),
        }
    }

    fn create(&mut self, now: Millis, payment: u32) {
        self.record(now, payment, Actor::Provider, Status::Pending);
        self.record(now, payment, Actor::Gateway, Status::Pending);
        if self.strategy == Strategy::Polling {
            self.queue.push(
                now + self.scenario.polling.interval_ms,
                Event::PollDue(payment),
            );
        }
    }

    fn complete(&mut self, now: Millis, payment: u32) {
        self.record(now, payment, Actor::Provider, Status::Succeeded);
        if self.strategy == Strategy::Webhook {
            let event_id = self.next_event_id;
            self.next_event_id += 1;
            self.send(
                now,
                Message {
                    kind: MessageKind::Webhook,
                    payment,
                    status: Some(Status::Succeeded),
                    event_id: Some(event_id),
                    attempt: 1,
                    ..Message::blank()
                },
            );
        }
    }

    /// Sends a status request unless the gateway already knows the outcome,
    /// and arms the timer for the next one.
    fn poll(&mut self, now: Millis, payment: u32) {
        if self.gateway[payment as usize].is_final() {
            return;
        }
        self.send(
            now,
            Message {
                kind: MessageKind::StatusRequest,
                payment,
                ..Message::blank()
            },
        );
        self.queue.push(
            now + self.scenario.polling.interval_ms,
            Event::PollDue(payment),
        );
    }

    fn arrive(&mut self, now: Millis, index: usize) {
        let message = self.trace.messages[index].clone();
        let payment = message.payment;
        match message.kind {
            MessageKind::StatusRequest => {
                let status = self.provider[payment as usize];
                self.send(
                    now,
                    Message {
                        kind: MessageKind::StatusResponse,
                        payment,
                        status: Some(status),
                        http_status: Some(200),
                        ..Message::blank()
                    },
                );
            }
            MessageKind::StatusResponse => {
                if let Some(status) = message.status {
                    self.learn(now, payment, status);
                }
            }
            MessageKind::Webhook => {
                if let Some(status) = message.status {
                    self.learn(now, payment, status);
                }
                self.send(
                    now,
                    Message {
                        kind: MessageKind::WebhookResponse,
                        payment,
                        http_status: Some(200),
                        event_id: message.event_id,
                        attempt: message.attempt,
                        ..Message::blank()
                    },
                );
            }
            MessageKind::WebhookResponse => {}
        }
    }

    /// Updates the gateway's view of a payment.
    fn learn(&mut self, now: Millis, payment: u32, status: Status) {
        if self.gateway[payment as usize] != status {
            self.record(now, payment, Actor::Gateway, status);
        }
    }

    fn record(&mut self, now: Millis, payment: u32, actor: Actor, status: Status) {
        match actor {
            Actor::Provider => self.provider[payment as usize] = status,
            Actor::Gateway => self.gateway[payment as usize] = status,
        }
        self.trace.changes.push(StateChange {
            at: now,
            payment,
            actor,
            status,
        });
    }

    /// Stamps the message with its send and arrival times, stores it in the
    /// trace and schedules its arrival.
    fn send(&mut self, now: Millis, mut message: Message) {
        let latency = self.rng.sample(self.scenario.network.latency);
        message.sent_at = now;
        message.arrives_at = now + latency;
        let index = self.trace.messages.len();
        self.queue.push(message.arrives_at, Event::Arrive(index));
        self.trace.messages.push(message);
    }
}

impl Message {
    /// A message with every optional field empty, to fill in with struct update syntax.
    fn blank() -> Self {
        Message {
            kind: MessageKind::StatusRequest,
            payment: 0,
            sent_at: 0,
            arrives_at: 0,
            status: None,
            http_status: None,
            event_id: None,
            attempt: 0,
        }
    }
}
