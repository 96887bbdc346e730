//! Drift between ECS and CloudStack: what the driver made on ECS (found from ECS alone, by the
//! user prefix, bucket owners and the ownership tags) compared with an export of CloudStack's
//! bucket and account rows, and the safe repairs.
//!
//! # The rows file (`ecsctl drift --cloudstack rows.json`)
//!
//! ```json
//! {
//!   "accounts": [ { "uuid": "0e9c6e8a-…", "removed": false } ],
//!   "buckets":  [ { "name": "photos", "account_uuid": "0e9c6e8a-…" } ]
//! }
//! ```
//!
//! `accounts` lists CloudStack's accounts (`account.uuid`, `removed` true for a deleted one;
//! a missing account counts as deleted), `buckets` the store's non-removed bucket rows
//! (`bucket.name` and the owning account's UUID). Other fields are ignored, so an export may
//! carry more. The CloudStack harness writes this shape (`CloudStackHarness.driftRows`).
//!
//! # Findings
//!
//! | kind | needs rows | meaning | `--fix` |
//! |---|---|---|---|
//! | `twin_key` | no | an account user holds two keys, neither expiring | removes the newer key (CloudStack adopts the first) |
//! | `orphan_credential` | no | a bucket-credential user whose bucket is gone | with `--yes`: deletes the user |
//! | `bucket_without_row` | yes | a CloudStack-made bucket no row names | never (delete by hand) |
//! | `row_without_bucket` | yes | a row whose bucket is not on ECS | never |
//! | `user_of_deleted_account` | yes | an account user of a deleted or unknown account | with `--yes`, when it owns no bucket: deletes the user |
//! | `owner_mismatch` | yes | a row's bucket is owned by another user than its account's | never |

use std::collections::{BTreeMap, BTreeSet};

use ecs_common::{Error, ErrorKind, ExposeSecret, Result};
use ecs_mgmt::ObjectUser;
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
    /// Account users (`<prefix><account uuid>`), by user id, with their live key count.
    pub account_users: BTreeMap<String, usize>,
    /// Bucket-credential users (`<prefix>bucket-<bucket>`), by user id, with their bucket.
    pub credential_users: BTreeMap<String, String>,
    /// CloudStack-made buckets (owned by a prefixed user or tagged with an account), by name,
    /// with their owner.
    pub buckets: BTreeMap<String, Option<String>>,
}

/// One difference.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Finding {
    /// The kind (see the module documentation).
    pub kind: String,
    /// The bucket or user concerned.
    pub subject: String,
    /// What is wrong, in words.
    pub detail: String,
    /// What `--fix` did, when it did something.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
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

impl EcsObjectStore {
    /// Reads what the driver made on ECS, compares it with `rows` when given, and applies
    /// the repairs `options` allow (see the module documentation).
    pub async fn drift(
        &self,
        rows: Option<&CloudStackRows>,
        options: FixOptions,
    ) -> Result<DriftReport> {
        let prefix = self.config().user_prefix().to_owned();
        let credential_prefix = format!("{prefix}bucket-");
        let account_tag = self.config().features().tag("account");
        let namespace = self.namespace()?.to_owned();

        let users: Vec<ObjectUser> = self
            .mgmt()
            .object_users()
            .list(&namespace)
            .try_collect()
            .await?;
        let mut inventory = Inventory::default();
        let mut keys_by_user: BTreeMap<String, Vec<LiveKey>> = BTreeMap::new();
        for user in users {
            let uid = user.userid;
            if let Some(bucket) = uid.strip_prefix(&credential_prefix) {
                inventory
                    .credential_users
                    .insert(uid.clone(), bucket.to_owned());
            } else if let Some(rest) = uid.strip_prefix(&prefix)
                && crate::validate::account_uuid(rest).is_ok()
            {
                let keys = self.live_keys_of(&uid).await?;
                inventory.account_users.insert(uid.clone(), keys.len());
                keys_by_user.insert(uid, keys);
            }
        }
        let buckets: Vec<ecs_mgmt::BucketInfo> =
            self.mgmt().buckets().list(&namespace).try_collect().await?;
        for bucket in &buckets {
            let ours = bucket
                .owner
                .as_deref()
                .is_some_and(|owner| owner.starts_with(&prefix))
                || bucket.tags.iter().any(|tag| tag.key == account_tag);
            if ours {
                inventory
                    .buckets
                    .insert(bucket.name.clone(), bucket.owner.clone());
            }
        }
        let all_buckets: BTreeSet<&str> = buckets.iter().map(|b| b.name.as_str()).collect();

        let mut findings = Vec::new();
        for (uid, keys) in &keys_by_user {
            let permanent: Vec<&LiveKey> = keys.iter().filter(|k| k.expires.is_none()).collect();
            if permanent.len() < 2 {
                continue;
            }
            let mut finding = Finding {
                kind: "twin_key".to_owned(),
                subject: uid.clone(),
                detail: format!("{uid} holds {} keys, none expiring", permanent.len()),
                fixed: None,
            };
            if options.fix
                && let Some(newer) = permanent.iter().skip(1).max_by_key(|key| key.created)
            {
                self.mgmt()
                    .secret_keys()
                    .delete(uid, &namespace, &newer.secret)
                    .await?;
                finding.fixed = Some("removed the newer key".to_owned());
            }
            findings.push(finding);
        }
        for (uid, bucket) in &inventory.credential_users {
            if all_buckets.contains(bucket.as_str()) {
                continue;
            }
            let mut finding = Finding {
                kind: "orphan_credential".to_owned(),
                subject: uid.clone(),
                detail: format!("credential user of bucket {bucket}, which is gone"),
                fixed: None,
            };
            if options.fix && options.yes {
                self.delete_user_if_present(uid).await?;
                finding.fixed = Some("deleted the user".to_owned());
            }
            findings.push(finding);
        }

        if let Some(rows) = rows {
            self.compare_rows(
                rows,
                &inventory,
                &all_buckets,
                &buckets,
                options,
                &mut findings,
            )
            .await?;
        }
        Ok(DriftReport {
            inventory,
            compared_with_rows: rows.is_some(),
            findings,
        })
    }

    async fn compare_rows(
        &self,
        rows: &CloudStackRows,
        inventory: &Inventory,
        all_buckets: &BTreeSet<&str>,
        buckets: &[ecs_mgmt::BucketInfo],
        options: FixOptions,
        findings: &mut Vec<Finding>,
    ) -> Result<()> {
        let row_names: BTreeSet<&str> = rows.buckets.iter().map(|row| row.name.as_str()).collect();
        for name in inventory.buckets.keys() {
            if !row_names.contains(name.as_str()) {
                findings.push(Finding {
                    kind: "bucket_without_row".to_owned(),
                    subject: name.clone(),
                    detail: format!("bucket {name} was made for CloudStack but no row names it"),
                    fixed: None,
                });
            }
        }
        for row in &rows.buckets {
            if !all_buckets.contains(row.name.as_str()) {
                findings.push(Finding {
                    kind: "row_without_bucket".to_owned(),
                    subject: row.name.clone(),
                    detail: format!("bucket row {} has no bucket on ECS", row.name),
                    fixed: None,
                });
                continue;
            }
            let expected = self.config().user_id(&row.account_uuid).ok();
            let actual = buckets
                .iter()
                .find(|bucket| bucket.name == row.name)
                .and_then(|bucket| bucket.owner.clone());
            if expected.is_some() && actual != expected {
                findings.push(Finding {
                    kind: "owner_mismatch".to_owned(),
                    subject: row.name.clone(),
                    detail: format!(
                        "bucket {} is owned by {}, not by its account's user {}",
                        row.name,
                        actual.as_deref().unwrap_or("nobody"),
                        expected.as_deref().unwrap_or("?")
                    ),
                    fixed: None,
                });
            }
        }
        let live: BTreeSet<String> = rows
            .accounts
            .iter()
            .filter(|account| !account.removed)
            .filter_map(|account| self.config().user_id(&account.uuid).ok())
            .collect();
        for uid in inventory.account_users.keys() {
            if live.contains(uid) {
                continue;
            }
            let owned: Vec<&str> = inventory
                .buckets
                .iter()
                .filter(|(_, owner)| owner.as_deref() == Some(uid.as_str()))
                .map(|(name, _)| name.as_str())
                .collect();
            let mut finding = Finding {
                kind: "user_of_deleted_account".to_owned(),
                subject: uid.clone(),
                detail: if owned.is_empty() {
                    format!("{uid} belongs to no live CloudStack account and owns no bucket")
                } else {
                    format!(
                        "{uid} belongs to no live CloudStack account and owns {}",
                        owned.join(", ")
                    )
                },
                fixed: None,
            };
            if options.fix && options.yes && owned.is_empty() {
                self.delete_user_if_present(uid).await?;
                finding.fixed = Some("deleted the user".to_owned());
            }
            findings.push(finding);
        }
        Ok(())
    }

    async fn live_keys_of(&self, uid: &str) -> Result<Vec<LiveKey>> {
        let keys = match self
            .mgmt()
            .secret_keys()
            .get(uid, Some(self.namespace()?))
            .await
        {
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

    async fn delete_user_if_present(&self, uid: &str) -> Result<()> {
        match self
            .mgmt()
            .object_users()
            .delete(uid, self.namespace()?)
            .await
        {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == ErrorKind::NotFound => Ok(()),
            Err(err) => Err(err),
        }
    }
}
