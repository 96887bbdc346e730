//! The seam between the management side and the S3 data side of the emulator.
//!
//! The management API asks this trait about bucket contents (billing, bucket info, refusing to
//! delete a non-empty bucket, `emptyBucket`); the S3 side implements it over its object storage.

use std::any::Any;
use std::fmt::Debug;

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

/// Bucket contents, keyed by (namespace, bucket name).
///
/// `Any` lets the S3 side recover its concrete storage from the `Arc<dyn BucketData>` the
/// management state holds, so both halves share one instance.
pub trait BucketData: Any + Send + Sync + Debug + 'static {
    /// Called after the management side created a bucket.
    fn bucket_created(&self, namespace: &str, bucket: &str);
    /// Called after the management side removed a bucket (its contents go with it).
    fn bucket_removed(&self, namespace: &str, bucket: &str);
    /// The current usage of a bucket; zero for an unknown bucket.
    fn usage(&self, namespace: &str, bucket: &str) -> BucketUsage;
    /// Removes every object, version, delete marker and upload; returns how many entries went.
    fn empty(&self, namespace: &str, bucket: &str) -> u64;
}
