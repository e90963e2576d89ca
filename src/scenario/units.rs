//! Durations written the way people read them: "250 ms", "2 s", "1.5 min", "3 h".

use super::{Millis, DAY, HOUR, MINUTE, SECOND};

/// Formats a duration with the largest unit that keeps it readable, with at
/// most one decimal: 950 gives "950 ms", 1500 gives "1.5 s", 7_200_000 gives "2 h".
pub fn format_duration(ms: Millis) -> String {
    let (unit_ms, unit) = if ms < SECOND {
        return format!("{ms} ms");
    } else if ms < MINUTE {
        (SECOND, "s")
    } else if ms < HOUR {
        (MINUTE, "min")
    } else if ms < DAY {
        (HOUR, "h")
    } else {
        (DAY, "d")
    };
    let tenths = (ms * 10 + unit_ms / 2) / unit_ms;
    if tenths.is_multiple_of(10) {
        format!("{} {unit}", tenths / 10)
    } else {
        format!("{}.{} {unit}", tenths / 10, tenths % 10)
    }
}

/// Formats a duration given as a float number of milliseconds, such as a mean delay.
pub fn format_duration_f64(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        return "–".to_string();
    }
    if ms < 10.0 && ms.fract() != 0.0 {
        return format!("{ms:.1} ms");
    }
    format_duration(ms.round() as Millis)
}

/// A virtual-time clock reading such as "0:07.250" or "2:03:04:05.000"
/// (days:hours:minutes:seconds), used on the stage's time axis.
pub fn format_clock(ms: Millis) -> String {
    let millis = ms % 1000;
    let seconds = (ms / SECOND) % 60;
    let minutes = (ms / MINUTE) % 60;
    let hours = (ms / HOUR) % 24;
    let days = ms / DAY;
    if days > 0 {
        format!("{days}d {hours:02}:{minutes:02}:{seconds:02}.{millis:03}")
    } else if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}.{millis:03}")
    } else {
        format!("{minutes}:{seconds:02}.{millis:03}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_duration_picks_unit() {
        let cases = [
            (0, "0 ms"),
            (950, "950 ms"),
            (1_000, "1 s"),
            (1_500, "1.5 s"),
            (59_999, "60 s"),
            (90_000, "1.5 min"),
            (7_200_000, "2 h"),
            (3 * DAY, "3 d"),
        ];
        for (ms, expected) in cases {
            assert_eq!(format_duration(ms), expected, "{ms} ms");
        }
    }

    #[test]
    fn format_clock_shows_days() {
        assert_eq!(format_clock(7_250), "0:07.250");
        assert_eq!(format_clock(HOUR + 2 * MINUTE), "1:02:00.000");
        assert_eq!(format_clock(2 * DAY + 3 * HOUR), "2d 03:00:00.000");
    }
}
