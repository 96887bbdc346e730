//! [`StoreConfig`]: CloudStack's object-store details map, parsed and validated without network.
//!
//! Every error names the detail key at fault, because the message reaches the administrator
//! through `Failed to add object store: <message>`.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use ecs_common::{Error, Result, SecretString, TlsOptions};
use url::Url;

use crate::validate;

/// The detail keys CloudStack passes in `details[n].key`.
pub mod keys {
    /// Base URL of the ECS Management API, e.g. `https://ecs.example.com:4443`.
    pub const MGMT_URL: &str = "mgmt_url";
    /// Management (service-account) user.
    pub const SA_USER: &str = "sa_user";
    /// Password of the service account.
    pub const SA_PASSWORD: &str = "sa_password";
    /// The ECS namespace this store manages.
    pub const NAMESPACE: &str = "namespace";
    /// S3 base URL shown to users (in bucket URLs and the UI's bucket browser).
    pub const S3_PUBLIC_URL: &str = "s3_public_url";
    /// S3 base URL the driver itself uses; defaults to the public one.
    pub const S3_PRIVATE_URL: &str = "s3_private_url";
    /// `true` turns certificate verification off for both APIs.
    pub const INSECURE: &str = "insecure";
    /// An extra CA certificate (PEM) trusted for both APIs.
    pub const CA_CERT: &str = "ca_cert";
    /// Prefix of the ECS object-user names, `<prefix><account uuid>`; default `cs-`.
    pub const USER_PREFIX: &str = "user_prefix";
    /// Replication group (vpool) for new buckets: its URN id or its name.
    pub const REPLICATION_GROUP: &str = "replication_group";
    /// Origins allowed by the CORS rule put on new buckets (comma or space separated).
    pub const CORS_ORIGINS: &str = "cors_origins";
    /// Legacy key of the upstream Java plug-in: S3 host (`host[:port]` or a URL).
    pub const S3_HOST: &str = "s3_host";
}

/// The default prefix of ECS object-user names.
pub const DEFAULT_USER_PREFIX: &str = "cs-";

/// How long a new S3 key may take to work on every ECS node (ECS documents up to two minutes).
pub const KEY_PROPAGATION_WAIT: Duration = Duration::from_secs(120);

/// The namespace the upstream plug-in used when none was configured (legacy configurations only).
const LEGACY_DEFAULT_NAMESPACE: &str = "default";

/// Everything one CloudStack object store needs to reach ECS, validated.
///
/// Built with [`StoreConfig::from_details`]; `Debug` never shows the password.
#[derive(Clone)]
pub struct StoreConfig {
    /// Base URL of the ECS Management API (no trailing slash).
    pub mgmt_url: Url,
    /// Management (service-account) user name.
    pub sa_user: String,
    /// Service-account password.
    pub sa_password: SecretString,
    /// The ECS namespace holding this store's users and buckets.
    pub namespace: String,
    /// S3 base URL shown to users; bucket URLs are `<s3_public_url>/<bucket>`.
    pub s3_public_url: Url,
    /// S3 base URL the driver uses.
    pub s3_private_url: Url,
    /// TLS verification settings shared by the management and S3 clients.
    pub tls: TlsOptions,
    /// Prefix of the ECS object-user names.
    pub user_prefix: String,
    /// Replication group for new buckets (URN or name); `None` = the namespace default.
    pub replication_group: Option<String>,
    /// Origins allowed by the CORS rule put on new buckets; empty = no CORS rule.
    pub cors_origins: Vec<String>,
    /// How long bucket creation keeps retrying an S3 call refused because the owner's new key
    /// has not reached every ECS node yet (not a detail key; default
    /// [`KEY_PROPAGATION_WAIT`]).
    pub key_propagation_wait: Duration,
}

impl StoreConfig {
    /// Parses and validates CloudStack's details map. Sends nothing.
    ///
    /// Required: `mgmt_url`, `sa_user`, `sa_password`, `namespace` and `s3_public_url` (or the
    /// legacy `s3_host`). Errors are [`ErrorKind::InvalidInput`](ecs_common::ErrorKind) and name
    /// the key.
    ///
    /// ```
    /// # use std::collections::HashMap;
    /// let details: HashMap<String, String> = [
    ///     ("mgmt_url", "https://ecs.example.com:4443"),
    ///     ("sa_user", "cloudstack"),
    ///     ("sa_password", "secret"),
    ///     ("namespace", "cloud"),
    ///     ("s3_public_url", "https://s3.example.com"),
    /// ]
    /// .into_iter()
    /// .map(|(k, v)| (k.to_owned(), v.to_owned()))
    /// .collect();
    /// let config = ecs_driver::StoreConfig::from_details(&details).unwrap();
    /// assert_eq!(config.user_prefix, "cs-");
    /// assert!(!format!("{config:?}").contains("secret\""));
    /// ```
    pub fn from_details(details: &HashMap<String, String>) -> Result<StoreConfig> {
        let get = |key: &str| {
            details
                .get(key)
                .map(|value| value.trim())
                .filter(|value| !value.is_empty())
        };
        let required = |key: &'static str| get(key).ok_or_else(|| field_error(key, "is required"));

        let mgmt_url = parse_base_url(keys::MGMT_URL, required(keys::MGMT_URL)?)?;
        let sa_user = parse_sa_user(required(keys::SA_USER)?)?;
        let sa_password = parse_password(details)?;
        let legacy_host = get(keys::S3_HOST);
        let namespace = match (get(keys::NAMESPACE), legacy_host) {
            (Some(namespace), _) => namespace,
            (None, Some(_)) => LEGACY_DEFAULT_NAMESPACE,
            (None, None) => return Err(field_error(keys::NAMESPACE, "is required")),
        };
        validate::namespace(namespace).map_err(|err| field_error(keys::NAMESPACE, &err))?;

        let s3_public_url = match (get(keys::S3_PUBLIC_URL), legacy_host) {
            (Some(url), _) => parse_base_url(keys::S3_PUBLIC_URL, url)?,
            (None, Some(host)) => parse_legacy_host(host)?,
            (None, None) => {
                return Err(field_error(
                    keys::S3_PUBLIC_URL,
                    "is required (or the legacy s3_host)",
                ));
            }
        };
        let s3_private_url = match get(keys::S3_PRIVATE_URL) {
            Some(url) => parse_base_url(keys::S3_PRIVATE_URL, url)?,
            None => s3_public_url.clone(),
        };
        let tls = parse_tls(get(keys::INSECURE), get(keys::CA_CERT))?;
        let user_prefix = match details.get(keys::USER_PREFIX) {
            Some(prefix) => prefix.trim().to_owned(),
            None => DEFAULT_USER_PREFIX.to_owned(),
        };
        validate::user_prefix(&user_prefix).map_err(|err| field_error(keys::USER_PREFIX, &err))?;
        let replication_group = get(keys::REPLICATION_GROUP)
            .map(|group| {
                validate::replication_group(group)
                    .map(|()| group.to_owned())
                    .map_err(|err| field_error(keys::REPLICATION_GROUP, &err))
            })
            .transpose()?;
        let cors_origins = get(keys::CORS_ORIGINS)
            .map(parse_cors_origins)
            .transpose()?
            .unwrap_or_default();

        Ok(StoreConfig {
            mgmt_url,
            sa_user: sa_user.to_owned(),
            sa_password,
            namespace: namespace.to_owned(),
            s3_public_url,
            s3_private_url,
            tls,
            user_prefix,
            replication_group,
            cors_origins,
            key_propagation_wait: KEY_PROPAGATION_WAIT,
        })
    }

    /// The ECS object-user name of a CloudStack account: `<user_prefix><account uuid>`.
    ///
    /// Fails with `InvalidInput` when `account_uuid` is not a UUID.
    pub fn user_id(&self, account_uuid: &str) -> Result<String> {
        let uuid = validate::account_uuid(account_uuid)?;
        Ok(format!("{}{uuid}", self.user_prefix))
    }

    /// The public, path-style URL of a bucket: `<s3_public_url>/<bucket>`.
    pub fn bucket_url(&self, bucket: &str) -> String {
        format!("{}/{bucket}", base_str(&self.s3_public_url))
    }

    /// The management URL as a string without a trailing slash.
    pub fn mgmt_endpoint(&self) -> &str {
        base_str(&self.mgmt_url)
    }

    /// The private S3 URL as a string without a trailing slash.
    pub fn s3_endpoint(&self) -> &str {
        base_str(&self.s3_private_url)
    }
}

impl fmt::Debug for StoreConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoreConfig")
            .field("mgmt_url", &self.mgmt_url.as_str())
            .field("sa_user", &self.sa_user)
            .field("sa_password", &"** redacted **")
            .field("namespace", &self.namespace)
            .field("s3_public_url", &self.s3_public_url.as_str())
            .field("s3_private_url", &self.s3_private_url.as_str())
            .field("tls", &self.tls)
            .field("user_prefix", &self.user_prefix)
            .field("replication_group", &self.replication_group)
            .field("cors_origins", &self.cors_origins)
            .field("key_propagation_wait", &self.key_propagation_wait)
            .finish()
    }
}

fn field_error(key: &str, problem: &str) -> Error {
    Error::invalid_input(format!("store detail {key} {problem}"))
}

fn base_str(url: &Url) -> &str {
    url.as_str().trim_end_matches('/')
}

/// An `http`/`https` URL with a host and nothing after the path (no query, fragment or user).
fn parse_base_url(key: &'static str, text: &str) -> Result<Url> {
    let url = Url::parse(text)
        .map_err(|err| field_error(key, &format!("is not a valid URL ({err}): {text:?}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(field_error(key, "must start with http:// or https://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(field_error(key, "has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(field_error(key, "must not carry credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(field_error(key, "must not have a query or fragment"));
    }
    Ok(url)
}

/// The upstream plug-in's `s3_host`: `host[:port]` (https implied) or a full URL.
fn parse_legacy_host(host: &str) -> Result<Url> {
    let text = if host.contains("://") {
        host.to_owned()
    } else {
        format!("https://{}", host.trim_end_matches('/'))
    };
    parse_base_url(keys::S3_HOST, &text)
}

fn parse_sa_user(user: &str) -> Result<&str> {
    if user.len() > 255 || user.chars().any(|c| c.is_control() || c == ':') {
        return Err(field_error(
            keys::SA_USER,
            "must be at most 255 characters without ':' or control characters",
        ));
    }
    Ok(user)
}

fn parse_password(details: &HashMap<String, String>) -> Result<SecretString> {
    // The password is taken verbatim: spaces may be part of it.
    match details.get(keys::SA_PASSWORD) {
        Some(password) if !password.is_empty() => Ok(SecretString::from(password.clone())),
        _ => Err(field_error(keys::SA_PASSWORD, "is required")),
    }
}

fn parse_tls(insecure: Option<&str>, ca_cert: Option<&str>) -> Result<TlsOptions> {
    let insecure = match insecure.map(str::to_ascii_lowercase).as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(field_error(keys::INSECURE, "must be true or false")),
    };
    let mut tls = TlsOptions::default();
    if let Some(pem) = ca_cert {
        let unusable =
            |err: Error| field_error(keys::CA_CERT, &format!("is unusable: {}", err.message()));
        tls = tls.with_ca_pem(pem).map_err(unusable)?;
        // PEM framing alone proves little: building the trust store parses the certificates.
        tls.rustls_client_config().map_err(unusable)?;
    }
    Ok(tls.danger_accept_invalid_certs(insecure))
}

fn parse_cors_origins(text: &str) -> Result<Vec<String>> {
    let mut origins = Vec::new();
    for origin in text.split([',', ' ', '\n', '\t']).filter(|o| !o.is_empty()) {
        let origin =
            validate::cors_origin(origin).map_err(|err| field_error(keys::CORS_ORIGINS, &err))?;
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    Ok(origins)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecs_common::{ErrorKind, ExposeSecret};

    fn details(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn minimal() -> Vec<(&'static str, &'static str)> {
        vec![
            ("mgmt_url", "https://ecs.example.com:4443/"),
            ("sa_user", "cloudstack"),
            ("sa_password", "s3cr3t pass"),
            ("namespace", "cloud"),
            ("s3_public_url", "https://s3.example.com:9021"),
        ]
    }

    fn with(extra: &[(&'static str, &'static str)]) -> HashMap<String, String> {
        let mut pairs = minimal();
        for (key, value) in extra {
            pairs.retain(|(k, _)| k != key);
            pairs.push((key, value));
        }
        details(&pairs)
    }

    fn error_for(map: &HashMap<String, String>) -> String {
        let err = StoreConfig::from_details(map).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        err.to_string()
    }

    #[test]
    fn minimal_config_gets_documented_defaults() {
        let config = StoreConfig::from_details(&with(&[])).unwrap();
        assert_eq!(config.mgmt_endpoint(), "https://ecs.example.com:4443");
        assert_eq!(config.s3_endpoint(), "https://s3.example.com:9021");
        assert_eq!(config.user_prefix, "cs-");
        assert_eq!(config.namespace, "cloud");
        assert_eq!(config.sa_password.expose_secret(), "s3cr3t pass");
        assert!(config.replication_group.is_none());
        assert!(config.cors_origins.is_empty());
        assert!(!config.tls.is_insecure());
        assert_eq!(
            config.bucket_url("b1"),
            "https://s3.example.com:9021/b1",
            "bucket URLs are path-style on the public URL"
        );
    }

    #[test]
    fn every_key_is_read() {
        let config = StoreConfig::from_details(&with(&[
            ("s3_private_url", "http://10.0.0.5:9020"),
            ("insecure", "TRUE"),
            ("user_prefix", "acs_"),
            (
                "replication_group",
                "urn:storageos:ReplicationGroupInfo:abc:global",
            ),
            (
                "cors_origins",
                "https://cloud.example.com, http://localhost:8080",
            ),
        ]))
        .unwrap();
        assert_eq!(config.s3_endpoint(), "http://10.0.0.5:9020");
        assert_eq!(config.bucket_url("b"), "https://s3.example.com:9021/b");
        assert!(config.tls.is_insecure());
        assert_eq!(config.user_prefix, "acs_");
        assert_eq!(
            config.replication_group.as_deref(),
            Some("urn:storageos:ReplicationGroupInfo:abc:global")
        );
        assert_eq!(
            config.cors_origins,
            ["https://cloud.example.com", "http://localhost:8080"]
        );
    }

    #[test]
    fn missing_required_keys_are_named() {
        for key in [
            "mgmt_url",
            "sa_user",
            "sa_password",
            "namespace",
            "s3_public_url",
        ] {
            let mut pairs = minimal();
            pairs.retain(|(k, _)| *k != key);
            let message = error_for(&details(&pairs));
            assert!(message.contains(key), "{message}");
            assert!(message.contains("required"), "{message}");
        }
    }

    #[test]
    fn blank_values_count_as_missing() {
        let message = error_for(&with(&[("sa_user", "   ")]));
        assert!(message.contains("sa_user"), "{message}");
    }

    #[test]
    fn bad_values_are_named() {
        let cases: &[(&str, &str)] = &[
            ("mgmt_url", "ecs.example.com:4443"),
            ("mgmt_url", "ftp://ecs.example.com"),
            ("mgmt_url", "https://user:pw@ecs.example.com"),
            ("mgmt_url", "https://ecs.example.com/?x=1"),
            ("s3_public_url", "not a url"),
            ("s3_private_url", "https://"),
            ("namespace", "bad/ns"),
            ("namespace", "</name><owner>x"),
            ("insecure", "maybe"),
            (
                "ca_cert",
                "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----",
            ),
            ("user_prefix", "CS<"),
            ("replication_group", "rg</vpool>"),
            (
                "cors_origins",
                "https://ok.example.com, javascript:alert(1)",
            ),
            ("cors_origins", "https://x.example.com/path"),
            ("sa_user", "bad:user"),
        ];
        for (key, value) in cases {
            let message = error_for(&with(&[(key, value)]));
            assert!(message.contains(key), "{key}={value:?}: {message}");
        }
    }

    #[test]
    fn legacy_s3_host_is_accepted() {
        let mut pairs = minimal();
        pairs.retain(|(k, _)| *k != "s3_public_url" && *k != "namespace");
        pairs.push(("s3_host", "s3.example.com:9021/"));
        let config = StoreConfig::from_details(&details(&pairs)).unwrap();
        assert_eq!(config.bucket_url("b"), "https://s3.example.com:9021/b");
        assert_eq!(config.s3_endpoint(), "https://s3.example.com:9021");
        assert_eq!(config.namespace, "default", "upstream's default namespace");

        pairs.retain(|(k, _)| *k != "s3_host");
        pairs.push(("s3_host", "http://s3.example.com:9020"));
        let config = StoreConfig::from_details(&details(&pairs)).unwrap();
        assert_eq!(config.bucket_url("b"), "http://s3.example.com:9020/b");
    }

    #[test]
    fn s3_public_url_wins_over_legacy_host() {
        let config = StoreConfig::from_details(&with(&[("s3_host", "other.example.com")])).unwrap();
        assert_eq!(config.bucket_url("b"), "https://s3.example.com:9021/b");
        assert_eq!(config.namespace, "cloud");
    }

    #[test]
    fn empty_user_prefix_is_allowed_when_explicit() {
        let config = StoreConfig::from_details(&with(&[("user_prefix", "")])).unwrap();
        assert_eq!(config.user_prefix, "");
    }

    #[test]
    fn debug_hides_the_password() {
        let config = StoreConfig::from_details(&with(&[])).unwrap();
        let debug = format!("{config:?}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
        assert!(debug.contains("redacted"), "{debug}");
    }

    #[test]
    fn user_ids_are_prefixed_and_validated() {
        let config = StoreConfig::from_details(&with(&[])).unwrap();
        assert_eq!(
            config
                .user_id("0E9C6E8A-1F0B-4C39-9C1B-2D5F3E4A5B6C")
                .unwrap(),
            "cs-0e9c6e8a-1f0b-4c39-9c1b-2d5f3e4a5b6c"
        );
        let err = config.user_id("x</user>").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
    }
}
