//! Per-bucket settings: quota, policy, versioning, owner, ACL, tags, admin lock, retention,
//! ADO flag, Object Lock configuration.
//!
//! The namespace comes from the `namespace` query parameter, else the body's `namespace`, else
//! the caller's own namespace, else the only namespace holding a bucket of that name.

use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::routing::{get, post, put};
use serde_json::Value as Json;

use super::buckets::{check_quota_value, parse_tag_set, quota_to_set, writable};
use super::doc::{Doc, Val};
use super::input::Input;
use super::{Answer, Body, Reply, Req, routes};
use crate::core::Core;
use crate::error::EcsError;
use crate::state::{Bucket, Grant};
use crate::version::{MgmtVersioningEndpoint, ObjectLockEndpoint};

#[rustfmt::skip]
pub(super) fn routes() -> Router<Arc<Core>> {
    routes! {
        "/object/bucket/{bucket}/quota" => get(get_quota).put(set_quota).delete(delete_quota),
        "/object/bucket/{bucket}/policy" => get(get_policy).put(set_policy).delete(delete_policy),
        "/object/bucket/{bucket}/versioning" => get(get_versioning).put(set_versioning),
        "/object/bucket/{bucket}/owner" => post(set_owner),
        "/object/bucket/{bucket}/acl" => get(get_acl).put(set_acl),
        "/object/bucket/{bucket}/tags" => post(add_tags).put(update_tags).delete(delete_tags),
        "/object/bucket/{bucket}/lock" => get(get_lock),
        "/object/bucket/{bucket}/lock/{locked}" => put(set_lock),
        "/object/bucket/{bucket}/retention" => get(get_retention).put(set_retention),
        "/object/bucket/{bucket}/isstaleallowed" => post(set_stale_allowed),
        "/object/bucket/{bucket}/object-lock-config" => get(get_object_lock).put(set_object_lock),
        "/object/bucket/{bucket}/object-lock-enable" => put(enable_object_lock),
    }
}

/// The most bucket tags ECS allows.
const MAX_TAGS: usize = 10;

/// ECS ACL permission ids (`GET /object/bucket/acl/permissions`).
const PERMISSIONS: &[&str] = &[
    "read",
    "read_acl",
    "write",
    "write_acl",
    "execute",
    "full_control",
    "privileged_write",
    "delete",
    "none",
];

/// `GET /object/bucket/{bucket}/quota`.
async fn get_quota(req: Req, Path(bucket): Path<String>) -> Answer {
    let doc = req.read_bucket(&bucket, |b| {
        Doc::new("bucket_quota_details")
            .str("bucketname", b.name.clone())
            .str("namespace", b.namespace.clone())
            .int("blockSize", b.block_size)
            .int("notificationSize", b.notification_size)
            .int("blockSizeInCount", b.block_size_count)
            .int("notificationSizeInCount", b.notification_size_count)
    })?;
    Ok(Reply::doc(doc))
}

/// `PUT /object/bucket/{bucket}/quota`: GB values ≥ 1 or -1 (missing = -1), not both -1
/// (DELETE clears), notification ≤ block.
async fn set_quota(req: Req, Path(bucket): Path<String>, Body(body): Body) -> Answer {
    let body = body.root("bucket_quota_param");
    let (block, notification) = quota_to_set(&body)?;
    let block_count = body.int("blockSizeInCount")?;
    let notification_count = body.int("notificationSizeInCount")?;
    for (name, value) in [
        ("blockSizeInCount", block_count),
        ("notificationSizeInCount", notification_count),
    ] {
        if let Some(value) = value {
            check_quota_value(name, value)?;
        }
    }
    req.change_bucket(&bucket, Some(&body), |b| {
        b.block_size = block;
        b.notification_size = notification;
        b.block_size_count = block_count.unwrap_or(b.block_size_count);
        b.notification_size_count = notification_count.unwrap_or(b.notification_size_count);
        Ok(())
    })
}

/// `DELETE /object/bucket/{bucket}/quota`: both limits back to -1.
async fn delete_quota(req: Req, Path(bucket): Path<String>) -> Answer {
    req.change_bucket(&bucket, None, |b| {
        b.block_size = -1;
        b.notification_size = -1;
        b.block_size_count = -1;
        b.notification_size_count = -1;
        Ok(())
    })
}

/// `GET /object/bucket/{bucket}/policy`: the policy JSON, or 200 with an empty body.
async fn get_policy(req: Req, Path(bucket): Path<String>) -> Answer {
    let policy = req.read_bucket(&bucket, |b| b.policy.clone())?;
    Ok(match policy {
        Some(policy) => Reply::Raw(http::StatusCode::OK, "application/json", policy),
        None => Reply::ok(),
    })
}

/// Validates a policy document: a JSON object with a non-empty `Statement`.
pub(crate) fn check_policy(input: &Input) -> Result<String, EcsError> {
    let Json::Object(map) = input.json() else {
        return Err(EcsError::bad_body(
            "The bucket policy must be a JSON object",
        ));
    };
    match map.get("Statement") {
        Some(Json::Array(statements)) if !statements.is_empty() => {}
        Some(Json::Object(_)) => {}
        _ => return Err(EcsError::invalid("Missing required field Statement")),
    }
    Ok(input.json().to_string())
}

/// `PUT /object/bucket/{bucket}/policy`: a JSON policy that contains `Statement`.
async fn set_policy(req: Req, Path(bucket): Path<String>, Body(body): Body) -> Answer {
    let policy = check_policy(&body)?;
    req.change_bucket(&bucket, None, |b| {
        b.policy = Some(policy);
        Ok(())
    })
}

/// `DELETE /object/bucket/{bucket}/policy`.
async fn delete_policy(req: Req, Path(bucket): Path<String>) -> Answer {
    req.change_bucket(&bucket, None, |b| {
        b.policy = None;
        Ok(())
    })
}

/// `GET /object/bucket/{bucket}/versioning`: `{"Status": …}` (absent when never enabled).
async fn get_versioning(
    _since_4_0: MgmtVersioningEndpoint,
    req: Req,
    Path(bucket): Path<String>,
) -> Answer {
    let status = req.read_bucket(&bucket, |b| b.versioning.clone())?;
    Ok(Reply::doc(
        Doc::new("VersioningConfiguration").opt_str("Status", status),
    ))
}

/// `PUT /object/bucket/{bucket}/versioning`: `Status` = `Enabled` | `Suspended`.
async fn set_versioning(
    _since_4_0: MgmtVersioningEndpoint,
    req: Req,
    Path(bucket): Path<String>,
    Body(body): Body,
) -> Answer {
    let body = body.root("VersioningConfiguration");
    let status = body.required("Status")?;
    if status != "Enabled" && status != "Suspended" {
        return Err(EcsError::invalid(format!(
            "Invalid versioning status {status}"
        )));
    }
    req.change_bucket(&bucket, Some(&body), |b| {
        if status == "Suspended" && b.object_lock.enabled {
            return Err(EcsError::cannot_change(
                "Versioning cannot be suspended on a bucket with Object Lock",
            ));
        }
        b.versioning = Some(status);
        Ok(())
    })
}

/// `POST /object/bucket/{bucket}/owner` (SYSTEM_ADMIN): `new_owner` must be an object user.
async fn set_owner(req: Req, Path(bucket): Path<String>, Body(body): Body) -> Answer {
    let body = body.root("object_bucket_update_owner");
    let owner = body.required("new_owner")?;
    let namespace = req.namespace_hint(Some(&body));
    req.caller.system_admin("change bucket owners")?;
    let mut state = req.core.state();
    let namespace = writable(&state, &req.caller, &bucket, namespace.as_deref())?;
    if !state.user_in(&owner, &namespace) {
        return Err(EcsError::bad_owner(&owner));
    }
    let target = state.bucket_mut(&namespace, &bucket)?;
    target.owner = owner.clone();
    target.acl.owner = Some(owner);
    Ok(Reply::ok())
}

fn grants_doc(grants: &[Grant], element: &'static str, key: &'static str) -> Val {
    Val::List(
        grants
            .iter()
            .map(|grant| {
                let permissions = grant
                    .permissions
                    .iter()
                    .map(|p| Val::Str(p.clone()))
                    .collect();
                Val::Obj(
                    Doc::new(element)
                        .str(key, grant.grantee.clone())
                        .list("permission", permissions),
                )
            })
            .collect(),
    )
}

/// `GET /object/bucket/{bucket}/acl`: ECS's ACL model.
async fn get_acl(req: Req, Path(bucket): Path<String>) -> Answer {
    let doc = req.read_bucket(&bucket, |b| {
        let acl = Doc::new("acl")
            .str(
                "owner",
                b.acl.owner.clone().unwrap_or_else(|| b.owner.clone()),
            )
            .opt_str("default_group", b.acl.default_group.clone())
            .val("user_acl", grants_doc(&b.acl.user_acl, "user_acl", "user"))
            .val(
                "group_acl",
                grants_doc(&b.acl.group_acl, "group_acl", "group"),
            )
            .val(
                "customgroup_acl",
                grants_doc(&b.acl.customgroup_acl, "customgroup_acl", "customgroup"),
            );
        Doc::new("bucket_acl")
            .str("bucket", b.name.clone())
            .str("namespace", b.namespace.clone())
            .obj("acl", acl)
    })?;
    Ok(Reply::doc(doc))
}

fn parse_grants(acl: &Input, element: &str, key: &str) -> Result<Vec<Grant>, EcsError> {
    acl.list(element)
        .iter()
        .map(|item| {
            let grantee = item.required(key)?;
            let permissions: Vec<String> = item
                .list("permission")
                .iter()
                .filter_map(Input::as_text)
                .collect();
            if let Some(bad) = permissions
                .iter()
                .find(|p| !PERMISSIONS.contains(&p.as_str()))
            {
                return Err(EcsError::invalid(format!("Invalid permission {bad}")));
            }
            Ok(Grant {
                grantee,
                permissions,
            })
        })
        .collect()
}

/// `PUT /object/bucket/{bucket}/acl`: replaces the whole ACL.
async fn set_acl(req: Req, Path(bucket): Path<String>, Body(body): Body) -> Answer {
    let body = body.root("bucket_acl");
    let acl = body.child("acl").unwrap_or_default();
    let users = parse_grants(&acl, "user_acl", "user")?;
    let groups = parse_grants(&acl, "group_acl", "group")?;
    let custom = parse_grants(&acl, "customgroup_acl", "customgroup")?;
    let default_group = acl.str("default_group").filter(|g| !g.is_empty());
    req.change_bucket(&bucket, Some(&body), |b| {
        b.acl.user_acl = users;
        b.acl.group_acl = groups;
        b.acl.customgroup_acl = custom;
        b.acl.default_group = default_group;
        Ok(())
    })
}

/// How a tag request changes the `TagSet`.
#[derive(Clone, Copy)]
enum TagChange {
    Add,
    Update,
    Delete,
}

fn change_tags(req: &Req, bucket: &str, body: Input, change: TagChange) -> Answer {
    let root = match change {
        TagChange::Add => "add_bucket_tags",
        TagChange::Update => "update_bucket_tags",
        TagChange::Delete => "delete_bucket_tags",
    };
    let body = body.root(root);
    let tags = parse_tag_set(&body);
    if tags.is_empty() {
        return Err(EcsError::missing("TagSet"));
    }
    req.change_bucket(bucket, Some(&body), |b| {
        let has = |key: &str, b: &Bucket| b.tags.iter().any(|(existing, _)| existing == key);
        match change {
            TagChange::Add => {
                let added = tags.iter().filter(|(key, _)| !has(key, b)).count();
                if b.tags.len() + added > MAX_TAGS {
                    return Err(EcsError::limit(format!(
                        "A bucket may carry at most {MAX_TAGS} tags"
                    )));
                }
                for (key, value) in tags {
                    b.tags.retain(|(existing, _)| *existing != key);
                    b.tags.push((key, value));
                }
            }
            TagChange::Update | TagChange::Delete => {
                if let Some((missing, _)) = tags.iter().find(|(key, _)| !has(key, b)) {
                    return Err(EcsError::param_not_found(missing));
                }
                for (key, value) in tags {
                    match change {
                        TagChange::Delete => b.tags.retain(|(existing, _)| *existing != key),
                        _ => {
                            for slot in b.tags.iter_mut().filter(|(existing, _)| *existing == key) {
                                slot.1 = value.clone();
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    })
}

/// `POST /object/bucket/{bucket}/tags`: adds tags (at most 10 in all).
async fn add_tags(req: Req, Path(bucket): Path<String>, Body(body): Body) -> Answer {
    change_tags(&req, &bucket, body, TagChange::Add)
}

/// `PUT /object/bucket/{bucket}/tags`: changes values of existing tags.
async fn update_tags(req: Req, Path(bucket): Path<String>, Body(body): Body) -> Answer {
    change_tags(&req, &bucket, body, TagChange::Update)
}

/// `DELETE /object/bucket/{bucket}/tags`: removes existing tags.
async fn delete_tags(req: Req, Path(bucket): Path<String>, Body(body): Body) -> Answer {
    change_tags(&req, &bucket, body, TagChange::Delete)
}

/// `GET /object/bucket/{bucket}/lock`.
async fn get_lock(req: Req, Path(bucket): Path<String>) -> Answer {
    let doc = req.read_bucket(&bucket, |b| {
        Doc::new("bucket_lock")
            .str("bucket_name", b.name.clone())
            .bool("isLocked", b.locked)
    })?;
    Ok(Reply::doc(doc))
}

/// `PUT /object/bucket/{bucket}/lock/{true|false}`.
async fn set_lock(
    req: Req,
    Path((bucket, locked)): Path<(String, String)>,
    Body(body): Body,
) -> Answer {
    let body = body.root("set_bucket_lock");
    let locked = match locked.to_ascii_lowercase().as_str() {
        "true" => true,
        "false" => false,
        _ => return Err(EcsError::invalid(format!("Invalid lock flag {locked}"))),
    };
    req.change_bucket(&bucket, Some(&body), |b| {
        b.locked = locked;
        Ok(())
    })
}

fn governor() -> Doc {
    Doc::new("min_max_governor")
        .bool("enforce_retention", false)
        .int("minimum_fixed_retention", 0)
        .int("maximum_fixed_retention", 0)
        .int("minimum_variable_retention", 0)
        .int("maximum_variable_retention", 0)
}

/// `GET /object/bucket/{bucket}/retention`: the default retention period in seconds.
async fn get_retention(req: Req, Path(bucket): Path<String>) -> Answer {
    let period = req.read_bucket(&bucket, |b| b.retention)?;
    Ok(Reply::doc(
        Doc::new("default_bucket_retention")
            .int("period", period)
            .obj("min_max_governor", governor()),
    ))
}

/// `PUT /object/bucket/{bucket}/retention`: `period` in seconds (≥ 0, or -1 for none).
async fn set_retention(req: Req, Path(bucket): Path<String>, Body(body): Body) -> Answer {
    let body = body.root("default_bucket_retention_update");
    let period = body
        .int("period")?
        .ok_or_else(|| EcsError::missing("period"))?;
    if period < -1 {
        return Err(EcsError::invalid(format!(
            "Invalid retention period {period}"
        )));
    }
    req.change_bucket(&bucket, Some(&body), |b| {
        b.retention = period;
        Ok(())
    })
}

/// `POST /object/bucket/{bucket}/isstaleallowed`: the ADO flags.
async fn set_stale_allowed(req: Req, Path(bucket): Path<String>, Body(body): Body) -> Answer {
    let body = body.root("object_bucket_update_is_stale_allowed");
    let stale = body
        .bool("is_stale_allowed")?
        .ok_or_else(|| EcsError::missing("is_stale_allowed"))?;
    let tso = body.bool("is_tso_read_only")?;
    req.change_bucket(&bucket, Some(&body), |b| {
        b.stale_allowed = stale;
        b.tso_read_only = tso.unwrap_or(b.tso_read_only);
        Ok(())
    })
}

/// `GET /object/bucket/{bucket}/object-lock-config`.
async fn get_object_lock(
    _since_3_6_2: ObjectLockEndpoint,
    req: Req,
    Path(bucket): Path<String>,
) -> Answer {
    let lock = req.read_bucket(&bucket, |b| b.object_lock.clone())?;
    if !lock.enabled {
        return Err(EcsError::cannot_change(format!(
            "Object Lock is not enabled on bucket {bucket}"
        )));
    }
    let mut doc = Doc::new("ObjectLockConfiguration").str("ObjectLockEnabled", "Enabled");
    if let Some(mode) = lock.mode {
        let mut retention = Doc::new("DefaultRetention").str("Mode", mode);
        if let Some(days) = lock.days {
            retention = retention.int("Days", days);
        }
        if let Some(years) = lock.years {
            retention = retention.int("Years", years);
        }
        doc = doc.obj("Rule", Doc::new("Rule").obj("DefaultRetention", retention));
    }
    Ok(Reply::doc(doc))
}

/// `PUT /object/bucket/{bucket}/object-lock-config`: default retention `Mode` with `Days` or
/// `Years` (exactly one, positive); the bucket must have Object Lock enabled.
async fn set_object_lock(
    _since_3_6_2: ObjectLockEndpoint,
    req: Req,
    Path(bucket): Path<String>,
    Body(body): Body,
) -> Answer {
    let body = body.root("ObjectLockConfiguration");
    let retention = body
        .child("Rule")
        .and_then(|rule| rule.child("DefaultRetention"));
    let rule = match retention {
        None => None,
        Some(retention) => {
            let mode = retention.required("Mode")?;
            if mode != "GOVERNANCE" && mode != "COMPLIANCE" {
                return Err(EcsError::invalid(format!(
                    "Invalid Object Lock mode {mode}"
                )));
            }
            let days = retention.int("Days")?;
            let years = retention.int("Years")?;
            match (days, years) {
                (Some(n), None) | (None, Some(n)) if n > 0 => {}
                _ => {
                    return Err(EcsError::invalid(
                        "Give exactly one of Days or Years, greater than zero",
                    ));
                }
            }
            Some((mode, days, years))
        }
    };
    req.change_bucket(&bucket, None, |b| {
        if !b.object_lock.enabled {
            return Err(EcsError::cannot_change(format!(
                "Object Lock is not enabled on bucket {}",
                b.name
            )));
        }
        let (mode, days, years) = rule.map_or((None, None, None), |(m, d, y)| (Some(m), d, y));
        b.object_lock.mode = mode;
        b.object_lock.days = days;
        b.object_lock.years = years;
        Ok(())
    })
}

/// `PUT /object/bucket/{bucket}/object-lock-enable`: enables Object Lock (and versioning).
async fn enable_object_lock(
    _since_3_6_2: ObjectLockEndpoint,
    req: Req,
    Path(bucket): Path<String>,
) -> Answer {
    req.change_bucket(&bucket, None, |b| {
        b.object_lock.enabled = true;
        b.versioning = Some("Enabled".to_owned());
        Ok(())
    })
}
