//! No secret in the Java demo: `DemoMain` (the Java side of `cargo xtask demo`: CloudStack's
//! flow through the harness, the plug-in, JNI and the driver, refused steps and their exception
//! messages included) run with log4j2 at DEBUG and the native library's tracing at TRACE, and its
//! whole output (standard output and error) scanned for the service password, every secret key
//! and every token the emulator handed out.
//!
//! The demo needs the Java side built, so that test is ignored by plain test runs: `cargo xtask
//! soak --two-jvms` and `cargo xtask ci` build everything and run it (`ECS_SOAK_CLASSPATH`,
//! `ECS_SOAK_NATIVE`). The scanner's own test runs everywhere.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test code: a failed unwrap is a failed test.

mod support;

use std::collections::HashSet;
use std::process::Stdio;
use std::time::{Duration, Instant};

use ecs_sim::Sim;
use support::{admin, lines_with_secrets, log4j2, needles, secret_keys_on_ecs, tail};

/// The demo must end by then.
const DEMO_LIMIT: Duration = Duration::from_secs(120);

/// The scanner finds a secret wherever a line shows it, so a clean scan means something.
#[test]
fn the_scanner_finds_a_planted_secret() {
    let needles = HashSet::from(["ChangeMe".to_owned(), "s3cr3t-key-0001".to_owned()]);
    let output = "12:00:00.000 DEBUG io.ecscloudstack.rust - login as root\n\
                  12:00:00.001 TRACE io.ecscloudstack.rust - key=s3cr3t-key-0001 (leaked)\n\
                  CloudRuntimeException: ECS: failed: password ChangeMe refused\n\
                  clean line";
    let hits = lines_with_secrets(output, &needles);
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(hits[0].contains("TRACE"));
    assert!(hits[1].contains("CloudRuntimeException"));
    assert!(lines_with_secrets("clean line\nanother", &needles).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the Java side built: run by `cargo xtask soak --two-jvms` and `cargo xtask ci`"]
async fn the_java_demo_at_debug_and_trace_shows_no_secret() {
    let sim = Sim::builder().control(true).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("log4j2.properties");
    std::fs::write(&config, log4j2("SYSTEM_OUT")).unwrap();
    let (out_path, err_path) = (dir.path().join("demo.out"), dir.path().join("demo.err"));
    let started = Instant::now();
    let mut child = support::java(&config)
        .arg("io.ecscloudstack.demo.DemoMain")
        .args(["--mgmt-url", &sim.mgmt_url(), "--s3-url", &sim.s3_url()])
        .args(["--sa-user", "root", "--sa-password", support::PASSWORD])
        .args(["--namespace", "ns1"])
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("java starts");
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > DEMO_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let took = started.elapsed();
    let output = format!(
        "{}\n{}",
        std::fs::read_to_string(&out_path).unwrap_or_default(),
        std::fs::read_to_string(&err_path).unwrap_or_default()
    );
    let status = status.unwrap_or_else(|| {
        panic!(
            "the demo did not end within {DEMO_LIMIT:?}:\n{}",
            tail(&output)
        )
    });
    assert!(status.success(), "the demo failed:\n{}", tail(&output));

    // Every secret of the run: the password, every key ECS still holds, and every token and key
    // the emulator ever handed out (the demo deletes what it made: most keys are gone by now).
    let admin = admin(&sim);
    let on_ecs = secret_keys_on_ecs(&admin).await;
    admin.close().await;
    let needles = needles(&sim, &on_ecs);
    let lines = output.lines().count();
    let leaks = lines_with_secrets(&output, &needles);
    // The emulator's tokens are 64 characters (48 random bytes), its generated keys 40.
    let issued = sim.control().issued_secrets();
    let tokens = issued.iter().filter(|secret| secret.len() == 64).count();
    let keys: Vec<&String> = issued.iter().filter(|secret| secret.len() == 40).collect();
    println!(
        "secrets: {} hits in {lines} lines of the Java demo's output at log4j2 DEBUG and Rust TRACE ({} secrets looked for: the password, {tokens} tokens, {} secret keys made), demo {:.1} s",
        leaks.len(),
        needles.len(),
        keys.len(),
        took.as_secs_f64()
    );
    assert!(
        leaks.is_empty(),
        "{} lines show a secret (not printed here)",
        leaks.len()
    );
    // The scan looked at a run that handled secrets: it logged in, and made a key.
    assert!(!keys.is_empty(), "the demo made no secret key");
    assert!(tokens >= 1, "the demo logged in without a token");
    assert!(
        lines > 100,
        "the demo logged at DEBUG/TRACE ({lines} lines)"
    );
    // And a secret planted in this very output is found.
    let planted = keys[0];
    let with_plant = format!("{output}\nplanted: {planted}");
    assert_eq!(lines_with_secrets(&with_plant, &needles).len(), 1);
    sim.shutdown().await;
}
