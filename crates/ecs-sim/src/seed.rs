//! The state the emulator starts from: management users, namespaces, replication groups,
//! optional object users, and token limits; built in code or read from TOML.
//!
//! The default seed is ECS's factory default: management user `root` / `ChangeMe`
//! (`SYSTEM_ADMIN`), namespace `ns1` whose default replication group is `rg1`.
//!
//! ```toml
//! fault_seed = 7
//! [tokens]
//! lifetime_secs = 28800
//! idle_secs = 7200
//! max_per_user = 100
//! [[mgmt_users]]
//! name = "root"
//! password = "ChangeMe"
//! roles = ["SYSTEM_ADMIN"]
//! [[mgmt_users]]
//! name = "nsadmin"
//! password = "secret"
//! roles = ["NAMESPACE_ADMIN"]
//! namespace = "ns1"
//! [[replication_groups]]
//! name = "rg1"
//! [[namespaces]]
//! name = "ns1"
//! default_replication_group = "rg1"
//! [[object_users]]
//! uid = "alice"
//! namespace = "ns1"
//! secret = "alice-secret"
//! ```

use std::fmt;
use std::path::Path;
use std::time::Duration;

use ecs_common::{Error, ErrorKind, Result};
use serde::{Deserialize, Serialize};

use crate::version::EcsVersion;

/// A management role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    /// Manages everything.
    SystemAdmin,
    /// Reads everything, changes nothing.
    SystemMonitor,
    /// Manages the users and buckets of one namespace (the user's `namespace`).
    NamespaceAdmin,
}

impl Role {
    /// ECS's name for the role (`SYSTEM_ADMIN`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::SystemAdmin => "SYSTEM_ADMIN",
            Role::SystemMonitor => "SYSTEM_MONITOR",
            Role::NamespaceAdmin => "NAMESPACE_ADMIN",
        }
    }
}

/// A management user who may log in to the management API.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MgmtUserSeed {
    /// Login name.
    pub name: String,
    /// Password (never printed by `Debug`).
    pub password: String,
    /// Roles; `NAMESPACE_ADMIN` applies to `namespace`.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// The namespace a namespace admin administers.
    #[serde(default)]
    pub namespace: Option<String>,
}

impl fmt::Debug for MgmtUserSeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MgmtUserSeed")
            .field("name", &self.name)
            .field("password", &"** redacted **")
            .field("roles", &self.roles)
            .field("namespace", &self.namespace)
            .finish()
    }
}

/// A namespace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamespaceSeed {
    /// Namespace name (also its id).
    pub name: String,
    /// Name of the replication group new buckets use when none is given.
    pub default_replication_group: String,
    /// Whether the namespace forces encryption on its buckets.
    #[serde(default)]
    pub encryption: bool,
}

/// A replication group ("data service vpool").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplicationGroupSeed {
    /// Display name.
    pub name: String,
    /// The URN id; derived from the name when absent.
    #[serde(default)]
    pub id: Option<String>,
}

/// An object user created at start, optionally with a secret key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectUserSeed {
    /// User id (also the S3 access key id).
    pub uid: String,
    /// Namespace of the user.
    pub namespace: String,
    /// A secret key to install (never printed by `Debug`).
    #[serde(default)]
    pub secret: Option<String>,
}

impl fmt::Debug for ObjectUserSeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectUserSeed")
            .field("uid", &self.uid)
            .field("namespace", &self.namespace)
            .field("secret", &self.secret.as_ref().map(|_| "** redacted **"))
            .finish()
    }
}

/// Token lifetime, idle timeout and the per-user cap of live tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TokenSettings {
    /// Seconds a token lives after login (ECS: 8 hours).
    pub lifetime_secs: u64,
    /// Seconds a token survives without use (ECS: 2 hours).
    pub idle_secs: u64,
    /// Live tokens a user may hold (ECS: 100).
    pub max_per_user: usize,
}

impl Default for TokenSettings {
    fn default() -> Self {
        TokenSettings {
            lifetime_secs: 8 * 3600,
            idle_secs: 2 * 3600,
            max_per_user: 100,
        }
    }
}

impl TokenSettings {
    /// The token lifetime.
    pub fn lifetime(&self) -> Duration {
        Duration::from_secs(self.lifetime_secs)
    }

    /// The idle timeout.
    pub fn idle(&self) -> Duration {
        Duration::from_secs(self.idle_secs)
    }
}

/// Everything the emulator starts from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Seed {
    /// Management users.
    pub mgmt_users: Vec<MgmtUserSeed>,
    /// Replication groups.
    pub replication_groups: Vec<ReplicationGroupSeed>,
    /// Namespaces.
    pub namespaces: Vec<NamespaceSeed>,
    /// Object users created at start.
    pub object_users: Vec<ObjectUserSeed>,
    /// Token limits.
    pub tokens: TokenSettings,
    /// Seed of the random generator that decides fault injection (deterministic per seed).
    pub fault_seed: u64,
    /// The ECS release emulated (`ecs_version = "3.6"`; default 4.1).
    pub ecs_version: EcsVersion,
}

impl Default for Seed {
    /// ECS's factory default: `root`/`ChangeMe` (SYSTEM_ADMIN), namespace `ns1` on `rg1`.
    fn default() -> Self {
        Seed::empty()
            .with_mgmt_user("root", "ChangeMe", &[Role::SystemAdmin], None)
            .with_replication_group("rg1")
            .with_namespace("ns1", "rg1")
    }
}

impl Seed {
    /// A seed with nothing in it (no users, namespaces or groups) and ECS's token limits.
    pub fn empty() -> Self {
        Seed {
            mgmt_users: Vec::new(),
            replication_groups: Vec::new(),
            namespaces: Vec::new(),
            object_users: Vec::new(),
            tokens: TokenSettings::default(),
            fault_seed: 0,
            ecs_version: EcsVersion::default(),
        }
    }

    /// Reads a seed from TOML text; missing sections take the empty defaults.
    pub fn from_toml_str(text: &str) -> Result<Seed> {
        let seed: Seed = toml::from_str(text)
            .map_err(|error| Error::invalid_input(format!("invalid seed file: {error}")))?;
        seed.validate()?;
        Ok(seed)
    }

    /// Reads a seed from a TOML file.
    pub fn from_file(path: &Path) -> Result<Seed> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            Error::new(
                ErrorKind::InvalidInput,
                format!("cannot read seed file {}", path.display()),
            )
            .with_source(error)
        })?;
        Seed::from_toml_str(&text)
    }

    /// Adds a management user.
    #[must_use]
    pub fn with_mgmt_user(
        mut self,
        name: &str,
        password: &str,
        roles: &[Role],
        namespace: Option<&str>,
    ) -> Self {
        self.mgmt_users.push(MgmtUserSeed {
            name: name.to_owned(),
            password: password.to_owned(),
            roles: roles.to_vec(),
            namespace: namespace.map(str::to_owned),
        });
        self
    }

    /// Adds a replication group whose id is derived from its name.
    #[must_use]
    pub fn with_replication_group(mut self, name: &str) -> Self {
        self.replication_groups.push(ReplicationGroupSeed {
            name: name.to_owned(),
            id: None,
        });
        self
    }

    /// Adds a namespace whose default replication group is `replication_group` (by name).
    #[must_use]
    pub fn with_namespace(mut self, name: &str, replication_group: &str) -> Self {
        self.namespaces.push(NamespaceSeed {
            name: name.to_owned(),
            default_replication_group: replication_group.to_owned(),
            encryption: false,
        });
        self
    }

    /// Adds an object user, with a secret key when `secret` is given.
    #[must_use]
    pub fn with_object_user(mut self, uid: &str, namespace: &str, secret: Option<&str>) -> Self {
        self.object_users.push(ObjectUserSeed {
            uid: uid.to_owned(),
            namespace: namespace.to_owned(),
            secret: secret.map(str::to_owned),
        });
        self
    }

    /// Sets token lifetime, idle timeout and the per-user cap.
    #[must_use]
    pub fn with_tokens(mut self, tokens: TokenSettings) -> Self {
        self.tokens = tokens;
        self
    }

    /// Sets the fault-injection random seed.
    #[must_use]
    pub fn with_fault_seed(mut self, fault_seed: u64) -> Self {
        self.fault_seed = fault_seed;
        self
    }

    /// Checks references: namespaces name known replication groups, users known namespaces.
    pub fn validate(&self) -> Result<()> {
        for namespace in &self.namespaces {
            if !self
                .replication_groups
                .iter()
                .any(|rg| rg.name == namespace.default_replication_group)
            {
                return Err(Error::invalid_input(format!(
                    "namespace {} names unknown replication group {}",
                    namespace.name, namespace.default_replication_group
                )));
            }
        }
        let known = |ns: &str| self.namespaces.iter().any(|namespace| namespace.name == ns);
        for user in &self.object_users {
            if !known(&user.namespace) {
                return Err(Error::invalid_input(format!(
                    "object user {} names unknown namespace {}",
                    user.uid, user.namespace
                )));
            }
        }
        for user in &self.mgmt_users {
            if user.roles.contains(&Role::NamespaceAdmin)
                && !user.namespace.as_deref().is_some_and(known)
            {
                return Err(Error::invalid_input(format!(
                    "namespace admin {} needs a known namespace",
                    user.name
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_factory_default() {
        let seed = Seed::default();
        assert_eq!(seed.mgmt_users[0].name, "root");
        assert_eq!(seed.mgmt_users[0].roles, vec![Role::SystemAdmin]);
        assert_eq!(seed.namespaces[0].default_replication_group, "rg1");
        assert!(!format!("{seed:?}").contains("ChangeMe"));
        seed.validate().unwrap();
    }

    #[test]
    fn toml_round_trip_and_validation() {
        let text =
            toml::to_string(&Seed::default().with_object_user("u", "ns1", Some("s"))).unwrap();
        assert_eq!(Seed::from_toml_str(&text).unwrap().object_users[0].uid, "u");
        let bad = "[[namespaces]]\nname = \"x\"\ndefault_replication_group = \"nope\"\n";
        assert_eq!(
            Seed::from_toml_str(bad).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert!(Seed::from_toml_str("bogus = 1").is_err());
    }
}
