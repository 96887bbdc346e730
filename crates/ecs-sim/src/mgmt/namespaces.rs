//! Namespaces: list, info, create, update, deactivate, quota, retention classes.

use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::routing::{get, post};

use super::buckets::quota_to_set;
use super::doc::{Doc, Val};
use super::input::Input;
use super::{Answer, Body, Caller, Reply, Req, page, routes};
use crate::core::Core;
use crate::error::EcsError;
use crate::state::{Namespace, State as Model, UserMapping};

#[rustfmt::skip]
pub(super) fn routes() -> Router<Arc<Core>> {
    routes! {
        "/object/namespaces" => get(list),
        "/object/namespaces/namespace" => post(create),
        "/object/namespaces/namespace/{namespace}" => get(info).put(update),
        "/object/namespaces/namespace/{namespace}/deactivate" => post(deactivate),
        "/object/namespaces/namespace/{namespace}/quota" => get(get_quota).put(set_quota).delete(delete_quota),
        "/object/namespaces/namespace/{namespace}/retention" => get(list_retention).post(create_retention),
        "/object/namespaces/namespace/{namespace}/retention/{class}" => get(get_retention).put(update_retention),
    }
}

fn mapping_doc(mapping: &UserMapping) -> Val {
    let attributes = mapping
        .attributes
        .iter()
        .map(|(key, values)| {
            Val::Obj(
                Doc::new("attribute")
                    .str("key", key.clone())
                    .list("value", values.iter().cloned().map(Val::Str).collect()),
            )
        })
        .collect();
    let groups = mapping.groups.iter().cloned().map(Val::Str).collect();
    Val::Obj(
        Doc::new("user_mapping")
            .str("domain", mapping.domain.clone())
            .val(
                "attributes",
                Val::Wrapped {
                    item: "attribute",
                    json_key: None,
                    items: attributes,
                },
            )
            .val(
                "groups",
                Val::Wrapped {
                    item: "group",
                    json_key: None,
                    items: groups,
                },
            ),
    )
}

fn namespace_doc(namespace: &Namespace) -> Doc {
    let strings = |list: &[String]| list.iter().cloned().map(Val::Str).collect::<Vec<_>>();
    let allowed = if namespace.allowed_vpools.is_empty() {
        vec![Val::Str(namespace.default_vpool.clone())]
    } else {
        strings(&namespace.allowed_vpools)
    };
    Doc::new("namespace")
        .str("id", namespace.name.clone())
        .str("name", namespace.name.clone())
        .link(format!("/object/namespaces/namespace/{}", namespace.name))
        .int("creation_time", namespace.created_ms)
        .bool("inactive", false)
        .bool("global", false)
        .bool("remote", false)
        .bool("internal", false)
        .str(
            "default_data_services_vpool",
            namespace.default_vpool.clone(),
        )
        .list("allowed_vpools_list", allowed)
        .list(
            "disallowed_vpools_list",
            strings(&namespace.disallowed_vpools),
        )
        .str("namespace_admins", namespace.admins.clone())
        .list(
            "user_mapping",
            namespace.user_mappings.iter().map(mapping_doc).collect(),
        )
        .str("is_encryption_enabled", namespace.encryption.to_string())
        .int(
            "default_bucket_block_size",
            namespace.default_bucket_block_size,
        )
        .str(
            "external_group_admins",
            namespace.external_group_admins.clone(),
        )
        .bool("is_stale_allowed", namespace.stale_allowed)
        .bool("is_object_lock_with_ado_allowed", false)
        .bool("is_compliance_enabled", namespace.compliance)
        .int("blockSize", namespace.quota_block)
        .int("notificationSize", namespace.quota_notification)
        .obj("retention_classes", retention_classes(namespace))
}

/// User mappings from a body: `user_mapping` items with `domain`, `attributes` (XML wraps them
/// in `attribute`) and `groups` (XML wraps them in `group`).
fn user_mappings(body: &Input) -> Result<Vec<UserMapping>, EcsError> {
    let unwrap = |input: &Input, key: &str, item: &str| -> Vec<Input> {
        match input.child(key) {
            Some(wrapper) => wrapper.list(item),
            None => input.list(key),
        }
    };
    body.list("user_mapping")
        .iter()
        .map(|mapping| {
            let domain = mapping.required("domain")?;
            let attributes = unwrap(mapping, "attributes", "attribute")
                .iter()
                .map(|attribute| {
                    let key = attribute.required("key")?;
                    let values = attribute
                        .list("value")
                        .iter()
                        .filter_map(Input::as_text)
                        .collect();
                    Ok((key, values))
                })
                .collect::<Result<Vec<_>, EcsError>>()?;
            let groups = unwrap(mapping, "groups", "group")
                .iter()
                .filter_map(Input::as_text)
                .collect();
            Ok(UserMapping {
                domain,
                attributes,
                groups,
            })
        })
        .collect()
}

/// Replication groups (given by id or name) of a repeated field, as ids.
fn vpool_ids(state: &Model, body: &Input, key: &str) -> Result<Vec<String>, EcsError> {
    body.list(key)
        .iter()
        .filter_map(Input::as_text)
        .filter(|given| !given.trim().is_empty())
        .map(|given| vpool_id(state, given.trim()))
        .collect()
}

/// `GET /object/namespaces[?name=prefix*&marker=&limit=]`: full details per namespace, as newer
/// releases answer.
async fn list(req: Req) -> Answer {
    req.caller.read_all("list namespaces")?;
    let limit = req.params.limit()?;
    let filter = req.params.get("name").unwrap_or("*");
    let prefix = filter.strip_suffix('*').unwrap_or(filter);
    let state = req.core.state();
    let entries = state
        .namespaces
        .values()
        .filter(|namespace| namespace.name.starts_with(prefix))
        .map(|namespace| (namespace.name.clone(), Val::Obj(namespace_doc(namespace))))
        .collect();
    let (items, next) = page(entries, req.params.get("marker"), limit);
    let mut doc = Doc::new("namespaces")
        .list("namespace", items)
        .str("Filter", format!("name={filter}"));
    if let Some(limit) = limit {
        doc = doc.int("MaxNamespaces", i64::try_from(limit).unwrap_or(i64::MAX));
    }
    if let Some(next) = next {
        doc = doc.str("NextMarker", next);
    }
    Ok(Reply::doc(doc))
}

/// `GET /object/namespaces/namespace/{namespace}`.
async fn info(req: Req, Path(namespace): Path<String>) -> Answer {
    let doc = req.read_namespace(&namespace, "read namespaces", namespace_doc)?;
    Ok(Reply::doc(doc))
}

/// A replication group given by id or by name.
fn vpool_id(state: &Model, given: &str) -> Result<String, EcsError> {
    state
        .replication_groups
        .values()
        .find(|group| group.id == given || group.name == given)
        .map(|group| group.id.clone())
        .ok_or_else(|| EcsError::param_not_found(given))
}

/// `POST /object/namespaces/namespace` (SYSTEM_ADMIN): creates a namespace.
async fn create(req: Req, Body(body): Body) -> Answer {
    req.caller.system_admin("create namespaces")?;
    let body = body.root("namespace_create");
    let name = body.required("namespace")?;
    let valid = name.len() <= 255
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(EcsError::invalid(format!("Invalid namespace name {name}")));
    }
    let now = req.core.clock.now_ms();
    let mut state = req.core.state();
    if state.namespaces.contains_key(&name) {
        return Err(EcsError::already_exists(format!(
            "Namespace {name} already exists"
        )));
    }
    let vpool = match body
        .str("default_data_services_vpool")
        .filter(|v| !v.is_empty())
    {
        Some(given) => vpool_id(&state, &given)?,
        None => state
            .replication_groups
            .keys()
            .next()
            .cloned()
            .ok_or_else(|| EcsError::missing("default_data_services_vpool"))?,
    };
    let mut namespace = Namespace::new(&name, &vpool, now);
    namespace.allowed_vpools = vpool_ids(&state, &body, "allowed_vpools_list")?;
    namespace.disallowed_vpools = vpool_ids(&state, &body, "disallowed_vpools_list")?;
    if !namespace.allows_vpool(&vpool) {
        return Err(EcsError::invalid(format!(
            "The default replication group {vpool} is not allowed in namespace {name}"
        )));
    }
    namespace.encryption = body.bool("is_encryption_enabled")?.unwrap_or(false);
    namespace.stale_allowed = body.bool("is_stale_allowed")?.unwrap_or(false);
    namespace.compliance = body.bool("compliance_enabled")?.unwrap_or(false);
    namespace.admins = body.str("namespace_admins").unwrap_or_default();
    namespace.external_group_admins = body.str("external_group_admins").unwrap_or_default();
    namespace.user_mappings = user_mappings(&body)?;
    namespace.default_bucket_block_size = body.int("default_bucket_block_size")?.unwrap_or(-1);
    let doc = namespace_doc(&namespace);
    state.namespaces.insert(name, namespace);
    Ok(Reply::doc(doc))
}

/// Adds `added` to and removes `removed` from a replication-group list.
fn edit_list(list: &mut Vec<String>, added: Vec<String>, removed: &[String]) {
    list.retain(|vpool| !removed.contains(vpool));
    for vpool in added {
        if !list.contains(&vpool) {
            list.push(vpool);
        }
    }
}

/// `PUT /object/namespaces/namespace/{namespace}` (SYSTEM_ADMIN): updates settings and answers
/// the namespace document (as the broker fixtures record).
async fn update(req: Req, Path(name): Path<String>, Body(body): Body) -> Answer {
    let body = body.root("namespace_update");
    let mut state = req.core.state();
    state.namespace(&name)?;
    req.caller.system_admin("update namespaces")?;
    let vpool = match body
        .str("default_data_services_vpool")
        .filter(|v| !v.is_empty())
    {
        Some(given) => Some(vpool_id(&state, &given)?),
        None => None,
    };
    let add_allowed = vpool_ids(&state, &body, "vpools_added_to_allowed_vpools_list")?;
    let remove_allowed = vpool_ids(&state, &body, "vpools_removed_from_allowed_vpools_list")?;
    let add_disallowed = vpool_ids(&state, &body, "vpools_added_to_disallowed_vpools_list")?;
    let remove_disallowed = vpool_ids(&state, &body, "vpools_removed_from_disallowed_vpools_list")?;
    let mappings = if body.json().get("user_mapping").is_some() {
        Some(user_mappings(&body)?)
    } else {
        None
    };
    let encryption = body.bool("is_encryption_enabled")?;
    let stale = body.bool("is_stale_allowed")?;
    let block = body.int("default_bucket_block_size")?;
    let mut namespace = state.namespace(&name)?.clone();
    if let Some(vpool) = vpool {
        namespace.default_vpool = vpool;
    }
    edit_list(&mut namespace.allowed_vpools, add_allowed, &remove_allowed);
    edit_list(
        &mut namespace.disallowed_vpools,
        add_disallowed,
        &remove_disallowed,
    );
    if !namespace.allows_vpool(&namespace.default_vpool) {
        return Err(EcsError::invalid(format!(
            "The default replication group {} is not allowed in namespace {name}",
            namespace.default_vpool
        )));
    }
    if let Some(admins) = body.str("namespace_admins") {
        namespace.admins = admins;
    }
    if let Some(admins) = body.str("external_group_admins") {
        namespace.external_group_admins = admins;
    }
    if let Some(mappings) = mappings {
        namespace.user_mappings = mappings;
    }
    if let Some(encryption) = encryption {
        namespace.encryption = encryption;
    }
    if let Some(stale) = stale {
        namespace.stale_allowed = stale;
    }
    if let Some(block) = block {
        namespace.default_bucket_block_size = block;
    }
    let doc = namespace_doc(&namespace);
    state.namespaces.insert(name, namespace);
    Ok(Reply::doc(doc))
}

/// `POST /object/namespaces/namespace/{namespace}/deactivate` (SYSTEM_ADMIN): deletes an unused
/// namespace; one still holding buckets or users is refused with 400/1020.
async fn deactivate(req: Req, Path(name): Path<String>) -> Answer {
    let mut state = req.core.state();
    state.namespace(&name)?;
    req.caller.system_admin("delete namespaces")?;
    let buckets = state.buckets.get(&name).map_or(0, |buckets| buckets.len());
    let users = state
        .users
        .values()
        .filter(|user| user.namespace == name)
        .count();
    if buckets > 0 || users > 0 {
        return Err(EcsError::referenced(format!(
            "Namespace {name} still has {buckets} buckets and {users} object users"
        )));
    }
    state.namespaces.remove(&name);
    state.buckets.remove(&name);
    Ok(Reply::ok())
}

/// The namespace handlers' steps: find the namespace, check the caller's right, read or change.
impl Req {
    /// Reads namespace `name` after checking the caller may read it (`what` names the action).
    fn read_namespace<T>(
        &self,
        name: &str,
        what: &str,
        view: impl FnOnce(&Namespace) -> T,
    ) -> Result<T, EcsError> {
        let state = self.core.state();
        let namespace = state.namespace(name)?;
        self.caller.read(name, what)?;
        Ok(view(namespace))
    }

    /// Changes namespace `name` after `allowed` passed (the namespace must exist first).
    fn change_namespace(
        &self,
        name: &str,
        allowed: impl FnOnce(&Caller) -> Result<(), EcsError>,
        change: impl FnOnce(&mut Namespace) -> Result<(), EcsError>,
    ) -> Answer {
        let mut state = self.core.state();
        state.namespace(name)?;
        allowed(&self.caller)?;
        let namespace = state
            .namespaces
            .get_mut(name)
            .ok_or_else(|| EcsError::param_not_found(name))?;
        change(namespace)?;
        Ok(Reply::ok())
    }
}

/// `GET .../{namespace}/quota`.
async fn get_quota(req: Req, Path(name): Path<String>) -> Answer {
    let doc = req.read_namespace(&name, "read namespace quotas", |namespace| {
        Doc::new("namespace_quota_details")
            .str("namespace", name.clone())
            .int("blockSize", namespace.quota_block)
            .int("notificationSize", namespace.quota_notification)
            .int("blockSizeInCount", -1)
            .int("notificationSizeInCount", -1)
    })?;
    Ok(Reply::doc(doc))
}

/// `PUT .../{namespace}/quota`: both sizes in GB, ≥ 1 or -1, not both -1.
async fn set_quota(req: Req, Path(name): Path<String>, Body(body): Body) -> Answer {
    let body = body.root("namespace_quota_details");
    let (block, notification) = quota_to_set(&body)?;
    let allowed = |caller: &Caller| caller.system_admin("set namespace quotas");
    req.change_namespace(&name, allowed, |namespace| {
        namespace.quota_block = block;
        namespace.quota_notification = notification;
        Ok(())
    })
}

/// `DELETE .../{namespace}/quota`.
async fn delete_quota(req: Req, Path(name): Path<String>) -> Answer {
    let allowed = |caller: &Caller| caller.system_admin("delete namespace quotas");
    req.change_namespace(&name, allowed, |namespace| {
        namespace.quota_block = -1;
        namespace.quota_notification = -1;
        Ok(())
    })
}

fn retention_class(name: &str, period: i64) -> Doc {
    Doc::new("retention_class")
        .str("name", name.to_owned())
        .int("period", period)
}

fn retention_classes(namespace: &Namespace) -> Doc {
    let classes = namespace
        .retention_classes
        .iter()
        .map(|(class, period)| Val::Obj(retention_class(class, *period)))
        .collect();
    Doc::new("retention_classes").list("retention_class", classes)
}

/// `GET .../{namespace}/retention`.
async fn list_retention(req: Req, Path(name): Path<String>) -> Answer {
    let doc = req.read_namespace(&name, "read retention classes", retention_classes)?;
    Ok(Reply::doc(doc))
}

/// A retention period from a body: required.
fn period(body: &Input) -> Result<i64, EcsError> {
    body.int("period")?
        .ok_or_else(|| EcsError::missing("period"))
}

/// `POST .../{namespace}/retention`: `{name, period}`.
async fn create_retention(req: Req, Path(name): Path<String>, Body(body): Body) -> Answer {
    let body = body.root("retention_class_create");
    let class = body.required("name")?;
    let period = period(&body)?;
    let allowed = |caller: &Caller| caller.manage(&name, "create retention classes");
    req.change_namespace(&name, allowed, |namespace| {
        if namespace.retention_classes.contains_key(&class) {
            return Err(EcsError::already_exists(format!(
                "Retention class {class} already exists"
            )));
        }
        namespace.retention_classes.insert(class, period);
        Ok(())
    })
}

/// `GET .../{namespace}/retention/{class}`.
async fn get_retention(req: Req, Path((name, class)): Path<(String, String)>) -> Answer {
    let period = req.read_namespace(&name, "read retention classes", |namespace| {
        namespace.retention_classes.get(&class).copied()
    })?;
    let period = period.ok_or_else(|| EcsError::param_not_found(&class))?;
    Ok(Reply::doc(retention_class(&class, period)))
}

/// `PUT .../{namespace}/retention/{class}`: `{period}`.
async fn update_retention(
    req: Req,
    Path((name, class)): Path<(String, String)>,
    Body(body): Body,
) -> Answer {
    let body = body.root("retention_class_update");
    let period = period(&body)?;
    let allowed = |caller: &Caller| caller.manage(&name, "update retention classes");
    req.change_namespace(&name, allowed, |namespace| {
        let slot = namespace
            .retention_classes
            .get_mut(&class)
            .ok_or_else(|| EcsError::param_not_found(&class))?;
        *slot = period;
        Ok(())
    })
}
