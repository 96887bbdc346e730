//! Generated input for the management API's request parsers, through the real extractors:
//! bodies (XML and JSON, by `Content-Type`) and every accessor handlers read them with, query
//! strings, the format negotiation, the token header and cookie, Basic credentials, and ECS
//! release names. Run by `cargo xtask fuzz` (see the `ecs-fuzz` crate).

use std::str::FromStr;

use axum::extract::{FromRequest, FromRequestParts, Request};
use ecs_fuzz::proptest::prelude::*;
use ecs_fuzz::proptest::sample::select;
use ecs_fuzz::{bytes, check, json_doc, mutated, scalar_text, text_from, xml_doc};
use http::{HeaderValue, Uri};

use super::buckets::parse_tag_set;
use super::{Body, Params, token_of};
use crate::server::negotiate;
use crate::version::EcsVersion;

/// Names request bodies use: roots, fields, tag and ACL shapes.
const VOCAB: &[&str] = &[
    "object_bucket_create",
    "user_create_param",
    "user_secret_key_create",
    "user_secret_key_delete",
    "namespace_create",
    "bucket_quota_param",
    "bucket_acl",
    "user_lock_param",
    "user_tags_param",
    "name",
    "namespace",
    "vpool",
    "owner",
    "user",
    "blockSize",
    "notificationSize",
    "block_size",
    "notification_size",
    "is_encryption_enabled",
    "filesystem_enabled",
    "is_stale_allowed",
    "TagSet",
    "Tag",
    "Key",
    "Value",
    "tags",
    "tag",
    "value",
    "isLocked",
    "existing_key_expiry_time_mins",
    "secretkey",
    "secret_key",
    "acl",
    "user_acl",
    "group_acl",
    "customgroup_acl",
    "permission",
    "group",
    "customgroup",
    "bucket",
    "id",
    "versioning_status",
    "Status",
    "default_data_services_vpool",
    "allowed_vpools_list",
    "retention",
    "auto_commit_period",
];

const KEYS: &[&str] = &[
    "name",
    "namespace",
    "vpool",
    "owner",
    "user",
    "blockSize",
    "notificationSize",
    "is_encryption_enabled",
    "TagSet",
    "Tag",
    "tags",
    "isLocked",
    "secretkey",
    "acl",
    "user_acl",
    "permission",
    "existing_key_expiry_time_mins",
    "Status",
    "missing",
];

fn seeds() -> Vec<String> {
    [
        "<object_bucket_create><name>b1</name><namespace>ns1</namespace><owner>u1</owner><blockSize>10</blockSize><is_encryption_enabled>true</is_encryption_enabled><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></object_bucket_create>",
        r#"{"name":"b1","namespace":"ns1","vpool":"urn:storageos:ReplicationDataService:rg1:global","blockSize":"10","notificationSize":8,"is_encryption_enabled":"false","TagSet":[{"Key":"k","Value":"v"}]}"#,
        r#"{"user_create_param":{"user":"cs-1","namespace":"ns1","tags":[{"name":"k","value":"v"}]}}"#,
        "<user_secret_key_create><existing_key_expiry_time_mins>60</existing_key_expiry_time_mins><namespace>ns1</namespace></user_secret_key_create>",
        r#"{"bucket":"b1","namespace":"ns1","acl":{"user_acl":[{"user":"u1","permission":["full_control"]}],"group_acl":{"group":"public","permission":"read"}}}"#,
        "<user_lock_param><user>u1</user><namespace>ns1</namespace><isLocked>true</isLocked></user_lock_param>",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect()
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => xml_doc(VOCAB).prop_map(String::into_bytes),
        3 => json_doc(VOCAB).prop_map(String::into_bytes),
        3 => mutated(seeds()),
        1 => bytes(),
        1 => (select(&["<a>", "{\"a\":", "[", "<a><![CDATA["][..]), 1usize..20_000)
            .prop_map(|(unit, depth)| unit.repeat(depth).into_bytes()),
    ]
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime")
}

#[test]
fn fuzz_sim_mgmt_bodies() {
    let runtime = runtime();
    let content_type = prop::option::of(select(
        &[
            "application/json",
            "application/xml",
            "text/plain",
            "json",
            "",
            "application/xml; charset=utf-8",
        ][..],
    ));
    check(
        "sim_mgmt_bodies",
        (
            content_type,
            body(),
            prop::collection::vec(select(KEYS), 1..6),
        ),
        |(content_type, body, keys)| {
            let mut request = Request::builder().uri("/object/bucket");
            if let Some(content_type) = content_type {
                request = request.header(http::header::CONTENT_TYPE, content_type);
            }
            let request = request
                .body(axum::body::Body::from(body))
                .expect("a request");
            let parsed = runtime.block_on(Body::from_request(request, &()));
            let input = match parsed {
                Ok(Body(input)) => input,
                Err(error) => {
                    assert_eq!(error.status, http::StatusCode::BAD_REQUEST, "{error:?}");
                    return;
                }
            };
            for root in ["object_bucket_create", "user_create_param"] {
                let _ = input.clone().root(root);
            }
            let _ = parse_tag_set(&input);
            for key in keys {
                let text = input.str(key);
                match input.required(key) {
                    Ok(value) => assert!(!value.is_empty() && text.is_some()),
                    Err(error) => assert_eq!(error.status, http::StatusCode::BAD_REQUEST),
                }
                if let Ok(Some(number)) = input.int(key) {
                    let text = text.clone().expect("an integer has a text form");
                    assert_eq!(text.trim().parse::<i64>().ok(), Some(number), "{text}");
                }
                let _ = input.bool(key);
                if let Some(child) = input.child(key) {
                    let _ = parse_tag_set(&child);
                }
                for item in input.list(key) {
                    let _ = (item.as_text(), item.str("Key"), item.list("permission"));
                }
            }
        },
    );
}

const QUERY_WORDS: &[&str] = &[
    "namespace",
    "=",
    "&",
    "ns1",
    "marker",
    "limit",
    "10",
    "0",
    "-1",
    "99999999999999999999",
    "%",
    "%zz",
    "%26",
    "%3D",
    "+",
    "name",
    "sizeunit",
    "BYTE",
    "include_bucket_detail",
    "true",
    "emptyBucket",
    "?",
    "#",
    " ",
    ".json",
    ".xml",
    "/",
    "object",
    "bucket",
    "b1",
    "info",
];

#[test]
fn fuzz_sim_mgmt_query_headers() {
    let runtime = runtime();
    let path = text_from(&[
        "/object", "/bucket", "/b1", "/", ".json", ".xml", "/info", "%2F", "//", ".",
    ]);
    let header = prop_oneof![
        3 => text_from(&["application/json", "application/xml", "json", "xml", ",", ";q=0.9", "*/*",
            "X-SDS-AUTH-TOKEN", "=", ";", " ", "Basic ", "basic", "Bearer ", "cm9vdDpDaGFuZ2VNZQ==",
            "dXNlcg==", "Og==", "=="]),
        1 => bytes().prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
    ];
    let version = prop_oneof![
        text_from(&[
            "3", "4", ".", "6", "1", "0", "65535", "65536", "-1", " ", "x"
        ]),
        scalar_text(),
    ];
    check(
        "sim_mgmt_query_headers",
        (
            path,
            text_from(QUERY_WORDS),
            header.clone(),
            header.clone(),
            header,
            version,
        ),
        |(path, query, accept, token, authorization, version)| {
            if let Ok(uri) = Uri::from_str(&format!("{path}?{query}")) {
                let (format, stripped) = negotiate(&uri, Some(&accept));
                if let Some(stripped) = stripped {
                    assert!(uri.path().len() > stripped.len());
                }
                let _ = format;
                let mut request = Request::builder().uri(uri);
                for (name, value) in [
                    ("X-SDS-AUTH-TOKEN", &token),
                    ("cookie", &token),
                    ("authorization", &authorization),
                    ("accept", &accept),
                ] {
                    if let Ok(value) = HeaderValue::from_str(value) {
                        request = request.header(name, value);
                    }
                }
                let (mut parts, ()) = request.body(()).expect("a request").into_parts();
                match runtime.block_on(Params::from_request_parts(&mut parts, &())) {
                    Ok(params) => {
                        let _ = (params.get("namespace"), params.flag("emptyBucket"));
                        if let Ok(Some(limit)) = params.limit() {
                            assert!(limit > 0);
                        }
                    }
                    Err(error) => assert_eq!(error.status, http::StatusCode::BAD_REQUEST),
                }
                let _ = token_of(&parts);
                let _ = super::auth::basic_credentials(&parts.headers);
            }
            if let Ok(parsed) = EcsVersion::from_str(&version) {
                let again = EcsVersion::from_str(&parsed.to_string()).expect("round trip");
                assert_eq!(again, parsed);
            }
        },
    );
}
