//! ECS's S3 features through boto3, a third-party S3 client: `tests/boto3/*.py` run by the
//! Python of the test virtual environment (`<target dir>/py-venv`, made by `cargo xtask ci` or
//! `cargo xtask install`) against an emulator on 127.0.0.1.
//!
//! Without that environment the test is skipped, saying so, unless it runs in CI (`CI` or
//! `ECS_TEST_PY_VENV` set), where a missing environment fails it.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Method;
use serde_json::json;

/// The Python of the test virtual environment: `ECS_TEST_PY_VENV`, else `<target dir>/py-venv`.
fn python() -> Option<PathBuf> {
    let venv = match std::env::var_os("ECS_TEST_PY_VENV") {
        Some(dir) => PathBuf::from(dir),
        // CARGO_TARGET_TMPDIR is `<target dir>/tmp`.
        None => Path::new(env!("CARGO_TARGET_TMPDIR")).join("../py-venv"),
    };
    let python = venv.join("bin/python");
    if python.is_file() {
        return Some(python);
    }
    let message = format!(
        "no boto3 virtual environment at {} (run `cargo xtask install`, or set ECS_TEST_PY_VENV)",
        venv.display()
    );
    if std::env::var_os("CI").is_some() || std::env::var_os("ECS_TEST_PY_VENV").is_some() {
        panic!("{message}");
    }
    eprintln!("\n*** SKIPPED boto3 test: {message} ***\n");
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_object_lock_and_tagging() {
    let Some(python) = python() else { return };
    let env = common::start().await;
    env.user("py").await;
    let key = env
        .call(Method::POST, "/object/user-secret-keys/py")
        .json(json!({"namespace": "ns1"}))
        .expect(200)
        .await;
    let secret = key["secret_key"].as_str().expect("secret_key").to_owned();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/boto3/s3_features.py");
    let mut child = std::process::Command::new(python)
        .arg(script)
        .env("ECS_S3_URL", env.sim.s3_url())
        .env("ECS_ACCESS_KEY", "py")
        .env("ECS_SECRET_KEY", secret)
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_CONFIG_FILE")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python starts");
    // Bounded wait (2 minutes), off the runtime's threads so the emulator keeps serving.
    let output = tokio::task::spawn_blocking(move || {
        for _ in 0..1200 {
            if child.try_wait().expect("wait for python").is_some() {
                return child.wait_with_output().expect("python output");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        panic!("the boto3 script did not finish within 2 minutes");
    })
    .await
    .expect("waiting thread");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "boto3 script failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(stdout.contains("checks passed"), "{stdout}");
    println!("{stdout}");
    env.stop().await;
}
