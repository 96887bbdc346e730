//! `ecsctl drift` as an operator runs it: human and JSON output, exit status 1 on drift, and
//! `--fix` refusing `--yes` alone.

// A test file: its helpers panic to report a failure, like the tests themselves.
#![allow(clippy::unwrap_used)]

mod common;

use ecs_driver::{BucketSpec, EcsObjectStore, StoreConfig};
use ecs_sim::Sim;

const ACCOUNT: &str = "0e9c6e8a-1f0b-4c39-9c1b-2d5f3e4a5b6c";

/// Exit status and standard output of one `ecsctl` run (see `common::ecsctl`).
async fn ecsctl(args: Vec<String>) -> (i32, String) {
    let run = common::ecsctl(args).await;
    (run.code, run.stdout)
}

#[tokio::test]
async fn drift_reports_exits_one_and_is_clean_with_matching_rows() {
    let sim = Sim::builder().start().await.expect("ecs-sim starts");
    let dir = tempfile::tempdir().unwrap();
    let details = dir.path().join("store.json");
    let pairs = serde_json::json!({
        "mgmt_url": sim.mgmt_url(), "sa_user": "root", "sa_password": "ChangeMe",
        "namespace": "ns1", "s3_public_url": sim.s3_url(),
    });
    std::fs::write(&details, pairs.to_string()).unwrap();
    let map: std::collections::HashMap<String, String> = serde_json::from_value(pairs).unwrap();
    let store = EcsObjectStore::new(StoreConfig::from_details(&map).unwrap()).unwrap();
    store
        .create_bucket(&BucketSpec::new("cli-drift", ACCOUNT))
        .await
        .unwrap();
    store.close().await;

    let clean = dir.path().join("clean.json");
    std::fs::write(
        &clean,
        format!(
            r#"{{"accounts":[{{"uuid":"{ACCOUNT}"}}],"buckets":[{{"name":"cli-drift","account_uuid":"{ACCOUNT}"}}]}}"#
        ),
    )
    .unwrap();
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, r#"{"accounts":[],"buckets":[]}"#).unwrap();
    let base = |rows: &std::path::Path| {
        vec![
            "drift".to_owned(),
            "--details".to_owned(),
            details.display().to_string(),
            "--cloudstack".to_owned(),
            rows.display().to_string(),
        ]
    };

    let (code, out) = ecsctl(base(&clean)).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("No drift."), "{out}");

    let (code, out) = ecsctl(base(&empty)).await;
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("bucket_without_row") && out.contains("user_of_deleted_account"),
        "{out}"
    );

    let mut json = vec!["--json".to_owned()];
    json.extend(base(&empty));
    let (code, out) = ecsctl(json).await;
    assert_eq!(code, 1);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["findings"].as_array().unwrap().len(), 2, "{value:#}");
    assert_eq!(value["compared_with_rows"], true);

    let mut yes_alone = base(&empty);
    yes_alone.push("--yes".to_owned());
    let (code, _) = ecsctl(yes_alone).await;
    assert_eq!(code, 2, "--yes needs --fix");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_beyond_shows_credentials_tags_and_a_clean_drift_report() {
    let sim = Sim::builder()
        .control(true)
        .start()
        .await
        .expect("ecs-sim starts");
    let (code, out) = ecsctl(vec![
        "demo".to_owned(),
        "--mgmt-url".to_owned(),
        sim.mgmt_url(),
        "--sa-user".to_owned(),
        "root".to_owned(),
        "--sa-password".to_owned(),
        "ChangeMe".to_owned(),
        "--namespace".to_owned(),
        "ns1".to_owned(),
        "--s3-public-url".to_owned(),
        sim.s3_url(),
        "--sim-control".to_owned(),
        sim.mgmt_url(),
        "--beyond".to_owned(),
    ])
    .await;
    assert_eq!(code, 0, "{out}");
    for expected in [
        "per-bucket credential: reads its bucket, cannot write another",
        "refused (FORBIDDEN)",
        "the first, revoked, no longer does",
        "cloudstack:account=",
        "drift report against CloudStack's rows (clean)",
        "a second domain in domain tenancy (its namespace created, its bucket invisible to the first domain's keys)",
        "bucket not found in their namespace; refused (FORBIDDEN) in the second's",
        "[20/20] remove the account's ECS user",
        "20 steps passed",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn drift_in_domain_tenancy_reads_every_domain_namespace_and_fixes_a_twin_key() {
    const OTHER: &str = "11111111-2222-4333-8444-555555555555";
    const DOMAIN_A: &str = "aaaaaaaa-1111-4222-8333-444444444444";
    const DOMAIN_B: &str = "bbbbbbbb-1111-4222-8333-444444444444";
    const NS_A: &str = "cs-aaaaaaaa-1111-4222-8333-444444444444";
    const NS_B: &str = "cs-bbbbbbbb-1111-4222-8333-444444444444";
    let sim = Sim::builder().start().await.expect("ecs-sim starts");
    let dir = tempfile::tempdir().unwrap();
    let details = dir.path().join("store.json");
    let pairs = serde_json::json!({
        "mgmt_url": sim.mgmt_url(), "sa_user": "root", "sa_password": "ChangeMe",
        "namespace": "ns1", "s3_public_url": sim.s3_url(), "tenancy": "domain",
    });
    std::fs::write(&details, pairs.to_string()).unwrap();
    let map: std::collections::HashMap<String, String> = serde_json::from_value(pairs).unwrap();
    let store = EcsObjectStore::new(StoreConfig::from_details(&map).unwrap()).unwrap();
    let (a, b) = (
        store.for_domain(DOMAIN_A).unwrap(),
        store.for_domain(DOMAIN_B).unwrap(),
    );
    a.create_bucket(&BucketSpec::new("cli-a", ACCOUNT))
        .await
        .unwrap();
    b.create_bucket(&BucketSpec::new("cli-b", OTHER))
        .await
        .unwrap();
    // Planted behind CloudStack's back: a bucket no row names in A's namespace, and a second
    // permanent key of B's user in B's.
    a.create_bucket(&BucketSpec::new("cli-orphan", ACCOUNT))
        .await
        .unwrap();
    let uid_b = store.config().user_id(OTHER).unwrap();
    store
        .mgmt()
        .secret_keys()
        .create(&uid_b, NS_B, ecs_driver::mgmt::SecretKeyCreate::default())
        .await
        .unwrap();
    store.close().await;

    let rows = |buckets: &[(&str, &str)]| {
        serde_json::json!({
            "accounts": [{"uuid": ACCOUNT, "domain_uuid": DOMAIN_A},
                         {"uuid": OTHER, "domain_uuid": DOMAIN_B}],
            "buckets": buckets.iter()
                .map(|(name, account)| serde_json::json!({"name": name, "account_uuid": account}))
                .collect::<Vec<_>>(),
        })
        .to_string()
    };
    let known = dir.path().join("known.json");
    std::fs::write(&known, rows(&[("cli-a", ACCOUNT), ("cli-b", OTHER)])).unwrap();
    let adopted = dir.path().join("adopted.json");
    std::fs::write(
        &adopted,
        rows(&[
            ("cli-a", ACCOUNT),
            ("cli-b", OTHER),
            ("cli-orphan", ACCOUNT),
        ]),
    )
    .unwrap();
    let run = |rows: &std::path::Path, extra: &[&str]| {
        let mut args: Vec<String> = extra.iter().map(|arg| (*arg).to_owned()).collect();
        args.extend([
            "drift".to_owned(),
            "--details".to_owned(),
            details.display().to_string(),
            "--cloudstack".to_owned(),
            rows.display().to_string(),
        ]);
        args
    };

    let (code, out) = ecsctl(run(&known, &["--json"])).await;
    assert_eq!(code, 1, "{out}");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut found: Vec<(String, String, String)> = value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_owned(),
                f["namespace"].as_str().unwrap().to_owned(),
                f["subject"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (
                "bucket_without_row".to_owned(),
                NS_A.to_owned(),
                "cli-orphan".to_owned()
            ),
            ("twin_key".to_owned(), NS_B.to_owned(), uid_b.clone()),
        ],
        "{value:#}"
    );
    assert_eq!(
        value["inventory"]["namespaces"],
        serde_json::json!({NS_A: DOMAIN_A, NS_B: DOMAIN_B, "ns1": null})
    );

    let mut fix = run(&known, &[]);
    fix.push("--fix".to_owned());
    let (code, out) = ecsctl(fix).await;
    assert_eq!(code, 1, "drift was there when read: {out}");
    assert!(
        out.contains("removed the newer key") && out.contains(NS_B),
        "{out}"
    );

    let (code, out) = ecsctl(run(&adopted, &[])).await;
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("in 3 namespace(s)") && out.contains("No drift."),
        "{out}"
    );
    sim.shutdown().await;
}
