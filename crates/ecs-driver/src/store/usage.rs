//! Metering for CloudStack's hourly usage task: bytes by bucket name for the whole namespace.

use std::collections::BTreeMap;

use ecs_common::Result;
use futures::TryStreamExt;

use super::EcsObjectStore;

/// Buckets asked about per batch billing request.
const BILLING_BATCH: usize = 100;

/// What ECS metering reports for one bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BucketMetering {
    /// Bytes stored, all versions included.
    pub bytes: u64,
    /// Objects stored.
    pub objects: u64,
}

impl EcsObjectStore {
    /// Bytes used by each bucket of the namespace, by bucket name.
    ///
    /// The buckets ECS would not report on are left out (CloudStack keeps their previous
    /// size); see [`metering`](Self::metering).
    pub async fn usage(&self) -> Result<BTreeMap<String, u64>> {
        Ok(self
            .metering()
            .await?
            .into_iter()
            .filter_map(|(name, metering)| metering.map(|metering| (name, metering.bytes)))
            .collect())
    }

    /// Bytes and objects of each bucket of the namespace, by bucket name; `None` for a
    /// bucket ECS would not report on.
    ///
    /// Lists the buckets (all pages), then asks batch billing for up to 100 buckets per
    /// request. A batch that fails is retried bucket by bucket, and a bucket that still fails
    /// is logged and reported as `None`, so one bad bucket never fails the call. Only a
    /// failure to list the buckets at all is an error.
    ///
    /// In `domain` tenancy without a domain this covers every domain namespace (listed first).
    pub async fn metering(&self) -> Result<BTreeMap<String, Option<BucketMetering>>> {
        self.ensure_open()?;
        let mut metering = BTreeMap::new();
        for (namespace, _) in self.namespaces_in_view().await? {
            self.namespace_metering(&namespace, &mut metering).await?;
        }
        Ok(metering)
    }

    async fn namespace_metering(
        &self,
        namespace: &str,
        metering: &mut BTreeMap<String, Option<BucketMetering>>,
    ) -> Result<()> {
        let names: Vec<String> = self
            .mgmt()
            .buckets()
            .list(namespace)
            .map_ok(|bucket| bucket.name)
            .try_collect()
            .await?;
        metering.extend(names.iter().map(|name| (name.clone(), None)));
        for batch in names.chunks(BILLING_BATCH) {
            match self.mgmt().billing().buckets_info(namespace, batch).await {
                Ok(billing) => metering.extend(billing.into_iter().map(|b| {
                    let entry = BucketMetering {
                        bytes: b.total_size_bytes,
                        objects: b.total_objects,
                    };
                    (b.name, Some(entry))
                })),
                Err(err) => {
                    tracing::warn!(error = %err, buckets = batch.len(), "batch billing failed; asking bucket by bucket");
                    self.metering_one_by_one(namespace, batch, metering).await;
                }
            }
        }
        Ok(())
    }

    async fn metering_one_by_one(
        &self,
        namespace: &str,
        names: &[String],
        metering: &mut BTreeMap<String, Option<BucketMetering>>,
    ) {
        for name in names {
            match self.mgmt().billing().bucket_info(namespace, name).await {
                Ok(billing) => {
                    let entry = BucketMetering {
                        bytes: billing.total_size_bytes,
                        objects: billing.total_objects,
                    };
                    metering.insert(billing.name, Some(entry));
                }
                Err(err) => tracing::warn!(bucket = %name, error = %err, "no usage for bucket"),
            }
        }
    }
}
