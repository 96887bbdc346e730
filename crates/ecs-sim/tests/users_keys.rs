//! Object users and secret keys over real HTTP, in XML and JSON, with their error cases.

#![allow(
    clippy::unwrap_used,
    reason = "tests fail loudly on the first surprise"
)]

mod common;

use std::time::Duration;

use common::{Env, Fmt, items, read, start, text};
use reqwest::Method;
use serde_json::json;

async fn create_user(env: &Env, uid: &str, fmt: Fmt) -> (u16, serde_json::Value) {
    let xml = format!(
        "<user_create_param><user>{uid}</user><namespace>ns1</namespace><tags></tags></user_create_param>"
    );
    let response = env
        .call(Method::POST, "/object/users")
        .fmt(fmt)
        .body(json!({"user": uid, "namespace": "ns1"}), &xml)
        .send()
        .await;
    read(response, fmt).await
}

#[tokio::test]
async fn create_info_list_and_delete_users() {
    let env = start().await;
    for fmt in Fmt::both() {
        let uid = format!("user-{fmt:?}").to_lowercase();
        let (status, created) = create_user(&env, &uid, fmt).await;
        assert_eq!(status, 200);
        assert_eq!(
            created["link"]["href"],
            format!("/object/user-secret-keys/{uid}")
        );

        let (status, info) = env
            .call(
                Method::GET,
                format!("/object/users/{uid}/info?namespace=ns1"),
            )
            .fmt(fmt)
            .read()
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            (
                text(&info, "name"),
                text(&info, "namespace"),
                text(&info, "locked")
            ),
            (uid.clone(), "ns1".into(), "false".into())
        );
        assert!(
            text(&info, "created").ends_with(" UTC 2026")
                || text(&info, "created").contains(" UTC ")
        );

        let (status, list) = env
            .call(Method::GET, "/object/users/ns1")
            .fmt(fmt)
            .read()
            .await;
        assert_eq!(status, 200);
        assert!(
            items(&list, "blobuser")
                .iter()
                .any(|u| u["userid"] == uid.as_str())
        );

        let xml = format!(
            "<user_delete_param><user>{uid}</user><namespace>ns1</namespace></user_delete_param>"
        );
        let response = env
            .call(Method::POST, "/object/users/deactivate")
            .fmt(fmt)
            .body(json!({"user": uid, "namespace": "ns1"}), &xml)
            .send()
            .await;
        assert_eq!(response.status(), 200);
        let error = env
            .call(Method::GET, format!("/object/users/{uid}/info"))
            .fmt(fmt)
            .fails(404, "2000")
            .await;
        assert_eq!(
            text(&error, "details"),
            format!("Unable to find entity specified in URL with the given id {uid}")
        );
    }
    env.stop().await;
}

#[tokio::test]
async fn duplicate_user_is_400_already_exists() {
    let env = start().await;
    assert_eq!(create_user(&env, "dup", Fmt::Xml).await.0, 200);
    for fmt in Fmt::both() {
        let (status, error) = create_user(&env, "dup", fmt).await;
        assert_eq!(status, 400);
        assert_eq!(text(&error, "code"), "1015");
        assert!(text(&error, "details").contains("already exists"));
    }
    env.stop().await;
}

#[tokio::test]
async fn user_create_validates_namespace_and_fields() {
    let env = start().await;
    let cases = [
        (json!({"user": "u", "namespace": "nope"}), 400, "1004"),
        (json!({"namespace": "ns1"}), 400, "1005"),
        (json!({"user": "a/b", "namespace": "ns1"}), 400, "1008"),
    ];
    for (payload, status, code) in cases {
        let response = env
            .call(Method::POST, "/object/users")
            .json(payload.clone())
            .send()
            .await;
        let (got, error) = read(response, Fmt::Json).await;
        assert_eq!(
            (got, text(&error, "code")),
            (status, code.to_owned()),
            "{payload}"
        );
    }
    let response = env
        .req(Method::POST, "/object/users", Fmt::Xml)
        .header("Content-Type", "application/xml")
        .body("<user_create_param><user>x")
        .send()
        .await
        .unwrap();
    let (status, error) = read(response, Fmt::Xml).await;
    assert_eq!((status, text(&error, "code")), (400, "1013".into()));
    env.stop().await;
}

#[tokio::test]
async fn listing_pages_with_marker_and_limit() {
    let env = start().await;
    for n in 0..5 {
        create_user(&env, &format!("p{n}"), Fmt::Json).await;
    }
    for fmt in Fmt::both() {
        let mut seen = Vec::new();
        let mut marker: Option<String> = None;
        for _ in 0..10 {
            let path = match &marker {
                Some(m) => format!("/object/users?limit=2&marker={m}"),
                None => "/object/users?limit=2".to_owned(),
            };
            let (status, page) = env.call(Method::GET, &path).fmt(fmt).read().await;
            assert_eq!(status, 200);
            assert_eq!(text(&page, "MaxUsers"), "2");
            seen.extend(items(&page, "blobuser").iter().map(|u| text(u, "userid")));
            marker = Some(text(&page, "NextMarker")).filter(|m| !m.is_empty());
            if marker.is_none() {
                break;
            }
        }
        assert_eq!(seen, vec!["p0", "p1", "p2", "p3", "p4"]);
    }
    env.call(Method::GET, "/object/users/nope")
        .fails(400, "1004")
        .await;
    env.stop().await;
}

#[tokio::test]
async fn lock_unlock_and_tags() {
    let env = start().await;
    create_user(&env, "locky", Fmt::Json).await;
    for fmt in Fmt::both() {
        for locked in [true, false] {
            let xml = format!(
                "<user_lock_param><user>locky</user><namespace>ns1</namespace><isLocked>{locked}</isLocked></user_lock_param>"
            );
            let response = env
                .call(Method::PUT, "/object/users/lock")
                .fmt(fmt)
                .body(
                    json!({"user": "locky", "namespace": "ns1", "isLocked": locked}),
                    &xml,
                )
                .send()
                .await;
            assert_eq!(response.status(), 200);
            let (status, lock) = env
                .call(Method::GET, "/object/users/lock/locky/ns1")
                .fmt(fmt)
                .read()
                .await;
            assert_eq!((status, text(&lock, "isLocked")), (200, locked.to_string()));
            assert_eq!(text(&lock, "user_name"), "locky");
        }
    }
    let tags = json!({"tags": [{"name": "team", "value": "a"}, {"name": "env", "value": "dev"}]});
    env.call(Method::POST, "/object/users/locky/tags")
        .json(tags)
        .expect(200)
        .await;
    let xml = "<object_user_tag><tags><tag><name>team</name><value>b</value></tag></tags></object_user_tag>";
    env.call(Method::POST, "/object/users/locky/tags")
        .xml(xml)
        .expect(200)
        .await;
    let (_, got) = env
        .call(Method::GET, "/object/users/locky/tags")
        .read()
        .await;
    assert_eq!(
        got["tags"],
        json!([{"name": "env", "value": "dev"}, {"name": "team", "value": "b"}])
    );
    let (_, info) = env
        .call(Method::GET, "/object/users/locky/info")
        .read()
        .await;
    assert_eq!(info["tag"].as_array().map(Vec::len), Some(2));
    let (_, found) = env
        .call(
            Method::GET,
            "/object/users/query?tag=env&value=dev&namespace=ns1",
        )
        .read()
        .await;
    assert_eq!(found["blobuser"][0]["userid"], "locky");
    let missing = json!({"tags": [{"name": "nope", "value": ""}]});
    let (status, _) = env
        .call(Method::DELETE, "/object/users/locky/tags")
        .json(missing)
        .read()
        .await;
    assert_eq!(status, 400);
    let replace = json!({"tags": []});
    env.call(Method::PUT, "/object/users/locky/tags")
        .json(replace)
        .expect(200)
        .await;
    let (_, got) = env
        .call(Method::GET, "/object/users/locky/tags")
        .read()
        .await;
    assert_eq!(got["tags"], json!([]));
    env.stop().await;
}

#[tokio::test]
async fn keys_create_supplied_and_generated_two_at_most() {
    let env = start().await;
    create_user(&env, "keyed", Fmt::Json).await;
    for fmt in Fmt::both() {
        let (status, keys) = env
            .call(Method::GET, "/object/user-secret-keys/keyed")
            .fmt(fmt)
            .read()
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            (
                text(&keys, "secret_key_1"),
                text(&keys, "secret_key_1_exist")
            ),
            (String::new(), "false".into())
        );
        assert_eq!(keys["link"]["href"], "/object/secret-keys");
    }
    let xml = "<user_secret_key_create><namespace>ns1</namespace><secretkey>my-own-secret-0123456789</secretkey></user_secret_key_create>";
    let (status, first) = env
        .call(Method::POST, "/object/user-secret-keys/keyed")
        .xml(xml)
        .read()
        .await;
    assert_eq!(
        (status, text(&first, "secret_key")),
        (200, "my-own-secret-0123456789".into())
    );
    assert_eq!(text(&first, "key_expiry_timestamp"), "");
    assert_eq!(
        text(&first, "key_timestamp").len(),
        "2015-12-14 05:13:39.597".len()
    );
    let (status, second) = env
        .call(Method::POST, "/object/user-secret-keys/keyed")
        .json(json!({"namespace": "ns1"}))
        .read()
        .await;
    assert_eq!(status, 200);
    let generated = text(&second, "secret_key");
    assert_eq!(generated.len(), 40);
    for fmt in Fmt::both() {
        let (status, error) = env
            .call(Method::POST, "/object/user-secret-keys/keyed")
            .fmt(fmt)
            .body(json!({"namespace": "ns1"}), "<user_secret_key_create/>")
            .read()
            .await;
        assert_eq!(status, 400);
        assert!(
            text(&error, "details").contains("already has 2 valid keys"),
            "{error}"
        );
    }
    let (_, keys) = env
        .call(Method::GET, "/object/user-secret-keys/keyed/ns1")
        .read()
        .await;
    assert_eq!(keys["secret_key_1"], "my-own-secret-0123456789");
    assert_eq!(keys["secret_key_2"], generated.as_str());
    assert_eq!(
        (
            keys["secret_key_1_exist"].clone(),
            keys["secret_key_2_exist"].clone()
        ),
        (json!(true), json!(true))
    );
    let (_, exist) = env
        .call(Method::GET, "/object/user-secret-keys/exist/keyed/ns1")
        .read()
        .await;
    assert_eq!(
        (
            exist["secret_key_1"].clone(),
            exist["secret_key_2_exist"].clone()
        ),
        (json!(""), json!(true))
    );

    // Deleting key 1 moves key 2 into slot 1.
    let xml = "<user_secret_key_delete><secret_key>my-own-secret-0123456789</secret_key><namespace>ns1</namespace></user_secret_key_delete>";
    env.call(Method::POST, "/object/user-secret-keys/keyed/deactivate")
        .xml(xml)
        .expect(200)
        .await;
    let (_, keys) = env
        .call(Method::GET, "/object/user-secret-keys/keyed")
        .read()
        .await;
    assert_eq!(
        (keys["secret_key_1"].as_str(), keys["secret_key_2"].as_str()),
        (Some(generated.as_str()), Some(""))
    );
    env.call(Method::POST, "/object/user-secret-keys/keyed/deactivate")
        .json(json!({"secret_key": "unknown"}))
        .fails(400, "1004")
        .await;
    // No key named: both go.
    env.call(Method::POST, "/object/user-secret-keys/keyed/deactivate")
        .json(json!({"namespace": "ns1"}))
        .expect(200)
        .await;
    let (_, keys) = env
        .call(Method::GET, "/object/user-secret-keys/keyed")
        .read()
        .await;
    assert_eq!(keys["secret_key_1_exist"], json!(false));
    env.stop().await;
}

#[tokio::test]
async fn rotation_expires_the_old_key() {
    let env = start().await;
    create_user(&env, "rot", Fmt::Json).await;
    let (_, old) = env
        .call(Method::POST, "/object/user-secret-keys/rot")
        .json(json!({"namespace": "ns1"}))
        .read()
        .await;
    let payload = json!({"namespace": "ns1", "existing_key_expiry_time_mins": "10"});
    let (status, new) = env
        .call(Method::POST, "/object/user-secret-keys/rot")
        .json(payload)
        .read()
        .await;
    assert_eq!(status, 200);
    let (_, keys) = env
        .call(Method::GET, "/object/user-secret-keys/rot")
        .read()
        .await;
    assert_eq!(keys["secret_key_1"], old["secret_key"]);
    assert_ne!(keys["key_expiry_timestamp_1"], "");
    assert_eq!(keys["key_expiry_timestamp_2"], "");
    env.sim
        .control()
        .advance_clock(Duration::from_secs(11 * 60));
    let (_, keys) = env
        .call(Method::GET, "/object/user-secret-keys/rot")
        .read()
        .await;
    assert_eq!(keys["secret_key_1"], new["secret_key"]);
    assert_eq!(keys["secret_key_2_exist"], json!(false));
    env.stop().await;
}

#[tokio::test]
async fn key_errors_for_unknown_users_and_bad_secrets() {
    let env = start().await;
    for fmt in Fmt::both() {
        let (status, error) = env
            .call(Method::GET, "/object/user-secret-keys/ghost")
            .fmt(fmt)
            .read()
            .await;
        assert_eq!((status, text(&error, "code")), (404, "2000".into()));
        let (status, _) = env
            .call(Method::POST, "/object/user-secret-keys/ghost")
            .fmt(fmt)
            .body(json!({}), "<user_secret_key_create/>")
            .read()
            .await;
        assert_eq!(status, 404);
    }
    create_user(&env, "k", Fmt::Json).await;
    let (status, error) = env
        .call(Method::POST, "/object/user-secret-keys/k")
        .json(json!({"secretkey": "has space"}))
        .read()
        .await;
    assert_eq!((status, text(&error, "code")), (400, "1008".into()));
    let (status, _) = env
        .call(Method::GET, "/object/user-secret-keys/k/otherns")
        .read()
        .await;
    assert_eq!(status, 404);
    env.stop().await;
}
