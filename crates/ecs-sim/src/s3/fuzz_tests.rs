//! Generated input for the emulator's own S3-side parsers: bucket policy documents (validation
//! and evaluation), stored CORS configurations and preflight headers, and presigned-URL query
//! strings. Run by `cargo xtask fuzz` (see the `ecs-fuzz` crate).

use ecs_fuzz::proptest::prelude::*;
use ecs_fuzz::proptest::sample::select;
use ecs_fuzz::{bytes, check, json_doc, mutated, scalar_text, text_from, xml_doc};
use http::{HeaderMap, HeaderValue, header};
use time::OffsetDateTime;

use super::auth::check_presigned_expiry;
use super::cors;
use super::policy::{self, Decision, Principal, wildcard_match};

const POLICY_VOCAB: &[&str] = &[
    "Version",
    "Statement",
    "Sid",
    "Effect",
    "Allow",
    "Deny",
    "Principal",
    "AWS",
    "*",
    "Action",
    "NotAction",
    "s3:GetObject",
    "s3:get*",
    "s3:*",
    "Resource",
    "NotResource",
    "arn:aws:s3:::b1",
    "arn:aws:s3:::b1/*",
    "arn:aws:iam::ns1:user/u1",
    "u1",
    "Condition",
];

fn policy_seeds() -> Vec<String> {
    [
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"pub","Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::b1/*"]}]}"#,
        r#"{"Statement":{"Effect":"Deny","Principal":{"AWS":["arn:aws:iam::ns1:user/u1","u2"]},"Action":"s3:*","Resource":"arn:aws:s3:::b1*"}}"#,
    ]
    .into_iter()
    .map(str::to_owned)
    .collect()
}

#[test]
fn fuzz_sim_s3_policies() {
    let document = prop_oneof![
        3 => json_doc(POLICY_VOCAB),
        3 => mutated(policy_seeds()).prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        1 => scalar_text(),
    ];
    let pattern = text_from(&[
        "*",
        "?",
        "s3:",
        "Get",
        "Object",
        "arn:aws:s3:::",
        "b1",
        "/",
        "a",
        "é",
    ]);
    check(
        "sim_s3_policies",
        (
            document,
            select(&["u1", "u2", ""][..]),
            select(&["s3:GetObject", "s3:PutObject", "s3:ListBucket"][..]),
            pattern.clone(),
            pattern,
        ),
        |(document, user, action, pattern, text)| {
            let valid = policy::validate(&document).is_ok();
            for principal in [Principal::Anonymous, Principal::User(user)] {
                let decision = policy::evaluate(
                    &document,
                    principal,
                    action,
                    &policy::resource_arn("b1", Some("k")),
                );
                if !valid {
                    assert_ne!(
                        decision,
                        Decision::Allow,
                        "an invalid policy grants nothing"
                    );
                }
            }
            if wildcard_match(&pattern, &text) && !pattern.contains(['*', '?']) {
                assert_eq!(pattern, text);
            }
            assert!(
                wildcard_match(&pattern, &pattern),
                "a pattern matches itself"
            );
        },
    );
}

#[test]
fn fuzz_sim_s3_cors_and_presigned() {
    const CORS_VOCAB: &[&str] = &[
        "CORSConfiguration",
        "CORSRule",
        "AllowedOrigin",
        "AllowedMethod",
        "AllowedHeader",
        "ExposeHeader",
        "MaxAgeSeconds",
        "ID",
        "GET",
        "PUT",
        "*",
        "https://a.example",
    ];
    let cors_xml = prop_oneof![
        3 => xml_doc(CORS_VOCAB),
        1 => mutated(vec![
            "<CORSConfiguration><CORSRule><AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>".to_owned(),
        ]).prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
    ];
    let header = prop_oneof![
        text_from(&[
            "https://a.example",
            "*",
            "GET",
            "PUT",
            "x-amz-date",
            ",",
            " ",
            "Content-Type",
            "BAD METHOD"
        ]),
        bytes().prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
    ];
    let name = select(
        &[
            "X-Amz-Date",
            "X-Amz-Expires",
            "Expires",
            "Signature",
            "X-Amz-Signature",
            "",
            "x",
        ][..],
    );
    let value = prop_oneof![
        3 => select(&["20240101T000000Z", "19700101T000000Z", "99991231T235959Z", "2024013T000000Z",
            "99999999999999999999", "9223372036854775807", "-9223372036854775808", "3600", "0",
            "-1", "%", "%zz", "", "1e3"][..]).prop_map(str::to_owned),
        1 => scalar_text(),
    ];
    let query = prop_oneof![
        3 => prop::collection::vec((name, value), 0..5).prop_map(|pairs| {
            pairs
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("&")
        }),
        1 => text_from(&["X-Amz-Date=", "X-Amz-Expires=", "Expires=", "Signature=", "&", "=", "%"]),
    ];
    check(
        "sim_s3_cors_and_presigned",
        (
            cors_xml,
            header.clone(),
            header.clone(),
            header,
            query,
            any::<i64>(),
        ),
        |(xml, origin, method, headers, query, now)| {
            let config = cors::from_xml(&xml);
            let mut map = HeaderMap::new();
            for (name, value) in [
                (header::ORIGIN, &origin),
                (header::ACCESS_CONTROL_REQUEST_METHOD, &method),
                (header::ACCESS_CONTROL_REQUEST_HEADERS, &headers),
            ] {
                if let Ok(value) = HeaderValue::from_str(value) {
                    map.insert(name, value);
                }
            }
            let response = cors::preflight(config.as_ref(), &map);
            assert!(response.status().is_success() || response.status().is_client_error());
            let now = OffsetDateTime::from_unix_timestamp(now % 253_402_300_799)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH);
            let _ = check_presigned_expiry(&query, now);
        },
    );
}
