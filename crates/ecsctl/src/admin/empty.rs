//! `ecsctl buckets empty BUCKET --yes`: deletes every object version and delete marker of a
//! bucket with its owner's keys, so that CloudStack can delete it (its UI cannot remove versions).

use anyhow::{Context, Result, bail};
use ecs_driver::{EcsObjectStore, StoreConfig, VersionEntry};
use futures::{StreamExt, TryStreamExt};
use serde_json::json;

use super::{open_store, progress_bar};
use crate::details::Details;
use crate::output::Output;

/// Deletions in flight at once.
const CONCURRENCY: usize = 8;

/// `ecsctl buckets empty BUCKET`.
pub(crate) async fn buckets_empty(
    details: &Details,
    bucket: &str,
    confirmed: bool,
) -> Result<Output> {
    if !confirmed {
        bail!(
            "emptying deletes every object and version of {bucket} for good: add --yes to go ahead"
        );
    }
    let (config, store) = open_store(details)?;
    let result = empty(&config, &store, bucket).await;
    store.close().await;
    let deleted = result?;
    let human =
        format!("{bucket}: deleted {deleted} object versions and delete markers; it is empty\n");
    Ok(Output::ok(
        human,
        json!({ "bucket": bucket, "deleted": deleted }),
    ))
}

async fn empty(config: &StoreConfig, store: &EcsObjectStore, bucket: &str) -> Result<usize> {
    let account = owner_account(config, store, bucket).await?;
    let credentials = store
        .ensure_account_user(&account, None)
        .await
        .with_context(|| {
            format!("cannot get the keys of the bucket's owner (account {account})")
        })?;
    let browser = store.browser(&credentials)?;
    let versions = browser
        .versions(bucket, None)
        .await
        .with_context(|| format!("cannot list {bucket}"))?;
    let bar = progress_bar(versions.len() as u64, format!("emptying {bucket}"));
    let deleted = futures::stream::iter(versions)
        .map(|version: VersionEntry| {
            let (browser, bar) = (&browser, &bar);
            async move {
                browser
                    .delete(bucket, &version.key, Some(&version.version_id))
                    .await
                    .with_context(|| {
                        format!(
                            "cannot delete {} (version {})",
                            version.key, version.version_id
                        )
                    })?;
                bar.inc(1);
                Ok::<_, anyhow::Error>(())
            }
        })
        .buffer_unordered(CONCURRENCY)
        .try_fold(0usize, |count, ()| async move { Ok(count + 1) })
        .await;
    bar.finish_and_clear();
    let deleted = deleted?;
    let left = browser.versions(bucket, None).await?;
    if !left.is_empty() {
        bail!(
            "{bucket} still holds {} versions (written while it was being emptied?)",
            left.len()
        );
    }
    Ok(deleted)
}

/// The CloudStack account owning `bucket`: its owner is `<user_prefix><account uuid>`.
async fn owner_account(
    config: &StoreConfig,
    store: &EcsObjectStore,
    bucket: &str,
) -> Result<String> {
    let buckets = store.list_buckets().await.context("cannot list buckets")?;
    let summary = buckets
        .iter()
        .find(|summary| summary.name == bucket)
        .with_context(|| format!("namespace {} has no bucket {bucket}", config.namespace()))?;
    let owner = summary
        .owner
        .as_deref()
        .with_context(|| format!("ECS reports no owner for {bucket}"))?;
    match owner.strip_prefix(config.user_prefix()) {
        Some(account) if config.user_id(account).is_ok() => Ok(account.to_owned()),
        _ => bail!(
            "{bucket} belongs to {owner}, not to a CloudStack account of this store: empty it with its owner's keys"
        ),
    }
}
