//! Transfers stream: uploading and downloading a large file (1 GiB by default) through
//! SeaweedFS adds less than 64 MiB to this process's peak RSS.
//!
//! Its own test binary, so no other test shares the process while the peak is measured.
//! `ECS_S3_MEMORY_TEST_MIB` changes the size.

#![allow(clippy::unwrap_used)] // test code: a failed call is a failed test

mod common;

use common::{Kind, Server};
use ecs_s3::Body;

const LIMIT_MIB: u64 = 64;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_file_round_trip_stays_small() {
    let Some(server) = Server::start(Kind::SeaweedFs).await else {
        return;
    };
    let mib: u64 = std::env::var("ECS_S3_MEMORY_TEST_MIB")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(1024);
    let size = mib * 1024 * 1024;
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("big.bin");
    // A sparse file: reading it costs no disk, and its content still travels in full.
    std::fs::File::create(&source)
        .unwrap()
        .set_len(size)
        .unwrap();

    let s3 = server
        .builder(server.alice())
        .transfer(ecs_s3::TransferOptions::default())
        .build()
        .unwrap();
    let bucket = server.bucket(server.alice(), "memory").await;
    // Warm up the client (TLS roots, pools) before the baseline.
    s3.put_object(&bucket, "warm", Body::from(b"x".to_vec()))
        .await
        .unwrap();
    let baseline = status_kib("VmRSS:");

    let started = std::time::Instant::now();
    let put = s3
        .put_object(&bucket, "big", Body::File(source.clone()))
        .await
        .unwrap();
    let upload = started.elapsed();
    std::fs::remove_file(&source).unwrap();
    let target = dir.path().join("copy.bin");
    let info = s3
        .get_object_to_file(&bucket, "big", None, &target)
        .await
        .unwrap();
    let total = started.elapsed();
    assert_eq!(info.content_length, size);
    assert_eq!(std::fs::metadata(&target).unwrap().len(), size);

    let peak = status_kib("VmHWM:");
    let added_mib = peak.saturating_sub(baseline) / 1024;
    eprintln!(
        "{mib} MiB in {} parts: upload {upload:?}, round trip {total:?}; RSS {} MiB -> peak {} MiB (+{added_mib} MiB)",
        put.parts,
        baseline / 1024,
        peak / 1024
    );
    assert!(
        added_mib < LIMIT_MIB,
        "a {mib} MiB round trip added {added_mib} MiB of RSS"
    );

    // A stream of unknown length is buffered one part per part in flight, plus the head.
    let stream_mib = mib.min(256);
    static ZEROS: [u8; 1 << 20] = [0; 1 << 20];
    let chunks = (0..stream_mib).map(|_| Ok(bytes::Bytes::from_static(&ZEROS)));
    let put = s3
        .put_object(
            &bucket,
            "streamed",
            Body::from_stream(futures::stream::iter(chunks)),
        )
        .await
        .unwrap();
    let peak = status_kib("VmHWM:");
    let added_mib = peak.saturating_sub(baseline) / 1024;
    eprintln!(
        "{stream_mib} MiB stream in {} parts: peak +{added_mib} MiB",
        put.parts
    );
    assert!(
        added_mib < LIMIT_MIB,
        "a {stream_mib} MiB stream upload added {added_mib} MiB of RSS"
    );
    server.stop().await;
}

/// A `kB` field of `/proc/self/status`.
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}
