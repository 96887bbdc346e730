//! Buckets (`/object/bucket`): creation with every common option, listing, info, deletion
//! (with `emptyBucket` and status polling), quota, policy, versioning, owner, ACL, tags and the
//! administrative lock.

use std::time::{Duration, Instant};

use ecs_common::{Error, ErrorKind, Result};
use http::Method;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::client::{CallError, EcsMgmtClient};
use crate::error::Endpoint;
use crate::pagination::{ItemStream, Page, paginate};
use crate::request::{ApiRequest, Path, require};
use crate::wire::{Format, Listed, de};

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
    /// `Enabled`, `Suspended`, or `None` when never versioned.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub versioning_status: Option<String>,
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
    fn wire(self) -> &'static str {
        match self {
            VersioningStatus::Unversioned => "",
            VersioningStatus::Enabled => "Enabled",
            VersioningStatus::Suspended => "Suspended",
        }
    }

    fn parse(text: Option<&str>) -> Result<Self> {
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
    fn is_finished(&self) -> bool {
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
    next_marker: Option<String>,
}

#[derive(Deserialize)]
struct VersioningDoc {
    #[serde(
        rename = "Status",
        alias = "status",
        default,
        deserialize_with = "de::opt_string"
    )]
    status: Option<String>,
}

#[derive(Deserialize)]
struct BucketLockDoc {
    #[serde(
        rename = "isLocked",
        alias = "locked",
        default,
        deserialize_with = "de::bool"
    )]
    is_locked: bool,
}

#[derive(Serialize)]
struct CreateBody<'a> {
    name: &'a str,
    namespace: &'a str,
    head_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vpool: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filesystem_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_encryption_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_stale_allowed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_tso_read_only: Option<bool>,
    #[serde(rename = "blockSize", skip_serializing_if = "Option::is_none")]
    block_size: Option<u64>,
    #[serde(rename = "notificationSize", skip_serializing_if = "Option::is_none")]
    notification_size: Option<u64>,
    #[serde(rename = "blockSizeInCount", skip_serializing_if = "Option::is_none")]
    block_size_in_count: Option<u64>,
    #[serde(
        rename = "notificationSizeInCount",
        skip_serializing_if = "Option::is_none"
    )]
    notification_size_in_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retention: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_object_lock_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_object_lock_with_ado_allowed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    autocommit_period: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_group: Option<&'a str>,
    #[serde(rename = "TagSet", skip_serializing_if = "Option::is_none")]
    tags: Option<Listed<'a, BucketTag>>,
}

#[derive(Serialize)]
struct QuotaBody<'a> {
    #[serde(rename = "blockSize")]
    block_size: i64,
    #[serde(rename = "notificationSize")]
    notification_size: i64,
    namespace: &'a str,
}

#[derive(Serialize)]
struct VersioningBody {
    #[serde(rename = "Status")]
    status: &'static str,
}

#[derive(Serialize)]
struct OwnerBody<'a> {
    namespace: &'a str,
    new_owner: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    reset_previous_owners: bool,
}

#[derive(Serialize)]
struct TagsBody<'a> {
    #[serde(rename = "TagSet")]
    tags: Listed<'a, BucketTag>,
    namespace: &'a str,
}

#[derive(Serialize)]
struct NamespaceBody<'a> {
    namespace: &'a str,
}

fn bucket_path(name: &str) -> Result<Path> {
    require(name, "bucket name")?;
    Ok(Path::new("object/bucket").seg(name))
}

fn validate_quota(block: Option<u64>, notification: Option<u64>) -> Result<()> {
    if block == Some(0) || notification == Some(0) {
        return Err(Error::invalid_input("a bucket quota must be at least 1 GB"));
    }
    if let (Some(block), Some(notification)) = (block, notification)
        && notification > block
    {
        return Err(Error::invalid_input(format!(
            "the soft quota ({notification} GB) must not exceed the hard quota ({block} GB)"
        )));
    }
    Ok(())
}

/// `POST /object/bucket` (root `object_bucket_create`).
pub(crate) fn create_request(create: &BucketCreate, format: Format) -> Result<ApiRequest> {
    require(&create.name, "bucket name")?;
    require(&create.namespace, "namespace")?;
    validate_quota(create.block_size_gb, create.notification_size_gb)?;
    if create.tags.len() > 10 {
        return Err(Error::invalid_input("a bucket takes at most 10 tags"));
    }
    let body = CreateBody {
        name: &create.name,
        namespace: &create.namespace,
        head_type: create.head_type.as_deref().unwrap_or("s3"),
        owner: create.owner.as_deref(),
        vpool: create.vpool.as_deref(),
        filesystem_enabled: create.filesystem_enabled,
        is_encryption_enabled: create.encryption,
        is_stale_allowed: create.stale_allowed,
        is_tso_read_only: create.tso_read_only,
        block_size: create.block_size_gb,
        notification_size: create.notification_size_gb,
        block_size_in_count: create.block_size_in_count,
        notification_size_in_count: create.notification_size_in_count,
        retention: create.retention_seconds,
        is_object_lock_enabled: create.object_lock,
        is_object_lock_with_ado_allowed: create.object_lock_with_ado_allowed,
        autocommit_period: create.auto_commit_period,
        default_group: create.default_group.as_deref(),
        tags: (!create.tags.is_empty()).then_some(Listed {
            items: &create.tags,
            item: "Tag",
            format,
        }),
    };
    ApiRequest::new(
        Method::POST,
        Path::new("object/bucket"),
        format,
        "create bucket",
    )
    .body(&body, "object_bucket_create", format)
}

/// `GET /object/bucket/{name}/info?namespace=`.
pub(crate) fn info_request(name: &str, namespace: &str, format: Format) -> Result<ApiRequest> {
    Ok(
        ApiRequest::get(bucket_path(name)?.lit("info"), format, "bucket info")
            .query("namespace", namespace),
    )
}

/// `GET /object/bucket?namespace=&marker=`.
pub(crate) fn list_request(
    namespace: &str,
    marker: Option<&str>,
    format: Format,
) -> Result<ApiRequest> {
    require(namespace, "namespace")?;
    Ok(
        ApiRequest::get(Path::new("object/bucket"), format, "list buckets")
            .query("namespace", namespace)
            .query_opt("marker", marker),
    )
}

/// `POST /object/bucket/{name}/deactivate?namespace=[&emptyBucket=true]`; repeating it is harmless.
pub(crate) fn delete_request(
    name: &str,
    namespace: &str,
    empty: bool,
    format: Format,
) -> Result<ApiRequest> {
    let path = bucket_path(name)?.lit("deactivate");
    let mut request = ApiRequest::new(Method::POST, path, format, "delete bucket")
        .query("namespace", namespace)
        .query_opt("emptyBucket", empty.then_some("true"))
        .idempotent(true);
    request.endpoint = Endpoint::BucketDelete;
    Ok(request)
}

/// `GET /object/bucket/{name}/empty-bucket-status?namespace=`.
pub(crate) fn empty_status_request(
    name: &str,
    namespace: &str,
    format: Format,
) -> Result<ApiRequest> {
    Ok(ApiRequest::get(
        bucket_path(name)?.lit("empty-bucket-status"),
        format,
        "empty bucket status",
    )
    .query("namespace", namespace))
}

/// `GET`/`DELETE /object/bucket/{name}/quota?namespace=`.
pub(crate) fn quota_request(
    method: Method,
    name: &str,
    namespace: &str,
    format: Format,
) -> Result<ApiRequest> {
    let operation = if method == Method::DELETE {
        "delete bucket quota"
    } else {
        "bucket quota"
    };
    Ok(
        ApiRequest::new(method, bucket_path(name)?.lit("quota"), format, operation)
            .query("namespace", namespace),
    )
}

/// `PUT /object/bucket/{name}/quota` (root `bucket_quota_param`; -1 means "not set").
pub(crate) fn set_quota_request(
    name: &str,
    namespace: &str,
    quota: &BucketQuota,
    format: Format,
) -> Result<ApiRequest> {
    if quota.block_size_gb.is_none() && quota.notification_size_gb.is_none() {
        return Err(Error::invalid_input(
            "set at least one quota limit, or delete the quota",
        ));
    }
    validate_quota(quota.block_size_gb, quota.notification_size_gb)?;
    let wire = |gb: Option<u64>| gb.map_or(-1, |gb| i64::try_from(gb).unwrap_or(i64::MAX));
    let body = QuotaBody {
        block_size: wire(quota.block_size_gb),
        notification_size: wire(quota.notification_size_gb),
        namespace,
    };
    ApiRequest::new(
        Method::PUT,
        bucket_path(name)?.lit("quota"),
        format,
        "set bucket quota",
    )
    .query("namespace", namespace)
    .body(&body, "bucket_quota_param", format)
}

/// `GET`/`DELETE /object/bucket/{name}/policy?namespace=`; policies are JSON in both formats.
pub(crate) fn policy_request(method: Method, name: &str, namespace: &str) -> Result<ApiRequest> {
    let operation = if method == Method::DELETE {
        "delete bucket policy"
    } else {
        "bucket policy"
    };
    Ok(ApiRequest::new(
        method,
        bucket_path(name)?.lit("policy"),
        Format::Json,
        operation,
    )
    .query("namespace", namespace))
}

/// `PUT /object/bucket/{name}/policy?namespace=` with the policy JSON, checked locally first.
pub(crate) fn set_policy_request(name: &str, namespace: &str, policy: &str) -> Result<ApiRequest> {
    let parsed: serde_json::Value = serde_json::from_str(policy)
        .map_err(|err| Error::invalid_input(format!("the bucket policy is not JSON: {err}")))?;
    if parsed.get("Statement").is_none() {
        return Err(Error::invalid_input(
            "the bucket policy has no Statement (delete the policy instead)",
        ));
    }
    Ok(ApiRequest::new(
        Method::PUT,
        bucket_path(name)?.lit("policy"),
        Format::Json,
        "set bucket policy",
    )
    .query("namespace", namespace)
    .json_text(policy))
}

/// `GET /object/bucket/{name}/versioning?namespace=`.
pub(crate) fn versioning_request(
    name: &str,
    namespace: &str,
    format: Format,
) -> Result<ApiRequest> {
    Ok(ApiRequest::get(
        bucket_path(name)?.lit("versioning"),
        format,
        "bucket versioning",
    )
    .query("namespace", namespace))
}

/// `PUT /object/bucket/{name}/versioning?namespace=` (`{"Status": ..}`).
pub(crate) fn set_versioning_request(
    name: &str,
    namespace: &str,
    status: VersioningStatus,
    format: Format,
) -> Result<ApiRequest> {
    if status == VersioningStatus::Unversioned {
        return Err(Error::invalid_input(
            "versioning can be enabled or suspended, never removed",
        ));
    }
    ApiRequest::new(
        Method::PUT,
        bucket_path(name)?.lit("versioning"),
        format,
        "set bucket versioning",
    )
    .query("namespace", namespace)
    .body(
        &VersioningBody {
            status: status.wire(),
        },
        "VersioningConfiguration",
        format,
    )
}

/// `POST /object/bucket/{name}/owner` (root `object_bucket_update_owner`).
pub(crate) fn owner_request(
    name: &str,
    namespace: &str,
    owner: &str,
    reset: bool,
    format: Format,
) -> Result<ApiRequest> {
    require(owner, "new owner")?;
    ApiRequest::new(
        Method::POST,
        bucket_path(name)?.lit("owner"),
        format,
        "set bucket owner",
    )
    .idempotent(true)
    .body(
        &OwnerBody {
            namespace,
            new_owner: owner,
            reset_previous_owners: reset,
        },
        "object_bucket_update_owner",
        format,
    )
}

/// `GET /object/bucket/{name}/acl?namespace=`.
pub(crate) fn acl_request(name: &str, namespace: &str, format: Format) -> Result<ApiRequest> {
    Ok(
        ApiRequest::get(bucket_path(name)?.lit("acl"), format, "bucket acl")
            .query("namespace", namespace),
    )
}

/// `PUT /object/bucket/{name}/acl` (root `bucket_acl`).
pub(crate) fn set_acl_request(acl: &BucketAcl, format: Format) -> Result<ApiRequest> {
    require(&acl.namespace, "namespace")?;
    ApiRequest::new(
        Method::PUT,
        bucket_path(&acl.bucket)?.lit("acl"),
        format,
        "set bucket acl",
    )
    .body(acl, "bucket_acl", format)
}

/// `POST` (add), `PUT` (update values) or `DELETE` (remove) `/object/bucket/{name}/tags`.
pub(crate) fn tags_request(
    method: Method,
    name: &str,
    namespace: &str,
    tags: &[BucketTag],
    format: Format,
) -> Result<ApiRequest> {
    let (operation, root) = match method {
        Method::POST => ("add bucket tags", "add_bucket_tags"),
        Method::PUT => ("update bucket tags", "update_bucket_tags"),
        _ => ("remove bucket tags", "delete_bucket_tags"),
    };
    require(namespace, "namespace")?;
    ApiRequest::new(method, bucket_path(name)?.lit("tags"), format, operation).body(
        &TagsBody {
            tags: Listed {
                items: tags,
                item: "Tag",
                format,
            },
            namespace,
        },
        root,
        format,
    )
}

/// `GET /object/bucket/{name}/lock?namespace=`.
pub(crate) fn lock_request(name: &str, namespace: &str, format: Format) -> Result<ApiRequest> {
    Ok(
        ApiRequest::get(bucket_path(name)?.lit("lock"), format, "bucket lock")
            .query("namespace", namespace),
    )
}

/// `PUT /object/bucket/{name}/lock/{true|false}` (root `set_bucket_lock`).
pub(crate) fn set_lock_request(
    name: &str,
    namespace: &str,
    locked: bool,
    format: Format,
) -> Result<ApiRequest> {
    let path = bucket_path(name)?
        .lit("lock")
        .lit(if locked { "true" } else { "false" });
    ApiRequest::new(Method::PUT, path, format, "set bucket lock").body(
        &NamespaceBody { namespace },
        "set_bucket_lock",
        format,
    )
}

/// Bucket calls; get one with [`EcsMgmtClient::buckets`].
#[derive(Clone, Debug)]
pub struct Buckets {
    client: EcsMgmtClient,
}

impl Buckets {
    pub(crate) fn new(client: EcsMgmtClient) -> Self {
        Buckets { client }
    }

    fn format(&self) -> Format {
        self.client.format()
    }

    /// Creates a bucket. A name taken in the namespace fails with [`ErrorKind::AlreadyExists`].
    ///
    /// When the answer is lost, the bucket is read back: if it exists with the requested owner
    /// the creation counts as done, if it does not exist the request is sent once more.
    pub async fn create(&self, create: &BucketCreate) -> Result<BucketCreated> {
        let request = create_request(create, self.format())?;
        match self.client.call_outcome(&request).await {
            Ok(response) => crate::wire::decode(&response.body, request.accept),
            Err(CallError::Failed(err)) => Err(err),
            Err(CallError::Unknown(err)) => {
                tracing::info!(bucket = %create.name, "bucket creation outcome unknown; reading the bucket back");
                match self.info(&create.name, &create.namespace).await {
                    Ok(info) if create.owner.is_none() || info.owner == create.owner => {
                        Ok(BucketCreated {
                            id: info
                                .id
                                .unwrap_or_else(|| format!("{}.{}", create.namespace, create.name)),
                            name: info.name,
                        })
                    }
                    Ok(_) => Err(Error::new(
                        ErrorKind::AlreadyExists,
                        format!("bucket {} exists with another owner", create.name),
                    )
                    .with_operation("create bucket")),
                    Err(read) if read.kind() == ErrorKind::NotFound => {
                        self.client.call_decode(&request).await
                    }
                    Err(_) => Err(err),
                }
            }
        }
    }

    /// A bucket's details; [`ErrorKind::NotFound`] when it does not exist.
    pub async fn info(&self, name: &str, namespace: &str) -> Result<BucketInfo> {
        self.client
            .call_decode(&info_request(name, namespace, self.format())?)
            .await
    }

    /// Whether a bucket exists.
    pub async fn exists(&self, name: &str, namespace: &str) -> Result<bool> {
        match self.info(name, namespace).await {
            Ok(_) => Ok(true),
            Err(err) if err.kind() == ErrorKind::NotFound => Ok(false),
            Err(err) => Err(err),
        }
    }

    /// Every bucket of a namespace, fetched page by page as the stream is read.
    pub fn list(&self, namespace: &str) -> ItemStream<BucketInfo> {
        let (this, namespace) = (self.clone(), namespace.to_owned());
        paginate(move |marker| {
            let (this, namespace) = (this.clone(), namespace.clone());
            async move { this.list_page(&namespace, marker.as_deref()).await }
        })
    }

    /// One page of buckets.
    pub async fn list_page(
        &self,
        namespace: &str,
        marker: Option<&str>,
    ) -> Result<Page<BucketInfo>> {
        let list: BucketList = self
            .client
            .call_decode(
                &self
                    .client
                    .paged(list_request(namespace, marker, self.format())?),
            )
            .await?;
        Ok(Page::new(list.object_bucket, list.next_marker))
    }

    /// Deletes a bucket. With `empty`, ECS first removes every object (a background task this
    /// call waits for, up to the client's `empty_bucket_timeout`); without it a bucket that
    /// still holds data is refused.
    pub async fn delete(&self, name: &str, namespace: &str, empty: bool) -> Result<()> {
        let response = self
            .client
            .call(&delete_request(name, namespace, empty, self.format())?)
            .await?;
        if response.status == 202 {
            self.wait_until_emptied(name, namespace).await?;
        }
        Ok(())
    }

    async fn wait_until_emptied(&self, name: &str, namespace: &str) -> Result<()> {
        let deadline = Instant::now() + self.client.empty_bucket_timeout();
        let mut delay = Duration::from_millis(100);
        loop {
            match self.empty_bucket_status(name, namespace).await {
                Ok(status) if status.is_finished() => return finished(name, &status),
                Ok(status) => {
                    tracing::debug!(bucket = name, status = %status.status, "emptying bucket")
                }
                Err(err) if err.kind() == ErrorKind::NotFound => return Ok(()),
                Err(err) => return Err(err),
            }
            if Instant::now() + delay > deadline {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!("bucket {name} is still being emptied"),
                )
                .with_operation("delete bucket"));
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(5));
        }
    }

    /// Progress of an `emptyBucket` deletion.
    pub async fn empty_bucket_status(
        &self,
        name: &str,
        namespace: &str,
    ) -> Result<EmptyBucketStatus> {
        self.client
            .call_decode(&empty_status_request(name, namespace, self.format())?)
            .await
    }

    /// A bucket's quota.
    pub async fn quota(&self, name: &str, namespace: &str) -> Result<BucketQuota> {
        self.client
            .call_decode(&quota_request(Method::GET, name, namespace, self.format())?)
            .await
    }

    /// Sets a bucket's quota (at least one limit; the soft limit not above the hard one).
    pub async fn set_quota(&self, name: &str, namespace: &str, quota: &BucketQuota) -> Result<()> {
        self.client
            .call_unit(&set_quota_request(name, namespace, quota, self.format())?)
            .await
    }

    /// Removes a bucket's quota.
    pub async fn delete_quota(&self, name: &str, namespace: &str) -> Result<()> {
        self.client
            .call_unit(&quota_request(
                Method::DELETE,
                name,
                namespace,
                self.format(),
            )?)
            .await
    }

    /// A bucket's policy JSON, or `None` when it has none.
    pub async fn policy(&self, name: &str, namespace: &str) -> Result<Option<String>> {
        let response = self
            .client
            .call(&policy_request(Method::GET, name, namespace)?)
            .await?;
        let text = String::from_utf8(response.body.to_vec()).map_err(|_| {
            Error::new(ErrorKind::Protocol, "the bucket policy is not UTF-8")
                .with_operation("bucket policy")
        })?;
        let trimmed = text.trim();
        if response.status == 204 || trimmed.is_empty() || trimmed == "{}" {
            return Ok(None);
        }
        serde_json::from_str::<serde_json::Value>(trimmed).map_err(|err| {
            Error::new(
                ErrorKind::Protocol,
                format!("the bucket policy is not JSON: {err}"),
            )
            .with_operation("bucket policy")
        })?;
        Ok(Some(trimmed.to_owned()))
    }

    /// Replaces a bucket's policy (a JSON document with a `Statement`).
    pub async fn set_policy(&self, name: &str, namespace: &str, policy: &str) -> Result<()> {
        self.client
            .call_unit(&set_policy_request(name, namespace, policy)?)
            .await
    }

    /// Removes a bucket's policy.
    pub async fn delete_policy(&self, name: &str, namespace: &str) -> Result<()> {
        self.client
            .call_unit(&policy_request(Method::DELETE, name, namespace)?)
            .await
    }

    /// A bucket's versioning state.
    pub async fn versioning(&self, name: &str, namespace: &str) -> Result<VersioningStatus> {
        let doc: VersioningDoc = self
            .client
            .call_decode(&versioning_request(name, namespace, self.format())?)
            .await?;
        VersioningStatus::parse(doc.status.as_deref())
            .map_err(|err| err.with_operation("bucket versioning"))
    }

    /// Enables or suspends versioning.
    pub async fn set_versioning(
        &self,
        name: &str,
        namespace: &str,
        status: VersioningStatus,
    ) -> Result<()> {
        self.client
            .call_unit(&set_versioning_request(
                name,
                namespace,
                status,
                self.format(),
            )?)
            .await
    }

    /// Gives a bucket to another object user.
    pub async fn set_owner(&self, name: &str, namespace: &str, owner: &str) -> Result<()> {
        self.client
            .call_unit(&owner_request(
                name,
                namespace,
                owner,
                false,
                self.format(),
            )?)
            .await
    }

    /// A bucket's ACL.
    pub async fn acl(&self, name: &str, namespace: &str) -> Result<BucketAcl> {
        self.client
            .call_decode(&acl_request(name, namespace, self.format())?)
            .await
    }

    /// Replaces a bucket's ACL.
    pub async fn set_acl(&self, acl: &BucketAcl) -> Result<()> {
        self.client
            .call_unit(&set_acl_request(acl, self.format())?)
            .await
    }

    /// Adds tags (at most 10 in all).
    pub async fn add_tags(&self, name: &str, namespace: &str, tags: &[BucketTag]) -> Result<()> {
        self.client
            .call_unit(&tags_request(
                Method::POST,
                name,
                namespace,
                tags,
                self.format(),
            )?)
            .await
    }

    /// Changes the values of existing tags.
    pub async fn update_tags(&self, name: &str, namespace: &str, tags: &[BucketTag]) -> Result<()> {
        self.client
            .call_unit(&tags_request(
                Method::PUT,
                name,
                namespace,
                tags,
                self.format(),
            )?)
            .await
    }

    /// Removes tags.
    pub async fn remove_tags(&self, name: &str, namespace: &str, tags: &[BucketTag]) -> Result<()> {
        self.client
            .call_unit(&tags_request(
                Method::DELETE,
                name,
                namespace,
                tags,
                self.format(),
            )?)
            .await
    }

    /// Whether the administrative lock is on.
    pub async fn is_locked(&self, name: &str, namespace: &str) -> Result<bool> {
        let doc: BucketLockDoc = self
            .client
            .call_decode(&lock_request(name, namespace, self.format())?)
            .await?;
        Ok(doc.is_locked)
    }

    /// Sets or clears the administrative lock.
    pub async fn set_lock(&self, name: &str, namespace: &str, locked: bool) -> Result<()> {
        self.client
            .call_unit(&set_lock_request(name, namespace, locked, self.format())?)
            .await
    }
}

fn finished(name: &str, status: &EmptyBucketStatus) -> Result<()> {
    match status.status.as_str() {
        "DONE" | "NOT_FOUND" => Ok(()),
        other => Err(Error::new(
            ErrorKind::NotEmpty,
            format!(
                "emptying bucket {name} ended {other}: {}",
                status
                    .message
                    .as_deref()
                    .unwrap_or("some entries could not be removed")
            ),
        )
        .with_operation("delete bucket")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::decode;

    fn body(request: &ApiRequest) -> String {
        String::from_utf8(request.body.clone().unwrap().0).unwrap()
    }

    #[test]
    fn create_sends_every_option_with_ecs_names() {
        let create = BucketCreate {
            owner: Some("cs-1".into()),
            vpool: Some("urn:rg1".into()),
            encryption: Some(true),
            block_size_gb: Some(10),
            notification_size_gb: Some(8),
            object_lock: Some(false),
            tags: vec![BucketTag::new("k", "v")],
            ..BucketCreate::new("b&1", "ns1")
        };
        let xml = create_request(&create, Format::Xml).unwrap();
        assert_eq!(
            (xml.method.clone(), xml.path_and_query()),
            (Method::POST, "/object/bucket".to_owned())
        );
        assert_eq!(
            body(&xml),
            "<object_bucket_create><name>b&amp;1</name><namespace>ns1</namespace><head_type>s3</head_type>\
             <owner>cs-1</owner><vpool>urn:rg1</vpool><is_encryption_enabled>true</is_encryption_enabled>\
             <blockSize>10</blockSize><notificationSize>8</notificationSize>\
             <is_object_lock_enabled>false</is_object_lock_enabled>\
             <TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></object_bucket_create>"
        );
        let json = create_request(&create, Format::Json).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&json.body.unwrap().0).unwrap();
        assert_eq!(value["blockSize"], 10);
        assert_eq!(value["TagSet"][0]["Key"], "k");
        assert!(value.get("retention").is_none());
    }

    #[test]
    fn create_rejects_bad_quotas_and_names_locally() {
        let bad = BucketCreate {
            block_size_gb: Some(1),
            notification_size_gb: Some(2),
            ..BucketCreate::new("b", "ns")
        };
        assert_eq!(
            create_request(&bad, Format::Json).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert!(create_request(&BucketCreate::new("", "ns"), Format::Json).is_err());
        assert!(create_request(&BucketCreate::new("b", ""), Format::Json).is_err());
    }

    #[test]
    fn reads_carry_the_namespace_query() {
        assert_eq!(
            info_request("b 1", "ns", Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/bucket/b%201/info?namespace=ns"
        );
        assert_eq!(
            list_request("ns", Some("m"), Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/bucket?namespace=ns&marker=m"
        );
        assert_eq!(
            quota_request(Method::GET, "b", "ns", Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/bucket/b/quota?namespace=ns"
        );
        assert_eq!(
            acl_request("b", "ns", Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/bucket/b/acl?namespace=ns"
        );
        assert_eq!(
            lock_request("b", "ns", Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/bucket/b/lock?namespace=ns"
        );
        assert_eq!(
            empty_status_request("b", "ns", Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/bucket/b/empty-bucket-status?namespace=ns"
        );
    }

    #[test]
    fn delete_is_a_repeatable_post_with_optional_empty_bucket() {
        let plain = delete_request("b", "ns", false, Format::Json).unwrap();
        assert_eq!(
            (plain.method.clone(), plain.path_and_query()),
            (
                Method::POST,
                "/object/bucket/b/deactivate?namespace=ns".to_owned()
            )
        );
        assert!(plain.idempotent && plain.body.is_none());
        assert_eq!(
            delete_request("b", "ns", true, Format::Json)
                .unwrap()
                .path_and_query(),
            "/object/bucket/b/deactivate?namespace=ns&emptyBucket=true"
        );
    }

    #[test]
    fn quota_policy_versioning_owner_lock_and_tag_bodies() {
        let quota = set_quota_request("b", "ns", &BucketQuota::new(Some(10), Some(8)), Format::Xml)
            .unwrap();
        assert_eq!(
            body(&quota),
            "<bucket_quota_param><blockSize>10</blockSize><notificationSize>8</notificationSize><namespace>ns</namespace></bucket_quota_param>"
        );
        let hard_only =
            set_quota_request("b", "ns", &BucketQuota::new(Some(5), None), Format::Json).unwrap();
        assert_eq!(
            body(&hard_only),
            r#"{"blockSize":5,"notificationSize":-1,"namespace":"ns"}"#
        );
        assert!(set_quota_request("b", "ns", &BucketQuota::default(), Format::Json).is_err());

        let policy = set_policy_request("b", "ns", r#"{"Statement":[]}"#).unwrap();
        assert_eq!(policy.body.as_ref().unwrap().1, "application/json");
        assert_eq!(
            set_policy_request("b", "ns", "{}").unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            set_policy_request("b", "ns", "nope").unwrap_err().kind(),
            ErrorKind::InvalidInput
        );

        let versioning =
            set_versioning_request("b", "ns", VersioningStatus::Enabled, Format::Xml).unwrap();
        assert_eq!(
            body(&versioning),
            "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>"
        );
        assert!(
            set_versioning_request("b", "ns", VersioningStatus::Unversioned, Format::Xml).is_err()
        );

        let owner = owner_request("b", "ns", "u2", false, Format::Json).unwrap();
        assert_eq!(body(&owner), r#"{"namespace":"ns","new_owner":"u2"}"#);

        let lock = set_lock_request("b", "ns", true, Format::Xml).unwrap();
        assert_eq!(lock.path_and_query(), "/object/bucket/b/lock/true");
        assert_eq!(
            body(&lock),
            "<set_bucket_lock><namespace>ns</namespace></set_bucket_lock>"
        );

        let tags = tags_request(
            Method::DELETE,
            "b",
            "ns",
            &[BucketTag::new("k", "v")],
            Format::Xml,
        )
        .unwrap();
        assert_eq!(
            body(&tags),
            "<delete_bucket_tags><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet><namespace>ns</namespace></delete_bucket_tags>"
        );
    }

    #[test]
    fn acl_round_trips_in_both_formats() {
        let acl = BucketAcl::new(
            "b",
            "ns",
            Acl::with_users(vec![UserGrant {
                user: "root".into(),
                permission: vec!["full_control".into()],
            }]),
        );
        for format in [Format::Xml, Format::Json] {
            let request = set_acl_request(&acl, format).unwrap();
            let decoded: BucketAcl = decode(&request.body.unwrap().0, format).unwrap();
            assert_eq!(decoded, acl, "{format:?}");
        }
    }

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

    #[test]
    fn finished_empty_statuses_map_to_results() {
        let done = EmptyBucketStatus {
            status: "DONE".into(),
            ..EmptyBucketStatus::default()
        };
        assert!(finished("b", &done).is_ok());
        let failed = EmptyBucketStatus {
            status: "FAILED".into(),
            ..EmptyBucketStatus::default()
        };
        assert_eq!(
            finished("b", &failed).unwrap_err().kind(),
            ErrorKind::NotEmpty
        );
    }
}
