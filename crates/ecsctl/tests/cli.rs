//! The `ecsctl` binary against a live `ecs-sim`: doctor diagnoses, admin views, the demo.
//!
//! Each test starts its own emulator on loopback port 0 and runs the built binary as a child
//! process (`CARGO_BIN_EXE_ecsctl`), exactly as an operator would.

// A test file: its helpers panic to report a failure, like the tests themselves.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::ecsctl;
use ecs_driver::{Body, BucketSpec, EcsObjectStore, StoreConfig};
use ecs_sim::Sim;
use serde_json::Value;

const ACCOUNT: &str = "0e9c6e8a-1f0b-4c39-9c1b-2d5f3e4a5b6c";
const UI_ORIGIN: &str = "https://cloud.example.com";

async fn start_sim(tls: bool) -> Sim {
    Sim::builder()
        .mgmt_tls(tls)
        .s3_tls(tls)
        .control(true)
        .start()
        .await
        .expect("ecs-sim starts")
}

/// Good details for `sim`, with `changes` applied (an empty value removes the key).
fn details(sim: &Sim, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = vec![
        ("mgmt_url".into(), sim.mgmt_url()),
        ("sa_user".into(), "root".into()),
        ("sa_password".into(), "ChangeMe".into()),
        ("namespace".into(), "ns1".into()),
        ("s3_public_url".into(), sim.s3_url()),
        ("cors_origins".into(), UI_ORIGIN.into()),
    ];
    if let Some(ca) = sim.ca_pem() {
        pairs.push(("ca_cert".into(), ca));
    }
    for (key, value) in changes {
        pairs.retain(|(k, _)| k != key);
        if !value.is_empty() {
            pairs.push(((*key).to_owned(), (*value).to_owned()));
        }
    }
    pairs
}

/// Writes details as a JSON file (the CA certificate spans lines, which JSON keeps intact).
fn details_file(dir: &Path, pairs: &[(String, String)]) -> String {
    let object: serde_json::Map<String, Value> = pairs
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let path = dir.join("store.json");
    std::fs::write(&path, serde_json::to_string_pretty(&object).unwrap()).unwrap();
    path.to_str().unwrap().to_owned()
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|arg| (*arg).to_owned()).collect()
}

fn store_for(pairs: &[(String, String)]) -> EcsObjectStore {
    let map = pairs.iter().cloned().collect();
    EcsObjectStore::new(StoreConfig::from_details(&map).unwrap()).unwrap()
}

/// Creates buckets with objects through the driver, as CloudStack would have.
async fn populate(pairs: &[(String, String)]) {
    let store = store_for(pairs);
    let credentials = store.ensure_account_user(ACCOUNT, None).await.unwrap();
    for (name, quota, bytes) in [("alpha", Some(2), 1500usize), ("beta", None, 20)] {
        let spec = BucketSpec {
            credentials: Some(credentials.clone()),
            quota_gib: quota,
            encryption: name == "alpha",
            versioning: name == "alpha",
            ..BucketSpec::new(name, ACCOUNT)
        };
        store.create_bucket(&spec).await.unwrap();
        let browser = store.browser(&credentials).unwrap();
        browser
            .upload(name, "data.bin", Body::Bytes(vec![b'x'; bytes].into()))
            .await
            .unwrap();
    }
    store.close().await;
}

fn finding<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|check| check["name"] == name)
        .unwrap_or_else(|| panic!("no check {name} in {report:#}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_is_all_green_for_a_good_configuration() {
    let sim = start_sim(true).await;
    let dir = tempfile::tempdir().unwrap();
    let pairs = details(&sim, &[]);
    populate(&pairs).await;
    let file = details_file(dir.path(), &pairs);

    let run = ecsctl(args(&["doctor", "--details", &file])).await;
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.contains("store looks healthy"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("[FAIL]") && !run.stdout.contains("[warn]"),
        "{}",
        run.stdout
    );

    let report = ecsctl(args(&["doctor", "--details", &file, "--json"]))
        .await
        .json();
    assert_eq!(report["ok"], true);
    for check in report["checks"].as_array().unwrap() {
        assert_eq!(check["verdict"], "pass", "{check:#}");
    }
    for name in [
        "mgmt.dns",
        "mgmt.tcp",
        "mgmt.tls",
        "clock",
        "login",
        "roles",
        "namespace",
        "replication-group",
        "s3-private.tls",
        "s3-private.api",
        "s3-public",
        "cors.config",
        "cors.bucket",
    ] {
        finding(&report, name);
    }
    assert!(
        finding(&report, "mgmt.tls")["detail"]
            .as_str()
            .unwrap()
            .contains("certificate verified")
    );

    // Another UI origin: the configuration and the live bucket both refuse it.
    let other = "https://other.example.com";
    let report = ecsctl(args(&[
        "doctor",
        "--details",
        &file,
        "--ui-origin",
        other,
        "--json",
    ]))
    .await
    .json();
    assert_eq!(report["ok"], false);
    let config = finding(&report, "cors.config");
    assert_eq!(config["verdict"], "fail");
    assert!(
        config["fix"]
            .as_str()
            .unwrap()
            .contains("add https://other.example.com to cors_origins"),
        "{config:#}"
    );
    assert_eq!(finding(&report, "cors.bucket")["verdict"], "warn");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_diagnoses_a_wrong_password() {
    let sim = start_sim(false).await;
    let dir = tempfile::tempdir().unwrap();
    let file = details_file(dir.path(), &details(&sim, &[("sa_password", "wrong")]));

    let run = ecsctl(args(&["doctor", "--details", &file])).await;
    assert_eq!(run.code, 1, "{run:#?}");
    let login = run
        .stdout
        .lines()
        .find(|line| line.contains("] login"))
        .expect("a login line");
    assert!(
        login.starts_with("[FAIL]") && login.contains("ECS refused to log in root"),
        "{login}"
    );
    assert!(
        login.contains("Invalid username or password"),
        "shows what ECS said: {login}"
    );
    assert!(
        run.stdout.contains("fix: check sa_user and sa_password"),
        "{}",
        run.stdout
    );

    let report = ecsctl(args(&["doctor", "--details", &file, "--json"]))
        .await
        .json();
    assert_eq!(report["ok"], false);
    assert_eq!(finding(&report, "login")["verdict"], "fail");
    assert_eq!(finding(&report, "roles")["verdict"], "skip");
    assert_eq!(
        finding(&report, "mgmt.tcp")["verdict"],
        "pass",
        "the network is fine"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_diagnoses_a_wrong_ca() {
    let sim = start_sim(true).await;
    let dir = tempfile::tempdir().unwrap();
    let other_ca = rcgen::generate_simple_self_signed(vec!["some-other-ca".into()])
        .unwrap()
        .cert
        .pem();
    let file = details_file(dir.path(), &details(&sim, &[("ca_cert", &other_ca)]));

    let run = ecsctl(args(&["doctor", "--details", &file])).await;
    assert_eq!(run.code, 1, "{run:#?}");
    let tls = run
        .stdout
        .lines()
        .find(|line| line.contains("] mgmt.tls"))
        .expect("a mgmt.tls line");
    assert!(
        tls.starts_with("[FAIL]") && tls.contains("not signed by a trusted CA"),
        "{tls}"
    );
    assert!(
        tls.contains("the server presents subject"),
        "describes the certificate: {tls}"
    );
    assert!(
        run.stdout
            .contains("put the PEM of the CA that issued the ECS certificate into ca_cert"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("insecure=true would make this pass"),
        "{}",
        run.stdout
    );

    let report = ecsctl(args(&["doctor", "--details", &file, "--json"]))
        .await
        .json();
    assert_eq!(finding(&report, "login")["verdict"], "skip");
    assert_eq!(
        finding(&report, "clock")["verdict"],
        "pass",
        "the clock is read even when TLS fails"
    );

    // With insecure=true the same certificate passes, and the doctor says what that hides.
    let file = details_file(
        dir.path(),
        &details(&sim, &[("ca_cert", &other_ca), ("insecure", "true")]),
    );
    let report = ecsctl(args(&["doctor", "--details", &file, "--json"]))
        .await
        .json();
    let tls = finding(&report, "mgmt.tls");
    assert_eq!(tls["verdict"], "warn");
    assert!(
        tls["detail"]
            .as_str()
            .unwrap()
            .starts_with("insecure=true hides this"),
        "{tls:#}"
    );
    assert_eq!(finding(&report, "login")["verdict"], "pass");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_diagnoses_a_missing_namespace() {
    let sim = start_sim(false).await;
    let dir = tempfile::tempdir().unwrap();
    let file = details_file(dir.path(), &details(&sim, &[("namespace", "finance")]));

    let run = ecsctl(args(&["doctor", "--details", &file])).await;
    assert_eq!(run.code, 1, "{run:#?}");
    let line = run
        .stdout
        .lines()
        .find(|line| line.contains("] namespace"))
        .expect("a namespace line");
    assert!(line.starts_with("[FAIL]"), "{line}");
    assert!(
        line.contains("namespace finance does not exist; this ECS has: ns1"),
        "{line}"
    );
    assert!(
        run.stdout
            .contains("fix: set namespace to an existing namespace"),
        "{}",
        run.stdout
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_reports_an_unreachable_endpoint_and_flags_work_without_a_file() {
    let sim = start_sim(false).await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let run = ecsctl(args(&[
        "doctor",
        "--mgmt-url",
        &format!("http://{closed}"),
        "--sa-user",
        "root",
        "--sa-password",
        "ChangeMe",
        "--namespace",
        "ns1",
        "--s3-public-url",
        &sim.s3_url(),
        "--json",
    ]))
    .await;
    assert_eq!(run.code, 1, "{run:#?}");
    let report = run.json();
    let tcp = finding(&report, "mgmt.tcp");
    assert_eq!(tcp["verdict"], "fail");
    assert!(
        tcp["fix"].as_str().unwrap().contains("port in mgmt_url"),
        "{tcp:#}"
    );
    assert_eq!(finding(&report, "login")["verdict"], "skip");
    assert_eq!(
        finding(&report, "s3-private.api")["verdict"],
        "pass",
        "S3 is checked on its own"
    );
    assert_eq!(
        finding(&report, "cors")["verdict"],
        "warn",
        "no UI origin configured"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buckets_and_usage_in_human_and_json_form() {
    let sim = start_sim(false).await;
    let dir = tempfile::tempdir().unwrap();
    let pairs = details(&sim, &[]);
    populate(&pairs).await;
    let file = details_file(dir.path(), &pairs);

    let run = ecsctl(args(&["buckets", "list", "--details", &file])).await;
    assert_eq!(run.code, 0, "{run:#?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("NAME") && lines[0].contains("QUOTA"),
        "{}",
        run.stdout
    );
    let alpha = lines
        .iter()
        .find(|line| line.starts_with("alpha"))
        .expect("alpha listed");
    assert!(
        alpha.contains("cs-0e9c6e8a") && alpha.contains("2 GiB"),
        "{alpha}"
    );
    let json = ecsctl(args(&["buckets", "list", "--details", &file, "--json"]))
        .await
        .json();
    let buckets = json["buckets"].as_array().unwrap();
    assert_eq!(buckets.len(), 2, "{json:#}");
    let alpha = buckets
        .iter()
        .find(|bucket| bucket["name"] == "alpha")
        .unwrap();
    assert_eq!(
        (alpha["quota_gib"].as_u64(), alpha["encryption"].as_bool()),
        (Some(2), Some(true))
    );

    let run = ecsctl(args(&["buckets", "usage", "--details", &file])).await;
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stdout
            .lines()
            .any(|line| line.starts_with("alpha") && line.contains("1500")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("total: 1520 bytes (1.5 KiB), 2 objects in 2 buckets"),
        "{}",
        run.stdout
    );
    let json = ecsctl(args(&["buckets", "usage", "--details", &file, "--json"]))
        .await
        .json();
    assert_eq!(json["buckets"]["alpha"], 1500);
    assert_eq!(json["buckets"]["beta"], 20);
    assert_eq!(json["total_bytes"], 1520);
    assert_eq!(json["objects"]["alpha"], 1, "object counts too: {json:#}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_list_and_key_rotation() {
    let sim = start_sim(false).await;
    let dir = tempfile::tempdir().unwrap();
    let pairs = details(&sim, &[]);
    populate(&pairs).await;
    let file = details_file(dir.path(), &pairs);
    let user = format!("cs-{ACCOUNT}");

    let run = ecsctl(args(&["users", "list", "--details", &file])).await;
    assert_eq!(run.code, 0, "{run:#?}");
    let row = run
        .stdout
        .lines()
        .find(|line| line.starts_with(&user))
        .expect("the account's user");
    assert!(row.contains("cloudstack") && row.contains(" 1 "), "{row}");

    let rotated = ecsctl(args(&[
        "keys",
        "rotate",
        ACCOUNT,
        "--details",
        &file,
        "--grace-minutes",
        "30",
        "--json",
    ]))
    .await
    .json();
    assert_eq!(rotated["access_key"], user.as_str());
    let secret = rotated["secret_key"].as_str().unwrap();
    assert!(secret.len() >= 20, "{rotated:#}");

    let json = ecsctl(args(&["users", "list", "--details", &file, "--json"]))
        .await
        .json();
    let entry = json["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["user"] == user.as_str())
        .unwrap()
        .clone();
    assert_eq!(entry["managed"], true);
    assert_eq!(
        entry["keys"], 2,
        "old and new key during the grace period: {entry:#}"
    );
    assert!(entry["old_key_expires"].is_string(), "{entry:#}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_details_are_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.properties");
    std::fs::write(&path, "mgmt_url=https://ecs:4443\n").unwrap();
    let run = ecsctl(args(&[
        "buckets",
        "list",
        "--details",
        path.to_str().unwrap(),
    ]))
    .await;
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(
        run.stderr.contains("store detail sa_user is required"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_runs_the_cloudstack_flow_and_counts_requests() {
    let sim = start_sim(false).await;
    let dir = tempfile::tempdir().unwrap();
    let file = details_file(dir.path(), &details(&sim, &[]));
    // A store that refuses object lock shows the refusal.
    let refusing_dir = tempfile::tempdir().unwrap();
    let refusing = details_file(
        refusing_dir.path(),
        &details(&sim, &[("object_lock", "refuse")]),
    );

    let run = ecsctl(args(&[
        "demo",
        "--details",
        &refusing,
        "--sim-control",
        &sim.mgmt_url(),
    ]))
    .await;
    assert_eq!(run.code, 0, "{run:#?}");
    for expected in [
        "[ 1/14] add the store",
        "refused (UNSUPPORTED)",
        "refused (NOT_EMPTY)",
        "[14/14] remove the account's ECS user",
        "14 steps passed",
    ] {
        assert!(
            run.stdout.contains(expected),
            "missing {expected:?} in\n{}",
            run.stdout
        );
    }
    let json = ecsctl(args(&[
        "demo",
        "--details",
        &file,
        "--sim-control",
        &sim.mgmt_url(),
        "--json",
    ]))
    .await
    .json();
    let steps = json["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 14);
    let create = steps
        .iter()
        .find(|step| {
            step["name"]
                .as_str()
                .unwrap()
                .starts_with("create bucket: encrypted")
        })
        .unwrap();
    assert!(create["mgmt_requests"].as_u64().unwrap() >= 1, "{create:#}");
    let upload = steps
        .iter()
        .find(|step| step["name"].as_str().unwrap().starts_with("upload"))
        .unwrap();
    assert_eq!(upload["s3_requests"], 5, "one PUT per object: {upload:#}");
    // The default store (object lock allowed) creates a lock bucket instead of refusing.
    assert!(
        steps.iter().any(|step| step["name"]
            .as_str()
            .unwrap()
            .starts_with("create bucket: object lock")),
        "{json:#}"
    );
    assert_eq!(
        json["requests"].as_u64(),
        Some(steps.iter().map(|s| s["requests"].as_u64().unwrap()).sum())
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buckets_empty_asks_for_confirmation_then_removes_every_version() {
    let sim = start_sim(false).await;
    let dir = tempfile::tempdir().unwrap();
    let pairs = details(&sim, &[]);
    populate(&pairs).await;
    let store = store_for(&pairs);
    let credentials = store.ensure_account_user(ACCOUNT, None).await.unwrap();
    let browser = store.browser(&credentials).unwrap();
    browser
        .upload(
            "alpha",
            "data.bin",
            Body::Bytes(b"second version".to_vec().into()),
        )
        .await
        .unwrap();
    browser.delete("alpha", "data.bin", None).await.unwrap();
    let file = details_file(dir.path(), &pairs);

    let run = ecsctl(args(&["buckets", "empty", "alpha", "--details", &file])).await;
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(run.stderr.contains("add --yes"), "{}", run.stderr);
    assert_eq!(
        browser.versions("alpha", None).await.unwrap().len(),
        3,
        "nothing deleted without --yes"
    );

    let run = ecsctl(args(&[
        "buckets",
        "empty",
        "alpha",
        "--yes",
        "--details",
        &file,
        "--json",
    ]))
    .await;
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(run.json()["deleted"], 3, "two versions and a delete marker");
    store
        .delete_bucket("alpha")
        .await
        .expect("an empty bucket can be deleted");
    store.close().await;
    sim.shutdown().await;
}
