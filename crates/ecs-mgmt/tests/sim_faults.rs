//! Faults injected by `ecs-sim`: what is retried (503, ECS's "retry later"; dropped connections
//! and 500s of idempotent calls), what is not (a 500 of a creation), how a creation whose
//! answer was lost is resolved by reading back, and that retries are bounded.

// Helpers outside `#[test]` functions unwrap just like the tests do.
#![allow(clippy::unwrap_used)]

mod common;

use common::{NS, client, mgmt_log, start};
use ecs_mgmt::{BucketCreate, ErrorKind, ExposeSecret, Format, SecretKeyCreate};
use ecs_sim::{Api, FaultRule, Sim};

fn fault(method: &str, path: &str, times: u32) -> FaultRule {
    FaultRule {
        method: Some(method.to_owned()),
        times: Some(times),
        ..FaultRule::new(Api::Mgmt, path)
    }
}

/// (method, path, status) of every management request after the setup.
fn trace(sim: &Sim) -> Vec<(String, String, u16)> {
    mgmt_log(sim)
        .into_iter()
        .map(|r| (r.method, r.path, r.status))
        .collect()
}

fn step(method: &str, path: &str, status: u16) -> (String, String, u16) {
    (method.to_owned(), path.to_owned(), status)
}

async fn prepared(format: Format) -> (Sim, ecs_mgmt::EcsMgmtClient) {
    let sim = start().await;
    let client = client(&sim, format);
    client
        .buckets()
        .create(&BucketCreate::new("b1", NS))
        .await
        .unwrap();
    sim.control().clear_request_log();
    (sim, client)
}

#[tokio::test]
async fn service_unavailable_is_retried_until_it_passes() {
    let (sim, client) = prepared(Format::Json).await;
    sim.control().add_fault(FaultRule {
        error_503: 1.0,
        ..fault("GET", "/object/bucket/b1/info", 2)
    });
    let info = client.buckets().info("b1", NS).await.unwrap();
    assert_eq!(info.name, "b1");
    let path = "/object/bucket/b1/info";
    assert_eq!(
        trace(&sim),
        vec![
            step("GET", path, 503),
            step("GET", path, 503),
            step("GET", path, 200)
        ]
    );
    assert_eq!(client.stats().retries, 2);
    client.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_503_is_retried_even_for_a_creation() {
    let (sim, client) = prepared(Format::Xml).await;
    sim.control().add_fault(FaultRule {
        error_503: 1.0,
        ..fault("POST", "/object/bucket", 1)
    });
    client
        .buckets()
        .create(&BucketCreate::new("b2", NS))
        .await
        .unwrap();
    assert_eq!(
        trace(&sim),
        vec![
            step("POST", "/object/bucket", 503),
            step("POST", "/object/bucket", 200)
        ]
    );
    client.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn dropped_connections_of_reads_are_retried() {
    let (sim, client) = prepared(Format::Xml).await;
    sim.control().add_fault(FaultRule {
        drop_connection: 1.0,
        ..fault("GET", "/object/bucket/b1/quota", 2)
    });
    client.buckets().quota("b1", NS).await.unwrap();
    let path = "/object/bucket/b1/quota";
    assert_eq!(
        trace(&sim),
        vec![
            step("GET", path, 0),
            step("GET", path, 0),
            step("GET", path, 200)
        ]
    );
    client.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_500_of_an_idempotent_call_is_retried_but_not_of_a_creation() {
    let (sim, client) = prepared(Format::Json).await;
    sim.control().add_fault(FaultRule {
        error_500: 1.0,
        ..fault("PUT", "/object/bucket/b1/versioning", 1)
    });
    client
        .buckets()
        .set_versioning("b1", NS, ecs_mgmt::VersioningStatus::Enabled)
        .await
        .unwrap();
    sim.control().add_fault(FaultRule {
        error_500: 1.0,
        ..fault("POST", "/object/bucket", 1)
    });
    let err = client
        .buckets()
        .create(&BucketCreate::new("b3", NS))
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.status()),
        (ErrorKind::Unavailable, Some(500))
    );
    assert_eq!(err.remote_code(), Some("7000"));
    let path = "/object/bucket/b1/versioning";
    assert_eq!(
        trace(&sim),
        vec![
            step("PUT", path, 500),
            step("PUT", path, 200),
            step("POST", "/object/bucket", 500)
        ]
    );
    client.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_lost_bucket_creation_is_read_back_not_repeated_blindly() {
    for format in [Format::Json, Format::Xml] {
        let (sim, client) = prepared(format).await;
        sim.control().add_fault(FaultRule {
            drop_connection: 1.0,
            ..fault("POST", "/object/bucket", 1)
        });
        let created = client
            .buckets()
            .create(&BucketCreate::new("lost", NS))
            .await
            .unwrap();
        assert_eq!(created.name, "lost");
        assert_eq!(
            trace(&sim),
            vec![
                step("POST", "/object/bucket", 0),
                step("GET", "/object/bucket/lost/info", 400),
                step("POST", "/object/bucket", 200),
            ]
        );
        assert_eq!(client.stats().retries, 0, "no blind retry of a creation");
        client.close().await;
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn a_lost_user_and_key_creation_are_read_back() {
    let (sim, client) = prepared(Format::Json).await;
    sim.control().add_fault(FaultRule {
        drop_connection: 1.0,
        ..fault("POST", "/object/users", 1)
    });
    client.object_users().create("u-lost", NS).await.unwrap();
    sim.control().add_fault(FaultRule {
        drop_connection: 1.0,
        ..fault("POST", "/object/user-secret-keys/u-lost", 1)
    });
    let create = SecretKeyCreate {
        secret: Some("supplied-secret-42".into()),
        existing_key_expiry_mins: None,
    };
    let key = client
        .secret_keys()
        .create("u-lost", NS, create)
        .await
        .unwrap();
    assert_eq!(key.secret.expose_secret(), "supplied-secret-42");
    assert_eq!(
        trace(&sim),
        vec![
            step("POST", "/object/users", 0),
            step("GET", "/object/users/u-lost/info", 404),
            step("POST", "/object/users", 200),
            step("POST", "/object/user-secret-keys/u-lost", 0),
            step("GET", "/object/user-secret-keys/u-lost/ns1", 200),
            step("POST", "/object/user-secret-keys/u-lost", 200),
        ]
    );
    let keys = client.secret_keys().get("u-lost", Some(NS)).await.unwrap();
    assert_eq!(keys.keys().count(), 1, "exactly one key was installed");
    client.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn retries_are_bounded() {
    let (sim, client) = prepared(Format::Json).await;
    sim.control().add_fault(FaultRule {
        error_503: 1.0,
        times: None,
        ..fault("GET", "/object/bucket/b1/acl", 0)
    });
    let err = client.buckets().acl("b1", NS).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.is_retryable());
    assert_eq!(err.remote_code(), Some("6000"));
    // The first attempt and the default four retries, then the error.
    assert_eq!(trace(&sim).len(), 5);
    assert_eq!(client.stats().retries, 4);
    client.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_login_whose_connection_drops_is_retried() {
    let sim = start().await;
    sim.control().add_fault(FaultRule {
        drop_connection: 1.0,
        ..fault("GET", "/login", 2)
    });
    let client = client(&sim, Format::Xml);
    client.whoami().await.unwrap();
    assert_eq!(
        trace(&sim),
        vec![
            step("GET", "/login", 0),
            step("GET", "/login", 0),
            step("GET", "/login", 200),
            step("GET", "/user/whoami", 200)
        ]
    );
    assert_eq!(sim.control().live_tokens("root"), 1);
    client.close().await;
    assert_eq!(sim.control().live_tokens("root"), 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_failing_login_is_retried_when_ecs_says_so() {
    let sim = start().await;
    sim.control().add_fault(FaultRule {
        error_503: 1.0,
        ..fault("GET", "/login", 1)
    });
    let client = client(&sim, Format::Xml);
    client.whoami().await.unwrap();
    assert_eq!(
        trace(&sim),
        vec![
            step("GET", "/login", 503),
            step("GET", "/login", 200),
            step("GET", "/user/whoami", 200)
        ]
    );
    assert_eq!(sim.control().live_tokens("root"), 1);
    client.close().await;
    sim.shutdown().await;
}
