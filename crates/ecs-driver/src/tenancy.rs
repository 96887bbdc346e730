//! Preparing ECS for CloudStack, as an operator does in the ECS portal: the namespace (ECS's
//! tenant), its quota, its retention classes and the service account as its administrator.
//! Tools built on the driver (`ecsctl namespace …`, `ecsctl doctor`) call these on the
//! store's own management client ([`crate::EcsObjectStore::mgmt`]).

use ecs_common::{Error, ErrorKind, Result};
use ecs_mgmt::{EcsMgmtClient, NamespaceCreate, NamespaceInfo, NamespaceQuota, RetentionPeriod};

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
