//! Ownership tags: every bucket the driver creates carries CloudStack's store, account, domain
//! and project UUIDs as ECS bucket tags, and the account's object user its account UUID.

mod common;

use common::{ACCOUNT, admin, start, start_with, user_id};
use ecs_driver::{BucketSpec, ErrorKind, Ownership};

const STORE: &str = "5f0e8c1a-2b3c-4d5e-8f70-1a2b3c4d5e6f";
const DOMAIN: &str = "7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d";

fn tags_of(info: &ecs_mgmt::BucketInfo) -> Vec<(String, String)> {
    let mut tags: Vec<(String, String)> = info
        .tags
        .iter()
        .map(|tag| (tag.key.clone(), tag.value.clone()))
        .collect();
    tags.sort();
    tags
}

#[tokio::test]
async fn buckets_and_users_say_who_owns_them() {
    let env = start().await;
    let ownership = Ownership {
        store_uuid: Some(STORE.to_owned()),
        domain_uuid: Some(DOMAIN.to_owned()),
        project_uuid: None,
    };
    env.store
        .create_owned_bucket(&BucketSpec::new("tagged", ACCOUNT), &ownership)
        .await
        .expect("bucket");
    let info = admin(&env.sim)
        .buckets()
        .info("tagged", "ns1")
        .await
        .expect("info");
    assert_eq!(
        tags_of(&info),
        [
            ("cloudstack:account".to_owned(), ACCOUNT.to_owned()),
            ("cloudstack:domain".to_owned(), DOMAIN.to_owned()),
            ("cloudstack:store".to_owned(), STORE.to_owned()),
        ]
    );
    let user_tags = admin(&env.sim)
        .object_users()
        .tags(&user_id(ACCOUNT), "ns1")
        .await
        .expect("user tags");
    assert!(
        user_tags
            .iter()
            .any(|tag| tag.name == "cloudstack:account" && tag.value == ACCOUNT),
        "{user_tags:?}"
    );

    let bad = Ownership {
        project_uuid: Some("not a uuid".to_owned()),
        ..Ownership::default()
    };
    let refused = env
        .store
        .create_owned_bucket(&BucketSpec::new("tagged-bad", ACCOUNT), &bad)
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidInput);
    assert!(refused.to_string().contains("project"), "{refused}");
    env.stop().await;
}

#[tokio::test]
async fn the_tag_prefix_is_configurable() {
    let env = start_with(&[("tag_prefix", "acme/")]).await;
    env.store
        .create_bucket(&BucketSpec::new("prefixed", ACCOUNT))
        .await
        .expect("bucket");
    let info = admin(&env.sim)
        .buckets()
        .info("prefixed", "ns1")
        .await
        .expect("info");
    assert_eq!(
        tags_of(&info),
        [("acme/account".to_owned(), ACCOUNT.to_owned())]
    );
    env.stop().await;
}
