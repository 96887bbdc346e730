//! The wire under the client: one attempt of one request with reqwest, and transport failures
//! turned into crate errors (TLS, timeout, connect, dropped connection) without leaking
//! reqwest types.

use std::error::Error as StdError;

use bytes::Bytes;
use ecs_common::{Error, ErrorKind, Result};
use http::HeaderMap;

use crate::retry::Failure;

/// A response with any status, body read in full.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// Sends one attempt and reads the whole body; a failure says whether the request may have
/// reached ECS.
pub(crate) async fn attempt(
    http: &reqwest::Client,
    request: reqwest::Request,
) -> Result<Response, (Failure, Error)> {
    let response = http
        .execute(request)
        .await
        .map_err(|err| transport_failure(&err))?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response
        .bytes()
        .await
        .map_err(|err| (Failure::MaybeSent, transport_error(&err)))?;
    Ok(Response {
        status,
        headers,
        body,
    })
}

pub(crate) fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

fn transport_failure(err: &reqwest::Error) -> (Failure, Error) {
    let error = transport_error(err);
    let failure = match error.kind() {
        // A certificate problem does not go away by trying again.
        ErrorKind::Tls => Failure::Status {
            status: 0,
            flagged: false,
        },
        ErrorKind::Connect => Failure::NotSent,
        _ => Failure::MaybeSent,
    };
    (failure, error)
}

/// A transport error as a crate error; the reqwest error is flattened into the message so it
/// never surfaces as a public type.
fn transport_error(err: &reqwest::Error) -> Error {
    let chain = error_chain(err);
    if is_tls_failure(err) {
        return Error::new(
            ErrorKind::Tls,
            format!("the TLS handshake with ECS failed: {chain}"),
        );
    }
    if err.is_timeout() {
        return Error::new(
            ErrorKind::Timeout,
            format!("the ECS request timed out: {chain}"),
        );
    }
    if err.is_connect() {
        return Error::new(
            ErrorKind::Connect,
            format!("cannot connect to ECS: {chain}"),
        );
    }
    Error::new(
        ErrorKind::Unavailable,
        format!("the connection to ECS failed: {chain}"),
    )
}

fn is_tls_failure(err: &(dyn StdError + 'static)) -> bool {
    let mut current = Some(err);
    while let Some(err) = current {
        if err.is::<rustls::Error>() {
            return true;
        }
        // `io::Error::source` skips the wrapped error itself, so step into it explicitly.
        current = match err.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
            None => err.source(),
        };
    }
    false
}

pub(crate) fn error_chain(err: &(dyn StdError + 'static)) -> String {
    let mut text = err.to_string();
    let mut current = err.source();
    while let Some(cause) = current {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        current = cause.source();
    }
    text
}
