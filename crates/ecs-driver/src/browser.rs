//! [`BucketBrowser`]: the UI's bucket browser operations with the owner's keys, over `ecs-s3`.

use std::time::Duration;

use bytes::Bytes;
use ecs_common::{Error, Result};
use ecs_s3::{Body, EcsS3Client, ListEntry, ListOptions, PutResult, VersionEntry};
use futures::TryStreamExt;

use crate::validate;

/// Longest object key S3 accepts, in bytes.
const MAX_KEY_BYTES: usize = 1024;

/// Object operations on buckets of one owner; get one with
/// [`EcsObjectStore::browser`](crate::EcsObjectStore::browser).
#[derive(Clone, Debug)]
pub struct BucketBrowser {
    s3: EcsS3Client,
}

impl BucketBrowser {
    pub(crate) fn new(s3: EcsS3Client) -> Self {
        BucketBrowser { s3 }
    }

    /// Objects and "folders" directly under `prefix` (delimiter `/`), all pages.
    pub async fn list(&self, bucket: &str, prefix: Option<&str>) -> Result<Vec<ListEntry>> {
        validate::bucket_name(bucket)?;
        let mut options = ListOptions::default().with_delimiter("/");
        options.prefix = prefix
            .filter(|prefix| !prefix.is_empty())
            .map(str::to_owned);
        self.s3.list_objects(bucket, options).try_collect().await
    }

    /// Every version and delete marker under `prefix`, newest first within a key.
    pub async fn versions(&self, bucket: &str, prefix: Option<&str>) -> Result<Vec<VersionEntry>> {
        validate::bucket_name(bucket)?;
        self.s3.list_versions(bucket, prefix).try_collect().await
    }

    /// Uploads an object (multipart above the client's threshold).
    pub async fn upload(&self, bucket: &str, key: &str, body: Body) -> Result<PutResult> {
        check_object(bucket, key)?;
        self.s3.put_object(bucket, key, body).await
    }

    /// Downloads an object (or one version of it) into memory.
    pub async fn download(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<Bytes> {
        check_object(bucket, key)?;
        let download = self
            .s3
            .get_object_version(bucket, key, version_id, None)
            .await?;
        let chunks: Vec<Bytes> = download.body.try_collect().await?;
        Ok(chunks.concat().into())
    }

    /// Deletes an object, or one version of it. Deleting a missing key succeeds.
    pub async fn delete(&self, bucket: &str, key: &str, version_id: Option<&str>) -> Result<()> {
        check_object(bucket, key)?;
        self.s3
            .delete_object(bucket, key, version_id)
            .await
            .map(|_| ())
    }

    /// A link that downloads the object without credentials for `expires_in` (up to 7 days).
    pub async fn presign_get(
        &self,
        bucket: &str,
        key: &str,
        expires_in: Duration,
    ) -> Result<String> {
        check_object(bucket, key)?;
        self.s3.presign_get(bucket, key, expires_in).await
    }

    /// A link that uploads the object with a plain PUT for `expires_in` (up to 7 days).
    pub async fn presign_put(
        &self,
        bucket: &str,
        key: &str,
        expires_in: Duration,
    ) -> Result<String> {
        check_object(bucket, key)?;
        self.s3.presign_put(bucket, key, expires_in).await
    }
}

fn check_object(bucket: &str, key: &str) -> Result<()> {
    validate::bucket_name(bucket)?;
    if key.is_empty() || key.len() > MAX_KEY_BYTES {
        return Err(Error::invalid_input(format!(
            "invalid object key: it must be 1 to {MAX_KEY_BYTES} bytes"
        )));
    }
    if key.chars().any(char::is_control) {
        return Err(Error::invalid_input(
            "invalid object key: it contains control characters",
        ));
    }
    Ok(())
}
