//! The discrete-event engine: one world per strategy, driven by an event queue.
//!
//! Every strategy sees the same payments (created, processed and completed
//! at the same moments); only what the gateway does to learn the outcome
//! differs. `provider` holds ABC Payment's side, `gateway` the merchant's.
//!
//! Memory stays bounded however long a run is: payments are drawn one at a
//! time as they are created, and a payment's state is dropped once nothing
//! can change it any more (see [`World::retire_if_done`]).

mod gateway;
mod ledger;
mod provider;

use std::rc::Rc;

use ledger::{Ledger, PaymentState};

use super::queue::EventQueue;
use super::rate_limit::TokenBucket;
use super::rng::{SimRng, Stream};
use super::trace::{Actor, Message, Note, NoteKind, StateChange, Status, Trace};
use super::workload::{Payment, WorkloadStream};
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

#[derive(Clone, Copy)]
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
    DeliveryTimeout { payment: u32, event_id: u32, attempt: u16 },
    /// ABC Payment sends the next attempt of a delivery.
    RetryDue { payment: u32, event_id: u32 },
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
#[derive(Clone)]
struct Delivery {
    event_id: u32,
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

/// ABC Payment's side of one strategy's world, apart from per-payment state.
struct Provider {
    /// The gateway's token bucket, when the API is rate limited.
    bucket: Option<TokenBucket>,
    /// Start of the current run of failed attempts, for disabling the endpoint.
    failing_since: Option<Millis>,
    endpoint_disabled: bool,
    next_event_id: u32,
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

    fn payment(&self, parked: Parked) -> u32 {
        self.slots[parked.0 as usize].as_ref().expect("a parked message waits for its event").payment
    }
}

/// Where a world records what happens: a whole [`Trace`] for the page, or
/// running totals for long runs and benchmarks.
pub trait Recorder {
    fn message(&mut self, message: &Message);
    fn change(&mut self, change: StateChange);
    fn note(&mut self, note: Note);
    /// Nothing will happen to the payment any more.
    fn retired(&mut self, _payment: u32) {}
    /// Returns true when the recorder is full, which stops the run.
    fn is_full(&self) -> bool {
        false
    }
    /// Records that the run stopped at `at` because the recorder was full.
    fn cut(&mut self, _at: Millis) {}
}

/// A recorder that stops the run once `limit` messages have passed through
/// it, so a scenario that would send billions of messages cannot exhaust
/// memory or time.
pub struct Limited<R> {
    pub recorder: R,
    messages: usize,
    limit: usize,
    /// Virtual time at which the run stopped, or `None` when it went to its end.
    pub cut_at: Option<Millis>,
}

impl<R> Limited<R> {
    /// Wraps `recorder` so that the run stops after `limit` messages.
    pub fn new(recorder: R, limit: usize) -> Self {
        Limited { recorder, messages: 0, limit, cut_at: None }
    }
}

impl<R: Recorder> Recorder for Limited<R> {
    fn message(&mut self, message: &Message) {
        self.messages += 1;
        self.recorder.message(message);
    }

    fn change(&mut self, change: StateChange) {
        self.recorder.change(change);
    }

    fn note(&mut self, note: Note) {
        self.recorder.note(note);
    }

    fn retired(&mut self, payment: u32) {
        self.recorder.retired(payment);
    }

    fn is_full(&self) -> bool {
        self.messages >= self.limit
    }

    fn cut(&mut self, at: Millis) {
        self.cut_at = Some(at);
    }
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

struct World<R: Recorder> {
    strategy: Strategy,
    scenario: Rc<Scenario>,
    rng: SimRng,
    queue: EventQueue<Event>,
    recorder: R,
    provider: Provider,
    /// Whether the hybrid gateway's reconciliation timer is armed.
    reconciling: bool,
    /// State of the payments that can still change, by id.
    ledger: Ledger,
    parking: Parking,
    workload: WorkloadStream,
    /// The payment whose creation is scheduled next.
    upcoming: Option<Payment>,
    /// Creation time of the newest payment so far, in milliseconds.
    last_created: Millis,
    /// Events handled so far.
    events: u64,
}

/// Runs one strategy over the scenario's payments and returns its trace.
pub fn simulate(strategy: Strategy, scenario: &Scenario) -> Trace {
    run_with(strategy, scenario, Trace::default()).0
}

/// Runs one strategy, handing everything that happens to `recorder`.
/// Returns the recorder and the number of events handled.
pub fn run_with<R: Recorder>(strategy: Strategy, scenario: &Scenario, recorder: R) -> (R, u64) {
    let mut stepper = Stepper::new(strategy, Rc::new(scenario.clone()), recorder);
    while stepper.step(u64::MAX) {}
    stepper.finish()
}

/// A run that advances a slice at a time, so that the page can compute a
/// long run between frames.
pub struct Stepper<R: Recorder> {
    world: World<R>,
    done: bool,
}

impl<R: Recorder> Stepper<R> {
    /// Starts a run of one strategy over the scenario's payments.
    pub fn new(strategy: Strategy, scenario: Rc<Scenario>, recorder: R) -> Self {
        let api = &scenario.api;
        let provider = Provider {
            bucket: api.rate_limited.then(|| TokenBucket::new(api.rate_per_second, api.burst)),
            failing_since: None,
            endpoint_disabled: false,
            next_event_id: 1,
        };
        let mut world = World {
            strategy,
            rng: SimRng::new(scenario.seed, stream(strategy)),
            queue: EventQueue::new(),
            recorder,
            provider,
            reconciling: false,
            ledger: Ledger::default(),
            parking: Parking::default(),
            workload: WorkloadStream::new(&scenario),
            upcoming: None,
            last_created: 0,
            events: 0,
            scenario,
        };
        world.schedule_next_payment();
        Stepper { world, done: false }
    }

    /// Handles up to `max_events` events. Returns false once the run has ended.
    pub fn step(&mut self, max_events: u64) -> bool {
        let world = &mut self.world;
        let mut handled = 0;
        while !self.done && handled < max_events {
            let Some((now, event)) = world.queue.pop() else {
                self.done = true;
                break;
            };
            if world.workload.is_exhausted() && now > world.last_created + HORIZON_AFTER_LAST_PAYMENT {
                self.done = true;
                break;
            }
            world.handle(now, event);
            world.events += 1;
            handled += 1;
            if world.recorder.is_full() {
                world.recorder.cut(now);
                self.done = true;
            }
        }
        !self.done
    }

    /// Returns the recorder.
    pub fn recorder(&self) -> &R {
        &self.world.recorder
    }

    /// Returns the strategy the run simulates.
    pub fn strategy(&self) -> Strategy {
        self.world.strategy
    }

    /// Returns the recorder for changes, such as closing a timeline's last second.
    pub fn recorder_mut(&mut self) -> &mut R {
        &mut self.world.recorder
    }

    /// Returns the number of events handled so far.
    pub fn events(&self) -> u64 {
        self.world.events
    }

    /// Ends the run and returns the recorder and the number of events handled.
    pub fn finish(self) -> (R, u64) {
        (self.world.recorder, self.world.events)
    }
}

impl<R: Recorder> World<R> {
    /// Draws the next payment, if any, and schedules its creation. Workload
    /// events take the queue's workload order, which puts them, at equal
    /// times, before every event the run schedules itself.
    fn schedule_next_payment(&mut self) {
        if let Some(payment) = self.workload.next() {
            self.last_created = payment.created_at;
            self.queue.push_workload(payment.created_at, Event::Create(payment.index));
            self.upcoming = Some(payment);
        }
    }

    /// The payment an event is about, if any.
    fn payment_of(&self, event: &Event) -> Option<u32> {
        match *event {
            Event::Create(_) | Event::ReconcileDue => None,
            Event::Record(payment)
            | Event::Transition(payment, _)
            | Event::PollDue { payment, .. }
            | Event::DeliveryTimeout { payment, .. }
            | Event::RetryDue { payment, .. }
            | Event::FetchDue(payment) => Some(payment),
            Event::Arrive(parked) | Event::Replay(parked) | Event::Stored(parked) => {
                Some(self.parking.payment(parked))
            }
            Event::HandlerDone { message, .. } => Some(self.parking.payment(message)),
        }
    }

    /// Schedules an event, counting it against its payment so the payment
    /// stays in the ledger until the event has run.
    fn schedule(&mut self, at: Millis, event: Event) {
        if let Some(payment) = self.payment_of(&event) {
            self.ledger.get_mut(payment).pending += 1;
        }
        self.queue.push(at, event);
    }

    /// Schedules a workload event of a payment, in the queue's workload order.
    fn schedule_workload(&mut self, at: Millis, event: Event) {
        if let Some(payment) = self.payment_of(&event) {
            self.ledger.get_mut(payment).pending += 1;
        }
        self.queue.push_workload(at, event);
    }

    fn handle(&mut self, now: Millis, event: Event) {
        let payment = self.payment_of(&event);
        if let Some(payment) = payment {
            self.ledger.get_mut(payment).pending -= 1;
        }
        match event {
            Event::Create(index) => self.create(now, index),
            Event::Record(payment) => self.record_payment(now, payment),
            Event::Transition(payment, status) => self.transition(now, payment, status),
            Event::PollDue { payment, generation } => self.poll(now, payment, generation),
            Event::ReconcileDue => self.reconcile(now),
            Event::Arrive(parked) => {
                let message = self.parking.take(parked);
                self.arrive(now, message)
            }
            Event::DeliveryTimeout { payment, event_id, attempt } => {
                self.delivery_timeout(now, payment, event_id, attempt)
            }
            Event::RetryDue { payment, event_id } => self.send_attempt(now, payment, event_id),
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
        if let Some(payment) = payment {
            self.retire_if_done(payment);
        }
    }

    /// Drops a payment's state once no event refers to it and nothing else
    /// can change it: ABC Payment has set the final status, and, for the
    /// hybrid gateway whose reconciliation runs look at every open payment,
    /// the gateway knows a final status.
    fn retire_if_done(&mut self, payment: u32) {
        let Some(state) = self.ledger.get(payment) else { return };
        let reconciled_later = self.strategy == Strategy::Hybrid && !state.view.is_final();
        if state.pending == 0 && state.provider.is_final() && !reconciled_later {
            self.ledger.retire(payment);
            self.recorder.retired(payment);
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

    fn state(&mut self, payment: u32) -> &mut PaymentState {
        self.ledger.get_mut(payment)
    }

    /// Records a status change of one side, and keeps that side's state in step.
    fn set_status(&mut self, now: Millis, payment: u32, actor: Actor, status: Status) {
        let state = self.state(payment);
        let slot = match actor {
            Actor::Provider => &mut state.provider,
            Actor::Gateway => &mut state.view,
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
            self.schedule(message.arrives_at, Event::Arrive(parked));
        }
        message
    }

    /// Draws whether something with the given chance in percent happens.
    fn chance(&mut self, percent: u32) -> bool {
        percent > 0 && self.rng.unit() * 100.0 < f64::from(percent)
    }
}

/// The payments the ledger holds at most at once in a run; for tests of
/// bounded memory.
#[cfg(test)]
pub(crate) fn peak_live_payments(strategy: Strategy, scenario: &Scenario) -> usize {
    struct Nothing;
    impl Recorder for Nothing {
        fn message(&mut self, _: &Message) {}
        fn change(&mut self, _: StateChange) {}
        fn note(&mut self, _: Note) {}
    }
    let mut world = World {
        strategy,
        scenario: Rc::new(scenario.clone()),
        rng: SimRng::new(scenario.seed, stream(strategy)),
        queue: EventQueue::new(),
        recorder: Nothing,
        provider: Provider { bucket: None, failing_since: None, endpoint_disabled: false, next_event_id: 1 },
        reconciling: false,
        ledger: Ledger::default(),
        parking: Parking::default(),
        workload: WorkloadStream::new(scenario),
        upcoming: None,
        last_created: 0,
        events: 0,
    };
    world.schedule_next_payment();
    let mut peak = 0;
    while let Some((now, event)) = world.queue.pop() {
        world.handle(now, event);
        peak = peak.max(world.ledger.live());
    }
    peak
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

    #[test]
    fn ledger_holds_only_open_payments() {
        let mut scenario = Scenario::default();
        scenario.workload.payments = 5_000;
        scenario.workload.arrival = crate::scenario::Arrival::Steady { gap_ms: 100 };
        scenario.api.rate_limited = false;
        // Ten payments a second that each take 7 s: about 70 are open at
        // once. With webhooks a payment also waits for its delivery's 15 s
        // timeout timer to run out, so about 220. Either way far below 5,000.
        for (strategy, bound) in [(Strategy::Polling, 120), (Strategy::Webhook, 260), (Strategy::Hybrid, 260)]
        {
            let peak = peak_live_payments(strategy, &scenario);
            assert!(peak < bound, "{strategy:?}: {peak} payments held at once");
        }
    }
}
