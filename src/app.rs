use yew::prelude::*;

use crate::browser;
use crate::components::{
    dialog, Controls, Gallery, Narrator, Notices, PlaybackBar, StoryBox, StrategyPanel, TourBar,
};
use crate::hooks::{use_animation_frame, use_shortcuts};
use crate::playback::Preferences;
use crate::scenario::Scenario;
use crate::state::{Action, Dialog, State, Theme};
use crate::storage::{self, Settings};

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(|| {
        let (saved, notice) = storage::load();
        let notices = notice.into_iter().collect();
        let mut state = match saved {
            Some(settings) => State::new(settings.scenario, settings.preferences, notices),
            None => State::new(Scenario::default(), Preferences::default(), notices),
        };
        state.view.reduced_motion = browser::prefers_reduced_motion();
        state
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

    // The theme is an attribute of <html>, so the page background follows it too.
    use_effect_with(state.view.theme, |&theme| browser::set_theme(theme));

    let dispatcher = state.dispatcher();
    let on_action = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |action| dispatcher.dispatch(action))
    };
    let dark = browser::is_dark(state.view.theme);
    use_shortcuts(on_action.clone(), dark);

    let on_configure = on_action.reform(|scenario| Action::Configure(Box::new(scenario)));
    let on_notice = on_action.reform(Action::Notify);
    let on_dismiss = on_action.reform(|()| Action::DismissNotices);

    let shown = &state.scenario.shown;
    let panels = state.run.lanes.iter().enumerate().filter(|(_, lane)| shown.includes(lane.strategy)).map(|(index, _)| {
        html! {
            <StrategyPanel run={state.run.clone()} lane={index} scenario={state.scenario.clone()} now={state.clock.now} />
        }
    });
    let view = &state.view;
    let class = classes!(
        "app",
        view.embed.then_some("app--embed"),
        view.present.then_some("app--present"),
        view.tour.map(|_| "app--tour")
    );
    let (link, embed_link) = browser::links();

    html! {
        <div {class}>
            if !view.embed {
                <header class="masthead">
                    <div class="masthead__text">
                        <h1>{ "Polling vs webhooks" }</h1>
                        <p class="masthead__lede">
                            { "A merchant's payment gateway needs to know when ABC Payment has finished a payment. \
                               On the left it keeps asking; on the right ABC Payment tells it. \
                               Both sides handle the same payments, so every difference comes from the strategy alone." }
                        </p>
                    </div>
                    <Toolbar {dark} present={view.present} on_action={on_action.clone()} />
                </header>
            }
            if let Some(step) = view.tour {
                <TourBar {step} on_action={on_action.clone()} />
            }
            <main class="layout">
                if !view.embed && !view.present {
                    <aside class="layout__controls">
                        <Controls scenario={state.scenario.clone()} {on_configure} on_notice={on_notice.clone()} />
                    </aside>
                }
                <div class="layout__stage">
                    <PlaybackBar clock={state.clock.clone()} preferences={state.preferences} on_action={on_action.clone()} />
                    <Notices notices={state.notices.clone()} {on_dismiss} />
                    if let Some(story) = &state.story {
                        <StoryBox story={story.clone()} on_action={on_action.clone()} />
                    }
                    <div class="panels">{ for panels }</div>
                    if !view.embed {
                        <Legend />
                    }
                    if !view.embed && !view.present {
                        <Gallery story={state.story.clone()} on_action={on_action.clone()} />
                    }
                </div>
            </main>
            <Narrator run={state.run.clone()} now={state.clock.now} />
            { dialog(view.dialog, &link, &embed_link, &on_action) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ToolbarProps {
    dark: bool,
    present: bool,
    on_action: Callback<Action>,
}

/// The page's buttons for the tour, sharing, presenting, the theme and the shortcuts.
#[function_component]
fn Toolbar(props: &ToolbarProps) -> Html {
    let on_action = &props.on_action;
    let on_present = {
        let on_action = on_action.clone();
        let present = props.present;
        Callback::from(move |_: MouseEvent| {
            // Full screen needs the click's user activation, so it is asked for here.
            browser::set_fullscreen(!present);
            on_action.emit(Action::SetPresent(!present));
        })
    };
    let theme = if props.dark { Theme::Light } else { Theme::Dark };
    html! {
        <nav class="toolbar" aria-label="Page tools">
            <button type="button" class="button" data-testid="open-tour"
                    onclick={on_action.reform(|_: MouseEvent| Action::OpenTour(0))}>{ "Guided tour" }</button>
            <button type="button" class="button" data-testid="open-share"
                    onclick={on_action.reform(|_: MouseEvent| Action::OpenDialog(Dialog::Share))}>{ "Share" }</button>
            <button type="button" class="button" data-testid="present" aria-pressed={props.present.to_string()}
                    onclick={on_present}>{ "Present" }</button>
            <button type="button" class="button" data-testid="theme"
                    onclick={on_action.reform(move |_: MouseEvent| Action::SetTheme(theme))}>
                { if props.dark { "Light theme" } else { "Dark theme" } }
            </button>
            <button type="button" class="button" data-testid="open-shortcuts" aria-keyshortcuts="?"
                    onclick={on_action.reform(|_: MouseEvent| Action::OpenDialog(Dialog::Shortcuts))}>
                { "Shortcuts" }
            </button>
        </nav>
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
