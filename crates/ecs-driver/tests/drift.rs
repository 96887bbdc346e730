//! The drift report: from ECS alone, then against CloudStack's rows, and the safe repairs.

mod common;

use common::{ACCOUNT, OTHER_ACCOUNT, admin, ecs_secrets, start, user_id};
use ecs_driver::BucketSpec;
use ecs_driver::drift::{AccountRow, BucketRow, CloudStackRows, FixOptions};
use ecs_mgmt::SecretKeyCreate;

fn rows(accounts: &[&str], buckets: &[(&str, &str)]) -> CloudStackRows {
    CloudStackRows {
        accounts: accounts
            .iter()
            .map(|uuid| AccountRow {
                uuid: (*uuid).to_owned(),
                ..AccountRow::default()
            })
            .collect(),
        buckets: buckets
            .iter()
            .map(|(name, account)| BucketRow {
                name: (*name).to_owned(),
                account_uuid: (*account).to_owned(),
            })
            .collect(),
    }
}

fn kinds(report: &ecs_driver::drift::DriftReport) -> Vec<(String, String)> {
    let mut kinds: Vec<(String, String)> = report
        .findings
        .iter()
        .map(|finding| (finding.kind.clone(), finding.subject.clone()))
        .collect();
    kinds.sort();
    kinds
}

#[tokio::test]
async fn a_clean_store_has_no_drift_and_each_kind_is_found() {
    let env = start().await;
    env.store
        .create_bucket(&BucketSpec::new("drift-a", ACCOUNT))
        .await
        .expect("bucket");
    env.store
        .create_bucket_credential("drift-a")
        .await
        .expect("credential");
    let clean = rows(&[ACCOUNT], &[("drift-a", ACCOUNT)]);
    let report = env
        .store
        .drift(Some(&clean), FixOptions::default())
        .await
        .expect("drift");
    assert!(!report.drifted(), "{report:?}");
    assert_eq!(report.inventory.account_users.len(), 1);
    assert_eq!(report.inventory.credential_users.len(), 1);
    assert_eq!(report.inventory.buckets.len(), 1);

    // Drift of every kind: a bucket without a row, a row without a bucket, a user of a deleted
    // account, a twin key, an orphan credential, an owner that differs.
    env.store
        .create_bucket(&BucketSpec::new("drift-b", OTHER_ACCOUNT))
        .await
        .expect("bucket b");
    env.store
        .create_bucket(&BucketSpec::new("drift-c", ACCOUNT))
        .await
        .expect("bucket c");
    env.store
        .create_bucket_credential("drift-c")
        .await
        .expect("credential c");
    env.store.delete_bucket("drift-c").await.expect("delete c");
    // Made last: provisioning the account again would remove a fresh twin itself.
    admin(&env.sim)
        .secret_keys()
        .create(&user_id(ACCOUNT), "ns1", SecretKeyCreate::default())
        .await
        .expect("twin key");
    let stale = rows(
        &[ACCOUNT],
        &[("drift-a", OTHER_ACCOUNT), ("drift-gone", ACCOUNT)],
    );
    let report = env
        .store
        .drift(Some(&stale), FixOptions::default())
        .await
        .expect("drift");
    assert!(report.drifted());
    assert_eq!(
        kinds(&report),
        [
            ("bucket_without_row".to_owned(), "drift-b".to_owned()),
            (
                "orphan_credential".to_owned(),
                "cs-bucket-drift-c".to_owned()
            ),
            ("owner_mismatch".to_owned(), "drift-a".to_owned()),
            ("row_without_bucket".to_owned(), "drift-gone".to_owned()),
            ("twin_key".to_owned(), user_id(ACCOUNT)),
            ("user_of_deleted_account".to_owned(), user_id(OTHER_ACCOUNT)),
        ]
    );
    assert!(
        report
            .findings
            .iter()
            .all(|finding| finding.fixed.is_none())
    );

    // --fix removes the twin key only; --yes also deletes the orphan credential user; the
    // deleted account's user owns a bucket, so it stays, and no bucket is ever deleted.
    let fixed = env
        .store
        .drift(
            Some(&stale),
            FixOptions {
                fix: true,
                yes: false,
            },
        )
        .await
        .expect("fix");
    let fixed_kinds: Vec<&str> = fixed
        .findings
        .iter()
        .filter(|finding| finding.fixed.is_some())
        .map(|finding| finding.kind.as_str())
        .collect();
    assert_eq!(fixed_kinds, ["twin_key"]);
    assert_eq!(ecs_secrets(&env.sim, &user_id(ACCOUNT)).await.len(), 1);
    env.store
        .drift(
            Some(&stale),
            FixOptions {
                fix: true,
                yes: true,
            },
        )
        .await
        .expect("fix --yes");
    let after = env
        .store
        .drift(Some(&stale), FixOptions::default())
        .await
        .expect("after");
    assert_eq!(
        kinds(&after),
        [
            ("bucket_without_row".to_owned(), "drift-b".to_owned()),
            ("owner_mismatch".to_owned(), "drift-a".to_owned()),
            ("row_without_bucket".to_owned(), "drift-gone".to_owned()),
            ("user_of_deleted_account".to_owned(), user_id(OTHER_ACCOUNT)),
        ]
    );
    assert!(
        admin(&env.sim)
            .buckets()
            .exists("drift-b", "ns1")
            .await
            .expect("exists"),
        "buckets are never deleted"
    );
    env.stop().await;
}

#[test]
fn the_rows_shape_is_the_documented_one() {
    let parsed = CloudStackRows::from_json(
        r#"{"accounts":[{"uuid":"u1","removed":true,"name":"extra fields are ignored"}],
            "buckets":[{"name":"b1","account_uuid":"u1"}]}"#,
    )
    .expect("rows");
    assert!(parsed.accounts[0].removed);
    assert_eq!(parsed.buckets[0].name, "b1");
    let bad = CloudStackRows::from_json(r#"{"buckets":[{"name":1}]}"#).unwrap_err();
    assert_eq!(bad.kind(), ecs_driver::ErrorKind::InvalidInput);
}

const DOMAIN_A: &str = "aaaaaaaa-1111-4222-8333-444444444444";
const DOMAIN_B: &str = "bbbbbbbb-1111-4222-8333-444444444444";
const NS_A: &str = "cs-aaaaaaaa-1111-4222-8333-444444444444";
const NS_B: &str = "cs-bbbbbbbb-1111-4222-8333-444444444444";

/// Rows whose accounts carry their domain: `(account, domain)`, `(bucket, account)`.
fn domain_rows(accounts: &[(&str, &str)], buckets: &[(&str, &str)]) -> CloudStackRows {
    let mut rows = rows(&[], buckets);
    rows.accounts = accounts
        .iter()
        .map(|(uuid, domain)| AccountRow {
            uuid: (*uuid).to_owned(),
            domain_uuid: Some((*domain).to_owned()),
            ..AccountRow::default()
        })
        .collect();
    rows
}

fn kinds_in(report: &ecs_driver::drift::DriftReport) -> Vec<(String, String, String)> {
    let mut kinds: Vec<(String, String, String)> = report
        .findings
        .iter()
        .map(|f| (f.kind.clone(), f.namespace.clone(), f.subject.clone()))
        .collect();
    kinds.sort();
    kinds
}

#[tokio::test]
async fn domain_tenancy_drift_reads_every_domain_namespace_and_judges_rows_per_namespace() {
    let env = common::start_with(&[("tenancy", "domain")]).await;
    let (a, b) = (
        env.store.for_domain(DOMAIN_A).expect("domain A"),
        env.store.for_domain(DOMAIN_B).expect("domain B"),
    );
    a.create_bucket(&BucketSpec::new("bucket-a", ACCOUNT))
        .await
        .expect("bucket A");
    b.create_bucket(&BucketSpec::new("bucket-b", OTHER_ACCOUNT))
        .await
        .expect("bucket B");
    let accounts = [(ACCOUNT, DOMAIN_A), (OTHER_ACCOUNT, DOMAIN_B)];
    let clean = domain_rows(
        &accounts,
        &[("bucket-a", ACCOUNT), ("bucket-b", OTHER_ACCOUNT)],
    );
    let report = env
        .store
        .drift(Some(&clean), FixOptions::default())
        .await
        .expect("drift");
    assert!(!report.drifted(), "{report:?}");
    let namespaces: Vec<&str> = report
        .inventory
        .namespaces
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(namespaces, [NS_A, NS_B, "ns1"]);
    assert_eq!(
        report.inventory.buckets.keys().collect::<Vec<_>>(),
        [&format!("{NS_A}/bucket-a"), &format!("{NS_B}/bucket-b")]
    );
    assert_eq!(report.inventory.account_users.len(), 2);

    // Drift planted behind CloudStack's back: a bucket of A's user no row names, in A's
    // namespace, and a second permanent key of B's user, in B's.
    let admin = admin(&env.sim);
    let mut planted = ecs_mgmt::BucketCreate::new("planted", NS_A);
    planted.owner = Some(user_id(ACCOUNT));
    admin.buckets().create(&planted).await.expect("planted");
    admin
        .secret_keys()
        .create(&user_id(OTHER_ACCOUNT), NS_B, SecretKeyCreate::default())
        .await
        .expect("twin key");
    let report = env
        .store
        .drift(Some(&clean), FixOptions::default())
        .await
        .expect("drift");
    assert_eq!(
        kinds_in(&report),
        [
            (
                "bucket_without_row".to_owned(),
                NS_A.to_owned(),
                "planted".to_owned()
            ),
            (
                "twin_key".to_owned(),
                NS_B.to_owned(),
                user_id(OTHER_ACCOUNT)
            ),
        ]
    );

    // A row is judged in its account's namespace: naming `planted` for B's account (domain
    // B) does not cover the bucket in A's namespace.
    let misplaced = domain_rows(
        &accounts,
        &[
            ("bucket-a", ACCOUNT),
            ("bucket-b", OTHER_ACCOUNT),
            ("planted", OTHER_ACCOUNT),
        ],
    );
    let report = env
        .store
        .drift(Some(&misplaced), FixOptions::default())
        .await
        .expect("drift");
    let found = kinds_in(&report);
    assert!(
        found.contains(&(
            "row_without_bucket".to_owned(),
            NS_B.to_owned(),
            "planted".to_owned()
        )) && found.contains(&(
            "bucket_without_row".to_owned(),
            NS_A.to_owned(),
            "planted".to_owned()
        )),
        "{found:?}"
    );
    let row = report
        .findings
        .iter()
        .find(|f| f.kind == "row_without_bucket")
        .expect("row finding");
    assert!(row.detail.contains(&format!("is in {NS_A}")), "{row:?}");

    // --fix removes the twin key in B's namespace; the planted bucket stays (never deleted).
    let fixed = env
        .store
        .drift(
            Some(&clean),
            FixOptions {
                fix: true,
                yes: true,
            },
        )
        .await
        .expect("fix");
    let repaired: Vec<(&str, &str)> = fixed
        .findings
        .iter()
        .filter(|f| f.fixed.is_some())
        .map(|f| (f.kind.as_str(), f.namespace.as_str()))
        .collect();
    assert_eq!(repaired, [("twin_key", NS_B)]);
    let keys = admin
        .secret_keys()
        .get(&user_id(OTHER_ACCOUNT), Some(NS_B))
        .await
        .expect("keys");
    assert_eq!(keys.keys().count(), 1);
    admin
        .buckets()
        .info("planted", NS_A)
        .await
        .expect("buckets are never deleted");

    // Once CloudStack's rows name the planted bucket for A's account, the report is clean.
    let adopted = domain_rows(
        &accounts,
        &[
            ("bucket-a", ACCOUNT),
            ("bucket-b", OTHER_ACCOUNT),
            ("planted", ACCOUNT),
        ],
    );
    let after = env
        .store
        .drift(Some(&adopted), FixOptions::default())
        .await
        .expect("after");
    assert!(!after.drifted(), "{after:?}");
    // A store scoped to one domain reads only that domain's namespace.
    let only_b = b.drift(None, FixOptions::default()).await.expect("B only");
    assert_eq!(
        only_b.inventory.namespaces.keys().collect::<Vec<_>>(),
        [NS_B]
    );
    env.stop().await;
}
