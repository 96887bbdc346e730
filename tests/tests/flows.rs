//! End-to-end flows across crates: CloudStack's provisioning through `ecs-driver` against
//! `ecs-sim`, then the operator's `ecsctl` binary reading and changing the same state, then the
//! driver again: what one writes, the other sees.
//!
//! Each test starts its own emulator on loopback port 0 and stops it at the end.

// A test file: its helpers panic to report a failure, like the tests themselves.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use ecs_driver::{AccountCredentials, Body, BucketSpec, EcsObjectStore, ErrorKind, StoreConfig};
use ecs_sim::Sim;
use ecs_tests::{Run, ecsctl, store_details, write_details};
use serde_json::Value;

const ACCOUNT: &str = "4b1f0c3e-7d2a-4e55-9a61-0c8d2f6e1a97";
const USER: &str = "cs-4b1f0c3e-7d2a-4e55-9a61-0c8d2f6e1a97";

/// `ecsctl` off the async runtime (the emulator serves on the runtime's workers).
async fn run(args: &[&str]) -> Run {
    let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ecsctl(&args)
    })
    .await
    .unwrap()
}

/// `ecsctl ARGS --details FILE --json`, which must succeed.
async fn json(args: &[&str], details: &str) -> Value {
    let mut all = args.to_vec();
    all.extend(["--details", details, "--json"]);
    let run = run(&all).await;
    assert_eq!(run.code, 0, "{run:#?}");
    run.json().unwrap_or_else(|| panic!("not JSON: {run:#?}"))
}

fn driver(sim: &Sim) -> EcsObjectStore {
    let details = store_details(&sim.mgmt_url(), &sim.s3_url());
    EcsObjectStore::new(StoreConfig::from_details(&details).unwrap()).unwrap()
}

fn bucket_named<'a>(list: &'a Value, name: &str) -> Option<&'a Value> {
    list["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|bucket| bucket["name"] == name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_driver_provisions_ecsctl_reports_and_what_the_driver_deletes_it_forgets() {
    let sim = Sim::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let details = store_details(&sim.mgmt_url(), &sim.s3_url());
    let file = write_details(dir.path(), &details).unwrap();
    let file = file.to_str().unwrap();

    // CloudStack: an account, a bucket with a quota and versioning, an object.
    let store = driver(&sim);
    let credentials = store.ensure_account_user(ACCOUNT, None).await.unwrap();
    assert_eq!(credentials.user_id, USER);
    let spec = BucketSpec {
        credentials: Some(credentials.clone()),
        quota_gib: Some(3),
        versioning: true,
        ..BucketSpec::new("e2e-data", ACCOUNT)
    };
    store.create_bucket(&spec).await.unwrap();
    let browser = store.browser(&credentials).unwrap();
    browser
        .upload(
            "e2e-data",
            "report.csv",
            Body::Bytes(vec![b'r'; 4096].into()),
        )
        .await
        .unwrap();
    let usage = store.usage().await.unwrap();
    assert_eq!(usage.get("e2e-data"), Some(&4096));

    // The operator sees the same bucket, owner, quota, versioning and bytes.
    let list = json(&["buckets", "list"], file).await;
    let bucket = bucket_named(&list, "e2e-data").unwrap_or_else(|| panic!("{list:#}"));
    assert_eq!(bucket["owner"], USER, "{bucket:#}");
    assert_eq!(bucket["quota_gib"], 3, "{bucket:#}");
    assert_eq!(bucket["versioning"], true, "{bucket:#}");
    let ecsctl_usage = json(&["buckets", "usage"], file).await;
    assert_eq!(
        ecsctl_usage["buckets"]["e2e-data"], 4096,
        "{ecsctl_usage:#}"
    );
    assert_eq!(ecsctl_usage["total_bytes"], 4096, "{ecsctl_usage:#}");
    let users = json(&["users", "list"], file).await;
    let user = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|user| user["user"] == USER)
        .unwrap_or_else(|| panic!("{users:#}"));
    assert_eq!(
        (user["managed"].as_bool(), user["keys"].as_u64()),
        (Some(true), Some(1))
    );

    // CloudStack deletes the bucket (emptied first, every version) and the account.
    let versions = browser.versions("e2e-data", None).await.unwrap();
    assert_eq!(versions.len(), 1);
    for version in &versions {
        browser
            .delete("e2e-data", &version.key, Some(&version.version_id))
            .await
            .unwrap();
    }
    store.delete_bucket("e2e-data").await.unwrap();
    store.delete_account_user(ACCOUNT).await.unwrap();
    store.close().await;

    let list = json(&["buckets", "list"], file).await;
    assert!(bucket_named(&list, "e2e-data").is_none(), "{list:#}");
    let users = json(&["users", "list"], file).await;
    assert!(
        !users["users"]
            .as_array()
            .unwrap()
            .iter()
            .any(|user| user["user"] == USER),
        "{users:#}"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_rotated_with_ecsctl_serves_the_driver_and_the_old_key_ends_after_the_grace() {
    let sim = Sim::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = write_details(dir.path(), &store_details(&sim.mgmt_url(), &sim.s3_url())).unwrap();
    let file = file.to_str().unwrap();

    let store = driver(&sim);
    let old = store.ensure_account_user(ACCOUNT, None).await.unwrap();
    store
        .create_bucket(&BucketSpec {
            credentials: Some(old.clone()),
            ..BucketSpec::new("e2e-keys", ACCOUNT)
        })
        .await
        .unwrap();

    let rotated = json(&["keys", "rotate", ACCOUNT, "--grace-minutes", "5"], file).await;
    assert_eq!(rotated["access_key"], USER, "{rotated:#}");
    let new = AccountCredentials::new(USER, rotated["secret_key"].as_str().unwrap());

    // Both keys work during the grace period, through the driver's S3 path.
    for (credentials, key) in [(&old, "by-old-key"), (&new, "by-new-key")] {
        store
            .browser(credentials)
            .unwrap()
            .upload("e2e-keys", key, Body::Bytes(b"x".to_vec().into()))
            .await
            .unwrap();
    }
    // CloudStack, re-reading the account, now gets the new key.
    let stored = store
        .ensure_account_user(ACCOUNT, Some(new.clone()))
        .await
        .unwrap();
    assert_eq!(stored.user_id, USER);

    sim.control().advance_clock(Duration::from_secs(6 * 60));
    let refused = store
        .browser(&old)
        .unwrap()
        .download("e2e-keys", "by-old-key", None)
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Unauthorized, "{refused:?}");
    let body = store
        .browser(&new)
        .unwrap()
        .download("e2e-keys", "by-old-key", None)
        .await
        .unwrap();
    assert_eq!(&body[..], b"x");
    let users = json(&["users", "list"], file).await;
    let user = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|user| user["user"] == USER)
        .unwrap_or_else(|| panic!("{users:#}"));
    assert_eq!(user["keys"], 1, "the old key expired: {user:#}");
    store.close().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_provisioned_before_an_emulator_restart_is_what_ecsctl_reads_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let data = dir.path().join("data");
    let builder = || Sim::builder().state_file(&state).data_dir(&data);

    let sim = builder().start().await.unwrap();
    let store = driver(&sim);
    let credentials = store.ensure_account_user(ACCOUNT, None).await.unwrap();
    store
        .create_bucket(&BucketSpec {
            credentials: Some(credentials.clone()),
            ..BucketSpec::new("e2e-kept", ACCOUNT)
        })
        .await
        .unwrap();
    store
        .browser(&credentials)
        .unwrap()
        .upload("e2e-kept", "kept.bin", Body::Bytes(vec![7; 1000].into()))
        .await
        .unwrap();
    store.close().await;
    sim.shutdown().await;

    // A new emulator (new ports) from the same files.
    let sim = builder().start().await.unwrap();
    let file = write_details(dir.path(), &store_details(&sim.mgmt_url(), &sim.s3_url())).unwrap();
    let usage = json(&["buckets", "usage"], file.to_str().unwrap()).await;
    assert_eq!(usage["buckets"]["e2e-kept"], 1000, "{usage:#}");
    let store = driver(&sim);
    let again = store
        .ensure_account_user(ACCOUNT, Some(credentials.clone()))
        .await
        .unwrap();
    assert_eq!(again.user_id, credentials.user_id);
    let body = store
        .browser(&again)
        .unwrap()
        .download("e2e-kept", "kept.bin", None)
        .await
        .unwrap();
    assert_eq!(body.len(), 1000);
    store.close().await;
    sim.shutdown().await;
}
