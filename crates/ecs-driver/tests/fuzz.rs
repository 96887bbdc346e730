//! Generated input for what the driver reads from people: bucket policies (CloudStack's
//! free text and the documents ECS hands back), store details and the store URL, bucket names,
//! account ids and quotas. Run by `cargo xtask fuzz` (see the `ecs-fuzz` crate).

use std::collections::HashMap;

use ecs_driver::policy::{PolicyWrite, is_public, plan_private, plan_public};
use ecs_driver::{ErrorKind, PolicySpec, StoreConfig, keys, validate};
use ecs_fuzz::proptest::prelude::*;
use ecs_fuzz::proptest::sample::select;
use ecs_fuzz::{awkward_text, check, json_doc, mutated, scalar_text, text_from};

/// The words bucket policies are made of.
const POLICY_VOCAB: &[&str] = &[
    "Version",
    "Id",
    "Statement",
    "Sid",
    "Effect",
    "Allow",
    "Deny",
    "Principal",
    "NotPrincipal",
    "AWS",
    "*",
    "Action",
    "NotAction",
    "s3:GetObject",
    "s3:ListBucket",
    "s3:*",
    "Resource",
    "NotResource",
    "arn:aws:s3:::b1",
    "arn:aws:s3:::b1/*",
    "arn:aws:s3:::other",
    "Condition",
    "CloudStackPublicList",
    "CloudStackPublicRead",
];

fn policy_seeds() -> Vec<String> {
    [
        "public",
        "Private",
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"CloudStackPublicList","Effect":"Allow","Principal":"*","Action":["s3:ListBucket"],"Resource":["arn:aws:s3:::b1"]},{"Sid":"CloudStackPublicRead","Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::b1/*"]}]}"#,
        r#"{"Statement":{"Effect":"Deny","Principal":{"AWS":["u1"]},"Action":"s3:*","Resource":"b1/*"}}"#,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"NotAction":"s3:DeleteObject","Resource":["arn:aws:s3:::b1","arn:aws:s3:::b1/x"],"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#,
    ]
    .into_iter()
    .map(str::to_owned)
    .collect()
}

fn policy_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => json_doc(POLICY_VOCAB),
        4 => mutated(policy_seeds()).prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        1 => awkward_text(),
        1 => select(&["public", " PUBLIC ", "private", "Public\n", "publicx", "{", ""][..])
            .prop_map(str::to_owned),
    ]
}

fn bucket() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(&["b1", "b1.x", "other", "b", "my-bucket.01"][..]).prop_map(str::to_owned),
        1 => text_from(&["b1", "a", "-", ".", "0", "/", "*", "B", "_", "xn--", "-s3alias"]),
    ]
}

#[test]
fn fuzz_driver_policies() {
    check(
        "driver_policies",
        (policy_text(), bucket(), any::<bool>()),
        |(text, bucket, exists)| {
            match PolicySpec::parse(&text) {
                Ok(PolicySpec::Custom(custom)) => {
                    // What is sent is compact JSON of at most the accepted size, and parses
                    // again to the same policy.
                    assert!(custom.as_str().len() <= text.len().max(2));
                    let again = PolicySpec::parse(custom.as_str()).expect("the sent text parses");
                    assert_eq!(again, PolicySpec::Custom(custom.clone()));
                    if let Err(error) = custom.check_for_bucket(&bucket) {
                        assert_eq!(error.kind(), ErrorKind::InvalidInput);
                        assert!(error.to_string().contains(&bucket), "{error}");
                    }
                }
                Ok(spec) => spec
                    .check_for_bucket(&bucket)
                    .expect("public and private fit any"),
                Err(error) => {
                    assert_eq!(error.kind(), ErrorKind::InvalidInput);
                    assert!(
                        error.to_string().len() < 600,
                        "the message is bounded: {error}"
                    );
                }
            }
            // The same text as the policy ECS hands back.
            let current = exists.then_some(text.as_str());
            let public = is_public(&text);
            match plan_public(current, &bucket) {
                PolicyWrite::Put(document) => {
                    assert!(is_public(&document), "public is public: {document}");
                    assert_eq!(plan_public(Some(&document), &bucket), PolicyWrite::Keep);
                }
                PolicyWrite::Keep => assert!(public, "kept only when already public"),
                PolicyWrite::Delete => panic!("public never deletes"),
            }
            match plan_private(current) {
                PolicyWrite::Put(document) => {
                    assert!(!is_public(&document), "private is not public: {document}");
                }
                PolicyWrite::Keep => assert!(!(exists && public), "a public policy is changed"),
                PolicyWrite::Delete => {}
            }
        },
    );
}

/// Store details as an operator types them: every key, each value almost right or quite wrong.
fn details() -> impl Strategy<Value = (Option<String>, HashMap<String, String>)> {
    const URL_WORDS: &[&str] = &[
        "https://",
        "http://",
        "ftp://",
        "ecs.example.com",
        "10.0.0.5",
        "[::1]",
        "localhost",
        ":4443",
        ":9021",
        ":9020",
        ":0",
        ":99999",
        "/",
        "/path",
        "?q=1",
        "#f",
        "user:pw@",
        " ",
        "HTTPS://ECS.EXAMPLE.COM",
        "%2F",
    ];
    const KEYS: &[&str] = &[
        keys::MGMT_URL,
        keys::SA_USER,
        keys::SA_PASSWORD,
        keys::NAMESPACE,
        keys::S3_PUBLIC_URL,
        keys::S3_PRIVATE_URL,
        keys::S3_HOST,
        keys::INSECURE,
        keys::CA_CERT,
        keys::USER_PREFIX,
        keys::REPLICATION_GROUP,
        keys::CORS_ORIGINS,
        "unknown_key",
        "MGMT_URL",
    ];
    let value = prop_oneof![
        4 => text_from(URL_WORDS),
        2 => scalar_text(),
        1 => select(&["true", "false", "cs-", "ns1", "rg1", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", "https://a.example, http://b:8080", "*"][..])
            .prop_map(str::to_owned),
        1 => awkward_text(),
    ];
    let base = [
        (keys::MGMT_URL, "https://ecs.example.com:4443"),
        (keys::SA_USER, "cloudstack"),
        (keys::SA_PASSWORD, PASSWORD),
        (keys::NAMESPACE, "ns1"),
        (keys::S3_PUBLIC_URL, "https://s3.example.com:9021"),
    ];
    (
        prop::option::of(text_from(URL_WORDS)),
        prop::collection::vec((select(KEYS), value), 0..8),
        prop::collection::vec(select(KEYS), 0..3),
        any::<bool>(),
    )
        .prop_map(move |(url, changes, removed, from_base)| {
            let mut details: HashMap<String, String> = if from_base {
                base.iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect()
            } else {
                HashMap::new()
            };
            for (key, value) in changes {
                details.insert(key.to_owned(), value);
            }
            for key in removed {
                details.remove(key);
            }
            (url, details)
        })
}

/// A password the checks look for in every message and `Debug` form.
const PASSWORD: &str = "Fuzz-Secret-7d1c";

#[test]
fn fuzz_driver_store_details() {
    check("driver_store_details", details(), |(url, details)| {
        let password_given = details.get(keys::SA_PASSWORD).map(String::as_str) == Some(PASSWORD);
        match StoreConfig::from_store(url.as_deref(), &details) {
            Ok(config) => {
                let shown = format!("{config:?}");
                assert!(!password_given || !shown.contains(PASSWORD), "{shown}");
                assert!(matches!(config.s3_public_url().scheme(), "http" | "https"));
                assert!(matches!(config.mgmt_url().scheme(), "http" | "https"));
                let _ = (
                    config.bucket_url("b1"),
                    config.mgmt_endpoint(),
                    config.s3_endpoint(),
                );
                let user = config.user_id("0e9c6e8a-1f0b-4c39-9c1b-2d5f3e4a5b6c");
                assert!(user.is_ok(), "a valid account id gives a user id");
            }
            Err(error) => {
                assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
                let text = format!("{error} {error:?}");
                assert!(!password_given || !text.contains(PASSWORD), "{text}");
            }
        }
    });
}

#[test]
fn fuzz_driver_names_ids_quotas() {
    let name = prop_oneof![
        2 => text_from(&["a", "b1", "-", ".", "0", "9", "xn--", "sthree-", "-s3alias", "A", "_",
            "192.168.0.1", "é", "..", "/", "%2e"]),
        1 => "[a-z0-9.-]{0,70}",
        1 => awkward_text(),
    ];
    let uuid = prop_oneof![
        2 => "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
        1 => "[0-9a-fA-FgG-]{30,40}",
        1 => scalar_text(),
    ];
    check(
        "driver_names_ids_quotas",
        (name, uuid, any::<u64>()),
        |(name, uuid, quota)| {
            match validate::bucket_name(&name) {
                Ok(()) => {
                    assert!((3..=63).contains(&name.len()));
                    assert!(name.bytes().all(|b| b.is_ascii_lowercase()
                        || b.is_ascii_digit()
                        || b == b'.'
                        || b == b'-'));
                }
                Err(error) => {
                    assert_eq!(error.kind(), ErrorKind::InvalidInput);
                    assert!(error.to_string().contains("bucket name"), "{error}");
                }
            }
            match validate::account_uuid(&uuid) {
                Ok(lower) => {
                    assert_eq!(lower.len(), 36);
                    assert_eq!(lower, uuid.to_ascii_lowercase());
                }
                Err(error) => assert_eq!(error.kind(), ErrorKind::InvalidInput),
            }
            assert_eq!(
                validate::quota_gib(quota).is_ok(),
                quota <= validate::MAX_QUOTA_GIB
            );
        },
    );
}
