//! Measures CloudStack's bucket-creation flow (createUser, createBucket with every option and
//! the four follow-up setters) against a local `ecs-sim`: requests and wall time per bucket.
//!
//! `cargo run -p ecs-driver --example create_flow [BUCKETS]`

use std::time::Instant;

use ecs_driver::{BucketSpec, EcsObjectStore, PolicySpec, StoreConfig};

#[tokio::main]
async fn main() -> ecs_driver::Result<()> {
    let buckets: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let sim = ecs_sim::Sim::builder().start().await?;
    let details = [
        ("mgmt_url", sim.mgmt_url()),
        ("sa_user", "root".to_owned()),
        ("sa_password", "ChangeMe".to_owned()),
        ("namespace", "ns1".to_owned()),
        ("s3_public_url", "https://s3.example.com".to_owned()),
        ("s3_private_url", sim.s3_url()),
        ("cors_origins", "https://cloud.example.com".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let store = EcsObjectStore::new(StoreConfig::from_details(&details)?)?;
    let account = "0e9c6e8a-1f0b-4c39-9c1b-2d5f3e4a5b6c";
    let stored = store.ensure_account_user(account, None).await?;
    sim.control().clear_request_log();

    let started = Instant::now();
    for n in 0..buckets {
        let credentials = store
            .ensure_account_user(account, Some(stored.clone()))
            .await?;
        let spec = BucketSpec {
            credentials: Some(credentials),
            quota_gib: Some(5),
            encryption: true,
            versioning: true,
            policy: Some(PolicySpec::Public),
            ..BucketSpec::new(format!("flow-{n:05}"), account)
        };
        store.create_bucket(&spec).await?;
        store.set_versioning(&spec.name, true).await?;
        store.set_encryption(&spec.name, true).await?;
        store.set_quota(&spec.name, 5).await?;
        store.set_policy(&spec.name, &PolicySpec::Public).await?;
    }
    let elapsed = started.elapsed();
    let requests = sim.control().request_log().len();
    println!(
        "{buckets} buckets: {:.2} requests/bucket, {:.2} ms/bucket ({:?} total)",
        requests as f64 / buckets as f64,
        elapsed.as_secs_f64() * 1000.0 / buckets as f64,
        elapsed
    );
    store.close().await;
    sim.shutdown().await;
    Ok(())
}
