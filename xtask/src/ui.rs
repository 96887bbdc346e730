//! The ECS page for CloudStack UI's `plugins` extension point (`java-bindings/cloudstack-ui-plugin`):
//! building it with npm, its browser suite (`cargo xtask ui-test`), its place in `cargo xtask
//! dist` (a tar.gz of the static files plus the `config.json` entry) and `cargo xtask demo --ui`.
//!
//! Node and npm come from Debian when the machine lacks them, as does Chromium; npm installs
//! the locked packages (`npm ci`) and never downloads a browser.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

use crate::{cargo, flags, project_root, target_dir};

/// The npm project of the page.
const PAGE_DIR: &str = "java-bindings/cloudstack-ui-plugin";
/// The Maven module of the CloudStack API stand-in (a test fixture) and its main class.
const FIXTURE_MODULE: &str = "cloudstack-ui-fixture";
const FIXTURE_MAIN: &str = "io.ecscloudstack.uifixture.ApiStandIn";
/// The folder the page lives in inside the UI's folder, and the plugins entry naming it.
const UI_FOLDER: &str = "ecs";
const CONFIG_ENTRY: &str = r#"{ "name": "ECS object storage", "icon": "cloud-server-outlined", "path": "plugins/ecs/index.html" }"#;
/// How long the stand-in may take to listen.
const FIXTURE_START_TIMEOUT: Duration = Duration::from_secs(90);

fn page_dir() -> PathBuf {
    project_root().join(PAGE_DIR)
}

fn has(sh: &Shell, tool: &str) -> bool {
    cmd!(sh, "{tool} --version")
        .quiet()
        .ignore_stdout()
        .ignore_stderr()
        .run()
        .is_ok()
}

/// Node and npm, from Debian when absent (idempotent; part of `cargo xtask install`).
pub(crate) fn install_node(sh: &Shell) -> Result<()> {
    if has(sh, "node") && has(sh, "npm") {
        return Ok(());
    }
    crate::install::apt_install(sh, &["nodejs", "npm"])
}

/// Debian's Chromium for the browser suite (idempotent; part of `cargo xtask install`).
pub(crate) fn install_chromium(sh: &Shell) -> Result<()> {
    if Path::new(CHROMIUM).exists() {
        return Ok(());
    }
    crate::install::apt_install(sh, &["chromium"])
}

/// The browser the suite drives.
const CHROMIUM: &str = "/usr/bin/chromium";

/// `npm ci` when the installed packages are missing or older than the lock file, then `vite
/// build`; returns the folder of the built page.
pub(crate) fn build_page(sh: &Shell) -> Result<PathBuf> {
    install_node(sh)?;
    let dir = page_dir();
    let _dir = sh.push_dir(&dir);
    let _skip = sh.push_env("PUPPETEER_SKIP_DOWNLOAD", "1");
    let installed = dir.join("node_modules/.package-lock.json");
    let stale = match (
        std::fs::metadata(&installed).and_then(|m| m.modified()),
        std::fs::metadata(dir.join("package-lock.json")).and_then(|m| m.modified()),
    ) {
        (Ok(have), Ok(lock)) => have < lock,
        _ => true,
    };
    if stale {
        cmd!(sh, "npm ci --no-audit --no-fund")
            .run()
            .context("npm ci failed")?;
    }
    cmd!(sh, "npm run --silent build")
        .run()
        .context("building the page failed")?;
    let built = dir.join("dist");
    if !built.join("index.html").is_file() {
        bail!(
            "the page build left no {}",
            built.join("index.html").display()
        );
    }
    Ok(built)
}

/// The jars the stand-in runs on (as `mvn package` left them) and the libraries it uses from
/// Debian's Maven repository.
fn fixture_classpath(sh: &Shell) -> Result<String> {
    {
        let _dir = sh.push_dir(project_root().join("java-bindings"));
        cmd!(
            sh,
            "mvn --quiet -DskipTests -pl {FIXTURE_MODULE} -am package"
        )
        .run()
        .context("mvn package of the API stand-in failed")?;
    }
    const MODULES: [&str; 5] = [
        FIXTURE_MODULE,
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
    let bindings = project_root().join("java-bindings");
    let mut jars = Vec::new();
    for module in MODULES {
        jars.push(
            bindings
                .join(module)
                .join("target")
                .join(format!("{module}-0.1.0.jar")),
        );
    }
    for library in LIBRARIES {
        jars.push(Path::new("/usr/share/maven-repo").join(library));
    }
    if let Some(missing) = jars.iter().find(|jar| !jar.exists()) {
        bail!("{} is missing", missing.display());
    }
    let parts: Vec<String> = jars.iter().map(|jar| jar.display().to_string()).collect();
    Ok(parts.join(":"))
}

/// The JNI library (dev profile, with the testing natives) and the emulator, from the same
/// build as the Rust tests and the Java suite: building only `-p ecs-jni -p ecs-sim` would
/// resolve dependency features differently and compile the aws-sdk graph again.
fn build_native(sh: &Shell) -> Result<(PathBuf, PathBuf)> {
    let cargo = cargo();
    cmd!(
        sh,
        "{cargo} build --locked --workspace --all-targets --features ecs-jni/testing"
    )
    .run()?;
    let debug = target_dir().join("debug");
    Ok((debug.join("libecs_jni.so"), debug.join("ecs-sim")))
}

impl flags::UiTest {
    pub(crate) fn run(self, sh: &Shell) -> Result<()> {
        ui_tests(sh)
    }
}

/// The browser suite: the page built, the stand-in packaged, then `node --test` driving
/// Debian's Chromium. Screenshots land in `target/ui-test/`.
pub(crate) fn ui_tests(sh: &Shell) -> Result<()> {
    install_chromium(sh)?;
    let (native, sim) = build_native(sh)?;
    let classpath = fixture_classpath(sh)?;
    build_page(sh)?;
    let out = target_dir().join("ui-test");
    sh.remove_path(&out)?;
    sh.create_dir(&out)?;
    let _dir = sh.push_dir(page_dir());
    let _env = [
        sh.push_env("ECS_SIM_BIN", &sim),
        sh.push_env("ECS_NATIVE_LIB", &native),
        sh.push_env("UI_FIXTURE_CLASSPATH", &classpath),
        sh.push_env("UI_TEST_OUT", &out),
        sh.push_env("CHROMIUM", CHROMIUM),
        sh.push_env("PUPPETEER_SKIP_DOWNLOAD", "1"),
    ];
    cmd!(sh, "npm test --silent")
        .run()
        .context("the browser suite failed (screenshots in target/ui-test/)")?;
    eprintln!("xtask: screenshots in {}", out.display());
    Ok(())
}

/// `cargo xtask dist`'s part: the built page as `ecs-ui-plugin-<version>.tar.gz` (one folder,
/// `ecs/`, to unpack into the UI's `plugins/` folder) and `ecs-ui-plugin.config.json` (the
/// entry to add to the UI's `config.json` `plugins` list).
pub(crate) fn dist(sh: &Shell, dist: &Path) -> Result<()> {
    let built = build_page(sh)?;
    let staging = target_dir().join("ui-dist");
    sh.remove_path(&staging)?;
    sh.create_dir(&staging)?;
    let folder = staging.join(UI_FOLDER);
    cmd!(sh, "cp -R {built} {folder}").run()?;
    let archive = dist.join(format!(
        "ecs-ui-plugin-{}.tar.gz",
        env!("CARGO_PKG_VERSION")
    ));
    cmd!(
        sh,
        "tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -czf {archive} -C {staging} {UI_FOLDER}"
    )
    .run()
    .context("packing the page failed")?;
    sh.write_file(
        dist.join("ecs-ui-plugin.config.json"),
        format!("{CONFIG_ENTRY}\n"),
    )?;
    let listing = cmd!(sh, "tar -tzf {archive}").quiet().read()?;
    if !listing.lines().any(|line| line == "ecs/index.html") {
        bail!("{} lacks ecs/index.html", archive.display());
    }
    eprintln!(
        "xtask: {} ({} files) and ecs-ui-plugin.config.json",
        archive.display(),
        listing.lines().filter(|l| !l.ends_with('/')).count()
    );
    Ok(())
}

/// `cargo xtask demo --ui`: the emulator, the stand-in serving the page, a seeded store; prints
/// the URL and stays up until Ctrl-C.
pub(crate) fn demo(sh: &Shell) -> Result<()> {
    let (native, sim_bin) = build_native(sh)?;
    let classpath = fixture_classpath(sh)?;
    let page = build_page(sh)?;
    let sim = crate::demo::Sim::start(&sim_bin, None)?;
    let mut fixture = Fixture::start(&native, &classpath, &page)?;
    let origin = fixture.origin.clone();
    println!();
    println!(
        "  The ECS page, inside a stand-in for CloudStack's UI (a test fixture, not CloudStack):"
    );
    println!("    {origin}/client/          log in as admin / password");
    println!();
    println!("  Add ECS object storage with:");
    println!("    ECS API URL            {}", sim.mgmt_url());
    println!("    service account        root / ChangeMe");
    println!("    namespace              ns1");
    println!("    Public URL             {}", sim.s3_url());
    println!("    UI origins for CORS    {origin}");
    println!();
    println!("  Ctrl-C stops everything.");
    let status = fixture.child.wait()?;
    drop(sim);
    if !status.success() {
        bail!("the API stand-in stopped ({status})");
    }
    Ok(())
}

/// The API stand-in as a child process; killed when dropped.
struct Fixture {
    child: Child,
    origin: String,
}

impl Fixture {
    fn start(native: &Path, classpath: &str, page: &Path) -> Result<Fixture> {
        let mut child = Command::new("java")
            .arg(format!("-Decs.native.path={}", native.display()))
            .args(["-cp", classpath, FIXTURE_MAIN, "--page"])
            .arg(page)
            // The stand-in runs until its standard input closes: ours stays open.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("cannot start java")?;
        let stdout = child.stdout.take().context("no stdout")?;
        // A reader thread hands the lines over, so that the wait below is bounded; it keeps
        // draining the pipe afterwards.
        let (lines, received) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + FIXTURE_START_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match received.recv_timeout(left) {
                Ok(line) => {
                    if let Some(origin) = line.strip_prefix("ui-fixture: listening on ") {
                        return Ok(Fixture {
                            child,
                            origin: origin.trim().to_owned(),
                        });
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    bail!("the API stand-in did not start within {FIXTURE_START_TIMEOUT:?}");
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    bail!("the API stand-in exited during start-up");
                }
            }
        }
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
