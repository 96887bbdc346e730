//! `ecsctl tenants`: the store's namespaces (one per CloudStack domain in `tenancy=domain`, the
//! store's own in `tenancy=shared`) with their buckets, users, quota and use. The reading is
//! `EcsObjectStore::tenants`; this module prints.

use anyhow::{Context, Result};
use ecs_driver::TenantUsage;
use serde_json::json;

use crate::admin::open_store;
use crate::details::Details;
use crate::output::{Output, table};

/// `ecsctl tenants`.
pub(crate) async fn tenants(details: &Details) -> Result<Output> {
    let (config, store) = open_store(details)?;
    let tenants = store.tenants().await;
    store.close().await;
    let tenants = tenants.context("cannot read the store's namespaces")?;
    let tenancy = config.tenancy().name();
    let json = json!({
        "tenancy": tenancy,
        "tenants": tenants.iter().map(|tenant| json!({
            "namespace": tenant.namespace,
            "domain_uuid": tenant.domain_uuid,
            "buckets": tenant.buckets,
            "users": tenant.users,
            "hard_quota_gb": tenant.hard_quota_gb,
            "soft_quota_gb": tenant.soft_quota_gb,
            "used_bytes": tenant.used_bytes,
        })).collect::<Vec<_>>(),
    });
    Ok(Output::ok(human(tenancy, &tenants), json))
}

fn human(tenancy: &str, tenants: &[TenantUsage]) -> String {
    let mut out = format!("tenancy={tenancy}: {} namespace(s)\n", tenants.len());
    if tenants.is_empty() {
        return out;
    }
    let gb = |value: Option<u64>| value.map_or_else(|| "-".to_owned(), |gb| format!("{gb} GB"));
    let rows: Vec<Vec<String>> = tenants
        .iter()
        .map(|tenant| {
            vec![
                tenant.namespace.clone(),
                tenant
                    .domain_uuid
                    .clone()
                    .unwrap_or_else(|| "(shared)".to_owned()),
                tenant.buckets.to_string(),
                tenant.users.to_string(),
                gb(tenant.hard_quota_gb),
                gb(tenant.soft_quota_gb),
                format!("{} bytes", tenant.used_bytes),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "NAMESPACE",
            "DOMAIN",
            "BUCKETS",
            "USERS",
            "HARD QUOTA",
            "SOFT QUOTA",
            "USED",
        ],
        &rows,
    ));
    out
}
