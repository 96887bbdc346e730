//! Every call of the client against `ecs-sim` over HTTP, in JSON and in XML, with the round
//! trips checked against the emulator's request log.

// Helpers outside `#[test]` functions unwrap just like the tests do.
#![allow(clippy::unwrap_used)]

mod common;

use common::{NS, client, logins, mgmt_log, start};
use ecs_mgmt::ExposeSecret;
use ecs_mgmt::{
    Acl, BucketAcl, BucketCreate, BucketQuota, BucketTag, EcsMgmtClient, ErrorKind, Format,
    SecretKeyCreate, UserGrant, UserTag, VersioningStatus,
};
use ecs_sim::Sim;
use futures::TryStreamExt;

async fn session_and_discovery(client: &EcsMgmtClient) {
    let me = client.whoami().await.unwrap();
    assert_eq!(me.common_name, "root");
    assert!(me.has_role(ecs_mgmt::Role::SystemAdmin), "{me:?}");

    let namespaces: Vec<_> = client.namespaces().list().try_collect().await.unwrap();
    assert!(namespaces.iter().any(|ns| ns.name == NS), "{namespaces:?}");
    let info = client.namespaces().info(NS).await.unwrap();
    assert_eq!(info.name, NS);
    let missing = client.namespaces().info("no-such-ns").await.unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);

    let groups = client.replication_groups().list().await.unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].name, "rg1");
    assert_eq!(
        info.default_data_services_vpool.as_deref(),
        Some(groups[0].id.as_str())
    );
}

async fn users_and_keys(client: &EcsMgmtClient, uid: &str) {
    let users = client.object_users();
    users
        .create_with_tags(uid, NS, &[UserTag::new("team", "a")])
        .await
        .unwrap();
    let again = users.create(uid, NS).await.unwrap_err();
    assert_eq!(again.kind(), ErrorKind::AlreadyExists, "{again}");

    let info = users.info(uid, NS).await.unwrap();
    assert_eq!(
        (info.name.as_str(), info.namespace.as_str(), info.locked),
        (uid, NS, false)
    );
    assert!(info.created.is_some(), "created must parse: {info:?}");
    assert_eq!(info.tags, vec![UserTag::new("team", "a")]);

    let listed: Vec<_> = users.list(NS).try_collect().await.unwrap();
    assert!(listed.iter().any(|u| u.userid == uid));
    let all: Vec<_> = users.list_all().try_collect().await.unwrap();
    assert!(all.iter().any(|u| u.userid == uid && u.namespace == NS));

    users.lock(uid, NS, true).await.unwrap();
    assert!(users.is_locked(uid, NS).await.unwrap());
    users.lock(uid, NS, false).await.unwrap();
    assert!(!users.is_locked(uid, NS).await.unwrap());

    users
        .add_tags(uid, NS, &[UserTag::new("env", "dev")])
        .await
        .unwrap();
    users
        .update_tags(uid, NS, &[UserTag::new("env", "prod")])
        .await
        .unwrap();
    let tags = users.tags(uid, NS).await.unwrap();
    assert!(tags.contains(&UserTag::new("env", "prod")), "{tags:?}");
    users
        .remove_tags(uid, NS, &[UserTag::new("env", "prod")])
        .await
        .unwrap();
    assert!(
        !users
            .tags(uid, NS)
            .await
            .unwrap()
            .iter()
            .any(|t| t.name == "env")
    );

    let keys = client.secret_keys();
    assert!(
        keys.get(uid, Some(NS))
            .await
            .unwrap()
            .keys()
            .next()
            .is_none()
    );
    let generated = keys
        .create(uid, NS, SecretKeyCreate::default())
        .await
        .unwrap();
    assert!(!generated.secret.expose_secret().is_empty());
    assert!(generated.created.is_some());
    let supplied = SecretKeyCreate {
        secret: Some("my-own-secret-0123456789".into()),
        existing_key_expiry_mins: Some(5),
    };
    let second = keys.create(uid, NS, supplied).await.unwrap();
    assert_eq!(second.secret.expose_secret(), "my-own-secret-0123456789");
    let both = keys.get(uid, Some(NS)).await.unwrap();
    assert_eq!(both.keys().count(), 2);
    assert!(
        both.find(&generated.secret)
            .is_some_and(|k| k.expires.is_some()),
        "{both:?}"
    );
    let third = keys
        .create(uid, NS, SecretKeyCreate::default())
        .await
        .unwrap_err();
    assert!(
        matches!(third.kind(), ErrorKind::Conflict | ErrorKind::InvalidInput),
        "{third}"
    );
    keys.delete(uid, NS, &generated.secret).await.unwrap();
    let one = keys.get(uid, None).await.unwrap();
    assert_eq!(one.keys().count(), 1);
    assert_eq!(
        one.current().unwrap().secret.expose_secret(),
        "my-own-secret-0123456789"
    );
    keys.delete_all(uid, NS).await.unwrap();
    assert_eq!(keys.get(uid, Some(NS)).await.unwrap().keys().count(), 0);
}

async fn buckets(sim: &Sim, client: &EcsMgmtClient, owner: &str, name: &str) {
    let buckets = client.buckets();
    let create = BucketCreate {
        owner: Some(owner.to_owned()),
        encryption: Some(true),
        block_size_gb: Some(10),
        notification_size_gb: Some(8),
        tags: vec![BucketTag::new("app", "x")],
        ..BucketCreate::new(name, NS)
    };
    let created = buckets.create(&create).await.unwrap();
    assert_eq!(created.name, name);
    assert_eq!(
        buckets.create(&create).await.unwrap_err().kind(),
        ErrorKind::AlreadyExists
    );

    let info = buckets.info(name, NS).await.unwrap();
    assert_eq!(info.owner.as_deref(), Some(owner));
    assert!(info.encryption, "string booleans must read: {info:?}");
    assert_eq!(
        (info.block_size_gb, info.notification_size_gb),
        (Some(10), Some(8))
    );
    assert!(info.created.is_some());
    assert_eq!(info.tags, vec![BucketTag::new("app", "x")]);
    assert!(buckets.exists(name, NS).await.unwrap());
    assert!(!buckets.exists("no-such-bucket", NS).await.unwrap());
    let missing = buckets.info("no-such-bucket", NS).await.unwrap_err();
    assert_eq!(
        (missing.kind(), missing.status()),
        (ErrorKind::NotFound, Some(400))
    );
    assert_eq!(missing.remote_code(), Some("1004"));

    let listed: Vec<_> = buckets.list(NS).try_collect().await.unwrap();
    assert!(listed.iter().any(|b| b.name == name));

    buckets
        .set_quota(name, NS, &BucketQuota::new(Some(20), Some(15)))
        .await
        .unwrap();
    let quota = buckets.quota(name, NS).await.unwrap();
    assert_eq!(
        (quota.block_size_gb, quota.notification_size_gb),
        (Some(20), Some(15))
    );
    buckets.delete_quota(name, NS).await.unwrap();
    assert_eq!(
        buckets.quota(name, NS).await.unwrap(),
        BucketQuota::default()
    );

    assert_eq!(buckets.policy(name, NS).await.unwrap(), None);
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"r","Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::{name}/*"]}}]}}"#
    );
    buckets.set_policy(name, NS, &policy).await.unwrap();
    let read: serde_json::Value =
        serde_json::from_str(&buckets.policy(name, NS).await.unwrap().unwrap()).unwrap();
    assert_eq!(read["Statement"][0]["Sid"], "r");
    buckets.delete_policy(name, NS).await.unwrap();
    assert_eq!(buckets.policy(name, NS).await.unwrap(), None);

    assert_eq!(
        buckets.versioning(name, NS).await.unwrap(),
        VersioningStatus::Unversioned
    );
    buckets
        .set_versioning(name, NS, VersioningStatus::Enabled)
        .await
        .unwrap();
    assert_eq!(
        buckets.versioning(name, NS).await.unwrap(),
        VersioningStatus::Enabled
    );
    buckets
        .set_versioning(name, NS, VersioningStatus::Suspended)
        .await
        .unwrap();
    assert_eq!(
        buckets.versioning(name, NS).await.unwrap(),
        VersioningStatus::Suspended
    );

    let acl = BucketAcl::new(
        name,
        NS,
        Acl::with_users(vec![UserGrant {
            user: owner.to_owned(),
            permission: vec!["full_control".into()],
        }]),
    );
    buckets.set_acl(&acl).await.unwrap();
    let read_acl = buckets.acl(name, NS).await.unwrap();
    assert_eq!(read_acl.acl.user_acl, acl.acl.user_acl);

    buckets
        .add_tags(name, NS, &[BucketTag::new("env", "dev")])
        .await
        .unwrap();
    buckets
        .update_tags(name, NS, &[BucketTag::new("env", "prod")])
        .await
        .unwrap();
    buckets
        .remove_tags(name, NS, &[BucketTag::new("app", "x")])
        .await
        .unwrap();
    assert_eq!(
        buckets.info(name, NS).await.unwrap().tags,
        vec![BucketTag::new("env", "prod")]
    );

    buckets.set_lock(name, NS, true).await.unwrap();
    assert!(buckets.is_locked(name, NS).await.unwrap());
    buckets.set_lock(name, NS, false).await.unwrap();
    assert!(!buckets.is_locked(name, NS).await.unwrap());

    client
        .object_users()
        .create(&format!("{owner}-2"), NS)
        .await
        .unwrap();
    buckets
        .set_owner(name, NS, &format!("{owner}-2"))
        .await
        .unwrap();
    assert_eq!(
        buckets.info(name, NS).await.unwrap().owner,
        Some(format!("{owner}-2"))
    );

    billing(sim, client, name).await;

    let refused = buckets.delete(name, NS, false).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::NotEmpty, "{refused}");
    buckets.delete(name, NS, true).await.unwrap();
    assert!(!buckets.exists(name, NS).await.unwrap());
}

async fn billing(sim: &Sim, client: &EcsMgmtClient, name: &str) {
    sim.control().set_bucket_usage(NS, name, 123_456_789, 42);
    let billing = client.billing();
    let one = billing.bucket_info(NS, name).await.unwrap();
    assert_eq!((one.total_size_bytes, one.total_objects), (123_456_789, 42));
    assert!(one.sample_time.is_some());
    let batch = billing.buckets_info(NS, &[name.to_owned()]).await.unwrap();
    assert_eq!(batch.len(), 1);
    assert_eq!(batch[0].total_size_bytes, 123_456_789);
    let namespace = billing.namespace_info(NS).await.unwrap();
    assert!(namespace.total_size_bytes >= 123_456_789, "{namespace:?}");
    let per_bucket: Vec<_> = billing.namespace_buckets(NS).try_collect().await.unwrap();
    assert!(
        per_bucket
            .iter()
            .any(|b| b.name == name && b.total_size_bytes == 123_456_789)
    );
}

async fn every_call(format: Format, tag: &str) {
    let sim = start().await;
    let client = client(&sim, format);
    session_and_discovery(&client).await;
    let uid = format!("cs-user-{tag}");
    users_and_keys(&client, &uid).await;
    buckets(&sim, &client, &uid, &format!("bucket-{tag}")).await;
    client
        .object_users()
        .delete(&format!("{uid}-2"), NS)
        .await
        .unwrap();
    client.object_users().delete(&uid, NS).await.unwrap();
    let gone = client.object_users().info(&uid, NS).await.unwrap_err();
    assert_eq!(
        (gone.kind(), gone.status()),
        (ErrorKind::NotFound, Some(404))
    );

    // One login for the whole session, and every round trip the client counted reached ECS.
    assert_eq!(logins(&sim), 1);
    let stats = client.stats();
    assert_eq!(stats.requests as usize, mgmt_log(&sim).len());
    assert_eq!((stats.logins, stats.retries, stats.replays), (1, 0, 0));
    assert_eq!(sim.control().live_tokens("root"), 1);
    client.close().await;
    assert_eq!(sim.control().live_tokens("root"), 0);
    assert_eq!(
        mgmt_log(&sim).last().map(|r| r.path.as_str()),
        Some("/logout")
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn every_call_in_json() {
    every_call(Format::Json, "json").await;
}

#[tokio::test]
async fn every_call_in_xml() {
    every_call(Format::Xml, "xml").await;
}

#[tokio::test]
async fn list_streams_follow_markers_across_pages() {
    let sim = start().await;
    for format in [Format::Json, Format::Xml] {
        let client = common::builder(&sim, format).page_size(2).build().unwrap();
        let tag = format!("{format:?}").to_lowercase();
        for i in 0..5 {
            client
                .buckets()
                .create(&BucketCreate::new(format!("page-{tag}-{i}"), NS))
                .await
                .unwrap();
            client
                .object_users()
                .create(&format!("pager-{tag}-{i}"), NS)
                .await
                .unwrap();
        }
        sim.control().clear_request_log();
        let first = client.buckets().list_page(NS, None).await.unwrap();
        assert_eq!(first.items.len(), 2);
        assert!(first.next_marker.is_some());
        let buckets: Vec<_> = client.buckets().list(NS).try_collect().await.unwrap();
        let mut names: Vec<_> = buckets
            .iter()
            .map(|b| b.name.clone())
            .filter(|n| n.contains(&tag))
            .collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 5, "every bucket exactly once: {names:?}");
        let users: Vec<_> = client.object_users().list(NS).try_collect().await.unwrap();
        assert_eq!(users.iter().filter(|u| u.userid.contains(&tag)).count(), 5);
        // Pages of two: one request for the single page, then ceil(n / 2) for each stream.
        let bucket_pages = mgmt_log(&sim)
            .iter()
            .filter(|r| r.path == "/object/bucket" && r.method == "GET")
            .count();
        assert_eq!(bucket_pages, 1 + buckets.len().div_ceil(2));
        assert!(
            mgmt_log(&sim)
                .iter()
                .all(|r| r.path != "/object/bucket" || r.query.contains("limit=2"))
        );
        client.close().await;
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn wrong_credentials_are_unauthorized() {
    let sim = start().await;
    let client = common::builder(&sim, Format::Json)
        .credentials("root", "wrong".into())
        .build()
        .unwrap();
    let err = client.whoami().await.unwrap_err();
    assert_eq!(
        (err.kind(), err.status()),
        (ErrorKind::Unauthorized, Some(401))
    );
    assert!(!format!("{err:?}").contains("wrong"));
    assert_eq!(client.stats().retries, 0, "a refused login is not retried");
    // Callers waiting on a login share its refusal instead of each sending their own.
    sim.control().clear_request_log();
    let waiting: Vec<_> = (0..16).map(|_| client.whoami()).collect();
    for result in futures::future::join_all(waiting).await {
        assert_eq!(result.unwrap_err().kind(), ErrorKind::Unauthorized);
    }
    assert_eq!(logins(&sim), 1);
    sim.shutdown().await;
}
