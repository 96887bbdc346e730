//! Uploads from bytes, files or streams: one PUT up to the multipart threshold, parts above
//! it, uploaded with bounded parallelism and aborted on failure.

use std::fmt;
use std::path::PathBuf;

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use aws_smithy_types::byte_stream::Length;
use bytes::{Bytes, BytesMut};
use ecs_common::{Error, ErrorKind, Result};
use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};

use crate::client::EcsS3Client;
use crate::error::from_sdk;

/// The most a stream upload reserves up front while it finds out whether it needs multipart.
const MAX_HEAD_PREALLOCATION: u64 = 64 * 1024 * 1024;

/// S3 allows at most this many parts per upload.
const MAX_PARTS: u64 = 10_000;

/// What to upload.
pub enum Body {
    /// Bytes in memory.
    Bytes(Bytes),
    /// A file, read as it is sent (never loaded whole).
    File(PathBuf),
    /// A stream of unknown length, buffered one part at a time per concurrent part.
    Stream(BoxStream<'static, std::io::Result<Bytes>>),
}

impl Body {
    /// A body read from `stream`.
    pub fn from_stream(
        stream: impl Stream<Item = std::io::Result<Bytes>> + Send + 'static,
    ) -> Self {
        Body::Stream(stream.boxed())
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Body::Bytes(bytes)
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Body::Bytes(bytes.into())
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Body::Bytes(Bytes::from_static(bytes))
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Bytes(bytes) => f.debug_tuple("Bytes").field(&bytes.len()).finish(),
            Body::File(path) => f.debug_tuple("File").field(path).finish(),
            Body::Stream(_) => f.write_str("Stream"),
        }
    }
}

/// Optional settings of an upload.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PutOptions {
    /// The `Content-Type` stored with the object.
    pub content_type: Option<String>,
}

impl PutOptions {
    /// Stores `content_type` with the object.
    #[must_use]
    pub fn content_type(content_type: impl Into<String>) -> Self {
        PutOptions {
            content_type: Some(content_type.into()),
        }
    }
}

/// What the server answered to a completed upload.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PutResult {
    /// The entity tag of the new object.
    pub etag: Option<String>,
    /// The new version's id, on a versioned bucket.
    pub version_id: Option<String>,
    /// How many parts were sent (1 for a single PUT).
    pub parts: usize,
}

/// One part ready to send.
struct Part {
    number: i32,
    body: ByteStream,
}

impl EcsS3Client {
    /// Uploads `body` to `bucket/key`.
    pub async fn put_object(&self, bucket: &str, key: &str, body: Body) -> Result<PutResult> {
        self.put_object_with(bucket, key, body, &PutOptions::default())
            .await
    }

    /// Uploads `body` to `bucket/key` with `options`.
    pub async fn put_object_with(
        &self,
        bucket: &str,
        key: &str,
        body: Body,
        options: &PutOptions,
    ) -> Result<PutResult> {
        let threshold = self.transfer().multipart_threshold;
        match body {
            Body::Bytes(bytes) if (bytes.len() as u64) <= threshold => {
                self.put_single(bucket, key, ByteStream::from(bytes), options)
                    .await
            }
            Body::Bytes(bytes) => {
                let parts = bytes_parts(bytes, self.transfer().part_size);
                self.put_multipart(bucket, key, options, parts).await
            }
            Body::File(path) => self.put_file(bucket, key, path, options).await,
            Body::Stream(stream) => self.put_stream(bucket, key, stream, options).await,
        }
    }

    async fn put_file(
        &self,
        bucket: &str,
        key: &str,
        path: PathBuf,
        options: &PutOptions,
    ) -> Result<PutResult> {
        let len = tokio::fs::metadata(&path)
            .await
            .map_err(|err| file_error("read the size of", &path, err))?
            .len();
        if len <= self.transfer().multipart_threshold {
            let body = ByteStream::read_from()
                .path(&path)
                .length(Length::Exact(len))
                .build()
                .await
                .map_err(|err| file_error("open", &path, err))?;
            return self.put_single(bucket, key, body, options).await;
        }
        let part_size = self.transfer().part_size.max(len.div_ceil(MAX_PARTS));
        let parts = file_parts(path, len, part_size);
        self.put_multipart(bucket, key, options, parts).await
    }

    async fn put_stream(
        &self,
        bucket: &str,
        key: &str,
        mut stream: BoxStream<'static, std::io::Result<Bytes>>,
        options: &PutOptions,
    ) -> Result<PutResult> {
        let threshold = self.transfer().multipart_threshold;
        // Sized once (threshold plus a chunk), so that growing it rarely doubles it.
        let capacity = threshold
            .saturating_add(1 << 20)
            .min(MAX_HEAD_PREALLOCATION);
        let capacity = usize::try_from(capacity).unwrap_or(0);
        let mut head = BytesMut::with_capacity(capacity);
        while (head.len() as u64) <= threshold {
            match stream.next().await {
                Some(chunk) => head.extend_from_slice(&chunk.map_err(stream_error)?),
                None => {
                    let body = ByteStream::from(head.freeze());
                    return self.put_single(bucket, key, body, options).await;
                }
            }
        }
        let parts = stream_parts(head, stream, self.transfer().part_size);
        self.put_multipart(bucket, key, options, parts).await
    }

    async fn put_single(
        &self,
        bucket: &str,
        key: &str,
        body: ByteStream,
        options: &PutOptions,
    ) -> Result<PutResult> {
        let output = self
            .sdk()
            .put_object()
            .bucket(bucket)
            .key(key)
            .set_content_type(options.content_type.clone())
            .body(body)
            .send()
            .await
            .map_err(|err| from_sdk("put object", &format!("{bucket}/{key}"), err))?;
        Ok(PutResult {
            etag: output.e_tag().map(str::to_owned),
            version_id: output.version_id().map(str::to_owned),
            parts: 1,
        })
    }

    async fn put_multipart(
        &self,
        bucket: &str,
        key: &str,
        options: &PutOptions,
        parts: impl Stream<Item = Result<Part>> + Send,
    ) -> Result<PutResult> {
        let created = self
            .sdk()
            .create_multipart_upload()
            .bucket(bucket)
            .key(key)
            .set_content_type(options.content_type.clone())
            .send()
            .await
            .map_err(|err| from_sdk("create multipart upload", &format!("{bucket}/{key}"), err))?;
        let upload_id = created
            .upload_id()
            .ok_or_else(|| Error::new(ErrorKind::Protocol, "the server sent no upload id"))?
            .to_owned();
        let uploaded = parts
            .map_ok(|part| self.upload_part(bucket, key, &upload_id, part))
            .try_buffered(self.transfer().concurrency)
            .try_collect::<Vec<_>>()
            .await;
        let result = match uploaded {
            Ok(completed) => self.complete(bucket, key, &upload_id, completed).await,
            Err(err) => Err(err),
        };
        if result.is_err() {
            self.abort(bucket, key, &upload_id).await;
        }
        result
    }

    async fn upload_part(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        part: Part,
    ) -> Result<CompletedPart> {
        let output = self
            .sdk()
            .upload_part()
            .bucket(bucket)
            .key(key)
            .upload_id(upload_id)
            .part_number(part.number)
            .body(part.body)
            .send()
            .await
            .map_err(|err| from_sdk("upload part", &format!("{bucket}/{key}"), err))?;
        Ok(CompletedPart::builder()
            .part_number(part.number)
            .set_e_tag(output.e_tag().map(str::to_owned))
            .build())
    }

    async fn complete(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        completed: Vec<CompletedPart>,
    ) -> Result<PutResult> {
        let parts = completed.len();
        let output = self
            .sdk()
            .complete_multipart_upload()
            .bucket(bucket)
            .key(key)
            .upload_id(upload_id)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(completed))
                    .build(),
            )
            .send()
            .await
            .map_err(|err| {
                from_sdk("complete multipart upload", &format!("{bucket}/{key}"), err)
            })?;
        Ok(PutResult {
            etag: output.e_tag().map(str::to_owned),
            version_id: output.version_id().map(str::to_owned),
            parts,
        })
    }

    /// Aborts a failed upload so its parts do not linger; a failure here is only logged,
    /// the caller gets the original error.
    async fn abort(&self, bucket: &str, key: &str, upload_id: &str) {
        let aborted = self
            .sdk()
            .abort_multipart_upload()
            .bucket(bucket)
            .key(key)
            .upload_id(upload_id)
            .send()
            .await;
        if let Err(err) = aborted {
            let err = from_sdk("abort multipart upload", &format!("{bucket}/{key}"), err);
            tracing::warn!(bucket, key, error = %err, "could not abort a failed multipart upload");
        }
    }
}

/// Cuts in-memory bytes into parts without copying.
fn bytes_parts(bytes: Bytes, part_size: u64) -> impl Stream<Item = Result<Part>> + Send {
    let size = usize::try_from(part_size).unwrap_or(usize::MAX);
    let count = bytes.len().div_ceil(size);
    stream::iter((0..count).map(move |index| {
        let start = index * size;
        let end = (start + size).min(bytes.len());
        Ok(Part {
            number: part_number(index)?,
            body: ByteStream::from(bytes.slice(start..end)),
        })
    }))
}

/// Parts that each read their own range of a file when sent.
fn file_parts(path: PathBuf, len: u64, part_size: u64) -> impl Stream<Item = Result<Part>> + Send {
    let count = len.div_ceil(part_size);
    stream::iter(0..count).then(move |index| {
        let path = path.clone();
        async move {
            let offset = index * part_size;
            let body = ByteStream::read_from()
                .path(&path)
                .offset(offset)
                .length(Length::Exact(part_size.min(len - offset)))
                .build()
                .await
                .map_err(|err| file_error("open", &path, err))?;
            Ok(Part {
                number: part_number(usize::try_from(index).unwrap_or(usize::MAX))?,
                body,
            })
        }
    })
}

/// Parts of `part_size` cut from `head` and then from the rest of `stream`.
fn stream_parts(
    head: BytesMut,
    stream: BoxStream<'static, std::io::Result<Bytes>>,
    part_size: u64,
) -> impl Stream<Item = Result<Part>> + Send {
    let size = usize::try_from(part_size).unwrap_or(usize::MAX);
    let state = (head, Some(stream), 0usize);
    stream::try_unfold(state, move |(mut buffer, mut source, index)| async move {
        while buffer.len() < size {
            let Some(stream) = source.as_mut() else { break };
            match stream.next().await {
                Some(chunk) => buffer.extend_from_slice(&chunk.map_err(stream_error)?),
                None => source = None,
            }
        }
        if buffer.is_empty() {
            return Ok(None);
        }
        let take = size.min(buffer.len());
        let part = Part {
            number: part_number(index)?,
            body: ByteStream::from(buffer.split_to(take).freeze()),
        };
        Ok(Some((part, (buffer, source, index + 1))))
    })
}

fn part_number(index: usize) -> Result<i32> {
    i32::try_from(index + 1)
        .ok()
        .filter(|number| u64::try_from(*number).is_ok_and(|n| n <= MAX_PARTS))
        .ok_or_else(|| {
            Error::invalid_input("the body needs more than 10000 parts; raise the part size")
        })
}

fn file_error(
    action: &str,
    path: &std::path::Path,
    err: impl std::error::Error + Send + Sync + 'static,
) -> Error {
    Error::invalid_input(format!("cannot {action} {}", path.display())).with_source(err)
}

fn stream_error(err: std::io::Error) -> Error {
    Error::invalid_input("the upload stream failed").with_source(err)
}
