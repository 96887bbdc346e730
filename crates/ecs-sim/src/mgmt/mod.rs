//! The ECS management REST API: routes, extractors and replies shared by the resource modules.
//!
//! Handlers return [`Reply`] or [`EcsError`]; both carry an unrendered [`Doc`] that the front
//! end ([`crate::server`]) renders as XML or JSON once it knows the negotiated format.
//!
//! Adding an endpoint: one line in the route table of its resource module ([`routes!`]) and a
//! handler taking [`Req`] (core, caller, query), the typed `Path` parameters and, when it reads
//! one, the [`Body`].

mod alerts;
mod auth;
mod base_urls;
mod billing;
mod bucket_settings;
pub(crate) mod buckets;
pub(crate) mod doc;
#[cfg(test)]
mod fuzz_tests;
pub(crate) mod input;
mod keys;
mod namespaces;
mod nodes;
mod users;
mod vpools;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::core::Core;
use crate::error::EcsError;
use crate::seed::Role;
use doc::Doc;
use input::Input;

/// A document the front end still has to render (response extension).
#[derive(Clone, Debug)]
pub(crate) struct PendingDoc(pub(crate) Doc);

/// A successful answer.
#[derive(Debug)]
pub(crate) enum Reply {
    /// A document, rendered in the negotiated format.
    Doc(StatusCode, Doc),
    /// A status with an empty body (most ECS mutations answer 200 with nothing).
    Empty(StatusCode),
    /// A body given verbatim (bucket policy JSON).
    Raw(StatusCode, &'static str, String),
}

impl Reply {
    /// 200 with a document.
    pub(crate) fn doc(doc: Doc) -> Reply {
        Reply::Doc(StatusCode::OK, doc)
    }

    /// 200 with an empty body.
    pub(crate) fn ok() -> Reply {
        Reply::Empty(StatusCode::OK)
    }
}

/// The result type of every handler.
pub(crate) type Answer = Result<Reply, EcsError>;

fn pending(status: StatusCode, doc: Doc) -> Response {
    let mut response = status.into_response();
    response.extensions_mut().insert(PendingDoc(doc));
    response
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        match self {
            Reply::Doc(status, doc) => pending(status, doc),
            Reply::Empty(status) => status.into_response(),
            Reply::Raw(status, content_type, body) => {
                (status, [(http::header::CONTENT_TYPE, content_type)], body).into_response()
            }
        }
    }
}

impl EcsError {
    /// The `error` document.
    pub(crate) fn doc(&self) -> Doc {
        Doc::new("error")
            .int("code", i64::from(self.code))
            .str("description", self.description)
            .str("details", self.details.clone())
            .bool("retryable", self.retryable)
    }
}

impl IntoResponse for EcsError {
    fn into_response(self) -> Response {
        pending(self.status, self.doc())
    }
}

/// Query parameters (`namespace`, `marker`, `limit`, …).
#[derive(Debug, Default)]
pub(crate) struct Params(pub(crate) HashMap<String, String>);

impl Params {
    /// A parameter, `None` when absent or empty.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    }

    /// A `true`/`false` parameter; absent is `false`.
    pub(crate) fn flag(&self, key: &str) -> bool {
        self.get(key)
            .is_some_and(|value| value.eq_ignore_ascii_case("true"))
    }

    /// A positive integer parameter (`limit`), or 400/1008.
    pub(crate) fn limit(&self) -> Result<Option<usize>, EcsError> {
        match self.get("limit") {
            None => Ok(None),
            Some(text) => match text.parse::<usize>() {
                Ok(limit) if limit > 0 => Ok(Some(limit)),
                _ => Err(EcsError::invalid(format!("Invalid limit {text}"))),
            },
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = EcsError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Query::<HashMap<String, String>>::try_from_uri(&parts.uri)
            .map(|Query(map)| Params(map))
            .map_err(|error| EcsError::invalid(format!("Invalid query string: {error}")))
    }
}

/// The request body, parsed by `Content-Type` (XML unless it says JSON).
#[derive(Debug)]
pub(crate) struct Body(pub(crate) Input);

/// The largest management request body accepted.
const MAX_BODY: usize = 4 * 1024 * 1024;

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = EcsError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let bytes = axum::body::to_bytes(request.into_body(), MAX_BODY)
            .await
            .map_err(|error| EcsError::bad_body(format!("Unable to read request body: {error}")))?;
        Input::parse(content_type.as_deref(), &bytes).map(Body)
    }
}

/// A route table: `path => method router` lines, one per path.
macro_rules! routes {
    ($($path:literal => $methods:expr),* $(,)?) => {
        axum::Router::new()$(.route($path, $methods))*
    };
}
pub(crate) use routes;

/// What every authenticated handler starts from: the emulator, the caller and the query.
#[derive(Debug)]
pub(crate) struct Req {
    pub(crate) core: Arc<Core>,
    pub(crate) caller: Caller,
    pub(crate) params: Params,
}

impl FromRequestParts<Arc<Core>> for Req {
    type Rejection = EcsError;

    async fn from_request_parts(
        parts: &mut Parts,
        core: &Arc<Core>,
    ) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, core).await?;
        let params = Params::from_request_parts(parts, core).await?;
        Ok(Req {
            core: core.clone(),
            caller,
            params,
        })
    }
}

impl Req {
    /// The `namespace` query parameter.
    pub(crate) fn namespace(&self) -> Option<&str> {
        self.params.get("namespace")
    }
}

/// The authenticated management user of a request (from `X-SDS-AUTH-TOKEN`).
#[derive(Clone, Debug)]
pub(crate) struct Caller {
    pub(crate) name: String,
    pub(crate) roles: Vec<Role>,
    pub(crate) namespace: Option<String>,
    /// The namespaces the caller administers (Namespace Admin).
    pub(crate) admin_of: Vec<String>,
    pub(crate) token: String,
}

/// The header (and cookie) carrying the management token.
pub(crate) const TOKEN_HEADER: &str = "X-SDS-AUTH-TOKEN";

fn token_of(parts: &Parts) -> Option<String> {
    if let Some(value) = parts
        .headers
        .get(TOKEN_HEADER)
        .and_then(|value| value.to_str().ok())
    {
        return Some(value.trim().to_owned());
    }
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().split_once('='))
        .find(|(name, _)| name.eq_ignore_ascii_case(TOKEN_HEADER))
        .map(|(_, value)| value.to_owned())
}

impl FromRequestParts<Arc<Core>> for Caller {
    type Rejection = EcsError;

    async fn from_request_parts(
        parts: &mut Parts,
        core: &Arc<Core>,
    ) -> Result<Self, Self::Rejection> {
        let token = token_of(parts)
            .filter(|token| !token.is_empty())
            .ok_or_else(|| EcsError::unauthorized("No authentication token provided"))?;
        let now = core.clock.now_ms();
        let mut state = core.state();
        core.expire_tokens(&mut state);
        let session = state.tokens.get_mut(&token).ok_or_else(|| {
            EcsError::unauthorized("The authentication token is invalid or has expired")
        })?;
        session.last_used_ms = now;
        let name = session.user.clone();
        let user = state
            .mgmt_users
            .get(&name)
            .ok_or_else(|| EcsError::unauthorized("The token's user no longer exists"))?;
        // A namespace names its administrators (`namespace_admins`), as ECS's portal assigns
        // the Namespace Admin role; the seed can name one too.
        let mut admin_of: Vec<String> = state
            .namespaces
            .values()
            .filter(|namespace| namespace.has_admin(&name))
            .map(|namespace| namespace.name.clone())
            .collect();
        let mut roles = user.roles.clone();
        if let Some(own) = &user.namespace
            && roles.contains(&Role::NamespaceAdmin)
            && !admin_of.contains(own)
        {
            admin_of.push(own.clone());
        }
        if !admin_of.is_empty() && !roles.contains(&Role::NamespaceAdmin) {
            roles.push(Role::NamespaceAdmin);
        }
        let namespace = user.namespace.clone().or_else(|| admin_of.first().cloned());
        Ok(Caller {
            name,
            roles,
            namespace,
            admin_of,
            token,
        })
    }
}

impl Caller {
    fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    fn admin_of(&self, namespace: &str) -> bool {
        self.admin_of.iter().any(|own| own == namespace)
    }

    fn denied(&self, what: &str) -> EcsError {
        EcsError::forbidden(format!("User {} is not allowed to {what}", self.name))
    }

    /// SYSTEM_ADMIN only (bucket deletion, owner change, namespace management).
    pub(crate) fn system_admin(&self, what: &str) -> Result<(), EcsError> {
        if self.has(Role::SystemAdmin) {
            Ok(())
        } else {
            Err(self.denied(what))
        }
    }

    /// Change something in `namespace`: SYSTEM_ADMIN or its NAMESPACE_ADMIN.
    pub(crate) fn manage(&self, namespace: &str, what: &str) -> Result<(), EcsError> {
        if self.has(Role::SystemAdmin) || self.admin_of(namespace) {
            Ok(())
        } else {
            Err(self.denied(what))
        }
    }

    /// Read something in `namespace`: also SYSTEM_MONITOR.
    pub(crate) fn read(&self, namespace: &str, what: &str) -> Result<(), EcsError> {
        if self.has(Role::SystemMonitor) {
            Ok(())
        } else {
            self.manage(namespace, what)
        }
    }

    /// Read system-wide lists (all users, all namespaces): SYSTEM_ADMIN or SYSTEM_MONITOR.
    pub(crate) fn read_all(&self, what: &str) -> Result<(), EcsError> {
        if self.has(Role::SystemAdmin) || self.has(Role::SystemMonitor) {
            Ok(())
        } else {
            Err(self.denied(what))
        }
    }
}

/// Pages a sorted list by an exclusive `marker` (the last name returned) and a `limit`.
///
/// Returns the page and the next marker when more remain.
pub(crate) fn page<T>(
    items: Vec<(String, T)>,
    marker: Option<&str>,
    limit: Option<usize>,
) -> (Vec<T>, Option<String>) {
    let limit = limit.unwrap_or(usize::MAX);
    let mut rest = items
        .into_iter()
        .filter(|(key, _)| marker.is_none_or(|marker| key.as_str() > marker));
    let mut page = Vec::new();
    let mut last = None;
    for (key, item) in rest.by_ref() {
        if page.len() == limit {
            return (page, last);
        }
        last = Some(key);
        page.push(item);
    }
    (page, None)
}

async fn unknown_path(request: Request) -> EcsError {
    EcsError::no_such_path(request.uri().path())
}

async fn wrong_method(request: Request) -> EcsError {
    EcsError::method_not_supported(format!(
        "Method {} is not supported on {}",
        request.method(),
        request.uri().path()
    ))
}

/// Every management route: each resource module's table.
pub(crate) fn router(core: Arc<Core>) -> Router {
    Router::new()
        .merge(auth::routes())
        .merge(users::routes())
        .merge(keys::routes())
        .merge(buckets::routes())
        .merge(bucket_settings::routes())
        .merge(namespaces::routes())
        .merge(base_urls::routes())
        .merge(alerts::routes())
        .route("/vdc/nodes", axum::routing::get(nodes::list))
        .merge(vpools::routes())
        .merge(billing::routes())
        .fallback(unknown_path)
        .method_not_allowed_fallback(wrong_method)
        .with_state(core)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_by_marker() {
        let items: Vec<(String, u32)> = (1..=5).map(|n| (format!("b{n}"), n)).collect();
        let (first, next) = page(items.clone(), None, Some(2));
        assert_eq!((first, next.as_deref()), (vec![1, 2], Some("b2")));
        let (second, next) = page(items.clone(), Some("b2"), Some(2));
        assert_eq!((second, next.as_deref()), (vec![3, 4], Some("b4")));
        let (last, next) = page(items.clone(), Some("b4"), Some(2));
        assert_eq!((last, next), (vec![5], None));
        let (exact, next) = page(items, None, Some(5));
        assert_eq!((exact.len(), next), (5, None));
    }
}
