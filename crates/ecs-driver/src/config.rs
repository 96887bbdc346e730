//! [`StoreConfig`]: CloudStack's object-store details map, parsed and validated without network.
//!
//! Every error names the detail key at fault, because the message reaches the administrator
//! through `Failed to add object store: <message>`.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use ecs_common::{Error, Result, SecretString, TlsOptions};
use url::Url;

use crate::features::Features;
use crate::tenancy::Tenancy;
use crate::validate;

/// The detail keys CloudStack passes in `details[n].key`.
pub mod keys {
    /// Base URL of the ECS Management API, e.g. `https://ecs.example.com:4443` (the upstream
    /// form's "ECS API URL").
    pub const MGMT_URL: &str = "mgmt_url";
    /// Management (service-account) user.
    pub const SA_USER: &str = "sa_user";
    /// Password of the service account.
    pub const SA_PASSWORD: &str = "sa_password";
    /// The ECS namespace this store manages.
    pub const NAMESPACE: &str = "namespace";
    /// S3 base URL shown to users (in bucket URLs and the UI's bucket browser); the same as the
    /// store's URL when both are given.
    pub const S3_PUBLIC_URL: &str = "s3_public_url";
    /// S3 base URL the driver itself uses; defaults to `s3_host`, then to the public one.
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
    /// The upstream plug-in's "ECS Private URL": the S3 endpoint CloudStack itself uses
    /// (`host[:port]`, https implied, or a URL). Same meaning as `s3_private_url`.
    pub const S3_HOST: &str = "s3_host";
    /// Not a detail: the name under which errors refer to the store's own URL (CloudStack's
    /// `object_store.url`, the upstream form's "ECS Public URL").
    pub const STORE_URL: &str = "url";
}

/// The default prefix of ECS object-user names.
pub const DEFAULT_USER_PREFIX: &str = "cs-";

/// How long a new S3 key may take to work on every ECS node (ECS documents up to two minutes).
pub const KEY_PROPAGATION_WAIT: Duration = Duration::from_secs(120);

/// The namespace the upstream plug-in uses when none is configured (its form only).
const UPSTREAM_DEFAULT_NAMESPACE: &str = "default";

/// Everything one CloudStack object store needs to reach ECS, validated.
///
/// Built with [`StoreConfig::from_store`] (or [`StoreConfig::from_details`]) and read through
/// accessors, so a value that passed validation cannot be changed afterwards; `Debug` never
/// shows the password.
///
/// # Which detail wins
///
/// One rule, the same for the upstream plug-in's form and for ours:
///
/// | endpoint | taken from, first present wins | contradiction (rejected, naming both) |
/// |---|---|---|
/// | management API | `mgmt_url` (required) | – |
/// | public S3 (bucket URLs) | `s3_public_url`, then the store URL | `s3_public_url` ≠ store URL, unless the store URL is `mgmt_url` (this plug-in's earlier form) |
/// | private S3 (the driver's traffic) | `s3_private_url`, then `s3_host`, then the public S3 URL | `s3_private_url` ≠ `s3_host` |
///
/// `namespace` is required, except in the upstream form (no `s3_public_url`: the public URL
/// is the store URL), where it defaults to `default` as the upstream plug-in does.
#[derive(Clone)]
pub struct StoreConfig {
    mgmt_url: Url,
    sa_user: String,
    sa_password: SecretString,
    namespace: String,
    s3_public_url: Url,
    s3_private_url: Url,
    tls: TlsOptions,
    user_prefix: String,
    replication_group: Option<String>,
    cors_origins: Vec<String>,
    key_propagation_wait: Duration,
    features: Features,
    tenancy: Tenancy,
}

impl StoreConfig {
    /// [`from_store`](Self::from_store) without a store URL (a details map alone, as `ecsctl`
    /// reads it from a properties file).
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
    /// assert_eq!(config.user_prefix(), "cs-");
    /// assert!(!format!("{config:?}").contains("secret\""));
    /// ```
    pub fn from_details(details: &HashMap<String, String>) -> Result<StoreConfig> {
        StoreConfig::from_store(None, details)
    }

    /// Parses and validates one CloudStack object store: its URL (`object_store.url`, the
    /// form's URL field; `None` or blank when there is none) and its details map. Sends
    /// nothing.
    ///
    /// Required: `mgmt_url`, `sa_user`, `sa_password`, a public S3 URL (`s3_public_url` or the
    /// store URL) and `namespace` (see the type's documentation for the precedence rule).
    /// Errors are [`ErrorKind::InvalidInput`](ecs_common::ErrorKind) and name the keys.
    ///
    /// ```
    /// # use std::collections::HashMap;
    /// // Exactly what the upstream ECS plug-in's "add object storage" form sends.
    /// let details: HashMap<String, String> = [
    ///     ("mgmt_url", "https://ecs.example.com:4443"),
    ///     ("sa_user", "root"),
    ///     ("sa_password", "secret"),
    ///     ("s3_host", "10.0.0.5:9021"),
    /// ]
    /// .into_iter()
    /// .map(|(k, v)| (k.to_owned(), v.to_owned()))
    /// .collect();
    /// let config =
    ///     ecs_driver::StoreConfig::from_store(Some("https://s3.example.com"), &details).unwrap();
    /// assert_eq!(config.bucket_url("b1"), "https://s3.example.com/b1");
    /// assert_eq!(config.s3_endpoint(), "https://10.0.0.5:9021");
    /// assert_eq!(config.namespace(), "default");
    /// ```
    pub fn from_store(
        store_url: Option<&str>,
        details: &HashMap<String, String>,
    ) -> Result<StoreConfig> {
        let get = |key: &str| {
            details
                .get(key)
                .map(|value| value.trim())
                .filter(|value| !value.is_empty())
        };
        let required = |key: &'static str| get(key).ok_or_else(|| field_error(key, "is required"));
        let store_url = store_url.map(str::trim).filter(|url| !url.is_empty());

        let mgmt_url = parse_base_url(keys::MGMT_URL, required(keys::MGMT_URL)?)?;
        let sa_user = parse_sa_user(required(keys::SA_USER)?)?;
        let sa_password = parse_password(details)?;

        let public_detail = get(keys::S3_PUBLIC_URL)
            .map(|url| parse_base_url(keys::S3_PUBLIC_URL, url))
            .transpose()?;
        let store_url = store_url
            .map(|url| parse_base_url(keys::STORE_URL, url))
            .transpose()?;
        let upstream_form = public_detail.is_none();
        let namespace = match get(keys::NAMESPACE) {
            Some(namespace) => namespace,
            None if upstream_form => UPSTREAM_DEFAULT_NAMESPACE,
            None => return Err(field_error(keys::NAMESPACE, "is required")),
        };
        validate::namespace(namespace).map_err(|err| field_error(keys::NAMESPACE, &err))?;
        let s3_public_url = match (public_detail, store_url) {
            (Some(public), Some(store)) if !same_url(&public, &store) => {
                if !same_url(&store, &mgmt_url) {
                    return Err(Error::invalid_input(format!(
                        "store URL (url) {} and store detail s3_public_url {} differ: both name \
                         the S3 endpoint users see; give one, or the same URL in both",
                        base_str(&store),
                        base_str(&public)
                    )));
                }
                public
            }
            (Some(public), _) => public,
            (None, Some(store)) => store,
            (None, None) => {
                return Err(field_error(
                    keys::S3_PUBLIC_URL,
                    "is required (or the store URL, the form's \"ECS Public URL\")",
                ));
            }
        };

        let private_detail = get(keys::S3_PRIVATE_URL)
            .map(|url| parse_base_url(keys::S3_PRIVATE_URL, url))
            .transpose()?;
        let host = get(keys::S3_HOST).map(parse_s3_host).transpose()?;
        let s3_private_url = match (private_detail, host) {
            (Some(private), Some(host)) if !same_url(&private, &host) => {
                return Err(Error::invalid_input(format!(
                    "store details s3_private_url {} and s3_host {} differ: both name the S3 \
                     endpoint the driver uses; give one, or the same endpoint in both",
                    base_str(&private),
                    base_str(&host)
                )));
            }
            (Some(private), _) => private,
            (None, Some(host)) => host,
            (None, None) => s3_public_url.clone(),
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
            features: Features::from_details(details)?,
            tenancy: Tenancy::from_details(details)?,
        })
    }

    /// The same configuration with another wait for a new key to propagate (tests shorten it).
    #[must_use]
    pub fn with_key_propagation_wait(mut self, wait: Duration) -> StoreConfig {
        self.key_propagation_wait = wait;
        self
    }

    /// The same endpoints and credentials as another store: `tenancy` and `user_prefix`
    /// replaced (tools that run a second store beside the first, such as `ecsctl demo`).
    /// Fails with `InvalidInput` for a prefix the `user_prefix` detail would refuse.
    pub fn with_tenancy(mut self, tenancy: Tenancy, user_prefix: &str) -> Result<StoreConfig> {
        validate::user_prefix(user_prefix).map_err(|err| field_error(keys::USER_PREFIX, &err))?;
        user_prefix.clone_into(&mut self.user_prefix);
        self.tenancy = tenancy;
        Ok(self)
    }

    /// Base URL of the ECS Management API.
    pub fn mgmt_url(&self) -> &Url {
        &self.mgmt_url
    }

    /// Management (service-account) user name.
    pub fn sa_user(&self) -> &str {
        &self.sa_user
    }

    /// Service-account password.
    pub fn sa_password(&self) -> &SecretString {
        &self.sa_password
    }

    /// The ECS namespace holding this store's users and buckets.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// S3 base URL shown to users; bucket URLs are `<s3_public_url>/<bucket>`.
    pub fn s3_public_url(&self) -> &Url {
        &self.s3_public_url
    }

    /// S3 base URL the driver uses.
    pub fn s3_private_url(&self) -> &Url {
        &self.s3_private_url
    }

    /// TLS verification settings shared by the management and S3 clients.
    pub fn tls(&self) -> &TlsOptions {
        &self.tls
    }

    /// Prefix of the ECS object-user names.
    pub fn user_prefix(&self) -> &str {
        &self.user_prefix
    }

    /// Replication group for new buckets (URN or name); `None` = the namespace default.
    pub fn replication_group(&self) -> Option<&str> {
        self.replication_group.as_deref()
    }

    /// Origins allowed by the CORS rule put on new buckets; empty = no CORS rule.
    pub fn cors_origins(&self) -> &[String] {
        &self.cors_origins
    }

    /// How long bucket creation keeps retrying an S3 call refused because the owner's new key
    /// has not reached every ECS node yet (default [`KEY_PROPAGATION_WAIT`]).
    pub fn key_propagation_wait(&self) -> Duration {
        self.key_propagation_wait
    }

    /// The options beyond endpoints and credentials (per-bucket credentials, tags).
    pub fn features(&self) -> &Features {
        &self.features
    }

    /// Where the store keeps its accounts: one shared namespace, or one per CloudStack domain
    /// (store detail `tenancy`).
    pub fn tenancy(&self) -> &Tenancy {
        &self.tenancy
    }

    /// The ECS object-user name of a CloudStack account: `<user_prefix><account uuid>`.
    ///
    /// Fails with `InvalidInput` when `account_uuid` is not a UUID.
    pub fn user_id(&self, account_uuid: &str) -> Result<String> {
        let uuid = validate::account_uuid(account_uuid)?;
        Ok(format!("{}{uuid}", self.user_prefix))
    }

    /// The ECS object user of a bucket's own credential: `<user_prefix>bucket-<bucket>`.
    ///
    /// Fails with `InvalidInput` when `bucket` is not a valid bucket name.
    pub fn bucket_credential_user(&self, bucket: &str) -> Result<String> {
        validate::bucket_name(bucket)?;
        Ok(format!("{}bucket-{bucket}", self.user_prefix))
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
            .field("features", &self.features)
            .field("tenancy", &self.tenancy)
            .finish()
    }
}

/// Whether two base URLs name the same endpoint (`Url` already lower-cases the host and drops
/// a default port; a trailing slash does not count).
fn same_url(a: &Url, b: &Url) -> bool {
    base_str(a) == base_str(b)
}

fn field_error(key: &str, problem: &str) -> Error {
    if key == keys::STORE_URL {
        return Error::invalid_input(format!("store URL (url) {problem}"));
    }
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

/// The upstream plug-in's `s3_host`: `host[:port]` (https implied, as upstream) or a full URL
/// (its scheme is kept, so plain-HTTP port 9020 works).
fn parse_s3_host(host: &str) -> Result<Url> {
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
        assert_eq!(config.user_prefix(), "cs-");
        assert_eq!(config.namespace(), "cloud");
        assert_eq!(config.sa_password().expose_secret(), "s3cr3t pass");
        assert!(config.replication_group().is_none());
        assert!(config.cors_origins().is_empty());
        assert!(!config.tls().is_insecure());
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
        assert!(config.tls().is_insecure());
        assert_eq!(config.user_prefix(), "acs_");
        assert_eq!(
            config.replication_group(),
            Some("urn:storageos:ReplicationGroupInfo:abc:global")
        );
        assert_eq!(
            config.cors_origins(),
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

    /// The upstream plug-in's form: the store URL is the public S3 URL ("ECS Public URL"),
    /// `s3_host` the private one ("ECS Private URL"), `namespace` optional.
    #[test]
    fn upstream_form_means_what_its_users_were_told() {
        let upstream = |extra: &[(&'static str, &'static str)]| {
            let mut pairs = vec![
                ("mgmt_url", "https://ecs.example.com:4443/"),
                ("sa_user", "root"),
                ("sa_password", "pw"),
            ];
            pairs.extend_from_slice(extra);
            details(&pairs)
        };
        let public = Some("https://s3.example.com");

        // Every field of the form.
        let config = StoreConfig::from_store(
            public,
            &upstream(&[
                ("s3_host", "10.0.0.5:9021/"),
                ("namespace", "cloud"),
                ("user_prefix", "acs-"),
                ("insecure", "true"),
            ]),
        )
        .unwrap();
        assert_eq!(config.bucket_url("b"), "https://s3.example.com/b");
        assert_eq!(config.s3_endpoint(), "https://10.0.0.5:9021");
        assert_eq!(config.mgmt_endpoint(), "https://ecs.example.com:4443");
        assert_eq!(config.namespace(), "cloud");
        assert_eq!(config.user_prefix(), "acs-");
        assert!(config.tls().is_insecure());

        // Only the required fields: both S3 URLs are the public one, upstream's namespace.
        let config = StoreConfig::from_store(public, &upstream(&[])).unwrap();
        assert_eq!(config.s3_endpoint(), "https://s3.example.com");
        assert_eq!(config.bucket_url("b"), "https://s3.example.com/b");
        assert_eq!(
            config.namespace(),
            "default",
            "upstream's default namespace"
        );
        assert_eq!(config.user_prefix(), "cs-");

        // A full URL in s3_host keeps its scheme (plain-HTTP 9020 works).
        let config =
            StoreConfig::from_store(public, &upstream(&[("s3_host", "http://10.0.0.5:9020")]))
                .unwrap();
        assert_eq!(config.s3_endpoint(), "http://10.0.0.5:9020");
        assert_eq!(config.bucket_url("b"), "https://s3.example.com/b");

        // Without a store URL there is no public URL.
        let message = error_for(&upstream(&[("s3_host", "10.0.0.5:9021")]));
        assert!(message.contains("s3_public_url"), "{message}");
        assert!(message.contains("store URL"), "{message}");
    }

    #[test]
    fn s3_host_is_the_private_url_next_to_our_keys() {
        let config = StoreConfig::from_details(&with(&[("s3_host", "other.example.com")])).unwrap();
        assert_eq!(config.bucket_url("b"), "https://s3.example.com:9021/b");
        assert_eq!(config.s3_endpoint(), "https://other.example.com");
        assert_eq!(config.namespace(), "cloud");
        // The same endpoint twice is no contradiction.
        let config = StoreConfig::from_details(&with(&[
            ("s3_host", "10.0.0.5:9021"),
            ("s3_private_url", "https://10.0.0.5:9021/"),
        ]))
        .unwrap();
        assert_eq!(config.s3_endpoint(), "https://10.0.0.5:9021");
    }

    #[test]
    fn store_url_and_s3_public_url_agree_or_are_refused() {
        let same =
            StoreConfig::from_store(Some("https://S3.example.com:9021/"), &with(&[])).unwrap();
        assert_eq!(same.bucket_url("b"), "https://s3.example.com:9021/b");

        let err =
            StoreConfig::from_store(Some("https://elsewhere.example.com"), &with(&[])).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        let message = err.to_string();
        for named in [
            "url",
            "s3_public_url",
            "elsewhere.example.com",
            "s3.example.com:9021",
        ] {
            assert!(message.contains(named), "{named}: {message}");
        }

        // This plug-in's earlier form put the management URL in the store URL.
        let earlier =
            StoreConfig::from_store(Some("https://ecs.example.com:4443"), &with(&[])).unwrap();
        assert_eq!(earlier.bucket_url("b"), "https://s3.example.com:9021/b");
        assert_eq!(earlier.mgmt_endpoint(), "https://ecs.example.com:4443");

        let message = match StoreConfig::from_store(Some("ecs.example.com"), &with(&[])) {
            Err(err) => err.to_string(),
            Ok(config) => panic!("accepted {config:?}"),
        };
        assert!(message.contains("store URL (url)"), "{message}");
    }

    #[test]
    fn s3_private_url_and_s3_host_agree_or_are_refused() {
        let message = error_for(&with(&[
            ("s3_private_url", "http://10.0.0.5:9020"),
            ("s3_host", "10.0.0.6:9021"),
        ]));
        for named in [
            "s3_private_url",
            "s3_host",
            "10.0.0.5:9020",
            "10.0.0.6:9021",
        ] {
            assert!(message.contains(named), "{named}: {message}");
        }
    }

    #[test]
    fn the_store_url_never_stands_in_for_mgmt_url() {
        let mut pairs = minimal();
        pairs.retain(|(k, _)| *k != "mgmt_url");
        let err = StoreConfig::from_store(Some("https://s3.example.com:9021"), &details(&pairs))
            .unwrap_err();
        assert!(err.to_string().contains("mgmt_url"), "{err}");
    }

    #[test]
    fn key_propagation_wait_can_be_shortened() {
        let config = StoreConfig::from_details(&with(&[])).unwrap();
        assert_eq!(config.key_propagation_wait(), KEY_PROPAGATION_WAIT);
        let config = config.with_key_propagation_wait(Duration::from_millis(5));
        assert_eq!(config.key_propagation_wait(), Duration::from_millis(5));
    }

    #[test]
    fn empty_user_prefix_is_allowed_when_explicit() {
        let config = StoreConfig::from_details(&with(&[("user_prefix", "")])).unwrap();
        assert_eq!(config.user_prefix(), "");
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
