//! Object users: create, list (all, per namespace, by tag), info, deactivate, lock, tags.

use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::routing::{get, post, put};

use super::doc::{Doc, Val};
use super::input::Input;
use super::{Answer, Body, Caller, Params, Reply, Req, page, routes};
use crate::clock::java_date;
use crate::core::Core;
use crate::error::EcsError;
use crate::state::{ObjectUser, State as Model, Tag};

#[rustfmt::skip]
pub(super) fn routes() -> Router<Arc<Core>> {
    routes! {
        "/object/users" => post(create).get(list_all),
        "/object/users/deactivate" => post(deactivate),
        "/object/users/query" => get(query),
        "/object/users/lock" => put(set_lock),
        "/object/users/lock/{uid}" => get(get_lock),
        "/object/users/lock/{uid}/{namespace}" => get(get_lock_ns),
        "/object/users/{namespace}" => get(list_namespace),
        "/object/users/{uid}/info" => get(info),
        "/object/users/{uid}/tags" => get(get_tags).post(add_tags).put(replace_tags).delete(delete_tags),
    }
}

/// Reads `{name, value}` tags: XML `<tags><tag>…</tag></tags>`, JSON `"tags": [...]`.
fn parse_tags(input: &Input) -> Vec<Tag> {
    let items = match input.child("tags") {
        Some(wrapper) => wrapper.list("tag"),
        None => input.list("tags"),
    };
    items
        .iter()
        .filter_map(|item| {
            Some(Tag {
                name: item.str("name")?,
                value: item.str("value").unwrap_or_default(),
            })
        })
        .collect()
}

fn tag_vals(tags: &[Tag]) -> Vec<Val> {
    tags.iter()
        .map(|tag| {
            Val::Obj(
                Doc::new("tag")
                    .str("name", tag.name.clone())
                    .str("value", tag.value.clone()),
            )
        })
        .collect()
}

/// Checks an object user id: non-empty, at most 255 characters, no whitespace or `/`.
fn check_uid(uid: &str) -> Result<(), EcsError> {
    let valid = !uid.is_empty()
        && uid.chars().count() <= 255
        && !uid
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '/');
    if valid {
        Ok(())
    } else {
        Err(EcsError::invalid(format!("Invalid user id {uid}")))
    }
}

/// `POST /object/users`: creates a user without a key (answers a key-less `user_secret_key`).
async fn create(req: Req, Body(body): Body) -> Answer {
    let body = body.root("user_create_param");
    let uid = body.required("user")?;
    let namespace = body.required("namespace")?;
    check_uid(&uid)?;
    let tags = parse_tags(&body);
    let now = req.core.clock.now_ms();
    {
        let mut state = req.core.state();
        state.namespace(&namespace)?;
        req.caller.manage(&namespace, "create object users")?;
        if state.users.contains_key(&uid) {
            return Err(EcsError::already_exists(format!(
                "Object user {uid} already exists"
            )));
        }
        state.users.insert(
            uid.clone(),
            ObjectUser {
                uid: uid.clone(),
                namespace,
                created_ms: now,
                locked: false,
                tags,
                keys: Vec::new(),
            },
        );
    }
    tracing::info!(%uid, "object user created");
    Ok(Reply::doc(
        Doc::new("user_secret_key")
            .str("secret_key", "")
            .str("key_timestamp", "")
            .str("key_expiry_timestamp", "")
            .link(format!("/object/user-secret-keys/{uid}")),
    ))
}

/// A `users` listing with `blobuser` entries, paged by uid.
fn user_list(users: Vec<&ObjectUser>, filter: String, params: &Params) -> Answer {
    let limit = params.limit()?;
    let entries = users
        .into_iter()
        .map(|user| {
            let entry = Doc::new("blobuser")
                .str("userid", user.uid.clone())
                .str("namespace", user.namespace.clone());
            (user.uid.clone(), Val::Obj(entry))
        })
        .collect();
    let (items, next) = page(entries, params.get("marker"), limit);
    let mut doc = Doc::new("users")
        .list("blobuser", items)
        .str("Filter", filter);
    if let Some(limit) = limit {
        doc = doc.int("MaxUsers", i64::try_from(limit).unwrap_or(i64::MAX));
    }
    if let Some(next) = next {
        doc = doc.str("NextMarker", next);
    }
    Ok(Reply::doc(doc))
}

fn visible<'a>(state: &'a Model, caller: &Caller) -> Vec<&'a ObjectUser> {
    state
        .users
        .values()
        .filter(|user| caller.read(&user.namespace, "").is_ok())
        .collect()
}

/// `GET /object/users[?userid=..&namespace=..]`: all users the caller may see.
async fn list_all(req: Req) -> Answer {
    let state = req.core.state();
    let userid = req.params.get("userid");
    let namespace = req.params.get("namespace");
    let users = visible(&state, &req.caller)
        .into_iter()
        .filter(|user| userid.is_none_or(|wanted| user.uid.contains(wanted)))
        .filter(|user| namespace.is_none_or(|wanted| user.namespace == wanted))
        .collect();
    user_list(
        users,
        format!("userid={}", userid.unwrap_or("*")),
        &req.params,
    )
}

/// `GET /object/users/{namespace}`: the users of one namespace.
async fn list_namespace(req: Req, Path(namespace): Path<String>) -> Answer {
    let state = req.core.state();
    state.namespace(&namespace)?;
    req.caller.read(&namespace, "list object users")?;
    let users = state
        .users
        .values()
        .filter(|user| user.namespace == namespace)
        .collect();
    user_list(
        users,
        format!("namespace={namespace}&userid=*"),
        &req.params,
    )
}

/// `GET /object/users/query?namespace=&tag=&value=`: users carrying a tag.
async fn query(req: Req) -> Answer {
    let tag = req
        .params
        .get("tag")
        .ok_or_else(|| EcsError::missing("tag"))?;
    let value = req.params.get("value");
    let namespace = req.params.get("namespace");
    let state = req.core.state();
    if let Some(namespace) = namespace {
        state.namespace(namespace)?;
    }
    let users = visible(&state, &req.caller)
        .into_iter()
        .filter(|user| namespace.is_none_or(|wanted| user.namespace == wanted))
        .filter(|user| {
            user.tags
                .iter()
                .any(|t| t.name == tag && value.is_none_or(|v| t.value == v))
        })
        .collect();
    user_list(users, format!("tag={tag}"), &req.params)
}

/// The user named in the URL, checked against an optional `namespace` and the caller's rights.
fn user_for<'a>(
    state: &'a Model,
    caller: &Caller,
    uid: &str,
    namespace: Option<&str>,
) -> Result<&'a ObjectUser, EcsError> {
    let user = state.user(uid)?;
    if namespace.is_some_and(|namespace| namespace != user.namespace) {
        return Err(EcsError::url_entity_not_found(uid));
    }
    caller.read(&user.namespace, "read object users")?;
    Ok(user)
}

/// `GET /object/users/{uid}/info[?namespace=]`.
async fn info(req: Req, Path(uid): Path<String>) -> Answer {
    let state = req.core.state();
    let user = user_for(&state, &req.caller, &uid, req.params.get("namespace"))?;
    Ok(Reply::doc(
        Doc::new("user")
            .str("namespace", user.namespace.clone())
            .str("name", user.uid.clone())
            .bool("locked", user.locked)
            .str("created", java_date(user.created_ms))
            .val(
                "tags",
                Val::Wrapped {
                    item: "tag",
                    json_key: Some("tag"),
                    items: tag_vals(&user.tags),
                },
            )
            .str("centerapassword", "")
            .str("swiftpassword", ""),
    ))
}

/// `POST /object/users/deactivate`: deletes a user and its keys (buckets keep their owner).
async fn deactivate(req: Req, Body(body): Body) -> Answer {
    let body = body.root("user_delete_param");
    let uid = body.required("user")?;
    let namespace = body.str("namespace").filter(|ns| !ns.is_empty());
    let mut state = req.core.state();
    let user = state
        .users
        .get(&uid)
        .ok_or_else(|| EcsError::param_not_found(&uid))?;
    if namespace.as_deref().is_some_and(|ns| ns != user.namespace) {
        return Err(EcsError::param_not_found(&uid));
    }
    req.caller.manage(&user.namespace, "delete object users")?;
    state.users.remove(&uid);
    tracing::info!(%uid, "object user deleted");
    Ok(Reply::ok())
}

/// `PUT /object/users/lock`: locks or unlocks a user.
async fn set_lock(req: Req, Body(body): Body) -> Answer {
    let body = body.root("user_lock_param");
    let uid = body.required("user")?;
    let locked = body
        .bool("isLocked")?
        .ok_or_else(|| EcsError::missing("isLocked"))?;
    let mut state = req.core.state();
    let user = state
        .users
        .get_mut(&uid)
        .ok_or_else(|| EcsError::param_not_found(&uid))?;
    req.caller.manage(&user.namespace, "lock object users")?;
    user.locked = locked;
    Ok(Reply::ok())
}

fn lock_doc(state: &Model, caller: &Caller, uid: &str, namespace: Option<&str>) -> Answer {
    let user = user_for(state, caller, uid, namespace)?;
    Ok(Reply::doc(
        Doc::new("user_lock")
            .str("user_name", user.uid.clone())
            .bool("isLocked", user.locked),
    ))
}

/// `GET /object/users/lock/{uid}`.
async fn get_lock(req: Req, Path(uid): Path<String>) -> Answer {
    lock_doc(&req.core.state(), &req.caller, &uid, None)
}

/// `GET /object/users/lock/{uid}/{namespace}`.
async fn get_lock_ns(req: Req, Path((uid, namespace)): Path<(String, String)>) -> Answer {
    lock_doc(&req.core.state(), &req.caller, &uid, Some(&namespace))
}

/// `GET /object/users/{uid}/tags`.
async fn get_tags(req: Req, Path(uid): Path<String>) -> Answer {
    let state = req.core.state();
    let user = user_for(&state, &req.caller, &uid, req.params.get("namespace"))?;
    Ok(Reply::doc(
        Doc::new("object_user_tag")
            .str("user_name", user.uid.clone())
            .val(
                "tags",
                Val::Wrapped {
                    item: "tag",
                    json_key: None,
                    items: tag_vals(&user.tags),
                },
            ),
    ))
}

/// How a tag request changes the user's tags.
#[derive(Clone, Copy)]
enum TagChange {
    Add,
    Replace,
    Delete,
}

fn change_tags(core: &Core, caller: &Caller, uid: &str, body: Input, change: TagChange) -> Answer {
    let body = body.root("object_user_tag");
    let tags = parse_tags(&body);
    let mut state = core.state();
    let user = state.user_mut(uid)?;
    caller.manage(&user.namespace, "change object user tags")?;
    match change {
        TagChange::Add => {
            for tag in tags {
                user.tags.retain(|existing| existing.name != tag.name);
                user.tags.push(tag);
            }
        }
        TagChange::Replace => user.tags = tags,
        TagChange::Delete => {
            if let Some(missing) = tags
                .iter()
                .find(|tag| !user.tags.iter().any(|t| t.name == tag.name))
            {
                return Err(EcsError::param_not_found(&missing.name));
            }
            user.tags
                .retain(|existing| !tags.iter().any(|tag| tag.name == existing.name));
        }
    }
    Ok(Reply::ok())
}

/// `POST /object/users/{uid}/tags`: adds (or overwrites) tags.
async fn add_tags(req: Req, Path(uid): Path<String>, Body(body): Body) -> Answer {
    change_tags(&req.core, &req.caller, &uid, body, TagChange::Add)
}

/// `PUT /object/users/{uid}/tags`: replaces all tags.
async fn replace_tags(req: Req, Path(uid): Path<String>, Body(body): Body) -> Answer {
    change_tags(&req.core, &req.caller, &uid, body, TagChange::Replace)
}

/// `DELETE /object/users/{uid}/tags`: removes the named tags.
async fn delete_tags(req: Req, Path(uid): Path<String>, Body(body): Body) -> Answer {
    change_tags(&req.core, &req.caller, &uid, body, TagChange::Delete)
}
