//! The tenancy check: buckets of the store's accounts where the store's tenancy does not look
//! (a store switched between `shared` and `domain` tenancy once it held buckets).

use ecs_driver::mgmt::EcsMgmtClient;
use ecs_driver::tenancy::{StrandedBuckets, stranded_buckets};
use ecs_driver::{ErrorKind, StoreConfig};

use super::report::Finding;

/// The check's name.
pub(crate) const CHECK: &str = "tenancy";

/// Looks for stranded buckets (`ecs_driver::tenancy::stranded_buckets`) and judges them.
pub(crate) async fn check(client: &EcsMgmtClient, config: &StoreConfig) -> Finding {
    let domain = config.tenancy().domain().is_some();
    let stranded = match stranded_buckets(client, config).await {
        Ok(stranded) => stranded,
        Err(err) if !domain && err.kind() == ErrorKind::Forbidden => {
            return Finding::skip(
                CHECK,
                format!(
                    "{} may not list ECS's namespaces, so the domain namespaces of an earlier \
                     tenancy=domain were not looked for ({err})",
                    config.sa_user()
                ),
            );
        }
        Err(err) => {
            return Finding::warn(
                CHECK,
                format!("cannot look for buckets outside the store's tenancy: {err}"),
                "give the management user a role that can list namespaces and buckets",
            );
        }
    };
    if stranded.is_empty() {
        return Finding::pass(
            CHECK,
            if domain {
                format!(
                    "tenancy=domain; namespace {} holds no bucket of the store's accounts made \
                     in shared tenancy",
                    config.namespace()
                )
            } else {
                format!(
                    "tenancy=shared; no domain namespace (<prefix><uuid>) holds a bucket of the \
                     store's accounts ({}…)",
                    config.user_prefix()
                )
            },
        );
    }
    let listing = stranded.iter().map(describe).collect::<Vec<_>>().join("; ");
    let count: usize = stranded.iter().map(|s| s.buckets.len()).sum();
    if domain {
        Finding::fail(
            CHECK,
            format!(
                "tenancy=domain, but {count} bucket(s) of the store's accounts made in shared \
                 tenancy are in its namespace: {listing}; the driver refuses to work (CONFLICT)"
            ),
            "set tenancy=shared again, or register a new store for domain tenancy (there is no \
             migration command)",
        )
    } else {
        Finding::fail(
            CHECK,
            format!(
                "tenancy=shared, but {count} bucket(s) of the store's accounts made in \
                 tenancy=domain are in domain namespaces, where a shared store does not look: \
                 {listing}"
            ),
            "set tenancy=domain again (with the tenant_namespace_prefix it had), or register a \
             new store for shared tenancy (there is no migration command)",
        )
    }
}

fn describe(stranded: &StrandedBuckets) -> String {
    let whose = stranded
        .domain_uuid
        .as_deref()
        .map(|domain| format!(" (domain {domain})"))
        .unwrap_or_default();
    format!(
        "{}{whose}: {}",
        stranded.namespace,
        stranded.buckets.join(", ")
    )
}
