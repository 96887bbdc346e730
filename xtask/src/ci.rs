//! `cargo xtask ci`: everything CI checks, in the order a developer wants to hear about it.

use anyhow::Result;
use xshell::{Shell, cmd};

use crate::{cargo, flags, install};

impl flags::Ci {
    pub(crate) fn run(self, sh: &Shell) -> Result<()> {
        if !self.no_install {
            flags::Install {}.run(sh)?;
        }
        let cargo = cargo();
        // One build profile (dev) serves clippy's check, the tests and the Java suite.
        cmd!(sh, "{cargo} fmt --all --check").run()?;
        cmd!(sh, "{cargo} clippy --workspace --all-targets --locked -- -D warnings").run()?;

        let weed = install::weed_path();
        let _weed = sh.push_env("ECS_TEST_WEED", &weed);
        cmd!(sh, "{cargo} nextest run --workspace --locked --no-fail-fast").run()?;
        cmd!(sh, "{cargo} test --workspace --locked --doc").run()?;
        java_tests(sh)?;
        Ok(())
    }
}

/// The Java suite: the JNI library (dev profile, with the `testing` natives) and the emulator,
/// then Maven over `java-bindings/` (offline, Debian's repository), with `-Xcheck:jni`. A JNI
/// warning anywhere in the test output fails the step.
fn java_tests(sh: &Shell) -> Result<()> {
    let cargo = cargo();
    cmd!(
        sh,
        "{cargo} build --locked -p ecs-jni -p ecs-sim --features ecs-jni/testing"
    )
    .run()?;
    let native = format!("-Decs.native.path={}", crate::dist::dev_library().display());
    let sim = format!(
        "-Decs.sim.path={}",
        crate::project_root().join("target/debug/ecs-sim").display()
    );
    let bindings = crate::project_root().join("java-bindings");
    {
        let _dir = sh.push_dir(&bindings);
        cmd!(sh, "mvn {native} {sim} verify").run()?;
    }
    check_no_jni_warnings(sh, &bindings)
}

/// Fails when a Surefire report of any module holds a `-Xcheck:jni` warning or error.
fn check_no_jni_warnings(sh: &Shell, bindings: &std::path::Path) -> Result<()> {
    const MARKERS: &[&str] = &["WARNING in native method", "FATAL ERROR in native method"];
    for module in sh.read_dir(bindings)? {
        let reports = module.join("target/surefire-reports");
        if !reports.is_dir() {
            continue;
        }
        for report in sh.read_dir(&reports)? {
            let text = sh.read_file(&report).unwrap_or_default();
            if let Some(marker) = MARKERS.iter().find(|marker| text.contains(*marker)) {
                anyhow::bail!("{}: -Xcheck:jni reported \"{marker}\"", report.display());
            }
        }
    }
    Ok(())
}
