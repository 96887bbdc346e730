//! CloudStack's call sequences (`BucketApiServiceImpl`) replayed against the emulator, with
//! the exact ECS requests asserted from the emulator's request log.
#![allow(clippy::unwrap_used)] // Test code: a failed unwrap is a failed test.

mod common;

use common::{ACCOUNT, OTHER_ACCOUNT, cloudstack_create_follow_ups, full_spec, user_id};
use ecs_driver::{BucketSpec, ErrorKind, PolicySpec};
use ecs_mgmt::VersioningStatus;
use serde_json::Value;

#[tokio::test]
async fn create_with_every_option_takes_five_requests_in_steady_state() {
    let env = common::start_with(&[("cors_origins", "https://cloud.example.com")]).await;
    let stored = env.provisioned().await;
    let uid = user_id(ACCOUNT);

    // allocBucket: createUser; then the async job: createBucket and its follow-ups.
    let credentials = env
        .store
        .ensure_account_user(ACCOUNT, Some(stored))
        .await
        .unwrap();
    let spec = full_spec("every-option", credentials.clone());
    let created = env.store.create_bucket(&spec).await.unwrap();
    cloudstack_create_follow_ups(&env.store, &spec).await;

    assert_eq!(created.url, "https://s3.example.com/every-option");
    assert!(created.credentials.same_as(&credentials));
    let mgmt = env.mgmt_requests();
    let s3 = env.s3_requests();
    assert_eq!(
        mgmt,
        [
            format!("GET /object/user-secret-keys/{uid}/ns1"),
            "POST /object/bucket".to_owned(),
            "PUT /object/bucket/every-option/versioning?namespace=ns1".to_owned(),
            "PUT /object/bucket/every-option/policy?namespace=ns1".to_owned(),
        ]
    );
    assert_eq!(s3, ["PUT /every-option/?cors"]);
    assert!(mgmt.len() + s3.len() <= 5);

    let admin = common::admin(&env.sim);
    let info = admin.buckets().info("every-option", "ns1").await.unwrap();
    assert_eq!(info.owner.as_deref(), Some(uid.as_str()));
    assert_eq!(info.block_size_gb, Some(5));
    assert!(info.encryption);
    assert_eq!(
        admin
            .buckets()
            .versioning("every-option", "ns1")
            .await
            .unwrap(),
        VersioningStatus::Enabled
    );
    let policy: Value =
        serde_json::from_str(&env.store.get_policy("every-option").await.unwrap().unwrap())
            .unwrap();
    assert_eq!(policy["Statement"].as_array().unwrap().len(), 2);
    env.stop().await;
}

#[tokio::test]
async fn a_first_bucket_provisions_the_account_on_the_way() {
    let env = common::start().await;
    let created = env
        .store
        .create_bucket(&BucketSpec::new("first-bucket", ACCOUNT))
        .await
        .unwrap();
    assert_eq!(created.credentials.user_id, user_id(ACCOUNT));
    let info = common::admin(&env.sim)
        .buckets()
        .info("first-bucket", "ns1")
        .await
        .unwrap();
    assert_eq!(info.owner, Some(user_id(ACCOUNT)));
    assert_eq!(
        info.block_size_gb.filter(|gib| *gib > 0),
        None,
        "no quota was invented"
    );
    assert!(!info.encryption);
    assert_eq!(env.store.get_policy("first-bucket").await.unwrap(), None);
    env.stop().await;
}

#[tokio::test]
async fn the_update_form_resending_values_is_idempotent() {
    let env = common::start().await;
    let credentials = env.provisioned().await;
    let spec = full_spec("updated", credentials);
    env.store.create_bucket(&spec).await.unwrap();
    cloudstack_create_follow_ups(&env.store, &spec).await;
    env.clear_log();

    // updateBucket: encryption, versioning, policy, quota, as UpdateBucket.vue re-sends them.
    for _ in 0..2 {
        env.store.set_encryption("updated", true).await.unwrap();
        env.store.set_versioning("updated", true).await.unwrap();
        env.store
            .set_policy("updated", &PolicySpec::Public)
            .await
            .unwrap();
        env.store.set_quota("updated", 5).await.unwrap();
    }
    let expected_once = [
        "GET /object/bucket/updated/info?namespace=ns1",
        "PUT /object/bucket/updated/versioning?namespace=ns1",
        "GET /object/bucket/updated/policy?namespace=ns1",
        "PUT /object/bucket/updated/quota?namespace=ns1",
    ];
    let expected: Vec<&str> = expected_once
        .iter()
        .chain(expected_once.iter())
        .copied()
        .collect();
    assert_eq!(
        env.mgmt_requests(),
        expected,
        "no policy write when it already is public"
    );
    let info = common::admin(&env.sim)
        .buckets()
        .info("updated", "ns1")
        .await
        .unwrap();
    assert_eq!(info.block_size_gb, Some(5));
    env.stop().await;
}

#[tokio::test]
async fn quota_can_grow_shrink_and_go_away() {
    let env = common::start().await;
    env.provisioned().await;
    let mut spec = BucketSpec::new("quota-bucket", ACCOUNT);
    spec.quota_gib = Some(0);
    env.store.create_bucket(&spec).await.unwrap();
    let admin = common::admin(&env.sim);
    let quota = |gib: Option<u64>| gib.filter(|gib| *gib > 0);
    let read = || async {
        admin
            .buckets()
            .quota("quota-bucket", "ns1")
            .await
            .unwrap()
            .block_size_gb
    };
    assert_eq!(quota(read().await), None, "0 at creation means no quota");
    env.store.set_quota("quota-bucket", 10).await.unwrap();
    assert_eq!(quota(read().await), Some(10));
    env.store.set_quota("quota-bucket", 3).await.unwrap();
    assert_eq!(quota(read().await), Some(3), "decreases apply");
    env.store.set_quota("quota-bucket", 0).await.unwrap();
    assert_eq!(quota(read().await), None, "0 removes the quota");
    env.store.set_quota("quota-bucket", 0).await.unwrap();
    env.stop().await;
}

#[tokio::test]
async fn versioning_off_means_suspended() {
    let env = common::start().await;
    env.provisioned().await;
    let mut spec = BucketSpec::new("versioned", ACCOUNT);
    spec.versioning = true;
    env.store.create_bucket(&spec).await.unwrap();
    env.store.set_versioning("versioned", false).await.unwrap();
    let admin = common::admin(&env.sim);
    assert_eq!(
        admin
            .buckets()
            .versioning("versioned", "ns1")
            .await
            .unwrap(),
        VersioningStatus::Suspended
    );
    env.store.set_versioning("versioned", false).await.unwrap();
    env.store.set_versioning("versioned", true).await.unwrap();
    assert_eq!(
        admin
            .buckets()
            .versioning("versioned", "ns1")
            .await
            .unwrap(),
        VersioningStatus::Enabled
    );
    env.stop().await;
}

#[tokio::test]
async fn encryption_is_fixed_at_creation() {
    let env = common::start().await;
    env.provisioned().await;
    env.store
        .create_bucket(&BucketSpec::new("plain", ACCOUNT))
        .await
        .unwrap();
    env.store.set_encryption("plain", false).await.unwrap();
    let err = env.store.set_encryption("plain", true).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(err.to_string().contains("cannot be turned on"), "{err}");
    env.stop().await;
}

#[tokio::test]
async fn private_removes_public_grants_but_keeps_custom_statements() {
    let env = common::start().await;
    env.provisioned().await;
    env.store
        .create_bucket(&BucketSpec::new("policies", ACCOUNT))
        .await
        .unwrap();
    let custom = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "PartnerRead", "Effect": "Allow", "Principal": {"AWS": ["partner"]},
            "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::policies/shared/*"]
        }]
    });
    env.store
        .set_policy("policies", &PolicySpec::parse(&custom.to_string()).unwrap())
        .await
        .unwrap();
    env.store
        .set_policy("policies", &PolicySpec::parse("Public").unwrap())
        .await
        .unwrap();
    let public: Value =
        serde_json::from_str(&env.store.get_policy("policies").await.unwrap().unwrap()).unwrap();
    assert_eq!(
        public["Statement"].as_array().unwrap().len(),
        3,
        "public added to the custom statement"
    );

    env.store
        .set_policy("policies", &PolicySpec::parse("private").unwrap())
        .await
        .unwrap();
    let private: Value =
        serde_json::from_str(&env.store.get_policy("policies").await.unwrap().unwrap()).unwrap();
    let statements = private["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 1);
    assert_eq!(statements[0]["Sid"], "PartnerRead");

    // A policy naming another bucket never reaches ECS.
    env.clear_log();
    let foreign = custom
        .to_string()
        .replace("policies/shared", "someone-else");
    let err = env
        .store
        .set_policy("policies", &PolicySpec::parse(&foreign).unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(env.all_requests(), 0);

    env.store
        .set_policy("policies", &PolicySpec::Public)
        .await
        .unwrap();
    env.store
        .set_policy("policies", &PolicySpec::Private)
        .await
        .unwrap();
    env.stop().await;
}

#[tokio::test]
async fn a_taken_name_fails_without_touching_the_owner_bucket() {
    let env = common::start().await;
    env.store
        .create_bucket(&BucketSpec::new("contested", OTHER_ACCOUNT))
        .await
        .unwrap();
    let err = env
        .store
        .create_bucket(&BucketSpec::new("contested", ACCOUNT))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists, "{err}");
    let info = common::admin(&env.sim)
        .buckets()
        .info("contested", "ns1")
        .await
        .unwrap();
    assert_eq!(
        info.owner,
        Some(user_id(OTHER_ACCOUNT)),
        "never rolled back: it is not ours"
    );
    env.stop().await;
}

#[tokio::test]
async fn delete_removes_and_a_missing_bucket_counts_as_deleted() {
    let env = common::start().await;
    env.provisioned().await;
    env.store
        .create_bucket(&BucketSpec::new("doomed", ACCOUNT))
        .await
        .unwrap();
    env.clear_log();
    env.store.delete_bucket("doomed").await.unwrap();
    env.store.delete_bucket("doomed").await.unwrap();
    assert_eq!(
        env.mgmt_requests(),
        [
            "POST /object/bucket/doomed/deactivate?namespace=ns1",
            "POST /object/bucket/doomed/deactivate?namespace=ns1"
        ]
    );
    assert!(
        !common::admin(&env.sim)
            .buckets()
            .exists("doomed", "ns1")
            .await
            .unwrap()
    );
    env.stop().await;
}

#[tokio::test]
async fn a_non_empty_bucket_is_refused_saying_what_remains() {
    // A store that refuses object lock made no lock bucket: the refusal reads metering only.
    refused_saying_what_remains(
        &[("object_lock", "refuse")],
        &[
            "POST /object/bucket/full-bucket/deactivate?namespace=ns1",
            "GET /object/billing/buckets/ns1/full-bucket/info?sizeunit=BYTE",
        ],
    )
    .await;
    // By default (object lock allowed) the driver first asks whether the bucket has object
    // lock, to name the date a retained bucket can go: one request more.
    refused_saying_what_remains(
        &[],
        &[
            "POST /object/bucket/full-bucket/deactivate?namespace=ns1",
            "GET /object/bucket/full-bucket/info?namespace=ns1",
            "GET /object/billing/buckets/ns1/full-bucket/info?sizeunit=BYTE",
        ],
    )
    .await;
}

async fn refused_saying_what_remains(extra: &[(&str, &str)], expected: &[&str]) {
    let env = common::start_with(extra).await;
    let credentials = env.provisioned().await;
    let mut spec = BucketSpec::new("full-bucket", ACCOUNT);
    spec.credentials = Some(credentials.clone());
    env.store.create_bucket(&spec).await.unwrap();
    let browser = env.store.browser(&credentials).unwrap();
    browser
        .upload("full-bucket", "a.txt", b"hello".to_vec().into())
        .await
        .unwrap();
    browser
        .upload("full-bucket", "dir/b.txt", b"world!".to_vec().into())
        .await
        .unwrap();
    env.clear_log();

    let err = env.store.delete_bucket("full-bucket").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotEmpty, "{err}");
    let message = err.to_string();
    assert!(
        message.contains("full-bucket") && message.contains("object"),
        "{message}"
    );
    assert_eq!(env.mgmt_requests(), expected);
    assert!(
        common::admin(&env.sim)
            .buckets()
            .exists("full-bucket", "ns1")
            .await
            .unwrap()
    );

    browser.delete("full-bucket", "a.txt", None).await.unwrap();
    browser
        .delete("full-bucket", "dir/b.txt", None)
        .await
        .unwrap();
    env.store.delete_bucket("full-bucket").await.unwrap();
    env.stop().await;
}

#[tokio::test]
async fn object_lock_is_refused_before_any_request_where_the_store_refuses_it() {
    let env = common::start_with(&[("object_lock", "refuse")]).await;
    let mut spec = BucketSpec::new("locked", ACCOUNT);
    spec.object_lock = true;
    let err = env.store.create_bucket(&spec).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(err.to_string().contains("object lock"), "{err}");
    assert_eq!(env.all_requests(), 0);
    env.stop().await;
}

#[tokio::test]
async fn hourly_usage_reports_bytes_by_bucket() {
    let env = common::start().await;
    env.provisioned().await;
    for name in ["usage-a", "usage-b", "usage-c"] {
        env.store
            .create_bucket(&BucketSpec::new(name, ACCOUNT))
            .await
            .unwrap();
    }
    let control = env.sim.control();
    control.set_bucket_usage("ns1", "usage-a", 1024, 2);
    control.set_bucket_usage("ns1", "usage-b", 5 << 30, 7);
    env.clear_log();
    let usage = env.store.usage().await.unwrap();
    assert_eq!(usage.get("usage-a"), Some(&1024));
    assert_eq!(usage.get("usage-b"), Some(&(5 << 30)));
    assert_eq!(usage.get("usage-c"), Some(&0));
    assert_eq!(
        env.mgmt_requests(),
        [
            "GET /object/bucket?namespace=ns1",
            "POST /object/billing/buckets/ns1/info?sizeunit=BYTE"
        ]
    );
    env.stop().await;
}

#[tokio::test]
async fn usage_survives_a_failing_batch_and_a_bad_bucket() {
    let env = common::start().await;
    env.provisioned().await;
    for name in ["good-one", "bad-one"] {
        env.store
            .create_bucket(&BucketSpec::new(name, ACCOUNT))
            .await
            .unwrap();
    }
    env.sim.control().set_bucket_usage("ns1", "good-one", 42, 1);
    let mut batch = ecs_sim::FaultRule::new(ecs_sim::Api::Mgmt, "/object/billing/buckets/ns1/info");
    batch.error_500 = 1.0;
    env.sim.control().add_fault(batch);
    let mut bad =
        ecs_sim::FaultRule::new(ecs_sim::Api::Mgmt, "/object/billing/buckets/ns1/bad-one");
    bad.error_500 = 1.0;
    env.sim.control().add_fault(bad);

    let usage = env.store.usage().await.unwrap();
    assert_eq!(usage.get("good-one"), Some(&42));
    assert_eq!(
        usage.get("bad-one"),
        None,
        "left out; CloudStack keeps its last size"
    );
    env.stop().await;
}

#[tokio::test]
async fn list_buckets_uses_the_service_account_and_sees_every_owner() {
    let env = common::start().await;
    env.store
        .create_bucket(&BucketSpec::new("mine-1", ACCOUNT))
        .await
        .unwrap();
    let mut spec = BucketSpec::new("theirs-1", OTHER_ACCOUNT);
    spec.quota_gib = Some(2);
    spec.encryption = true;
    env.store.create_bucket(&spec).await.unwrap();
    let mut buckets = env.store.list_buckets().await.unwrap();
    buckets.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(buckets.len(), 2);
    assert_eq!(buckets[0].name, "mine-1");
    assert_eq!(buckets[1].owner, Some(user_id(OTHER_ACCOUNT)));
    assert_eq!(buckets[1].quota_gib, Some(2));
    assert!(buckets[1].encryption);
    assert!(buckets[0].created.is_some());
    env.stop().await;
}

#[tokio::test]
async fn a_closed_store_refuses_calls_and_logs_out() {
    let env = common::start().await;
    env.provisioned().await;
    assert_eq!(env.sim.control().live_tokens("root"), 1);
    env.store.close().await;
    env.store.close().await;
    assert_eq!(env.sim.control().live_tokens("root"), 0);
    let err = env.store.list_buckets().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Closed);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn usage_asks_billing_in_batches_of_one_hundred() {
    let env = common::start().await;
    let admin = common::admin(&env.sim);
    for n in 0..150 {
        let create = ecs_mgmt::BucketCreate::new(format!("many-{n:03}"), "ns1");
        admin.buckets().create(&create).await.unwrap();
    }
    env.sim
        .control()
        .set_bucket_usage("ns1", "many-149", 149, 1);
    env.store.list_buckets().await.unwrap();
    env.clear_log();
    let usage = env.store.usage().await.unwrap();
    assert_eq!(usage.len(), 150);
    assert_eq!(usage.get("many-149"), Some(&149));
    assert_eq!(
        env.mgmt_requests(),
        [
            "GET /object/bucket?namespace=ns1",
            "POST /object/billing/buckets/ns1/info?sizeunit=BYTE",
            "POST /object/billing/buckets/ns1/info?sizeunit=BYTE",
        ]
    );
    env.stop().await;
}

#[tokio::test]
async fn one_login_serves_every_operation() {
    let env = common::start().await;
    let credentials = env.store.ensure_account_user(ACCOUNT, None).await.unwrap();
    for n in 0..5 {
        let name = format!("session-{n}");
        let spec = full_spec(&name, credentials.clone());
        env.store
            .ensure_account_user(ACCOUNT, Some(credentials.clone()))
            .await
            .unwrap();
        env.store.create_bucket(&spec).await.unwrap();
        cloudstack_create_follow_ups(&env.store, &spec).await;
        env.store.set_quota(&name, 9).await.unwrap();
    }
    env.store.usage().await.unwrap();
    env.store.list_buckets().await.unwrap();
    let logins = env
        .mgmt_requests()
        .iter()
        .filter(|r| *r == "GET /login")
        .count();
    assert_eq!(logins, 1);
    assert_eq!(env.sim.control().live_tokens("root"), 1);
    env.stop().await;
}
