//! S3 Object Lock, as ECS 3.6.2 and later answer it: buckets created with
//! `x-amz-bucket-object-lock-enabled: true` (versioning forced on), the bucket's default retention
//! (`GOVERNANCE`/`COMPLIANCE`, `Days` or `Years`), per-version retention and legal hold, and
//! `x-amz-bypass-governance-retention`.
//!
//! The bucket's configuration is the management state's (`Bucket::object_lock`, which the
//! management API's `object-lock-config` also reads and writes); a version's retention and legal
//! hold are stored with it ([`crate::storage::ObjectMeta`]). Error codes and messages are S3's:
//! a locked version refused with 403 `AccessDenied`, a bucket without Object Lock with 400
//! `InvalidRequest`, a missing configuration with 404 `ObjectLockConfigurationNotFoundError` or
//! `NoSuchObjectLockConfiguration`, versioning changes with 409 `InvalidBucketState`.
//! Below ECS 3.6.2 every Object Lock request is `NotImplemented` ([`supported`]).

use s3s::dto::*;
use s3s::{S3Error, S3ErrorCode, S3Request, S3Response, S3Result, s3_error};
use time::OffsetDateTime;

use super::auth::{Need, authorize};
use super::convert::{caller, object_lock_unsupported, storage_error, timestamp};
use super::service::EcsS3;
use crate::state::Bucket;
use crate::storage::{ObjectVersion, Retention, StorageError};

type Out<T> = S3Result<S3Response<T>>;

/// S3's message for a version an Object Lock protects.
pub(crate) const PROTECTED: &str = "Access Denied because object protected by object lock.";

const GOVERNANCE: &str = "GOVERNANCE";
const COMPLIANCE: &str = "COMPLIANCE";
const DAY_MS: i64 = 86_400_000;

/// Refuses Object Lock on an ECS release that lacks it (before 3.6.2).
pub(crate) fn supported(s3: &EcsS3) -> S3Result<()> {
    if s3.core.ecs_version.has_object_lock() {
        Ok(())
    } else {
        Err(object_lock_unsupported())
    }
}

/// The bucket must have Object Lock enabled for per-object settings.
fn require_lock_bucket(meta: &Bucket) -> S3Result<()> {
    if meta.object_lock.enabled {
        Ok(())
    } else {
        Err(s3_error!(
            InvalidRequest,
            "Bucket is missing Object Lock Configuration"
        ))
    }
}

fn ms_of(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn date_of(ms: i64) -> Timestamp {
    let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    timestamp(at)
}

fn valid_mode(mode: &str) -> S3Result<String> {
    match mode {
        GOVERNANCE | COMPLIANCE => Ok(mode.to_owned()),
        _ => Err(s3_error!(InvalidArgument, "Unknown wormMode directive.")),
    }
}

/// Whether a caller may bypass governance-mode retention: the header, and the bucket owner or a
/// policy granting `s3:BypassGovernanceRetention`.
pub(crate) fn may_bypass(
    s3: &EcsS3,
    uid: Option<&str>,
    ns: &str,
    bucket: &str,
    key: &str,
    header: Option<bool>,
) -> bool {
    header == Some(true)
        && authorize(
            &s3.core,
            uid,
            ns,
            bucket,
            Some(key),
            Need::Action("s3:BypassGovernanceRetention"),
        )
        .is_ok()
}

/// Whether `version` may be removed for good now: refused while a legal hold is on, while a
/// compliance retention lasts, and while a governance retention lasts unless bypassed.
///
/// This is the Object Lock part of deleting a version; other protections (ECS retention
/// periods, quotas) are checked by their own functions.
pub(crate) fn check_version_delete(
    version: &ObjectVersion,
    bypass: bool,
    now_ms: i64,
) -> S3Result<()> {
    let Some(data) = &version.data else {
        return Ok(()); // delete markers carry no lock
    };
    let meta = &data.meta;
    let retained = meta.retention.as_ref().is_some_and(|r| r.until_ms > now_ms);
    let governance_only = meta
        .retention
        .as_ref()
        .is_some_and(|r| r.mode == GOVERNANCE);
    if meta.legal_hold == Some(true) || (retained && !(governance_only && bypass)) {
        return Err(S3Error::with_message(S3ErrorCode::AccessDenied, PROTECTED));
    }
    Ok(())
}

/// The Object Lock check before `DELETE ?versionId=` (one key of a DeleteObjects too): looks the
/// version up and applies [`check_version_delete`]. A delete without a version id only adds a
/// delete marker, which Object Lock allows.
pub(crate) fn permits_delete(
    s3: &EcsS3,
    ns: &str,
    bucket: &str,
    key: &str,
    version_id: Option<&str>,
    bypass: bool,
) -> S3Result<()> {
    let Some(version_id) = version_id else {
        return Ok(());
    };
    match s3.storage.get_object(ns, bucket, key, Some(version_id)) {
        Ok(version) => check_version_delete(&version, bypass, s3.core.clock.now_ms()),
        // A delete marker or a missing version holds nothing.
        Err(_) => Ok(()),
    }
}

/// Retention and legal hold of a new object version: the request's
/// `x-amz-object-lock-mode`/`-retain-until-date`/`-legal-hold`, else the bucket's default
/// retention. Refused in a bucket without Object Lock.
pub(crate) fn for_new_version(
    s3: &EcsS3,
    meta: &Bucket,
    mode: Option<&ObjectLockMode>,
    until: Option<&Timestamp>,
    hold: Option<&ObjectLockLegalHoldStatus>,
) -> S3Result<(Option<Retention>, Option<bool>)> {
    let asked = mode.is_some() || until.is_some() || hold.is_some();
    if asked {
        supported(s3)?;
        require_lock_bucket(meta)?;
    }
    let now = s3.core.clock.now();
    let retention = match (mode, until) {
        (Some(mode), Some(until)) => {
            let mode = valid_mode(mode.as_str())?;
            let until_ms = ms_of(OffsetDateTime::from(until.clone()));
            if until_ms <= ms_of(now) {
                return Err(s3_error!(
                    InvalidArgument,
                    "The retain until date must be in the future!"
                ));
            }
            Some(Retention { mode, until_ms })
        }
        (None, None) => default_retention(meta, ms_of(now)),
        _ => {
            return Err(s3_error!(
                InvalidArgument,
                "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied"
            ));
        }
    };
    let hold = hold.map(|h| legal_hold_status(h.as_str())).transpose()?;
    Ok((retention, hold))
}

/// The bucket's default retention applied to a version written at `now_ms`.
fn default_retention(meta: &Bucket, now_ms: i64) -> Option<Retention> {
    let lock = &meta.object_lock;
    if !lock.enabled {
        return None;
    }
    let mode = lock.mode.clone()?;
    let days = lock
        .days
        .or_else(|| lock.years.map(|y| y.saturating_mul(365)))?;
    Some(Retention {
        mode,
        until_ms: now_ms.saturating_add(days.saturating_mul(DAY_MS)),
    })
}

fn legal_hold_status(status: &str) -> S3Result<bool> {
    match status {
        "ON" => Ok(true),
        "OFF" => Ok(false),
        _ => Err(s3_error!(
            MalformedXML,
            "The legal hold status must be ON or OFF"
        )),
    }
}

/// The Object Lock headers of a GET/HEAD answer: (mode, retain-until date, legal hold).
pub(crate) fn headers(
    meta: &crate::storage::ObjectMeta,
) -> (
    Option<ObjectLockMode>,
    Option<Timestamp>,
    Option<ObjectLockLegalHoldStatus>,
) {
    let mode = meta
        .retention
        .as_ref()
        .map(|r| ObjectLockMode::from(r.mode.clone()));
    let until = meta.retention.as_ref().map(|r| date_of(r.until_ms));
    let hold = meta.legal_hold.map(|on| {
        ObjectLockLegalHoldStatus::from_static(if on {
            ObjectLockLegalHoldStatus::ON
        } else {
            ObjectLockLegalHoldStatus::OFF
        })
    });
    (mode, until, hold)
}

/// `CreateBucket` with `x-amz-bucket-object-lock-enabled: true`, after the bucket exists.
pub(crate) fn enable_on_new_bucket(s3: &EcsS3, ns: &str, bucket: &str) {
    s3.core.enable_object_lock(ns, bucket);
}

pub(crate) fn get_object_lock_configuration(
    s3: &EcsS3,
    req: S3Request<GetObjectLockConfigurationInput>,
) -> Out<GetObjectLockConfigurationOutput> {
    supported(s3)?;
    let (_, meta) = s3.bucket(&req, &req.input.bucket)?;
    let lock = &meta.object_lock;
    if !lock.enabled {
        return Err(s3_error!(
            ObjectLockConfigurationNotFoundError,
            "Object Lock configuration does not exist for this bucket"
        ));
    }
    let rule = lock.mode.as_ref().map(|mode| ObjectLockRule {
        default_retention: Some(DefaultRetention {
            mode: Some(ObjectLockRetentionMode::from(mode.clone())),
            days: lock.days.and_then(|d| i32::try_from(d).ok()),
            years: lock.years.and_then(|y| i32::try_from(y).ok()),
        }),
    });
    Ok(S3Response::new(GetObjectLockConfigurationOutput {
        object_lock_configuration: Some(ObjectLockConfiguration {
            object_lock_enabled: Some(ObjectLockEnabled::from_static(ObjectLockEnabled::ENABLED)),
            rule,
        }),
    }))
}

/// The default retention of a `PutObjectLockConfiguration` body: `None` for no rule.
type DefaultRule = Option<(String, Option<i64>, Option<i64>)>;

fn parse_default_rule(config: &ObjectLockConfiguration) -> S3Result<DefaultRule> {
    if config
        .object_lock_enabled
        .as_ref()
        .is_none_or(|e| e.as_str() != ObjectLockEnabled::ENABLED)
    {
        return Err(s3_error!(
            MalformedXML,
            "The XML you provided was not well-formed or did not validate against our published schema"
        ));
    }
    let Some(retention) = config
        .rule
        .as_ref()
        .and_then(|r| r.default_retention.as_ref())
    else {
        return Ok(None);
    };
    let mode = retention.mode.as_ref().ok_or_else(|| {
        s3_error!(
            MalformedXML,
            "The XML you provided was not well-formed or did not validate against our published schema"
        )
    })?;
    let mode = valid_mode(mode.as_str())?;
    match (retention.days, retention.years) {
        (Some(n), None) | (None, Some(n)) if n <= 0 => Err(s3_error!(
            InvalidArgument,
            "Default retention period must be a positive integer value."
        )),
        (Some(days), None) => Ok(Some((mode, Some(i64::from(days)), None))),
        (None, Some(years)) => Ok(Some((mode, None, Some(i64::from(years))))),
        _ => Err(s3_error!(
            MalformedXML,
            "The XML you provided was not well-formed or did not validate against our published schema"
        )),
    }
}

pub(crate) fn put_object_lock_configuration(
    s3: &EcsS3,
    req: S3Request<PutObjectLockConfigurationInput>,
) -> Out<PutObjectLockConfigurationOutput> {
    supported(s3)?;
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let config = req.input.object_lock_configuration.as_ref().ok_or_else(|| {
        s3_error!(
            MalformedXML,
            "The XML you provided was not well-formed or did not validate against our published schema"
        )
    })?;
    let rule = parse_default_rule(config)?;
    if !meta.object_lock.enabled {
        return Err(s3_error!(
            InvalidBucketState,
            "Object Lock configuration cannot be enabled on existing buckets"
        ));
    }
    s3.core.set_object_lock_default(&ns, &meta.name, rule);
    Ok(S3Response::new(PutObjectLockConfigurationOutput::default()))
}

fn no_configuration() -> S3Error {
    s3_error!(
        NoSuchObjectLockConfiguration,
        "The specified object does not have a ObjectLock configuration"
    )
}

/// The namespace and model of an object-lock bucket a lock call names: `NotImplemented` before
/// ECS 3.6.2, `InvalidRequest` for a bucket without object lock.
fn lock_bucket<T>(s3: &EcsS3, req: &S3Request<T>, bucket: &str) -> S3Result<(String, Bucket)> {
    supported(s3)?;
    let (ns, meta) = s3.bucket(req, bucket)?;
    require_lock_bucket(&meta)?;
    Ok((ns, meta))
}

/// The stored version a Get Object Retention or Legal Hold call reads.
fn read_version(
    s3: &EcsS3,
    ns: &str,
    bucket: &str,
    key: &str,
    version_id: Option<&str>,
) -> S3Result<ObjectVersion> {
    s3.storage
        .get_object(ns, bucket, key, version_id)
        .map_err(storage_error)
}

pub(crate) fn get_object_retention(
    s3: &EcsS3,
    req: S3Request<GetObjectRetentionInput>,
) -> Out<GetObjectRetentionOutput> {
    let (ns, meta) = lock_bucket(s3, &req, &req.input.bucket)?;
    let input = &req.input;
    let version = read_version(s3, &ns, &meta.name, &input.key, input.version_id.as_deref())?;
    let retention = version
        .data
        .and_then(|d| d.meta.retention)
        .ok_or_else(no_configuration)?;
    Ok(S3Response::new(GetObjectRetentionOutput {
        retention: Some(ObjectLockRetention {
            mode: Some(ObjectLockRetentionMode::from(retention.mode)),
            retain_until_date: Some(date_of(retention.until_ms)),
        }),
    }))
}

/// Whether replacing `old` by `new` needs no bypass: a retention may be lengthened, or turned
/// from governance to compliance; anything else needs a bypass (and is never allowed on a
/// compliance retention still running).
fn retention_change(
    old: Option<&Retention>,
    new: Option<&Retention>,
    bypass: bool,
    now_ms: i64,
) -> S3Result<()> {
    let Some(old) = old.filter(|o| o.until_ms > now_ms) else {
        return Ok(());
    };
    let stricter = new.is_some_and(|n| {
        n.until_ms >= old.until_ms && (n.mode == old.mode || n.mode == COMPLIANCE)
    });
    if stricter || (old.mode == GOVERNANCE && bypass) {
        Ok(())
    } else {
        Err(S3Error::with_message(S3ErrorCode::AccessDenied, PROTECTED))
    }
}

pub(crate) fn put_object_retention(
    s3: &EcsS3,
    req: S3Request<PutObjectRetentionInput>,
) -> Out<PutObjectRetentionOutput> {
    let (ns, meta) = lock_bucket(s3, &req, &req.input.bucket)?;
    let input = &req.input;
    let uid = caller(&req)?.uid;
    let now_ms = s3.core.clock.now_ms();
    let new = match input
        .retention
        .as_ref()
        .map(|r| (r.mode.as_ref(), r.retain_until_date.as_ref()))
    {
        None | Some((None, None)) => None,
        Some((Some(mode), Some(until))) => {
            let mode = valid_mode(mode.as_str())?;
            let until_ms = ms_of(OffsetDateTime::from(until.clone()));
            if until_ms <= now_ms {
                return Err(s3_error!(
                    InvalidArgument,
                    "The retain until date must be in the future!"
                ));
            }
            Some(Retention { mode, until_ms })
        }
        Some(_) => {
            return Err(s3_error!(
                MalformedXML,
                "The XML you provided was not well-formed or did not validate against our published schema"
            ));
        }
    };
    let bypass = may_bypass(
        s3,
        uid.as_deref(),
        &ns,
        &meta.name,
        &input.key,
        input.bypass_governance_retention,
    );
    s3.storage
        .update_version(
            &ns,
            &meta.name,
            &input.key,
            input.version_id.as_deref(),
            |version| {
                let Some(data) = version.data.as_mut() else {
                    return Err(storage_error(StorageError::DeleteMarker));
                };
                retention_change(data.meta.retention.as_ref(), new.as_ref(), bypass, now_ms)?;
                data.meta.retention = new;
                Ok(())
            },
        )
        .map_err(storage_error)??;
    Ok(S3Response::new(PutObjectRetentionOutput::default()))
}

pub(crate) fn get_object_legal_hold(
    s3: &EcsS3,
    req: S3Request<GetObjectLegalHoldInput>,
) -> Out<GetObjectLegalHoldOutput> {
    let (ns, meta) = lock_bucket(s3, &req, &req.input.bucket)?;
    let input = &req.input;
    let version = read_version(s3, &ns, &meta.name, &input.key, input.version_id.as_deref())?;
    let on = version
        .data
        .and_then(|d| d.meta.legal_hold)
        .ok_or_else(no_configuration)?;
    let status = if on {
        ObjectLockLegalHoldStatus::ON
    } else {
        ObjectLockLegalHoldStatus::OFF
    };
    Ok(S3Response::new(GetObjectLegalHoldOutput {
        legal_hold: Some(ObjectLockLegalHold {
            status: Some(ObjectLockLegalHoldStatus::from_static(status)),
        }),
    }))
}

pub(crate) fn put_object_legal_hold(
    s3: &EcsS3,
    req: S3Request<PutObjectLegalHoldInput>,
) -> Out<PutObjectLegalHoldOutput> {
    let (ns, meta) = lock_bucket(s3, &req, &req.input.bucket)?;
    let input = &req.input;
    let status = input
        .legal_hold
        .as_ref()
        .and_then(|h| h.status.as_ref())
        .ok_or_else(|| {
            s3_error!(
                MalformedXML,
                "The XML you provided was not well-formed or did not validate against our published schema"
            )
        })?;
    let on = legal_hold_status(status.as_str())?;
    s3.storage
        .update_version(
            &ns,
            &meta.name,
            &input.key,
            input.version_id.as_deref(),
            |version| match version.data.as_mut() {
                Some(data) => {
                    data.meta.legal_hold = Some(on);
                    Ok(())
                }
                None => Err(storage_error(StorageError::DeleteMarker)),
            },
        )
        .map_err(storage_error)??;
    Ok(S3Response::new(PutObjectLegalHoldOutput::default()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::{ObjectData, ObjectMeta};

    fn version(retention: Option<(&str, i64)>, hold: Option<bool>) -> ObjectVersion {
        ObjectVersion {
            version_id: "v".to_owned(),
            last_modified: OffsetDateTime::UNIX_EPOCH,
            data: Some(ObjectData {
                body: crate::storage::Blob::default(),
                etag: String::new(),
                meta: ObjectMeta {
                    retention: retention.map(|(mode, until_ms)| Retention {
                        mode: mode.to_owned(),
                        until_ms,
                    }),
                    legal_hold: hold,
                    ..ObjectMeta::default()
                },
            }),
        }
    }

    #[test]
    fn deletes_follow_mode_hold_and_bypass() {
        let now = 1_000;
        assert!(check_version_delete(&version(None, None), false, now).is_ok());
        assert!(
            check_version_delete(&version(Some(("GOVERNANCE", 500)), None), false, now).is_ok()
        );
        let gov = version(Some(("GOVERNANCE", 5_000)), None);
        let err = check_version_delete(&gov, false, now).expect_err("retained");
        assert_eq!(err.code(), &S3ErrorCode::AccessDenied);
        assert_eq!(err.message(), Some(PROTECTED));
        assert!(check_version_delete(&gov, true, now).is_ok());
        let comp = version(Some(("COMPLIANCE", 5_000)), None);
        assert!(check_version_delete(&comp, true, now).is_err());
        let held = version(None, Some(true));
        assert!(check_version_delete(&held, true, now).is_err());
        assert!(check_version_delete(&version(None, Some(false)), false, now).is_ok());
    }

    #[test]
    fn retention_may_grow_but_shrinks_only_by_bypassing_governance() {
        let r = |mode: &str, until_ms| Retention {
            mode: mode.to_owned(),
            until_ms,
        };
        let now = 0;
        let gov = r(GOVERNANCE, 100);
        assert!(retention_change(Some(&gov), Some(&r(GOVERNANCE, 200)), false, now).is_ok());
        assert!(retention_change(Some(&gov), Some(&r(COMPLIANCE, 100)), false, now).is_ok());
        assert!(retention_change(Some(&gov), Some(&r(GOVERNANCE, 50)), false, now).is_err());
        assert!(retention_change(Some(&gov), None, false, now).is_err());
        assert!(retention_change(Some(&gov), None, true, now).is_ok());
        let comp = r(COMPLIANCE, 100);
        assert!(retention_change(Some(&comp), Some(&r(GOVERNANCE, 300)), true, now).is_err());
        assert!(retention_change(Some(&comp), Some(&r(COMPLIANCE, 300)), false, now).is_ok());
        assert!(
            retention_change(Some(&comp), None, false, 150).is_ok(),
            "expired"
        );
    }
}
