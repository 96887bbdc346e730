//! Authentication: `GET /login` (Basic → `X-SDS-AUTH-TOKEN`), `GET /logout`, `GET /user/whoami`.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore as _;

use super::doc::{Doc, Val};
use super::{Answer, Params, Reply, Req, TOKEN_HEADER, routes};
use crate::core::Core;
use crate::error::EcsError;
use crate::state::Token;

#[rustfmt::skip]
pub(super) fn routes() -> Router<Arc<Core>> {
    routes! {
        "/login" => get(login),
        "/logout" => get(logout),
        "/user/whoami" => get(whoami),
    }
}

/// Decodes `Authorization: Basic` into (user, password).
pub(super) fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

fn new_token() -> String {
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    STANDARD.encode(bytes)
}

/// `GET /login`: checks Basic credentials and the live-token cap, then issues a token.
async fn login(
    State(core): State<Arc<Core>>,
    params: Params,
    headers: HeaderMap,
) -> Result<Response, EcsError> {
    let (user, password) = basic_credentials(&headers)
        .ok_or_else(|| EcsError::unauthorized("Basic authentication credentials are required"))?;
    let now = core.clock.now_ms();
    let token = {
        let mut state = core.state();
        let known = state
            .mgmt_users
            .get(&user)
            .is_some_and(|known| known.password == password);
        if !known {
            return Err(EcsError::unauthorized("Invalid username or password"));
        }
        core.expire_tokens(&mut state);
        if state.live_tokens(&user) >= core.tokens.max_per_user {
            return Err(EcsError::unauthorized(
                "Max number of tokens exceeded for this user",
            ));
        }
        let token = new_token();
        core.note_secret(&token);
        state.tokens.insert(
            token.clone(),
            Token {
                user: user.clone(),
                created_ms: now,
                last_used_ms: now,
            },
        );
        token
    };
    let mut response = Reply::doc(Doc::new("loggedIn").str("user", user.clone())).into_response();
    let headers = response.headers_mut();
    let header = |text: &str| {
        HeaderValue::from_str(text).map_err(|_| EcsError::internal("bad header value"))
    };
    headers.insert(TOKEN_HEADER, header(&token)?);
    headers.insert(
        "X-SDS-AUTH-MAX-AGE",
        header(&core.tokens.lifetime_secs.to_string())?,
    );
    headers.insert("X-SDS-AUTH-USERNAME", header(&user)?);
    if params.flag("using-cookies") {
        headers.insert(
            http::header::SET_COOKIE,
            header(&format!("{TOKEN_HEADER}={token}; Path=/; Secure; HttpOnly"))?,
        );
    }
    Ok(response)
}

/// `GET /logout[?force=true][&username=u]`: invalidates the token, all of the user's tokens,
/// or (system admin) all tokens of another user.
async fn logout(req: Req) -> Answer {
    let target = match req.params.get("username") {
        Some(other) if other != req.caller.name => {
            req.caller.system_admin("log out other users")?;
            Some(other.to_owned())
        }
        _ => None,
    };
    let mut state = req.core.state();
    match (&target, req.params.flag("force")) {
        (Some(other), _) => state.tokens.retain(|_, token| &token.user != other),
        (None, true) => state
            .tokens
            .retain(|_, token| token.user != req.caller.name),
        (None, false) => {
            state.tokens.remove(&req.caller.token);
        }
    }
    let user = target.unwrap_or(req.caller.name);
    Ok(Reply::doc(Doc::new("LoggedOut").str("user", user)))
}

/// `GET /user/whoami`: the calling identity and its roles.
async fn whoami(req: Req) -> Answer {
    let state = req.core.state();
    let changed = state
        .mgmt_users
        .get(&req.caller.name)
        .map(|user| user.password_changed_ms)
        .unwrap_or_default();
    let roles = req
        .caller
        .roles
        .iter()
        .map(|role| Val::Str(role.as_str().to_owned()))
        .collect();
    Ok(Reply::doc(
        Doc::new("user")
            .str("common_name", req.caller.name.clone())
            .str("distinguished_name", "")
            .str(
                "namespace",
                req.caller.namespace.clone().unwrap_or_default(),
            )
            .list("roles", roles)
            .str(
                "last_time_password_changed",
                crate::clock::iso_millis(changed),
            )
            .bool("user_must_reset_password", false)
            .bool("user_password_has_expired", false),
    ))
}
