//! `cargo xtask bench`: measures what the house rules promise about speed, against `ecs-sim`
//! on loopback, and prints one table.
//!
//! Every scenario reports wall time and, from the emulator's request log, how many requests
//! reached ECS: the numbers that matter on a real system, where a round trip costs far more
//! than on loopback. Results are printed, never asserted: tests assert request counts, this
//! shows the cost.

use std::time::{Duration, Instant};

use ecs_common::SecretString;
use ecs_driver::{BucketSpec, EcsObjectStore, PolicySpec, StoreConfig};
use ecs_mgmt::{BucketCreate, EcsMgmtClient};
use ecs_sim::{Api, Sim};
use futures::StreamExt;

const NAMESPACE: &str = "ns1";
const TASKS: usize = 64;

/// One measured scenario.
struct Row {
    name: String,
    operations: usize,
    elapsed: Duration,
    requests: usize,
    logins: usize,
}

impl Row {
    fn print(&self) {
        let per_op = self.elapsed.as_secs_f64() * 1e6 / self.operations as f64;
        let rate = self.operations as f64 / self.elapsed.as_secs_f64();
        println!(
            "{:<58} {:>7} {:>10.1} {:>10.0} {:>9} {:>7} {:>8.2}",
            self.name,
            self.operations,
            per_op,
            rate,
            self.requests,
            self.logins,
            self.requests as f64 / self.operations as f64,
        );
    }
}

fn mgmt_requests(sim: &Sim) -> (usize, usize) {
    let log = sim.control().request_log();
    let mgmt: Vec<_> = log.iter().filter(|r| r.api == Api::Mgmt).collect();
    let logins = mgmt.iter().filter(|r| r.path.starts_with("/login")).count();
    (mgmt.len(), logins)
}

fn client(sim: &Sim) -> EcsMgmtClient {
    EcsMgmtClient::builder()
        .endpoint(&sim.mgmt_url())
        .expect("emulator URL is valid")
        .credentials("root", SecretString::from("ChangeMe"))
        .build()
        .expect("client builds")
}

async fn seed_buckets(sim: &Sim, count: usize) {
    let client = client(sim);
    client
        .object_users()
        .create("bench-owner", NAMESPACE)
        .await
        .expect("owner user");
    futures::stream::iter(0..count)
        .for_each_concurrent(16, |i| {
            let client = client.clone();
            async move {
                let bucket = BucketCreate {
                    owner: Some("bench-owner".into()),
                    ..BucketCreate::new(format!("bench-{i:04}"), NAMESPACE)
                };
                client.buckets().create(&bucket).await.expect("bucket");
            }
        })
        .await;
    for i in 0..count {
        sim.control().set_bucket_usage(
            NAMESPACE,
            &format!("bench-{i:04}"),
            (i as u64 + 1) * 1024,
            1,
        );
    }
    client.close().await;
}

/// Many concurrent reads through one client: one login, pooled connections.
async fn shared_client_reads(sim: &Sim, calls: usize) -> Row {
    let client = client(sim);
    sim.control().clear_request_log();
    let start = Instant::now();
    futures::stream::iter(0..calls)
        .for_each_concurrent(TASKS, |i| {
            let client = client.clone();
            async move {
                let name = format!("bench-{:04}", i % 16);
                client.buckets().info(&name, NAMESPACE).await.expect("info");
            }
        })
        .await;
    let elapsed = start.elapsed();
    let (requests, logins) = mgmt_requests(sim);
    client.close().await;
    Row {
        name: format!("mgmt: bucket info x{calls}, {TASKS} tasks, one client"),
        operations: calls,
        elapsed,
        requests,
        logins,
    }
}

/// The upstream plug-in's pattern: log in for every call and never log out. It stops working
/// at ECS's 100-token cap, so it is measured below that.
async fn login_per_call_reads(sim: &Sim, calls: usize) -> Row {
    sim.control().clear_request_log();
    let start = Instant::now();
    for i in 0..calls {
        let client = client(sim);
        let name = format!("bench-{:04}", i % 16);
        client.buckets().info(&name, NAMESPACE).await.expect("info");
        // Upstream never logs out; forgetting the client leaves its token live.
        std::mem::forget(client);
    }
    let elapsed = start.elapsed();
    let (requests, logins) = mgmt_requests(sim);
    Row {
        name: format!("mgmt: bucket info x{calls}, login per call (upstream style)"),
        operations: calls,
        elapsed,
        requests,
        logins,
    }
}

/// Usage of every bucket of a namespace through batch billing.
async fn batch_usage(sim: &Sim, buckets: usize) -> Row {
    let client = client(sim);
    client.login().await.expect("login");
    sim.control().clear_request_log();
    let names: Vec<String> = (0..buckets).map(|i| format!("bench-{i:04}")).collect();
    let start = Instant::now();
    let infos = client
        .billing()
        .buckets_info(NAMESPACE, &names)
        .await
        .expect("batch billing");
    let elapsed = start.elapsed();
    assert_eq!(infos.len(), buckets, "batch billing answers every bucket");
    let (requests, logins) = mgmt_requests(sim);
    client.close().await;
    Row {
        name: format!("mgmt: usage of {buckets} buckets, batch billing"),
        operations: buckets,
        elapsed,
        requests,
        logins,
    }
}

/// The same usage, one billing request per bucket.
async fn per_bucket_usage(sim: &Sim, buckets: usize) -> Row {
    let client = client(sim);
    client.login().await.expect("login");
    sim.control().clear_request_log();
    let start = Instant::now();
    for i in 0..buckets {
        client
            .billing()
            .bucket_info(NAMESPACE, &format!("bench-{i:04}"))
            .await
            .expect("bucket billing");
    }
    let elapsed = start.elapsed();
    let (requests, logins) = mgmt_requests(sim);
    client.close().await;
    Row {
        name: format!("mgmt: usage of {buckets} buckets, one request per bucket"),
        operations: buckets,
        elapsed,
        requests,
        logins,
    }
}

fn store(sim: &Sim) -> EcsObjectStore {
    let details = [
        ("mgmt_url", sim.mgmt_url()),
        ("sa_user", "root".to_owned()),
        ("sa_password", "ChangeMe".to_owned()),
        ("namespace", NAMESPACE.to_owned()),
        ("s3_public_url", "https://s3.example.com".to_owned()),
        ("s3_private_url", sim.s3_url()),
        ("cors_origins", "https://cloud.example.com".to_owned()),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_owned(), value))
    .collect();
    let config = StoreConfig::from_details(&details).expect("valid details");
    EcsObjectStore::new(config).expect("store builds")
}

/// CloudStack's whole creation flow for a provisioned account, as BucketApiServiceImpl runs
/// it: createUser (stored keys), createBucket with quota, encryption, versioning, public policy
/// and CORS, then the follow-up setters.
async fn driver_create_flow(sim: &Sim, buckets: usize) -> Row {
    let store = store(sim);
    let account = "0e9c6e8a-1f0b-4c39-9c1b-2d5f3e4a5b6c";
    let stored = store
        .ensure_account_user(account, None)
        .await
        .expect("account user");
    sim.control().clear_request_log();
    let start = Instant::now();
    for n in 0..buckets {
        let credentials = store
            .ensure_account_user(account, Some(stored.clone()))
            .await
            .expect("stored keys reused");
        let spec = BucketSpec {
            credentials: Some(credentials),
            quota_gib: Some(5),
            encryption: true,
            versioning: true,
            policy: Some(PolicySpec::Public),
            ..BucketSpec::new(format!("flow-{n:05}"), account)
        };
        store.create_bucket(&spec).await.expect("create");
        store
            .set_versioning(&spec.name, true)
            .await
            .expect("versioning");
        store
            .set_encryption(&spec.name, true)
            .await
            .expect("encryption");
        store.set_quota(&spec.name, 5).await.expect("quota");
        store
            .set_policy(&spec.name, &PolicySpec::Public)
            .await
            .expect("policy");
    }
    let elapsed = start.elapsed();
    let all = sim.control().request_log().len();
    let (_, logins) = mgmt_requests(sim);
    store.close().await;
    Row {
        name: format!("driver: CloudStack create flow x{buckets} (mgmt + S3)"),
        operations: buckets,
        elapsed,
        requests: all,
        logins,
    }
}

/// The hourly usage task over every bucket of the namespace.
async fn driver_usage(sim: &Sim) -> Row {
    let store = store(sim);
    store.list_buckets().await.expect("warm-up: login");
    sim.control().clear_request_log();
    let start = Instant::now();
    let usage = store.usage().await.expect("usage");
    let elapsed = start.elapsed();
    let (requests, logins) = mgmt_requests(sim);
    store.close().await;
    Row {
        name: format!("driver: hourly usage of {} buckets", usage.len()),
        operations: usage.len(),
        elapsed,
        requests,
        logins,
    }
}

#[tokio::main]
async fn main() {
    // `cargo bench` passes `--bench`; a filter argument is accepted and ignored.
    let sim = Sim::builder().start().await.expect("emulator starts");
    seed_buckets(&sim, 200).await;

    println!(
        "{:<58} {:>7} {:>10} {:>10} {:>9} {:>7} {:>8}",
        "scenario", "ops", "us/op", "ops/s", "requests", "logins", "req/op"
    );
    let rows = vec![
        shared_client_reads(&sim, 10_000).await,
        login_per_call_reads(&sim, 90).await,
        batch_usage(&sim, 200).await,
        per_bucket_usage(&sim, 200).await,
        driver_create_flow(&sim, 100).await,
        driver_usage(&sim).await,
    ];
    for row in &rows {
        row.print();
    }
    sim.shutdown().await;
}
