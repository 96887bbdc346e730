//! The command tree of `cargo xtask`, declared with xflags.

xflags::xflags! {
    /// Project automation for ecs-cloudstack.
    cmd xtask {
        /// Installs what the machine lacks, then runs fmt, clippy and every test suite.
        cmd ci {
            /// Skip the apt and pip installs (the machine already has everything).
            optional --no-install
        }
        /// Installs the packages and tools the tests need (apt, pip), idempotently.
        cmd install {}
        /// Checks hygiene: module docs, whitespace, unused dependencies, layer rules, docs.
        cmd tidy {}
        /// Regenerates sources derived from Rust (the Java ErrorCode enum).
        cmd codegen {
            /// Only check that the generated files are fresh; write nothing.
            optional --check
        }
        /// Builds the release JNI library and the jars (library inside) into target/dist/.
        cmd dist {
            /// Package the dev-profile library instead of building a release one (quick check).
            optional --dev
        }
        /// Runs the side-by-side benchmarks (optimised build) against one ecs-sim process; writes
        /// results.json and SVG charts under the target directory's bench/.
        cmd bench {
            /// Small sizes, for development (the README's figures come from a full run).
            optional --quick
            /// Only these scenarios, such as 1,4 (development).
            optional --only scenarios: String
            /// Rewrite the README's speed section (and docs/bench/*.svg) from results.json; no run.
            optional --readme
        }
        /// Runs the end-to-end demonstration against an embedded emulator.
        cmd demo {
            /// Use the Rust driver directly, even when the Java plug-in builds.
            optional --rust
            /// Require the Java plug-in path (fail instead of falling back to Rust).
            optional --java
            /// Serve the ECS UI page with the CloudStack API stand-in and stay up until Ctrl-C.
            optional --ui
            /// The ECS release the emulator plays, such as 3.6 or 4.1 (ecs-sim --ecs-version).
            optional --ecs-version version: String
        }
        /// Runs the fault soak: CloudStack's operations through the Java plug-in, JNI and the
        /// driver against an emulator injecting faults; prints one line of counts (all 0 when sound).
        cmd soak {
            /// How many operations (default 1000).
            optional --ops ops: usize
            /// The seed of the operations and of the emulator's faults (default 1).
            optional --seed seed: u64
            /// Instead of the soak: two management servers in two JVMs sharing the emulator and
            /// CloudStack's tables, and the Java demo's secrets scan.
            optional --two-jvms
        }
        /// Runs the ECS UI page's browser suite (Debian's Chromium) against the API stand-in.
        cmd ui-test {}
        /// Runs every parser's fuzz target on generated input and prints the cases and panics.
        cmd fuzz {
            /// Generated cases in all, shared evenly by the targets (default 1,000,000).
            optional --cases cases: u64
        }
    }
}
