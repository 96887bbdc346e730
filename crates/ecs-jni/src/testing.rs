//! Testing-only natives of `io.ecscloudstack.ecs.EcsNativeTesting` (cargo feature `testing`).
//!
//! They let the Java suite prove each error path of the bridge: a panic, a driver error of any
//! kind, and a `tracing` event reaching log4j2 (from a Java thread and from a tokio worker) with
//! its secret fields redacted.

use ecs_common::{Error, ErrorKind};
use jni::objects::{JClass, JString};
use jni::{Env, NativeMethod};

use crate::classes::java_class;
use crate::error::{BridgeResult, ThrowEcsException};
use crate::{convert, runtime};

const METHODS: &[NativeMethod<'static>] = &[
    jni::native_method! { error_policy = ThrowEcsException, static fn panic(message: JString) -> jint },
    jni::native_method! { error_policy = ThrowEcsException, static fn fail(code: JString, message: JString) },
    jni::native_method! {
        error_policy = ThrowEcsException,
        static fn log(level: jint, message: JString, secret: JString),
    },
    jni::native_method! {
        error_policy = ThrowEcsException,
        static fn log_from_worker(message: JString) -> JString,
    },
    jni::native_method! { error_policy = ThrowEcsException, static fn panic_in_worker(message: JString) },
];

/// Registers the testing natives on `EcsNativeTesting`, when the test classes are present.
#[allow(unsafe_code)]
pub(crate) fn register(env: &mut Env<'_>) -> jni::errors::Result<()> {
    let class = match env.find_class(java_class!("EcsNativeTesting")) {
        Ok(class) => class,
        Err(_) => {
            // A testing build loaded without the test classes: nothing to register.
            env.exception_clear();
            return Ok(());
        }
    };
    // SAFETY: every entry comes from `native_method!`, which pairs an `extern "system"` wrapper
    // with the JNI signature its argument types were checked against.
    unsafe { env.register_native_methods(class, METHODS) }
}

fn panic<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
    message: JString<'local>,
) -> BridgeResult<i32> {
    let message = convert::string(env, &message, "message")?;
    panic!("{message}");
}

fn fail<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
    code: JString<'local>,
    message: JString<'local>,
) -> BridgeResult<()> {
    let code = convert::string(env, &code, "code")?;
    let message = convert::string(env, &message, "message")?;
    let kind = ErrorKind::from_code(&code)
        .ok_or_else(|| Error::invalid_input(format!("unknown code {code}")))?;
    Err(Error::new(kind, message).into())
}

fn log<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
    level: i32,
    message: JString<'local>,
    secret: JString<'local>,
) -> BridgeResult<()> {
    let message = convert::string(env, &message, "message")?;
    let secret_key = convert::string(env, &secret, "secret")?;
    match level {
        1 => tracing::error!(target: "ecs_jni::testing", secret_key, "{message}"),
        2 => tracing::warn!(target: "ecs_jni::testing", secret_key, "{message}"),
        3 => tracing::info!(target: "ecs_jni::testing", secret_key, "{message}"),
        4 => tracing::debug!(target: "ecs_jni::testing", secret_key, "{message}"),
        _ => tracing::trace!(target: "ecs_jni::testing", secret_key, "{message}"),
    }
    Ok(())
}

/// Emits an info event on a tokio worker thread; returns that thread's name.
fn log_from_worker<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
    message: JString<'local>,
) -> BridgeResult<JString<'local>> {
    let message = convert::string(env, &message, "message")?;
    let runtime = runtime::get()?;
    let worker = runtime.block_on(async move {
        tokio::spawn(async move {
            tracing::info!(target: "ecs_jni::testing", "{message}");
            std::thread::current()
                .name()
                .unwrap_or("unnamed")
                .to_owned()
        })
        .await
    });
    let worker = worker.map_err(|error| Error::internal(format!("worker task failed: {error}")))?;
    Ok(env.new_string(worker)?)
}

/// Panics inside a task on a tokio worker thread; the call fails with `INTERNAL`, the worker
/// and the runtime live on.
fn panic_in_worker<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
    message: JString<'local>,
) -> BridgeResult<()> {
    let message = convert::string(env, &message, "message")?;
    let runtime = runtime::get()?;
    let joined = runtime.block_on(async move {
        tokio::spawn(async move {
            if !message.is_empty() {
                panic!("{message}");
            }
        })
        .await
    });
    joined.map_err(|error| Error::internal(format!("worker task failed: {error}")).into())
}
