//! The CORS rule CloudStack's UI needs to browse a bucket straight from the browser.

use ecs_s3::CorsRule;

/// The methods a browser S3 client (minio-js, as used by the CloudStack UI) needs.
const BROWSER_METHODS: &[&str] = &["GET", "PUT", "POST", "DELETE", "HEAD"];

/// The response headers a browser S3 client reads: ETags for multipart, versions, metadata.
const BROWSER_EXPOSE_HEADERS: &[&str] = &[
    "ETag",
    "x-amz-version-id",
    "x-amz-delete-marker",
    "x-amz-request-id",
    "x-amz-meta-*",
    "Content-Length",
    "Content-Type",
    "Content-Range",
    "Last-Modified",
    "Date",
];

/// The rule that lets the UI served from `origins` list, upload, download and delete objects
/// directly: methods GET/PUT/POST/DELETE/HEAD, any request header, and the ETag, version and
/// metadata headers exposed.
pub(crate) fn ui_rule(origins: &[String]) -> CorsRule {
    let owned = |items: &[&str]| items.iter().map(|item| (*item).to_owned()).collect();
    CorsRule {
        allowed_origins: origins.to_vec(),
        allowed_methods: owned(BROWSER_METHODS),
        allowed_headers: vec!["*".to_owned()],
        expose_headers: owned(BROWSER_EXPOSE_HEADERS),
        max_age_seconds: Some(3000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ui_may_upload_and_read_etags() {
        let rule = ui_rule(&["https://cloudstack.example.com".to_owned()]);
        assert_eq!(rule.allowed_origins, ["https://cloudstack.example.com"]);
        assert!(rule.allowed_methods.iter().any(|m| m == "PUT"));
        assert!(rule.expose_headers.iter().any(|h| h == "ETag"));
        assert_eq!(rule.allowed_headers, ["*"]);
    }
}
