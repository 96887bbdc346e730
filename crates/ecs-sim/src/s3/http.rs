//! The HTTP face of the S3 service: CORS preflight and response headers around `s3s`, and the
//! second-secret-key retry.
//!
//! `s3s` verifies a signature against one secret key. ECS users may hold two live keys, and ECS
//! tries key 1, then key 2. The request body is handed to `s3s` through a [`SlotBody`] that only
//! takes the real body on its first read; signature checks happen before any read, so when key 1
//! gives `SignatureDoesNotMatch` the untouched body is still there for a second run with key 2.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use axum::body::Body;
use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response, StatusCode, header};
use hyper::body::{Frame, SizeHint};
use s3s::service::S3Service;

use super::auth::{KEY_ATTEMPT, KeyAttempt, NAMESPACE_HEADER};
use super::cors::{self, CorsRequest};
use crate::core::Core;

/// A request body `s3s` can drop unread without losing it.
struct SlotBody {
    slot: Arc<Mutex<Option<Body>>>,
    inner: Option<Body>,
    hint: SizeHint,
}

impl hyper::body::Body for SlotBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        if self.inner.is_none() {
            let taken = self
                .slot
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            self.inner = taken;
        }
        match self.inner.as_mut() {
            Some(body) => Pin::new(body).poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn size_hint(&self) -> SizeHint {
        self.inner
            .as_ref()
            .map_or_else(|| self.hint, hyper::body::Body::size_hint)
    }
}

/// The S3 listener's service.
#[derive(Clone)]
pub(crate) struct S3Http {
    core: Arc<Core>,
    s3: S3Service,
}

impl std::fmt::Debug for S3Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Http").finish_non_exhaustive()
    }
}

impl S3Http {
    pub(crate) fn new(core: Arc<Core>, s3: S3Service) -> Self {
        Self { core, s3 }
    }

    /// Answers one request.
    pub(crate) async fn handle(self, request: Request<Body>) -> Result<Response<Body>, Infallible> {
        let target = BucketTarget::of(&request);
        if request.method() == Method::OPTIONS {
            let config = target.as_ref().and_then(|t| self.cors_config(t));
            return Ok(cors::preflight(config.as_ref(), request.headers()).map(Body::from));
        }
        let origin = request
            .headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let method = request.method().as_str().to_owned();
        if let Some(refusal) = presigned_refusal(request.uri().query().unwrap_or("")) {
            return Ok(refusal.map(Body::from));
        }
        let mut response = self.call_s3s(request).await;
        if let (Some(origin), Some(target)) = (origin, target)
            && let Some(config) = self.cors_config(&target)
        {
            let req = CorsRequest {
                origin: &origin,
                method: &method,
                headers: &[],
            };
            if let Some(rule) = cors::matching_rule(&config, req) {
                cors::grant_headers(rule, req, false, response.headers_mut());
            }
        }
        Ok(response)
    }

    fn cors_config(&self, target: &BucketTarget) -> Option<s3s::dto::CORSConfiguration> {
        let ns = self
            .core
            .find_bucket_namespace(&target.bucket, target.namespace.as_deref())?;
        let xml = self.core.bucket_meta(&ns, &target.bucket)?.cors?;
        cors::from_xml(&xml)
    }

    /// Runs `s3s` with key 1, and again with key 2 when key 1's signature did not match.
    async fn call_s3s(&self, request: Request<Body>) -> Response<Body> {
        let (parts, body) = request.into_parts();
        let hint = hyper::body::Body::size_hint(&body);
        let slot = Arc::new(Mutex::new(Some(body)));
        let mut key_slot = 0;
        loop {
            let body = SlotBody {
                slot: slot.clone(),
                inner: None,
                hint,
            };
            let request = Request::from_parts(parts.clone(), s3s::Body::http_body_unsync(body));
            let attempt = Arc::new(KeyAttempt {
                slot: key_slot,
                ..KeyAttempt::default()
            });
            let result = KEY_ATTEMPT
                .scope(attempt.clone(), self.s3.call(request))
                .await;
            let response = match result {
                Ok(response) => response,
                Err(err) => {
                    tracing::error!(?err, "s3 service failed");
                    return cors::error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "InternalError",
                        "We encountered an internal error.",
                    )
                    .map(Body::from);
                }
            };
            let body_unread = slot
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .is_some();
            let another_key = attempt.available.load(Ordering::SeqCst) > key_slot + 1;
            if another_key && body_unread && signature_mismatch(&response) {
                key_slot += 1;
                continue;
            }
            return response.map(Body::new);
        }
    }
}

/// What S3 answers for a presigned URL whose query `s3s` could not even parse (it would say 400
/// `InvalidRequest`): a signature that is not 64 hex digits does not match (403
/// `SignatureDoesNotMatch`), and an `X-Amz-Expires` that is not a number of seconds up to a week
/// is 400 `AuthorizationQueryParametersError`.
fn presigned_refusal(query: &str) -> Option<Response<String>> {
    let param = |name: &str| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    };
    let signature = param("X-Amz-Signature")?;
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(cors::error(
            StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
        ));
    }
    let expires = param("X-Amz-Expires")?;
    match expires.parse::<u64>() {
        Ok(secs) if secs <= 604_800 => None,
        Ok(_) => Some(cors::error(
            StatusCode::BAD_REQUEST,
            "AuthorizationQueryParametersError",
            "X-Amz-Expires must be less than a week (in seconds) that is; 604800 seconds",
        )),
        Err(_) => Some(cors::error(
            StatusCode::BAD_REQUEST,
            "AuthorizationQueryParametersError",
            "X-Amz-Expires should be a number",
        )),
    }
}

fn signature_mismatch(response: &Response<s3s::Body>) -> bool {
    response.status() == StatusCode::FORBIDDEN
        && response
            .body()
            .bytes()
            .is_some_and(|b| b.windows(21).any(|w| w == b"SignatureDoesNotMatch"))
}

/// The bucket a request addresses (path style) and its namespace header.
#[derive(Debug)]
struct BucketTarget {
    bucket: String,
    namespace: Option<String>,
}

impl BucketTarget {
    fn of(request: &Request<Body>) -> Option<Self> {
        let bucket = request
            .uri()
            .path()
            .trim_start_matches('/')
            .split('/')
            .next()
            .filter(|b| !b.is_empty())?;
        let bucket = percent_encoding::percent_decode_str(bucket)
            .decode_utf8_lossy()
            .into_owned();
        Some(Self {
            bucket,
            namespace: header_text(request.headers(), NAMESPACE_HEADER),
        })
    }
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}
