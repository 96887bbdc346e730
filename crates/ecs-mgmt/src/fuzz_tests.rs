//! Generated input for everything this crate parses from ECS: every response model in XML and
//! JSON, the error documents and their classification, and the loose scalars (times, numbers,
//! releases, roles, versioning states). Run by `cargo xtask fuzz` (see the `ecs-fuzz` crate).
//!
//! Documents come three ways: built from the models' own field names (so they reach deep into
//! the custom deserializers), mutated copies of real-shaped answers, and raw bytes.

use ecs_common::ErrorKind;
use ecs_fuzz::proptest::prelude::*;
use ecs_fuzz::proptest::sample::select;
use ecs_fuzz::{awkward_text, bytes, check, json_doc, mutated, scalar_text, xml_doc};

use crate::api::auth::{Role, WhoAmI};
use crate::api::buckets::{
    BucketAcl, BucketCreated, BucketInfo, BucketList, BucketLockDoc, BucketQuota,
    EmptyBucketStatus, VersioningDoc, VersioningStatus,
};
use crate::api::namespaces::{NamespaceInfo, NamespaceList};
use crate::api::nodes::{EcsRelease, NodeList};
use crate::api::object_users::{ObjectUserInfo, UserList};
use crate::api::replication_groups::GroupList;
use crate::api::secret_keys::{RawCreated, RawKeys};
use crate::error::{EcsErrorBody, Endpoint, from_response};
use crate::wire::{Format, de, decode};

/// Every element and key name the response models read, and the roots ECS wraps them in.
const VOCAB: &[&str] = &[
    "@href",
    "@rel",
    "Key",
    "NextMarker",
    "Status",
    "Tag",
    "TagSet",
    "Value",
    "acl",
    "allow_all_namespaces",
    "api_type",
    "auto_commit_period",
    "blobuser",
    "blockSize",
    "blockSizeInCount",
    "block_size",
    "bucket",
    "bucket_billing_info",
    "bucket_billing_infos",
    "bucket_info",
    "buckets",
    "code",
    "common_name",
    "compliance",
    "created",
    "creation_time",
    "customgroup",
    "customgroup_acl",
    "data_service_vpool",
    "data_service_vpools",
    "default_bucket_block_size",
    "default_data_services_vpool",
    "description",
    "details",
    "distinguished_name",
    "entries_deleted",
    "error",
    "failed_to_delete_due_to_other",
    "failed_to_delete_due_to_retention",
    "fs_access_enabled",
    "group",
    "group_acl",
    "href",
    "id",
    "inactive",
    "ip",
    "isAllowAllNamespaces",
    "isFullRep",
    "isLocked",
    "isLocal",
    "is_compliance_enabled",
    "is_empty_bucket_in_progress",
    "is_encryption_enabled",
    "is_object_lock_enabled",
    "is_replication_target",
    "is_stale_allowed",
    "is_tso_read_only",
    "key",
    "key_expiry_timestamp",
    "key_expiry_timestamp_1",
    "key_expiry_timestamp_2",
    "key_timestamp",
    "key_timestamp_1",
    "key_timestamp_2",
    "link",
    "locked",
    "message",
    "name",
    "namespace",
    "namespace_admins",
    "namespaces",
    "next_marker",
    "node",
    "nodeid",
    "nodename",
    "nodes",
    "notificationSize",
    "notificationSizeInCount",
    "notification_size",
    "object_bucket",
    "object_buckets",
    "owner",
    "permission",
    "rel",
    "retryable",
    "role",
    "roles",
    "sample_time",
    "secret_key",
    "secret_key_1",
    "secret_key_1_exist",
    "secret_key_1_id",
    "secret_key_2",
    "secret_key_2_exist",
    "secret_key_2_id",
    "secret_key_id",
    "status",
    "tag",
    "tags",
    "total_mpu_parts",
    "total_mpu_size",
    "total_objects",
    "total_size",
    "total_size_unit",
    "uptodate_till",
    "user",
    "user_acl",
    "user_secret_key",
    "user_secret_keys",
    "userid",
    "users",
    "value",
    "varrayMappings",
    "version",
    "versioning_status",
    "vpool",
    "vpool_id",
];

/// Answers shaped like ECS's (from the models' tests and the reference corpus), to mutate.
fn seeds() -> Vec<String> {
    [
        r#"{"common_name":"root","distinguished_name":"root","namespace":"","roles":["SYSTEM_ADMIN","SYSTEM_MONITOR"]}"#,
        "<user><common_name>root</common_name><namespace></namespace><roles>SYSTEM_ADMIN</roles><roles>SYSTEM_MONITOR</roles></user>",
        "<bucket_billing_info><namespace>ns1</namespace><name>b</name><sample_time>2017-02-13T11:55:45Z</sample_time><vpool_id>urn:rg</vpool_id><total_size>3</total_size><total_size_unit>KB</total_size_unit><total_objects>2</total_objects><TagSet/></bucket_billing_info>",
        r#"{"bucket_billing_infos":[{"namespace":"s3","name":"a","total_size":"107.0","total_size_unit":"BYTE","total_objects":6,"total_mpu_size":"0.0","total_mpu_parts":"0"}],"next_marker":"n"}"#,
        r#"{"namespace":"ns","total_size":"1.5","total_size_unit":"GB","total_objects":"3","bucket_billing_info":[{"name":"b","total_size":1}]}"#,
        "<namespaces><namespace><id>ns1</id><link rel=\"self\" href=\"/x\"/><name>ns1</name></namespace><namespace><id>ns2</id><name>ns2</name></namespace></namespaces>",
        r#"{"namespace":[{"id":"ns1","name":"ns1","link":{"rel":"self","href":"/x"}},{"id":"ns2","name":"ns2"}]}"#,
        r#"{"id":"ns","name":"ns","namespace_admins":"a, b","is_encryption_enabled":"true","default_bucket_block_size":-1}"#,
        r#"{"node":[{"nodename":"logan","ip":"10.0.0.1","nodeid":"2aee","version":"4.1.0.0.141552.bad1f62dd07","isLocal":true}]}"#,
        "<nodes><node><ip>10.0.0.1</ip><nodeid>2aee</nodeid><nodename>logan</nodename><version>4.1.0.0.141552.bad1f62dd07</version></node></nodes>",
        "<bucket_info><name>b1</name><id>ns1.b1</id><namespace>ns1</namespace><owner>u1</owner><vpool>urn:storageos:ReplicationDataService:rg1:global</vpool><created>2024-01-01T00:00:00.000Z</created><block_size>10</block_size><notification_size>-1</notification_size><is_encryption_enabled>true</is_encryption_enabled><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet><locked>false</locked></bucket_info>",
        r#"{"name":"b1","id":"ns1.b1","namespace":"ns1","block_size":"10.0","notification_size":-1,"created":"Mon Jan 01 00:00:00 UTC 2024","is_encryption_enabled":"false","TagSet":[{"Key":"k","Value":"v"}],"is_object_lock_enabled":true}"#,
        r#"{"object_bucket":[{"name":"a","namespace":"ns1"},{"name":"b","namespace":"ns1","block_size":5}],"NextMarker":"b"}"#,
        "<object_buckets><object_bucket><name>a</name></object_bucket><NextMarker>a</NextMarker></object_buckets>",
        r#"{"bucketname":"b","namespace":"ns1","blockSize":10,"notificationSize":8,"blockSizeInCount":-1}"#,
        r#"{"bucket":"b","namespace":"ns1","acl":{"user_acl":[{"user":"u","permission":["full_control"]}],"group_acl":[{"group":"public","permission":["read"]}]}}"#,
        r#"{"status":"IN_PROGRESS","entries_deleted":"12","failed_to_delete_due_to_retention":0,"message":"x"}"#,
        "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>",
        r#"{"isLocked":"true"}"#,
        r#"{"blobuser":[{"userid":"cs-1","namespace":"ns1"}],"Filter":"namespace=ns1","MaxUsers":1000,"NextMarker":"cs-1"}"#,
        r#"{"name":"cs-1","namespace":"ns1","locked":false,"created":"Thu Jan 01 00:00:00 GMT 2024","tags":[{"name":"k","value":"v"}]}"#,
        "<user_secret_keys><secret_key_1>s1</secret_key_1><key_timestamp_1>2024-01-01 00:00:00.000</key_timestamp_1><key_expiry_timestamp_1></key_expiry_timestamp_1><secret_key_1_exist>true</secret_key_1_exist><secret_key_2></secret_key_2><secret_key_2_exist>false</secret_key_2_exist></user_secret_keys>",
        r#"{"secret_key_1":"s1","key_timestamp_1":"2024-01-01 00:00:00.000","key_expiry_timestamp_1":"2024-01-01 01:00:00.000","secret_key_2":"s2","key_timestamp_2":"1704067200000","secret_key_2_exist":"true"}"#,
        r#"{"secret_key":"s","key_timestamp":"2024-01-01 00:00:00.000","key_expiry_timestamp":"","secret_key_id":"k1"}"#,
        r#"{"data_service_vpool":[{"id":"urn:storageos:ReplicationDataService:rg1:global","name":"rg1","isAllowAllNamespaces":true,"varrayMappings":[{"name":"v","value":"urn:v"}]}]}"#,
        "<data_service_vpools><data_service_vpool><id>urn:rg1</id><name>rg1</name><varrayMappings><name>v</name><value>urn:v</value></varrayMappings></data_service_vpool></data_service_vpools>",
        "<error><code>1004</code><description>The bucket already exists</description><details>b1</details><retryable>false</retryable></error>",
        r#"{"code":6000,"description":"Service unavailable","details":"x","retryable":true}"#,
    ]
    .into_iter()
    .map(str::to_owned)
    .collect()
}

/// A response body: built from the vocabulary, mutated from a seed, or raw bytes.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => xml_doc(VOCAB).prop_map(String::into_bytes),
        3 => json_doc(VOCAB).prop_map(String::into_bytes),
        3 => mutated(seeds()),
        1 => bytes(),
    ]
}

fn format() -> impl Strategy<Value = Format> {
    prop_oneof![Just(Format::Json), Just(Format::Xml)]
}

/// Decoding a document either fits the model or is a `Protocol` error: never a panic, and
/// never another kind.
fn decodes_or_protocol<T: serde::de::DeserializeOwned>(body: &[u8], format: Format) -> Option<T> {
    match decode::<T>(body, format) {
        Ok(value) => Some(value),
        Err(error) => {
            assert_eq!(error.kind(), ErrorKind::Protocol, "{error}");
            let _ = error.to_string();
            None
        }
    }
}

#[test]
fn fuzz_mgmt_bucket_documents() {
    check(
        "mgmt_bucket_documents",
        (body(), format()),
        |(body, format)| {
            decodes_or_protocol::<BucketInfo>(&body, format);
            decodes_or_protocol::<BucketCreated>(&body, format);
            if let Some(list) = decodes_or_protocol::<BucketList>(&body, format) {
                let _ = list.next_marker;
            }
            decodes_or_protocol::<BucketQuota>(&body, format);
            decodes_or_protocol::<BucketAcl>(&body, format);
            if let Some(status) = decodes_or_protocol::<EmptyBucketStatus>(&body, format) {
                let _ = status.is_finished();
            }
            if let Some(doc) = decodes_or_protocol::<VersioningDoc>(&body, format) {
                let _ = VersioningStatus::parse(doc.status.as_deref());
            }
            decodes_or_protocol::<BucketLockDoc>(&body, format);
        },
    );
}

#[test]
fn fuzz_mgmt_user_and_key_documents() {
    check(
        "mgmt_user_and_key_documents",
        (body(), format()),
        |(body, format)| {
            decodes_or_protocol::<UserList>(&body, format);
            decodes_or_protocol::<ObjectUserInfo>(&body, format);
            let _ = crate::api::object_users::decode_for_fuzz(&body, format);
            if let Some(keys) = decodes_or_protocol::<RawKeys>(&body, format) {
                let keys = keys.into_keys();
                let _ = keys.current();
                assert!(keys.keys().count() <= 2);
            }
            if let Some(created) = decodes_or_protocol::<RawCreated>(&body, format) {
                let _ = created.key_timestamp;
            }
        },
    );
}

#[test]
fn fuzz_mgmt_namespace_node_group_documents() {
    check(
        "mgmt_namespace_node_group_documents",
        (body(), format()),
        |(body, format)| {
            decodes_or_protocol::<NamespaceInfo>(&body, format);
            decodes_or_protocol::<NamespaceList>(&body, format);
            if let Some(nodes) = decodes_or_protocol::<NodeList>(&body, format) {
                for node in &nodes.node {
                    let _ = node.release();
                }
            }
            decodes_or_protocol::<GroupList>(&body, format);
            decodes_or_protocol::<WhoAmI>(&body, format);
            for billing in crate::api::billing::decode_for_fuzz(&body, format) {
                if let Err(error) = billing {
                    assert_eq!(error.kind(), ErrorKind::Protocol, "{error}");
                }
            }
        },
    );
}

/// Error documents as ECS, a proxy or a load balancer may send them.
fn error_body() -> impl Strategy<Value = Vec<u8>> {
    const ERROR_VOCAB: &[&str] = &["error", "code", "description", "details", "retryable"];
    prop_oneof![
        3 => xml_doc(ERROR_VOCAB).prop_map(String::into_bytes),
        3 => json_doc(ERROR_VOCAB).prop_map(String::into_bytes),
        3 => mutated(seeds()),
        1 => select(&[
            "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
            "<!DOCTYPE html><html><body><h1>503 Service Unavailable</h1></body></html>",
            "Service Unavailable",
            "",
            "   ",
            "null",
            "{}",
            "<error/>",
            "<error><code>",
            "{\"code\":",
        ][..]).prop_map(|text| text.as_bytes().to_vec()),
        1 => bytes(),
    ]
}

#[test]
fn fuzz_mgmt_error_documents() {
    let content_type = prop_oneof![
        Just(None),
        select(
            &[
                "application/json",
                "application/xml",
                "text/html; charset=utf-8",
                "text/plain",
                "application/json; charset=UTF-8",
                "",
                "jsonxml",
            ][..]
        )
        .prop_map(Some),
    ];
    let endpoint = select(
        &[
            Endpoint::Login,
            Endpoint::Relogin,
            Endpoint::BucketDelete,
            Endpoint::Other,
        ][..],
    );
    let status = prop_oneof![
        select(&[400u16, 401, 403, 404, 405, 409, 429, 500, 502, 503, 504][..]),
        any::<u16>(),
    ];
    check(
        "mgmt_error_documents",
        (error_body(), content_type, endpoint, status),
        |(body, content_type, endpoint, status)| {
            let parsed = EcsErrorBody::parse(&body, content_type);
            if let Some(parsed) = &parsed {
                assert!(parsed.code.is_some() || parsed.description.is_some());
            }
            let retry_code = parsed.as_ref().and_then(|p| p.code) == Some(6000);
            let error = from_response(status, parsed, endpoint, "fuzzed call");
            assert!(ErrorKind::ALL.contains(&error.kind()));
            assert_eq!(error.status(), Some(status));
            if retry_code || matches!(status, 429 | 503) {
                assert!(error.is_retryable(), "{error}");
            }
            let _ = (error.to_string(), format!("{error:?}"));
        },
    );
}

#[test]
fn fuzz_mgmt_scalars() {
    let text = prop_oneof![
        3 => scalar_text(),
        1 => awkward_text(),
        2 => ecs_fuzz::text_from(&["3", "4", ".", "1", "0", "-", " ", "2024", "T", "Z", ":",
            "+", "GMT", "UTC", "Mon", "Jan", "SYSTEM_ADMIN", "_", "enabled", "Suspended"]),
    ];
    check("mgmt_scalars", text, |text| {
        let _ = crate::time_format::parse(&text);
        let _ = de::parse_i64(&text);
        if let Some(release) = EcsRelease::parse(&text) {
            assert_eq!(EcsRelease::parse(&release.to_string()), Some(release));
        }
        let role = Role::parse(&text);
        let _ = format!("{role:?}");
        match VersioningStatus::parse(Some(&text)) {
            Ok(status) => {
                let again = VersioningStatus::parse(Some(status.wire())).expect("round trip");
                assert_eq!(again, status);
            }
            Err(error) => assert_eq!(error.kind(), ErrorKind::Protocol),
        }
    });
}
