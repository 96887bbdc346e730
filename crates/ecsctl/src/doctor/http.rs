//! HTTP probes that need no credentials: the server's clock (`Date` header), whether an
//! endpoint speaks S3, and a CORS preflight for the CloudStack UI origin.
//!
//! They never send a secret, so they may use a client that accepts any certificate: an
//! expired certificate is often a clock problem, and the clock check should still answer.

use std::time::{Duration, SystemTime};

use reqwest::header::{
    ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_METHOD, DATE,
    ORIGIN,
};
use url::Url;

/// A client for credential-free probes.
pub(crate) fn probe_client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .tls_danger_accept_invalid_certs(true)
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|err| format!("cannot build an HTTP client: {err}"))
}

/// The server clock minus ours, from the `Date` header of any answer to `GET url`.
pub(crate) async fn clock_skew(client: &reqwest::Client, url: &Url) -> Result<SkewReading, String> {
    let sent = SystemTime::now();
    let response = client
        .get(url.clone())
        .send()
        .await
        .map_err(|err| format!("no HTTP answer from {url}: {}", error_chain(&err)))?;
    let received = SystemTime::now();
    let header = response
        .headers()
        .get(DATE)
        .ok_or_else(|| format!("{url} answered without a Date header"))?;
    let text = header
        .to_str()
        .map_err(|_| "the Date header is not text".to_owned())?;
    let server = httpdate::parse_http_date(text)
        .map_err(|_| format!("the Date header {text:?} is not an HTTP date"))?;
    // Our clock at the midpoint of the exchange; the header has one-second resolution.
    let round_trip = received.duration_since(sent).unwrap_or_default();
    let ours = sent + round_trip / 2;
    Ok(SkewReading {
        seconds: signed_seconds(server, ours),
        server_date: text.to_owned(),
    })
}

/// How far the server's clock is from ours.
#[derive(Clone, Debug)]
pub(crate) struct SkewReading {
    /// Server minus local, in whole seconds (positive: the server is ahead).
    pub(crate) seconds: i64,
    /// The server's `Date` header as sent.
    pub(crate) server_date: String,
}

fn signed_seconds(server: SystemTime, ours: SystemTime) -> i64 {
    match server.duration_since(ours) {
        Ok(ahead) => i64::try_from(ahead.as_secs()).unwrap_or(i64::MAX),
        Err(behind) => -i64::try_from(behind.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// What an anonymous `GET /` on an S3 endpoint showed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum S3Answer {
    /// An S3 answer (an S3 error document such as `AccessDenied`, or a bucket list).
    S3 { status: u16, code: Option<String> },
    /// Something answered, but not like S3.
    NotS3 { status: u16, snippet: String },
}

/// Sends an anonymous `GET /` and looks for S3's XML in the answer.
pub(crate) async fn probe_s3(client: &reqwest::Client, url: &Url) -> Result<S3Answer, String> {
    let response = client
        .get(url.clone())
        .send()
        .await
        .map_err(|err| format!("no HTTP answer from {url}: {}", error_chain(&err)))?;
    let status = response.status().as_u16();
    let amz = response.headers().contains_key("x-amz-request-id");
    let body = response.text().await.unwrap_or_default();
    if body.contains("<ListAllMyBucketsResult") {
        return Ok(S3Answer::S3 { status, code: None });
    }
    if let Some(code) = xml_element(&body, "Code") {
        return Ok(S3Answer::S3 {
            status,
            code: Some(code),
        });
    }
    if amz {
        return Ok(S3Answer::S3 { status, code: None });
    }
    let snippet: String = body.chars().take(80).collect();
    Ok(S3Answer::NotS3 { status, snippet })
}

fn xml_element(body: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find(&close)? + start;
    Some(body[start..end].to_owned())
}

/// What a CORS preflight returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Preflight {
    /// The HTTP status.
    pub(crate) status: u16,
    /// `Access-Control-Allow-Origin`, if sent.
    pub(crate) allow_origin: Option<String>,
    /// `Access-Control-Allow-Methods`, if sent.
    pub(crate) allow_methods: Option<String>,
}

impl Preflight {
    /// Whether a browser at `origin` may send `method` here.
    pub(crate) fn allows(&self, origin: &str, method: &str) -> bool {
        let origin_ok = self
            .allow_origin
            .as_deref()
            .is_some_and(|allowed| allowed == "*" || allowed.eq_ignore_ascii_case(origin));
        let method_ok = self.allow_methods.as_deref().is_some_and(|methods| {
            methods
                .split(',')
                .any(|allowed| allowed.trim().eq_ignore_ascii_case(method))
        });
        (200..300).contains(&self.status) && origin_ok && method_ok
    }
}

/// Sends the preflight a browser sends before uploading from `origin` to `object_url`.
pub(crate) async fn cors_preflight(
    client: &reqwest::Client,
    object_url: &Url,
    origin: &str,
    method: &str,
) -> Result<Preflight, String> {
    let response = client
        .request(reqwest::Method::OPTIONS, object_url.clone())
        .header(ORIGIN, origin)
        .header(ACCESS_CONTROL_REQUEST_METHOD, method)
        .send()
        .await
        .map_err(|err| format!("no answer to the preflight: {}", error_chain(&err)))?;
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    Ok(Preflight {
        status: response.status().as_u16(),
        allow_origin: header(ACCESS_CONTROL_ALLOW_ORIGIN),
        allow_methods: header(ACCESS_CONTROL_ALLOW_METHODS),
    })
}

/// An error and its causes on one line (reqwest hides the useful part in its sources).
pub(crate) fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_sign_says_who_is_ahead() {
        let now = SystemTime::now();
        assert_eq!(signed_seconds(now + Duration::from_secs(90), now), 90);
        assert_eq!(signed_seconds(now, now + Duration::from_secs(90)), -90);
    }

    #[test]
    fn finds_the_s3_error_code() {
        let body = "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>";
        assert_eq!(xml_element(body, "Code").as_deref(), Some("AccessDenied"));
        assert_eq!(xml_element("<html>", "Code"), None);
    }

    #[test]
    fn preflight_needs_origin_method_and_success() {
        let mut preflight = Preflight {
            status: 200,
            allow_origin: Some("https://cloud.example".into()),
            allow_methods: Some("GET, PUT".into()),
        };
        assert!(preflight.allows("https://cloud.example", "PUT"));
        assert!(!preflight.allows("https://other.example", "PUT"));
        assert!(!preflight.allows("https://cloud.example", "DELETE"));
        preflight.status = 403;
        assert!(!preflight.allows("https://cloud.example", "PUT"));
    }
}
