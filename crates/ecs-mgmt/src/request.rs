//! A management request as a plain value, built by pure functions in the `api` modules and
//! sent by [`crate::client`]. Nothing here does IO, so every builder is unit-tested directly.

use ecs_common::{Error, Result};
use http::Method;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::error::Endpoint;
use crate::wire::{self, Format};

/// Everything outside RFC 3986's unreserved set is encoded in a path segment, so `/`, `@`,
/// `=` and `+` in user ids cannot change the path.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The header that carries the session token.
pub(crate) const TOKEN_HEADER: &str = "X-SDS-AUTH-TOKEN";
/// The header that unlocks user and key management on ECS Flex and early ObjectScale.
pub(crate) const OVERRIDE_HEADER: &str = "X-EMC-Override";

/// A management request, complete except for the endpoint and the session token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiRequest {
    pub(crate) method: Method,
    /// The encoded path, starting with `/`.
    pub(crate) path: String,
    /// Unencoded query pairs, encoded when the URL is built.
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) accept: Format,
    /// The body and its media type.
    pub(crate) body: Option<(Vec<u8>, &'static str)>,
    /// Whether sending the request twice leaves ECS as sending it once.
    pub(crate) idempotent: bool,
    pub(crate) endpoint: Endpoint,
    /// Names the call in errors and logs (`"bucket info"`).
    pub(crate) operation: &'static str,
}

impl ApiRequest {
    /// Starts a request; GET, PUT and DELETE are idempotent, POST is not.
    pub(crate) fn new(method: Method, path: Path, accept: Format, operation: &'static str) -> Self {
        let idempotent = matches!(
            method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE
        );
        ApiRequest {
            method,
            path: path.0,
            query: Vec::new(),
            accept,
            body: None,
            idempotent,
            endpoint: Endpoint::Other,
            operation,
        }
    }

    /// Shorthand for a GET.
    pub(crate) fn get(path: Path, accept: Format, operation: &'static str) -> Self {
        Self::new(Method::GET, path, accept, operation)
    }

    /// Adds a query parameter.
    #[must_use]
    pub(crate) fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    /// Adds a query parameter when a value is given.
    #[must_use]
    pub(crate) fn query_opt(self, name: &'static str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Sets a body encoded in `format`, with `root` as its XML root element.
    pub(crate) fn body<T: Serialize>(
        mut self,
        value: &T,
        root: &str,
        format: Format,
    ) -> Result<Self> {
        self.body = Some((wire::encode(value, root, format)?, format.media_type()));
        Ok(self)
    }

    /// Sets a raw JSON body (bucket policies are JSON in both formats).
    #[must_use]
    pub(crate) fn json_text(mut self, text: &str) -> Self {
        self.body = Some((text.as_bytes().to_vec(), Format::Json.media_type()));
        self
    }

    /// Overrides whether the request may be repeated safely.
    #[must_use]
    pub(crate) fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// The path and encoded query, as sent.
    pub(crate) fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let query = self
            .query
            .iter()
            .map(|(name, value)| format!("{name}={}", utf8_percent_encode(value, SEGMENT)))
            .collect::<Vec<_>>()
            .join("&");
        format!("{}?{query}", self.path)
    }

    /// The request as an `http::Request` against `base` (`https://ecs:4443`), without a token.
    pub(crate) fn to_http(
        &self,
        base: &str,
        override_header: bool,
    ) -> Result<http::Request<Vec<u8>>> {
        let mut builder = http::Request::builder()
            .method(self.method.clone())
            .uri(format!("{base}{}", self.path_and_query()))
            .header(http::header::ACCEPT, self.accept.media_type());
        if override_header {
            builder = builder.header(OVERRIDE_HEADER, "true");
        }
        let body = match &self.body {
            Some((bytes, media_type)) => {
                builder = builder.header(http::header::CONTENT_TYPE, *media_type);
                bytes.clone()
            }
            None => Vec::new(),
        };
        builder.body(body).map_err(|err| {
            Error::invalid_input(format!("cannot build the {} request", self.operation))
                .with_source(err)
        })
    }
}

#[cfg(test)]
impl ApiRequest {
    /// The body as text, for assertions.
    pub(crate) fn body_text(&self) -> String {
        let bytes = self
            .body
            .as_ref()
            .map(|(bytes, _)| bytes.clone())
            .unwrap_or_default();
        String::from_utf8(bytes).expect("request bodies are UTF-8")
    }
}

/// An encoded request path, built one segment at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Path(String);

impl Path {
    /// Starts from literal segments such as `"object/bucket"`, which are not encoded.
    pub(crate) fn new(literal: &str) -> Self {
        Path(format!("/{}", literal.trim_matches('/')))
    }

    /// Appends a literal (not encoded) segment.
    #[must_use]
    pub(crate) fn lit(mut self, literal: &str) -> Self {
        self.0.push('/');
        self.0.push_str(literal);
        self
    }

    /// Appends a caller-supplied value as one percent-encoded segment.
    #[must_use]
    pub(crate) fn seg(mut self, value: &str) -> Self {
        self.0.push('/');
        self.0.extend(utf8_percent_encode(value, SEGMENT));
        self
    }
}

/// Rejects an empty (or blank) required argument before anything is sent.
pub(crate) fn require(value: &str, what: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(format!(
            "the {what} must not be empty"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded_and_literals_are_not() {
        let path = Path::new("object/users").seg("a/b@c=d+e f").lit("info");
        assert_eq!(path.0, "/object/users/a%2Fb%40c%3Dd%2Be%20f/info");
        assert_eq!(Path::new("/login").0, "/login");
    }

    #[test]
    fn query_values_are_encoded_and_methods_set_idempotency() {
        let request = ApiRequest::new(
            Method::POST,
            Path::new("object/bucket").seg("b"),
            Format::Json,
            "x",
        )
        .query("namespace", "ns 1&x=y")
        .query_opt("marker", None::<String>);
        assert_eq!(
            request.path_and_query(),
            "/object/bucket/b?namespace=ns%201%26x%3Dy"
        );
        assert!(!request.idempotent);
        assert!(ApiRequest::get(Path::new("x"), Format::Json, "x").idempotent);
    }

    #[test]
    fn http_request_carries_format_headers_and_override() {
        let request = ApiRequest::new(Method::PUT, Path::new("object/x"), Format::Xml, "x")
            .body(&serde_json::json!({"a": 1}), "root", Format::Json)
            .unwrap();
        let http = request.to_http("https://ecs:4443", true).unwrap();
        assert_eq!(http.uri(), "https://ecs:4443/object/x");
        assert_eq!(http.headers()["accept"], "application/xml");
        assert_eq!(http.headers()["content-type"], "application/json");
        assert_eq!(http.headers()[OVERRIDE_HEADER], "true");
        assert_eq!(http.body(), br#"{"a":1}"#);
        let plain = ApiRequest::get(Path::new("x"), Format::Json, "x")
            .to_http("http://h", false)
            .unwrap();
        assert!(plain.headers().get(OVERRIDE_HEADER).is_none());
        assert!(plain.headers().get("content-type").is_none());
    }

    #[test]
    fn blank_arguments_are_invalid_input() {
        assert_eq!(
            require(" ", "bucket name").unwrap_err().kind(),
            ecs_common::ErrorKind::InvalidInput
        );
        assert!(require("b", "bucket name").is_ok());
    }
}
