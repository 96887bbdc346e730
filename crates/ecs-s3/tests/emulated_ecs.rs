//! Behaviour only `ecs-sim` can show, since SeaweedFS has no ECS quotas and no fault
//! injection: hard quotas, 503s and dropped connections, and how the SDK's retries meet them.

#![allow(clippy::unwrap_used)] // test code: a failed call is a failed test

mod common;

use common::sim::{NAMESPACE, SimServer};
use ecs_common::{ErrorKind, SecretString};
use ecs_s3::{Body, EcsS3Client};
use ecs_sim::{Api, FaultRule};

fn client(sim: &SimServer, user: &common::User, attempts: u32) -> EcsS3Client {
    EcsS3Client::builder()
        .endpoint(sim.sim.s3_url())
        .credentials(
            user.access_key.clone(),
            SecretString::from(user.secret_key.clone()),
        )
        .max_attempts(attempts)
        .build()
        .unwrap()
}

fn s3_fault(error_503: f64, drop_connection: f64, times: u32) -> FaultRule {
    FaultRule {
        api: Api::S3,
        path_prefix: "/".to_owned(),
        error_503,
        drop_connection,
        times: Some(times),
        ..FaultRule::default()
    }
}

#[tokio::test]
async fn hard_quota_is_quota_exceeded() {
    let sim = SimServer::start(false).await;
    let alice = sim.user("alice").await;
    sim.bucket_with(
        &alice,
        "alice-quota",
        serde_json::json!({ "blockSize": 1, "notificationSize": 1 }),
    )
    .await;
    // The bucket already holds its 1 GiB, as far as ECS knows.
    sim.sim
        .control()
        .set_bucket_usage(NAMESPACE, "alice-quota", 1 << 30, 1);
    let s3 = client(&sim, &alice, 3);
    let err = s3
        .put_object(
            "alice-quota",
            "more",
            Body::from(b"one byte too many".to_vec()),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::QuotaExceeded, "{err:?}");
    assert_eq!(err.remote_code(), Some("QuotaExceeded"));
    assert!(!err.is_retryable());
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn one_503_is_retried_away() {
    let sim = SimServer::start(false).await;
    let alice = sim.user("alice").await;
    sim.bucket(&alice, "alice-retry").await;
    sim.sim.control().add_fault(s3_fault(1.0, 0.0, 1));
    let s3 = client(&sim, &alice, 3);
    s3.put_object("alice-retry", "k", Body::from(b"v".to_vec()))
        .await
        .unwrap();
    assert!(s3.head_object("alice-retry", "k", None).await.is_ok());
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn exhausted_503s_are_unavailable_and_retryable() {
    let sim = SimServer::start(false).await;
    let alice = sim.user("alice").await;
    sim.bucket(&alice, "alice-busy").await;
    sim.sim.control().add_fault(s3_fault(1.0, 0.0, 2));
    let s3 = client(&sim, &alice, 2);
    let err = s3.get_versioning("alice-busy").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable, "{err:?}");
    assert_eq!(err.status(), Some(503));
    assert!(err.is_retryable());
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn dropped_connection_is_retryable() {
    let sim = SimServer::start(false).await;
    let alice = sim.user("alice").await;
    sim.bucket(&alice, "alice-drop").await;
    sim.sim.control().add_fault(s3_fault(0.0, 1.0, 1));
    let s3 = client(&sim, &alice, 1);
    let err = s3.get_versioning("alice-drop").await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Unavailable | ErrorKind::Connect),
        "{err:?}"
    );
    assert!(err.is_retryable());
    // With retries (the default), the same fault is invisible.
    sim.sim.control().add_fault(s3_fault(0.0, 1.0, 1));
    let s3 = client(&sim, &alice, 3);
    s3.get_versioning("alice-drop").await.unwrap();
    sim.sim.shutdown().await;
}
