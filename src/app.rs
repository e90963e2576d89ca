use yew::prelude::*;

use crate::components::{Controls, Gallery, Notices, PlaybackBar, StoryBox, StrategyPanel};
use crate::hooks::use_animation_frame;
use crate::playback::Preferences;
use crate::scenario::Scenario;
use crate::state::{Action, State};
use crate::storage::{self, Settings};

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(|| {
        let (saved, notice) = storage::load();
        let notices = notice.into_iter().collect();
        match saved {
            Some(settings) => State::new(settings.scenario, settings.preferences, notices),
            None => State::new(Scenario::default(), Preferences::default(), notices),
        }
    });

    // Playback: one clock tick per animation frame while playing.
    let on_frame = {
        let dispatcher = state.dispatcher();
        Callback::from(move |timestamp| dispatcher.dispatch(Action::Frame(timestamp)))
    };
    use_animation_frame(state.clock.playing, on_frame);

    // Persistence: what the reader set survives a reload.
    use_effect_with((state.scenario.clone(), state.preferences), |(scenario, preferences)| {
        storage::save(&Settings { scenario: scenario.clone(), preferences: *preferences });
    });

    let dispatcher = state.dispatcher();
    let on_action = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |action| dispatcher.dispatch(action))
    };
    let on_configure = on_action.reform(|scenario| Action::Configure(Box::new(scenario)));
    let on_notice = on_action.reform(Action::Notify);
    let on_dismiss = on_action.reform(|()| Action::DismissNotices);

    let shown = &state.scenario.shown;
    let panels = state.run.lanes.iter().enumerate().filter(|(_, lane)| shown.includes(lane.strategy)).map(|(index, _)| {
        html! {
            <StrategyPanel run={state.run.clone()} lane={index} scenario={state.scenario.clone()} now={state.clock.now} />
        }
    });

    html! {
        <div class="app">
            <header class="masthead">
                <h1>{ "Polling vs webhooks" }</h1>
                <p class="masthead__lede">
                    { "A merchant's payment gateway needs to know when ABC Payment has finished a payment. \
                       On the left it keeps asking; on the right ABC Payment tells it. \
                       Both sides handle the same payments, so every difference comes from the strategy alone." }
                </p>
            </header>
            <main class="layout">
                <aside class="layout__controls">
                    <Controls scenario={state.scenario.clone()} {on_configure} on_notice={on_notice.clone()} />
                </aside>
                <div class="layout__stage">
                    <PlaybackBar clock={state.clock.clone()} preferences={state.preferences} on_action={on_action.clone()} />
                    <Notices notices={state.notices.clone()} {on_dismiss} />
                    if let Some(story) = &state.story {
                        <StoryBox story={story.clone()} on_action={on_action.clone()} />
                    }
                    <div class="panels">{ for panels }</div>
                    <Legend />
                    <Gallery story={state.story.clone()} on_action={on_action.clone()} />
                </div>
            </main>
        </div>
    }
}

/// What the token colours and labels mean.
#[function_component]
fn Legend() -> Html {
    let entries = [
        ("request", "GET status", "request from the gateway"),
        ("pending", "pending", "answer: not final yet, a wasted request"),
        ("processing", "processing", "answer or event: in progress"),
        ("succeeded", "succeeded", "the payment succeeded"),
        ("failed", "failed", "the payment was declined"),
        ("limited", "429", "rate limit reached"),
        ("webhook", "webhook", "ABC Payment calls the gateway"),
        ("ack", "200 OK", "the gateway confirms the webhook"),
        ("error", "5xx / 4xx", "the endpoint refuses or fails"),
        ("replay", "replay", "an attacker resends a delivery"),
    ];
    html! {
        <ul class="legend" aria-label="Legend">
            { for entries.iter().map(|(kind, label, meaning)| html! {
                <li>
                    <span class={classes!("legend__swatch", format!("token--{kind}"))}>{ *label }</span>
                    { format!(" {meaning}") }
                </li>
            }) }
        </ul>
    }
}
