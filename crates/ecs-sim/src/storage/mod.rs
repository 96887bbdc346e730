//! The emulator's object storage: versioned buckets, multipart uploads and usage accounting.
//!
//! [`Storage`] knows nothing about users, policies or HTTP; bucket metadata (versioning state,
//! quota) is passed in by the caller, who reads it from the management state. Bodies are written
//! as streams into memory or into files under `--data-dir` (see [`blob`]), outside any lock; the
//! version is committed under the bucket's lock once the body is complete.

mod blob;
mod bucket;
mod list;
mod multipart;
mod persist;

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use bytes::Bytes;
use futures::Stream;
use time::OffsetDateTime;

pub(crate) use blob::{Backend, Blob, BlobReader};
pub(crate) use bucket::{Deleted, ObjectData, ObjectMeta, ObjectVersion, Retention, Versioning};
pub(crate) use list::{ListQuery, MAX_KEYS, ObjectEntry, Page, VersionEntry, VersionMarker};
pub(crate) use multipart::{MAX_PART_NUMBER, Part, Upload};

use crate::data::BucketUsage;
use bucket::BucketStore;

/// Why a storage operation failed.
#[derive(Debug)]
pub(crate) enum StorageError {
    NoSuchKey,
    NoSuchVersion,
    /// The requested version is a delete marker.
    DeleteMarker,
    NoSuchUpload,
    InvalidPart(String),
    InvalidPartOrder,
    EntityTooSmall,
    /// The write would take the bucket past its hard quota.
    QuotaExceeded,
    /// The body does not match its `Content-MD5`.
    BadDigest,
    /// The client's body stream failed.
    IncompleteBody(String),
    Io(io::Error),
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSuchKey => f.write_str("the specified key does not exist"),
            Self::NoSuchVersion => f.write_str("the specified version does not exist"),
            Self::DeleteMarker => f.write_str("the specified version is a delete marker"),
            Self::NoSuchUpload => f.write_str("the specified multipart upload does not exist"),
            Self::InvalidPart(why) => write!(f, "invalid part: {why}"),
            Self::InvalidPartOrder => f.write_str("the list of parts was not in ascending order"),
            Self::EntityTooSmall => f.write_str("a part other than the last is smaller than 5 MiB"),
            Self::QuotaExceeded => f.write_str("the write would exceed the bucket's hard quota"),
            Self::BadDigest => {
                f.write_str("the Content-MD5 you specified did not match what we received")
            }
            Self::IncompleteBody(why) => write!(f, "the request body ended early: {why}"),
            Self::Io(err) => write!(f, "storage i/o failed: {err}"),
        }
    }
}

impl std::error::Error for StorageError {}

impl From<io::Error> for StorageError {
    fn from(err: io::Error) -> Self {
        Self::Io(err)
    }
}

/// The time source for `Last-Modified` (the emulator's clock, which tests may advance).
#[derive(Clone)]
pub(crate) struct Clock(Arc<dyn Fn() -> OffsetDateTime + Send + Sync>);

impl Clock {
    /// A clock reading `now`.
    pub(crate) fn new(now: impl Fn() -> OffsetDateTime + Send + Sync + 'static) -> Self {
        Self(Arc::new(now))
    }

    fn now(&self) -> OffsetDateTime {
        (self.0)()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

/// How an object is written.
#[derive(Clone, Debug, Default)]
pub(crate) struct WriteOptions {
    pub(crate) meta: ObjectMeta,
    pub(crate) versioning: Versioning,
    /// The decoded `Content-MD5` header, checked against the body.
    pub(crate) content_md5: Option<[u8; 16]>,
    /// The announced body length, to refuse an over-quota write before reading it.
    pub(crate) content_length: Option<u64>,
    /// The bucket's hard quota in bytes.
    pub(crate) quota: Option<u64>,
    /// Bytes counted against the quota besides what the storage holds (a test hook's usage).
    pub(crate) extra_usage: u64,
    /// For a copy: take the tags of `meta` rather than the source's.
    pub(crate) replace_tags: bool,
}

/// The result of a write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Written {
    pub(crate) version_id: String,
    /// Without quotes.
    pub(crate) etag: String,
    pub(crate) size: u64,
}

type BucketKey = (String, String);

/// Which upload a part belongs to.
#[derive(Clone, Copy, Debug)]
pub(crate) struct UploadRef<'a> {
    pub(crate) ns: &'a str,
    pub(crate) bucket: &'a str,
    pub(crate) key: &'a str,
    pub(crate) upload_id: &'a str,
}

/// All buckets' contents, keyed by (namespace, bucket).
#[derive(Debug)]
pub(crate) struct Storage {
    backend: Backend,
    /// Set once the emulator's clock exists; wall time until then.
    clock: OnceLock<Clock>,
    buckets: Mutex<HashMap<BucketKey, Arc<Mutex<BucketStore>>>>,
    /// Where the object index is saved (`--data-dir`), if anywhere.
    index_dir: Option<PathBuf>,
    /// Serializes index writes.
    saving: Mutex<()>,
}

impl Drop for Storage {
    fn drop(&mut self) {
        // Shutting down is not deleting: the files stay for the next start.
        self.backend.retain_files();
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves consistent data (no multi-step updates), so go on.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn quota_room(quota: Option<u64>, used: u64) -> Option<u64> {
    quota.map(|q| q.saturating_sub(used))
}

impl Storage {
    /// Storage keeping bodies in memory.
    pub(crate) fn in_memory() -> Self {
        Self::with_backend(Backend::Memory)
    }

    /// Storage keeping bodies as files under `dir/blobs` and the object index in
    /// `dir/index.json`, reloading what a previous run left there.
    pub(crate) fn on_disk(dir: &Path) -> io::Result<Self> {
        let mut storage = Self::with_backend(Backend::disk(dir)?);
        storage.index_dir = Some(dir.to_owned());
        let index = persist::Index::load(dir)?.unwrap_or_default();
        let persist::Restored {
            buckets,
            files: used,
        } = index.restore(&storage.backend);
        for entry in std::fs::read_dir(dir.join("blobs"))? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if !used.contains(&name) {
                let _ = std::fs::remove_file(dir.join("blobs").join(name));
            }
        }
        let map = buckets
            .into_iter()
            .map(|(key, store)| (key, Arc::new(Mutex::new(store))))
            .collect();
        storage.buckets = Mutex::new(map);
        Ok(storage)
    }

    fn with_backend(backend: Backend) -> Self {
        Self {
            backend,
            clock: OnceLock::new(),
            buckets: Mutex::new(HashMap::new()),
            index_dir: None,
            saving: Mutex::new(()),
        }
    }

    /// Saves the object index when storing under a data directory (errors are logged).
    fn persist(&self) {
        let Some(dir) = &self.index_dir else { return };
        let _saving = lock(&self.saving);
        let buckets: Vec<(BucketKey, Arc<Mutex<BucketStore>>)> = lock(&self.buckets)
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut index = persist::Index::default();
        for ((ns, bucket), store) in &buckets {
            index.add(ns, bucket, &lock(store));
        }
        if let Err(error) = index.save(dir) {
            tracing::error!(%error, dir = %dir.display(), "cannot save the object index");
        }
    }

    /// Uses `clock` for modification times (the first clock set wins).
    pub(crate) fn set_clock(&self, clock: Clock) {
        let _ = self.clock.set(clock);
    }

    fn now(&self) -> OffsetDateTime {
        self.clock
            .get()
            .map_or_else(OffsetDateTime::now_utc, Clock::now)
    }

    fn bucket(&self, ns: &str, bucket: &str) -> Arc<Mutex<BucketStore>> {
        lock(&self.buckets)
            .entry((ns.to_owned(), bucket.to_owned()))
            .or_default()
            .clone()
    }

    /// Like [`Self::with_bucket`] for a change, saving the index afterwards.
    fn changing<R>(&self, ns: &str, bucket: &str, f: impl FnOnce(&mut BucketStore) -> R) -> R {
        let result = self.with_bucket(ns, bucket, f);
        self.persist();
        result
    }

    fn with_bucket<R>(&self, ns: &str, bucket: &str, f: impl FnOnce(&mut BucketStore) -> R) -> R {
        let store = self.bucket(ns, bucket);
        let mut guard = lock(&store);
        f(&mut guard)
    }

    async fn write_body<S, E>(
        &self,
        used: u64,
        body: S,
        opts: &WriteOptions,
    ) -> Result<blob::Written, StorageError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: fmt::Display,
    {
        let room = quota_room(opts.quota, used);
        if let (Some(room), Some(len)) = (room, opts.content_length)
            && len > room
        {
            return Err(StorageError::QuotaExceeded);
        }
        let written = Blob::write(&self.backend, body, room).await?;
        if opts.content_md5.is_some_and(|md5| md5 != written.md5) {
            return Err(StorageError::BadDigest);
        }
        Ok(written)
    }

    /// Bytes counted against the quota (only computed when there is one).
    fn used_bytes(&self, ns: &str, bucket: &str, opts: &WriteOptions) -> u64 {
        if opts.quota.is_none() {
            return 0;
        }
        self.usage(ns, bucket).bytes + opts.extra_usage
    }

    fn check_quota(
        store: &BucketStore,
        size: u64,
        opts: &WriteOptions,
    ) -> Result<(), StorageError> {
        let Some(quota) = opts.quota else {
            return Ok(());
        };
        let used = store.usage().bytes + opts.extra_usage;
        match quota_room(Some(quota), used) {
            Some(room) if size > room => Err(StorageError::QuotaExceeded),
            _ => Ok(()),
        }
    }

    /// Writes an object from a body stream.
    pub(crate) async fn put_object<S, E>(
        &self,
        ns: &str,
        bucket: &str,
        key: &str,
        body: S,
        opts: WriteOptions,
    ) -> Result<Written, StorageError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: fmt::Display,
    {
        let used = self.used_bytes(ns, bucket, &opts);
        let written = self.write_body(used, body, &opts).await?;
        let etag = hex::encode(written.md5);
        let data = ObjectData {
            body: written.blob,
            etag: etag.clone(),
            meta: opts.meta.clone(),
        };
        self.commit(ns, bucket, key, data, &opts)
    }

    fn commit(
        &self,
        ns: &str,
        bucket: &str,
        key: &str,
        data: ObjectData,
        opts: &WriteOptions,
    ) -> Result<Written, StorageError> {
        let now = self.now();
        let (etag, size) = (data.etag.clone(), data.size());
        self.changing(ns, bucket, |store| {
            Self::check_quota(store, size, opts)?;
            let version_id = store.put(key, data, opts.versioning, now);
            Ok(Written {
                version_id,
                etag,
                size,
            })
        })
    }

    /// Copies an object version; the copy shares the source's body. `opts.meta` replaces the
    /// source's metadata when `replace_meta` is set; the copy's Object Lock settings are always
    /// those of `opts.meta`, its tags those of the source unless `opts.replace_tags`.
    pub(crate) fn copy_object(
        &self,
        src: (&str, &str, &str, Option<&str>),
        dst: (&str, &str, &str),
        replace_meta: bool,
        opts: WriteOptions,
    ) -> Result<Written, StorageError> {
        let (src_ns, src_bucket, src_key, src_version) = src;
        let version = self.get_object(src_ns, src_bucket, src_key, src_version)?;
        let mut data = version.data.ok_or(StorageError::NoSuchKey)?;
        let source_tags = std::mem::take(&mut data.meta.tags);
        if replace_meta {
            data.meta = opts.meta.clone();
        } else {
            // Object Lock settings belong to a version, never to its copies.
            data.meta.retention = opts.meta.retention.clone();
            data.meta.legal_hold = opts.meta.legal_hold;
        }
        data.meta.tags = if opts.replace_tags {
            opts.meta.tags.clone()
        } else {
            source_tags
        };
        let (dst_ns, dst_bucket, dst_key) = dst;
        self.commit(dst_ns, dst_bucket, dst_key, data, &opts)
    }

    /// The current version of a key, or a given version.
    pub(crate) fn get_object(
        &self,
        ns: &str,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<ObjectVersion, StorageError> {
        self.with_bucket(ns, bucket, |store| store.get(key, version_id).cloned())
    }

    /// Changes the stored attributes (retention, legal hold, tags) of the current version of a
    /// key, or of a given version; `change` sees the version and may refuse.
    pub(crate) fn update_version<R>(
        &self,
        ns: &str,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        change: impl FnOnce(&mut ObjectVersion) -> R,
    ) -> Result<R, StorageError> {
        self.changing(ns, bucket, |store| {
            store.get_mut(key, version_id).map(change)
        })
    }

    /// Deletes a key or one of its versions (see S3's versioning rules).
    pub(crate) fn delete_object(
        &self,
        ns: &str,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        versioning: Versioning,
    ) -> Deleted {
        let now = self.now();
        self.changing(ns, bucket, |store| {
            store.delete(key, version_id, versioning, now)
        })
    }

    /// A page of current objects.
    pub(crate) fn list_objects(
        &self,
        ns: &str,
        bucket: &str,
        query: ListQuery<'_>,
    ) -> Page<ObjectEntry> {
        self.with_bucket(ns, bucket, |store| {
            list::list_objects(&store.objects, query)
        })
    }

    /// A page of versions and delete markers.
    pub(crate) fn list_versions(
        &self,
        ns: &str,
        bucket: &str,
        query: ListQuery<'_>,
        marker: VersionMarker<'_>,
    ) -> Page<VersionEntry> {
        self.with_bucket(ns, bucket, |store| {
            list::list_versions(&store.objects, query, marker)
        })
    }

    /// Starts a multipart upload; returns its id.
    pub(crate) fn create_upload(
        &self,
        ns: &str,
        bucket: &str,
        key: &str,
        meta: ObjectMeta,
    ) -> String {
        let upload = Upload::new(key, meta, self.now());
        let id = upload.upload_id.clone();
        self.changing(ns, bucket, |store| store.uploads.insert(id.clone(), upload));
        id
    }

    fn upload_exists(
        &self,
        ns: &str,
        bucket: &str,
        upload_id: &str,
        key: &str,
    ) -> Result<(), StorageError> {
        self.with_bucket(ns, bucket, |store| match store.uploads.get(upload_id) {
            Some(up) if up.key == key => Ok(()),
            _ => Err(StorageError::NoSuchUpload),
        })
    }

    /// Stores one part of an upload; returns its ETag (no quotes).
    pub(crate) async fn upload_part<S, E>(
        &self,
        upload: UploadRef<'_>,
        number: i32,
        body: S,
        opts: WriteOptions,
    ) -> Result<String, StorageError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: fmt::Display,
    {
        let UploadRef {
            ns,
            bucket,
            key,
            upload_id,
        } = upload;
        if !(1..=MAX_PART_NUMBER).contains(&number) {
            return Err(StorageError::InvalidPart(format!(
                "part number {number} is out of range"
            )));
        }
        self.upload_exists(ns, bucket, upload_id, key)?;
        let used = self.used_bytes(ns, bucket, &opts);
        let written = self.write_body(used, body, &opts).await?;
        let part = Part {
            body: written.blob,
            md5: written.md5,
            last_modified: self.now(),
        };
        let etag = part.etag();
        self.changing(ns, bucket, |store| {
            let replaced = store
                .uploads
                .get(upload_id)
                .and_then(|u| u.parts.get(&number))
                .map_or(0, |p| p.body.len());
            Self::check_quota(store, part.body.len().saturating_sub(replaced), &opts)?;
            let upload = store
                .uploads
                .get_mut(upload_id)
                .ok_or(StorageError::NoSuchUpload)?;
            upload.parts.insert(number, part);
            Ok(etag)
        })
    }

    /// A snapshot of an upload (for ListParts).
    pub(crate) fn get_upload(
        &self,
        ns: &str,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<Upload, StorageError> {
        self.with_bucket(ns, bucket, |store| match store.uploads.get(upload_id) {
            Some(up) if up.key == key => Ok(up.clone()),
            _ => Err(StorageError::NoSuchUpload),
        })
    }

    /// The uploads in progress whose key starts with `prefix`, by key then initiation time.
    pub(crate) fn list_uploads(&self, ns: &str, bucket: &str, prefix: &str) -> Vec<Upload> {
        let mut uploads: Vec<Upload> = self.with_bucket(ns, bucket, |store| {
            store
                .uploads
                .values()
                .filter(|u| u.key.starts_with(prefix))
                .cloned()
                .collect()
        });
        uploads.sort_by(|a, b| (&a.key, a.initiated).cmp(&(&b.key, b.initiated)));
        uploads
    }

    /// Completes an upload into an object version.
    pub(crate) fn complete_upload(
        &self,
        ns: &str,
        bucket: &str,
        key: &str,
        upload_id: &str,
        parts: &[(i32, String)],
        versioning: Versioning,
    ) -> Result<Written, StorageError> {
        let now = self.now();
        self.changing(ns, bucket, |store| {
            let upload = match store.uploads.get(upload_id) {
                Some(up) if up.key == key => up,
                _ => return Err(StorageError::NoSuchUpload),
            };
            let data = upload.assemble(parts)?;
            let (etag, size) = (data.etag.clone(), data.size());
            store.uploads.remove(upload_id);
            // The parts were counted against the quota when uploaded; completing adds nothing.
            let version_id = store.put(key, data, versioning, now);
            Ok(Written {
                version_id,
                etag,
                size,
            })
        })
    }

    /// Aborts an upload, dropping its parts.
    pub(crate) fn abort_upload(
        &self,
        ns: &str,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<(), StorageError> {
        self.changing(ns, bucket, |store| match store.uploads.get(upload_id) {
            Some(up) if up.key == key => {
                store.uploads.remove(upload_id);
                Ok(())
            }
            _ => Err(StorageError::NoSuchUpload),
        })
    }

    /// A reader over bytes `start..end` of a version's body.
    pub(crate) fn read(&self, data: &ObjectData, start: u64, end: u64) -> BlobReader {
        data.body.read(start, end)
    }
}

/// What the management side asks of the storage: bucket lifecycle, usage and emptying.
impl Storage {
    /// Called after the management side created a bucket.
    pub(crate) fn bucket_created(&self, namespace: &str, bucket: &str) {
        // A new bucket starts empty, even if an old one of the same name left something behind.
        let fresh = Arc::new(Mutex::new(BucketStore::default()));
        lock(&self.buckets).insert((namespace.to_owned(), bucket.to_owned()), fresh);
        self.persist();
    }

    /// Called after the management side removed a bucket (its contents go with it).
    pub(crate) fn bucket_removed(&self, namespace: &str, bucket: &str) {
        lock(&self.buckets).remove(&(namespace.to_owned(), bucket.to_owned()));
        self.persist();
    }

    /// The current usage of a bucket; zero for an unknown bucket.
    pub(crate) fn usage(&self, namespace: &str, bucket: &str) -> BucketUsage {
        let store = lock(&self.buckets)
            .get(&(namespace.to_owned(), bucket.to_owned()))
            .cloned();
        store.map_or_else(BucketUsage::default, |s| lock(&s).usage())
    }

    /// Removes every object, version, delete marker and upload; returns how many entries went.
    pub(crate) fn empty(&self, namespace: &str, bucket: &str) -> u64 {
        let store = lock(&self.buckets)
            .get(&(namespace.to_owned(), bucket.to_owned()))
            .cloned();
        let removed = store.map_or(0, |s| lock(&s).clear());
        self.persist();
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use md5::{Digest, Md5};

    fn body(data: &[u8]) -> impl Stream<Item = Result<Bytes, io::Error>> + Unpin {
        futures::stream::iter(vec![Ok(Bytes::copy_from_slice(data))])
    }

    async fn read_all(storage: &Storage, data: &ObjectData) -> Vec<u8> {
        use futures::StreamExt;
        let mut out = Vec::new();
        let mut r = storage.read(data, 0, data.size());
        while let Some(c) = r.next().await {
            out.extend_from_slice(&c.expect("chunk"));
        }
        out
    }

    #[tokio::test]
    async fn put_get_copy_and_usage() {
        let s = Storage::in_memory();
        let w = s
            .put_object("ns", "b", "k", body(b"abc"), WriteOptions::default())
            .await
            .expect("put");
        assert_eq!(w.etag, "900150983cd24fb0d6963f7d28e17f72");
        let v = s.get_object("ns", "b", "k", None).expect("get");
        assert_eq!(read_all(&s, v.data.as_ref().expect("data")).await, b"abc");
        s.copy_object(
            ("ns", "b", "k", None),
            ("ns", "b2", "k2"),
            false,
            WriteOptions::default(),
        )
        .expect("copy");
        assert_eq!(
            s.usage("ns", "b2"),
            BucketUsage {
                bytes: 3,
                objects: 1,
                versions: 0,
                uploads: 0
            }
        );
        assert_eq!(s.usage("other", "b"), BucketUsage::default());
        assert_eq!(s.empty("ns", "b"), 1);
        assert!(s.usage("ns", "b").is_empty());
    }

    #[tokio::test]
    async fn content_md5_is_checked() {
        let s = Storage::in_memory();
        let good: [u8; 16] = Md5::digest(b"abc").into();
        let opts = WriteOptions {
            content_md5: Some(good),
            ..Default::default()
        };
        s.put_object("ns", "b", "k", body(b"abc"), opts.clone())
            .await
            .expect("matching md5");
        let err = s
            .put_object("ns", "b", "k", body(b"abd"), opts)
            .await
            .expect_err("bad md5");
        assert!(matches!(err, StorageError::BadDigest));
        assert_eq!(s.usage("ns", "b").bytes, 3);
    }

    #[tokio::test]
    async fn hard_quota_refuses_by_length_and_by_stream() {
        let s = Storage::in_memory();
        let opts = WriteOptions {
            quota: Some(10),
            ..Default::default()
        };
        s.put_object("ns", "b", "a", body(b"123456"), opts.clone())
            .await
            .expect("fits");
        let announced = WriteOptions {
            content_length: Some(5),
            ..opts.clone()
        };
        assert!(matches!(
            s.put_object("ns", "b", "b", body(b"12345"), announced)
                .await,
            Err(StorageError::QuotaExceeded)
        ));
        assert!(matches!(
            s.put_object("ns", "b", "b", body(b"12345"), opts.clone())
                .await,
            Err(StorageError::QuotaExceeded)
        ));
        s.put_object("ns", "b", "b", body(b"1234"), opts.clone())
            .await
            .expect("exactly full");
        let extra = WriteOptions {
            extra_usage: 100,
            ..opts
        };
        s.delete_object("ns", "b", "b", None, Versioning::Unversioned);
        assert!(matches!(
            s.put_object("ns", "b", "c", body(b"1"), extra).await,
            Err(StorageError::QuotaExceeded)
        ));
    }

    #[tokio::test]
    async fn multipart_lifecycle() {
        let s = Storage::in_memory();
        let id = s.create_upload("ns", "b", "big", ObjectMeta::default());
        let e1 = s
            .upload_part(
                UploadRef {
                    ns: "ns",
                    bucket: "b",
                    key: "big",
                    upload_id: &id,
                },
                1,
                body(&vec![7u8; 5 * 1024 * 1024]),
                WriteOptions::default(),
            )
            .await
            .expect("p1");
        let e2 = s
            .upload_part(
                UploadRef {
                    ns: "ns",
                    bucket: "b",
                    key: "big",
                    upload_id: &id,
                },
                2,
                body(b"tail"),
                WriteOptions::default(),
            )
            .await
            .expect("p2");
        assert!(matches!(
            s.upload_part(
                UploadRef {
                    ns: "ns",
                    bucket: "b",
                    key: "other",
                    upload_id: &id
                },
                3,
                body(b"x"),
                WriteOptions::default()
            )
            .await,
            Err(StorageError::NoSuchUpload)
        ));
        assert_eq!(s.list_uploads("ns", "b", "").len(), 1);
        assert_eq!(
            s.get_upload("ns", "b", "big", &id)
                .expect("upload")
                .parts
                .len(),
            2
        );
        assert_eq!(s.usage("ns", "b").uploads, 1);
        let w = s
            .complete_upload(
                "ns",
                "b",
                "big",
                &id,
                &[(1, e1), (2, e2)],
                Versioning::Unversioned,
            )
            .expect("complete");
        assert_eq!(w.size, 5 * 1024 * 1024 + 4);
        assert!(s.list_uploads("ns", "b", "").is_empty());
        let usage = s.usage("ns", "b");
        assert_eq!(
            (usage.bytes, usage.objects, usage.uploads),
            (5 * 1024 * 1024 + 4, 1, 0)
        );

        let id2 = s.create_upload("ns", "b", "gone", ObjectMeta::default());
        s.abort_upload("ns", "b", "gone", &id2).expect("abort");
        assert!(matches!(
            s.abort_upload("ns", "b", "gone", &id2),
            Err(StorageError::NoSuchUpload)
        ));
    }

    #[tokio::test]
    async fn bucket_created_starts_empty() {
        let s = Storage::in_memory();
        s.put_object("ns", "b", "k", body(b"x"), WriteOptions::default())
            .await
            .expect("put");
        s.bucket_created("ns", "b");
        assert!(s.usage("ns", "b").is_empty());
        s.put_object("ns", "b", "k", body(b"x"), WriteOptions::default())
            .await
            .expect("put");
        s.bucket_removed("ns", "b");
        assert!(s.usage("ns", "b").is_empty());
    }

    #[tokio::test]
    async fn disk_storage_reloads_its_index_after_a_restart() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (v1, upload_id) = {
            let s = Storage::on_disk(dir.path()).expect("storage");
            let versioned = WriteOptions {
                versioning: Versioning::Enabled,
                ..Default::default()
            };
            let v1 = s
                .put_object("ns", "b", "k", body(b"one"), versioned.clone())
                .await
                .expect("v1")
                .version_id;
            s.put_object("ns", "b", "k", body(b"two"), versioned)
                .await
                .expect("v2");
            s.copy_object(
                ("ns", "b", "k", None),
                ("ns", "b", "copy"),
                false,
                WriteOptions::default(),
            )
            .expect("copy");
            s.delete_object("ns", "b", "gone", None, Versioning::Enabled);
            let id = s.create_upload("ns", "b", "mp", ObjectMeta::default());
            let up = UploadRef {
                ns: "ns",
                bucket: "b",
                key: "mp",
                upload_id: &id,
            };
            s.upload_part(up, 1, body(b"part"), WriteOptions::default())
                .await
                .expect("part");
            (v1, id)
        };
        std::fs::write(dir.path().join("blobs").join("orphan"), b"x").expect("orphan");

        let s = Storage::on_disk(dir.path()).expect("reopen");
        let usage = s.usage("ns", "b");
        assert_eq!((usage.objects, usage.versions, usage.uploads), (2, 2, 1));
        let current = s.get_object("ns", "b", "k", None).expect("current");
        assert_eq!(
            read_all(&s, current.data.as_ref().expect("data")).await,
            b"two"
        );
        let old = s
            .get_object("ns", "b", "k", Some(&v1))
            .expect("old version");
        assert_eq!(read_all(&s, old.data.as_ref().expect("data")).await, b"one");
        let copy = s.get_object("ns", "b", "copy", None).expect("copy");
        assert_eq!(
            read_all(&s, copy.data.as_ref().expect("data")).await,
            b"two"
        );
        assert_eq!(
            s.get_upload("ns", "b", "mp", &upload_id)
                .expect("upload")
                .parts
                .len(),
            1
        );
        assert!(
            !dir.path().join("blobs").join("orphan").exists(),
            "unreferenced files are cleaned up"
        );

        // Deleting for real still removes the files (once nobody holds the versions).
        drop((current, old, copy));
        s.empty("ns", "b");
        for _ in 0..100 {
            if std::fs::read_dir(dir.path().join("blobs"))
                .expect("dir")
                .count()
                == 0
            {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("emptied bucket left files behind");
    }
}
