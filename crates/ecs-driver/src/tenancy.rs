//! Namespaces, ECS's tenants: the store's tenancy (one shared namespace, or one namespace per
//! CloudStack domain, [`Tenancy`]), and preparing ECS for CloudStack as an operator does in the
//! ECS portal: the namespace, its quota, its retention classes and the service account as its
//! administrator. Tools built on the driver (`ecsctl namespace …`, `ecsctl doctor`) call these
//! on the store's own management client ([`crate::EcsObjectStore::mgmt`]).

use std::collections::HashMap;

use ecs_common::{Error, ErrorKind, Result};
use ecs_mgmt::{EcsMgmtClient, NamespaceCreate, NamespaceInfo, NamespaceQuota, RetentionPeriod};

use crate::validate;

/// Store-detail names of the tenancy options.
pub mod tenancy_keys {
    /// `shared` (default: every account in the store's `namespace`) or `domain` (each
    /// CloudStack domain gets its own ECS namespace, created on first use).
    pub const TENANCY: &str = "tenancy";
    /// In `domain` tenancy, the prefix of the domains' namespace names,
    /// `<prefix><domain uuid>`; default `cs-`.
    pub const NAMESPACE_PREFIX: &str = "tenant_namespace_prefix";
    /// In `domain` tenancy, the hard quota (GB) each new domain namespace gets; none by default.
    pub const QUOTA_GIB: &str = "tenant_namespace_quota_gib";
    /// In `domain` tenancy, the soft quota (GB, a notification only) of each new domain
    /// namespace; none by default.
    pub const SOFT_QUOTA_GIB: &str = "tenant_namespace_soft_quota_gib";
}

/// The default prefix of the domains' namespace names.
pub const DEFAULT_NAMESPACE_PREFIX: &str = "cs-";

/// Where a store keeps its accounts' users and buckets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Tenancy {
    /// Everyone in the store's `namespace` (the default, and the only mode before).
    #[default]
    Shared,
    /// One ECS namespace per CloudStack domain.
    Domain(DomainTenancy),
}

/// The options of `domain` tenancy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainTenancy {
    prefix: String,
    hard_gib: Option<u64>,
    soft_gib: Option<u64>,
}

impl Tenancy {
    /// Reads `tenancy` and its options from a store's details; errors are `InvalidInput`
    /// naming the key. The options of `domain` tenancy are refused in `shared` tenancy, so a
    /// half-made switch is noticed.
    pub fn from_details(details: &HashMap<String, String>) -> Result<Tenancy> {
        let get = |key: &str| {
            details
                .get(key)
                .map(|value| value.trim())
                .filter(|value| !value.is_empty())
        };
        let domain = match get(tenancy_keys::TENANCY).map(str::to_ascii_lowercase) {
            None => false,
            Some(mode) if mode == "shared" => false,
            Some(mode) if mode == "domain" => true,
            Some(_) => {
                return Err(detail_error(
                    tenancy_keys::TENANCY,
                    "must be shared or domain",
                ));
            }
        };
        let options = [
            tenancy_keys::NAMESPACE_PREFIX,
            tenancy_keys::QUOTA_GIB,
            tenancy_keys::SOFT_QUOTA_GIB,
        ];
        if !domain {
            return match options.into_iter().find(|key| get(key).is_some()) {
                Some(key) => Err(detail_error(key, "applies only with tenancy=domain")),
                None => Ok(Tenancy::Shared),
            };
        }
        let prefix = get(tenancy_keys::NAMESPACE_PREFIX).unwrap_or(DEFAULT_NAMESPACE_PREFIX);
        namespace_prefix(prefix)
            .map_err(|problem| detail_error(tenancy_keys::NAMESPACE_PREFIX, &problem))?;
        let gib = |key: &'static str| {
            get(key)
                .map(|value| {
                    value
                        .parse::<u64>()
                        .ok()
                        .filter(|gib| (1..=validate::MAX_QUOTA_GIB).contains(gib))
                        .ok_or_else(|| {
                            detail_error(
                                key,
                                &format!(
                                    "must be a whole number of GB from 1 to {}",
                                    validate::MAX_QUOTA_GIB
                                ),
                            )
                        })
                })
                .transpose()
        };
        let hard_gib = gib(tenancy_keys::QUOTA_GIB)?;
        let soft_gib = gib(tenancy_keys::SOFT_QUOTA_GIB)?;
        if let (Some(hard), Some(soft)) = (hard_gib, soft_gib)
            && soft > hard
        {
            return Err(detail_error(
                tenancy_keys::SOFT_QUOTA_GIB,
                &format!("({soft} GB) must not exceed tenant_namespace_quota_gib ({hard} GB)"),
            ));
        }
        Ok(Tenancy::Domain(DomainTenancy {
            prefix: prefix.to_owned(),
            hard_gib,
            soft_gib,
        }))
    }

    /// The options of `domain` tenancy; `None` in `shared` tenancy.
    pub fn domain(&self) -> Option<&DomainTenancy> {
        match self {
            Tenancy::Shared => None,
            Tenancy::Domain(domain) => Some(domain),
        }
    }

    /// `shared` or `domain`, as the detail spells it.
    pub fn name(&self) -> &'static str {
        match self {
            Tenancy::Shared => "shared",
            Tenancy::Domain(_) => "domain",
        }
    }
}

impl DomainTenancy {
    /// The prefix of the domains' namespace names.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The hard quota (GB) a new domain namespace gets.
    pub fn hard_quota_gib(&self) -> Option<u64> {
        self.hard_gib
    }

    /// The soft quota (GB) a new domain namespace gets.
    pub fn soft_quota_gib(&self) -> Option<u64> {
        self.soft_gib
    }

    /// The namespace of a CloudStack domain: `<prefix><domain uuid>`, the UUID in lower case
    /// (ECS namespace names are `a-z 0-9 - _`, at most 255 characters; a prefix of at most 32
    /// such characters and a UUID of 36 always fit, so nothing is shortened).
    ///
    /// Fails with `InvalidInput` when `domain_uuid` is not a UUID.
    pub fn namespace_of(&self, domain_uuid: &str) -> Result<String> {
        let uuid = validate::account_uuid(domain_uuid)
            .map_err(|err| err.wrap("the domain UUID is not valid"))?;
        Ok(format!("{}{uuid}", self.prefix))
    }

    /// The domain UUID of a namespace named by [`namespace_of`](Self::namespace_of); `None`
    /// for any other namespace.
    pub fn domain_of(&self, namespace: &str) -> Option<String> {
        let uuid = namespace.strip_prefix(&self.prefix)?;
        match validate::account_uuid(uuid) {
            Ok(lower) if lower == uuid => Some(lower),
            _ => None,
        }
    }
}

/// Checks a namespace prefix: up to 32 of `a-z 0-9 - _` (ECS's namespace characters, in
/// lower case as some releases require).
fn namespace_prefix(prefix: &str) -> std::result::Result<(), String> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
    if prefix.len() > 32 || !prefix.chars().all(allowed) {
        return Err("must be at most 32 of a-z, 0-9, '-', '_'".to_owned());
    }
    Ok(())
}

fn detail_error(key: &str, problem: &str) -> Error {
    Error::invalid_input(format!("store detail {key} {problem}"))
}

/// Buckets of a store's accounts in a namespace where the store's tenancy does not look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrandedBuckets {
    /// The namespace.
    pub namespace: String,
    /// The CloudStack domain its name carries (`<prefix><uuid>`), `None` for the store's own.
    pub domain_uuid: Option<String>,
    /// The buckets there owned by the store's accounts' users (`<user_prefix>…`), by name.
    pub buckets: Vec<String>,
}

/// The names of the buckets in `namespace` owned by a user named `<prefix>…` (the accounts of
/// a store with that `user_prefix`); none when the namespace is gone.
pub(crate) async fn buckets_of_prefix(
    client: &EcsMgmtClient,
    namespace: &str,
    prefix: &str,
) -> Result<Vec<String>> {
    use futures::TryStreamExt;
    client
        .buckets()
        .list(namespace)
        .try_filter(|bucket| {
            futures::future::ready(
                bucket
                    .owner
                    .as_deref()
                    .is_some_and(|owner| owner.starts_with(prefix)),
            )
        })
        .map_ok(|bucket| bucket.name)
        .try_collect()
        .await
        .or_else(|err: Error| {
            if err.kind() == ErrorKind::NotFound {
                Ok(Vec::new())
            } else {
                Err(err)
            }
        })
}

/// The buckets of the store's accounts (owned by a `<user_prefix>` user) that its tenancy
/// cannot reach, after a switch the driver cannot undo by itself:
///
/// - in `tenancy=domain`, those in the store's own `namespace` (made in `shared` tenancy;
///   one bucket listing);
/// - in `tenancy=shared`, those in a domain namespace, any namespace named `<prefix><uuid>`
///   other than the store's (made in `domain` tenancy, whatever `tenant_namespace_prefix` was,
///   since `shared` tenancy takes none): one namespace listing (System Admin or System Monitor),
///   then one bucket listing per such namespace.
///
/// Empty when nothing is stranded. A namespace that vanished meanwhile counts as empty.
pub async fn stranded_buckets(
    client: &EcsMgmtClient,
    config: &crate::StoreConfig,
) -> Result<Vec<StrandedBuckets>> {
    use futures::TryStreamExt;
    let mut candidates: Vec<(String, Option<String>)> = Vec::new();
    match config.tenancy() {
        Tenancy::Domain(_) => candidates.push((config.namespace().to_owned(), None)),
        Tenancy::Shared => {
            let entries: Vec<NamespaceEntry> = client.namespaces().list().try_collect().await?;
            for entry in entries {
                if entry.name == config.namespace() {
                    continue;
                }
                if let Some(domain) = tenant_domain(&entry.name) {
                    candidates.push((entry.name, Some(domain)));
                }
            }
            candidates.sort();
        }
    }
    let mut stranded = Vec::new();
    for (namespace, domain_uuid) in candidates {
        let buckets = buckets_of_prefix(client, &namespace, config.user_prefix()).await?;
        if !buckets.is_empty() {
            stranded.push(StrandedBuckets {
                namespace,
                domain_uuid,
                buckets,
            });
        }
    }
    Ok(stranded)
}

/// The domain UUID of a namespace named as `domain` tenancy names them, `<prefix><uuid>`
/// with any valid prefix; `None` for any other name.
fn tenant_domain(namespace: &str) -> Option<String> {
    let split = namespace.len().checked_sub(36)?;
    let (prefix, uuid) = (namespace.get(..split)?, namespace.get(split..)?);
    namespace_prefix(prefix).ok()?;
    match validate::account_uuid(uuid) {
        Ok(lower) if lower == uuid => Some(lower),
        _ => None,
    }
}

pub use ecs_mgmt::{NamespaceEntry, NamespaceUpdate, RetentionClass, UserMapping};

/// What `ecsctl namespace create` asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TenantSpec {
    /// The namespace name.
    pub name: String,
    /// Its default replication group, by name or URN (default: the only one ECS has).
    pub replication_group: Option<String>,
    /// Management users who administer it (the CloudStack service account).
    pub admins: Vec<String>,
    /// Encrypt every bucket.
    pub encryption: bool,
}

impl TenantSpec {
    /// A namespace named `name` with ECS's defaults.
    pub fn new(name: impl Into<String>) -> Self {
        TenantSpec {
            name: name.into(),
            ..TenantSpec::default()
        }
    }
}

/// A replication group given by name or URN, as its URN; a group ECS lacks is
/// [`ErrorKind::NotFound`], naming the groups there are.
pub async fn replication_group_id(client: &EcsMgmtClient, given: Option<&str>) -> Result<String> {
    let groups = client.replication_groups().list().await?;
    let found = match given {
        Some(given) => groups
            .iter()
            .find(|group| group.id == given || group.name == given),
        None if groups.len() == 1 => groups.first(),
        None => {
            return Err(Error::invalid_input(format!(
                "ECS has {} replication groups ({}): name one",
                groups.len(),
                crate::diagnose::group_names(&groups)
            )));
        }
    };
    found.map(|group| group.id.clone()).ok_or_else(|| {
        Error::new(
            ErrorKind::NotFound,
            format!(
                "no replication group {} (ECS has: {})",
                given.unwrap_or_default(),
                crate::diagnose::group_names(&groups)
            ),
        )
    })
}

/// Creates a namespace (System Admin only).
pub async fn create_namespace(client: &EcsMgmtClient, spec: &TenantSpec) -> Result<NamespaceInfo> {
    let group = replication_group_id(client, spec.replication_group.as_deref()).await?;
    let create = NamespaceCreate {
        admins: spec.admins.clone(),
        encryption: spec.encryption.then_some(true),
        ..NamespaceCreate::new(spec.name.clone(), group)
    };
    client.namespaces().create(&create).await
}

/// Where a namespace stands against its quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotaLevel {
    /// No quota is set.
    Unlimited,
    /// Below every limit.
    Within,
    /// Past the soft limit: ECS notifies, writes go on.
    OverSoft,
    /// At or past the hard limit: ECS refuses writes.
    Blocked,
}

/// A namespace's quota and what its buckets hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotaState {
    /// The hard quota in GB (writes refused beyond it).
    pub hard_gb: Option<u64>,
    /// The soft quota in GB (a notification only).
    pub soft_gb: Option<u64>,
    /// Bytes the namespace holds (ECS metering).
    pub used_bytes: u64,
}

const GIB: u64 = 1024 * 1024 * 1024;

impl QuotaState {
    /// Where the usage stands.
    pub fn level(&self) -> QuotaLevel {
        let bytes = |gb: u64| gb.saturating_mul(GIB);
        match (self.hard_gb, self.soft_gb) {
            (None, None) => QuotaLevel::Unlimited,
            (Some(hard), _) if self.used_bytes >= bytes(hard) => QuotaLevel::Blocked,
            (_, Some(soft)) if self.used_bytes > bytes(soft) => QuotaLevel::OverSoft,
            _ => QuotaLevel::Within,
        }
    }
}

/// A namespace's quota and usage (two calls: the quota and the namespace's metering).
pub async fn quota_state(client: &EcsMgmtClient, namespace: &str) -> Result<QuotaState> {
    let quota = client.namespaces().quota(namespace).await?;
    let used_bytes = if quota.is_set() {
        client
            .billing()
            .namespace_info(namespace)
            .await?
            .total_size_bytes
    } else {
        0
    };
    Ok(QuotaState {
        hard_gb: quota.block_size_gb,
        soft_gb: quota.notification_size_gb,
        used_bytes,
    })
}

/// Sets a namespace's quota: `hard_gb` blocks writes beyond it, `soft_gb` only notifies.
pub async fn set_quota(
    client: &EcsMgmtClient,
    namespace: &str,
    hard_gb: Option<u64>,
    soft_gb: Option<u64>,
) -> Result<()> {
    client
        .namespaces()
        .set_quota(namespace, &NamespaceQuota::new(hard_gb, soft_gb))
        .await
}

/// Creates a retention class, or changes its period when the namespace has it already.
/// `seconds` of `None` means infinite. Returns whether the class was new.
pub async fn set_retention_class(
    client: &EcsMgmtClient,
    namespace: &str,
    class: &str,
    seconds: Option<u64>,
) -> Result<bool> {
    let period = seconds.map_or(RetentionPeriod::Infinite, RetentionPeriod::Seconds);
    let namespaces = client.namespaces();
    match namespaces
        .create_retention_class(namespace, class, period)
        .await
    {
        Ok(()) => Ok(true),
        Err(err) if err.kind() == ErrorKind::AlreadyExists => {
            namespaces
                .update_retention_class(namespace, class, period)
                .await?;
            Ok(false)
        }
        Err(err) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn tenancy_is_shared_unless_asked() {
        assert_eq!(
            Tenancy::from_details(&HashMap::new()).unwrap(),
            Tenancy::Shared
        );
        assert_eq!(
            Tenancy::from_details(&details(&[("tenancy", "Shared")])).unwrap(),
            Tenancy::Shared
        );
        let err =
            Tenancy::from_details(&details(&[("tenant_namespace_quota_gib", "5")])).unwrap_err();
        assert!(
            err.to_string().contains("only with tenancy=domain"),
            "{err}"
        );
    }

    #[test]
    fn a_tenant_namespace_is_known_by_its_shape_whatever_its_prefix() {
        let uuid = "7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d";
        for prefix in ["cs-", "cloud_", ""] {
            assert_eq!(
                tenant_domain(&format!("{prefix}{uuid}")).as_deref(),
                Some(uuid)
            );
        }
        for other in [
            "ns1",
            "cs-7A8B9C0D-1E2F-4A3B-9C4D-5E6F7A8B9C0D",
            &format!("Big.{uuid}"),
            &format!("{}{uuid}", "a".repeat(33)),
            "cs-7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0",
        ] {
            assert_eq!(tenant_domain(other), None, "{other}");
        }
    }

    #[test]
    fn domain_tenancy_names_namespaces_from_domain_uuids() {
        let tenancy = Tenancy::from_details(&details(&[("tenancy", "domain")])).unwrap();
        let domain = tenancy.domain().unwrap();
        assert_eq!(domain.prefix(), "cs-");
        assert_eq!(domain.hard_quota_gib(), None);
        let uuid = "7A8B9C0D-1E2F-4A3B-9C4D-5E6F7A8B9C0D";
        let namespace = domain.namespace_of(uuid).unwrap();
        assert_eq!(namespace, "cs-7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d");
        assert!(crate::validate::namespace(&namespace).is_ok());
        assert_eq!(
            domain.domain_of(&namespace).as_deref(),
            Some("7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d")
        );
        assert_eq!(domain.domain_of("ns1"), None);
        assert_eq!(
            domain.domain_of("cs-7A8B9C0D-1E2F-4A3B-9C4D-5E6F7A8B9C0D"),
            None
        );
        assert_eq!(
            domain.namespace_of("x").unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        let quota = Tenancy::from_details(&details(&[
            ("tenancy", "domain"),
            ("tenant_namespace_prefix", "cloud_"),
            ("tenant_namespace_quota_gib", "100"),
            ("tenant_namespace_soft_quota_gib", "80"),
        ]))
        .unwrap();
        let quota = quota.domain().unwrap();
        assert_eq!(
            (quota.hard_quota_gib(), quota.soft_quota_gib()),
            (Some(100), Some(80))
        );
        assert!(quota.namespace_of(uuid).unwrap().starts_with("cloud_"));
        for (key, bad) in [
            ("tenancy", "per-account"),
            ("tenant_namespace_prefix", "Big."),
            ("tenant_namespace_prefix", &"a".repeat(33)),
            ("tenant_namespace_quota_gib", "0"),
            ("tenant_namespace_soft_quota_gib", "lots"),
        ] {
            let mut pairs = vec![("tenancy", "domain")];
            pairs.retain(|(k, _)| *k != key);
            pairs.push((key, bad));
            let err = Tenancy::from_details(&details(&pairs)).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput);
            assert!(err.to_string().contains(key), "{err}");
        }
        let err = Tenancy::from_details(&details(&[
            ("tenancy", "domain"),
            ("tenant_namespace_quota_gib", "5"),
            ("tenant_namespace_soft_quota_gib", "6"),
        ]))
        .unwrap_err();
        assert!(err.to_string().contains("must not exceed"), "{err}");
    }

    #[test]
    fn quota_levels() {
        let state = |hard, soft, used| QuotaState {
            hard_gb: hard,
            soft_gb: soft,
            used_bytes: used,
        };
        assert_eq!(state(None, None, 5).level(), QuotaLevel::Unlimited);
        assert_eq!(state(Some(2), Some(1), GIB).level(), QuotaLevel::Within);
        assert_eq!(
            state(Some(2), Some(1), GIB + 1).level(),
            QuotaLevel::OverSoft
        );
        assert_eq!(
            state(Some(2), Some(1), 2 * GIB).level(),
            QuotaLevel::Blocked
        );
        assert_eq!(state(None, Some(1), 5 * GIB).level(), QuotaLevel::OverSoft);
    }
}
