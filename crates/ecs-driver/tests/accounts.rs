//! Account users against the emulator: provisioning, reuse, the first-bucket race, rotation
//! and removal.
#![allow(clippy::unwrap_used)] // Test code: a failed unwrap is a failed test.

mod common;

use std::time::Duration;

use common::{ACCOUNT, OTHER_ACCOUNT, ecs_secrets, user_id};
use ecs_driver::{AccountCredentials, BucketSpec, ErrorKind};
use secrecy::ExposeSecret;

#[tokio::test]
async fn a_new_account_gets_one_user_and_one_key() {
    let env = common::start().await;
    let credentials = env.store.ensure_account_user(ACCOUNT, None).await.unwrap();
    assert_eq!(credentials.user_id, user_id(ACCOUNT));
    let uid = user_id(ACCOUNT);
    assert_eq!(
        env.mgmt_requests(),
        [
            "GET /login".to_owned(),
            format!("GET /object/user-secret-keys/{uid}/ns1"),
            "POST /object/users".to_owned(),
            format!("POST /object/user-secret-keys/{uid}"),
            format!("GET /object/user-secret-keys/{uid}/ns1"),
        ]
    );
    assert_eq!(
        ecs_secrets(&env.sim, &uid).await,
        [credentials.secret_key.expose_secret().to_owned()]
    );
    env.stop().await;
}

#[tokio::test]
async fn stored_credentials_are_reused_with_one_request_and_no_write() {
    let env = common::start().await;
    let credentials = env.provisioned().await;
    let again = env
        .store
        .ensure_account_user(ACCOUNT, Some(credentials.clone()))
        .await
        .unwrap();
    assert!(again.same_as(&credentials));
    assert_eq!(
        env.mgmt_requests(),
        [format!(
            "GET /object/user-secret-keys/{}/ns1",
            user_id(ACCOUNT)
        )],
        "steady state: one read, no login, no write"
    );
    env.stop().await;
}

#[tokio::test]
async fn without_stored_credentials_the_existing_key_is_adopted() {
    let env = common::start().await;
    let first = env.provisioned().await;
    let adopted = env.store.ensure_account_user(ACCOUNT, None).await.unwrap();
    assert!(adopted.same_as(&first), "no new key is minted");
    assert_eq!(ecs_secrets(&env.sim, &user_id(ACCOUNT)).await.len(), 1);
    assert!(
        env.mgmt_requests().iter().all(|r| r.starts_with("GET ")),
        "{:?}",
        env.mgmt_requests()
    );
    env.stop().await;
}

#[tokio::test]
async fn stale_stored_credentials_are_replaced_by_what_ecs_knows() {
    let env = common::start().await;
    let first = env.provisioned().await;
    let stale = AccountCredentials::new(first.user_id.clone(), "a-secret-ecs-never-had");
    let fixed = env
        .store
        .ensure_account_user(ACCOUNT, Some(stale))
        .await
        .unwrap();
    assert!(fixed.same_as(&first));
    // Credentials of another user are ignored, not trusted.
    let foreign = AccountCredentials::new(user_id(OTHER_ACCOUNT), "x");
    let own = env
        .store
        .ensure_account_user(ACCOUNT, Some(foreign))
        .await
        .unwrap();
    assert!(own.same_as(&first));
    env.stop().await;
}

#[tokio::test]
async fn sixty_four_tasks_racing_on_the_first_bucket_share_one_key() {
    let env = common::start().await;
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let store = env.store.clone();
        tasks.push(tokio::spawn(async move {
            store.ensure_account_user(ACCOUNT, None).await
        }));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap().unwrap());
    }
    let first = &results[0];
    assert!(
        results.iter().all(|c| c.same_as(first)),
        "every caller holds the same key"
    );
    assert_eq!(
        ecs_secrets(&env.sim, &user_id(ACCOUNT)).await,
        [first.secret_key.expose_secret().to_owned()],
        "ECS ends with exactly that one key"
    );
    let users = common::admin(&env.sim)
        .object_users()
        .info(&user_id(ACCOUNT), "ns1")
        .await;
    assert!(users.is_ok());
    env.stop().await;
}

#[tokio::test]
async fn two_management_servers_racing_converge() {
    let env = common::start().await;
    let other_server = common::store_with(&env.sim, &[]);
    let mut tasks = Vec::new();
    for n in 0..32 {
        let store = if n % 2 == 0 {
            env.store.clone()
        } else {
            other_server.clone()
        };
        tasks.push(tokio::spawn(async move {
            let mut spec = BucketSpec::new(format!("race-bucket-{n}"), ACCOUNT);
            spec.versioning = true;
            store.create_bucket(&spec).await
        }));
    }
    let mut created = Vec::new();
    for task in tasks {
        created.push(task.await.unwrap().unwrap());
    }
    let first = &created[0].credentials;
    assert!(
        created
            .iter()
            .all(|bucket| bucket.credentials.same_as(first))
    );
    assert_eq!(ecs_secrets(&env.sim, &user_id(ACCOUNT)).await.len(), 1);
    assert_eq!(env.store.list_buckets().await.unwrap().len(), 32);
    other_server.close().await;
    env.stop().await;
}

#[tokio::test]
async fn rotation_returns_a_new_key_and_keeps_the_old_one_for_the_grace_period() {
    let env = common::start().await;
    let old = env.provisioned().await;
    let new = env
        .store
        .rotate_account_key(ACCOUNT, Duration::from_secs(600))
        .await
        .unwrap();
    let uid = user_id(ACCOUNT);
    assert_eq!(
        env.mgmt_requests(),
        [
            format!("GET /object/user-secret-keys/{uid}/ns1"),
            format!("POST /object/user-secret-keys/{uid}")
        ]
    );
    assert!(!new.same_as(&old));
    assert_eq!(new.user_id, old.user_id);
    let secrets = ecs_secrets(&env.sim, &user_id(ACCOUNT)).await;
    assert!(
        secrets.contains(&old.secret_key.expose_secret().to_owned()),
        "old key still valid"
    );
    assert!(secrets.contains(&new.secret_key.expose_secret().to_owned()));

    // CloudStack still holding the old key is moved to the new one, without a write.
    let current = env
        .store
        .ensure_account_user(ACCOUNT, Some(old.clone()))
        .await
        .unwrap();
    assert!(current.same_as(&new));
    assert_eq!(
        ecs_secrets(&env.sim, &user_id(ACCOUNT)).await.len(),
        2,
        "grace period respected"
    );

    let again = env
        .store
        .rotate_account_key(ACCOUNT, Duration::from_secs(600))
        .await
        .unwrap_err();
    assert_eq!(again.kind(), ErrorKind::Conflict, "{again}");
    env.stop().await;
}

#[tokio::test]
async fn rotation_without_grace_ends_the_old_key_at_once() {
    let env = common::start().await;
    let old = env.provisioned().await;
    let new = env
        .store
        .rotate_account_key(ACCOUNT, Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(
        ecs_secrets(&env.sim, &user_id(ACCOUNT)).await,
        [new.secret_key.expose_secret().to_owned()]
    );
    assert!(!new.same_as(&old));
    let missing = env
        .store
        .rotate_account_key(OTHER_ACCOUNT, Duration::ZERO)
        .await
        .unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    env.stop().await;
}

#[tokio::test]
async fn an_account_user_is_removed_only_when_it_owns_no_bucket() {
    let env = common::start().await;
    env.provisioned().await;
    env.store
        .create_bucket(&BucketSpec::new("owned-bucket", ACCOUNT))
        .await
        .unwrap();
    let refused = env.store.delete_account_user(ACCOUNT).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Conflict);
    assert!(refused.to_string().contains("owned-bucket"), "{refused}");

    env.store.delete_bucket("owned-bucket").await.unwrap();
    env.clear_log();
    env.store.delete_account_user(ACCOUNT).await.unwrap();
    assert_eq!(
        env.mgmt_requests(),
        [
            "GET /object/bucket?namespace=ns1",
            "POST /object/users/deactivate"
        ]
    );
    let gone = common::admin(&env.sim)
        .object_users()
        .info(&user_id(ACCOUNT), "ns1")
        .await
        .unwrap_err();
    assert_eq!(gone.kind(), ErrorKind::NotFound);
    env.store
        .delete_account_user(ACCOUNT)
        .await
        .expect("a missing user counts as removed");
    env.stop().await;
}

#[tokio::test]
async fn a_twin_key_left_by_a_race_is_deactivated_and_slot_one_adopted() {
    let env = common::start().await;
    let uid = user_id(ACCOUNT);
    let admin = common::admin(&env.sim);
    admin.object_users().create(&uid, "ns1").await.unwrap();
    let keys = admin.secret_keys();
    let first = keys.create(&uid, "ns1", Default::default()).await.unwrap();
    let twin = keys.create(&uid, "ns1", Default::default()).await.unwrap();
    assert_eq!(ecs_secrets(&env.sim, &uid).await.len(), 2);

    let adopted = env.store.ensure_account_user(ACCOUNT, None).await.unwrap();
    assert_eq!(
        adopted.secret_key.expose_secret(),
        first.secret.expose_secret()
    );
    assert_eq!(
        ecs_secrets(&env.sim, &uid).await,
        [first.secret.expose_secret().to_owned()]
    );
    assert_ne!(twin.secret.expose_secret(), first.secret.expose_secret());
    env.stop().await;
}
