//! Faults injected in the middle of bucket creation: the half-made bucket is rolled back, and
//! nothing is left behind.
#![allow(clippy::unwrap_used)] // Test code: a failed unwrap is a failed test.

mod common;

use common::ACCOUNT;
use ecs_driver::{BucketSpec, ErrorKind, PolicySpec};
use ecs_sim::{Api, FaultRule};

fn always_500(api: Api, method: &str, path: &str) -> FaultRule {
    let mut rule = FaultRule::new(api, path);
    rule.method = Some(method.to_owned());
    rule.error_500 = 1.0;
    rule
}

fn spec(name: &str) -> BucketSpec {
    let mut spec = BucketSpec::new(name, ACCOUNT);
    spec.versioning = true;
    spec.policy = Some(PolicySpec::Public);
    spec.quota_gib = Some(1);
    spec
}

async fn assert_gone(env: &common::Env, bucket: &str) {
    assert!(
        !common::admin(&env.sim)
            .buckets()
            .exists(bucket, "ns1")
            .await
            .unwrap(),
        "{bucket} left behind"
    );
    assert!(
        env.store
            .list_buckets()
            .await
            .unwrap()
            .iter()
            .all(|b| b.name != bucket)
    );
}

#[tokio::test]
async fn a_failing_versioning_step_rolls_the_bucket_back() {
    let env = common::start().await;
    env.provisioned().await;
    env.sim.control().add_fault(always_500(
        Api::Mgmt,
        "PUT",
        "/object/bucket/faulty/versioning",
    ));
    let err = env.store.create_bucket(&spec("faulty")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable, "{err}");
    assert!(err.to_string().contains("versioning"), "{err}");
    assert!(
        env.mgmt_requests()
            .contains(&"POST /object/bucket/faulty/deactivate?namespace=ns1".to_owned())
    );
    env.sim.control().clear_faults();
    assert_gone(&env, "faulty").await;
    env.stop().await;
}

#[tokio::test]
async fn a_failing_policy_step_rolls_the_bucket_back() {
    let env = common::start().await;
    env.provisioned().await;
    env.sim.control().add_fault(always_500(
        Api::Mgmt,
        "PUT",
        "/object/bucket/no-policy/policy",
    ));
    let err = env
        .store
        .create_bucket(&spec("no-policy"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("policy"), "{err}");
    env.sim.control().clear_faults();
    assert_gone(&env, "no-policy").await;
    env.stop().await;
}

#[tokio::test]
async fn a_failing_cors_step_rolls_the_bucket_back() {
    let env = common::start_with(&[("cors_origins", "https://cloud.example.com")]).await;
    env.provisioned().await;
    env.sim
        .control()
        .add_fault(always_500(Api::S3, "PUT", "/no-cors"));
    let err = env.store.create_bucket(&spec("no-cors")).await.unwrap_err();
    assert!(err.to_string().contains("CORS"), "{err}");
    env.sim.control().clear_faults();
    assert_gone(&env, "no-cors").await;
    env.stop().await;
}

#[tokio::test]
async fn a_failed_rollback_says_so() {
    let env = common::start().await;
    env.provisioned().await;
    let control = env.sim.control();
    control.add_fault(always_500(
        Api::Mgmt,
        "PUT",
        "/object/bucket/stuck/versioning",
    ));
    control.add_fault(always_500(
        Api::Mgmt,
        "POST",
        "/object/bucket/stuck/deactivate",
    ));
    let err = env.store.create_bucket(&spec("stuck")).await.unwrap_err();
    assert!(err.to_string().contains("delete it by hand"), "{err}");
    control.clear_faults();
    env.store.delete_bucket("stuck").await.unwrap();
    assert_gone(&env, "stuck").await;
    env.stop().await;
}

#[tokio::test]
async fn a_lost_creation_answer_still_creates_exactly_one_bucket() {
    let env = common::start().await;
    env.provisioned().await;
    let mut rule = FaultRule::new(Api::Mgmt, "/object/bucket");
    rule.method = Some("POST".to_owned());
    rule.drop_connection = 1.0;
    rule.times = Some(1);
    env.sim.control().add_fault(rule);
    let created = env.store.create_bucket(&spec("dropped")).await.unwrap();
    assert_eq!(created.name, "dropped");
    let buckets = env.store.list_buckets().await.unwrap();
    assert_eq!(buckets.iter().filter(|b| b.name == "dropped").count(), 1);
    env.stop().await;
}

#[tokio::test]
async fn a_transient_503_is_absorbed() {
    let env = common::start().await;
    env.provisioned().await;
    let mut rule = FaultRule::new(Api::Mgmt, "/object/bucket/flaky/policy");
    rule.error_503 = 1.0;
    rule.times = Some(1);
    env.sim.control().add_fault(rule);
    env.store.create_bucket(&spec("flaky")).await.unwrap();
    assert!(env.store.get_policy("flaky").await.unwrap().is_some());
    env.stop().await;
}

#[tokio::test]
async fn a_key_not_yet_known_to_s3_is_waited_for_within_the_bound() {
    let env = common::start_with(&[("cors_origins", "https://cloud.example.com")]).await;
    let stored = env.provisioned().await;
    // CloudStack holds a key ECS learns about a moment later (as a new key reaches nodes).
    let late = ecs_driver::AccountCredentials::new(stored.user_id.clone(), "late-key-0123456789");
    let admin = common::admin(&env.sim);
    let uid = stored.user_id.clone();
    let installer = tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
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
    let mut spec = spec("late-key");
    spec.credentials = Some(late);
    env.store.create_bucket(&spec).await.unwrap();
    installer.await.unwrap();
    let refused = env
        .s3_requests()
        .iter()
        .filter(|r| r.as_str() == "PUT /late-key/?cors")
        .count();
    assert!(
        refused >= 2,
        "the CORS call was repeated: {:?}",
        env.s3_requests()
    );
    env.stop().await;
}

#[tokio::test]
async fn a_key_that_never_works_fails_after_the_bound_and_rolls_back() {
    let env = common::start().await;
    let stored = env.provisioned().await;
    let mut details = common::details(&env.sim);
    details.insert(
        "cors_origins".to_owned(),
        "https://cloud.example.com".to_owned(),
    );
    let config = ecs_driver::StoreConfig::from_details(&details)
        .unwrap()
        .with_key_propagation_wait(std::time::Duration::from_millis(800));
    let store = ecs_driver::EcsObjectStore::new(config).unwrap();
    let mut spec = spec("never-key");
    spec.credentials = Some(ecs_driver::AccountCredentials::new(
        stored.user_id.clone(),
        "never-valid",
    ));
    let err = store.create_bucket(&spec).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized, "{err}");
    assert_gone(&env, "never-key").await;
    store.close().await;
    env.stop().await;
}
