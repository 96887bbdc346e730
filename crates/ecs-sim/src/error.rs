//! ECS error documents (`code`, `description`, `details`, `retryable`) with the status each one
//! is answered with.
//!
//! The status is not derived from the code: ECS answers a missing bucket with 400/1004 but a
//! missing user with 404/2000, so every constructor names both, as the reference records them.

use http::StatusCode;

/// An ECS error answer: an HTTP status plus the `error` document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EcsError {
    pub(crate) status: StatusCode,
    pub(crate) code: u32,
    pub(crate) description: &'static str,
    pub(crate) details: String,
    pub(crate) retryable: bool,
}

impl EcsError {
    fn new(
        status: StatusCode,
        code: u32,
        description: &'static str,
        details: impl Into<String>,
    ) -> Self {
        EcsError {
            status,
            code,
            description,
            details: details.into(),
            retryable: false,
        }
    }

    /// 400/1004: an entity named by a parameter (bucket, namespace, replication group) is unknown.
    pub(crate) fn param_not_found(id: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            1004,
            "Request parameter cannot be found",
            format!("Unable to find entity with the given id {id}"),
        )
    }

    /// 404/2000: the entity named in the URL (an object user) is unknown.
    pub(crate) fn url_entity_not_found(id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            2000,
            "Unable to find entity in request URL",
            format!("Unable to find entity specified in URL with the given id {id}"),
        )
    }

    /// 400/1005: a required parameter is missing or empty.
    pub(crate) fn missing(param: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            1005,
            "Required parameter is missing or empty",
            format!("Required parameter {param} is missing or empty"),
        )
    }

    /// 400/1008: a parameter was provided but is invalid.
    pub(crate) fn invalid(details: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            1008,
            "Parameter was provided but invalid",
            details,
        )
    }

    /// 400/1012: the change cannot be made in the current state (non-empty bucket, …).
    pub(crate) fn cannot_change(details: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            1012,
            "Unable to make requested change",
            details,
        )
    }

    /// 400/1013: the request body cannot be read.
    pub(crate) fn bad_body(details: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, 1013, "Bad request body", details)
    }

    /// 400/1015: the resource to create exists already (object users).
    pub(crate) fn already_exists(details: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            1015,
            "Resource already exists",
            details,
        )
    }

    /// 400/1031: a limit would be exceeded (third secret key, eleventh bucket tag).
    pub(crate) fn limit(details: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, 1031, "Exceeding limit", details)
    }

    /// 400/40008: the bucket exists already in the namespace.
    pub(crate) fn bucket_exists(name: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            40008,
            "Bucket already exists",
            format!("Bucket {name} already exists"),
        )
    }

    /// 400/40009: the bucket name breaks the naming rules.
    pub(crate) fn bad_bucket_name(name: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            40009,
            "Invalid bucket name",
            format!("Bucket name {name} is invalid"),
        )
    }

    /// 400/40010: the bucket owner is not a known object user.
    pub(crate) fn bad_owner(owner: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            40010,
            "Bucket owner is not valid",
            format!("Bucket owner {owner} is not a valid object user"),
        )
    }

    /// 401/4000: credentials or token refused.
    pub(crate) fn unauthorized(details: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            4000,
            "Invalid credentials or authentication token provided to access to this resource",
            details,
        )
    }

    /// 403/3000: the caller's roles do not allow the operation.
    pub(crate) fn forbidden(details: impl Into<String>) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            3000,
            "Operation is forbidden for supplied credentials",
            details,
        )
    }

    /// 405/1007: the method is not supported on this resource.
    pub(crate) fn method_not_supported(details: impl Into<String>) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            1007,
            "Method not supported",
            details,
        )
    }

    /// 404: no such resource (unknown path).
    pub(crate) fn no_such_path(path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            1019,
            "Resource not found",
            format!("No resource at {path}"),
        )
    }

    /// 503/6000 (retryable): the service asks the client to retry later.
    pub(crate) fn unavailable() -> Self {
        let mut error = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            6000,
            "Service unavailable, retry later",
            "The service is temporarily unavailable; retry the request later",
        );
        error.retryable = true;
        error
    }

    /// 500/7000: an internal failure.
    pub(crate) fn internal(details: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            7000,
            "An error occurred in the API Service",
            details,
        )
    }
}

impl EcsError {
    /// 400/1020: the resource is still referenced (a namespace with buckets or users).
    pub(crate) fn referenced(details: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            1020,
            "Resource is being referenced",
            details,
        )
    }
}
