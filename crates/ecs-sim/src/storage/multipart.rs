//! Multipart uploads in progress: their parts, and how a completion assembles them.

use std::collections::BTreeMap;

use md5::{Digest, Md5};
use time::OffsetDateTime;

use super::bucket::{ObjectData, ObjectMeta};
use super::{Blob, StorageError};

/// The smallest part S3 accepts, except for the last one.
pub(crate) const MIN_PART_SIZE: u64 = 5 * 1024 * 1024;
/// The highest part number S3 accepts.
pub(crate) const MAX_PART_NUMBER: i32 = 10_000;

/// An uploaded part.
#[derive(Clone, Debug)]
pub(crate) struct Part {
    pub(crate) body: Blob,
    pub(crate) md5: [u8; 16],
    pub(crate) last_modified: OffsetDateTime,
}

impl Part {
    /// The part's ETag (MD5 hex, no quotes).
    pub(crate) fn etag(&self) -> String {
        hex::encode(self.md5)
    }
}

/// A multipart upload in progress.
#[derive(Clone, Debug)]
pub(crate) struct Upload {
    pub(crate) upload_id: String,
    pub(crate) key: String,
    pub(crate) initiated: OffsetDateTime,
    pub(crate) meta: ObjectMeta,
    pub(crate) parts: BTreeMap<i32, Part>,
}

impl Upload {
    /// A new, empty upload.
    pub(crate) fn new(key: &str, meta: ObjectMeta, now: OffsetDateTime) -> Self {
        Self {
            upload_id: uuid::Uuid::new_v4().simple().to_string(),
            key: key.to_owned(),
            initiated: now,
            meta,
            parts: BTreeMap::new(),
        }
    }

    /// Bytes held by the parts.
    pub(crate) fn bytes(&self) -> u64 {
        self.parts.values().map(|p| p.body.len()).sum()
    }

    /// Assembles the object from the parts the client lists (`(number, etag)`, ascending).
    pub(crate) fn assemble(&self, requested: &[(i32, String)]) -> Result<ObjectData, StorageError> {
        if requested.is_empty() {
            return Err(StorageError::InvalidPart(
                "the upload lists no parts".into(),
            ));
        }
        if requested.windows(2).any(|w| w[0].0 >= w[1].0) {
            return Err(StorageError::InvalidPartOrder);
        }
        let mut parts = Vec::with_capacity(requested.len());
        for (number, etag) in requested {
            let part = self.parts.get(number).ok_or_else(|| {
                StorageError::InvalidPart(format!("part {number} was not uploaded"))
            })?;
            if etag.trim_matches('"') != part.etag() {
                return Err(StorageError::InvalidPart(format!(
                    "part {number} has a different ETag"
                )));
            }
            parts.push(part);
        }
        // Every part but the last must reach the minimum size.
        if parts[..parts.len() - 1]
            .iter()
            .any(|p| p.body.len() < MIN_PART_SIZE)
        {
            return Err(StorageError::EntityTooSmall);
        }
        let mut hasher = Md5::new();
        for part in &parts {
            hasher.update(part.md5);
        }
        let etag = format!("{}-{}", hex::encode(hasher.finalize()), parts.len());
        let body = Blob::concat(parts.iter().map(|p| &p.body));
        let mut meta = self.meta.clone();
        meta.part_sizes = parts.iter().map(|p| p.body.len()).collect();
        Ok(ObjectData { body, etag, meta })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Backend;
    use bytes::Bytes;

    async fn part(data: Vec<u8>) -> Part {
        let stream = futures::stream::iter(vec![Ok::<_, std::io::Error>(Bytes::from(data))]);
        let w = Blob::write(&Backend::Memory, stream, None)
            .await
            .expect("write");
        Part {
            body: w.blob,
            md5: w.md5,
            last_modified: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[tokio::test]
    async fn assembles_in_order_with_multipart_etag() {
        let mut up = Upload::new("k", ObjectMeta::default(), OffsetDateTime::UNIX_EPOCH);
        up.parts
            .insert(1, part(vec![1u8; MIN_PART_SIZE as usize]).await);
        up.parts.insert(2, part(vec![2u8; 10]).await);
        let req = vec![
            (1, format!("\"{}\"", up.parts[&1].etag())),
            (2, up.parts[&2].etag()),
        ];
        let data = up.assemble(&req).expect("assemble");
        assert_eq!(data.size(), MIN_PART_SIZE + 10);
        assert!(data.etag.ends_with("-2"), "{}", data.etag);
        assert_eq!(up.bytes(), MIN_PART_SIZE + 10);
    }

    #[tokio::test]
    async fn refuses_bad_order_unknown_parts_wrong_etags_and_small_parts() {
        let mut up = Upload::new("k", ObjectMeta::default(), OffsetDateTime::UNIX_EPOCH);
        up.parts.insert(1, part(vec![1u8; 10]).await);
        up.parts.insert(2, part(vec![2u8; 10]).await);
        let e1 = up.parts[&1].etag();
        let e2 = up.parts[&2].etag();
        assert!(matches!(
            up.assemble(&[(2, e2.clone()), (1, e1.clone())]),
            Err(StorageError::InvalidPartOrder)
        ));
        assert!(matches!(
            up.assemble(&[(3, e1.clone())]),
            Err(StorageError::InvalidPart(_))
        ));
        assert!(matches!(
            up.assemble(&[(1, e2.clone())]),
            Err(StorageError::InvalidPart(_))
        ));
        assert!(matches!(
            up.assemble(&[(1, e1.clone()), (2, e2)]),
            Err(StorageError::EntityTooSmall)
        ));
        assert!(matches!(
            up.assemble(&[]),
            Err(StorageError::InvalidPart(_))
        ));
        // A single small part is fine: it is the last one.
        assert_eq!(up.assemble(&[(1, e1)]).expect("one part").size(), 10);
    }
}
