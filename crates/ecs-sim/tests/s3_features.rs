//! The S3 features ECS has beyond the basics, driven by `aws-sdk-s3` against the emulator:
//! Object Lock (ECS 3.6.2 and later), tagging, ACLs, UploadPartCopy, and the finer points of
//! deletes, listings and presigned URLs.

mod common;

use aws_sdk_s3::Client;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::primitives::{ByteStream, DateTime};
use aws_sdk_s3::types::{
    BucketVersioningStatus, DefaultRetention, Delete, ObjectIdentifier, ObjectLockConfiguration,
    ObjectLockEnabled, ObjectLockLegalHold, ObjectLockLegalHoldStatus, ObjectLockMode,
    ObjectLockRetention, ObjectLockRetentionMode, ObjectLockRule, VersioningConfiguration,
};
use common::Env;
use ecs_sim::{EcsVersion, Sim};
use reqwest::Method;
use serde_json::json;

/// An emulator of `version` with object user `u1` and an S3 client signed with its key.
async fn start(version: EcsVersion) -> (Env, Client) {
    let env = common::start_with(Sim::builder().ecs_version(version)).await;
    env.user("u1").await;
    let key = env
        .call(Method::POST, "/object/user-secret-keys/u1")
        .json(json!({"namespace": "ns1"}))
        .expect(200)
        .await;
    let secret = key["secret_key"].as_str().expect("secret_key").to_owned();
    let s3 = client(&env.sim, "u1", &secret);
    (env, s3)
}

fn client(sim: &Sim, access_key: &str, secret: &str) -> Client {
    common::s3_client(sim, access_key, secret, false)
}

/// The S3 error code and HTTP status of a failed call.
fn code<E: ProvideErrorMetadata + std::fmt::Debug>(
    err: &SdkError<E, aws_sdk_s3::config::http::HttpResponse>,
) -> (String, u16) {
    let status = err.raw_response().map_or(0, |r| r.status().as_u16());
    let code = err
        .as_service_error()
        .and_then(|e| e.code())
        .map_or_else(|| format!("{err:?}"), str::to_owned);
    (code, status)
}

async fn put(s3: &Client, bucket: &str, key: &str, body: &str) -> Option<String> {
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(body.as_bytes().to_vec()))
        .send()
        .await
        .expect("put")
        .version_id
}

/// `days` from now on the emulator's clock, which the test has advanced by `advanced_days`.
fn in_days(advanced_days: i64, days: i64) -> DateTime {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let now = i64::try_from(now).expect("secs");
    DateTime::from_secs(now + (advanced_days + days) * 86_400)
}

#[tokio::test]
async fn object_lock_buckets_default_retention_holds_and_refused_deletes() {
    let (env, s3) = start(EcsVersion::V4_1).await;
    s3.create_bucket()
        .bucket("plain")
        .send()
        .await
        .expect("plain bucket");
    s3.create_bucket()
        .bucket("worm")
        .object_lock_enabled_for_bucket(true)
        .send()
        .await
        .expect("object lock bucket");

    // Versioning is forced on and cannot be suspended.
    let versioning = s3
        .get_bucket_versioning()
        .bucket("worm")
        .send()
        .await
        .expect("versioning");
    assert_eq!(versioning.status, Some(BucketVersioningStatus::Enabled));
    let err = s3
        .put_bucket_versioning()
        .bucket("worm")
        .versioning_configuration(
            VersioningConfiguration::builder()
                .status(BucketVersioningStatus::Suspended)
                .build(),
        )
        .send()
        .await
        .expect_err("suspend");
    assert_eq!(code(&err), ("InvalidBucketState".to_owned(), 409));

    // The configuration: enabled, no rule yet; a plain bucket has none and cannot get one.
    let config = s3
        .get_object_lock_configuration()
        .bucket("worm")
        .send()
        .await
        .expect("config")
        .object_lock_configuration
        .expect("configuration");
    assert_eq!(config.object_lock_enabled, Some(ObjectLockEnabled::Enabled));
    assert!(config.rule.is_none());
    let err = s3
        .get_object_lock_configuration()
        .bucket("plain")
        .send()
        .await
        .expect_err("none");
    assert_eq!(
        code(&err),
        ("ObjectLockConfigurationNotFoundError".to_owned(), 404)
    );
    let rule = |mode, days: Option<i32>, years: Option<i32>| {
        ObjectLockConfiguration::builder()
            .object_lock_enabled(ObjectLockEnabled::Enabled)
            .rule(
                ObjectLockRule::builder()
                    .default_retention(
                        DefaultRetention::builder()
                            .mode(mode)
                            .set_days(days)
                            .set_years(years)
                            .build(),
                    )
                    .build(),
            )
            .build()
    };
    let err = s3
        .put_object_lock_configuration()
        .bucket("plain")
        .object_lock_configuration(rule(ObjectLockRetentionMode::Governance, Some(1), None))
        .send()
        .await
        .expect_err("plain bucket");
    assert_eq!(code(&err), ("InvalidBucketState".to_owned(), 409));
    for (days, years, expected) in [
        (Some(0), None, ("InvalidArgument", 400)),
        (Some(1), Some(1), ("MalformedXML", 400)),
    ] {
        let err = s3
            .put_object_lock_configuration()
            .bucket("worm")
            .object_lock_configuration(rule(ObjectLockRetentionMode::Governance, days, years))
            .send()
            .await
            .expect_err("bad rule");
        assert_eq!(code(&err), (expected.0.to_owned(), expected.1));
    }

    // Default retention: governance for 2 days.
    s3.put_object_lock_configuration()
        .bucket("worm")
        .object_lock_configuration(rule(ObjectLockRetentionMode::Governance, Some(2), None))
        .send()
        .await
        .expect("default rule");
    let config = s3
        .get_object_lock_configuration()
        .bucket("worm")
        .send()
        .await
        .expect("config")
        .object_lock_configuration
        .expect("configuration");
    let default = config
        .rule
        .and_then(|r| r.default_retention)
        .expect("default retention");
    assert_eq!(default.mode, Some(ObjectLockRetentionMode::Governance));
    assert_eq!((default.days, default.years), (Some(2), None));
    // The management API sees the same configuration.
    let info = env
        .call(Method::GET, "/object/bucket/worm/info?namespace=ns1")
        .expect(200)
        .await;
    assert_eq!(info["is_object_lock_enabled"], true);
    assert_eq!(info["default_object_lock_retention_mode"], "GOVERNANCE");

    let v1 = put(&s3, "worm", "doc", "one").await.expect("version id");
    let head = s3
        .head_object()
        .bucket("worm")
        .key("doc")
        .send()
        .await
        .expect("head");
    assert_eq!(head.object_lock_mode, Some(ObjectLockMode::Governance));
    let until = head.object_lock_retain_until_date.expect("retain until");
    let expected = in_days(0, 2).secs();
    assert!((until.secs() - expected).abs() < 5, "{until:?}");
    let retention = s3
        .get_object_retention()
        .bucket("worm")
        .key("doc")
        .send()
        .await
        .expect("retention")
        .retention
        .expect("retention");
    assert_eq!(retention.mode, Some(ObjectLockRetentionMode::Governance));

    // A delete without a version id only adds a delete marker; deleting the version is refused.
    let marker = s3
        .delete_object()
        .bucket("worm")
        .key("doc")
        .send()
        .await
        .expect("delete marker");
    assert_eq!(marker.delete_marker, Some(true));
    let err = s3
        .delete_object()
        .bucket("worm")
        .key("doc")
        .version_id(&v1)
        .send()
        .await
        .expect_err("retained");
    assert_eq!(code(&err), ("AccessDenied".to_owned(), 403));
    let batch = s3
        .delete_objects()
        .bucket("worm")
        .delete(
            Delete::builder()
                .objects(
                    ObjectIdentifier::builder()
                        .key("doc")
                        .version_id(&v1)
                        .build()
                        .expect("id"),
                )
                .build()
                .expect("delete"),
        )
        .send()
        .await
        .expect("batch answers");
    assert_eq!(batch.errors().len(), 1);
    assert_eq!(batch.errors()[0].code(), Some("AccessDenied"));
    // Shortening governance needs the bypass; then the version can go with the bypass too.
    let err = s3
        .put_object_retention()
        .bucket("worm")
        .key("doc")
        .version_id(&v1)
        .retention(
            ObjectLockRetention::builder()
                .mode(ObjectLockRetentionMode::Governance)
                .retain_until_date(in_days(0, 1))
                .build(),
        )
        .send()
        .await
        .expect_err("shorter");
    assert_eq!(code(&err), ("AccessDenied".to_owned(), 403));
    s3.delete_object()
        .bucket("worm")
        .key("doc")
        .version_id(&v1)
        .bypass_governance_retention(true)
        .send()
        .await
        .expect("bypassed");

    // Compliance: no bypass helps, the date may only grow; it ends with the clock.
    let err = s3
        .put_object()
        .bucket("worm")
        .key("c")
        .object_lock_mode(ObjectLockMode::Compliance)
        .body(ByteStream::from_static(b"c"))
        .send()
        .await
        .expect_err("mode without date");
    assert_eq!(code(&err), ("InvalidArgument".to_owned(), 400));
    let err = s3
        .put_object()
        .bucket("worm")
        .key("c")
        .object_lock_mode(ObjectLockMode::Compliance)
        .object_lock_retain_until_date(in_days(0, -1))
        .body(ByteStream::from_static(b"c"))
        .send()
        .await
        .expect_err("date in the past");
    assert_eq!(code(&err), ("InvalidArgument".to_owned(), 400));
    let vc = s3
        .put_object()
        .bucket("worm")
        .key("c")
        .object_lock_mode(ObjectLockMode::Compliance)
        .object_lock_retain_until_date(in_days(0, 1))
        .body(ByteStream::from_static(b"c"))
        .send()
        .await
        .expect("compliance put")
        .version_id
        .expect("version");
    let err = s3
        .delete_object()
        .bucket("worm")
        .key("c")
        .version_id(&vc)
        .bypass_governance_retention(true)
        .send()
        .await
        .expect_err("compliance");
    assert_eq!(code(&err), ("AccessDenied".to_owned(), 403));
    s3.put_object_retention()
        .bucket("worm")
        .key("c")
        .version_id(&vc)
        .retention(
            ObjectLockRetention::builder()
                .mode(ObjectLockRetentionMode::Compliance)
                .retain_until_date(in_days(0, 3))
                .build(),
        )
        .send()
        .await
        .expect("extend");
    env.sim
        .control()
        .advance_clock(std::time::Duration::from_secs(4 * 86_400));
    s3.delete_object()
        .bucket("worm")
        .key("c")
        .version_id(&vc)
        .send()
        .await
        .expect("expired retention");

    // Legal hold: none until set; ON refuses even a bypass; OFF releases.
    let vh = s3
        .put_object()
        .bucket("worm")
        .key("held")
        .body(ByteStream::from_static(b"h"))
        .send()
        .await
        .expect("put")
        .version_id
        .expect("version");
    let err = s3
        .get_object_legal_hold()
        .bucket("worm")
        .key("held")
        .send()
        .await
        .expect_err("no hold yet");
    assert_eq!(
        code(&err),
        ("NoSuchObjectLockConfiguration".to_owned(), 404)
    );
    let hold = |status| ObjectLockLegalHold::builder().status(status).build();
    s3.put_object_legal_hold()
        .bucket("worm")
        .key("held")
        .legal_hold(hold(ObjectLockLegalHoldStatus::On))
        .send()
        .await
        .expect("hold on");
    let got = s3
        .get_object_legal_hold()
        .bucket("worm")
        .key("held")
        .send()
        .await
        .expect("hold")
        .legal_hold
        .and_then(|h| h.status);
    assert_eq!(got, Some(ObjectLockLegalHoldStatus::On));
    // The version also has the default governance retention: the bypass covers that part.
    let err = s3
        .delete_object()
        .bucket("worm")
        .key("held")
        .version_id(&vh)
        .bypass_governance_retention(true)
        .send()
        .await
        .expect_err("held");
    assert_eq!(code(&err), ("AccessDenied".to_owned(), 403));
    s3.put_object_legal_hold()
        .bucket("worm")
        .key("held")
        .legal_hold(hold(ObjectLockLegalHoldStatus::Off))
        .send()
        .await
        .expect("hold off");
    s3.delete_object()
        .bucket("worm")
        .key("held")
        .version_id(&vh)
        .bypass_governance_retention(true)
        .send()
        .await
        .expect("released");

    // Per-object settings need an Object Lock bucket.
    put(&s3, "plain", "p", "p").await;
    let err = s3
        .put_object_legal_hold()
        .bucket("plain")
        .key("p")
        .legal_hold(hold(ObjectLockLegalHoldStatus::On))
        .send()
        .await
        .expect_err("plain");
    assert_eq!(code(&err), ("InvalidRequest".to_owned(), 400));
    let err = s3
        .put_object()
        .bucket("plain")
        .key("p2")
        .object_lock_legal_hold_status(ObjectLockLegalHoldStatus::On)
        .body(ByteStream::from_static(b"p"))
        .send()
        .await
        .expect_err("plain put");
    assert_eq!(code(&err), ("InvalidRequest".to_owned(), 400));
    env.stop().await;
}

#[tokio::test]
async fn object_lock_is_not_implemented_before_ecs_3_6_2() {
    let (env, s3) = start(EcsVersion::V3_6).await;
    let err = s3
        .create_bucket()
        .bucket("worm")
        .object_lock_enabled_for_bucket(true)
        .send()
        .await
        .expect_err("3.6.0");
    assert_eq!(code(&err), ("NotImplemented".to_owned(), 501));
    s3.create_bucket()
        .bucket("bkt")
        .send()
        .await
        .expect("bucket");
    let err = s3
        .get_object_lock_configuration()
        .bucket("bkt")
        .send()
        .await
        .expect_err("3.6.0");
    assert_eq!(code(&err), ("NotImplemented".to_owned(), 501));
    env.call(
        Method::GET,
        "/object/bucket/bkt/object-lock-config?namespace=ns1",
    )
    .fails(404, "1019")
    .await;
    env.stop().await;

    let (env, s3) = start(EcsVersion::V3_6_2).await;
    s3.create_bucket()
        .bucket("worm")
        .object_lock_enabled_for_bucket(true)
        .send()
        .await
        .expect("3.6.2 has object lock");
    env.stop().await;
}

#[tokio::test]
async fn tagging_on_put_copy_get_and_buckets_with_s3_limits() {
    use aws_sdk_s3::types::{Tag, Tagging, TaggingDirective};
    let (env, s3) = start(EcsVersion::V4_1).await;
    s3.create_bucket()
        .bucket("tags")
        .send()
        .await
        .expect("bucket");
    let tagging = |pairs: &[(&str, &str)]| {
        Tagging::builder()
            .set_tag_set(Some(
                pairs
                    .iter()
                    .map(|(k, v)| Tag::builder().key(*k).value(*v).build().expect("tag"))
                    .collect(),
            ))
            .build()
            .expect("tagging")
    };
    // x-amz-tagging on PUT, x-amz-tagging-count on GET.
    s3.put_object()
        .bucket("tags")
        .key("a")
        .tagging("team=blue&cost%20center=4%2B2")
        .body(ByteStream::from_static(b"a"))
        .send()
        .await
        .expect("put with tags");
    let got = s3
        .get_object()
        .bucket("tags")
        .key("a")
        .send()
        .await
        .expect("get");
    assert_eq!(got.tag_count, Some(2));
    let set = s3
        .get_object_tagging()
        .bucket("tags")
        .key("a")
        .send()
        .await
        .expect("tagging");
    let pairs: Vec<_> = set
        .tag_set()
        .iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("team".to_owned(), "blue".to_owned()),
            ("cost center".to_owned(), "4+2".to_owned())
        ]
    );
    // A copy keeps the source's tags unless told to replace them.
    s3.copy_object()
        .bucket("tags")
        .key("copy")
        .copy_source("tags/a")
        .send()
        .await
        .expect("copy");
    let copied = s3
        .get_object_tagging()
        .bucket("tags")
        .key("copy")
        .send()
        .await
        .expect("copy tags");
    assert_eq!(copied.tag_set().len(), 2);
    s3.copy_object()
        .bucket("tags")
        .key("copy2")
        .copy_source("tags/a")
        .tagging_directive(TaggingDirective::Replace)
        .tagging("x=y")
        .send()
        .await
        .expect("copy replacing tags");
    let replaced = s3
        .get_object_tagging()
        .bucket("tags")
        .key("copy2")
        .send()
        .await
        .expect("copy2 tags");
    assert_eq!(replaced.tag_set().len(), 1);
    assert_eq!(replaced.tag_set()[0].key(), "x");

    // Limits: 11 tags, long keys and values, repeated keys, aws: prefix → 400 InvalidTag.
    let eleven: Vec<(String, String)> = (0..11).map(|i| (format!("k{i}"), String::new())).collect();
    let eleven: Vec<(&str, &str)> = eleven
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let long_key = "k".repeat(129);
    let long_value = "v".repeat(257);
    for bad in [
        eleven.clone(),
        vec![(long_key.as_str(), "v")],
        vec![("k", long_value.as_str())],
        vec![("k", "1"), ("k", "2")],
        vec![("aws:owner", "me")],
    ] {
        let err = s3
            .put_object_tagging()
            .bucket("tags")
            .key("a")
            .tagging(tagging(&bad))
            .send()
            .await
            .expect_err("invalid tags");
        assert_eq!(code(&err), ("InvalidTag".to_owned(), 400), "{bad:?}");
        let err = s3
            .put_bucket_tagging()
            .bucket("tags")
            .tagging(tagging(&bad))
            .send()
            .await
            .expect_err("invalid bucket tags");
        assert_eq!(code(&err), ("InvalidTag".to_owned(), 400), "{bad:?}");
    }
    let err = s3
        .put_object()
        .bucket("tags")
        .key("b")
        .tagging("a=1&a=2")
        .body(ByteStream::from_static(b"b"))
        .send()
        .await
        .expect_err("repeated header tag");
    assert_eq!(code(&err), ("InvalidTag".to_owned(), 400));
    s3.put_object_tagging()
        .bucket("tags")
        .key("a")
        .tagging(tagging(&eleven[..10]))
        .send()
        .await
        .expect("ten tags");

    // Bucket tags are the management API's bucket tags.
    let err = s3
        .get_bucket_tagging()
        .bucket("tags")
        .send()
        .await
        .expect_err("no tags yet");
    assert_eq!(code(&err), ("NoSuchTagSet".to_owned(), 404));
    s3.put_bucket_tagging()
        .bucket("tags")
        .tagging(tagging(&[("env", "test")]))
        .send()
        .await
        .expect("bucket tags");
    let info = env
        .call(Method::GET, "/object/bucket/tags/info?namespace=ns1")
        .expect(200)
        .await;
    assert!(info.to_string().contains("\"env\""), "{info}");
    s3.delete_bucket_tagging()
        .bucket("tags")
        .send()
        .await
        .expect("delete bucket tags");
    s3.get_bucket_tagging()
        .bucket("tags")
        .send()
        .await
        .expect_err("gone");
    env.stop().await;
}

#[tokio::test]
async fn upload_part_copy_part_numbers_delete_markers_batch_limit_and_presigned_refusals() {
    use aws_sdk_s3::presigning::PresigningConfig;
    use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
    let (env, s3) = start(EcsVersion::V4_1).await;
    s3.create_bucket()
        .bucket("more")
        .send()
        .await
        .expect("bucket");
    put(&s3, "more", "src", "abcdefgh").await;

    // UploadPartCopy with a range, then a plain part: the object is both, and partNumber reads each.
    let upload = s3
        .create_multipart_upload()
        .bucket("more")
        .key("mp")
        .send()
        .await
        .expect("create upload");
    let id = upload.upload_id().expect("upload id");
    let err = s3
        .upload_part_copy()
        .bucket("more")
        .key("mp")
        .upload_id(id)
        .part_number(1)
        .copy_source("more/src")
        .copy_source_range("bytes=4-8")
        .send()
        .await
        .expect_err("range past the end");
    assert_eq!(code(&err), ("InvalidArgument".to_owned(), 400));
    let big = vec![b'x'; 5 * 1024 * 1024];
    put(
        &s3,
        "more",
        "big",
        std::str::from_utf8(&big).expect("ascii"),
    )
    .await;
    let copied = s3
        .upload_part_copy()
        .bucket("more")
        .key("mp")
        .upload_id(id)
        .part_number(1)
        .copy_source("more/big")
        .send()
        .await
        .expect("copy part 1");
    let tag1 = copied
        .copy_part_result()
        .and_then(|r| r.e_tag())
        .expect("etag")
        .to_owned();
    let copied = s3
        .upload_part_copy()
        .bucket("more")
        .key("mp")
        .upload_id(id)
        .part_number(2)
        .copy_source("more/src")
        .copy_source_range("bytes=2-4")
        .send()
        .await
        .expect("copy part 2 (a range)");
    let tag2 = copied
        .copy_part_result()
        .and_then(|r| r.e_tag())
        .expect("etag")
        .to_owned();
    s3.complete_multipart_upload()
        .bucket("more")
        .key("mp")
        .upload_id(id)
        .multipart_upload(
            CompletedMultipartUpload::builder()
                .parts(CompletedPart::builder().part_number(1).e_tag(tag1).build())
                .parts(CompletedPart::builder().part_number(2).e_tag(tag2).build())
                .build(),
        )
        .send()
        .await
        .expect("complete");
    let part2 = s3
        .get_object()
        .bucket("more")
        .key("mp")
        .part_number(2)
        .send()
        .await
        .expect("part 2");
    assert_eq!(part2.parts_count, Some(2));
    assert_eq!(part2.content_length, Some(3));
    let bytes = part2.body.collect().await.expect("body").into_bytes();
    assert_eq!(&bytes[..], b"cde");
    let head = s3
        .head_object()
        .bucket("more")
        .key("mp")
        .part_number(1)
        .send()
        .await
        .expect("head part 1");
    assert_eq!(head.content_length, Some(5 * 1024 * 1024));
    let err = s3
        .get_object()
        .bucket("more")
        .key("mp")
        .part_number(3)
        .send()
        .await
        .expect_err("no part 3");
    assert_eq!(code(&err), ("InvalidPartNumber".to_owned(), 416));
    let whole = s3
        .get_object()
        .bucket("more")
        .key("src")
        .part_number(1)
        .send()
        .await
        .expect("part 1 of a plain object");
    assert_eq!(whole.content_length, Some(8));

    // Delete markers are named on GET and HEAD.
    s3.put_bucket_versioning()
        .bucket("more")
        .versioning_configuration(
            VersioningConfiguration::builder()
                .status(BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .expect("versioning");
    let marker = s3
        .delete_object()
        .bucket("more")
        .key("src")
        .send()
        .await
        .expect("delete");
    assert_eq!(marker.delete_marker, Some(true));
    let marker_id = marker.version_id.expect("marker version");
    let err = s3
        .get_object()
        .bucket("more")
        .key("src")
        .send()
        .await
        .expect_err("deleted");
    assert_eq!(code(&err), ("NoSuchKey".to_owned(), 404));
    let headers = err.raw_response().expect("response").headers();
    assert_eq!(headers.get("x-amz-delete-marker"), Some("true"));
    assert_eq!(headers.get("x-amz-version-id"), Some(marker_id.as_str()));
    let err = s3
        .head_object()
        .bucket("more")
        .key("src")
        .version_id(&marker_id)
        .send()
        .await
        .expect_err("a marker");
    let response = err.raw_response().expect("response");
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(response.headers().get("x-amz-delete-marker"), Some("true"));

    // DeleteObjects takes at most 1,000 keys.
    let keys = |n: usize| {
        Delete::builder()
            .set_objects(Some(
                (0..n)
                    .map(|i| {
                        ObjectIdentifier::builder()
                            .key(format!("k{i}"))
                            .build()
                            .expect("id")
                    })
                    .collect(),
            ))
            .build()
            .expect("delete")
    };
    s3.delete_objects()
        .bucket("more")
        .delete(keys(1000))
        .send()
        .await
        .expect("1000 keys");
    let err = s3
        .delete_objects()
        .bucket("more")
        .delete(keys(1001))
        .send()
        .await
        .expect_err("1001 keys");
    assert_eq!(code(&err), ("MalformedXML".to_owned(), 400));

    // Presigned URLs: a tampered signature does not match; X-Amz-Expires past a week is refused.
    let presigned = s3
        .get_object()
        .bucket("more")
        .key("big")
        .presigned(PresigningConfig::expires_in(std::time::Duration::from_secs(60)).expect("cfg"))
        .await
        .expect("presign");
    let url = presigned.uri().to_owned();
    let http = reqwest::Client::new();
    assert_eq!(http.get(&url).send().await.expect("get").status(), 200);
    let signature = url
        .split("X-Amz-Signature=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .expect("signature")
        .to_owned();
    let flipped: String = signature
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 {
                if c == '0' { '1' } else { '0' }
            } else {
                c
            }
        })
        .collect();
    for tampered in [
        url.replace(&signature, &flipped),
        url.replace(&signature, "not-a-signature"),
        url.replace("more/big", "more/mp"),
    ] {
        let response = http.get(&tampered).send().await.expect("get");
        assert_eq!(response.status(), 403, "{tampered}");
        let body = response.text().await.expect("body");
        assert!(
            body.contains("<Code>SignatureDoesNotMatch</Code>"),
            "{body}"
        );
    }
    let response = http
        .get(url.replace("X-Amz-Expires=60", "X-Amz-Expires=604801"))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), 400);
    let body = response.text().await.expect("body");
    assert!(body.contains("AuthorizationQueryParametersError"), "{body}");
    env.stop().await;
}

#[tokio::test]
async fn acls_canned_and_granted_enforced_with_bucket_policies() {
    use aws_sdk_s3::types::{BucketCannedAcl, ObjectCannedAcl, Permission, Type};
    let (env, alice) = start(EcsVersion::V4_1).await;
    env.user("bob").await;
    let key = env
        .call(Method::POST, "/object/user-secret-keys/bob")
        .json(json!({"namespace": "ns1"}))
        .expect(200)
        .await;
    let bob = client(&env.sim, "bob", key["secret_key"].as_str().expect("secret"));
    let http = reqwest::Client::new();
    let anonymous = |path: &str| http.get(format!("{}/{path}", env.sim.s3_url())).send();

    alice
        .create_bucket()
        .bucket("acl")
        .send()
        .await
        .expect("bucket");
    put(&alice, "acl", "doc", "secret").await;
    let err = bob
        .get_object()
        .bucket("acl")
        .key("doc")
        .send()
        .await
        .expect_err("private");
    assert_eq!(code(&err), ("AccessDenied".to_owned(), 403));
    assert_eq!(anonymous("acl/doc").await.expect("get").status(), 403);

    // A canned object ACL opens the object (and only it) to everyone.
    alice
        .put_object_acl()
        .bucket("acl")
        .key("doc")
        .acl(ObjectCannedAcl::PublicRead)
        .send()
        .await
        .expect("public-read");
    assert_eq!(anonymous("acl/doc").await.expect("get").status(), 200);
    bob.get_object()
        .bucket("acl")
        .key("doc")
        .send()
        .await
        .expect("bob reads");
    let acl = alice
        .get_object_acl()
        .bucket("acl")
        .key("doc")
        .send()
        .await
        .expect("object acl");
    assert_eq!(acl.owner().and_then(|o| o.id()), Some("u1"));
    assert!(acl.grants().iter().any(|g| {
        g.permission() == Some(&Permission::Read)
            && g.grantee().and_then(|e| e.uri())
                == Some("http://acs.amazonaws.com/groups/global/AllUsers")
    }));
    assert_eq!(
        anonymous("acl?list-type=2").await.expect("list").status(),
        403
    );

    // A bucket grant: bob may write into alice's bucket, and ECS's management ACL shows it.
    alice
        .put_bucket_acl()
        .bucket("acl")
        .grant_write("id=\"bob\"")
        .send()
        .await
        .expect("grant write");
    put(&bob, "acl", "from-bob", "hi").await;
    let acl = alice
        .get_bucket_acl()
        .bucket("acl")
        .send()
        .await
        .expect("bucket acl");
    assert!(acl.grants().iter().any(|g| {
        g.permission() == Some(&Permission::Write)
            && g.grantee().map(|e| (e.r#type(), e.id()))
                == Some((&Type::CanonicalUser, Some("bob")))
    }));
    let mgmt = env
        .call(Method::GET, "/object/bucket/acl/acl?namespace=ns1")
        .expect(200)
        .await;
    assert!(mgmt.to_string().contains("\"bob\""), "{mgmt}");
    let err = bob
        .get_bucket_acl()
        .bucket("acl")
        .send()
        .await
        .expect_err("no READ_ACP");
    assert_eq!(code(&err), ("AccessDenied".to_owned(), 403));

    // A bucket policy's Deny wins over an ACL grant.
    let deny = json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Principal": {"AWS": ["bob"]},
                       "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::acl/*"]}]
    });
    alice
        .put_bucket_policy()
        .bucket("acl")
        .policy(deny.to_string())
        .send()
        .await
        .expect("policy");
    let err = bob
        .get_object()
        .bucket("acl")
        .key("doc")
        .send()
        .await
        .expect_err("denied");
    assert_eq!(code(&err), ("AccessDenied".to_owned(), 403));
    assert_eq!(anonymous("acl/doc").await.expect("get").status(), 200);

    // Canned ACLs at creation and upload; bad ACLs are refused.
    alice
        .create_bucket()
        .bucket("open")
        .acl(BucketCannedAcl::PublicRead)
        .send()
        .await
        .expect("public bucket");
    assert_eq!(
        anonymous("open?list-type=2").await.expect("list").status(),
        200
    );
    alice
        .put_object()
        .bucket("open")
        .key("pub")
        .acl(ObjectCannedAcl::PublicRead)
        .body(ByteStream::from_static(b"p"))
        .send()
        .await
        .expect("put public");
    put(&alice, "open", "priv", "x").await;
    assert_eq!(anonymous("open/pub").await.expect("get").status(), 200);
    assert_eq!(anonymous("open/priv").await.expect("get").status(), 403);
    let err = alice
        .put_bucket_acl()
        .bucket("acl")
        .grant_read("id=\"nobody-here\"")
        .send()
        .await
        .expect_err("unknown user");
    assert_eq!(code(&err), ("InvalidArgument".to_owned(), 400));
    env.stop().await;
}

#[tokio::test]
async fn a_bucket_with_an_upload_in_progress_is_not_empty() {
    let (env, s3) = start(EcsVersion::V4_1).await;
    s3.create_bucket()
        .bucket("mpu")
        .send()
        .await
        .expect("bucket");
    let upload = s3
        .create_multipart_upload()
        .bucket("mpu")
        .key("big")
        .send()
        .await
        .expect("upload");
    let err = s3
        .delete_bucket()
        .bucket("mpu")
        .send()
        .await
        .expect_err("upload in progress");
    assert_eq!(code(&err), ("BucketNotEmpty".to_owned(), 409));
    assert!(
        err.as_service_error()
            .and_then(|e| e.message())
            .is_some_and(|m| m.contains("1 uploads in progress")),
        "{err:?}"
    );
    s3.abort_multipart_upload()
        .bucket("mpu")
        .key("big")
        .upload_id(upload.upload_id().expect("id"))
        .send()
        .await
        .expect("abort");
    s3.delete_bucket()
        .bucket("mpu")
        .send()
        .await
        .expect("now empty");
    env.stop().await;
}
