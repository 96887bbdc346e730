//! `ecs-jni`: the JNI bridge between the Java API (`io.ecscloudstack.ecs`) and `ecs-driver`.
#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]

mod classes;
mod convert;
mod credentials;
mod drift;
mod error;
mod handle;
mod logging;
mod natives;
mod runtime;
mod store;
#[cfg(feature = "testing")]
mod testing;
mod values;

use std::ffi::c_void;

use jni::sys::{JNI_ERR, JNI_VERSION_1_8, jint};
use jni::{Env, JavaVM};

/// The version of this library; the Java loader refuses a library whose version differs from
/// the jar's.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Called by the JVM when `System.load` loads the library: caches the Java classes and
/// registers every native method, so a signature mismatch fails the load, not the first call.
///
/// Returns `JNI_ERR` (the JVM then throws `UnsatisfiedLinkError`) when a class or method is
/// missing; the reason goes to standard error, since Java logging is not wired up yet.
///
/// # Safety
///
/// Only the JVM calls this, with its own valid `JavaVM` pointer, while loading the library.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub unsafe extern "system" fn JNI_OnLoad(
    vm: *mut jni::sys::JavaVM,
    _reserved: *mut c_void,
) -> jint {
    if vm.is_null() {
        return JNI_ERR;
    }
    // SAFETY: the JVM passes its own, valid `JavaVM` pointer to `JNI_OnLoad`.
    let vm = unsafe { JavaVM::from_raw(vm) };
    let outcome = std::panic::catch_unwind(|| vm.attach_current_thread(on_load));
    match outcome {
        Ok(Ok(())) => JNI_VERSION_1_8,
        Ok(Err(error)) => {
            eprintln!("ecs-jni: cannot initialise the native library: {error}");
            JNI_ERR
        }
        Err(payload) => {
            eprintln!(
                "ecs-jni: initialisation panicked: {}",
                error::panic_message(payload.as_ref())
            );
            JNI_ERR
        }
    }
}

fn on_load(env: &mut Env<'_>) -> jni::errors::Result<()> {
    let classes = classes::init(env)?;
    natives::register(env, &classes.ecs_native)?;
    #[cfg(feature = "testing")]
    testing::register(env)?;
    Ok(())
}
