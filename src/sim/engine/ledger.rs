//! The state of each payment that can still change, dropped once it cannot.

use std::collections::VecDeque;

use super::{Delivery, PollState};
use crate::scenario::Millis;
use crate::sim::trace::Status;

/// What the endpoint's application knows about one webhook event.
#[derive(Clone, Copy, Default)]
pub(super) struct EventFlags {
    pub event_id: u32,
    /// The application has received the event at least once.
    pub received: bool,
    /// The event is claimed for processing, when deduplicating.
    pub claimed: bool,
    /// The event has been applied to the view.
    pub applied: bool,
}

/// Everything the world keeps about one payment.
pub(super) struct PaymentState {
    pub created_at: Millis,
    /// Status as ABC Payment stores it.
    pub provider: Status,
    /// Status as the gateway believes it is.
    pub view: Status,
    /// Whether the gateway has stored the payment's id.
    pub recorded: bool,
    pub poll: PollState,
    /// Creation time of the newest event applied, in milliseconds.
    pub newest_applied: Option<Millis>,
    /// The payment's webhook events at ABC Payment.
    pub deliveries: Vec<Delivery>,
    /// The payment's webhook events at the gateway.
    pub events: Vec<EventFlags>,
    /// Events in the queue, and messages parked for them, that refer to the payment.
    pub pending: u32,
}

impl PaymentState {
    pub fn new(created_at: Millis) -> Self {
        PaymentState {
            created_at,
            provider: Status::Pending,
            view: Status::Pending,
            recorded: false,
            poll: PollState::default(),
            newest_applied: None,
            deliveries: Vec::new(),
            events: Vec::new(),
            pending: 0,
        }
    }

    pub fn delivery(&mut self, event_id: u32) -> &mut Delivery {
        self.deliveries.iter_mut().find(|d| d.event_id == event_id).expect("the event belongs to the payment")
    }

    /// The gateway's flags for an event, added on first use.
    pub fn flags(&mut self, event_id: u32) -> &mut EventFlags {
        match self.events.iter().position(|flags| flags.event_id == event_id) {
            Some(index) => &mut self.events[index],
            None => {
                self.events.push(EventFlags { event_id, ..EventFlags::default() });
                self.events.last_mut().expect("just pushed")
            }
        }
    }
}

/// Payments by id. Ids are given out in order, so the live ones form a
/// window that a deque holds; retired payments leave holes until the
/// oldest retires, and then the window moves on.
#[derive(Default)]
pub(super) struct Ledger {
    slots: VecDeque<Option<PaymentState>>,
    /// Id of the payment in the first slot.
    base: u32,
    live: usize,
}

impl Ledger {
    /// Adds the next payment; ids must come in order without gaps.
    pub fn insert(&mut self, id: u32, state: PaymentState) {
        debug_assert_eq!(id as usize, self.base as usize + self.slots.len(), "payment ids come in order");
        self.slots.push_back(Some(state));
        self.live += 1;
    }

    pub fn get(&self, id: u32) -> Option<&PaymentState> {
        let offset = id.checked_sub(self.base)? as usize;
        self.slots.get(offset)?.as_ref()
    }

    /// The state of a live payment. Asking for a retired one is a bug in
    /// the engine, which only retires payments no event refers to.
    pub fn get_mut(&mut self, id: u32) -> &mut PaymentState {
        let offset = id.checked_sub(self.base).expect("the payment is live") as usize;
        self.slots.get_mut(offset).and_then(Option::as_mut).expect("the payment is live")
    }

    pub fn retire(&mut self, id: u32) {
        let offset = (id - self.base) as usize;
        if self.slots[offset].take().is_some() {
            self.live -= 1;
        }
        while matches!(self.slots.front(), Some(None)) {
            self.slots.pop_front();
            self.base += 1;
        }
    }

    /// Number of live payments.
    #[cfg(test)]
    pub fn live(&self) -> usize {
        self.live
    }

    /// Ids of the live payments, in order.
    pub fn live_ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, slot)| slot.is_some())
            .map(|(offset, _)| self.base + offset as u32)
    }

    /// The live payments, in order.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut PaymentState> {
        self.slots.iter_mut().flatten()
    }
}
