//! One module per ECS resource: the pure request builders, the typed models, and a handler
//! type whose methods send the requests through [`crate::EcsMgmtClient`].

pub(crate) mod auth;
pub(crate) mod base_urls;
pub(crate) mod billing;
pub(crate) mod buckets;
pub(crate) mod namespaces;
pub(crate) mod nodes;
pub(crate) mod object_users;
pub(crate) mod replication_groups;
pub(crate) mod secret_keys;
