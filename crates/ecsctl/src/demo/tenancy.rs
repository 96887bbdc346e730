//! `ecsctl demo --beyond`'s tenancy step: a second store on the same ECS in `tenancy=domain`
//! (its own user prefix), a CloudStack domain whose namespace the driver creates, a bucket in
//! it that the first domain's keys cannot see or read, and everything removed again.

use std::collections::HashMap;

use anyhow::{Result, ensure};
use ecs_common::ErrorKind;
use ecs_driver::tenancy::Tenancy;
use ecs_driver::{AccountCredentials, BucketSpec, EcsObjectStore};

use super::runner::Told;

/// The user prefix of the demo's domain-tenancy store, apart from the first store's users.
const PREFIX: &str = "cs-demo-domain-";

/// The step: `account` is the first domain's account (the demo's, in the first store).
pub(crate) async fn second_domain(store: &EcsObjectStore, account: &str) -> Result<Told<()>> {
    let first = store.ensure_account_user(account, None).await?;
    let domain_mode = Tenancy::from_details(&HashMap::from([(
        "tenancy".to_owned(),
        "domain".to_owned(),
    )]))?;
    let config = store.config().clone().with_tenancy(domain_mode, PREFIX)?;
    let tenants = EcsObjectStore::new(config)?;
    let outcome = run(&tenants, &first).await;
    tenants.close().await;
    outcome
}

async fn run(tenants: &EcsObjectStore, first: &AccountCredentials) -> Result<Told<()>> {
    let domain = uuid::Uuid::new_v4().to_string();
    let account = uuid::Uuid::new_v4().to_string();
    let bucket = format!("demo-domain-{}", &domain[..8]);
    let second = tenants.for_domain(&domain)?;
    let created = second
        .create_bucket(&BucketSpec::new(bucket.as_str(), account.as_str()))
        .await?;
    let namespace = format!("cs-{domain}");
    let seen = tenants.mgmt().namespaces().info(&namespace).await?;
    let own = second
        .browser(&created.credentials)?
        .list(&bucket, None)
        .await;
    let unseen = tenants.browser(first)?.list(&bucket, None).await;
    let refused = second.browser(first)?.list(&bucket, None).await;
    second.delete_bucket(&bucket).await?;
    second.delete_account_user(&account).await?;
    tenants.mgmt().namespaces().delete(&namespace).await?;
    own?;
    ensure!(
        matches!(&unseen, Err(err) if err.kind() == ErrorKind::NotFound),
        "the first domain's keys saw bucket {bucket}: {unseen:?}"
    );
    ensure!(
        matches!(&refused, Err(err) if err.kind() == ErrorKind::Forbidden),
        "the first domain's keys read bucket {bucket} in its namespace: {refused:?}"
    );
    Ok(Told::new(
        (),
        vec![
            format!("namespace {} created for domain {domain}", seen.name),
            format!("bucket {bucket} in it, owned by {}", created.credentials.user_id),
            "the first domain's keys: bucket not found in their namespace; refused (FORBIDDEN) in the second's".to_owned(),
            "bucket, user and namespace removed".to_owned(),
        ],
    ))
}
