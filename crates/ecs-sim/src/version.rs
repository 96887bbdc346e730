//! The ECS release the emulator plays (`--ecs-version`, [`SimBuilder::ecs_version`]) and what
//! differs between the releases it can play.
//!
//! What differs, and on what it is based:
//! - `GET /vdc/nodes` reports every node's software version (`version`, e.g.
//!   `4.1.0.0.141552.bad1f62dd07` in Dell's 4.1 OpenAPI description, `1.2.0.0.60071.ffbe16c` in
//!   the docstring of python-ecsclient's `Node.list`, captured from an ECS 1.2): it exists on
//!   every release, so clients learn the version there.
//! - `GET`/`PUT /object/bucket/{bucket}/versioning` appear only in the 4.x-era description; no
//!   3.x source lists them (python-ecsclient's bucket module, the ECS 3.x guides), and the upstream
//!   Java plug-in changes versioning through S3 saying that is how ECS is designed. Below 4.0 the
//!   emulator answers them as it answers any path ECS does not have: 404 with the error document
//!   code 1019 ("Resource not found"). The S3 `PUT /{bucket}?versioning` works on every release.
//!
//! - S3 Object Lock arrived in ECS 3.6.2 (Dell's ECS blog "Better Protection with Dell EMC ECS
//!   Object Lock", unstructureddatatips.com; VMware Cloud Director Object Storage Extension:
//!   "supported for Dell ECS 3.6 … 3.4 or earlier, you can not use the object lock feature").
//!   Below 3.6.2 the emulator refuses every Object Lock request over S3 with `NotImplemented`,
//!   and the management `object-lock-config`/`object-lock-enable` paths answer 404 code 1019.
//!
//! [`SimBuilder::ecs_version`]: crate::SimBuilder::ecs_version

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use ecs_common::Error;
use serde::{Deserialize, Serialize};

use crate::core::Core;
use crate::error::EcsError;

/// An ECS release: `major.minor.patch`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EcsVersion {
    major: u16,
    minor: u16,
    patch: u16,
}

impl EcsVersion {
    /// ECS 3.6, the 3.x line in the field.
    pub const V3_6: EcsVersion = EcsVersion::new(3, 6, 0);
    /// ECS 3.6.2, the first release with S3 Object Lock.
    pub const V3_6_2: EcsVersion = EcsVersion::new(3, 6, 2);
    /// ECS 4.1, the release Dell's OpenAPI description describes (the default).
    pub const V4_1: EcsVersion = EcsVersion::new(4, 1, 0);

    /// `major.minor.patch`.
    pub const fn new(major: u16, minor: u16, patch: u16) -> EcsVersion {
        EcsVersion {
            major,
            minor,
            patch,
        }
    }

    /// The major release (3 or 4).
    pub fn major(self) -> u16 {
        self.major
    }

    /// Whether `/object/bucket/{bucket}/versioning` exists (4.0 and later).
    pub fn has_mgmt_versioning(self) -> bool {
        self.major >= 4
    }

    /// Whether S3 Object Lock exists (3.6.2 and later).
    pub fn has_object_lock(self) -> bool {
        self >= EcsVersion::V3_6_2
    }

    /// What `GET /vdc/nodes` reports as each node's `version` (ECS's
    /// `major.minor.patch.hotfix.build.commit` form).
    pub(crate) fn node_version(self) -> String {
        format!("{}.{}.{}.0.0.ecssim", self.major, self.minor, self.patch)
    }
}

impl Default for EcsVersion {
    fn default() -> Self {
        EcsVersion::V4_1
    }
}

impl fmt::Display for EcsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl FromStr for EcsVersion {
    type Err = Error;

    /// `3.6`, `3.6.2`, `4.1`: two or three numbers; 3 and 4 are the majors emulated.
    fn from_str(text: &str) -> Result<Self, Error> {
        let invalid = || {
            Error::invalid_input(format!(
                "invalid ECS version {text:?}: expected MAJOR.MINOR[.PATCH] with major 3 or 4, such as 3.6 or 4.1"
            ))
        };
        let numbers = text
            .trim()
            .split('.')
            .map(|part| part.parse::<u16>().map_err(|_| invalid()))
            .collect::<Result<Vec<u16>, Error>>()?;
        let version = match numbers.as_slice() {
            [major, minor] => EcsVersion::new(*major, *minor, 0),
            [major, minor, patch] => EcsVersion::new(*major, *minor, *patch),
            _ => return Err(invalid()),
        };
        if !(3..=4).contains(&version.major) {
            return Err(invalid());
        }
        Ok(version)
    }
}

impl TryFrom<String> for EcsVersion {
    type Error = Error;

    fn try_from(text: String) -> Result<Self, Error> {
        text.parse()
    }
}

impl From<EcsVersion> for String {
    fn from(version: EcsVersion) -> String {
        version.to_string()
    }
}

/// Extractor placed first on the management versioning handlers: below 4.0 the path does not
/// exist, so the request is answered as an unknown path before authentication, like the
/// router's fallback answers it.
#[derive(Debug)]
pub(crate) struct MgmtVersioningEndpoint;

impl FromRequestParts<Arc<Core>> for MgmtVersioningEndpoint {
    type Rejection = EcsError;

    async fn from_request_parts(parts: &mut Parts, core: &Arc<Core>) -> Result<Self, EcsError> {
        if core.ecs_version.has_mgmt_versioning() {
            Ok(MgmtVersioningEndpoint)
        } else {
            Err(EcsError::no_such_path(parts.uri.path()))
        }
    }
}

/// Extractor placed first on the management Object Lock handlers (`object-lock-config`,
/// `object-lock-enable`): before 3.6.2 those paths do not exist (404, code 1019).
#[derive(Debug)]
pub(crate) struct ObjectLockEndpoint;

impl FromRequestParts<Arc<Core>> for ObjectLockEndpoint {
    type Rejection = EcsError;

    async fn from_request_parts(parts: &mut Parts, core: &Arc<Core>) -> Result<Self, EcsError> {
        if core.ecs_version.has_object_lock() {
            Ok(ObjectLockEndpoint)
        } else {
            Err(EcsError::no_such_path(parts.uri.path()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_two_or_three_numbers_of_major_3_or_4() {
        assert_eq!("3.6".parse::<EcsVersion>().ok(), Some(EcsVersion::V3_6));
        assert_eq!(
            "3.6.2".parse::<EcsVersion>().ok(),
            Some(EcsVersion::new(3, 6, 2))
        );
        assert_eq!(" 4.1 ".parse::<EcsVersion>().ok(), Some(EcsVersion::V4_1));
        for bad in ["", "4", "4.x", "2.2", "5.0", "4.1.0.0", "-3.6"] {
            assert!(bad.parse::<EcsVersion>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn only_4x_has_the_management_versioning_endpoint() {
        assert!(!EcsVersion::V3_6.has_mgmt_versioning());
        assert!(!EcsVersion::new(3, 8, 1).has_mgmt_versioning());
        assert!(EcsVersion::V4_1.has_mgmt_versioning());
        assert!(EcsVersion::new(4, 0, 0).has_mgmt_versioning());
        assert_eq!(EcsVersion::default(), EcsVersion::V4_1);
    }

    #[test]
    fn object_lock_from_3_6_2() {
        assert!(!EcsVersion::V3_6.has_object_lock());
        assert!(EcsVersion::V3_6_2.has_object_lock());
        assert!(EcsVersion::new(3, 8, 0).has_object_lock());
        assert!(EcsVersion::V4_1.has_object_lock());
    }

    #[test]
    fn node_version_has_ecs_form_and_seed_text_round_trips() {
        assert_eq!(EcsVersion::V3_6.node_version(), "3.6.0.0.0.ecssim");
        assert_eq!(String::from(EcsVersion::new(3, 6, 2)), "3.6.2");
        let back: EcsVersion = serde_json::from_str("\"3.6\"").unwrap_or_default();
        assert_eq!(back, EcsVersion::V3_6);
    }
}
