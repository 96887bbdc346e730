//! One error type for every ECS crate, classified by [`ErrorKind`].
//!
//! Errors are classified once, where they are first understood (an ECS error code, an HTTP
//! status, an S3 error code, a failed connect), never later by searching message text.

use std::error::Error as StdError;
use std::fmt;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in terms a caller can act on.
///
/// The set is closed on purpose: the Java `ErrorCode` enum is generated from
/// [`ErrorKind::ALL`] (`cargo xtask codegen`), so the two languages cannot drift.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The addressed entity (bucket, user, key, namespace, object) does not exist.
    NotFound,
    /// The entity to be created exists already.
    AlreadyExists,
    /// The caller's input is invalid; nothing was sent, or the server refused it as malformed.
    InvalidInput,
    /// Credentials or the session token were refused.
    Unauthorized,
    /// The credentials are valid but may not perform this action.
    Forbidden,
    /// The request conflicts with the current state of the resource.
    Conflict,
    /// A bucket still holds objects, versions or delete markers.
    NotEmpty,
    /// A write would exceed a hard quota.
    QuotaExceeded,
    /// The management user holds the maximum number of live tokens.
    TokenLimit,
    /// The service is temporarily unavailable (503, ECS code 6000, a dropped connection).
    Unavailable,
    /// The request did not complete in time.
    Timeout,
    /// The server could not be reached (DNS, refused or reset connection).
    Connect,
    /// The TLS handshake failed (untrusted certificate, wrong host name).
    Tls,
    /// The server answered something this client does not understand.
    Protocol,
    /// The operation is not supported by ECS or by this driver.
    Unsupported,
    /// The client, store or handle was closed before the call.
    Closed,
    /// A bug: an invariant was broken, or native code panicked.
    Internal,
}

impl ErrorKind {
    /// Every kind, in declaration order; the source of the generated Java `ErrorCode` enum.
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::NotFound,
        ErrorKind::AlreadyExists,
        ErrorKind::InvalidInput,
        ErrorKind::Unauthorized,
        ErrorKind::Forbidden,
        ErrorKind::Conflict,
        ErrorKind::NotEmpty,
        ErrorKind::QuotaExceeded,
        ErrorKind::TokenLimit,
        ErrorKind::Unavailable,
        ErrorKind::Timeout,
        ErrorKind::Connect,
        ErrorKind::Tls,
        ErrorKind::Protocol,
        ErrorKind::Unsupported,
        ErrorKind::Closed,
        ErrorKind::Internal,
    ];

    /// The stable, upper-case name of this kind (`NOT_FOUND`), as used by the Java `ErrorCode`.
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "NOT_FOUND",
            ErrorKind::AlreadyExists => "ALREADY_EXISTS",
            ErrorKind::InvalidInput => "INVALID_INPUT",
            ErrorKind::Unauthorized => "UNAUTHORIZED",
            ErrorKind::Forbidden => "FORBIDDEN",
            ErrorKind::Conflict => "CONFLICT",
            ErrorKind::NotEmpty => "NOT_EMPTY",
            ErrorKind::QuotaExceeded => "QUOTA_EXCEEDED",
            ErrorKind::TokenLimit => "TOKEN_LIMIT",
            ErrorKind::Unavailable => "UNAVAILABLE",
            ErrorKind::Timeout => "TIMEOUT",
            ErrorKind::Connect => "CONNECT",
            ErrorKind::Tls => "TLS",
            ErrorKind::Protocol => "PROTOCOL",
            ErrorKind::Unsupported => "UNSUPPORTED",
            ErrorKind::Closed => "CLOSED",
            ErrorKind::Internal => "INTERNAL",
        }
    }

    /// Looks a kind up by its [`code`](Self::code).
    pub fn from_code(code: &str) -> Option<ErrorKind> {
        Self::ALL.iter().copied().find(|kind| kind.code() == code)
    }

    /// A short lower-case description of the kind, for messages and documentation.
    pub const fn description(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not found",
            ErrorKind::AlreadyExists => "already exists",
            ErrorKind::InvalidInput => "invalid input",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::Conflict => "conflict",
            ErrorKind::NotEmpty => "not empty",
            ErrorKind::QuotaExceeded => "quota exceeded",
            ErrorKind::TokenLimit => "token limit reached",
            ErrorKind::Unavailable => "service unavailable",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Connect => "cannot connect",
            ErrorKind::Tls => "tls failure",
            ErrorKind::Protocol => "protocol error",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Closed => "closed",
            ErrorKind::Internal => "internal error",
        }
    }

    /// Whether an error of this kind is worth retrying when nothing more specific is known.
    pub const fn is_retryable_by_default(self) -> bool {
        matches!(
            self,
            ErrorKind::Unavailable | ErrorKind::Timeout | ErrorKind::Connect
        )
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// The error document a server returned: ECS's `code`, `description` and `details`, or an S3
/// error code and message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RemoteError {
    /// The server's error code: ECS's numeric code (`"1004"`) or an S3 code (`"NoSuchBucket"`).
    pub code: Option<String>,
    /// The generic description of the code.
    pub description: Option<String>,
    /// The specific message, often naming the entity.
    pub details: Option<String>,
}

/// An error from an ECS crate: a [`kind`](Error::kind), a message, and what the server said.
///
/// `Display` is one lower-case line without the source; walk [`std::error::Error::source`]
/// for the cause. No secret is ever part of an error.
pub struct Error(Box<Inner>);

/// The fields of an [`Error`], boxed so that `Result<T, Error>` stays one pointer wide.
struct Inner {
    kind: ErrorKind,
    message: String,
    retryable: bool,
    status: Option<u16>,
    remote: Option<RemoteError>,
    operation: Option<&'static str>,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl Error {
    /// Creates an error of `kind` with a message; retryable as the kind is by default.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            message: message.into(),
            retryable: kind.is_retryable_by_default(),
            status: None,
            remote: None,
            operation: None,
            source: None,
        }))
    }

    /// Shorthand for an [`ErrorKind::InvalidInput`] error.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidInput, message)
    }

    /// Shorthand for an [`ErrorKind::Unsupported`] error.
    pub fn unsupported(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Unsupported, message)
    }

    /// Shorthand for an [`ErrorKind::Internal`] error.
    pub fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Internal, message)
    }

    /// Sets the HTTP status the server answered.
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        self.0.status = Some(status);
        self
    }

    /// Sets the server's error document.
    #[must_use]
    pub fn with_remote(mut self, remote: RemoteError) -> Self {
        self.0.remote = Some(remote);
        self
    }

    /// Overrides whether the error may be retried (ECS says so with `retryable=true`).
    #[must_use]
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.0.retryable = retryable;
        self
    }

    /// Names the operation that failed (`"create bucket"`), shown before the message.
    #[must_use]
    pub fn with_operation(mut self, operation: &'static str) -> Self {
        self.0.operation = Some(operation);
        self
    }

    /// Attaches the underlying cause.
    #[must_use]
    pub fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.0.source = Some(Box::new(source));
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The message, without operation or remote details.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Whether repeating the same request may succeed.
    pub fn is_retryable(&self) -> bool {
        self.0.retryable
    }

    /// The HTTP status, when a server answered.
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }

    /// The server's error document, when it sent one.
    pub fn remote(&self) -> Option<&RemoteError> {
        self.0.remote.as_ref()
    }

    /// The server's error code (`"1004"`, `"NoSuchBucket"`), when it sent one.
    pub fn remote_code(&self) -> Option<&str> {
        self.0
            .remote
            .as_ref()
            .and_then(|remote| remote.code.as_deref())
    }

    /// The operation that failed, when it was named.
    pub fn operation(&self) -> Option<&'static str> {
        self.0.operation
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.0;
        if let Some(operation) = inner.operation {
            write!(f, "{operation}: ")?;
        }
        f.write_str(&inner.message)?;
        if let Some(remote) = &inner.remote {
            let code = remote.code.as_deref();
            let text = remote.details.as_deref().or(remote.description.as_deref());
            match (code, text) {
                (Some(code), Some(text)) if !text.is_empty() => {
                    write!(f, " (code {code}: {text})")?
                }
                (Some(code), _) => write!(f, " (code {code})")?,
                (None, Some(text)) if !text.is_empty() => write!(f, " ({text})")?,
                _ => {}
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.0;
        let mut debug = f.debug_struct("Error");
        debug
            .field("kind", &inner.kind)
            .field("message", &inner.message)
            .field("retryable", &inner.retryable);
        if let Some(status) = inner.status {
            debug.field("status", &status);
        }
        if let Some(remote) = &inner.remote {
            debug.field("remote", remote);
        }
        if let Some(operation) = inner.operation {
            debug.field("operation", &operation);
        }
        if let Some(source) = &inner.source {
            debug.field("source", source);
        }
        debug.finish()
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        for kind in ErrorKind::ALL {
            assert_eq!(ErrorKind::from_code(kind.code()), Some(*kind));
        }
        let mut codes: Vec<_> = ErrorKind::ALL.iter().map(|kind| kind.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ErrorKind::ALL.len());
    }

    #[test]
    fn display_is_one_line_with_operation_and_remote_details() {
        let error = Error::new(ErrorKind::NotFound, "bucket b1 does not exist")
            .with_operation("bucket info")
            .with_status(400)
            .with_remote(RemoteError {
                code: Some("1004".into()),
                description: Some("Request parameter cannot be found".into()),
                details: Some("Unable to find entity with the given id b1".into()),
            });
        assert_eq!(
            error.to_string(),
            "bucket info: bucket b1 does not exist (code 1004: Unable to find entity with the given id b1)"
        );
        assert_eq!(error.remote_code(), Some("1004"));
        assert!(!error.is_retryable());
    }

    #[test]
    fn error_is_one_pointer_wide() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn retryable_follows_kind_unless_overridden() {
        assert!(Error::new(ErrorKind::Unavailable, "x").is_retryable());
        assert!(
            !Error::new(ErrorKind::Unavailable, "x")
                .with_retryable(false)
                .is_retryable()
        );
        assert!(
            Error::new(ErrorKind::Internal, "x")
                .with_retryable(true)
                .is_retryable()
        );
    }
}
