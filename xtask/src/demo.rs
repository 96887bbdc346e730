//! `cargo xtask demo`: the whole system at work in one command.
//!
//! Builds what it needs, starts the `ecs-sim` emulator on free loopback ports, and runs the
//! CloudStack flow against it: through the Java plug-in, the JNI bridge and the Rust driver
//! when the Java side can be built here, otherwise through the Rust driver alone
//! (`ecsctl demo`). It always says which path it took. The flow prints each step, the ECS
//! requests it took and its duration, and a summary; a failure names the step.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

use crate::{cargo, flags, install, project_root};

/// How long the emulator may take to open its ports.
const SIM_START_TIMEOUT: Duration = Duration::from_secs(30);

/// The Java demo module (`java-bindings/ecs-demo`) and its main class.
const JAVA_MODULE: &str = "ecs-demo";
const JAVA_MAIN: &str = "io.ecscloudstack.demo.DemoMain";

/// What the Java route builds: the emulator and the JNI library (no ecsctl, no tests).
const JAVA_PACKAGES: &[&str] = &["-p", "ecs-sim", "-p", "ecs-jni"];

/// What the Rust route builds.
const RUST_PACKAGES: &[&str] = &["-p", "ecs-sim", "-p", "ecsctl"];

/// Which way the demo reaches the driver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    /// Java plug-in → JNI → Rust driver → emulator, as CloudStack does.
    Java,
    /// Rust driver → emulator (`ecsctl demo`).
    Rust,
}

impl flags::Demo {
    pub(crate) fn run(self, sh: &Shell) -> Result<()> {
        if self.ui {
            return crate::ui::demo(sh);
        }
        let started = Instant::now();
        let path = choose_path(sh, &self)?;
        let cargo = cargo();
        // One cargo invocation with exactly what the route runs: another package set would
        // resolve dependency features differently and compile shared dependencies again.
        match path {
            Route::Java => {} // built by `build_java`, before Maven packages the plug-in
            Route::Rust => {
                eprintln!("demo: building the emulator and ecsctl");
                cmd!(sh, "{cargo} build --quiet {RUST_PACKAGES...}").run()?;
            }
        }
        eprintln!(
            "demo: ready to run after {:.0} s (installs and builds)",
            started.elapsed().as_secs_f64()
        );
        let target = target_dir(sh);
        let sim = Sim::start(&target.join("debug/ecs-sim"), self.ecs_version.as_deref())?;
        eprintln!(
            "demo: ecs-sim plays ECS {} and listens on {} (management) and {} (S3)",
            self.ecs_version.as_deref().unwrap_or("4.1 (its default)"),
            sim.mgmt_url(),
            sim.s3_url()
        );
        let result = match path {
            Route::Java => run_java(sh, &target, &sim),
            Route::Rust => run_rust(sh, &target, &sim),
        };
        drop(sim);
        result
    }
}

/// Picks the Java path when asked, or by default when its module exists and Maven builds it;
/// otherwise the Rust path, saying why.
fn choose_path(sh: &Shell, flags: &flags::Demo) -> Result<Route> {
    if flags.rust {
        eprintln!("demo: path = Rust driver (asked for with --rust)");
        return Ok(Route::Rust);
    }
    let module = project_root()
        .join("java-bindings")
        .join(JAVA_MODULE)
        .join("pom.xml");
    if !module.exists() {
        if flags.java {
            bail!(
                "--java: the Java demo module {} does not exist yet",
                module.display()
            );
        }
        eprintln!("demo: path = Rust driver (the Java demo module is not there yet)");
        return Ok(Route::Rust);
    }
    match build_java(sh) {
        Ok(()) => {
            eprintln!("demo: path = Java plug-in -> JNI -> Rust driver");
            Ok(Route::Java)
        }
        Err(err) if !flags.java => {
            eprintln!("demo: the Java side does not build here ({err:#})");
            eprintln!("demo: path = Rust driver (fallback)");
            Ok(Route::Rust)
        }
        Err(err) => Err(err.context("--java: the Java side does not build")),
    }
}

/// Builds the emulator and the JNI library, then packages the plug-in, the harness and the demo
/// module; when Java, Maven or Debian's Maven plug-ins are missing, installs Debian's Java
/// packages first (or once after a failed build). SeaweedFS, which only `cargo xtask ci` needs,
/// is not installed.
fn build_java(sh: &Shell) -> Result<()> {
    let has = |tool: &str| {
        cmd!(sh, "{tool} -version")
            .quiet()
            .ignore_stdout()
            .ignore_stderr()
            .run()
            .is_ok()
    };
    let mut installed = false;
    if !has("java") || !has("mvn") {
        eprintln!("demo: java or mvn is missing: installing Debian's Java packages");
        install::install_java(sh).context("installing the Java packages failed")?;
        installed = true;
    }
    let cargo = cargo();
    eprintln!("demo: building the emulator and the JNI library");
    cmd!(sh, "{cargo} build --quiet {JAVA_PACKAGES...}").run()?;
    if package_demo(sh).is_ok() {
        return Ok(());
    }
    if installed {
        bail!("mvn package failed");
    }
    eprintln!("demo: mvn package failed: installing Debian's Java packages, then trying once more");
    install::install_java(sh).context("installing the Java packages failed")?;
    package_demo(sh)
}

pub(crate) fn package_demo(sh: &Shell) -> Result<()> {
    let _dir = sh.push_dir(project_root().join("java-bindings"));
    cmd!(sh, "mvn --quiet -DskipTests -pl {JAVA_MODULE} -am package")
        .run()
        .context("mvn package failed")?;
    Ok(())
}

fn run_java(sh: &Shell, target: &Path, sim: &Sim) -> Result<()> {
    let classpath = java_classpath(&project_root().join("java-bindings"))?;
    let native = target.join("debug/libecs_jni.so");
    let native_property = format!("-Decs.native.path={}", native.display());
    let (mgmt, s3) = (sim.mgmt_url(), sim.s3_url());
    cmd!(
        sh,
        "java {native_property} -cp {classpath} {JAVA_MAIN} --mgmt-url {mgmt} --s3-url {s3} --sa-user root --sa-password {SIM_PASSWORD} --namespace ns1"
    )
    .run()
    .context("the demo failed (the failing step is named above)")?;
    Ok(())
}

/// The jars of the modules the demo needs (as `mvn package` left them under `target/`),
/// plus the libraries they use from Debian's Maven repository (the build's local repository).
pub(crate) fn java_classpath(bindings: &Path) -> Result<String> {
    const MODULES: [&str; 5] = [
        "ecs-demo",
        "ecs-java",
        "cloudstack-api",
        "cloudstack-harness",
        "cloudstack-plugin",
    ];
    const LIBRARIES: [&str; 3] = [
        "org/apache/logging/log4j/log4j-api/2.19.0/log4j-api-2.19.0.jar",
        "org/apache/logging/log4j/log4j-core/2.19.0/log4j-core-2.19.0.jar",
        "javax/inject/javax.inject/1/javax.inject-1.jar",
    ];
    let mut jars = Vec::new();
    for module in MODULES {
        let jar = bindings
            .join(module)
            .join("target")
            .join(format!("{module}-0.1.0.jar"));
        if !jar.exists() {
            bail!("{} is missing after mvn package", jar.display());
        }
        jars.push(jar);
    }
    for library in LIBRARIES {
        let jar = Path::new("/usr/share/maven-repo").join(library);
        if !jar.exists() {
            bail!(
                "{} is missing (cargo xtask install provides it)",
                jar.display()
            );
        }
        jars.push(jar);
    }
    let parts: Vec<String> = jars.iter().map(|jar| jar.display().to_string()).collect();
    Ok(parts.join(":"))
}

fn run_rust(sh: &Shell, target: &Path, sim: &Sim) -> Result<()> {
    let ecsctl = target.join("debug/ecsctl");
    let (mgmt, s3) = (sim.mgmt_url(), sim.s3_url());
    let _password = sh.push_env("ECSCTL_SA_PASSWORD", SIM_PASSWORD);
    cmd!(
        sh,
        "{ecsctl} demo --mgmt-url {mgmt} --sa-user root --namespace ns1 --s3-public-url {s3} --sim-control {mgmt} --beyond"
    )
    .run()
    .context("the demo failed (the failing step is named above)")?;
    Ok(())
}

/// The emulator's seeded management password (user `root`).
const SIM_PASSWORD: &str = "ChangeMe";

/// Cargo's target directory (honours `CARGO_TARGET_DIR`).
fn target_dir(_sh: &Shell) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => project_root().join("target"),
    }
}

/// A running `ecs-sim` process, killed when dropped.
pub(crate) struct Sim {
    child: Child,
    mgmt: SocketAddr,
    s3: SocketAddr,
}

impl Sim {
    /// Starts the emulator on two free loopback ports with its control plane on, and waits
    /// until both accept connections.
    pub(crate) fn start(binary: &Path, ecs_version: Option<&str>) -> Result<Sim> {
        let [mgmt, s3] = free_ports()?;
        let log_path = binary.with_file_name("ecs-sim-demo.log");
        let log = std::fs::File::create(&log_path)
            .with_context(|| format!("cannot create {}", log_path.display()))?;
        let child = Command::new(binary)
            .args([
                "--mgmt-addr",
                &mgmt.to_string(),
                "--s3-addr",
                &s3.to_string(),
            ])
            .args(["--control", "--log", "warn"])
            .args(
                ecs_version
                    .map(|version| ["--ecs-version", version])
                    .into_iter()
                    .flatten(),
            )
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let mut sim = Sim { child, mgmt, s3 };
        if let Err(err) = sim.wait_until_listening() {
            let output = std::fs::read_to_string(&log_path).unwrap_or_default();
            return Err(err.context(format!(
                "ecs-sim's output ({}):\n{output}",
                log_path.display()
            )));
        }
        Ok(sim)
    }

    fn wait_until_listening(&mut self) -> Result<()> {
        let deadline = Instant::now() + SIM_START_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!("ecs-sim exited during start-up ({status})");
            }
            let up = |addr| TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok();
            if up(self.mgmt) && up(self.s3) {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("ecs-sim did not open its ports within {SIM_START_TIMEOUT:?}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub(crate) fn mgmt_url(&self) -> String {
        format!("http://{}", self.mgmt)
    }

    pub(crate) fn s3_url(&self) -> String {
        format!("http://{}", self.s3)
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Two distinct loopback addresses with ports the OS just handed out (and that we released
/// again, both held at once so that they differ).
fn free_ports() -> Result<[SocketAddr; 2]> {
    let bind = || TcpListener::bind("127.0.0.1:0").context("cannot bind a loopback port");
    let (first, second) = (bind()?, bind()?);
    Ok([first.local_addr()?, second.local_addr()?])
}
