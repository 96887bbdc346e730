//! The emulator's clock: wall time plus an offset tests can advance, and ECS's per-resource
//! timestamp formats.

use std::sync::Mutex;
use std::time::Duration;

use time::OffsetDateTime;
use time::format_description::FormatItem;
use time::macros::format_description;

/// Wall-clock time shifted by whatever tests advanced it by.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset: Mutex<Duration>,
}

impl Clock {
    /// The emulated current time.
    pub(crate) fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + self.offset()
    }

    /// The emulated current time in milliseconds since the Unix epoch.
    pub(crate) fn now_ms(&self) -> i64 {
        unix_ms(self.now())
    }

    /// Moves the emulated time forward.
    pub(crate) fn advance(&self, by: Duration) {
        let mut offset = self
            .offset
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *offset += by;
    }

    fn offset(&self) -> Duration {
        *self
            .offset
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Milliseconds since the Unix epoch.
pub(crate) fn unix_ms(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn from_ms(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn format(ms: i64, description: &[FormatItem<'_>]) -> String {
    from_ms(ms).format(description).unwrap_or_default()
}

/// Bucket `created`: ISO-8601 with milliseconds and `Z` (`2015-12-14T05:13:01.316Z`).
pub(crate) fn iso_millis(ms: i64) -> String {
    format(
        ms,
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"),
    )
}

/// Object user `created`: Java `Date.toString()` style (`Wed Feb 25 11:16:48 UTC 2015`).
pub(crate) fn java_date(ms: i64) -> String {
    format(
        ms,
        format_description!(
            "[weekday repr:short] [month repr:short] [day] [hour]:[minute]:[second] UTC [year]"
        ),
    )
}

/// Secret key timestamps: `2015-12-14 05:13:39.597` (space, no zone).
pub(crate) fn key_time(ms: i64) -> String {
    format(
        ms,
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second].[subsecond digits:3]"),
    )
}

/// Billing `sample_time`: `2015-06-18T22:20:01Z`.
pub(crate) fn sample_time(ms: i64) -> String {
    format(
        ms,
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_match_ecs() {
        let ms = 1_450_069_981_316; // 2015-12-14T05:13:01.316Z, a Monday
        assert_eq!(iso_millis(ms), "2015-12-14T05:13:01.316Z");
        assert_eq!(java_date(ms), "Mon Dec 14 05:13:01 UTC 2015");
        assert_eq!(key_time(ms), "2015-12-14 05:13:01.316");
        assert_eq!(sample_time(ms), "2015-12-14T05:13:01Z");
    }

    #[test]
    fn advance_moves_time_forward() {
        let clock = Clock::default();
        let before = clock.now_ms();
        clock.advance(Duration::from_secs(3600));
        assert!(clock.now_ms() - before >= 3_600_000);
    }
}
