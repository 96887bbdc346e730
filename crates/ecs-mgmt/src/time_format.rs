//! The timestamp formats ECS uses, which differ per resource:
//!
//! | resource | example |
//! |---|---|
//! | bucket `created` | `2015-12-14T05:13:01.316Z` (RFC 3339 with millis) |
//! | billing `sample_time` | `2015-06-18T22:20:01Z` (RFC 3339) |
//! | object user `created` | `Mon Nov 25 09:55:38 GMT 2019` (Java `Date::toString`) |
//! | secret key timestamps | `2015-12-14 05:13:39.597` (no zone: UTC) |
//! | replication group `creation_time` | `1450069960578` (epoch millis) |

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// Parses any ECS timestamp; `None` for an unknown format.
pub(crate) fn parse(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    parse_rfc3339(text)
        .or_else(|| parse_key_time(text))
        .or_else(|| parse_java_date(text))
        .or_else(|| parse_epoch_millis(text))
}

fn parse_rfc3339(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

/// `2015-12-14 05:13:39.597` or `2015-12-14 05:13:39`, read as UTC.
fn parse_key_time(text: &str) -> Option<OffsetDateTime> {
    let with_millis =
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second].[subsecond]");
    let without = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    PrimitiveDateTime::parse(text, with_millis)
        .or_else(|_| PrimitiveDateTime::parse(text, without))
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

/// `Mon Nov 25 09:55:38 GMT 2019`; only zones that are UTC by name are accepted.
fn parse_java_date(text: &str) -> Option<OffsetDateTime> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_weekday, month, day, clock, zone, year] = parts.as_slice() else {
        return None;
    };
    let offset = match *zone {
        "GMT" | "UTC" | "Z" => UtcOffset::UTC,
        _ => return None,
    };
    let normalized = format!("{year}-{month}-{day:0>2} {clock}");
    let description = format_description!(
        "[year]-[month repr:short case_sensitive:false]-[day] [hour]:[minute]:[second]"
    );
    PrimitiveDateTime::parse(&normalized, description)
        .ok()
        .map(|time| time.assume_offset(offset))
}

fn parse_epoch_millis(text: &str) -> Option<OffsetDateTime> {
    let millis: i128 = text.parse().ok()?;
    OffsetDateTime::from_unix_timestamp_nanos(millis.checked_mul(1_000_000)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn every_ecs_format_parses() {
        assert_eq!(
            parse("2015-12-14T05:13:01.316Z"),
            Some(datetime!(2015-12-14 05:13:01.316 UTC))
        );
        assert_eq!(
            parse("2015-06-18T22:20:01Z"),
            Some(datetime!(2015-06-18 22:20:01 UTC))
        );
        assert_eq!(
            parse("Mon Nov 25 09:55:38 GMT 2019"),
            Some(datetime!(2019-11-25 09:55:38 UTC))
        );
        assert_eq!(
            parse("Wed Feb 25 11:16:48 UTC 2015"),
            Some(datetime!(2015-02-25 11:16:48 UTC))
        );
        assert_eq!(
            parse("Sun Feb 1 01:02:03 UTC 2015"),
            Some(datetime!(2015-02-01 01:02:03 UTC))
        );
        assert_eq!(
            parse("2015-12-14 05:13:39.597"),
            Some(datetime!(2015-12-14 05:13:39.597 UTC))
        );
        assert_eq!(
            parse("2015-12-14 05:13:39"),
            Some(datetime!(2015-12-14 05:13:39 UTC))
        );
        assert_eq!(
            parse("1450069960578"),
            Some(datetime!(2015-12-14 05:12:40.578 UTC))
        );
    }

    #[test]
    fn unknown_formats_and_zones_are_none() {
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse("Mon Nov 25 09:55:38 PST 2019"), None);
        assert_eq!(parse(""), None);
    }
}
