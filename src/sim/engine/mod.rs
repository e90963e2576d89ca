//! The discrete-event engine: one world per strategy, driven by an event queue.
//!
//! Every strategy sees the same payments (created, processed and completed
//! at the same moments); only what the gateway does to learn the outcome
//! differs. `provider` holds ABC Payment's side, `gateway` the merchant's.

mod gateway;
mod provider;

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
    /// The parked message reaches its receiver.
    Arrive(Parked),
    /// ABC Payment stops waiting for the answer to an attempt of a delivery.
    DeliveryTimeout { delivery: usize, attempt: u16 },
    /// ABC Payment sends the next attempt of a delivery.
    RetryDue(usize),
    /// An attacker replays a captured delivery attempt.
    Replay(Parked),
    /// The gateway's handler finishes the delivery carried by this message.
    HandlerDone { message: Parked, respond: bool },
    /// The gateway has stored the raw event carried by this message.
    Stored(Parked),
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
    /// The latest attempt, kept only when an attacker will replay it.
    captured: Option<Message>,
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
    received: EventSet,
    /// Event ids claimed for processing, when deduplicating.
    claimed: EventSet,
    /// Event ids applied to the view.
    applied: EventSet,
    /// Per payment: creation time of the newest event applied, in milliseconds.
    newest_applied: Vec<Option<Millis>>,
    reconciling: bool,
}

/// A message waiting in the world for a future event, by its slot.
/// Events stay small this way: the queue moves them on every push and pop.
#[derive(Clone, Copy, Debug)]
struct Parked(u32);

/// Slots for messages that events refer to, reused once the event has run.
#[derive(Default)]
struct Parking {
    slots: Vec<Option<Message>>,
    free: Vec<u32>,
}

impl Parking {
    fn park(&mut self, message: Message) -> Parked {
        match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(message);
                Parked(slot)
            }
            None => {
                self.slots.push(Some(message));
                Parked((self.slots.len() - 1) as u32)
            }
        }
    }

    fn take(&mut self, parked: Parked) -> Message {
        self.free.push(parked.0);
        self.slots[parked.0 as usize].take().expect("a parked message is taken once")
    }
}

/// A set of event ids. Ids count up from 1 within a run, so a vector of
/// flags is smaller and faster than a hash set.
#[derive(Default)]
struct EventSet(Vec<bool>);

impl EventSet {
    /// Adds the id; returns whether it was new.
    fn insert(&mut self, id: u32) -> bool {
        let index = id as usize;
        if index >= self.0.len() {
            self.0.resize(index + 1, false);
        }
        !std::mem::replace(&mut self.0[index], true)
    }

    fn remove(&mut self, id: u32) {
        if let Some(flag) = self.0.get_mut(id as usize) {
            *flag = false;
        }
    }
}

/// Where a world records what happens: a whole [`Trace`] for the page, or
/// running totals for long runs and benchmarks.
pub trait Recorder {
    fn message(&mut self, message: &Message);
    fn change(&mut self, change: StateChange);
    fn note(&mut self, note: Note);
}

impl Recorder for Trace {
    fn message(&mut self, message: &Message) {
        self.max_trip = self.max_trip.max(message.arrives_at - message.sent_at);
        self.messages.push(message.clone());
    }

    fn change(&mut self, change: StateChange) {
        self.changes.push(change);
    }

    fn note(&mut self, note: Note) {
        self.notes.push(note);
    }
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

struct World<'a, R: Recorder> {
    strategy: Strategy,
    scenario: &'a Scenario,
    payments: &'a [Payment],
    rng: SimRng,
    queue: EventQueue<Event>,
    recorder: R,
    provider: Provider,
    gateway: Gateway,
    parking: Parking,
    /// Events handled so far.
    events: u64,
}

/// Runs one strategy over the given payments and returns its trace.
pub fn simulate(strategy: Strategy, scenario: &Scenario, payments: &[Payment]) -> Trace {
    run_with(strategy, scenario, payments, Trace::default()).0
}

/// Runs one strategy, handing everything that happens to `recorder`.
/// Returns the recorder and the number of events handled.
pub fn run_with<R: Recorder>(
    strategy: Strategy,
    scenario: &Scenario,
    payments: &[Payment],
    recorder: R,
) -> (R, u64) {
    let count = payments.len();
    let api = &scenario.api;
    let mut world = World {
        strategy,
        scenario,
        payments,
        rng: SimRng::new(scenario.seed, stream(strategy)),
        queue: EventQueue::new(),
        recorder,
        parking: Parking::default(),
        events: 0,
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
            received: EventSet::default(),
            claimed: EventSet::default(),
            applied: EventSet::default(),
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
        world.events += 1;
    }
    (world.recorder, world.events)
}

impl<R: Recorder> World<'_, R> {
    fn handle(&mut self, now: Millis, event: Event) {
        match event {
            Event::Create(payment) => self.create(now, payment),
            Event::Record(payment) => self.record_payment(now, payment),
            Event::Transition(payment, status) => self.transition(now, payment, status),
            Event::PollDue { payment, generation } => self.poll(now, payment, generation),
            Event::ReconcileDue => self.reconcile(now),
            Event::Arrive(parked) => {
                let message = self.parking.take(parked);
                self.arrive(now, message)
            }
            Event::DeliveryTimeout { delivery, attempt } => self.delivery_timeout(now, delivery, attempt),
            Event::RetryDue(delivery) => self.send_attempt(now, delivery),
            Event::Replay(parked) => {
                let message = self.parking.take(parked);
                self.replay(now, message)
            }
            Event::HandlerDone { message, respond } => {
                let message = self.parking.take(message);
                self.handler_done(now, message, respond)
            }
            Event::Stored(parked) => {
                let message = self.parking.take(parked);
                self.stored(now, message)
            }
            Event::FetchDue(payment) => self.fetch(now, payment),
        }
    }

    fn arrive(&mut self, now: Millis, message: Message) {
        use super::trace::MessageKind;
        match message.kind {
            MessageKind::StatusRequest => self.answer_status_request(now, &message),
            MessageKind::StatusResponse => self.status_response_arrived(now, &message),
            MessageKind::Webhook => self.webhook_arrived(now, message),
            MessageKind::WebhookResponse => self.webhook_response_arrived(now, &message),
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
        self.recorder.change(StateChange { at: now, payment, actor, status });
    }

    /// Records a status the side did not hold before, such as the first one.
    fn record_first_status(&mut self, now: Millis, payment: u32, actor: Actor, status: Status) {
        self.recorder.change(StateChange { at: now, payment, actor, status });
    }

    fn note(&mut self, now: Millis, payment: u32, kind: NoteKind) {
        self.recorder.note(Note { at: now, payment, kind });
    }

    /// Stamps the message with its send and arrival times, decides whether
    /// the network loses it, records it and schedules its arrival. Returns
    /// the message as sent.
    fn send(&mut self, now: Millis, mut message: Message, may_be_lost: bool) -> Message {
        let latency = self.rng.sample(self.scenario.network.latency);
        message.sent_at = now;
        message.arrives_at = now + latency;
        let loss = self.scenario.network.webhook_loss_percent;
        if may_be_lost && loss > 0 {
            message.lost = self.rng.unit() * 100.0 < f64::from(loss);
        }
        self.recorder.message(&message);
        if !message.lost {
            let parked = self.parking.park(message.clone());
            self.queue.push(message.arrives_at, Event::Arrive(parked));
        }
        message
    }

    /// Draws whether something with the given chance in percent happens.
    fn chance(&mut self, percent: u32) -> bool {
        percent > 0 && self.rng.unit() * 100.0 < f64::from(percent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_stay_small() {
        // The queue moves events on every push and pop; a message inside an
        // event once made popping most of a run's time.
        assert!(std::mem::size_of::<Event>() <= 24, "{} bytes", std::mem::size_of::<Event>());
    }
}
