//! The playback clock: maps wall-clock time to virtual time.
//!
//! Pure state, advanced by the timestamps of animation frames, so it is
//! tested natively and knows nothing about the browser.

use serde::{Deserialize, Serialize};

use crate::scenario::Millis;

/// Slowest playback speed, in virtual milliseconds per wall-clock millisecond.
pub const SPEED_MIN: f64 = 0.1;
/// Fastest playback speed; at this rate a day of virtual time passes in under a second.
pub const SPEED_MAX: f64 = 100_000.0;

/// In slow motion, the least wall-clock time a message takes to cross the
/// stage, in milliseconds.
pub const SLOW_MOTION_TRIP_MS: f64 = 800.0;

/// With quiet stretches skipped, a wait for the next event longer than this
/// much wall-clock time, in milliseconds, is cut short.
pub const QUIET_WALL_MS: f64 = 600.0;
/// After a skip, this much wall-clock time, in milliseconds, is left before
/// the next event, so the reader sees it coming.
const QUIET_LEAD_WALL_MS: f64 = 300.0;

/// How playback paces virtual time besides the speed.
#[derive(Clone, Copy, Debug)]
pub struct Pace<'a> {
    /// When messages travel.
    pub flights: &'a Flights,
    /// Every moment something happens, sorted.
    pub moments: &'a [Millis],
    /// Slow down while messages travel.
    pub slow_motion: bool,
    /// Jump over stretches in which nothing happens.
    pub skip_quiet: bool,
}

impl Pace<'static> {
    /// Plain playback at the clock's speed.
    pub fn plain() -> Self {
        static NO_FLIGHTS: Flights = Flights { spans: Vec::new() };
        Pace { flights: &NO_FLIGHTS, moments: &[], slow_motion: false, skip_quiet: false }
    }
}

/// A frame gap longer than this (a hidden tab, a debugger pause) counts as
/// this long, so playback never jumps ahead by minutes at once.
const MAX_FRAME_GAP_MS: f64 = 100.0;

/// The reader's playback preferences, saved with the scenario.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// Virtual milliseconds per wall-clock millisecond.
    pub speed: f64,
    /// Slow down while messages travel.
    pub slow_motion: bool,
    /// Jump over stretches in which nothing happens.
    pub skip_quiet: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences { speed: 1.0, slow_motion: true, skip_quiet: false }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Clock {
    /// Current virtual time, in milliseconds; fractional so tokens move smoothly.
    pub now: f64,
    /// Virtual time at which the run is over, in milliseconds.
    pub end: Millis,
    pub playing: bool,
    /// Virtual milliseconds per wall-clock millisecond.
    pub speed: f64,
    /// Timestamp of the previous animation frame, in wall-clock milliseconds.
    last_frame: Option<f64>,
}

impl Clock {
    pub fn new(end: Millis, speed: f64) -> Self {
        Clock { now: 0.0, end, playing: false, speed: clamp_speed(speed), last_frame: None }
    }

    /// Whether virtual time has reached the end of the run.
    pub fn at_end(&self) -> bool {
        self.now >= self.end as f64
    }

    /// Starts playing; from the end of the run, starts over.
    pub fn play(&mut self) {
        if self.at_end() {
            self.now = 0.0;
        }
        self.playing = true;
        self.last_frame = None;
    }

    pub fn pause(&mut self) {
        self.playing = false;
        self.last_frame = None;
    }

    pub fn restart(&mut self) {
        self.now = 0.0;
        self.last_frame = None;
    }

    /// Moves to the given virtual time, clamped to the run, keeping the play state.
    pub fn seek(&mut self, at: f64) {
        self.now = if at.is_finite() { at.clamp(0.0, self.end as f64) } else { 0.0 };
        self.last_frame = None;
    }

    /// Pauses and moves to the first moment after now, or to the end.
    /// `moments` must be sorted.
    pub fn step(&mut self, moments: &[Millis]) {
        self.pause();
        let next = moments.partition_point(|&m| (m as f64) <= self.now);
        self.now = moments.get(next).map_or(self.end, |&m| m.min(self.end)) as f64;
    }

    /// Pauses and moves to the last moment before now, or to the start.
    /// `moments` must be sorted.
    pub fn step_back(&mut self, moments: &[Millis]) {
        self.pause();
        let before = moments.partition_point(|&m| (m as f64) < self.now);
        self.now = before.checked_sub(1).map_or(0.0, |index| moments[index] as f64);
    }

    pub fn set_speed(&mut self, speed: f64) {
        self.speed = clamp_speed(speed);
    }

    /// Gives the run a new end, keeping the current time where it still fits.
    pub fn set_end(&mut self, end: Millis) {
        self.end = end;
        self.now = self.now.min(end as f64);
    }

    /// Advances virtual time by the wall-clock time since the previous frame
    /// and stops at the end of the run. With slow motion, time runs slower
    /// while messages travel, so that each trip takes at least
    /// [`SLOW_MOTION_TRIP_MS`] on screen; with quiet stretches skipped, a
    /// wait of more than [`QUIET_WALL_MS`] for the next event is cut short.
    pub fn on_frame(&mut self, timestamp_ms: f64, pace: Pace<'_>) {
        if !self.playing {
            return;
        }
        if let Some(last) = self.last_frame {
            let gap = (timestamp_ms - last).clamp(0.0, MAX_FRAME_GAP_MS);
            self.advance(gap, pace);
        }
        self.last_frame = Some(timestamp_ms);
        if self.at_end() {
            self.pause();
        }
    }

    /// Spends `wall_ms` of wall-clock time, crossing from one pace to the
    /// next at the edges of the flights.
    fn advance(&mut self, mut wall_ms: f64, pace: Pace<'_>) {
        let end = self.end as f64;
        let flights = pace.flights;
        // Each pass reaches the next edge of a flight or uses up the budget;
        // the bound only guards against a float that never reaches an edge.
        for _ in 0..10_000 {
            if wall_ms <= 0.0 || self.now >= end {
                break;
            }
            if pace.skip_quiet && flights.at(self.now).is_none() {
                self.skip_quiet_stretch(pace);
            }
            let (speed, boundary) = match flights.at(self.now) {
                Some(span) if pace.slow_motion => {
                    (self.speed.min(span.shortest_trip / SLOW_MOTION_TRIP_MS), span.end)
                }
                Some(span) => (self.speed, span.end),
                None => (self.speed, flights.next_start(self.now).unwrap_or(end)),
            };
            let boundary = boundary.min(end);
            let reach = self.now + wall_ms * speed;
            if reach < boundary {
                self.now = reach;
                wall_ms = 0.0;
            } else {
                wall_ms -= (boundary - self.now) / speed;
                self.now = boundary;
            }
        }
    }

    /// Jumps ahead when the next event is more than [`QUIET_WALL_MS`] of
    /// wall-clock time away, leaving a short lead before it.
    fn skip_quiet_stretch(&mut self, pace: Pace<'_>) {
        let next_moment = pace.moments[pace.moments.partition_point(|&m| (m as f64) <= self.now)..]
            .first()
            .map(|&m| m as f64);
        let next_flight = pace.flights.next_start(self.now);
        let next = match (next_moment, next_flight) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => self.end as f64,
        }
        .min(self.end as f64);
        if (next - self.now) / self.speed > QUIET_WALL_MS {
            self.now = next - QUIET_LEAD_WALL_MS * self.speed;
        }
    }
}

/// One stretch of virtual time during which at least one message travels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FlightSpan {
    pub start: f64,
    pub end: f64,
    /// Duration of the shortest trip within the stretch, in milliseconds.
    pub shortest_trip: f64,
}

/// The stretches of a run during which messages travel, sorted and disjoint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Flights {
    spans: Vec<FlightSpan>,
}

impl Flights {
    /// Merges message trips, given as (sent, arrived) in milliseconds, into
    /// disjoint stretches. Trips of zero length take no time and are left out.
    pub fn from_trips(trips: impl IntoIterator<Item = (Millis, Millis)>) -> Self {
        let mut trips: Vec<(Millis, Millis)> =
            trips.into_iter().filter(|(sent, arrived)| arrived > sent).collect();
        trips.sort_unstable();
        let mut spans: Vec<FlightSpan> = Vec::new();
        for (sent, arrived) in trips {
            let trip = (arrived - sent) as f64;
            match spans.last_mut() {
                Some(last) if sent as f64 <= last.end => {
                    last.end = last.end.max(arrived as f64);
                    last.shortest_trip = last.shortest_trip.min(trip);
                }
                _ => spans.push(FlightSpan { start: sent as f64, end: arrived as f64, shortest_trip: trip }),
            }
        }
        Flights { spans }
    }

    /// Returns the stretch that contains `at`, if any.
    pub fn at(&self, at: f64) -> Option<&FlightSpan> {
        let index = self.spans.partition_point(|span| span.end <= at);
        self.spans.get(index).filter(|span| span.start <= at)
    }

    /// Returns the start of the first stretch that begins after `at`.
    pub fn next_start(&self, at: f64) -> Option<f64> {
        let index = self.spans.partition_point(|span| span.start <= at);
        self.spans.get(index).map(|span| span.start)
    }
}

/// Keeps a speed within the allowed range; a value that is not a number gives 1x.
pub fn clamp_speed(speed: f64) -> f64 {
    if speed.is_finite() {
        speed.clamp(SPEED_MIN, SPEED_MAX)
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_advance_by_speed() {
        let mut clock = Clock::new(10_000, 2.0);
        clock.play();
        clock.on_frame(1_000.0, Pace::plain());
        assert_eq!(clock.now, 0.0, "the first frame only sets the reference");
        clock.on_frame(1_016.0, Pace::plain());
        assert_eq!(clock.now, 32.0);
    }

    #[test]
    fn long_gap_is_capped() {
        let mut clock = Clock::new(100_000, 1.0);
        clock.play();
        clock.on_frame(0.0, Pace::plain());
        clock.on_frame(60_000.0, Pace::plain());
        assert_eq!(clock.now, MAX_FRAME_GAP_MS);
    }

    #[test]
    fn stops_at_end_and_replays() {
        let mut clock = Clock::new(50, 1.0);
        clock.play();
        clock.on_frame(0.0, Pace::plain());
        clock.on_frame(80.0, Pace::plain());
        assert_eq!(clock.now, 50.0);
        assert!(!clock.playing);
        clock.play();
        assert_eq!(clock.now, 0.0);
    }

    #[test]
    fn step_goes_to_next_moment() {
        let mut clock = Clock::new(900, 1.0);
        let moments = [0, 100, 250, 900];
        clock.step(&moments);
        assert_eq!(clock.now, 100.0);
        clock.step(&moments);
        assert_eq!(clock.now, 250.0);
        clock.seek(899.5);
        clock.step(&moments);
        assert_eq!(clock.now, 900.0);
        clock.step(&moments);
        assert_eq!(clock.now, 900.0);
    }

    #[test]
    fn flights_merge_overlapping_trips() {
        let flights = Flights::from_trips([(300, 400), (0, 100), (50, 250), (500, 500)]);
        assert_eq!(
            flights.spans,
            [
                FlightSpan { start: 0.0, end: 250.0, shortest_trip: 100.0 },
                FlightSpan { start: 300.0, end: 400.0, shortest_trip: 100.0 },
            ]
        );
        assert_eq!(flights.at(250.0), None);
        assert_eq!(flights.at(300.0).map(|s| s.end), Some(400.0));
        assert_eq!(flights.next_start(250.0), Some(300.0));
        assert_eq!(flights.next_start(300.0), None);
    }

    #[test]
    fn slow_motion_stretches_trips() {
        // One 100 ms trip from 1000 ms: at 1x it would take 100 ms of wall time.
        let flights = Flights::from_trips([(1_000, 1_100)]);
        let pace = Pace { flights: &flights, moments: &[], slow_motion: true, skip_quiet: false };
        let mut clock = Clock::new(2_000, 1.0);
        clock.play();
        clock.seek(900.0);
        clock.on_frame(0.0, pace);
        // 100 ms of wall time reach the trip, then 50 ms of wall time cover
        // 50 / 8 ms of it, since 100 ms must last 800 ms on screen.
        clock.on_frame(100.0, pace);
        clock.on_frame(150.0, pace);
        assert_eq!(clock.now, 1_000.0 + 50.0 / 8.0);
        // The remaining 93.75 ms of the trip take 750 ms of wall time; the
        // last 150 ms of nine 100 ms frames then run at 1x.
        for frame in 1..=9 {
            clock.on_frame(150.0 + 100.0 * frame as f64, pace);
        }
        assert_eq!(clock.now, 1_250.0);
    }

    #[test]
    fn quiet_stretch_is_skipped() {
        let flights = Flights::from_trips([(10_000, 10_100)]);
        let moments = [0, 10_000, 10_100, 60_000];
        let pace = Pace { flights: &flights, moments: &moments, slow_motion: false, skip_quiet: true };
        let mut clock = Clock::new(60_000, 1.0);
        clock.play();
        clock.on_frame(0.0, pace);
        clock.on_frame(16.0, pace);
        // 10 s of nothing shrink to the 300 ms lead, of which 16 ms have passed.
        assert_eq!(clock.now, 10_000.0 - 300.0 + 16.0);
        // Within a flight nothing is skipped.
        clock.seek(10_050.0);
        clock.on_frame(32.0, pace);
        clock.on_frame(48.0, pace);
        assert_eq!(clock.now, 10_050.0 + 16.0);
    }

    #[test]
    fn short_wait_is_not_skipped() {
        let flights = Flights::default();
        let moments = [0, 500];
        let pace = Pace { flights: &flights, moments: &moments, slow_motion: false, skip_quiet: true };
        let mut clock = Clock::new(1_000, 1.0);
        clock.play();
        clock.on_frame(0.0, pace);
        clock.on_frame(16.0, pace);
        assert_eq!(clock.now, 16.0);
    }

    #[test]
    fn step_back_goes_to_previous_moment() {
        let mut clock = Clock::new(900, 1.0);
        let moments = [0, 100, 250, 900];
        clock.seek(260.0);
        clock.step_back(&moments);
        assert_eq!(clock.now, 250.0);
        clock.step_back(&moments);
        assert_eq!(clock.now, 100.0);
        clock.step_back(&moments);
        clock.step_back(&moments);
        assert_eq!(clock.now, 0.0);
    }

    #[test]
    fn speed_and_seek_are_clamped() {
        let mut clock = Clock::new(1_000, f64::NAN);
        assert_eq!(clock.speed, 1.0);
        clock.set_speed(1e9);
        assert_eq!(clock.speed, SPEED_MAX);
        clock.seek(5_000.0);
        assert_eq!(clock.now, 1_000.0);
        clock.seek(f64::NEG_INFINITY);
        assert_eq!(clock.now, 0.0);
    }
}
