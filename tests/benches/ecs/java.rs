//! Scenarios 4 and 6: the Java plug-in's side, run by `BenchMain` (java-bindings/ecs-demo) in
//! its own JVM with the release JNI library, against the same emulator.

use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;
use serde::Deserialize;

use crate::mgmt::run_json;
use crate::raw::{Raw, bodies_like, common_sequence, sequences};
use crate::report::{Better, Row, Scenario};
use crate::{Bench, JAVA_NAMESPACE};

const JAVA_MAIN: &str = "io.ecscloudstack.demo.BenchMain";

fn java(bench: &Bench, mode: &str) -> Command {
    let classpath = bench
        .java_cp
        .as_ref()
        .expect("ECS_BENCH_JAVA_CP: the plug-in's classpath");
    let jni = bench.jni.as_ref().expect("ECS_BENCH_JNI: libecs_jni.so");
    let mut command = Command::new("java");
    command
        .arg(format!("-Decs.native.path={}", jni.display()))
        .arg("-Xmx512m")
        .args(["-cp", classpath, JAVA_MAIN, "--mode", mode])
        .args([
            "--mgmt-url",
            &bench.sim.mgmt_url(),
            "--s3-url",
            &bench.sim.s3_url(),
        ])
        .args(["--namespace", JAVA_NAMESPACE]);
    command
}

#[derive(Deserialize)]
struct JniResult {
    noop_ns: f64,
    usage_us: f64,
}

/// Scenario 4.
pub(crate) async fn jni_cost(bench: &Bench) -> Scenario {
    let sizes = &bench.sizes;
    // A few buckets, so the usage call has something to report.
    let client = bench.client();
    client
        .object_users()
        .create("jni-owner", JAVA_NAMESPACE)
        .await
        .expect("owner");
    for i in 0..5 {
        let create = ecs_mgmt::BucketCreate {
            owner: Some("jni-owner".into()),
            ..ecs_mgmt::BucketCreate::new(format!("jni-{i}"), JAVA_NAMESPACE)
        };
        client.buckets().create(&create).await.expect("bucket");
    }
    client.close().await;

    let result: JniResult = run_json(
        java(bench, "jni")
            .args(["--calls", &sizes.jni_calls.to_string()])
            .args(["--driver-calls", &sizes.jni_driver_calls.to_string()]),
    );
    let java_requests = bench.sim.take_count().await;

    let store = bench.store(JAVA_NAMESPACE);
    for _ in 0..20 {
        store.usage().await.expect("warm-up usage");
    }
    bench.sim.clear_log().await;
    let start = Instant::now();
    for _ in 0..sizes.jni_driver_calls {
        store.usage().await.expect("usage");
    }
    let rust_us = start.elapsed().as_secs_f64() * 1e6 / sizes.jni_driver_calls as f64;
    let rust_requests = bench.sim.take_count().await;
    store.close().await;

    let rows = vec![
        Row::ours(
            format!(
                "one call from Java into Rust and back (EcsObjectStore.nativeVersion, x{})",
                sizes.jni_calls
            ),
            result.noop_ns,
            "ns/call",
            Better::Lower,
        )
        .note("returns a short Java string, so it is an upper bound of a true no-op"),
        Row::versus(
            format!(
                "hourly usage task: harness -> plug-in -> JNI -> driver vs the driver in Rust, x{}",
                sizes.jni_driver_calls
            ),
            result.usage_us,
            rust_us,
            "the same call in Rust",
            "us/call",
            Better::Lower,
        )
        .requests(Some(java_requests), Some(rust_requests))
        .note("the 'ours' column is the Java path here; a ratio below 1 is what Java, JNI and the harness add"),
    ];
    let finding = format!(
        "a JNI round trip costs {:.0} ns; the usage task through the plug-in takes {:.0} us against {:.0} us in Rust ({:+.0} us)",
        result.noop_ns,
        result.usage_us,
        rust_us,
        result.usage_us - rust_us
    );
    Scenario::new(
        4,
        "JNI: one call into Rust and back, and a driver call through the plug-in",
        "jni",
        "a no-op call < 2 us",
        rows,
        0,
    )
    .judged(Some(result.noop_ns < 2000.0), finding)
}

#[derive(Deserialize)]
struct CreateResult {
    created: u64,
    errors: u64,
    elapsed_s: f64,
}

/// Scenario 6.
pub(crate) async fn many_callers(bench: &Bench) -> Scenario {
    let sizes = &bench.sizes;
    let threads = sizes.java_threads;
    let result: CreateResult = run_json(
        java(bench, "create")
            .args(["--threads", &threads.to_string()])
            .args(["--buckets", &sizes.java_buckets.to_string()]),
    );
    let log = bench.sim.log().await;
    bench.sim.clear_log().await;
    let plugin_requests = log.len() as u64;
    let (buckets, others) = sequences(&log);
    let sequence = common_sequence(&buckets);
    let first = buckets.keys().next().expect("a bucket").clone();
    let bodies = bodies_like(bench, JAVA_NAMESPACE, &first, 5).await;

    let raw = Arc::new(Raw::login(&bench.sim.mgmt_url()).await);
    bench.sim.clear_log().await;
    let names: Vec<String> = buckets
        .keys()
        .map(|name| name.replacen("p6-", "r6-", 1))
        .collect();
    let count = names.len();
    let start = Instant::now();
    let (creates, reads) = futures::join!(
        raw.create_all(names, &sequence, &bodies, threads),
        futures::stream::iter(others.chunks(others.len().div_ceil(threads).max(1)))
            .map(|chunk| {
                let raw = raw.clone();
                async move { raw.replay_reads(chunk).await }
            })
            .buffer_unordered(threads)
            .fold(0, |sum, failed| async move { sum + failed })
    );
    let raw_s = start.elapsed().as_secs_f64();
    let (_, raw_failures) = creates;
    let raw_requests = bench.sim.take_count().await;
    assert_eq!(
        raw_failures + reads,
        0,
        "the raw load generator's requests all succeeded"
    );

    let plugin_rate = result.created as f64 / result.elapsed_s;
    let raw_rate = count as f64 / raw_s;
    let share = plugin_rate / raw_rate;
    let rows =
        vec![Row::versus(
        format!(
            "{} buckets created by {threads} Java threads through the harness and the plug-in",
            result.created
        ),
        plugin_rate,
        raw_rate,
        "raw capacity: the same requests from a Rust load generator, 64 in flight",
        "buckets/s",
        Better::Higher,
    )
    .requests(Some(plugin_requests), Some(raw_requests))
    .note(format!(
        "{} request(s) per bucket ({} naming no bucket in all), {} errors through the plug-in",
        sequence.len(),
        others.len(),
        result.errors
    ))];
    let finding = format!(
        "the plug-in reaches {:.0} % of the emulator's raw capacity for the same requests, with {} errors",
        share * 100.0,
        result.errors
    );
    Scenario::new(
        6,
        "Many callers through the plug-in: 64 Java threads vs raw capacity",
        "jni",
        ">= 90 % of raw capacity, 0 errors",
        rows,
        0,
    )
    .judged(Some(share >= 0.9 && result.errors == 0), finding)
}
