//! The emulator's management state: the model of users, keys, buckets, namespaces and
//! replication groups, serialisable for `--state` persistence.
//!
//! Handlers in [`crate::mgmt`] change it under the [`crate::core::Core`] lock; the S3 side reads
//! it through the accessors in [`crate::access`].

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::EcsError;
use crate::seed::{Role, Seed};

/// Everything the management API knows.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct State {
    pub(crate) mgmt_users: BTreeMap<String, MgmtUser>,
    pub(crate) replication_groups: BTreeMap<String, ReplicationGroup>,
    pub(crate) namespaces: BTreeMap<String, Namespace>,
    /// Object users by uid (ECS's default GLOBAL user scope: uids are unique system-wide).
    pub(crate) users: BTreeMap<String, ObjectUser>,
    /// Buckets by namespace, then name.
    pub(crate) buckets: BTreeMap<String, BTreeMap<String, Bucket>>,
    /// Live management tokens by token value (not persisted).
    #[serde(skip)]
    pub(crate) tokens: HashMap<String, Token>,
    /// Alerts raised (namespace soft quotas).
    pub(crate) alerts: Vec<Alert>,
    /// Status of the last `emptyBucket=true` deletion by (namespace, bucket) (not persisted).
    #[serde(skip)]
    pub(crate) empty_status: HashMap<(String, String), EmptyStatus>,
}

/// A management user.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct MgmtUser {
    pub(crate) name: String,
    pub(crate) password: String,
    pub(crate) roles: Vec<Role>,
    pub(crate) namespace: Option<String>,
    pub(crate) password_changed_ms: i64,
}

impl fmt::Debug for MgmtUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MgmtUser")
            .field("name", &self.name)
            .field("roles", &self.roles)
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}

/// A replication group.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct ReplicationGroup {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) created_ms: i64,
}

/// A namespace.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Namespace {
    pub(crate) name: String,
    /// Replication group id (URN).
    pub(crate) default_vpool: String,
    pub(crate) encryption: bool,
    pub(crate) quota_block: i64,
    pub(crate) quota_notification: i64,
    /// Comma-separated management users administering the namespace.
    #[serde(default)]
    pub(crate) admins: String,
    /// Default hard quota of new buckets in GB; -1 = none.
    #[serde(default = "minus_one")]
    pub(crate) default_bucket_block_size: i64,
    /// Retention classes: name → period in seconds.
    #[serde(default)]
    pub(crate) retention_classes: BTreeMap<String, i64>,
    #[serde(default)]
    pub(crate) created_ms: i64,
    /// Replication groups (ids) buckets may use; empty = every group.
    #[serde(default)]
    pub(crate) allowed_vpools: Vec<String>,
    /// Replication groups (ids) buckets may not use.
    #[serde(default)]
    pub(crate) disallowed_vpools: Vec<String>,
    /// Identity-provider users who belong to the namespace.
    #[serde(default)]
    pub(crate) user_mappings: Vec<UserMapping>,
    /// Comma-separated identity-provider groups administering the namespace.
    #[serde(default)]
    pub(crate) external_group_admins: String,
    /// Access during outage for new buckets.
    #[serde(default)]
    pub(crate) stale_allowed: bool,
    /// Compliance mode (set at creation only).
    #[serde(default)]
    pub(crate) compliance: bool,
}

/// A namespace's user mapping: a domain, attributes (key → values) and groups.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct UserMapping {
    pub(crate) domain: String,
    pub(crate) attributes: Vec<(String, Vec<String>)>,
    pub(crate) groups: Vec<String>,
}

fn minus_one() -> i64 {
    -1
}

impl Namespace {
    /// Whether management user `name` is listed in `namespace_admins`.
    pub(crate) fn has_admin(&self, name: &str) -> bool {
        self.admins.split(',').any(|admin| admin.trim() == name)
    }

    /// Whether buckets of the namespace may live in replication group `vpool` (an id).
    pub(crate) fn allows_vpool(&self, vpool: &str) -> bool {
        !self.disallowed_vpools.iter().any(|v| v == vpool)
            && (self.allowed_vpools.is_empty()
                || self.allowed_vpools.iter().any(|v| v == vpool)
                || self.default_vpool == vpool)
    }

    /// A namespace with ECS's defaults on replication group `vpool`.
    pub(crate) fn new(name: &str, vpool: &str, now_ms: i64) -> Namespace {
        Namespace {
            name: name.to_owned(),
            default_vpool: vpool.to_owned(),
            encryption: false,
            quota_block: -1,
            quota_notification: -1,
            admins: String::new(),
            default_bucket_block_size: -1,
            retention_classes: BTreeMap::new(),
            created_ms: now_ms,
            allowed_vpools: Vec::new(),
            disallowed_vpools: Vec::new(),
            user_mappings: Vec::new(),
            external_group_admins: String::new(),
            stale_allowed: false,
            compliance: false,
        }
    }
}

/// A user-defined `{name, value}` tag on an object user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Tag {
    pub(crate) name: String,
    pub(crate) value: String,
}

/// An object user.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct ObjectUser {
    pub(crate) uid: String,
    pub(crate) namespace: String,
    pub(crate) created_ms: i64,
    pub(crate) locked: bool,
    pub(crate) tags: Vec<Tag>,
    /// At most two slots; expired keys are pruned on access.
    pub(crate) keys: Vec<SecretKey>,
}

/// One S3 secret key of an object user.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct SecretKey {
    pub(crate) secret: String,
    pub(crate) created_ms: i64,
    pub(crate) expires_ms: Option<i64>,
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretKey")
            .field("secret", &"** redacted **")
            .field("created_ms", &self.created_ms)
            .field("expires_ms", &self.expires_ms)
            .finish()
    }
}

impl SecretKey {
    /// Whether the key still authenticates at `now_ms`.
    pub(crate) fn is_live(&self, now_ms: i64) -> bool {
        self.expires_ms.is_none_or(|expires| expires > now_ms)
    }

    /// ECS's `secret_key_id`: the SHA-256 of the secret, hex.
    pub(crate) fn id(&self) -> String {
        hex::encode(Sha256::digest(self.secret.as_bytes()))
    }
}

impl ObjectUser {
    /// Drops keys that expired before `now_ms`.
    pub(crate) fn prune_keys(&mut self, now_ms: i64) {
        self.keys.retain(|key| key.is_live(now_ms));
    }
}

/// ECS's own bucket ACL model (not S3's XML ACL).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Acl {
    pub(crate) owner: Option<String>,
    pub(crate) default_group: Option<String>,
    pub(crate) user_acl: Vec<Grant>,
    pub(crate) group_acl: Vec<Grant>,
    pub(crate) customgroup_acl: Vec<Grant>,
}

/// Permissions granted to one user or group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Grant {
    pub(crate) grantee: String,
    pub(crate) permissions: Vec<String>,
}

/// S3 Object Lock default configuration of a bucket.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ObjectLock {
    pub(crate) enabled: bool,
    pub(crate) mode: Option<String>,
    pub(crate) days: Option<i64>,
    pub(crate) years: Option<i64>,
}

/// A bucket's management metadata (its contents live in [`crate::storage::Storage`]).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Bucket {
    pub(crate) name: String,
    pub(crate) namespace: String,
    pub(crate) owner: String,
    /// Replication group id (URN).
    pub(crate) vpool: String,
    pub(crate) created_ms: i64,
    pub(crate) head_type: String,
    pub(crate) fs_enabled: bool,
    pub(crate) encryption: bool,
    pub(crate) stale_allowed: bool,
    pub(crate) tso_read_only: bool,
    /// Hard quota in GB; -1 = none.
    pub(crate) block_size: i64,
    /// Soft quota in GB; -1 = none.
    pub(crate) notification_size: i64,
    pub(crate) block_size_count: i64,
    pub(crate) notification_size_count: i64,
    /// Default retention period in seconds (ECS retention, not Object Lock); -1/-2 = unset.
    pub(crate) retention: i64,
    /// `Enabled` / `Suspended`, or `None` when never enabled.
    pub(crate) versioning: Option<String>,
    /// The bucket policy JSON text.
    pub(crate) policy: Option<String>,
    /// `TagSet` as (key, value).
    pub(crate) tags: Vec<(String, String)>,
    pub(crate) acl: Acl,
    /// The administrative lock.
    pub(crate) locked: bool,
    pub(crate) object_lock: ObjectLock,
    /// CORS configuration XML, stored for the S3 side.
    pub(crate) cors: Option<String>,
    /// Set while an `emptyBucket=true` deletion runs.
    pub(crate) empty_in_progress: bool,
    /// ECS retention asked for per object key (`x-emc-retention-period`/`-policy`).
    #[serde(default)]
    pub(crate) retained: BTreeMap<String, RetainedObject>,
}

/// The ECS retention an object was written with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RetainedObject {
    /// Its own period in seconds (`-1`: infinite).
    pub(crate) period: Option<i64>,
    /// The namespace retention class it follows.
    pub(crate) policy: Option<String>,
}

/// An alert (`GET /vdc/alerts`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Alert {
    pub(crate) id: String,
    /// The alert type.
    pub(crate) kind: String,
    pub(crate) severity: String,
    pub(crate) timestamp_ms: i64,
    pub(crate) namespace: String,
    pub(crate) description: String,
    pub(crate) acknowledged: bool,
}

impl Alert {
    /// A namespace passed its soft quota (`notificationSize`).
    pub(crate) const SOFT_QUOTA: &'static str = "NAMESPACE_SOFT_QUOTA_EXCEEDED";
}

impl Bucket {
    /// ECS's bucket id: `<namespace>.<name>`.
    pub(crate) fn id(&self) -> String {
        format!("{}.{}", self.namespace, self.name)
    }
}

/// A management session token.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub(crate) user: String,
    pub(crate) created_ms: i64,
    pub(crate) last_used_ms: i64,
}

/// Progress of an `emptyBucket=true` deletion.
#[derive(Clone, Debug)]
pub(crate) struct EmptyStatus {
    pub(crate) status: &'static str,
    pub(crate) created_ms: i64,
    pub(crate) updated_ms: i64,
    pub(crate) entries_deleted: u64,
    pub(crate) approx_objects: u64,
    pub(crate) approx_bytes: u64,
}

/// A deterministic replication-group URN from its name.
pub(crate) fn replication_group_id(name: &str) -> String {
    let digest = hex::encode(Sha256::digest(name.as_bytes()));
    format!(
        "urn:storageos:ReplicationGroupInfo:{}-{}-{}-{}-{}:global",
        &digest[0..8],
        &digest[8..12],
        &digest[12..16],
        &digest[16..20],
        &digest[20..32]
    )
}

impl State {
    /// Builds the initial state from a seed (assumed validated).
    pub(crate) fn from_seed(seed: &Seed, now_ms: i64) -> State {
        let mut state = State::default();
        for user in &seed.mgmt_users {
            state.mgmt_users.insert(
                user.name.clone(),
                MgmtUser {
                    name: user.name.clone(),
                    password: user.password.clone(),
                    roles: user.roles.clone(),
                    namespace: user.namespace.clone(),
                    password_changed_ms: now_ms,
                },
            );
        }
        for group in &seed.replication_groups {
            let id = group
                .id
                .clone()
                .unwrap_or_else(|| replication_group_id(&group.name));
            state.replication_groups.insert(
                id.clone(),
                ReplicationGroup {
                    id,
                    name: group.name.clone(),
                    created_ms: now_ms,
                },
            );
        }
        for namespace in &seed.namespaces {
            let default_vpool = state
                .replication_groups
                .values()
                .find(|group| group.name == namespace.default_replication_group)
                .map(|group| group.id.clone())
                .unwrap_or_default();
            let mut created = Namespace::new(&namespace.name, &default_vpool, now_ms);
            created.encryption = namespace.encryption;
            state.namespaces.insert(namespace.name.clone(), created);
        }
        for user in &seed.object_users {
            let keys = user
                .secret
                .iter()
                .map(|secret| SecretKey {
                    secret: secret.clone(),
                    created_ms: now_ms,
                    expires_ms: None,
                })
                .collect();
            state.users.insert(
                user.uid.clone(),
                ObjectUser {
                    uid: user.uid.clone(),
                    namespace: user.namespace.clone(),
                    created_ms: now_ms,
                    locked: false,
                    tags: Vec::new(),
                    keys,
                },
            );
        }
        state
    }

    /// The namespace, or 400/1004.
    pub(crate) fn namespace(&self, name: &str) -> Result<&Namespace, EcsError> {
        self.namespaces
            .get(name)
            .ok_or_else(|| EcsError::param_not_found(name))
    }

    /// The object user named in the URL, or 404/2000.
    pub(crate) fn user(&self, uid: &str) -> Result<&ObjectUser, EcsError> {
        self.users
            .get(uid)
            .ok_or_else(|| EcsError::url_entity_not_found(uid))
    }

    /// The object user named in the URL, mutable, or 404/2000.
    pub(crate) fn user_mut(&mut self, uid: &str) -> Result<&mut ObjectUser, EcsError> {
        self.users
            .get_mut(uid)
            .ok_or_else(|| EcsError::url_entity_not_found(uid))
    }

    /// Resolves the namespace of a bucket request: the given one, else the only namespace
    /// holding a bucket of that name (ECS would use the caller's namespace).
    pub(crate) fn bucket_namespace(
        &self,
        bucket: &str,
        namespace: Option<&str>,
    ) -> Result<String, EcsError> {
        if let Some(namespace) = namespace.filter(|ns| !ns.is_empty()) {
            return Ok(namespace.to_owned());
        }
        let mut holders = self
            .buckets
            .iter()
            .filter(|(_, buckets)| buckets.contains_key(bucket))
            .map(|(namespace, _)| namespace.clone());
        match (holders.next(), holders.next()) {
            (Some(namespace), None) => Ok(namespace),
            (Some(_), Some(_)) => Err(EcsError::missing("namespace")),
            (None, _) => Err(EcsError::param_not_found(bucket)),
        }
    }

    /// Whether object user `uid` exists in `namespace`.
    pub(crate) fn user_in(&self, uid: &str, namespace: &str) -> bool {
        self.users
            .get(uid)
            .is_some_and(|user| user.namespace == namespace)
    }

    /// The bucket, or 400/1004.
    pub(crate) fn bucket(&self, namespace: &str, name: &str) -> Result<&Bucket, EcsError> {
        self.buckets
            .get(namespace)
            .and_then(|buckets| buckets.get(name))
            .ok_or_else(|| EcsError::param_not_found(name))
    }

    /// The bucket, mutable, or 400/1004.
    pub(crate) fn bucket_mut(
        &mut self,
        namespace: &str,
        name: &str,
    ) -> Result<&mut Bucket, EcsError> {
        self.buckets
            .get_mut(namespace)
            .and_then(|buckets| buckets.get_mut(name))
            .ok_or_else(|| EcsError::param_not_found(name))
    }

    /// The live tokens of a management user at `now_ms`, given the limits.
    pub(crate) fn live_tokens(&self, user: &str) -> usize {
        self.tokens
            .values()
            .filter(|token| token.user == user)
            .count()
    }

    /// Drops tokens past their lifetime or idle timeout.
    pub(crate) fn expire_tokens(&mut self, now_ms: i64, lifetime_ms: i64, idle_ms: i64) {
        self.tokens.retain(|_, token| {
            now_ms < token.created_ms.saturating_add(lifetime_ms)
                && now_ms < token.last_used_ms.saturating_add(idle_ms)
        });
    }
}
