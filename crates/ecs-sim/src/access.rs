//! What the S3 side may read and change in the management state: the stable, documented
//! accessors of [`Core`] for `src/s3/` (which must not reach into [`crate::state`] locks itself).
//!
//! All of them take the state lock briefly and return owned copies.

use crate::core::Core;
use crate::error::EcsError;
use crate::mgmt::buckets::{new_s3_bucket, valid_bucket_name};
use crate::state::Bucket;

/// An object user as the S3 side needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct UserView {
    /// User id (= S3 access key id).
    pub(crate) uid: String,
    /// The user's namespace (the default namespace of its S3 requests).
    pub(crate) namespace: String,
    /// Locked users may not use S3.
    pub(crate) locked: bool,
}

impl Core {
    /// The object user `uid`, if it exists.
    pub(crate) fn object_user(&self, uid: &str) -> Option<UserView> {
        let state = self.state();
        state.users.get(uid).map(|user| UserView {
            uid: user.uid.clone(),
            namespace: user.namespace.clone(),
            locked: user.locked,
        })
    }

    /// The secret keys that authenticate `uid` now (slot 1 first), empty for unknown users.
    pub(crate) fn live_secret_keys(&self, uid: &str) -> Vec<String> {
        let now = self.clock.now_ms();
        let state = self.state();
        state
            .users
            .get(uid)
            .map(|user| {
                user.keys
                    .iter()
                    .filter(|key| key.is_live(now))
                    .map(|key| key.secret.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A copy of a bucket's metadata: owner, namespace, vpool, policy JSON, versioning status
    /// (`Enabled`/`Suspended`/`None`), encryption, quotas in GB (`block_size` hard,
    /// `notification_size` soft; -1 = none), admin lock, Object Lock, CORS XML, tags.
    pub(crate) fn bucket_meta(&self, namespace: &str, name: &str) -> Option<Bucket> {
        self.state().bucket(namespace, name).ok().cloned()
    }

    /// The namespace holding bucket `name`: `hint` if it has one there, else the only namespace
    /// with a bucket of that name.
    pub(crate) fn find_bucket_namespace(&self, name: &str, hint: Option<&str>) -> Option<String> {
        let state = self.state();
        if let Some(hint) = hint {
            return state.bucket(hint, name).is_ok().then(|| hint.to_owned());
        }
        state.bucket_namespace(name, None).ok()
    }

    /// Every bucket owned by `uid` (S3 `ListBuckets`), sorted by namespace and name.
    pub(crate) fn buckets_owned_by(&self, uid: &str) -> Vec<Bucket> {
        let state = self.state();
        state
            .buckets
            .values()
            .flat_map(|buckets| buckets.values())
            .filter(|bucket| bucket.owner == uid)
            .cloned()
            .collect()
    }

    /// Applies `change` to a bucket's metadata; `false` when the bucket does not exist.
    pub(crate) fn update_bucket(
        &self,
        namespace: &str,
        name: &str,
        change: impl FnOnce(&mut Bucket),
    ) -> bool {
        let changed = match self.state().bucket_mut(namespace, name) {
            Ok(bucket) => {
                change(bucket);
                true
            }
            Err(_) => false,
        };
        if changed {
            self.persist();
        }
        changed
    }

    /// Sets or clears the versioning status (`Enabled`/`Suspended`).
    pub(crate) fn set_bucket_versioning(&self, namespace: &str, name: &str, status: &str) -> bool {
        self.update_bucket(namespace, name, |bucket| {
            bucket.versioning = Some(status.to_owned())
        })
    }

    /// Sets or clears the bucket policy JSON.
    pub(crate) fn set_bucket_policy(
        &self,
        namespace: &str,
        name: &str,
        policy: Option<String>,
    ) -> bool {
        self.update_bucket(namespace, name, |bucket| bucket.policy = policy)
    }

    /// Sets or clears the CORS configuration XML.
    pub(crate) fn set_bucket_cors(
        &self,
        namespace: &str,
        name: &str,
        cors: Option<String>,
    ) -> bool {
        self.update_bucket(namespace, name, |bucket| bucket.cors = cors)
    }

    /// Enables S3 Object Lock on a bucket, and with it versioning (S3 `CreateBucket` with
    /// `x-amz-bucket-object-lock-enabled`).
    pub(crate) fn enable_object_lock(&self, namespace: &str, name: &str) -> bool {
        self.update_bucket(namespace, name, |bucket| {
            bucket.object_lock.enabled = true;
            bucket.versioning = Some("Enabled".to_owned());
        })
    }

    /// Sets or clears the Object Lock default retention: (mode, days, years).
    pub(crate) fn set_object_lock_default(
        &self,
        namespace: &str,
        name: &str,
        rule: Option<(String, Option<i64>, Option<i64>)>,
    ) -> bool {
        self.update_bucket(namespace, name, |bucket| {
            let (mode, days, years) = rule.map_or((None, None, None), |(m, d, y)| (Some(m), d, y));
            bucket.object_lock.mode = mode;
            bucket.object_lock.days = days;
            bucket.object_lock.years = years;
        })
    }

    /// S3 `CreateBucket`: a bucket owned by `owner` in `namespace` with the namespace defaults.
    /// Errors: 40009 bad name, 1004 unknown namespace, 40008 exists.
    pub(crate) fn create_bucket_for_s3(
        &self,
        namespace: &str,
        name: &str,
        owner: &str,
        encryption: bool,
    ) -> Result<(), EcsError> {
        if !valid_bucket_name(name) {
            return Err(EcsError::bad_bucket_name(name));
        }
        {
            let mut state = self.state();
            let ns = state.namespace(namespace)?.clone();
            if state.bucket(namespace, name).is_ok() {
                return Err(EcsError::bucket_exists(name));
            }
            let bucket = new_s3_bucket(&ns, name, owner, encryption, self.clock.now_ms());
            state
                .buckets
                .entry(namespace.to_owned())
                .or_default()
                .insert(name.to_owned(), bucket);
        }
        self.storage.bucket_created(namespace, name);
        self.persist();
        Ok(())
    }

    /// S3 `DeleteBucket`: removes an empty bucket. Errors: 1004 missing, 1012 not empty.
    pub(crate) fn delete_bucket_for_s3(&self, namespace: &str, name: &str) -> Result<(), EcsError> {
        self.state().bucket(namespace, name)?;
        if !self.usage(namespace, name).is_empty() {
            return Err(EcsError::cannot_change(format!(
                "Bucket {name} is not empty"
            )));
        }
        if let Some(buckets) = self.state().buckets.get_mut(namespace) {
            buckets.remove(name);
        }
        self.bucket_removed(namespace, name);
        self.persist();
        Ok(())
    }
}
