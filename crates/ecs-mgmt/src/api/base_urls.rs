//! Base URLs (`/object/baseurl`): the host names under which ECS's S3 head serves buckets,
//! and whether the namespace is part of the host (`bucket.namespace.baseurl`).

use ecs_common::Result;
use serde::Deserialize;

use crate::client::EcsMgmtClient;
use crate::request::{ApiRequest, Path, require};
use crate::wire::{Format, de};

/// An entry of the base URL listing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct BaseUrlEntry {
    /// The base URL's id (a URN).
    #[serde(default, deserialize_with = "de::string")]
    pub id: String,
    /// Its display name.
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
}

/// A base URL's details (`GET /object/baseurl/{id}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct BaseUrl {
    /// The base URL's id (a URN).
    #[serde(default, deserialize_with = "de::string")]
    pub id: String,
    /// Its display name.
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// The host name suffix (`s3.example.com`).
    #[serde(rename = "baseurl", default, deserialize_with = "de::string")]
    pub base_url: String,
    /// Whether S3 requests carry the namespace in the host (`bucket.ns.s3.example.com`).
    #[serde(default, deserialize_with = "de::bool")]
    pub namespace_in_host: bool,
}

#[derive(Deserialize)]
pub(crate) struct BaseUrlList {
    #[serde(default)]
    pub(crate) base_url: Vec<BaseUrlEntry>,
}

/// `GET /object/baseurl`.
pub(crate) fn list_request(format: Format) -> ApiRequest {
    ApiRequest::get(Path::new("object/baseurl"), format, "list base urls")
}

/// `GET /object/baseurl/{id}`.
pub(crate) fn info_request(id: &str, format: Format) -> Result<ApiRequest> {
    require(id, "base url id")?;
    Ok(ApiRequest::get(
        Path::new("object/baseurl").seg(id),
        format,
        "base url",
    ))
}

/// Base URL calls; get one with [`EcsMgmtClient::base_urls`].
#[derive(Clone, Debug)]
pub struct BaseUrls {
    client: EcsMgmtClient,
}

impl BaseUrls {
    pub(crate) fn new(client: EcsMgmtClient) -> Self {
        BaseUrls { client }
    }

    /// Every configured base URL (id and name).
    pub async fn list(&self) -> Result<Vec<BaseUrlEntry>> {
        let list: BaseUrlList = self
            .client
            .call_decode(&list_request(self.client.format()))
            .await?;
        Ok(list.base_url)
    }

    /// One base URL; [`ecs_common::ErrorKind::NotFound`] when there is none with that id.
    pub async fn info(&self, id: &str) -> Result<BaseUrl> {
        self.client
            .call_decode(&info_request(id, self.client.format())?)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::decode;

    #[test]
    fn requests_and_documents() {
        assert_eq!(
            list_request(Format::Xml).path_and_query(),
            "/object/baseurl"
        );
        assert_eq!(
            info_request("urn:ObjectBaseUrl:1", Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/baseurl/urn%3AObjectBaseUrl%3A1"
        );
        assert!(info_request("", Format::Xml).is_err());
        let xml: BaseUrl = decode(
            b"<base_url><id>urn:b:1</id><link rel=\"self\" href=\"/x\"/><name>n</name><tags/>\
              <baseurl>s3.example.com</baseurl><namespace_in_host>true</namespace_in_host></base_url>",
            Format::Xml,
        )
        .unwrap();
        let json: BaseUrl = decode(
            br#"{"id":"urn:b:1","name":"n","baseurl":"s3.example.com","namespace_in_host":true,"tags":[]}"#,
            Format::Json,
        )
        .unwrap();
        assert_eq!(xml, json);
        assert!(xml.namespace_in_host);
        let list: BaseUrlList = decode(
            b"<base_urls><base_url><id>a</id><name>A</name></base_url><base_url><id>b</id><name>B</name></base_url></base_urls>",
            Format::Xml,
        )
        .unwrap();
        assert_eq!(list.base_url.len(), 2);
    }
}
