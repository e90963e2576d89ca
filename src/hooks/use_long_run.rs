//! Drives a long run a slice at a time between frames, so the page keeps
//! responding to input while hours of traffic are simulated.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::browser::now_ms;
use crate::long_run::LongRun;

/// Wall-clock time one slice may take, in milliseconds. Slices stay well
/// under the 50 ms at which the browser reports a long task.
const SLICE_MS: f64 = 12.0;
/// Events each strategy handles between two looks at the clock.
const EVENTS_PER_STEP: u64 = 5_000;
/// Shortest wall-clock time between two redraws while the run computes, in
/// milliseconds, so that drawing does not slow the simulation down.
const REDRAW_MS: f64 = 100.0;

/// Progress of the long run, which redraws the component when it changes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    /// Increases on every published change.
    pub version: u32,
    pub running: bool,
    /// Wall-clock time spent since the start, in milliseconds.
    pub wall_ms: f64,
}

/// The long run, its progress and the callbacks that start and stop it.
#[derive(Clone)]
pub struct LongRunHandle {
    pub run: Rc<RefCell<Option<LongRun>>>,
    pub progress: Progress,
    /// Starts a new run of the given number of hours.
    pub start: Callback<u32>,
    pub stop: Callback<()>,
}

struct Job {
    run: Rc<RefCell<Option<LongRun>>>,
    timer: Rc<RefCell<Option<Timeout>>>,
    progress: UseStateHandle<Progress>,
    started_at: f64,
    published_at: f64,
    version: u32,
}

/// Computes one slice, or publishes the progress, and schedules the next
/// task until the run ends. A task that publishes computes nothing, because
/// the redraw runs in the same task and the two together could pass 50 ms.
fn run_slice(mut job: Job) {
    let slice_start = now_ms();
    if slice_start - job.published_at >= REDRAW_MS {
        job.version += 1;
        job.published_at = slice_start;
        job.progress.set(Progress {
            version: job.version,
            running: true,
            wall_ms: slice_start - job.started_at,
        });
        let timer = job.timer.clone();
        *timer.borrow_mut() = Some(Timeout::new(0, move || run_slice(job)));
        return;
    }
    let more = {
        let mut slot = job.run.borrow_mut();
        let Some(run) = slot.as_mut() else { return };
        loop {
            let more = run.advance(EVENTS_PER_STEP);
            if !more || now_ms() - slice_start >= SLICE_MS {
                break more;
            }
        }
    };
    if more {
        let timer = job.timer.clone();
        *timer.borrow_mut() = Some(Timeout::new(0, move || run_slice(job)));
    } else {
        let now = now_ms();
        job.progress.set(Progress {
            version: job.version + 1,
            running: false,
            wall_ms: now - job.started_at,
        });
    }
}

#[hook]
pub fn use_long_run() -> LongRunHandle {
    let run = use_mut_ref(|| None::<LongRun>);
    let timer: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    let progress = use_state(Progress::default);

    let start = {
        let (run, timer, progress) = (run.clone(), timer.clone(), progress.clone());
        Callback::from(move |hours: u32| {
            timer.borrow_mut().take();
            *run.borrow_mut() = Some(LongRun::hours(hours));
            let now = now_ms();
            let version = progress.version + 1;
            progress.set(Progress { version, running: true, wall_ms: 0.0 });
            let job = Job {
                run: run.clone(),
                timer: timer.clone(),
                progress: progress.clone(),
                started_at: now,
                published_at: now,
                version,
            };
            *timer.borrow_mut() = Some(Timeout::new(0, move || run_slice(job)));
        })
    };
    let stop = {
        let (timer, progress) = (timer.clone(), progress.clone());
        Callback::from(move |()| {
            timer.borrow_mut().take();
            progress.set(Progress { version: progress.version + 1, running: false, ..*progress });
        })
    };
    // Leaving the page section stops the computation.
    {
        let timer = timer.clone();
        use_effect_with((), move |()| move || drop(timer.borrow_mut().take()));
    }
    LongRunHandle { run, progress: *progress, start, stop }
}
