//! Bad input never reaches ECS: every case is a typed error and the request log stays empty.
#![allow(clippy::unwrap_used)] // Test code: a failed unwrap is a failed test.

mod common;

use std::time::Duration;

use common::ACCOUNT;
use ecs_driver::{AccountCredentials, BucketSpec, ErrorKind, PolicySpec};

const INJECTIONS: &[&str] = &[
    "</name><owner>root</owner><name>",
    "bucket\"><x>",
    "a/../../object/users",
    "bucket?namespace=other",
    "bucket%2Fx",
    "bucket\nname",
    "BUCKET",
    "bu",
    "-leading",
    "trailing.",
    "192.168.0.1",
];

const BAD_ACCOUNTS: &[&str] = &[
    "",
    "not-a-uuid",
    "</user><user>root",
    "0e9c6e8a-1f0b-4c39-9c1b-2d5f3e4a5b6c/x",
];

#[tokio::test]
async fn bad_bucket_names_are_refused_by_every_operation() {
    let env = common::start().await;
    let store = &env.store;
    let credentials = AccountCredentials::new(common::user_id(ACCOUNT), "secret");
    let browser = store.browser(&credentials).unwrap();
    for name in INJECTIONS {
        let results = vec![
            store
                .create_bucket(&BucketSpec::new(*name, ACCOUNT))
                .await
                .map(|_| ()),
            store.delete_bucket(name).await,
            store.set_versioning(name, true).await,
            store.set_encryption(name, true).await,
            store.set_quota(name, 1).await,
            store.set_policy(name, &PolicySpec::Public).await,
            store.get_policy(name).await.map(|_| ()),
            browser.list(name, None).await.map(|_| ()),
            browser
                .upload(name, "k", b"x".to_vec().into())
                .await
                .map(|_| ()),
            browser
                .presign_get(name, "k", Duration::from_secs(60))
                .await
                .map(|_| ()),
        ];
        for (index, result) in results.into_iter().enumerate() {
            let err = result.expect_err(name);
            assert_eq!(
                err.kind(),
                ErrorKind::InvalidInput,
                "{name:?} op {index}: {err}"
            );
        }
    }
    assert_eq!(env.all_requests(), 0, "nothing was sent");
    env.stop().await;
}

#[tokio::test]
async fn bad_account_ids_quotas_policies_and_keys_are_refused() {
    let env = common::start().await;
    let store = &env.store;
    for account in BAD_ACCOUNTS {
        let err = store.ensure_account_user(account, None).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{account:?}");
        let err = store
            .create_bucket(&BucketSpec::new("good-name", *account))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{account:?}");
        let err = store
            .rotate_account_key(account, Duration::ZERO)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{account:?}");
        let err = store.delete_account_user(account).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{account:?}");
    }

    let err = store.set_quota("good-name", u64::MAX).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let mut spec = BucketSpec::new("good-name", ACCOUNT);
    spec.quota_gib = Some(u64::MAX);
    assert_eq!(
        store.create_bucket(&spec).await.unwrap_err().kind(),
        ErrorKind::InvalidInput
    );

    let foreign = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}]}"#;
    let mut spec = BucketSpec::new("good-name", ACCOUNT);
    spec.policy = Some(PolicySpec::parse(foreign).unwrap());
    assert_eq!(
        store.create_bucket(&spec).await.unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    for policy in ["public-read-write", "{not json", r#"{"Statement":[]}"#] {
        assert_eq!(
            PolicySpec::parse(policy).unwrap_err().kind(),
            ErrorKind::InvalidInput,
            "{policy}"
        );
    }

    let mut spec = BucketSpec::new("good-name", ACCOUNT);
    spec.credentials = Some(AccountCredentials::new(
        common::user_id(common::OTHER_ACCOUNT),
        "k",
    ));
    assert_eq!(
        store.create_bucket(&spec).await.unwrap_err().kind(),
        ErrorKind::InvalidInput
    );

    let browser = store
        .browser(&AccountCredentials::new(common::user_id(ACCOUNT), "k"))
        .unwrap();
    for key in ["", "bad\u{0}key"] {
        let err = browser
            .upload("good-name", key, b"x".to_vec().into())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{key:?}");
    }
    let long = "k".repeat(1025);
    assert_eq!(
        browser
            .delete("good-name", &long, None)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );

    assert_eq!(env.all_requests(), 0, "nothing was sent");
    env.stop().await;
}

#[tokio::test]
async fn bad_store_details_name_the_field() {
    let env = common::start().await;
    let cases: &[(&str, &str)] = &[
        ("mgmt_url", "not a url"),
        ("s3_public_url", "ftp://x"),
        ("s3_private_url", "https://host/?q=1"),
        ("namespace", "</namespace>"),
        ("user_prefix", "Bad Prefix"),
        ("insecure", "yes please"),
        ("cors_origins", "https://ok.example.com,https://x/<script>"),
    ];
    for (key, value) in cases {
        let mut details = common::details(&env.sim);
        details.insert((*key).to_owned(), (*value).to_owned());
        let err = ecs_driver::StoreConfig::from_details(&details).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(err.to_string().contains(key), "{key}: {err}");
    }
    assert_eq!(env.all_requests(), 0);
    env.stop().await;
}
