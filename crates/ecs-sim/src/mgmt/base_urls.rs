//! Base URLs: `GET /object/baseurl[/{id}]`. The emulator has one, ECS's factory default
//! (`s3.amazonaws.com` without the namespace in the host, ECS 3.7 Administration Guide
//! "Object base URL"), since its S3 head is addressed by path.

use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::routing::get;

use super::doc::{Doc, Val};
use super::{Answer, Reply, Req, routes};
use crate::core::Core;
use crate::error::EcsError;

/// The default base URL's id.
const DEFAULT_ID: &str = "urn:ObjectBaseUrl:00000000-0000-0000-0000-000000000001";
const DEFAULT_NAME: &str = "DefaultBaseUrl";
const DEFAULT_BASE_URL: &str = "s3.amazonaws.com";

#[rustfmt::skip]
pub(super) fn routes() -> Router<Arc<Core>> {
    routes! {
        "/object/baseurl" => get(list),
        "/object/baseurl/{id}" => get(info),
    }
}

fn link() -> String {
    format!("/object/baseurl/{DEFAULT_ID}")
}

/// `GET /object/baseurl` (any management role).
async fn list(_req: Req) -> Answer {
    let entry = Doc::new("base_url")
        .str("id", DEFAULT_ID)
        .link(link())
        .str("name", DEFAULT_NAME);
    Ok(Reply::doc(
        Doc::new("base_urls").list("base_url", vec![Val::Obj(entry)]),
    ))
}

/// `GET /object/baseurl/{id}`, or 400/1004.
async fn info(_req: Req, Path(id): Path<String>) -> Answer {
    if id != DEFAULT_ID {
        return Err(EcsError::param_not_found(&id));
    }
    Ok(Reply::doc(
        Doc::new("base_url")
            .str("id", DEFAULT_ID)
            .link(link())
            .str("name", DEFAULT_NAME)
            .bool("inactive", false)
            .str("baseurl", DEFAULT_BASE_URL)
            .bool("namespace_in_host", false),
    ))
}
