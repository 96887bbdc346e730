//! What a namespace means on the S3 path, driven by `aws-sdk-s3`: its hard quota refuses
//! writes, its soft quota raises an alert, ECS retention (bucket period, object period,
//! namespace retention class) refuses deletes and overwrites; and a namespace that still
//! holds users is not deleted.

#![allow(
    clippy::unwrap_used,
    reason = "tests fail loudly on the first surprise"
)]

mod common;

use std::time::Duration;

use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use common::Mgmt;
use ecs_sim::Sim;
use reqwest::Method;
use serde_json::{Value, json};

const NS: &str = "ns1";
const GB: u64 = 1024 * 1024 * 1024;

/// An object user with a key, a bucket it owns, and an S3 client for it.
async fn setup(sim: &Sim, mgmt: &Mgmt, bucket: &str) -> Client {
    mgmt.ok(
        Method::POST,
        "/object/users",
        Some(json!({"user": "u1", "namespace": NS})),
    )
    .await;
    let key = mgmt
        .ok(
            Method::POST,
            "/object/user-secret-keys/u1",
            Some(json!({"namespace": NS})),
        )
        .await;
    mgmt.ok(
        Method::POST,
        "/object/bucket",
        Some(json!({"name": bucket, "namespace": NS, "owner": "u1"})),
    )
    .await;
    common::s3_client(sim, "u1", key["secret_key"].as_str().unwrap(), false)
}

async fn put(s3: &Client, bucket: &str, key: &str, len: usize) -> Result<(), String> {
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(vec![b'x'; len]))
        .send()
        .await
        .map(drop)
        .map_err(|err| common::s3_code(&err))
}

async fn put_with(s3: &Client, bucket: &str, key: &str, header: &'static str, value: &str) {
    let value = value.to_owned();
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from_static(b"kept"))
        .customize()
        .mutate_request(move |request| {
            request.headers_mut().insert(header, value.clone());
        })
        .send()
        .await
        .unwrap();
}

async fn delete(s3: &Client, bucket: &str, key: &str) -> Result<(), String> {
    s3.delete_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map(drop)
        .map_err(|err| common::s3_code(&err))
}

async fn alerts(mgmt: &Mgmt) -> Vec<Value> {
    let list = mgmt
        .ok(Method::GET, &format!("/vdc/alerts?namespace={NS}"), None)
        .await;
    list["alert"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn namespace_quota_blocks_hard_and_alerts_soft() {
    let sim = Sim::builder().start().await.unwrap();
    let mgmt = Mgmt::login(&sim).await;
    let s3 = setup(&sim, &mgmt, "tenant-b").await;
    mgmt.ok(
        Method::POST,
        "/object/bucket",
        Some(json!({"name": "other", "namespace": NS, "owner": "u1"})),
    )
    .await;
    // The other bucket already holds just under 2 GB (the emulator's usage hook).
    sim.control().set_bucket_usage(NS, "other", 2 * GB - 100, 1);
    let quota = format!("/object/namespaces/namespace/{NS}/quota");

    // Soft only: writes go on, one alert is raised.
    mgmt.ok(
        Method::PUT,
        &quota,
        Some(json!({"blockSize": -1, "notificationSize": 1})),
    )
    .await;
    assert!(alerts(&mgmt).await.is_empty());
    put(&s3, "tenant-b", "one", 60).await.unwrap();
    put(&s3, "tenant-b", "two", 60).await.unwrap();
    let raised = alerts(&mgmt).await;
    assert_eq!(raised.len(), 1, "{raised:?}");
    assert_eq!(raised[0]["type"], "NAMESPACE_SOFT_QUOTA_EXCEEDED");
    assert_eq!(raised[0]["namespace"], NS);

    // Hard: 2 GB with 2 GB - 100 + 120 bytes used refuses any write.
    mgmt.ok(
        Method::PUT,
        &quota,
        Some(json!({"blockSize": 2, "notificationSize": 1})),
    )
    .await;
    assert_eq!(
        put(&s3, "tenant-b", "three", 1).await.unwrap_err(),
        "QuotaExceeded"
    );
    delete(&s3, "tenant-b", "one").await.unwrap();
    delete(&s3, "tenant-b", "two").await.unwrap();
    // 100 bytes of room now: 60 fit, 60 more do not.
    put(&s3, "tenant-b", "three", 60).await.unwrap();
    assert_eq!(
        put(&s3, "tenant-b", "four", 60).await.unwrap_err(),
        "QuotaExceeded"
    );
    // A part copied from an object counts like an uploaded one: 60 bytes do not fit in 40.
    let upload = s3
        .create_multipart_upload()
        .bucket("tenant-b")
        .key("five")
        .send()
        .await
        .unwrap();
    let upload_id = upload.upload_id().unwrap();
    let copy_part = || {
        s3.upload_part_copy()
            .bucket("tenant-b")
            .key("five")
            .upload_id(upload_id)
            .part_number(1)
            .copy_source("tenant-b/three")
            .send()
    };
    let copied = copy_part().await.unwrap_err();
    assert_eq!(common::s3_code(&copied), "QuotaExceeded");
    mgmt.ok(Method::DELETE, &quota, None).await;
    copy_part().await.unwrap();
    put(&s3, "tenant-b", "four", 60).await.unwrap();
    sim.shutdown().await;
}

#[tokio::test]
async fn retention_refuses_deletes_and_overwrites_until_it_ends() {
    let sim = Sim::builder().start().await.unwrap();
    let mgmt = Mgmt::login(&sim).await;
    let s3 = setup(&sim, &mgmt, "tenant-b").await;

    // The bucket's default period.
    mgmt.ok(
        Method::PUT,
        "/object/bucket/tenant-b/retention",
        Some(json!({"namespace": NS, "period": 60})),
    )
    .await;
    put(&s3, "tenant-b", "doc", 10).await.unwrap();
    assert_eq!(
        delete(&s3, "tenant-b", "doc").await.unwrap_err(),
        "ObjectUnderRetention"
    );
    assert_eq!(
        put(&s3, "tenant-b", "doc", 10).await.unwrap_err(),
        "ObjectUnderRetention"
    );
    let batch = s3
        .delete_objects()
        .bucket("tenant-b")
        .delete(
            Delete::builder()
                .objects(ObjectIdentifier::builder().key("doc").build().unwrap())
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(batch.errors()[0].code(), Some("ObjectUnderRetention"));
    sim.control().advance_clock(Duration::from_secs(61));
    delete(&s3, "tenant-b", "doc").await.unwrap();
    mgmt.ok(
        Method::PUT,
        "/object/bucket/tenant-b/retention",
        Some(json!({"namespace": NS, "period": 0})),
    )
    .await;

    // A namespace retention class named by the object.
    mgmt.ok(
        Method::POST,
        &format!("/object/namespaces/namespace/{NS}/retention"),
        Some(json!({"name": "year", "period": 31_536_000})),
    )
    .await;
    put_with(
        &s3,
        "tenant-b",
        "contract",
        "x-emc-retention-policy",
        "year",
    )
    .await;
    put(&s3, "tenant-b", "free", 10).await.unwrap();
    sim.control().advance_clock(Duration::from_secs(86_400));
    assert_eq!(
        delete(&s3, "tenant-b", "contract").await.unwrap_err(),
        "ObjectUnderRetention"
    );
    delete(&s3, "tenant-b", "free").await.unwrap();
    // Shortening the class shortens the retention of every object that follows it (a new
    // token: the clock moved past the old one's idle timeout).
    let mgmt = Mgmt::login(&sim).await;
    mgmt.ok(
        Method::PUT,
        &format!("/object/namespaces/namespace/{NS}/retention/year"),
        Some(json!({"period": 3_600})),
    )
    .await;
    delete(&s3, "tenant-b", "contract").await.unwrap();

    // An object's own infinite period, and a class the namespace lacks.
    put_with(&s3, "tenant-b", "forever", "x-emc-retention-period", "-1").await;
    sim.control()
        .advance_clock(Duration::from_secs(10 * 31_536_000));
    assert_eq!(
        delete(&s3, "tenant-b", "forever").await.unwrap_err(),
        "ObjectUnderRetention"
    );
    let unknown = s3
        .put_object()
        .bucket("tenant-b")
        .key("x")
        .body(ByteStream::from_static(b"x"))
        .customize()
        .mutate_request(|request| {
            request
                .headers_mut()
                .insert("x-emc-retention-policy", "nope");
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(common::s3_code(&unknown), "InvalidArgument");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_namespace_with_users_is_not_deleted() {
    let sim = Sim::builder().start().await.unwrap();
    let mgmt = Mgmt::login(&sim).await;
    mgmt.ok(
        Method::POST,
        "/object/namespaces/namespace",
        Some(json!({"namespace": "t1"})),
    )
    .await;
    mgmt.ok(
        Method::POST,
        "/object/users",
        Some(json!({"user": "t1-user", "namespace": "t1"})),
    )
    .await;
    let (status, error) = mgmt
        .call(
            Method::POST,
            "/object/namespaces/namespace/t1/deactivate",
            None,
        )
        .await;
    assert_eq!((status, error["code"].clone()), (400, json!(1020)));
    mgmt.ok(
        Method::POST,
        "/object/users/deactivate",
        Some(json!({"user": "t1-user", "namespace": "t1"})),
    )
    .await;
    mgmt.ok(
        Method::POST,
        "/object/namespaces/namespace/t1/deactivate",
        None,
    )
    .await;
    sim.shutdown().await;
}
