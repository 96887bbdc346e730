//! Downloads (whole or ranged, as a stream or into a file) and object metadata.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::time::SystemTime;

use aws_sdk_s3::primitives::ByteStream;
use bytes::Bytes;
use ecs_common::{Error, ErrorKind, Result};
use futures::stream::{self, BoxStream, StreamExt};
use tokio::io::AsyncWriteExt;

use crate::client::EcsS3Client;
use crate::error::from_sdk;
use crate::list::system_time;

/// A byte range of an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteRange {
    /// Bytes `start..=end`.
    Inclusive {
        /// The first byte.
        start: u64,
        /// The last byte.
        end: u64,
    },
    /// Bytes from `start` to the end.
    From(u64),
    /// The last `n` bytes.
    Last(u64),
}

impl ByteRange {
    fn header(self) -> String {
        match self {
            ByteRange::Inclusive { start, end } => format!("bytes={start}-{end}"),
            ByteRange::From(start) => format!("bytes={start}-"),
            ByteRange::Last(n) => format!("bytes=-{n}"),
        }
    }
}

/// An object's metadata, from a HEAD or GET.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ObjectInfo {
    /// The size of the returned content (the range, for a ranged GET).
    pub content_length: u64,
    /// The entity tag.
    pub etag: Option<String>,
    /// The stored `Content-Type`.
    pub content_type: Option<String>,
    /// When the object was last written.
    pub last_modified: Option<SystemTime>,
    /// The version id, on a versioned bucket.
    pub version_id: Option<String>,
    /// `Content-Range` of a ranged GET.
    pub content_range: Option<String>,
    /// User metadata (`x-amz-meta-*`), without the prefix.
    pub metadata: HashMap<String, String>,
}

/// A downloaded object: its metadata and its content as a stream of chunks.
pub struct Download {
    /// The object's metadata.
    pub info: ObjectInfo,
    /// The content; read it to the end (dropping it early closes the connection).
    pub body: BoxStream<'static, Result<Bytes>>,
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

impl EcsS3Client {
    /// Downloads `bucket/key` (the current version), or a `range` of it.
    pub async fn get_object(
        &self,
        bucket: &str,
        key: &str,
        range: Option<ByteRange>,
    ) -> Result<Download> {
        self.get_object_version(bucket, key, None, range).await
    }

    /// Downloads a version of `bucket/key` (`None`: the current one), or a `range` of it.
    pub async fn get_object_version(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        range: Option<ByteRange>,
    ) -> Result<Download> {
        let output = self
            .sdk()
            .get_object()
            .bucket(bucket)
            .key(key)
            .set_version_id(version_id.map(str::to_owned))
            .set_range(range.map(ByteRange::header))
            .send()
            .await
            .map_err(|err| from_sdk("get object", &format!("{bucket}/{key}"), err))?;
        let info = ObjectInfo {
            content_length: length(output.content_length()),
            etag: output.e_tag().map(str::to_owned),
            content_type: output.content_type().map(str::to_owned),
            last_modified: output.last_modified().and_then(system_time),
            version_id: output.version_id().map(str::to_owned),
            content_range: output.content_range().map(str::to_owned),
            metadata: output.metadata().cloned().unwrap_or_default(),
        };
        Ok(Download {
            info,
            body: body_stream(output.body),
        })
    }

    /// Downloads `bucket/key` into `path`, through `path.part` renamed on success, so a failed
    /// download never leaves a truncated file under the final name.
    pub async fn get_object_to_file(
        &self,
        bucket: &str,
        key: &str,
        range: Option<ByteRange>,
        path: &Path,
    ) -> Result<ObjectInfo> {
        let Download { info, mut body } = self.get_object(bucket, key, range).await?;
        let mut partial = path.as_os_str().to_owned();
        partial.push(".part");
        let partial = std::path::PathBuf::from(partial);
        let written = async {
            let mut file = tokio::fs::File::create(&partial)
                .await
                .map_err(|err| io_error("create", &partial, err))?;
            while let Some(chunk) = body.next().await {
                file.write_all(&chunk?)
                    .await
                    .map_err(|err| io_error("write", &partial, err))?;
            }
            file.sync_all()
                .await
                .map_err(|err| io_error("flush", &partial, err))?;
            tokio::fs::rename(&partial, path)
                .await
                .map_err(|err| io_error("rename", &partial, err))
        }
        .await;
        if written.is_err() {
            // Best effort: the error that matters is the one returned.
            let _ = tokio::fs::remove_file(&partial).await;
        }
        written.map(|()| info)
    }

    /// The metadata of `bucket/key` (or of one version), without its content.
    pub async fn head_object(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<ObjectInfo> {
        let output = self
            .sdk()
            .head_object()
            .bucket(bucket)
            .key(key)
            .set_version_id(version_id.map(str::to_owned))
            .send()
            .await
            .map_err(|err| from_sdk("head object", &format!("{bucket}/{key}"), err))?;
        Ok(ObjectInfo {
            content_length: length(output.content_length()),
            etag: output.e_tag().map(str::to_owned),
            content_type: output.content_type().map(str::to_owned),
            last_modified: output.last_modified().and_then(system_time),
            version_id: output.version_id().map(str::to_owned),
            content_range: None,
            metadata: output.metadata().cloned().unwrap_or_default(),
        })
    }
}

fn length(value: Option<i64>) -> u64 {
    value.and_then(|len| u64::try_from(len).ok()).unwrap_or(0)
}

/// The SDK's body as a stream of chunks with our error type.
fn body_stream(body: ByteStream) -> BoxStream<'static, Result<Bytes>> {
    stream::unfold(body, |mut body| async move {
        let chunk = body.next().await?;
        let chunk = chunk.map_err(|err| {
            Error::new(ErrorKind::Unavailable, "the download was interrupted")
                .with_operation("get object")
                .with_source(err)
        });
        Some((chunk, body))
    })
    .boxed()
}

fn io_error(action: &str, path: &Path, err: std::io::Error) -> Error {
    Error::invalid_input(format!("cannot {action} {}", path.display())).with_source(err)
}
