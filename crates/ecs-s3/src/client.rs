//! [`EcsS3Client`]: the `aws-sdk-s3` client configured for ECS, built in exactly one place.

use std::fmt;
use std::sync::Arc;

use aws_credential_types::Credentials;
use aws_sdk_s3::config::interceptors::BeforeTransmitInterceptorContextMut;
use aws_sdk_s3::config::{
    BehaviorVersion, ConfigBag, Intercept, Region, RequestChecksumCalculation,
    ResponseChecksumValidation, RuntimeComponents, SharedHttpClient,
};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use ecs_common::{ExposeSecret, Result};

use crate::config::{ClientConfig, ClientConfigBuilder, TransferOptions};
use crate::transport::Transport;

/// An S3 client for one ECS endpoint and one object user.
///
/// Cloning is cheap (an `Arc`); clones share the connection pool. Build one with
/// [`EcsS3Client::builder`], or get a shared one from [`ClientCache`](crate::ClientCache).
#[derive(Clone)]
pub struct EcsS3Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: ClientConfig,
    /// Signs requests with `x-emc-namespace` when a namespace is set.
    sdk: aws_sdk_s3::Client,
    /// Signs presigned URLs without extra headers, so a browser can follow them.
    presign_sdk: aws_sdk_s3::Client,
}

impl EcsS3Client {
    /// Starts building a client.
    pub fn builder() -> ClientConfigBuilder {
        ClientConfig::builder()
    }

    /// Builds a client with its own connection pool.
    pub fn new(config: ClientConfig) -> Result<Self> {
        let transport = Transport::new(&config.tls, config.connect_timeout)?.into_shared();
        Ok(Self::with_transport(config, transport))
    }

    /// Builds a client over an existing connection pool.
    pub(crate) fn with_transport(config: ClientConfig, transport: SharedHttpClient) -> Self {
        let sdk = aws_sdk_s3::Client::from_conf(sdk_config(&config, transport.clone(), true));
        let presign_sdk = aws_sdk_s3::Client::from_conf(sdk_config(&config, transport, false));
        EcsS3Client {
            inner: Arc::new(Inner {
                config,
                sdk,
                presign_sdk,
            }),
        }
    }

    /// The configuration this client was built from.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Whether `other` is a clone of this client (same configuration and pool).
    pub fn same_client(&self, other: &EcsS3Client) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    pub(crate) fn sdk(&self) -> &aws_sdk_s3::Client {
        &self.inner.sdk
    }

    pub(crate) fn presign_sdk(&self) -> &aws_sdk_s3::Client {
        &self.inner.presign_sdk
    }

    pub(crate) fn transfer(&self) -> TransferOptions {
        self.inner.config.transfer
    }
}

impl fmt::Debug for EcsS3Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcsS3Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// The SDK configuration: explicit endpoint, path style, static credentials, no ambient config.
fn sdk_config(
    config: &ClientConfig,
    transport: SharedHttpClient,
    with_namespace: bool,
) -> aws_sdk_s3::Config {
    let credentials = Credentials::new(
        config.access_key.clone(),
        config.secret_key.expose_secret().to_owned(),
        None,
        None,
        "ecs-s3",
    );
    let timeouts = TimeoutConfig::builder()
        .operation_attempt_timeout(config.attempt_timeout)
        .connect_timeout(config.connect_timeout)
        .build();
    let mut builder = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(config.endpoint.clone())
        .force_path_style(true)
        .region(Region::new(config.region.clone()))
        .credentials_provider(credentials)
        .http_client(transport)
        .retry_config(RetryConfig::standard().with_max_attempts(config.max_attempts))
        .timeout_config(timeouts)
        // ECS predates the SDK's default CRC32 checksums; send them only where S3 requires one.
        .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
        .response_checksum_validation(ResponseChecksumValidation::WhenRequired);
    if with_namespace && let Some(namespace) = &config.namespace {
        builder = builder.interceptor(NamespaceHeader::new(namespace));
    }
    builder.build()
}

/// The header ECS reads the target namespace from.
const NAMESPACE_HEADER: &str = "x-emc-namespace";

/// Adds `x-emc-namespace` before signing, so the namespace is part of the signature.
#[derive(Debug)]
struct NamespaceHeader {
    namespace: String,
}

impl NamespaceHeader {
    fn new(namespace: &str) -> Self {
        NamespaceHeader {
            namespace: namespace.to_owned(),
        }
    }
}

impl Intercept for NamespaceHeader {
    fn name(&self) -> &'static str {
        "EcsNamespaceHeader"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> std::result::Result<(), BoxError> {
        context
            .request_mut()
            .headers_mut()
            .try_insert(NAMESPACE_HEADER, self.namespace.clone())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_and_clones_share() {
        let client = EcsS3Client::builder()
            .endpoint("https://ecs.example.com:9021")
            .credentials("alice", "very-secret-key".into())
            .namespace(Some("ns1".into()))
            .build()
            .unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("very-secret-key"), "{debug}");
        assert!(debug.contains("ns1"), "{debug}");
        assert!(client.clone().same_client(&client));
        assert_eq!(client.config().endpoint(), "https://ecs.example.com:9021");
    }

    #[test]
    fn namespaces_with_spaces_are_refused() {
        let err = EcsS3Client::builder()
            .endpoint("http://ecs:9020")
            .credentials("alice", "secret".into())
            .namespace(Some("bad ns".into()))
            .build_config()
            .unwrap_err();
        assert_eq!(err.kind(), ecs_common::ErrorKind::InvalidInput);
    }
}
