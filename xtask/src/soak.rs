//! `cargo xtask soak`: the fault soak through the whole path.
//!
//! Builds the JNI library and the emulator (CI's one feature resolution, so nothing is compiled
//! twice), packages the Java modules, then runs the ignored test `tests/tests/soak.rs`, which
//! starts `ecs-sim` with faults seeded by `--seed`, drives `SoakMain` (java-bindings/ecs-demo)
//! through the CloudStack harness, the plug-in, JNI and the driver, and checks ECS against
//! CloudStack's rows. It prints
//! `soak: N ops, F visible failures, O orphans, D duplicate users or keys, M mismatches, T live tokens`
//! and fails unless F, O, D, M and T are all 0 and no secret appeared in the run's logs.
//!
//! `--two-jvms` runs, on the same build, the two-management-server suite
//! (`tests/tests/two_jvms.rs`: two JVMs sharing the emulator and CloudStack's tables) and the
//! Java demo's secrets scan (`tests/tests/demo_secrets.rs`) instead; CI runs all three.

use anyhow::{Context, Result};
use xshell::{Shell, cmd};

use crate::{cargo, ci::FEATURES, flags, project_root};

/// The soak's test binary (`tests/tests/soak.rs`).
const SOAK: &str = "binary(soak)";

/// The other suites that run the Java side: two management servers in two JVMs
/// (`tests/tests/two_jvms.rs`) and the Java demo's secrets scan (`tests/tests/demo_secrets.rs`).
const TWO_JVMS: &str = "binary(two_jvms) | binary(demo_secrets)";

impl flags::Soak {
    pub(crate) fn run(self, sh: &Shell) -> Result<()> {
        let suites = if self.two_jvms { TWO_JVMS } else { SOAK };
        run(sh, self.ops.unwrap_or(1000), self.seed.unwrap_or(1), suites)
    }
}

/// CI: the soak with `ops` operations, the two-JVM suite and the demo's secrets scan, on one
/// build (nextest runs them one after the other: their output is not captured).
pub(crate) fn ci(sh: &Shell, ops: usize) -> Result<()> {
    run(sh, ops, 1, &format!("{SOAK} | {TWO_JVMS}"))
}

/// Runs the ignored Java-side `suites` (a nextest filter), the soak with `ops` operations drawn
/// from `seed`.
fn run(sh: &Shell, ops: usize, seed: u64, suites: &str) -> Result<()> {
    let cargo = cargo();
    cmd!(
        sh,
        "{cargo} build --locked --workspace --all-targets {FEATURES...}"
    )
    .run()?;
    let bindings = project_root().join("java-bindings");
    {
        let _dir = sh.push_dir(&bindings);
        cmd!(sh, "mvn --quiet -DskipTests -pl ecs-demo -am package")
            .run()
            .context("packaging the Java modules failed")?;
    }
    let classpath = crate::demo::java_classpath(&bindings)?;
    let _ops = sh.push_env("SOAK_OPS", ops.to_string());
    let _seed = sh.push_env("SOAK_SEED", seed.to_string());
    let _classpath = sh.push_env("ECS_SOAK_CLASSPATH", classpath);
    let _native = sh.push_env("ECS_SOAK_NATIVE", crate::dist::dev_library());
    cmd!(
        sh,
        "{cargo} nextest run --locked --workspace {FEATURES...} --run-ignored only --no-capture -E {suites}"
    )
    .run()
    .context("a Java-side suite failed (its counts are printed above)")?;
    Ok(())
}
