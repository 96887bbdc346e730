//! The one place where SDK failures become [`ecs_common::Error`]s.
//!
//! Service errors are classified by their S3 error code first and by HTTP status second;
//! transport errors by what the connector saw (TLS, timeout, refused connection). The S3 code
//! and message are kept in [`RemoteError`], and the SDK error itself as the source.

use std::error::Error as StdError;

use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::DispatchFailure;
use ecs_common::{Error, ErrorKind, RemoteError};

/// Converts an SDK error of `operation` (`"put object"`) on `target` (a bucket name or
/// `bucket/key`) into our error model.
pub(crate) fn from_sdk<E>(
    operation: &'static str,
    target: &str,
    err: SdkError<E, HttpResponse>,
) -> Error
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    let error = match &err {
        SdkError::ConstructionFailure(_) => Error::invalid_input("the request could not be built"),
        SdkError::TimeoutError(_) => Error::new(ErrorKind::Timeout, "the request timed out"),
        SdkError::DispatchFailure(failure) => dispatch_error(failure),
        SdkError::ResponseError(response) => {
            let status = response.raw().status().as_u16();
            Error::new(ErrorKind::Protocol, "the response could not be understood")
                .with_status(status)
        }
        SdkError::ServiceError(service) => {
            let status = service.raw().status().as_u16();
            service_error(service.err(), status, target)
        }
        _ => Error::new(ErrorKind::Internal, "unexpected SDK failure"),
    };
    error.with_operation(operation).with_source(err)
}

fn dispatch_error(failure: &DispatchFailure) -> Error {
    let connector = failure.as_connector_error();
    let is_tls = connector
        .and_then(|err| find_in_chain::<rustls::Error>(err))
        .is_some();
    if is_tls {
        Error::new(ErrorKind::Tls, "the TLS handshake failed").with_retryable(false)
    } else if failure.is_timeout() {
        Error::new(ErrorKind::Timeout, "the request timed out")
    } else if failure.is_io() {
        Error::new(ErrorKind::Connect, "cannot connect to the S3 endpoint")
    } else if failure.is_user() {
        Error::invalid_input("the request could not be sent")
    } else {
        Error::new(ErrorKind::Unavailable, "the request failed in transit")
    }
}

/// Classifies an S3 error response.
fn service_error<E: ProvideErrorMetadata>(err: &E, status: u16, target: &str) -> Error {
    let code = err.code().map(str::to_owned);
    let kind = code
        .as_deref()
        .and_then(kind_for_code)
        .unwrap_or_else(|| kind_for_status(status));
    let message = match err.message() {
        Some(message) if !message.is_empty() => message.to_owned(),
        _ => format!("the server answered HTTP {status}"),
    };
    let retryable = kind.is_retryable_by_default() || status >= 500;
    Error::new(kind, format!("{target}: {}", kind.description()))
        .with_status(status)
        .with_retryable(retryable)
        .with_remote(RemoteError {
            code,
            description: None,
            details: Some(message),
        })
}

/// The kind an S3 error code stands for; `None` lets the HTTP status decide.
pub(crate) fn kind_for_code(code: &str) -> Option<ErrorKind> {
    let kind = match code {
        "NoSuchBucket"
        | "NoSuchKey"
        | "NoSuchVersion"
        | "NoSuchBucketPolicy"
        | "NoSuchCORSConfiguration"
        | "NoSuchUpload"
        | "NoSuchLifecycleConfiguration"
        | "NoSuchTagSet"
        | "NotFound"
        | "ObjectLockConfigurationNotFoundError"
        | "NoSuchObjectLockConfiguration" => ErrorKind::NotFound,
        "BucketNotEmpty" => ErrorKind::NotEmpty,
        "BucketAlreadyExists" | "BucketAlreadyOwnedByYou" => ErrorKind::AlreadyExists,
        "AccessDenied" | "AllAccessDisabled" | "AccountProblem" | "InvalidObjectState" => {
            ErrorKind::Forbidden
        }
        "InvalidAccessKeyId"
        | "SignatureDoesNotMatch"
        | "ExpiredToken"
        | "InvalidToken"
        | "TokenRefreshRequired"
        | "RequestTimeTooSkewed"
        | "MissingSecurityHeader" => ErrorKind::Unauthorized,
        "QuotaExceeded" | "BucketQuotaExceeded" | "QuotaExceededException" => {
            ErrorKind::QuotaExceeded
        }
        "InvalidArgument"
        | "InvalidBucketName"
        | "InvalidRange"
        | "InvalidRequest"
        | "InvalidPart"
        | "InvalidPartOrder"
        | "EntityTooSmall"
        | "EntityTooLarge"
        | "KeyTooLongError"
        | "MalformedXML"
        | "MalformedPolicy"
        | "InvalidPolicyDocument"
        | "InvalidDigest"
        | "BadDigest"
        | "InvalidLocationConstraint"
        | "MetadataTooLarge"
        | "IncompleteBody"
        | "InvalidTag"
        | "TooManyBuckets" => ErrorKind::InvalidInput,
        "OperationAborted" | "InvalidBucketState" | "PreconditionFailed" | "Conflict" => {
            ErrorKind::Conflict
        }
        "SlowDown" | "ServiceUnavailable" | "InternalError" | "Busy" => ErrorKind::Unavailable,
        "RequestTimeout" => ErrorKind::Timeout,
        "NotImplemented" | "MethodNotAllowed" => ErrorKind::Unsupported,
        _ => return None,
    };
    Some(kind)
}

/// The kind an HTTP status stands for, when the S3 code is missing or unknown.
pub(crate) fn kind_for_status(status: u16) -> ErrorKind {
    match status {
        400 | 411 | 413 | 416 => ErrorKind::InvalidInput,
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        405 | 501 => ErrorKind::Unsupported,
        408 => ErrorKind::Timeout,
        409 | 412 => ErrorKind::Conflict,
        429 | 500 | 502 | 503 | 504 => ErrorKind::Unavailable,
        _ => ErrorKind::Protocol,
    }
}

/// Finds an error of type `T` in `err`'s chain, looking inside `io::Error` payloads too
/// (`io::Error::source` skips its payload, which is where rustls errors hide).
pub(crate) fn find_in_chain<'a, T: StdError + 'static>(
    err: &'a (dyn StdError + 'static),
) -> Option<&'a T> {
    let mut next = Some(err);
    while let Some(current) = next {
        if let Some(found) = current.downcast_ref::<T>() {
            return Some(found);
        }
        next = match current.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
            None => current.source(),
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_win_over_statuses() {
        assert_eq!(kind_for_code("NoSuchBucket"), Some(ErrorKind::NotFound));
        assert_eq!(kind_for_code("NoSuchKey"), Some(ErrorKind::NotFound));
        assert_eq!(kind_for_code("BucketNotEmpty"), Some(ErrorKind::NotEmpty));
        assert_eq!(kind_for_code("AccessDenied"), Some(ErrorKind::Forbidden));
        assert_eq!(
            kind_for_code("SignatureDoesNotMatch"),
            Some(ErrorKind::Unauthorized)
        );
        assert_eq!(
            kind_for_code("InvalidAccessKeyId"),
            Some(ErrorKind::Unauthorized)
        );
        assert_eq!(
            kind_for_code("QuotaExceeded"),
            Some(ErrorKind::QuotaExceeded)
        );
        assert_eq!(kind_for_code("SomethingNew"), None);
    }

    #[test]
    fn statuses_cover_codeless_answers() {
        // HEAD answers carry no body, hence no code.
        assert_eq!(kind_for_status(404), ErrorKind::NotFound);
        assert_eq!(kind_for_status(403), ErrorKind::Forbidden);
        assert_eq!(kind_for_status(503), ErrorKind::Unavailable);
        assert_eq!(kind_for_status(418), ErrorKind::Protocol);
    }

    #[test]
    fn service_errors_keep_code_message_and_target() {
        let meta = aws_smithy_types::error::ErrorMetadata::builder()
            .code("NoSuchKey")
            .message("The specified key does not exist.")
            .build();
        let err = service_error(&meta, 404, "b1/k1");
        assert_eq!(err.kind(), ErrorKind::NotFound);
        assert_eq!(err.status(), Some(404));
        assert_eq!(err.remote_code(), Some("NoSuchKey"));
        assert!(!err.is_retryable());
        assert_eq!(
            err.to_string(),
            "b1/k1: not found (code NoSuchKey: The specified key does not exist.)"
        );

        let meta = aws_smithy_types::error::ErrorMetadata::builder()
            .code("Odd")
            .build();
        let err = service_error(&meta, 500, "b1");
        assert_eq!(err.kind(), ErrorKind::Unavailable);
        assert!(err.is_retryable());
        assert_eq!(
            err.to_string(),
            "b1: service unavailable (code Odd: the server answered HTTP 500)"
        );
    }

    #[test]
    fn chain_search_sees_inside_io_errors() {
        let inner = rustls::Error::General("bad cert".into());
        let io = std::io::Error::other(inner);
        assert!(find_in_chain::<rustls::Error>(&io).is_some());
        assert!(find_in_chain::<std::fmt::Error>(&io).is_none());
    }
}
