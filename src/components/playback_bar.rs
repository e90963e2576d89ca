use yew::prelude::*;

use super::fields::{input_checked, input_value};
use crate::playback::{Clock, Preferences, SPEED_MAX, SPEED_MIN};
use crate::scenario::units::{format_clock, group_thousands};
use crate::state::{Action, SLOW_MOTION_MAX_PAYMENTS};

/// Playback button icons as SVG paths on a 16 by 16 grid, so they look the
/// same whatever fonts the reader has.
mod icon {
    pub const RESTART: &str = "M2 2h2v12H2zM14 2v12L5 8z";
    pub const PLAY: &str = "M3 2v12l11-6z";
    pub const PAUSE: &str = "M3 2h4v12H3zM9 2h4v12H9z";
    pub const STEP: &str = "M2 2v12l9-6zM12 2h2v12h-2z";
    pub const END: &str = "M1 2v12l7-6zM8 2v12l6-6zM14 2h1.5v12H14z";
}

fn icon(path: &'static str) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <path d={path} fill="currentColor" />
        </svg>
    }
}

/// Formats a playback speed such as "×0.5", "×1", "×250" or "×12,000".
pub fn format_speed(speed: f64) -> String {
    if speed < 10.0 {
        let rounded = (speed * 100.0).round() / 100.0;
        return format!("×{rounded}");
    }
    format!("×{}", group_thousands(speed.round() as u64))
}

#[derive(Properties, PartialEq)]
pub struct PlaybackBarProps {
    pub clock: Clock,
    pub preferences: Preferences,
    pub on_action: Callback<Action>,
}

/// Play, pause, step, restart, the time scrubber and the speed.
#[function_component]
pub fn PlaybackBar(props: &PlaybackBarProps) -> Html {
    let clock = &props.clock;
    let send = |make: fn() -> Action| {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(make()))
    };
    let on_seek = {
        let on_action = props.on_action.clone();
        Callback::from(move |event: InputEvent| {
            if let Ok(at) = input_value(&event).parse::<f64>() {
                on_action.emit(Action::Seek(at));
            }
        })
    };
    let on_speed = {
        let on_action = props.on_action.clone();
        Callback::from(move |event: InputEvent| {
            if let Ok(exponent) = input_value(&event).parse::<f64>() {
                on_action.emit(Action::SetSpeed(10f64.powf(exponent)));
            }
        })
    };
    let on_slow_motion = props.on_action.reform(|event: Event| Action::SetSlowMotion(input_checked(&event)));
    let on_skip_quiet = props.on_action.reform(|event: Event| Action::SetSkipQuiet(input_checked(&event)));
    let (play_label, play_icon) = match (clock.playing, clock.at_end()) {
        (true, _) => ("Pause", icon::PAUSE),
        (false, true) => ("Play again", icon::PLAY),
        (false, false) => ("Play", icon::PLAY),
    };

    html! {
        <div class="playback" role="group" aria-label="Playback">
            <div class="playback__buttons">
                <button type="button" class="button" data-testid="restart" onclick={send(|| Action::Restart)}
                        title="Back to the start">
                    { icon(icon::RESTART) }{ " Restart" }
                </button>
                <button type="button" class="button button--primary" data-testid="play"
                        onclick={send(|| Action::TogglePlay)} title={play_label}>
                    { icon(play_icon) }{ " " }{ play_label }
                </button>
                <button type="button" class="button" data-testid="step" onclick={send(|| Action::Step)}
                        title="Step to the next event">
                    { icon(icon::STEP) }{ " Step" }
                </button>
                <button type="button" class="button" data-testid="end" onclick={send(|| Action::SkipToEnd)}
                        title="Skip to the end">
                    { icon(icon::END) }{ " End" }
                </button>
            </div>
            <div class="playback__time">
                <label for="scrubber" class="visually-hidden">{ "Virtual time" }</label>
                <input id="scrubber" type="range" min="0" max={clock.end.to_string()} step="1"
                       value={(clock.now.floor() as u64).to_string()}
                       aria-valuetext={format_clock(clock.now.floor() as u64)}
                       oninput={on_seek} />
                <span class="playback__clock" data-testid="clock" aria-live="off">
                    <span data-testid="clock-now">{ format_clock(clock.now.floor() as u64) }</span>
                    { " / " }
                    <span data-testid="clock-end">{ format_clock(clock.end) }</span>
                </span>
            </div>
            <div class="playback__speed">
                <label for="speed">{ "Speed " }<output for="speed">{ format_speed(clock.speed) }</output></label>
                <input id="speed" type="range" min={SPEED_MIN.log10().to_string()} max={SPEED_MAX.log10().to_string()}
                       step="0.05" value={clock.speed.log10().to_string()}
                       aria-valuetext={format!("{} real time", format_speed(clock.speed))}
                       oninput={on_speed} />
                <label class="playback__option">
                    <input id="slow-motion" type="checkbox" checked={props.preferences.slow_motion} onchange={on_slow_motion} />
                    { format!(" Slow motion while messages travel (runs of {SLOW_MOTION_MAX_PAYMENTS} payments or fewer)") }
                </label>
                <label class="playback__option">
                    <input id="skip-quiet" type="checkbox" checked={props.preferences.skip_quiet} onchange={on_skip_quiet} />
                    { " Skip quiet stretches" }
                </label>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_speed_groups_digits() {
        assert_eq!(format_speed(0.1), "×0.1");
        assert_eq!(format_speed(1.0), "×1");
        assert_eq!(format_speed(2.5119), "×2.51");
        assert_eq!(format_speed(250.0), "×250");
        assert_eq!(format_speed(12_000.0), "×12,000");
        assert_eq!(format_speed(100_000.0), "×100,000");
    }
}
