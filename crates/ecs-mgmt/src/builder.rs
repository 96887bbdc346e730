//! [`EcsMgmtClientBuilder`]: validates the configuration and builds the one pooled reqwest
//! client (rustls from [`TlsOptions`], redirects off, timeouts, user agent, no proxy).

use std::fmt;
use std::time::Duration;

use ecs_common::{Error, ErrorKind, Result, SecretString, TlsOptions};

use crate::client::{EcsMgmtClient, Settings};
use crate::retry::RetryConfig;
use crate::token::TokenPolicy;
use crate::transport::error_chain;
use crate::wire::Format;

/// The `User-Agent` sent unless [`EcsMgmtClientBuilder::user_agent`] says otherwise.
pub const DEFAULT_USER_AGENT: &str = concat!("ecs-mgmt/", env!("CARGO_PKG_VERSION"));

/// Configures an [`EcsMgmtClient`].
///
/// ```
/// use std::time::Duration;
/// use ecs_mgmt::{EcsMgmtClient, RetryConfig};
///
/// let client = EcsMgmtClient::builder()
///     .endpoint("https://ecs.example.com:4443")?
///     .credentials("svc-cloudstack", "secret".into())
///     .connect_timeout(Duration::from_secs(5))
///     .retry(RetryConfig::default().with_max_retries(2))
///     .build()?;
/// assert_eq!(client.endpoint(), "https://ecs.example.com:4443");
/// # Ok::<(), ecs_common::Error>(())
/// ```
pub struct EcsMgmtClientBuilder {
    endpoint: Option<String>,
    username: Option<String>,
    password: Option<SecretString>,
    tls: TlsOptions,
    connect_timeout: Duration,
    request_timeout: Duration,
    retry: RetryConfig,
    override_header: bool,
    user_agent: String,
    format: Format,
    token_policy: TokenPolicy,
    empty_bucket_timeout: Duration,
    page_size: Option<u32>,
}

impl Default for EcsMgmtClientBuilder {
    fn default() -> Self {
        EcsMgmtClientBuilder {
            endpoint: None,
            username: None,
            password: None,
            tls: TlsOptions::default(),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            retry: RetryConfig::default(),
            override_header: false,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            format: Format::default(),
            token_policy: TokenPolicy::default(),
            empty_bucket_timeout: Duration::from_secs(30 * 60),
            page_size: None,
        }
    }
}

impl EcsMgmtClientBuilder {
    /// The management endpoint, such as `https://ecs.example.com:4443` (http or https, no
    /// query; a trailing `/` is ignored).
    pub fn endpoint(mut self, url: &str) -> Result<Self> {
        self.endpoint = Some(normalize_endpoint(url)?);
        Ok(self)
    }

    /// The management user and its password.
    #[must_use]
    pub fn credentials(mut self, username: impl Into<String>, password: SecretString) -> Self {
        self.username = Some(username.into());
        self.password = Some(password);
        self
    }

    /// How the server certificate is verified (system roots by default).
    #[must_use]
    pub fn tls(mut self, tls: TlsOptions) -> Self {
        self.tls = tls;
        self
    }

    /// The limit for establishing a connection (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The limit for one attempt of one request, body included (default 60 s).
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The retry policy (see [`RetryConfig`]).
    #[must_use]
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Sends `X-EMC-Override: true`, which ECS Flex and early ObjectScale need for user and
    /// key management (off by default).
    #[must_use]
    pub fn override_header(mut self, enabled: bool) -> Self {
        self.override_header = enabled;
        self
    }

    /// The `User-Agent` header (default [`DEFAULT_USER_AGENT`]).
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The body format (JSON by default; both are fully supported).
    #[must_use]
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// How long before its announced end a token is replaced (default 60 s).
    #[must_use]
    pub fn token_refresh_skew(mut self, skew: Duration) -> Self {
        self.token_policy.skew = skew;
        self
    }

    /// ECS's idle expiry of tokens (default 2 hours, ECS's default).
    #[must_use]
    pub fn token_idle_timeout(mut self, idle: Duration) -> Self {
        self.token_policy.idle_timeout = idle;
        self
    }

    /// How long bucket deletion with `emptyBucket` waits for ECS to finish (default 30 min).
    #[must_use]
    pub fn empty_bucket_timeout(mut self, timeout: Duration) -> Self {
        self.empty_bucket_timeout = timeout;
        self
    }

    /// Items per page of listings (`limit`); by default ECS chooses.
    #[must_use]
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size.max(1));
        self
    }

    /// Builds the client; fails with [`ErrorKind::InvalidInput`] when the endpoint or the
    /// credentials are missing, or [`ErrorKind::Tls`] when the TLS options cannot be used.
    pub fn build(self) -> Result<EcsMgmtClient> {
        let base = self
            .endpoint
            .ok_or_else(|| Error::invalid_input("the management endpoint is not set"))?;
        let (Some(username), Some(password)) = (self.username, self.password) else {
            return Err(Error::invalid_input(
                "the management credentials are not set",
            ));
        };
        if username.trim().is_empty() {
            return Err(Error::invalid_input("the management user name is empty"));
        }
        let tls = self.tls.rustls_client_config()?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            .user_agent(self.user_agent)
            .no_proxy()
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .map_err(|err| {
                Error::new(
                    ErrorKind::Tls,
                    format!("cannot build the HTTP client: {}", error_chain(&err)),
                )
            })?;
        Ok(EcsMgmtClient::new(Settings {
            http,
            base,
            username,
            password,
            format: self.format,
            override_header: self.override_header,
            retry: self.retry,
            token_policy: self.token_policy,
            empty_bucket_timeout: self.empty_bucket_timeout,
            page_size: self.page_size,
        }))
    }
}

fn normalize_endpoint(text: &str) -> Result<String> {
    let url = url::Url::parse(text.trim()).map_err(|err| {
        Error::invalid_input(format!(
            "the management endpoint `{text}` is not a URL: {err}"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(Error::invalid_input(format!(
            "the management endpoint `{text}` must be an http(s) URL with a host"
        )));
    }
    if url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(Error::invalid_input(
            "the management endpoint must not carry a query, fragment or credentials",
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

impl fmt::Debug for EcsMgmtClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcsMgmtClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("username", &self.username)
            .field("password", &ecs_common::redacted(self.password.as_ref()))
            .field("tls", &self.tls)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("retry", &self.retry)
            .field("override_header", &self.override_header)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_validated_and_normalized() {
        assert_eq!(
            normalize_endpoint("https://ecs:4443/").unwrap(),
            "https://ecs:4443"
        );
        assert_eq!(
            normalize_endpoint("http://127.0.0.1:80").unwrap(),
            "http://127.0.0.1"
        );
        for bad in [
            "ecs:4443",
            "ftp://ecs",
            "https://ecs:4443/?a=b",
            "https://u:p@ecs",
            "not a url",
        ] {
            assert_eq!(
                normalize_endpoint(bad).unwrap_err().kind(),
                ErrorKind::InvalidInput,
                "{bad}"
            );
        }
    }

    #[test]
    fn build_requires_endpoint_and_credentials() {
        let missing = EcsMgmtClient::builder()
            .credentials("u", "p".into())
            .build()
            .unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::InvalidInput);
        let anonymous = EcsMgmtClient::builder()
            .endpoint("https://ecs")
            .unwrap()
            .build()
            .unwrap_err();
        assert_eq!(anonymous.kind(), ErrorKind::InvalidInput);
    }

    #[test]
    fn debug_output_never_shows_the_password() {
        let builder = EcsMgmtClient::builder()
            .endpoint("https://ecs:4443")
            .unwrap()
            .credentials("root", "ChangeMe-secret".into());
        assert!(!format!("{builder:?}").contains("ChangeMe-secret"));
        let client = builder.build().unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("ChangeMe-secret"));
        assert!(shown.contains("root"));
    }
}
