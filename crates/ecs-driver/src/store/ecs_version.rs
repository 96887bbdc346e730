//! The ECS release behind a store, and the one call that differs by release: bucket
//! versioning. ECS 4.x has `PUT /object/bucket/{b}/versioning` on the management API; where
//! that endpoint is absent (3.x, or a release the nodes do not report) versioning goes through
//! S3, `PUT /{b}?versioning` with the bucket owner's keys, as the upstream Java plug-in does,
//! with the same wait for a new key to reach every node as the CORS step.

use std::future::Future;
use std::time::{Duration, Instant};

use ecs_common::{Error, ErrorKind, ExposeSecret, Result};
use ecs_mgmt::{Backoff, EcsMgmtClient, EcsRelease, VersioningStatus};
use ecs_s3::{EcsS3Client, Versioning};
use time::OffsetDateTime;

use super::EcsObjectStore;
use crate::{AccountCredentials, Check, Features};

/// The first release with the management versioning endpoint.
const MGMT_VERSIONING_SINCE: u16 = 4;

/// How bucket versioning is changed on a release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum VersioningPath {
    /// `PUT /object/bucket/{b}/versioning` with the service account.
    Management,
    /// S3 `PUT /{b}?versioning` with the bucket owner's keys.
    S3,
}

impl VersioningPath {
    pub(super) fn for_release(release: Option<EcsRelease>) -> VersioningPath {
        match release {
            Some(release) if release.major >= MGMT_VERSIONING_SINCE => VersioningPath::Management,
            _ => VersioningPath::S3,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            VersioningPath::Management => "bucket versioning through the management API",
            VersioningPath::S3 => {
                "no management versioning endpoint: bucket versioning through S3 with the bucket owner's keys"
            }
        }
    }
}

/// The `ecs_version` line of the check report. It never fails the check: a release the nodes
/// do not report only means versioning takes the S3 path, which every release has.
pub(super) async fn version_check(
    client: &EcsMgmtClient,
    features: &Features,
) -> (Check, Option<Option<EcsRelease>>) {
    match client.nodes().release().await {
        Ok(release) => {
            let path = VersioningPath::for_release(release).describe();
            let lock = super::lock::describe(release, features);
            let detail = match release {
                Some(release) => format!("ECS {release}: {path}; {lock}"),
                None => format!("the nodes report no readable version: {path}; {lock}"),
            };
            (Check::pass("ecs_version", detail), Some(release))
        }
        Err(err) => (
            Check::pass(
                "ecs_version",
                format!(
                    "could not read the version from GET /vdc/nodes ({err}): {}",
                    VersioningPath::S3.describe()
                ),
            ),
            None,
        ),
    }
}

impl EcsObjectStore {
    /// The ECS release the store talks to, from `GET /vdc/nodes` (the oldest node's), found
    /// out once per store (by [`check`](Self::check) or the first versioning change) and kept.
    /// `None` when the nodes do not say or the account may not ask (403); the store then
    /// changes versioning through S3, which every release has.
    pub async fn ecs_release(&self) -> Result<Option<EcsRelease>> {
        self.ensure_open()?;
        self.inner
            .ecs_release
            .get_or_try_init(|| async {
                match self.mgmt().nodes().release().await {
                    Ok(release) => {
                        tracing::info!(release = ?release, "found out the ECS release");
                        Ok(release)
                    }
                    Err(err) if err.kind() == ErrorKind::Forbidden => {
                        tracing::warn!(error = %err, "may not read the ECS release; versioning goes through S3");
                        Ok(None)
                    }
                    Err(err) => Err(err),
                }
            })
            .await
            .copied()
    }

    /// Enables or suspends versioning the way the release allows. `owner` are the bucket
    /// owner's credentials when the caller has them (bucket creation); otherwise the S3 path
    /// reads the owner and one of their live keys from the management API.
    pub(super) async fn put_versioning(
        &self,
        bucket: &str,
        status: VersioningStatus,
        owner: Option<&AccountCredentials>,
    ) -> Result<()> {
        match VersioningPath::for_release(self.ecs_release().await?) {
            VersioningPath::Management => {
                self.mgmt()
                    .buckets()
                    .set_versioning(bucket, self.namespace()?, status)
                    .await
            }
            VersioningPath::S3 => {
                let owner = match owner {
                    Some(owner) => owner.clone(),
                    None => self.bucket_owner_credentials(bucket).await?,
                };
                let versioning = match status {
                    VersioningStatus::Enabled => Versioning::Enabled,
                    VersioningStatus::Suspended => Versioning::Suspended,
                    VersioningStatus::Unversioned => Versioning::Unversioned,
                };
                self.with_owner_key(bucket, &owner, |client| async move {
                    client.set_versioning(bucket, versioning).await
                })
                .await
            }
        }
    }

    /// The bucket owner's user id and a live key: `GET /object/bucket/{b}/info`, then
    /// `GET /object/user-secret-keys/{owner}/{ns}`.
    async fn bucket_owner_credentials(&self, bucket: &str) -> Result<AccountCredentials> {
        let info = self
            .mgmt()
            .buckets()
            .info(bucket, self.namespace()?)
            .await?;
        let owner = info
            .owner
            .filter(|owner| !owner.is_empty())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Conflict,
                    format!(
                        "bucket {bucket} has no owner, so versioning cannot be changed through S3"
                    ),
                )
            })?;
        let keys = self
            .mgmt()
            .secret_keys()
            .get(&owner, Some(self.namespace()?))
            .await?;
        let now = OffsetDateTime::now_utc();
        let secret = keys
            .keys()
            .filter(|key| key.expires.is_none_or(|expires| expires > now))
            .find(|key| !key.secret.expose_secret().is_empty())
            .map(|key| key.secret.clone())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Conflict,
                    format!(
                        "the owner {owner} of bucket {bucket} has no live S3 key, so versioning cannot be changed through S3"
                    ),
                )
            })?;
        Ok(AccountCredentials {
            user_id: owner,
            secret_key: secret,
        })
    }

    /// Runs an S3 call with the owner's keys. A key created moments ago may not work on every
    /// ECS node yet (up to two minutes): while S3 refuses it as unknown, the call is repeated
    /// with backoff, up to the configured `key_propagation_wait`. Other errors fail at once.
    pub(super) async fn with_owner_key<T, F, Fut>(
        &self,
        bucket: &str,
        credentials: &AccountCredentials,
        call: F,
    ) -> Result<T>
    where
        F: Fn(EcsS3Client) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let client = self.s3_client(credentials)?;
        let deadline = Instant::now() + self.config().key_propagation_wait();
        let mut backoff = Backoff::between(Duration::from_millis(250), Duration::from_secs(10));
        loop {
            let delay = backoff.next_delay();
            match call(client.clone()).await {
                Err(err)
                    if err.kind() == ErrorKind::Unauthorized
                        && Instant::now() + delay < deadline =>
                {
                    tracing::info!(bucket, user = %credentials.user_id, "S3 does not know the owner's key yet; retrying");
                    tokio::time::sleep(delay).await;
                }
                result => return result,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_4x_and_later_use_the_management_endpoint() {
        let release = |major, minor| {
            Some(EcsRelease {
                major,
                minor,
                patch: 0,
            })
        };
        assert_eq!(
            VersioningPath::for_release(release(4, 1)),
            VersioningPath::Management
        );
        assert_eq!(
            VersioningPath::for_release(release(4, 0)),
            VersioningPath::Management
        );
        assert_eq!(
            VersioningPath::for_release(release(5, 0)),
            VersioningPath::Management
        );
        assert_eq!(
            VersioningPath::for_release(release(3, 6)),
            VersioningPath::S3
        );
        assert_eq!(
            VersioningPath::for_release(release(3, 8)),
            VersioningPath::S3
        );
        assert_eq!(
            VersioningPath::for_release(None),
            VersioningPath::S3,
            "unknown: the path every release has"
        );
    }
}
