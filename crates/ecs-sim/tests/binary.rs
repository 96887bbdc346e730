//! The `ecs-sim` binary: `--help` documents every flag, bad flags fail with a message, and a
//! served emulator stops cleanly on SIGTERM, saving its `--state` file.

#![allow(
    clippy::unwrap_used,
    reason = "tests fail loudly on the first surprise"
)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

const BINARY: &str = env!("CARGO_BIN_EXE_ecs-sim");

#[test]
fn help_documents_every_flag() {
    let output = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--mgmt-addr",
        "--s3-addr",
        "--mgmt-tls",
        "--s3-tls",
        "--ca-out",
        "--control",
        "--state",
        "--data-dir",
        "--seed",
        "--mgmt-user",
        "--namespace",
        "--token-lifetime",
        "--token-idle",
        "--max-tokens",
        "--fault-seed",
        "--log",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }
}

#[test]
fn bad_seed_flags_fail_with_a_message() {
    let output = Command::new(BINARY)
        .args(["--mgmt-user", "nopassword", "--mgmt-addr", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--mgmt-user"));
}

#[tokio::test]
async fn sigterm_stops_the_server_and_saves_state() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let mut child = Command::new(BINARY)
        .args([
            "--mgmt-addr",
            "127.0.0.1:0",
            "--s3-addr",
            "127.0.0.1:0",
            "--control",
            "--log",
            "warn",
        ])
        .arg("--state")
        .arg(&state)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first.rsplit(' ').next().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{first}");

    let http = reqwest::Client::new();
    let response = http
        .get(format!("{url}/login"))
        .basic_auth("root", Some("ChangeMe"))
        .send()
        .await
        .unwrap();
    let token = response.headers()["X-SDS-AUTH-TOKEN"]
        .to_str()
        .unwrap()
        .to_owned();
    let response = http
        .post(format!("{url}/object/users"))
        .header("X-SDS-AUTH-TOKEN", &token)
        .header("Content-Type", "application/json")
        .body(r#"{"user":"persisted","namespace":"ns1"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let mut status = None;
    for _ in 0..100 {
        if let Some(exit) = child.try_wait().unwrap() {
            status = Some(exit);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = status.unwrap_or_else(|| {
        let _ = child.kill();
        panic!("ecs-sim did not stop within 10 s of SIGTERM");
    });
    assert!(status.success(), "{status:?}");
    let saved = std::fs::read_to_string(&state).unwrap();
    assert!(saved.contains("\"persisted\""));
    assert!(!saved.contains("X-SDS"), "no tokens in the state file");
}
