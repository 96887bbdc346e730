//! The fault soak through the whole path: CloudStack's operations through the Java plug-in, the
//! harness, JNI and the driver (`SoakMain` in `java-bindings/ecs-demo`) against an emulator
//! injecting faults; then CloudStack's rows are compared with ECS, the sessions counted, and
//! every line the run logged (log4j2 at DEBUG, Rust tracing at TRACE) scanned for secrets.
//!
//! Needs the Java side built, so it is ignored by plain test runs: `cargo xtask soak [--ops N]
//! [--seed S]` builds everything and runs it (`SOAK_OPS`, `SOAK_SEED`, `ECS_SOAK_CLASSPATH`,
//! `ECS_SOAK_NATIVE`); CI runs it with 200 operations.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test code: a failed unwrap is a failed test.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ecs_common::{ExposeSecret, SecretString};
use ecs_mgmt::{EcsMgmtClient, VersioningStatus};
use ecs_sim::Sim;
use futures::TryStreamExt;
use serde_json::Value;

const PASSWORD: &str = "ChangeMe";
const PREFIX: &str = "cs-";

/// log4j2 at DEBUG everywhere, the native library's loggers at TRACE, all to standard output.
const LOG4J2: &str = "status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c - %m%n%ex
rootLogger.level = debug
rootLogger.appenderRef.out.ref = out
logger.rust.name = io.ecscloudstack.rust
logger.rust.level = trace
";

fn env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run the soak with `cargo xtask soak`"))
}

fn admin(sim: &Sim) -> EcsMgmtClient {
    EcsMgmtClient::builder()
        .endpoint(&sim.mgmt_url())
        .expect("endpoint")
        .credentials("root", SecretString::from(PASSWORD.to_owned()))
        .build()
        .expect("admin client")
}

/// Whether a policy document grants anything to everyone (the driver's "public").
fn is_public(policy: Option<&str>) -> bool {
    let Some(document) = policy.and_then(|text| serde_json::from_str::<Value>(text).ok()) else {
        return false;
    };
    let statements = match &document["Statement"] {
        Value::Array(list) => list.clone(),
        Value::Object(_) => vec![document["Statement"].clone()],
        _ => Vec::new(),
    };
    statements.iter().any(|statement| {
        let principal = &statement["Principal"];
        principal == "*" || principal["AWS"] == "*"
    })
}

/// Runs `SoakMain` and waits for it, at most `limit`; returns (success, stdout, stderr).
async fn run_java(
    sim: &Sim,
    dir: &Path,
    ops: usize,
    seed: u64,
    limit: Duration,
) -> (bool, String, String) {
    let config = dir.join("log4j2.properties");
    std::fs::write(&config, LOG4J2).unwrap();
    let (out_path, err_path) = (dir.join("java.out"), dir.join("java.err"));
    let mut child = Command::new("java")
        .arg(format!("-Decs.native.path={}", env("ECS_SOAK_NATIVE")))
        .arg("-Decs.native.log=trace")
        .arg(format!("-Dlog4j2.configurationFile={}", config.display()))
        .args([
            "-cp",
            &env("ECS_SOAK_CLASSPATH"),
            "io.ecscloudstack.demo.SoakMain",
        ])
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
    let ecs_buckets: Vec<_> = admin.buckets().list("ns1").try_collect().await.unwrap();
    let ecs_users: Vec<_> = admin
        .object_users()
        .list("ns1")
        .try_collect()
        .await
        .unwrap();

    // CloudStack's rows.
    let mut stored_keys: HashMap<String, (String, String)> = HashMap::new();
    for account in rows["accounts"].as_array().unwrap() {
        if let (Some(access), Some(secret)) = (
            account["access_key"].as_str(),
            account["secret_key"].as_str(),
        ) {
            let uuid = account["uuid"].as_str().unwrap().to_owned();
            stored_keys.insert(uuid, (access.to_owned(), secret.to_owned()));
        }
    }
    let row_buckets: HashMap<&str, &Value> = rows["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["name"].as_str().unwrap(), row))
        .collect();

    // Orphans: ECS buckets and users no row explains.
    let mut orphans = Vec::new();
    for bucket in &ecs_buckets {
        if !row_buckets.contains_key(bucket.name.as_str()) {
            orphans.push(format!("bucket {}", bucket.name));
        }
    }
    let mut users_per_account: HashMap<String, usize> = HashMap::new();
    for user in &ecs_users {
        let Some(uuid) = user.userid.strip_prefix(PREFIX) else {
            continue;
        };
        *users_per_account.entry(uuid.to_owned()).or_default() += 1;
        if !stored_keys.contains_key(uuid) {
            orphans.push(format!("user {}", user.userid));
        }
    }

    // Duplicates: more than one user or more than one active key per account.
    let mut duplicates = Vec::new();
    let mut ecs_secrets: Vec<String> = Vec::new();
    let mut active_secrets: HashMap<String, Vec<String>> = HashMap::new();
    let now = time::OffsetDateTime::now_utc();
    for user in &ecs_users {
        let keys = admin
            .secret_keys()
            .get(&user.userid, Some("ns1"))
            .await
            .unwrap();
        let mut active = Vec::new();
        for key in keys.keys() {
            ecs_secrets.push(key.secret.expose_secret().to_owned());
            if key.expires.is_none_or(|expires| expires > now) {
                active.push(key.secret.expose_secret().to_owned());
            }
        }
        if active.len() > 1 {
            duplicates.push(format!("{} has {} active keys", user.userid, active.len()));
        }
        active_secrets.insert(user.userid.clone(), active);
    }
    for (uuid, count) in &users_per_account {
        if *count > 1 {
            duplicates.push(format!("account {uuid} has {count} users"));
        }
    }

    // Mismatches: each row against ECS.
    let mut mismatches = Vec::new();
    let listing = rows["listing_mismatches"].as_u64().unwrap();
    for _ in 0..listing {
        mismatches.push("a browser listing differed from what was put (see the log)".to_owned());
    }
    for (uuid, (access, secret)) in &stored_keys {
        let uid = format!("{PREFIX}{uuid}");
        if *access != uid {
            mismatches.push(format!(
                "account {uuid} stores access key {access}, ECS user is {uid}"
            ));
        }
        if !active_secrets
            .get(&uid)
            .is_some_and(|active| active.contains(secret))
        {
            mismatches.push(format!(
                "account {uuid}: the stored secret key is not an active key of {uid}"
            ));
        }
    }
    let by_name: HashMap<&str, _> = ecs_buckets
        .iter()
        .map(|info| (info.name.as_str(), info))
        .collect();
    for (name, row) in &row_buckets {
        let Some(info) = by_name.get(name) else {
            mismatches.push(format!("bucket {name} has a row but is not on ECS"));
            continue;
        };
        let uid = format!("{PREFIX}{}", row["account"].as_str().unwrap());
        if info.owner.as_deref() != Some(uid.as_str()) {
            mismatches.push(format!(
                "bucket {name}: owner {:?}, row says {uid}",
                info.owner
            ));
        }
        if row["access_key"].as_str() != Some(uid.as_str()) {
            mismatches.push(format!("bucket {name}: the row's access key is not {uid}"));
        }
        let row_quota = row["quota"].as_u64().filter(|gib| *gib > 0);
        if info.block_size_gb.filter(|gib| *gib > 0) != row_quota {
            mismatches.push(format!(
                "bucket {name}: quota {:?} on ECS, {row_quota:?} in the row",
                info.block_size_gb
            ));
        }
        if info.encryption != row["encryption"].as_bool().unwrap() {
            mismatches.push(format!("bucket {name}: encryption differs"));
        }
        let versioning = admin.buckets().versioning(name, "ns1").await.unwrap();
        if (versioning == VersioningStatus::Enabled) != row["versioning"].as_bool().unwrap() {
            mismatches.push(format!(
                "bucket {name}: versioning {versioning:?} on ECS, row {}",
                row["versioning"]
            ));
        }
        let policy = admin.buckets().policy(name, "ns1").await.unwrap();
        let row_public = row["policy"]
            .as_str()
            .is_some_and(|text| text.eq_ignore_ascii_case("public"));
        if is_public(policy.as_deref()) != row_public {
            mismatches.push(format!(
                "bucket {name}: policy {policy:?} on ECS, row {}",
                row["policy"]
            ));
        }
    }

    // Sessions left once the plug-in has closed its stores (and this checker its own).
    admin.close().await;
    let live_tokens = sim.control().live_tokens("root");

    // Secrets in everything the run printed: the password, every secret key, every token.
    let mut needles: HashSet<String> = HashSet::from([PASSWORD.to_owned()]);
    needles.extend(ecs_secrets);
    needles.extend(stored_keys.values().map(|(_, secret)| secret.clone()));
    needles.extend(sim.control().issued_secrets());
    let output = format!("{stdout}\n{stderr}");
    let lines = output.lines().count();
    let leaks: Vec<&str> = output
        .lines()
        .filter(|line| needles.iter().any(|needle| line.contains(needle.as_str())))
        .collect();

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
        row_buckets.len(),
        stored_keys.len(),
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

fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}
