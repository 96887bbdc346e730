//! The catalogue of bad input: every row is one hostile or mistaken value on the user-facing
//! surface (bucket names, quotas, policies, account ids, object keys, store details, and
//! unexpected answers from ECS), with the typed error it must get and the words the message
//! must hold (the field or the cause).
//!
//! For input that is ours to reject, the emulator's request log must stay empty; for every
//! row, what ECS holds (buckets and users) must be unchanged. The table in README.md
//! ("Bad input, catalogued") is generated from [`ROWS`] and checked here, so the two cannot
//! drift: `ECS_UPDATE_README=1 cargo nextest run -p ecs-driver catalogue` rewrites it.
#![allow(clippy::unwrap_used)] // Test code: a failed unwrap is a failed test.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::ACCOUNT;
use ecs_driver::{
    AccountCredentials, BucketSpec, EcsObjectStore, ErrorKind, PolicySpec, StoreConfig,
};
use futures::TryStreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Where a bad value enters.
#[derive(Clone, Copy, Debug)]
enum Case {
    /// `create_bucket` with this name (a valid account).
    BucketName(&'static str),
    /// `set_quota` on a valid bucket name, in GiB.
    SetQuota(u64),
    /// `create_bucket` with this quota, in GiB.
    CreateQuota(u64),
    /// CloudStack's policy text (`PolicySpec::parse`, then `set_policy` on bucket `b01`).
    Policy(&'static str),
    /// A policy document of this many bytes.
    PolicyBytes(usize),
    /// `ensure_account_user` with this account id.
    Account(&'static str),
    /// The bucket browser's upload with this object key.
    ObjectKey(&'static str),
    /// An object key of this many bytes.
    ObjectKeyBytes(usize),
    /// The store's details with this key set (`Some`) or removed (`None`); `url` is the store URL.
    Detail(&'static str, Option<&'static str>),
    /// ECS answers a bucket listing with (status, content type, body).
    EcsAnswer(u16, &'static str, &'static str),
}

/// One catalogued bad input.
struct Row {
    /// What is wrong, as the README shows it.
    what: &'static str,
    case: Case,
    kind: ErrorKind,
    /// Words the error message must contain: the field or the cause.
    names: &'static str,
}

const fn row(what: &'static str, case: Case, kind: ErrorKind, names: &'static str) -> Row {
    Row {
        what,
        case,
        kind,
        names,
    }
}

use Case::*;
use ErrorKind::{InvalidInput, Protocol, Unavailable};

const ROWS: &[Row] = &[
    // Bucket names, under ECS's (DNS-safe S3) rules.
    row(
        "bucket name of 2 characters",
        BucketName("ab"),
        InvalidInput,
        "3 to 63 characters",
    ),
    row(
        "bucket name of 64 characters",
        BucketName("a123456789012345678901234567890123456789012345678901234567890123"),
        InvalidInput,
        "3 to 63 characters",
    ),
    row(
        "bucket name in upper case",
        BucketName("MyBucket"),
        InvalidInput,
        "lower case",
    ),
    row(
        "bucket name with `_`",
        BucketName("my_bucket"),
        InvalidInput,
        "may hold only",
    ),
    row(
        "bucket name starting with `-`",
        BucketName("-bucket"),
        InvalidInput,
        "start and end",
    ),
    row(
        "bucket name ending with `.`",
        BucketName("bucket."),
        InvalidInput,
        "start and end",
    ),
    row(
        "bucket name with `..`",
        BucketName("my..bucket"),
        InvalidInput,
        "'..'",
    ),
    row(
        "bucket name with `.-`",
        BucketName("my.-bucket"),
        InvalidInput,
        "'.-'",
    ),
    row(
        "bucket name that is an IPv4 address",
        BucketName("192.168.0.1"),
        InvalidInput,
        "IP address",
    ),
    row(
        "bucket name with the reserved prefix `xn--`",
        BucketName("xn--bucket"),
        InvalidInput,
        "reserved",
    ),
    row(
        "bucket name with the reserved suffix `-s3alias`",
        BucketName("data-s3alias"),
        InvalidInput,
        "reserved",
    ),
    row(
        "bucket name carrying XML (`</name><owner>root</owner>`)",
        BucketName("</name><owner>root</owner>"),
        InvalidInput,
        "bucket name",
    ),
    row(
        "bucket name carrying a query (`b1?namespace=other`)",
        BucketName("b1?namespace=other"),
        InvalidInput,
        "bucket name",
    ),
    row(
        "empty bucket name",
        BucketName(""),
        InvalidInput,
        "bucket name",
    ),
    // Quotas (negative and non-numeric ones are refused at the JNI boundary: see "JNI under abuse").
    row(
        "quota of 2^64-1 GiB on an existing bucket",
        SetQuota(u64::MAX),
        InvalidInput,
        "quota",
    ),
    row(
        "quota of 1 EiB + 1 GiB at creation",
        CreateQuota((1 << 30) + 1),
        InvalidInput,
        "quota",
    ),
    // Bucket policies.
    row(
        "policy text `public-read-write`",
        Policy("public-read-write"),
        InvalidInput,
        "expected public, private or a JSON",
    ),
    row(
        "policy that is not JSON",
        Policy("{not json"),
        InvalidInput,
        "not valid JSON",
    ),
    row(
        "policy that is a JSON list",
        Policy("[1,2]"),
        InvalidInput,
        "expected public, private or a JSON",
    ),
    row(
        "policy without `Statement`",
        Policy(r#"{"Version":"2012-10-17"}"#),
        InvalidInput,
        "no Statement",
    ),
    row(
        "policy with an empty `Statement` list",
        Policy(r#"{"Statement":[]}"#),
        InvalidInput,
        "Statement list is empty",
    ),
    row(
        "policy statement with `Effect` `Maybe`",
        Policy(
            r#"{"Statement":[{"Effect":"Maybe","Action":"s3:GetObject","Resource":"arn:aws:s3:::b01/*"}]}"#,
        ),
        InvalidInput,
        "Effect",
    ),
    row(
        "policy statement without `Action`",
        Policy(r#"{"Statement":[{"Effect":"Allow","Resource":"arn:aws:s3:::b01/*"}]}"#),
        InvalidInput,
        "Action",
    ),
    row(
        "policy statement with `NotResource`",
        Policy(
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::b01"}]}"#,
        ),
        InvalidInput,
        "NotResource",
    ),
    row(
        "policy naming another bucket",
        Policy(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}]}"#,
        ),
        InvalidInput,
        "outside bucket b01",
    ),
    row(
        "policy whose `Resource` is a number",
        Policy(r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":[7]}]}"#),
        InvalidInput,
        "Resource",
    ),
    row(
        "policy of 21 KB (over S3's 20 KB)",
        PolicyBytes(21 * 1024),
        InvalidInput,
        "more than 20480",
    ),
    // Account ids.
    row(
        "empty account id",
        Account(""),
        InvalidInput,
        "account uuid",
    ),
    row(
        "account id that is not a UUID",
        Account("not-a-uuid"),
        InvalidInput,
        "8-4-4-4-12",
    ),
    row(
        "account id carrying XML",
        Account("</user><user>root"),
        InvalidInput,
        "account uuid",
    ),
    row(
        "account id with a path (`<uuid>/x`)",
        Account("0e9c6e8a-1f0b-4c39-9c1b-2d5f3e4a5b6c/x"),
        InvalidInput,
        "account uuid",
    ),
    // Object keys (the bucket browser).
    row(
        "empty object key",
        ObjectKey(""),
        InvalidInput,
        "object key",
    ),
    row(
        "object key of 1025 bytes",
        ObjectKeyBytes(1025),
        InvalidInput,
        "1 to 1024 bytes",
    ),
    row(
        "object key with a control character",
        ObjectKey("a\u{1}b"),
        InvalidInput,
        "control characters",
    ),
    // Store details, each wrong the way an operator gets it wrong.
    row(
        "`mgmt_url` missing",
        Detail("mgmt_url", None),
        InvalidInput,
        "mgmt_url is required",
    ),
    row(
        "`mgmt_url` not a URL",
        Detail("mgmt_url", Some("ecs.example.com 4443")),
        InvalidInput,
        "mgmt_url",
    ),
    row(
        "`mgmt_url` with scheme `ftp`",
        Detail("mgmt_url", Some("ftp://ecs.example.com:4443")),
        InvalidInput,
        "http:// or https://",
    ),
    row(
        "`mgmt_url` with user and password in it",
        Detail("mgmt_url", Some("https://root:pw@ecs.example.com:4443")),
        InvalidInput,
        "credentials",
    ),
    row(
        "`mgmt_url` with a query",
        Detail("mgmt_url", Some("https://ecs.example.com:4443/?x=1")),
        InvalidInput,
        "query or fragment",
    ),
    row(
        "`sa_user` missing",
        Detail("sa_user", None),
        InvalidInput,
        "sa_user",
    ),
    row(
        "`sa_password` missing",
        Detail("sa_password", None),
        InvalidInput,
        "sa_password",
    ),
    row(
        "`namespace` with a space",
        Detail("namespace", Some("ns 1")),
        InvalidInput,
        "namespace",
    ),
    row(
        "`s3_public_url` and the store URL both missing",
        Detail("s3_public_url", None),
        InvalidInput,
        "s3_public_url",
    ),
    row(
        "store URL and `s3_public_url` differ",
        Detail("url", Some("https://other.example.com")),
        InvalidInput,
        "s3_public_url",
    ),
    row(
        "`s3_host` differs from `s3_private_url`",
        Detail("s3_host", Some("10.9.9.9:9021")),
        InvalidInput,
        "s3_host",
    ),
    row(
        "`insecure` neither true nor false",
        Detail("insecure", Some("maybe")),
        InvalidInput,
        "insecure",
    ),
    row(
        "`ca_cert` that is not PEM",
        Detail("ca_cert", Some("not a certificate")),
        InvalidInput,
        "ca_cert",
    ),
    row(
        "`user_prefix` in upper case",
        Detail("user_prefix", Some("CS-")),
        InvalidInput,
        "user_prefix",
    ),
    row(
        "`replication_group` with a space",
        Detail("replication_group", Some("rg 1")),
        InvalidInput,
        "replication_group",
    ),
    row(
        "`cors_origins` without a scheme",
        Detail("cors_origins", Some("cloud.example.com")),
        InvalidInput,
        "cors_origins",
    ),
    // Unexpected answers from ECS (a loopback stand-in plays ECS behind a proxy gone wrong).
    row(
        "ECS answers an HTML error page (502)",
        EcsAnswer(
            502,
            "text/html",
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        ),
        Unavailable,
        "HTTP 502",
    ),
    row(
        "ECS answers 200 with an HTML page",
        EcsAnswer(200, "text/html", "<html><body>Login</body></html>"),
        Protocol,
        "unexpected JSON response",
    ),
    row(
        "ECS answers a truncated JSON body",
        EcsAnswer(
            200,
            "application/json",
            r#"{"object_bucket":[{"name":"b1","namesp"#,
        ),
        Protocol,
        "JSON",
    ),
    row(
        "ECS answers XML labelled as JSON",
        EcsAnswer(
            200,
            "application/json",
            "<object_buckets><object_bucket><name>b1</name></object_bucket></object_buckets>",
        ),
        Protocol,
        "JSON",
    ),
    row(
        "ECS answers 200 with an empty body",
        EcsAnswer(200, "application/json", ""),
        Protocol,
        "JSON",
    ),
    row(
        "ECS answers a non-numeric quota",
        EcsAnswer(
            200,
            "application/json",
            r#"{"object_bucket":[{"name":"b1","namespace":"ns1","block_size":"ten"}]}"#,
        ),
        Protocol,
        "block_size",
    ),
];

/// What ECS holds, as far as a bad input could change it: buckets and object users.
async fn ecs_state(env: &common::Env) -> (Vec<String>, usize) {
    let buckets = env
        .store
        .list_buckets()
        .await
        .unwrap()
        .into_iter()
        .map(|bucket| bucket.name)
        .collect();
    let users = env
        .store
        .mgmt()
        .object_users()
        .list("ns1")
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len();
    env.sim.control().clear_request_log();
    (buckets, users)
}

/// A loopback stand-in for ECS: logs in, then answers every call with one canned response.
async fn fake_ecs(status: u16, content_type: &'static str, body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let line = String::from_utf8_lossy(&request);
                let answer = if line.starts_with("GET /login") || line.starts_with("GET /logout") {
                    "HTTP/1.1 200 OK\r\nX-SDS-AUTH-TOKEN: t0k3n\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_owned()
                } else {
                    format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    )
                };
                let _ = socket.write_all(answer.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    format!("http://{addr}")
}

/// Runs one row; the error it got and whether the input was ours to reject (no request).
async fn run(env: &common::Env, case: Case) -> (ecs_driver::Error, bool) {
    let store = &env.store;
    let result: ecs_driver::Result<()> = match case {
        BucketName(name) => store
            .create_bucket(&BucketSpec::new(name, ACCOUNT))
            .await
            .map(drop),
        SetQuota(gib) => store.set_quota("b01", gib).await,
        CreateQuota(gib) => {
            let mut spec = BucketSpec::new("b01", ACCOUNT);
            spec.quota_gib = Some(gib);
            store.create_bucket(&spec).await.map(drop)
        }
        Policy(text) => policy_for(store, text).await,
        PolicyBytes(bytes) => {
            let padding = "x".repeat(bytes);
            let text = format!(
                r#"{{"Statement":[{{"Sid":"{padding}","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b01/*"}}]}}"#
            );
            policy_for(store, &text).await
        }
        Account(id) => store.ensure_account_user(id, None).await.map(drop),
        ObjectKey(key) => upload(store, key).await,
        ObjectKeyBytes(bytes) => upload(store, &"k".repeat(bytes)).await,
        Detail(key, value) => {
            let mut details = common::details(&env.sim);
            details.insert(
                "s3_private_url".to_owned(),
                "https://s3.example.com:9021".to_owned(),
            );
            let mut url = None;
            match (key, value) {
                ("url", value) => url = value,
                (key, Some(value)) => {
                    details.insert(key.to_owned(), value.to_owned());
                }
                (key, None) => {
                    details.remove(key);
                }
            }
            StoreConfig::from_store(url, &details).map(drop)
        }
        EcsAnswer(status, content_type, body) => {
            let mut details: HashMap<String, String> = common::details(&env.sim);
            details.insert(
                "mgmt_url".to_owned(),
                fake_ecs(status, content_type, body).await,
            );
            let store = EcsObjectStore::new(StoreConfig::from_details(&details).unwrap()).unwrap();
            let result = store.list_buckets().await.map(drop);
            store.close().await;
            let error = result.expect_err("a bad answer is an error");
            return (error, false);
        }
    };
    (result.expect_err("bad input is refused"), true)
}

/// CloudStack's way with a policy: parse it, check it fits the bucket, then set it on bucket `b01`.
async fn policy_for(store: &EcsObjectStore, text: &str) -> ecs_driver::Result<()> {
    let spec = PolicySpec::parse(text)?;
    spec.check_for_bucket("b01")?;
    store.set_policy("b01", &spec).await
}

async fn upload(store: &EcsObjectStore, key: &str) -> ecs_driver::Result<()> {
    let credentials = AccountCredentials::new(common::user_id(ACCOUNT), "secret");
    let browser = store.browser(&credentials)?;
    browser
        .upload("b01", key, b"x".to_vec().into())
        .await
        .map(drop)
}

/// The README's table, from [`ROWS`].
fn markdown() -> String {
    let mut text =
        String::from("| # | bad input | error kind | the message names |\n|---|---|---|---|\n");
    for (index, row) in ROWS.iter().enumerate() {
        let names = row.names.replace('|', "\\|");
        text.push_str(&format!(
            "| {} | {} | `{:?}` | \"{names}\" |\n",
            index + 1,
            row.what,
            row.kind
        ));
    }
    text
}

const START: &str =
    "<!-- catalogue:start (generated by crates/ecs-driver/tests/catalogue.rs) -->\n";
const END: &str = "<!-- catalogue:end -->";

#[tokio::test]
async fn every_catalogued_bad_input_is_refused_typed_named_and_harmless() {
    assert!(ROWS.len() >= 40, "the catalogue holds {} rows", ROWS.len());
    let env = common::start().await;
    let before = ecs_state(&env).await;
    let mut failures = Vec::new();
    for (index, row) in ROWS.iter().enumerate() {
        let (error, ours) = tokio::time::timeout(Duration::from_secs(60), run(&env, row.case))
            .await
            .unwrap_or_else(|_| panic!("row {} ({}) hung", index + 1, row.what));
        let message = error.to_string();
        let sent = env.all_requests();
        if error.kind() != row.kind || !message.contains(row.names) || (ours && sent != 0) {
            failures.push(format!(
                "row {} ({}): {:?} \"{message}\", {sent} requests sent",
                index + 1,
                row.what,
                error.kind()
            ));
        }
        assert_eq!(
            ecs_state(&env).await,
            before,
            "row {} changed ECS",
            index + 1
        );
    }
    env.stop().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let readme_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
    let readme = std::fs::read_to_string(readme_path).unwrap();
    let table = markdown();
    let (Some(start), Some(end)) = (readme.find(START), readme.find(END)) else {
        panic!("README.md has no catalogue markers; the table:\n{table}");
    };
    let current = &readme[start + START.len()..end];
    if current != table {
        if std::env::var_os("ECS_UPDATE_README").is_some() {
            let updated = format!("{}{START}{table}{}", &readme[..start], &readme[end..]);
            std::fs::write(readme_path, updated).unwrap();
        } else {
            panic!(
                "README.md's catalogue differs from ROWS; run with ECS_UPDATE_README=1:\n{table}"
            );
        }
    }
}
