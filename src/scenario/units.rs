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
    // u128 arithmetic, so that even Millis::MAX (a value clamped from a huge link) formats.
    let tenths = (u128::from(ms) * 10 + u128::from(unit_ms / 2)) / u128::from(unit_ms);
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

/// Writes a count with commas between groups of three digits, as in "2,000,000".
pub fn group_thousands(count: u64) -> String {
    let digits = count.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Why a duration could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DurationError {
    Empty,
    /// The text starts with a minus sign.
    Negative,
    /// A part has no number, such as "s" or "abc"; the part is kept for tests and logs.
    NotANumber(String),
    /// A part has a unit that is not ms, s, min, h or d.
    UnknownUnit(String),
    /// The total does not fit in 64 bits of milliseconds.
    TooLarge,
}

impl std::fmt::Display for DurationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DurationError::Empty => write!(f, "is empty"),
            DurationError::Negative => write!(f, "is negative"),
            DurationError::NotANumber(_) => write!(f, "is not a duration such as 250ms, 2s, 5min, 2h or 3d"),
            DurationError::UnknownUnit(unit) => write!(f, "has the unit \"{unit}\", not ms, s, min, h or d"),
            DurationError::TooLarge => write!(f, "is too large"),
        }
    }
}

/// Milliseconds per unit, for every spelling [`parse_duration`] accepts.
fn unit_ms(unit: &str) -> Option<f64> {
    let ms = match unit {
        "ms" => 1,
        "s" | "sec" | "secs" | "second" | "seconds" => SECOND,
        "m" | "min" | "mins" | "minute" | "minutes" => MINUTE,
        "h" | "hr" | "hrs" | "hour" | "hours" => HOUR,
        "d" | "day" | "days" => DAY,
        _ => return None,
    };
    Some(ms as f64)
}

/// Reads a duration written by a person: "250ms", "2s", "1.5 min", "2h30min",
/// "3d". A bare number counts as seconds. Parts add up.
pub fn parse_duration(text: &str) -> Result<Millis, DurationError> {
    let text = text.trim().to_ascii_lowercase();
    if text.is_empty() {
        return Err(DurationError::Empty);
    }
    if text.starts_with('-') {
        return Err(DurationError::Negative);
    }
    let mut total = 0.0;
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_len);
        let after = after.trim_start();
        let unit_len = after.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_len);
        let part = if number.is_empty() {
            rest.split(|c: char| c.is_whitespace() || c == ',').next().unwrap_or(rest).to_string()
        } else {
            format!("{number}{unit}")
        };
        let value: f64 = number.parse().map_err(|_| DurationError::NotANumber(shorten(&part)))?;
        let scale = if unit.is_empty() {
            SECOND as f64
        } else {
            unit_ms(unit).ok_or_else(|| DurationError::UnknownUnit(shorten(unit)))?
        };
        total += value * scale;
        rest = after.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
    }
    if !total.is_finite() || total >= u64::MAX as f64 {
        return Err(DurationError::TooLarge);
    }
    Ok(total.round() as Millis)
}

/// Formats a duration for an input a person edits; [`parse_duration`] reads it back exactly.
pub fn format_duration_exact(ms: Millis) -> String {
    for (unit_ms, unit) in [(DAY, "d"), (HOUR, "h"), (MINUTE, "min"), (SECOND, "s")] {
        if ms >= unit_ms && ms.is_multiple_of(unit_ms) {
            return format!("{}{unit}", ms / unit_ms);
        }
    }
    if ms >= SECOND && ms.is_multiple_of(100) {
        return format!("{}.{}s", ms / SECOND, (ms % SECOND) / 100);
    }
    format!("{ms}ms")
}

/// Cuts text to at most 40 characters, so that an overlong value cannot flood a message.
pub fn shorten(text: &str) -> String {
    const LIMIT: usize = 40;
    if text.chars().count() <= LIMIT {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(LIMIT).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_duration_reads_units() {
        let cases = [
            ("250ms", 250),
            ("2s", 2_000),
            ("2", 2_000),
            (" 1.5 min ", 90_000),
            ("2h30min", 9_000_000),
            ("2h 30m", 9_000_000),
            ("3d", 3 * DAY),
            ("1 day, 2 hours", DAY + 2 * HOUR),
            ("0", 0),
            ("0.0005s", 1),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_duration(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn parse_duration_names_errors() {
        assert_eq!(parse_duration("  "), Err(DurationError::Empty));
        assert_eq!(parse_duration("abc"), Err(DurationError::NotANumber("abc".into())));
        assert_eq!(parse_duration("5 weeks"), Err(DurationError::UnknownUnit("weeks".into())));
        assert_eq!(parse_duration("-5s"), Err(DurationError::Negative));
        assert_eq!(parse_duration("5s -1s"), Err(DurationError::NotANumber("-1s".into())));
        assert_eq!(parse_duration("1.2.3s"), Err(DurationError::NotANumber("1.2.3s".into())));
        assert_eq!(parse_duration(&"9".repeat(400)), Err(DurationError::TooLarge));
        assert_eq!(
            parse_duration("5 lightyears").unwrap_err().to_string(),
            "has the unit \"lightyears\", not ms, s, min, h or d"
        );
    }

    #[test]
    fn exact_format_round_trips() {
        for ms in [0, 1, 250, 1_000, 1_500, 2_000, 59_999, 90_000, HOUR, 36 * HOUR, 3 * DAY, 123_456_789] {
            assert_eq!(parse_duration(&format_duration_exact(ms)), Ok(ms), "{ms}");
        }
        assert_eq!(format_duration_exact(1_500), "1.5s");
        assert_eq!(format_duration_exact(2 * HOUR), "2h");
    }

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
    fn group_thousands_puts_commas() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_000), "1,000");
        assert_eq!(group_thousands(2_000_000), "2,000,000");
    }

    #[test]
    fn format_clock_shows_days() {
        assert_eq!(format_clock(7_250), "0:07.250");
        assert_eq!(format_clock(HOUR + 2 * MINUTE), "1:02:00.000");
        assert_eq!(format_clock(2 * DAY + 3 * HOUR), "2d 03:00:00.000");
    }
}
