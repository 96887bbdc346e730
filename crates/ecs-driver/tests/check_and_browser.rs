//! The "add object storage" check, and the bucket browser with the owner's keys.
#![allow(clippy::unwrap_used)] // Test code: a failed unwrap is a failed test.

mod common;

use std::time::Duration;

use common::ACCOUNT;
use ecs_driver::{BucketSpec, ListEntry, PolicySpec};

#[tokio::test]
async fn a_good_store_passes_every_check_and_logs_out() {
    let env = common::start().await;
    let report = env.store.check().await;
    assert!(report.ok, "{}", report.summary());
    let names: Vec<&str> = report
        .checks
        .iter()
        .map(|check| check.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "tls",
            "login",
            "role",
            "namespace",
            "replication_group",
            "ecs_version",
            "s3"
        ]
    );
    assert_eq!(
        env.sim.control().live_tokens("root"),
        0,
        "the check's session was logged out"
    );
    assert_eq!(
        env.mgmt_requests(),
        [
            "GET /login",
            "GET /user/whoami",
            "GET /object/namespaces/namespace/ns1",
            "GET /vdc/nodes",
            "GET /logout"
        ]
    );
    assert_eq!(env.s3_requests(), ["HEAD /cloudstack-connectivity-probe/"]);
    env.stop().await;
}

#[tokio::test]
async fn failures_are_named_with_a_fix() {
    let env = common::start().await;
    let wrong_password = common::store_with(&env.sim, &[("sa_password", "wrong")]);
    let report = wrong_password.check().await;
    assert!(!report.ok);
    let login = report.checks.iter().find(|c| c.name == "login").unwrap();
    assert!(
        !login.ok && login.detail.contains("sa_user and sa_password"),
        "{}",
        login.detail
    );

    let no_namespace = common::store_with(&env.sim, &[("namespace", "nope")]);
    let report = no_namespace.check().await;
    let namespace = report
        .checks
        .iter()
        .find(|c| c.name == "namespace")
        .unwrap();
    assert!(
        !namespace.ok && namespace.detail.contains("does not exist"),
        "{}",
        namespace.detail
    );

    let bad_group = common::store_with(&env.sim, &[("replication_group", "rg-missing")]);
    let report = bad_group.check().await;
    let group = report
        .checks
        .iter()
        .find(|c| c.name == "replication_group")
        .unwrap();
    assert!(
        !group.ok && group.detail.contains("rg1"),
        "{}",
        group.detail
    );

    let good_group = common::store_with(&env.sim, &[("replication_group", "rg1")]);
    assert!(good_group.check().await.ok);

    let no_s3 = common::store_with(&env.sim, &[("s3_private_url", "http://127.0.0.1:9")]);
    let report = no_s3.check().await;
    let s3 = report.checks.iter().find(|c| c.name == "s3").unwrap();
    assert!(
        !s3.ok && s3.detail.contains("s3_private_url"),
        "{}",
        s3.detail
    );
    env.stop().await;
}

#[tokio::test]
async fn a_named_replication_group_is_resolved_once_and_used() {
    let env = common::start_with(&[("replication_group", "rg1")]).await;
    env.provisioned().await;
    env.store
        .create_bucket(&BucketSpec::new("grouped-1", ACCOUNT))
        .await
        .unwrap();
    env.store
        .create_bucket(&BucketSpec::new("grouped-2", ACCOUNT))
        .await
        .unwrap();
    let lookups = env
        .mgmt_requests()
        .iter()
        .filter(|r| *r == "GET /vdc/data-service/vpools")
        .count();
    assert_eq!(lookups, 1, "{:?}", env.mgmt_requests());
    let info = common::admin(&env.sim)
        .buckets()
        .info("grouped-2", "ns1")
        .await
        .unwrap();
    assert!(info.vpool.unwrap_or_default().starts_with("urn:"));
    env.stop().await;
}

#[tokio::test]
async fn the_browser_lists_uploads_downloads_versions_and_presigns() {
    let env = common::start().await;
    let credentials = env.provisioned().await;
    let mut spec = BucketSpec::new("browsed", ACCOUNT);
    spec.credentials = Some(credentials.clone());
    spec.versioning = true;
    env.store.create_bucket(&spec).await.unwrap();
    let browser = env.store.browser(&credentials).unwrap();

    browser
        .upload("browsed", "top.txt", b"v1".to_vec().into())
        .await
        .unwrap();
    browser
        .upload("browsed", "top.txt", b"v2".to_vec().into())
        .await
        .unwrap();
    browser
        .upload("browsed", "folder/inner.txt", b"inside".to_vec().into())
        .await
        .unwrap();

    let entries = browser.list("browsed", None).await.unwrap();
    assert!(
        entries
            .iter()
            .any(|e| matches!(e, ListEntry::Object(o) if o.key == "top.txt" && o.size == 2))
    );
    assert!(
        entries
            .iter()
            .any(|e| matches!(e, ListEntry::CommonPrefix(p) if p == "folder/"))
    );
    let inner = browser.list("browsed", Some("folder/")).await.unwrap();
    assert_eq!(inner.len(), 1);

    assert_eq!(
        &browser.download("browsed", "top.txt", None).await.unwrap()[..],
        b"v2"
    );
    let versions = browser.versions("browsed", Some("top.txt")).await.unwrap();
    assert_eq!(versions.len(), 2);
    let oldest = versions.iter().find(|v| !v.is_latest).unwrap();
    assert_eq!(
        &browser
            .download("browsed", "top.txt", Some(&oldest.version_id))
            .await
            .unwrap()[..],
        b"v1"
    );

    let url = browser
        .presign_get("browsed", "top.txt", Duration::from_secs(300))
        .await
        .unwrap();
    assert!(url.contains("X-Amz-Signature"), "{url}");
    let s3 = env.s3_requests();
    assert_eq!(
        s3[..7],
        [
            "PUT /browsed/top.txt?x-id=PutObject",
            "PUT /browsed/top.txt?x-id=PutObject",
            "PUT /browsed/folder/inner.txt?x-id=PutObject",
            "GET /browsed/?list-type=2&delimiter=%2F",
            "GET /browsed/?list-type=2&delimiter=%2F&prefix=folder%2F",
            "GET /browsed/top.txt?x-id=GetObject",
            "GET /browsed/?versions&prefix=top.txt",
        ]
    );
    assert!(s3[7].starts_with("GET /browsed/top.txt?x-id=GetObject&versionId="));
    assert_eq!(s3.len(), 8, "presigning sends nothing");

    browser
        .delete("browsed", "folder/inner.txt", None)
        .await
        .unwrap();
    assert_eq!(
        browser
            .list("browsed", Some("folder/"))
            .await
            .unwrap()
            .len(),
        0
    );
    env.stop().await;
}

#[tokio::test]
async fn a_public_bucket_is_readable_without_credentials() {
    let env = common::start().await;
    let credentials = env.provisioned().await;
    let mut spec = BucketSpec::new("public-site", ACCOUNT);
    spec.credentials = Some(credentials.clone());
    spec.policy = Some(PolicySpec::Public);
    env.store.create_bucket(&spec).await.unwrap();
    env.store
        .browser(&credentials)
        .unwrap()
        .upload("public-site", "index.html", b"<h1>hi</h1>".to_vec().into())
        .await
        .unwrap();

    let anonymous = reqwest_get(&format!("{}/public-site/index.html", env.sim.s3_url())).await;
    assert_eq!(anonymous, 200);
    env.store
        .set_policy("public-site", &PolicySpec::Private)
        .await
        .unwrap();
    let anonymous = reqwest_get(&format!("{}/public-site/index.html", env.sim.s3_url())).await;
    assert_eq!(anonymous, 403);
    env.stop().await;
}

async fn reqwest_get(url: &str) -> u16 {
    reqwest::get(url).await.expect("request").status().as_u16()
}

#[tokio::test]
async fn the_role_check_accepts_the_namespace_admin_and_refuses_a_monitor() {
    use ecs_sim::{Role, Seed};
    let seed = Seed::default()
        .with_mgmt_user(
            "nsadmin",
            "pw-nsadmin",
            &[Role::NamespaceAdmin],
            Some("ns1"),
        )
        .with_mgmt_user("monitor", "pw-monitor", &[Role::SystemMonitor], None);
    let sim = ecs_sim::Sim::builder().seed(seed).start().await.unwrap();

    let admin = common::store_with(
        &sim,
        &[("sa_user", "nsadmin"), ("sa_password", "pw-nsadmin")],
    );
    let report = admin.check().await;
    assert!(report.ok, "{}", report.summary());
    admin
        .create_bucket(&BucketSpec::new("by-ns-admin", ACCOUNT))
        .await
        .unwrap();

    let monitor = common::store_with(
        &sim,
        &[("sa_user", "monitor"), ("sa_password", "pw-monitor")],
    );
    let report = monitor.check().await;
    let role = report.checks.iter().find(|c| c.name == "role").unwrap();
    assert!(
        !role.ok && role.detail.contains("NAMESPACE_ADMIN"),
        "{}",
        role.detail
    );
    let refused = monitor
        .create_bucket(&BucketSpec::new("by-monitor", ACCOUNT))
        .await
        .unwrap_err();
    assert_eq!(
        refused.kind(),
        ecs_driver::ErrorKind::Forbidden,
        "{refused}"
    );

    admin.close().await;
    monitor.close().await;
    sim.shutdown().await;
}
