//! `ecsctl buckets usage`: bytes and objects per bucket, with a progress bar over the batches.
//!
//! It shows the driver's metering (batch billing, 100 buckets per request, one by one when a
//! batch fails): the bytes CloudStack records, and the object counts too.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use ecs_driver::{BucketMetering as Usage, StoreConfig};
use serde_json::json;

use super::{open_store, spinner};
use crate::details::Details;
use crate::output::{Output, human_bytes, table};

/// `ecsctl buckets usage`.
pub(crate) async fn buckets_usage(details: &Details) -> Result<Output> {
    let (config, store) = open_store(details)?;
    let spinner = spinner(format!(
        "reading the usage of namespace {}",
        config.namespace()
    ));
    let usage = store.metering().await;
    spinner.finish_and_clear();
    store.close().await;
    let usage = usage.with_context(|| {
        format!(
            "cannot list the buckets of namespace {}",
            config.namespace()
        )
    })?;
    Ok(Output::ok(usage_table(&usage), usage_json(&config, &usage)))
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
