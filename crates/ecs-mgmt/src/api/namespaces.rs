//! Namespaces (`/object/namespaces`): listing and details.

use ecs_common::Result;
use serde::Deserialize;

use crate::client::EcsMgmtClient;
use crate::pagination::{ItemStream, Page, paginate};
use crate::request::{ApiRequest, Path, require};
use crate::wire::{Format, de};

/// An entry of a namespace listing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct NamespaceEntry {
    /// The namespace id (equal to its name).
    #[serde(default, deserialize_with = "de::string")]
    pub id: String,
    /// The namespace name.
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
}

/// A namespace's details (`GET /object/namespaces/namespace/{ns}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct NamespaceInfo {
    /// The namespace id.
    #[serde(default, deserialize_with = "de::string")]
    pub id: String,
    /// The namespace name.
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// The replication group buckets get by default.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub default_data_services_vpool: Option<String>,
    /// Replication groups buckets may use.
    #[serde(default)]
    pub allowed_vpools_list: Vec<String>,
    /// Replication groups buckets may not use.
    #[serde(default)]
    pub disallowed_vpools_list: Vec<String>,
    /// Namespace administrators (ECS sends one comma-separated string).
    #[serde(default, deserialize_with = "de::string_list")]
    pub namespace_admins: Vec<String>,
    /// Whether every bucket is encrypted (ECS sends a string).
    #[serde(
        rename = "is_encryption_enabled",
        default,
        deserialize_with = "de::bool"
    )]
    pub encryption: bool,
    /// Access during outage for new buckets.
    #[serde(rename = "is_stale_allowed", default, deserialize_with = "de::bool")]
    pub stale_allowed: bool,
    /// Compliance mode.
    #[serde(
        rename = "is_compliance_enabled",
        default,
        deserialize_with = "de::bool"
    )]
    pub compliance: bool,
    /// The hard quota new buckets get, in GB; `None` when unset.
    #[serde(default, deserialize_with = "de::opt_size_gb")]
    pub default_bucket_block_size: Option<u64>,
    /// Whether the namespace is being deleted.
    #[serde(default, deserialize_with = "de::bool")]
    pub inactive: bool,
}

#[derive(Deserialize)]
pub(crate) struct NamespaceList {
    #[serde(default)]
    pub(crate) namespace: Vec<NamespaceEntry>,
    #[serde(rename = "NextMarker", default, deserialize_with = "de::opt_string")]
    next_marker: Option<String>,
}

/// `GET /object/namespaces?marker=`.
pub(crate) fn list_request(marker: Option<&str>, format: Format) -> ApiRequest {
    ApiRequest::get(Path::new("object/namespaces"), format, "list namespaces")
        .query_opt("marker", marker)
}

/// `GET /object/namespaces/namespace/{ns}`.
pub(crate) fn info_request(namespace: &str, format: Format) -> Result<ApiRequest> {
    require(namespace, "namespace")?;
    Ok(ApiRequest::get(
        Path::new("object/namespaces/namespace").seg(namespace),
        format,
        "namespace info",
    ))
}

/// Namespace calls; get one with [`EcsMgmtClient::namespaces`].
#[derive(Clone, Debug)]
pub struct Namespaces {
    client: EcsMgmtClient,
}

impl Namespaces {
    pub(crate) fn new(client: EcsMgmtClient) -> Self {
        Namespaces { client }
    }

    /// Every namespace, fetched page by page as the stream is read.
    pub fn list(&self) -> ItemStream<NamespaceEntry> {
        let this = self.clone();
        paginate(move |marker| {
            let this = this.clone();
            async move { this.list_page(marker.as_deref()).await }
        })
    }

    /// One page of namespaces.
    pub async fn list_page(&self, marker: Option<&str>) -> Result<Page<NamespaceEntry>> {
        let list: NamespaceList = self
            .client
            .call_decode(
                &self
                    .client
                    .paged(list_request(marker, self.client.format())),
            )
            .await?;
        Ok(Page::new(list.namespace, list.next_marker))
    }

    /// A namespace's details; [`ecs_common::ErrorKind::NotFound`] when it does not exist.
    pub async fn info(&self, namespace: &str) -> Result<NamespaceInfo> {
        self.client
            .call_decode(&info_request(namespace, self.client.format())?)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::decode;

    #[test]
    fn requests() {
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
    fn admins_split_on_commas() {
        let info: NamespaceInfo = decode(
            br#"{"id":"ns","name":"ns","namespace_admins":"a, b","is_encryption_enabled":"true"}"#,
            Format::Json,
        )
        .unwrap();
        assert_eq!(info.namespace_admins, vec!["a".to_owned(), "b".to_owned()]);
        assert!(info.encryption);
    }
}
