//! Natives of `EcsObjectStore`'s per-bucket credential operations (CloudStack PR #14170's
//! driver methods): conversion and dispatch to `ecs-driver`, nothing else.
//!
//! A credential crosses as `AccountCredentials` (user id = the credential's id and access
//! key, plus one secret), so no new Java value type is needed.

use jni::Env;
use jni::objects::{JClass, JObject, JString};
use jni::sys::jlong;

use crate::convert::{new_optional_string, string};
use crate::error::BridgeResult;
use crate::store::{block_on, store, store_in};
use crate::values;

type Class<'local> = JClass<'local>;

pub(crate) fn unsupported_reason<'local>(
    env: &mut Env<'local>,
    _class: Class<'local>,
    handle: jlong,
) -> BridgeResult<JString<'local>> {
    let store = store(handle)?;
    let reason = store.bucket_credentials_unsupported_reason();
    new_optional_string(env, reason.as_deref())
}

pub(crate) fn account_supports<'local>(
    env: &mut Env<'local>,
    _class: Class<'local>,
    handle: jlong,
    domain_uuid: JString<'local>,
    account_uuid: JString<'local>,
) -> BridgeResult<bool> {
    let store = store_in(env, handle, &domain_uuid)?;
    let account_uuid = string(env, &account_uuid, "accountUuid")?;
    Ok(block_on(
        store.account_supports_bucket_credentials(&account_uuid),
    )??)
}

pub(crate) fn migrate_account<'local>(
    env: &mut Env<'local>,
    _class: Class<'local>,
    handle: jlong,
    domain_uuid: JString<'local>,
    account_uuid: JString<'local>,
) -> BridgeResult<()> {
    let store = store_in(env, handle, &domain_uuid)?;
    let account_uuid = string(env, &account_uuid, "accountUuid")?;
    Ok(block_on(
        store.migrate_account_for_bucket_credentials(&account_uuid),
    )??)
}

pub(crate) fn rotation_pending<'local>(
    env: &mut Env<'local>,
    _class: Class<'local>,
    handle: jlong,
    domain_uuid: JString<'local>,
    account_uuid: JString<'local>,
) -> BridgeResult<bool> {
    let store = store_in(env, handle, &domain_uuid)?;
    let account_uuid = string(env, &account_uuid, "accountUuid")?;
    Ok(block_on(
        store.is_account_key_rotation_pending(&account_uuid),
    )??)
}

pub(crate) fn rotate_migrated_account_key<'local>(
    env: &mut Env<'local>,
    _class: Class<'local>,
    handle: jlong,
    domain_uuid: JString<'local>,
    account_uuid: JString<'local>,
) -> BridgeResult<JObject<'local>> {
    let store = store_in(env, handle, &domain_uuid)?;
    let account_uuid = string(env, &account_uuid, "accountUuid")?;
    let credentials = block_on(store.rotate_migrated_account_key(&account_uuid))??;
    values::credentials(env, &credentials)
}

pub(crate) fn create<'local>(
    env: &mut Env<'local>,
    _class: Class<'local>,
    handle: jlong,
    domain_uuid: JString<'local>,
    bucket: JString<'local>,
) -> BridgeResult<JObject<'local>> {
    let store = store_in(env, handle, &domain_uuid)?;
    let bucket = string(env, &bucket, "bucket")?;
    let credential = block_on(store.create_bucket_credential(&bucket))??;
    values::credentials(env, &credential.key)
}

pub(crate) fn create_key<'local>(
    env: &mut Env<'local>,
    _class: Class<'local>,
    handle: jlong,
    domain_uuid: JString<'local>,
    bucket: JString<'local>,
) -> BridgeResult<JObject<'local>> {
    let store = store_in(env, handle, &domain_uuid)?;
    let bucket = string(env, &bucket, "bucket")?;
    let key = block_on(store.create_bucket_credential_key(&bucket))??;
    values::credentials(env, &key)
}

pub(crate) fn remove_key<'local>(
    env: &mut Env<'local>,
    _class: Class<'local>,
    handle: jlong,
    domain_uuid: JString<'local>,
    bucket: JString<'local>,
    access_key: JString<'local>,
) -> BridgeResult<()> {
    let store = store_in(env, handle, &domain_uuid)?;
    let bucket = string(env, &bucket, "bucket")?;
    let access_key = string(env, &access_key, "accessKey")?;
    Ok(block_on(
        store.remove_bucket_credential_key(&bucket, &access_key),
    )??)
}

pub(crate) fn delete<'local>(
    env: &mut Env<'local>,
    _class: Class<'local>,
    handle: jlong,
    domain_uuid: JString<'local>,
    bucket: JString<'local>,
) -> BridgeResult<()> {
    let store = store_in(env, handle, &domain_uuid)?;
    let bucket = string(env, &bucket, "bucket")?;
    Ok(block_on(store.delete_bucket_credential(&bucket))??)
}
