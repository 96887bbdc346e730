//! Pure request builders for the namespace calls: method, encoded path and query, and the body
//! in the chosen format. Nothing here does IO.

use ecs_common::{Error, Result};
use http::Method;
use serde::Serialize;

use super::model::{
    MappingAttribute, NamespaceCreate, NamespaceQuota, NamespaceUpdate, RetentionPeriod,
    UserMapping,
};
use crate::request::{ApiRequest, Path, require};
use crate::wire::{Format, Listed};

/// A user mapping on the wire: XML wraps attributes and groups, JSON lists them bare.
#[derive(Serialize)]
struct MappingBody<'a> {
    domain: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    attributes: Option<Listed<'a, MappingAttribute>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<Listed<'a, String>>,
}

fn mappings(mappings: &[UserMapping], format: Format) -> Vec<MappingBody<'_>> {
    mappings
        .iter()
        .map(|mapping| MappingBody {
            domain: &mapping.domain,
            attributes: (!mapping.attributes.is_empty()).then_some(Listed {
                items: &mapping.attributes,
                item: "attribute",
                format,
            }),
            groups: (!mapping.groups.is_empty()).then_some(Listed {
                items: &mapping.groups,
                item: "group",
                format,
            }),
        })
        .collect()
}

#[derive(Serialize)]
struct CreateBody<'a> {
    namespace: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_data_services_vpool: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    allowed_vpools_list: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    disallowed_vpools_list: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace_admins: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_group_admins: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    user_mapping: Vec<MappingBody<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_encryption_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_stale_allowed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    compliance_enabled: Option<bool>,
    /// Always sent (`-1` = none), as Dell's broker does.
    default_bucket_block_size: i64,
}

#[derive(Serialize)]
struct UpdateBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    default_data_services_vpool: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    vpools_added_to_allowed_vpools_list: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    vpools_added_to_disallowed_vpools_list: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    vpools_removed_from_allowed_vpools_list: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    vpools_removed_from_disallowed_vpools_list: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace_admins: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_mapping: Option<Vec<MappingBody<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_bucket_block_size: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_group_admins: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_encryption_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_stale_allowed: Option<bool>,
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
struct RetentionCreateBody<'a> {
    name: &'a str,
    period: i64,
}

#[derive(Serialize)]
struct RetentionUpdateBody {
    period: i64,
}

fn gb(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// ECS's naming rule for namespaces (Administration Guide, "Bucket, object, and namespace
/// naming conventions"): 1 to 255 characters of `[a-zA-Z0-9-_]`.
pub(crate) fn check_name(name: &str) -> Result<()> {
    require(name, "namespace")?;
    let valid = name.len() <= 255
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(())
    } else {
        Err(Error::invalid_input(format!(
            "invalid namespace name {name:?}: use 1 to 255 letters, digits, '-' or '_'"
        )))
    }
}

fn joined(names: &[String]) -> String {
    names.join(",")
}

pub(crate) fn namespace_path(namespace: &str) -> Result<Path> {
    require(namespace, "namespace")?;
    Ok(Path::new("object/namespaces/namespace").seg(namespace))
}

/// `GET /object/namespaces?marker=`.
pub(crate) fn list_request(marker: Option<&str>, format: Format) -> ApiRequest {
    ApiRequest::get(Path::new("object/namespaces"), format, "list namespaces")
        .query_opt("marker", marker)
}

/// `GET /object/namespaces/namespace/{ns}`.
pub(crate) fn info_request(namespace: &str, format: Format) -> Result<ApiRequest> {
    Ok(ApiRequest::get(
        namespace_path(namespace)?,
        format,
        "namespace info",
    ))
}

/// `POST /object/namespaces/namespace` (root `namespace_create`).
pub(crate) fn create_request(create: &NamespaceCreate, format: Format) -> Result<ApiRequest> {
    check_name(&create.name)?;
    let body = CreateBody {
        namespace: &create.name,
        default_data_services_vpool: create.default_replication_group.as_deref(),
        allowed_vpools_list: &create.allowed_replication_groups,
        disallowed_vpools_list: &create.disallowed_replication_groups,
        namespace_admins: (!create.admins.is_empty()).then(|| joined(&create.admins)),
        external_group_admins: (!create.external_group_admins.is_empty())
            .then(|| joined(&create.external_group_admins)),
        user_mapping: mappings(&create.user_mappings, format),
        is_encryption_enabled: create.encryption,
        is_stale_allowed: create.stale_allowed,
        compliance_enabled: create.compliance,
        default_bucket_block_size: create.default_bucket_block_size_gb.map_or(-1, gb),
    };
    ApiRequest::new(
        Method::POST,
        Path::new("object/namespaces/namespace"),
        format,
        "create namespace",
    )
    .body(&body, "namespace_create", format)
}

/// `PUT /object/namespaces/namespace/{ns}` (root `namespace_update`).
pub(crate) fn update_request(
    namespace: &str,
    update: &NamespaceUpdate,
    format: Format,
) -> Result<ApiRequest> {
    if update.is_empty() {
        return Err(Error::invalid_input("the namespace update changes nothing"));
    }
    if update.default_bucket_block_size_gb == Some(Some(0)) {
        return Err(Error::invalid_input(
            "a default bucket quota must be at least 1 GB",
        ));
    }
    let body = UpdateBody {
        default_data_services_vpool: update.default_replication_group.as_deref(),
        vpools_added_to_allowed_vpools_list: &update.add_allowed_replication_groups,
        vpools_added_to_disallowed_vpools_list: &update.add_disallowed_replication_groups,
        vpools_removed_from_allowed_vpools_list: &update.remove_allowed_replication_groups,
        vpools_removed_from_disallowed_vpools_list: &update.remove_disallowed_replication_groups,
        namespace_admins: update.admins.as_deref().map(joined),
        user_mapping: update
            .user_mappings
            .as_deref()
            .map(|list| mappings(list, format)),
        default_bucket_block_size: update
            .default_bucket_block_size_gb
            .map(|size| size.map_or(-1, gb)),
        external_group_admins: update.external_group_admins.as_deref().map(joined),
        is_encryption_enabled: update.encryption,
        is_stale_allowed: update.stale_allowed,
    };
    ApiRequest::new(
        Method::PUT,
        namespace_path(namespace)?,
        format,
        "update namespace",
    )
    .body(&body, "namespace_update", format)
}

/// `POST /object/namespaces/namespace/{ns}/deactivate` (no body).
pub(crate) fn delete_request(namespace: &str, format: Format) -> Result<ApiRequest> {
    Ok(ApiRequest::new(
        Method::POST,
        namespace_path(namespace)?.lit("deactivate"),
        format,
        "delete namespace",
    ))
}

/// `GET`/`DELETE /object/namespaces/namespace/{ns}/quota`.
pub(crate) fn quota_request(method: Method, namespace: &str, format: Format) -> Result<ApiRequest> {
    let operation = if method == Method::DELETE {
        "delete namespace quota"
    } else {
        "namespace quota"
    };
    Ok(ApiRequest::new(
        method,
        namespace_path(namespace)?.lit("quota"),
        format,
        operation,
    ))
}

/// `PUT /object/namespaces/namespace/{ns}/quota` (root `namespace_quota_details`; -1 = not set).
pub(crate) fn set_quota_request(
    namespace: &str,
    quota: &NamespaceQuota,
    format: Format,
) -> Result<ApiRequest> {
    if !quota.is_set() {
        return Err(Error::invalid_input(
            "set at least one quota limit, or delete the quota",
        ));
    }
    if quota.block_size_gb == Some(0) || quota.notification_size_gb == Some(0) {
        return Err(Error::invalid_input(
            "a namespace quota must be at least 1 GB",
        ));
    }
    if let (Some(block), Some(notification)) = (quota.block_size_gb, quota.notification_size_gb)
        && notification > block
    {
        return Err(Error::invalid_input(format!(
            "the soft quota ({notification} GB) must not exceed the hard quota ({block} GB)"
        )));
    }
    let body = QuotaBody {
        block_size: quota.block_size_gb.map_or(-1, gb),
        notification_size: quota.notification_size_gb.map_or(-1, gb),
        namespace,
    };
    ApiRequest::new(
        Method::PUT,
        namespace_path(namespace)?.lit("quota"),
        format,
        "set namespace quota",
    )
    .body(&body, "namespace_quota_details", format)
}

/// `GET /object/namespaces/namespace/{ns}/retention`.
pub(crate) fn retention_list_request(namespace: &str, format: Format) -> Result<ApiRequest> {
    Ok(ApiRequest::get(
        namespace_path(namespace)?.lit("retention"),
        format,
        "list retention classes",
    ))
}

/// `GET /object/namespaces/namespace/{ns}/retention/{class}`.
pub(crate) fn retention_request(
    namespace: &str,
    class: &str,
    format: Format,
) -> Result<ApiRequest> {
    require(class, "retention class")?;
    Ok(ApiRequest::get(
        namespace_path(namespace)?.lit("retention").seg(class),
        format,
        "retention class",
    ))
}

/// `POST /object/namespaces/namespace/{ns}/retention` (root `retention_class_create`).
pub(crate) fn create_retention_request(
    namespace: &str,
    class: &str,
    period: RetentionPeriod,
    format: Format,
) -> Result<ApiRequest> {
    require(class, "retention class")?;
    ApiRequest::new(
        Method::POST,
        namespace_path(namespace)?.lit("retention"),
        format,
        "create retention class",
    )
    .body(
        &RetentionCreateBody {
            name: class,
            period: period.wire(),
        },
        "retention_class_create",
        format,
    )
}

/// `PUT /object/namespaces/namespace/{ns}/retention/{class}` (root `retention_class_update`).
pub(crate) fn update_retention_request(
    namespace: &str,
    class: &str,
    period: RetentionPeriod,
    format: Format,
) -> Result<ApiRequest> {
    require(class, "retention class")?;
    ApiRequest::new(
        Method::PUT,
        namespace_path(namespace)?.lit("retention").seg(class),
        format,
        "update retention class",
    )
    .body(
        &RetentionUpdateBody {
            period: period.wire(),
        },
        "retention_class_update",
        format,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::namespaces::model::{NamespaceInfo, NamespaceList};
    use crate::wire::decode;
    use ecs_common::ErrorKind;

    #[test]
    fn paths() {
        assert_eq!(
            list_request(None, Format::Xml).path_and_query(),
            "/object/namespaces"
        );
        assert_eq!(
            list_request(Some("n"), Format::Xml).path_and_query(),
            "/object/namespaces?marker=n"
        );
        assert_eq!(
            info_request("ns/1", Format::Xml).unwrap().path_and_query(),
            "/object/namespaces/namespace/ns%2F1"
        );
        assert!(info_request("", Format::Xml).is_err());
        let delete = delete_request("ns1", Format::Xml).unwrap();
        assert_eq!(
            (delete.method.clone(), delete.path_and_query()),
            (
                Method::POST,
                "/object/namespaces/namespace/ns1/deactivate".to_owned()
            )
        );
        assert!(!delete.idempotent && delete.body.is_none());
        assert_eq!(
            quota_request(Method::DELETE, "ns1", Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/namespaces/namespace/ns1/quota"
        );
        assert_eq!(
            retention_request("ns1", "rc 1", Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/namespaces/namespace/ns1/retention/rc%201"
        );
    }

    #[test]
    fn create_sends_ecs_names_in_both_formats() {
        let create = NamespaceCreate {
            admins: vec!["cloudstack".into(), "ops".into()],
            allowed_replication_groups: vec!["urn:rg1".into()],
            user_mappings: vec![UserMapping {
                domain: "example.com".into(),
                attributes: vec![MappingAttribute::new("ou", vec!["a".into(), "b".into()])],
                groups: vec!["g1".into()],
            }],
            compliance: Some(true),
            ..NamespaceCreate::new("cloud", "urn:rg1")
        };
        let xml = create_request(&create, Format::Xml).unwrap();
        assert_eq!(xml.path_and_query(), "/object/namespaces/namespace");
        assert_eq!(
            xml.body_text(),
            "<namespace_create><namespace>cloud</namespace>\
             <default_data_services_vpool>urn:rg1</default_data_services_vpool>\
             <allowed_vpools_list>urn:rg1</allowed_vpools_list>\
             <namespace_admins>cloudstack,ops</namespace_admins>\
             <user_mapping><domain>example.com</domain><attributes><attribute><key>ou</key>\
             <value>a</value><value>b</value></attribute></attributes>\
             <groups><group>g1</group></groups></user_mapping>\
             <compliance_enabled>true</compliance_enabled>\
             <default_bucket_block_size>-1</default_bucket_block_size></namespace_create>"
        );
        let json = create_request(&create, Format::Json).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&json.body.unwrap().0).unwrap();
        assert_eq!(
            value["user_mapping"],
            serde_json::json!([{"domain": "example.com",
                "attributes": [{"key": "ou", "value": ["a", "b"]}], "groups": ["g1"]}])
        );
        assert_eq!(value["allowed_vpools_list"], serde_json::json!(["urn:rg1"]));
        assert!(value.get("is_stale_allowed").is_none());
        for bad in ["", "a.b", "a/b", &"x".repeat(256)] {
            let err = create_request(&NamespaceCreate::new(bad, "rg"), Format::Json).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{bad}");
        }
    }

    #[test]
    fn update_sends_only_what_changes() {
        let update = NamespaceUpdate {
            add_allowed_replication_groups: vec!["urn:rg2".into()],
            remove_disallowed_replication_groups: vec!["urn:rg3".into()],
            admins: Some(vec![]),
            stale_allowed: Some(true),
            default_bucket_block_size_gb: Some(None),
            ..NamespaceUpdate::default()
        };
        let json = update_request("ns1", &update, Format::Json).unwrap();
        assert_eq!(
            (json.method.clone(), json.path_and_query()),
            (Method::PUT, "/object/namespaces/namespace/ns1".to_owned())
        );
        assert_eq!(
            json.body_text(),
            r#"{"vpools_added_to_allowed_vpools_list":["urn:rg2"],"vpools_removed_from_disallowed_vpools_list":["urn:rg3"],"namespace_admins":"","default_bucket_block_size":-1,"is_stale_allowed":true}"#
        );
        assert!(update_request("ns1", &NamespaceUpdate::default(), Format::Json).is_err());
    }

    #[test]
    fn quota_and_retention_bodies() {
        let quota =
            set_quota_request("ns1", &NamespaceQuota::new(Some(10), Some(8)), Format::Xml).unwrap();
        assert_eq!(
            quota.body_text(),
            "<namespace_quota_details><blockSize>10</blockSize><notificationSize>8</notificationSize><namespace>ns1</namespace></namespace_quota_details>"
        );
        let soft =
            set_quota_request("ns1", &NamespaceQuota::new(None, Some(5)), Format::Json).unwrap();
        assert_eq!(
            soft.body_text(),
            r#"{"blockSize":-1,"notificationSize":5,"namespace":"ns1"}"#
        );
        for bad in [
            NamespaceQuota::default(),
            NamespaceQuota::new(Some(1), Some(2)),
            NamespaceQuota::new(Some(0), None),
        ] {
            assert!(
                set_quota_request("ns1", &bad, Format::Json).is_err(),
                "{bad:?}"
            );
        }
        let create =
            create_retention_request("ns1", "rc1", RetentionPeriod::Seconds(60), Format::Xml)
                .unwrap();
        assert_eq!(
            create.body_text(),
            "<retention_class_create><name>rc1</name><period>60</period></retention_class_create>"
        );
        let update =
            update_retention_request("ns1", "rc1", RetentionPeriod::Infinite, Format::Json)
                .unwrap();
        assert_eq!(update.body_text(), r#"{"period":-1}"#);
    }

    #[test]
    fn lists_decode_in_both_formats() {
        let xml: NamespaceList = decode(
            b"<namespaces><namespace><id>ns1</id><link rel=\"self\" href=\"/x\"/><name>ns1</name></namespace>\
              <namespace><id>ns2</id><name>ns2</name></namespace></namespaces>",
            Format::Xml,
        )
        .unwrap();
        let json: NamespaceList = decode(
            br#"{"namespace":[{"id":"ns1","name":"ns1","link":{"rel":"self","href":"/x"}},{"id":"ns2","name":"ns2"}]}"#,
            Format::Json,
        )
        .unwrap();
        assert_eq!(xml.namespace, json.namespace);
        assert_eq!(xml.namespace.len(), 2);
    }

    #[test]
    fn info_decodes_mappings_quota_and_classes_in_both_formats() {
        let xml = b"<namespace><id>ns</id><name>ns</name><namespace_admins>a, b</namespace_admins>\
            <is_encryption_enabled>true</is_encryption_enabled><blockSize>10</blockSize>\
            <notificationSize>-1</notificationSize>\
            <user_mapping><domain>d.com</domain><attributes><attribute><key>ou</key><value>x</value>\
            <value>y</value></attribute></attributes><groups><group>g1</group><group>g2</group></groups></user_mapping>\
            <user_mapping><domain>e.com</domain><groups><group>g3</group></groups></user_mapping>\
            <retention_classes><retention_class><name>rc</name><period>-1</period></retention_class></retention_classes>\
            </namespace>";
        let json = br#"{"id":"ns","name":"ns","namespace_admins":"a, b","is_encryption_enabled":"true",
            "blockSize":10,"notificationSize":-1,
            "user_mapping":[{"domain":"d.com","attributes":[{"key":"ou","value":["x","y"]}],"groups":["g1","g2"]},
                            {"domain":"e.com","groups":["g3"]}],
            "retention_classes":{"retention_class":[{"name":"rc","period":-1}]}}"#;
        let from_xml: NamespaceInfo = decode(xml, Format::Xml).unwrap();
        let from_json: NamespaceInfo = decode(json, Format::Json).unwrap();
        assert_eq!(from_xml, from_json);
        assert_eq!(
            from_xml.namespace_admins,
            vec!["a".to_owned(), "b".to_owned()]
        );
        assert!(from_xml.encryption);
        assert_eq!(
            (
                from_xml.quota_block_size_gb,
                from_xml.quota_notification_size_gb
            ),
            (Some(10), None)
        );
        assert_eq!(from_xml.user_mappings.len(), 2);
        assert_eq!(
            from_xml.user_mappings[0].attributes[0].values,
            vec!["x".to_owned(), "y".to_owned()]
        );
        assert_eq!(from_xml.user_mappings[0].groups, vec!["g1", "g2"]);
        assert_eq!(from_xml.user_mappings[1].groups, vec!["g3"]);
        assert_eq!(
            from_xml.retention_classes,
            vec![crate::api::namespaces::model::RetentionClass::new(
                "rc",
                RetentionPeriod::Infinite
            )]
        );
    }
}
