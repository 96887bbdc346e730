//! `cargo xtask`: the project's build, test and release automation (the matklad convention).
//!
//! Every task runs from the workspace root, calls cargo through `$CARGO`, and runs
//! subprocesses with xshell's `cmd!`, never through `sh -c` strings.

mod bench;
mod ci;
mod codegen;
mod corpus;
mod demo;
mod dist;
mod flags;
mod fuzz;
mod install;
mod soak;
mod tidy;
mod ui;

use std::path::{Path, PathBuf};

use anyhow::Result;
use xshell::Shell;

fn main() -> Result<()> {
    let flags = flags::Xtask::from_env_or_exit();
    let sh = Shell::new()?;
    sh.change_dir(project_root());
    match flags.subcommand {
        flags::XtaskCmd::Bench(cmd) => cmd.run(&sh),
        flags::XtaskCmd::Ci(cmd) => cmd.run(&sh),
        flags::XtaskCmd::Install(cmd) => cmd.run(&sh),
        flags::XtaskCmd::Tidy(cmd) => cmd.run(&sh),
        flags::XtaskCmd::Demo(cmd) => cmd.run(&sh),
        flags::XtaskCmd::Codegen(cmd) => cmd.run(&sh),
        flags::XtaskCmd::Dist(cmd) => cmd.run(&sh),
        flags::XtaskCmd::UiTest(cmd) => cmd.run(&sh),
        flags::XtaskCmd::Soak(cmd) => cmd.run(&sh),
        flags::XtaskCmd::Fuzz(cmd) => cmd.run(&sh),
    }
}

/// The workspace root: the parent of this crate's directory.
pub(crate) fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Cargo's target directory: `$CARGO_TARGET_DIR`, else `target/` in the workspace.
pub(crate) fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => project_root().join("target"),
    }
}

/// The cargo that runs us, so that `cargo +toolchain xtask` stays on that toolchain.
pub(crate) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}
