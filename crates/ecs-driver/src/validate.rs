//! Input validation done before any request: bucket names, account UUIDs, quotas and the
//! configuration's identifiers.
//!
//! Anything that reaches ECS has passed one of these checks, so no value can break out of an
//! XML element, a URL path segment or a JSON string (for example `</name><owner>`).

use ecs_common::{Error, Result};

/// The largest quota accepted, in GiB (1 EiB); ECS stores quotas as integer GB.
pub const MAX_QUOTA_GIB: u64 = 1 << 30;

/// Checks a bucket name against the DNS-safe S3 rules CloudStack and ECS both accept.
///
/// 3–63 characters of `a-z`, `0-9`, `.` and `-`; starts and ends with a letter or digit; no
/// `..`, `.-` or `-.`; not an IPv4 address; not `xn--…`, `sthree-…` or `…-s3alias`.
///
/// ```
/// assert!(ecs_driver::validate::bucket_name("my-bucket.01").is_ok());
/// assert!(ecs_driver::validate::bucket_name("My_Bucket").is_err());
/// ```
pub fn bucket_name(name: &str) -> Result<()> {
    let problem = bucket_name_problem(name);
    match problem {
        None => Ok(()),
        Some(problem) => Err(Error::invalid_input(format!(
            "invalid bucket name \"{}\": {problem}",
            printable(name)
        ))),
    }
}

fn bucket_name_problem(name: &str) -> Option<&'static str> {
    if !(3..=63).contains(&name.len()) {
        return Some("it must be 3 to 63 characters long");
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-'))
    {
        return Some(if c.is_ascii_uppercase() {
            "it must be lower case"
        } else {
            "it may hold only a-z, 0-9, '.' and '-'"
        });
    }
    let bytes = name.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return Some("it must start and end with a letter or digit");
    }
    if name.contains("..") || name.contains(".-") || name.contains("-.") {
        return Some("it must not contain '..', '.-' or '-.'");
    }
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        return Some("it must not be an IP address");
    }
    if name.starts_with("xn--") || name.starts_with("sthree-") || name.ends_with("-s3alias") {
        return Some("it must not use a reserved prefix or suffix");
    }
    None
}

/// Checks a CloudStack account UUID (`8-4-4-4-12` hex digits) and returns it in lower case.
///
/// ```
/// let uuid = ecs_driver::validate::account_uuid("0E9C6E8A-1F0B-4C39-9C1B-2D5F3E4A5B6C").unwrap();
/// assert_eq!(uuid, "0e9c6e8a-1f0b-4c39-9c1b-2d5f3e4a5b6c");
/// ```
pub fn account_uuid(uuid: &str) -> Result<String> {
    let groups: Vec<&str> = uuid.split('-').collect();
    let shape_ok = groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()));
    if shape_ok {
        Ok(uuid.to_ascii_lowercase())
    } else {
        Err(Error::invalid_input(format!(
            "invalid account uuid \"{}\": expected 8-4-4-4-12 hex digits",
            printable(uuid)
        )))
    }
}

/// Checks a quota in GiB; `0` means "no quota".
pub fn quota_gib(gib: u64) -> Result<()> {
    if gib > MAX_QUOTA_GIB {
        return Err(Error::invalid_input(format!(
            "invalid quota {gib} GiB: at most {MAX_QUOTA_GIB} GiB"
        )));
    }
    Ok(())
}

/// Checks an ECS namespace name: 1–255 characters of `a-z A-Z 0-9 - _`.
pub(crate) fn namespace(name: &str) -> std::result::Result<(), String> {
    identifier(name, 1, 255, |c| {
        c.is_ascii_alphanumeric() || c == '-' || c == '_'
    })
    .map_err(|problem| format!("{problem} (1-255 of a-z, A-Z, 0-9, '-', '_')"))
}

/// Checks an object-user prefix: up to 32 of `a-z 0-9 - _ .`.
pub(crate) fn user_prefix(prefix: &str) -> std::result::Result<(), String> {
    identifier(prefix, 0, 32, |c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
    })
    .map_err(|problem| format!("{problem} (0-32 of a-z, 0-9, '-', '_', '.')"))
}

/// Checks a replication-group URN or name.
pub(crate) fn replication_group(group: &str) -> std::result::Result<(), String> {
    identifier(group, 1, 255, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')
    })
    .map_err(|problem| format!("{problem} (a URN or a name of a-z, A-Z, 0-9, '-', '_', '.', ':')"))
}

/// Checks a CORS origin: `*` or `scheme://host[:port]`; returns it without a trailing slash.
pub(crate) fn cors_origin(origin: &str) -> std::result::Result<String, String> {
    if origin == "*" {
        return Ok(origin.to_owned());
    }
    let bad = || {
        format!(
            "has an invalid origin \"{}\" (expected scheme://host[:port])",
            printable(origin)
        )
    };
    let url = url::Url::parse(origin).map_err(|_| bad())?;
    let plain = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some_and(|host| !host.is_empty())
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && !origin.trim_end_matches('/').ends_with(['?', '#']);
    if !plain {
        return Err(bad());
    }
    Ok(url.origin().ascii_serialization())
}

fn identifier(
    text: &str,
    min: usize,
    max: usize,
    allowed: impl Fn(char) -> bool,
) -> std::result::Result<(), String> {
    if text.len() < min || text.len() > max {
        return Err(format!("has an invalid length {}", text.len()));
    }
    if let Some(c) = text.chars().find(|c| !allowed(*c)) {
        return Err(format!("contains the invalid character {c:?}"));
    }
    Ok(())
}

/// Shortens and escapes untrusted input before it goes into an error message.
pub(crate) fn printable(text: &str) -> String {
    let mut shown: String = text
        .chars()
        .take(80)
        .flat_map(char::escape_default)
        .collect();
    if text.chars().count() > 80 {
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecs_common::ErrorKind;

    #[test]
    fn bucket_names_follow_dns_rules() {
        for good in ["abc", "my-bucket", "a.b.c", "0bucket9", &"a".repeat(63)] {
            bucket_name(good).unwrap_or_else(|err| panic!("{good}: {err}"));
        }
        for bad in [
            "",
            "ab",
            &"a".repeat(64),
            "My-bucket",
            "my_bucket",
            "-bucket",
            "bucket-",
            ".bucket",
            "a..b",
            "a.-b",
            "a-.b",
            "192.168.1.1",
            "xn--bucket",
            "sthree-x",
            "name-s3alias",
            "a b c",
            "</name><owner>root</owner>",
            "bucket/../x",
            "bück",
            "a%2fb",
        ] {
            let err = bucket_name(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{bad}");
        }
    }

    #[test]
    fn bucket_name_errors_explain() {
        let err = bucket_name("My-Bucket").unwrap_err();
        assert!(err.to_string().contains("lower case"), "{err}");
        let err = bucket_name("ab").unwrap_err();
        assert!(err.to_string().contains("3 to 63"), "{err}");
    }

    #[test]
    fn account_uuids_are_strict() {
        assert_eq!(
            account_uuid("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee").unwrap(),
            "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
        );
        for bad in [
            "",
            "acct1",
            "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeee",
            "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeeg",
            "aaaaaaaabbbbccccddddeeeeeeeeeeee",
            "{aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee}",
            "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee</user>",
        ] {
            assert_eq!(
                account_uuid(bad).unwrap_err().kind(),
                ErrorKind::InvalidInput,
                "{bad}"
            );
        }
    }

    #[test]
    fn quotas_are_bounded() {
        quota_gib(0).unwrap();
        quota_gib(MAX_QUOTA_GIB).unwrap();
        assert_eq!(
            quota_gib(MAX_QUOTA_GIB + 1).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            quota_gib(u64::MAX).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
    }

    #[test]
    fn origins_are_plain() {
        assert_eq!(
            cors_origin("https://Cloud.Example.com/").unwrap(),
            "https://cloud.example.com"
        );
        assert_eq!(
            cors_origin("http://localhost:8080").unwrap(),
            "http://localhost:8080"
        );
        assert_eq!(cors_origin("*").unwrap(), "*");
        for bad in [
            "cloud.example.com",
            "https://x/p",
            "https://x?q",
            "ftp://x",
            "javascript:alert(1)",
        ] {
            assert!(cors_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn printable_escapes_and_truncates() {
        assert_eq!(printable("a\"b\n"), "a\\\"b\\n");
        assert!(printable(&"x".repeat(200)).ends_with('…'));
    }
}
