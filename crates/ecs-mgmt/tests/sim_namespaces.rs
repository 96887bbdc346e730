//! Namespaces as tenants through the typed client against the emulator, in both formats:
//! creation with every setting, update, quota, retention classes, deletion, and the roles.

#![allow(
    clippy::unwrap_used,
    reason = "tests fail loudly on the first surprise"
)]

mod common;

use common::{NS, builder, client};
use ecs_mgmt::{
    BucketCreate, EcsMgmtClient, ErrorKind, Format, MappingAttribute, NamespaceCreate,
    NamespaceQuota, NamespaceUpdate, RetentionPeriod, UserMapping,
};
use ecs_sim::{Role, Seed, Sim};
use futures::TryStreamExt;

async fn start_with_users() -> Sim {
    let seed = Seed::default()
        .with_replication_group("rg2")
        .with_mgmt_user("monitor", "Monitor1", &[Role::SystemMonitor], None)
        .with_mgmt_user("nsadmin", "NsAdmin1", &[Role::NamespaceAdmin], Some(NS))
        .with_mgmt_user("cloudstack", "Cloud1", &[], None);
    Sim::builder().seed(seed).start().await.unwrap()
}

fn as_user(sim: &Sim, format: Format, user: &str, password: &str) -> EcsMgmtClient {
    builder(sim, format)
        .credentials(user, password.into())
        .build()
        .unwrap()
}

async fn group_ids(client: &EcsMgmtClient) -> (String, String) {
    let groups = client.replication_groups().list().await.unwrap();
    let id = |name: &str| {
        groups
            .iter()
            .find(|group| group.name == name)
            .unwrap()
            .id
            .clone()
    };
    (id("rg1"), id("rg2"))
}

async fn tenant_lifecycle(format: Format) {
    let sim = start_with_users().await;
    let client = client(&sim, format);
    let (rg1, rg2) = group_ids(&client).await;
    let name = "cloud";
    let create = NamespaceCreate {
        allowed_replication_groups: vec![rg1.clone()],
        admins: vec!["cloudstack".into()],
        user_mappings: vec![UserMapping {
            domain: "example.com".into(),
            attributes: vec![MappingAttribute::new(
                "ou",
                vec!["cloud".into(), "ops".into()],
            )],
            groups: vec!["operators".into()],
        }],
        stale_allowed: Some(true),
        compliance: Some(true),
        default_bucket_block_size_gb: Some(50),
        ..NamespaceCreate::new(name, rg1.clone())
    };
    let created = client.namespaces().create(&create).await.unwrap();
    assert_eq!(created.name, name);
    assert_eq!(created.namespace_admins, vec!["cloudstack".to_owned()]);
    assert_eq!(created.allowed_vpools_list, vec![rg1.clone()]);
    assert_eq!(created.user_mappings, create.user_mappings);
    assert!(created.stale_allowed && created.compliance && !created.encryption);
    assert_eq!(created.default_bucket_block_size, Some(50));
    let again = client.namespaces().create(&create).await.unwrap_err();
    assert_eq!(again.kind(), ErrorKind::AlreadyExists, "{again}");
    let listed: Vec<_> = client.namespaces().list().try_collect().await.unwrap();
    assert!(listed.iter().any(|entry| entry.name == name));

    // rg2 is not allowed yet: a bucket there is refused until the update allows it.
    let mut bucket = BucketCreate::new("b1", name);
    bucket.vpool = Some(rg2.clone());
    let refused = client.buckets().create(&bucket).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidInput, "{refused}");
    let update = NamespaceUpdate {
        add_allowed_replication_groups: vec![rg2.clone()],
        add_disallowed_replication_groups: vec![],
        admins: Some(vec!["cloudstack".into(), "ops".into()]),
        user_mappings: Some(vec![UserMapping::domain("corp.example.com")]),
        encryption: Some(true),
        stale_allowed: Some(false),
        default_bucket_block_size_gb: Some(None),
        ..NamespaceUpdate::default()
    };
    client.namespaces().update(name, &update).await.unwrap();
    let info = client.namespaces().info(name).await.unwrap();
    assert_eq!(info.allowed_vpools_list, vec![rg1.clone(), rg2.clone()]);
    assert_eq!(info.namespace_admins, vec!["cloudstack", "ops"]);
    assert_eq!(
        info.user_mappings,
        vec![UserMapping::domain("corp.example.com")]
    );
    assert!(info.encryption && !info.stale_allowed && info.compliance);
    assert_eq!(info.default_bucket_block_size, None);
    client.buckets().create(&bucket).await.unwrap();
    let disallow = NamespaceUpdate {
        remove_allowed_replication_groups: vec![rg2.clone()],
        add_disallowed_replication_groups: vec![rg2.clone()],
        ..NamespaceUpdate::default()
    };
    client.namespaces().update(name, &disallow).await.unwrap();
    let info = client.namespaces().info(name).await.unwrap();
    assert_eq!(
        (info.allowed_vpools_list, info.disallowed_vpools_list),
        (vec![rg1.clone()], vec![rg2.clone()])
    );

    // Quota: hard and soft, soft only, removed.
    let quota = client.namespaces().quota(name).await.unwrap();
    assert_eq!(
        (
            quota.namespace.as_str(),
            quota.block_size_gb,
            quota.is_set()
        ),
        (name, None, false)
    );
    client
        .namespaces()
        .set_quota(name, &NamespaceQuota::new(Some(100), Some(80)))
        .await
        .unwrap();
    let quota = client.namespaces().quota(name).await.unwrap();
    assert_eq!(
        (quota.block_size_gb, quota.notification_size_gb),
        (Some(100), Some(80))
    );
    client
        .namespaces()
        .set_quota(name, &NamespaceQuota::new(None, Some(5)))
        .await
        .unwrap();
    let info = client.namespaces().info(name).await.unwrap();
    assert_eq!(
        (info.quota_block_size_gb, info.quota_notification_size_gb),
        (None, Some(5))
    );
    client.namespaces().delete_quota(name).await.unwrap();
    assert!(!client.namespaces().quota(name).await.unwrap().is_set());

    // Retention classes.
    let namespaces = client.namespaces();
    namespaces
        .create_retention_class(name, "month", RetentionPeriod::Seconds(2_592_000))
        .await
        .unwrap();
    namespaces
        .create_retention_class(name, "forever", RetentionPeriod::Infinite)
        .await
        .unwrap();
    let twice = namespaces
        .create_retention_class(name, "month", RetentionPeriod::Seconds(1))
        .await
        .unwrap_err();
    assert_eq!(twice.kind(), ErrorKind::AlreadyExists, "{twice}");
    namespaces
        .update_retention_class(name, "month", RetentionPeriod::Seconds(60))
        .await
        .unwrap();
    let month = namespaces.retention_class(name, "month").await.unwrap();
    assert_eq!(month.period, RetentionPeriod::Seconds(60));
    let forever = namespaces.retention_class(name, "forever").await.unwrap();
    assert_eq!(forever.period, RetentionPeriod::Infinite);
    let classes = namespaces.retention_classes(name).await.unwrap();
    assert_eq!(classes.len(), 2);
    assert_eq!(
        client
            .namespaces()
            .info(name)
            .await
            .unwrap()
            .retention_classes,
        classes
    );
    let missing = namespaces.retention_class(name, "nope").await.unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);

    // Deletion: refused while a bucket remains, then done; a second delete finds nothing.
    let busy = client.namespaces().delete(name).await.unwrap_err();
    assert_eq!(busy.kind(), ErrorKind::Conflict, "{busy}");
    client.buckets().delete("b1", name, false).await.unwrap();
    client.namespaces().delete(name).await.unwrap();
    assert!(!client.namespaces().exists(name).await.unwrap());
    let gone = client.namespaces().delete(name).await.unwrap_err();
    assert_eq!(gone.kind(), ErrorKind::NotFound);
    client.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn tenant_lifecycle_in_json() {
    tenant_lifecycle(Format::Json).await;
}

#[tokio::test]
async fn tenant_lifecycle_in_xml() {
    tenant_lifecycle(Format::Xml).await;
}

#[tokio::test]
async fn roles_decide_who_manages_namespaces() {
    let sim = start_with_users().await;
    let root = client(&sim, Format::Json);
    let (rg1, _) = group_ids(&root).await;
    let monitor = as_user(&sim, Format::Json, "monitor", "Monitor1");
    let nsadmin = as_user(&sim, Format::Xml, "nsadmin", "NsAdmin1");
    let cloudstack = as_user(&sim, Format::Json, "cloudstack", "Cloud1");

    // A System Monitor reads everything and changes nothing.
    assert_eq!(monitor.namespaces().info(NS).await.unwrap().name, NS);
    monitor.namespaces().quota(NS).await.unwrap();
    for denied in [
        monitor
            .namespaces()
            .create(&NamespaceCreate::new("m", rg1.clone()))
            .await
            .map(drop),
        monitor
            .namespaces()
            .set_quota(NS, &NamespaceQuota::new(Some(1), None))
            .await,
        monitor
            .namespaces()
            .create_retention_class(NS, "rc", RetentionPeriod::Seconds(1))
            .await,
        monitor.namespaces().delete(NS).await,
    ] {
        assert_eq!(denied.unwrap_err().kind(), ErrorKind::Forbidden);
    }

    // A Namespace Admin manages its own namespace's retention classes but not the namespace.
    nsadmin
        .namespaces()
        .create_retention_class(NS, "rc", RetentionPeriod::Seconds(10))
        .await
        .unwrap();
    let own = NamespaceUpdate {
        encryption: Some(true),
        ..NamespaceUpdate::default()
    };
    assert_eq!(
        nsadmin
            .namespaces()
            .update(NS, &own)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Forbidden
    );

    // Naming a management user in namespace_admins makes it that namespace's admin only.
    let tenant = NamespaceCreate {
        admins: vec!["cloudstack".into()],
        ..NamespaceCreate::new("cloud", rg1.clone())
    };
    root.namespaces().create(&tenant).await.unwrap();
    let whoami = cloudstack.whoami().await.unwrap();
    assert!(
        whoami.roles.contains(&ecs_mgmt::Role::NamespaceAdmin),
        "{whoami:?}"
    );
    cloudstack
        .namespaces()
        .create_retention_class("cloud", "rc", RetentionPeriod::Seconds(10))
        .await
        .unwrap();
    assert_eq!(
        cloudstack.namespaces().info(NS).await.unwrap_err().kind(),
        ErrorKind::Forbidden
    );
    assert_eq!(
        nsadmin
            .namespaces()
            .create_retention_class("cloud", "rc2", RetentionPeriod::Seconds(10))
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Forbidden
    );
    for client in [root, monitor, nsadmin, cloudstack] {
        client.close().await;
    }
    sim.shutdown().await;
}

async fn bucket_retention_stale_and_base_urls(format: Format) {
    let sim = common::start().await;
    let client = client(&sim, format);
    client
        .buckets()
        .create(&BucketCreate::new("kept", NS))
        .await
        .unwrap();
    let buckets = client.buckets();
    assert_eq!(buckets.retention("kept", NS).await.unwrap().seconds(), None);
    buckets
        .set_retention("kept", NS, Some(2_592_000))
        .await
        .unwrap();
    assert_eq!(
        buckets.retention("kept", NS).await.unwrap().seconds(),
        Some(2_592_000)
    );
    buckets.set_retention("kept", NS, None).await.unwrap();
    assert_eq!(buckets.retention("kept", NS).await.unwrap().seconds(), None);
    buckets
        .set_stale_allowed("kept", NS, true, Some(true))
        .await
        .unwrap();
    let info = buckets.info("kept", NS).await.unwrap();
    assert!(info.stale_allowed);
    buckets
        .set_stale_allowed("kept", NS, false, None)
        .await
        .unwrap();
    assert!(!buckets.info("kept", NS).await.unwrap().stale_allowed);
    let missing = buckets.retention("nope", NS).await.unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);

    let urls = client.base_urls().list().await.unwrap();
    assert_eq!(urls.len(), 1);
    let url = client.base_urls().info(&urls[0].id).await.unwrap();
    assert_eq!(
        (url.name.as_str(), url.namespace_in_host),
        (urls[0].name.as_str(), false)
    );
    assert!(!url.base_url.is_empty());
    let missing = client.base_urls().info("urn:nope").await.unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    client.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn bucket_retention_stale_and_base_urls_in_json() {
    bucket_retention_stale_and_base_urls(Format::Json).await;
}

#[tokio::test]
async fn bucket_retention_stale_and_base_urls_in_xml() {
    bucket_retention_stale_and_base_urls(Format::Xml).await;
}
