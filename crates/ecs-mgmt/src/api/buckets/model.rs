//! The typed bucket documents: what callers send ([`BucketCreate`], [`BucketQuota`],
//! [`BucketAcl`], tags) and what ECS answers (`bucket_info`, listings, versioning, locks,
//! empty-bucket status).

use ecs_common::{Error, ErrorKind, Result};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::wire::de;

/// A bucket tag (`Key` = `Value`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BucketTag {
    /// The tag key.
    #[serde(
        rename = "Key",
        alias = "key",
        default,
        deserialize_with = "de::string"
    )]
    pub key: String,
    /// The tag value.
    #[serde(
        rename = "Value",
        alias = "value",
        default,
        deserialize_with = "de::string"
    )]
    pub value: String,
}

impl BucketTag {
    /// A tag.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        BucketTag {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// Everything a bucket can be created with; unset options take ECS's defaults.
///
/// ```
/// let create = ecs_mgmt::BucketCreate {
///     owner: Some("cs-account-1".into()),
///     block_size_gb: Some(10),
///     encryption: Some(true),
///     ..ecs_mgmt::BucketCreate::new("photos", "ns1")
/// };
/// assert_eq!(create.name, "photos");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BucketCreate {
    /// The bucket name.
    pub name: String,
    /// The namespace the bucket lives in.
    pub namespace: String,
    /// The object user that owns the bucket (default: the caller).
    pub owner: Option<String>,
    /// The replication group URN (default: the namespace's default group).
    pub vpool: Option<String>,
    /// The head type (default `s3`).
    pub head_type: Option<String>,
    /// File-system (NFS/HDFS) access.
    pub filesystem_enabled: Option<bool>,
    /// Data-at-rest encryption; it can only be chosen at creation.
    pub encryption: Option<bool>,
    /// Access during outage (ADO): reads may be served stale when a site is down.
    pub stale_allowed: Option<bool>,
    /// With ADO, whether the bucket is read-only during an outage.
    pub tso_read_only: Option<bool>,
    /// Hard quota in GB (writes blocked beyond it).
    pub block_size_gb: Option<u64>,
    /// Soft quota in GB (an event is raised beyond it).
    pub notification_size_gb: Option<u64>,
    /// Hard quota in objects.
    pub block_size_in_count: Option<u64>,
    /// Soft quota in objects.
    pub notification_size_in_count: Option<u64>,
    /// Default retention period in seconds.
    pub retention_seconds: Option<i64>,
    /// S3 Object Lock (ECS 3.6.2 and later).
    pub object_lock: Option<bool>,
    /// Allow Object Lock together with ADO.
    pub object_lock_with_ado_allowed: Option<bool>,
    /// Auto-commit period in seconds (file-system buckets).
    pub auto_commit_period: Option<i64>,
    /// Default group of file-system buckets.
    pub default_group: Option<String>,
    /// Bucket tags (at most 10).
    pub tags: Vec<BucketTag>,
}

impl BucketCreate {
    /// A bucket `name` in `namespace` with ECS's defaults.
    pub fn new(name: impl Into<String>, namespace: impl Into<String>) -> Self {
        BucketCreate {
            name: name.into(),
            namespace: namespace.into(),
            ..BucketCreate::default()
        }
    }
}

/// What ECS answers to a bucket creation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct BucketCreated {
    /// The bucket id, `<namespace>.<name>`.
    #[serde(default, deserialize_with = "de::string")]
    pub id: String,
    /// The bucket name.
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
}

/// A bucket's details (`bucket_info`, and each `object_bucket` of a listing).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct BucketInfo {
    /// The bucket name.
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// The bucket id, `<namespace>.<name>`.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub id: Option<String>,
    /// The namespace.
    #[serde(default, deserialize_with = "de::string")]
    pub namespace: String,
    /// The owning object user.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub owner: Option<String>,
    /// The replication group URN.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub vpool: Option<String>,
    /// When the bucket was created.
    #[serde(default, deserialize_with = "de::opt_time")]
    pub created: Option<OffsetDateTime>,
    /// Hard quota in GB; `None` when there is none (ECS writes -1).
    #[serde(rename = "block_size", default, deserialize_with = "de::opt_size_gb")]
    pub block_size_gb: Option<u64>,
    /// Soft quota in GB; `None` when there is none.
    #[serde(
        rename = "notification_size",
        default,
        deserialize_with = "de::opt_size_gb"
    )]
    pub notification_size_gb: Option<u64>,
    /// Hard quota in objects.
    #[serde(
        rename = "blockSizeInCount",
        default,
        deserialize_with = "de::opt_size_gb"
    )]
    pub block_size_in_count: Option<u64>,
    /// Soft quota in objects.
    #[serde(
        rename = "notificationSizeInCount",
        default,
        deserialize_with = "de::opt_size_gb"
    )]
    pub notification_size_in_count: Option<u64>,
    /// Data-at-rest encryption (ECS sends it as a string).
    #[serde(
        rename = "is_encryption_enabled",
        default,
        deserialize_with = "de::bool"
    )]
    pub encryption: bool,
    /// Access during outage.
    #[serde(rename = "is_stale_allowed", default, deserialize_with = "de::bool")]
    pub stale_allowed: bool,
    /// Read-only during an outage.
    #[serde(rename = "is_tso_read_only", default, deserialize_with = "de::bool")]
    pub tso_read_only: bool,
    /// File-system access.
    #[serde(rename = "fs_access_enabled", default, deserialize_with = "de::bool")]
    pub filesystem_enabled: bool,
    /// The administrative lock.
    #[serde(default, deserialize_with = "de::bool")]
    pub locked: bool,
    /// S3 Object Lock.
    #[serde(
        rename = "is_object_lock_enabled",
        default,
        deserialize_with = "de::bool"
    )]
    pub object_lock: bool,
    /// Whether versioning is on, paused, or was never turned on.
    #[serde(default, deserialize_with = "versioning_status")]
    pub versioning_status: VersioningStatus,
    /// The head type, such as `S3`.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub api_type: Option<String>,
    /// Default retention in seconds (ECS writes -2 when unset).
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub default_retention: Option<i64>,
    /// Whether an `emptyBucket` deletion is running.
    #[serde(default, deserialize_with = "de::bool")]
    pub is_empty_bucket_in_progress: bool,
    /// Bucket tags (`TagSet`, or `tags` on old releases).
    #[serde(
        rename = "TagSet",
        alias = "tags",
        default,
        deserialize_with = "de::wrapped_list"
    )]
    pub tags: Vec<BucketTag>,
}

/// Hard and soft quota of a bucket; `None` means "not set".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct BucketQuota {
    /// Hard quota in GB.
    #[serde(rename = "blockSize", default, deserialize_with = "de::opt_size_gb")]
    pub block_size_gb: Option<u64>,
    /// Soft quota in GB.
    #[serde(
        rename = "notificationSize",
        default,
        deserialize_with = "de::opt_size_gb"
    )]
    pub notification_size_gb: Option<u64>,
}

impl BucketQuota {
    /// A quota; pass `None` for a limit that should not be set.
    pub fn new(block_size_gb: Option<u64>, notification_size_gb: Option<u64>) -> Self {
        BucketQuota {
            block_size_gb,
            notification_size_gb,
        }
    }
}

/// A bucket's `versioning_status`, read as leniently as [`VersioningStatus::parse`] reads it.
fn versioning_status<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<VersioningStatus, D::Error> {
    let text = de::opt_string(d)?;
    VersioningStatus::parse(text.as_deref()).map_err(serde::de::Error::custom)
}

/// The versioning state of a bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum VersioningStatus {
    /// Never versioned.
    #[default]
    Unversioned,
    /// Versioning on.
    Enabled,
    /// Versioning was on and is paused.
    Suspended,
}

impl VersioningStatus {
    pub(crate) fn wire(self) -> &'static str {
        match self {
            VersioningStatus::Unversioned => "",
            VersioningStatus::Enabled => "Enabled",
            VersioningStatus::Suspended => "Suspended",
        }
    }

    pub(crate) fn parse(text: Option<&str>) -> Result<Self> {
        match text.map(str::trim) {
            None | Some("") => Ok(VersioningStatus::Unversioned),
            Some(s) if s.eq_ignore_ascii_case("enabled") => Ok(VersioningStatus::Enabled),
            Some(s) if s.eq_ignore_ascii_case("suspended") => Ok(VersioningStatus::Suspended),
            Some(s) if s.eq_ignore_ascii_case("off") || s.eq_ignore_ascii_case("disabled") => {
                Ok(VersioningStatus::Unversioned)
            }
            Some(other) => Err(Error::new(
                ErrorKind::Protocol,
                format!("unknown versioning status `{other}`"),
            )),
        }
    }
}

/// A bucket's ECS-native access control list (`bucket_acl`). Setting it replaces it whole.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BucketAcl {
    /// The bucket name.
    #[serde(default, deserialize_with = "de::string")]
    pub bucket: String,
    /// The namespace.
    #[serde(default, deserialize_with = "de::string")]
    pub namespace: String,
    /// The grants.
    #[serde(default)]
    pub acl: Acl,
}

impl BucketAcl {
    /// An ACL document for `bucket` in `namespace`.
    pub fn new(bucket: impl Into<String>, namespace: impl Into<String>, acl: Acl) -> Self {
        BucketAcl {
            bucket: bucket.into(),
            namespace: namespace.into(),
            acl,
        }
    }
}

/// The grants of a [`BucketAcl`]. Permissions are ECS ids: `read`, `read_acl`, `write`,
/// `write_acl`, `execute`, `full_control`, `privileged_write`, `delete`, `none`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Acl {
    /// The bucket owner, as ECS reports it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::opt_string"
    )]
    pub owner: Option<String>,
    /// Grants to object users.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_acl: Vec<UserGrant>,
    /// Grants to predefined groups (`public`, `all_users`, `log_delivery`, `other`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_acl: Vec<GroupGrant>,
    /// Grants to custom groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customgroup_acl: Vec<CustomGroupGrant>,
}

impl Acl {
    /// An ACL with only user grants.
    pub fn with_users(user_acl: Vec<UserGrant>) -> Self {
        Acl {
            user_acl,
            ..Acl::default()
        }
    }
}

/// Permissions of one object user.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserGrant {
    /// The object user.
    #[serde(default, deserialize_with = "de::string")]
    pub user: String,
    /// The permission ids.
    #[serde(default)]
    pub permission: Vec<String>,
}

/// Permissions of a predefined group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupGrant {
    /// The group id.
    #[serde(default, deserialize_with = "de::string")]
    pub group: String,
    /// The permission ids.
    #[serde(default)]
    pub permission: Vec<String>,
}

/// Permissions of a custom group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomGroupGrant {
    /// The custom group name.
    #[serde(default, deserialize_with = "de::string")]
    pub customgroup: String,
    /// The permission ids.
    #[serde(default)]
    pub permission: Vec<String>,
}

/// Progress of an `emptyBucket` deletion.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct EmptyBucketStatus {
    /// `PENDING`, `IN_PROGRESS`, `POST_PROCESSING`, `DONE`, `FAILED`, `ABORT_IN_PROGRESS`,
    /// `ABORTED` (or `NOT_FOUND` when no task exists).
    #[serde(default, deserialize_with = "de::string")]
    pub status: String,
    /// Entries removed so far.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub entries_deleted: Option<u64>,
    /// Entries kept because of retention.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub failed_to_delete_due_to_retention: Option<u64>,
    /// Entries that failed for other reasons.
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub failed_to_delete_due_to_other: Option<u64>,
    /// A message from ECS.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub message: Option<String>,
}

impl EmptyBucketStatus {
    pub(crate) fn is_finished(&self) -> bool {
        matches!(
            self.status.as_str(),
            "DONE" | "FAILED" | "ABORTED" | "NOT_FOUND"
        )
    }
}

#[derive(Deserialize)]
pub(crate) struct BucketList {
    #[serde(default)]
    pub(crate) object_bucket: Vec<BucketInfo>,
    #[serde(rename = "NextMarker", default, deserialize_with = "de::opt_string")]
    pub(crate) next_marker: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct VersioningDoc {
    #[serde(
        rename = "Status",
        alias = "status",
        default,
        deserialize_with = "de::opt_string"
    )]
    pub(crate) status: Option<String>,
}

/// A bucket's default retention (`default_bucket_retention`): objects written to it cannot be
/// deleted or overwritten for `period` seconds (ECS retention, not S3 Object Lock).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct BucketRetention {
    /// The period in seconds; `None` when the bucket has none (ECS writes `-1`, `-2` or `0`).
    #[serde(default, deserialize_with = "de::opt_size_gb")]
    pub period: Option<u64>,
}

impl BucketRetention {
    /// The period, when one is set (zero counts as none).
    pub fn seconds(&self) -> Option<u64> {
        self.period.filter(|seconds| *seconds > 0)
    }
}

#[derive(Deserialize)]
pub(crate) struct BucketLockDoc {
    #[serde(
        rename = "isLocked",
        alias = "locked",
        default,
        deserialize_with = "de::bool"
    )]
    pub(crate) is_locked: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versioning_status_parses_leniently() {
        assert_eq!(
            VersioningStatus::parse(None).unwrap(),
            VersioningStatus::Unversioned
        );
        assert_eq!(
            VersioningStatus::parse(Some("Enabled")).unwrap(),
            VersioningStatus::Enabled
        );
        assert_eq!(
            VersioningStatus::parse(Some("SUSPENDED")).unwrap(),
            VersioningStatus::Suspended
        );
        assert!(VersioningStatus::parse(Some("maybe")).is_err());
    }
}
