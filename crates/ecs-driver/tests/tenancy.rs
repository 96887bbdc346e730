//! `domain` tenancy: each CloudStack domain gets its own ECS namespace, created on first use,
//! holding its accounts' users and buckets; other domains' keys cannot reach them; the
//! namespace's hard quota is respected; two stores racing on a new domain both succeed; and
//! `shared` tenancy is unchanged.

mod common;

use common::{ACCOUNT, OTHER_ACCOUNT, admin, store_with, user_id};
use ecs_driver::{BucketSpec, CustomPolicy, ErrorKind, Ownership, PolicySpec};
use ecs_sim::{Api, FaultRule, Sim};

const DOMAIN_A: &str = "aaaaaaaa-1111-4222-8333-444444444444";
const DOMAIN_B: &str = "bbbbbbbb-1111-4222-8333-444444444444";
const NS_A: &str = "cs-aaaaaaaa-1111-4222-8333-444444444444";
const NS_B: &str = "cs-bbbbbbbb-1111-4222-8333-444444444444";

fn in_domain(domain: &str) -> Ownership {
    Ownership {
        domain_uuid: Some(domain.to_owned()),
        ..Ownership::default()
    }
}

async fn sim() -> Sim {
    Sim::builder().start().await.expect("emulator starts")
}

fn requests(sim: &Sim) -> Vec<String> {
    sim.control()
        .request_log()
        .into_iter()
        .filter(|record| record.api == Api::Mgmt)
        .map(|record| format!("{} {}", record.method, record.path))
        .collect()
}

#[tokio::test]
async fn two_domains_get_two_namespaces_holding_their_users_and_buckets() {
    let sim = sim().await;
    let store = store_with(&sim, &[("tenancy", "domain")]);
    let a = store
        .create_owned_bucket(&BucketSpec::new("bucket-a", ACCOUNT), &in_domain(DOMAIN_A))
        .await
        .expect("bucket of domain A");
    let b = store
        .for_domain(DOMAIN_B)
        .expect("domain B")
        .create_bucket(&BucketSpec::new("bucket-b", OTHER_ACCOUNT))
        .await
        .expect("bucket of domain B");
    assert_eq!(a.url, "https://s3.example.com/bucket-a");

    let admin = admin(&sim);
    for (namespace, bucket, account) in [
        (NS_A, "bucket-a", ACCOUNT),
        (NS_B, "bucket-b", OTHER_ACCOUNT),
    ] {
        let info = admin.namespaces().info(namespace).await.expect("namespace");
        assert_eq!(info.name, namespace);
        let bucket = admin
            .buckets()
            .info(bucket, namespace)
            .await
            .expect("bucket in its domain's namespace");
        assert_eq!(bucket.owner.as_deref(), Some(user_id(account).as_str()));
        let keys = admin
            .secret_keys()
            .get(&user_id(account), Some(namespace))
            .await
            .expect("user in its domain's namespace");
        assert_eq!(keys.keys().count(), 1);
    }
    let shared = admin.buckets().list_page("ns1", None).await.expect("ns1");
    assert!(shared.items.is_empty(), "nothing in the shared namespace");

    // Store-wide views cover every domain namespace; a domain's view only its own.
    let mut names: Vec<String> = store
        .list_buckets()
        .await
        .expect("list")
        .into_iter()
        .map(|bucket| bucket.name)
        .collect();
    names.sort();
    assert_eq!(names, ["bucket-a", "bucket-b"]);
    let usage = store.usage().await.expect("usage");
    assert_eq!(usage.keys().collect::<Vec<_>>(), ["bucket-a", "bucket-b"]);
    let only_b = store
        .for_domain(DOMAIN_B)
        .unwrap()
        .list_buckets()
        .await
        .unwrap();
    assert_eq!(only_b.len(), 1);
    let tenants = store.tenants().await.expect("tenants");
    let summary: Vec<(&str, Option<&str>, usize, usize)> = tenants
        .iter()
        .map(|t| {
            (
                t.namespace.as_str(),
                t.domain_uuid.as_deref(),
                t.buckets,
                t.users,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [(NS_A, Some(DOMAIN_A), 1, 1), (NS_B, Some(DOMAIN_B), 1, 1)]
    );

    // Settings and deletion reach the bucket through its domain.
    let scoped = store.for_domain(DOMAIN_A).unwrap();
    scoped
        .set_versioning("bucket-a", true)
        .await
        .expect("versioning");
    scoped.set_quota("bucket-a", 3).await.expect("quota");
    assert_eq!(
        admin
            .buckets()
            .info("bucket-a", NS_A)
            .await
            .unwrap()
            .block_size_gb,
        Some(3)
    );
    drop(b);
    scoped.delete_bucket("bucket-a").await.expect("delete");
    assert_eq!(
        admin
            .buckets()
            .info("bucket-a", NS_A)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    store.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_call_that_names_no_domain_is_refused_before_anything_is_sent() {
    let sim = sim().await;
    let store = store_with(&sim, &[("tenancy", "domain")]);
    sim.control().clear_request_log();
    let unscoped = [
        store.ensure_account_user(ACCOUNT, None).await.map(|_| ()),
        store
            .create_bucket(&BucketSpec::new("nowhere", ACCOUNT))
            .await
            .map(|_| ()),
        store.set_quota("nowhere", 1).await,
        store.delete_bucket("nowhere").await,
        store.get_policy("nowhere").await.map(|_| ()),
    ];
    for outcome in unscoped {
        let err = outcome.expect_err("refused");
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(
            err.to_string().contains("must name the account's domain"),
            "{err}"
        );
    }
    let err = store.for_domain("not-a-domain").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let err = store
        .for_domain(DOMAIN_A)
        .unwrap()
        .create_owned_bucket(&BucketSpec::new("mixed", ACCOUNT), &in_domain(DOMAIN_B))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("made for domain"), "{err}");
    assert!(requests(&sim).is_empty(), "{:?}", requests(&sim));
    store.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn another_domains_keys_cannot_list_or_read_its_bucket_even_when_a_policy_names_them() {
    let sim = sim().await;
    let store = store_with(&sim, &[("tenancy", "domain")]);
    let (a, b) = (
        store.for_domain(DOMAIN_A).unwrap(),
        store.for_domain(DOMAIN_B).unwrap(),
    );
    let keys_a = a.ensure_account_user(ACCOUNT, None).await.expect("user A");
    let created = b
        .create_bucket(&BucketSpec::new("secret-b", OTHER_ACCOUNT))
        .await
        .expect("bucket B");
    let owner = b.browser(&created.credentials).unwrap();
    owner
        .upload(
            "secret-b",
            "plan.txt",
            ecs_driver::Body::from(b"B's plan".to_vec()),
        )
        .await
        .expect("B writes");
    // The mistake: B's bucket policy grants A's user everything.
    let mistake = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":["{}"]}},"Action":["s3:*"],"Resource":["arn:aws:s3:::secret-b","arn:aws:s3:::secret-b/*"]}}]}}"#,
        keys_a.user_id
    );
    b.set_policy(
        "secret-b",
        &PolicySpec::Custom(CustomPolicy::parse(&mistake).expect("policy")),
    )
    .await
    .expect("policy set");

    // A's keys in A's namespace do not even see the bucket.
    let from_a = a.browser(&keys_a).unwrap();
    let err = from_a.list("secret-b", None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    // Sent into B's namespace (`x-emc-namespace`), ECS's tenant isolation refuses them.
    let into_b = b.browser(&keys_a).unwrap();
    let err = into_b.list("secret-b", None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden, "{err}");
    let err = into_b
        .download("secret-b", "plan.txt", None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden, "{err}");
    // The owner still reads it, also without naming a namespace (ECS takes the user's).
    let listed = owner.list("secret-b", None).await.expect("B lists");
    assert_eq!(listed.len(), 1);
    let unnamed = store.browser(&created.credentials).unwrap();
    assert_eq!(
        unnamed.list("secret-b", None).await.expect("B lists").len(),
        1
    );
    store.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn the_namespace_hard_quota_refuses_what_would_exceed_it() {
    let sim = sim().await;
    let store = store_with(
        &sim,
        &[
            ("tenancy", "domain"),
            ("tenant_namespace_quota_gib", "10"),
            ("tenant_namespace_soft_quota_gib", "8"),
        ],
    );
    let scoped = store.for_domain(DOMAIN_A).unwrap();
    let first = BucketSpec {
        quota_gib: Some(6),
        ..BucketSpec::new("first", ACCOUNT)
    };
    scoped.create_bucket(&first).await.expect("6 of 10 GB");
    let quota = admin(&sim).namespaces().quota(NS_A).await.expect("quota");
    assert_eq!(
        (quota.block_size_gb, quota.notification_size_gb),
        (Some(10), Some(8))
    );

    let second = BucketSpec {
        quota_gib: Some(5),
        ..BucketSpec::new("second", ACCOUNT)
    };
    let err = scoped.create_bucket(&second).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::QuotaExceeded);
    let message = err.to_string();
    for part in [
        NS_A,
        DOMAIN_A,
        "hard quota of 10 GB",
        "quotas take 6 GB",
        "0 bytes",
        "5 GB",
        "4 GB",
    ] {
        assert!(message.contains(part), "{part} in {message}");
    }
    assert_eq!(
        admin(&sim)
            .buckets()
            .info("second", NS_A)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound,
        "nothing was created"
    );
    let fits = BucketSpec {
        quota_gib: Some(4),
        ..BucketSpec::new("second", ACCOUNT)
    };
    scoped.create_bucket(&fits).await.expect("4 more fit");

    let err = scoped.set_quota("first", 7).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::QuotaExceeded);
    assert!(err.to_string().contains("quotas take 4 GB"), "{err}");
    scoped
        .set_quota("first", 2)
        .await
        .expect("lowering is always allowed");
    scoped
        .set_quota("second", 8)
        .await
        .expect("8 + 2 fit in 10");

    // A namespace that is full takes no bucket without a quota either.
    sim.control().set_bucket_usage(NS_A, "first", 10 << 30, 1);
    let err = scoped
        .create_bucket(&BucketSpec::new("third", ACCOUNT))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::QuotaExceeded);
    assert!(err.to_string().contains("is full"), "{err}");
    store.close().await;
    sim.shutdown().await;
}

/// The quotas standing in a namespace, GB.
async fn quotas_taken(sim: &Sim, namespace: &str) -> u64 {
    admin(sim)
        .buckets()
        .list_page(namespace, None)
        .await
        .expect("buckets")
        .items
        .iter()
        .map(|bucket| bucket.block_size_gb.unwrap_or(0))
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stores_racing_for_the_last_room_never_leave_the_namespace_quota_exceeded() {
    let sim = sim().await;
    let details = [("tenancy", "domain"), ("tenant_namespace_quota_gib", "10")];
    let (one, two) = (
        store_with(&sim, &details).for_domain(DOMAIN_A).unwrap(),
        store_with(&sim, &details).for_domain(DOMAIN_A).unwrap(),
    );
    // Both stores logged in and the user made, so each creation's check takes a few requests;
    // both creations then wait in ECS long enough for the other's check to pass first.
    for store in [&one, &two] {
        store
            .ensure_account_user(ACCOUNT, None)
            .await
            .expect("user");
    }
    let mut slow = FaultRule::new(Api::Mgmt, "/object/bucket");
    slow.method = Some("POST".to_owned());
    slow.latency = Some(std::time::Duration::from_millis(1000));
    slow.times = Some(2);
    sim.control().add_fault(slow);
    sim.control().clear_request_log();
    let spec = |name: &str| BucketSpec {
        quota_gib: Some(6),
        ..BucketSpec::new(name, ACCOUNT)
    };
    let (first, second) = (spec("race-6a"), spec("race-6b"));
    let tasks = (
        tokio::spawn({
            let one = one.clone();
            async move { one.create_bucket(&first).await }
        }),
        tokio::spawn({
            let two = two.clone();
            async move { two.create_bucket(&second).await }
        }),
    );
    let outcomes = [
        tasks.0.await.expect("task one"),
        tasks.1.await.expect("task two"),
    ];
    let creates = requests(&sim)
        .iter()
        .filter(|request| *request == "POST /object/bucket")
        .count();
    assert_eq!(creates, 2, "both passed the check: the race was real");
    for outcome in &outcomes {
        if let Err(err) = outcome {
            assert_eq!(err.kind(), ErrorKind::QuotaExceeded, "{err}");
            assert!(
                err.to_string().contains("at the same time") && err.to_string().contains(NS_A),
                "{err}"
            );
        }
    }
    let standing = quotas_taken(&sim, NS_A).await;
    assert!(
        standing <= 10,
        "{standing} GB of quotas stand in a 10 GB namespace"
    );
    let won = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
    assert_eq!(u64::try_from(won).unwrap() * 6, standing, "{outcomes:?}");

    // Quota raises race the same way: each is put back when together they exceed it.
    for name in ["raise-a", "raise-b"] {
        let small = BucketSpec {
            quota_gib: Some(1),
            ..BucketSpec::new(name, ACCOUNT)
        };
        one.create_bucket(&small).await.expect("small bucket");
    }
    let before = quotas_taken(&sim, NS_A).await;
    let mut slow = FaultRule::new(Api::Mgmt, "/object/bucket/raise-");
    slow.method = Some("PUT".to_owned());
    slow.latency = Some(std::time::Duration::from_millis(1000));
    slow.times = Some(2);
    sim.control().add_fault(slow);
    let raise = 10 - before + 1;
    let (a, b) = tokio::join!(
        one.set_quota("raise-a", raise),
        two.set_quota("raise-b", raise),
    );
    assert!(a.is_err() || b.is_err(), "both cannot fit: {a:?} {b:?}");
    let standing = quotas_taken(&sim, NS_A).await;
    assert!(
        standing <= 10,
        "{standing} GB of quotas stand in a 10 GB namespace"
    );
    for (name, outcome) in [("raise-a", &a), ("raise-b", &b)] {
        let quota = admin(&sim)
            .buckets()
            .info(name, NS_A)
            .await
            .expect("bucket")
            .block_size_gb;
        match outcome {
            Ok(()) => assert_eq!(quota, Some(raise)),
            Err(err) => {
                assert_eq!(err.kind(), ErrorKind::QuotaExceeded, "{err}");
                assert_eq!(quota, Some(1), "{name} put back");
            }
        }
    }
    one.close().await;
    two.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn two_stores_racing_on_a_new_domain_both_succeed_with_one_namespace() {
    let sim = sim().await;
    let one = store_with(&sim, &[("tenancy", "domain")]);
    let two = store_with(&sim, &[("tenancy", "domain")]);
    let (spec_one, spec_two) = (
        BucketSpec::new("race-one", ACCOUNT),
        BucketSpec::new("race-two", ACCOUNT),
    );
    let domain = in_domain(DOMAIN_A);
    let (first, second) = tokio::join!(
        one.create_owned_bucket(&spec_one, &domain),
        two.create_owned_bucket(&spec_two, &domain),
    );
    let (first, second) = (first.expect("first"), second.expect("second"));
    assert!(
        first.credentials.same_as(&second.credentials),
        "one user, one key"
    );
    let creates = requests(&sim)
        .iter()
        .filter(|request| *request == "POST /object/namespaces/namespace")
        .count();
    assert!((1..=2).contains(&creates), "{creates}");
    let tenants = one.tenants().await.expect("tenants");
    assert_eq!(tenants.len(), 1);
    assert_eq!((tenants[0].buckets, tenants[0].users), (2, 1));
    one.close().await;
    two.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_lost_answer_to_the_namespace_creation_is_read_back() {
    let sim = sim().await;
    let store = store_with(&sim, &[("tenancy", "domain")]);
    let mut lost = FaultRule::new(Api::Mgmt, "/object/namespaces/namespace");
    lost.method = Some("POST".to_owned());
    lost.drop_answer = 1.0;
    lost.times = Some(1);
    sim.control().add_fault(lost);
    store
        .create_owned_bucket(
            &BucketSpec::new("after-loss", ACCOUNT),
            &in_domain(DOMAIN_A),
        )
        .await
        .expect("created despite the lost answer");
    let creates = requests(&sim)
        .iter()
        .filter(|request| *request == "POST /object/namespaces/namespace")
        .count();
    assert_eq!(creates, 1, "read back, not sent again");
    store.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_namespace_deleted_behind_cloudstacks_back_is_made_again() {
    let sim = sim().await;
    let store = store_with(&sim, &[("tenancy", "domain")]);
    let scoped = store.for_domain(DOMAIN_A).unwrap();
    let created = scoped
        .create_bucket(&BucketSpec::new("before", ACCOUNT))
        .await
        .expect("bucket");
    let admin = admin(&sim);
    admin
        .buckets()
        .delete("before", NS_A, false)
        .await
        .expect("bucket gone");
    admin
        .object_users()
        .delete(&user_id(ACCOUNT), NS_A)
        .await
        .expect("user gone");
    admin
        .namespaces()
        .delete(NS_A)
        .await
        .expect("namespace gone");

    // CloudStack still has the account's old key on its rows.
    let spec = BucketSpec {
        credentials: Some(created.credentials.clone()),
        ..BucketSpec::new("after", ACCOUNT)
    };
    let again = scoped
        .create_bucket(&spec)
        .await
        .expect("namespace made again");
    assert!(
        !again.credentials.same_as(&created.credentials),
        "a new key"
    );
    admin.namespaces().info(NS_A).await.expect("namespace back");
    admin
        .buckets()
        .info("after", NS_A)
        .await
        .expect("bucket in it");
    store.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_store_holding_shared_buckets_cannot_switch_to_domain_tenancy() {
    let sim = sim().await;
    let shared = store_with(&sim, &[]);
    shared
        .create_bucket(&BucketSpec::new("old-shared", ACCOUNT))
        .await
        .expect("shared bucket");
    let switched = store_with(&sim, &[("tenancy", "domain")]);
    let err = switched
        .create_owned_bucket(
            &BucketSpec::new("new-domain", ACCOUNT),
            &in_domain(DOMAIN_A),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("old-shared"), "{err}");
    assert!(err.to_string().contains("no migration command"), "{err}");
    let report = switched.check().await;
    let tenancy = report
        .checks
        .iter()
        .find(|check| check.name == "tenancy")
        .expect("a tenancy check");
    assert!(!tenancy.ok, "{tenancy:?}");
    shared.close().await;
    switched.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn buckets_stranded_by_a_switch_back_to_shared_tenancy_are_found() {
    use ecs_driver::tenancy::{StrandedBuckets, stranded_buckets};
    let sim = sim().await;
    let domain = store_with(&sim, &[("tenancy", "domain")]);
    let shared = store_with(&sim, &[]);
    assert_eq!(
        stranded_buckets(shared.mgmt(), shared.config())
            .await
            .expect("none"),
        []
    );
    domain
        .create_owned_bucket(&BucketSpec::new("kept-a", ACCOUNT), &in_domain(DOMAIN_A))
        .await
        .expect("bucket A");
    // A namespace shaped like a domain's but holding no bucket of the store's users, and one
    // of another store's users (another user prefix), are not the store's.
    admin(&sim)
        .namespaces()
        .create(&ecs_mgmt::NamespaceCreate::new(
            NS_B.to_owned(),
            admin(&sim)
                .replication_groups()
                .list()
                .await
                .expect("groups")[0]
                .id
                .clone(),
        ))
        .await
        .expect("empty look-alike");
    let foreign = ecs_mgmt::BucketCreate::new("foreign", NS_B);
    admin(&sim)
        .buckets()
        .create(&foreign)
        .await
        .expect("foreign");
    let stranded = stranded_buckets(shared.mgmt(), shared.config())
        .await
        .expect("stranded");
    assert_eq!(
        stranded,
        [StrandedBuckets {
            namespace: NS_A.to_owned(),
            domain_uuid: Some(DOMAIN_A.to_owned()),
            buckets: vec!["kept-a".to_owned()],
        }]
    );
    // The domain store sees nothing stranded in its own namespace.
    assert_eq!(
        stranded_buckets(domain.mgmt(), domain.config())
            .await
            .expect("none"),
        []
    );
    // check() in shared tenancy is unchanged: no tenancy line, no namespace listing.
    sim.control().clear_request_log();
    let report = shared.check().await;
    assert!(report.checks.iter().all(|check| check.name != "tenancy"));
    assert!(
        !requests(&sim).contains(&"GET /object/namespaces".to_owned()),
        "{:?}",
        requests(&sim)
    );
    domain.close().await;
    shared.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn shared_tenancy_ignores_the_domain_and_never_touches_namespaces() {
    let sim = sim().await;
    let store = store_with(&sim, &[]);
    let scoped = store.for_domain(DOMAIN_A).unwrap();
    let created = scoped
        .create_owned_bucket(&BucketSpec::new("plain", ACCOUNT), &in_domain(DOMAIN_A))
        .await
        .expect("bucket");
    scoped.set_quota("plain", 5).await.expect("quota");
    store
        .set_versioning("plain", true)
        .await
        .expect("unscoped works too");
    admin(&sim)
        .buckets()
        .info("plain", "ns1")
        .await
        .expect("in ns1");
    assert!(
        requests(&sim)
            .iter()
            .all(|request| !request.contains("/object/namespaces")),
        "{:?}",
        requests(&sim)
    );
    assert_eq!(created.url, "https://s3.example.com/plain");
    let tenants = store.tenants().await.expect("tenants");
    assert_eq!(tenants.len(), 1);
    assert_eq!(
        (
            tenants[0].namespace.as_str(),
            tenants[0].domain_uuid.as_deref()
        ),
        ("ns1", None)
    );
    store.close().await;
    sim.shutdown().await;
}
