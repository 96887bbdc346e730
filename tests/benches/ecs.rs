//! `cargo xtask bench`: measures what the house rules promise about speed, against `ecs-sim`
//! on loopback, and prints one table.
//!
//! Every scenario reports wall time and, from the emulator's request log, how many requests
//! reached ECS: the numbers that matter on a real system, where a round trip costs far more
//! than on loopback. Results are printed, never asserted: tests assert request counts, this
//! shows the cost.

use std::time::{Duration, Instant};

use ecs_common::SecretString;
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
    ];
    for row in &rows {
        row.print();
    }
    sim.shutdown().await;
}
