//! The Java classes and method ids the bridge needs, looked up once in `JNI_OnLoad`.
//!
//! Classes are resolved while the library loads, through the class loader that loaded
//! `NativeLibrary` (JNI's `FindClass` rule for `JNI_OnLoad`), and kept as global references.
//! Later lookups by name would go through the calling thread's loader, which in a servlet
//! container (CloudStack's Jetty) or on a tokio worker may not see the plug-in's classes.

use std::sync::OnceLock;

use jni::Env;
use jni::ids::JStaticMethodID;
use jni::objects::{Global, JClass};
use jni::strings::JNIStr;
use jni::{jni_sig, jni_str};

/// Package of the Java API, in JNI's slash form.
macro_rules! java_class {
    ($name:literal) => {
        jni::jni_str!("io/ecscloudstack/ecs/", $name)
    };
}
#[cfg(feature = "testing")]
pub(crate) use java_class;

/// Global references to the classes the bridge constructs or calls.
#[derive(Debug)]
pub(crate) struct JavaClasses {
    /// `EcsNative`, the holder of every native method.
    pub(crate) ecs_native: Global<JClass<'static>>,
    /// `EcsException(String code, String message, boolean retryable)`.
    pub(crate) ecs_exception: Global<JClass<'static>>,
    /// `AccountCredentials(String userId, String secretKey)`.
    pub(crate) account_credentials: Global<JClass<'static>>,
    /// `CreatedBucket(String name, String url, AccountCredentials credentials)`.
    pub(crate) created_bucket: Global<JClass<'static>>,
    /// `BucketSummary(...)`.
    pub(crate) bucket_summary: Global<JClass<'static>>,
    /// `CheckReport(boolean ok, Check[] checks, String summary)`.
    pub(crate) check_report: Global<JClass<'static>>,
    /// `CheckReport.Check(String name, boolean ok, String detail)`.
    pub(crate) check: Global<JClass<'static>>,
    /// `ObjectEntry(...)`.
    pub(crate) object_entry: Global<JClass<'static>>,
    /// `ObjectVersionEntry(...)`.
    pub(crate) object_version_entry: Global<JClass<'static>>,
    /// `BucketUsage(String bucket, long bytes)`.
    pub(crate) bucket_usage: Global<JClass<'static>>,
    /// `DriftReport(boolean, int, int, int, Finding[])`.
    pub(crate) drift_report: Global<JClass<'static>>,
    /// `DriftReport.Finding(String kind, String subject, String detail)`.
    pub(crate) drift_finding: Global<JClass<'static>>,
    /// `java.lang.Long`, for nullable numbers.
    pub(crate) long: Global<JClass<'static>>,
    /// `NativeLog`, the logging sink of Rust `tracing` events.
    pub(crate) native_log: Global<JClass<'static>>,
    /// `NativeLog.log(int level, String target, String message)`.
    pub(crate) native_log_log: JStaticMethodID,
}

static CLASSES: OnceLock<JavaClasses> = OnceLock::new();

/// Looks every class up and stores them; later calls keep the first set.
pub(crate) fn init(env: &mut Env<'_>) -> jni::errors::Result<&'static JavaClasses> {
    if let Some(classes) = CLASSES.get() {
        return Ok(classes);
    }
    let native_log = global_class(env, java_class!("NativeLog"))?;
    let native_log_log = env.get_static_method_id(
        &native_log,
        jni_str!("log"),
        jni_sig!((level: jint, target: JString, message: JString) -> void),
    )?;
    let classes = JavaClasses {
        ecs_native: global_class(env, java_class!("EcsNative"))?,
        ecs_exception: global_class(env, java_class!("EcsException"))?,
        account_credentials: global_class(env, java_class!("AccountCredentials"))?,
        created_bucket: global_class(env, java_class!("CreatedBucket"))?,
        bucket_summary: global_class(env, java_class!("BucketSummary"))?,
        check_report: global_class(env, java_class!("CheckReport"))?,
        check: global_class(env, java_class!("CheckReport$Check"))?,
        object_entry: global_class(env, java_class!("ObjectEntry"))?,
        object_version_entry: global_class(env, java_class!("ObjectVersionEntry"))?,
        bucket_usage: global_class(env, java_class!("BucketUsage"))?,
        drift_report: global_class(env, java_class!("DriftReport"))?,
        drift_finding: global_class(env, java_class!("DriftReport$Finding"))?,
        long: global_class(env, jni_str!("java/lang/Long"))?,
        native_log,
        native_log_log,
    };
    Ok(CLASSES.get_or_init(|| classes))
}

/// The classes looked up by [`init`]; an error when the library was not loaded by a JVM.
pub(crate) fn get() -> jni::errors::Result<&'static JavaClasses> {
    CLASSES.get().ok_or(jni::errors::Error::NullPtr(
        "ecs-jni classes (JNI_OnLoad has not run)",
    ))
}

fn global_class(env: &mut Env<'_>, name: &JNIStr) -> jni::errors::Result<Global<JClass<'static>>> {
    let class = env.find_class(name)?;
    env.new_global_ref(class)
}
