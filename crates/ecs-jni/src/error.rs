//! The bridge's error type and the [`ThrowEcsException`] policy that turns errors and panics into
//! `io.ecscloudstack.ecs.EcsException`.
//!
//! Every native method resolves its outcome through [`ThrowEcsException`], so the Java caller
//! sees exactly one exception type: a driver error keeps its [`ErrorKind`] as the
//! `ErrorCode`, a panic becomes `INTERNAL`, and a Java exception that is already pending (thrown
//! by a JNI call) propagates unchanged.

use std::any::Any;
use std::fmt;

use ecs_common::{Error, ErrorKind};
use jni::Env;
use jni::errors::ErrorPolicy;
use jni::objects::{JObject, JValue};

use crate::classes;

/// Why a native call failed.
pub(crate) enum BridgeError {
    /// A failure the driver (or the bridge, in driver terms) reports: thrown with its kind.
    /// Not boxed: `ecs_common::Error` is one pointer already.
    Ecs(Error),
    /// A JNI call failed. When it threw, the Java exception is pending and is left as is.
    Jni(jni::errors::Error),
}

impl BridgeError {
    /// An [`ErrorKind::InvalidInput`] error naming a Java argument that was `null`.
    pub(crate) fn null_argument(name: &str) -> Self {
        Error::invalid_input(format!("{name} must not be null")).into()
    }

    /// An [`ErrorKind::Closed`] error for a handle that is zero (never opened or closed).
    pub(crate) fn closed(what: &str) -> Self {
        Error::new(ErrorKind::Closed, format!("{what} is closed")).into()
    }
}

impl From<Error> for BridgeError {
    fn from(error: Error) -> Self {
        BridgeError::Ecs(error)
    }
}

impl From<jni::errors::Error> for BridgeError {
    fn from(error: jni::errors::Error) -> Self {
        BridgeError::Jni(error)
    }
}

impl fmt::Debug for BridgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BridgeError::Ecs(error) => f.debug_tuple("Ecs").field(error).finish(),
            BridgeError::Jni(error) => f.debug_tuple("Jni").field(error).finish(),
        }
    }
}

/// The result type of every native method body.
pub(crate) type BridgeResult<T> = Result<T, BridgeError>;

/// The crate-wide [`ErrorPolicy`]: throws `EcsException` unless a Java exception is pending.
#[derive(Debug)]
pub(crate) struct ThrowEcsException;

impl<T: Default> ErrorPolicy<T, BridgeError> for ThrowEcsException {
    type Captures<'unowned_env_local: 'native_method, 'native_method> = ();

    fn on_error<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _captures: &mut (),
        error: BridgeError,
    ) -> jni::errors::Result<T> {
        if env.exception_check() {
            // A JNI call threw: the caller sees that exception, not a translation of it.
            return Ok(T::default());
        }
        let (kind, message, retryable) = match error {
            BridgeError::Ecs(error) => (error.kind(), error.to_string(), error.is_retryable()),
            BridgeError::Jni(error) => (ErrorKind::Internal, format!("jni: {error}"), false),
        };
        throw(env, kind, &message, retryable)?;
        Ok(T::default())
    }

    fn on_panic<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _captures: &mut (),
        payload: Box<dyn Any + Send + 'static>,
    ) -> jni::errors::Result<T> {
        let message = format!("native code panicked: {}", panic_message(payload.as_ref()));
        tracing::error!(target: "ecs_jni", "{message}");
        if env.exception_check() {
            env.exception_clear();
        }
        throw(env, ErrorKind::Internal, &message, false)?;
        Ok(T::default())
    }
}

/// Throws `new EcsException(code, message, retryable)`.
///
/// Returns `Ok` once the exception is pending (jni's `throw` reports that as an error, which here
/// is the success case).
fn throw(
    env: &mut Env<'_>,
    kind: ErrorKind,
    message: &str,
    retryable: bool,
) -> jni::errors::Result<()> {
    let classes = classes::get()?;
    let code = env.new_string(kind.code())?;
    let message = env.new_string(message)?;
    let exception = env.new_object(
        &classes.ecs_exception,
        jni::jni_sig!((code: JString, message: JString, retryable: jboolean) -> void),
        &[
            JValue::Object(&code),
            JValue::Object(&message),
            JValue::Bool(retryable),
        ],
    )?;
    let exception: JObject<'_> = exception;
    let exception = jni::objects::JThrowable::cast_local(env, exception)?;
    match env.throw(exception) {
        Ok(()) | Err(jni::errors::Error::JavaException) => Ok(()),
        Err(error) => Err(error),
    }
}

/// The text of a panic payload (`panic!` with a literal or a formatted message).
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&'static str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        "non-string panic payload"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_messages_are_read_from_both_payload_types() {
        let literal = std::panic::catch_unwind(|| panic!("boom")).expect_err("panics");
        assert_eq!(panic_message(literal.as_ref()), "boom");
        let formatted = std::panic::catch_unwind(|| panic!("boom {}", 42)).expect_err("panics");
        assert_eq!(panic_message(formatted.as_ref()), "boom 42");
        let other = std::panic::catch_unwind(|| std::panic::panic_any(7_u8)).expect_err("panics");
        assert_eq!(panic_message(other.as_ref()), "non-string panic payload");
    }

    #[test]
    fn null_and_closed_errors_carry_their_kinds() {
        let BridgeError::Ecs(null) = BridgeError::null_argument("bucket") else {
            panic!("expected an ecs error");
        };
        assert_eq!(null.kind(), ErrorKind::InvalidInput);
        assert_eq!(null.to_string(), "bucket must not be null");
        let BridgeError::Ecs(closed) = BridgeError::closed("object store") else {
            panic!("expected an ecs error");
        };
        assert_eq!(closed.kind(), ErrorKind::Closed);
    }
}
