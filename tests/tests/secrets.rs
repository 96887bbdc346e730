//! No secret anywhere: the driver's flows with Rust tracing at TRACE (including failures under
//! injected faults), the `Debug` and `Display` of every value and error they return, and every
//! `ecsctl` command (text, `--json` and errors, logging at TRACE, and `ecsctl demo`, the Rust demo)
//! are scanned for the service password, every secret key and every management token the
//! emulator handed out.
//!
//! The Java side (log4j2 at DEBUG, the native library at TRACE, exception messages) is scanned
//! by the fault soak (`soak.rs`, `cargo xtask soak`).
#![allow(clippy::unwrap_used)] // Test code: a failed unwrap is a failed test.

use std::io::Write;
use std::process::Command;
use std::sync::{Arc, Mutex};

use ecs_driver::{Body, BucketSpec, EcsObjectStore, PolicySpec, StoreConfig};
use ecs_sim::{Api, FaultRule, Sim};
use ecs_tests::{ecsctl_binary, store_details, write_details};

const PASSWORD: &str = "ChangeMe";
const ACCOUNT: &str = "5c2d7e1f-8a3b-4c6d-9e0f-1a2b3c4d5e6f";

/// Everything the process's tracing subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// `ecsctl ARGS` with the password from the environment and logging at TRACE; stdout and
/// stderr together.
async fn ecsctl(args: Vec<String>, password: &str) -> String {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let output = Command::new(ecsctl_binary())
            .args(&args)
            .env("ECSCTL_SA_PASSWORD", password)
            .env("RUST_LOG", "trace")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        // The command line as typed is the test's, not ecsctl's output: the password given
        // with --sa-password is left out of the header.
        let shown: Vec<&str> = args
            .iter()
            .map(|arg| {
                if *arg == PASSWORD {
                    "***"
                } else {
                    arg.as_str()
                }
            })
            .collect();
        format!(
            "$ ecsctl {}\n{}{}",
            shown.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
    .await
    .unwrap()
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|arg| (*arg).to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_logs_debug_errors_or_ecsctl_output() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .try_init()
        .unwrap();
    let sim = Sim::builder().control(true).start().await.unwrap();
    let details = store_details(&sim.mgmt_url(), &sim.s3_url());
    let store = EcsObjectStore::new(StoreConfig::from_details(&details).unwrap()).unwrap();
    let mut shown: Vec<String> = vec![format!("{store:?}"), format!("{:?}", store.config())];

    // CloudStack's flow through the driver: account, buckets with every option, objects,
    // usage, key rotation; then the same under faults, so that failures are logged too.
    let credentials = store.ensure_account_user(ACCOUNT, None).await.unwrap();
    shown.push(format!("{credentials:?}"));
    let spec = BucketSpec {
        credentials: Some(credentials.clone()),
        quota_gib: Some(2),
        versioning: true,
        encryption: true,
        policy: Some(PolicySpec::Public),
        ..BucketSpec::new("secret-scan", ACCOUNT)
    };
    shown.push(format!("{spec:?}"));
    let created = store.create_bucket(&spec).await.unwrap();
    shown.push(format!("{created:?}"));
    let browser = store.browser(&credentials).unwrap();
    browser
        .upload(
            "secret-scan",
            "a.txt",
            Body::Bytes(b"hello".to_vec().into()),
        )
        .await
        .unwrap();
    shown.push(format!("{:?}", store.usage().await.unwrap()));
    let rotated = store
        .rotate_account_key(ACCOUNT, std::time::Duration::ZERO)
        .await
        .unwrap();
    shown.push(format!("{rotated:?}"));
    sim.control().add_fault(FaultRule {
        error_503: 1.0,
        times: Some(1 + ecs_driver::diagnose::DRIVER_RETRIES),
        ..FaultRule::new(Api::Mgmt, "/object")
    });
    let failed = store.set_quota("secret-scan", 3).await.unwrap_err();
    shown.push(format!("{failed}"));
    shown.push(format!("{failed:?}"));
    sim.control().clear_faults();
    sim.control().revoke_tokens("root");
    store.set_quota("secret-scan", 4).await.unwrap();
    let wrong = {
        let mut details = details.clone();
        details.insert("sa_password".to_owned(), "Wr0ng-Pa55word".to_owned());
        let other = EcsObjectStore::new(StoreConfig::from_details(&details).unwrap()).unwrap();
        let err = other.list_buckets().await.unwrap_err();
        shown.push(format!("{other:?}"));
        err
    };
    shown.push(format!("{wrong}"));
    shown.push(format!("{wrong:?}"));

    // The operator's tool on the same store, every output form, and its errors.
    let dir = tempfile::tempdir().unwrap();
    let mut without_password = details.clone();
    without_password.remove("sa_password");
    let file = write_details(dir.path(), &without_password).unwrap();
    let file = file.to_str().unwrap();
    for args in [
        vec!["doctor", "--details", file],
        vec!["doctor", "--details", file, "--json"],
        vec!["buckets", "list", "--details", file],
        vec!["buckets", "list", "--details", file, "--json"],
        vec!["buckets", "usage", "--details", file, "--json"],
        vec!["users", "list", "--details", file],
        vec!["users", "list", "--details", file, "--json"],
        vec!["buckets", "empty", "secret-scan", "--details", file],
    ] {
        shown.push(ecsctl(strings(&args), PASSWORD).await);
    }
    // `keys rotate` exists to hand the operator the new key: its output may show that one key,
    // on its one line, and nothing else secret.
    let mut rotations = Vec::new();
    for json in [false, true] {
        let mut args = vec![
            "keys",
            "rotate",
            ACCOUNT,
            "--details",
            file,
            "--grace-minutes",
            "0",
        ];
        if json {
            args.push("--json");
        }
        rotations.push(ecsctl(strings(&args), PASSWORD).await);
    }
    for args in [
        vec!["buckets", "list", "--details", file],
        vec!["buckets", "list", "--details", file, "--json"],
        vec!["doctor", "--details", file, "--json"],
    ] {
        shown.push(ecsctl(strings(&args), "Wr0ng-Pa55word").await);
    }
    // The Rust demo: its own account, buckets, objects and keys, created and deleted.
    let (mgmt, s3) = (sim.mgmt_url(), sim.s3_url());
    shown.push(
        ecsctl(
            strings(&[
                "demo",
                "--mgmt-url",
                &mgmt,
                "--sa-user",
                "root",
                "--namespace",
                "ns1",
                "--s3-public-url",
                &s3,
                "--sim-control",
                &mgmt,
            ]),
            PASSWORD,
        )
        .await,
    );
    shown.push(
        ecsctl(
            strings(&[
                "buckets",
                "list",
                "--details",
                file,
                "--sa-password",
                PASSWORD,
                "-v",
            ]),
            PASSWORD,
        )
        .await,
    );
    store.close().await;

    // What to look for: the passwords, and every secret key and token the emulator handed out.
    let mut needles = vec![PASSWORD.to_owned(), "Wr0ng-Pa55word".to_owned()];
    needles.push(ecs_common::ExposeSecret::expose_secret(&credentials.secret_key).to_owned());
    needles.push(ecs_common::ExposeSecret::expose_secret(&rotated.secret_key).to_owned());
    needles.extend(sim.control().issued_secrets());
    let logs = captured.text();
    let everything = format!("{logs}\n{}", shown.join("\n"));
    let hits: Vec<&str> = everything
        .lines()
        .filter(|line| needles.iter().any(|needle| line.contains(needle.as_str())))
        .collect();
    println!(
        "secrets: {} hits in {} lines (TRACE logs, Debug/Display, ecsctl output); {} secrets looked for",
        hits.len(),
        everything.lines().count(),
        needles.len()
    );
    assert!(
        logs.lines().any(|line| line.contains("TRACE")),
        "the scan saw TRACE logs"
    );
    assert!(
        needles.len() >= 5,
        "the secrets are known: {}",
        needles.len()
    );
    for output in &rotations {
        let shown_secrets: Vec<&str> = output
            .lines()
            .filter(|line| needles.iter().any(|needle| line.contains(needle.as_str())))
            .collect();
        assert_eq!(shown_secrets.len(), 1, "the new key, once");
        assert!(
            shown_secrets[0].contains("secret key") || shown_secrets[0].contains("\"secret_key\""),
            "only on the new key's line"
        );
        assert!(!output.contains(PASSWORD), "never the password");
    }
    let redacted: Vec<String> = hits
        .iter()
        .map(|line| {
            needles
                .iter()
                .enumerate()
                .fold((*line).to_owned(), |line, (index, needle)| {
                    line.replace(needle.as_str(), &format!("<secret #{index}>"))
                })
        })
        .collect();
    assert!(
        hits.is_empty(),
        "{} lines show a secret (shown here replaced):\n{}",
        hits.len(),
        redacted.join("\n")
    );
    sim.shutdown().await;
}
