//! What a namespace (ECS's tenant) means on the S3 path, kept apart from the S3 operations:
//! its hard quota refuses writes beyond it, its soft quota raises an alert
//! (`GET /vdc/alerts`), and ECS retention (a bucket's default period, an object's
//! `x-emc-retention-period`, or a namespace retention class named by `x-emc-retention-policy`)
//! refuses deletes and overwrites of objects still retained.
//!
//! Sources: ECS 3.6.2 Data Access Guide, "Retention" (S3 head): the larger of the bucket's
//! period and the object's (direct or through its policy) applies; `-1` is infinite. The S3
//! error for a retained object is not documented: the emulator answers 409
//! `ObjectUnderRetention` (inferred).

use http::HeaderMap;
use s3s::{S3Error, S3ErrorCode, S3Result, s3_error};

use super::service::EcsS3;
use crate::state::{Alert, Bucket, RetainedObject};
use crate::storage::WriteOptions;

/// The header giving an object's own retention period in seconds (`-1`: infinite).
const PERIOD_HEADER: &str = "x-emc-retention-period";
/// The header naming a namespace retention class for an object.
const POLICY_HEADER: &str = "x-emc-retention-policy";

const GB: u64 = 1024 * 1024 * 1024;

/// Bytes the namespace's buckets hold (billing's view, test overrides included).
fn namespace_used(s3: &EcsS3, ns: &str) -> u64 {
    let buckets: Vec<String> = s3
        .core
        .state()
        .buckets
        .get(ns)
        .map(|buckets| buckets.keys().cloned().collect())
        .unwrap_or_default();
    buckets
        .iter()
        .map(|bucket| s3.core.usage(ns, bucket).bytes)
        .sum()
}

/// The namespace's (hard, soft) quota in bytes, each when set.
fn namespace_quota(s3: &EcsS3, ns: &str) -> (Option<u64>, Option<u64>) {
    let state = s3.core.state();
    let Ok(namespace) = state.namespace(ns) else {
        return (None, None);
    };
    let bytes = |gb: i64| u64::try_from(gb).ok().map(|gb| gb.saturating_mul(GB));
    (
        bytes(namespace.quota_block),
        bytes(namespace.quota_notification),
    )
}

fn namespace_quota_exceeded(ns: &str) -> S3Error {
    let mut err = S3Error::with_message(
        S3ErrorCode::Custom("QuotaExceeded".into()),
        format!("The hard quota (blockSize) of namespace {ns} does not allow this write"),
    );
    err.set_status_code(http::StatusCode::FORBIDDEN);
    err
}

/// Makes a write into `bucket` respect the namespace's hard quota as well as the bucket's:
/// whichever leaves less room is the one the storage checks. A write whose announced length
/// cannot fit the namespace is refused here, before its body is read.
pub(crate) fn within_namespace_quota(
    s3: &EcsS3,
    ns: &str,
    bucket: &str,
    mut opts: WriteOptions,
) -> S3Result<WriteOptions> {
    let (Some(hard), _) = namespace_quota(s3, ns) else {
        return Ok(opts);
    };
    let used = namespace_used(s3, ns);
    let full = match opts.content_length {
        Some(length) => used.saturating_add(length) > hard,
        None => used >= hard,
    };
    if full {
        return Err(namespace_quota_exceeded(ns));
    }
    let stored = s3.storage.usage(ns, bucket).bytes;
    let namespace_room = hard - used;
    let bucket_room = opts
        .quota
        .map(|quota| quota.saturating_sub(stored.saturating_add(opts.extra_usage)));
    if bucket_room.is_none_or(|room| room > namespace_room) {
        // Counting the rest of the namespace as "extra" makes the storage's check the
        // namespace's: room = hard - (stored + the other buckets).
        opts.quota = Some(hard);
        opts.extra_usage = used.saturating_sub(stored);
    }
    Ok(opts)
}

/// Raises the namespace's soft-quota alert when its buckets hold more than the notification
/// size (once, until acknowledged).
pub(crate) fn note_namespace_soft_quota(s3: &EcsS3, ns: &str) {
    let (_, Some(soft)) = namespace_quota(s3, ns) else {
        return;
    };
    let used = namespace_used(s3, ns);
    if used <= soft {
        return;
    }
    let now = s3.core.clock.now_ms();
    let mut state = s3.core.state();
    let open = state.alerts.iter().any(|alert| {
        alert.namespace == ns && alert.kind == Alert::SOFT_QUOTA && !alert.acknowledged
    });
    if !open {
        let id = format!("{:08x}", state.alerts.len() + 1);
        state.alerts.push(Alert {
            id,
            kind: Alert::SOFT_QUOTA.to_owned(),
            severity: "WARNING".to_owned(),
            timestamp_ms: now,
            namespace: ns.to_owned(),
            description: format!(
                "Namespace {ns} uses {used} bytes, above its soft quota (notificationSize) of {soft} bytes"
            ),
            acknowledged: false,
        });
    }
}

/// The retention an object write asks for through ECS's headers (validated: a policy must be
/// a retention class of the namespace).
pub(crate) fn requested_retention(
    s3: &EcsS3,
    ns: &str,
    headers: &HeaderMap,
) -> S3Result<Option<RetainedObject>> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
    };
    let period = match text(PERIOD_HEADER) {
        None => None,
        Some(value) => match value.parse::<i64>() {
            Ok(period) if period >= -1 => Some(period),
            _ => {
                return Err(s3_error!(
                    InvalidArgument,
                    "x-emc-retention-period must be a number of seconds or -1"
                ));
            }
        },
    };
    let policy = text(POLICY_HEADER);
    if let Some(policy) = &policy {
        let state = s3.core.state();
        let known = state
            .namespace(ns)
            .is_ok_and(|namespace| namespace.retention_classes.contains_key(policy));
        if !known {
            return Err(s3_error!(
                InvalidArgument,
                "Namespace {ns} has no retention class {policy}"
            ));
        }
    }
    Ok((period.is_some() || policy.is_some()).then_some(RetainedObject { period, policy }))
}

/// Remembers (or forgets) the retention of the object just written at `key`.
pub(crate) fn record_retention(
    s3: &EcsS3,
    ns: &str,
    bucket: &str,
    key: &str,
    retention: Option<RetainedObject>,
) {
    s3.core.update_bucket(ns, bucket, |meta| match retention {
        Some(retention) => {
            meta.retained.insert(key.to_owned(), retention);
        }
        None => {
            meta.retained.remove(key);
        }
    });
}

/// Refuses to delete or overwrite `key` while ECS retention holds its current version.
pub(crate) fn check_retention(s3: &EcsS3, ns: &str, meta: &Bucket, key: &str) -> S3Result<()> {
    let object = meta.retained.get(key);
    let class_period = object
        .and_then(|object| object.policy.as_ref())
        .and_then(|policy| {
            let state = s3.core.state();
            state
                .namespace(ns)
                .ok()
                .and_then(|namespace| namespace.retention_classes.get(policy).copied())
        });
    let periods = [
        (meta.retention > 0).then_some(meta.retention),
        object.and_then(|object| object.period),
        class_period,
    ];
    let infinite = periods.contains(&Some(-1));
    let longest = periods.iter().flatten().copied().max().unwrap_or(0);
    if !infinite && longest <= 0 {
        return Ok(());
    }
    let Ok(current) = s3.storage.get_object(ns, &meta.name, key, None) else {
        return Ok(());
    };
    if current.is_delete_marker() {
        return Ok(());
    }
    let age = (s3.core.clock.now() - current.last_modified).whole_seconds();
    if infinite || age < longest {
        let mut err = S3Error::with_message(
            S3ErrorCode::Custom("ObjectUnderRetention".into()),
            format!("Object {key} is under retention and cannot be deleted or overwritten"),
        );
        err.set_status_code(http::StatusCode::CONFLICT);
        return Err(err);
    }
    Ok(())
}
