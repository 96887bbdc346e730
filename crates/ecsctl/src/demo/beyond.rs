//! `ecsctl demo --beyond`: the steps of what no other CloudStack driver offers, run on the
//! demo's buckets before they are emptied: a per-bucket credential that reads its bucket and
//! cannot write another, its key rotated with a second key, the ownership tags read back, a
//! clean drift report against the rows CloudStack would hold, and the credential removed.

use anyhow::{Result, ensure};
use ecs_common::ErrorKind;
use ecs_driver::drift::{AccountRow, BucketRow, CloudStackRows, FixOptions};
use ecs_driver::{AccountCredentials, Body, EcsObjectStore};

use super::runner::{Runner, Told};

/// How many steps [`steps`] runs.
pub(crate) const STEPS: usize = 6;

/// Runs the steps; `buckets[0]` is public, `buckets[1]` private.
pub(crate) async fn steps(
    runner: &mut Runner,
    store: &EcsObjectStore,
    account: &str,
    buckets: &[String; 2],
) -> Result<()> {
    let private = &buckets[1];
    let credential = runner
        .step(
            "per-bucket credential: reads its bucket, cannot write another",
            credential(store, private, &buckets[0]),
        )
        .await?;
    runner
        .step(
            "rotate the credential's key: a second key, then the older revoked",
            rotate(store, private, &credential),
        )
        .await?;
    runner
        .step("ownership tags read back from ECS", tags(store, buckets))
        .await?;
    runner
        .step(
            "drift report against CloudStack's rows (clean)",
            drift(store, account, buckets),
        )
        .await?;
    runner
        .step(
            "remove the bucket credential (its policy grant and user)",
            remove(store, private),
        )
        .await?;
    runner
        .step(
            "a second domain in domain tenancy (its namespace created, its bucket invisible to the first domain's keys)",
            super::tenancy::second_domain(store, account),
        )
        .await?;
    Ok(())
}

async fn credential(
    store: &EcsObjectStore,
    bucket: &str,
    other: &str,
) -> Result<Told<AccountCredentials>> {
    let created = store.create_bucket_credential(bucket).await?;
    let browser = store.browser(&created.key)?;
    let listed = browser.list(bucket, None).await?;
    let refused = browser
        .upload(other, "not-yours.txt", Body::from(b"x".as_slice()))
        .await;
    ensure!(
        matches!(&refused, Err(err) if err.kind() == ErrorKind::Forbidden),
        "the credential could write bucket {other}: {refused:?}"
    );
    let lines = vec![
        format!(
            "credential {} lists {bucket} ({} entries)",
            created.credential_id,
            listed.len()
        ),
        format!("writing {other} with it: refused (FORBIDDEN)"),
    ];
    Ok(Told::new(created.key, lines))
}

async fn rotate(
    store: &EcsObjectStore,
    bucket: &str,
    first: &AccountCredentials,
) -> Result<Told<()>> {
    let second = store.create_bucket_credential_key(bucket).await?;
    store.browser(&second)?.list(bucket, None).await?;
    store
        .remove_bucket_credential_key(bucket, &first.user_id)
        .await?;
    let old = store.browser(first)?.list(bucket, None).await;
    ensure!(old.is_err(), "the revoked key still works");
    store.browser(&second)?.list(bucket, None).await?;
    Ok(Told::new(
        (),
        vec!["the second key works; the first, revoked, no longer does".to_owned()],
    ))
}

async fn tags(store: &EcsObjectStore, buckets: &[String; 2]) -> Result<Told<()>> {
    let mut lines = Vec::new();
    for bucket in buckets {
        let info = store
            .mgmt()
            .buckets()
            .info(bucket, store.config().namespace())
            .await?;
        let tags: Vec<String> = info
            .tags
            .iter()
            .map(|tag| format!("{}={}", tag.key, tag.value))
            .collect();
        ensure!(!tags.is_empty(), "bucket {bucket} carries no tags");
        lines.push(format!("{bucket}: {}", tags.join(", ")));
    }
    Ok(Told::new((), lines))
}

async fn drift(store: &EcsObjectStore, account: &str, buckets: &[String; 2]) -> Result<Told<()>> {
    let rows = CloudStackRows {
        accounts: vec![AccountRow {
            uuid: account.to_owned(),
            ..AccountRow::default()
        }],
        buckets: buckets
            .iter()
            .map(|name| BucketRow {
                name: name.clone(),
                account_uuid: account.to_owned(),
            })
            .collect(),
    };
    let report = store.drift(Some(&rows), FixOptions::default()).await?;
    let ours: Vec<_> = report
        .findings
        .iter()
        .filter(|finding| buckets.contains(&finding.subject) || finding.subject.ends_with(account))
        .collect();
    ensure!(
        ours.is_empty(),
        "drift in the demo's own resources: {ours:?}"
    );
    Ok(Told::new(
        (),
        vec![format!(
            "{} account user(s), {} credential(s), {} bucket(s) on ECS; none of the demo's drift",
            report.inventory.account_users.len(),
            report.inventory.credential_users.len(),
            report.inventory.buckets.len()
        )],
    ))
}

async fn remove(store: &EcsObjectStore, bucket: &str) -> Result<Told<()>> {
    store.delete_bucket_credential(bucket).await?;
    Ok(Told::new(
        (),
        vec![format!("credential of {bucket} removed")],
    ))
}
