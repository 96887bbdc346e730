//! Secret keys of object users: create (generated or supplied, with rotation expiry), get
//! (both path forms and the `exist` form), deactivate. At most two live keys per user.

use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::routing::{get, post};
use rand::Rng as _;
use rand::distr::Alphanumeric;

use super::doc::Doc;
use super::{Answer, Body, Caller, Reply, Req, routes};
use crate::clock::key_time;
use crate::core::Core;
use crate::error::EcsError;
use crate::state::{ObjectUser, SecretKey};

#[rustfmt::skip]
pub(super) fn routes() -> Router<Arc<Core>> {
    routes! {
        "/object/user-secret-keys/{uid}" => get(get_keys).post(create),
        "/object/user-secret-keys/{uid}/deactivate" => post(deactivate),
        "/object/user-secret-keys/{uid}/{namespace}" => get(get_ns),
        "/object/user-secret-keys/exist/{uid}/{namespace}" => get(exist),
    }
}

/// Live keys a user may hold.
const MAX_KEYS: usize = 2;

/// A generated secret: 40 characters like ECS's (`rTuCD7wLu3lhC1Z79N3MOD86kl/wKCB1GCNZwgXa`).
fn generate_secret() -> String {
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(40)
        .map(char::from)
        .collect()
}

/// Checks a caller-supplied secret: 1 to 128 printable ASCII characters.
fn check_secret(secret: &str) -> Result<(), EcsError> {
    let valid = (1..=128).contains(&secret.len()) && secret.chars().all(|c| c.is_ascii_graphic());
    if valid {
        Ok(())
    } else {
        Err(EcsError::invalid(
            "The secret key must be 1 to 128 printable characters",
        ))
    }
}

/// The user in the URL, checked against an optional namespace and the caller's right to manage it.
fn user_mut<'a>(
    users: &'a mut std::collections::BTreeMap<String, ObjectUser>,
    caller: &Caller,
    uid: &str,
    namespace: Option<&str>,
    read_only: bool,
) -> Result<&'a mut ObjectUser, EcsError> {
    let user = users
        .get_mut(uid)
        .ok_or_else(|| EcsError::url_entity_not_found(uid))?;
    if namespace.is_some_and(|namespace| namespace != user.namespace) {
        return Err(EcsError::url_entity_not_found(uid));
    }
    if read_only {
        caller.read(&user.namespace, "read secret keys")?;
    } else {
        caller.manage(&user.namespace, "manage secret keys")?;
    }
    Ok(user)
}

/// `POST /object/user-secret-keys/{uid}`.
async fn create(req: Req, Path(uid): Path<String>, Body(body): Body) -> Answer {
    let body = body.root("user_secret_key_create");
    let expiry_mins = body.int("existing_key_expiry_time_mins")?;
    if expiry_mins.is_some_and(|mins| mins < 0) {
        return Err(EcsError::invalid(
            "existing_key_expiry_time_mins must not be negative",
        ));
    }
    let supplied = body
        .str("secretkey")
        .or_else(|| body.str("secret_key"))
        .filter(|s| !s.is_empty());
    if let Some(secret) = &supplied {
        check_secret(secret)?;
    }
    let now = req.core.clock.now_ms();
    let key = {
        let mut state = req.core.state();
        // Under ECS's default GLOBAL user scope the uid names the user; a body `namespace` that
        // differs is not checked (a recorded ObjectScale exchange shows it accepted).
        let user = user_mut(&mut state.users, &req.caller, &uid, None, false)?;
        user.prune_keys(now);
        if user.keys.len() >= MAX_KEYS {
            return Err(EcsError::limit(format!(
                "User {uid} already has {MAX_KEYS} valid keys"
            )));
        }
        if let Some(mins) = expiry_mins {
            let expires = now.saturating_add(mins.saturating_mul(60_000));
            for key in user
                .keys
                .iter_mut()
                .filter(|key| key.expires_ms.is_none_or(|at| at > expires))
            {
                key.expires_ms = Some(expires);
            }
            user.prune_keys(now);
        }
        let key = SecretKey {
            secret: supplied.unwrap_or_else(generate_secret),
            created_ms: now,
            expires_ms: None,
        };
        user.keys.push(key.clone());
        key
    };
    req.core.note_secret(&key.secret);
    tracing::info!(%uid, "secret key created");
    Ok(Reply::doc(
        Doc::new("user_secret_key")
            .str("secret_key", key.secret.clone())
            .str("key_timestamp", key_time(key.created_ms))
            .str("key_expiry_timestamp", "")
            .link(format!("/object/user-secret-keys/{uid}"))
            .str("secret_key_id", key.id()),
    ))
}

/// The `user_secret_keys` document; `reveal = false` blanks the values (the `exist` form).
fn keys_doc(user: &ObjectUser, reveal: bool) -> Doc {
    let slot = |index: usize| user.keys.get(index);
    let text =
        |key: Option<&SecretKey>, f: &dyn Fn(&SecretKey) -> String| key.map(f).unwrap_or_default();
    let secret = |key: Option<&SecretKey>| {
        if reveal {
            text(key, &|key| key.secret.clone())
        } else {
            String::new()
        }
    };
    let expiry = |key: Option<&SecretKey>| {
        text(key, &|key| key.expires_ms.map(key_time).unwrap_or_default())
    };
    let created = |key: Option<&SecretKey>| text(key, &|key| key_time(key.created_ms));
    let id = |key: Option<&SecretKey>| text(key, &SecretKey::id);
    Doc::new("user_secret_keys")
        .str("secret_key_1", secret(slot(0)))
        .str("secret_key_2", secret(slot(1)))
        .str("key_expiry_timestamp_1", expiry(slot(0)))
        .str("key_expiry_timestamp_2", expiry(slot(1)))
        .str("key_timestamp_1", created(slot(0)))
        .str("key_timestamp_2", created(slot(1)))
        .link("/object/secret-keys")
        .bool("secret_key_1_exist", slot(0).is_some())
        .bool("secret_key_2_exist", slot(1).is_some())
        .str("secret_key_1_id", id(slot(0)))
        .str("secret_key_2_id", id(slot(1)))
}

fn read_keys(
    core: &Core,
    caller: &Caller,
    uid: &str,
    namespace: Option<&str>,
    reveal: bool,
) -> Answer {
    let now = core.clock.now_ms();
    let mut state = core.state();
    let user = user_mut(&mut state.users, caller, uid, namespace, true)?;
    user.prune_keys(now);
    Ok(Reply::doc(keys_doc(user, reveal)))
}

/// `GET /object/user-secret-keys/{uid}`.
async fn get_keys(req: Req, Path(uid): Path<String>) -> Answer {
    read_keys(&req.core, &req.caller, &uid, None, true)
}

/// `GET /object/user-secret-keys/{uid}/{namespace}`.
async fn get_ns(req: Req, Path((uid, namespace)): Path<(String, String)>) -> Answer {
    read_keys(&req.core, &req.caller, &uid, Some(&namespace), true)
}

/// `GET /object/user-secret-keys/exist/{uid}/{namespace}`: only the `_exist` flags mean anything.
async fn exist(req: Req, Path((uid, namespace)): Path<(String, String)>) -> Answer {
    read_keys(&req.core, &req.caller, &uid, Some(&namespace), false)
}

/// `POST /object/user-secret-keys/{uid}/deactivate`: deletes the named key (by value or id), or
/// both keys when none is named; a remaining second key moves to slot 1.
async fn deactivate(req: Req, Path(uid): Path<String>, Body(body): Body) -> Answer {
    let body = body.root("user_secret_key_delete");
    let secret = body
        .str("secret_key")
        .or_else(|| body.str("secretkey"))
        .filter(|s| !s.is_empty());
    let secret_id = body.str("secret_key_id").filter(|s| !s.is_empty());
    let now = req.core.clock.now_ms();
    let mut state = req.core.state();
    let user = user_mut(&mut state.users, &req.caller, &uid, None, false)?;
    user.prune_keys(now);
    match (secret, secret_id) {
        (None, None) => user.keys.clear(),
        (secret, secret_id) => {
            let position = user.keys.iter().position(|key| {
                secret.as_deref().is_some_and(|s| s == key.secret)
                    || secret_id.as_deref().is_some_and(|id| id == key.id())
            });
            let index = position.ok_or_else(|| EcsError::param_not_found("secret_key"))?;
            user.keys.remove(index);
        }
    }
    tracing::info!(%uid, "secret key deleted");
    Ok(Reply::ok())
}
