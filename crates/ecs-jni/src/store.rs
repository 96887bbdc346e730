//! Natives of `EcsObjectStore`: open and close, then one dispatcher per `ecs-driver` operation.
//!
//! Each borrows the store behind the handle first (so a closed store answers `CLOSED` whatever
//! the other arguments), converts the arguments, blocks on the shared runtime for the driver's
//! future, and converts the result. No behaviour lives here.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ecs_driver::{
    AccountCredentials, BucketSpec, EcsObjectStore, Ownership, PolicySpec, StoreConfig,
};
use jni::Env;
use jni::objects::{JByteArray, JClass, JObject, JObjectArray, JString};
use jni::sys::jlong;

use crate::convert::{
    bytes, new_optional_string, optional_long, optional_string, string, string_map,
};
use crate::error::BridgeResult;
use crate::{handle, runtime, values};

/// Declares one store native: the JNI signature `(env, class, handle, ...)` and its argument
/// conversion, so that each native reads as its dispatch. Three receivers:
///
/// - `store`: the store behind the handle (`fn check(env, store: store) -> ..`);
/// - `domain`: the store acting for the Java `domainUuid` (see [`store_in`]), followed by the
///   required string arguments with the Java names their errors give (`bucket: "bucket"`);
/// - `browser`: the bucket browser of the owner's credentials `(userId, secretKey)` and the
///   bucket name (see [`browse`]), followed by required strings as for `domain`.
///
/// After `;` come arguments passed through as JNI gives them. The store is borrowed before any
/// argument is converted, so a closed store answers `CLOSED` whatever the other arguments; the
/// strings are converted in the order written. Panics and errors are `native_method!`'s.
macro_rules! store_native {
    (
        $(#[$meta:meta])*
        fn $name:ident($env:ident, store: $store:ident) -> $ret:ty $body:block
    ) => {
        $(#[$meta])*
        pub(crate) fn $name<'local>(
            $env: &mut Env<'local>,
            _class: JClass<'local>,
            handle: jlong,
        ) -> BridgeResult<$ret> {
            let $store = $crate::store::store(handle)?;
            $body
        }
    };
    (
        $(#[$meta:meta])*
        fn $name:ident(
            $env:ident, domain: $store:ident
            $(, $arg:ident: $java:literal)* $(; $($extra:ident: $extra_ty:ty),+)?
        ) -> $ret:ty $body:block
    ) => {
        $(#[$meta])*
        pub(crate) fn $name<'local>(
            $env: &mut Env<'local>,
            _class: JClass<'local>,
            handle: jlong,
            domain_uuid: JString<'local>,
            $($arg: JString<'local>,)*
            $($($extra: $extra_ty,)+)?
        ) -> BridgeResult<$ret> {
            let $store = $crate::store::store_in($env, handle, &domain_uuid)?;
            $(let $arg = $crate::convert::string($env, &$arg, $java)?;)*
            $body
        }
    };
    (
        $(#[$meta:meta])*
        fn $name:ident(
            $env:ident, browser: $browser:ident, $bucket:ident
            $(, $arg:ident: $java:literal)* $(; $($extra:ident: $extra_ty:ty),+)?
        ) -> $ret:ty $body:block
    ) => {
        $(#[$meta])*
        pub(crate) fn $name<'local>(
            $env: &mut Env<'local>,
            _class: JClass<'local>,
            handle: jlong,
            user_id: JString<'local>,
            secret_key: JString<'local>,
            $bucket: JString<'local>,
            $($arg: JString<'local>,)*
            $($($extra: $extra_ty,)+)?
        ) -> BridgeResult<$ret> {
            let ($browser, $bucket) =
                $crate::store::browse($env, handle, &user_id, &secret_key, &$bucket)?;
            $(let $arg = $crate::convert::string($env, &$arg, $java)?;)*
            $body
        }
    };
}
pub(crate) use store_native;

/// What a zero handle is called in the `CLOSED` error.
const STORE: &str = "the object store";

type Class<'local> = JClass<'local>;

/// How many stores are open; the runtime stops when the last one closes.
static OPEN_STORES: AtomicUsize = AtomicUsize::new(0);

pub(crate) fn store(handle: jlong) -> BridgeResult<Arc<EcsObjectStore>> {
    handle::borrow::<EcsObjectStore>(handle, STORE)
}

/// The store behind the handle, acting for the account's domain when Java names one (`null`:
/// none; the driver decides what the domain means under the store's tenancy).
pub(crate) fn store_in(
    env: &Env<'_>,
    handle: jlong,
    domain_uuid: &JString<'_>,
) -> BridgeResult<EcsObjectStore> {
    let store = store(handle)?;
    match optional_string(env, domain_uuid)? {
        Some(domain) => Ok(store.for_domain(&domain)?),
        None => Ok(EcsObjectStore::clone(&store)),
    }
}

/// Runs a driver future to completion on the shared runtime.
pub(crate) fn block_on<F: Future>(future: F) -> BridgeResult<F::Output> {
    Ok(runtime::get()?.block_on(future))
}

/// Stored credentials from a (user id, secret key) pair of Java strings; `None` when the user
/// id is `null`.
fn stored_credentials(
    env: &Env<'_>,
    user_id: &JString<'_>,
    secret_key: &JString<'_>,
) -> BridgeResult<Option<AccountCredentials>> {
    match optional_string(env, user_id)? {
        Some(user_id) => Ok(Some(AccountCredentials::new(
            user_id,
            string(env, secret_key, "secretKey")?,
        ))),
        None => Ok(None),
    }
}

fn required_credentials(
    env: &Env<'_>,
    user_id: &JString<'_>,
    secret_key: &JString<'_>,
) -> BridgeResult<AccountCredentials> {
    Ok(AccountCredentials::new(
        string(env, user_id, "userId")?,
        string(env, secret_key, "secretKey")?,
    ))
}

pub(crate) fn open<'local>(
    env: &mut Env<'local>,
    _class: Class<'local>,
    url: JString<'local>,
    details: JObjectArray<'local, JString<'local>>,
) -> BridgeResult<jlong> {
    let url = optional_string(env, &url)?;
    let details = string_map(env, &details, "details")?;
    let config = StoreConfig::from_store(url.as_deref(), &details)?;
    // Building the clients may start reqwest's pool: do it inside the runtime.
    let store = {
        let runtime = runtime::get()?;
        let _guard = runtime.enter();
        EcsObjectStore::new(config)?
    };
    OPEN_STORES.fetch_add(1, Ordering::SeqCst);
    Ok(handle::into_handle(store))
}

pub(crate) fn close<'local>(
    _env: &mut Env<'local>,
    _class: Class<'local>,
    handle: jlong,
) -> BridgeResult<()> {
    // Only the first close of a live handle closes; any other (again, racing, forged) is a no-op.
    let Some(store) = handle::take::<EcsObjectStore>(handle) else {
        return Ok(());
    };
    // Log out; the handle is already gone even when logging out could not run.
    let logged_out = block_on(store.close());
    drop(store);
    if OPEN_STORES.fetch_sub(1, Ordering::SeqCst) == 1 {
        runtime::shut_down();
    }
    logged_out
}

store_native! {
    fn check(env, store: store) -> JObject<'local> {
        let report = block_on(store.check())?;
        values::check_report(env, &report)
    }
}

store_native! {
    fn ensure_account_user(
        env, domain: store, account_uuid: "accountUuid";
        user_id: JString<'local>, secret_key: JString<'local>
    ) -> JObject<'local> {
        let stored = stored_credentials(env, &user_id, &secret_key)?;
        let credentials = block_on(store.ensure_account_user(&account_uuid, stored))??;
        values::credentials(env, &credentials)
    }
}

#[allow(clippy::too_many_arguments)] // One argument per BucketSpec field, as Java passes them.
pub(crate) fn create_bucket<'local>(
    env: &mut Env<'local>,
    _class: Class<'local>,
    handle: jlong,
    name: JString<'local>,
    account_uuid: JString<'local>,
    user_id: JString<'local>,
    secret_key: JString<'local>,
    quota_gib: JObject<'local>,
    encryption: bool,
    versioning: bool,
    policy: JString<'local>,
    object_lock: bool,
    store_uuid: JString<'local>,
    domain_uuid: JString<'local>,
    project_uuid: JString<'local>,
) -> BridgeResult<JObject<'local>> {
    let store = store(handle)?;
    let ownership = Ownership {
        store_uuid: optional_string(env, &store_uuid)?,
        domain_uuid: optional_string(env, &domain_uuid)?,
        project_uuid: optional_string(env, &project_uuid)?,
    };
    let mut spec = BucketSpec::new(
        string(env, &name, "name")?,
        string(env, &account_uuid, "accountUuid")?,
    );
    spec.credentials = stored_credentials(env, &user_id, &secret_key)?;
    spec.quota_gib = optional_long(env, &quota_gib)?
        .map(|gib| {
            u64::try_from(gib)
                .map_err(|_| ecs_common::Error::invalid_input("quotaGib must not be negative"))
        })
        .transpose()?;
    spec.encryption = encryption;
    spec.versioning = versioning;
    spec.policy = optional_string(env, &policy)?
        .as_deref()
        .map(PolicySpec::parse)
        .transpose()?;
    spec.object_lock = object_lock;
    let created = block_on(store.create_owned_bucket(&spec, &ownership))??;
    values::created_bucket(env, &created)
}

store_native! {
    fn set_versioning(env, domain: store, bucket: "bucket"; enabled: bool) -> () {
        Ok(block_on(store.set_versioning(&bucket, enabled))??)
    }
}

store_native! {
    fn set_encryption(env, domain: store, bucket: "bucket"; enabled: bool) -> () {
        Ok(block_on(store.set_encryption(&bucket, enabled))??)
    }
}

store_native! {
    fn set_quota(env, domain: store, bucket: "bucket"; gib: jlong) -> () {
        let gib = u64::try_from(gib)
            .map_err(|_| ecs_common::Error::invalid_input("quota must not be negative"))?;
        Ok(block_on(store.set_quota(&bucket, gib))??)
    }
}

store_native! {
    fn set_policy(env, domain: store, bucket: "bucket", policy: "policy") -> () {
        let policy = PolicySpec::parse(&policy)?;
        Ok(block_on(store.set_policy(&bucket, &policy))??)
    }
}

store_native! {
    fn get_policy(env, domain: store, bucket: "bucket") -> JString<'local> {
        let policy = block_on(store.get_policy(&bucket))??;
        new_optional_string(env, policy.as_deref())
    }
}

store_native! {
    fn delete_bucket(env, domain: store, bucket: "bucket") -> () {
        Ok(block_on(store.delete_bucket(&bucket))??)
    }
}

store_native! {
    fn list_buckets(env, store: store) -> JObjectArray<'local> {
        let buckets = block_on(store.list_buckets())??;
        values::bucket_summaries(env, &buckets)
    }
}

store_native! {
    fn usage(env, store: store) -> JObjectArray<'local> {
        let usage = block_on(store.usage())??;
        values::bucket_usages(env, &usage)
    }
}

store_native! {
    fn rotate_account_key(
        env, domain: store, account_uuid: "accountUuid"; grace_seconds: jlong
    ) -> JObject<'local> {
        let grace = u64::try_from(grace_seconds)
            .map(Duration::from_secs)
            .map_err(|_| ecs_common::Error::invalid_input("graceSeconds must not be negative"))?;
        let credentials = block_on(store.rotate_account_key(&account_uuid, grace))??;
        values::credentials(env, &credentials)
    }
}

store_native! {
    fn delete_account_user(env, domain: store, account_uuid: "accountUuid") -> () {
        Ok(block_on(store.delete_account_user(&account_uuid))??)
    }
}

/// The bucket browser of `credentials`' owner, and the bucket name, for the object natives.
fn browse(
    env: &Env<'_>,
    handle: jlong,
    user_id: &JString<'_>,
    secret_key: &JString<'_>,
    bucket: &JString<'_>,
) -> BridgeResult<(ecs_driver::BucketBrowser, String)> {
    let store = store(handle)?;
    let credentials = required_credentials(env, user_id, secret_key)?;
    let bucket = string(env, bucket, "bucket")?;
    Ok((store.browser(&credentials)?, bucket))
}

store_native! {
    fn list_objects(
        env, browser: browser, bucket; prefix: JString<'local>
    ) -> JObjectArray<'local> {
        let prefix = optional_string(env, &prefix)?;
        let entries = block_on(browser.list(&bucket, prefix.as_deref()))??;
        values::object_entries(env, &entries)
    }
}

store_native! {
    fn list_versions(
        env, browser: browser, bucket; prefix: JString<'local>
    ) -> JObjectArray<'local> {
        let prefix = optional_string(env, &prefix)?;
        let versions = block_on(browser.versions(&bucket, prefix.as_deref()))??;
        values::version_entries(env, &versions)
    }
}

store_native! {
    // handle, credentials, bucket, key, data: as Java passes them.
    #[allow(clippy::too_many_arguments)]
    fn put_object(env, browser: browser, bucket, key: "key"; data: JByteArray<'local>) -> () {
        let data = bytes(env, &data, "data")?;
        block_on(browser.upload(&bucket, &key, data.into()))??;
        Ok(())
    }
}

store_native! {
    fn get_object(env, browser: browser, bucket, key: "key") -> JByteArray<'local> {
        let data = block_on(browser.download(&bucket, &key, None))??;
        Ok(env.byte_array_from_slice(&data)?)
    }
}

store_native! {
    fn delete_object(env, browser: browser, bucket, key: "key") -> () {
        Ok(block_on(browser.delete(&bucket, &key, None))??)
    }
}

store_native! {
    // handle, credentials, bucket, key, version: as Java passes them.
    #[allow(clippy::too_many_arguments)]
    fn delete_object_version(
        env, browser: browser, bucket, key: "key", version_id: "versionId"
    ) -> () {
        Ok(block_on(browser.delete(&bucket, &key, Some(&version_id)))??)
    }
}

store_native! {
    // handle, credentials, bucket, key, expiry: as Java passes them.
    #[allow(clippy::too_many_arguments)]
    fn presign_get(env, browser: browser, bucket, key: "key"; seconds: jlong) -> JString<'local> {
        let expires = u64::try_from(seconds)
            .map(Duration::from_secs)
            .map_err(|_| ecs_common::Error::invalid_input("seconds must not be negative"))?;
        let url = block_on(browser.presign_get(&bucket, &key, expires))??;
        Ok(env.new_string(url)?)
    }
}
