//! The session against `ecs-sim`: one login for many concurrent callers, one re-login and
//! replay when ECS expires or revokes the token, logout on close and on drop, and the
//! 100-token cap never approached. Every count comes from the emulator's request log.

// Helpers outside `#[test]` functions unwrap just like the tests do.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{NS, USER, client, count_path, eventually, logins, mgmt_log, start};
use ecs_mgmt::{ErrorKind, Format};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_thousand_calls_from_64_tasks_use_one_login() {
    const TASKS: usize = 64;
    const CALLS: usize = 10_000;
    let sim = start().await;
    let client = client(&sim, Format::Json);
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let client = client.clone();
            // Spread 10,000 calls over 64 tasks: the first 16 make one call more.
            let calls = CALLS / TASKS + usize::from(task < CALLS % TASKS);
            tokio::spawn(async move {
                for _ in 0..calls {
                    client.namespaces().info(NS).await.expect("namespace info");
                }
                calls
            })
        })
        .collect();
    let mut made = 0;
    for task in tasks {
        made += task.await.unwrap();
    }
    assert_eq!(made, CALLS);
    assert_eq!(logins(&sim), 1, "exactly one login");
    assert_eq!(
        count_path(&sim, &format!("/object/namespaces/namespace/{NS}")),
        CALLS
    );
    assert_eq!(sim.control().live_tokens(USER), 1);
    let stats = client.stats();
    assert_eq!(
        (
            stats.requests as usize,
            stats.logins,
            stats.retries,
            stats.replays
        ),
        (CALLS + 1, 1, 0, 0)
    );
    client.close().await;
    assert_eq!(sim.control().live_tokens(USER), 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn an_expired_token_costs_exactly_one_relogin() {
    let sim = start().await;
    let client = client(&sim, Format::Xml);
    client.whoami().await.unwrap();
    // Past ECS's 8-hour lifetime: the emulator refuses the token, the client logs in again.
    sim.control().advance_clock(Duration::from_secs(9 * 3600));
    sim.control().clear_request_log();
    client.namespaces().info(NS).await.unwrap();
    client.namespaces().info(NS).await.unwrap();
    let paths: Vec<_> = mgmt_log(&sim)
        .iter()
        .map(|r| (r.path.clone(), r.status))
        .collect();
    let info = format!("/object/namespaces/namespace/{NS}");
    assert_eq!(
        paths,
        vec![
            (info.clone(), 401),
            ("/login".to_owned(), 200),
            (info.clone(), 200),
            (info, 200)
        ]
    );
    assert_eq!(client.stats().replays, 1);
    assert_eq!(sim.control().live_tokens(USER), 1);
    client.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn an_idle_expired_token_is_replaced_the_same_way() {
    let sim = start().await;
    let client = client(&sim, Format::Json);
    client.whoami().await.unwrap();
    sim.control()
        .advance_clock(Duration::from_secs(2 * 3600 + 60));
    client.whoami().await.unwrap();
    assert_eq!(logins(&sim), 2);
    assert_eq!(sim.control().live_tokens(USER), 1);
    client.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_revoked_token_is_replaced_and_the_call_replayed() {
    let sim = start().await;
    let client = client(&sim, Format::Json);
    client
        .buckets()
        .create(&ecs_mgmt::BucketCreate::new("replayed", NS))
        .await
        .unwrap();
    assert_eq!(sim.control().revoke_tokens(USER), 1);
    // A mutation is replayed too: the 401 proves it was not applied.
    client
        .buckets()
        .set_lock("replayed", NS, true)
        .await
        .unwrap();
    assert!(client.buckets().is_locked("replayed", NS).await.unwrap());
    assert_eq!(logins(&sim), 2);
    assert_eq!(count_path(&sim, "/object/bucket/replayed/lock/true"), 2);
    assert_eq!(client.stats().replays, 1);
    client.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn the_token_cap_is_never_approached() {
    let sim = start().await;
    for round in 0..150 {
        let client = client(
            &sim,
            if round % 2 == 0 {
                Format::Json
            } else {
                Format::Xml
            },
        );
        client.whoami().await.unwrap();
        client.whoami().await.unwrap();
        assert_eq!(sim.control().live_tokens(USER), 1, "round {round}");
        client.close().await;
        assert_eq!(sim.control().live_tokens(USER), 0, "round {round}");
        assert_eq!(client.whoami().await.unwrap_err().kind(), ErrorKind::Closed);
    }
    assert_eq!(logins(&sim), 150);
    assert_eq!(count_path(&sim, "/logout"), 150);
    sim.shutdown().await;
}

#[tokio::test]
async fn dropping_the_last_clone_logs_out_in_the_background() {
    let sim = start().await;
    let client = client(&sim, Format::Json);
    let clone = client.clone();
    clone.whoami().await.unwrap();
    drop(clone);
    assert_eq!(
        sim.control().live_tokens(USER),
        1,
        "a live clone keeps the session"
    );
    drop(client);
    assert!(
        eventually(|| sim.control().live_tokens(USER) == 0).await,
        "drop logs out"
    );
    assert_eq!(count_path(&sim, "/logout"), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn explicit_login_is_shared_and_idempotent() {
    let sim = start().await;
    let client = client(&sim, Format::Xml);
    let calls: Vec<_> = (0..16).map(|_| client.login()).collect();
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    client.login().await.unwrap();
    assert_eq!(logins(&sim), 1);
    client.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_full_token_cap_at_relogin_is_token_limit() {
    let tokens = ecs_sim::TokenSettings {
        max_per_user: 2,
        ..ecs_sim::TokenSettings::default()
    };
    let sim = ecs_sim::Sim::builder()
        .tokens(tokens)
        .start()
        .await
        .unwrap();
    let ours = client(&sim, Format::Json);
    ours.whoami().await.unwrap();
    sim.control().revoke_tokens(USER);
    // Two other clients of the same user take every token ECS allows.
    let others = [client(&sim, Format::Json), client(&sim, Format::Xml)];
    for other in &others {
        other.whoami().await.unwrap();
    }
    let err = ours.whoami().await.unwrap_err();
    assert_eq!(
        (err.kind(), err.status()),
        (ErrorKind::TokenLimit, Some(401)),
        "{err}"
    );
    assert_eq!(err.remote_code(), Some("4000"));
    // A client that never got in cannot tell the cap from a wrong password: ECS answers both
    // with 401/4000, so it reports Unauthorized.
    let newcomer = client(&sim, Format::Json);
    assert_eq!(
        newcomer.whoami().await.unwrap_err().kind(),
        ErrorKind::Unauthorized
    );
    for other in &others {
        other.close().await;
    }
    ours.whoami().await.unwrap();
    assert_eq!(sim.control().live_tokens(USER), 1);
    ours.close().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_locally_expired_token_is_logged_out_before_the_next_login() {
    // ECS announces 30-second tokens; with a 60-second skew the client never trusts one for a
    // second call, so every call replaces the token: it must release the old one first.
    let tokens = ecs_sim::TokenSettings {
        lifetime_secs: 30,
        ..ecs_sim::TokenSettings::default()
    };
    let sim = ecs_sim::Sim::builder()
        .tokens(tokens)
        .start()
        .await
        .unwrap();
    let client = common::builder(&sim, Format::Json)
        .token_refresh_skew(Duration::from_secs(60))
        .build()
        .unwrap();
    for call in 1..=5 {
        client.whoami().await.unwrap();
        assert_eq!(sim.control().live_tokens(USER), 1, "call {call}");
    }
    assert_eq!((logins(&sim), count_path(&sim, "/logout")), (5, 4));
    client.close().await;
    assert_eq!(sim.control().live_tokens(USER), 0);
    sim.shutdown().await;
}
