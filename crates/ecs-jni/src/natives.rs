//! The table of native methods of `io.ecscloudstack.ecs.EcsNative`, registered in `JNI_OnLoad`.
//!
//! Each entry is a `native_method!`: the Rust function's types are checked against the Java
//! signature at compile time, panics are caught, and the outcome is resolved through
//! [`ThrowEcsException`]. Java method names are the lowerCamelCase of the Rust names.

use jni::objects::{Global, JClass, JString};
use jni::{Env, NativeMethod};

use crate::error::{BridgeResult, ThrowEcsException};
use crate::{credentials, drift, logging, store};

/// A `native_method!` with the crate's error policy.
macro_rules! ecs_native {
    ($($tt:tt)*) => {
        jni::native_method! { error_policy = ThrowEcsException, $($tt)* }
    };
}

/// Every native of `EcsNative`.
const METHODS: &[NativeMethod<'static>] = &[
    ecs_native! { static fn version() -> JString },
    ecs_native! { static fn init_logging(directives: JString) -> jboolean },
    ecs_native! { static fn store_open(url: JString, details: JString[]) -> jlong, fn = store::open },
    ecs_native! { static fn store_close(handle: jlong), fn = store::close },
    ecs_native! { static fn store_check(handle: jlong) -> io.ecscloudstack.ecs.CheckReport, fn = store::check },
    ecs_native! {
        static fn store_ensure_account_user(handle: jlong, domain_uuid: JString, account_uuid: JString, user_id: JString,
            secret_key: JString) -> io.ecscloudstack.ecs.AccountCredentials,
        fn = store::ensure_account_user,
    },
    ecs_native! {
        static fn store_create_bucket(handle: jlong, name: JString, account_uuid: JString, user_id: JString,
            secret_key: JString, quota_gib: java.lang.Long, encryption: jboolean, versioning: jboolean, policy: JString,
            object_lock: jboolean, store_uuid: JString, domain_uuid: JString, project_uuid: JString)
            -> io.ecscloudstack.ecs.CreatedBucket,
        fn = store::create_bucket,
    },
    ecs_native! {
        static fn store_set_versioning(handle: jlong, domain_uuid: JString, bucket: JString, enabled: jboolean),
        fn = store::set_versioning,
    },
    ecs_native! {
        static fn store_set_encryption(handle: jlong, domain_uuid: JString, bucket: JString, enabled: jboolean),
        fn = store::set_encryption,
    },
    ecs_native! { static fn store_set_quota(handle: jlong, domain_uuid: JString, bucket: JString, gib: jlong), fn = store::set_quota },
    ecs_native! {
        static fn store_set_policy(handle: jlong, domain_uuid: JString, bucket: JString, policy: JString),
        fn = store::set_policy,
    },
    ecs_native! {
        static fn store_get_policy(handle: jlong, domain_uuid: JString, bucket: JString) -> JString,
        fn = store::get_policy,
    },
    ecs_native! { static fn store_delete_bucket(handle: jlong, domain_uuid: JString, bucket: JString), fn = store::delete_bucket },
    ecs_native! {
        static fn store_list_buckets(handle: jlong) -> io.ecscloudstack.ecs.BucketSummary[],
        fn = store::list_buckets,
    },
    ecs_native! {
        static fn store_usage(handle: jlong) -> io.ecscloudstack.ecs.BucketUsage[],
        fn = store::usage,
    },
    ecs_native! {
        static fn store_rotate_account_key(handle: jlong, domain_uuid: JString, account_uuid: JString, grace_seconds: jlong)
            -> io.ecscloudstack.ecs.AccountCredentials,
        fn = store::rotate_account_key,
    },
    ecs_native! {
        static fn store_delete_account_user(handle: jlong, domain_uuid: JString, account_uuid: JString),
        fn = store::delete_account_user,
    },
    ecs_native! {
        static fn store_list_objects(handle: jlong, user_id: JString, secret_key: JString, bucket: JString,
            prefix: JString) -> io.ecscloudstack.ecs.ObjectEntry[],
        fn = store::list_objects,
    },
    ecs_native! {
        static fn store_list_versions(handle: jlong, user_id: JString, secret_key: JString, bucket: JString,
            prefix: JString) -> io.ecscloudstack.ecs.ObjectVersionEntry[],
        fn = store::list_versions,
    },
    ecs_native! {
        static fn store_put_object(handle: jlong, user_id: JString, secret_key: JString, bucket: JString,
            key: JString, data: jbyte[]),
        fn = store::put_object,
    },
    ecs_native! {
        static fn store_get_object(handle: jlong, user_id: JString, secret_key: JString, bucket: JString,
            key: JString) -> jbyte[],
        fn = store::get_object,
    },
    ecs_native! {
        static fn store_delete_object(handle: jlong, user_id: JString, secret_key: JString, bucket: JString,
            key: JString),
        fn = store::delete_object,
    },
    ecs_native! {
        static fn store_delete_object_version(handle: jlong, user_id: JString, secret_key: JString, bucket: JString,
            key: JString, version_id: JString),
        fn = store::delete_object_version,
    },
    ecs_native! {
        static fn store_presign_get(handle: jlong, user_id: JString, secret_key: JString, bucket: JString,
            key: JString, seconds: jlong) -> JString,
        fn = store::presign_get,
    },
    // Per-bucket credentials: the extension ahead of CloudStack (PR #14170).
    ecs_native! {
        static fn store_bucket_credentials_unsupported_reason(handle: jlong) -> JString,
        fn = credentials::unsupported_reason,
    },
    ecs_native! {
        static fn store_account_supports_bucket_credentials(handle: jlong, domain_uuid: JString, account_uuid: JString) -> jboolean,
        fn = credentials::account_supports,
    },
    ecs_native! {
        static fn store_migrate_account_for_bucket_credentials(handle: jlong, domain_uuid: JString, account_uuid: JString),
        fn = credentials::migrate_account,
    },
    ecs_native! {
        static fn store_is_account_key_rotation_pending(handle: jlong, domain_uuid: JString, account_uuid: JString) -> jboolean,
        fn = credentials::rotation_pending,
    },
    ecs_native! {
        static fn store_rotate_migrated_account_key(handle: jlong, domain_uuid: JString, account_uuid: JString)
            -> io.ecscloudstack.ecs.AccountCredentials,
        fn = credentials::rotate_migrated_account_key,
    },
    ecs_native! {
        static fn store_create_bucket_credential(handle: jlong, domain_uuid: JString, bucket: JString)
            -> io.ecscloudstack.ecs.AccountCredentials,
        fn = credentials::create,
    },
    ecs_native! {
        static fn store_create_bucket_credential_key(handle: jlong, domain_uuid: JString, bucket: JString)
            -> io.ecscloudstack.ecs.AccountCredentials,
        fn = credentials::create_key,
    },
    ecs_native! {
        static fn store_remove_bucket_credential_key(handle: jlong, domain_uuid: JString, bucket: JString, access_key: JString),
        fn = credentials::remove_key,
    },
    ecs_native! {
        static fn store_delete_bucket_credential(handle: jlong, domain_uuid: JString, bucket: JString),
        fn = credentials::delete,
    },
    // The drift report against CloudStack's rows (read-only).
    ecs_native! {
        static fn store_drift(handle: jlong, rows_json: JString) -> io.ecscloudstack.ecs.DriftReport,
        fn = drift::drift,
    },
];

/// Registers [`METHODS`] on `EcsNative`.
#[allow(unsafe_code)]
pub(crate) fn register(
    env: &mut Env<'_>,
    class: &Global<JClass<'static>>,
) -> jni::errors::Result<()> {
    // SAFETY: every entry comes from `native_method!`, whose wrapper has the `extern "system"`
    // ABI and the argument types of the JNI signature registered with it.
    unsafe { env.register_native_methods(class, METHODS) }
}

fn version<'local>(env: &mut Env<'local>, _class: JClass<'local>) -> BridgeResult<JString<'local>> {
    Ok(env.new_string(crate::VERSION)?)
}

fn init_logging<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
    directives: JString<'local>,
) -> BridgeResult<bool> {
    let directives = crate::convert::optional_string(env, &directives)?;
    Ok(logging::install(directives.as_deref()))
}
