//! Shared helpers for the cross-crate end-to-end tests (`tests/tests/`): an emulator with the
//! store details CloudStack would hold for it, the driver on those details, and the `ecsctl`
//! binary run on the same details, as an operator would.
#![deny(missing_docs)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Store details (CloudStack's `details[n]`) for an emulator at `mgmt_url` and `s3_url`.
pub fn store_details(mgmt_url: &str, s3_url: &str) -> HashMap<String, String> {
    [
        ("mgmt_url", mgmt_url),
        ("sa_user", "root"),
        ("sa_password", "ChangeMe"),
        ("namespace", "ns1"),
        ("s3_public_url", s3_url),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_owned(), value.to_owned()))
    .collect()
}

/// Writes `details` as the JSON file `ecsctl --details` reads; returns its path.
pub fn write_details(dir: &Path, details: &HashMap<String, String>) -> std::io::Result<PathBuf> {
    let path = dir.join("store.json");
    let text = serde_json::to_string_pretty(details).map_err(std::io::Error::other)?;
    std::fs::write(&path, text)?;
    Ok(path)
}

/// What one `ecsctl` run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Standard output as JSON (`--json`), or `None` when it is not JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.stdout).ok()
    }
}

/// The `ecsctl` binary of this workspace, built once per test process by the cargo that built
/// the tests, into the same target directory and profile.
///
/// Cargo offers a binary's path only to its own package's tests (`CARGO_BIN_EXE_*`), so a test
/// of another package asks cargo to build it (with the selection and features CI builds with);
/// when the binary is fresh this costs one cargo start. Panics (failing the test) when the build fails.
pub fn ecsctl_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        // The test runs from <target>/<profile>/deps/<test>; the binary lands in <profile>/.
        let exe = std::env::current_exe().expect("the test executable's path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("tests run from <target>/<profile>/deps");
        let profile = profile_dir
            .file_name()
            .and_then(|name| name.to_str())
            .expect("a profile directory name");
        let profile = if profile == "debug" { "dev" } else { profile };
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("tests/ sits in the workspace");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let status = Command::new(cargo)
            .current_dir(workspace)
            // The same selection and features as `cargo xtask ci`'s builds, so this resolves
            // dependency features as they did and compiles nothing twice.
            .args([
                "build",
                "--quiet",
                "--locked",
                "--workspace",
                "--all-targets",
                "--features",
                "ecs-jni/testing",
            ])
            .args(["--profile", profile])
            .status()
            .expect("cargo runs");
        assert!(
            status.success(),
            "cargo build (for ecsctl) failed: {status}"
        );
        let binary = profile_dir.join(format!("ecsctl{}", std::env::consts::EXE_SUFFIX));
        assert!(binary.is_file(), "{} was not built", binary.display());
        binary
    })
}

/// Runs `ecsctl` with `args` (without colours or credentials from the environment). Blocking:
/// call it from `spawn_blocking` when the emulator serves on the same runtime.
pub fn ecsctl(args: &[&str]) -> Run {
    let output = Command::new(ecsctl_binary())
        .args(args)
        .env_remove("ECSCTL_SA_PASSWORD")
        .env_remove("ECSCTL_DETAILS")
        .env("NO_COLOR", "1")
        .output()
        .expect("ecsctl runs");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    // Shown for a failing test.
    eprintln!("$ ecsctl {}\n{}{}", args.join(" "), run.stdout, run.stderr);
    run
}
