//! Replication groups ("data service vpools"): `GET /vdc/data-service/vpools[/{id}]`.

use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::routing::get;

use super::doc::{Doc, Val};
use super::{Answer, Reply, Req, routes};
use crate::core::Core;
use crate::error::EcsError;
use crate::state::ReplicationGroup;

#[rustfmt::skip]
pub(super) fn routes() -> Router<Arc<Core>> {
    routes! {
        "/vdc/data-service/vpools" => get(list),
        "/vdc/data-service/vpools/{id}" => get(get_vpool),
    }
}

fn vpool_doc(group: &ReplicationGroup) -> Doc {
    let mapping = Doc::new("varrayMappings")
        .str("name", "urn:storageos:VirtualDataCenterData:vdc1")
        .str("value", "urn:storageos:VirtualArray:sp1")
        .bool("is_replication_target", false);
    Doc::new("data_service_vpool")
        .str("id", group.id.clone())
        .str("name", group.name.clone())
        .str("description", "")
        .link(format!("/vdc/data-service/vpools/{}", group.id))
        .int("creation_time", group.created_ms)
        .bool("inactive", false)
        .bool("global", false)
        .bool("remote", false)
        .bool("internal", false)
        .bool("isAllowAllNamespaces", true)
        .bool("enable_rebalancing", true)
        .bool("isFullRep", false)
        .bool("use_replication_target", false)
        .list("varrayMappings", vec![Val::Obj(mapping)])
}

/// `GET /vdc/data-service/vpools`: every group (any management role).
async fn list(req: Req) -> Answer {
    let state = req.core.state();
    let groups = state
        .replication_groups
        .values()
        .map(|group| Val::Obj(vpool_doc(group)))
        .collect();
    Ok(Reply::doc(
        Doc::new("data_service_vpools").list("data_service_vpool", groups),
    ))
}

/// `GET /vdc/data-service/vpools/{id}`: one group, or 400/1004.
async fn get_vpool(req: Req, Path(id): Path<String>) -> Answer {
    let state = req.core.state();
    let group = state
        .replication_groups
        .get(&id)
        .ok_or_else(|| EcsError::param_not_found(&id))?;
    Ok(Reply::doc(vpool_doc(group)))
}
