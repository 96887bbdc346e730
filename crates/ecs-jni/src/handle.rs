//! Native handles: an `Arc<T>` turned into a Java `long`, and back.
//!
//! `into_handle` leaks one strong count into the returned `jlong`. Each call borrows the object
//! with [`borrow`], which clones the `Arc` for the call's duration (so a concurrent `close`
//! cannot free it while the call runs), and `close` gives the leaked count back with
//! [`release`]. A zero handle is the Java side's "never opened or already closed" and raises
//! `EcsException(CLOSED)`; the Java wrapper guarantees that a non-zero handle it passes is live.

use std::sync::Arc;

use jni::sys::jlong;

use crate::error::{BridgeError, BridgeResult};

/// Turns `value` into a handle that owns one strong count.
pub(crate) fn into_handle<T: Send + Sync>(value: T) -> jlong {
    Arc::into_raw(Arc::new(value)) as jlong
}

/// Borrows the object behind `handle` for the duration of a call.
///
/// `what` names the object in the error for a zero handle (`"object store"`).
#[allow(unsafe_code)]
pub(crate) fn borrow<T: Send + Sync>(handle: jlong, what: &str) -> BridgeResult<Arc<T>> {
    let pointer = checked_pointer::<T>(handle).ok_or_else(|| BridgeError::closed(what))?;
    // SAFETY: a non-zero handle was made by `into_handle::<T>` and still owns its strong count:
    // the Java wrapper passes a handle only while holding the read side of its close lock, and
    // zeroes it under the write side before calling `release`. Incrementing first and then
    // re-materialising an `Arc` leaves the handle's own count untouched.
    unsafe {
        Arc::increment_strong_count(pointer);
        Ok(Arc::from_raw(pointer))
    }
}

/// Drops the strong count a handle owns; a zero handle is a no-op, so `close` is idempotent.
#[allow(unsafe_code)]
pub(crate) fn release<T: Send + Sync>(handle: jlong) {
    if let Some(pointer) = checked_pointer::<T>(handle) {
        // SAFETY: as in `borrow`; the Java wrapper calls `release` exactly once per handle,
        // after zeroing its copy, so this gives back the count `into_handle` leaked.
        drop(unsafe { Arc::from_raw(pointer) });
    }
}

fn checked_pointer<T>(handle: jlong) -> Option<*const T> {
    (handle != 0).then_some(handle as *const T)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecs_common::ErrorKind;

    #[test]
    fn a_call_keeps_the_object_alive_across_close() {
        let handle = into_handle(String::from("store"));
        let borrowed = borrow::<String>(handle, "store").expect("live handle");
        assert_eq!(Arc::strong_count(&borrowed), 2);
        release::<String>(handle);
        assert_eq!(
            Arc::strong_count(&borrowed),
            1,
            "close dropped exactly one reference"
        );
        assert_eq!(borrowed.as_str(), "store");
    }

    #[test]
    fn borrowing_does_not_consume_the_handle() {
        let handle = into_handle(7_u32);
        for _ in 0..3 {
            assert_eq!(*borrow::<u32>(handle, "x").expect("live handle"), 7);
        }
        assert_eq!(
            Arc::strong_count(&borrow::<u32>(handle, "x").expect("live")),
            2
        );
        release::<u32>(handle);
    }

    #[test]
    fn zero_handle_is_closed_and_releasing_it_is_a_no_op() {
        match borrow::<u32>(0, "object store") {
            Err(BridgeError::Ecs(error)) => {
                assert_eq!(error.kind(), ErrorKind::Closed);
                assert_eq!(error.to_string(), "object store is closed");
            }
            other => panic!("expected a closed error, got {other:?}"),
        }
        release::<u32>(0);
    }
}
