//! The `/_sim/` control plane over HTTP (only with `--control`): the powers of
//! [`crate::Control`] as small JSON endpoints.
//!
//! | method and path | effect |
//! |---|---|
//! | `GET /_sim/log`, `DELETE /_sim/log` | request log as JSON records; clear it |
//! | `GET /_sim/tokens/{user}` | `{"user", "live"}` |
//! | `POST /_sim/tokens/{user}/revoke` | `{"user", "revoked"}` |
//! | `POST /_sim/clock/advance` with `{"secs": n}` | moves the clock forward |
//! | `GET/POST/DELETE /_sim/faults` | list, add (a [`crate::FaultRule`] as JSON, `latency` in ms), clear |
//! | `GET/PUT /_sim/usage/{namespace}/{bucket}` | read or set `{"bytes", "objects"}` |

use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::control::{Control, FaultRule, RequestRecord};

async fn log(State(control): State<Control>) -> Json<Vec<RequestRecord>> {
    Json(control.request_log())
}

async fn clear_log(State(control): State<Control>) -> StatusCode {
    control.clear_request_log();
    StatusCode::NO_CONTENT
}

async fn tokens(State(control): State<Control>, Path(user): Path<String>) -> Json<Value> {
    Json(json!({ "user": user, "live": control.live_tokens(&user) }))
}

async fn revoke(State(control): State<Control>, Path(user): Path<String>) -> Json<Value> {
    let revoked = control.revoke_tokens(&user);
    Json(json!({ "user": user, "revoked": revoked }))
}

#[derive(Deserialize)]
struct Advance {
    secs: u64,
}

async fn advance(State(control): State<Control>, Json(advance): Json<Advance>) -> StatusCode {
    control.advance_clock(Duration::from_secs(advance.secs));
    StatusCode::NO_CONTENT
}

async fn faults(State(control): State<Control>) -> Json<Vec<FaultRule>> {
    Json(control.fault_rules())
}

async fn add_fault(State(control): State<Control>, Json(rule): Json<FaultRule>) -> StatusCode {
    control.add_fault(rule);
    StatusCode::NO_CONTENT
}

async fn clear_faults(State(control): State<Control>) -> StatusCode {
    control.clear_faults();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct Usage {
    bytes: u64,
    objects: u64,
}

async fn usage(
    State(control): State<Control>,
    Path((namespace, bucket)): Path<(String, String)>,
) -> Json<Value> {
    let usage = control.bucket_usage(&namespace, &bucket);
    Json(
        json!({ "bytes": usage.bytes, "objects": usage.objects, "versions": usage.versions, "uploads": usage.uploads }),
    )
}

async fn set_usage(
    State(control): State<Control>,
    Path((namespace, bucket)): Path<(String, String)>,
    Json(usage): Json<Usage>,
) -> StatusCode {
    control.set_bucket_usage(&namespace, &bucket, usage.bytes, usage.objects);
    StatusCode::NO_CONTENT
}

/// The control routes.
pub(crate) fn router(control: Control) -> Router {
    Router::new()
        .route("/_sim/log", get(log).delete(clear_log))
        .route("/_sim/tokens/{user}", get(tokens))
        .route("/_sim/tokens/{user}/revoke", post(revoke))
        .route("/_sim/clock/advance", post(advance))
        .route(
            "/_sim/faults",
            get(faults).post(add_fault).delete(clear_faults),
        )
        .route(
            "/_sim/usage/{namespace}/{bucket}",
            put(set_usage).get(usage),
        )
        .with_state(control)
}
