//! Bucket-level operations: existence, creation, versioning and bucket policies.

use aws_sdk_s3::types::{BucketVersioningStatus, VersioningConfiguration};
use ecs_common::{ErrorKind, Result};

use crate::client::EcsS3Client;
use crate::error::from_sdk;

/// A bucket's versioning state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Versioning {
    /// Versioning was never enabled.
    Unversioned,
    /// Every write creates a new version.
    Enabled,
    /// Versioning was enabled before and is now paused; old versions stay.
    Suspended,
}

impl EcsS3Client {
    /// Whether `bucket` exists and this user may see it.
    ///
    /// A bucket of another user answers 403 on ECS: that is reported as
    /// [`ErrorKind::Forbidden`], not as `false`.
    pub async fn bucket_exists(&self, bucket: &str) -> Result<bool> {
        match self.sdk().head_bucket().bucket(bucket).send().await {
            Ok(_) => Ok(true),
            Err(err) => {
                let err = from_sdk("head bucket", bucket, err);
                if err.kind() == ErrorKind::NotFound {
                    Ok(false)
                } else {
                    Err(err)
                }
            }
        }
    }

    /// Creates `bucket` through S3 (ECS buckets are usually created through the management API,
    /// which can set quota, replication group and encryption).
    pub async fn create_bucket(&self, bucket: &str) -> Result<()> {
        self.sdk()
            .create_bucket()
            .bucket(bucket)
            .send()
            .await
            .map_err(|err| from_sdk("create bucket", bucket, err))?;
        Ok(())
    }

    /// Deletes an empty `bucket`; a non-empty one fails with [`ErrorKind::NotEmpty`].
    pub async fn delete_bucket(&self, bucket: &str) -> Result<()> {
        self.sdk()
            .delete_bucket()
            .bucket(bucket)
            .send()
            .await
            .map_err(|err| from_sdk("delete bucket", bucket, err))?;
        Ok(())
    }

    /// The bucket's versioning state.
    pub async fn get_versioning(&self, bucket: &str) -> Result<Versioning> {
        let output = self
            .sdk()
            .get_bucket_versioning()
            .bucket(bucket)
            .send()
            .await
            .map_err(|err| from_sdk("get bucket versioning", bucket, err))?;
        Ok(match output.status() {
            Some(BucketVersioningStatus::Enabled) => Versioning::Enabled,
            Some(BucketVersioningStatus::Suspended) => Versioning::Suspended,
            _ => Versioning::Unversioned,
        })
    }

    /// Enables or suspends versioning. [`Versioning::Unversioned`] cannot be set back (S3 rule)
    /// and is refused with [`ErrorKind::InvalidInput`].
    pub async fn set_versioning(&self, bucket: &str, versioning: Versioning) -> Result<()> {
        let status = match versioning {
            Versioning::Enabled => BucketVersioningStatus::Enabled,
            Versioning::Suspended => BucketVersioningStatus::Suspended,
            Versioning::Unversioned => {
                return Err(ecs_common::Error::invalid_input(
                    "versioning can be enabled or suspended, never turned off",
                ));
            }
        };
        let configuration = VersioningConfiguration::builder().status(status).build();
        self.sdk()
            .put_bucket_versioning()
            .bucket(bucket)
            .versioning_configuration(configuration)
            .send()
            .await
            .map_err(|err| from_sdk("set bucket versioning", bucket, err))?;
        Ok(())
    }

    /// The bucket policy document, or `None` when the bucket has none.
    pub async fn get_policy(&self, bucket: &str) -> Result<Option<String>> {
        match self.sdk().get_bucket_policy().bucket(bucket).send().await {
            Ok(output) => Ok(output.policy().map(str::to_owned)),
            Err(err) => {
                let err = from_sdk("get bucket policy", bucket, err);
                if err.remote_code() == Some("NoSuchBucketPolicy") {
                    Ok(None)
                } else {
                    Err(err)
                }
            }
        }
    }

    /// Sets the bucket policy (a JSON document); a malformed one is [`ErrorKind::InvalidInput`].
    pub async fn put_policy(&self, bucket: &str, policy: &str) -> Result<()> {
        self.sdk()
            .put_bucket_policy()
            .bucket(bucket)
            .policy(policy)
            .send()
            .await
            .map_err(|err| from_sdk("put bucket policy", bucket, err))?;
        Ok(())
    }

    /// Removes the bucket policy; removing a missing policy succeeds.
    pub async fn delete_policy(&self, bucket: &str) -> Result<()> {
        self.sdk()
            .delete_bucket_policy()
            .bucket(bucket)
            .send()
            .await
            .map_err(|err| from_sdk("delete bucket policy", bucket, err))?;
        Ok(())
    }
}
