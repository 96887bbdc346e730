//! A second S3 listener (ECS's public and private endpoints): same state, told apart in the log.

#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;

use ecs_sim::{Api, Sim};

#[tokio::test]
async fn both_s3_listeners_share_state_and_the_log_names_each() {
    let loopback = SocketAddr::from(([127, 0, 0, 1], 0));
    let env = common::start_with(Sim::builder().second_s3_listener(loopback)).await;
    let second = env.sim.second_s3_url().expect("a second S3 URL");
    assert_ne!(second, env.sim.s3_url());

    // A bucket made through the management API is seen on both listeners alike.
    let body = "<object_bucket_create><name>shared</name><namespace>ns1</namespace></object_bucket_create>";
    let created = env
        .http
        .post(env.url("/object/bucket"))
        .header("X-SDS-AUTH-TOKEN", &env.token)
        .header("Content-Type", "application/xml")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success(), "{}", created.status());
    env.sim.control().clear_request_log();
    let mut statuses = Vec::new();
    for base in [env.sim.s3_url(), second.clone()] {
        for bucket in ["shared", "absent"] {
            let response = env
                .http
                .head(format!("{base}/{bucket}"))
                .send()
                .await
                .unwrap();
            statuses.push(response.status().as_u16());
        }
    }
    assert_eq!(statuses[0..2], statuses[2..4], "same answers: {statuses:?}");
    assert_ne!(statuses[0], statuses[1], "the bucket exists: {statuses:?}");

    let log = env.sim.control().request_log();
    let listeners: Vec<&str> = log.iter().map(|r| r.listener.as_str()).collect();
    assert!(log.iter().all(|r| r.api == Api::S3), "{log:?}");
    let first = env.sim.s3_addr().to_string();
    let other = second.trim_start_matches("http://");
    assert_eq!(listeners, [&*first, &*first, other, other], "{log:?}");
}

#[tokio::test]
async fn without_the_option_there_is_one_s3_listener() {
    let env = common::start().await;
    assert_eq!(env.sim.second_s3_url(), None);
    env.http
        .get(env.url("/login"))
        .basic_auth("root", Some("ChangeMe"))
        .send()
        .await
        .unwrap();
    let log = env.sim.control().request_log();
    assert_eq!(
        log.last().map(|r| r.listener.clone()),
        Some(env.sim.mgmt_addr().to_string())
    );
}
