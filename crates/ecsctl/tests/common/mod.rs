//! What the `ecsctl` test files share: running the built binary as a child process, as an
//! operator would, and reading what it printed.
// Each test file compiles this module and uses part of it.
#![allow(dead_code, unreachable_pub)]

use std::process::Command;

use serde_json::Value;

/// What one `ecsctl` run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|err| panic!("not JSON ({err}): {self:#?}"))
    }
}

/// Runs the binary off the async runtime (the emulator serves on the runtime's workers), with
/// no password or details from the environment.
pub async fn ecsctl(args: impl IntoIterator<Item = impl AsRef<str>>) -> Run {
    let args: Vec<String> = args
        .into_iter()
        .map(|arg| arg.as_ref().to_owned())
        .collect();
    tokio::task::spawn_blocking(move || {
        let output = Command::new(env!("CARGO_BIN_EXE_ecsctl"))
            .args(&args)
            .env_remove("ECSCTL_SA_PASSWORD")
            .env_remove("ECSCTL_DETAILS")
            .env("NO_COLOR", "1")
            .output()
            .expect("ecsctl runs");
        // Shown with --nocapture, and for any failing test.
        eprintln!("$ ecsctl {}", args.join(" "));
        eprintln!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    })
    .await
    .expect("the ecsctl thread finishes")
}
