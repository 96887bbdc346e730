//! Alerts: `GET /vdc/alerts[?namespace=&acknowledged=]`. The emulator raises one kind, a
//! namespace passing its soft quota (`notificationSize`), which is how ECS notifies without
//! blocking writes (Administration Guide, "Namespace quota": "notification only").

use std::sync::Arc;

use axum::Router;
use axum::routing::get;

use super::doc::{Doc, Val};
use super::{Answer, Reply, Req, routes};
use crate::core::Core;

#[rustfmt::skip]
pub(super) fn routes() -> Router<Arc<Core>> {
    routes! {
        "/vdc/alerts" => get(list),
    }
}

/// `GET /vdc/alerts`: a namespace's alerts (its admins, monitors, system admins) or all of
/// them (system admins and monitors).
async fn list(req: Req) -> Answer {
    let namespace = req.namespace().map(str::to_owned);
    match &namespace {
        Some(namespace) => req.caller.read(namespace, "read alerts")?,
        None => req.caller.read_all("read alerts")?,
    }
    let acknowledged = req
        .params
        .get("acknowledged")
        .map(|flag| flag.eq_ignore_ascii_case("true"));
    let state = req.core.state();
    let alerts = state
        .alerts
        .iter()
        .filter(|alert| namespace.as_ref().is_none_or(|ns| &alert.namespace == ns))
        .filter(|alert| acknowledged.is_none_or(|wanted| alert.acknowledged == wanted))
        .map(|alert| {
            Val::Obj(
                Doc::new("alert")
                    .str("id", alert.id.clone())
                    .str("type", alert.kind.clone())
                    .str("severity", alert.severity.clone())
                    .str(
                        "timestamp",
                        crate::clock::iso_millis(alert.timestamp_ms)
                            .chars()
                            .take(19)
                            .collect::<String>(),
                    )
                    .str("namespace", alert.namespace.clone())
                    .str("description", alert.description.clone())
                    .bool("acknowledged", alert.acknowledged),
            )
        })
        .collect();
    Ok(Reply::doc(Doc::new("alerts").list("alert", alerts)))
}
