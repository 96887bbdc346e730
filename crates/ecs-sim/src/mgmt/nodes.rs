//! `GET /vdc/nodes`: the data nodes and their software version, which is how a client learns
//! which ECS release it talks to (see [`crate::EcsVersion`]).
//!
//! Roles as python-ecsclient's `Node.list` documents them: SYSTEM_ADMIN, SYSTEM_MONITOR,
//! NAMESPACE_ADMIN. The JSON shape is Dell's 4.1 OpenAPI example (`{"node": [...]}`); the XML
//! root `nodes` is an inference (ECS wraps lists in a plural root).

use std::sync::Arc;

use axum::extract::State;

use super::doc::{Doc, Val};
use super::{Answer, Caller, Reply};
use crate::core::Core;
use crate::seed::Role;

/// The emulator's one node.
const NODE_NAME: &str = "ecs-sim-node-1";
const NODE_IP: &str = "127.0.0.1";

/// `GET /vdc/nodes`: one node, reporting the emulated release.
pub(crate) async fn list(State(core): State<Arc<Core>>, caller: Caller) -> Answer {
    if !(caller.has(Role::SystemAdmin)
        || caller.has(Role::SystemMonitor)
        || caller.has(Role::NamespaceAdmin))
    {
        return Err(caller.denied("list the data nodes"));
    }
    let node = Doc::new("node")
        .str("ip", NODE_IP)
        .str("mgmt_ip", NODE_IP)
        .str("data_ip", NODE_IP)
        .str("geo_ip", NODE_IP)
        .str("private_ip", NODE_IP)
        .str("nodeid", "00000000-0000-4000-8000-000000000001")
        .str("nodename", NODE_NAME)
        .str("rackId", "red")
        .str("version", core.ecs_version.node_version())
        .bool("isLocal", true);
    Ok(Reply::doc(
        Doc::new("nodes").list("node", vec![Val::Obj(node)]),
    ))
}
