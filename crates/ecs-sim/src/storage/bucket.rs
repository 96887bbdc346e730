//! One bucket's contents: keys with their version stacks (newest first), as S3 versioning defines them.
//!
//! Everything here is synchronous and runs under the bucket's lock; bodies are already written
//! when a version is committed.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::multipart::Upload;
use super::{Blob, StorageError};
use crate::data::BucketUsage;

/// The version id S3 uses for objects written while versioning is off or suspended.
pub(crate) const NULL_VERSION: &str = "null";

/// A bucket's versioning state (the state itself lives with the bucket's metadata).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Versioning {
    /// Versioning was never enabled: one version per key, id `null`.
    #[default]
    Unversioned,
    /// Every write adds a version; deletes add delete markers.
    Enabled,
    /// Writes replace the `null` version; older versions stay.
    Suspended,
}

/// Headers stored with an object and returned on GET/HEAD.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct ObjectMeta {
    pub(crate) content_type: Option<String>,
    pub(crate) content_encoding: Option<String>,
    pub(crate) content_disposition: Option<String>,
    pub(crate) content_language: Option<String>,
    pub(crate) cache_control: Option<String>,
    /// `x-amz-meta-*` values, keyed by the lower-case name without the prefix.
    pub(crate) user: BTreeMap<String, String>,
    /// S3 Object Lock retention of the version, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) retention: Option<Retention>,
    /// S3 Object Lock legal hold: `Some(true)` for `ON`, `Some(false)` once set `OFF`, `None`
    /// when never set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) legal_hold: Option<bool>,
    /// The object's `TagSet` as (key, value), in the order given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) tags: Vec<(String, String)>,
}

/// S3 Object Lock retention of one object version.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Retention {
    /// `GOVERNANCE` or `COMPLIANCE`.
    pub(crate) mode: String,
    /// Retain-until date, milliseconds since the Unix epoch.
    pub(crate) until_ms: i64,
}

/// The data of an object version.
#[derive(Clone, Debug)]
pub(crate) struct ObjectData {
    pub(crate) body: Blob,
    /// The ETag without quotes: the MD5 in hex, or `md5-of-md5s-N` for multipart uploads.
    pub(crate) etag: String,
    pub(crate) meta: ObjectMeta,
}

impl ObjectData {
    /// The body length.
    pub(crate) fn size(&self) -> u64 {
        self.body.len()
    }
}

/// One entry of a key's version stack.
#[derive(Clone, Debug)]
pub(crate) struct ObjectVersion {
    pub(crate) version_id: String,
    pub(crate) last_modified: OffsetDateTime,
    /// `None` for a delete marker.
    pub(crate) data: Option<ObjectData>,
}

impl ObjectVersion {
    /// Whether this entry is a delete marker.
    pub(crate) fn is_delete_marker(&self) -> bool {
        self.data.is_none()
    }
}

/// What a DELETE did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Deleted {
    /// The version id removed or created (none for an unversioned delete).
    pub(crate) version_id: Option<String>,
    /// Whether the entry removed or created is a delete marker.
    pub(crate) delete_marker: bool,
}

/// A bucket's keys and multipart uploads.
#[derive(Debug, Default)]
pub(crate) struct BucketStore {
    pub(crate) objects: BTreeMap<String, Vec<ObjectVersion>>,
    pub(crate) uploads: BTreeMap<String, Upload>,
}

fn new_version_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

impl BucketStore {
    /// Commits a written object as the key's newest version; returns its version id.
    pub(crate) fn put(
        &mut self,
        key: &str,
        data: ObjectData,
        versioning: Versioning,
        now: OffsetDateTime,
    ) -> String {
        let version_id = match versioning {
            Versioning::Enabled => new_version_id(),
            Versioning::Unversioned | Versioning::Suspended => NULL_VERSION.to_owned(),
        };
        self.push(
            key,
            ObjectVersion {
                version_id: version_id.clone(),
                last_modified: now,
                data: Some(data),
            },
            versioning,
        );
        version_id
    }

    fn push(&mut self, key: &str, version: ObjectVersion, versioning: Versioning) {
        let stack = self.objects.entry(key.to_owned()).or_default();
        match versioning {
            Versioning::Unversioned => stack.clear(),
            Versioning::Suspended => stack.retain(|v| v.version_id != NULL_VERSION),
            Versioning::Enabled => {}
        }
        stack.insert(0, version);
    }

    /// Deletes as S3 does: a given version goes for good; otherwise the current object is removed
    /// (unversioned) or hidden behind a new delete marker (versioned).
    pub(crate) fn delete(
        &mut self,
        key: &str,
        version_id: Option<&str>,
        versioning: Versioning,
        now: OffsetDateTime,
    ) -> Deleted {
        if let Some(version_id) = version_id {
            return self.delete_version(key, version_id);
        }
        match versioning {
            Versioning::Unversioned => {
                self.objects.remove(key);
                Deleted::default()
            }
            Versioning::Enabled | Versioning::Suspended => {
                let version_id = if versioning == Versioning::Enabled {
                    new_version_id()
                } else {
                    NULL_VERSION.to_owned()
                };
                let marker = ObjectVersion {
                    version_id: version_id.clone(),
                    last_modified: now,
                    data: None,
                };
                self.push(key, marker, versioning);
                Deleted {
                    version_id: Some(version_id),
                    delete_marker: true,
                }
            }
        }
    }

    fn delete_version(&mut self, key: &str, version_id: &str) -> Deleted {
        let mut deleted = Deleted {
            version_id: Some(version_id.to_owned()),
            delete_marker: false,
        };
        if let Some(stack) = self.objects.get_mut(key) {
            if let Some(pos) = stack.iter().position(|v| v.version_id == version_id) {
                deleted.delete_marker = stack.remove(pos).is_delete_marker();
            }
            if stack.is_empty() {
                self.objects.remove(key);
            }
        }
        deleted
    }

    /// The current version of a key (or a given version), to change its stored attributes.
    pub(crate) fn get_mut(
        &mut self,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<&mut ObjectVersion, StorageError> {
        let stack = self.objects.get_mut(key);
        let version = match version_id {
            None => stack
                .and_then(|s| s.first_mut())
                .ok_or(StorageError::NoSuchKey)?,
            Some(id) => stack
                .and_then(|s| s.iter_mut().find(|v| v.version_id == id))
                .ok_or(StorageError::NoSuchVersion)?,
        };
        match (version.is_delete_marker(), version_id) {
            (true, None) => Err(StorageError::NoSuchKey),
            (true, Some(_)) => Err(StorageError::DeleteMarker),
            (false, _) => Ok(version),
        }
    }

    /// The current version of a key (or a given version).
    pub(crate) fn get(
        &self,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<&ObjectVersion, StorageError> {
        let stack = self.objects.get(key);
        match version_id {
            None => {
                let latest = stack
                    .and_then(|s| s.first())
                    .ok_or(StorageError::NoSuchKey)?;
                if latest.is_delete_marker() {
                    Err(StorageError::NoSuchKey)
                } else {
                    Ok(latest)
                }
            }
            Some(id) => {
                let version = stack
                    .and_then(|s| s.iter().find(|v| v.version_id == id))
                    .ok_or(StorageError::NoSuchVersion)?;
                if version.is_delete_marker() {
                    Err(StorageError::DeleteMarker)
                } else {
                    Ok(version)
                }
            }
        }
    }

    /// What the bucket holds.
    pub(crate) fn usage(&self) -> BucketUsage {
        let mut usage = BucketUsage::default();
        for stack in self.objects.values() {
            for (i, version) in stack.iter().enumerate() {
                if i == 0 && !version.is_delete_marker() {
                    usage.objects += 1;
                } else {
                    usage.versions += 1;
                }
                usage.bytes += version.data.as_ref().map_or(0, ObjectData::size);
            }
        }
        for upload in self.uploads.values() {
            usage.uploads += 1;
            usage.bytes += upload.bytes();
        }
        usage
    }

    /// Removes everything; returns how many entries (versions, markers, uploads) went.
    pub(crate) fn clear(&mut self) -> u64 {
        let entries: usize =
            self.objects.values().map(Vec::len).sum::<usize>() + self.uploads.len();
        self.objects.clear();
        self.uploads.clear();
        entries as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(text: &str) -> ObjectData {
        ObjectData {
            body: Blob::default(),
            etag: text.to_owned(),
            meta: ObjectMeta::default(),
        }
    }

    fn now() -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH
    }

    #[test]
    fn unversioned_put_overwrites_and_delete_removes() {
        let mut b = BucketStore::default();
        assert_eq!(
            b.put("k", data("1"), Versioning::Unversioned, now()),
            NULL_VERSION
        );
        b.put("k", data("2"), Versioning::Unversioned, now());
        assert_eq!(b.objects["k"].len(), 1);
        assert_eq!(
            b.get("k", None)
                .expect("get")
                .data
                .as_ref()
                .map(|d| d.etag.as_str()),
            Some("2")
        );
        assert_eq!(
            b.delete("k", None, Versioning::Unversioned, now()),
            Deleted::default()
        );
        assert!(b.usage().is_empty());
        assert!(matches!(b.get("k", None), Err(StorageError::NoSuchKey)));
    }

    #[test]
    fn enabled_keeps_versions_and_adds_delete_markers() {
        let mut b = BucketStore::default();
        let v1 = b.put("k", data("1"), Versioning::Enabled, now());
        let v2 = b.put("k", data("2"), Versioning::Enabled, now());
        assert_ne!(v1, v2);
        let del = b.delete("k", None, Versioning::Enabled, now());
        assert!(del.delete_marker);
        assert!(matches!(b.get("k", None), Err(StorageError::NoSuchKey)));
        assert_eq!(
            b.get("k", Some(&v1))
                .expect("v1")
                .data
                .as_ref()
                .map(|d| d.etag.as_str()),
            Some("1")
        );
        let marker_id = del.version_id.expect("marker id");
        assert!(matches!(
            b.get("k", Some(&marker_id)),
            Err(StorageError::DeleteMarker)
        ));
        let usage = b.usage();
        assert_eq!((usage.objects, usage.versions), (0, 3));
        assert!(!usage.is_empty());

        // Removing the marker brings v2 back.
        let undo = b.delete("k", Some(&marker_id), Versioning::Enabled, now());
        assert!(undo.delete_marker);
        assert_eq!(b.get("k", None).expect("v2").version_id, v2);
        b.delete("k", Some(&v1), Versioning::Enabled, now());
        b.delete("k", Some(&v2), Versioning::Enabled, now());
        assert!(b.objects.is_empty());
    }

    #[test]
    fn suspended_replaces_the_null_version_only() {
        let mut b = BucketStore::default();
        let v1 = b.put("k", data("1"), Versioning::Enabled, now());
        b.put("k", data("2"), Versioning::Suspended, now());
        b.put("k", data("3"), Versioning::Suspended, now());
        let ids: Vec<_> = b.objects["k"]
            .iter()
            .map(|v| v.version_id.clone())
            .collect();
        assert_eq!(ids, vec![NULL_VERSION.to_owned(), v1.clone()]);
        let del = b.delete("k", None, Versioning::Suspended, now());
        assert_eq!(del.version_id.as_deref(), Some(NULL_VERSION));
        assert_eq!(b.objects["k"].len(), 2);
        assert!(b.objects["k"][0].is_delete_marker());
    }

    #[test]
    fn unknown_version_is_reported() {
        let mut b = BucketStore::default();
        b.put("k", data("1"), Versioning::Enabled, now());
        assert!(matches!(
            b.get("k", Some("nope")),
            Err(StorageError::NoSuchVersion)
        ));
        assert!(matches!(
            b.get("other", Some("nope")),
            Err(StorageError::NoSuchVersion)
        ));
    }

    #[test]
    fn clear_counts_every_entry() {
        let mut b = BucketStore::default();
        b.put("a", data("1"), Versioning::Enabled, now());
        b.put("a", data("2"), Versioning::Enabled, now());
        b.delete("b", None, Versioning::Enabled, now());
        assert_eq!(b.clear(), 3);
        assert!(b.usage().is_empty());
    }
}
