//! Bucket CORS: the stored configuration (S3 `CORSConfiguration` XML, kept in the management
//! state), rule matching, preflight answers for `OPTIONS`, and headers on actual responses.

use http::{HeaderMap, HeaderValue, Method, Response, StatusCode, header};
use s3s::dto::{CORSConfiguration, CORSRule};
use s3s::xml;

use super::policy::wildcard_match;

/// Serializes a configuration for storage.
pub(crate) fn to_xml(config: &CORSConfiguration) -> Result<String, String> {
    let mut buf = Vec::new();
    let mut ser = xml::Serializer::new(&mut buf);
    xml::Serialize::serialize(config, &mut ser)
        .map_err(|e| format!("cannot serialize CORS: {e:?}"))?;
    String::from_utf8(buf).map_err(|e| e.to_string())
}

/// Parses a stored configuration; `None` when absent or unreadable.
pub(crate) fn from_xml(text: &str) -> Option<CORSConfiguration> {
    let mut de = xml::Deserializer::new(text.as_bytes());
    <CORSConfiguration as xml::Deserialize<'_>>::deserialize(&mut de).ok()
}

/// What a request asks for, as CORS sees it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CorsRequest<'a> {
    pub(crate) origin: &'a str,
    pub(crate) method: &'a str,
    /// Requested headers (preflight `Access-Control-Request-Headers`), lower case.
    pub(crate) headers: &'a [String],
}

fn origin_matches(rule: &CORSRule, origin: &str) -> bool {
    rule.allowed_origins
        .iter()
        .any(|o| wildcard_match(o, origin))
}

fn headers_match(rule: &CORSRule, headers: &[String]) -> bool {
    let allowed = rule.allowed_headers.as_deref().unwrap_or_default();
    headers.iter().all(|h| {
        allowed
            .iter()
            .any(|a| wildcard_match(&a.to_ascii_lowercase(), h))
    })
}

/// The first rule allowing the request.
pub(crate) fn matching_rule<'c>(
    config: &'c CORSConfiguration,
    req: CorsRequest<'_>,
) -> Option<&'c CORSRule> {
    config.cors_rules.iter().find(|rule| {
        origin_matches(rule, req.origin)
            && rule
                .allowed_methods
                .iter()
                .any(|m| m.eq_ignore_ascii_case(req.method))
            && headers_match(rule, req.headers)
    })
}

fn value(text: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(text).ok()
}

/// Adds the `Access-Control-*` headers a matched rule grants.
pub(crate) fn grant_headers(
    rule: &CORSRule,
    req: CorsRequest<'_>,
    preflight: bool,
    out: &mut HeaderMap,
) {
    let any_origin = rule.allowed_origins.iter().any(|o| o == "*");
    let origin = if any_origin { "*" } else { req.origin };
    let mut put = |name: header::HeaderName, text: &str| {
        if let Some(v) = value(text) {
            out.insert(name, v);
        }
    };
    put(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    if !any_origin {
        put(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
    put(
        header::VARY,
        "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
    );
    if let Some(expose) = rule.expose_headers.as_ref().filter(|e| !e.is_empty()) {
        put(header::ACCESS_CONTROL_EXPOSE_HEADERS, &expose.join(", "));
    }
    if preflight {
        put(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            &rule.allowed_methods.join(", "),
        );
        if !req.headers.is_empty() {
            put(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                &req.headers.join(", "),
            );
        }
        if let Some(age) = rule.max_age_seconds {
            put(header::ACCESS_CONTROL_MAX_AGE, &age.to_string());
        }
    }
}

/// The preflight answer for a bucket's configuration (`None` = the bucket has no CORS).
pub(crate) fn preflight(
    config: Option<&CORSConfiguration>,
    headers: &HeaderMap,
) -> Response<String> {
    let get = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(origin), Some(method)) = (
        get(header::ORIGIN),
        get(header::ACCESS_CONTROL_REQUEST_METHOD),
    ) else {
        return error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "Insufficient information. Origin request header needed.",
        );
    };
    if method.parse::<Method>().is_err() {
        return error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "Invalid Access-Control-Request-Method.",
        );
    }
    let requested: Vec<String> = get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .map(|h| {
            h.split(',')
                .map(|s| s.trim().to_ascii_lowercase())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let req = CorsRequest {
        origin,
        method,
        headers: &requested,
    };
    let Some(rule) = config.and_then(|c| matching_rule(c, req)) else {
        return error(
            StatusCode::FORBIDDEN,
            "AccessForbidden",
            "CORSResponse: This CORS request is not allowed.",
        );
    };
    let mut response = Response::new(String::new());
    grant_headers(rule, req, true, response.headers_mut());
    response
}

/// An S3 XML error answer.
pub(crate) fn error(status: StatusCode, code: &str, message: &str) -> Response<String> {
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{message}</Message></Error>"#
    );
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> CORSConfiguration {
        CORSConfiguration {
            cors_rules: vec![
                CORSRule {
                    allowed_headers: Some(vec!["x-amz-*".into(), "content-type".into()]),
                    allowed_methods: vec!["GET".into(), "PUT".into()],
                    allowed_origins: vec!["https://*.example.com".into()],
                    expose_headers: Some(vec!["ETag".into()]),
                    id: None,
                    max_age_seconds: Some(600),
                },
                CORSRule {
                    allowed_headers: None,
                    allowed_methods: vec!["GET".into()],
                    allowed_origins: vec!["*".into()],
                    expose_headers: None,
                    id: None,
                    max_age_seconds: None,
                },
            ],
        }
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                header::HeaderName::from_bytes(k.as_bytes()).expect("name"),
                HeaderValue::from_str(v).expect("value"),
            );
        }
        h
    }

    #[test]
    fn xml_roundtrip() {
        let text = to_xml(&config()).expect("xml");
        assert!(
            text.contains("<AllowedOrigin>https://*.example.com</AllowedOrigin>"),
            "{text}"
        );
        let back = from_xml(&text).expect("parse");
        assert_eq!(back.cors_rules.len(), 2);
        assert_eq!(back.cors_rules[0].max_age_seconds, Some(600));
    }

    #[test]
    fn preflight_grants_matching_rule() {
        let h = headers(&[
            ("origin", "https://app.example.com"),
            ("access-control-request-method", "PUT"),
            ("access-control-request-headers", "Content-Type, x-amz-date"),
        ]);
        let resp = preflight(Some(&config()), &h);
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(
            resp.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
            "https://app.example.com"
        );
        assert_eq!(
            resp.headers()[header::ACCESS_CONTROL_ALLOW_METHODS],
            "GET, PUT"
        );
        assert_eq!(
            resp.headers()[header::ACCESS_CONTROL_ALLOW_HEADERS],
            "content-type, x-amz-date"
        );
        assert_eq!(resp.headers()[header::ACCESS_CONTROL_MAX_AGE], "600");
    }

    #[test]
    fn preflight_falls_through_to_wildcard_or_refuses() {
        let get = headers(&[
            ("origin", "https://other.org"),
            ("access-control-request-method", "GET"),
        ]);
        let resp = preflight(Some(&config()), &get);
        assert_eq!(resp.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        let put = headers(&[
            ("origin", "https://other.org"),
            ("access-control-request-method", "PUT"),
        ]);
        assert_eq!(
            preflight(Some(&config()), &put).status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(preflight(None, &get).status(), StatusCode::FORBIDDEN);
        assert_eq!(
            preflight(Some(&config()), &headers(&[])).status(),
            StatusCode::BAD_REQUEST
        );
    }
}
