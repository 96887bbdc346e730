//! The fault soak through the whole path: CloudStack's operations through the Java plug-in, the
//! harness, JNI and the driver (`SoakMain` in `java-bindings/ecs-demo`) against an emulator
//! injecting faults; then CloudStack's rows are compared with ECS, the sessions counted, and
//! every line the run logged (log4j2 at DEBUG, Rust tracing at TRACE) scanned for secrets.
//!
//! Needs the Java side built, so it is ignored by plain test runs: `cargo xtask soak [--ops N]
//! [--seed S]` builds everything and runs it (`SOAK_OPS`, `SOAK_SEED`, `ECS_SOAK_CLASSPATH`,
//! `ECS_SOAK_NATIVE`); CI runs it with 200 operations.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test code: a failed unwrap is a failed test.

mod support;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use ecs_sim::Sim;
use serde_json::Value;

use support::{admin, compare, lines_with_secrets, log4j2, needles, tail};

/// Runs `SoakMain` and waits for it, at most `limit`; returns (success, stdout, stderr).
async fn run_java(
    sim: &Sim,
    dir: &Path,
    ops: usize,
    seed: u64,
    limit: Duration,
) -> (bool, String, String) {
    let config = dir.join("log4j2.properties");
    std::fs::write(&config, log4j2("SYSTEM_OUT")).unwrap();
    let (out_path, err_path) = (dir.join("java.out"), dir.join("java.err"));
    let mut child = support::java(&config)
        .arg("io.ecscloudstack.demo.SoakMain")
        .args(["--mgmt-url", &sim.mgmt_url(), "--s3-url", &sim.s3_url()])
        .args(["--ops", &ops.to_string(), "--seed", &seed.to_string()])
        .arg("--out")
        .arg(dir.join("rows.json"))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("java starts");
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let stdout = std::fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
    assert!(
        status.is_some(),
        "the soak did not end within {limit:?}:\n{stderr}"
    );
    (
        status.is_some_and(|status| status.success()),
        stdout,
        stderr,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the Java side built: run by `cargo xtask soak`"]
async fn soak_through_the_java_plugin() {
    let ops: usize = std::env::var("SOAK_OPS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let seed: u64 = std::env::var("SOAK_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let sim = Sim::builder()
        .control(true)
        .fault_seed(seed)
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let limit = Duration::from_secs(120 + 2 * ops as u64);
    let started = Instant::now();
    let (ok, stdout, stderr) = run_java(&sim, dir.path(), ops, seed, limit).await;
    let took = started.elapsed();
    for line in stderr.lines().filter(|line| line.starts_with("soak:")) {
        eprintln!("{line}");
    }
    assert!(ok, "SoakMain failed:\n{}", tail(&stderr));
    let rows: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("rows.json")).unwrap())
            .unwrap();

    let admin = admin(&sim);
    let found = compare(&admin, &rows).await;
    let orphans = found.orphans.clone();
    let duplicates = found.duplicates.clone();
    let mut mismatches = Vec::new();
    let listing = rows["listing_mismatches"].as_u64().unwrap();
    for _ in 0..listing {
        mismatches.push("a browser listing differed from what was put (see the log)".to_owned());
    }
    mismatches.extend(found.mismatches.iter().cloned());

    // Sessions left once the plug-in has closed its stores (and this checker its own).
    admin.close().await;
    let live_tokens = sim.control().live_tokens("root");

    // Secrets in everything the run printed: the password, every secret key, every token.
    let needles = needles(&sim, found.ecs_secrets.iter().chain(&found.stored_secrets));
    let output = format!("{stdout}\n{stderr}");
    let lines = output.lines().count();
    let leaks = lines_with_secrets(&output, &needles);

    let failures = rows["visible_failures"].as_u64().unwrap();
    println!(
        "soak: {ops} ops, {failures} visible failures, {} orphans, {} duplicate users or keys, {} mismatches, {live_tokens} live tokens",
        orphans.len(),
        duplicates.len(),
        mismatches.len()
    );
    println!(
        "soak: seed {seed}, {} failed creates (not idempotent, allowed), {} buckets and {} accounts with keys at the end, {:.1} s",
        rows["failed_creates"],
        found.buckets,
        found.accounts_with_keys,
        took.as_secs_f64()
    );
    println!(
        "secrets: {} hits in {lines} lines of log4j2 DEBUG and Rust TRACE output ({} secrets looked for)",
        leaks.len(),
        needles.len()
    );
    for problem in orphans.iter().chain(&duplicates).chain(&mismatches) {
        println!("  {problem}");
    }
    assert_eq!(failures, 0, "visible failures:\n{}", failure_lines(&stderr));
    assert!(orphans.is_empty(), "{orphans:?}");
    assert!(duplicates.is_empty(), "{duplicates:?}");
    assert!(mismatches.is_empty(), "{mismatches:?}");
    assert_eq!(live_tokens, 0, "tokens left after closing");
    assert!(
        leaks.is_empty(),
        "{} lines show a secret (not printed here)",
        leaks.len()
    );
    assert!(lines > ops, "the run logged at DEBUG/TRACE ({lines} lines)");
    sim.shutdown().await;
}

fn failure_lines(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|line| line.starts_with("soak: op"))
        .collect::<Vec<_>>()
        .join("\n")
}
