//! Shared test helpers: an emulator per test, a store on it, and request-log views.
#![allow(dead_code, unreachable_pub)]

use std::collections::HashMap;

use ecs_driver::{AccountCredentials, BucketSpec, EcsObjectStore, PolicySpec, StoreConfig};
use ecs_sim::{Api, Sim};

/// A started emulator and a store configured for its `ns1` namespace as `root`.
pub struct Env {
    pub sim: Sim,
    pub store: EcsObjectStore,
}

pub const ACCOUNT: &str = "0e9c6e8a-1f0b-4c39-9c1b-2d5f3e4a5b6c";
pub const OTHER_ACCOUNT: &str = "11111111-2222-4333-8444-555555555555";

pub fn details(sim: &Sim) -> HashMap<String, String> {
    [
        ("mgmt_url", sim.mgmt_url()),
        ("sa_user", "root".to_owned()),
        ("sa_password", "ChangeMe".to_owned()),
        ("namespace", "ns1".to_owned()),
        ("s3_public_url", "https://s3.example.com".to_owned()),
        ("s3_private_url", sim.s3_url()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

pub fn store_with(sim: &Sim, extra: &[(&str, &str)]) -> EcsObjectStore {
    let mut details = details(sim);
    for (key, value) in extra {
        details.insert((*key).to_owned(), (*value).to_owned());
    }
    let config = StoreConfig::from_details(&details).expect("valid test config");
    EcsObjectStore::new(config).expect("store builds")
}

pub async fn start() -> Env {
    start_with(&[]).await
}

pub async fn start_with(extra: &[(&str, &str)]) -> Env {
    let sim = Sim::builder().start().await.expect("emulator starts");
    let store = store_with(&sim, extra);
    Env { sim, store }
}

impl Env {
    /// Management requests since the last clear, as `METHOD path?query` (login included).
    pub fn mgmt_requests(&self) -> Vec<String> {
        self.requests(Api::Mgmt)
    }

    pub fn s3_requests(&self) -> Vec<String> {
        self.requests(Api::S3)
    }

    fn requests(&self, api: Api) -> Vec<String> {
        self.sim
            .control()
            .request_log()
            .into_iter()
            .filter(|record| record.api == api)
            .map(|record| {
                if record.query.is_empty() {
                    format!("{} {}", record.method, record.path)
                } else {
                    format!("{} {}?{}", record.method, record.path, record.query)
                }
            })
            .collect()
    }

    pub fn all_requests(&self) -> usize {
        self.sim.control().request_log().len()
    }

    pub fn clear_log(&self) {
        self.sim.control().clear_request_log();
    }

    /// Warms the store up (login, account user, ECS release) so later counts show steady
    /// state.
    pub async fn provisioned(&self) -> ecs_driver::AccountCredentials {
        let credentials = self
            .store
            .ensure_account_user(ACCOUNT, None)
            .await
            .expect("account user");
        self.store.ecs_release().await.expect("ECS release");
        self.clear_log();
        credentials
    }

    pub async fn stop(self) {
        self.store.close().await;
        self.sim.shutdown().await;
    }
}

/// A management client of its own, to look at ECS state behind the store's back.
pub fn admin(sim: &Sim) -> ecs_mgmt::EcsMgmtClient {
    ecs_mgmt::EcsMgmtClient::builder()
        .endpoint(&sim.mgmt_url())
        .expect("endpoint")
        .credentials(
            "root",
            ecs_driver::SecretString::from("ChangeMe".to_owned()),
        )
        .build()
        .expect("admin client")
}

pub fn user_id(account: &str) -> String {
    format!("cs-{account}")
}

/// The secrets ECS holds for a user, slot order.
pub async fn ecs_secrets(sim: &Sim, uid: &str) -> Vec<String> {
    use ecs_driver::SecretString;
    use secrecy::ExposeSecret;
    let keys = admin(sim)
        .secret_keys()
        .get(uid, Some("ns1"))
        .await
        .expect("keys");
    let secrets: Vec<&SecretString> = keys.keys().map(|key| &key.secret).collect();
    secrets
        .into_iter()
        .map(|secret| secret.expose_secret().to_owned())
        .collect()
}

/// A bucket of [`ACCOUNT`] with every CloudStack option on: quota 5 GiB, encryption,
/// versioning and a public policy.
pub fn full_spec(name: &str, credentials: AccountCredentials) -> BucketSpec {
    BucketSpec {
        name: name.to_owned(),
        account_uuid: ACCOUNT.to_owned(),
        credentials: Some(credentials),
        quota_gib: Some(5),
        encryption: true,
        versioning: true,
        policy: Some(PolicySpec::Public),
        object_lock: false,
    }
}

/// Phase 2 of `createBucket` after the driver's `createBucket`: the setters CloudStack calls
/// with the values the bucket was created with (`BucketApiServiceImpl`: versioning and
/// encryption only when on, quota and policy only when given).
pub async fn cloudstack_create_follow_ups(store: &EcsObjectStore, spec: &BucketSpec) {
    if spec.versioning {
        store
            .set_versioning(&spec.name, true)
            .await
            .expect("set versioning");
    }
    if spec.encryption {
        store
            .set_encryption(&spec.name, true)
            .await
            .expect("set encryption");
    }
    if let Some(quota) = spec.quota_gib {
        store.set_quota(&spec.name, quota).await.expect("set quota");
    }
    if let Some(policy) = &spec.policy {
        store
            .set_policy(&spec.name, policy)
            .await
            .expect("set policy");
    }
}
