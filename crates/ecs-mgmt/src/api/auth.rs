//! Authentication: `GET /login`, `GET /logout` and `GET /user/whoami`.
//!
//! Login and logout are driven by the client's token cache; callers normally only see
//! [`EcsMgmtClient::whoami`](crate::EcsMgmtClient::whoami).

use serde::Deserialize;

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
    /// Roles such as `SYSTEM_ADMIN`, `SYSTEM_MONITOR`, `NAMESPACE_ADMIN`.
    #[serde(default, alias = "role")]
    pub roles: Vec<String>,
}

impl WhoAmI {
    /// Whether the user holds `role` (such as `SYSTEM_ADMIN`).
    pub fn has_role(&self, role: &str) -> bool {
        self.roles
            .iter()
            .any(|held| held.eq_ignore_ascii_case(role))
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
        assert!(json.has_role("system_admin"));
        assert_eq!(json.namespace, None);
    }
}
