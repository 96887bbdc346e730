//! S3 Object Lock supported instead of refused: where the store allows it and ECS has it
//! (3.6.2 and later), a bucket gets object lock, versioning and the store's default retention,
//! and deleting it while versions are retained names the date it can go.

mod common;

use common::{ACCOUNT, Env, admin, store_with};
use ecs_driver::{Body, BucketSpec, CreatedBucket, ErrorKind};
use ecs_sim::{EcsVersion, Sim};

async fn start(version: EcsVersion, extra: &[(&str, &str)]) -> Env {
    let sim = Sim::builder()
        .ecs_version(version)
        .start()
        .await
        .expect("emulator starts");
    let store = store_with(&sim, extra);
    Env { sim, store }
}

fn locked(name: &str) -> BucketSpec {
    let mut spec = BucketSpec::new(name, ACCOUNT);
    spec.object_lock = true;
    spec
}

/// The check report's `ecs_version` line, where the store says what it does with object lock.
async fn ecs_version_detail(env: &Env) -> String {
    let report = env.store.check().await;
    report
        .checks
        .into_iter()
        .find(|check| check.name == "ecs_version")
        .expect("ecs_version line")
        .detail
}

/// Creates a lock bucket and checks it: versioning on, and object lock as ECS reports it.
async fn create_locked(env: &Env, name: &str) -> CreatedBucket {
    let created = env
        .store
        .create_bucket(&locked(name))
        .await
        .expect("lock bucket");
    assert!(created.versioning, "object lock turns versioning on");
    let info = admin(&env.sim)
        .buckets()
        .info(name, "ns1")
        .await
        .expect("info");
    assert!(info.object_lock);
    created
}

#[tokio::test]
async fn a_locked_bucket_keeps_its_versions_until_the_retention_ends() {
    let env = start(
        EcsVersion::V4_1,
        &[
            ("object_lock", "allow"),
            ("object_lock_mode", "governance"),
            ("object_lock_days", "7"),
        ],
    )
    .await;
    let version = ecs_version_detail(&env).await;
    assert!(version.contains("S3 Object Lock supported"), "{version}");

    let created = create_locked(&env, "vault").await;

    let browser = env.store.browser(&created.credentials).expect("browser");
    browser
        .upload("vault", "record.txt", Body::from(b"kept".as_slice()))
        .await
        .expect("upload");
    let refused = env.store.delete_bucket("vault").await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::NotEmpty);
    let text = refused.to_string();
    assert!(text.contains("retention until"), "{text}");
    let expected_year = (time::OffsetDateTime::now_utc() + time::Duration::days(7)).year();
    assert!(text.contains(&expected_year.to_string()), "{text}");
    env.stop().await;
}

#[tokio::test]
async fn a_default_store_creates_lock_buckets_without_retention() {
    let env = start(EcsVersion::V4_1, &[]).await;
    let version = ecs_version_detail(&env).await;
    assert!(
        version.contains("S3 Object Lock supported") && version.contains("no default retention"),
        "{version}"
    );
    // A default store allows object lock.
    let created = create_locked(&env, "default-lock").await;

    // Without a default retention nothing is retained: the bucket empties and goes.
    let browser = env.store.browser(&created.credentials).expect("browser");
    browser
        .upload("default-lock", "free.txt", Body::from(b"free".as_slice()))
        .await
        .expect("upload");
    let refused = env.store.delete_bucket("default-lock").await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::NotEmpty);
    assert!(
        !refused.to_string().contains("retention until"),
        "{refused}"
    );
    for version in browser
        .versions("default-lock", None)
        .await
        .expect("versions")
    {
        browser
            .delete("default-lock", &version.key, Some(&version.version_id))
            .await
            .expect("an unretained version can be deleted");
    }
    env.store
        .delete_bucket("default-lock")
        .await
        .expect("an empty lock bucket is deleted");
    env.stop().await;
}

#[tokio::test]
async fn refused_by_a_refusing_store_and_before_3_6_2() {
    let env = start(EcsVersion::V4_1, &[("object_lock", "refuse")]).await;
    let version = ecs_version_detail(&env).await;
    assert!(version.contains("object_lock=refuse"), "{version}");
    env.clear_log();
    let err = env
        .store
        .create_bucket(&locked("no-lock"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(err.to_string().contains("object_lock=refuse"), "{err}");
    assert_eq!(env.all_requests(), 0, "refused before any request");
    env.stop().await;

    // The default store on a release without object lock.
    let old = start(EcsVersion::V3_6, &[]).await;
    let err = old
        .store
        .create_bucket(&locked("old-lock"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(err.to_string().contains("3.6.2"), "{err}");
    let exists = admin(&old.sim)
        .buckets()
        .exists("old-lock", "ns1")
        .await
        .unwrap();
    assert!(!exists, "nothing was created");
    old.stop().await;
}
