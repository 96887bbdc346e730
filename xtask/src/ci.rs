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
        Ok(())
    }
}
