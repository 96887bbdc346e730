//! The typed namespace documents: what callers send ([`NamespaceCreate`], [`NamespaceUpdate`],
//! [`NamespaceQuota`], [`RetentionClass`]) and what ECS answers (`namespace`, listings, quota,
//! retention classes).

use serde::{Deserialize, Serialize};

use crate::wire::de;

/// An entry of a namespace listing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct NamespaceEntry {
    /// The namespace id (equal to its name).
    #[serde(default, deserialize_with = "de::string")]
    pub id: String,
    /// The namespace name.
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
}

/// One attribute a user mapping matches (`ou` = `["finance"]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingAttribute {
    /// The attribute name in the identity provider.
    #[serde(default, deserialize_with = "de::string")]
    pub key: String,
    /// The values that match (XML repeats `<value>`, JSON gives an array).
    #[serde(rename = "value", default)]
    pub values: Vec<String>,
}

impl MappingAttribute {
    /// An attribute matching any of `values`.
    pub fn new(key: impl Into<String>, values: Vec<String>) -> Self {
        MappingAttribute {
            key: key.into(),
            values,
        }
    }
}

/// A user mapping: the users of an identity-provider `domain` (optionally narrowed to
/// `groups` and `attributes`) who belong to the namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct UserMapping {
    /// The identity provider's domain (`example.com`).
    #[serde(default, deserialize_with = "de::string")]
    pub domain: String,
    /// Attributes a user must carry.
    #[serde(default, deserialize_with = "de::wrapped_list")]
    pub attributes: Vec<MappingAttribute>,
    /// Groups a user must belong to.
    #[serde(default, deserialize_with = "de::wrapped_strings")]
    pub groups: Vec<String>,
}

impl UserMapping {
    /// A mapping of every user of `domain`.
    pub fn domain(domain: impl Into<String>) -> Self {
        UserMapping {
            domain: domain.into(),
            ..UserMapping::default()
        }
    }
}

/// A named retention period of a namespace ("retention policy" in the portal).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetentionPeriod {
    /// Retained for this many seconds after the object was written.
    Seconds(u64),
    /// Retained forever (ECS writes `-1`).
    Infinite,
}

impl RetentionPeriod {
    /// The value ECS sends and reads: seconds, or `-1` for infinite.
    pub fn wire(self) -> i64 {
        match self {
            RetentionPeriod::Seconds(seconds) => i64::try_from(seconds).unwrap_or(i64::MAX),
            RetentionPeriod::Infinite => -1,
        }
    }

    /// Reads ECS's value: any negative number is infinite.
    pub fn from_wire(value: i64) -> Self {
        u64::try_from(value).map_or(RetentionPeriod::Infinite, RetentionPeriod::Seconds)
    }
}

impl std::fmt::Display for RetentionPeriod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RetentionPeriod::Seconds(seconds) => write!(f, "{seconds} s"),
            RetentionPeriod::Infinite => f.write_str("infinite"),
        }
    }
}

fn retention_period<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<RetentionPeriod, D::Error> {
    de::opt_i64(d).map(|value| RetentionPeriod::from_wire(value.unwrap_or(0)))
}

/// A namespace's retention class (`retention_class{name, period}`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct RetentionClass {
    /// The class name buckets and objects refer to.
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// How long objects of the class are kept.
    #[serde(deserialize_with = "retention_period")]
    pub period: RetentionPeriod,
}

impl RetentionClass {
    /// A class.
    pub fn new(name: impl Into<String>, period: RetentionPeriod) -> Self {
        RetentionClass {
            name: name.into(),
            period,
        }
    }
}

/// A namespace's details (`GET /object/namespaces/namespace/{ns}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct NamespaceInfo {
    /// The namespace id.
    #[serde(default, deserialize_with = "de::string")]
    pub id: String,
    /// The namespace name.
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// The replication group buckets get by default.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub default_data_services_vpool: Option<String>,
    /// Replication groups buckets may use.
    #[serde(default)]
    pub allowed_vpools_list: Vec<String>,
    /// Replication groups buckets may not use.
    #[serde(default)]
    pub disallowed_vpools_list: Vec<String>,
    /// Namespace administrators (ECS sends one comma-separated string).
    #[serde(default, deserialize_with = "de::string_list")]
    pub namespace_admins: Vec<String>,
    /// Identity-provider groups whose members administer the namespace.
    #[serde(default, deserialize_with = "de::string_list")]
    pub external_group_admins: Vec<String>,
    /// Which identity-provider users belong to the namespace.
    #[serde(rename = "user_mapping", default)]
    pub user_mappings: Vec<UserMapping>,
    /// Whether every bucket is encrypted (ECS sends a string).
    #[serde(
        rename = "is_encryption_enabled",
        default,
        deserialize_with = "de::bool"
    )]
    pub encryption: bool,
    /// Access during outage for new buckets.
    #[serde(rename = "is_stale_allowed", default, deserialize_with = "de::bool")]
    pub stale_allowed: bool,
    /// Compliance mode.
    #[serde(
        rename = "is_compliance_enabled",
        default,
        deserialize_with = "de::bool"
    )]
    pub compliance: bool,
    /// The hard quota new buckets get, in GB; `None` when unset.
    #[serde(default, deserialize_with = "de::opt_size_gb")]
    pub default_bucket_block_size: Option<u64>,
    /// The namespace's hard quota in GB (writes are refused beyond it); `None` when unset.
    #[serde(rename = "blockSize", default, deserialize_with = "de::opt_size_gb")]
    pub quota_block_size_gb: Option<u64>,
    /// The namespace's soft quota in GB (a notification only); `None` when unset.
    #[serde(
        rename = "notificationSize",
        default,
        deserialize_with = "de::opt_size_gb"
    )]
    pub quota_notification_size_gb: Option<u64>,
    /// The namespace's retention classes.
    #[serde(default, deserialize_with = "de::wrapped_list")]
    pub retention_classes: Vec<RetentionClass>,
    /// Whether the namespace is being deleted.
    #[serde(default, deserialize_with = "de::bool")]
    pub inactive: bool,
}

#[derive(Deserialize)]
pub(crate) struct NamespaceList {
    #[serde(default)]
    pub(crate) namespace: Vec<NamespaceEntry>,
    #[serde(rename = "NextMarker", default, deserialize_with = "de::opt_string")]
    pub(crate) next_marker: Option<String>,
}

/// A new namespace (`POST /object/namespaces/namespace`, SYSTEM_ADMIN only).
///
/// Replication groups may be given by URN; `compliance` can only be chosen here (ECS never
/// turns compliance off, and its update call has no such field).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NamespaceCreate {
    /// The name: 1 to 255 of `[a-zA-Z0-9-_]` (no dots or slashes).
    pub name: String,
    /// The replication group new buckets get (ECS requires one).
    pub default_replication_group: Option<String>,
    /// Replication groups buckets may use (empty: ECS's default, every group).
    pub allowed_replication_groups: Vec<String>,
    /// Replication groups buckets may not use.
    pub disallowed_replication_groups: Vec<String>,
    /// Management users who administer the namespace.
    pub admins: Vec<String>,
    /// Identity-provider groups whose members administer the namespace.
    pub external_group_admins: Vec<String>,
    /// Which identity-provider users belong to the namespace.
    pub user_mappings: Vec<UserMapping>,
    /// Encrypt every bucket of the namespace.
    pub encryption: Option<bool>,
    /// Allow access during a site outage (ADO) for new buckets.
    pub stale_allowed: Option<bool>,
    /// Compliance mode (cannot be turned off later).
    pub compliance: Option<bool>,
    /// The hard quota new buckets get, in GB.
    pub default_bucket_block_size_gb: Option<u64>,
}

impl NamespaceCreate {
    /// A namespace named `name` whose buckets go to replication group `replication_group`.
    pub fn new(name: impl Into<String>, replication_group: impl Into<String>) -> Self {
        NamespaceCreate {
            name: name.into(),
            default_replication_group: Some(replication_group.into()),
            ..NamespaceCreate::default()
        }
    }
}

/// A change to a namespace (`PUT /object/namespaces/namespace/{ns}`); `None` and empty lists
/// leave a setting as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NamespaceUpdate {
    /// A new default replication group.
    pub default_replication_group: Option<String>,
    /// Replication groups to add to the allowed list.
    pub add_allowed_replication_groups: Vec<String>,
    /// Replication groups to remove from the allowed list.
    pub remove_allowed_replication_groups: Vec<String>,
    /// Replication groups to add to the disallowed list.
    pub add_disallowed_replication_groups: Vec<String>,
    /// Replication groups to remove from the disallowed list.
    pub remove_disallowed_replication_groups: Vec<String>,
    /// Replaces the namespace administrators.
    pub admins: Option<Vec<String>>,
    /// Replaces the external group administrators.
    pub external_group_admins: Option<Vec<String>>,
    /// Replaces the user mappings.
    pub user_mappings: Option<Vec<UserMapping>>,
    /// Encrypt every new bucket.
    pub encryption: Option<bool>,
    /// Allow access during a site outage (ADO) for new buckets.
    pub stale_allowed: Option<bool>,
    /// The default hard quota of new buckets: `Some(Some(gb))` sets it, `Some(None)` removes it.
    pub default_bucket_block_size_gb: Option<Option<u64>>,
}

impl NamespaceUpdate {
    /// Whether the update changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == NamespaceUpdate::default()
    }
}

/// A namespace's quota (`namespace_quota_details`): a hard limit blocks writes beyond it, a
/// soft one only notifies. `None` means "not set" (ECS writes `-1`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct NamespaceQuota {
    /// The namespace.
    #[serde(default, deserialize_with = "de::string")]
    pub namespace: String,
    /// The hard quota in GB: writes beyond it are refused.
    #[serde(rename = "blockSize", default, deserialize_with = "de::opt_size_gb")]
    pub block_size_gb: Option<u64>,
    /// The soft quota in GB: crossing it raises a notification only.
    #[serde(
        rename = "notificationSize",
        default,
        deserialize_with = "de::opt_size_gb"
    )]
    pub notification_size_gb: Option<u64>,
}

impl NamespaceQuota {
    /// A quota; pass `None` for a limit that should not be set.
    pub fn new(block_size_gb: Option<u64>, notification_size_gb: Option<u64>) -> Self {
        NamespaceQuota {
            namespace: String::new(),
            block_size_gb,
            notification_size_gb,
        }
    }

    /// Whether any limit is set.
    pub fn is_set(&self) -> bool {
        self.block_size_gb.is_some() || self.notification_size_gb.is_some()
    }
}

#[derive(Deserialize)]
pub(crate) struct RetentionClassList {
    #[serde(default)]
    pub(crate) retention_class: Vec<RetentionClass>,
}
