//! The application state and the actions that change it.
//!
//! The reducer is pure: it runs the simulation and moves the clock, and
//! touches no browser API, so it is tested natively.

use std::cell::RefCell;
use std::rc::Rc;

use yew::Reducible;

use crate::playback::{Clock, Flights, Pace, Preferences};
use crate::scenario::query::{self, Link, Rejected, ViewOptions};
use crate::scenario::units::{format_clock, group_thousands};
use crate::scenario::{Adjustment, Millis, Scenario};
use crate::sim::{self, Run, RunBuilder};
use crate::{gallery, tour};

/// A shared, immutable run. Two handles are equal only when they point to the
/// same run, so components compare props in constant time.
#[derive(Clone, Debug)]
pub struct RunHandle(pub Rc<Run>);

impl PartialEq for RunHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for RunHandle {
    type Target = Run;

    fn deref(&self) -> &Run {
        &self.0
    }
}

/// A message to the reader about input that was rejected or replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
}

impl Notice {
    pub fn new(text: impl Into<String>) -> Self {
        Notice { text: text.into() }
    }
}

impl From<Rejected> for Notice {
    fn from(rejected: Rejected) -> Self {
        let outcome = match rejected.used.as_str() {
            "ignored" => "ignored".to_string(),
            used => format!("using {used}"),
        };
        Notice::new(format!(
            "Link parameter {}={}: {}; {outcome}.",
            rejected.key, rejected.value, rejected.reason
        ))
    }
}

impl From<Adjustment> for Notice {
    fn from(adjustment: Adjustment) -> Self {
        Notice::new(format!(
            "{}: {} is not allowed ({}); using {}.",
            capitalize(adjustment.field),
            adjustment.given,
            adjustment.reason,
            adjustment.used
        ))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub scenario: Scenario,
    pub run: RunHandle,
    /// Every moment something happens in any lane, sorted, for stepping.
    pub moments: Rc<Vec<Millis>>,
    pub clock: Clock,
    /// Slow motion and quiet-stretch skipping; the speed lives in the clock.
    pub preferences: Preferences,
    /// When messages travel, in any lane.
    pub flights: Rc<Flights>,
    /// The run of [`State::scenario`] while it is still being computed;
    /// until then `run` is the previous scenario's.
    pub pending: Option<Pending>,
    /// Virtual time a link asked for, to seek once the pending run is shown.
    pub pending_seek: Option<f64>,
    /// Rejected or replaced input, newest last.
    pub notices: Vec<Notice>,
    /// Number of older notices dropped to keep the list at [`MAX_NOTICES`],
    /// which the page shows so that no rejection goes unmentioned.
    pub dropped_notices: usize,
    /// The gallery scenario on screen, if the reader opened one.
    pub story: Option<Story>,
    /// How the page is laid out and which overlay is open.
    pub view: View,
    /// Messages from a host page that were not playground commands.
    pub ignored_messages: u64,
    /// The reader's own playback preferences while a prepared scenario
    /// plays at a pace of its own; restored when it closes.
    pub reader_pace: Option<Preferences>,
}

/// The colour theme the reader chose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Follow the system's light or dark setting.
    #[default]
    System,
    Light,
    Dark,
}

/// A dialog over the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialog {
    Share,
    Shortcuts,
    Export,
}

/// Layout and overlays, apart from the scenario.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct View {
    /// Only the playground, for an iframe.
    pub embed: bool,
    /// Large type and a high-contrast palette for a projector.
    pub present: bool,
    pub theme: Theme,
    /// Index of the open tour step.
    pub tour: Option<usize>,
    pub dialog: Option<Dialog>,
    /// The reader asked the system for reduced motion: nothing starts playing by itself.
    pub reduced_motion: bool,
}

/// A gallery entry and which of its variants is loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Story {
    pub key: &'static str,
    /// 0 for the failure, then 1, 2, ... for the cures.
    pub variant: usize,
}

pub enum Action {
    /// Replaces the scenario (after sanitizing it) and runs it again.
    Configure(Box<Scenario>),
    Play,
    Pause,
    TogglePlay,
    /// Pauses and moves to the next moment at which something happens.
    Step,
    /// Pauses and moves to the previous moment at which something happens.
    StepBack,
    Restart,
    /// Moves to the end of the run.
    SkipToEnd,
    /// Moves to a virtual time, in milliseconds.
    Seek(f64),
    SetSpeed(f64),
    SetSlowMotion(bool),
    SetSkipQuiet(bool),
    /// An animation frame with its timestamp, in wall-clock milliseconds.
    Frame(f64),
    Notify(Notice),
    DismissNotices,
    /// Loads a variant of a gallery entry and plays it from the start.
    OpenStory {
        key: String,
        variant: usize,
    },
    CloseStory,
    /// Opens the tour at a step (0-based), clamped to the last step.
    OpenTour(usize),
    TourNext,
    /// The next tour step while the tour is open, otherwise the next event.
    NextInSequence,
    /// The previous tour step while the tour is open, otherwise the previous event.
    PreviousInSequence,
    TourBack,
    CloseTour,
    SetTheme(Theme),
    SetPresent(bool),
    TogglePresent,
    OpenDialog(Dialog),
    CloseDialog,
    /// Applies a link, as when the browser goes back or forward.
    ApplyLink(Box<Link>),
    /// Applies link parameters on top of the current state, as a host page
    /// does through postMessage; rejected parameters become notices.
    SetParams(String),
    /// Counts a message from a host page that was not a command.
    IgnoreMessage,
    /// Shows the pending run, once the page has computed its last slice.
    FinishPending,
}

/// Largest number of notices kept; older ones are dropped first. A link can
/// carry many bad parameters, and each deserves its line.
const MAX_NOTICES: usize = 24;

/// A gallery scenario longer than this much virtual time, in milliseconds,
/// plays faster and skips quiet stretches, so that it lasts about this long
/// on screen.
const STORY_WALL_MS: f64 = 45_000.0;

/// Slow motion applies to runs with at most this many payments. With more,
/// messages are nearly always in flight and the whole run would crawl.
pub const SLOW_MOTION_MAX_PAYMENTS: u32 = 8;

impl State {
    /// Builds the state for a scenario, reporting every field that had to be adjusted.
    pub fn new(scenario: Scenario, preferences: Preferences, mut notices: Vec<Notice>) -> Self {
        let (scenario, adjustments) = scenario.sanitized();
        notices.extend(adjustments.into_iter().map(Notice::from));
        let Simulated { run, moments, flights } = simulate(&scenario);
        notices.extend(cut_notices(&run));
        let clock = Clock::new(run.end(), preferences.speed);
        let mut state = State {
            scenario,
            run,
            moments,
            clock,
            preferences,
            flights,
            pending: None,
            pending_seek: None,
            notices: Vec::new(),
            dropped_notices: 0,
            story: None,
            view: View::default(),
            ignored_messages: 0,
            reader_pace: None,
        };
        for notice in notices {
            state.push_notice(notice);
        }
        state
    }

    fn push_notice(&mut self, notice: Notice) {
        self.notices.retain(|n| n != &notice);
        self.notices.push(notice);
        let excess = self.notices.len().saturating_sub(MAX_NOTICES);
        self.notices.drain(..excess);
        self.dropped_notices += excess;
    }

    /// Returns the state after the action.
    pub fn apply(mut self, action: Action) -> Self {
        match action {
            Action::Configure(scenario) => self.configure(*scenario),
            Action::Play => self.clock.play(),
            Action::Pause => self.clock.pause(),
            Action::TogglePlay if self.clock.playing => self.clock.pause(),
            Action::TogglePlay => self.clock.play(),
            Action::Step => self.clock.step(&self.moments),
            Action::StepBack => self.clock.step_back(&self.moments),
            Action::Restart => self.clock.restart(),
            Action::SkipToEnd => {
                self.clock.pause();
                self.clock.seek(self.clock.end as f64);
            }
            Action::Seek(at) => self.clock.seek(at),
            Action::SetSpeed(speed) => {
                self.clock.set_speed(speed);
                self.preferences.speed = self.clock.speed;
                // The reader chose a speed: it stays when the scenario closes.
                self.reader_pace = None;
            }
            Action::SetSlowMotion(on) => self.preferences.slow_motion = on,
            Action::SetSkipQuiet(on) => self.preferences.skip_quiet = on,
            Action::Frame(timestamp) => {
                let pace = Pace {
                    flights: &self.flights,
                    moments: &self.moments,
                    slow_motion: self.preferences.slow_motion
                        && self.scenario.workload.payments <= SLOW_MOTION_MAX_PAYMENTS,
                    skip_quiet: self.preferences.skip_quiet,
                };
                self.clock.on_frame(timestamp, pace);
            }
            Action::Notify(notice) => self.push_notice(notice),
            Action::FinishPending => self.finish_pending(),
            Action::DismissNotices => {
                self.notices.clear();
                self.dropped_notices = 0;
            }
            Action::OpenStory { key, variant } => self.open_story(&key, variant),
            Action::CloseStory => {
                self.story = None;
                self.restore_reader_pace();
            }
            Action::OpenTour(step) => self.open_tour(step),
            Action::TourNext => {
                if let Some(step) = self.view.tour {
                    self.open_tour(step + 1);
                }
            }
            Action::TourBack => {
                if let Some(step) = self.view.tour {
                    self.open_tour(step.saturating_sub(1));
                }
            }
            Action::CloseTour => {
                self.view.tour = None;
                self.restore_reader_pace();
            }
            Action::NextInSequence if self.view.tour.is_some() => return self.apply(Action::TourNext),
            Action::NextInSequence => self.clock.step(&self.moments),
            Action::PreviousInSequence if self.view.tour.is_some() => return self.apply(Action::TourBack),
            Action::PreviousInSequence => self.clock.step_back(&self.moments),
            Action::SetTheme(theme) => self.view.theme = theme,
            Action::SetPresent(on) => self.view.present = on,
            Action::TogglePresent => self.view.present = !self.view.present,
            Action::OpenDialog(dialog) => self.view.dialog = Some(dialog),
            Action::CloseDialog => self.view.dialog = None,
            Action::ApplyLink(link) => self.apply_link(*link),
            Action::SetParams(params) => self.set_params(&params),
            Action::IgnoreMessage => self.ignored_messages += 1,
        }
        self
    }

    /// Builds the state a link describes; the link's view options override
    /// the saved preferences, and each rejected parameter becomes a notice.
    pub fn from_link(link: Link, rejected: Vec<Rejected>, saved: Preferences, notices: Vec<Notice>) -> Self {
        let mut state = State::new(Scenario::default(), saved, notices);
        for rejected in rejected {
            state.push_notice(rejected.into());
        }
        state.apply_link(link);
        state
    }

    /// Describes the state as a link. With `with_time`, the link opens
    /// paused at the current moment.
    pub fn link(&self, with_time: bool) -> Link {
        let defaults = Preferences::default();
        let preferences = self.preferences;
        let now = self.clock.now.round() as Millis;
        Link {
            scenario: self.scenario.clone(),
            time_ms: (with_time && now > 0).then_some(now),
            view: ViewOptions {
                embed: self.view.embed,
                present: self.view.present,
                tour_step: self.view.tour.map(|step| step as u32 + 1),
                story: self.story.as_ref().map(|story| (story.key.to_string(), story.variant)),
                theme: match self.view.theme {
                    Theme::System => None,
                    Theme::Light => Some(query::Theme::Light),
                    Theme::Dark => Some(query::Theme::Dark),
                },
                speed: (preferences.speed != defaults.speed).then_some(preferences.speed),
                slow_motion: (preferences.slow_motion != defaults.slow_motion)
                    .then_some(preferences.slow_motion),
                skip_quiet: (preferences.skip_quiet != defaults.skip_quiet).then_some(preferences.skip_quiet),
            },
        }
    }

    /// Applies parameters on top of the current link. A rejected parameter
    /// keeps the current value and becomes a notice.
    fn set_params(&mut self, params: &str) {
        let params = params.trim_start_matches('?');
        let (_, rejected) = query::decode(params);
        for rejected in &rejected {
            self.push_notice(Notice::new(format!(
                "Parameter {}={} from the host page: {}; kept the current value.",
                rejected.key, rejected.value, rejected.reason
            )));
        }
        // Only the address of the frame decides whether the page is embedded:
        // a host page that turned it off would write the reader's saved
        // settings and browser history.
        for (key, value) in form_urlencoded::parse(params.as_bytes()).filter(|(key, _)| key == "embed") {
            let parameter = match value.as_ref() {
                "" => key.to_string(),
                value => format!("{key}={}", crate::scenario::units::shorten(value)),
            };
            self.push_notice(Notice::new(format!(
                "Parameter {parameter} from the host page: only the frame's address sets the embedded view; \
                 kept the current value."
            )));
        }
        let valid: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(
                form_urlencoded::parse(params.as_bytes())
                    .filter(|(key, _)| key != "embed" && !rejected.iter().any(|r| r.key == *key)),
            )
            .finish();
        let (link, _) = query::decode(&format!("{}&{valid}", query::encode(&self.link(true))));
        self.apply_link(link);
    }

    /// Applies a link. A bare `tour=` or `story=` loads its prepared
    /// scenario; with other scenario parameters beside it, those describe
    /// the scenario and the tour step or story only shows its text.
    fn apply_link(&mut self, link: Link) {
        let view = link.view;
        if let Some(speed) = view.speed {
            self.clock.set_speed(speed);
            self.preferences.speed = self.clock.speed;
        }
        if let Some(on) = view.slow_motion {
            self.preferences.slow_motion = on;
        }
        if let Some(on) = view.skip_quiet {
            self.preferences.skip_quiet = on;
        }
        self.view.embed = view.embed;
        self.view.present = view.present;
        self.view.theme = match view.theme {
            None => Theme::System,
            Some(query::Theme::Light) => Theme::Light,
            Some(query::Theme::Dark) => Theme::Dark,
        };

        let bare = link.scenario == Scenario::default();
        let steps = tour::steps();
        if let Some(step) = view.tour_step.filter(|&step| step as usize > steps.len()) {
            self.push_notice(Notice::new(format!(
                "Link parameter tour={step}: the tour has {} steps; showing step {}.",
                steps.len(),
                steps.len()
            )));
        }
        self.view.tour = view.tour_step.map(|step| (step.max(1) as usize - 1).min(steps.len() - 1));
        self.story = None;
        let mut scenario = link.scenario;
        if let Some(step) = self.view.tour {
            if let Some((key, _)) = &view.story {
                self.push_notice(Notice::new(format!(
                    "Link parameter story={}: a tour step is open, so the story is not shown.",
                    crate::scenario::units::shorten(key)
                )));
            }
            if bare {
                scenario = steps[step].scenario();
            } else if scenario != steps[step].scenario() {
                self.push_notice(Notice::new(format!(
                    "The link sets its own scenario, so the text of tour step {} describes a different one.",
                    step + 1
                )));
            }
        } else if let Some((key, variant)) = view.story {
            let entry = gallery::entry(&key);
            match entry.as_ref().and_then(|entry| entry.variants().nth(variant).map(|v| (entry.key, v.clone()))) {
                Some((key, chosen)) => {
                    if bare {
                        scenario = chosen.scenario;
                    }
                    self.story = Some(Story { key, variant });
                }
                None if entry.is_some() => self.push_notice(Notice::new(format!(
                    "Link parameter story={key}:{variant}: that gallery scenario has no variant {variant}; showing none."
                ))),
                None => self.push_notice(Notice::new(format!(
                    "Link parameter story={}: no such gallery scenario; showing none.",
                    crate::scenario::units::shorten(&key)
                ))),
            }
        }
        self.configure(scenario);
        self.clock.pause();
        let time = link.time_ms.map_or(0.0, |ms| ms as f64);
        self.clock.seek(time);
        // The previous run may end before the link's time; the pending run is
        // sought once it is shown.
        if self.pending.is_some() {
            self.pending_seek = Some(time);
        }
    }

    /// Puts back the reader's own speed and skipping after a prepared
    /// scenario played at its own pace.
    fn restore_reader_pace(&mut self) {
        if let Some(preferences) = self.reader_pace.take() {
            self.preferences = preferences;
            self.clock.set_speed(preferences.speed);
        }
    }

    /// Sanitizes the scenario, reports what changed, and runs it if it
    /// differs. A run too big to finish in one short task becomes
    /// [`State::pending`], and the page finishes it in slices.
    fn configure(&mut self, scenario: Scenario) {
        let (scenario, adjustments) = scenario.sanitized();
        for adjustment in adjustments {
            self.push_notice(adjustment.into());
        }
        if scenario == self.scenario {
            return;
        }
        let mut builder = RunBuilder::new(&scenario, sim::TRACE_MESSAGE_LIMIT);
        let more = builder.advance(SYNC_EVENTS);
        self.scenario = scenario;
        self.pending_seek = None;
        if more {
            self.pending = Some(Pending(Rc::new(RefCell::new(builder))));
        } else {
            self.pending = None;
            self.install(builder.finish());
        }
    }

    /// Shows a finished run, with a notice for each strategy cut at the message limit.
    fn install(&mut self, run: Run) {
        let Simulated { run, moments, flights } = derive(run, &self.scenario);
        for notice in cut_notices(&run) {
            self.push_notice(notice);
        }
        self.clock.set_end(run.end());
        self.run = run;
        self.moments = moments;
        self.flights = flights;
    }

    /// Finishes the pending run, whose last slice the page has computed.
    fn finish_pending(&mut self) {
        if let Some(Pending(builder)) = self.pending.take() {
            let run = builder.borrow_mut().finish();
            self.install(run);
            if let Some(time) = self.pending_seek.take() {
                self.clock.seek(time);
            }
        }
    }

    /// Loads a gallery variant and plays it, at a pace that shows a run of
    /// hours or days in under a minute.
    fn open_story(&mut self, key: &str, variant: usize) {
        let Some(entry) = gallery::entry(key) else {
            self.push_notice(Notice::new(format!(
                "Gallery scenario \"{}\" does not exist; the scenario is unchanged.",
                crate::scenario::units::shorten(key)
            )));
            return;
        };
        let Some(chosen) = entry.variants().nth(variant).cloned() else {
            self.push_notice(Notice::new(format!(
                "Gallery scenario \"{key}\" has no variant {variant}; the scenario is unchanged."
            )));
            return;
        };
        self.load(chosen.scenario);
        self.story = Some(Story { key: entry.key, variant });
        self.view.tour = None;
    }

    /// Opens a tour step, which loads its scenario like a gallery entry.
    fn open_tour(&mut self, step: usize) {
        let steps = tour::steps();
        let step = step.min(steps.len() - 1);
        self.load(steps[step].scenario());
        self.story = None;
        self.view.tour = Some(step);
    }

    /// Runs a prepared scenario from the start, at a pace that shows a run
    /// of hours or days in under a minute, and plays it unless the reader
    /// asked for reduced motion.
    fn load(&mut self, scenario: Scenario) {
        self.configure(scenario);
        self.restore_reader_pace();
        let end = self.clock.end as f64;
        if end > STORY_WALL_MS {
            self.reader_pace = Some(self.preferences);
            self.preferences.skip_quiet = true;
            self.clock.set_speed(round_to_three_digits(end / STORY_WALL_MS));
            self.preferences.speed = self.clock.speed;
        }
        self.clock.restart();
        if self.view.reduced_motion {
            self.clock.pause();
        } else {
            self.clock.play();
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new((*self).clone().apply(action))
    }
}

/// Events each strategy handles while the page applies a new scenario, in
/// one task. At the 2 million events per second the page's long run
/// reaches, two strategies take an estimated 60 ms. A run that needs more
/// is finished in slices by the page, so that no big scenario freezes it.
const SYNC_EVENTS: u64 = 60_000;

/// A run still being computed, shared with the component that advances it.
#[derive(Clone)]
pub struct Pending(pub Rc<RefCell<RunBuilder>>);

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "Pending({} events)", self.0.borrow().events())
    }
}

/// A run with what playback derives from it once.
struct Simulated {
    run: RunHandle,
    moments: Rc<Vec<Millis>>,
    flights: Rc<Flights>,
}

fn simulate(scenario: &Scenario) -> Simulated {
    derive(sim::run(scenario), scenario)
}

/// Derives what playback needs from a run of `scenario`.
fn derive(run: Run, scenario: &Scenario) -> Simulated {
    let mut moments: Vec<Millis> = run.lanes.iter().flat_map(|lane| lane.trace.moments()).collect();
    moments.sort_unstable();
    moments.dedup();
    let flights = if scenario.workload.payments <= SLOW_MOTION_MAX_PAYMENTS {
        let trips =
            run.lanes.iter().flat_map(|lane| lane.trace.messages.iter().map(|m| (m.sent_at, m.arrives_at)));
        Flights::from_trips(trips)
    } else {
        Flights::default()
    };
    Simulated { run: RunHandle(Rc::new(run)), moments: Rc::new(moments), flights: Rc::new(flights) }
}

/// Rounds a positive number to three significant digits, so that a speed
/// derived from a run's length reads as "6050" rather than "6050.382222" in links.
fn round_to_three_digits(value: f64) -> f64 {
    if !value.is_finite() || value <= 0.0 {
        return value;
    }
    let scale = 10f64.powi(2 - value.log10().floor() as i32);
    (value * scale).round() / scale
}

/// Builds a notice for each strategy whose run stopped at the trace's message limit.
fn cut_notices(run: &Run) -> Vec<Notice> {
    run.lanes
        .iter()
        .filter_map(|lane| {
            let cut_at = lane.trace.cut_at?;
            Some(Notice::new(format!(
                "{} would send more than {} messages in this scenario, more than the page keeps; \
                 its run stops at {} of virtual time, and payments still open then count as not learned.",
                lane.strategy.label(),
                group_thousands(sim::TRACE_MESSAGE_LIMIT as u64),
                format_clock(cut_at),
            )))
        })
        .collect()
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configure_reruns_and_keeps_time() {
        let state =
            State::new(Scenario::default(), Preferences::default(), Vec::new()).apply(Action::Seek(3_000.0));
        let mut scenario = Scenario::default();
        scenario.polling.interval_ms = 3_000;
        let state = state.apply(Action::Configure(Box::new(scenario)));
        assert_eq!(state.scenario.polling.interval_ms, 3_000);
        assert_eq!(state.clock.now, 3_000.0);
        assert_eq!(state.run.lane(sim::Strategy::Polling).unwrap().metrics.provider_requests, 3);
    }

    #[test]
    fn configure_out_of_range_notifies() {
        let mut scenario = Scenario::default();
        scenario.polling.interval_ms = 5;
        let state = State::new(Scenario::default(), Preferences::default(), Vec::new())
            .apply(Action::Configure(Box::new(scenario)));
        assert_eq!(state.scenario.polling.interval_ms, 100);
        assert_eq!(
            state.notices,
            [Notice::new(
                "Poll interval: 5 ms is not allowed (allowed range is 100 ms to 1 d); using 100 ms."
            )]
        );
    }

    #[test]
    fn step_then_skip_to_end() {
        let state = State::new(Scenario::default(), Preferences::default(), Vec::new()).apply(Action::Step);
        assert_eq!(state.clock.now, 2_000.0, "the first poll leaves at 2 s");
        let state = state.apply(Action::SkipToEnd);
        assert_eq!(state.clock.now, 8_200.0);
        assert!(!state.clock.playing);
    }

    #[test]
    fn open_story_loads_and_plays() {
        let state = State::new(Scenario::default(), Preferences::default(), Vec::new());
        let state = state.apply(Action::OpenStory { key: "signature-reserialized".to_string(), variant: 0 });
        assert_eq!(state.story, Some(Story { key: "signature-reserialized", variant: 0 }));
        assert!(state.scenario.receiver.reserialize_body);
        assert!(state.clock.playing);
        assert_eq!(state.clock.now, 0.0);
        // A run of about 75 hours plays in about 45 s, skipping quiet stretches.
        assert!(state.preferences.skip_quiet);
        assert_eq!(state.clock.speed, round_to_three_digits(state.clock.end as f64 / STORY_WALL_MS));
    }

    #[test]
    fn open_story_unknown_is_named() {
        let state = State::new(Scenario::default(), Preferences::default(), Vec::new());
        let state = state.apply(Action::OpenStory { key: "<script>".to_string(), variant: 0 });
        assert_eq!(state.story, None);
        assert_eq!(state.scenario, Scenario::default());
        assert_eq!(
            state.notices,
            [Notice::new("Gallery scenario \"<script>\" does not exist; the scenario is unchanged.")]
        );
    }

    #[test]
    fn tour_moves_within_its_steps() {
        let state = State::new(Scenario::default(), Preferences::default(), Vec::new());
        let state = state.apply(Action::OpenTour(99));
        let last = tour::steps().len() - 1;
        assert_eq!(state.view.tour, Some(last));
        let state = state.apply(Action::TourNext);
        assert_eq!(state.view.tour, Some(last));
        let state = state.apply(Action::OpenTour(0)).apply(Action::TourBack);
        assert_eq!(state.view.tour, Some(0));
        assert_eq!(state.scenario, tour::steps()[0].scenario());
        assert!(state.clock.playing);
        assert_eq!(state.apply(Action::CloseTour).view.tour, None);
    }

    #[test]
    fn reduced_motion_loads_paused() {
        let mut state = State::new(Scenario::default(), Preferences::default(), Vec::new());
        state.view.reduced_motion = true;
        let state = state.apply(Action::OpenTour(1));
        assert!(!state.clock.playing);
        assert_eq!(state.clock.now, 0.0);
    }

    #[test]
    fn link_round_trips_the_state() {
        let state = State::new(Scenario::default(), Preferences::default(), Vec::new())
            .apply(Action::OpenStory { key: "out-of-order".to_string(), variant: 1 })
            .apply(Action::Seek(2_500.0))
            .apply(Action::SetTheme(Theme::Dark));
        let query = query::encode(&state.link(true));
        assert!(query.contains("story=out-of-order:1"), "{query}");
        assert!(query.contains("t=2.5s"), "{query}");

        let (link, rejected) = query::decode(&query);
        assert_eq!(rejected, []);
        let opened = State::from_link(link, rejected, Preferences::default(), Vec::new());
        assert_eq!(opened.scenario, state.scenario);
        assert_eq!(opened.story, state.story);
        assert_eq!(opened.clock.now, 2_500.0);
        assert!(!opened.clock.playing, "a link with a time opens paused");
        assert_eq!(opened.view.theme, Theme::Dark);
    }

    #[test]
    fn bare_tour_link_loads_the_step() {
        let (link, rejected) = query::decode("tour=3");
        let state = State::from_link(link, rejected, Preferences::default(), Vec::new());
        assert_eq!(state.view.tour, Some(2));
        assert_eq!(state.scenario, tour::steps()[2].scenario());
    }

    #[test]
    fn bad_link_is_named_and_the_rest_applies() {
        let (link, rejected) = query::decode("poll=abc&payments=3&story=nope&bogus=%3Cb%3E");
        let state = State::from_link(link, rejected, Preferences::default(), Vec::new());
        assert_eq!(state.scenario.workload.payments, 3);
        assert_eq!(state.scenario.polling.interval_ms, 2_000);
        let texts: Vec<&str> = state.notices.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with("Link parameter poll=abc:")), "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with("Link parameter bogus=<b>:")), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("story=nope")), "{texts:?}");
    }

    #[test]
    fn set_params_merges_onto_the_scenario() {
        let state = State::new(Scenario::default(), Preferences::default(), Vec::new())
            .apply(Action::Configure(Box::new(Scenario { seed: 9, ..Scenario::default() })))
            .apply(Action::SetParams("poll=5s".to_string()));
        assert_eq!(state.scenario.polling.interval_ms, 5_000);
        assert_eq!(state.scenario.seed, 9, "other parameters stay");
        let state = state.apply(Action::SetParams("poll=zzz".to_string()));
        assert_eq!(state.scenario.polling.interval_ms, 5_000, "a rejected value keeps the current one");
        assert_eq!(state.notices.len(), 1);
    }

    #[test]
    fn story_speed_has_three_digits() {
        assert_eq!(round_to_three_digits(6_050.382_222), 6_050.0);
        assert_eq!(round_to_three_digits(1.328_888_9), 1.33);
        assert_eq!(round_to_three_digits(0.012_345), 0.0123);
    }

    #[test]
    fn tour_links_explain_changes() {
        let open = |query: &str| {
            let (link, rejected) = query::decode(query);
            State::from_link(link, rejected, Preferences::default(), Vec::new())
        };
        let texts = |state: &State| state.notices.iter().map(|n| n.text.clone()).collect::<Vec<_>>();

        let state = open("tour=99");
        assert_eq!(state.view.tour, Some(tour::steps().len() - 1));
        assert_eq!(texts(&state), ["Link parameter tour=99: the tour has 8 steps; showing step 8."]);

        let state = open("tour=2&story=lost-webhook");
        assert_eq!(
            texts(&state),
            ["Link parameter story=lost-webhook: a tour step is open, so the story is not shown."]
        );

        let state = open("payments=5&poll=9s&tour=3");
        assert_eq!(
            texts(&state),
            ["The link sets its own scenario, so the text of tour step 3 describes a different one."]
        );

        // The page's own address for a tour step carries the step's scenario.
        let own = query::encode(&open("tour=3").link(true));
        assert!(own.contains("tour=3"), "{own}");
        assert_eq!(texts(&open(&own)), Vec::<String>::new(), "{own}");
    }

    #[test]
    fn big_run_is_pending_until_finished() {
        let state = State::new(Scenario::default(), Preferences::default(), Vec::new());
        let before = state.run.clone();
        let mut big = Scenario::default();
        big.workload.payments = 10;
        big.workload.duration = crate::scenario::Span::fixed(crate::scenario::DAY);
        big.polling.interval_ms = 100;
        let state = state.apply(Action::Configure(Box::new(big.clone())));
        assert_eq!(state.scenario.polling.interval_ms, 100, "the controls show the new scenario at once");
        assert!(state.pending.is_some(), "ten payments polled every 100 ms for a day do not fit in one task");
        assert_eq!(state.run, before, "the previous run stays on screen");

        let state = state.apply(Action::FinishPending);
        assert!(state.pending.is_none());
        assert_ne!(state.run, before);
        assert!(state.run.lanes[0].trace.cut_at.is_some());
        assert!(state.notices[0].text.starts_with("Polling would send more than 2,000,000 messages"));

        // A link's time applies to the pending run once it is shown.
        let (link, rejected) = query::decode("payments=10&duration=1d&poll=100ms&t=2h");
        let state = State::from_link(link, rejected, Preferences::default(), Vec::new());
        assert!(state.pending.is_some());
        let state = state.apply(Action::FinishPending);
        assert_eq!(state.clock.now, 7_200_000.0);

        // A small scenario is applied in the same task.
        let state = state.apply(Action::Configure(Box::default()));
        assert!(state.pending.is_none());
        assert_eq!(state.run.lanes[0].metrics.provider_requests, 4);
    }

    #[test]
    fn host_cannot_leave_embed_view() {
        let (link, rejected) = query::decode("embed=1&poll=3s");
        let state = State::from_link(link, rejected, Preferences::default(), Vec::new());
        assert!(state.view.embed);
        let state = state.apply(Action::SetParams("embed=0&poll=5s".to_string()));
        assert!(state.view.embed, "the frame stays embedded");
        assert_eq!(state.scenario.polling.interval_ms, 5_000, "the other parameters apply");
        assert_eq!(state.notices.len(), 1);
        assert!(
            state.notices[0]
                .text
                .starts_with("Parameter embed=0 from the host page: only the frame's address"),
            "{}",
            state.notices[0].text
        );

        // A bare key, which links read as 1, is named without an empty value.
        let state = state.apply(Action::DismissNotices).apply(Action::SetParams("embed".to_string()));
        assert!(
            state.notices[0].text.starts_with("Parameter embed from the host page:"),
            "{}",
            state.notices[0].text
        );
    }

    #[test]
    fn long_story_pace_does_not_stick() {
        let state = State::new(Scenario::default(), Preferences::default(), Vec::new())
            .apply(Action::OpenStory { key: "signature-reserialized".to_string(), variant: 0 });
        assert!(state.clock.speed > 1_000.0);
        let state = state.apply(Action::OpenStory { key: "signature-reserialized".to_string(), variant: 1 });
        assert_eq!(state.clock.speed, 1.0, "a short cure plays at the reader's speed");
        assert!(!state.preferences.skip_quiet);
        let state = state
            .apply(Action::OpenStory { key: "signature-reserialized".to_string(), variant: 0 })
            .apply(Action::CloseStory);
        assert_eq!(state.clock.speed, 1.0);
        assert_eq!(state.preferences, Preferences::default());
    }

    #[test]
    fn notices_are_bounded_and_unique() {
        let mut state = State::new(Scenario::default(), Preferences::default(), Vec::new());
        for i in 0..30 {
            state = state.apply(Action::Notify(Notice::new(format!("n{i}"))));
        }
        state = state.apply(Action::Notify(Notice::new("n29")));
        assert_eq!(state.notices.len(), MAX_NOTICES);
        assert_eq!(state.notices.last().unwrap().text, "n29");
        assert_eq!(state.dropped_notices, 30 - MAX_NOTICES);
        let state = state.apply(Action::DismissNotices);
        assert_eq!(state.notices, []);
        assert_eq!(state.dropped_notices, 0);
    }
}
