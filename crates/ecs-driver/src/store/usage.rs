//! Metering for CloudStack's hourly usage task: bytes by bucket name for the whole namespace.

use std::collections::BTreeMap;

use ecs_common::Result;
use futures::TryStreamExt;

use super::EcsObjectStore;

/// Buckets asked about per batch billing request.
const BILLING_BATCH: usize = 100;

impl EcsObjectStore {
    /// Bytes used by each bucket of the namespace, by bucket name.
    ///
    /// Lists the buckets (all pages), then asks batch billing for up to 100 buckets per
    /// request. A batch that fails is retried bucket by bucket, and a bucket that still fails
    /// is logged and left out (CloudStack keeps its previous size), so one bad bucket never
    /// fails the call. Only a failure to list the buckets at all is an error.
    pub async fn usage(&self) -> Result<BTreeMap<String, u64>> {
        self.ensure_open()?;
        let names: Vec<String> = self
            .mgmt()
            .buckets()
            .list(self.namespace())
            .map_ok(|bucket| bucket.name)
            .try_collect()
            .await?;
        let mut usage = BTreeMap::new();
        for batch in names.chunks(BILLING_BATCH) {
            match self
                .mgmt()
                .billing()
                .buckets_info(self.namespace(), batch)
                .await
            {
                Ok(billing) => {
                    usage.extend(billing.into_iter().map(|b| (b.name, b.total_size_bytes)));
                }
                Err(err) => {
                    tracing::warn!(error = %err, buckets = batch.len(), "batch billing failed; asking bucket by bucket");
                    self.usage_one_by_one(batch, &mut usage).await;
                }
            }
        }
        Ok(usage)
    }

    async fn usage_one_by_one(&self, names: &[String], usage: &mut BTreeMap<String, u64>) {
        for name in names {
            match self
                .mgmt()
                .billing()
                .bucket_info(self.namespace(), name)
                .await
            {
                Ok(billing) => {
                    usage.insert(billing.name, billing.total_size_bytes);
                }
                Err(err) => tracing::warn!(bucket = %name, error = %err, "no usage for bucket"),
            }
        }
    }
}
