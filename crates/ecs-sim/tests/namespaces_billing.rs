//! Namespaces, replication groups and billing over real HTTP, in XML and JSON.

#![allow(
    clippy::unwrap_used,
    reason = "tests fail loudly on the first surprise"
)]

mod common;

use common::{Fmt, items, read, start, start_with, text};
use ecs_sim::{Role, Seed, Sim};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn vpools_list_and_get() {
    let env = start().await;
    for fmt in Fmt::both() {
        let (status, list) = env.get("/vdc/data-service/vpools", fmt).await;
        assert_eq!(status, 200);
        let groups = items(&list, "data_service_vpool");
        assert_eq!(groups.len(), 1);
        assert_eq!(text(&groups[0], "name"), "rg1");
        let id = text(&groups[0], "id");
        assert!(id.starts_with("urn:storageos:ReplicationGroupInfo:") && id.ends_with(":global"));
        let (status, one) = env
            .get(&format!("/vdc/data-service/vpools/{id}"), fmt)
            .await;
        assert_eq!((status, text(&one, "id")), (200, id.clone()));
        let (status, error) = env.get("/vdc/data-service/vpools/urn:nope", fmt).await;
        assert_eq!((status, text(&error, "code")), (400, "1004".into()));
    }
    env.stop().await;
}

#[tokio::test]
async fn namespaces_list_info_create_update_delete() {
    let env = start().await;
    for fmt in Fmt::both() {
        let (status, list) = env.get("/object/namespaces", fmt).await;
        assert_eq!(status, 200);
        assert_eq!(text(&items(&list, "namespace")[0], "name"), "ns1");
        let (status, info) = env.get("/object/namespaces/namespace/ns1", fmt).await;
        assert_eq!(status, 200);
        assert_eq!(text(&info, "is_encryption_enabled"), "false");
        assert!(text(&info, "default_data_services_vpool").starts_with("urn:storageos:"));
        let (status, error) = env.get("/object/namespaces/namespace/nope", fmt).await;
        assert_eq!((status, text(&error, "code")), (400, "1004".into()));
    }
    let xml = "<namespace_create><namespace>ns2</namespace><default_data_services_vpool>rg1</default_data_services_vpool></namespace_create>";
    let (status, created) = env
        .call(Method::POST, "/object/namespaces/namespace")
        .xml(xml)
        .read()
        .await;
    assert_eq!((status, text(&created, "name")), (200, "ns2".into()));
    let (status, error) = env
        .call(Method::POST, "/object/namespaces/namespace")
        .json(json!({"namespace": "ns2"}))
        .read()
        .await;
    assert_eq!(status, 400);
    assert!(text(&error, "details").contains("already exists"));
    let update =
        json!({"is_encryption_enabled": true, "default_bucket_block_size": 5, "user_mapping": []});
    env.call(Method::PUT, "/object/namespaces/namespace/ns2")
        .json(update)
        .expect(200)
        .await;
    let (_, info) = env.get("/object/namespaces/namespace/ns2", Fmt::Json).await;
    assert_eq!(
        (
            info["is_encryption_enabled"].clone(),
            info["default_bucket_block_size"].clone()
        ),
        (json!("true"), json!(5))
    );
    assert_eq!(env.bucket_in("ns2", "enc", json!({})).await.0, 200);
    let (_, bucket_info) = env
        .get("/object/bucket/enc/info?namespace=ns2", Fmt::Json)
        .await;
    assert_eq!(
        bucket_info["is_encryption_enabled"], "true",
        "the namespace forces encryption"
    );
    env.call(Method::POST, "/object/namespaces/namespace/ns2/deactivate")
        .fails(400, "1020")
        .await;
    env.call(Method::POST, "/object/bucket/enc/deactivate?namespace=ns2")
        .expect(200)
        .await;
    env.call(Method::POST, "/object/namespaces/namespace/ns2/deactivate")
        .expect(200)
        .await;
    assert_eq!(
        env.get("/object/namespaces/namespace/ns2", Fmt::Json)
            .await
            .0,
        400
    );
    env.stop().await;
}

#[tokio::test]
async fn namespace_quota_and_retention_classes() {
    let env = start().await;
    for fmt in Fmt::both() {
        let xml = "<namespace_quota_details><blockSize>100</blockSize><notificationSize>80</notificationSize></namespace_quota_details>";
        env.call(Method::PUT, "/object/namespaces/namespace/ns1/quota")
            .fmt(fmt)
            .body(json!({"blockSize": 100, "notificationSize": 80}), xml)
            .expect(200)
            .await;
        let (_, quota) = env.get("/object/namespaces/namespace/ns1/quota", fmt).await;
        assert_eq!(
            (
                text(&quota, "blockSize"),
                text(&quota, "notificationSize"),
                text(&quota, "namespace")
            ),
            ("100".into(), "80".into(), "ns1".into())
        );
        env.call(Method::DELETE, "/object/namespaces/namespace/ns1/quota")
            .fmt(fmt)
            .expect(200)
            .await;
        let (_, quota) = env.get("/object/namespaces/namespace/ns1/quota", fmt).await;
        assert_eq!(text(&quota, "blockSize"), "-1");
    }
    let xml =
        "<retention_class_create><name>rc1</name><period>60</period></retention_class_create>";
    env.call(Method::POST, "/object/namespaces/namespace/ns1/retention")
        .xml(xml)
        .expect(200)
        .await;
    env.call(Method::POST, "/object/namespaces/namespace/ns1/retention")
        .xml(xml)
        .expect(400)
        .await;
    env.call(
        Method::PUT,
        "/object/namespaces/namespace/ns1/retention/rc1",
    )
    .json(json!({"period": 120}))
    .expect(200)
    .await;
    let (_, class) = env
        .get("/object/namespaces/namespace/ns1/retention/rc1", Fmt::Json)
        .await;
    assert_eq!(class, json!({"name": "rc1", "period": 120}));
    let (_, classes) = env
        .get("/object/namespaces/namespace/ns1/retention", Fmt::Json)
        .await;
    assert_eq!(classes["retention_class"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        env.get("/object/namespaces/namespace/ns1/retention/nope", Fmt::Json)
            .await
            .0,
        400
    );
    env.stop().await;
}

#[tokio::test]
async fn billing_bucket_batch_and_namespace() {
    let env = start().await;
    for name in ["b1", "b2", "b3"] {
        assert_eq!(env.bucket_in("ns1", name, json!({})).await.0, 200);
    }
    let control = env.sim.control();
    control.set_bucket_usage("ns1", "b1", 1536, 2);
    control.set_bucket_usage("ns1", "b2", 3 << 30, 7);
    for fmt in Fmt::both() {
        let (status, one) = env
            .get("/object/billing/buckets/ns1/b1/info?sizeunit=BYTE", fmt)
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            (
                text(&one, "total_size"),
                text(&one, "total_size_unit"),
                text(&one, "total_objects")
            ),
            ("1536".into(), "BYTE".into(), "2".into())
        );
        assert!(text(&one, "sample_time").ends_with('Z'));
        let (_, kb) = env
            .get("/object/billing/buckets/ns1/b1/info?sizeunit=KB", fmt)
            .await;
        assert_eq!(text(&kb, "total_size"), "1.5");
        let (_, gb) = env.get("/object/billing/buckets/ns1/b2/info", fmt).await;
        assert_eq!(
            (text(&gb, "total_size"), text(&gb, "total_size_unit")),
            ("3.0".into(), "GB".into())
        );

        let xml = "<bucket_list><id>b2</id><id>b1</id></bucket_list>";
        let response = env
            .call(
                Method::POST,
                "/object/billing/buckets/ns1/info?sizeunit=BYTE",
            )
            .fmt(fmt)
            .body(json!({"id": ["b2", "b1"]}), xml)
            .send()
            .await;
        let (status, batch) = read(response, fmt).await;
        assert_eq!(status, 200);
        let rows = items(&batch, "bucket_billing_info");
        let names: Vec<String> = rows.iter().map(|row| text(row, "name")).collect();
        assert_eq!(names, vec!["b1", "b2"]);
        assert_eq!(text(&rows[1], "total_size"), (3u64 << 30).to_string());

        let (status, ns) = env
            .get(
                "/object/billing/namespace/ns1/info?sizeunit=BYTE&include_bucket_detail=true",
                fmt,
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(text(&ns, "total_size"), (1536 + (3u64 << 30)).to_string());
        assert_eq!(text(&ns, "total_objects"), "9");
        assert_eq!(items(&ns, "bucket_billing_info").len(), 3);
        let (_, summary) = env
            .get("/object/billing/namespace/ns1/info?sizeunit=BYTE", fmt)
            .await;
        assert!(items(&summary, "bucket_billing_info").is_empty());
    }
    let (status, many) = env
        .call(Method::POST, "/object/billing/namespace/info?sizeunit=BYTE")
        .json(json!({"id": ["ns1"]}))
        .read()
        .await;
    assert_eq!(status, 200);
    assert_eq!(many["namespace_billing_info"][0]["total_objects"], 9);
    let cases = [
        ("/object/billing/buckets/ns1/ghost/info", 400, "1004"),
        ("/object/billing/buckets/nope/b1/info", 400, "1004"),
        (
            "/object/billing/buckets/ns1/b1/info?sizeunit=TB",
            400,
            "1008",
        ),
        ("/object/billing/namespace/nope/info", 400, "1004"),
    ];
    for (path, status, code) in cases {
        let (got, error) = env.get(path, Fmt::Json).await;
        assert_eq!(
            (got, text(&error, "code")),
            (status, code.to_owned()),
            "{path}"
        );
    }
    let (status, error) = env
        .call(Method::POST, "/object/billing/buckets/ns1/info")
        .json(json!({"id": ["b1", "ghost"]}))
        .read()
        .await;
    assert_eq!((status, text(&error, "code")), (400, "1004".into()));
    let (status, _) = env
        .call(Method::POST, "/object/billing/buckets/ns1/info")
        .json(json!({"id": []}))
        .read()
        .await;
    assert_eq!(status, 400);
    env.stop().await;
}

#[tokio::test]
async fn billing_batch_pages_with_next_marker() {
    let env = start().await;
    let names: Vec<String> = (0..105).map(|n| format!("bb{n:03}")).collect();
    for name in &names {
        assert_eq!(env.bucket_in("ns1", name, json!({})).await.0, 200);
    }
    let (_, first) = env
        .call(
            Method::POST,
            "/object/billing/buckets/ns1/info?sizeunit=BYTE",
        )
        .json(json!({"id": names}))
        .read()
        .await;
    assert_eq!(
        first["bucket_billing_info"].as_array().map(Vec::len),
        Some(100)
    );
    let marker = first["next_marker"].as_str().unwrap().to_owned();
    assert_eq!(marker, "bb099");
    let path = format!("/object/billing/buckets/ns1/info?sizeunit=BYTE&marker={marker}");
    let (_, second) = env
        .call(Method::POST, &path)
        .json(json!({"id": names}))
        .read()
        .await;
    assert_eq!(
        second["bucket_billing_info"].as_array().map(Vec::len),
        Some(5)
    );
    assert!(second.get("next_marker").is_none());
    env.stop().await;
}

#[tokio::test]
async fn namespace_admins_are_confined_to_their_namespace() {
    let seed = Seed::default().with_namespace("ns2", "rg1").with_mgmt_user(
        "nsadmin",
        "pw",
        &[Role::NamespaceAdmin],
        Some("ns1"),
    );
    let env = start_with(Sim::builder().seed(seed)).await;
    assert_eq!(env.bucket_in("ns2", "other", json!({})).await.0, 200);
    let url = env.sim.mgmt_url();
    let token = common::login(&env.http, &url, "nsadmin", "pw").await;
    let call = |method: Method, path: &str, payload: Option<Value>| {
        let mut request = env
            .http
            .request(method, format!("{url}{path}"))
            .header("X-SDS-AUTH-TOKEN", &token)
            .header("Accept", "application/json");
        if let Some(payload) = payload {
            request = request
                .header("Content-Type", "application/json")
                .body(payload.to_string());
        }
        request.send()
    };
    assert_eq!(
        call(
            Method::POST,
            "/object/bucket",
            Some(json!({"name": "mine", "namespace": "ns1"}))
        )
        .await
        .unwrap()
        .status(),
        200
    );
    assert_eq!(
        call(
            Method::POST,
            "/object/bucket",
            Some(json!({"name": "mine"}))
        )
        .await
        .unwrap()
        .status(),
        400,
        "already exists in its own namespace"
    );
    let (status, error) = read(
        call(
            Method::POST,
            "/object/bucket",
            Some(json!({"name": "x", "namespace": "ns2"})),
        )
        .await
        .unwrap(),
        Fmt::Json,
    )
    .await;
    assert_eq!((status, text(&error, "code")), (403, "3000".into()));
    assert_eq!(
        call(Method::GET, "/object/bucket/other/info?namespace=ns2", None)
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        call(Method::GET, "/object/namespaces", None)
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        call(
            Method::POST,
            "/object/bucket/mine/deactivate?namespace=ns1",
            None
        )
        .await
        .unwrap()
        .status(),
        403,
        "deletion is SYSTEM_ADMIN only"
    );
    assert_eq!(
        call(Method::GET, "/object/billing/namespace/ns1/info", None)
            .await
            .unwrap()
            .status(),
        200
    );
    env.stop().await;
}
