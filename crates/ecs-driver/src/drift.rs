//! Drift between ECS and CloudStack: what the driver made on ECS (found from ECS alone, by the
//! user prefix, bucket owners and the ownership tags) compared with an export of CloudStack's
//! bucket and account rows, and the safe repairs.
//!
//! # The namespaces read
//!
//! In `tenancy=shared`, the store's namespace. In `tenancy=domain`, the store's namespace and
//! every domain namespace, `<tenant_namespace_prefix><uuid>`, found by listing ECS's
//! namespaces (nothing is remembered locally); a store scoped with
//! [`EcsObjectStore::for_domain`] reads only its domain's. Every finding names its namespace.
//!
//! # The rows file (`ecsctl drift --cloudstack rows.json`)
//!
//! ```json
//! {
//!   "accounts": [ { "uuid": "0e9c6e8a-…", "removed": false, "domain_uuid": "5f1c…" } ],
//!   "buckets":  [ { "name": "photos", "account_uuid": "0e9c6e8a-…" } ]
//! }
//! ```
//!
//! `accounts` lists CloudStack's accounts (`account.uuid`, `removed` true for a deleted one;
//! a missing account counts as deleted; `domain_uuid`, optional, the account's `domain.uuid`),
//! `buckets` the store's non-removed bucket rows (`bucket.name` and the owning account's
//! UUID). Other fields are ignored, so an export may carry more. The CloudStack harness
//! writes this shape (`CloudStackHarness.driftRows`).
//!
//! In `tenancy=domain` a row's bucket is looked for in its account's domain namespace when the
//! account carries `domain_uuid` (a bucket of that name elsewhere does not count, and is
//! itself a bucket without a row), and in any namespace read when it does not. In
//! `tenancy=shared` `domain_uuid` is ignored.
//!
//! # Findings
//!
//! | kind | needs rows | meaning | `--fix` |
//! |---|---|---|---|
//! | `twin_key` | no | an account user holds two keys, neither expiring | removes the newer key (CloudStack adopts the first) |
//! | `orphan_credential` | no | a bucket-credential user whose bucket is gone from its namespace | with `--yes`: deletes the user |
//! | `bucket_without_row` | yes | a CloudStack-made bucket no row names (in that namespace) | never (delete by hand) |
//! | `row_without_bucket` | yes | a row whose bucket is not on ECS (in its account's namespace) | never |
//! | `user_of_deleted_account` | yes | an account user of a deleted or unknown account | with `--yes`, when it owns no bucket: deletes the user |
//! | `owner_mismatch` | yes | a row's bucket is owned by another user than its account's | never |

use std::collections::{BTreeMap, BTreeSet};

use ecs_common::{Error, ErrorKind, ExposeSecret, Result};
use ecs_mgmt::{BucketInfo, ObjectUser};
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::EcsObjectStore;

/// CloudStack's rows, as exported for the drift report (see the module documentation).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct CloudStackRows {
    /// The accounts.
    #[serde(default)]
    pub accounts: Vec<AccountRow>,
    /// The store's bucket rows.
    #[serde(default)]
    pub buckets: Vec<BucketRow>,
}

impl CloudStackRows {
    /// Parses the documented JSON shape; errors are `InvalidInput`.
    pub fn from_json(text: &str) -> Result<CloudStackRows> {
        serde_json::from_str(text).map_err(|err| {
            Error::invalid_input(format!("the CloudStack rows are not valid: {err}"))
        })
    }
}

/// One CloudStack account.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct AccountRow {
    /// `account.uuid`.
    pub uuid: String,
    /// Whether the account was deleted.
    #[serde(default)]
    pub removed: bool,
    /// The UUID of the account's domain (`domain.uuid`), when the export carries it: in
    /// `tenancy=domain` its buckets and user are then expected in that domain's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_uuid: Option<String>,
}

/// One CloudStack bucket row of the store.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct BucketRow {
    /// `bucket.name`.
    pub name: String,
    /// The owning account's UUID.
    pub account_uuid: String,
}

/// What the driver made on ECS, found from ECS alone.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Inventory {
    /// The namespaces read, each with the CloudStack domain it belongs to (`None` for the
    /// store's own namespace).
    pub namespaces: BTreeMap<String, Option<String>>,
    /// Account users (`<prefix><account uuid>`), by user id, with their live key count.
    pub account_users: BTreeMap<String, usize>,
    /// Bucket-credential users (`<prefix>bucket-<bucket>`), by user id, with their bucket.
    pub credential_users: BTreeMap<String, String>,
    /// CloudStack-made buckets (owned by a prefixed user or tagged with an account) with their
    /// owner: by name in the store's own namespace, by `<namespace>/<name>` in another (a
    /// domain's in `tenancy=domain`; `/` is in no bucket or namespace name).
    pub buckets: BTreeMap<String, Option<String>>,
}

/// One difference.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Finding {
    /// The kind (see the module documentation).
    pub kind: String,
    /// The bucket or user concerned.
    pub subject: String,
    /// The ECS namespace the subject is in (for `row_without_bucket`, where it was expected).
    pub namespace: String,
    /// What is wrong, in words.
    pub detail: String,
    /// What `--fix` did, when it did something.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
}

impl Finding {
    fn new(kind: &str, subject: &str, namespace: &str, detail: String) -> Finding {
        Finding {
            kind: kind.to_owned(),
            subject: subject.to_owned(),
            namespace: namespace.to_owned(),
            detail,
            fixed: None,
        }
    }
}

/// The drift report.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct DriftReport {
    /// What ECS holds.
    pub inventory: Inventory,
    /// Whether CloudStack's rows were compared.
    pub compared_with_rows: bool,
    /// The differences; empty means no drift.
    pub findings: Vec<Finding>,
}

impl DriftReport {
    /// Whether anything differs (fixed findings included: they were drift when read).
    pub fn drifted(&self) -> bool {
        !self.findings.is_empty()
    }
}

/// What `fix` may change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FixOptions {
    /// Apply the safe repairs (twin keys).
    pub fix: bool,
    /// Also delete users (never buckets or data): orphan credential users and users of
    /// deleted accounts that own nothing.
    pub yes: bool,
}

/// A live key of a user: its secret and creation time.
struct LiveKey {
    secret: ecs_common::SecretString,
    created: Option<OffsetDateTime>,
    expires: Option<OffsetDateTime>,
}

/// One namespace as read: its CloudStack-made users and every bucket.
struct Seen {
    namespace: String,
    account_users: BTreeMap<String, Vec<LiveKey>>,
    credential_users: BTreeMap<String, String>,
    buckets: Vec<BucketInfo>,
    /// The names of `buckets` the driver made.
    ours: BTreeSet<String>,
}

impl Seen {
    fn has_bucket(&self, name: &str) -> bool {
        self.buckets.iter().any(|bucket| bucket.name == name)
    }

    fn owner_of(&self, name: &str) -> Option<String> {
        self.buckets
            .iter()
            .find(|bucket| bucket.name == name)
            .and_then(|bucket| bucket.owner.clone())
    }
}

impl EcsObjectStore {
    /// Reads what the driver made on ECS, compares it with `rows` when given, and applies
    /// the repairs `options` allow (see the module documentation).
    ///
    /// The namespaces read: the store's own; in `tenancy=domain` also every domain namespace
    /// (`<tenant_namespace_prefix><uuid>`, found by listing ECS's namespaces); with
    /// [`for_domain`](Self::for_domain) only that domain's.
    pub async fn drift(
        &self,
        rows: Option<&CloudStackRows>,
        options: FixOptions,
    ) -> Result<DriftReport> {
        self.ensure_open()?;
        let namespaces = self.drift_namespaces().await?;
        let mut inventory = Inventory::default();
        let mut seen = Vec::with_capacity(namespaces.len());
        for (namespace, domain) in namespaces {
            let read = self.read_namespace(&namespace).await?;
            let shown = |name: &str| {
                if namespace == self.config().namespace() {
                    name.to_owned()
                } else {
                    format!("{namespace}/{name}")
                }
            };
            for bucket in read.buckets.iter().filter(|b| read.ours.contains(&b.name)) {
                inventory
                    .buckets
                    .insert(shown(&bucket.name), bucket.owner.clone());
            }
            for (uid, keys) in &read.account_users {
                inventory.account_users.insert(uid.clone(), keys.len());
            }
            inventory
                .credential_users
                .extend(read.credential_users.clone());
            inventory.namespaces.insert(namespace, domain);
            seen.push(read);
        }

        let mut findings = Vec::new();
        for read in &seen {
            self.twin_keys(read, options, &mut findings).await?;
            for (uid, bucket) in &read.credential_users {
                if read.has_bucket(bucket) {
                    continue;
                }
                let mut finding = Finding::new(
                    "orphan_credential",
                    uid,
                    &read.namespace,
                    format!("credential user of bucket {bucket}, which is gone"),
                );
                if options.fix && options.yes {
                    self.delete_user_if_present(uid, &read.namespace).await?;
                    finding.fixed = Some("deleted the user".to_owned());
                }
                findings.push(finding);
            }
        }
        if let Some(rows) = rows {
            self.compare_rows(rows, &seen, options, &mut findings)
                .await?;
        }
        Ok(DriftReport {
            inventory,
            compared_with_rows: rows.is_some(),
            findings,
        })
    }

    /// The namespaces drift reads, with their domain (see [`drift`](Self::drift)).
    async fn drift_namespaces(&self) -> Result<Vec<(String, Option<String>)>> {
        if self.domain_uuid().is_some() || self.config().tenancy().domain().is_none() {
            return self.namespaces_in_view().await;
        }
        let mut namespaces = vec![(self.config().namespace().to_owned(), None)];
        namespaces.extend(self.namespaces_in_view().await?);
        Ok(namespaces)
    }

    /// Lists a namespace's users (with the account users' live keys) and buckets. A
    /// namespace that is gone reads as empty.
    async fn read_namespace(&self, namespace: &str) -> Result<Seen> {
        let prefix = self.config().user_prefix().to_owned();
        let credential_prefix = format!("{prefix}bucket-");
        let account_tag = self.config().features().tag("account");
        let users: Vec<ObjectUser> = self
            .mgmt()
            .object_users()
            .list(namespace)
            .try_collect()
            .await
            .or_else(empty_when_gone)?;
        let mut read = Seen {
            namespace: namespace.to_owned(),
            account_users: BTreeMap::new(),
            credential_users: BTreeMap::new(),
            buckets: Vec::new(),
            ours: BTreeSet::new(),
        };
        for user in users {
            let uid = user.userid;
            if let Some(bucket) = uid.strip_prefix(&credential_prefix) {
                read.credential_users.insert(uid.clone(), bucket.to_owned());
            } else if let Some(rest) = uid.strip_prefix(&prefix)
                && crate::validate::account_uuid(rest).is_ok()
            {
                let keys = self.live_keys_of(&uid, namespace).await?;
                read.account_users.insert(uid, keys);
            }
        }
        read.buckets = self
            .mgmt()
            .buckets()
            .list(namespace)
            .try_collect()
            .await
            .or_else(empty_when_gone)?;
        read.ours = read
            .buckets
            .iter()
            .filter(|bucket| {
                bucket
                    .owner
                    .as_deref()
                    .is_some_and(|owner| owner.starts_with(&prefix))
                    || bucket.tags.iter().any(|tag| tag.key == account_tag)
            })
            .map(|bucket| bucket.name.clone())
            .collect();
        Ok(read)
    }

    async fn twin_keys(
        &self,
        read: &Seen,
        options: FixOptions,
        findings: &mut Vec<Finding>,
    ) -> Result<()> {
        for (uid, keys) in &read.account_users {
            let permanent: Vec<&LiveKey> = keys.iter().filter(|k| k.expires.is_none()).collect();
            if permanent.len() < 2 {
                continue;
            }
            let mut finding = Finding::new(
                "twin_key",
                uid,
                &read.namespace,
                format!("{uid} holds {} keys, none expiring", permanent.len()),
            );
            if options.fix
                && let Some(newer) = permanent.iter().skip(1).max_by_key(|key| key.created)
            {
                self.mgmt()
                    .secret_keys()
                    .delete(uid, &read.namespace, &newer.secret)
                    .await?;
                finding.fixed = Some("removed the newer key".to_owned());
            }
            findings.push(finding);
        }
        Ok(())
    }

    /// The namespace an account's buckets belong in, when the rows say: in `tenancy=domain`
    /// its domain's (`None` when the row carries no domain, so any namespace read will do);
    /// in `shared` tenancy the store's.
    fn expected_namespace(&self, account: Option<&AccountRow>) -> Option<String> {
        match self.config().tenancy().domain() {
            None => Some(self.config().namespace().to_owned()),
            Some(tenancy) => account
                .and_then(|account| account.domain_uuid.as_deref())
                .and_then(|domain| tenancy.namespace_of(domain).ok()),
        }
    }

    async fn compare_rows(
        &self,
        rows: &CloudStackRows,
        seen: &[Seen],
        options: FixOptions,
        findings: &mut Vec<Finding>,
    ) -> Result<()> {
        let account = |uuid: &str| {
            rows.accounts
                .iter()
                .find(|account| account.uuid.eq_ignore_ascii_case(uuid))
        };
        // Each row's namespace (None: any), and where the row's bucket is.
        let placed: Vec<(&BucketRow, Option<String>, Option<&Seen>)> = rows
            .buckets
            .iter()
            .map(|row| {
                let expected = self.expected_namespace(account(&row.account_uuid));
                let found = seen.iter().find(|read| {
                    expected.as_deref().is_none_or(|ns| ns == read.namespace)
                        && read.has_bucket(&row.name)
                });
                (row, expected, found)
            })
            .collect();
        for read in seen {
            for name in &read.ours {
                let named = placed.iter().any(|(row, _, found)| {
                    row.name == *name && found.is_some_and(|f| f.namespace == read.namespace)
                });
                if !named {
                    findings.push(Finding::new(
                        "bucket_without_row",
                        name,
                        &read.namespace,
                        format!(
                            "bucket {name} in namespace {} was made for CloudStack but no row \
                             names it there",
                            read.namespace
                        ),
                    ));
                }
            }
        }
        for (row, expected, found) in &placed {
            let Some(found) = found else {
                let namespace = expected.clone().unwrap_or_default();
                let elsewhere: Vec<&str> = seen
                    .iter()
                    .filter(|read| read.has_bucket(&row.name))
                    .map(|read| read.namespace.as_str())
                    .collect();
                let detail = match (expected, elsewhere.is_empty()) {
                    (Some(ns), true) => {
                        format!("bucket row {} has no bucket in namespace {ns}", row.name)
                    }
                    (Some(ns), false) => format!(
                        "bucket row {} has no bucket in namespace {ns} (its account's); a \
                         bucket of that name is in {}",
                        row.name,
                        elsewhere.join(", ")
                    ),
                    (None, _) => format!("bucket row {} has no bucket on ECS", row.name),
                };
                findings.push(Finding::new(
                    "row_without_bucket",
                    &row.name,
                    &namespace,
                    detail,
                ));
                continue;
            };
            let expected_owner = self.config().user_id(&row.account_uuid).ok();
            let actual = found.owner_of(&row.name);
            if expected_owner.is_some() && actual != expected_owner {
                findings.push(Finding::new(
                    "owner_mismatch",
                    &row.name,
                    &found.namespace,
                    format!(
                        "bucket {} is owned by {}, not by its account's user {}",
                        row.name,
                        actual.as_deref().unwrap_or("nobody"),
                        expected_owner.as_deref().unwrap_or("?")
                    ),
                ));
            }
        }
        let live: BTreeSet<String> = rows
            .accounts
            .iter()
            .filter(|account| !account.removed)
            .filter_map(|account| self.config().user_id(&account.uuid).ok())
            .collect();
        for read in seen {
            for uid in read.account_users.keys() {
                if live.contains(uid) {
                    continue;
                }
                let owned: Vec<&str> = read
                    .buckets
                    .iter()
                    .filter(|bucket| bucket.owner.as_deref() == Some(uid.as_str()))
                    .map(|bucket| bucket.name.as_str())
                    .collect();
                let mut finding = Finding::new(
                    "user_of_deleted_account",
                    uid,
                    &read.namespace,
                    if owned.is_empty() {
                        format!("{uid} belongs to no live CloudStack account and owns no bucket")
                    } else {
                        format!(
                            "{uid} belongs to no live CloudStack account and owns {}",
                            owned.join(", ")
                        )
                    },
                );
                if options.fix && options.yes && owned.is_empty() {
                    self.delete_user_if_present(uid, &read.namespace).await?;
                    finding.fixed = Some("deleted the user".to_owned());
                }
                findings.push(finding);
            }
        }
        Ok(())
    }

    async fn live_keys_of(&self, uid: &str, namespace: &str) -> Result<Vec<LiveKey>> {
        let keys = match self.mgmt().secret_keys().get(uid, Some(namespace)).await {
            Ok(keys) => keys,
            Err(err) if err.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => return Err(err),
        };
        let now = OffsetDateTime::now_utc();
        Ok(keys
            .keys()
            .filter(|key| key.expires.is_none_or(|expires| expires > now))
            .filter(|key| !key.secret.expose_secret().is_empty())
            .map(|key| LiveKey {
                secret: key.secret.clone(),
                created: key.created,
                expires: key.expires,
            })
            .collect())
    }

    async fn delete_user_if_present(&self, uid: &str, namespace: &str) -> Result<()> {
        match self.mgmt().object_users().delete(uid, namespace).await {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == ErrorKind::NotFound => Ok(()),
            Err(err) => Err(err),
        }
    }
}

/// A listing of a namespace that does not exist (a domain namespace deleted meanwhile, or
/// the store's own in `tenancy=domain`) reads as empty.
fn empty_when_gone<T>(err: Error) -> Result<Vec<T>> {
    if err.kind() == ErrorKind::NotFound {
        Ok(Vec::new())
    } else {
        Err(err)
    }
}
