//! The control surface over real HTTP: `/_sim/`, fault injection (deterministic under a seed),
//! the request log, TLS with the generated CA, state persistence, routing errors.

#![allow(
    clippy::unwrap_used,
    reason = "tests fail loudly on the first surprise"
)]

mod common;

use std::time::Duration;

use common::{Fmt, start, start_with, text};
use ecs_sim::{Api, FaultRule, Seed, Sim};
use reqwest::Method;
use serde_json::{Value, json};

/// Sends a control call and reads its JSON answer.
async fn answer<T: serde::de::DeserializeOwned>(request: reqwest::RequestBuilder) -> T {
    request.send().await.unwrap().json().await.unwrap()
}

/// Sends a control call and returns its status.
async fn status(request: reqwest::RequestBuilder) -> reqwest::StatusCode {
    request.send().await.unwrap().status()
}

#[tokio::test]
async fn control_plane_is_off_unless_enabled() {
    let env = start().await;
    let (status, error) = env.call(Method::GET, "/_sim/log").read().await;
    assert_eq!(status, 404);
    assert!(error["code"].is_number());
    env.stop().await;
}

#[tokio::test]
async fn control_plane_over_http() {
    let env = start_with(Sim::builder().control(true)).await;
    let url = env.sim.mgmt_url();
    let http = &env.http;
    env.call(Method::GET, "/user/whoami").send().await;
    let log: Vec<Value> = answer(http.get(format!("{url}/_sim/log"))).await;
    assert!(
        log.iter()
            .any(|r| r["path"] == "/user/whoami" && r["status"] == 200 && r["api"] == "mgmt")
    );
    assert!(
        log.iter()
            .all(|r| !r["path"].as_str().unwrap().starts_with("/_sim/")),
        "control calls are not logged"
    );
    assert_eq!(status(http.delete(format!("{url}/_sim/log"))).await, 204);
    assert!(env.sim.control().request_log().is_empty());

    let tokens: Value = answer(http.get(format!("{url}/_sim/tokens/root"))).await;
    assert_eq!(tokens["live"], 1);
    let revoked: Value = answer(http.post(format!("{url}/_sim/tokens/root/revoke"))).await;
    assert_eq!(revoked["revoked"], 1);
    env.call(Method::GET, "/user/whoami").expect(401).await;

    let token = common::login(http, &url, "root", "ChangeMe").await;
    let response = http
        .post(format!("{url}/_sim/clock/advance"))
        .json(&json!({"secs": 8 * 3600}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let response = http
        .get(format!("{url}/user/whoami"))
        .header("X-SDS-AUTH-TOKEN", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401, "the 8-hour lifetime passed");

    let rule = json!({"api": "mgmt", "path_prefix": "/user", "error_503": 1.0, "times": 1});
    assert_eq!(
        status(http.post(format!("{url}/_sim/faults")).json(&rule)).await,
        204
    );
    let rules: Vec<Value> = answer(http.get(format!("{url}/_sim/faults"))).await;
    assert_eq!(rules.len(), 1);
    let response = http.get(format!("{url}/user/whoami")).send().await.unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(status(http.delete(format!("{url}/_sim/faults"))).await, 204);

    let usage = json!({"bytes": 10, "objects": 1});
    assert_eq!(
        status(http.put(format!("{url}/_sim/usage/ns1/b")).json(&usage)).await,
        204
    );
    let got: Value = answer(http.get(format!("{url}/_sim/usage/ns1/b"))).await;
    assert_eq!(
        (got["bytes"].clone(), got["objects"].clone()),
        (json!(10), json!(1))
    );
    env.stop().await;
}

#[tokio::test]
async fn injected_503_500_and_dropped_connections() {
    let env = start().await;
    let control = env.sim.control();
    control.add_fault(FaultRule {
        error_503: 1.0,
        times: Some(2),
        ..FaultRule::new(Api::Mgmt, "/object/bucket")
    });
    for fmt in Fmt::both() {
        let (status, error) = env
            .call(Method::GET, "/object/bucket?namespace=ns1")
            .fmt(fmt)
            .read()
            .await;
        assert_eq!(status, 503);
        assert_eq!(
            (text(&error, "code"), text(&error, "retryable")),
            ("6000".into(), "true".into())
        );
    }
    assert_eq!(
        env.call(Method::GET, "/object/bucket?namespace=ns1")
            .status()
            .await,
        200,
        "times ran out"
    );
    assert!(control.fault_rules().is_empty());

    control.add_fault(FaultRule {
        error_500: 1.0,
        method: Some("POST".into()),
        ..FaultRule::new(Api::Mgmt, "/")
    });
    assert_eq!(
        env.call(Method::GET, "/user/whoami").status().await,
        200,
        "method filter"
    );
    let (status, error) = env
        .call(Method::POST, "/object/users")
        .json(json!({"user": "u", "namespace": "ns1"}))
        .read()
        .await;
    assert_eq!(
        (status, error["code"].as_i64(), error["retryable"].as_bool()),
        (500, Some(7000), Some(false))
    );
    control.clear_faults();

    control.add_fault(FaultRule {
        drop_connection: 1.0,
        times: Some(1),
        latency: Some(Duration::from_millis(5)),
        ..FaultRule::new(Api::Mgmt, "/user/whoami")
    });
    let error = env
        .req(Method::GET, "/user/whoami", Fmt::Json)
        .send()
        .await
        .unwrap_err();
    assert!(
        error.is_request() || error.is_connect() || error.to_string().contains("connection"),
        "{error}"
    );
    env.call(Method::GET, "/user/whoami").expect(200).await;
    let log = control.request_log();
    assert!(
        log.iter()
            .any(|r| r.path == "/user/whoami" && r.status == 0),
        "a dropped request is logged with status 0"
    );
    env.stop().await;
}

#[tokio::test]
async fn faults_are_deterministic_under_a_seed() {
    async fn statuses(seed: u64) -> Vec<u16> {
        let env = start_with(Sim::builder().fault_seed(seed)).await;
        env.sim.control().add_fault(FaultRule {
            error_503: 0.5,
            ..FaultRule::new(Api::Mgmt, "/user/whoami")
        });
        let mut statuses = Vec::new();
        for _ in 0..24 {
            statuses.push(env.call(Method::GET, "/user/whoami").status().await);
        }
        env.stop().await;
        statuses
    }
    let first = statuses(7).await;
    assert_eq!(first, statuses(7).await);
    assert!(first.contains(&503) && first.contains(&200), "{first:?}");
    assert_ne!(first, statuses(8).await);
}

#[tokio::test]
async fn s3_requests_are_logged_and_faultable() {
    let env = start().await;
    let control = env.sim.control();
    control.clear_request_log();
    let s3 = env.sim.s3_url();
    env.http.get(format!("{s3}/")).send().await.unwrap();
    let log = control.request_log();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].api, log[0].method.as_str(), log[0].path.as_str()),
        (Api::S3, "GET", "/")
    );
    control.add_fault(FaultRule {
        error_503: 1.0,
        ..FaultRule::new(Api::S3, "/")
    });
    let response = env
        .http
        .get(format!("{s3}/some-bucket"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<Code>ServiceUnavailable</Code>")
    );
    assert_eq!(
        env.call(Method::GET, "/user/whoami").status().await,
        200,
        "S3 rules spare mgmt"
    );
    env.stop().await;
}

#[tokio::test]
async fn tls_with_the_generated_ca() {
    let sim = Sim::builder()
        .mgmt_tls(true)
        .s3_tls(true)
        .start()
        .await
        .unwrap();
    assert!(sim.mgmt_url().starts_with("https://127.0.0.1:"));
    assert!(sim.s3_url().starts_with("https://127.0.0.1:"));
    let pem = sim.ca_pem().expect("a CA with TLS on");
    let ca = reqwest::Certificate::from_pem(pem.as_bytes()).unwrap();
    let trusting = reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .unwrap();
    for host in ["127.0.0.1", "localhost"] {
        let url = sim.mgmt_url().replace("127.0.0.1", host);
        let response = trusting
            .get(format!("{url}/login"))
            .basic_auth("root", Some("ChangeMe"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{host}");
    }
    let strict = reqwest::Client::builder().build().unwrap();
    let error = strict
        .get(format!("{}/login", sim.mgmt_url()))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_connect() || error.is_request(), "{error}");
    sim.shutdown().await;
    let plain = Sim::builder().start().await.unwrap();
    assert!(plain.ca_pem().is_none());
    plain.shutdown().await;
}

#[tokio::test]
async fn state_file_keeps_users_keys_and_buckets_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let env = start_with(Sim::builder().state_file(&path)).await;
    env.call(Method::POST, "/object/users")
        .json(json!({"user": "keep", "namespace": "ns1"}))
        .send()
        .await;
    let (_, key) = env
        .call(Method::POST, "/object/user-secret-keys/keep")
        .json(json!({"namespace": "ns1"}))
        .read()
        .await;
    env.call(Method::POST, "/object/bucket")
        .json(json!({"name": "kept", "namespace": "ns1", "owner": "keep", "blockSize": 4}))
        .send()
        .await;
    env.stop().await;
    assert!(path.exists());

    let env = start_with(Sim::builder().state_file(&path)).await;
    let (status, info) = env
        .call(Method::GET, "/object/bucket/kept/info?namespace=ns1")
        .read()
        .await;
    assert_eq!(
        (status, info["owner"].clone(), info["block_size"].clone()),
        (200, json!("keep"), json!(4))
    );
    let (_, keys) = env
        .call(Method::GET, "/object/user-secret-keys/keep")
        .read()
        .await;
    assert_eq!(keys["secret_key_1"], key["secret_key"]);
    env.stop().await;
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_ecs_errors() {
    let env = start().await;
    for fmt in Fmt::both() {
        let (status, error) = env
            .call(Method::GET, "/object/nothing-here")
            .fmt(fmt)
            .read()
            .await;
        assert_eq!(status, 404);
        assert!(!text(&error, "code").is_empty());
        env.call(Method::DELETE, "/object/bucket")
            .fmt(fmt)
            .fails(405, "1007")
            .await;
    }
    env.stop().await;
}

#[tokio::test]
async fn toml_seed_builds_the_starting_state() {
    let seed = Seed::from_toml_str(
        r#"
        [[mgmt_users]]
        name = "admin"
        password = "pw"
        roles = ["SYSTEM_ADMIN"]
        [[replication_groups]]
        name = "rg-a"
        [[namespaces]]
        name = "alpha"
        default_replication_group = "rg-a"
        [[object_users]]
        uid = "alice"
        namespace = "alpha"
        secret = "alice-secret"
        "#,
    )
    .unwrap();
    let sim = Sim::builder().seed(seed).start().await.unwrap();
    let http = reqwest::Client::new();
    let token = common::login(&http, &sim.mgmt_url(), "admin", "pw").await;
    let keys: Value = http
        .get(format!("{}/object/user-secret-keys/alice", sim.mgmt_url()))
        .header("X-SDS-AUTH-TOKEN", token)
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(keys["secret_key_1"], "alice-secret");
    let refused = http
        .get(format!("{}/login", sim.mgmt_url()))
        .basic_auth("root", Some("ChangeMe"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused.status(),
        401,
        "the seed replaces the factory default"
    );
    sim.shutdown().await;
}
