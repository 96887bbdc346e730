//! S3 Object Lock (ECS 3.6.2 and later): buckets created with Object Lock, their default
//! retention, and the retention and legal hold of object versions.
//!
//! ECS older than 3.6.2 answers these calls `NotImplemented`, reported as
//! [`ErrorKind::Unsupported`](ecs_common::ErrorKind::Unsupported).

use std::time::SystemTime;

use aws_sdk_s3::primitives::DateTime;
use aws_sdk_s3::types::{
    DefaultRetention as SdkDefaultRetention, ObjectLockConfiguration, ObjectLockEnabled,
    ObjectLockLegalHold, ObjectLockLegalHoldStatus, ObjectLockRetention, ObjectLockRetentionMode,
    ObjectLockRule,
};
use ecs_common::{Error, ErrorKind, Result};

use crate::client::EcsS3Client;
use crate::error::from_sdk;

/// How strictly a retention protects an object version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetentionMode {
    /// Users with `s3:BypassGovernanceRetention` (the bucket owner) may shorten or remove it, and
    /// delete the version, by asking to bypass governance retention.
    Governance,
    /// Nobody may shorten or remove it before it ends.
    Compliance,
}

impl RetentionMode {
    fn to_sdk(self) -> ObjectLockRetentionMode {
        match self {
            RetentionMode::Governance => ObjectLockRetentionMode::Governance,
            RetentionMode::Compliance => ObjectLockRetentionMode::Compliance,
        }
    }

    fn from_sdk(mode: &ObjectLockRetentionMode) -> Result<RetentionMode> {
        match mode {
            ObjectLockRetentionMode::Governance => Ok(RetentionMode::Governance),
            ObjectLockRetentionMode::Compliance => Ok(RetentionMode::Compliance),
            other => Err(Error::new(
                ErrorKind::Protocol,
                format!("unknown Object Lock retention mode {:?}", other.as_str()),
            )),
        }
    }
}

/// The length of a bucket's default retention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetentionPeriod {
    /// A number of days (at least 1).
    Days(u32),
    /// A number of years (at least 1).
    Years(u32),
}

/// The retention every new object version of a bucket gets unless the upload names its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DefaultRetention {
    /// Governance or compliance.
    pub mode: RetentionMode,
    /// How long from each version's creation.
    pub period: RetentionPeriod,
}

/// The retention of one object version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Governance or compliance.
    pub mode: RetentionMode,
    /// The version is protected until this instant.
    pub retain_until: SystemTime,
}

fn target(bucket: &str, key: &str) -> String {
    format!("{bucket}/{key}")
}

fn positive(n: u32) -> Result<i32> {
    i32::try_from(n)
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::invalid_input("a default retention period must be 1 or more"))
}

impl EcsS3Client {
    /// Creates `bucket` with Object Lock enabled (`x-amz-bucket-object-lock-enabled`), which
    /// also enables versioning for good.
    pub async fn create_bucket_with_object_lock(&self, bucket: &str) -> Result<()> {
        self.sdk()
            .create_bucket()
            .bucket(bucket)
            .object_lock_enabled_for_bucket(true)
            .send()
            .await
            .map_err(|err| from_sdk("create bucket with object lock", bucket, err))?;
        Ok(())
    }

    /// Whether the bucket has Object Lock enabled, and its default retention: `None` when
    /// Object Lock is not enabled on it.
    pub async fn get_object_lock(&self, bucket: &str) -> Result<Option<Option<DefaultRetention>>> {
        let output = match self
            .sdk()
            .get_object_lock_configuration()
            .bucket(bucket)
            .send()
            .await
        {
            Ok(output) => output,
            Err(err) => {
                let err = from_sdk("get object lock configuration", bucket, err);
                return if err.remote_code() == Some("ObjectLockConfigurationNotFoundError") {
                    Ok(None)
                } else {
                    Err(err)
                };
            }
        };
        let Some(config) = output.object_lock_configuration() else {
            return Ok(None);
        };
        if config.object_lock_enabled() != Some(&ObjectLockEnabled::Enabled) {
            return Ok(None);
        }
        let Some(retention) = config.rule().and_then(|r| r.default_retention()) else {
            return Ok(Some(None));
        };
        let mode = retention
            .mode()
            .ok_or_else(|| Error::new(ErrorKind::Protocol, "default retention without a mode"))
            .and_then(RetentionMode::from_sdk)?;
        let count = |n: i32| u32::try_from(n).unwrap_or(0);
        let period = match (retention.days(), retention.years()) {
            (Some(days), None) => RetentionPeriod::Days(count(days)),
            (None, Some(years)) => RetentionPeriod::Years(count(years)),
            _ => {
                return Err(Error::new(
                    ErrorKind::Protocol,
                    "default retention needs exactly one of Days or Years",
                ));
            }
        };
        Ok(Some(Some(DefaultRetention { mode, period })))
    }

    /// Sets (or, with `None`, removes) the default retention of a bucket that has Object Lock.
    /// A bucket without Object Lock answers [`ErrorKind::Conflict`] (`InvalidBucketState`).
    pub async fn put_object_lock(
        &self,
        bucket: &str,
        default_retention: Option<DefaultRetention>,
    ) -> Result<()> {
        let mut config =
            ObjectLockConfiguration::builder().object_lock_enabled(ObjectLockEnabled::Enabled);
        if let Some(default) = default_retention {
            let (days, years) = match default.period {
                RetentionPeriod::Days(d) => (Some(positive(d)?), None),
                RetentionPeriod::Years(y) => (None, Some(positive(y)?)),
            };
            let retention = SdkDefaultRetention::builder()
                .mode(default.mode.to_sdk())
                .set_days(days)
                .set_years(years)
                .build();
            config = config.rule(
                ObjectLockRule::builder()
                    .default_retention(retention)
                    .build(),
            );
        }
        self.sdk()
            .put_object_lock_configuration()
            .bucket(bucket)
            .object_lock_configuration(config.build())
            .send()
            .await
            .map_err(|err| from_sdk("put object lock configuration", bucket, err))?;
        Ok(())
    }

    /// The retention of the current version of `key` (or of `version_id`); `None` when it has
    /// none.
    pub async fn get_retention(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<Option<Retention>> {
        let output = match self
            .sdk()
            .get_object_retention()
            .bucket(bucket)
            .key(key)
            .set_version_id(version_id.map(str::to_owned))
            .send()
            .await
        {
            Ok(output) => output,
            Err(err) => {
                let err = from_sdk("get object retention", &target(bucket, key), err);
                return if err.remote_code() == Some("NoSuchObjectLockConfiguration") {
                    Ok(None)
                } else {
                    Err(err)
                };
            }
        };
        let Some(retention) = output.retention() else {
            return Ok(None);
        };
        let (Some(mode), Some(until)) = (retention.mode(), retention.retain_until_date()) else {
            return Ok(None);
        };
        let retain_until = SystemTime::try_from(*until)
            .map_err(|_| Error::new(ErrorKind::Protocol, "retain-until date out of range"))?;
        Ok(Some(Retention {
            mode: RetentionMode::from_sdk(mode)?,
            retain_until,
        }))
    }

    /// Sets the retention of the current version of `key` (or of `version_id`); `None` removes
    /// it. Shortening or removing a governance retention needs `bypass_governance`; a
    /// compliance retention can only be lengthened ([`ErrorKind::Forbidden`] otherwise).
    pub async fn put_retention(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        retention: Option<Retention>,
        bypass_governance: bool,
    ) -> Result<()> {
        let body = match retention {
            Some(r) => ObjectLockRetention::builder()
                .mode(r.mode.to_sdk())
                .retain_until_date(DateTime::from(r.retain_until))
                .build(),
            None => ObjectLockRetention::builder().build(),
        };
        self.sdk()
            .put_object_retention()
            .bucket(bucket)
            .key(key)
            .set_version_id(version_id.map(str::to_owned))
            .retention(body)
            .set_bypass_governance_retention(bypass_governance.then_some(true))
            .send()
            .await
            .map_err(|err| from_sdk("put object retention", &target(bucket, key), err))?;
        Ok(())
    }

    /// Whether a legal hold is on the current version of `key` (or on `version_id`); `false`
    /// when none was ever set.
    pub async fn get_legal_hold(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<bool> {
        match self
            .sdk()
            .get_object_legal_hold()
            .bucket(bucket)
            .key(key)
            .set_version_id(version_id.map(str::to_owned))
            .send()
            .await
        {
            Ok(output) => Ok(output.legal_hold().and_then(|h| h.status())
                == Some(&ObjectLockLegalHoldStatus::On)),
            Err(err) => {
                let err = from_sdk("get object legal hold", &target(bucket, key), err);
                if err.remote_code() == Some("NoSuchObjectLockConfiguration") {
                    Ok(false)
                } else {
                    Err(err)
                }
            }
        }
    }

    /// Puts a legal hold on (or takes it off) the current version of `key` (or `version_id`).
    pub async fn put_legal_hold(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        on: bool,
    ) -> Result<()> {
        let status = if on {
            ObjectLockLegalHoldStatus::On
        } else {
            ObjectLockLegalHoldStatus::Off
        };
        self.sdk()
            .put_object_legal_hold()
            .bucket(bucket)
            .key(key)
            .set_version_id(version_id.map(str::to_owned))
            .legal_hold(ObjectLockLegalHold::builder().status(status).build())
            .send()
            .await
            .map_err(|err| from_sdk("put object legal hold", &target(bucket, key), err))?;
        Ok(())
    }

    /// Deletes one version of `key` for good, bypassing a governance retention (the caller
    /// needs `s3:BypassGovernanceRetention`; bucket owners have it). A compliance retention or
    /// a legal hold still refuses it with [`ErrorKind::Forbidden`].
    pub async fn delete_version_bypassing_governance(
        &self,
        bucket: &str,
        key: &str,
        version_id: &str,
    ) -> Result<()> {
        self.sdk()
            .delete_object()
            .bucket(bucket)
            .key(key)
            .version_id(version_id)
            .bypass_governance_retention(true)
            .send()
            .await
            .map_err(|err| from_sdk("delete object version", &target(bucket, key), err))?;
        Ok(())
    }
}
