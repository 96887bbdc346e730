//! `ecsctl tenants` against a live `ecs-sim`: with `tenancy=domain` one namespace per CloudStack
//! domain (made by the driver), each with its domain UUID, buckets, users, quota and use; with
//! `tenancy=shared` the store's namespace alone.

// A test file: its helpers panic to report a failure, like the tests themselves.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use ecs_driver::{Body, BucketSpec, EcsObjectStore, StoreConfig};
use ecs_sim::Sim;
use serde_json::Value;

const ACCOUNT_A: &str = "0e9c6e8a-1f0b-4c39-9c1b-2d5f3e4a5b6c";
const ACCOUNT_B: &str = "11111111-2222-4333-8444-555555555555";
const DOMAIN_A: &str = "aaaaaaaa-1111-4222-8333-444444444444";
const DOMAIN_B: &str = "bbbbbbbb-1111-4222-8333-444444444444";

/// Exit status and standard output of one `ecsctl` run (see `common::ecsctl`).
async fn ecsctl(args: Vec<String>) -> (i32, String) {
    let run = common::ecsctl(args).await;
    (run.code, run.stdout)
}

fn details(dir: &Path, sim: &Sim, extra: &str) -> (String, StoreConfig) {
    let text = format!(
        "mgmt_url={}\nsa_user=root\nsa_password=ChangeMe\nnamespace=ns1\ns3_public_url={}\n{extra}",
        sim.mgmt_url(),
        sim.s3_url()
    );
    let path = dir.join("store.properties");
    std::fs::write(&path, &text).unwrap();
    let map = text
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    (
        path.to_str().unwrap().to_owned(),
        StoreConfig::from_details(&map).unwrap(),
    )
}

#[tokio::test]
async fn tenants_shows_each_domains_namespace_and_its_use() {
    let sim = Sim::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (file, config) = details(
        dir.path(),
        &sim,
        "tenancy=domain\ntenant_namespace_quota_gib=20\n",
    );
    let store = EcsObjectStore::new(config).unwrap();
    let a = store.for_domain(DOMAIN_A).unwrap();
    let created = a
        .create_bucket(&BucketSpec::new("alpha", ACCOUNT_A))
        .await
        .unwrap();
    a.create_bucket(&BucketSpec::new("alpha-2", ACCOUNT_A))
        .await
        .unwrap();
    a.browser(&created.credentials)
        .unwrap()
        .upload("alpha", "k", Body::from(vec![7_u8; 1000]))
        .await
        .unwrap();
    let b = store.for_domain(DOMAIN_B).unwrap();
    b.create_bucket(&BucketSpec::new("beta", ACCOUNT_B))
        .await
        .unwrap();
    store.close().await;

    let (code, stdout) = ecsctl(vec!["tenants".into(), "--details".into(), file.clone()]).await;
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("tenancy=domain: 2 namespace(s)"),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("cs-{DOMAIN_A}")), "{stdout}");
    assert!(stdout.contains("20 GB"), "{stdout}");

    let (code, stdout) = ecsctl(vec![
        "tenants".into(),
        "--details".into(),
        file,
        "--json".into(),
    ])
    .await;
    assert_eq!(code, 0, "{stdout}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["tenancy"], "domain");
    let tenants = json["tenants"].as_array().unwrap();
    assert_eq!(tenants.len(), 2, "{json:#}");
    let first = &tenants[0];
    assert_eq!(first["namespace"], format!("cs-{DOMAIN_A}"));
    assert_eq!(first["domain_uuid"], DOMAIN_A);
    assert_eq!(first["buckets"], 2);
    assert_eq!(first["users"], 1);
    assert_eq!(first["hard_quota_gb"], 20);
    assert_eq!(first["used_bytes"], 1000);
    assert_eq!(tenants[1]["domain_uuid"], DOMAIN_B);
    assert_eq!(tenants[1]["buckets"], 1);
    assert_eq!(tenants[1]["used_bytes"], 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn tenants_of_a_shared_store_is_its_namespace() {
    let sim = Sim::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = details(dir.path(), &sim, "");
    let (code, stdout) = ecsctl(vec![
        "tenants".into(),
        "--details".into(),
        file,
        "--json".into(),
    ])
    .await;
    assert_eq!(code, 0, "{stdout}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["tenancy"], "shared");
    assert_eq!(json["tenants"][0]["namespace"], "ns1");
    assert_eq!(json["tenants"][0]["domain_uuid"], Value::Null);
    sim.shutdown().await;
}

/// `ecsctl doctor --json`'s `tenancy` finding, and the exit status.
async fn doctor_tenancy(file: &str) -> (i32, Value) {
    let (code, stdout) = ecsctl(vec![
        "doctor".into(),
        "--details".into(),
        file.to_owned(),
        "--json".into(),
    ])
    .await;
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let finding = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|check| check["name"] == "tenancy")
        .cloned()
        .unwrap_or_else(|| panic!("no tenancy check in {report:#}"));
    (code, finding)
}

#[tokio::test]
async fn doctor_fails_a_switch_between_tenancies_once_buckets_exist() {
    let sim = Sim::builder().start().await.unwrap();
    let (domain_dir, shared_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (domain_file, config) = details(domain_dir.path(), &sim, "tenancy=domain\n");
    let (shared_file, shared_config) = details(shared_dir.path(), &sim, "");

    // Nothing anywhere: both tenancies pass.
    let (_, finding) = doctor_tenancy(&shared_file).await;
    assert_eq!(finding["verdict"], "pass", "{finding:#}");
    let (_, finding) = doctor_tenancy(&domain_file).await;
    assert_eq!(finding["verdict"], "pass", "{finding:#}");

    let store = EcsObjectStore::new(config).unwrap();
    for (domain, bucket, account) in [
        (DOMAIN_A, "alpha", ACCOUNT_A),
        (DOMAIN_B, "beta", ACCOUNT_B),
    ] {
        store
            .for_domain(domain)
            .unwrap()
            .create_bucket(&BucketSpec::new(bucket, account))
            .await
            .unwrap();
    }
    store.close().await;
    let (_, finding) = doctor_tenancy(&domain_file).await;
    assert_eq!(finding["verdict"], "pass", "{finding:#}");

    // The store switched back to shared: its buckets are in the domains' namespaces.
    let (code, finding) = doctor_tenancy(&shared_file).await;
    assert_eq!(code, 1);
    assert_eq!(finding["verdict"], "fail", "{finding:#}");
    let detail = finding["detail"].as_str().unwrap();
    for part in [
        "tenancy=shared",
        &format!("cs-{DOMAIN_A} (domain {DOMAIN_A}): alpha"),
        &format!("cs-{DOMAIN_B} (domain {DOMAIN_B}): beta"),
        "where a shared store does not look",
    ] {
        assert!(detail.contains(part), "{part} in {detail}");
    }
    assert!(
        finding["fix"]
            .as_str()
            .unwrap()
            .contains("set tenancy=domain again"),
        "{finding:#}"
    );

    // And the other way: a bucket of the shared store makes domain tenancy fail (another
    // account: ECS's user ids are unique across namespaces).
    let shared = EcsObjectStore::new(shared_config).unwrap();
    shared
        .create_bucket(&BucketSpec::new(
            "gamma",
            "22222222-3333-4444-8555-666666666666",
        ))
        .await
        .unwrap();
    shared.close().await;
    let (code, finding) = doctor_tenancy(&domain_file).await;
    assert_eq!(code, 1);
    assert_eq!(finding["verdict"], "fail", "{finding:#}");
    assert!(
        finding["detail"].as_str().unwrap().contains("ns1: gamma"),
        "{finding:#}"
    );
    sim.shutdown().await;
}
