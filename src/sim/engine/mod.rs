//! The discrete-event engine: one world per strategy, driven by an event queue.
//!
//! Every strategy sees the same payments (created, processed and completed
//! at the same moments); only what the gateway does to learn the outcome
//! differs. `provider` holds ABC Payment's side, `gateway` the merchant's.

mod gateway;
mod provider;

use std::collections::HashSet;

use super::queue::EventQueue;
use super::rate_limit::TokenBucket;
use super::rng::{SimRng, Stream};
use super::trace::{Actor, Message, Note, NoteKind, StateChange, Status, Trace};
use super::workload::Payment;
use crate::scenario::{Millis, Scenario, Strategy, DAY};

fn stream(strategy: Strategy) -> Stream {
    match strategy {
        Strategy::Polling => Stream::Polling,
        Strategy::Webhook => Stream::Webhook,
        Strategy::Hybrid => Stream::Hybrid,
    }
}

fn uses_webhooks(strategy: Strategy) -> bool {
    matches!(strategy, Strategy::Webhook | Strategy::Hybrid)
}

/// The simulation stops this long after the last payment is created, so a
/// scenario whose retries or polls would never settle still ends.
pub const HORIZON_AFTER_LAST_PAYMENT: Millis = 60 * DAY;

enum Event {
    /// The payment exists at ABC Payment.
    Create(u32),
    /// The gateway has stored the payment's id.
    Record(u32),
    /// ABC Payment moves the payment to a new status.
    Transition(u32, Status),
    /// The poll timer of a payment fires; stale when the generation has moved on.
    PollDue { payment: u32, generation: u32 },
    /// The hybrid gateway's reconciliation timer fires.
    ReconcileDue,
    /// The message with this index in the trace reaches its receiver.
    Arrive(usize),
    /// ABC Payment stops waiting for the answer to an attempt of a delivery.
    DeliveryTimeout { delivery: usize, attempt: u16 },
    /// ABC Payment sends the next attempt of a delivery.
    RetryDue(usize),
    /// An attacker replays the captured attempt that this message carried.
    Replay(usize),
    /// The gateway's handler finishes the delivery carried by this message.
    HandlerDone { message: usize, respond: bool },
    /// The gateway has stored the raw event carried by this message.
    Stored(usize),
    /// The gateway fetches the payment again after a 429 answer.
    FetchDue(u32),
}

/// One webhook event and the state of its delivery.
struct Delivery {
    event_id: u32,
    payment: u32,
    status: Status,
    /// Virtual time ABC Payment created the event, in milliseconds.
    created_at: Millis,
    /// Attempts sent so far.
    attempts: u16,
    /// Virtual time of the first attempt, in milliseconds.
    first_attempt_at: Millis,
    /// Whether ABC Payment is waiting for the answer to the latest attempt.
    awaiting: bool,
    /// Whether an attempt got a 2xx answer in time, or the event was abandoned.
    settled: bool,
    /// Index in the trace of the latest attempt's message.
    latest_message: usize,
}

/// ABC Payment's side of one strategy's world.
struct Provider {
    status: Vec<Status>,
    deliveries: Vec<Delivery>,
    /// The gateway's token bucket, when the API is rate limited.
    bucket: Option<TokenBucket>,
    /// Start of the current run of failed attempts, for disabling the endpoint.
    failing_since: Option<Millis>,
    endpoint_disabled: bool,
    next_event_id: u32,
}

/// The merchant gateway's side of one strategy's world.
struct Gateway {
    /// Status of each payment as the gateway believes it is.
    view: Vec<Status>,
    /// Whether the gateway has stored each payment's id.
    recorded: Vec<bool>,
    /// Per payment: generation of the live poll timer, polls sent, next wait.
    polls: Vec<PollState>,
    /// Event ids the endpoint's application has received.
    received: HashSet<u32>,
    /// Event ids claimed for processing, when deduplicating.
    claimed: HashSet<u32>,
    /// Event ids applied to the view.
    applied: HashSet<u32>,
    /// Per payment: creation time of the newest event applied, in milliseconds.
    newest_applied: Vec<Option<Millis>>,
    reconciling: bool,
}

#[derive(Clone, Copy, Default)]
struct PollState {
    generation: u32,
    sent: u32,
    /// Wait before the next request, in milliseconds.
    wait_ms: Millis,
    /// Virtual time of the next scheduled request, in milliseconds.
    next_at: Millis,
    given_up: bool,
}

struct World<'a> {
    strategy: Strategy,
    scenario: &'a Scenario,
    payments: &'a [Payment],
    rng: SimRng,
    queue: EventQueue<Event>,
    trace: Trace,
    provider: Provider,
    gateway: Gateway,
}

/// Runs one strategy over the given payments and returns its trace.
pub fn simulate(strategy: Strategy, scenario: &Scenario, payments: &[Payment]) -> Trace {
    let count = payments.len();
    let api = &scenario.api;
    let mut world = World {
        strategy,
        scenario,
        payments,
        rng: SimRng::new(scenario.seed, stream(strategy)),
        queue: EventQueue::new(),
        trace: Trace::default(),
        provider: Provider {
            status: vec![Status::Pending; count],
            deliveries: Vec::new(),
            bucket: api.rate_limited.then(|| TokenBucket::new(api.rate_per_second, api.burst)),
            failing_since: None,
            endpoint_disabled: false,
            next_event_id: 1,
        },
        gateway: Gateway {
            view: vec![Status::Pending; count],
            recorded: vec![false; count],
            polls: vec![PollState::default(); count],
            received: HashSet::new(),
            claimed: HashSet::new(),
            applied: HashSet::new(),
            newest_applied: vec![None; count],
            reconciling: false,
        },
    };

    for (index, payment) in payments.iter().enumerate() {
        let index = index as u32;
        world.queue.push(payment.created_at, Event::Create(index));
        world.queue.push(payment.recorded_at, Event::Record(index));
        if let Some(at) = payment.processing_at {
            world.queue.push(at, Event::Transition(index, Status::Processing));
        }
        world.queue.push(payment.completes_at, Event::Transition(index, payment.outcome));
    }

    let last_created = payments.last().map_or(0, |p| p.created_at);
    let horizon = last_created + HORIZON_AFTER_LAST_PAYMENT;
    while let Some((now, event)) = world.queue.pop() {
        if now > horizon {
            break;
        }
        world.handle(now, event);
    }
    world.trace
}

impl World<'_> {
    fn handle(&mut self, now: Millis, event: Event) {
        match event {
            Event::Create(payment) => self.create(now, payment),
            Event::Record(payment) => self.record_payment(now, payment),
            Event::Transition(payment, status) => self.transition(now, payment, status),
            Event::PollDue { payment, generation } => self.poll(now, payment, generation),
            Event::ReconcileDue => self.reconcile(now),
            Event::Arrive(index) => self.arrive(now, index),
            Event::DeliveryTimeout { delivery, attempt } => self.delivery_timeout(now, delivery, attempt),
            Event::RetryDue(delivery) => self.send_attempt(now, delivery),
            Event::Replay(message) => self.replay(now, message),
            Event::HandlerDone { message, respond } => self.handler_done(now, message, respond),
            Event::Stored(message) => self.stored(now, message),
            Event::FetchDue(payment) => self.fetch(now, payment),
        }
    }

    fn arrive(&mut self, now: Millis, index: usize) {
        use super::trace::MessageKind;
        match self.trace.messages[index].kind {
            MessageKind::StatusRequest => self.answer_status_request(now, index),
            MessageKind::StatusResponse => self.status_response_arrived(now, index),
            MessageKind::Webhook => self.webhook_arrived(now, index),
            MessageKind::WebhookResponse => self.webhook_response_arrived(now, index),
        }
    }

    /// Records a status change of one side, and keeps that side's state in step.
    fn set_status(&mut self, now: Millis, payment: u32, actor: Actor, status: Status) {
        let slot = match actor {
            Actor::Provider => &mut self.provider.status[payment as usize],
            Actor::Gateway => &mut self.gateway.view[payment as usize],
        };
        if *slot == status {
            return;
        }
        *slot = status;
        self.trace.changes.push(StateChange { at: now, payment, actor, status });
    }

    fn note(&mut self, now: Millis, payment: u32, kind: NoteKind) {
        self.trace.notes.push(Note { at: now, payment, kind });
    }

    /// Stamps the message with its send and arrival times, decides whether
    /// the network loses it, stores it in the trace and schedules its
    /// arrival. Returns its index in the trace.
    fn send(&mut self, now: Millis, mut message: Message, may_be_lost: bool) -> usize {
        let latency = self.rng.sample(self.scenario.network.latency);
        message.sent_at = now;
        message.arrives_at = now + latency;
        let loss = self.scenario.network.webhook_loss_percent;
        if may_be_lost && loss > 0 {
            message.lost = self.rng.unit() * 100.0 < f64::from(loss);
        }
        let index = self.trace.messages.len();
        if !message.lost {
            self.queue.push(message.arrives_at, Event::Arrive(index));
        }
        self.trace.messages.push(message);
        index
    }

    /// Draws whether something with the given chance in percent happens.
    fn chance(&mut self, percent: u32) -> bool {
        percent > 0 && self.rng.unit() * 100.0 < f64::from(percent)
    }
}
