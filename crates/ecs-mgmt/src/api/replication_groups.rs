//! Replication groups ("data service vpools", `/vdc/data-service/vpools`).

use ecs_common::Result;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::client::EcsMgmtClient;
use crate::request::{ApiRequest, Path};
use crate::wire::{Format, de};

/// A replication group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ReplicationGroup {
    /// The URN, `urn:storageos:ReplicationGroupInfo:<uuid>:global`; buckets name it as `vpool`.
    #[serde(default, deserialize_with = "de::string")]
    pub id: String,
    /// The display name.
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// The description.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub description: Option<String>,
    /// When the group was created (ECS sends epoch milliseconds).
    #[serde(default, deserialize_with = "de::opt_time")]
    pub creation_time: Option<OffsetDateTime>,
    /// Whether the group is being deleted.
    #[serde(default, deserialize_with = "de::bool")]
    pub inactive: bool,
    /// Whether every namespace may use the group.
    #[serde(
        rename = "isAllowAllNamespaces",
        default,
        deserialize_with = "de::bool"
    )]
    pub allow_all_namespaces: bool,
    /// Whether every site holds a full copy.
    #[serde(rename = "isFullRep", default, deserialize_with = "de::bool")]
    pub full_replication: bool,
    /// The sites (VDC to storage pool) the group spans.
    #[serde(rename = "varrayMappings", default)]
    pub varray_mappings: Vec<VarrayMapping>,
}

/// A site of a replication group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct VarrayMapping {
    /// The VDC URN.
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// The storage pool URN.
    #[serde(default, deserialize_with = "de::string")]
    pub value: String,
    /// Whether the site is a replication target only.
    #[serde(default, deserialize_with = "de::bool")]
    pub is_replication_target: bool,
}

#[derive(Deserialize)]
pub(crate) struct GroupList {
    #[serde(default)]
    pub(crate) data_service_vpool: Vec<ReplicationGroup>,
}

/// `GET /vdc/data-service/vpools`.
pub(crate) fn list_request(format: Format) -> ApiRequest {
    ApiRequest::get(
        Path::new("vdc/data-service/vpools"),
        format,
        "list replication groups",
    )
}

/// Replication group calls; get one with [`EcsMgmtClient::replication_groups`].
#[derive(Clone, Debug)]
pub struct ReplicationGroups {
    client: EcsMgmtClient,
}

impl ReplicationGroups {
    pub(crate) fn new(client: EcsMgmtClient) -> Self {
        ReplicationGroups { client }
    }

    /// Every replication group (ECS does not page this list).
    pub async fn list(&self) -> Result<Vec<ReplicationGroup>> {
        let list: GroupList = self
            .client
            .call_decode(&list_request(self.client.format()))
            .await?;
        Ok(list.data_service_vpool)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::decode;

    #[test]
    fn list_decodes_in_both_formats() {
        assert_eq!(
            list_request(Format::Json).path_and_query(),
            "/vdc/data-service/vpools"
        );
        let json: GroupList = decode(
            br#"{"data_service_vpool":[{"id":"urn:rg1","name":"rg1","creation_time":1450069960578,
                 "isAllowAllNamespaces":true,"varrayMappings":[{"name":"vdc","value":"sp"}]}]}"#,
            Format::Json,
        )
        .unwrap();
        let xml: GroupList = decode(
            b"<data_service_vpools><data_service_vpool><creation_time>1450069960578</creation_time><id>urn:rg1</id>\
              <isAllowAllNamespaces>true</isAllowAllNamespaces><name>rg1</name>\
              <varrayMappings><name>vdc</name><value>sp</value></varrayMappings></data_service_vpool></data_service_vpools>",
            Format::Xml,
        )
        .unwrap();
        assert_eq!(json.data_service_vpool, xml.data_service_vpool);
        assert!(json.data_service_vpool[0].allow_all_namespaces);
        assert_eq!(
            json.data_service_vpool[0].creation_time.map(|t| t.year()),
            Some(2015)
        );
    }
}
