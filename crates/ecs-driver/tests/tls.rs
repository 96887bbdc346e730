//! TLS on both APIs: a configured CA is trusted, `insecure` is explicit, and an untrusted
//! certificate is reported by the check with the fix.
#![allow(clippy::unwrap_used)] // Test code: a failed unwrap is a failed test.

mod common;

use ecs_driver::{BucketSpec, EcsObjectStore, StoreConfig};
use ecs_sim::Sim;

async fn tls_sim() -> Sim {
    Sim::builder()
        .mgmt_tls(true)
        .s3_tls(true)
        .start()
        .await
        .expect("emulator starts")
}

fn store(sim: &Sim, extra: &[(&str, &str)]) -> EcsObjectStore {
    let mut details = common::details(sim);
    for (key, value) in extra {
        details.insert((*key).to_owned(), (*value).to_owned());
    }
    EcsObjectStore::new(StoreConfig::from_details(&details).unwrap()).unwrap()
}

#[tokio::test]
async fn a_configured_ca_is_trusted_by_both_apis() {
    let sim = tls_sim().await;
    let pem = sim.ca_pem().expect("the emulator made a CA");
    let store = store(
        &sim,
        &[
            ("ca_cert", pem.as_str()),
            ("cors_origins", "https://cloud.example.com"),
        ],
    );
    let report = store.check().await;
    assert!(report.ok, "{}", report.summary());
    let tls = report.checks.iter().find(|c| c.name == "tls").unwrap();
    assert!(tls.detail.contains("1 extra CA"), "{}", tls.detail);
    store
        .create_bucket(&BucketSpec::new("over-tls", common::ACCOUNT))
        .await
        .unwrap();
    store.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn insecure_works_and_says_so() {
    let sim = tls_sim().await;
    let store = store(&sim, &[("insecure", "true")]);
    let report = store.check().await;
    assert!(report.ok, "{}", report.summary());
    let tls = report.checks.iter().find(|c| c.name == "tls").unwrap();
    assert!(tls.detail.contains("OFF"), "{}", tls.detail);
    store.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn an_untrusted_certificate_fails_the_check_with_the_fix() {
    let sim = tls_sim().await;
    let store = store(&sim, &[]);
    let report = store.check().await;
    assert!(!report.ok);
    let login = report.checks.iter().find(|c| c.name == "login").unwrap();
    assert!(
        !login.ok && login.detail.contains("ca_cert"),
        "{}",
        login.detail
    );
    let s3 = report.checks.iter().find(|c| c.name == "s3").unwrap();
    assert!(!s3.ok && s3.detail.contains("ca_cert"), "{}", s3.detail);
    store.close().await;
    sim.shutdown().await;
}
