//! TLS against `ecs-sim`'s self-signed certificate: refused by default, trusted with the CA,
//! accepted with the explicit insecure switch; a certificate failure is not retried.

// Helpers outside `#[test]` functions unwrap just like the tests do.
#![allow(clippy::unwrap_used)]

mod common;

use common::{PASSWORD, USER, mgmt_log};
use ecs_mgmt::{EcsMgmtClient, ErrorKind, TlsOptions};
use ecs_sim::Sim;

async fn tls_sim() -> Sim {
    Sim::builder()
        .mgmt_tls(true)
        .start()
        .await
        .expect("the emulator starts with TLS")
}

fn client(sim: &Sim, tls: TlsOptions) -> EcsMgmtClient {
    EcsMgmtClient::builder()
        .endpoint(&sim.mgmt_url())
        .unwrap()
        .credentials(USER, PASSWORD.into())
        .tls(tls)
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_untrusted_certificate_fails_without_retries() {
    let sim = tls_sim().await;
    assert!(sim.mgmt_url().starts_with("https://"));
    let client = client(&sim, TlsOptions::default());
    let err = client.whoami().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Tls, "{err}");
    assert!(!err.is_retryable());
    assert_eq!(client.stats().retries, 0);
    assert!(mgmt_log(&sim).is_empty(), "nothing reached the API");
    sim.shutdown().await;
}

#[tokio::test]
async fn the_emulator_ca_is_trusted_when_given() {
    let sim = tls_sim().await;
    let ca = sim.ca_pem().expect("a TLS emulator has a CA");
    let client = client(&sim, TlsOptions::default().with_ca_pem(&ca).unwrap());
    assert_eq!(client.whoami().await.unwrap().common_name, USER);
    client.close().await;
    assert_eq!(sim.control().live_tokens(USER), 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn insecure_accepts_any_certificate_when_asked() {
    let sim = tls_sim().await;
    let client = client(
        &sim,
        TlsOptions::default().danger_accept_invalid_certs(true),
    );
    assert_eq!(client.whoami().await.unwrap().common_name, USER);
    client.close().await;
    sim.shutdown().await;
}
