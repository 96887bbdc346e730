//! S3 Object Lock, supported instead of refused: buckets created with it where ECS has it
//! (3.6.2 and later) and the store allows it, with the store's default retention, and a
//! refused delete that names the date the bucket can go.

use std::time::SystemTime;

use ecs_common::{Error, ExposeSecret, Result};
use ecs_mgmt::EcsRelease;
use ecs_s3::{DefaultRetention, RetentionMode, RetentionPeriod};
use futures::TryStreamExt;
use time::OffsetDateTime;

use super::EcsObjectStore;
use crate::{AccountCredentials, Features};

/// The first ECS release with S3 Object Lock.
pub(super) const OBJECT_LOCK_SINCE: EcsRelease = EcsRelease {
    major: 3,
    minor: 6,
    patch: 2,
};

/// Whether a release has S3 Object Lock; an unknown release is treated as not having it.
pub(super) fn has_object_lock(release: Option<EcsRelease>) -> bool {
    release.is_some_and(|release| {
        (release.major, release.minor, release.patch)
            >= (
                OBJECT_LOCK_SINCE.major,
                OBJECT_LOCK_SINCE.minor,
                OBJECT_LOCK_SINCE.patch,
            )
    })
}

/// The words the check report adds about object lock: whether the release has it, and what
/// the store does with CloudStack's object-lock flag (its `object_lock` detail and default
/// retention).
pub(super) fn describe(release: Option<EcsRelease>, features: &Features) -> String {
    if !has_object_lock(release) {
        return "no S3 Object Lock (it needs ECS 3.6.2 or later): CloudStack's object-lock flag \
                is refused"
            .to_owned();
    }
    if features.object_lock_refused() {
        return "S3 Object Lock supported (3.6.2 and later), but this store refuses it \
                (store detail object_lock=refuse)"
            .to_owned();
    }
    let retention = features.lock_default().map_or_else(
        || "no default retention".to_owned(),
        |default| format!("default retention {default}"),
    );
    format!(
        "S3 Object Lock supported (3.6.2 and later): buckets CloudStack asks it for get it, \
         {retention}"
    )
}

impl EcsObjectStore {
    /// Fails with [`ErrorKind::Unsupported`](ecs_common::ErrorKind) unless a bucket may be
    /// created with object lock: the store allows it (`object_lock`, allowed by default) and ECS
    /// is 3.6.2 or later. Asks ECS its release once per store (none when the store refuses).
    pub async fn check_object_lock_allowed(&self) -> Result<()> {
        if self.config().features().object_lock_refused() {
            return Err(Error::unsupported(
                "object lock is turned off for this store (store detail object_lock=refuse); \
                 create the bucket without it",
            ));
        }
        let release = self.ecs_release().await?;
        if !has_object_lock(release) {
            let which = release.map_or_else(
                || "an ECS whose release is unknown".to_owned(),
                |r| format!("ECS {r}"),
            );
            return Err(Error::unsupported(format!(
                "object lock needs ECS 3.6.2 or later and this store runs {which}; create the \
                 bucket without it"
            )));
        }
        Ok(())
    }

    /// Puts the store's default retention on a new object-lock bucket, with the owner's keys.
    pub(super) async fn put_default_retention(
        &self,
        bucket: &str,
        credentials: &AccountCredentials,
    ) -> Result<()> {
        let Some(default) = self.config().features().lock_default() else {
            return Ok(());
        };
        let retention = DefaultRetention {
            mode: if default.compliance {
                RetentionMode::Compliance
            } else {
                RetentionMode::Governance
            },
            period: RetentionPeriod::Days(default.days),
        };
        self.with_owner_key(bucket, credentials, |client| async move {
            client.put_object_lock(bucket, Some(retention)).await
        })
        .await
    }

    /// For a bucket ECS refused to delete: when it has object lock, the latest date any of
    /// its object versions is retained until (the bucket can be emptied and deleted then).
    /// `None` when it has no object lock or nothing is retained; errors are left out (the
    /// caller reports the refusal either way).
    /// A store that refuses object lock made no such bucket: nothing is asked then.
    pub(super) async fn retained_until(&self, bucket: &str) -> Option<OffsetDateTime> {
        if self.config().features().object_lock_refused() {
            return None;
        }
        let info = self
            .mgmt()
            .buckets()
            .info(bucket, self.namespace().ok()?)
            .await
            .ok()?;
        if !info.object_lock {
            return None;
        }
        let owner = info.owner?;
        let keys = self
            .mgmt()
            .secret_keys()
            .get(&owner, Some(self.namespace().ok()?))
            .await
            .ok()?;
        let secret = keys
            .keys()
            .find(|key| !key.secret.expose_secret().is_empty())?
            .secret
            .clone();
        let client = self
            .s3_client(&AccountCredentials {
                user_id: owner,
                secret_key: secret,
            })
            .ok()?;
        let versions: Vec<ecs_s3::VersionEntry> = client
            .list_versions(bucket, None)
            .try_collect()
            .await
            .ok()?;
        let mut latest: Option<SystemTime> = None;
        for version in versions.iter().filter(|version| !version.is_delete_marker) {
            if let Ok(Some(retention)) = client
                .get_retention(bucket, &version.key, Some(&version.version_id))
                .await
            {
                latest = latest.max(Some(retention.retain_until));
            }
        }
        latest.map(OffsetDateTime::from)
    }
}

/// The refusal to delete a bucket whose versions are retained, naming the date.
pub(super) fn retained_error(bucket: &str, until: OffsetDateTime, cause: Error) -> Error {
    let date = until
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| until.to_string());
    cause
        .wrap(format!(
            "bucket {bucket} holds object versions under object-lock retention until {date}; \
             it can be emptied and deleted from then"
        ))
        .with_operation("delete bucket")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_lock_from_3_6_2() {
        let at = |major, minor, patch| {
            Some(EcsRelease {
                major,
                minor,
                patch,
            })
        };
        assert!(!has_object_lock(at(3, 6, 1)));
        assert!(!has_object_lock(at(3, 5, 9)));
        assert!(has_object_lock(at(3, 6, 2)));
        assert!(has_object_lock(at(3, 8, 0)));
        assert!(has_object_lock(at(4, 1, 0)));
        assert!(!has_object_lock(None));
    }

    #[test]
    fn the_check_report_says_what_the_store_does_with_the_flag() {
        let new = Some(EcsRelease {
            major: 4,
            minor: 1,
            patch: 0,
        });
        let details = |pairs: &[(&str, &str)]| {
            let map = pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            Features::from_details(&map).unwrap()
        };
        let allowed = describe(new, &details(&[]));
        assert!(allowed.contains("S3 Object Lock supported"), "{allowed}");
        assert!(allowed.contains("no default retention"), "{allowed}");
        let retained = describe(
            new,
            &details(&[
                ("object_lock_mode", "governance"),
                ("object_lock_days", "3"),
            ]),
        );
        assert!(retained.contains("governance 3 day(s)"), "{retained}");
        let refused = describe(new, &details(&[("object_lock", "refuse")]));
        assert!(refused.contains("object_lock=refuse"), "{refused}");
        let old = describe(
            Some(EcsRelease {
                major: 3,
                minor: 6,
                patch: 0,
            }),
            &details(&[]),
        );
        assert!(old.contains("no S3 Object Lock"), "{old}");
    }
}
