use yew::prelude::*;

use super::stage::token_label;
use crate::scenario::units::format_clock;
use crate::sim::Actor;
use crate::state::RunHandle;

/// How many of the latest messages the log shows.
const LOG_LENGTH: usize = 4;

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
    /// Virtual time, in milliseconds; only messages sent by then are listed.
    pub now: f64,
}

/// The latest messages in words, newest first, for readers who prefer text
/// to the moving tokens.
#[function_component]
pub fn MessageLog(props: &MessageLogProps) -> Html {
    let messages = &props.run.lanes[props.lane].trace.messages;
    let sent = messages.partition_point(|m| m.sent_at as f64 <= props.now);
    let latest = messages[..sent].iter().rev().take(LOG_LENGTH);
    let show_payment = props.run.payments.len() > 1;
    html! {
        <ol class="log" aria-label="Latest messages">
            { for latest.map(|message| {
                let (label, kind) = token_label(message.kind, message.status, message.http_status);
                let payment = if show_payment { format!(" #{}", message.payment + 1) } else { String::new() };
                html! {
                    <li>
                        <time>{ format_clock(message.sent_at) }</time>
                        { format!(" {} → {}{payment}: ", actor_name(message.kind.from()), actor_name(message.kind.to())) }
                        <span class={classes!("log__label", format!("token--{kind}"))}>{ label }</span>
                    </li>
                }
            }) }
            if sent == 0 {
                <li class="log__empty">{ "No messages yet." }</li>
            }
        </ol>
    }
}
