//! Deleting objects: one, many (batches of 1000), or everything in a bucket.

use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use ecs_common::{Error, ErrorKind, RemoteError, Result};
use futures::stream::{self, StreamExt, TryStreamExt};

use crate::bucket::Versioning;
use crate::client::EcsS3Client;
use crate::error::{from_sdk, kind_for_code};
use crate::list::{ListEntry, ListOptions};

/// S3 accepts at most this many keys per DeleteObjects request.
pub const DELETE_BATCH: usize = 1000;

/// How many passes [`EcsS3Client::empty_bucket`] makes before giving up on a bucket that
/// keeps being written to.
const EMPTY_PASSES: usize = 3;

/// How many list-and-abort rounds [`EcsS3Client::empty_bucket`] makes for multipart uploads.
const MAX_ABORT_ROUNDS: usize = 100;

/// An object, or one version of it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ObjectId {
    /// The object key.
    pub key: String,
    /// The version; `None` addresses the current object (creating a delete marker on a
    /// versioned bucket).
    pub version_id: Option<String>,
}

impl ObjectId {
    /// The current object under `key`.
    pub fn key(key: impl Into<String>) -> Self {
        ObjectId {
            key: key.into(),
            version_id: None,
        }
    }

    /// One version of `key`.
    pub fn version(key: impl Into<String>, version_id: impl Into<String>) -> Self {
        ObjectId {
            key: key.into(),
            version_id: Some(version_id.into()),
        }
    }
}

/// What a single delete did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeleteResult {
    /// The version id of the delete marker created, or of the version removed.
    pub version_id: Option<String>,
    /// Whether a delete marker was created (or removed).
    pub delete_marker: bool,
}

/// A key the server refused to delete in a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeleteFailure {
    /// The object that stayed.
    pub object: ObjectId,
    /// The S3 error code (`AccessDenied`).
    pub code: Option<String>,
    /// The server's message.
    pub message: Option<String>,
}

/// The outcome of [`EcsS3Client::delete_objects`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeleteReport {
    /// How many objects or versions were deleted.
    pub deleted: u64,
    /// The ones that were not.
    pub failed: Vec<DeleteFailure>,
}

/// Progress of [`EcsS3Client::empty_bucket`], reported after each batch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EmptyProgress {
    /// Objects, versions and delete markers deleted so far.
    pub deleted: u64,
}

/// The outcome of [`EcsS3Client::empty_bucket`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EmptyReport {
    /// Objects, versions and delete markers deleted.
    pub deleted: u64,
    /// Unfinished multipart uploads aborted.
    pub aborted_uploads: u64,
    /// Listing passes made (more than one when objects appeared meanwhile).
    pub passes: usize,
}

impl EcsS3Client {
    /// Deletes `bucket/key`, or one version of it. Deleting a missing key succeeds (S3 rule).
    pub async fn delete_object(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<DeleteResult> {
        let output = self
            .sdk()
            .delete_object()
            .bucket(bucket)
            .key(key)
            .set_version_id(version_id.map(str::to_owned))
            .send()
            .await
            .map_err(|err| from_sdk("delete object", &format!("{bucket}/{key}"), err))?;
        Ok(DeleteResult {
            version_id: output.version_id().map(str::to_owned),
            delete_marker: output.delete_marker().unwrap_or(false),
        })
    }

    /// Deletes many objects or versions, in batches of [`DELETE_BATCH`]. Keys the server
    /// refuses are listed in the report; a failed request fails the call.
    pub async fn delete_objects(&self, bucket: &str, objects: &[ObjectId]) -> Result<DeleteReport> {
        let mut report = DeleteReport::default();
        for batch in objects.chunks(DELETE_BATCH) {
            let batch_report = self.delete_batch(bucket, batch).await?;
            report.deleted += batch_report.deleted;
            report.failed.extend(batch_report.failed);
        }
        Ok(report)
    }

    async fn delete_batch(&self, bucket: &str, batch: &[ObjectId]) -> Result<DeleteReport> {
        if batch.is_empty() {
            return Ok(DeleteReport::default());
        }
        let identifiers = batch
            .iter()
            .map(|object| {
                ObjectIdentifier::builder()
                    .key(&object.key)
                    .set_version_id(object.version_id.clone())
                    .build()
                    .map_err(|err| Error::invalid_input(format!("invalid object id: {err}")))
            })
            .collect::<Result<Vec<_>>>()?;
        let delete = Delete::builder()
            .set_objects(Some(identifiers))
            .quiet(true)
            .build()
            .map_err(|err| Error::invalid_input(format!("invalid delete request: {err}")))?;
        let output = self
            .sdk()
            .delete_objects()
            .bucket(bucket)
            .delete(delete)
            .send()
            .await
            .map_err(|err| from_sdk("delete objects", bucket, err))?;
        let failed: Vec<DeleteFailure> = output
            .errors()
            .iter()
            .map(|error| DeleteFailure {
                object: ObjectId {
                    key: error.key().unwrap_or_default().to_owned(),
                    version_id: error.version_id().map(str::to_owned),
                },
                code: error.code().map(str::to_owned),
                message: error.message().map(str::to_owned),
            })
            .collect();
        Ok(DeleteReport {
            deleted: (batch.len() - failed.len()) as u64,
            failed,
        })
    }

    /// Deletes everything in `bucket`: objects, every version and delete marker, and
    /// unfinished multipart uploads, with up to `concurrency` batch requests in flight.
    /// `progress` is called after each batch.
    ///
    /// Fails with the first refusal (e.g. [`ErrorKind::Forbidden`] for an object under
    /// retention) after deleting all it could, and with [`ErrorKind::Conflict`] if objects keep
    /// appearing.
    pub async fn empty_bucket(
        &self,
        bucket: &str,
        concurrency: usize,
        progress: impl Fn(EmptyProgress) + Send + Sync,
    ) -> Result<EmptyReport> {
        let concurrency = concurrency.max(1);
        let versioned = self.get_versioning(bucket).await? != Versioning::Unversioned;
        let mut report = EmptyReport {
            aborted_uploads: self.abort_uploads(bucket).await?,
            ..EmptyReport::default()
        };
        while report.passes < EMPTY_PASSES {
            report.passes += 1;
            let deleted = self
                .empty_pass(bucket, versioned, concurrency, report.deleted, &progress)
                .await?;
            if deleted == 0 {
                return Ok(report);
            }
            report.deleted += deleted;
        }
        if self.is_empty(bucket, versioned).await? {
            return Ok(report);
        }
        Err(Error::new(
            ErrorKind::Conflict,
            format!("bucket {bucket} kept receiving objects while it was being emptied"),
        )
        .with_operation("empty bucket"))
    }

    /// One listing pass; returns how many entries it deleted.
    async fn empty_pass(
        &self,
        bucket: &str,
        versioned: bool,
        concurrency: usize,
        deleted_before: u64,
        progress: &(impl Fn(EmptyProgress) + Send + Sync),
    ) -> Result<u64> {
        let ids = self.all_ids(bucket, versioned);
        let mut reports = ids
            .try_chunks(DELETE_BATCH)
            .map_err(|err| err.1)
            .map_ok(|batch| async move { self.delete_batch(bucket, &batch).await })
            .try_buffer_unordered(concurrency);
        let mut deleted = 0;
        let mut first_failure = None;
        while let Some(batch) = reports.try_next().await? {
            deleted += batch.deleted;
            progress(EmptyProgress {
                deleted: deleted_before + deleted,
            });
            if first_failure.is_none() {
                first_failure = batch.failed.into_iter().next();
            }
        }
        match first_failure {
            Some(failure) => Err(failure_error(bucket, failure)),
            None => Ok(deleted),
        }
    }

    /// Every object id (every version, on a versioned bucket), as a stream.
    fn all_ids(
        &self,
        bucket: &str,
        versioned: bool,
    ) -> futures::stream::BoxStream<'static, Result<ObjectId>> {
        if versioned {
            self.list_versions(bucket, None)
                .map_ok(|entry| ObjectId::version(entry.key, entry.version_id))
                .boxed()
        } else {
            self.list_objects(bucket, ListOptions::default())
                .try_filter_map(|entry| async move {
                    Ok(match entry {
                        ListEntry::Object(object) => Some(ObjectId::key(object.key)),
                        ListEntry::CommonPrefix(_) => None,
                    })
                })
                .boxed()
        }
    }

    async fn is_empty(&self, bucket: &str, versioned: bool) -> Result<bool> {
        Ok(self.all_ids(bucket, versioned).try_next().await?.is_none())
    }

    /// Aborts every unfinished multipart upload; returns how many. A server without the
    /// listing call ([`ErrorKind::Unsupported`]) has none to abort.
    async fn abort_uploads(&self, bucket: &str) -> Result<u64> {
        let mut aborted = 0;
        for _ in 0..MAX_ABORT_ROUNDS {
            let listed = self
                .sdk()
                .list_multipart_uploads()
                .bucket(bucket)
                .send()
                .await
                .map_err(|err| from_sdk("list multipart uploads", bucket, err));
            let output = match listed {
                Ok(output) => output,
                Err(err) if err.kind() == ErrorKind::Unsupported => return Ok(aborted),
                Err(err) => return Err(err),
            };
            let uploads: Vec<(String, String)> = output
                .uploads()
                .iter()
                .filter_map(|upload| {
                    Some((upload.key()?.to_owned(), upload.upload_id()?.to_owned()))
                })
                .collect();
            if uploads.is_empty() {
                return Ok(aborted);
            }
            let done: Vec<_> = stream::iter(uploads)
                .map(|(key, upload_id)| async move {
                    self.sdk()
                        .abort_multipart_upload()
                        .bucket(bucket)
                        .key(&key)
                        .upload_id(&upload_id)
                        .send()
                        .await
                        .map_err(|err| {
                            from_sdk("abort multipart upload", &format!("{bucket}/{key}"), err)
                        })
                })
                .buffer_unordered(4)
                .try_collect()
                .await?;
            aborted += done.len() as u64;
        }
        Ok(aborted)
    }
}

fn failure_error(bucket: &str, failure: DeleteFailure) -> Error {
    let kind = failure
        .code
        .as_deref()
        .and_then(kind_for_code)
        .unwrap_or(ErrorKind::Conflict);
    Error::new(
        kind,
        format!(
            "bucket {bucket}: {} could not be deleted",
            failure.object.key
        ),
    )
    .with_operation("empty bucket")
    .with_remote(RemoteError {
        code: failure.code,
        description: None,
        details: failure.message,
    })
}
