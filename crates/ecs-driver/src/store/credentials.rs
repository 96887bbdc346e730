//! Per-bucket credentials and the account key's last rotation, ahead of CloudStack's open
//! design (apache/cloudstack PR #14170, issue #14167).
//!
//! On ECS a bucket credential is one object user, `<prefix>bucket-<bucket>`, holding at most
//! two secret keys (ECS's limit), and one bucket-policy statement with its own `Sid`
//! ([`CREDENTIAL_SID`](crate::policy::CREDENTIAL_SID)) that grants that user that bucket only.
//! The statement is merged into the bucket's policy and removed from it without touching any
//! other statement; the driver's public/private and custom policy writes keep it.
//!
//! An account is moved onto per-bucket credentials explicitly: the migration tags the
//! account's object user `<tag prefix>bucket-credentials` = `pending`, and the rotation of the
//! account key that ends the move sets it to `rotated`. ECS needs no other change, so the
//! migration is cheap and reversible by removing the tag.
//!
//! Both keys of an ECS user share one access key id (the user id), so "remove the key with
//! access key X" cannot name one of two keys: the driver removes the *older* one (the one
//! with an expiry first, else the earlier created), which is the key a rotation retires.

use ecs_common::{Error, ErrorKind, Result, SecretString};
use ecs_mgmt::{SecretKeyCreate, UserTag};

use super::EcsObjectStore;
use crate::AccountCredentials;
use crate::policy::{PolicyWrite, plan_credential_grant, plan_credential_revoke};
use crate::validate;

/// The account user's migration tag, after the prefix.
const MIGRATION_TAG: &str = "bucket-credentials";
/// The migration tag's value until the account key has been rotated.
const PENDING: &str = "pending";
/// The migration tag's value once the account key has been rotated.
const ROTATED: &str = "rotated";
/// The credential user's tag naming its bucket, after the prefix.
const BUCKET_TAG: &str = "bucket";

/// A bucket's own credential: the ECS user and its first key.
#[derive(Clone, Debug)]
pub struct BucketCredential {
    /// The provider's id of the credential: the ECS object user (also the S3 access key id).
    pub credential_id: String,
    /// The credential's first key (its `user_id` is the credential id).
    pub key: AccountCredentials,
}

impl EcsObjectStore {
    /// Why this store cannot give buckets their own credentials, or `None` when it can.
    pub fn bucket_credentials_unsupported_reason(&self) -> Option<String> {
        (!self.config().features().bucket_credentials()).then(|| {
            "per-bucket credentials are turned off for this store (store detail \
             bucket_credentials=off)"
                .to_owned()
        })
    }

    /// Whether new buckets of the account get their own credential: the store supports them
    /// and the account was migrated (its user carries the migration tag). One request.
    pub async fn account_supports_bucket_credentials(&self, account_uuid: &str) -> Result<bool> {
        self.ensure_open()?;
        if self.bucket_credentials_unsupported_reason().is_some() {
            return Ok(false);
        }
        Ok(self.migration_state(account_uuid).await?.is_some())
    }

    /// Moves the account onto per-bucket credentials: tags its ECS user as migrated, with the
    /// account key's rotation pending when the user holds a key. Idempotent; creates the user
    /// when the account has none yet.
    pub async fn migrate_account_for_bucket_credentials(&self, account_uuid: &str) -> Result<()> {
        self.ensure_open()?;
        if let Some(reason) = self.bucket_credentials_unsupported_reason() {
            return Err(Error::unsupported(reason));
        }
        if self.migration_state(account_uuid).await?.is_some() {
            return Ok(());
        }
        let uid = self.config().user_id(account_uuid)?;
        let has_key = match self.read_keys(&uid).await? {
            Some(keys) => !keys.is_empty(),
            None => {
                self.create_user(&uid).await?;
                false
            }
        };
        let state = if has_key { PENDING } else { ROTATED };
        self.tag_user(&uid, &[UserTag::new(self.migration_tag(), state)])
            .await?;
        tracing::info!(%uid, state, "account moved onto per-bucket credentials");
        Ok(())
    }

    /// Whether the migrated account's key, which may be held outside CloudStack, has not been
    /// rotated away yet. `false` for an account that was never migrated.
    pub async fn is_account_key_rotation_pending(&self, account_uuid: &str) -> Result<bool> {
        self.ensure_open()?;
        Ok(self.migration_state(account_uuid).await?.as_deref() == Some(PENDING))
    }

    /// Replaces the migrated account's key with a new one and retires the old one after the
    /// store's grace (`account_key_grace_minutes`, default 0: at once), then marks the
    /// rotation done. Fails with [`ErrorKind::Conflict`] for an account that was not migrated.
    pub async fn rotate_migrated_account_key(
        &self,
        account_uuid: &str,
    ) -> Result<AccountCredentials> {
        self.ensure_open()?;
        let uid = self.config().user_id(account_uuid)?;
        if self.migration_state(account_uuid).await?.is_none() {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "account {account_uuid} has not been moved onto per-bucket credentials; \
                     migrate it first"
                ),
            ));
        }
        let grace_minutes = self.config().features().account_key_grace_minutes();
        let grace = std::time::Duration::from_secs(u64::from(grace_minutes) * 60);
        let rotated = self.rotate_account_key(account_uuid, grace).await?;
        self.tag_user(&uid, &[UserTag::new(self.migration_tag(), ROTATED)])
            .await?;
        Ok(rotated)
    }

    /// Gives a bucket its own credential: the user `<prefix>bucket-<bucket>` with one key, and
    /// the policy statement granting it the bucket. Idempotent: an existing user's first live
    /// key is returned again, and the statement is written only when it differs.
    pub async fn create_bucket_credential(&self, bucket: &str) -> Result<BucketCredential> {
        self.ensure_open()?;
        if let Some(reason) = self.bucket_credentials_unsupported_reason() {
            return Err(Error::unsupported(reason));
        }
        let uid = self.config().bucket_credential_user(bucket)?;
        // The bucket must exist: a credential for nothing is refused before anything is made.
        self.mgmt()
            .buckets()
            .info(bucket, self.namespace()?)
            .await?;
        let tags = [UserTag::new(
            self.config().features().tag(BUCKET_TAG),
            bucket,
        )];
        match self
            .mgmt()
            .object_users()
            .create_with_tags(&uid, self.namespace()?, &tags)
            .await
        {
            Ok(()) => tracing::info!(%uid, %bucket, "created the bucket's credential user"),
            Err(err) if err.kind() == ErrorKind::AlreadyExists => {}
            Err(err) => return Err(err),
        }
        let keys = self.read_keys(&uid).await?.unwrap_or_default();
        let secret = match keys.into_iter().next() {
            Some((secret, _)) => secret,
            None => {
                self.mgmt()
                    .secret_keys()
                    .create(&uid, self.namespace()?, SecretKeyCreate::default())
                    .await?
                    .secret
            }
        };
        self.write_credential_statement(bucket, Some(&uid)).await?;
        Ok(BucketCredential {
            credential_id: uid.clone(),
            key: AccountCredentials {
                user_id: uid,
                secret_key: secret,
            },
        })
    }

    /// Adds a key to the bucket's credential and returns exactly the new one; the existing key
    /// keeps working (CloudStack revokes it when its consumers have moved). Fails with
    /// [`ErrorKind::Conflict`] when the credential already holds two keys, ECS's limit.
    pub async fn create_bucket_credential_key(&self, bucket: &str) -> Result<AccountCredentials> {
        self.ensure_open()?;
        let uid = self.config().bucket_credential_user(bucket)?;
        let keys = self.read_keys(&uid).await?.ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!("bucket {bucket} has no credential user {uid}"),
            )
        })?;
        if keys.len() >= 2 {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "credential {uid} of bucket {bucket} already holds two keys, ECS's limit; \
                     revoke one first"
                ),
            ));
        }
        let key = self
            .mgmt()
            .secret_keys()
            .create(&uid, self.namespace()?, SecretKeyCreate::default())
            .await?;
        tracing::info!(%uid, %bucket, "added a key to the bucket's credential");
        Ok(AccountCredentials {
            user_id: uid,
            secret_key: key.secret,
        })
    }

    /// Removes one key of the bucket's credential. `access_key` must be the credential's user
    /// id (anything else names no key of it, which counts as removed); of two keys the older
    /// one goes (see the module documentation). A missing user counts as removed.
    pub async fn remove_bucket_credential_key(&self, bucket: &str, access_key: &str) -> Result<()> {
        self.ensure_open()?;
        let uid = self.config().bucket_credential_user(bucket)?;
        if access_key != uid {
            tracing::info!(%uid, %bucket, "no key of the bucket's credential has that access key");
            return Ok(());
        }
        let Some(keys) = self.read_keys(&uid).await? else {
            return Ok(());
        };
        let older = keys
            .iter()
            .min_by_key(|(_, facts)| (facts.expires.is_none(), facts.created))
            .map(|(secret, _)| secret.clone());
        let Some(secret) = older else {
            return Ok(());
        };
        self.delete_key(&uid, &secret).await?;
        tracing::info!(%uid, %bucket, remaining = keys.len() - 1, "removed a key of the bucket's credential");
        Ok(())
    }

    /// Removes the bucket's credential: its policy statement (when the bucket still exists)
    /// and its user with the keys. Whatever is already gone counts as removed.
    pub async fn delete_bucket_credential(&self, bucket: &str) -> Result<()> {
        self.ensure_open()?;
        let uid = self.config().bucket_credential_user(bucket)?;
        match self.write_credential_statement(bucket, None).await {
            Ok(()) => {}
            Err(err) if err.kind() == ErrorKind::NotFound => {}
            Err(err) => return Err(err),
        }
        match self
            .mgmt()
            .object_users()
            .delete(&uid, self.namespace()?)
            .await
        {
            Ok(()) => {
                tracing::info!(%uid, %bucket, "removed the bucket's credential user");
                Ok(())
            }
            Err(err) if err.kind() == ErrorKind::NotFound => Ok(()),
            Err(err) => Err(err),
        }
    }

    /// Grants `uid` the bucket in its policy (`Some`) or removes the grant (`None`), keeping
    /// every other statement; writes nothing when the policy already is so.
    async fn write_credential_statement(&self, bucket: &str, uid: Option<&str>) -> Result<()> {
        validate::bucket_name(bucket)?;
        let buckets = self.mgmt().buckets();
        let current = buckets.policy(bucket, self.namespace()?).await?;
        let write = match uid {
            Some(uid) => plan_credential_grant(current.as_deref(), bucket, uid),
            None => plan_credential_revoke(current.as_deref()),
        };
        // The driver's remembered policy for the follow-up setters no longer holds.
        self.echoes().forget(bucket);
        match write {
            PolicyWrite::Keep => Ok(()),
            PolicyWrite::Put(document) => {
                buckets
                    .set_policy(bucket, self.namespace()?, &document)
                    .await
            }
            PolicyWrite::Delete => buckets.delete_policy(bucket, self.namespace()?).await,
        }
    }

    fn migration_tag(&self) -> String {
        self.config().features().tag(MIGRATION_TAG)
    }

    /// The account user's migration tag value; `None` when not migrated or without a user.
    async fn migration_state(&self, account_uuid: &str) -> Result<Option<String>> {
        let uid = self.config().user_id(account_uuid)?;
        let tags = match self
            .mgmt()
            .object_users()
            .tags(&uid, self.namespace()?)
            .await
        {
            Ok(tags) => tags,
            Err(err) if err.kind() == ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(err),
        };
        let name = self.migration_tag();
        Ok(tags
            .into_iter()
            .find(|tag| tag.name == name)
            .map(|tag| tag.value))
    }

    /// Adds (or overwrites) tags on a user.
    pub(super) async fn tag_user(&self, uid: &str, tags: &[UserTag]) -> Result<()> {
        self.mgmt()
            .object_users()
            .add_tags(uid, self.namespace()?, tags)
            .await
    }

    async fn delete_key(&self, uid: &str, secret: &SecretString) -> Result<()> {
        match self
            .mgmt()
            .secret_keys()
            .delete(uid, self.namespace()?, secret)
            .await
        {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == ErrorKind::NotFound => Ok(()),
            Err(err) => Err(err),
        }
    }
}
