//! What a bucket holds, as the management side (billing, bucket info, refusing to delete a
//! non-empty bucket, `emptyBucket`) sees it; [`crate::storage::Storage`] counts it.

/// What a bucket holds, as billing and deletion see it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BucketUsage {
    /// Bytes of all object versions, including non-current ones and in-progress multipart parts.
    pub bytes: u64,
    /// Current objects (not counting delete markers or non-current versions).
    pub objects: u64,
    /// Non-current versions plus delete markers.
    pub versions: u64,
    /// Multipart uploads in progress.
    pub uploads: u64,
}

impl BucketUsage {
    /// Whether nothing at all remains: no objects, versions, delete markers or uploads.
    pub fn is_empty(&self) -> bool {
        self.objects == 0 && self.versions == 0 && self.uploads == 0
    }
}
