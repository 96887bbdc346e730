//! Pure request builders for the bucket calls: method, encoded path and query, and the body in
//! the chosen format. Nothing here does IO.

use ecs_common::{Error, Result};
use http::Method;
use serde::Serialize;

use super::model::{BucketAcl, BucketCreate, BucketQuota, BucketTag, VersioningStatus};
use crate::error::Endpoint;
use crate::request::{ApiRequest, Path, require};
use crate::wire::{Format, Listed};

#[derive(Serialize)]
struct CreateBody<'a> {
    name: &'a str,
    namespace: &'a str,
    head_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vpool: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filesystem_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_encryption_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_stale_allowed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_tso_read_only: Option<bool>,
    #[serde(rename = "blockSize", skip_serializing_if = "Option::is_none")]
    block_size: Option<u64>,
    #[serde(rename = "notificationSize", skip_serializing_if = "Option::is_none")]
    notification_size: Option<u64>,
    #[serde(rename = "blockSizeInCount", skip_serializing_if = "Option::is_none")]
    block_size_in_count: Option<u64>,
    #[serde(
        rename = "notificationSizeInCount",
        skip_serializing_if = "Option::is_none"
    )]
    notification_size_in_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retention: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_object_lock_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_object_lock_with_ado_allowed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    autocommit_period: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_group: Option<&'a str>,
    #[serde(rename = "TagSet", skip_serializing_if = "Option::is_none")]
    tags: Option<Listed<'a, BucketTag>>,
}

#[derive(Serialize)]
struct QuotaBody<'a> {
    #[serde(rename = "blockSize")]
    block_size: i64,
    #[serde(rename = "notificationSize")]
    notification_size: i64,
    namespace: &'a str,
}

#[derive(Serialize)]
struct VersioningBody {
    #[serde(rename = "Status")]
    status: &'static str,
}

#[derive(Serialize)]
struct OwnerBody<'a> {
    namespace: &'a str,
    new_owner: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    reset_previous_owners: bool,
}

#[derive(Serialize)]
struct TagsBody<'a> {
    #[serde(rename = "TagSet")]
    tags: Listed<'a, BucketTag>,
    namespace: &'a str,
}

#[derive(Serialize)]
struct RetentionBody<'a> {
    namespace: &'a str,
    period: i64,
}

#[derive(Serialize)]
struct StaleBody<'a> {
    namespace: &'a str,
    is_stale_allowed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_tso_read_only: Option<bool>,
}

#[derive(Serialize)]
struct NamespaceBody<'a> {
    namespace: &'a str,
}

fn bucket_path(name: &str) -> Result<Path> {
    require(name, "bucket name")?;
    Ok(Path::new("object/bucket").seg(name))
}

fn validate_quota(block: Option<u64>, notification: Option<u64>) -> Result<()> {
    if block == Some(0) || notification == Some(0) {
        return Err(Error::invalid_input("a bucket quota must be at least 1 GB"));
    }
    if let (Some(block), Some(notification)) = (block, notification)
        && notification > block
    {
        return Err(Error::invalid_input(format!(
            "the soft quota ({notification} GB) must not exceed the hard quota ({block} GB)"
        )));
    }
    Ok(())
}

/// `POST /object/bucket` (root `object_bucket_create`).
pub(crate) fn create_request(create: &BucketCreate, format: Format) -> Result<ApiRequest> {
    require(&create.name, "bucket name")?;
    require(&create.namespace, "namespace")?;
    validate_quota(create.block_size_gb, create.notification_size_gb)?;
    if create.tags.len() > 10 {
        return Err(Error::invalid_input("a bucket takes at most 10 tags"));
    }
    let body = CreateBody {
        name: &create.name,
        namespace: &create.namespace,
        head_type: create.head_type.as_deref().unwrap_or("s3"),
        owner: create.owner.as_deref(),
        vpool: create.vpool.as_deref(),
        filesystem_enabled: create.filesystem_enabled,
        is_encryption_enabled: create.encryption,
        is_stale_allowed: create.stale_allowed,
        is_tso_read_only: create.tso_read_only,
        block_size: create.block_size_gb,
        notification_size: create.notification_size_gb,
        block_size_in_count: create.block_size_in_count,
        notification_size_in_count: create.notification_size_in_count,
        retention: create.retention_seconds,
        is_object_lock_enabled: create.object_lock,
        is_object_lock_with_ado_allowed: create.object_lock_with_ado_allowed,
        autocommit_period: create.auto_commit_period,
        default_group: create.default_group.as_deref(),
        tags: (!create.tags.is_empty()).then_some(Listed {
            items: &create.tags,
            item: "Tag",
            format,
        }),
    };
    ApiRequest::new(
        Method::POST,
        Path::new("object/bucket"),
        format,
        "create bucket",
    )
    .body(&body, "object_bucket_create", format)
}

/// `GET /object/bucket/{name}/info?namespace=`.
pub(crate) fn info_request(name: &str, namespace: &str, format: Format) -> Result<ApiRequest> {
    Ok(
        ApiRequest::get(bucket_path(name)?.lit("info"), format, "bucket info")
            .query("namespace", namespace),
    )
}

/// `GET /object/bucket?namespace=&marker=`.
pub(crate) fn list_request(
    namespace: &str,
    marker: Option<&str>,
    format: Format,
) -> Result<ApiRequest> {
    require(namespace, "namespace")?;
    Ok(
        ApiRequest::get(Path::new("object/bucket"), format, "list buckets")
            .query("namespace", namespace)
            .query_opt("marker", marker),
    )
}

/// `POST /object/bucket/{name}/deactivate?namespace=[&emptyBucket=true]`; repeating it is harmless.
pub(crate) fn delete_request(
    name: &str,
    namespace: &str,
    empty: bool,
    format: Format,
) -> Result<ApiRequest> {
    let path = bucket_path(name)?.lit("deactivate");
    let mut request = ApiRequest::new(Method::POST, path, format, "delete bucket")
        .query("namespace", namespace)
        .query_opt("emptyBucket", empty.then_some("true"))
        .idempotent(true);
    request.endpoint = Endpoint::BucketDelete;
    Ok(request)
}

/// `GET /object/bucket/{name}/empty-bucket-status?namespace=`.
pub(crate) fn empty_status_request(
    name: &str,
    namespace: &str,
    format: Format,
) -> Result<ApiRequest> {
    Ok(ApiRequest::get(
        bucket_path(name)?.lit("empty-bucket-status"),
        format,
        "empty bucket status",
    )
    .query("namespace", namespace))
}

/// `GET`/`DELETE /object/bucket/{name}/quota?namespace=`.
pub(crate) fn quota_request(
    method: Method,
    name: &str,
    namespace: &str,
    format: Format,
) -> Result<ApiRequest> {
    let operation = if method == Method::DELETE {
        "delete bucket quota"
    } else {
        "bucket quota"
    };
    Ok(
        ApiRequest::new(method, bucket_path(name)?.lit("quota"), format, operation)
            .query("namespace", namespace),
    )
}

/// `PUT /object/bucket/{name}/quota` (root `bucket_quota_param`; -1 means "not set").
pub(crate) fn set_quota_request(
    name: &str,
    namespace: &str,
    quota: &BucketQuota,
    format: Format,
) -> Result<ApiRequest> {
    if quota.block_size_gb.is_none() && quota.notification_size_gb.is_none() {
        return Err(Error::invalid_input(
            "set at least one quota limit, or delete the quota",
        ));
    }
    validate_quota(quota.block_size_gb, quota.notification_size_gb)?;
    let wire = |gb: Option<u64>| gb.map_or(-1, |gb| i64::try_from(gb).unwrap_or(i64::MAX));
    let body = QuotaBody {
        block_size: wire(quota.block_size_gb),
        notification_size: wire(quota.notification_size_gb),
        namespace,
    };
    ApiRequest::new(
        Method::PUT,
        bucket_path(name)?.lit("quota"),
        format,
        "set bucket quota",
    )
    .query("namespace", namespace)
    .body(&body, "bucket_quota_param", format)
}

/// `GET`/`DELETE /object/bucket/{name}/policy?namespace=`; policies are JSON in both formats.
pub(crate) fn policy_request(method: Method, name: &str, namespace: &str) -> Result<ApiRequest> {
    let operation = if method == Method::DELETE {
        "delete bucket policy"
    } else {
        "bucket policy"
    };
    Ok(ApiRequest::new(
        method,
        bucket_path(name)?.lit("policy"),
        Format::Json,
        operation,
    )
    .query("namespace", namespace))
}

/// `PUT /object/bucket/{name}/policy?namespace=` with the policy JSON, checked locally first.
pub(crate) fn set_policy_request(name: &str, namespace: &str, policy: &str) -> Result<ApiRequest> {
    let parsed: serde_json::Value = serde_json::from_str(policy)
        .map_err(|err| Error::invalid_input(format!("the bucket policy is not JSON: {err}")))?;
    if parsed.get("Statement").is_none() {
        return Err(Error::invalid_input(
            "the bucket policy has no Statement (delete the policy instead)",
        ));
    }
    Ok(ApiRequest::new(
        Method::PUT,
        bucket_path(name)?.lit("policy"),
        Format::Json,
        "set bucket policy",
    )
    .query("namespace", namespace)
    .json_text(policy))
}

/// `GET /object/bucket/{name}/versioning?namespace=`.
pub(crate) fn versioning_request(
    name: &str,
    namespace: &str,
    format: Format,
) -> Result<ApiRequest> {
    Ok(ApiRequest::get(
        bucket_path(name)?.lit("versioning"),
        format,
        "bucket versioning",
    )
    .query("namespace", namespace))
}

/// `PUT /object/bucket/{name}/versioning?namespace=` (`{"Status": ..}`).
pub(crate) fn set_versioning_request(
    name: &str,
    namespace: &str,
    status: VersioningStatus,
    format: Format,
) -> Result<ApiRequest> {
    if status == VersioningStatus::Unversioned {
        return Err(Error::invalid_input(
            "versioning can be enabled or suspended, never removed",
        ));
    }
    ApiRequest::new(
        Method::PUT,
        bucket_path(name)?.lit("versioning"),
        format,
        "set bucket versioning",
    )
    .query("namespace", namespace)
    .body(
        &VersioningBody {
            status: status.wire(),
        },
        "VersioningConfiguration",
        format,
    )
}

/// `POST /object/bucket/{name}/owner` (root `object_bucket_update_owner`).
pub(crate) fn owner_request(
    name: &str,
    namespace: &str,
    owner: &str,
    reset: bool,
    format: Format,
) -> Result<ApiRequest> {
    require(owner, "new owner")?;
    ApiRequest::new(
        Method::POST,
        bucket_path(name)?.lit("owner"),
        format,
        "set bucket owner",
    )
    .idempotent(true)
    .body(
        &OwnerBody {
            namespace,
            new_owner: owner,
            reset_previous_owners: reset,
        },
        "object_bucket_update_owner",
        format,
    )
}

/// `GET /object/bucket/{name}/acl?namespace=`.
pub(crate) fn acl_request(name: &str, namespace: &str, format: Format) -> Result<ApiRequest> {
    Ok(
        ApiRequest::get(bucket_path(name)?.lit("acl"), format, "bucket acl")
            .query("namespace", namespace),
    )
}

/// `PUT /object/bucket/{name}/acl` (root `bucket_acl`).
pub(crate) fn set_acl_request(acl: &BucketAcl, format: Format) -> Result<ApiRequest> {
    require(&acl.namespace, "namespace")?;
    ApiRequest::new(
        Method::PUT,
        bucket_path(&acl.bucket)?.lit("acl"),
        format,
        "set bucket acl",
    )
    .body(acl, "bucket_acl", format)
}

/// `POST` (add), `PUT` (update values) or `DELETE` (remove) `/object/bucket/{name}/tags`.
pub(crate) fn tags_request(
    method: Method,
    name: &str,
    namespace: &str,
    tags: &[BucketTag],
    format: Format,
) -> Result<ApiRequest> {
    let (operation, root) = match method {
        Method::POST => ("add bucket tags", "add_bucket_tags"),
        Method::PUT => ("update bucket tags", "update_bucket_tags"),
        _ => ("remove bucket tags", "delete_bucket_tags"),
    };
    require(namespace, "namespace")?;
    ApiRequest::new(method, bucket_path(name)?.lit("tags"), format, operation).body(
        &TagsBody {
            tags: Listed {
                items: tags,
                item: "Tag",
                format,
            },
            namespace,
        },
        root,
        format,
    )
}

/// `GET /object/bucket/{name}/lock?namespace=`.
pub(crate) fn lock_request(name: &str, namespace: &str, format: Format) -> Result<ApiRequest> {
    Ok(
        ApiRequest::get(bucket_path(name)?.lit("lock"), format, "bucket lock")
            .query("namespace", namespace),
    )
}

/// `PUT /object/bucket/{name}/lock/{true|false}` (root `set_bucket_lock`).
pub(crate) fn set_lock_request(
    name: &str,
    namespace: &str,
    locked: bool,
    format: Format,
) -> Result<ApiRequest> {
    let path = bucket_path(name)?
        .lit("lock")
        .lit(if locked { "true" } else { "false" });
    ApiRequest::new(Method::PUT, path, format, "set bucket lock").body(
        &NamespaceBody { namespace },
        "set_bucket_lock",
        format,
    )
}

/// `GET /object/bucket/{name}/retention?namespace=`.
pub(crate) fn retention_request(name: &str, namespace: &str, format: Format) -> Result<ApiRequest> {
    Ok(ApiRequest::get(
        bucket_path(name)?.lit("retention"),
        format,
        "bucket retention",
    )
    .query("namespace", namespace))
}

/// `PUT /object/bucket/{name}/retention` (root `default_bucket_retention_update`; 0 = none).
pub(crate) fn set_retention_request(
    name: &str,
    namespace: &str,
    seconds: Option<u64>,
    format: Format,
) -> Result<ApiRequest> {
    require(namespace, "namespace")?;
    let period = seconds.map_or(0, |s| i64::try_from(s).unwrap_or(i64::MAX));
    ApiRequest::new(
        Method::PUT,
        bucket_path(name)?.lit("retention"),
        format,
        "set bucket retention",
    )
    .body(
        &RetentionBody { namespace, period },
        "default_bucket_retention_update",
        format,
    )
}

/// `POST /object/bucket/{name}/isstaleallowed` (root `object_bucket_update_is_stale_allowed`);
/// setting a flag twice is harmless.
pub(crate) fn stale_allowed_request(
    name: &str,
    namespace: &str,
    stale_allowed: bool,
    tso_read_only: Option<bool>,
    format: Format,
) -> Result<ApiRequest> {
    require(namespace, "namespace")?;
    ApiRequest::new(
        Method::POST,
        bucket_path(name)?.lit("isstaleallowed"),
        format,
        "set bucket access during outage",
    )
    .idempotent(true)
    .body(
        &StaleBody {
            namespace,
            is_stale_allowed: stale_allowed,
            is_tso_read_only: tso_read_only,
        },
        "object_bucket_update_is_stale_allowed",
        format,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::buckets::{Acl, UserGrant};
    use crate::wire::decode;
    use ecs_common::ErrorKind;

    #[test]
    fn create_sends_every_option_with_ecs_names() {
        let create = BucketCreate {
            owner: Some("cs-1".into()),
            vpool: Some("urn:rg1".into()),
            encryption: Some(true),
            block_size_gb: Some(10),
            notification_size_gb: Some(8),
            object_lock: Some(false),
            tags: vec![BucketTag::new("k", "v")],
            ..BucketCreate::new("b&1", "ns1")
        };
        let xml = create_request(&create, Format::Xml).unwrap();
        assert_eq!(
            (xml.method.clone(), xml.path_and_query()),
            (Method::POST, "/object/bucket".to_owned())
        );
        assert_eq!(
            xml.body_text(),
            "<object_bucket_create><name>b&amp;1</name><namespace>ns1</namespace><head_type>s3</head_type>\
             <owner>cs-1</owner><vpool>urn:rg1</vpool><is_encryption_enabled>true</is_encryption_enabled>\
             <blockSize>10</blockSize><notificationSize>8</notificationSize>\
             <is_object_lock_enabled>false</is_object_lock_enabled>\
             <TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></object_bucket_create>"
        );
        let json = create_request(&create, Format::Json).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&json.body.unwrap().0).unwrap();
        assert_eq!(value["blockSize"], 10);
        assert_eq!(value["TagSet"][0]["Key"], "k");
        assert!(value.get("retention").is_none());
    }

    #[test]
    fn create_rejects_bad_quotas_and_names_locally() {
        let bad = BucketCreate {
            block_size_gb: Some(1),
            notification_size_gb: Some(2),
            ..BucketCreate::new("b", "ns")
        };
        assert_eq!(
            create_request(&bad, Format::Json).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert!(create_request(&BucketCreate::new("", "ns"), Format::Json).is_err());
        assert!(create_request(&BucketCreate::new("b", ""), Format::Json).is_err());
    }

    #[test]
    fn reads_carry_the_namespace_query() {
        assert_eq!(
            info_request("b 1", "ns", Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/bucket/b%201/info?namespace=ns"
        );
        assert_eq!(
            list_request("ns", Some("m"), Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/bucket?namespace=ns&marker=m"
        );
        assert_eq!(
            quota_request(Method::GET, "b", "ns", Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/bucket/b/quota?namespace=ns"
        );
        assert_eq!(
            acl_request("b", "ns", Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/bucket/b/acl?namespace=ns"
        );
        assert_eq!(
            lock_request("b", "ns", Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/bucket/b/lock?namespace=ns"
        );
        assert_eq!(
            empty_status_request("b", "ns", Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/bucket/b/empty-bucket-status?namespace=ns"
        );
    }

    #[test]
    fn delete_is_a_repeatable_post_with_optional_empty_bucket() {
        let plain = delete_request("b", "ns", false, Format::Json).unwrap();
        assert_eq!(
            (plain.method.clone(), plain.path_and_query()),
            (
                Method::POST,
                "/object/bucket/b/deactivate?namespace=ns".to_owned()
            )
        );
        assert!(plain.idempotent && plain.body.is_none());
        assert_eq!(
            delete_request("b", "ns", true, Format::Json)
                .unwrap()
                .path_and_query(),
            "/object/bucket/b/deactivate?namespace=ns&emptyBucket=true"
        );
    }

    #[test]
    fn quota_policy_versioning_owner_lock_and_tag_bodies() {
        let quota = set_quota_request("b", "ns", &BucketQuota::new(Some(10), Some(8)), Format::Xml)
            .unwrap();
        assert_eq!(
            quota.body_text(),
            "<bucket_quota_param><blockSize>10</blockSize><notificationSize>8</notificationSize><namespace>ns</namespace></bucket_quota_param>"
        );
        let hard_only =
            set_quota_request("b", "ns", &BucketQuota::new(Some(5), None), Format::Json).unwrap();
        assert_eq!(
            hard_only.body_text(),
            r#"{"blockSize":5,"notificationSize":-1,"namespace":"ns"}"#
        );
        assert!(set_quota_request("b", "ns", &BucketQuota::default(), Format::Json).is_err());

        let policy = set_policy_request("b", "ns", r#"{"Statement":[]}"#).unwrap();
        assert_eq!(policy.body.as_ref().unwrap().1, "application/json");
        assert_eq!(
            set_policy_request("b", "ns", "{}").unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            set_policy_request("b", "ns", "nope").unwrap_err().kind(),
            ErrorKind::InvalidInput
        );

        let versioning =
            set_versioning_request("b", "ns", VersioningStatus::Enabled, Format::Xml).unwrap();
        assert_eq!(
            versioning.body_text(),
            "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>"
        );
        assert!(
            set_versioning_request("b", "ns", VersioningStatus::Unversioned, Format::Xml).is_err()
        );

        let owner = owner_request("b", "ns", "u2", false, Format::Json).unwrap();
        assert_eq!(owner.body_text(), r#"{"namespace":"ns","new_owner":"u2"}"#);

        let lock = set_lock_request("b", "ns", true, Format::Xml).unwrap();
        assert_eq!(lock.path_and_query(), "/object/bucket/b/lock/true");
        assert_eq!(
            lock.body_text(),
            "<set_bucket_lock><namespace>ns</namespace></set_bucket_lock>"
        );

        let tags = tags_request(
            Method::DELETE,
            "b",
            "ns",
            &[BucketTag::new("k", "v")],
            Format::Xml,
        )
        .unwrap();
        assert_eq!(
            tags.body_text(),
            "<delete_bucket_tags><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet><namespace>ns</namespace></delete_bucket_tags>"
        );
    }

    #[test]
    fn retention_and_stale_bodies() {
        let get = retention_request("b", "ns", Format::Xml).unwrap();
        assert_eq!(
            get.path_and_query(),
            "/object/bucket/b/retention?namespace=ns"
        );
        let set = set_retention_request("b", "ns", Some(2_592_000), Format::Xml).unwrap();
        assert_eq!(
            (set.method.clone(), set.body_text()),
            (
                Method::PUT,
                "<default_bucket_retention_update><namespace>ns</namespace><period>2592000</period></default_bucket_retention_update>".to_owned()
            )
        );
        let none = set_retention_request("b", "ns", None, Format::Json).unwrap();
        assert_eq!(none.body_text(), r#"{"namespace":"ns","period":0}"#);
        let stale = stale_allowed_request("b", "ns", true, None, Format::Xml).unwrap();
        assert_eq!(stale.path_and_query(), "/object/bucket/b/isstaleallowed");
        assert!(stale.idempotent);
        assert_eq!(
            stale.body_text(),
            "<object_bucket_update_is_stale_allowed><namespace>ns</namespace><is_stale_allowed>true</is_stale_allowed></object_bucket_update_is_stale_allowed>"
        );
    }

    #[test]
    fn acl_round_trips_in_both_formats() {
        let acl = BucketAcl::new(
            "b",
            "ns",
            Acl::with_users(vec![UserGrant {
                user: "root".into(),
                permission: vec!["full_control".into()],
            }]),
        );
        for format in [Format::Xml, Format::Json] {
            let request = set_acl_request(&acl, format).unwrap();
            let decoded: BucketAcl = decode(&request.body.unwrap().0, format).unwrap();
            assert_eq!(decoded, acl, "{format:?}");
        }
    }
}
