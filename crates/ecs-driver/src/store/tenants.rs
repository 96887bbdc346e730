//! `domain` tenancy: each CloudStack domain's ECS namespace, created on first use; the
//! namespace's hard quota checked before a bucket quota is given out; the refusal to switch a
//! store that holds buckets; and the tenants' usage for `ecsctl tenants`.
//!
//! Nothing here is remembered between calls except that the store's own namespace was found
//! free of `shared`-tenancy buckets: a namespace is derived from the domain UUID and looked up
//! on ECS each time it matters, so a namespace another management server made, or one deleted
//! behind CloudStack's back, is seen as it is.

use ecs_common::{Error, ErrorKind, Result};
use ecs_mgmt::{NamespaceCreate, NamespaceInfo, NamespaceQuota};
use futures::TryStreamExt;

use super::EcsObjectStore;
use crate::tenancy::DomainTenancy;

/// One namespace of the store with what it holds (`ecsctl tenants`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantUsage {
    /// The ECS namespace.
    pub namespace: String,
    /// The CloudStack domain it belongs to (`None` for the store's shared namespace).
    pub domain_uuid: Option<String>,
    /// Buckets in the namespace.
    pub buckets: usize,
    /// Object users in the namespace.
    pub users: usize,
    /// The namespace's hard quota in GB, when set.
    pub hard_quota_gb: Option<u64>,
    /// The namespace's soft quota in GB, when set.
    pub soft_quota_gb: Option<u64>,
    /// Bytes its buckets hold (ECS metering).
    pub used_bytes: u64,
}

/// Whether the tenant namespace was there or has just been made.
pub(super) struct TenantNamespace {
    pub(super) info: NamespaceInfo,
    pub(super) created: bool,
}

const GIB: u64 = 1024 * 1024 * 1024;

impl EcsObjectStore {
    /// The options of `domain` tenancy, `None` in `shared` tenancy.
    fn domain_tenancy(&self) -> Option<&DomainTenancy> {
        self.config().tenancy().domain()
    }

    /// In `domain` tenancy, makes sure the domain's namespace exists and returns it:
    /// `GET /object/namespaces/namespace/{ns}`, and when ECS has none, `POST` it (the store's
    /// replication group, or ECS's only one) and set the configured quota. A lost answer is
    /// read back by `ecs-mgmt`; a namespace another server created meanwhile
    /// (`AlreadyExists`) is read and used. `None` (and no request) in `shared` tenancy.
    pub(super) async fn ensure_tenant_namespace(&self) -> Result<Option<TenantNamespace>> {
        let Some(tenancy) = self.domain_tenancy() else {
            return Ok(None);
        };
        let namespace = self.namespace()?.to_owned();
        let namespaces = self.mgmt().namespaces();
        match namespaces.info(&namespace).await {
            Ok(info) => {
                return Ok(Some(TenantNamespace {
                    info,
                    created: false,
                }));
            }
            Err(err) if err.kind() == ErrorKind::NotFound => {}
            Err(err) => return Err(err),
        }
        let group =
            crate::tenancy::replication_group_id(self.mgmt(), self.config().replication_group())
                .await?;
        let create = NamespaceCreate::new(namespace.clone(), group);
        let info = match namespaces.create(&create).await {
            Ok(info) => {
                tracing::info!(%namespace, domain = ?self.domain_uuid(), "created the domain's namespace");
                info
            }
            // Another management server won the race: its namespace is ours too.
            Err(err) if err.kind() == ErrorKind::AlreadyExists => {
                namespaces.info(&namespace).await?
            }
            Err(err) => {
                return Err(err.wrap(format!(
                    "could not create namespace {namespace} for domain {} (the service account \
                     must be a System Admin in tenancy=domain)",
                    self.domain_uuid().unwrap_or_default()
                )));
            }
        };
        let (hard, soft) = (tenancy.hard_quota_gib(), tenancy.soft_quota_gib());
        let mut info = info;
        if hard.is_some() || soft.is_some() {
            namespaces
                .set_quota(&namespace, &NamespaceQuota::new(hard, soft))
                .await?;
            info.quota_block_size_gb = hard;
            info.quota_notification_size_gb = soft;
        }
        Ok(Some(TenantNamespace {
            info,
            created: true,
        }))
    }

    /// Refuses a bucket quota (GB; `None` for none) that the domain namespace's hard quota
    /// cannot hold: the quotas of the namespace's other buckets plus `quota` must not exceed
    /// it, and a bucket without a quota cannot be made in a namespace that is full. Sends
    /// nothing when the namespace has no hard quota; otherwise lists its buckets and reads its
    /// metering. Fails with [`ErrorKind::QuotaExceeded`] naming the namespace, its quota and
    /// its use. Answers the bucket's quota as it found it (`None` also without a hard quota).
    pub(super) async fn check_namespace_room(
        &self,
        namespace: &NamespaceInfo,
        bucket: &str,
        quota: Option<u64>,
    ) -> Result<Option<u64>> {
        let Some(hard) = namespace.quota_block_size_gb else {
            return Ok(None);
        };
        let mut current: Option<u64> = None;
        let mut others: u64 = 0;
        let mut buckets = self.mgmt().buckets().list(&namespace.name);
        while let Some(info) = buckets.try_next().await? {
            let gib = info.block_size_gb.filter(|gib| *gib > 0);
            if info.name == bucket {
                current = gib;
            } else {
                others = others.saturating_add(gib.unwrap_or(0));
            }
        }
        let used = self
            .mgmt()
            .billing()
            .namespace_info(&namespace.name)
            .await?
            .total_size_bytes;
        let whose = match self.domain_uuid() {
            Some(domain) => format!("namespace {} (domain {domain})", namespace.name),
            None => format!("namespace {}", namespace.name),
        };
        let refusal = |why: String| {
            Err(Error::new(
                ErrorKind::QuotaExceeded,
                format!(
                    "{whose} has a hard quota of {hard} GB; its buckets hold {used} bytes and \
                     their quotas take {others} GB: {why}"
                ),
            )
            .with_retryable(false))
        };
        let raises = quota.is_some_and(|gib| current.is_none_or(|current| gib > current));
        match quota {
            Some(gib) if raises && others.saturating_add(gib) > hard => refusal(format!(
                "a bucket quota of {gib} GB for {bucket} would exceed it (at most {} GB is \
                 left; raise the namespace quota or ask for less)",
                hard.saturating_sub(others)
            )),
            None if used >= hard.saturating_mul(GIB) => refusal(format!(
                "the namespace is full, so bucket {bucket} without a quota would exceed it"
            )),
            _ => Ok(current),
        }
    }

    /// After a bucket quota of `gib` GB was written to `bucket` (a creation or a raise that
    /// [`check_namespace_room`](Self::check_namespace_room) let through): lists the
    /// namespace's buckets again and fails with [`ErrorKind::QuotaExceeded`] when their quotas
    /// together now exceed its hard quota, because another creation or raise took the room
    /// meanwhile; the caller then undoes its write. Sends nothing when the namespace has no
    /// hard quota.
    ///
    /// Of writes racing for the same room each re-reads after its own write, so the one that
    /// re-reads last sees every write still standing: the quotas left standing never exceed
    /// the hard quota (on one VDC, where ECS's listing is consistent), though both racers may
    /// be refused and the quota may be exceeded for the moment between a write and its undo.
    pub(super) async fn recheck_namespace_room(
        &self,
        namespace: &NamespaceInfo,
        bucket: &str,
        gib: u64,
    ) -> Result<()> {
        let Some(hard) = namespace.quota_block_size_gb else {
            return Ok(());
        };
        let taken = self
            .mgmt()
            .buckets()
            .list(&namespace.name)
            .try_fold(0_u64, |sum, info| async move {
                Ok(sum.saturating_add(info.block_size_gb.unwrap_or(0)))
            })
            .await?;
        if taken <= hard {
            return Ok(());
        }
        let whose = match self.domain_uuid() {
            Some(domain) => format!("namespace {} (domain {domain})", namespace.name),
            None => format!("namespace {}", namespace.name),
        };
        Err(Error::new(
            ErrorKind::QuotaExceeded,
            format!(
                "{whose} has a hard quota of {hard} GB, but with a bucket quota of {gib} GB for \
                 {bucket} its buckets' quotas take {taken} GB: another bucket creation or quota \
                 raise took the room at the same time, so this one was undone (try again, or \
                 ask for less)"
            ),
        )
        .with_retryable(false))
    }

    /// In `domain` tenancy, once per store: refuses to work when the store's own namespace
    /// holds buckets of its accounts made in `shared` tenancy (switching a store that holds
    /// buckets is refused; there is no migration command). One bucket listing the first time.
    pub(super) async fn check_tenancy_switch(&self) -> Result<()> {
        if self.domain_tenancy().is_none() {
            return Ok(());
        }
        self.inner
            .tenancy_checked
            .get_or_try_init(|| async {
                match self.shared_buckets().await? {
                    None => Ok(()),
                    Some(refusal) => Err(refusal),
                }
            })
            .await
            .map(|_| ())
    }

    /// The refusal to run in `domain` tenancy while the store's namespace holds buckets owned
    /// by its accounts' users; `None` when it holds none.
    pub(super) async fn shared_buckets(&self) -> Result<Option<Error>> {
        let namespace = self.config().namespace();
        let prefix = self.config().user_prefix();
        let owned = crate::tenancy::buckets_of_prefix(self.mgmt(), namespace, prefix).await?;
        if owned.is_empty() {
            return Ok(None);
        }
        Ok(Some(Error::new(
            ErrorKind::Conflict,
            format!(
                "the store's namespace {namespace} holds {} bucket(s) of its accounts made in \
                 shared tenancy ({}); a store that holds buckets cannot switch to tenancy=domain \
                 (there is no migration command): set tenancy=shared again, or register a new \
                 store for domain tenancy",
                owned.len(),
                owned.join(", ")
            ),
        )))
    }

    /// The namespaces the store-wide views read: the domain's (with [`for_domain`]), the
    /// store's in `shared` tenancy, or in `domain` tenancy every namespace named
    /// `<prefix><uuid>` (listed, so one made by another server is included).
    ///
    /// [`for_domain`]: Self::for_domain
    pub(crate) async fn namespaces_in_view(&self) -> Result<Vec<(String, Option<String>)>> {
        match (self.domain_tenancy(), self.domain_uuid()) {
            (Some(_), Some(domain)) | (None, Some(domain)) => Ok(vec![(
                self.namespace()?.to_owned(),
                Some(domain.to_owned()),
            )]),
            (None, None) => Ok(vec![(self.config().namespace().to_owned(), None)]),
            (Some(tenancy), None) => {
                let entries: Vec<ecs_mgmt::NamespaceEntry> =
                    self.mgmt().namespaces().list().try_collect().await?;
                let mut tenants: Vec<(String, Option<String>)> = entries
                    .into_iter()
                    .filter_map(|entry| {
                        let domain = tenancy.domain_of(&entry.name)?;
                        Some((entry.name, Some(domain)))
                    })
                    .collect();
                tenants.sort();
                Ok(tenants)
            }
        }
    }

    /// The store's namespaces with their buckets, users, quota and metering: in `domain`
    /// tenancy every domain namespace (or the one of [`for_domain`](Self::for_domain)), in
    /// `shared` tenancy the store's namespace. Four requests per namespace after the listing.
    pub async fn tenants(&self) -> Result<Vec<TenantUsage>> {
        self.ensure_open()?;
        let mut tenants = Vec::new();
        for (namespace, domain_uuid) in self.namespaces_in_view().await? {
            let buckets = self
                .mgmt()
                .buckets()
                .list(&namespace)
                .try_fold(0_usize, |count, _| async move { Ok(count + 1) })
                .await?;
            let users = self
                .mgmt()
                .object_users()
                .list(&namespace)
                .try_fold(0_usize, |count, _| async move { Ok(count + 1) })
                .await?;
            let quota = self.mgmt().namespaces().quota(&namespace).await?;
            let used_bytes = self
                .mgmt()
                .billing()
                .namespace_info(&namespace)
                .await?
                .total_size_bytes;
            tenants.push(TenantUsage {
                namespace,
                domain_uuid,
                buckets,
                users,
                hard_quota_gb: quota.block_size_gb,
                soft_quota_gb: quota.notification_size_gb,
                used_bytes,
            });
        }
        Ok(tenants)
    }
}
