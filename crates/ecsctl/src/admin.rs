//! The admin views CloudStack lacks: buckets with their settings, usage in bytes, object
//! users, and secret-key rotation.

use std::time::Duration;

use anyhow::{Context, Result};
use ecs_common::ExposeSecret;
use ecs_driver::{BucketSummary, EcsObjectStore, StoreConfig};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use crate::details::Details;
use crate::output::{Output, table, yes_no};

mod empty;
mod usage;
mod users;

pub(crate) use empty::buckets_empty;
pub(crate) use usage::buckets_usage;
pub(crate) use users::users_list;

/// Opens the store the details describe (validates them; sends nothing yet).
pub(crate) fn open_store(details: &Details) -> Result<(StoreConfig, EcsObjectStore)> {
    let config = StoreConfig::from_details(details).context("invalid store details")?;
    let store = EcsObjectStore::new(config.clone()).context("cannot set up the ECS clients")?;
    Ok((config, store))
}

/// `ecsctl buckets list`.
pub(crate) async fn buckets_list(details: &Details) -> Result<Output> {
    let (config, store) = open_store(details)?;
    let spinner = spinner(format!(
        "listing the buckets of namespace {}",
        config.namespace()
    ));
    let buckets = store.list_buckets().await;
    spinner.finish_and_clear();
    store.close().await;
    let buckets = buckets.context("cannot list buckets")?;
    Ok(Output::ok(
        buckets_table(&buckets),
        json!({ "namespace": config.namespace(), "buckets": buckets_json(&buckets) }),
    ))
}

fn buckets_table(buckets: &[BucketSummary]) -> String {
    if buckets.is_empty() {
        return "no buckets\n".to_owned();
    }
    let rows: Vec<Vec<String>> = buckets
        .iter()
        .map(|bucket| {
            vec![
                bucket.name.clone(),
                bucket.owner.clone().unwrap_or_else(|| "-".into()),
                bucket
                    .quota_gib
                    .map_or_else(|| "-".into(), |gib| format!("{gib} GiB")),
                yes_no(bucket.encryption),
                yes_no(bucket.versioning),
                bucket.created.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    table(
        &[
            "NAME",
            "OWNER",
            "QUOTA",
            "ENCRYPTED",
            "VERSIONING",
            "CREATED",
        ],
        &rows,
    )
}

fn buckets_json(buckets: &[BucketSummary]) -> serde_json::Value {
    buckets
        .iter()
        .map(|bucket| {
            json!({
                "name": bucket.name,
                "owner": bucket.owner,
                "quota_gib": bucket.quota_gib,
                "encryption": bucket.encryption,
                "versioning": bucket.versioning,
                "created": bucket.created,
            })
        })
        .collect()
}

/// `ecsctl keys rotate ACCOUNT`.
pub(crate) async fn keys_rotate(
    details: &Details,
    account: &str,
    grace_minutes: u64,
) -> Result<Output> {
    let (_, store) = open_store(details)?;
    let grace = Duration::from_secs(grace_minutes.saturating_mul(60));
    let spinner = spinner(format!("rotating the secret key of account {account}"));
    let rotated = store.rotate_account_key(account, grace).await;
    spinner.finish_and_clear();
    store.close().await;
    let credentials =
        rotated.with_context(|| format!("cannot rotate the key of account {account}"))?;
    let secret = credentials.secret_key.expose_secret();
    let human = format!(
        "new key for account {account}\n  access key: {}\n  secret key: {secret}\n\
         the previous key stays valid for {grace_minutes} minutes; store the new one in the \
         account's details in CloudStack\n",
        credentials.user_id
    );
    let json = json!({
        "account": account,
        "access_key": credentials.user_id,
        "secret_key": secret,
        "old_key_valid_minutes": grace_minutes,
    });
    Ok(Output::ok(human, json))
}

/// A spinner on stderr for work of unknown length; hidden when stderr is not a terminal.
pub(crate) fn spinner(message: String) -> ProgressBar {
    let spinner = ProgressBar::new_spinner().with_message(message);
    spinner.enable_steady_tick(Duration::from_millis(120));
    spinner
}

/// A progress bar on stderr for `len` steps; hidden when stderr is not a terminal.
pub(crate) fn progress_bar(len: u64, message: String) -> ProgressBar {
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta})")
        .map(|style| style.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::new(len)
        .with_style(style)
        .with_message(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_table_shows_settings() {
        let buckets = vec![BucketSummary {
            name: "b1".into(),
            owner: Some("cs-x".into()),
            created: None,
            quota_gib: Some(5),
            encryption: true,
            versioning: false,
        }];
        let text = buckets_table(&buckets);
        assert!(
            text.lines()
                .nth(1)
                .unwrap()
                .starts_with("b1    cs-x   5 GiB  yes        no"),
            "{text}"
        );
        assert_eq!(buckets_json(&buckets)[0]["quota_gib"], 5);
    }
}
