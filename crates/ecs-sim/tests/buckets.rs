//! Buckets and their settings over real HTTP, in XML and JSON, with their error cases.

#![allow(
    clippy::unwrap_used,
    reason = "tests fail loudly on the first surprise"
)]

mod common;

use common::{Env, Fmt, items, read, start, text};
use reqwest::Method;
use serde_json::{Value, json};

async fn bucket(env: &Env, name: &str, fmt: Fmt, extra: Value) -> (u16, Value) {
    let mut payload = json!({"name": name, "namespace": "ns1", "head_type": "s3"});
    if let (Some(map), Value::Object(more)) = (payload.as_object_mut(), extra) {
        map.extend(more);
    }
    let xml = format!(
        "<object_bucket_create><name>{name}</name><namespace>ns1</namespace><head_type>s3</head_type></object_bucket_create>"
    );
    env.call(Method::POST, "/object/bucket")
        .fmt(fmt)
        .body(payload, &xml)
        .read()
        .await
}

#[tokio::test]
async fn create_and_info_in_both_formats() {
    let env = start().await;
    for fmt in Fmt::both() {
        let name = format!("b-{fmt:?}").to_lowercase();
        let (status, created) = bucket(&env, &name, fmt, json!({})).await;
        assert_eq!(status, 200);
        assert_eq!(text(&created, "id"), format!("ns1.{name}"));
        assert_eq!(text(&created, "inactive"), "false");
        let (status, info) = env
            .get(&format!("/object/bucket/{name}/info?namespace=ns1"), fmt)
            .await;
        assert_eq!(status, 200);
        assert_eq!(text(&info, "name"), name);
        assert_eq!(text(&info, "owner"), "root");
        assert_eq!(text(&info, "api_type"), "S3");
        assert_eq!(text(&info, "block_size"), "-1");
        assert_eq!(text(&info, "is_encryption_enabled"), "false");
        assert!(text(&info, "vpool").starts_with("urn:storageos:ReplicationGroupInfo:"));
        assert!(text(&info, "created").ends_with('Z'));
    }
    // JSON keeps ECS's quirk: is_encryption_enabled is a string.
    let response = env
        .call(Method::GET, "/object/bucket/b-json/info.json?namespace=ns1")
        .fmt(Fmt::Xml)
        .send()
        .await;
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "the suffix beats Accept"
    );
    let (_, info) = read(response, Fmt::Json).await;
    assert_eq!(info["is_encryption_enabled"], json!("false"));
    env.stop().await;
}

#[tokio::test]
async fn create_with_owner_quota_encryption_tags_and_lock() {
    let env = start().await;
    env.user("owner1").await;
    let extra = json!({"owner": "owner1", "blockSize": 2, "notificationSize": 1, "is_encryption_enabled": true,
                       "TagSet": [{"Key": "a", "Value": "1"}], "is_object_lock_enabled": true});
    assert_eq!(bucket(&env, "full", Fmt::Json, extra).await.0, 200);
    let (_, info) = env
        .get("/object/bucket/full/info?namespace=ns1", Fmt::Json)
        .await;
    assert_eq!(
        (
            info["owner"].clone(),
            info["block_size"].clone(),
            info["notification_size"].clone()
        ),
        (json!("owner1"), json!(2), json!(1))
    );
    assert_eq!(info["is_encryption_enabled"], "true");
    assert_eq!(info["TagSet"], json!([{"Key": "a", "Value": "1"}]));
    assert_eq!(info["versioning_status"], "Enabled");
    assert_eq!(info["is_object_lock_enabled"], true);
    let xml = concat!(
        "<object_bucket_create><blockSize>5</blockSize><notificationSize>4</notificationSize><name>cs</name>",
        "<head_type>s3</head_type><namespace>ns1</namespace><owner>owner1</owner>",
        "<is_encryption_enabled>false</is_encryption_enabled><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></object_bucket_create>"
    );
    let response = env
        .call(Method::POST, "/object/bucket")
        .xml(xml)
        .send()
        .await;
    assert_eq!(response.status(), 200);
    let (_, info) = env
        .get("/object/bucket/cs/info?namespace=ns1", Fmt::Xml)
        .await;
    assert_eq!(
        (text(&info, "block_size"), text(&info, "owner")),
        ("5".into(), "owner1".into())
    );
    assert_eq!(info["TagSet"]["Tag"]["Key"], "k");
    env.stop().await;
}

#[tokio::test]
async fn create_errors() {
    let env = start().await;
    bucket(&env, "taken", Fmt::Json, json!({})).await;
    let cases = [
        (
            json!({"name": "taken", "namespace": "ns1"}),
            400,
            "40008",
            "already exists",
        ),
        (
            json!({"name": "bad..name", "namespace": "ns1"}),
            400,
            "40009",
            "",
        ),
        (
            json!({"name": "x", "namespace": "ns1", "owner": "ghost"}),
            400,
            "40010",
            "",
        ),
        (json!({"name": "x", "namespace": "nope"}), 400, "1004", ""),
        (
            json!({"name": "x", "namespace": "ns1", "vpool": "urn:nope"}),
            400,
            "1004",
            "",
        ),
        (
            json!({"name": "x", "namespace": "ns1", "blockSize": 0}),
            400,
            "1008",
            "",
        ),
        (
            json!({"name": "x", "namespace": "ns1", "blockSize": 2, "notificationSize": 3}),
            400,
            "1008",
            "",
        ),
        (
            json!({"name": "x", "namespace": "ns1", "blockSize": "2.5"}),
            400,
            "1008",
            "",
        ),
        (json!({"namespace": "ns1"}), 400, "1005", ""),
        (json!({"name": "x"}), 400, "1005", ""),
    ];
    for fmt in Fmt::both() {
        for (payload, status, code, details) in &cases {
            let response = env
                .call(Method::POST, "/object/bucket")
                .fmt(fmt)
                .json(payload.clone())
                .send()
                .await;
            let response = if fmt == Fmt::Xml {
                // Same payload, rendered as XML.
                let fields: String = payload
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            "<{k}>{}</{k}>",
                            v.as_str().map(str::to_owned).unwrap_or(v.to_string())
                        )
                    })
                    .collect();
                drop(response);
                let xml = format!("<object_bucket_create>{fields}</object_bucket_create>");
                env.call(Method::POST, "/object/bucket")
                    .fmt(fmt)
                    .body(json!({}), &xml)
                    .send()
                    .await
            } else {
                response
            };
            let (got, error) = read(response, fmt).await;
            assert_eq!(
                (got, text(&error, "code")),
                (*status, (*code).to_owned()),
                "{payload} {fmt:?}"
            );
            assert!(text(&error, "details").contains(details));
            assert_eq!(text(&error, "retryable"), "false");
        }
    }
    env.stop().await;
}

#[tokio::test]
async fn list_with_prefix_and_paging() {
    let env = start().await;
    for name in ["app-1", "app-2", "app-3", "db-1"] {
        bucket(&env, name, Fmt::Json, json!({})).await;
    }
    for fmt in Fmt::both() {
        let (status, all) = env.get("/object/bucket?namespace=ns1", fmt).await;
        assert_eq!(status, 200);
        assert_eq!(items(&all, "object_bucket").len(), 4);
        assert_eq!(text(&all, "Filter"), "namespace=ns1&name=*");
        let (_, apps) = env.get("/object/bucket?namespace=ns1&name=app*", fmt).await;
        assert_eq!(items(&apps, "object_bucket").len(), 3);
        let (_, first) = env.get("/object/bucket?namespace=ns1&limit=2", fmt).await;
        assert_eq!(items(&first, "object_bucket").len(), 2);
        assert_eq!(text(&first, "MaxBuckets"), "2");
        let marker = text(&first, "NextMarker");
        assert_eq!(marker, "app-2");
        let (_, second) = env
            .get(
                &format!("/object/bucket?namespace=ns1&limit=2&marker={marker}"),
                fmt,
            )
            .await;
        let names: Vec<String> = items(&second, "object_bucket")
            .iter()
            .map(|b| text(b, "name"))
            .collect();
        assert_eq!(names, vec!["app-3", "db-1"]);
        assert_eq!(text(&second, "NextMarker"), "");
    }
    let (status, error) = env.get("/object/bucket", Fmt::Json).await;
    assert_eq!((status, text(&error, "code")), (400, "1005".into()));
    let (status, error) = env
        .get("/object/bucket?namespace=ns1&limit=0", Fmt::Json)
        .await;
    assert_eq!((status, text(&error, "code")), (400, "1008".into()));
    env.stop().await;
}

#[tokio::test]
async fn missing_bucket_is_400_1004_everywhere() {
    let env = start().await;
    for fmt in Fmt::both() {
        for path in [
            "info",
            "quota",
            "policy",
            "versioning",
            "acl",
            "lock",
            "retention",
        ] {
            let (status, error) = env
                .get(&format!("/object/bucket/ghost/{path}?namespace=ns1"), fmt)
                .await;
            assert_eq!(
                (status, text(&error, "code")),
                (400, "1004".into()),
                "{path}"
            );
            assert_eq!(
                text(&error, "details"),
                "Unable to find entity with the given id ghost"
            );
            assert_eq!(
                text(&error, "description"),
                "Request parameter cannot be found"
            );
        }
        let (status, _) = env
            .call(
                Method::POST,
                "/object/bucket/ghost/deactivate?namespace=ns1",
            )
            .fmt(fmt)
            .read()
            .await;
        assert_eq!(status, 400);
    }
    env.stop().await;
}

#[tokio::test]
async fn delete_refuses_non_empty_and_empty_bucket_true_is_202() {
    let env = start().await;
    bucket(&env, "full", Fmt::Json, json!({})).await;
    env.sim.control().set_bucket_usage("ns1", "full", 2048, 2);
    for fmt in Fmt::both() {
        let (status, error) = env
            .call(Method::POST, "/object/bucket/full/deactivate?namespace=ns1")
            .fmt(fmt)
            .read()
            .await;
        assert_eq!((status, text(&error, "code")), (400, "1012".into()));
        assert!(text(&error, "details").contains("not empty"));
    }
    let (status, _) = env
        .get(
            "/object/bucket/full/empty-bucket-status?namespace=ns1",
            Fmt::Json,
        )
        .await;
    assert_eq!(status, 200);
    let response = env
        .call(
            Method::POST,
            "/object/bucket/full/deactivate?namespace=ns1&emptyBucket=true",
        )
        .send()
        .await;
    assert_eq!(response.status(), 202);
    let (status, progress) = env
        .get(
            "/object/bucket/full/empty-bucket-status?namespace=ns1",
            Fmt::Json,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(progress["status"], "DONE");
    assert_eq!(progress["approx_object_count"], 2);
    assert_eq!(progress["entries_deleted"], 2);
    assert_eq!(
        env.get("/object/bucket/full/info?namespace=ns1", Fmt::Json)
            .await
            .0,
        400
    );
    // An empty bucket: plain 200 with or without emptyBucket.
    bucket(&env, "empty", Fmt::Json, json!({})).await;
    let response = env
        .call(
            Method::POST,
            "/object/bucket/empty/deactivate?namespace=ns1&emptyBucket=true",
        )
        .fmt(Fmt::Xml)
        .send()
        .await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().is_empty());
    env.stop().await;
}

#[tokio::test]
async fn quota_get_put_delete_and_rules() {
    let env = start().await;
    bucket(&env, "q", Fmt::Json, json!({})).await;
    for fmt in Fmt::both() {
        let xml = "<bucket_quota_param><blockSize>10</blockSize><notificationSize>8</notificationSize><namespace>ns1</namespace></bucket_quota_param>";
        let response = env
            .call(Method::PUT, "/object/bucket/q/quota")
            .fmt(fmt)
            .body(
                json!({"blockSize": 10, "notificationSize": 8, "namespace": "ns1"}),
                xml,
            )
            .send()
            .await;
        assert_eq!(response.status(), 200);
        // Without namespace (as CloudStack calls it): resolved to the only bucket named q.
        let (status, quota) = env.get("/object/bucket/q/quota", fmt).await;
        assert_eq!(status, 200);
        assert_eq!(
            (text(&quota, "blockSize"), text(&quota, "notificationSize")),
            ("10".into(), "8".into())
        );
        assert_eq!(
            (text(&quota, "bucketname"), text(&quota, "namespace")),
            ("q".into(), "ns1".into())
        );
        env.call(Method::DELETE, "/object/bucket/q/quota?namespace=ns1")
            .fmt(fmt)
            .expect(200)
            .await;
        let (_, quota) = env.get("/object/bucket/q/quota?namespace=ns1", fmt).await;
        assert_eq!(
            (text(&quota, "blockSize"), text(&quota, "notificationSize")),
            ("-1".into(), "-1".into())
        );
    }
    for payload in [
        json!({"blockSize": -1, "notificationSize": -1}),
        json!({"blockSize": 5, "notificationSize": 6}),
        json!({"blockSize": 0}),
    ] {
        let (status, error) = env
            .call(Method::PUT, "/object/bucket/q/quota?namespace=ns1")
            .json(payload)
            .read()
            .await;
        assert_eq!((status, text(&error, "code")), (400, "1008".into()));
    }
    let (status, _) = env
        .call(Method::PUT, "/object/bucket/q/quota?namespace=ns1")
        .json(json!({"blockSize": 3}))
        .read()
        .await;
    assert_eq!(status, 200, "a missing value counts as -1");
    env.stop().await;
}

#[tokio::test]
async fn policy_get_put_delete() {
    let env = start().await;
    bucket(&env, "p", Fmt::Json, json!({})).await;
    let response = env
        .call(Method::GET, "/object/bucket/p/policy?namespace=ns1")
        .send()
        .await;
    assert_eq!(response.status(), 200);
    assert!(
        response.text().await.unwrap().is_empty(),
        "no policy: 200 with an empty body"
    );
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::p/*"]}]});
    env.call(Method::PUT, "/object/bucket/p/policy?namespace=ns1")
        .json(policy.clone())
        .expect(200)
        .await;
    let response = env
        .call(Method::GET, "/object/bucket/p/policy?namespace=ns1")
        .fmt(Fmt::Xml)
        .send()
        .await;
    assert_eq!(response.headers()["content-type"], "application/json");
    let got: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(got, policy);
    for bad in [
        json!({}),
        json!({"Version": "2012-10-17"}),
        json!({"Statement": []}),
    ] {
        let (status, error) = env
            .call(Method::PUT, "/object/bucket/p/policy?namespace=ns1")
            .json(bad)
            .read()
            .await;
        assert_eq!(status, 400);
        assert!(text(&error, "details").contains("Statement"));
    }
    env.call(Method::DELETE, "/object/bucket/p/policy?namespace=ns1")
        .expect(200)
        .await;
    let response = env
        .call(Method::GET, "/object/bucket/p/policy?namespace=ns1")
        .send()
        .await;
    assert!(response.text().await.unwrap().is_empty());
    env.stop().await;
}

#[tokio::test]
async fn versioning_owner_lock_retention_and_stale() {
    let env = start().await;
    bucket(&env, "v", Fmt::Json, json!({})).await;
    env.user("new-owner").await;
    let (_, versioning) = env
        .get("/object/bucket/v/versioning?namespace=ns1", Fmt::Json)
        .await;
    assert_eq!(versioning, json!({}), "never versioned: no Status");
    for fmt in Fmt::both() {
        for status in ["Enabled", "Suspended"] {
            let xml = format!(
                "<VersioningConfiguration><Status>{status}</Status></VersioningConfiguration>"
            );
            let response = env
                .call(Method::PUT, "/object/bucket/v/versioning?namespace=ns1")
                .fmt(fmt)
                .body(json!({"Status": status}), &xml)
                .send()
                .await;
            assert_eq!(response.status(), 200);
            let (_, versioning) = env
                .get("/object/bucket/v/versioning?namespace=ns1", fmt)
                .await;
            assert_eq!(text(&versioning, "Status"), status);
        }
        let (status, _) = env
            .call(Method::PUT, "/object/bucket/v/versioning?namespace=ns1")
            .fmt(fmt)
            .body(
                json!({"Status": "On"}),
                "<VersioningConfiguration><Status>On</Status></VersioningConfiguration>",
            )
            .read()
            .await;
        assert_eq!(status, 400);
        for locked in ["true", "false"] {
            let response = env
                .call(Method::PUT, format!("/object/bucket/v/lock/{locked}"))
                .fmt(fmt)
                .body(
                    json!({"namespace": "ns1"}),
                    "<set_bucket_lock><namespace>ns1</namespace></set_bucket_lock>",
                )
                .send()
                .await;
            assert_eq!(response.status(), 200);
            let (_, lock) = env.get("/object/bucket/v/lock?namespace=ns1", fmt).await;
            assert_eq!(
                (text(&lock, "isLocked"), text(&lock, "bucket_name")),
                (locked.to_owned(), "v".into())
            );
        }
    }
    env.call(Method::POST, "/object/bucket/v/owner")
        .json(json!({"namespace": "ns1", "new_owner": "ghost"}))
        .fails(400, "40010")
        .await;
    let xml = "<object_bucket_update_owner><namespace>ns1</namespace><new_owner>new-owner</new_owner></object_bucket_update_owner>";
    env.call(Method::POST, "/object/bucket/v/owner")
        .xml(xml)
        .expect(200)
        .await;
    let (_, info) = env
        .get("/object/bucket/v/info?namespace=ns1", Fmt::Json)
        .await;
    assert_eq!(info["owner"], "new-owner");
    assert_eq!(info["locked"], false);
    let xml = "<default_bucket_retention_update><namespace>ns1</namespace><period>3600</period></default_bucket_retention_update>";
    env.call(Method::PUT, "/object/bucket/v/retention")
        .xml(xml)
        .expect(200)
        .await;
    let (_, retention) = env
        .get("/object/bucket/v/retention?namespace=ns1", Fmt::Json)
        .await;
    assert_eq!(retention["period"], 3600);
    let xml = "<object_bucket_update_is_stale_allowed><namespace>ns1</namespace><is_stale_allowed>true</is_stale_allowed></object_bucket_update_is_stale_allowed>";
    env.call(Method::POST, "/object/bucket/v/isstaleallowed")
        .xml(xml)
        .expect(200)
        .await;
    let (_, info) = env
        .get("/object/bucket/v/info?namespace=ns1", Fmt::Json)
        .await;
    assert_eq!(info["is_stale_allowed"], true);
    env.stop().await;
}

#[tokio::test]
async fn acl_replaces_the_whole_document() {
    let env = start().await;
    bucket(&env, "a", Fmt::Json, json!({})).await;
    let (_, acl) = env
        .get("/object/bucket/a/acl?namespace=ns1", Fmt::Xml)
        .await;
    assert_eq!(text(&acl, "bucket"), "a");
    assert_eq!(acl["acl"]["user_acl"]["user"], "root");
    assert_eq!(acl["acl"]["user_acl"]["permission"], "full_control");
    let xml = concat!(
        "<bucket_acl><bucket>a</bucket><namespace>ns1</namespace><acl>",
        "<user_acl><user>root</user><permission>full_control</permission></user_acl>",
        "<group_acl><group>public</group><permission>read</permission><permission>read_acl</permission></group_acl>",
        "</acl></bucket_acl>"
    );
    env.call(Method::PUT, "/object/bucket/a/acl")
        .xml(xml)
        .expect(200)
        .await;
    let (_, acl) = env
        .get("/object/bucket/a/acl?namespace=ns1", Fmt::Json)
        .await;
    assert_eq!(
        acl["acl"]["group_acl"],
        json!([{"group": "public", "permission": ["read", "read_acl"]}])
    );
    let cleared = json!({"bucket": "a", "namespace": "ns1", "acl": {}});
    env.call(Method::PUT, "/object/bucket/a/acl")
        .json(cleared)
        .expect(200)
        .await;
    let (_, acl) = env
        .get("/object/bucket/a/acl?namespace=ns1", Fmt::Json)
        .await;
    assert_eq!(acl["acl"]["user_acl"], json!([]));
    let bad =
        json!({"namespace": "ns1", "acl": {"user_acl": [{"user": "root", "permission": ["fly"]}]}});
    env.call(Method::PUT, "/object/bucket/a/acl")
        .json(bad)
        .fails(400, "1008")
        .await;
    env.stop().await;
}

#[tokio::test]
async fn tags_add_update_delete_and_limit() {
    let env = start().await;
    bucket(&env, "t", Fmt::Json, json!({})).await;
    let xml = "<add_bucket_tags><TagSet><Tag><Key>k1</Key><Value>v1</Value></Tag></TagSet><namespace>ns1</namespace></add_bucket_tags>";
    env.call(Method::POST, "/object/bucket/t/tags")
        .xml(xml)
        .expect(200)
        .await;
    let update = json!({"TagSet": [{"Key": "k1", "Value": "v2"}], "namespace": "ns1"});
    env.call(Method::PUT, "/object/bucket/t/tags")
        .json(update)
        .expect(200)
        .await;
    let (_, info) = env
        .get("/object/bucket/t/info?namespace=ns1", Fmt::Json)
        .await;
    assert_eq!(info["TagSet"], json!([{"Key": "k1", "Value": "v2"}]));
    let missing = json!({"TagSet": [{"Key": "nope", "Value": "x"}], "namespace": "ns1"});
    env.call(Method::PUT, "/object/bucket/t/tags")
        .json(missing.clone())
        .expect(400)
        .await;
    env.call(Method::DELETE, "/object/bucket/t/tags")
        .json(missing)
        .expect(400)
        .await;
    let many: Vec<Value> = (0..10)
        .map(|n| json!({"Key": format!("x{n}"), "Value": "v"}))
        .collect();
    env.call(Method::POST, "/object/bucket/t/tags")
        .json(json!({"TagSet": many, "namespace": "ns1"}))
        .fails(400, "1031")
        .await;
    let delete = json!({"TagSet": [{"Key": "k1"}], "namespace": "ns1"});
    env.call(Method::DELETE, "/object/bucket/t/tags")
        .json(delete)
        .expect(200)
        .await;
    let (_, info) = env
        .get("/object/bucket/t/info?namespace=ns1", Fmt::Json)
        .await;
    assert_eq!(info["TagSet"], json!([]));
    env.stop().await;
}

#[tokio::test]
async fn object_lock_configuration() {
    let env = start().await;
    bucket(&env, "ol", Fmt::Json, json!({})).await;
    assert_eq!(
        env.get(
            "/object/bucket/ol/object-lock-config?namespace=ns1",
            Fmt::Json
        )
        .await
        .0,
        400
    );
    let config = json!({"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 3}}});
    env.call(
        Method::PUT,
        "/object/bucket/ol/object-lock-config?namespace=ns1",
    )
    .json(config.clone())
    .expect(400)
    .await;
    env.call(
        Method::PUT,
        "/object/bucket/ol/object-lock-enable?namespace=ns1",
    )
    .expect(200)
    .await;
    env.call(
        Method::PUT,
        "/object/bucket/ol/object-lock-config?namespace=ns1",
    )
    .json(config.clone())
    .expect(200)
    .await;
    let (_, got) = env
        .get(
            "/object/bucket/ol/object-lock-config?namespace=ns1",
            Fmt::Json,
        )
        .await;
    assert_eq!(got, config);
    let bad = json!({"Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 3, "Years": 1}}});
    env.call(
        Method::PUT,
        "/object/bucket/ol/object-lock-config?namespace=ns1",
    )
    .json(bad)
    .expect(400)
    .await;
    let suspend = json!({"Status": "Suspended"});
    env.call(Method::PUT, "/object/bucket/ol/versioning?namespace=ns1")
        .json(suspend)
        .fails(400, "1012")
        .await;
    let (_, info) = env
        .get("/object/bucket/ol/info?namespace=ns1", Fmt::Json)
        .await;
    assert_eq!(
        (
            info["default_object_lock_retention_mode"].clone(),
            info["default_object_lock_retention_days"].clone()
        ),
        (json!("GOVERNANCE"), json!(3))
    );
    env.stop().await;
}
