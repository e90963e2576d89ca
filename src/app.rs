use yew::prelude::*;

use crate::components::{
    dialog, Charts, Controls, DialogContext, Gallery, LongRunSection, Narrator, Notices, PlaybackBar,
    StoryBox, StrategyPanel, TourBar, CURSOR_STEPS,
};
use crate::hooks::{use_animation_frame, use_host_messages, use_pending_run, use_shortcuts, use_url_sync};
use crate::playback::Preferences;
use crate::scenario::{query, Millis, Scenario};
use crate::sim::{detections, Detection, Strategy};
use crate::state::{Action, Dialog, State, Theme};
use crate::storage::{self, Settings};
use crate::{browser, embed_api};

/// Builds the first state: from the link when the address has one,
/// otherwise from the settings saved in this browser.
fn initial_state() -> State {
    let (saved, notices) = storage::load();
    let query = browser::current_query();
    let mut state = if query.is_empty() {
        match saved {
            Some(settings) => State::new(settings.scenario, settings.preferences, notices),
            None => State::new(Scenario::default(), Preferences::default(), notices),
        }
    } else {
        let (link, rejected) = query::decode(&query);
        let preferences = saved.map_or_else(Preferences::default, |settings| settings.preferences);
        State::from_link(link, rejected, preferences, notices)
    };
    state.view.reduced_motion = browser::prefers_reduced_motion();
    state
}

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);
    let dispatcher = state.dispatcher();
    // Callbacks made once, so that a frame's new state does not count as
    // new props for components that do not show the time.
    let callbacks = use_memo((), move |_| {
        let on_action = Callback::from(move |action| dispatcher.dispatch(action));
        let on_configure = on_action.reform(|scenario| Action::Configure(Box::new(scenario)));
        let on_notice = on_action.reform(Action::Notify);
        let on_dismiss = on_action.reform(|()| Action::DismissNotices);
        (on_action, on_configure, on_notice, on_dismiss)
    });
    let (on_action, on_configure, on_notice, on_dismiss) = (*callbacks).clone();

    // Playback: one clock tick per animation frame while playing.
    use_animation_frame(state.clock.playing, on_action.reform(Action::Frame));

    // A big scenario's run is finished in slices between frames.
    let computing = use_pending_run(state.pending.clone(), on_action.clone());

    // Persistence: what the reader set survives a reload. An embedded copy
    // keeps its hands off the settings of the reader's own visits.
    use_effect_with(
        (state.scenario.clone(), state.preferences, state.view.embed),
        |(scenario, preferences, embed)| {
            if !embed {
                storage::save(&Settings { scenario: scenario.clone(), preferences: *preferences });
            }
        },
    );

    // The address bar is the state: a paused page carries its time.
    // Encoding the link costs some string work, so it is redone only when
    // what it holds changes: not on every frame while playing.
    let paused_at = (!state.clock.playing).then(|| state.clock.now.round() as Millis);
    let link_inputs =
        (state.scenario.clone(), state.story.clone(), state.view.clone(), state.preferences, paused_at);
    let page_query = (*use_memo(link_inputs, |_| query::encode(&state.link(!state.clock.playing)))).clone();
    let params = (*use_memo(
        (state.scenario.clone(), state.story.clone(), state.view.clone(), state.preferences),
        |_| query::encode(&state.link(false)),
    ))
    .clone();
    use_url_sync(page_query, !state.view.embed, on_action.clone());

    // An embedding page can steer the playground and hear what it does.
    let state_requests = use_state(|| 0u32);
    use_host_messages(on_action.clone(), {
        let state_requests = state_requests.clone();
        Callback::from(move |()| state_requests.set(*state_requests + 1))
    });
    use_host_events(&state, *state_requests, &params);

    // The theme is an attribute of <html>, so the page background follows it too.
    use_effect_with(state.view.theme, |&theme| browser::set_theme(theme));
    let dark = browser::is_dark(state.view.theme);
    use_shortcuts(on_action.clone(), dark);

    let in_frame = *use_memo((), |_| browser::in_frame());

    let shown = &state.scenario.shown;
    let panels = state.run.lanes.iter().enumerate().filter(|(_, lane)| shown.includes(lane.strategy)).map(|(index, _)| {
        html! {
            <StrategyPanel run={state.run.clone()} lane={index} scenario={state.scenario.clone()} now={state.clock.now} />
        }
    });
    let chart_cursor =
        (state.clock.now / state.clock.end.max(1) as f64 * f64::from(CURSOR_STEPS)).round() as u32;
    let view = &state.view;
    let class = classes!(
        "app",
        view.embed.then_some("app--embed"),
        view.present.then_some("app--present"),
        view.tour.map(|_| "app--tour")
    );

    // Shared links open paused at the current moment and never carry the
    // embed, presentation or tour flags of this page's own view.
    // Only the Share dialog shows the links, so they are built only while it is open.
    let (link, embed_link) = if view.dialog == Some(Dialog::Share) {
        let mut shared = state.link(true);
        shared.view.embed = false;
        shared.view.present = false;
        shared.view.tour_step = None;
        let link = browser::address_with(&query::encode(&shared));
        shared.view.embed = true;
        (link, browser::address_with(&query::encode(&shared)))
    } else {
        (String::new(), String::new())
    };
    let context = DialogContext { link: &link, embed_link: &embed_link, run: &state.run, params: &params };

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
                    if let Some(events) = computing {
                        <p class="pending-run" role="status" data-testid="pending-run">
                            { format!(
                                "Simulating the new scenario: {} events so far. The panels show the previous run until it is done.",
                                crate::scenario::units::group_thousands(events)
                            ) }
                        </p>
                    }
                    <Notices notices={state.notices.clone()} dropped={state.dropped_notices} {on_dismiss} />
                    if let Some(story) = &state.story {
                        <StoryBox story={story.clone()} on_action={on_action.clone()} take_focus={!in_frame} />
                    }
                    <div class="panels">{ for panels }</div>
                    if !view.embed {
                        <Legend />
                    }
                    if !view.embed && !view.present {
                        <Charts run={state.run.clone()} scenario={state.scenario.clone()} cursor={chart_cursor} />
                    }
                    if !view.embed && !view.present {
                        <Gallery story={state.story.clone()} on_action={on_action.clone()} />
                    }
                    // Hidden rather than removed in presentation mode, so a long
                    // run that took minutes survives switching the mode on and off.
                    if !view.embed {
                        <div hidden={view.present}><LongRunSection /></div>
                    }
                </div>
            </main>
            <Narrator run={state.run.clone()} now={state.clock.now} />
            { dialog(view.dialog, context, &on_action) }
        </div>
    }
}

/// Tells an embedding page when the playground is ready, what it shows,
/// and when a gateway learns an outcome. Nothing is sent outside a frame.
#[hook]
fn use_host_events(state: &State, state_requests: u32, params: &str) {
    let in_frame = use_memo((), |_| browser::in_frame());
    let in_frame = *in_frame;

    use_effect_with((), move |_| {
        if in_frame {
            browser::post_to_parent(&embed_api::ready_event());
        }
    });

    // While playing, the time in state events moves in whole seconds, so a
    // host gets about one event a second rather than one a frame.
    let now_ms = state.clock.now.floor() as Millis;
    let reported_time = if state.clock.playing { now_ms / 1_000 * 1_000 } else { now_ms };
    let event = embed_api::StateEvent {
        time_ms: reported_time,
        end_ms: state.clock.end,
        playing: state.clock.playing,
        params: params.to_string(),
        ignored_messages: state.ignored_messages,
    };
    use_effect_with((event, state_requests), move |(event, _)| {
        if in_frame {
            browser::post_to_parent(&embed_api::state_event(event));
        }
    });

    // Detections between the previous frame and this one.
    let detections = use_memo(state.run.clone(), |run| {
        let mut all: Vec<(Strategy, Detection)> = run
            .lanes
            .iter()
            .flat_map(|lane| {
                detections(&lane.trace, run.payments.len()).into_iter().map(move |d| (lane.strategy, d))
            })
            .collect();
        all.sort_by_key(|(_, found)| found.at);
        all
    });
    let seen_until = use_mut_ref(|| 0.0f64);
    use_effect_with((state.clock.now.to_bits(), state.run.clone()), move |&(now_bits, _)| {
        let now = f64::from_bits(now_bits);
        let mut seen = seen_until.borrow_mut();
        if in_frame && now > *seen {
            let start = detections.partition_point(|(_, found)| (found.at as f64) <= *seen);
            let end = detections.partition_point(|(_, found)| (found.at as f64) <= now);
            for (strategy, found) in &detections[start..end.max(start)] {
                browser::post_to_parent(&embed_api::detection_event(*strategy, found));
            }
        }
        *seen = now;
    });
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
            <button type="button" class="button" data-testid="open-export"
                    onclick={on_action.reform(|_: MouseEvent| Action::OpenDialog(Dialog::Export))}>{ "Export" }</button>
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
