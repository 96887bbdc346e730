//! Two management servers (two stores on one ECS) interleaving CloudStack's calls on the same
//! buckets: a change made on one is never hidden by what the other remembers from a create.
#![allow(clippy::unwrap_used)] // Test code: a failed unwrap is a failed test.

mod common;

use common::{ACCOUNT, cloudstack_create_follow_ups, user_id};
use ecs_driver::{BucketSpec, EcsObjectStore, ErrorKind, PolicySpec};
use ecs_mgmt::VersioningStatus;

fn spec(
    name: &str,
    versioning: bool,
    quota: Option<u64>,
    policy: Option<PolicySpec>,
) -> BucketSpec {
    BucketSpec {
        versioning,
        quota_gib: quota,
        policy,
        ..BucketSpec::new(name, ACCOUNT)
    }
}

/// CloudStack's `createBucket` job on one server: the driver's create, then the follow-ups
/// `BucketApiServiceImpl` sends (versioning and encryption only when on, quota and policy only
/// when given).
async fn create_job(store: &EcsObjectStore, spec: &BucketSpec) {
    store.create_bucket(spec).await.unwrap();
    cloudstack_create_follow_ups(store, spec).await;
}

struct Seen {
    versioning: VersioningStatus,
    quota: Option<u64>,
    policy: Option<String>,
}

async fn on_ecs(env: &common::Env, bucket: &str) -> Seen {
    let admin = common::admin(&env.sim);
    let info = admin.buckets().info(bucket, "ns1").await.unwrap();
    let versioning = admin.buckets().versioning(bucket, "ns1").await.unwrap();
    let policy = admin
        .buckets()
        .policy(bucket, "ns1")
        .await
        .unwrap()
        .filter(|text| !text.trim().is_empty() && text.trim() != "{}");
    Seen {
        versioning,
        quota: info.block_size_gb.filter(|gib| *gib > 0),
        policy,
    }
}

#[tokio::test]
async fn a_change_from_the_other_server_right_after_create_is_never_swallowed() {
    let env = common::start().await;
    let a = &env.store;
    let b = common::store_with(&env.sim, &[]);

    // Server A creates the bucket with versioning off, a 5 GiB quota and no policy.
    create_job(a, &spec("shared", false, Some(5), None)).await;
    // Within seconds, server B's update form: versioning on, 10 GiB, public.
    b.set_versioning("shared", true).await.unwrap();
    b.set_quota("shared", 10).await.unwrap();
    b.set_policy("shared", &PolicySpec::Public).await.unwrap();
    // Then server A's update form puts every value of the creation back.
    env.clear_log();
    a.set_versioning("shared", false).await.unwrap();
    a.set_quota("shared", 5).await.unwrap();
    a.set_policy("shared", &PolicySpec::Private).await.unwrap();

    let seen = on_ecs(&env, "shared").await;
    assert_eq!(
        seen.versioning,
        VersioningStatus::Suspended,
        "A's versioning change reached ECS"
    );
    assert_eq!(seen.quota, Some(5), "A's quota change reached ECS");
    assert_eq!(seen.policy, None, "A's private policy reached ECS");
    assert!(
        env.mgmt_requests()
            .iter()
            .any(|request| request.starts_with("PUT /object/bucket/shared/versioning")),
        "{:?}",
        env.mgmt_requests()
    );
    b.close().await;
    env.stop().await;
}

#[tokio::test]
async fn follow_ups_the_job_did_not_send_are_not_remembered() {
    let env = common::start().await;
    let a = &env.store;
    let b = common::store_with(&env.sim, &[]);

    // A's job with a quota and a policy: their follow-ups are consumed at once; versioning
    // (off) and encryption (off) get no follow-up, so A remembers nothing about them.
    create_job(a, &spec("quiet", false, Some(3), Some(PolicySpec::Private))).await;
    b.set_versioning("quiet", true).await.unwrap();
    a.set_versioning("quiet", false).await.unwrap();
    assert_eq!(
        on_ecs(&env, "quiet").await.versioning,
        VersioningStatus::Suspended
    );

    // Same with every option on: B switches versioning off, A's form switches it back on.
    create_job(a, &spec("loud", true, Some(3), Some(PolicySpec::Public))).await;
    b.set_versioning("loud", false).await.unwrap();
    b.set_quota("loud", 0).await.unwrap();
    a.set_versioning("loud", true).await.unwrap();
    a.set_quota("loud", 3).await.unwrap();
    let seen = on_ecs(&env, "loud").await;
    assert_eq!(seen.versioning, VersioningStatus::Enabled);
    assert_eq!(seen.quota, Some(3));
    b.close().await;
    env.stop().await;
}

#[tokio::test]
async fn a_create_interrupted_by_the_other_server_keeps_the_later_change() {
    let env = common::start().await;
    let a = &env.store;
    let b = common::store_with(&env.sim, &[]);

    // A's driver created the bucket; before A's follow-up arrives, B changes the quota. A's
    // follow-up repeats the creation value, which ECS applied before B's change: answering
    // it from memory is the order "A's creation, then B's change", so B's value stays.
    let with_quota = spec("raced", false, Some(5), None);
    a.create_bucket(&with_quota).await.unwrap();
    b.set_quota("raced", 9).await.unwrap();
    a.set_quota("raced", 5).await.unwrap();
    assert_eq!(on_ecs(&env, "raced").await.quota, Some(9));
    // A's next call is the update form: it reaches ECS.
    a.set_quota("raced", 5).await.unwrap();
    assert_eq!(on_ecs(&env, "raced").await.quota, Some(5));
    b.close().await;
    env.stop().await;
}

#[tokio::test]
async fn first_buckets_of_one_account_on_both_servers_share_one_user_and_key() {
    let env = common::start().await;
    let a = &env.store;
    let b = common::store_with(&env.sim, &[]);

    let (first_on_a, first_on_b) = (
        BucketSpec::new("first-on-a", ACCOUNT),
        BucketSpec::new("first-on-b", ACCOUNT),
    );
    let (on_a, on_b) = tokio::join!(a.create_bucket(&first_on_a), b.create_bucket(&first_on_b));
    let (on_a, on_b) = (on_a.unwrap(), on_b.unwrap());
    assert!(
        on_a.credentials.same_as(&on_b.credentials),
        "one key for the account"
    );
    let secrets = common::ecs_secrets(&env.sim, &user_id(ACCOUNT)).await;
    assert_eq!(secrets.len(), 1, "one active key on ECS");
    b.close().await;
    env.stop().await;
}

#[tokio::test]
async fn deletes_racing_updates_leave_no_bucket() {
    let env = common::start().await;
    let a = &env.store;
    let b = common::store_with(&env.sim, &[]);

    for round in 0..8 {
        let name = format!("doomed-{round}");
        create_job(a, &spec(&name, true, Some(2), Some(PolicySpec::Public))).await;
        let (deleted, updated) = tokio::join!(a.delete_bucket(&name), async {
            b.set_quota(&name, 4).await?;
            b.set_versioning(&name, false).await?;
            b.set_policy(&name, &PolicySpec::Private).await
        });
        deleted.unwrap();
        if let Err(err) = updated {
            assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
        }
        let left = common::admin(&env.sim).buckets().info(&name, "ns1").await;
        assert_eq!(left.unwrap_err().kind(), ErrorKind::NotFound);
        // The deleted bucket's memory is gone on both: a bucket of the same name made on B
        // is configured as B says.
        create_job(&b, &spec(&name, false, None, None)).await;
        a.set_versioning(&name, true).await.unwrap();
        assert_eq!(
            on_ecs(&env, &name).await.versioning,
            VersioningStatus::Enabled
        );
        b.delete_bucket(&name).await.unwrap();
    }
    b.close().await;
    env.stop().await;
}
