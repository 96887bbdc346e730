//! `cargo xtask bench`: the speed claims of the house rules, measured against the emulator.
//!
//! The benchmarks live in `tests/benches/ecs.rs` and print request counts and timings; they are
//! built with the optimised `bench` profile, so they are not part of `cargo xtask ci`.

use anyhow::Result;
use xshell::{Shell, cmd};

use crate::{cargo, flags};

impl flags::Bench {
    pub(crate) fn run(self, sh: &Shell) -> Result<()> {
        let cargo = cargo();
        cmd!(sh, "{cargo} bench --locked -p ecs-tests --bench ecs").run()?;
        Ok(())
    }
}
