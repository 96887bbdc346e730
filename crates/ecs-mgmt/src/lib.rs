//! `ecs-mgmt`: a typed, pooled, token-caching client for the Dell ECS Management REST API.
#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod api;
mod builder;
mod client;
mod error;
#[cfg(test)]
mod fixture_tests;
#[cfg(test)]
mod fuzz_tests;
mod pagination;
mod request;
mod retry;
mod time_format;
mod token;
mod transport;
mod wire;

pub use api::auth::{Role, WhoAmI};
pub use api::base_urls::{BaseUrl, BaseUrlEntry, BaseUrls};
pub use api::billing::{Billing, BucketBilling, NamespaceBilling};
pub use api::buckets::{
    Acl, BucketAcl, BucketCreate, BucketCreated, BucketInfo, BucketQuota, BucketRetention,
    BucketTag, Buckets, CustomGroupGrant, EmptyBucketStatus, GroupGrant, UserGrant,
    VersioningStatus,
};
pub use api::namespaces::{
    MappingAttribute, NamespaceCreate, NamespaceEntry, NamespaceInfo, NamespaceQuota,
    NamespaceUpdate, Namespaces, RetentionClass, RetentionPeriod, UserMapping,
};
pub use api::nodes::{EcsRelease, Node, Nodes};
pub use api::object_users::{ObjectUser, ObjectUserInfo, ObjectUsers, UserTag};
pub use api::replication_groups::{ReplicationGroup, ReplicationGroups, VarrayMapping};
pub use api::secret_keys::{KeySlot, SecretKey, SecretKeyCreate, SecretKeys, UserSecretKeys};
pub use builder::{DEFAULT_USER_AGENT, EcsMgmtClientBuilder};
pub use client::{ClientStats, EcsMgmtClient};
pub use ecs_common::{Error, ErrorKind, ExposeSecret, Result, SecretString, TlsOptions};
pub use pagination::{ItemStream, Page};
pub use retry::{Backoff, RetryConfig};
pub use wire::Format;
