//! Scenario 2: the S3 data path through `ecs-s3` against boto3: one large multipart upload and
//! download, and many small objects put and listed. Each side runs in its own process (ours is
//! this executable as `s3-worker`), which reports its own peak RSS.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use bytes::Bytes;
use ecs_common::ExposeSecret;
use ecs_driver::{AccountCredentials, BucketSpec};
use ecs_s3::{Body, EcsS3Client, ListOptions};
use futures::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};

use crate::mgmt::run_json;
use crate::report::{Better, Row, Scenario};
use crate::sim::SimProcess;
use crate::{Bench, NAMESPACE};

const SMALL_SIZE: usize = 1024;
const SMALL_CONCURRENCY: usize = 16;

/// What a worker (ours or boto3) prints.
#[derive(Debug, Default, Deserialize, Serialize)]
struct WorkerResult {
    #[serde(default)]
    upload_s: f64,
    #[serde(default)]
    download_s: f64,
    #[serde(default)]
    bytes: u64,
    #[serde(default)]
    put_s: f64,
    #[serde(default)]
    list_s: f64,
    #[serde(default)]
    listed: u64,
    vmhwm_kib: u64,
}

/// Writes `bytes` of pseudo-random data to `path` once (kept between runs of the same size).
fn big_file(path: &Path, bytes: u64) {
    if std::fs::metadata(path).is_ok_and(|meta| meta.len() == bytes) {
        return;
    }
    let mut file =
        std::io::BufWriter::new(std::fs::File::create(path).expect("create the big file"));
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut block = vec![0u8; 1 << 20];
    let mut written = 0;
    while written < bytes {
        for chunk in block.chunks_exact_mut(8) {
            // xorshift64: incompressible enough, and fast.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            chunk.copy_from_slice(&state.to_le_bytes());
        }
        let take = (bytes - written).min(block.len() as u64) as usize;
        file.write_all(&block[..take]).expect("write the big file");
        written += take as u64;
    }
    file.flush().expect("flush the big file");
}

/// An account user with the two buckets of scenario 2 on `sim`.
async fn provision(sim: &SimProcess) -> AccountCredentials {
    let store = crate::store_on(sim, NAMESPACE);
    let account = "5f2d0c1e-2222-4c39-9c1b-2d5f3e4a5b6c";
    let credentials = store
        .ensure_account_user(account, None)
        .await
        .expect("account user");
    for bucket in ["s2-ours", "s2-peer"] {
        store
            .create_bucket(&BucketSpec {
                credentials: Some(credentials.clone()),
                ..BucketSpec::new(bucket, account)
            })
            .await
            .expect("bucket");
    }
    store.close().await;
    credentials
}

/// Runs one side of one phase: ours (this executable) or boto3 (`script` under `python`).
fn run_side(
    side: (&Path, Option<&Path>),
    sim: &SimProcess,
    credentials: &AccountCredentials,
    bucket: &str,
    phase: &str,
    sizes: (&Path, usize),
) -> WorkerResult {
    let (program, script) = side;
    let (file, count) = sizes;
    let mut command = Command::new(program);
    match script {
        Some(script) => command.arg(script),
        None => command.arg("s3-worker"),
    };
    command
        .args([
            "--endpoint",
            &sim.s3_url(),
            "--access-key",
            &credentials.user_id,
        ])
        .args(["--bucket", bucket, "--phase", phase])
        .arg("--file")
        .arg(file)
        .args(["--count", &count.to_string()])
        .args(["--size", &SMALL_SIZE.to_string()])
        .args(["--concurrency", &SMALL_CONCURRENCY.to_string()])
        .env(
            "ECS_BENCH_SECRET_KEY",
            credentials.secret_key.expose_secret(),
        );
    run_json(&mut command)
}

/// Scenario 2. The large transfers go to an emulator of their own that keeps object data on
/// disk (`--data-dir`); the small objects to the main one, which keeps them in memory (the
/// emulator's disk index is rewritten on every change, which 10,000 puts would measure).
pub(crate) async fn versus_boto3(bench: &Bench) -> Scenario {
    let python = bench
        .python
        .clone()
        .expect("ECS_BENCH_PYTHON: the bench virtualenv's python");
    let sizes = &bench.sizes;
    let data_dir = bench.out.join("sim-data");
    let disk = SimProcess::start(
        &bench.sim_binary,
        Some(&data_dir),
        &bench.out.join("sim-disk.log"),
    );
    let disk_credentials = provision(&disk).await;
    let credentials = provision(&bench.sim).await;
    let file = bench.out.join("big.bin");
    big_file(&file, sizes.big_bytes);
    let exe = std::env::current_exe().expect("this executable");
    let cleaner = s3_client(&disk.s3_url(), &disk_credentials);
    let script = bench.py_dir.join("s3_peer.py");
    let mut big = Vec::new();
    let mut small = Vec::new();
    for (side, program, script, bucket) in [
        ("ours", exe.as_path(), None, "s2-ours"),
        ("boto3", python.as_path(), Some(script.as_path()), "s2-peer"),
    ] {
        disk.clear_log().await;
        let result = run_side(
            (program, script),
            &disk,
            &disk_credentials,
            bucket,
            "big",
            (&file, 0),
        );
        let requests = disk.take_count().await;
        // Free the disk before the next side uploads its copy.
        cleaner
            .delete_object(bucket, "big-object", None)
            .await
            .unwrap_or_else(|err| panic!("{side}: delete the big object: {err}"));
        big.push((result, requests));
        bench.sim.clear_log().await;
        let result = run_side(
            (program, script),
            &bench.sim,
            &credentials,
            bucket,
            "small",
            (&file, sizes.small_objects),
        );
        let requests = bench.sim.take_count().await;
        small.push((result, requests));
    }
    let (disk_peak_kib, _) = disk.memory_kib();
    drop(disk);
    let _ = std::fs::remove_dir_all(&data_dir);
    let mib = |kib: u64| kib as f64 / 1024.0;
    let mb = sizes.big_bytes as f64 / 1e6;
    let gib = sizes.big_bytes as f64 / f64::from(1u32 << 30);
    let (ours, peer) = (&big[0], &big[1]);
    let (ours_small, peer_small) = (&small[0], &small[1]);
    let n = sizes.small_objects as f64;
    let rows = vec![
        Row::versus(
            format!("upload {gib:.2} GiB (multipart, from a file)"),
            mb / ours.0.upload_s,
            mb / peer.0.upload_s,
            "boto3",
            "MB/s",
            Better::Higher,
        )
        .requests(Some(ours.1), Some(peer.1))
        .rss(Some(mib(ours.0.vmhwm_kib)), Some(mib(peer.0.vmhwm_kib)))
        .note(format!(
            "requests and peak RSS cover the upload and the download together; the emulator (objects on disk) peaked at {:.0} MiB",
            mib(disk_peak_kib)
        )),
        Row::versus(
            format!("download {gib:.2} GiB (streamed, discarded)"),
            mb / ours.0.download_s,
            mb / peer.0.download_s,
            "boto3",
            "MB/s",
            Better::Higher,
        )
        .note("ours: one GET streamed; boto3: parallel ranged GETs"),
        Row::versus(
            format!(
                "put {} objects of {SMALL_SIZE} B, {SMALL_CONCURRENCY} at a time",
                sizes.small_objects
            ),
            n / ours_small.0.put_s,
            n / peer_small.0.put_s,
            "boto3",
            "objects/s",
            Better::Higher,
        )
        .requests(Some(ours_small.1), Some(peer_small.1))
        .rss(
            Some(mib(ours_small.0.vmhwm_kib)),
            Some(mib(peer_small.0.vmhwm_kib)),
        )
        .note("requests and peak RSS cover the puts and the listing together"),
        Row::versus(
            format!("list {} objects (pages of 1000)", sizes.small_objects),
            n / ours_small.0.list_s,
            n / peer_small.0.list_s,
            "boto3",
            "objects/s",
            Better::Higher,
        ),
    ];
    assert_eq!(
        ours_small.0.listed, peer_small.0.listed,
        "both listed every object"
    );
    let worst = rows
        .iter()
        .filter_map(|row| row.ratio)
        .fold(f64::INFINITY, f64::min);
    let peak = mib(ours.0.vmhwm_kib.max(ours_small.0.vmhwm_kib));
    let met = worst >= 1.0 && peak <= 64.0;
    let below: Vec<String> = rows
        .iter()
        .filter(|row| row.ratio.is_some_and(|ratio| ratio < 1.0))
        .map(|row| format!("{} ({:.2}x)", row.name, row.ratio.unwrap_or(0.0)))
        .collect();
    let finding = if below.is_empty() {
        format!("ours is at least as fast as boto3 in every row; our peak RSS {peak:.0} MiB")
    } else {
        format!(
            "below boto3: {}; our peak RSS {peak:.0} MiB",
            below.join(", ")
        )
    };
    Scenario::new(
        2,
        "S3 data path: ecs-s3 vs boto3",
        "peers",
        ">= 1.0x boto3's throughput with our peak RSS <= 64 MiB",
        rows,
        0,
    )
    .judged(Some(met), finding)
}

fn s3_client(endpoint: &str, credentials: &AccountCredentials) -> EcsS3Client {
    EcsS3Client::builder()
        .endpoint(endpoint)
        .credentials(&credentials.user_id, credentials.secret_key.clone())
        .build()
        .expect("S3 client builds")
}

/// `s3-worker --endpoint URL --access-key ID --bucket B --phase big|small --file F --count N
/// --size S --concurrency C`, the secret in `ECS_BENCH_SECRET_KEY`: ours, in its own process.
pub(crate) fn worker(args: &[String]) {
    let value = |name: &str| -> String {
        args.iter()
            .position(|arg| arg == name)
            .and_then(|i| args.get(i + 1))
            .unwrap_or_else(|| panic!("s3-worker needs {name}"))
            .clone()
    };
    let number = |name: &str| -> usize { value(name).parse().expect("a number") };
    let secret = std::env::var("ECS_BENCH_SECRET_KEY").expect("ECS_BENCH_SECRET_KEY");
    let credentials = AccountCredentials::new(value("--access-key"), secret);
    let bucket = value("--bucket");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let mut result = WorkerResult::default();
    runtime.block_on(async {
        let client = s3_client(&value("--endpoint"), &credentials);
        if value("--phase") == "big" {
            let file = PathBuf::from(value("--file"));
            result.bytes = std::fs::metadata(&file).expect("the big file").len();
            let start = Instant::now();
            client
                .put_object(&bucket, "big-object", Body::File(file))
                .await
                .expect("upload");
            result.upload_s = start.elapsed().as_secs_f64();
            let start = Instant::now();
            let mut download = client
                .get_object(&bucket, "big-object", None)
                .await
                .expect("download");
            let mut received = 0u64;
            while let Some(chunk) = download.body.next().await {
                received += chunk.expect("a chunk").len() as u64;
            }
            result.download_s = start.elapsed().as_secs_f64();
            assert_eq!(received, result.bytes, "the whole object came back");
        } else {
            let count = number("--count");
            let body = Bytes::from(vec![b'x'; number("--size")]);
            let start = Instant::now();
            futures::stream::iter(0..count)
                .map(|i| {
                    let (client, body, bucket) = (client.clone(), body.clone(), bucket.clone());
                    async move {
                        client
                            .put_object(&bucket, &format!("small/{i:06}"), Body::Bytes(body))
                            .await
                    }
                })
                .buffer_unordered(number("--concurrency"))
                .try_for_each(|_| async { Ok(()) })
                .await
                .expect("puts");
            result.put_s = start.elapsed().as_secs_f64();
            let start = Instant::now();
            result.listed = client
                .list_objects(&bucket, ListOptions::prefix("small/"))
                .try_fold(0u64, |n, _| async move { Ok(n + 1) })
                .await
                .expect("listing");
            result.list_s = start.elapsed().as_secs_f64();
        }
    });
    result.vmhwm_kib = crate::sim::status_kib(std::process::id(), "VmHWM:");
    println!(
        "{}",
        serde_json::to_string(&result).expect("result serialises")
    );
}
