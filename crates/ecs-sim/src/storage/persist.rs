//! Saving and reloading the object index of a `--data-dir`, so objects survive a restart.
//!
//! Bodies already are files under `blobs/`; this writes what they mean (keys, versions, metadata,
//! uploads) to `index.json` after every change (temporary file, then rename), and rebuilds the
//! buckets from it at start. Files no version refers to are removed then.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::blob::{Backend, Blob, FileRef};
use super::bucket::{BucketStore, ObjectData, ObjectMeta, ObjectVersion};
use super::multipart::{Part, Upload};

const INDEX: &str = "index.json";

/// Everything the storage holds, by (namespace, bucket).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Index {
    buckets: Vec<BucketRecord>,
}

#[derive(Debug, Serialize, Deserialize)]
struct BucketRecord {
    namespace: String,
    bucket: String,
    objects: BTreeMap<String, Vec<VersionRecord>>,
    uploads: Vec<UploadRecord>,
}

#[derive(Debug, Serialize, Deserialize)]
struct VersionRecord {
    version_id: String,
    modified_ns: i64,
    /// `None` for a delete marker.
    data: Option<DataRecord>,
}

#[derive(Debug, Serialize, Deserialize)]
struct DataRecord {
    etag: String,
    meta: ObjectMeta,
    files: Vec<(String, u64)>,
}

#[derive(Debug, Serialize, Deserialize)]
struct UploadRecord {
    upload_id: String,
    key: String,
    initiated_ns: i64,
    meta: ObjectMeta,
    parts: Vec<PartRecord>,
}

#[derive(Debug, Serialize, Deserialize)]
struct PartRecord {
    number: i32,
    md5: String,
    modified_ns: i64,
    files: Vec<(String, u64)>,
}

fn nanos(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos()).unwrap_or(i64::MAX)
}

fn from_nanos(ns: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ns)).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

impl Index {
    /// Records one bucket (memory-backed bodies cannot be recorded and are skipped).
    pub(crate) fn add(&mut self, namespace: &str, bucket: &str, store: &BucketStore) {
        let objects = store
            .objects
            .iter()
            .map(|(key, stack)| {
                (
                    key.clone(),
                    stack.iter().filter_map(version_record).collect(),
                )
            })
            .collect();
        let uploads = store.uploads.values().map(upload_record).collect();
        self.buckets.push(BucketRecord {
            namespace: namespace.to_owned(),
            bucket: bucket.to_owned(),
            objects,
            uploads,
        });
    }

    /// Writes the index into `dir` atomically.
    pub(crate) fn save(&self, dir: &Path) -> io::Result<()> {
        let text = serde_json::to_vec(self).map_err(io::Error::other)?;
        let temp = dir.join(format!("{INDEX}.tmp"));
        std::fs::write(&temp, text)?;
        std::fs::rename(temp, dir.join(INDEX))
    }

    /// Reads the index of `dir`, if there is one.
    pub(crate) fn load(dir: &Path) -> io::Result<Option<Index>> {
        match std::fs::read(dir.join(INDEX)) {
            Ok(text) => serde_json::from_slice(&text)
                .map(Some)
                .map_err(io::Error::other),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// Rebuilds the buckets, sharing one handle per file.
    pub(crate) fn restore(self, backend: &Backend) -> Restored {
        let mut files = Files {
            backend,
            cache: HashMap::new(),
        };
        let buckets = self
            .buckets
            .into_iter()
            .map(|record| {
                let mut store = BucketStore::default();
                for (key, versions) in record.objects {
                    let stack: Vec<ObjectVersion> = versions
                        .into_iter()
                        .filter_map(|v| files.version(v))
                        .collect();
                    if !stack.is_empty() {
                        store.objects.insert(key, stack);
                    }
                }
                for upload in record.uploads {
                    let upload = files.upload(upload);
                    store.uploads.insert(upload.upload_id.clone(), upload);
                }
                ((record.namespace, record.bucket), store)
            })
            .collect();
        let files = files.cache.into_keys().collect();
        Restored { buckets, files }
    }
}

/// Buckets rebuilt from an index, and the blob files they use.
#[derive(Debug)]
pub(crate) struct Restored {
    pub(crate) buckets: Vec<((String, String), BucketStore)>,
    pub(crate) files: HashSet<String>,
}

fn version_record(version: &ObjectVersion) -> Option<VersionRecord> {
    let data = match &version.data {
        None => None,
        Some(d) => Some(DataRecord {
            etag: d.etag.clone(),
            meta: d.meta.clone(),
            files: d.body.file_segments()?,
        }),
    };
    Some(VersionRecord {
        version_id: version.version_id.clone(),
        modified_ns: nanos(version.last_modified),
        data,
    })
}

fn upload_record(upload: &Upload) -> UploadRecord {
    let parts = upload
        .parts
        .iter()
        .filter_map(|(number, part)| {
            let files = part.body.file_segments()?;
            Some(PartRecord {
                number: *number,
                md5: hex::encode(part.md5),
                modified_ns: nanos(part.last_modified),
                files,
            })
        })
        .collect();
    UploadRecord {
        upload_id: upload.upload_id.clone(),
        key: upload.key.clone(),
        initiated_ns: nanos(upload.initiated),
        meta: upload.meta.clone(),
        parts,
    }
}

/// Blob files being reopened, one shared handle per name.
struct Files<'a> {
    backend: &'a Backend,
    cache: HashMap<String, FileRef>,
}

impl Files<'_> {
    /// The blob of these files; `None` if one is missing.
    fn blob(&mut self, files: Vec<(String, u64)>) -> Option<Blob> {
        let mut parts = Vec::with_capacity(files.len());
        for (name, len) in files {
            let file = match self.cache.get(&name) {
                Some(file) => file.clone(),
                None => {
                    let file = self.backend.existing_file(&name)?;
                    self.cache.insert(name, file.clone());
                    file
                }
            };
            parts.push((file, len));
        }
        Some(Blob::from_files(parts))
    }

    fn version(&mut self, record: VersionRecord) -> Option<ObjectVersion> {
        let data = match record.data {
            None => None,
            Some(d) => Some(ObjectData {
                body: self.blob(d.files)?,
                etag: d.etag,
                meta: d.meta,
            }),
        };
        Some(ObjectVersion {
            version_id: record.version_id,
            last_modified: from_nanos(record.modified_ns),
            data,
        })
    }

    fn upload(&mut self, record: UploadRecord) -> Upload {
        let mut parts = BTreeMap::new();
        for p in record.parts {
            let md5 = hex::decode(&p.md5)
                .ok()
                .and_then(|b| <[u8; 16]>::try_from(b).ok());
            if let (Some(body), Some(md5)) = (self.blob(p.files), md5) {
                parts.insert(
                    p.number,
                    Part {
                        body,
                        md5,
                        last_modified: from_nanos(p.modified_ns),
                    },
                );
            }
        }
        Upload {
            upload_id: record.upload_id,
            key: record.key,
            initiated: from_nanos(record.initiated_ns),
            meta: record.meta,
            parts,
        }
    }
}
