//! Authentication over real HTTP: login, whoami, logout, token cap, expiry, revocation, roles.

#![allow(
    clippy::unwrap_used,
    reason = "tests fail loudly on the first surprise"
)]

mod common;

use std::time::Duration;

use common::{Fmt, items, login, read, start, start_with, text};
use ecs_sim::{Role, Seed, Sim, TokenSettings};
use reqwest::Method;

#[tokio::test]
async fn login_returns_token_headers_and_body_in_both_formats() {
    let env = start().await;
    for fmt in Fmt::both() {
        let response = env
            .http
            .get(env.url("/login"))
            .basic_auth("root", Some("ChangeMe"))
            .header("Accept", fmt.mime())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(!response.headers()["X-SDS-AUTH-TOKEN"].is_empty());
        assert_eq!(response.headers()["X-SDS-AUTH-MAX-AGE"], "28800");
        assert_eq!(response.headers()["X-SDS-AUTH-USERNAME"], "root");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .contains(fmt.mime())
        );
        let (_, body) = read(response, fmt).await;
        assert_eq!(text(&body, "user"), "root");
    }
    env.stop().await;
}

#[tokio::test]
async fn bad_credentials_and_missing_token_are_401_code_4000() {
    let env = start().await;
    for (user, password) in [("root", "wrong"), ("nobody", "ChangeMe")] {
        let response = env
            .http
            .get(env.url("/login"))
            .basic_auth(user, Some(password))
            .send()
            .await
            .unwrap();
        let (status, body) = read(response, Fmt::Xml).await;
        assert_eq!((status, text(&body, "code")), (401, "4000".into()));
    }
    let response = env.http.get(env.url("/user/whoami")).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let response = env
        .http
        .get(env.url("/user/whoami"))
        .header("X-SDS-AUTH-TOKEN", "bogus")
        .send()
        .await
        .unwrap();
    let (status, body) = read(response, Fmt::Xml).await;
    assert_eq!(
        (status, text(&body, "code"), text(&body, "retryable")),
        (401, "4000".into(), "false".into())
    );
    env.stop().await;
}

#[tokio::test]
async fn whoami_reports_roles() {
    let env = start().await;
    for fmt in Fmt::both() {
        let (status, body) = env.call(Method::GET, "/user/whoami").fmt(fmt).read().await;
        assert_eq!(status, 200);
        assert_eq!(text(&body, "common_name"), "root");
        let roles: Vec<String> = items(&body, "roles")
            .iter()
            .map(|r| r.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(roles, vec!["SYSTEM_ADMIN"]);
    }
    env.stop().await;
}

#[tokio::test]
async fn logout_invalidates_the_token_and_force_all_tokens() {
    let env = start().await;
    let control = env.sim.control();
    let url = env.sim.mgmt_url();
    let second = login(&env.http, &url, "root", "ChangeMe").await;
    assert_eq!(control.live_tokens("root"), 2);
    let (status, body) = env.call(Method::GET, "/logout").fmt(Fmt::Xml).read().await;
    assert_eq!((status, text(&body, "user")), (200, "root".into()));
    assert_eq!(control.live_tokens("root"), 1);
    env.call(Method::GET, "/user/whoami")
        .fmt(Fmt::Xml)
        .expect(401)
        .await;
    let third = login(&env.http, &url, "root", "ChangeMe").await;
    let response = env
        .http
        .get(format!("{url}/logout?force=true"))
        .header("X-SDS-AUTH-TOKEN", &third)
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    let (status, body) = read(response, Fmt::Json).await;
    assert_eq!((status, text(&body, "user")), (200, "root".into()));
    assert_eq!(control.live_tokens("root"), 0);
    let response = env
        .http
        .get(format!("{url}/user/whoami"))
        .header("X-SDS-AUTH-TOKEN", &second)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    env.stop().await;
}

#[tokio::test]
async fn the_token_cap_refuses_login_with_4000() {
    let seed = Seed::default().with_tokens(TokenSettings {
        max_per_user: 3,
        ..TokenSettings::default()
    });
    let env = start_with(Sim::builder().seed(seed)).await;
    let url = env.sim.mgmt_url();
    login(&env.http, &url, "root", "ChangeMe").await;
    login(&env.http, &url, "root", "ChangeMe").await;
    for fmt in Fmt::both() {
        let response = env
            .http
            .get(format!("{url}/login"))
            .basic_auth("root", Some("ChangeMe"))
            .header("Accept", fmt.mime())
            .send()
            .await
            .unwrap();
        let (status, body) = read(response, fmt).await;
        assert_eq!(status, 401);
        assert_eq!(text(&body, "code"), "4000");
        assert_eq!(
            text(&body, "details"),
            "Max number of tokens exceeded for this user"
        );
    }
    assert_eq!(env.sim.control().live_tokens("root"), 3);
    env.stop().await;
}

#[tokio::test]
async fn the_default_cap_is_100() {
    let env = start().await;
    let url = env.sim.mgmt_url();
    for _ in 1..100 {
        login(&env.http, &url, "root", "ChangeMe").await;
    }
    let response = env
        .http
        .get(format!("{url}/login"))
        .basic_auth("root", Some("ChangeMe"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(env.sim.control().revoke_tokens("root"), 100);
    login(&env.http, &url, "root", "ChangeMe").await;
    env.stop().await;
}

#[tokio::test]
async fn tokens_expire_by_lifetime_and_idle_time() {
    let seed = Seed::default().with_tokens(TokenSettings {
        lifetime_secs: 600,
        idle_secs: 120,
        max_per_user: 100,
    });
    let env = start_with(Sim::builder().seed(seed)).await;
    let control = env.sim.control();
    control.advance_clock(Duration::from_secs(100));
    env.call(Method::GET, "/user/whoami")
        .fmt(Fmt::Xml)
        .expect(200)
        .await;
    control.advance_clock(Duration::from_secs(100));
    assert_eq!(
        env.call(Method::GET, "/user/whoami")
            .fmt(Fmt::Xml)
            .status()
            .await,
        200,
        "use refreshed idle"
    );
    control.advance_clock(Duration::from_secs(121));
    assert_eq!(
        env.call(Method::GET, "/user/whoami")
            .fmt(Fmt::Xml)
            .status()
            .await,
        401,
        "idle expiry"
    );
    let token = login(&env.http, &env.sim.mgmt_url(), "root", "ChangeMe").await;
    for _ in 0..5 {
        control.advance_clock(Duration::from_secs(100));
        let response = env
            .http
            .get(env.url("/user/whoami"))
            .header("X-SDS-AUTH-TOKEN", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    control.advance_clock(Duration::from_secs(101));
    let response = env
        .http
        .get(env.url("/user/whoami"))
        .header("X-SDS-AUTH-TOKEN", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401, "lifetime expiry");
    assert_eq!(control.live_tokens("root"), 0);
    env.stop().await;
}

#[tokio::test]
async fn revoked_tokens_are_refused() {
    let env = start().await;
    assert_eq!(env.sim.control().revoke_tokens("root"), 1);
    let (status, body) = env.call(Method::GET, "/user/whoami").read().await;
    assert_eq!((status, body["code"].as_i64()), (401, Some(4000)));
    env.stop().await;
}

#[tokio::test]
async fn monitors_may_read_but_not_write_403_3000() {
    let seed = Seed::default().with_mgmt_user("monitor", "pw", &[Role::SystemMonitor], None);
    let env = start_with(Sim::builder().seed(seed)).await;
    let url = env.sim.mgmt_url();
    let token = login(&env.http, &url, "monitor", "pw").await;
    let response = env
        .http
        .get(format!("{url}/object/bucket?namespace=ns1"))
        .header("X-SDS-AUTH-TOKEN", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = env
        .http
        .post(format!("{url}/object/users"))
        .header("X-SDS-AUTH-TOKEN", &token)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .body(r#"{"user":"u1","namespace":"ns1"}"#)
        .send()
        .await
        .unwrap();
    let (status, body) = read(response, Fmt::Json).await;
    assert_eq!((status, body["code"].as_i64()), (403, Some(3000)));
    env.stop().await;
}

#[tokio::test]
async fn cookie_login_and_logout_of_another_user() {
    let seed = Seed::default().with_mgmt_user("monitor", "pw", &[Role::SystemMonitor], None);
    let env = start_with(Sim::builder().seed(seed)).await;
    let url = env.sim.mgmt_url();
    let response = env
        .http
        .get(format!("{url}/login?using-cookies=true"))
        .basic_auth("monitor", Some("pw"))
        .send()
        .await
        .unwrap();
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("X-SDS-AUTH-TOKEN="), "{cookie}");
    let pair = cookie.split(';').next().unwrap().to_owned();
    let response = env
        .http
        .get(format!("{url}/user/whoami"))
        .header("Cookie", &pair)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the cookie authenticates");
    let monitor_token = login(&env.http, &url, "monitor", "pw").await;
    assert_eq!(env.sim.control().live_tokens("monitor"), 2);
    let response = env
        .http
        .get(format!("{url}/logout?username=root"))
        .header("X-SDS-AUTH-TOKEN", &monitor_token)
        .send()
        .await
        .unwrap();
    let (status, body) = read(response, Fmt::Xml).await;
    assert_eq!(
        (status, text(&body, "code")),
        (403, "3000".into()),
        "only a system admin logs out others"
    );
    let (status, body) = env
        .call(Method::GET, "/logout?username=monitor")
        .read()
        .await;
    assert_eq!((status, text(&body, "user")), (200, "monitor".into()));
    assert_eq!(env.sim.control().live_tokens("monitor"), 0);
    assert_eq!(
        env.sim.control().live_tokens("root"),
        1,
        "root's own token survives"
    );
    env.stop().await;
}
