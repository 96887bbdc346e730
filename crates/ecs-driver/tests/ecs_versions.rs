//! The driver against the emulator as ECS 3.6 and as ECS 4.1: the release is found out (and
//! shown in the check report), and bucket versioning takes the path the release has: the
//! management endpoint on 4.x, S3 with the bucket owner's keys on 3.x (absent endpoint).
#![allow(clippy::unwrap_used)] // Test code: a failed unwrap is a failed test.

mod common;

use std::time::Duration;

use common::{ACCOUNT, Env, full_spec, user_id};
use ecs_driver::{AccountCredentials, BucketSpec, PolicySpec};
use ecs_sim::{EcsVersion, Sim};

const VERSIONS: [EcsVersion; 2] = [EcsVersion::V3_6, EcsVersion::V4_1];

async fn start(version: EcsVersion, extra: &[(&str, &str)]) -> Env {
    let sim = Sim::builder()
        .ecs_version(version)
        .start()
        .await
        .expect("emulator starts");
    let store = common::store_with(&sim, extra);
    Env { sim, store }
}

/// The bucket's versioning as the management API's bucket info reports it (every release), as
/// `Some(Enabled)` / `Some(Suspended)` / `None` (whether the field is a string or an enum).
async fn versioning_status(env: &Env, bucket: &str) -> String {
    let info = common::admin(&env.sim)
        .buckets()
        .info(bucket, "ns1")
        .await
        .unwrap();
    format!("{:?}", info.versioning_status)
}

#[tokio::test]
async fn the_check_report_shows_the_release_and_the_versioning_path() {
    for (version, shown, path) in [
        (
            EcsVersion::V3_6,
            "ECS 3.6.0",
            "through S3 with the bucket owner's keys",
        ),
        (EcsVersion::V4_1, "ECS 4.1.0", "through the management API"),
    ] {
        let env = start(version, &[]).await;
        let report = env.store.check().await;
        assert!(report.ok, "{}", report.summary());
        let check = report
            .checks
            .iter()
            .find(|check| check.name == "ecs_version")
            .unwrap();
        assert!(
            check.detail.starts_with(shown),
            "{version}: {}",
            check.detail
        );
        assert!(check.detail.contains(path), "{version}: {}", check.detail);
        assert!(env.mgmt_requests().contains(&"GET /vdc/nodes".to_owned()));

        // Registration taught the store its release: no second lookup.
        env.clear_log();
        let release = env.store.ecs_release().await.unwrap().unwrap();
        assert_eq!(release.to_string(), version.to_string());
        assert_eq!(env.all_requests(), 0);
        env.stop().await;
    }
}

#[tokio::test]
async fn cloudstack_create_flow_on_both_releases() {
    for version in VERSIONS {
        let env = start(version, &[("cors_origins", "https://cloud.example.com")]).await;
        let credentials = env.provisioned().await;
        let uid = user_id(ACCOUNT);
        let spec = full_spec("every-option", credentials);
        env.store.create_bucket(&spec).await.unwrap();
        // CloudStack's follow-ups with the creation values: answered from memory.
        env.store
            .set_versioning("every-option", true)
            .await
            .unwrap();
        env.store
            .set_encryption("every-option", true)
            .await
            .unwrap();
        env.store.set_quota("every-option", 5).await.unwrap();
        env.store
            .set_policy("every-option", &PolicySpec::Public)
            .await
            .unwrap();

        let (mgmt, s3): (&[&str], &[&str]) = if version.has_mgmt_versioning() {
            (
                &[
                    "POST /object/bucket",
                    "PUT /object/bucket/every-option/versioning?namespace=ns1",
                    "PUT /object/bucket/every-option/policy?namespace=ns1",
                ],
                &["PUT /every-option/?cors"],
            )
        } else {
            (
                &[
                    "POST /object/bucket",
                    "PUT /object/bucket/every-option/policy?namespace=ns1",
                ],
                &["PUT /every-option/?versioning", "PUT /every-option/?cors"],
            )
        };
        assert_eq!(env.mgmt_requests(), mgmt, "ECS {version}");
        assert_eq!(env.s3_requests(), s3, "ECS {version}");
        assert_eq!(
            versioning_status(&env, "every-option").await,
            "Enabled",
            "ECS {version}"
        );
        let info = common::admin(&env.sim)
            .buckets()
            .info("every-option", "ns1")
            .await
            .unwrap();
        assert_eq!(info.owner.as_deref(), Some(uid.as_str()));
        assert_eq!(info.block_size_gb, Some(5));

        assert_eq!(mgmt.len() + s3.len(), 4, "steady state on every release");
        env.stop().await;
    }
}

#[tokio::test]
async fn a_store_finds_the_release_out_once_at_its_first_versioning_change() {
    for version in VERSIONS {
        let env = start(version, &[]).await;
        let credentials = env.store.ensure_account_user(ACCOUNT, None).await.unwrap();
        env.clear_log();
        for name in ["first", "second"] {
            let mut spec = BucketSpec::new(name, ACCOUNT);
            spec.versioning = true;
            spec.credentials = Some(credentials.clone());
            env.store.create_bucket(&spec).await.unwrap();
        }
        let lookups = env
            .mgmt_requests()
            .iter()
            .filter(|r| r.as_str() == "GET /vdc/nodes")
            .count();
        assert_eq!(lookups, 1, "ECS {version}: {:?}", env.mgmt_requests());
        env.stop().await;
    }
}

#[tokio::test]
async fn the_update_form_changes_versioning_on_both_releases() {
    for version in VERSIONS {
        let env = start(version, &[]).await;
        env.provisioned().await;
        let mut spec = BucketSpec::new("versioned", ACCOUNT);
        spec.versioning = true;
        env.store.create_bucket(&spec).await.unwrap();
        env.clear_log();

        env.store.set_versioning("versioned", false).await.unwrap();
        let uid = user_id(ACCOUNT);
        if version.has_mgmt_versioning() {
            assert_eq!(
                env.mgmt_requests(),
                ["PUT /object/bucket/versioned/versioning?namespace=ns1"]
            );
            assert!(env.s3_requests().is_empty());
        } else {
            // The update form's BucketTO reaches the driver without keys it can trust, so the
            // owner and one of their live keys are read from the management API.
            assert_eq!(
                env.mgmt_requests(),
                [
                    "GET /object/bucket/versioned/info?namespace=ns1".to_owned(),
                    format!("GET /object/user-secret-keys/{uid}/ns1"),
                ]
            );
            assert_eq!(env.s3_requests(), ["PUT /versioned/?versioning"]);
        }
        assert_eq!(
            versioning_status(&env, "versioned").await,
            "Suspended",
            "ECS {version}"
        );
        env.store.set_versioning("versioned", true).await.unwrap();
        assert_eq!(
            versioning_status(&env, "versioned").await,
            "Enabled",
            "ECS {version}"
        );
        env.stop().await;
    }
}

#[tokio::test]
async fn on_3x_the_management_endpoint_is_absent_and_never_called() {
    let env = start(EcsVersion::V3_6, &[]).await;
    env.provisioned().await;
    let mut spec = BucketSpec::new("old-ecs", ACCOUNT);
    spec.versioning = true;
    env.store.create_bucket(&spec).await.unwrap();
    let err = common::admin(&env.sim)
        .buckets()
        .versioning("old-ecs", "ns1")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ecs_driver::ErrorKind::NotFound, "{err}");
    let calls: Vec<String> = env
        .mgmt_requests()
        .into_iter()
        .filter(|r| r.contains("/versioning"))
        .collect();
    assert_eq!(calls.len(), 1, "only the probe above: {calls:?}");
    env.stop().await;
}

#[tokio::test]
async fn on_3x_versioning_waits_for_a_new_key_like_the_cors_step() {
    let env = start(EcsVersion::V3_6, &[]).await;
    let stored = env.provisioned().await;
    // CloudStack holds a key ECS learns about a moment later (as a new key reaches nodes).
    let late = AccountCredentials::new(stored.user_id.clone(), "late-key-0123456789");
    let admin = common::admin(&env.sim);
    let uid = stored.user_id.clone();
    let installer = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(600)).await;
        let create = ecs_mgmt::SecretKeyCreate {
            secret: Some(ecs_driver::SecretString::from(
                "late-key-0123456789".to_owned(),
            )),
            existing_key_expiry_mins: None,
        };
        admin
            .secret_keys()
            .create(&uid, "ns1", create)
            .await
            .unwrap();
    });
    let mut spec = BucketSpec::new("late-key", ACCOUNT);
    spec.versioning = true;
    spec.credentials = Some(late);
    env.store.create_bucket(&spec).await.unwrap();
    installer.await.unwrap();
    let tries = env
        .s3_requests()
        .iter()
        .filter(|r| r.as_str() == "PUT /late-key/?versioning")
        .count();
    assert!(
        tries >= 2,
        "the versioning call was repeated: {:?}",
        env.s3_requests()
    );
    assert_eq!(versioning_status(&env, "late-key").await, "Enabled");
    env.stop().await;
}

#[tokio::test]
async fn on_3x_a_key_that_never_works_fails_the_create_and_rolls_back() {
    let env = start(EcsVersion::V3_6, &[]).await;
    let stored = env.provisioned().await;
    let config = ecs_driver::StoreConfig::from_details(&common::details(&env.sim))
        .unwrap()
        .with_key_propagation_wait(Duration::from_millis(800));
    let store = ecs_driver::EcsObjectStore::new(config).unwrap();
    let mut spec = BucketSpec::new("never-key", ACCOUNT);
    spec.versioning = true;
    spec.credentials = Some(AccountCredentials::new(
        stored.user_id.clone(),
        "never-valid",
    ));
    let err = store.create_bucket(&spec).await.unwrap_err();
    assert_eq!(err.kind(), ecs_driver::ErrorKind::Unauthorized, "{err}");
    assert!(err.to_string().contains("enable versioning"), "{err}");
    assert!(
        !common::admin(&env.sim)
            .buckets()
            .exists("never-key", "ns1")
            .await
            .unwrap()
    );
    store.close().await;
    env.stop().await;
}
