//! The one tokio runtime of the library, started on first use.
//!
//! Worker threads are named `ecs-jni-worker-N` and attached to the JVM when they start, so
//! `tracing` events emitted on them reach Java logging without a per-event attach. Native
//! methods run on Java threads and `block_on` this runtime; they are never called from a worker.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use jni::AttachConfig;
use jni::strings::JNIString;
use tokio::runtime::{Builder, Runtime};

use crate::error::BridgeResult;

/// Worker threads: the driver's work is network-bound, a few threads serve many Java callers.
const WORKER_THREADS: usize = 4;

static RUNTIME: LazyLock<Result<Runtime, String>> = LazyLock::new(build);

/// The shared runtime, built on first use.
pub(crate) fn get() -> BridgeResult<&'static Runtime> {
    RUNTIME.as_ref().map_err(|message| {
        ecs_common::Error::internal(format!("cannot start the tokio runtime: {message}")).into()
    })
}

fn build() -> Result<Runtime, String> {
    static NEXT_ID: AtomicUsize = AtomicUsize::new(1);
    Builder::new_multi_thread()
        .worker_threads(WORKER_THREADS)
        .thread_name_fn(|| format!("ecs-jni-worker-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed)))
        .on_thread_start(attach_to_jvm)
        .enable_all()
        .build()
        .map_err(|error| error.to_string())
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
