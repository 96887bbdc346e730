//! Shared helpers of the emulator tests: start `ecs-sim`, build clients, read its request log.
#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use ecs_mgmt::{EcsMgmtClient, EcsMgmtClientBuilder, Format, RetryConfig};
use ecs_sim::{Api, RequestRecord, Sim};

/// The default seed's system administrator.
pub const USER: &str = "root";
pub const PASSWORD: &str = "ChangeMe";
pub const NS: &str = "ns1";

pub async fn start() -> Sim {
    Sim::builder().start().await.expect("the emulator starts")
}

/// Fast retries so fault tests finish quickly; bounds stay as in production.
pub fn fast_retry() -> RetryConfig {
    RetryConfig::default().with_backoff(Duration::from_millis(5), Duration::from_millis(20))
}

pub fn builder(sim: &Sim, format: Format) -> EcsMgmtClientBuilder {
    EcsMgmtClient::builder()
        .endpoint(&sim.mgmt_url())
        .expect("the emulator URL is valid")
        .credentials(USER, PASSWORD.into())
        .format(format)
        .retry(fast_retry())
        .request_timeout(Duration::from_secs(20))
}

pub fn client(sim: &Sim, format: Format) -> EcsMgmtClient {
    builder(sim, format).build().expect("the client builds")
}

/// Management requests the emulator saw.
pub fn mgmt_log(sim: &Sim) -> Vec<RequestRecord> {
    sim.control()
        .request_log()
        .into_iter()
        .filter(|r| r.api == Api::Mgmt)
        .collect()
}

/// How many requests to `path` (any method) the emulator saw.
pub fn count_path(sim: &Sim, path: &str) -> usize {
    mgmt_log(sim).iter().filter(|r| r.path == path).count()
}

pub fn logins(sim: &Sim) -> usize {
    count_path(sim, "/login")
}

/// Waits (bounded) until `check` holds.
pub async fn eventually(mut check: impl FnMut() -> bool) -> bool {
    for _ in 0..200 {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    check()
}
