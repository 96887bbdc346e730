//! Data nodes (`GET /vdc/nodes`), and the ECS release they run.
//!
//! Every ECS release has this call (python-ecsclient documents it with a 1.2 answer; Dell's 4.1
//! OpenAPI description with a 4.1 one); each node reports its software `version` as
//! `major.minor.patch.hotfix.build.commit`, such as `4.1.0.0.141552.bad1f62dd07`. SYSTEM_ADMIN,
//! SYSTEM_MONITOR and NAMESPACE_ADMIN may call it.

use std::fmt;

use ecs_common::Result;
use serde::Deserialize;

use crate::client::EcsMgmtClient;
use crate::request::{ApiRequest, Path};
use crate::wire::{Format, de};

/// A data node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Node {
    /// The node's host name.
    #[serde(default, deserialize_with = "de::string")]
    pub nodename: String,
    /// The node id.
    #[serde(default, deserialize_with = "de::string")]
    pub nodeid: String,
    /// The public IP address.
    #[serde(default, deserialize_with = "de::string")]
    pub ip: String,
    /// The software version, such as `4.1.0.0.141552.bad1f62dd07`.
    #[serde(default, deserialize_with = "de::string")]
    pub version: String,
}

impl Node {
    /// The release the node runs, read from [`version`](Self::version).
    pub fn release(&self) -> Option<EcsRelease> {
        EcsRelease::parse(&self.version)
    }
}

/// An ECS release, `major.minor.patch`, as a node reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EcsRelease {
    /// The major release (3, 4, …).
    pub major: u16,
    /// The minor release.
    pub minor: u16,
    /// The patch release.
    pub patch: u16,
}

impl EcsRelease {
    /// Reads the leading `major.minor[.patch]` of a node version (the build fields after it
    /// are ignored); `None` when it does not start with two numbers.
    pub fn parse(version: &str) -> Option<EcsRelease> {
        let mut parts = version.trim().split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        let patch = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        Some(EcsRelease {
            major,
            minor,
            patch,
        })
    }
}

impl fmt::Display for EcsRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[derive(Deserialize)]
pub(crate) struct NodeList {
    #[serde(default)]
    pub(crate) node: Vec<Node>,
}

/// `GET /vdc/nodes`.
pub(crate) fn list_request(format: Format) -> ApiRequest {
    ApiRequest::get(Path::new("vdc/nodes"), format, "list data nodes")
}

/// Data node calls; get one with [`EcsMgmtClient::nodes`].
#[derive(Clone, Debug)]
pub struct Nodes {
    client: EcsMgmtClient,
}

impl Nodes {
    pub(crate) fn new(client: EcsMgmtClient) -> Self {
        Nodes { client }
    }

    /// Every data node of the local VDC.
    pub async fn list(&self) -> Result<Vec<Node>> {
        let list: NodeList = self
            .client
            .call_decode(&list_request(self.client.format()))
            .await?;
        Ok(list.node)
    }

    /// The lowest release any node runs (during an upgrade nodes differ, and only what the
    /// oldest node has is safe to call); `None` when no node reports a readable version.
    pub async fn release(&self) -> Result<Option<EcsRelease>> {
        Ok(self.list().await?.iter().filter_map(Node::release).min())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::decode;

    #[test]
    fn release_is_read_from_the_node_version() {
        assert_eq!(
            EcsRelease::parse("4.1.0.0.141552.bad1f62dd07"),
            Some(EcsRelease {
                major: 4,
                minor: 1,
                patch: 0
            })
        );
        assert_eq!(
            EcsRelease::parse("3.6.2.1.1234.abc").map(|r| r.to_string()),
            Some("3.6.2".to_owned())
        );
        assert_eq!(
            EcsRelease::parse("3.6").map(|r| r.patch),
            Some(0),
            "patch may be absent"
        );
        assert_eq!(EcsRelease::parse("unknown"), None);
        assert_eq!(EcsRelease::parse(""), None);
    }

    #[test]
    fn list_decodes_in_both_formats() {
        assert_eq!(list_request(Format::Json).path_and_query(), "/vdc/nodes");
        let json: NodeList = decode(
            br#"{"node":[{"nodename":"logan","ip":"10.0.0.1","nodeid":"2aee","version":"4.1.0.0.141552.bad1f62dd07","isLocal":true}]}"#,
            Format::Json,
        )
        .unwrap();
        let xml: NodeList = decode(
            b"<nodes><node><ip>10.0.0.1</ip><nodeid>2aee</nodeid><nodename>logan</nodename>\
              <version>4.1.0.0.141552.bad1f62dd07</version></node></nodes>",
            Format::Xml,
        )
        .unwrap();
        assert_eq!(json.node, xml.node);
        assert_eq!(json.node[0].release().map(|r| r.major), Some(4));
    }
}
