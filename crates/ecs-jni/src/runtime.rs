//! The one tokio runtime of the library, started on first use and stopped when the last
//! object store closes.
//!
//! Worker threads are named `ecs-jni-worker-N` and attached to the JVM when they start, so
//! `tracing` events emitted on them reach Java logging without a per-event attach. Native
//! methods run on Java threads and `block_on` this runtime; they are never called from a worker.
//!
//! Attached threads are non-daemon Java threads: while they live, a JVM whose `main` returns
//! does not exit. So [`shut_down`] stops the workers (they detach as they exit) once no store is
//! open, and the next call starts a fresh runtime.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use jni::AttachConfig;
use jni::strings::JNIString;
use tokio::runtime::{Builder, Runtime};

use crate::error::BridgeResult;

/// Worker threads: the driver's work is network-bound, a few threads serve many Java callers.
const WORKER_THREADS: usize = 4;

/// The running runtime, if any.
static RUNTIME: Mutex<Option<Arc<Runtime>>> = Mutex::new(None);

/// The shared runtime, started on first use. Callers hold the `Arc` for the duration of a call.
pub(crate) fn get() -> BridgeResult<Arc<Runtime>> {
    let mut slot = RUNTIME.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(runtime) = slot.as_ref() {
        return Ok(Arc::clone(runtime));
    }
    let runtime = Arc::new(build().map_err(|error| {
        ecs_common::Error::internal(format!("cannot start the tokio runtime: {error}"))
    })?);
    *slot = Some(Arc::clone(&runtime));
    Ok(runtime)
}

/// Stops the runtime, if one runs, without waiting for its workers to exit.
///
/// A call still using it (it holds an `Arc`) keeps it alive; the runtime then stops when that
/// call drops it.
pub(crate) fn shut_down() {
    let taken = RUNTIME
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    if let Some(runtime) = taken.and_then(|runtime| Arc::try_unwrap(runtime).ok()) {
        runtime.shutdown_background();
    }
}

fn build() -> std::io::Result<Runtime> {
    static NEXT_ID: AtomicUsize = AtomicUsize::new(1);
    Builder::new_multi_thread()
        .worker_threads(WORKER_THREADS)
        .thread_name_fn(|| format!("ecs-jni-worker-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed)))
        .on_thread_start(attach_to_jvm)
        .enable_all()
        .build()
}

/// Attaches the current worker thread to the JVM for its lifetime (detached when it exits).
fn attach_to_jvm() {
    let Ok(vm) = jni::JavaVM::singleton() else {
        // Not loaded by a JVM (Rust tests): nothing to attach to.
        return;
    };
    // The Java thread gets the worker's name, so log lines show `[ecs-jni-worker-N]`.
    let name = JNIString::from(std::thread::current().name().unwrap_or("ecs-jni-worker"));
    let attached = vm.attach_current_thread_with_config(
        || AttachConfig::new().thread_name(&name),
        None,
        |_env| Ok::<(), jni::errors::Error>(()),
    );
    if let Err(error) = attached {
        eprintln!("ecs-jni: cannot attach a worker thread to the JVM: {error}");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_shut_down_runtime_is_replaced_on_next_use() {
        let first = super::get().expect("runtime starts");
        let again = super::get().expect("runtime is shared");
        assert!(std::sync::Arc::ptr_eq(&first, &again));
        drop((first, again));
        super::shut_down();
        let second = super::get().expect("a new runtime starts");
        assert_eq!(second.block_on(async { 6 * 7 }), 42);
    }

    #[test]
    fn runtime_runs_futures_on_named_workers() {
        let runtime = super::get().expect("runtime starts");
        let name = runtime
            .block_on(async {
                tokio::spawn(async { std::thread::current().name().map(str::to_owned) }).await
            })
            .expect("task completes");
        assert!(name.is_some_and(|name| name.starts_with("ecs-jni-worker-")));
    }
}
