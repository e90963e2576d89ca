use yew::prelude::*;

use super::describe::{note_text, token_label};
use crate::scenario::units::format_clock;
use crate::scenario::Millis;
use crate::sim::Actor;
use crate::state::RunHandle;

/// How many of the latest entries the log shows.
const LOG_LENGTH: usize = 5;

fn actor_name(actor: Actor) -> &'static str {
    match actor {
        Actor::Gateway => "Gateway",
        Actor::Provider => "ABC Payment",
    }
}

#[derive(Properties, PartialEq)]
pub struct MessageLogProps {
    pub run: RunHandle,
    /// Index of the lane in the run.
    pub lane: usize,
    /// Virtual time, in milliseconds; only what happened by then is listed.
    pub now: f64,
}

/// One line of the log, newest first.
struct Entry {
    at: Millis,
    body: Html,
    problem: bool,
}

/// The latest messages and notes in words, newest first, for readers who
/// prefer text to the moving tokens.
#[function_component]
pub fn MessageLog(props: &MessageLogProps) -> Html {
    let trace = &props.run.lanes[props.lane].trace;
    let show_payment = props.run.payments.len() > 1;
    let now = props.now;

    let sent = trace.messages.partition_point(|m| m.sent_at as f64 <= now);
    let messages = trace.messages[..sent].iter().rev().take(LOG_LENGTH).map(|message| {
        let (label, kind) = token_label(message);
        let payment = if show_payment { format!(" #{}", message.payment + 1) } else { String::new() };
        Entry {
            at: message.sent_at,
            body: html! {
                <>
                    { format!("{} → {}{payment}: ", actor_name(message.kind.from()), actor_name(message.kind.to())) }
                    <span class={classes!("log__label", format!("token--{kind}"))}>{ label }</span>
                </>
            },
            problem: false,
        }
    });
    let noted = trace.notes.partition_point(|n| n.at as f64 <= now);
    let notes = trace.notes[..noted].iter().rev().take(LOG_LENGTH).map(|note| {
        let (text, problem) = note_text(&note.kind, note.payment);
        Entry { at: note.at, body: html! { { text } }, problem }
    });

    // Both lists are newest first; a stable sort by time keeps notes after
    // the messages of the same millisecond.
    let mut entries: Vec<Entry> = messages.chain(notes).collect();
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.at));
    entries.truncate(LOG_LENGTH);

    html! {
        <ol class="log" aria-label="Latest messages and events">
            { for entries.into_iter().map(|entry| html! {
                <li class={classes!(entry.problem.then_some("log__problem"))}>
                    <time>{ format_clock(entry.at) }</time>{ " " }{ entry.body }
                </li>
            }) }
            if sent == 0 && noted == 0 {
                <li class="log__empty">{ "Nothing has happened yet." }</li>
            }
        </ol>
    }
}
