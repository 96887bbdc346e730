//! Large bodies stream through the emulator: with `--data-dir`, uploading and downloading an
//! object much larger than the bound leaves the process's resident memory nearly unchanged.
//!
//! This is its own test binary (one test, one process) so no other test's allocations blur the
//! resident-set measurement, under `cargo test` and nextest alike.

use aws_sdk_s3::Client;
use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::primitives::ByteStream;
use ecs_sim::{ObjectUserSeed, Seed, Sim};
use md5::{Digest, Md5};

const MIB: u64 = 1024 * 1024;
/// The object size; several times the allowed growth.
const SIZE: u64 = 256 * MIB;
/// The growth the issue allows for a 1 GiB upload.
const BOUND: u64 = 64 * MIB;

/// The resident set size of this process, from `/proc/self/status`.
fn rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("proc status");
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS");
    kib * 1024
}

/// Writes `SIZE` bytes of a repeating pattern in 1 MiB pieces; returns their MD5.
fn write_source(path: &std::path::Path) -> [u8; 16] {
    use std::io::Write;
    let chunk: Vec<u8> = (0..MIB).map(|i| (i % 253) as u8).collect();
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create source"));
    let mut md5 = Md5::new();
    for _ in 0..SIZE / MIB {
        file.write_all(&chunk).expect("write source");
        md5.update(&chunk);
    }
    file.flush().expect("flush");
    md5.finalize().into()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_upload_and_download_stay_within_the_memory_bound() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut seed = Seed::default();
    seed.object_users.push(ObjectUserSeed {
        uid: "big".into(),
        namespace: "ns1".into(),
        secret: Some("bigsecret".into()),
    });
    let sim = Sim::builder()
        .seed(seed)
        .data_dir(dir.path().join("data"))
        .start()
        .await
        .expect("emulator starts");
    let conf = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(sim.s3_url())
        .force_path_style(true)
        .credentials_provider(Credentials::new("big", "bigsecret", None, None, "test"))
        .build();
    let s3 = Client::from_conf(conf);
    s3.create_bucket()
        .bucket("large")
        .send()
        .await
        .expect("create bucket");

    let source = dir.path().join("source.bin");
    let expected = write_source(&source);
    // Warm up the client and server paths once so their one-time allocations are not counted.
    s3.put_object()
        .bucket("large")
        .key("warm")
        .body(ByteStream::from_static(b"warm"))
        .send()
        .await
        .expect("warm up");
    let before = rss();

    let body = ByteStream::from_path(&source).await.expect("file body");
    let put = s3
        .put_object()
        .bucket("large")
        .key("blob")
        .body(body)
        .send()
        .await
        .expect("put");
    assert_eq!(
        put.e_tag(),
        Some(format!("\"{}\"", hex::encode(expected)).as_str())
    );
    let after_put = rss();

    let mut got = s3
        .get_object()
        .bucket("large")
        .key("blob")
        .send()
        .await
        .expect("get")
        .body;
    let (mut md5, mut len) = (Md5::new(), 0u64);
    while let Some(chunk) = got.try_next().await.expect("chunk") {
        len += chunk.len() as u64;
        md5.update(&chunk);
    }
    let after_get = rss();
    assert_eq!((len, <[u8; 16]>::from(md5.finalize())), (SIZE, expected));

    let grown = after_put.max(after_get).saturating_sub(before);
    eprintln!(
        "RSS before {} MiB, after PUT {} MiB, after GET {} MiB",
        before / MIB,
        after_put / MIB,
        after_get / MIB
    );
    assert!(
        grown < BOUND,
        "RSS grew by {} MiB moving a {} MiB object (bound {} MiB)",
        grown / MIB,
        SIZE / MIB,
        BOUND / MIB
    );
    sim.shutdown().await;
}
