//! Natives of `EcsObjectStore`'s per-bucket credential operations (CloudStack PR #14170's
//! driver methods): conversion and dispatch to `ecs-driver`, nothing else.
//!
//! A credential crosses as `AccountCredentials` (user id = the credential's id and access
//! key, plus one secret), so no new Java value type is needed.

use jni::Env;
use jni::objects::{JClass, JObject, JString};
use jni::sys::jlong;

use crate::convert::new_optional_string;
use crate::error::BridgeResult;
use crate::store::{block_on, store_native};
use crate::values;

store_native! {
    fn unsupported_reason(env, store: store) -> JString<'local> {
        let reason = store.bucket_credentials_unsupported_reason();
        new_optional_string(env, reason.as_deref())
    }
}

store_native! {
    fn account_supports(env, domain: store, account_uuid: "accountUuid") -> bool {
        Ok(block_on(store.account_supports_bucket_credentials(&account_uuid))??)
    }
}

store_native! {
    fn migrate_account(env, domain: store, account_uuid: "accountUuid") -> () {
        Ok(block_on(store.migrate_account_for_bucket_credentials(&account_uuid))??)
    }
}

store_native! {
    fn rotation_pending(env, domain: store, account_uuid: "accountUuid") -> bool {
        Ok(block_on(store.is_account_key_rotation_pending(&account_uuid))??)
    }
}

store_native! {
    fn rotate_migrated_account_key(
        env, domain: store, account_uuid: "accountUuid"
    ) -> JObject<'local> {
        let credentials = block_on(store.rotate_migrated_account_key(&account_uuid))??;
        values::credentials(env, &credentials)
    }
}

store_native! {
    fn create(env, domain: store, bucket: "bucket") -> JObject<'local> {
        let credential = block_on(store.create_bucket_credential(&bucket))??;
        values::credentials(env, &credential.key)
    }
}

store_native! {
    fn create_key(env, domain: store, bucket: "bucket") -> JObject<'local> {
        let key = block_on(store.create_bucket_credential_key(&bucket))??;
        values::credentials(env, &key)
    }
}

store_native! {
    fn remove_key(env, domain: store, bucket: "bucket", access_key: "accessKey") -> () {
        Ok(block_on(store.remove_bucket_credential_key(&bucket, &access_key))??)
    }
}

store_native! {
    fn delete(env, domain: store, bucket: "bucket") -> () {
        Ok(block_on(store.delete_bucket_credential(&bucket))??)
    }
}
