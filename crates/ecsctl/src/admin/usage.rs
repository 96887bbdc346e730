//! `ecsctl buckets usage`: bytes and objects per bucket, with a progress bar over the batches.
//!
//! It asks ECS what the driver's `usage()` asks (batch billing, 100 buckets per request, one
//! by one when a batch fails), and also shows the object counts the driver does not return.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use ecs_driver::StoreConfig;
use ecs_mgmt::{BucketBilling, EcsMgmtClient};
use futures::TryStreamExt;
use serde_json::json;

use super::progress_bar;
use super::users::mgmt_client;
use crate::details::Details;
use crate::output::{Output, human_bytes, table};

/// Buckets per billing request, as the driver asks.
const BATCH: usize = 100;

/// One bucket's usage; `None` when ECS would not say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Usage {
    bytes: u64,
    objects: u64,
}

/// `ecsctl buckets usage`.
pub(crate) async fn buckets_usage(details: &Details) -> Result<Output> {
    let config = StoreConfig::from_details(details).context("invalid store details")?;
    let client = mgmt_client(&config)?;
    let usage = read_usage(&client, &config).await;
    client.close().await;
    let usage = usage?;
    Ok(Output::ok(usage_table(&usage), usage_json(&config, &usage)))
}

async fn read_usage(
    client: &EcsMgmtClient,
    config: &StoreConfig,
) -> Result<BTreeMap<String, Option<Usage>>> {
    let names: Vec<String> = client
        .buckets()
        .list(config.namespace())
        .map_ok(|bucket| bucket.name)
        .try_collect()
        .await
        .with_context(|| {
            format!(
                "cannot list the buckets of namespace {}",
                config.namespace()
            )
        })?;
    let bar = progress_bar(names.len() as u64, "reading usage".to_owned());
    let mut usage: BTreeMap<String, Option<Usage>> =
        names.iter().map(|name| (name.clone(), None)).collect();
    for batch in names.chunks(BATCH) {
        match client
            .billing()
            .buckets_info(config.namespace(), batch)
            .await
        {
            Ok(billing) => record(&mut usage, billing),
            Err(err) => {
                tracing::warn!(error = %err, "batch billing failed; asking bucket by bucket");
                for name in batch {
                    match client.billing().bucket_info(config.namespace(), name).await {
                        Ok(billing) => record(&mut usage, vec![billing]),
                        Err(err) => {
                            tracing::warn!(bucket = %name, error = %err, "no usage for bucket")
                        }
                    }
                }
            }
        }
        bar.inc(batch.len() as u64);
    }
    bar.finish_and_clear();
    Ok(usage)
}

fn record(usage: &mut BTreeMap<String, Option<Usage>>, billing: Vec<BucketBilling>) {
    for bucket in billing {
        let entry = Usage {
            bytes: bucket.total_size_bytes,
            objects: bucket.total_objects,
        };
        usage.insert(bucket.name, Some(entry));
    }
}

fn usage_table(usage: &BTreeMap<String, Option<Usage>>) -> String {
    if usage.is_empty() {
        return "no buckets\n".to_owned();
    }
    let rows: Vec<Vec<String>> = usage
        .iter()
        .map(|(name, usage)| match usage {
            Some(usage) => vec![
                name.clone(),
                usage.bytes.to_string(),
                human_bytes(usage.bytes),
                usage.objects.to_string(),
            ],
            None => vec![name.clone(), "?".into(), "unknown".into(), "?".into()],
        })
        .collect();
    let known: Vec<&Usage> = usage.values().flatten().collect();
    let total: u64 = known.iter().map(|usage| usage.bytes).sum();
    let objects: u64 = known.iter().map(|usage| usage.objects).sum();
    let mut text = table(&["BUCKET", "BYTES", "SIZE", "OBJECTS"], &rows);
    text.push_str(&format!(
        "total: {total} bytes ({}), {objects} objects in {} buckets\n",
        human_bytes(total),
        usage.len()
    ));
    let unknown = usage.len() - known.len();
    if unknown > 0 {
        text.push_str(&format!(
            "{unknown} buckets without usage: ECS did not answer for them (see the log with -v)\n"
        ));
    }
    text
}

fn usage_json(config: &StoreConfig, usage: &BTreeMap<String, Option<Usage>>) -> serde_json::Value {
    let bytes: BTreeMap<&str, Option<u64>> = usage
        .iter()
        .map(|(name, usage)| (name.as_str(), usage.map(|usage| usage.bytes)))
        .collect();
    let objects: BTreeMap<&str, Option<u64>> = usage
        .iter()
        .map(|(name, usage)| (name.as_str(), usage.map(|usage| usage.objects)))
        .collect();
    let total: u64 = usage.values().flatten().map(|usage| usage.bytes).sum();
    json!({ "namespace": config.namespace(), "buckets": bytes, "objects": objects, "total_bytes": total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_totals_known_buckets_and_flags_unknown_ones() {
        let usage: BTreeMap<String, Option<Usage>> = [
            (
                "a".to_owned(),
                Some(Usage {
                    bytes: 2048,
                    objects: 2,
                }),
            ),
            ("b".to_owned(), None),
        ]
        .into_iter()
        .collect();
        let text = usage_table(&usage);
        assert!(text.contains("a       2048   2.0 KiB  2"), "{text}");
        assert!(
            text.contains("total: 2048 bytes (2.0 KiB), 2 objects in 2 buckets"),
            "{text}"
        );
        assert!(text.contains("1 buckets without usage"), "{text}");
    }
}
