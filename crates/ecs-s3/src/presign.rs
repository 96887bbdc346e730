//! Presigned URLs: links that let a browser GET or PUT one object without credentials.

use std::time::Duration;

use aws_sdk_s3::presigning::PresigningConfig;
use ecs_common::{Error, Result};

use crate::client::EcsS3Client;
use crate::error::from_sdk;

/// The longest validity SigV4 allows.
pub const MAX_PRESIGN_EXPIRY: Duration = Duration::from_secs(7 * 24 * 3600);

impl EcsS3Client {
    /// A URL that downloads `bucket/key` for `expires_in` (at most 7 days).
    ///
    /// The URL carries no `x-emc-namespace`: ECS resolves the namespace from the signing
    /// user, which is what a browser following the link needs.
    pub async fn presign_get(
        &self,
        bucket: &str,
        key: &str,
        expires_in: Duration,
    ) -> Result<String> {
        let request = self
            .presign_sdk()
            .get_object()
            .bucket(bucket)
            .key(key)
            .presigned(presigning(expires_in)?)
            .await
            .map_err(|err| from_sdk("presign get", &format!("{bucket}/{key}"), err))?;
        Ok(request.uri().to_owned())
    }

    /// A URL that uploads `bucket/key` with a plain `PUT` for `expires_in` (at most 7 days).
    pub async fn presign_put(
        &self,
        bucket: &str,
        key: &str,
        expires_in: Duration,
    ) -> Result<String> {
        let request = self
            .presign_sdk()
            .put_object()
            .bucket(bucket)
            .key(key)
            .presigned(presigning(expires_in)?)
            .await
            .map_err(|err| from_sdk("presign put", &format!("{bucket}/{key}"), err))?;
        Ok(request.uri().to_owned())
    }
}

fn presigning(expires_in: Duration) -> Result<PresigningConfig> {
    if expires_in.is_zero() || expires_in > MAX_PRESIGN_EXPIRY {
        return Err(Error::invalid_input(
            "a presigned URL must expire after more than 0 seconds and at most 7 days",
        ));
    }
    PresigningConfig::expires_in(expires_in)
        .map_err(|err| Error::invalid_input(format!("invalid presigning expiry: {err}")))
}
