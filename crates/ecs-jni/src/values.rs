//! Java value objects built from the driver's results (`AccountCredentials`, `CreatedBucket`,
//! `BucketSummary`, `CheckReport`, `ObjectEntry`, `ObjectVersionEntry`, `BucketUsage`).
//!
//! Each is made through its package-private constructor on the class cached at load time.

use std::collections::BTreeMap;
use std::time::SystemTime;

use ecs_common::ExposeSecret as _;
use ecs_driver::{
    AccountCredentials, BucketSummary, Check, CheckReport, CreatedBucket, ListEntry, VersionEntry,
};
use jni::objects::{JObject, JObjectArray, JValue};
use jni::{Env, jni_sig};

use crate::classes;
use crate::convert::{new_optional_long, new_optional_string, object_array};
use crate::error::BridgeResult;

/// `new AccountCredentials(userId, secretKey)`.
pub(crate) fn credentials<'local>(
    env: &mut Env<'local>,
    credentials: &AccountCredentials,
) -> BridgeResult<JObject<'local>> {
    let user_id = env.new_string(&credentials.user_id)?;
    let secret_key = env.new_string(credentials.secret_key.expose_secret())?;
    Ok(env.new_object(
        &classes::get()?.account_credentials,
        jni_sig!((user_id: JString, secret_key: JString) -> void),
        &[JValue::Object(&user_id), JValue::Object(&secret_key)],
    )?)
}

/// `new CreatedBucket(name, url, credentials)`.
pub(crate) fn created_bucket<'local>(
    env: &mut Env<'local>,
    bucket: &CreatedBucket,
) -> BridgeResult<JObject<'local>> {
    let name = env.new_string(&bucket.name)?;
    let url = env.new_string(&bucket.url)?;
    let credentials = credentials(env, &bucket.credentials)?;
    Ok(env.new_object(
        &classes::get()?.created_bucket,
        jni_sig!((name: JString, url: JString, credentials: io.ecscloudstack.ecs.AccountCredentials, versioning: jboolean) -> void),
        &[
            JValue::Object(&name),
            JValue::Object(&url),
            JValue::Object(&credentials),
            JValue::Bool(bucket.versioning),
        ],
    )?)
}

/// `BucketSummary[]`; a missing quota is `null`.
pub(crate) fn bucket_summaries<'local>(
    env: &mut Env<'local>,
    buckets: &[BucketSummary],
) -> BridgeResult<JObjectArray<'local>> {
    let classes = classes::get()?;
    object_array(env, &classes.bucket_summary, buckets, |env, bucket| {
        let name = env.new_string(&bucket.name)?;
        let owner = new_optional_string(env, bucket.owner.as_deref())?;
        let created = new_optional_string(env, bucket.created.as_deref())?;
        let quota = new_optional_long(env, bucket.quota_gib.map(saturating_i64))?;
        Ok(env.new_object(
            &classes.bucket_summary,
            jni_sig!((name: JString, owner: JString, created: JString, quota_gib: java.lang.Long,
                encryption: jboolean, versioning: jboolean) -> void),
            &[
                JValue::Object(&name),
                JValue::Object(&owner),
                JValue::Object(&created),
                JValue::Object(&quota),
                JValue::Bool(bucket.encryption),
                JValue::Bool(bucket.versioning),
            ],
        )?)
    })
}

/// `new CheckReport(ok, Check[], summary)`: the summary is the driver's, not re-made in Java.
pub(crate) fn check_report<'local>(
    env: &mut Env<'local>,
    report: &CheckReport,
) -> BridgeResult<JObject<'local>> {
    let classes = classes::get()?;
    let checks = object_array(env, &classes.check, &report.checks, |env, check: &Check| {
        let name = env.new_string(&check.name)?;
        let detail = env.new_string(&check.detail)?;
        Ok(env.new_object(
            &classes.check,
            jni_sig!((name: JString, ok: jboolean, detail: JString) -> void),
            &[
                JValue::Object(&name),
                JValue::Bool(check.ok),
                JValue::Object(&detail),
            ],
        )?)
    })?;
    let summary = env.new_string(report.summary())?;
    Ok(env.new_object(
        &classes.check_report,
        jni_sig!((ok: jboolean, checks: io.ecscloudstack.ecs.CheckReport::Check[], summary: JString) -> void),
        &[
            JValue::Bool(report.ok),
            JValue::Object(&checks),
            JValue::Object(&summary),
        ],
    )?)
}

/// `ObjectEntry[]`: objects and common prefixes in listing order.
pub(crate) fn object_entries<'local>(
    env: &mut Env<'local>,
    entries: &[ListEntry],
) -> BridgeResult<JObjectArray<'local>> {
    let classes = classes::get()?;
    object_array(env, &classes.object_entry, entries, |env, entry| {
        let (key, size, modified, etag, prefix) = match entry {
            ListEntry::Object(object) => (
                object.key.as_str(),
                object.size,
                millis(object.last_modified),
                object.etag.as_deref(),
                false,
            ),
            ListEntry::CommonPrefix(prefix) => (prefix.as_str(), 0, -1, None, true),
        };
        let key = env.new_string(key)?;
        let etag = new_optional_string(env, etag)?;
        Ok(env.new_object(
            &classes.object_entry,
            jni_sig!((key: JString, size: jlong, last_modified_millis: jlong, etag: JString, prefix: jboolean) -> void),
            &[
                JValue::Object(&key),
                JValue::Long(saturating_i64(size)),
                JValue::Long(modified),
                JValue::Object(&etag),
                JValue::Bool(prefix),
            ],
        )?)
    })
}

/// `ObjectVersionEntry[]`.
pub(crate) fn version_entries<'local>(
    env: &mut Env<'local>,
    versions: &[VersionEntry],
) -> BridgeResult<JObjectArray<'local>> {
    let classes = classes::get()?;
    object_array(
        env,
        &classes.object_version_entry,
        versions,
        |env, version| {
            let key = env.new_string(&version.key)?;
            let version_id = env.new_string(&version.version_id)?;
            Ok(env.new_object(
            &classes.object_version_entry,
            jni_sig!((key: JString, version_id: JString, latest: jboolean, delete_marker: jboolean, size: jlong,
                last_modified_millis: jlong) -> void),
            &[
                JValue::Object(&key),
                JValue::Object(&version_id),
                JValue::Bool(version.is_latest),
                JValue::Bool(version.is_delete_marker),
                JValue::Long(saturating_i64(version.size)),
                JValue::Long(millis(version.last_modified)),
            ],
        )?)
        },
    )
}

/// `BucketUsage[]`, in bucket-name order.
pub(crate) fn bucket_usages<'local>(
    env: &mut Env<'local>,
    usage: &BTreeMap<String, u64>,
) -> BridgeResult<JObjectArray<'local>> {
    let classes = classes::get()?;
    let rows: Vec<(&String, &u64)> = usage.iter().collect();
    object_array(env, &classes.bucket_usage, &rows, |env, (bucket, bytes)| {
        let bucket = env.new_string(bucket)?;
        Ok(env.new_object(
            &classes.bucket_usage,
            jni_sig!((bucket: JString, bytes: jlong) -> void),
            &[
                JValue::Object(&bucket),
                JValue::Long(saturating_i64(**bytes)),
            ],
        )?)
    })
}

/// Milliseconds since the epoch, or -1 when unknown (or before 1970).
fn millis(time: Option<SystemTime>) -> i64 {
    time.and_then(|time| time.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(-1, |since| {
            i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
        })
}

/// A size or count as a Java `long`, saturating at `Long.MAX_VALUE`.
fn saturating_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn times_become_epoch_millis_or_minus_one() {
        assert_eq!(millis(None), -1);
        assert_eq!(
            millis(Some(SystemTime::UNIX_EPOCH + Duration::from_millis(1_500))),
            1_500
        );
        assert_eq!(
            millis(Some(SystemTime::UNIX_EPOCH - Duration::from_secs(1))),
            -1
        );
    }

    #[test]
    fn sizes_saturate() {
        assert_eq!(saturating_i64(42), 42);
        assert_eq!(saturating_i64(u64::MAX), i64::MAX);
    }
}
