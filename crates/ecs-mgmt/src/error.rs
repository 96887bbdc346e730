//! Turns an ECS error response into an [`ecs_common::Error`]: the one place where HTTP status
//! and ECS error code become an [`ErrorKind`] and a retryable flag. Message text is never read.

use ecs_common::{Error, ErrorKind, RemoteError};
use serde::Deserialize;

use crate::wire::{self, Format, de};

/// ECS's error document: XML root `error`, or the same fields bare in JSON.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct EcsErrorBody {
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub(crate) code: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub(crate) description: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub(crate) details: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    pub(crate) retryable: Option<bool>,
}

impl EcsErrorBody {
    /// Reads an error body in whichever format it came, if it is one.
    pub(crate) fn parse(body: &[u8], content_type: Option<&str>) -> Option<EcsErrorBody> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        let looks_json = content_type.is_some_and(|ct| ct.contains("json"))
            || body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        let first = if looks_json {
            Format::Json
        } else {
            Format::Xml
        };
        let second = if looks_json {
            Format::Xml
        } else {
            Format::Json
        };
        wire::decode::<EcsErrorBody>(body, first)
            .or_else(|_| wire::decode::<EcsErrorBody>(body, second))
            .ok()
            .filter(|parsed| parsed.code.is_some() || parsed.description.is_some())
    }
}

/// Where a response came from, when that changes what a code means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// `GET /login` by a client that never logged in: 401/4000 means the credentials were
    /// refused (ECS answers the token cap with the very same status and code).
    Login,
    /// `GET /login` by a client whose credentials ECS already accepted: 401/4000 then means the
    /// user holds its maximum of live tokens (held by other clients: this one holds at most one).
    Relogin,
    /// `POST /object/bucket/{b}/deactivate`: 400/1012 means the bucket still holds data.
    BucketDelete,
    /// Any other call.
    Other,
}

/// The [`ErrorKind`] of an error response, from the ECS code first and the status second.
pub(crate) fn classify(status: u16, code: Option<i64>, endpoint: Endpoint) -> ErrorKind {
    if let Some(kind) = code.and_then(|code| kind_of_code(code, status, endpoint)) {
        return kind;
    }
    kind_of_status(status)
}

fn kind_of_code(code: i64, status: u16, endpoint: Endpoint) -> Option<ErrorKind> {
    Some(match code {
        // 1004 "request parameter cannot be found" (a missing bucket or namespace answers
        // 400/1004), 2000 "entity in URL not found" (a missing user answers 404/2000),
        // 1019 "resource not found".
        1004 | 2000 | 1019 => ErrorKind::NotFound,
        1015 | 40008 => ErrorKind::AlreadyExists,
        4000 if endpoint == Endpoint::Relogin && status == 401 => ErrorKind::TokenLimit,
        1012 if endpoint == Endpoint::BucketDelete => ErrorKind::NotEmpty,
        1012 => ErrorKind::Conflict,
        4000 | 10001 => ErrorKind::Unauthorized,
        3000 => ErrorKind::Forbidden,
        6000 => ErrorKind::Unavailable,
        1020 | 1031 => ErrorKind::Conflict,
        1005 | 1007 | 1008 | 1011 | 1013 | 1014 | 40009 | 40010 => ErrorKind::InvalidInput,
        _ => return None,
    })
}

fn kind_of_status(status: u16) -> ErrorKind {
    match status {
        400 | 411 | 413 | 414 | 415 | 422 => ErrorKind::InvalidInput,
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 | 410 => ErrorKind::NotFound,
        405 | 501 => ErrorKind::Unsupported,
        409 | 412 => ErrorKind::Conflict,
        408 | 504 => ErrorKind::Timeout,
        429 | 500 | 502 | 503 => ErrorKind::Unavailable,
        _ => ErrorKind::Protocol,
    }
}

/// Whether ECS marked the failure retryable, by its flag, its code, or the status.
pub(crate) fn is_retryable(status: u16, body: Option<&EcsErrorBody>) -> bool {
    let flagged = body.and_then(|b| b.retryable);
    let code = body.and_then(|b| b.code);
    flagged == Some(true) || code == Some(6000) || matches!(status, 429 | 503)
}

/// Builds the crate error for an error response.
pub(crate) fn from_response(
    status: u16,
    body: Option<EcsErrorBody>,
    endpoint: Endpoint,
    operation: &'static str,
) -> Error {
    let kind = classify(status, body.as_ref().and_then(|b| b.code), endpoint);
    let retryable = is_retryable(status, body.as_ref());
    let mut error = Error::new(kind, format!("ECS answered HTTP {status}"))
        .with_status(status)
        .with_operation(operation)
        .with_retryable(retryable);
    if let Some(body) = body {
        error = error.with_remote(RemoteError {
            code: body.code.map(|code| code.to_string()),
            description: body.description,
            details: body.details,
        });
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(code: i64) -> EcsErrorBody {
        EcsErrorBody {
            code: Some(code),
            ..EcsErrorBody::default()
        }
    }

    #[test]
    fn missing_entities_are_not_found_whatever_the_status() {
        assert_eq!(
            classify(400, Some(1004), Endpoint::Other),
            ErrorKind::NotFound
        );
        assert_eq!(
            classify(404, Some(2000), Endpoint::Other),
            ErrorKind::NotFound
        );
        assert_eq!(classify(404, None, Endpoint::Other), ErrorKind::NotFound);
    }

    #[test]
    fn token_cap_is_token_limit_only_once_the_credentials_were_accepted() {
        let login = |code, endpoint| classify(401, code, endpoint);
        assert_eq!(login(Some(4000), Endpoint::Relogin), ErrorKind::TokenLimit);
        assert_eq!(login(Some(4000), Endpoint::Login), ErrorKind::Unauthorized);
        assert_eq!(login(Some(4000), Endpoint::Other), ErrorKind::Unauthorized);
        assert_eq!(login(None, Endpoint::Relogin), ErrorKind::Unauthorized);
    }

    #[test]
    fn unable_to_change_means_not_empty_only_for_bucket_deletion() {
        let kind = |endpoint| classify(400, Some(1012), endpoint);
        assert_eq!(kind(Endpoint::BucketDelete), ErrorKind::NotEmpty);
        assert_eq!(kind(Endpoint::Other), ErrorKind::Conflict);
    }

    #[test]
    fn service_unavailable_is_retryable() {
        let error = from_response(503, Some(body(6000)), Endpoint::Other, "bucket info");
        assert_eq!(error.kind(), ErrorKind::Unavailable);
        assert!(error.is_retryable());
        let flagged = EcsErrorBody {
            retryable: Some(true),
            ..body(7000)
        };
        assert!(is_retryable(500, Some(&flagged)));
        assert!(!is_retryable(500, Some(&body(7000))));
    }

    #[test]
    fn status_code_and_texts_are_kept() {
        let parsed = EcsErrorBody::parse(
            b"<error><code>1004</code><description>Request parameter cannot be found</description>\
              <details>Unable to find entity with the given id b1</details><retryable>false</retryable></error>",
            Some("application/xml"),
        );
        let error = from_response(400, parsed, Endpoint::Other, "bucket info");
        assert_eq!(error.kind(), ErrorKind::NotFound);
        assert_eq!(error.status(), Some(400));
        assert_eq!(error.remote_code(), Some("1004"));
        assert_eq!(
            error.remote().and_then(|r| r.details.as_deref()),
            Some("Unable to find entity with the given id b1")
        );
        assert!(!error.is_retryable());
    }

    #[test]
    fn json_error_bodies_parse_and_garbage_does_not() {
        let parsed = EcsErrorBody::parse(
            br#"{"code":1013,"retryable":false,"description":"Bad request body","details":"x"}"#,
            None,
        )
        .unwrap();
        assert_eq!(parsed.code, Some(1013));
        assert_eq!(
            classify(400, parsed.code, Endpoint::Other),
            ErrorKind::InvalidInput
        );
        assert!(EcsErrorBody::parse(b"<html>oops</html>", Some("text/html")).is_none());
        assert!(EcsErrorBody::parse(b"   ", None).is_none());
    }
}
