//! One error type for every ECS crate, classified by [`ErrorKind`].
//!
//! Errors are classified once, where they are first understood (an ECS error code, an HTTP
//! status, an S3 error code, a failed connect), never later by searching message text.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

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

/// An error from an ECS crate: a [`kind`](Error::kind), a message, what the server said, and
/// the context the layers above added on the way up.
///
/// An error is classified once, where it is understood; the layers above add to it without
/// copying it field by field, in the manner of OpenDAL's error:
///
/// - [`with_context`](Error::with_context) adds a `key: value` pair (a bucket, a step, a
///   failed clean-up);
/// - [`with_operation`](Error::with_operation) names the operation; an operation named
///   before (by a lower layer) stays in the context as `during`;
/// - [`wrap`](Error::wrap) puts a caller's message in front: the new error keeps the kind,
///   retryable flag, HTTP status, server document, operation and context, and the original
///   becomes its [`source`](std::error::Error::source);
/// - [`with_source`](Error::with_source) attaches a foreign cause.
///
/// `Display` is one line: `operation: message: wrapped message (code C: server text); key:
/// value`. Cloning is cheap (an [`Arc`] inside), and `Result<T, Error>` stays one pointer wide.
/// No secret is ever part of an error.
#[derive(Clone)]
pub struct Error(Arc<Inner>);

/// The fields of an [`Error`], shared so that clones are cheap and the error stays one pointer
/// wide.
#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    message: String,
    retryable: bool,
    status: Option<u16>,
    remote: Option<RemoteError>,
    operation: Option<&'static str>,
    context: Vec<(&'static str, String)>,
    source: Option<Arc<dyn StdError + Send + Sync + 'static>>,
    /// `source` is the [`Error`] this one [wraps](Error::wrap): its message continues ours.
    wraps: bool,
}

impl Error {
    /// Creates an error of `kind` with a message; retryable as the kind is by default.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Arc::new(Inner {
            kind,
            message: message.into(),
            retryable: kind.is_retryable_by_default(),
            status: None,
            remote: None,
            operation: None,
            context: Vec::new(),
            source: None,
            wraps: false,
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

    /// The fields, copied first if a clone shares them.
    fn inner_mut(&mut self) -> &mut Inner {
        Arc::make_mut(&mut self.0)
    }

    /// Sets the HTTP status the server answered.
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        self.inner_mut().status = Some(status);
        self
    }

    /// Sets the server's error document.
    #[must_use]
    pub fn with_remote(mut self, remote: RemoteError) -> Self {
        self.inner_mut().remote = Some(remote);
        self
    }

    /// Overrides whether the error may be retried (ECS says so with `retryable=true`).
    #[must_use]
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.inner_mut().retryable = retryable;
        self
    }

    /// Names the operation that failed (`"create bucket"`), shown before the message.
    ///
    /// An operation named earlier (a lower layer's request) is not lost: it moves to the
    /// context as `during`.
    #[must_use]
    pub fn with_operation(mut self, operation: &'static str) -> Self {
        let inner = self.inner_mut();
        if let Some(earlier) = inner.operation.replace(operation)
            && earlier != operation
        {
            inner.context.push(("during", earlier.to_owned()));
        }
        self
    }

    /// Adds a `key: value` pair of context (`"bucket"`, `"rollback"`), shown after the
    /// message. The kind and everything else stay as they are.
    #[must_use]
    pub fn with_context(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.inner_mut().context.push((key, value.into()));
        self
    }

    /// Attaches the underlying cause (replacing any earlier one).
    #[must_use]
    pub fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        let inner = self.inner_mut();
        inner.source = Some(Arc::new(source));
        inner.wraps = false;
        self
    }

    /// A new error saying `message` about this one: same kind, retryable flag, status, server
    /// document, operation and context; this error becomes its source, and its message
    /// follows the new one in `Display`.
    ///
    /// ```
    /// use ecs_common::{Error, ErrorKind};
    /// let low = Error::new(ErrorKind::Forbidden, "access denied").with_status(403);
    /// let high = low.wrap("bucket created but could not set the CORS rule");
    /// assert_eq!((high.kind(), high.status()), (ErrorKind::Forbidden, Some(403)));
    /// assert_eq!(
    ///     high.to_string(),
    ///     "bucket created but could not set the CORS rule: access denied"
    /// );
    /// assert!(std::error::Error::source(&high).is_some());
    /// ```
    #[must_use]
    pub fn wrap(self, message: impl Into<String>) -> Error {
        let mut inner = (*self.0).clone();
        inner.message = message.into();
        inner.source = Some(Arc::new(self));
        inner.wraps = true;
        Error(Arc::new(inner))
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// This error's own message, without operation, wrapped messages, remote details or
    /// context.
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

    /// The context pairs, in the order they were added.
    pub fn context(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0
            .context
            .iter()
            .map(|(key, value)| (*key, value.as_str()))
    }

    /// The error this one [wraps](Self::wrap), if any.
    fn wrapped(&self) -> Option<&Error> {
        if !self.0.wraps {
            return None;
        }
        self.0
            .source
            .as_deref()
            .and_then(|source| (source as &(dyn StdError + 'static)).downcast_ref::<Error>())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.0;
        if let Some(operation) = inner.operation {
            write!(f, "{operation}: ")?;
        }
        f.write_str(&inner.message)?;
        let mut wrapped = self.wrapped();
        while let Some(error) = wrapped {
            write!(f, ": {}", error.0.message)?;
            wrapped = error.wrapped();
        }
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
        for (key, value) in &inner.context {
            write!(f, "; {key}: {value}")?;
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
        if !inner.context.is_empty() {
            debug.field("context", &inner.context);
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

    /// Every variant, by an exhaustive match: adding a variant fails to compile here until
    /// it is listed below, and the count check then fails until it is added to `ALL`.
    fn position(kind: ErrorKind) -> usize {
        match kind {
            ErrorKind::NotFound => 0,
            ErrorKind::AlreadyExists => 1,
            ErrorKind::InvalidInput => 2,
            ErrorKind::Unauthorized => 3,
            ErrorKind::Forbidden => 4,
            ErrorKind::Conflict => 5,
            ErrorKind::NotEmpty => 6,
            ErrorKind::QuotaExceeded => 7,
            ErrorKind::TokenLimit => 8,
            ErrorKind::Unavailable => 9,
            ErrorKind::Timeout => 10,
            ErrorKind::Connect => 11,
            ErrorKind::Tls => 12,
            ErrorKind::Protocol => 13,
            ErrorKind::Unsupported => 14,
            ErrorKind::Closed => 15,
            ErrorKind::Internal => 16,
        }
    }

    /// The number of arms of [`position`].
    const VARIANTS: usize = 17;

    #[test]
    fn all_lists_every_variant_once_in_declaration_order() {
        assert_eq!(ErrorKind::ALL.len(), VARIANTS);
        for (index, kind) in ErrorKind::ALL.iter().enumerate() {
            assert_eq!(position(*kind), index, "{kind:?}");
        }
    }

    #[test]
    fn context_keeps_the_classification() {
        let low = Error::new(ErrorKind::Unavailable, "ECS answered HTTP 503")
            .with_status(503)
            .with_remote(RemoteError {
                code: Some("6000".into()),
                ..RemoteError::default()
            })
            .with_retryable(true)
            .with_operation("bucket versioning");
        let high = low
            .clone()
            .wrap("bucket created but could not enable versioning")
            .with_operation("create bucket")
            .with_context("bucket", "b1");
        assert_eq!(high.kind(), ErrorKind::Unavailable);
        assert_eq!(high.status(), Some(503));
        assert_eq!(high.remote_code(), Some("6000"));
        assert!(high.is_retryable());
        assert_eq!(high.operation(), Some("create bucket"));
        assert_eq!(
            high.context().collect::<Vec<_>>(),
            [("during", "bucket versioning"), ("bucket", "b1")]
        );
        assert_eq!(
            high.to_string(),
            "create bucket: bucket created but could not enable versioning: ECS answered HTTP 503 \
             (code 6000); during: bucket versioning; bucket: b1"
        );
        let source = StdError::source(&high)
            .and_then(|source| source.downcast_ref::<Error>())
            .expect("the original is the source");
        assert_eq!(source.to_string(), low.to_string());
        assert_eq!(source.operation(), Some("bucket versioning"));
    }

    #[test]
    fn clones_share_until_changed() {
        let error = Error::new(ErrorKind::Conflict, "x").with_source(std::fmt::Error);
        let copy = error.clone();
        assert!(Arc::ptr_eq(&error.0, &copy.0));
        let changed = copy.with_context("key", "value");
        assert_eq!(error.context().count(), 0);
        assert_eq!(changed.context().count(), 1);
        assert!(StdError::source(&changed).is_some());
    }

    #[test]
    fn an_operation_named_twice_is_recorded_once() {
        let error = Error::internal("x")
            .with_operation("login")
            .with_operation("login");
        assert_eq!(error.context().count(), 0);
        assert_eq!(error.to_string(), "login: x");
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
