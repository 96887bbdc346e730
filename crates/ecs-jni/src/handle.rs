//! Native handles: an `Arc<T>` registered under a Java `long`, and looked up again.
//!
//! `into_handle` puts the object in a process-wide table under a fresh number (never reused,
//! never zero). Each call borrows the object with [`borrow`], which clones the `Arc` for the
//! call's duration (so a concurrent `close` cannot free it while the call runs), and `close`
//! takes it out of the table with [`take`]. A handle that is zero, already released, never
//! issued (a forged or corrupted `long`) or of another type raises `EcsException(CLOSED)`:
//! no value a Java caller passes can make the library touch memory it does not own.

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError};

use jni::sys::jlong;

use crate::error::{BridgeError, BridgeResult};

type Entry = Arc<dyn Any + Send + Sync>;

/// The live handles.
static TABLE: LazyLock<Mutex<HashMap<jlong, Entry>>> = LazyLock::new(Default::default);
/// The next handle number; starts away from small numbers a caller might guess or forge.
static NEXT: AtomicI64 = AtomicI64::new(0x5EC0_0000_0001);

fn table() -> MutexGuard<'static, HashMap<jlong, Entry>> {
    TABLE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Registers `value` and returns its handle.
pub(crate) fn into_handle<T: Send + Sync + 'static>(value: T) -> jlong {
    let handle = NEXT.fetch_add(1, Ordering::Relaxed);
    table().insert(handle, Arc::new(value));
    handle
}

/// Borrows the object behind `handle` for the duration of a call.
///
/// `what` names the object in the error for a handle that is not live (`"object store"`).
pub(crate) fn borrow<T: Send + Sync + 'static>(handle: jlong, what: &str) -> BridgeResult<Arc<T>> {
    let entry = table()
        .get(&handle)
        .cloned()
        .ok_or_else(|| BridgeError::closed(what))?;
    entry.downcast::<T>().map_err(|_| BridgeError::closed(what))
}

/// Takes the object out of the table: `Some` for exactly one caller per handle (so two
/// racing closes cannot both close), `None` for a handle that is not live or not a `T`. Calls
/// that borrowed it keep it alive until they return.
pub(crate) fn take<T: Send + Sync + 'static>(handle: jlong) -> Option<Arc<T>> {
    let mut table = table();
    let entry = table.get(&handle)?.clone().downcast::<T>().ok()?;
    table.remove(&handle);
    Some(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecs_common::ErrorKind;

    fn assert_closed<T: std::fmt::Debug>(result: BridgeResult<T>) {
        match result {
            Err(BridgeError::Ecs(error)) => {
                assert_eq!(error.kind(), ErrorKind::Closed);
                assert_eq!(error.to_string(), "object store is closed");
            }
            other => panic!("expected a closed error, got {other:?}"),
        }
    }

    #[test]
    fn a_call_keeps_the_object_alive_across_close() {
        let handle = into_handle(String::from("store"));
        let borrowed = borrow::<String>(handle, "store").expect("live handle");
        assert_eq!(Arc::strong_count(&borrowed), 2);
        let taken = take::<String>(handle).expect("taken once");
        assert!(take::<String>(handle).is_none(), "and only once");
        drop(taken);
        assert_eq!(
            Arc::strong_count(&borrowed),
            1,
            "close dropped exactly one reference"
        );
        assert_eq!(borrowed.as_str(), "store");
        assert_closed(borrow::<String>(handle, "object store"));
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
        assert!(take::<u32>(handle).is_some());
    }

    #[test]
    fn zero_handle_is_closed_and_releasing_it_is_a_no_op() {
        assert_closed(borrow::<u32>(0, "object store"));
        assert!(take::<u32>(0).is_none());
    }

    #[test]
    fn forged_stale_and_mistyped_handles_are_closed_not_memory() {
        let handle = into_handle(9_u64);
        for forged in [1, -1, 0x1000, jlong::MAX, jlong::MIN, handle + 1_000_000] {
            assert_closed(borrow::<u64>(forged, "object store"));
            assert!(take::<u64>(forged).is_none());
        }
        assert_closed(borrow::<String>(handle, "object store"));
        assert!(
            take::<String>(handle).is_none(),
            "a mistyped take leaves it"
        );
        assert_eq!(*borrow::<u64>(handle, "x").expect("still live"), 9);
        assert!(take::<u64>(handle).is_some());
        assert!(take::<u64>(handle).is_none());
        assert_closed(borrow::<u64>(handle, "object store"));
    }
}
