//! Per-bucket credentials (CloudStack PR #14170's driver methods) against the emulator: one
//! ECS user per bucket credential, its policy grant merged beside other statements, two keys
//! at most, the account's migration and its key rotation.

mod common;

use common::{ACCOUNT, Env, admin, ecs_secrets, start, start_with, user_id};
use ecs_driver::{BucketSpec, ErrorKind, PolicySpec};
use secrecy::ExposeSecret;
use serde_json::Value;

async fn bucket(env: &Env, name: &str, policy: Option<&str>) {
    let mut spec = BucketSpec::new(name, ACCOUNT);
    spec.policy = policy.map(|text| PolicySpec::parse(text).expect("policy"));
    env.store.create_bucket(&spec).await.expect("bucket");
}

async fn policy_sids(env: &Env, bucket: &str) -> Vec<String> {
    let text = env.store.get_policy(bucket).await.expect("policy");
    let Some(text) = text else {
        return Vec::new();
    };
    let document: Value = serde_json::from_str(&text).expect("json");
    document["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|statement| statement["Sid"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[tokio::test]
async fn a_bucket_credential_reaches_its_bucket_only() {
    let env = start().await;
    env.provisioned().await;
    bucket(&env, "creds-a", Some("public")).await;
    bucket(&env, "creds-b", None).await;
    env.clear_log();

    let credential = env
        .store
        .create_bucket_credential("creds-a")
        .await
        .expect("credential");
    assert_eq!(credential.credential_id, "cs-bucket-creds-a");
    assert_eq!(credential.key.user_id, credential.credential_id);
    // bucket info, user create, keys read, key create, policy read, policy write
    assert_eq!(env.mgmt_requests().len(), 6, "{:?}", env.mgmt_requests());
    let mut sids = policy_sids(&env, "creds-a").await;
    sids.sort();
    assert_eq!(
        sids,
        [
            "CloudStackBucketCredential",
            "CloudStackPublicList",
            "CloudStackPublicRead"
        ]
    );

    let browser = env.store.browser(&credential.key).expect("browser");
    browser
        .upload("creds-a", "k", b"hello".as_slice().into())
        .await
        .expect("its bucket");
    assert_eq!(browser.list("creds-a", None).await.expect("list").len(), 1);
    let refused = browser.list("creds-b", None).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Forbidden, "{refused}");

    // Idempotent: the same key again, nothing written.
    env.clear_log();
    let again = env
        .store
        .create_bucket_credential("creds-a")
        .await
        .expect("again");
    assert!(again.key.same_as(&credential.key));
    assert!(
        env.mgmt_requests().iter().all(|r| !r.starts_with("PUT")),
        "{:?}",
        env.mgmt_requests()
    );

    // Private and a custom policy keep the grant.
    env.store
        .set_policy("creds-a", &PolicySpec::Private)
        .await
        .expect("private");
    assert_eq!(
        policy_sids(&env, "creds-a").await,
        ["CloudStackBucketCredential"]
    );
    let custom = r#"{"Statement":[{"Sid":"Mine","Effect":"Allow","Principal":{"AWS":["x"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::creds-a/*"}]}"#;
    env.store
        .set_policy("creds-a", &PolicySpec::parse(custom).unwrap())
        .await
        .expect("custom");
    assert_eq!(
        policy_sids(&env, "creds-a").await,
        ["Mine", "CloudStackBucketCredential"]
    );

    // Deleting the credential removes its grant only, then its user.
    env.store
        .delete_bucket_credential("creds-a")
        .await
        .expect("delete");
    assert_eq!(policy_sids(&env, "creds-a").await, ["Mine"]);
    let gone = admin(&env.sim)
        .object_users()
        .info("cs-bucket-creds-a", "ns1")
        .await
        .unwrap_err();
    assert_eq!(gone.kind(), ErrorKind::NotFound);
    env.store
        .delete_bucket_credential("creds-a")
        .await
        .expect("twice");
    env.stop().await;
}

#[tokio::test]
async fn two_keys_at_most_and_the_older_goes_first() {
    let env = start().await;
    env.provisioned().await;
    bucket(&env, "keys-a", None).await;
    let credential = env
        .store
        .create_bucket_credential("keys-a")
        .await
        .expect("credential");
    let uid = credential.credential_id.clone();
    let first = credential.key.secret_key.expose_secret().to_owned();

    let second = env
        .store
        .create_bucket_credential_key("keys-a")
        .await
        .expect("second key");
    let second_secret = second.secret_key.expose_secret().to_owned();
    assert_ne!(first, second_secret);
    assert_eq!(ecs_secrets(&env.sim, &uid).await.len(), 2);
    let third = env
        .store
        .create_bucket_credential_key("keys-a")
        .await
        .unwrap_err();
    assert_eq!(third.kind(), ErrorKind::Conflict);
    assert!(third.to_string().contains("two keys"), "{third}");

    // Another access key names no key of this credential.
    env.store
        .remove_bucket_credential_key("keys-a", "someone-else")
        .await
        .expect("not ours");
    assert_eq!(ecs_secrets(&env.sim, &uid).await.len(), 2);
    env.store
        .remove_bucket_credential_key("keys-a", &uid)
        .await
        .expect("remove");
    assert_eq!(ecs_secrets(&env.sim, &uid).await, [second_secret]);
    env.stop().await;
}

#[tokio::test]
async fn an_account_is_migrated_then_its_key_rotated() {
    let env = start_with(&[("account_key_grace_minutes", "0")]).await;
    let old = env.provisioned().await;
    assert!(
        !env.store
            .account_supports_bucket_credentials(ACCOUNT)
            .await
            .unwrap()
    );
    assert!(
        !env.store
            .is_account_key_rotation_pending(ACCOUNT)
            .await
            .unwrap()
    );
    let early = env
        .store
        .rotate_migrated_account_key(ACCOUNT)
        .await
        .unwrap_err();
    assert_eq!(early.kind(), ErrorKind::Conflict);

    env.store
        .migrate_account_for_bucket_credentials(ACCOUNT)
        .await
        .expect("migrate");
    env.store
        .migrate_account_for_bucket_credentials(ACCOUNT)
        .await
        .expect("idempotent");
    assert!(
        env.store
            .account_supports_bucket_credentials(ACCOUNT)
            .await
            .unwrap()
    );
    assert!(
        env.store
            .is_account_key_rotation_pending(ACCOUNT)
            .await
            .unwrap()
    );

    let new = env
        .store
        .rotate_migrated_account_key(ACCOUNT)
        .await
        .expect("rotate");
    assert!(!new.same_as(&old));
    assert!(
        !env.store
            .is_account_key_rotation_pending(ACCOUNT)
            .await
            .unwrap()
    );
    env.sim
        .control()
        .advance_clock(std::time::Duration::from_secs(61));
    let secrets = ecs_secrets(&env.sim, &user_id(ACCOUNT)).await;
    assert!(
        !secrets.contains(&old.secret_key.expose_secret().to_owned()),
        "the old key is gone"
    );
    env.stop().await;
}

#[tokio::test]
async fn a_store_can_turn_them_off() {
    let env = start_with(&[("bucket_credentials", "off")]).await;
    env.provisioned().await;
    let reason = env
        .store
        .bucket_credentials_unsupported_reason()
        .expect("a reason");
    assert!(reason.contains("bucket_credentials=off"), "{reason}");
    let refused = env
        .store
        .migrate_account_for_bucket_credentials(ACCOUNT)
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Unsupported);
    assert!(
        !env.store
            .account_supports_bucket_credentials(ACCOUNT)
            .await
            .unwrap()
    );
    env.stop().await;
}
