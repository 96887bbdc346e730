//! What an S3 client is built from: endpoint, credentials, namespace, TLS, timeouts, transfers.
//!
//! Everything is explicit: no ambient AWS configuration (environment variables, profile files,
//! instance metadata) is ever read.

use std::fmt;
use std::time::Duration;

use ecs_common::{Error, ExposeSecret, Result, SecretString, TlsOptions};
use sha2::{Digest, Sha256};

use crate::client::EcsS3Client;

/// The region signed into requests unless another is set; ECS ignores it.
pub const DEFAULT_REGION: &str = "us-east-1";

/// How multipart transfers are cut and how many parts travel at once.
///
/// Memory use of an upload from a stream is about `part_size × (concurrency + 1)`; uploads from
/// files and downloads stream without holding whole parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TransferOptions {
    /// Bodies larger than this are uploaded in parts (default 16 MiB).
    pub multipart_threshold: u64,
    /// The size of each part but the last (default 8 MiB; S3 requires at least 5 MiB).
    pub part_size: u64,
    /// How many parts are uploaded at the same time (default 4).
    pub concurrency: usize,
}

impl Default for TransferOptions {
    fn default() -> Self {
        TransferOptions {
            multipart_threshold: 16 * 1024 * 1024,
            part_size: 8 * 1024 * 1024,
            concurrency: 4,
        }
    }
}

impl TransferOptions {
    /// Sets the size above which uploads use multipart.
    #[must_use]
    pub fn with_multipart_threshold(mut self, bytes: u64) -> Self {
        self.multipart_threshold = bytes;
        self
    }

    /// Sets the part size.
    #[must_use]
    pub fn with_part_size(mut self, bytes: u64) -> Self {
        self.part_size = bytes;
        self
    }

    /// Sets how many parts are uploaded at the same time.
    #[must_use]
    pub fn with_concurrency(mut self, parts: usize) -> Self {
        self.concurrency = parts;
        self
    }

    fn validate(&self) -> Result<()> {
        const MIN_PART: u64 = 5 * 1024 * 1024;
        if self.part_size < MIN_PART {
            return Err(Error::invalid_input("the part size must be at least 5 MiB"));
        }
        if self.multipart_threshold < self.part_size {
            return Err(Error::invalid_input(
                "the multipart threshold must not be below the part size",
            ));
        }
        if self.concurrency == 0 {
            return Err(Error::invalid_input(
                "the transfer concurrency must be at least 1",
            ));
        }
        Ok(())
    }
}

/// A validated S3 client configuration; [`EcsS3Client::new`] and
/// [`ClientCache::get`](crate::ClientCache::get) build clients from it.
#[derive(Clone)]
pub struct ClientConfig {
    pub(crate) endpoint: String,
    pub(crate) access_key: String,
    pub(crate) secret_key: SecretString,
    pub(crate) namespace: Option<String>,
    pub(crate) region: String,
    pub(crate) tls: TlsOptions,
    pub(crate) connect_timeout: Duration,
    pub(crate) attempt_timeout: Duration,
    pub(crate) max_attempts: u32,
    pub(crate) transfer: TransferOptions,
}

impl ClientConfig {
    /// Starts a configuration; `endpoint` and `credentials` are required.
    pub fn builder() -> ClientConfigBuilder {
        ClientConfigBuilder::default()
    }

    /// The endpoint URL, as given (without a trailing `/`).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The access key (an ECS object user id).
    pub fn access_key(&self) -> &str {
        &self.access_key
    }

    /// The namespace sent as `x-emc-namespace`, if any.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The signing region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The multipart settings.
    pub fn transfer(&self) -> TransferOptions {
        self.transfer
    }

    /// Identifies everything a client depends on, with the secret hashed.
    pub(crate) fn cache_key(&self) -> CacheKey {
        CacheKey {
            endpoint: self.endpoint.clone(),
            access_key: self.access_key.clone(),
            secret_digest: Sha256::digest(self.secret_key.expose_secret().as_bytes()).into(),
            namespace: self.namespace.clone(),
            region: self.region.clone(),
            transport: self.transport_key(),
            attempt_timeout: self.attempt_timeout,
            max_attempts: self.max_attempts,
            transfer: self.transfer,
        }
    }

    /// Identifies what the connection pool depends on.
    pub(crate) fn transport_key(&self) -> TransportKey {
        TransportKey {
            insecure: self.tls.is_insecure(),
            extra_roots: self
                .tls
                .extra_roots()
                .iter()
                .map(|cert| cert.as_ref().to_vec())
                .collect(),
            connect_timeout: self.connect_timeout,
        }
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("endpoint", &self.endpoint)
            .field("access_key", &self.access_key)
            .field("secret_key", &"** redacted **")
            .field("namespace", &self.namespace)
            .field("region", &self.region)
            .field("tls", &self.tls)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("max_attempts", &self.max_attempts)
            .field("transfer", &self.transfer)
            .finish()
    }
}

/// The identity of a cached client.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct CacheKey {
    endpoint: String,
    access_key: String,
    secret_digest: [u8; 32],
    namespace: Option<String>,
    region: String,
    transport: TransportKey,
    attempt_timeout: Duration,
    max_attempts: u32,
    transfer: TransferOptions,
}

/// The identity of a cached connection pool.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct TransportKey {
    insecure: bool,
    extra_roots: Vec<Vec<u8>>,
    connect_timeout: Duration,
}

/// Builds a [`ClientConfig`] or, directly, an [`EcsS3Client`].
///
/// ```
/// use ecs_s3::EcsS3Client;
/// let config = EcsS3Client::builder()
///     .endpoint("https://ecs.example.com:9021")
///     .credentials("alice", "secret".into())
///     .namespace(Some("ns1".into()))
///     .build_config()
///     .unwrap();
/// assert_eq!(config.region(), "us-east-1");
/// assert!(!format!("{config:?}").contains("secret\""));
/// ```
#[derive(Default)]
pub struct ClientConfigBuilder {
    endpoint: Option<String>,
    credentials: Option<(String, SecretString)>,
    namespace: Option<String>,
    region: Option<String>,
    tls: TlsOptions,
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    max_attempts: Option<u32>,
    transfer: TransferOptions,
}

impl ClientConfigBuilder {
    /// The S3 endpoint, e.g. `https://ecs:9021`, `http://ecs:9020` or a load balancer URL.
    #[must_use]
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// The object user's access key and secret key.
    #[must_use]
    pub fn credentials(mut self, access_key: impl Into<String>, secret_key: SecretString) -> Self {
        self.credentials = Some((access_key.into(), secret_key));
        self
    }

    /// The namespace sent (and signed) as `x-emc-namespace`; `None` lets ECS use the user's.
    #[must_use]
    pub fn namespace(mut self, namespace: Option<String>) -> Self {
        self.namespace = namespace.filter(|ns| !ns.is_empty());
        self
    }

    /// The signing region (default `us-east-1`).
    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// How the server certificate is verified (default: system roots).
    #[must_use]
    pub fn tls(mut self, tls: TlsOptions) -> Self {
        self.tls = tls;
        self
    }

    /// The time allowed to open a connection (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The time allowed for one attempt of one request until the response headers arrive
    /// (default 5 min; a part upload is one request). Streaming a downloaded body is not limited.
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// How many times a request is tried in total on retryable failures (default 3).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// The multipart settings.
    #[must_use]
    pub fn transfer(mut self, transfer: TransferOptions) -> Self {
        self.transfer = transfer;
        self
    }

    /// Validates the settings; sends nothing.
    pub fn build_config(self) -> Result<ClientConfig> {
        let endpoint = validate_endpoint(
            self.endpoint
                .as_deref()
                .ok_or_else(|| Error::invalid_input("the S3 endpoint is required"))?,
        )?;
        let (access_key, secret_key) = self
            .credentials
            .ok_or_else(|| Error::invalid_input("S3 credentials are required"))?;
        if access_key.is_empty() || secret_key.expose_secret().is_empty() {
            return Err(Error::invalid_input(
                "the S3 access key and secret key must not be empty",
            ));
        }
        if let Some(namespace) = &self.namespace {
            validate_namespace(namespace)?;
        }
        self.transfer.validate()?;
        let max_attempts = self.max_attempts.unwrap_or(3);
        if max_attempts == 0 {
            return Err(Error::invalid_input("max attempts must be at least 1"));
        }
        Ok(ClientConfig {
            endpoint,
            access_key,
            secret_key,
            namespace: self.namespace,
            region: self.region.unwrap_or_else(|| DEFAULT_REGION.to_owned()),
            tls: self.tls,
            connect_timeout: self.connect_timeout.unwrap_or(Duration::from_secs(10)),
            attempt_timeout: self.attempt_timeout.unwrap_or(Duration::from_secs(300)),
            max_attempts,
            transfer: self.transfer,
        })
    }

    /// Validates the settings and builds a client with its own connection pool.
    pub fn build(self) -> Result<EcsS3Client> {
        EcsS3Client::new(self.build_config()?)
    }
}

impl fmt::Debug for ClientConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfigBuilder")
            .field("endpoint", &self.endpoint)
            .field(
                "access_key",
                &self.credentials.as_ref().map(|(access, _)| access),
            )
            .field(
                "secret_key",
                &ecs_common::redacted(self.credentials.as_ref().map(|(_, secret)| secret)),
            )
            .field("namespace", &self.namespace)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

/// Checks that a namespace can travel in a header: visible ASCII, no spaces.
fn validate_namespace(namespace: &str) -> Result<()> {
    if namespace.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(Error::invalid_input(format!(
            "the namespace {namespace:?} may hold only visible ASCII characters"
        )))
    }
}

/// Checks that `url` is `http(s)://host[:port]` and returns it without a trailing `/`.
fn validate_endpoint(url: &str) -> Result<String> {
    let parsed = url::Url::parse(url).map_err(|err| {
        Error::invalid_input(format!("the S3 endpoint {url:?} is not a URL: {err}"))
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::invalid_input(format!(
            "the S3 endpoint {url:?} must start with http:// or https://"
        )));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(Error::invalid_input(format!(
            "the S3 endpoint {url:?} has no host"
        )));
    }
    if parsed.path() != "/" || parsed.query().is_some() || !parsed.username().is_empty() {
        return Err(Error::invalid_input(format!(
            "the S3 endpoint {url:?} must not carry a path, query or user"
        )));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> ClientConfigBuilder {
        ClientConfig::builder().credentials("alice", "s3cr3t-value".into())
    }

    #[test]
    fn endpoint_keeps_scheme_and_port() {
        let config = builder()
            .endpoint("https://ecs.example.com:9021/")
            .build_config()
            .unwrap();
        assert_eq!(config.endpoint(), "https://ecs.example.com:9021");
        let config = builder()
            .endpoint("http://10.0.0.1:9020")
            .build_config()
            .unwrap();
        assert_eq!(config.endpoint(), "http://10.0.0.1:9020");
    }

    #[test]
    fn bad_endpoints_are_invalid_input() {
        for url in [
            "ecs:9020",
            "ftp://ecs",
            "http://ecs/bucket",
            "http://ecs?x=1",
            "",
        ] {
            let err = builder().endpoint(url).build_config().unwrap_err();
            assert_eq!(err.kind(), ecs_common::ErrorKind::InvalidInput, "{url}");
        }
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let b = builder().endpoint("http://ecs:9020");
        assert!(!format!("{b:?}").contains("s3cr3t-value"));
        let config = b.build_config().unwrap();
        let debug = format!("{config:?}");
        assert!(!debug.contains("s3cr3t-value"));
        assert!(debug.contains("redacted"));
    }

    #[test]
    fn cache_keys_differ_by_secret_and_namespace() {
        let a = builder()
            .endpoint("http://ecs:9020")
            .build_config()
            .unwrap();
        let b = ClientConfig::builder()
            .endpoint("http://ecs:9020")
            .credentials("alice", "other".into())
            .build_config()
            .unwrap();
        let c = builder()
            .endpoint("http://ecs:9020")
            .namespace(Some("ns1".into()))
            .build_config()
            .unwrap();
        assert_eq!(a.cache_key(), a.clone().cache_key());
        assert_ne!(a.cache_key(), b.cache_key());
        assert_ne!(a.cache_key(), c.cache_key());
        assert_eq!(a.transport_key(), c.transport_key());
    }

    #[test]
    fn small_parts_are_refused() {
        let err = builder()
            .endpoint("http://ecs:9020")
            .transfer(TransferOptions::default().with_part_size(1024))
            .build_config()
            .unwrap_err();
        assert_eq!(err.kind(), ecs_common::ErrorKind::InvalidInput);
    }
}
