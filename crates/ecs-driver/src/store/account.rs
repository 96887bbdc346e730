//! Account users: one ECS object user per CloudStack account, its key, rotation and removal.
//!
//! Convergence without locks: a key is created only when the user has none, and afterwards
//! every caller adopts the same *canonical* key (the first key without an expiry, in slot
//! order). When a race made two callers each create a key, the extra one is deactivated by
//! whoever sees it, and nobody was handed it. So any number of tasks or management servers
//! racing on an account's first bucket end with one user and one shared key.

use std::time::Duration;

use ecs_common::{Error, ErrorKind, ExposeSecret, Result, SecretString};
use ecs_mgmt::{SecretKeyCreate, UserSecretKeys, UserTag};
use futures::TryStreamExt;
use time::OffsetDateTime;

use super::EcsObjectStore;
use crate::AccountCredentials;
use crate::types::same_secret;

/// A second key created this close to the canonical one is a race's product and is removed;
/// an older one was made on purpose (outside the driver) and is left alone.
const RACE_WINDOW: time::Duration = time::Duration::minutes(10);

/// What the driver needs to know about one live key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct KeyFacts {
    pub(super) created: Option<OffsetDateTime>,
    pub(super) expires: Option<OffsetDateTime>,
}

/// Which key to adopt and which to deactivate, as slot indexes into the live keys.
#[derive(Clone, Debug, PartialEq, Eq)]
struct KeyPlan {
    adopt: Option<usize>,
    deactivate: Vec<usize>,
}

/// Decides on the live keys of a user (expired ones already removed), in slot order.
fn plan_keys(keys: &[KeyFacts]) -> KeyPlan {
    let canonical = keys
        .iter()
        .position(|key| key.expires.is_none())
        .or_else(|| {
            // Every key is being rotated out: keep the one that lasts longest.
            (0..keys.len()).max_by_key(|&index| keys[index].expires)
        });
    let Some(adopt) = canonical else {
        return KeyPlan {
            adopt: None,
            deactivate: Vec::new(),
        };
    };
    let adopted_created = keys[adopt].created;
    let deactivate = keys
        .iter()
        .enumerate()
        .filter(|&(index, key)| index != adopt && key.expires.is_none())
        .filter(|(_, key)| match (key.created, adopted_created) {
            (Some(extra), Some(first)) => (extra - first).abs() <= RACE_WINDOW,
            _ => true,
        })
        .map(|(index, _)| index)
        .collect();
    KeyPlan {
        adopt: Some(adopt),
        deactivate,
    }
}

/// A user's keys that still work, in slot order.
fn live_keys(keys: &UserSecretKeys) -> Vec<(SecretString, KeyFacts)> {
    let now = OffsetDateTime::now_utc();
    keys.keys()
        .filter(|key| key.expires.is_none_or(|expires| expires > now))
        .filter(|key| !key.secret.expose_secret().is_empty())
        .map(|key| {
            let facts = KeyFacts {
                created: key.created,
                expires: key.expires,
            };
            (key.secret.clone(), facts)
        })
        .collect()
}

impl EcsObjectStore {
    /// Makes sure the account's ECS object user `<prefix><account_uuid>` exists with exactly
    /// one key, and returns its credentials.
    ///
    /// `stored` credentials are returned unchanged when ECS still knows them (one request);
    /// otherwise the canonical key is adopted, or one is created when the user has none. Only
    /// this account's user and keys are ever written.
    pub async fn ensure_account_user(
        &self,
        account_uuid: &str,
        stored: Option<AccountCredentials>,
    ) -> Result<AccountCredentials> {
        self.ensure_open()?;
        let uid = self.config().user_id(account_uuid)?;
        let stored = stored.filter(|stored| {
            let ours = stored.user_id == uid;
            if !ours {
                tracing::warn!(%uid, stored = %stored.user_id, "ignoring stored credentials of another user");
            }
            ours
        });
        let keys = match self.read_keys(&uid).await? {
            Some(keys) => keys,
            None => {
                let tag = UserTag::new(self.config().features().tag("account"), account_uuid);
                self.create_user_tagged(&uid, &[tag]).await?;
                Vec::new()
            }
        };
        if let Some(stored) = stored {
            let known = keys.iter().any(|(secret, facts)| {
                facts.expires.is_none() && same_secret(secret, &stored.secret_key)
            });
            if known {
                return Ok(stored);
            }
        }
        if let Some(adopted) = self.settle_keys(&uid, keys).await {
            return Ok(adopted);
        }
        let created = self
            .mgmt()
            .secret_keys()
            .create(&uid, self.namespace()?, SecretKeyCreate::default())
            .await;
        if let Err(err) = &created {
            // Two keys already (a race) or a lost answer: the keys read next decide.
            tracing::info!(%uid, error = %err, "secret key creation failed; reading the keys");
        }
        let keys = self.read_keys(&uid).await?.unwrap_or_default();
        match self.settle_keys(&uid, keys).await {
            Some(adopted) => Ok(adopted),
            None => Err(created.err().unwrap_or_else(|| {
                Error::new(
                    ErrorKind::Protocol,
                    format!("ECS shows no key for user {uid} after creating one"),
                )
            })),
        }
    }

    /// Rotates the account's key: creates a new key, returns it, and lets the old key work
    /// for `grace` more (rounded up to whole minutes; zero ends it at once).
    ///
    /// Fails with [`ErrorKind::Conflict`] while a previous rotation's old key is still valid,
    /// and with [`ErrorKind::NotFound`] when the account has no ECS user.
    pub async fn rotate_account_key(
        &self,
        account_uuid: &str,
        grace: Duration,
    ) -> Result<AccountCredentials> {
        self.ensure_open()?;
        let uid = self.config().user_id(account_uuid)?;
        let keys = self.read_keys(&uid).await?.ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!("account {account_uuid} has no ECS user {uid}"),
            )
        })?;
        let had_key = !keys.is_empty();
        if keys.len() > 1 {
            if let Some(until) = keys.iter().filter_map(|(_, facts)| facts.expires).min() {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!(
                        "user {uid} still has an old key valid until {until}; rotate again after that"
                    ),
                ));
            }
            self.settle_keys(&uid, keys).await;
            if self.read_keys(&uid).await?.unwrap_or_default().len() > 1 {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!("user {uid} already holds two keys"),
                ));
            }
        }
        let minutes = u32::try_from(grace.as_secs().div_ceil(60)).unwrap_or(u32::MAX);
        let create = SecretKeyCreate {
            secret: None,
            existing_key_expiry_mins: had_key.then_some(minutes),
        };
        let key = self
            .mgmt()
            .secret_keys()
            .create(&uid, self.namespace()?, create)
            .await?;
        tracing::info!(%uid, grace_minutes = minutes, "rotated the account key");
        Ok(AccountCredentials {
            user_id: uid,
            secret_key: key.secret,
        })
    }

    /// Removes the account's ECS user and its keys, if it owns no bucket in the namespace.
    ///
    /// A missing user counts as removed. Fails with [`ErrorKind::Conflict`] naming the buckets
    /// it still owns.
    pub async fn delete_account_user(&self, account_uuid: &str) -> Result<()> {
        self.ensure_open()?;
        let uid = self.config().user_id(account_uuid)?;
        let owned: Vec<String> = self
            .mgmt()
            .buckets()
            .list(self.namespace()?)
            .try_filter(|bucket| {
                futures::future::ready(bucket.owner.as_deref() == Some(uid.as_str()))
            })
            .map_ok(|bucket| bucket.name)
            .try_collect()
            .await?;
        if !owned.is_empty() {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "user {uid} still owns {} bucket(s): {}",
                    owned.len(),
                    owned.join(", ")
                ),
            ));
        }
        match self
            .mgmt()
            .object_users()
            .delete(&uid, self.namespace()?)
            .await
        {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == ErrorKind::NotFound => Ok(()),
            Err(err) => Err(err),
        }
    }

    /// The user's live keys; `None` when the user does not exist.
    pub(super) async fn read_keys(
        &self,
        uid: &str,
    ) -> Result<Option<Vec<(SecretString, KeyFacts)>>> {
        match self
            .mgmt()
            .secret_keys()
            .get(uid, Some(self.namespace()?))
            .await
        {
            Ok(keys) => Ok(Some(live_keys(&keys))),
            Err(err) if err.kind() == ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err),
        }
    }

    pub(super) async fn create_user(&self, uid: &str) -> Result<()> {
        self.create_user_tagged(uid, &[]).await
    }

    /// Creates a user with tags (ECS allows tags on object users); an existing one is kept.
    /// In `domain` tenancy the domain's namespace is made first when ECS has none.
    pub(super) async fn create_user_tagged(&self, uid: &str, tags: &[UserTag]) -> Result<()> {
        self.ensure_tenant_namespace().await?;
        match self
            .mgmt()
            .object_users()
            .create_with_tags(uid, self.namespace()?, tags)
            .await
        {
            Ok(()) => {
                tracing::info!(%uid, "created the ECS object user");
                Ok(())
            }
            Err(err) if err.kind() == ErrorKind::AlreadyExists => Ok(()),
            Err(err) => Err(err),
        }
    }

    /// Adopts the canonical key and deactivates extra keys a race created. Failing to
    /// deactivate is logged, not fatal: the extra key was never handed out.
    async fn settle_keys(
        &self,
        uid: &str,
        keys: Vec<(SecretString, KeyFacts)>,
    ) -> Option<AccountCredentials> {
        let facts: Vec<KeyFacts> = keys.iter().map(|(_, facts)| facts.clone()).collect();
        let plan = plan_keys(&facts);
        let namespace = self.namespace().ok()?;
        for index in plan.deactivate {
            let secret = &keys[index].0;
            match self
                .mgmt()
                .secret_keys()
                .delete(uid, namespace, secret)
                .await
            {
                Ok(()) => {
                    tracing::info!(%uid, slot = index + 1, "deactivated an extra key a race created")
                }
                Err(err) if err.kind() == ErrorKind::NotFound => {}
                Err(err) => tracing::warn!(%uid, error = %err, "could not deactivate an extra key"),
            }
        }
        plan.adopt.map(|index| AccountCredentials {
            user_id: uid.to_owned(),
            secret_key: keys[index].0.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> Option<OffsetDateTime> {
        Some(OffsetDateTime::UNIX_EPOCH + time::Duration::minutes(minutes))
    }

    fn key(created: i64, expires: Option<i64>) -> KeyFacts {
        KeyFacts {
            created: at(created),
            expires: expires.and_then(at),
        }
    }

    #[test]
    fn no_keys_no_plan() {
        assert_eq!(
            plan_keys(&[]),
            KeyPlan {
                adopt: None,
                deactivate: vec![]
            }
        );
    }

    #[test]
    fn one_key_is_adopted() {
        assert_eq!(
            plan_keys(&[key(0, None)]),
            KeyPlan {
                adopt: Some(0),
                deactivate: vec![]
            }
        );
    }

    #[test]
    fn a_race_keeps_slot_one_and_removes_the_twin() {
        let plan = plan_keys(&[key(0, None), key(0, None)]);
        assert_eq!(
            plan,
            KeyPlan {
                adopt: Some(0),
                deactivate: vec![1]
            }
        );
    }

    #[test]
    fn a_rotated_key_wins_and_the_old_one_keeps_its_grace() {
        let plan = plan_keys(&[key(0, Some(100)), key(50, None)]);
        assert_eq!(
            plan,
            KeyPlan {
                adopt: Some(1),
                deactivate: vec![]
            }
        );
    }

    #[test]
    fn an_old_deliberate_second_key_is_left_alone() {
        let plan = plan_keys(&[key(0, None), key(60 * 24, None)]);
        assert_eq!(
            plan,
            KeyPlan {
                adopt: Some(0),
                deactivate: vec![]
            }
        );
    }

    #[test]
    fn when_all_keys_expire_the_longest_lived_is_adopted() {
        let plan = plan_keys(&[key(0, Some(10)), key(0, Some(20))]);
        assert_eq!(
            plan,
            KeyPlan {
                adopt: Some(1),
                deactivate: vec![]
            }
        );
    }

    #[test]
    fn unknown_creation_times_count_as_a_race() {
        let plan = plan_keys(&[
            KeyFacts {
                created: None,
                expires: None,
            },
            KeyFacts {
                created: None,
                expires: None,
            },
        ]);
        assert_eq!(
            plan,
            KeyPlan {
                adopt: Some(0),
                deactivate: vec![1]
            }
        );
    }
}
