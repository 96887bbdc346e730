//! `--ecs-version`: the release the emulator plays, reported by `GET /vdc/nodes`; below 4.0
//! the management versioning endpoints answer as paths ECS does not have.

#![allow(
    clippy::unwrap_used,
    reason = "tests fail loudly on the first surprise"
)]

mod common;

use common::{Fmt, body, items, login, read, start_with, text};
use ecs_sim::{EcsVersion, Role, Seed, Sim};
use reqwest::Method;
use serde_json::json;

async fn make_bucket(env: &common::Env, name: &str) {
    let response = env
        .send(
            Method::POST,
            "/object/bucket",
            Fmt::Json,
            body(
                json!({"name": name, "namespace": "ns1"}),
                "<object_bucket_create/>",
            ),
        )
        .await;
    assert_eq!(response.status(), 200, "bucket {name} created");
}

#[tokio::test]
async fn nodes_report_the_version_played_in_both_formats() {
    for (version, expected) in [
        (EcsVersion::V3_6, "3.6.0.0.0.ecssim"),
        (EcsVersion::V4_1, "4.1.0.0.0.ecssim"),
        ("3.6.2".parse().unwrap(), "3.6.2.0.0.ecssim"),
    ] {
        let env = start_with(Sim::builder().ecs_version(version)).await;
        for fmt in Fmt::both() {
            let (status, nodes) = read(
                env.req(Method::GET, "/vdc/nodes", fmt)
                    .send()
                    .await
                    .unwrap(),
                fmt,
            )
            .await;
            assert_eq!(status, 200, "{fmt:?}");
            let node = items(&nodes, "node").remove(0);
            assert_eq!(text(&node, "version"), expected, "{fmt:?}: {nodes}");
            assert!(!text(&node, "nodename").is_empty());
        }
        env.stop().await;
    }
}

#[tokio::test]
async fn the_default_is_4_1_and_a_seed_file_can_say_3_6() {
    let env = start_with(Sim::builder()).await;
    let (_, nodes) = read(
        env.req(Method::GET, "/vdc/nodes", Fmt::Json)
            .send()
            .await
            .unwrap(),
        Fmt::Json,
    )
    .await;
    assert_eq!(nodes["node"][0]["version"], "4.1.0.0.0.ecssim");
    env.stop().await;

    let seed = Seed::from_toml_str("ecs_version = \"3.6\"").unwrap();
    assert_eq!(seed.ecs_version, EcsVersion::V3_6);
    assert!(Seed::from_toml_str("ecs_version = \"2.2\"").is_err());
}

#[tokio::test]
async fn namespace_admins_may_read_nodes_and_anonymous_callers_may_not() {
    let seed =
        Seed::default().with_mgmt_user("nsadmin", "pw", &[Role::NamespaceAdmin], Some("ns1"));
    let env = start_with(Sim::builder().seed(seed)).await;
    let token = login(&env.http, &env.sim.mgmt_url(), "nsadmin", "pw").await;
    let response = env
        .http
        .get(env.url("/vdc/nodes"))
        .header("X-SDS-AUTH-TOKEN", token)
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let unauthenticated = env.http.get(env.url("/vdc/nodes")).send().await.unwrap();
    assert_eq!(unauthenticated.status(), 401);
    env.stop().await;
}

#[tokio::test]
async fn below_4_0_the_management_versioning_endpoints_are_absent() {
    let env = start_with(Sim::builder().ecs_version(EcsVersion::V3_6)).await;
    make_bucket(&env, "old").await;
    for fmt in Fmt::both() {
        let (status, error) = read(
            env.req(
                Method::GET,
                "/object/bucket/old/versioning?namespace=ns1",
                fmt,
            )
            .send()
            .await
            .unwrap(),
            fmt,
        )
        .await;
        assert_eq!(status, 404, "{fmt:?}");
        assert_eq!(text(&error, "code"), "1019", "{fmt:?}: {error}");
        let (status, _) = read(
            env.send(
                Method::PUT,
                "/object/bucket/old/versioning?namespace=ns1",
                fmt,
                body(
                    json!({"Status": "Enabled"}),
                    "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>",
                ),
            )
            .await,
            fmt,
        )
        .await;
        assert_eq!(status, 404, "{fmt:?}");
    }
    // Answered like any unknown path: before authentication, as the router's fallback does.
    let anonymous = env
        .http
        .get(env.url("/object/bucket/old/versioning"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 404);
    let (_, info) = read(
        env.req(
            Method::GET,
            "/object/bucket/old/info?namespace=ns1",
            Fmt::Json,
        )
        .send()
        .await
        .unwrap(),
        Fmt::Json,
    )
    .await;
    assert!(info["versioning_status"].is_null(), "unchanged: {info}");
    env.stop().await;
}

#[tokio::test]
async fn from_4_0_the_management_versioning_endpoints_work() {
    let env = start_with(Sim::builder().ecs_version("4.0".parse().unwrap())).await;
    make_bucket(&env, "new").await;
    let response = env
        .send(
            Method::PUT,
            "/object/bucket/new/versioning?namespace=ns1",
            Fmt::Json,
            body(json!({"Status": "Enabled"}), ""),
        )
        .await;
    assert_eq!(response.status(), 200);
    let (_, versioning) = read(
        env.req(
            Method::GET,
            "/object/bucket/new/versioning?namespace=ns1",
            Fmt::Json,
        )
        .send()
        .await
        .unwrap(),
        Fmt::Json,
    )
    .await;
    assert_eq!(versioning["Status"], "Enabled");
    env.stop().await;
}
