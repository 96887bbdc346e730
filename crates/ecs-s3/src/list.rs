//! Listing objects and object versions as streams that fetch pages on demand.

use std::time::SystemTime;

use aws_sdk_s3::types::{DeleteMarkerEntry, Object, ObjectVersion};
use aws_smithy_types::DateTime;
use ecs_common::Result;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::client::EcsS3Client;
use crate::error::from_sdk;

/// What to list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// Only keys starting with this prefix.
    pub prefix: Option<String>,
    /// Groups keys sharing a prefix up to this delimiter (usually `/`) into
    /// [`ListEntry::CommonPrefix`] entries.
    pub delimiter: Option<String>,
    /// How many entries each request asks for (the server caps it at 1000).
    pub page_size: Option<i32>,
}

impl ListOptions {
    /// Lists keys under `prefix`.
    #[must_use]
    pub fn prefix(prefix: impl Into<String>) -> Self {
        ListOptions {
            prefix: Some(prefix.into()),
            ..ListOptions::default()
        }
    }

    /// Groups keys by `delimiter` (a "folder" view).
    #[must_use]
    pub fn with_delimiter(mut self, delimiter: impl Into<String>) -> Self {
        self.delimiter = Some(delimiter.into());
        self
    }

    /// Sets the page size.
    #[must_use]
    pub fn with_page_size(mut self, page_size: i32) -> Self {
        self.page_size = Some(page_size);
        self
    }
}

/// An object in a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ObjectEntry {
    /// The object key.
    pub key: String,
    /// The size in bytes.
    pub size: u64,
    /// The entity tag, quotes included as S3 sends it.
    pub etag: Option<String>,
    /// When the object was last written.
    pub last_modified: Option<SystemTime>,
}

/// One entry of [`EcsS3Client::list_objects`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListEntry {
    /// An object.
    Object(ObjectEntry),
    /// A "folder": keys sharing this prefix up to the delimiter.
    CommonPrefix(String),
}

/// One version or delete marker of [`EcsS3Client::list_versions`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VersionEntry {
    /// The object key.
    pub key: String,
    /// The version id (`"null"` for a version written while versioning was off).
    pub version_id: String,
    /// Whether this is the current version of the key.
    pub is_latest: bool,
    /// Whether this entry is a delete marker rather than data.
    pub is_delete_marker: bool,
    /// The size in bytes (0 for delete markers).
    pub size: u64,
    /// The entity tag of a version (none for delete markers).
    pub etag: Option<String>,
    /// When the version was written.
    pub last_modified: Option<SystemTime>,
}

impl EcsS3Client {
    /// Lists the bucket's objects, page by page as the stream is read. Within a page objects
    /// come first, then common prefixes.
    pub fn list_objects(
        &self,
        bucket: &str,
        options: ListOptions,
    ) -> BoxStream<'static, Result<ListEntry>> {
        let client = self.clone();
        let bucket = bucket.to_owned();
        let pages = stream::try_unfold(Some(None), move |token: Option<Option<String>>| {
            let client = client.clone();
            let bucket = bucket.clone();
            let options = options.clone();
            async move {
                let Some(token) = token else {
                    return Ok(None);
                };
                let (entries, next) = client.list_objects_page(&bucket, &options, token).await?;
                Ok(Some((entries, next.map(Some))))
            }
        });
        flatten(pages)
    }

    async fn list_objects_page(
        &self,
        bucket: &str,
        options: &ListOptions,
        token: Option<String>,
    ) -> Result<(Vec<ListEntry>, Option<String>)> {
        let output = self
            .sdk()
            .list_objects_v2()
            .bucket(bucket)
            .set_prefix(options.prefix.clone())
            .set_delimiter(options.delimiter.clone())
            .set_max_keys(options.page_size)
            .set_continuation_token(token)
            .send()
            .await
            .map_err(|err| from_sdk("list objects", bucket, err))?;
        let objects = output.contents().iter().map(object_entry);
        let prefixes = output
            .common_prefixes()
            .iter()
            .filter_map(|prefix| prefix.prefix())
            .map(|prefix| ListEntry::CommonPrefix(prefix.to_owned()));
        let entries = objects.chain(prefixes).collect();
        let next = if output.is_truncated() == Some(true) {
            output.next_continuation_token().map(str::to_owned)
        } else {
            None
        };
        Ok((entries, next))
    }

    /// Lists every version and delete marker under `prefix`, sorted by key and, within a
    /// key, newest first; pages are fetched as the stream is read.
    pub fn list_versions(
        &self,
        bucket: &str,
        prefix: Option<&str>,
    ) -> BoxStream<'static, Result<VersionEntry>> {
        self.list_versions_paged(bucket, prefix, None)
    }

    pub(crate) fn list_versions_paged(
        &self,
        bucket: &str,
        prefix: Option<&str>,
        page_size: Option<i32>,
    ) -> BoxStream<'static, Result<VersionEntry>> {
        let client = self.clone();
        let bucket = bucket.to_owned();
        let prefix = prefix.map(str::to_owned);
        let pages = stream::try_unfold(Some(VersionMarker::default()), move |marker| {
            let client = client.clone();
            let bucket = bucket.clone();
            let prefix = prefix.clone();
            async move {
                let Some(marker) = marker else {
                    return Ok(None);
                };
                let (entries, next) = client
                    .list_versions_page(&bucket, prefix, page_size, marker)
                    .await?;
                Ok(Some((entries, next)))
            }
        });
        flatten(pages)
    }

    async fn list_versions_page(
        &self,
        bucket: &str,
        prefix: Option<String>,
        page_size: Option<i32>,
        marker: VersionMarker,
    ) -> Result<(Vec<VersionEntry>, Option<VersionMarker>)> {
        let output = self
            .sdk()
            .list_object_versions()
            .bucket(bucket)
            .set_prefix(prefix)
            .set_max_keys(page_size)
            .set_key_marker(marker.key)
            .set_version_id_marker(marker.version_id)
            .send()
            .await
            .map_err(|err| from_sdk("list object versions", bucket, err))?;
        let mut entries: Vec<VersionEntry> = output
            .versions()
            .iter()
            .map(version_entry)
            .chain(output.delete_markers().iter().map(delete_marker_entry))
            .collect();
        entries.sort_by(|a, b| {
            a.key
                .cmp(&b.key)
                .then_with(|| b.is_latest.cmp(&a.is_latest))
                .then_with(|| b.last_modified.cmp(&a.last_modified))
        });
        let next = if output.is_truncated() == Some(true) {
            Some(VersionMarker {
                key: output.next_key_marker().map(str::to_owned),
                version_id: output.next_version_id_marker().map(str::to_owned),
            })
        } else {
            None
        };
        Ok((entries, next))
    }
}

/// Where the next page of versions starts.
#[derive(Clone, Debug, Default)]
struct VersionMarker {
    key: Option<String>,
    version_id: Option<String>,
}

fn flatten<T: Send + 'static>(
    pages: impl futures::Stream<Item = Result<Vec<T>>> + Send + 'static,
) -> BoxStream<'static, Result<T>> {
    pages
        .map_ok(|page| stream::iter(page.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}

fn object_entry(object: &Object) -> ListEntry {
    ListEntry::Object(ObjectEntry {
        key: object.key().unwrap_or_default().to_owned(),
        size: object
            .size()
            .and_then(|size| u64::try_from(size).ok())
            .unwrap_or(0),
        etag: object.e_tag().map(str::to_owned),
        last_modified: object.last_modified().and_then(system_time),
    })
}

fn version_entry(version: &ObjectVersion) -> VersionEntry {
    VersionEntry {
        key: version.key().unwrap_or_default().to_owned(),
        version_id: version.version_id().unwrap_or("null").to_owned(),
        is_latest: version.is_latest().unwrap_or(false),
        is_delete_marker: false,
        size: version
            .size()
            .and_then(|size| u64::try_from(size).ok())
            .unwrap_or(0),
        etag: version.e_tag().map(str::to_owned),
        last_modified: version.last_modified().and_then(system_time),
    }
}

fn delete_marker_entry(marker: &DeleteMarkerEntry) -> VersionEntry {
    VersionEntry {
        key: marker.key().unwrap_or_default().to_owned(),
        version_id: marker.version_id().unwrap_or("null").to_owned(),
        is_latest: marker.is_latest().unwrap_or(false),
        is_delete_marker: true,
        size: 0,
        etag: None,
        last_modified: marker.last_modified().and_then(system_time),
    }
}

pub(crate) fn system_time(time: &DateTime) -> Option<SystemTime> {
    SystemTime::try_from(*time).ok()
}
