//! The HTTP transport under the SDK: one pooled hyper client whose TLS is the rustls
//! configuration built by [`ecs_common::TlsOptions`], so S3 trusts exactly what `ecs-mgmt` trusts.
//!
//! `aws-smithy-http-client` can add PEM roots but cannot take a whole `rustls::ClientConfig`
//! (needed for an explicit "accept invalid certificates"), so this module plugs a small
//! [`HttpClient`] of its own into the SDK: hyper-util's pooled client over hyper-rustls.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use ecs_common::{Result, TlsOptions};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector as TcpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

type HyperClient = Client<HttpsConnector<TcpConnector>, SdkBody>;

/// How long an idle pooled connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// A pooled HTTP(S) client; cloning shares the pool.
#[derive(Clone)]
pub(crate) struct Transport {
    client: HyperClient,
}

impl Transport {
    /// Builds a client for `http://` and `https://` endpoints with these TLS options.
    pub(crate) fn new(tls: &TlsOptions, connect_timeout: Duration) -> Result<Self> {
        // hyper-rustls sets the ALPN protocols itself from `enable_http1/2`.
        let tls_config = tls.rustls_client_config()?;
        let mut tcp = TcpConnector::new();
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        tcp.set_connect_timeout(Some(connect_timeout));
        let https = HttpsConnectorBuilder::new()
            .with_tls_config(tls_config)
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(tcp);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .pool_timer(TokioTimer::new())
            .build(https);
        Ok(Transport { client })
    }

    /// This transport as the SDK's HTTP client.
    pub(crate) fn into_shared(self) -> SharedHttpClient {
        SharedHttpClient::new(self)
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport").finish_non_exhaustive()
    }
}

impl HttpClient for Transport {
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        // Timeouts are the connect timeout set above plus the SDK's per-attempt timeout.
        SharedHttpConnector::new(self.clone())
    }
}

impl HttpConnector for Transport {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let request = match request.try_into_http1x() {
            Ok(request) => request,
            Err(err) => return HttpConnectorFuture::ready(Err(ConnectorError::user(err.into()))),
        };
        let response = self.client.request(request);
        HttpConnectorFuture::new(async move {
            match response.await {
                Ok(response) => HttpResponse::try_from(response.map(SdkBody::from_body_1_x))
                    .map_err(|err| ConnectorError::other(err.into(), None)),
                Err(err) => Err(classify(err)),
            }
        })
    }
}

/// Sorts a hyper failure into what the SDK's retry logic understands.
///
/// A refused or reset connection is I/O (retried); a TLS failure is not retried, since
/// repeating a handshake with an untrusted certificate cannot succeed.
fn classify(err: hyper_util::client::legacy::Error) -> ConnectorError {
    let is_tls = crate::error::find_in_chain::<rustls::Error>(&err).is_some();
    let is_connect = err.is_connect();
    let boxed: Box<dyn StdError + Send + Sync> = Box::new(err);
    if is_tls {
        ConnectorError::other(boxed, None)
    } else if is_connect || crate::error::find_in_chain::<std::io::Error>(boxed.as_ref()).is_some()
    {
        ConnectorError::io(boxed)
    } else {
        ConnectorError::other(
            boxed,
            Some(aws_smithy_types::retry::ErrorKind::TransientError),
        )
    }
}
