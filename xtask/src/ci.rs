//! `cargo xtask ci`: everything CI checks, in the order a developer wants to hear about it.

use anyhow::Result;
use xshell::{Shell, cmd};

use crate::{cargo, corpus, flags, install};

/// Every cargo step of CI builds with the JNI library's `testing` natives, so clippy, nextest,
/// the doc tests and the Java suite's library share one feature resolution and the dependency
/// graph (aws-sdk and all) is compiled once.
pub(crate) const FEATURES: &[&str] = &["--features", "ecs-jni/testing"];

/// The fault soak's length in CI (`cargo xtask soak` runs 1000 by default).
const CI_SOAK_OPS: usize = 200;

/// Generated cases CI's short fuzz run spends in all (`cargo xtask fuzz` runs 1,000,000).
const CI_FUZZ_CASES: u64 = 20_000;

impl flags::Ci {
    pub(crate) fn run(self, sh: &Shell) -> Result<()> {
        if !self.no_install {
            flags::Install {}.run(sh)?;
        }
        let cargo = cargo();
        // The reference corpus beside the repository: without it, its suites are left out, loudly.
        let corpus = corpus::dir(&crate::project_root());
        let missing = corpus::missing(&corpus);
        let notice = (!missing.is_empty()).then(|| corpus::left_out_notice(&corpus, &missing));
        let filter: &[&str] = if notice.is_some() {
            &["-E", corpus::WITHOUT_CORPUS_FILTER]
        } else {
            &[]
        };
        if let Some(notice) = &notice {
            eprintln!("{notice}");
        }
        // One build profile (dev) serves clippy's check, the tests and the Java suite.
        cmd!(sh, "{cargo} fmt --all --check").run()?;
        flags::Tidy {}.run(sh)?;
        cmd!(
            sh,
            "{cargo} clippy --workspace --all-targets --locked {FEATURES...} -- -D warnings"
        )
        .run()?;

        let weed = install::weed_path();
        let _weed = sh.push_env("ECS_TEST_WEED", &weed);
        let _py_venv = sh.push_env("ECS_TEST_PY_VENV", install::install_py_venv(sh)?);
        cmd!(
            sh,
            "{cargo} nextest run --workspace --locked --no-fail-fast {FEATURES...} {filter...}"
        )
        .run()?;
        cmd!(sh, "{cargo} test --workspace --locked --doc {FEATURES...}").run()?;
        // The parsers' fuzz targets, short: `cargo xtask fuzz` runs a million cases.
        crate::fuzz::run(sh, CI_FUZZ_CASES)?;
        java_tests(sh)?;
        // The soak, two management servers in two JVMs, and the Java demo's secrets scan.
        crate::soak::ci(sh, CI_SOAK_OPS)?;
        crate::ui::ui_tests(sh)?;
        if let Some(notice) = &notice {
            eprintln!("{notice}");
        }
        Ok(())
    }
}

/// The Java suite: the JNI library (dev profile, with the `testing` natives) and the emulator,
/// then Maven over `java-bindings/` (offline, Debian's repository), with `-Xcheck:jni`. A JNI
/// warning anywhere in the test output fails the step.
///
/// The library and the emulator come from the same build as the Rust tests (every target of the
/// workspace, same features), so nothing is compiled again: building only `-p ecs-jni -p
/// ecs-sim` would resolve dependency features differently and compile the aws-sdk graph twice.
fn java_tests(sh: &Shell) -> Result<()> {
    let cargo = cargo();
    cmd!(
        sh,
        "{cargo} build --locked --workspace --all-targets {FEATURES...}"
    )
    .run()?;
    let native = format!("-Decs.native.path={}", crate::dist::dev_library().display());
    let sim = format!(
        "-Decs.sim.path={}",
        crate::target_dir().join("debug/ecs-sim").display()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A throwaway `java-bindings`-like tree with one report holding `text`.
    fn tree_with_report(name: &str, text: &str) -> std::path::PathBuf {
        let root = std::env::temp_dir().join(format!("xtask-ci-{name}-{}", std::process::id()));
        let reports = root.join("ecs-java/target/surefire-reports");
        std::fs::create_dir_all(&reports).expect("create the report directory");
        std::fs::write(reports.join("TEST-x.xml"), text).expect("write a report");
        root
    }

    #[test]
    fn jni_warnings_in_any_report_fail_the_java_step() {
        let sh = Shell::new().expect("shell");
        let clean = tree_with_report("clean", "<testsuite tests=\"3\"/>");
        assert!(check_no_jni_warnings(&sh, &clean).is_ok());
        let warned = tree_with_report(
            "warned",
            "WARNING in native method: JNI call made without checking exceptions",
        );
        let error = check_no_jni_warnings(&sh, &warned).expect_err("the warning is found");
        assert!(
            error.to_string().contains("WARNING in native method"),
            "{error}"
        );
        for root in [clean, warned] {
            std::fs::remove_dir_all(root).expect("remove the tree");
        }
    }
}
