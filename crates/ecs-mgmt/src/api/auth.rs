//! Authentication: `GET /login`, `GET /logout` and `GET /user/whoami`.
//!
//! Login and logout are driven by the client's token cache; callers normally only see
//! [`EcsMgmtClient::whoami`](crate::EcsMgmtClient::whoami).

use std::fmt;

use serde::{Deserialize, Deserializer};

use crate::error::Endpoint;
use crate::request::{ApiRequest, Path};
use crate::wire::{Format, de};

/// The identity behind the session (`GET /user/whoami`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct WhoAmI {
    /// The user name, such as `root`.
    #[serde(default, deserialize_with = "de::string")]
    pub common_name: String,
    /// The distinguished name (equal to the user name for local users).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub distinguished_name: Option<String>,
    /// The user's namespace, for namespace administrators.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub namespace: Option<String>,
    /// The user's management roles.
    #[serde(default, alias = "role")]
    pub roles: Vec<Role>,
}

impl WhoAmI {
    /// Whether the user holds `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// A management role, as `GET /user/whoami` lists them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Role {
    /// `SYSTEM_ADMIN`: may do everything.
    SystemAdmin,
    /// `SYSTEM_MONITOR`: may read everything.
    SystemMonitor,
    /// `NAMESPACE_ADMIN`: may manage the users and buckets of its namespace.
    NamespaceAdmin,
    /// `SECURITY_ADMIN`: may manage management users and their passwords.
    SecurityAdmin,
    /// A role this client does not know, as ECS spelled it.
    Other(String),
}

impl Role {
    /// Reads a role name, in any case.
    pub fn parse(name: &str) -> Role {
        let name = name.trim();
        [
            Role::SystemAdmin,
            Role::SystemMonitor,
            Role::NamespaceAdmin,
            Role::SecurityAdmin,
        ]
        .into_iter()
        .find(|known| known.as_str().eq_ignore_ascii_case(name))
        .unwrap_or_else(|| Role::Other(name.to_owned()))
    }

    /// The name as ECS spells it (`SYSTEM_ADMIN`).
    pub fn as_str(&self) -> &str {
        match self {
            Role::SystemAdmin => "SYSTEM_ADMIN",
            Role::SystemMonitor => "SYSTEM_MONITOR",
            Role::NamespaceAdmin => "NAMESPACE_ADMIN",
            Role::SecurityAdmin => "SECURITY_ADMIN",
            Role::Other(name) => name,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Role, D::Error> {
        String::deserialize(d).map(|name| Role::parse(&name))
    }
}

/// `GET /login`; the client adds HTTP Basic credentials. Not idempotent: a repeated login
/// whose first answer was lost would hold a second token.
pub(crate) fn login_request(format: Format) -> ApiRequest {
    let mut request = ApiRequest::get(Path::new("login"), format, "login").idempotent(false);
    request.endpoint = Endpoint::Login;
    request
}

/// `GET /logout`; releases the token it is sent with.
pub(crate) fn logout_request(format: Format) -> ApiRequest {
    ApiRequest::get(Path::new("logout"), format, "logout")
}

/// `GET /user/whoami`.
pub(crate) fn whoami_request(format: Format) -> ApiRequest {
    ApiRequest::get(Path::new("user/whoami"), format, "whoami")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::decode;
    use http::Method;

    #[test]
    fn requests_are_plain_gets() {
        let login = login_request(Format::Xml);
        assert_eq!(
            (login.method.clone(), login.path_and_query()),
            (Method::GET, "/login".to_owned())
        );
        assert!(!login.idempotent);
        assert_eq!(login.endpoint, Endpoint::Login);
        assert_eq!(logout_request(Format::Json).path_and_query(), "/logout");
        assert_eq!(
            whoami_request(Format::Json).path_and_query(),
            "/user/whoami"
        );
    }

    #[test]
    fn whoami_decodes_in_both_formats() {
        let json: WhoAmI = decode(
            br#"{"common_name":"root","distinguished_name":"root","namespace":"","roles":["SYSTEM_ADMIN","SYSTEM_MONITOR"]}"#,
            Format::Json,
        )
        .unwrap();
        let xml: WhoAmI = decode(
            b"<user><common_name>root</common_name><distinguished_name>root</distinguished_name>\
              <namespace></namespace><roles>SYSTEM_ADMIN</roles><roles>SYSTEM_MONITOR</roles></user>",
            Format::Xml,
        )
        .unwrap();
        assert_eq!(json, xml);
        assert!(json.has_role(Role::SystemAdmin));
        assert!(!json.has_role(Role::NamespaceAdmin));
        assert_eq!(Role::parse("system_admin"), Role::SystemAdmin);
        assert_eq!(Role::parse("NEW_ROLE"), Role::Other("NEW_ROLE".into()));
        assert_eq!(json.roles[1].to_string(), "SYSTEM_MONITOR");
        assert_eq!(json.namespace, None);
    }
}
