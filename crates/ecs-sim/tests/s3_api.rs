//! The emulator's S3 side driven by `aws-sdk-s3` (path style, real SigV4) with users, keys and
//! buckets made through the management API over HTTP, as a real client would meet them.

mod common;

use std::time::Duration;

use aws_sdk_s3::Client;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    BucketVersioningStatus, CompletedMultipartUpload, CompletedPart, CorsConfiguration, CorsRule,
    Delete, ObjectIdentifier, VersioningConfiguration,
};
use common::Mgmt;
use ecs_sim::{Api, FaultRule, Sim};
use serde_json::{Value, json};

const NS: &str = "ns1";

/// What these tests add to the shared management client: fixtures in namespace `NS`.
impl Mgmt {
    async fn post(&self, path: &str, body: Value) -> Value {
        let (status, value) = self.call(reqwest::Method::POST, path, Some(body)).await;
        assert!(status < 300, "POST {path}: {status} {value}");
        value
    }

    async fn get(&self, path: &str) -> Value {
        let (status, value) = self.call(reqwest::Method::GET, path, None).await;
        assert_eq!(status, 200, "GET {path}: {value}");
        value
    }

    /// Creates an object user and one secret key; returns the secret.
    async fn user(&self, uid: &str) -> String {
        self.post("/object/users", json!({"user": uid, "namespace": NS}))
            .await;
        self.key(uid).await
    }

    /// Adds a secret key (the previous one stays live); returns it.
    async fn key(&self, uid: &str) -> String {
        let key = self
            .post(
                &format!("/object/user-secret-keys/{uid}"),
                json!({"namespace": NS}),
            )
            .await;
        key["secret_key"].as_str().expect("secret_key").to_owned()
    }

    async fn bucket(&self, name: &str, owner: &str, extra: Value) {
        let mut body = json!({"name": name, "namespace": NS, "owner": owner});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        self.post("/object/bucket", body).await;
    }
}

fn client(sim: &Sim, access_key: &str, secret: &str) -> Client {
    common::s3_client(sim, access_key, secret, true)
}

fn no_retry_client(sim: &Sim, access_key: &str, secret: &str) -> Client {
    common::s3_client(sim, access_key, secret, false)
}

/// The S3 error code of a failed call.
fn code<E: ProvideErrorMetadata + std::fmt::Debug, R: std::fmt::Debug>(
    err: &SdkError<E, R>,
) -> String {
    common::s3_code(err)
}

async fn start() -> (Sim, Mgmt) {
    let sim = Sim::builder().start().await.expect("emulator starts");
    let mgmt = Mgmt::login(&sim).await;
    (sim, mgmt)
}

async fn put(s3: &Client, bucket: &str, key: &str, body: &[u8]) {
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(body.to_vec()))
        .send()
        .await
        .expect("put");
}

async fn get_text(s3: &Client, bucket: &str, key: &str) -> String {
    let out = s3
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .expect("get");
    let bytes = out.body.collect().await.expect("body").into_bytes();
    String::from_utf8(bytes.to_vec()).expect("utf8")
}

#[tokio::test]
async fn objects_metadata_ranges_md5_copy_and_encryption() {
    let (sim, mgmt) = start().await;
    let secret = mgmt.user("u1").await;
    mgmt.bucket("enc", "u1", json!({"is_encryption_enabled": true}))
        .await;
    let s3 = client(&sim, "u1", &secret);

    let out = s3
        .put_object()
        .bucket("enc")
        .key("dir/hello.txt")
        .content_type("text/plain")
        .metadata("color", "blue")
        .content_md5("XUFAKrxLKna5cZ2REBfFkg==") // MD5("hello")
        .body(ByteStream::from_static(b"hello"))
        .send()
        .await
        .expect("put with matching Content-MD5");
    assert_eq!(out.e_tag(), Some("\"5d41402abc4b2a76b9719d911017c592\""));
    assert_eq!(
        out.server_side_encryption().map(|s| s.as_str()),
        Some("AES256")
    );

    let bad = s3
        .put_object()
        .bucket("enc")
        .key("bad")
        .content_md5("XUFAKrxLKna5cZ2REBfFkg==")
        .body(ByteStream::from_static(b"not hello"))
        .send()
        .await
        .expect_err("wrong Content-MD5");
    assert_eq!(code(&bad), "BadDigest");

    let ranged = s3
        .get_object()
        .bucket("enc")
        .key("dir/hello.txt")
        .range("bytes=1-3")
        .send()
        .await
        .expect("range");
    assert_eq!(ranged.content_range(), Some("bytes 1-3/5"));
    assert_eq!(
        ranged
            .body
            .collect()
            .await
            .expect("body")
            .into_bytes()
            .as_ref(),
        b"ell"
    );

    let head = s3
        .head_object()
        .bucket("enc")
        .key("dir/hello.txt")
        .send()
        .await
        .expect("head");
    assert_eq!(head.content_length(), Some(5));
    assert_eq!(head.content_type(), Some("text/plain"));
    assert_eq!(
        head.metadata()
            .and_then(|m| m.get("color"))
            .map(String::as_str),
        Some("blue")
    );
    assert_eq!(
        head.server_side_encryption().map(|s| s.as_str()),
        Some("AES256")
    );

    let tag = "\"5d41402abc4b2a76b9719d911017c592\"";
    let unchanged = s3
        .get_object()
        .bucket("enc")
        .key("dir/hello.txt")
        .if_none_match(tag)
        .send()
        .await
        .expect_err("304");
    assert_eq!(
        unchanged.raw_response().map(|r| r.status().as_u16()),
        Some(304)
    );
    let failed = s3
        .head_object()
        .bucket("enc")
        .key("dir/hello.txt")
        .if_match("\"other\"")
        .send()
        .await
        .expect_err("412");
    assert_eq!(
        failed.raw_response().map(|r| r.status().as_u16()),
        Some(412)
    );
    s3.get_object()
        .bucket("enc")
        .key("dir/hello.txt")
        .if_match(tag)
        .send()
        .await
        .expect("If-Match holds");

    let enc = s3
        .get_bucket_encryption()
        .bucket("enc")
        .send()
        .await
        .expect("encryption");
    let rule = &enc
        .server_side_encryption_configuration()
        .expect("config")
        .rules()[0];
    assert_eq!(
        rule.apply_server_side_encryption_by_default()
            .map(|d| d.sse_algorithm().as_str()),
        Some("AES256")
    );

    s3.copy_object()
        .bucket("enc")
        .key("copy.txt")
        .copy_source("enc/dir/hello.txt")
        .send()
        .await
        .expect("copy");
    assert_eq!(get_text(&s3, "enc", "copy.txt").await, "hello");

    let missing = s3
        .get_object()
        .bucket("enc")
        .key("nope")
        .send()
        .await
        .expect_err("missing key");
    assert_eq!(code(&missing), "NoSuchKey");
    let no_bucket = s3
        .get_object()
        .bucket("nobucket")
        .key("k")
        .send()
        .await
        .expect_err("missing bucket");
    assert_eq!(code(&no_bucket), "NoSuchBucket");
    sim.shutdown().await;
}

#[tokio::test]
async fn listings_paginate_with_delimiters_markers_and_tokens() {
    let (sim, mgmt) = start().await;
    let secret = mgmt.user("u1").await;
    let s3 = client(&sim, "u1", &secret);
    s3.create_bucket()
        .bucket("list")
        .send()
        .await
        .expect("create through S3");
    for key in ["a/1", "a/2", "b", "c/x/1", "d", "e"] {
        put(&s3, "list", key, key.as_bytes()).await;
    }

    let top = s3
        .list_objects_v2()
        .bucket("list")
        .delimiter("/")
        .send()
        .await
        .expect("v2");
    let keys: Vec<_> = top.contents().iter().filter_map(|o| o.key()).collect();
    let prefixes: Vec<_> = top
        .common_prefixes()
        .iter()
        .filter_map(|p| p.prefix())
        .collect();
    assert_eq!((keys, prefixes), (vec!["b", "d", "e"], vec!["a/", "c/"]));

    let mut seen = Vec::new();
    let mut token = None;
    for _ in 0..10 {
        let page = s3
            .list_objects_v2()
            .bucket("list")
            .max_keys(2)
            .set_continuation_token(token.clone())
            .send()
            .await
            .expect("page");
        seen.extend(
            page.contents()
                .iter()
                .filter_map(|o| o.key().map(str::to_owned)),
        );
        if page.is_truncated() != Some(true) {
            break;
        }
        token = page.next_continuation_token().map(str::to_owned);
    }
    assert_eq!(seen, vec!["a/1", "a/2", "b", "c/x/1", "d", "e"]);

    let v1 = s3
        .list_objects()
        .bucket("list")
        .marker("b")
        .max_keys(2)
        .send()
        .await
        .expect("v1");
    let keys: Vec<_> = v1.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, vec!["c/x/1", "d"]);
    assert_eq!(v1.is_truncated(), Some(true));
    assert_eq!(v1.next_marker(), Some("d"));

    let after = s3
        .list_objects_v2()
        .bucket("list")
        .prefix("c/")
        .start_after("c/")
        .send()
        .await
        .expect("start-after");
    assert_eq!(after.key_count(), Some(1));

    let delete = Delete::builder()
        .objects(ObjectIdentifier::builder().key("a/1").build().expect("id"))
        .objects(ObjectIdentifier::builder().key("a/2").build().expect("id"))
        .build()
        .expect("delete");
    let out = s3
        .delete_objects()
        .bucket("list")
        .delete(delete)
        .send()
        .await
        .expect("delete objects");
    assert_eq!(out.deleted().len(), 2);
    let rest = s3
        .list_objects_v2()
        .bucket("list")
        .send()
        .await
        .expect("after delete");
    assert_eq!(rest.key_count(), Some(4));
    sim.shutdown().await;
}

#[tokio::test]
async fn other_users_need_policy_and_anonymous_needs_public_read() {
    let (sim, mgmt) = start().await;
    let s1 = mgmt.user("owner1").await;
    let s2 = mgmt.user("other2").await;
    mgmt.bucket("shared", "owner1", json!({})).await;
    let owner = client(&sim, "owner1", &s1);
    let other = client(&sim, "other2", &s2);
    put(&owner, "shared", "doc.txt", b"data").await;

    let denied = other
        .get_object()
        .bucket("shared")
        .key("doc.txt")
        .send()
        .await
        .expect_err("not the owner");
    assert_eq!(code(&denied), "AccessDenied");
    let denied = other
        .list_objects_v2()
        .bucket("shared")
        .send()
        .await
        .expect_err("no list");
    assert_eq!(code(&denied), "AccessDenied");

    let for_other = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ["other2"]}, "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": ["arn:aws:s3:::shared", "arn:aws:s3:::shared/*"]},
        {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/secret*"}]});
    owner
        .put_bucket_policy()
        .bucket("shared")
        .policy(for_other.to_string())
        .send()
        .await
        .expect("policy");
    assert_eq!(get_text(&other, "shared", "doc.txt").await, "data");
    other
        .list_objects_v2()
        .bucket("shared")
        .send()
        .await
        .expect("list allowed");
    let no_put = other
        .put_object()
        .bucket("shared")
        .key("x")
        .body(ByteStream::from_static(b"x"))
        .send()
        .await
        .expect_err("no put");
    assert_eq!(code(&no_put), "AccessDenied");
    put(&owner, "shared", "secret.txt", b"s").await;
    let deny = owner
        .get_object()
        .bucket("shared")
        .key("secret.txt")
        .send()
        .await
        .expect_err("explicit deny");
    assert_eq!(code(&deny), "AccessDenied");

    // The same policy is the one the management API reports.
    let (status, policy) = mgmt
        .call(
            reqwest::Method::GET,
            &format!("/object/bucket/shared/policy?namespace={NS}"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{policy}");
    assert!(policy.to_string().contains("other2"), "{policy}");

    let anon = reqwest::Client::new();
    let url = format!("{}/shared/doc.txt", sim.s3_url());
    assert_eq!(anon.get(&url).send().await.expect("anon get").status(), 403);
    let public = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"}]});
    owner
        .put_bucket_policy()
        .bucket("shared")
        .policy(public.to_string())
        .send()
        .await
        .expect("public-read");
    let response = anon.get(&url).send().await.expect("anon get");
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.expect("text"), "data");
    let anon_put = anon.put(&url).body("evil").send().await.expect("anon put");
    assert_eq!(anon_put.status(), 403);
    let anon_list = anon
        .get(format!("{}/shared", sim.s3_url()))
        .send()
        .await
        .expect("anon list");
    assert_eq!(anon_list.status(), 403);
    sim.shutdown().await;
}

#[tokio::test]
async fn either_live_key_signs_and_a_deactivated_key_stops_at_once() {
    let (sim, mgmt) = start().await;
    let first = mgmt.user("u1").await;
    let second = mgmt.key("u1").await;
    assert_ne!(first, second);
    mgmt.bucket("bkt1", "u1", json!({})).await;
    client(&sim, "u1", &first)
        .list_objects_v2()
        .bucket("bkt1")
        .send()
        .await
        .expect("key 1");
    put(&client(&sim, "u1", &second), "bkt1", "k", b"v").await;

    let wrong = client(&sim, "u1", "not-the-secret")
        .list_buckets()
        .send()
        .await
        .expect_err("wrong secret");
    assert_eq!(code(&wrong), "SignatureDoesNotMatch");
    let unknown = client(&sim, "nobody", "x")
        .list_buckets()
        .send()
        .await
        .expect_err("unknown key");
    assert_eq!(code(&unknown), "InvalidAccessKeyId");

    mgmt.post(
        "/object/user-secret-keys/u1/deactivate",
        json!({"namespace": NS, "secret_key": first}),
    )
    .await;
    let gone = client(&sim, "u1", &first)
        .list_buckets()
        .send()
        .await
        .expect_err("deactivated key");
    assert_eq!(code(&gone), "SignatureDoesNotMatch");
    let buckets = client(&sim, "u1", &second)
        .list_buckets()
        .send()
        .await
        .expect("key 2 still works");
    assert_eq!(
        buckets
            .buckets()
            .iter()
            .filter_map(|b| b.name())
            .collect::<Vec<_>>(),
        vec!["bkt1"]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn versioning_delete_markers_and_bucket_not_empty() {
    let (sim, mgmt) = start().await;
    let secret = mgmt.user("u1").await;
    let s3 = client(&sim, "u1", &secret);
    s3.create_bucket()
        .bucket("ver")
        .send()
        .await
        .expect("create");
    let enabled = VersioningConfiguration::builder()
        .status(BucketVersioningStatus::Enabled)
        .build();
    s3.put_bucket_versioning()
        .bucket("ver")
        .versioning_configuration(enabled)
        .send()
        .await
        .expect("enable");
    let status = s3
        .get_bucket_versioning()
        .bucket("ver")
        .send()
        .await
        .expect("get versioning");
    assert_eq!(status.status(), Some(&BucketVersioningStatus::Enabled));

    let v1 = s3
        .put_object()
        .bucket("ver")
        .key("k")
        .body(ByteStream::from_static(b"one"))
        .send()
        .await
        .expect("v1");
    let v1 = v1.version_id().expect("version id").to_owned();
    s3.put_object()
        .bucket("ver")
        .key("k")
        .body(ByteStream::from_static(b"two"))
        .send()
        .await
        .expect("v2");
    let del = s3
        .delete_object()
        .bucket("ver")
        .key("k")
        .send()
        .await
        .expect("delete");
    assert_eq!(del.delete_marker(), Some(true));
    let marker = del.version_id().expect("marker id").to_owned();

    let gone = s3
        .get_object()
        .bucket("ver")
        .key("k")
        .send()
        .await
        .expect_err("hidden by marker");
    assert_eq!(code(&gone), "NoSuchKey");
    let old = s3
        .get_object()
        .bucket("ver")
        .key("k")
        .version_id(&v1)
        .send()
        .await
        .expect("old version");
    assert_eq!(
        old.body
            .collect()
            .await
            .expect("body")
            .into_bytes()
            .as_ref(),
        b"one"
    );

    // Page through the versions one at a time with key and version-id markers.
    let (mut key_marker, mut vid_marker, mut seen) = (None::<String>, None::<String>, Vec::new());
    for _ in 0..10 {
        let page = s3
            .list_object_versions()
            .bucket("ver")
            .max_keys(1)
            .set_key_marker(key_marker.clone())
            .set_version_id_marker(vid_marker.clone())
            .send()
            .await
            .expect("versions");
        seen.extend(
            page.versions()
                .iter()
                .filter_map(|v| v.version_id().map(str::to_owned)),
        );
        seen.extend(
            page.delete_markers()
                .iter()
                .filter_map(|m| m.version_id().map(str::to_owned)),
        );
        if page.is_truncated() != Some(true) {
            break;
        }
        key_marker = page.next_key_marker().map(str::to_owned);
        vid_marker = page.next_version_id_marker().map(str::to_owned);
    }
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0], marker);
    assert_eq!(seen[2], v1);

    let not_empty = s3
        .delete_bucket()
        .bucket("ver")
        .send()
        .await
        .expect_err("versions remain");
    assert_eq!(code(&not_empty), "BucketNotEmpty");
    for version in &seen[1..] {
        s3.delete_object()
            .bucket("ver")
            .key("k")
            .version_id(version)
            .send()
            .await
            .expect("delete version");
    }
    // Only the delete marker is left: still not empty.
    let only_marker = s3
        .delete_bucket()
        .bucket("ver")
        .send()
        .await
        .expect_err("delete marker remains");
    assert_eq!(code(&only_marker), "BucketNotEmpty");
    s3.delete_object()
        .bucket("ver")
        .key("k")
        .version_id(&marker)
        .send()
        .await
        .expect("delete marker");
    s3.delete_bucket()
        .bucket("ver")
        .send()
        .await
        .expect("now empty");
    let (status, _) = mgmt
        .call(
            reqwest::Method::GET,
            &format!("/object/bucket/ver/info?namespace={NS}"),
            None,
        )
        .await;
    assert_ne!(status, 200, "bucket gone from the management API too");
    sim.shutdown().await;
}

#[tokio::test]
async fn multipart_upload_create_parts_list_complete_abort() {
    let (sim, mgmt) = start().await;
    let secret = mgmt.user("u1").await;
    mgmt.bucket("mpu", "u1", json!({})).await;
    let s3 = client(&sim, "u1", &secret);

    let up = s3
        .create_multipart_upload()
        .bucket("mpu")
        .key("big")
        .send()
        .await
        .expect("create");
    let id = up.upload_id().expect("upload id").to_owned();
    let part1 = vec![b'a'; 5 * 1024 * 1024];
    let e1 = s3
        .upload_part()
        .bucket("mpu")
        .key("big")
        .upload_id(&id)
        .part_number(1)
        .body(ByteStream::from(part1))
        .send()
        .await
        .expect("part 1");
    let e2 = s3
        .upload_part()
        .bucket("mpu")
        .key("big")
        .upload_id(&id)
        .part_number(2)
        .body(ByteStream::from_static(b"tail"))
        .send()
        .await
        .expect("part 2");

    let parts = s3
        .list_parts()
        .bucket("mpu")
        .key("big")
        .upload_id(&id)
        .send()
        .await
        .expect("list parts");
    assert_eq!(
        parts
            .parts()
            .iter()
            .filter_map(|p| p.size())
            .collect::<Vec<_>>(),
        vec![5 * 1024 * 1024, 4]
    );
    let uploads = s3
        .list_multipart_uploads()
        .bucket("mpu")
        .send()
        .await
        .expect("list uploads");
    assert_eq!(uploads.uploads().len(), 1);

    let done = CompletedMultipartUpload::builder()
        .parts(
            CompletedPart::builder()
                .part_number(1)
                .e_tag(e1.e_tag().expect("etag"))
                .build(),
        )
        .parts(
            CompletedPart::builder()
                .part_number(2)
                .e_tag(e2.e_tag().expect("etag"))
                .build(),
        )
        .build();
    let out = s3
        .complete_multipart_upload()
        .bucket("mpu")
        .key("big")
        .upload_id(&id)
        .multipart_upload(done)
        .send()
        .await
        .expect("complete");
    assert!(
        out.e_tag().expect("etag").ends_with("-2\""),
        "{:?}",
        out.e_tag()
    );
    let head = s3
        .head_object()
        .bucket("mpu")
        .key("big")
        .send()
        .await
        .expect("head");
    assert_eq!(head.content_length(), Some(5 * 1024 * 1024 + 4));
    let tail = s3
        .get_object()
        .bucket("mpu")
        .key("big")
        .range("bytes=-4")
        .send()
        .await
        .expect("tail");
    assert_eq!(
        tail.body
            .collect()
            .await
            .expect("body")
            .into_bytes()
            .as_ref(),
        b"tail"
    );

    let other = s3
        .create_multipart_upload()
        .bucket("mpu")
        .key("gone")
        .send()
        .await
        .expect("create 2");
    let other_id = other.upload_id().expect("id");
    s3.abort_multipart_upload()
        .bucket("mpu")
        .key("gone")
        .upload_id(other_id)
        .send()
        .await
        .expect("abort");
    let missing = s3
        .list_parts()
        .bucket("mpu")
        .key("gone")
        .upload_id(other_id)
        .send()
        .await
        .expect_err("aborted");
    assert_eq!(code(&missing), "NoSuchUpload");
    sim.shutdown().await;
}

#[tokio::test]
async fn presigned_urls_work_until_they_expire_on_the_emulator_clock() {
    let (sim, mgmt) = start().await;
    let secret = mgmt.user("u1").await;
    mgmt.bucket("pre", "u1", json!({})).await;
    let s3 = client(&sim, "u1", &secret);
    let http = reqwest::Client::new();

    let config = PresigningConfig::expires_in(Duration::from_secs(60)).expect("presign config");
    let put_url = s3
        .put_object()
        .bucket("pre")
        .key("p.txt")
        .presigned(config.clone())
        .await
        .expect("presign put");
    let response = http
        .put(put_url.uri())
        .body("presigned body")
        .send()
        .await
        .expect("presigned put");
    assert_eq!(response.status(), 200);
    let get_url = s3
        .get_object()
        .bucket("pre")
        .key("p.txt")
        .presigned(config)
        .await
        .expect("presign get");
    let response = http.get(get_url.uri()).send().await.expect("presigned get");
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.expect("text"), "presigned body");

    sim.control().advance_clock(Duration::from_secs(120));
    let response = http.get(get_url.uri()).send().await.expect("expired get");
    assert_eq!(response.status(), 403);
    assert!(
        response
            .text()
            .await
            .expect("text")
            .contains("Request has expired")
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn hard_quota_refuses_writes_that_would_exceed_it() {
    let (sim, mgmt) = start().await;
    let secret = mgmt.user("u1").await;
    mgmt.bucket(
        "quota",
        "u1",
        json!({"blockSize": 1, "notificationSize": 1}),
    )
    .await;
    let s3 = no_retry_client(&sim, "u1", &secret);
    put(&s3, "quota", "small", b"fits").await;
    // Fill the bucket up to 100 bytes below its 1 GiB hard quota (the control hook stands in
    // for a gigabyte of data).
    sim.control()
        .set_bucket_usage(NS, "quota", (1 << 30) - 100, 1);
    put(&s3, "quota", "edge", &[7u8; 50]).await;
    let refused = s3
        .put_object()
        .bucket("quota")
        .key("over")
        .body(ByteStream::from(vec![0u8; 200]))
        .send()
        .await
        .expect_err("over quota");
    assert_eq!(code(&refused), "QuotaExceeded");
    assert_eq!(
        refused.raw_response().map(|r| r.status().as_u16()),
        Some(403)
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn billing_and_bucket_deletion_see_what_s3_stored() {
    let (sim, mgmt) = start().await;
    let secret = mgmt.user("u1").await;
    mgmt.bucket("bill", "u1", json!({})).await;
    let s3 = client(&sim, "u1", &secret);
    put(&s3, "bill", "a", &[1u8; 1000]).await;
    put(&s3, "bill", "b", &[2u8; 24]).await;

    let billing = mgmt
        .get(&format!(
            "/object/billing/buckets/{NS}/bill/info?sizeunit=BYTE"
        ))
        .await;
    assert_eq!(billing["total_objects"].as_i64(), Some(2), "{billing}");
    assert_eq!(billing["total_size"].as_i64(), Some(1024), "{billing}");

    let (status, body) = mgmt
        .call(
            reqwest::Method::POST,
            &format!("/object/bucket/bill/deactivate?namespace={NS}"),
            None,
        )
        .await;
    assert_ne!(status, 200, "a bucket holding objects is refused: {body}");

    // A bucket made through S3 belongs to its creator in the management API.
    s3.create_bucket()
        .bucket("from-s3")
        .send()
        .await
        .expect("create");
    let info = mgmt
        .get(&format!("/object/bucket/from-s3/info?namespace={NS}"))
        .await;
    assert_eq!(info["owner"].as_str(), Some("u1"), "{info}");
    sim.shutdown().await;
}

#[tokio::test]
async fn cors_configuration_preflight_and_response_headers() {
    let (sim, mgmt) = start().await;
    let secret = mgmt.user("u1").await;
    mgmt.bucket("web", "u1", json!({})).await;
    let s3 = client(&sim, "u1", &secret);
    let rule = CorsRule::builder()
        .allowed_origins("https://app.example.com")
        .allowed_methods("GET")
        .allowed_methods("PUT")
        .allowed_headers("*")
        .max_age_seconds(300)
        .build()
        .expect("rule");
    let config = CorsConfiguration::builder()
        .cors_rules(rule)
        .build()
        .expect("config");
    s3.put_bucket_cors()
        .bucket("web")
        .cors_configuration(config)
        .send()
        .await
        .expect("put cors");
    let got = s3
        .get_bucket_cors()
        .bucket("web")
        .send()
        .await
        .expect("get cors");
    assert_eq!(got.cors_rules()[0].allowed_methods(), ["GET", "PUT"]);
    put(&s3, "web", "page.html", b"<html/>").await;

    let http = reqwest::Client::new();
    let url = format!("{}/web/page.html", sim.s3_url());
    let ok = http
        .request(reqwest::Method::OPTIONS, &url)
        .header("Origin", "https://app.example.com")
        .header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .expect("preflight");
    assert_eq!(ok.status(), 200);
    assert_eq!(
        ok.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert_eq!(ok.headers()["access-control-max-age"], "300");
    let refused = http
        .request(reqwest::Method::OPTIONS, &url)
        .header("Origin", "https://evil.example.org")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .expect("preflight");
    assert_eq!(refused.status(), 403);

    let public = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::web/*"}]});
    s3.put_bucket_policy()
        .bucket("web")
        .policy(public.to_string())
        .send()
        .await
        .expect("policy");
    let actual = http
        .get(&url)
        .header("Origin", "https://app.example.com")
        .send()
        .await
        .expect("get");
    assert_eq!(actual.status(), 200);
    assert_eq!(
        actual.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );

    s3.delete_bucket_cors()
        .bucket("web")
        .send()
        .await
        .expect("delete cors");
    let gone = s3
        .get_bucket_cors()
        .bucket("web")
        .send()
        .await
        .expect_err("no cors");
    assert_eq!(code(&gone), "NoSuchCORSConfiguration");
    sim.shutdown().await;
}

#[tokio::test]
async fn s3_requests_are_logged_and_take_injected_faults() {
    let (sim, mgmt) = start().await;
    let secret = mgmt.user("u1").await;
    mgmt.bucket("flt", "u1", json!({})).await;
    let s3 = no_retry_client(&sim, "u1", &secret);
    sim.control().clear_request_log();
    sim.control().add_fault(FaultRule {
        error_503: 1.0,
        times: Some(1),
        ..FaultRule::new(Api::S3, "/flt")
    });
    let failed = s3
        .list_objects_v2()
        .bucket("flt")
        .send()
        .await
        .expect_err("injected 503");
    assert_eq!(
        failed.raw_response().map(|r| r.status().as_u16()),
        Some(503)
    );
    s3.list_objects_v2()
        .bucket("flt")
        .send()
        .await
        .expect("fault used up");
    let log: Vec<_> = sim
        .control()
        .request_log()
        .into_iter()
        .filter(|r| r.api == Api::S3)
        .collect();
    assert_eq!(
        log.iter().map(|r| r.status).collect::<Vec<_>>(),
        vec![503, 200]
    );
    assert!(
        log.iter().all(|r| r.method == "GET"
            && r.path.starts_with("/flt")
            && r.query.contains("list-type=2")),
        "{log:?}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn object_lock_is_refused_with_a_clear_error() {
    // ECS before 3.6.2 has no Object Lock (tests/s3_features.rs covers 3.6.2 and later).
    let sim = Sim::builder()
        .ecs_version(ecs_sim::EcsVersion::V3_6)
        .start()
        .await
        .expect("emulator starts");
    let mgmt = Mgmt::login(&sim).await;
    let secret = mgmt.user("u1").await;
    let s3 = client(&sim, "u1", &secret);
    let err = s3
        .create_bucket()
        .bucket("locked")
        .object_lock_enabled_for_bucket(true)
        .send()
        .await
        .expect_err("object lock");
    assert_eq!(code(&err), "NotImplemented");
    assert!(
        err.as_service_error()
            .and_then(|e| e.message())
            .is_some_and(|m| m.contains("Object Lock")),
        "{err:?}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn disk_storage_streams_objects_through_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = Sim::builder()
        .data_dir(dir.path())
        .start()
        .await
        .expect("emulator starts");
    let mgmt = Mgmt::login(&sim).await;
    let secret = mgmt.user("u1").await;
    mgmt.bucket("disk", "u1", json!({})).await;
    let s3 = client(&sim, "u1", &secret);

    // 24 MiB from a file on disk, streamed by the SDK.
    let source = dir.path().join("source.bin");
    let data: Vec<u8> = (0..24 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&source, &data).expect("write source");
    let body = ByteStream::from_path(&source).await.expect("file body");
    s3.put_object()
        .bucket("disk")
        .key("big.bin")
        .body(body)
        .send()
        .await
        .expect("put");
    let blobs = std::fs::read_dir(dir.path().join("blobs"))
        .expect("blob dir")
        .count();
    assert_eq!(blobs, 1, "the body is a file under --data-dir");

    let got = s3
        .get_object()
        .bucket("disk")
        .key("big.bin")
        .send()
        .await
        .expect("get");
    let bytes = got.body.collect().await.expect("body").into_bytes();
    assert!(
        bytes.as_ref() == data.as_slice(),
        "round trip through the file"
    );
    s3.delete_object()
        .bucket("disk")
        .key("big.bin")
        .send()
        .await
        .expect("delete");
    // The download's reader task may hold the file a moment longer; wait for it, boundedly.
    let mut left = usize::MAX;
    for _ in 0..100 {
        left = std::fs::read_dir(dir.path().join("blobs"))
            .expect("blob dir")
            .count();
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(left, 0, "file removed with the object");
    sim.shutdown().await;
}

#[tokio::test]
async fn objects_survive_a_restart_with_state_file_and_data_dir() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (state, data) = (dir.path().join("state.json"), dir.path().join("data"));
    let builder = || Sim::builder().state_file(&state).data_dir(&data);

    let sim = builder().start().await.expect("first start");
    let mgmt = Mgmt::login(&sim).await;
    let secret = mgmt.user("u1").await;
    mgmt.bucket("keep", "u1", json!({})).await;
    put(
        &client(&sim, "u1", &secret),
        "keep",
        "note.txt",
        b"still here",
    )
    .await;
    sim.shutdown().await;

    let sim = builder().start().await.expect("second start");
    assert_eq!(
        get_text(&client(&sim, "u1", &secret), "keep", "note.txt").await,
        "still here"
    );
    let billing = Mgmt::login(&sim)
        .await
        .get(&format!(
            "/object/billing/buckets/{NS}/keep/info?sizeunit=BYTE"
        ))
        .await;
    assert_eq!(billing["total_objects"].as_i64(), Some(1), "{billing}");
    sim.shutdown().await;
}

#[tokio::test]
async fn namespaces_come_from_the_header_else_the_user() {
    let mut seed = ecs_sim::Seed::default();
    seed.namespaces.push(ecs_sim::NamespaceSeed {
        name: "ns2".into(),
        default_replication_group: "rg1".into(),
        encryption: false,
    });
    for (uid, ns) in [("alice", "ns1"), ("bob", "ns2")] {
        seed.object_users.push(ecs_sim::ObjectUserSeed {
            uid: uid.into(),
            namespace: ns.into(),
            secret: Some(format!("{uid}-secret")),
        });
    }
    let sim = Sim::builder()
        .seed(seed)
        .start()
        .await
        .expect("emulator starts");
    let (alice, bob) = (
        client(&sim, "alice", "alice-secret"),
        client(&sim, "bob", "bob-secret"),
    );
    // The same bucket name in two namespaces: each user lands in their own.
    alice
        .create_bucket()
        .bucket("same")
        .send()
        .await
        .expect("alice creates in ns1");
    bob.create_bucket()
        .bucket("same")
        .send()
        .await
        .expect("bob creates in ns2");
    put(&alice, "same", "who", b"ns1 data").await;
    put(&bob, "same", "who", b"ns2 data").await;
    let public = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::same/*"}]});
    for s3 in [&alice, &bob] {
        s3.put_bucket_policy()
            .bucket("same")
            .policy(public.to_string())
            .send()
            .await
            .expect("policy");
    }

    let anon = reqwest::Client::new();
    let url = format!("{}/same/who", sim.s3_url());
    for (ns, expected) in [("ns1", "ns1 data"), ("ns2", "ns2 data")] {
        let response = anon
            .get(&url)
            .header("x-emc-namespace", ns)
            .send()
            .await
            .expect("anon get");
        assert_eq!(response.status(), 200, "namespace {ns}");
        assert_eq!(response.text().await.expect("text"), expected);
    }
    // Without the header the name is ambiguous for an anonymous caller.
    assert_eq!(anon.get(&url).send().await.expect("anon get").status(), 404);
    sim.shutdown().await;
}

#[tokio::test]
async fn s3_over_tls_with_presigned_urls() {
    let mut seed = ecs_sim::Seed::default();
    seed.object_users.push(ecs_sim::ObjectUserSeed {
        uid: "tls-user".into(),
        namespace: NS.into(),
        secret: Some("tls-secret".into()),
    });
    let sim = Sim::builder()
        .seed(seed)
        .s3_tls(true)
        .start()
        .await
        .expect("emulator starts");
    assert!(sim.s3_url().starts_with("https://"));
    let ca = reqwest::Certificate::from_pem(sim.ca_pem().expect("CA").as_bytes()).expect("CA pem");
    let https = reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .expect("client");
    // Presigning needs no connection, so the SDK client need not trust the emulator's CA.
    let s3 = client(&sim, "tls-user", "tls-secret");
    let config = PresigningConfig::expires_in(Duration::from_secs(300)).expect("config");

    Mgmt::login(&sim)
        .await
        .bucket("secure", "tls-user", json!({}))
        .await;
    let put = s3
        .put_object()
        .bucket("secure")
        .key("k")
        .presigned(config.clone())
        .await
        .expect("presign put");
    assert_eq!(
        https
            .put(put.uri())
            .body("over tls")
            .send()
            .await
            .expect("put")
            .status(),
        200
    );
    let get = s3
        .get_object()
        .bucket("secure")
        .key("k")
        .presigned(config)
        .await
        .expect("presign get");
    let response = https.get(get.uri()).send().await.expect("get");
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.expect("text"), "over tls");
    sim.shutdown().await;
}
