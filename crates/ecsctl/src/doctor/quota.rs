//! The namespace quota check: where the store's namespace stands against its hard and soft
//! quota (a namespace at its hard quota refuses every write to every bucket).

use ecs_driver::StoreConfig;
use ecs_driver::mgmt::EcsMgmtClient;
use ecs_driver::tenancy::{QuotaLevel, quota_state};

use super::report::Finding;

/// The check's name.
pub(crate) const CHECK: &str = "namespace-quota";

fn gb(value: Option<u64>) -> String {
    value.map_or_else(|| "none".to_owned(), |gb| format!("{gb} GB"))
}

/// Reads the quota and usage of the store's namespace and judges them.
pub(crate) async fn check(client: &EcsMgmtClient, config: &StoreConfig) -> Finding {
    let namespace = config.namespace();
    let state = match quota_state(client, namespace).await {
        Ok(state) => state,
        Err(err) => {
            return Finding::warn(
                CHECK,
                format!("cannot read the quota of namespace {namespace}: {err}"),
                "give the management user a role that can read the namespace",
            );
        }
    };
    let holds = format!(
        "namespace {namespace} holds {} bytes (hard quota {}, soft quota {})",
        state.used_bytes,
        gb(state.hard_gb),
        gb(state.soft_gb)
    );
    match state.level() {
        QuotaLevel::Unlimited => {
            Finding::pass(CHECK, format!("namespace {namespace} has no quota"))
        }
        QuotaLevel::Within => Finding::pass(CHECK, holds),
        QuotaLevel::OverSoft => Finding::warn(
            CHECK,
            format!("{holds}: past the soft quota, ECS notifies but writes go on"),
            "raise the quota (`ecsctl namespace quota set --soft GB --hard GB`) or free space",
        ),
        QuotaLevel::Blocked => Finding::fail(
            CHECK,
            format!("{holds}: at the hard quota, ECS refuses writes to every bucket"),
            "raise the hard quota (`ecsctl namespace quota set --hard GB`) or delete data",
        ),
    }
}
