//! Scenarios 5, 8 and 9: the cost of usage, listing, creation and provisioning as the cloud
//! grows to 10,000 buckets and 1,000 accounts, and what the emulator itself sustains there.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use bytes::Bytes;
use ecs_driver::{BucketSpec, EcsObjectStore, PolicySpec};
use ecs_mgmt::BucketCreate;
use ecs_s3::{Body, EcsS3Client};
use futures::{StreamExt, TryStreamExt};

use crate::raw::Raw;
use crate::report::{Better, Row, Scenario};
use crate::{Bench, GROWTH_NAMESPACE};

/// The owner of the growth namespace's filler buckets.
const OWNER: &str = "grow-owner";
/// Requests in flight while filling and while measuring the emulator.
const FILL_TASKS: usize = 32;
const LOAD_TASKS: usize = 64;

/// Fills the growth namespace with buckets up to `count` (created straight through the
/// management API: filling is not what is measured).
async fn grow_to(bench: &Bench, count: usize) {
    let have = bench.grown.load(Ordering::SeqCst);
    if have >= count {
        return;
    }
    let client = bench.client();
    if have == 0 {
        client
            .object_users()
            .create(OWNER, GROWTH_NAMESPACE)
            .await
            .expect("owner");
    }
    futures::stream::iter(have..count)
        .map(|i| {
            let client = client.clone();
            async move {
                let create = BucketCreate {
                    owner: Some(OWNER.into()),
                    ..BucketCreate::new(format!("g-{i:05}"), GROWTH_NAMESPACE)
                };
                client.buckets().create(&create).await.map(|_| ())
            }
        })
        .buffer_unordered(FILL_TASKS)
        .try_for_each(|()| async { Ok(()) })
        .await
        .expect("fill the growth namespace");
    client.close().await;
    bench.grown.store(count, Ordering::SeqCst);
}

/// Object users in the growth namespace, up to `count`.
async fn users_to(bench: &Bench, have: usize, count: usize) {
    let client = bench.client();
    futures::stream::iter(have..count)
        .map(|i| {
            let client = client.clone();
            async move {
                client
                    .object_users()
                    .create(&format!("acct-{i:05}"), GROWTH_NAMESPACE)
                    .await
            }
        })
        .buffer_unordered(FILL_TASKS)
        .try_for_each(|()| async { Ok(()) })
        .await
        .expect("fill the users");
    client.close().await;
}

fn uuid_for(tag: &str, n: usize) -> String {
    // A fixed-form UUID per (tag, n): the driver derives the ECS user name from it.
    let tag_hash = tag
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    format!("{tag_hash:08x}-{:04x}-4c39-9c1b-{n:012x}", n % 0xffff)
}

/// One operation of scenario 8: its name, unit, and (size, cost per operation, requests) at
/// each size.
type Series = (String, &'static str, Vec<(usize, f64, u64)>);

/// How often scenario 8 repeats a single call (usage, listing) to take the median.
const REPEATS: usize = 5;

/// The run with the median time.
fn median<T>(mut runs: Vec<(f64, T)>) -> (f64, T) {
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    runs.swap_remove(runs.len() / 2)
}

/// Seconds one async call takes.
async fn timed<T>(future: impl Future<Output = T>) -> (f64, T) {
    let start = Instant::now();
    let value = future.await;
    (start.elapsed().as_secs_f64(), value)
}

/// Scenario 8.
pub(crate) async fn growth(bench: &Bench) -> Scenario {
    let sizes = &bench.sizes;
    let ops = sizes.growth_ops;
    let mut series: Vec<Series> = vec![
        (
            "hourly usage, per bucket".to_owned(),
            "us/bucket",
            Vec::new(),
        ),
        (
            "list buckets, per bucket".to_owned(),
            "us/bucket",
            Vec::new(),
        ),
        (
            "create flow, per bucket created".to_owned(),
            "ms/bucket",
            Vec::new(),
        ),
    ];
    for (level_index, &level) in sizes.growth_buckets.iter().enumerate() {
        grow_to(bench, level).await;
        let store = bench.store(GROWTH_NAMESPACE);
        store.list_buckets().await.expect("warm-up: login");
        bench.sim.clear_log().await;
        // One call each is at the mercy of the machine's load: the median of five.
        let mut runs = Vec::new();
        for _ in 0..REPEATS {
            runs.push(timed(store.usage()).await);
        }
        let requests = bench.sim.take_count().await / REPEATS as u64;
        let (seconds, usage) = median(runs);
        let usage = usage.expect("usage");
        series[0]
            .2
            .push((level, seconds * 1e6 / usage.len() as f64, requests));
        let mut runs = Vec::new();
        for _ in 0..REPEATS {
            runs.push(timed(store.list_buckets()).await);
        }
        let requests = bench.sim.take_count().await / REPEATS as u64;
        let (seconds, listed) = median(runs);
        let listed = listed.expect("list");
        series[1]
            .2
            .push((level, seconds * 1e6 / listed.len() as f64, requests));
        let account = uuid_for("flow", level);
        let credentials = store
            .ensure_account_user(&account, None)
            .await
            .expect("account user");
        bench.sim.clear_log().await;
        let (seconds, ()) = timed(async {
            for n in 0..ops {
                let spec = BucketSpec {
                    credentials: Some(credentials.clone()),
                    quota_gib: Some(5),
                    encryption: true,
                    versioning: true,
                    policy: Some(PolicySpec::Public),
                    ..BucketSpec::new(format!("f{level_index}-{n:04}"), &account)
                };
                store.create_bucket(&spec).await.expect("create");
            }
        })
        .await;
        let requests = bench.sim.take_count().await / ops as u64;
        series[2]
            .2
            .push((level, seconds * 1e3 / ops as f64, requests));
        store.close().await;
    }
    let mut accounts = Vec::new();
    let mut have = 0;
    for &level in &sizes.growth_accounts {
        users_to(bench, have, level).await;
        have = level;
        let store = bench.store(GROWTH_NAMESPACE);
        store.list_buckets().await.expect("warm-up: login");
        bench.sim.clear_log().await;
        let (seconds, ()) = timed(async {
            for n in 0..ops {
                store
                    .ensure_account_user(&uuid_for(&format!("acct{level}"), n), None)
                    .await
                    .expect("provision");
            }
        })
        .await;
        let requests = bench.sim.take_count().await / ops as u64;
        accounts.push((level, seconds * 1e3 / ops as f64, requests));
        store.close().await;
    }
    series.push((
        "account provisioning (user and key), per account".to_owned(),
        "ms/account",
        accounts,
    ));

    let mut rows = Vec::new();
    let mut worst: f64 = 1.0;
    for (operation, unit, points) in &series {
        let (first_level, first_cost, _) = points[0];
        for &(level, cost, requests) in points {
            let what = if unit == &"ms/account" {
                "accounts"
            } else {
                "buckets"
            };
            let row = Row::versus(
                format!("{operation}, at {level} {what}"),
                cost,
                first_cost,
                &format!("the same at {first_level} {what}"),
                unit,
                Better::Lower,
            )
            .requests(Some(requests), None)
            .note("requests: per call (usage, listing) or per bucket or account");
            worst = worst.min(row.ratio.unwrap_or(1.0));
            rows.push(row);
        }
    }
    let met = worst >= 0.5;
    let finding = format!(
        "the worst growth of a per-operation cost from the smallest to the largest cloud is {:.2}x",
        1.0 / worst
    );
    Scenario::new(
        8,
        "Growth: cost per operation at 100 / 1,000 / 10,000 buckets and 10 / 1,000 accounts",
        "growth",
        "flat per operation: at most 2x the smallest cloud's cost",
        rows,
        0,
    )
    .judged(Some(met), finding)
}

/// Scenario 5: the hourly usage of every bucket with 2 ms of latency on each request.
pub(crate) async fn hourly_usage(bench: &Bench) -> Scenario {
    let count = bench.sizes.usage_buckets;
    grow_to(bench, count).await;
    let store = bench.store(GROWTH_NAMESPACE);
    let names: Vec<String> = store
        .list_buckets()
        .await
        .expect("list")
        .into_iter()
        .map(|bucket| bucket.name)
        .collect();
    let client = bench.client();
    client.login().await.expect("login");
    bench.sim.add_latency("/object", 2).await;
    bench.sim.clear_log().await;

    let (batch_s, usage) = timed(store.usage()).await;
    let usage = usage.expect("usage");
    let batch_requests = bench.sim.take_count().await;
    let (sequential_s, ()) = timed(async {
        for name in &names {
            client
                .billing()
                .bucket_info(GROWTH_NAMESPACE, name)
                .await
                .expect("billing");
        }
    })
    .await;
    let sequential_requests = bench.sim.take_count().await;
    let (parallel_s, ()) = timed(async {
        futures::stream::iter(&names)
            .map(|name| {
                let client = client.clone();
                async move { client.billing().bucket_info(GROWTH_NAMESPACE, name).await }
            })
            .buffer_unordered(16)
            .try_for_each(|_| async { Ok(()) })
            .await
            .expect("billing");
    })
    .await;
    let parallel_requests = bench.sim.take_count().await;
    bench.sim.clear_faults().await;
    store.close().await;
    client.close().await;

    let n = usage.len();
    let rows = vec![
        Row::versus(
            format!("usage of {n} buckets: batch billing vs one request per bucket, sequential"),
            batch_s,
            sequential_s,
            "one request per bucket, sequential",
            "s",
            Better::Lower,
        )
        .requests(Some(batch_requests), Some(sequential_requests)),
        Row::versus(
            format!(
                "usage of {n} buckets: batch billing vs one request per bucket, 16 in parallel"
            ),
            batch_s,
            parallel_s,
            "one request per bucket, 16 in parallel",
            "s",
            Better::Lower,
        )
        .requests(Some(batch_requests), Some(parallel_requests)),
    ];
    let speedup = sequential_s / batch_s;
    let finding = format!(
        "batch billing reads {n} buckets in {batch_s:.2} s with {batch_requests} requests: {speedup:.0}x faster than one request per bucket in sequence, {:.1}x faster than 16 in parallel",
        parallel_s / batch_s
    );
    Scenario::new(
        5,
        "Hourly usage at scale, 2 ms injected latency per request",
        "scale",
        ">= 50x faster than one request per bucket in sequence",
        rows,
        0,
    )
    .judged(Some(speedup >= 50.0), finding)
}

/// Scenario 9: the emulator's throughput and memory with 10,000 buckets and 100,000 objects.
pub(crate) async fn emulator(bench: &Bench) -> Scenario {
    let sizes = &bench.sizes;
    let buckets = *sizes.growth_buckets.last().unwrap_or(&0);
    grow_to(bench, buckets).await;
    let store: EcsObjectStore = bench.store(GROWTH_NAMESPACE);
    let account = uuid_for("objects", 0);
    let credentials = store
        .ensure_account_user(&account, None)
        .await
        .expect("account user");
    const OBJECT_BUCKETS: usize = 10;
    for b in 0..OBJECT_BUCKETS {
        store
            .create_bucket(&BucketSpec {
                credentials: Some(credentials.clone()),
                ..BucketSpec::new(format!("o-{b:02}"), &account)
            })
            .await
            .expect("object bucket");
    }
    store.close().await;
    let s3 = EcsS3Client::builder()
        .endpoint(bench.sim.s3_url())
        .credentials(&credentials.user_id, credentials.secret_key.clone())
        .build()
        .expect("S3 client");
    let body = Bytes::from(vec![b'o'; 256]);
    let objects = sizes.emulator_objects;
    bench.sim.clear_log().await;
    let (put_s, ()) = timed(async {
        futures::stream::iter(0..objects)
            .map(|i| {
                let (s3, body) = (s3.clone(), body.clone());
                async move {
                    s3.put_object(
                        &format!("o-{:02}", i % OBJECT_BUCKETS),
                        &format!("obj/{i:06}"),
                        Body::Bytes(body),
                    )
                    .await
                }
            })
            .buffer_unordered(LOAD_TASKS)
            .try_for_each(|_| async { Ok(()) })
            .await
            .expect("puts");
    })
    .await;
    bench.sim.clear_log().await;
    let requests = sizes.emulator_requests;
    let (get_s, ()) = timed(async {
        futures::stream::iter(0..requests)
            .map(|i| {
                let s3 = s3.clone();
                async move {
                    let i = (i * 7919) % objects;
                    let mut download = s3
                        .get_object(
                            &format!("o-{:02}", i % OBJECT_BUCKETS),
                            &format!("obj/{i:06}"),
                            None,
                        )
                        .await?;
                    while let Some(chunk) = download.body.next().await {
                        chunk?;
                    }
                    Ok::<_, ecs_common::Error>(())
                }
            })
            .buffer_unordered(LOAD_TASKS)
            .try_for_each(|()| async { Ok(()) })
            .await
            .expect("gets");
    })
    .await;
    bench.sim.clear_log().await;
    let raw = Arc::new(Raw::login(&bench.sim.mgmt_url()).await);
    let (info_s, failures) = timed(async {
        futures::stream::iter(0..requests)
            .map(|i| {
                let raw = raw.clone();
                async move {
                    let path = format!(
                        "/object/bucket/g-{:05}/info?namespace={GROWTH_NAMESPACE}",
                        (i * 7919) % buckets
                    );
                    usize::from(!raw.send("GET", &path, None).await)
                }
            })
            .buffer_unordered(LOAD_TASKS)
            .fold(0, |sum, failed| async move { sum + failed })
            .await
    })
    .await;
    bench.sim.clear_log().await;
    assert_eq!(failures, 0, "every bucket-info request succeeded");
    let (peak_kib, rss_kib) = bench.sim.memory_kib();
    let mib = |kib: u64| kib as f64 / 1024.0;
    let rows = vec![
        Row::ours(
            format!("S3 PUT of {objects} objects of 256 B, {LOAD_TASKS} in flight"),
            objects as f64 / put_s,
            "requests/s",
            Better::Higher,
        ),
        Row::ours(
            format!("S3 GET of those objects, {requests} requests, {LOAD_TASKS} in flight"),
            requests as f64 / get_s,
            "requests/s",
            Better::Higher,
        ),
        Row::ours(
            format!("management bucket info over {buckets} buckets, {requests} requests, {LOAD_TASKS} in flight"),
            requests as f64 / info_s,
            "requests/s",
            Better::Higher,
        ),
        Row::ours(
            "emulator memory now (VmRSS)",
            mib(rss_kib),
            "MiB",
            Better::Lower,
        ),
        Row::ours(
            "emulator peak memory over the whole run (VmHWM)",
            mib(peak_kib),
            "MiB",
            Better::Lower,
        )
        .note("the peak includes every earlier scenario (the 1 GiB transfers among them); object data lives on disk (--data-dir)"),
    ];
    let finding = format!(
        "with {} buckets and {objects} objects the emulator answers {:.0} S3 GETs/s and {:.0} management reads/s on this machine, holding {:.0} MiB",
        bench.grown.load(Ordering::SeqCst) + OBJECT_BUCKETS,
        requests as f64 / get_s,
        requests as f64 / info_s,
        mib(rss_kib)
    );
    Scenario::new(
        9,
        "The emulator itself: throughput and memory at 10,000 buckets and 100,000 objects",
        "scale",
        "none (informs)",
        rows,
        2,
    )
    .judged(None, finding)
}
