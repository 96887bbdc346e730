//! Buckets: create, list, info, deactivate (with `emptyBucket`), empty-bucket status.

use std::net::Ipv4Addr;
use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::{get, post};

use super::doc::{Doc, Val};
use super::input::Input;
use super::{Answer, Body, Caller, Reply, Req, page, routes};
use crate::clock::iso_millis;
use crate::core::Core;
use crate::error::EcsError;
use crate::state::{Acl, Bucket, EmptyStatus, Grant, Namespace, ObjectLock, State as Model};

#[rustfmt::skip]
pub(super) fn routes() -> Router<Arc<Core>> {
    routes! {
        "/object/bucket" => post(create).get(list),
        "/object/bucket/{bucket}/info" => get(info),
        "/object/bucket/{bucket}/deactivate" => post(deactivate),
        "/object/bucket/{bucket}/empty-bucket-status" => get(empty_status),
    }
}

/// ECS's bucket naming rules (Administration Guide): 1–255 of `[a-zA-Z0-9._-]`, not starting
/// or ending with `.`, no `..`, not an IPv4 address.
pub(crate) fn valid_bucket_name(name: &str) -> bool {
    (1..=255).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && !name.starts_with('.')
        && !name.ends_with('.')
        && !name.contains("..")
        && name.parse::<Ipv4Addr>().is_err()
}

/// Checks a quota value in GB (or objects): an integer ≥ 1, or -1 for "not set".
pub(crate) fn check_quota_value(name: &str, value: i64) -> Result<(), EcsError> {
    if value == -1 || value >= 1 {
        Ok(())
    } else {
        Err(EcsError::invalid(format!(
            "{name} must be -1 or at least 1, not {value}"
        )))
    }
}

/// Checks a hard/soft pair: the soft limit may not exceed the hard one when both are set.
pub(crate) fn check_quota_pair(block: i64, notification: i64) -> Result<(), EcsError> {
    check_quota_value("blockSize", block)?;
    check_quota_value("notificationSize", notification)?;
    if block > 0 && notification > block {
        return Err(EcsError::invalid(format!(
            "notificationSize {notification} must not exceed blockSize {block}"
        )));
    }
    Ok(())
}

/// Reads a quota to set: `blockSize` and `notificationSize` in GB (missing = -1), checked as a
/// pair and not both -1 (deleting a quota is its own request).
pub(crate) fn quota_to_set(body: &Input) -> Result<(i64, i64), EcsError> {
    let block = body.int("blockSize")?.unwrap_or(-1);
    let notification = body.int("notificationSize")?.unwrap_or(-1);
    check_quota_pair(block, notification)?;
    if block == -1 && notification == -1 {
        return Err(EcsError::invalid(
            "blockSize and notificationSize cannot both be -1; delete the quota instead",
        ));
    }
    Ok((block, notification))
}

/// Reads a `TagSet` of `Tag{Key,Value}`: XML `<TagSet><Tag>…`, JSON `"TagSet": [...]`.
pub(crate) fn parse_tag_set(input: &Input) -> Vec<(String, String)> {
    let items = match input.child("TagSet") {
        Some(wrapper) => wrapper.list("Tag"),
        None => input.list("TagSet"),
    };
    items
        .iter()
        .filter_map(|tag| Some((tag.str("Key")?, tag.str("Value").unwrap_or_default())))
        .collect()
}

/// The `TagSet` value: XML `<TagSet><Tag><Key/><Value/></Tag></TagSet>`; JSON under `json_key`.
pub(crate) fn tag_set(tags: &[(String, String)], json_key: Option<&'static str>) -> Val {
    let items = tags
        .iter()
        .map(|(key, value)| {
            Val::Obj(
                Doc::new("Tag")
                    .str("Key", key.clone())
                    .str("Value", value.clone()),
            )
        })
        .collect();
    Val::Wrapped {
        item: "Tag",
        json_key,
        items,
    }
}

/// The bucket's namespace: the request's, else the caller's own, else 400/1005.
fn request_namespace(explicit: Option<String>, caller: &Caller) -> Result<String, EcsError> {
    explicit
        .filter(|ns| !ns.is_empty())
        .or_else(|| caller.namespace.clone())
        .ok_or_else(|| EcsError::missing("namespace"))
}

/// The settings of a new bucket read from an `object_bucket_create` body.
fn new_bucket(
    state: &Model,
    body: &Input,
    name: String,
    namespace: String,
    caller: &Caller,
    now: i64,
) -> Result<Bucket, EcsError> {
    let ns = state.namespace(&namespace)?;
    let owner = match body.str("owner").filter(|owner| !owner.is_empty()) {
        Some(owner) => {
            if !state.user_in(&owner, &namespace) {
                return Err(EcsError::bad_owner(&owner));
            }
            owner
        }
        None => caller.name.clone(),
    };
    let vpool = match body.str("vpool").filter(|vpool| !vpool.is_empty()) {
        Some(vpool) if state.replication_groups.contains_key(&vpool) => vpool,
        Some(vpool) => return Err(EcsError::param_not_found(&vpool)),
        None => ns.default_vpool.clone(),
    };
    if !ns.allows_vpool(&vpool) {
        return Err(EcsError::invalid(format!(
            "Replication group {vpool} is not allowed in namespace {namespace}"
        )));
    }
    let block = body.int("blockSize")?.unwrap_or(-1);
    let notification = body.int("notificationSize")?.unwrap_or(-1);
    check_quota_pair(block, notification)?;
    let block_count = body.int("blockSizeInCount")?.unwrap_or(-1);
    let notification_count = body.int("notificationSizeInCount")?.unwrap_or(-1);
    check_quota_value("blockSizeInCount", block_count)?;
    check_quota_value("notificationSizeInCount", notification_count)?;
    let tags = parse_tag_set(body);
    if tags.len() > 10 {
        return Err(EcsError::limit("A bucket may carry at most 10 tags"));
    }
    let object_lock = body.bool("is_object_lock_enabled")?.unwrap_or(false);
    let versioning = match body
        .str("versioning_status")
        .filter(|status| !status.is_empty())
    {
        Some(status) if status == "Enabled" || status == "Suspended" => Some(status),
        Some(status) => {
            return Err(EcsError::invalid(format!(
                "Invalid versioning_status {status}"
            )));
        }
        None if object_lock => Some("Enabled".to_owned()),
        None => None,
    };
    let mut bucket = default_bucket(&name, &namespace, &owner, &vpool, now);
    bucket.head_type = body
        .str("head_type")
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "s3".to_owned())
        .to_ascii_lowercase();
    bucket.fs_enabled = body.bool("filesystem_enabled")?.unwrap_or(false);
    bucket.encryption = ns.encryption || body.bool("is_encryption_enabled")?.unwrap_or(false);
    bucket.stale_allowed = body.bool("is_stale_allowed")?.unwrap_or(false);
    bucket.tso_read_only = body.bool("is_tso_read_only")?.unwrap_or(false);
    bucket.block_size = block;
    bucket.notification_size = notification;
    bucket.block_size_count = block_count;
    bucket.notification_size_count = notification_count;
    bucket.retention = body.int("retention")?.unwrap_or(0);
    bucket.versioning = versioning;
    bucket.tags = tags;
    bucket.object_lock.enabled = object_lock;
    Ok(bucket)
}

/// A bucket with ECS's defaults: no quotas, unversioned, owner has full control.
fn default_bucket(name: &str, namespace: &str, owner: &str, vpool: &str, now: i64) -> Bucket {
    Bucket {
        name: name.to_owned(),
        namespace: namespace.to_owned(),
        owner: owner.to_owned(),
        vpool: vpool.to_owned(),
        created_ms: now,
        head_type: "s3".to_owned(),
        fs_enabled: false,
        encryption: false,
        stale_allowed: false,
        tso_read_only: false,
        block_size: -1,
        notification_size: -1,
        block_size_count: -1,
        notification_size_count: -1,
        retention: 0,
        versioning: None,
        policy: None,
        tags: Vec::new(),
        acl: Acl {
            owner: Some(owner.to_owned()),
            user_acl: vec![Grant {
                grantee: owner.to_owned(),
                permissions: vec!["full_control".to_owned()],
            }],
            ..Acl::default()
        },
        locked: false,
        object_lock: ObjectLock::default(),
        cors: None,
        empty_in_progress: false,
        retained: std::collections::BTreeMap::new(),
    }
}

/// A bucket created over S3 (`CreateBucket`): the namespace's replication group and defaults.
pub(crate) fn new_s3_bucket(
    namespace: &Namespace,
    name: &str,
    owner: &str,
    encryption: bool,
    now: i64,
) -> Bucket {
    let mut bucket = default_bucket(name, &namespace.name, owner, &namespace.default_vpool, now);
    bucket.encryption = namespace.encryption || encryption;
    bucket
}

/// `POST /object/bucket`.
async fn create(req: Req, Body(body): Body) -> Answer {
    let body = body.root("object_bucket_create");
    let name = body.required("name")?;
    let namespace = request_namespace(body.str("namespace"), &req.caller)?;
    if !valid_bucket_name(&name) {
        return Err(EcsError::bad_bucket_name(&name));
    }
    let now = req.core.clock.now_ms();
    let bucket = {
        let mut state = req.core.state();
        state.namespace(&namespace)?;
        req.caller.manage(&namespace, "create buckets")?;
        if state.bucket(&namespace, &name).is_ok() {
            return Err(EcsError::bucket_exists(&name));
        }
        let bucket = new_bucket(&state, &body, name, namespace, &req.caller, now)?;
        state
            .buckets
            .entry(bucket.namespace.clone())
            .or_default()
            .insert(bucket.name.clone(), bucket.clone());
        bucket
    };
    req.core
        .storage
        .bucket_created(&bucket.namespace, &bucket.name);
    tracing::info!(bucket = %bucket.name, namespace = %bucket.namespace, "bucket created");
    Ok(Reply::doc(
        Doc::new("object_bucket")
            .str("id", bucket.id())
            .str("name", bucket.name.clone())
            .link(format!("/object/bucket/{}", bucket.id()))
            .bool("inactive", false)
            .bool("global", false)
            .bool("remote", false)
            .bool("internal", false)
            .val("TagSet", tag_set(&bucket.tags, None))
            .obj(
                "metaData",
                Doc::new("metaData")
                    .bool("isEnabled", false)
                    .int("maxKeys", 0),
            ),
    ))
}

/// Every field of `bucket_info` (also each `object_bucket` of a listing).
pub(crate) fn bucket_doc(root: &'static str, bucket: &Bucket) -> Doc {
    let mut doc = Doc::new(root)
        .str("name", bucket.name.clone())
        .str("id", bucket.id())
        .link(format!("/object/bucket/{}", bucket.id()))
        .str("namespace", bucket.namespace.clone())
        .str("owner", bucket.owner.clone())
        .str("created", iso_millis(bucket.created_ms))
        .str("softquota", bucket.notification_size.to_string())
        .bool("fs_access_enabled", bucket.fs_enabled)
        .bool("locked", bucket.locked)
        .str("vpool", bucket.vpool.clone())
        .bool("is_stale_allowed", bucket.stale_allowed)
        .bool("is_object_lock_with_ado_allowed", false)
        .bool("is_tso_read_only", bucket.tso_read_only)
        .bool("is_object_lock_enabled", bucket.object_lock.enabled);
    if let Some(mode) = &bucket.object_lock.mode {
        doc = doc
            .str("default_object_lock_retention_mode", mode.clone())
            .int(
                "default_object_lock_retention_years",
                bucket.object_lock.years.unwrap_or(0),
            )
            .int(
                "default_object_lock_retention_days",
                bucket.object_lock.days.unwrap_or(0),
            );
    }
    doc = doc
        .str("is_encryption_enabled", bucket.encryption.to_string())
        .int("default_retention", bucket.retention)
        .int("retention", bucket.retention)
        .int("block_size", bucket.block_size)
        .int("notification_size", bucket.notification_size)
        .int("blockSizeInCount", bucket.block_size_count)
        .int("notificationSizeInCount", bucket.notification_size_count)
        .int("auto_commit_period", 0)
        .str("api_type", bucket.head_type.to_ascii_uppercase())
        .val("TagSet", tag_set(&bucket.tags, None));
    for permission in [
        "file_read",
        "file_write",
        "file_execute",
        "dir_read",
        "dir_write",
        "dir_execute",
    ] {
        doc = doc.bool(&format!("default_group_{permission}_permission"), false);
    }
    doc = doc
        .str(
            "default_group",
            bucket.acl.default_group.clone().unwrap_or_default(),
        )
        .obj(
            "search_metadata",
            Doc::new("search_metadata")
                .bool("isEnabled", false)
                .bool("mdTokens", false)
                .int("maxKeys", 0),
        )
        .obj(
            "min_max_governor",
            Doc::new("min_max_governor")
                .bool("enforce_retention", false)
                .int("minimum_fixed_retention", 0)
                .int("maximum_fixed_retention", 0)
                .int("minimum_variable_retention", 0)
                .int("maximum_variable_retention", 0),
        )
        .int("audit_delete_expiration", -1)
        .bool("is_empty_bucket_in_progress", bucket.empty_in_progress)
        .bool("local_object_metadata_reads", false);
    if let Some(status) = &bucket.versioning {
        doc = doc.str("versioning_status", status.clone());
    }
    doc
}

/// `GET /object/bucket?namespace=&marker=&limit=&name=prefix*`.
async fn list(req: Req) -> Answer {
    let namespace = request_namespace(req.params.get("namespace").map(str::to_owned), &req.caller)?;
    let limit = req.params.limit()?;
    let name_filter = req.params.get("name").unwrap_or("*");
    let prefix = name_filter.strip_suffix('*').unwrap_or(name_filter);
    let exact = !name_filter.ends_with('*');
    let state = req.core.state();
    state.namespace(&namespace)?;
    req.caller.read(&namespace, "list buckets")?;
    let buckets = state
        .buckets
        .get(&namespace)
        .map(|buckets| {
            buckets
                .values()
                .filter(|bucket| {
                    if exact {
                        bucket.name == prefix
                    } else {
                        bucket.name.starts_with(prefix)
                    }
                })
                .map(|bucket| {
                    (
                        bucket.name.clone(),
                        Val::Obj(bucket_doc("object_bucket", bucket)),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let (items, next) = page(buckets, req.params.get("marker"), limit);
    let mut doc = Doc::new("object_buckets").list("object_bucket", items).str(
        "Filter",
        format!("namespace={namespace}&name={name_filter}"),
    );
    if let Some(limit) = limit {
        doc = doc.int("MaxBuckets", i64::try_from(limit).unwrap_or(i64::MAX));
    }
    if let Some(next) = next {
        let link = format!(
            "/object/bucket?namespace={namespace}&marker={next}&limit={}",
            limit.unwrap_or(0)
        );
        doc = doc.str("NextMarker", next).str("NextPageLink", link);
    }
    Ok(Reply::doc(doc))
}

/// The namespace of the bucket a request names (the given one, else the caller's own, else the
/// only one holding a bucket of that name), after checking the bucket exists.
fn bucket_namespace(
    state: &Model,
    caller: &Caller,
    bucket: &str,
    namespace: Option<&str>,
) -> Result<String, EcsError> {
    let namespace = state.bucket_namespace(bucket, namespace.or(caller.namespace.as_deref()))?;
    state.bucket(&namespace, bucket)?;
    Ok(namespace)
}

/// Resolves the bucket of a request and checks the caller may read it; returns its namespace.
pub(crate) fn readable(
    state: &Model,
    caller: &Caller,
    bucket: &str,
    namespace: Option<&str>,
) -> Result<String, EcsError> {
    let namespace = bucket_namespace(state, caller, bucket, namespace)?;
    caller.read(&namespace, "read buckets")?;
    Ok(namespace)
}

/// Resolves the bucket of a request and checks the caller may change it; returns its namespace.
pub(crate) fn writable(
    state: &Model,
    caller: &Caller,
    bucket: &str,
    namespace: Option<&str>,
) -> Result<String, EcsError> {
    let namespace = bucket_namespace(state, caller, bucket, namespace)?;
    caller.manage(&namespace, "change buckets")?;
    Ok(namespace)
}

/// The bucket handlers' steps: find the bucket, check the caller's right, read or change it.
impl Req {
    /// The namespace a bucket request names: the `namespace` query parameter, else the body's.
    pub(crate) fn namespace_hint(&self, body: Option<&Input>) -> Option<String> {
        self.namespace().map(str::to_owned).or_else(|| {
            body.and_then(|body| body.str("namespace"))
                .filter(|ns| !ns.is_empty())
        })
    }

    /// Reads a bucket after checking the caller may read it.
    pub(crate) fn read_bucket<T>(
        &self,
        bucket: &str,
        view: impl FnOnce(&Bucket) -> T,
    ) -> Result<T, EcsError> {
        let state = self.core.state();
        let namespace = readable(&state, &self.caller, bucket, self.namespace())?;
        Ok(view(state.bucket(&namespace, bucket)?))
    }

    /// Changes a bucket after checking the caller may change it; the namespace comes from the
    /// query, else from `body`.
    pub(crate) fn change_bucket(
        &self,
        bucket: &str,
        body: Option<&Input>,
        change: impl FnOnce(&mut Bucket) -> Result<(), EcsError>,
    ) -> Answer {
        let namespace = self.namespace_hint(body);
        let mut state = self.core.state();
        let namespace = writable(&state, &self.caller, bucket, namespace.as_deref())?;
        change(state.bucket_mut(&namespace, bucket)?)?;
        Ok(Reply::ok())
    }
}

/// `GET /object/bucket/{bucket}/info?namespace=`.
async fn info(req: Req, Path(bucket): Path<String>) -> Answer {
    let state = req.core.state();
    let namespace = readable(&state, &req.caller, &bucket, req.params.get("namespace"))?;
    Ok(Reply::doc(bucket_doc(
        "bucket_info",
        state.bucket(&namespace, &bucket)?,
    )))
}

/// `POST /object/bucket/{bucket}/deactivate?namespace=[&emptyBucket=true]`.
///
/// A non-empty bucket is refused (400/1012 "… is not empty") unless `emptyBucket=true`, which
/// empties and removes it and answers 202; the emulator finishes the job before answering, so
/// `empty-bucket-status` reports `DONE` at once.
async fn deactivate(req: Req, Path(bucket): Path<String>) -> Answer {
    let namespace = {
        let state = req.core.state();
        let namespace = state.bucket_namespace(
            &bucket,
            req.params
                .get("namespace")
                .or(req.caller.namespace.as_deref()),
        )?;
        state.bucket(&namespace, &bucket)?;
        req.caller.system_admin("delete buckets")?;
        namespace
    };
    let usage = req.core.usage(&namespace, &bucket);
    let status = if usage.is_empty() {
        StatusCode::OK
    } else if req.params.flag("emptyBucket") {
        let started = req.core.clock.now_ms();
        let deleted = req.core.empty_bucket(&namespace, &bucket);
        let status = EmptyStatus {
            status: "DONE",
            created_ms: started,
            updated_ms: req.core.clock.now_ms(),
            entries_deleted: deleted,
            approx_objects: usage.objects + usage.versions,
            approx_bytes: usage.bytes,
        };
        req.core
            .state()
            .empty_status
            .insert((namespace.clone(), bucket.clone()), status);
        StatusCode::ACCEPTED
    } else {
        return Err(EcsError::cannot_change(format!(
            "Bucket {bucket} is not empty: {} objects, {} versions or delete markers and {} uploads remain",
            usage.objects, usage.versions, usage.uploads
        )));
    };
    {
        let mut state = req.core.state();
        if let Some(buckets) = state.buckets.get_mut(&namespace) {
            buckets.remove(&bucket);
        }
    }
    req.core.bucket_removed(&namespace, &bucket);
    tracing::info!(%bucket, %namespace, "bucket deleted");
    Ok(Reply::Empty(status))
}

/// `GET /object/bucket/{bucket}/empty-bucket-status?namespace=`.
async fn empty_status(req: Req, Path(bucket): Path<String>) -> Answer {
    let state = req.core.state();
    let namespace = req
        .params
        .get("namespace")
        .or(req.caller.namespace.as_deref())
        .map(str::to_owned);
    let recorded = namespace
        .as_ref()
        .and_then(|namespace| state.empty_status.get(&(namespace.clone(), bucket.clone())));
    let doc = match recorded {
        Some(status) => {
            req.caller
                .read(namespace.as_deref().unwrap_or_default(), "read buckets")?;
            Doc::new("empty_bucket_status")
                .str("status", status.status)
                .int("created", status.created_ms)
                .int("last_updated", status.updated_ms)
                .int(
                    "entries_deleted",
                    i64::try_from(status.entries_deleted).unwrap_or(i64::MAX),
                )
                .int("failed_to_delete_due_to_retention", 0)
                .int("failed_to_delete_due_to_other", 0)
                .int(
                    "approx_object_count",
                    i64::try_from(status.approx_objects).unwrap_or(i64::MAX),
                )
                .int(
                    "approx_total_size",
                    i64::try_from(status.approx_bytes).unwrap_or(i64::MAX),
                )
                .str("approx_total_size_unit_string", "BYTE")
                .str("message", "Bucket emptied and deleted")
        }
        None => {
            readable(&state, &req.caller, &bucket, namespace.as_deref())?;
            Doc::new("empty_bucket_status")
                .str("status", "NOT_FOUND")
                .str("message", "No empty-bucket task for this bucket")
        }
    };
    Ok(Reply::doc(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naming_rules() {
        for good in ["b", "my-bucket", "My_Bucket.2", "-x", &"a".repeat(255)] {
            assert!(valid_bucket_name(good), "{good}");
        }
        for bad in [
            "",
            ".b",
            "b.",
            "a..b",
            "a/b",
            "a b",
            "10.0.0.1",
            &"a".repeat(256),
        ] {
            assert!(!valid_bucket_name(bad), "{bad}");
        }
    }

    #[test]
    fn quota_rules() {
        assert!(check_quota_pair(-1, -1).is_ok());
        assert!(check_quota_pair(10, 8).is_ok());
        assert!(check_quota_pair(5, -1).is_ok());
        assert_eq!(check_quota_pair(0, -1).unwrap_err().code, 1008);
        assert_eq!(check_quota_pair(5, 6).unwrap_err().code, 1008);
    }
}
