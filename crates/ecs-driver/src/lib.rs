//! `ecs-driver`: Apache CloudStack's object-store semantics on Dell ECS.
#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod browser;
mod config;
mod cors;
pub mod diagnose;
pub mod drift;
mod echo;
mod features;
pub mod policy;
mod store;
pub mod tenancy;
mod types;
pub mod validate;

/// The exact ECS requests each operation sends, and why.
#[doc = include_str!("../docs/requests.md")]
pub mod requests {}

/// The management client and the answers it returns, for tools built on the driver that show
/// more than CloudStack asks for (see [`EcsObjectStore::mgmt`]).
pub mod mgmt {
    pub use ecs_mgmt::{
        EcsMgmtClient, NamespaceInfo, NamespaceQuota, ObjectUser, ReplicationGroup, RetentionClass,
        RetentionPeriod, Role, SecretKeyCreate, UserSecretKeys, WhoAmI,
    };
}

pub use browser::BucketBrowser;
pub use config::{DEFAULT_USER_PREFIX, KEY_PROPAGATION_WAIT, StoreConfig, keys};
pub use ecs_common::{Error, ErrorKind, Result, SecretString};
pub use ecs_s3::{Body, ListEntry, ObjectEntry, PutResult, VersionEntry};
pub use features::{DEFAULT_TAG_PREFIX, Features, LockDefault, feature_keys};
pub use policy::{CustomPolicy, PolicySpec};
pub use store::{BucketCredential, BucketMetering, EcsObjectStore, TenantUsage};
pub use types::{
    AccountCredentials, BucketSpec, BucketSummary, Check, CheckReport, CreatedBucket, Ownership,
};
