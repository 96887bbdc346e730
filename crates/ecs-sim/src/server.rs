//! Listeners and the front end every request passes: fault injection, the request log, format
//! negotiation and rendering for the management API, optional TLS, graceful shutdown.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use http::{HeaderValue, Request, Response, StatusCode, Uri};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower::ServiceExt as _;
use tower::util::BoxCloneSyncService;

use crate::control::Api;
use crate::core::Core;
use crate::error::EcsError;
use crate::faults::Outcome;
use crate::mgmt::PendingDoc;
use crate::mgmt::doc::Format;
use crate::tls::TlsMaterial;

/// An HTTP service as the listeners run it (the management router, the S3 service, the
/// control plane).
pub(crate) type HttpService = BoxCloneSyncService<Request<Body>, Response<Body>, Infallible>;

/// How long shutdown waits for open connections to finish.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// The error that makes hyper close a connection without answering (an injected fault).
#[derive(Debug)]
pub(crate) struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

/// What sits in front of an API's service.
#[derive(Clone)]
pub(crate) struct Front {
    api: Api,
    core: Arc<Core>,
    service: HttpService,
    control: Option<HttpService>,
    /// The address of the listener serving this front (set by [`serve`]), for the request log.
    listener: Arc<str>,
}

impl std::fmt::Debug for Front {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Front")
            .field("api", &self.api)
            .finish_non_exhaustive()
    }
}

/// Picks the response format: a `.json`/`.xml` suffix first, then `Accept`, else XML.
/// Returns the format and the path without the suffix.
pub(crate) fn negotiate(uri: &Uri, accept: Option<&str>) -> (Format, Option<String>) {
    let path = uri.path();
    for (suffix, format) in [(".json", Format::Json), (".xml", Format::Xml)] {
        if let Some(stripped) = path.strip_suffix(suffix)
            && !stripped.ends_with('/')
            && !stripped.is_empty()
        {
            return (format, Some(stripped.to_owned()));
        }
    }
    let accept = accept.unwrap_or("").to_ascii_lowercase();
    let json_at = accept.find("json");
    let xml_at = accept.find("xml");
    let format = match (json_at, xml_at) {
        (Some(json), Some(xml)) if json < xml => Format::Json,
        (Some(_), None) => Format::Json,
        _ => Format::Xml,
    };
    (format, None)
}

fn with_path(uri: &Uri, path: &str) -> Uri {
    let path_and_query = match uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    path_and_query.parse().unwrap_or_else(|_| uri.clone())
}

/// Renders a management error as a response in `format`.
fn error_response(error: &EcsError, format: Format) -> Response<Body> {
    let mut response = Response::new(Body::from(error.doc().render(format)));
    *response.status_mut() = error.status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    response
}

/// An S3-style XML error for injected S3 faults.
fn s3_error(status: StatusCode, code: &str) -> Response<Body> {
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>Injected fault</Message></Error>"#
    );
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    response
}

impl Front {
    pub(crate) fn new(
        api: Api,
        core: Arc<Core>,
        service: HttpService,
        control: Option<HttpService>,
    ) -> Self {
        Front {
            api,
            core,
            service,
            control,
            listener: Arc::from(""),
        }
    }

    /// Handles one request; `Err` closes the connection without an answer.
    async fn handle(self, request: Request<Incoming>) -> Result<Response<Body>, Dropped> {
        let request = request.map(Body::new);
        let method = request.method().as_str().to_owned();
        let path = request.uri().path().to_owned();
        let query = request.uri().query().unwrap_or("").to_owned();
        if let Some(control) = &self.control
            && path.starts_with("/_sim/")
        {
            let response = control.clone().oneshot(request).await;
            return Ok(response.unwrap_or_else(|never| match never {}));
        }
        let accept = request
            .headers()
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let (format, stripped) = match self.api {
            Api::Mgmt => negotiate(request.uri(), accept.as_deref()),
            Api::S3 => (Format::Xml, None),
        };
        let (latency, outcome) = self.core.faults.decide(self.api, &method, &path);
        if let Some(latency) = latency {
            tokio::time::sleep(latency).await;
        }
        let response = match (outcome, self.api) {
            (Outcome::Drop, _) => {
                self.core
                    .record(self.api, &self.listener, &method, &path, &query, 0);
                return Err(Dropped);
            }
            (Outcome::Error503, Api::Mgmt) => error_response(&EcsError::unavailable(), format),
            (Outcome::Error500, Api::Mgmt) => {
                error_response(&EcsError::internal("Injected fault"), format)
            }
            (Outcome::Error503, Api::S3) => {
                s3_error(StatusCode::SERVICE_UNAVAILABLE, "ServiceUnavailable")
            }
            (Outcome::Error500, Api::S3) => {
                s3_error(StatusCode::INTERNAL_SERVER_ERROR, "InternalError")
            }
            (Outcome::Pass | Outcome::DropAnswer, _) => {
                let mut request = request;
                if let Some(stripped) = &stripped {
                    *request.uri_mut() = with_path(request.uri(), stripped);
                }
                let response = self
                    .service
                    .clone()
                    .oneshot(request)
                    .await
                    .unwrap_or_else(|never| match never {});
                render(response, format)
            }
        };
        let status = response.status();
        let lost = outcome == Outcome::DropAnswer;
        self.core.record(
            self.api,
            &self.listener,
            &method,
            &path,
            &query,
            if lost { 0 } else { status.as_u16() },
        );
        if self.api == Api::Mgmt && method != "GET" && status.is_success() {
            self.core.persist();
        }
        if lost {
            // The change is made (and persisted); the answer never leaves.
            return Err(Dropped);
        }
        Ok(response)
    }
}

/// Renders a handler's pending document in the negotiated format.
fn render(response: Response<Body>, format: Format) -> Response<Body> {
    let (mut parts, body) = response.into_parts();
    match parts.extensions.remove::<PendingDoc>() {
        Some(PendingDoc(doc)) => {
            parts.headers.remove(http::header::CONTENT_LENGTH);
            parts.headers.insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static(format.content_type()),
            );
            Response::from_parts(parts, Body::from(doc.render(format)))
        }
        None => Response::from_parts(parts, body),
    }
}

/// Accepts connections on `listener` until `shutdown` turns true, then drains them.
pub(crate) fn serve(
    listener: TcpListener,
    tls: Option<TlsMaterial>,
    mut front: Front,
    mut shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    if let Ok(addr) = listener.local_addr() {
        front.listener = Arc::from(addr.to_string());
    }
    tokio::spawn(async move {
        let graceful = GracefulShutdown::new();
        let builder = auto::Builder::new(TokioExecutor::new());
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                _ = shutdown.wait_for(|stop| *stop) => break,
            };
            let (stream, peer) = match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "accept failed");
                    continue;
                }
            };
            let front = front.clone();
            let service = hyper::service::service_fn(move |request| front.clone().handle(request));
            let watcher = graceful.watcher();
            let builder = builder.clone();
            let tls = tls.clone();
            tokio::spawn(async move {
                let result = match tls {
                    Some(tls) => match tls.acceptor.accept(stream).await {
                        Ok(stream) => {
                            let connection = builder
                                .serve_connection(TokioIo::new(stream), service)
                                .into_owned();
                            watcher.watch(connection).await
                        }
                        Err(error) => {
                            tracing::debug!(%error, %peer, "TLS handshake failed");
                            return;
                        }
                    },
                    None => {
                        let connection = builder
                            .serve_connection(TokioIo::new(stream), service)
                            .into_owned();
                        watcher.watch(connection).await
                    }
                };
                if let Err(error) = result {
                    tracing::debug!(error = %error, %peer, "connection ended with an error");
                }
            });
        }
        drop(listener);
        if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown())
            .await
            .is_err()
        {
            tracing::warn!("connections still open after the drain timeout");
        }
    })
}

/// Turns an axum router into the listeners' service type.
pub(crate) fn boxed(router: axum::Router) -> HttpService {
    HttpService::new(router)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> Uri {
        text.parse().unwrap()
    }

    #[test]
    fn suffix_wins_then_accept_then_xml() {
        let (format, path) = negotiate(
            &uri("/object/bucket/b/info.json?namespace=ns1"),
            Some("application/xml"),
        );
        assert_eq!(
            (format, path.as_deref()),
            (Format::Json, Some("/object/bucket/b/info"))
        );
        assert_eq!(
            negotiate(&uri("/object/bucket.xml"), Some("application/json")).0,
            Format::Xml
        );
        assert_eq!(
            negotiate(&uri("/x"), Some("application/json")).0,
            Format::Json
        );
        assert_eq!(negotiate(&uri("/x"), Some("*/*")).0, Format::Xml);
        assert_eq!(negotiate(&uri("/x"), None).0, Format::Xml);
        assert_eq!(with_path(&uri("/a.json?x=1"), "/a"), uri("/a?x=1"));
    }
}
