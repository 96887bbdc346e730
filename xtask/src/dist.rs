//! `cargo xtask dist`: the release JNI library and the jars, with the library inside, in
//! `target/dist/`.
//!
//! The library is built with the release profile (`--dev` packages the dev-profile one instead,
//! a quick check of the packaging) and without the `testing` feature. Maven then packages every
//! module of `java-bindings/`; `ecs-java` packs `libecs_jni.so` at `/native/linux-x86_64/`,
//! where the Java loader finds it when neither `-Decs.native.path` nor `java.library.path` has it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

use crate::{cargo, flags, project_root};

/// The library file cargo writes for crate `ecs-jni`.
pub(crate) const LIBRARY: &str = "libecs_jni.so";

/// Where the library sits inside the `ecs-java` jar.
const JAR_ENTRY: &str = "native/linux-x86_64/libecs_jni.so";

impl flags::Dist {
    pub(crate) fn run(self, sh: &Shell) -> Result<()> {
        let root = project_root();
        let cargo = cargo();
        let (profile_flag, profile_dir): (&[&str], &str) = if self.dev {
            (&[], "debug")
        } else {
            (&["--release"], "release")
        };
        cmd!(sh, "{cargo} build --locked -p ecs-jni {profile_flag...}").run()?;
        let library_dir = crate::target_dir().join(profile_dir);
        let library = library_dir.join(LIBRARY);
        if !library.is_file() {
            bail!("cargo did not produce {}", library.display());
        }

        package_jars(sh, &root, &library_dir)?;
        let dist = crate::target_dir().join("dist");
        sh.remove_path(&dist)?;
        sh.create_dir(&dist)?;
        sh.copy_file(&library, &dist)?;
        let jars = copy_jars(sh, &root.join("java-bindings"), &dist)?;
        check_library_is_packed(sh, &dist)?;
        check_jar_loads_its_library(sh, &root, &dist)?;
        // Leave no packed library in ecs-java's build output for later (test) builds to pick up.
        sh.remove_path(root.join("java-bindings/ecs-java/target/classes/native"))?;
        crate::ui::dist(sh, &dist)?;
        eprintln!(
            "xtask: target/dist/ holds {LIBRARY} ({profile_dir}) and {}",
            jars.join(", ")
        );
        Ok(())
    }
}

/// Runs Maven over `java-bindings/` with the library directory as `ecs-java`'s native resources.
fn package_jars(sh: &Shell, root: &Path, library_dir: &Path) -> Result<()> {
    let _dir = sh.push_dir(root.join("java-bindings"));
    let resources = format!("-Decs.native.resources={}", library_dir.display());
    cmd!(sh, "mvn {resources} -DskipTests package")
        .run()
        .context("mvn package failed")?;
    Ok(())
}

/// Copies each module's main jar into `dist`; returns their file names.
fn copy_jars(sh: &Shell, bindings: &Path, dist: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for module in sh.read_dir(bindings)? {
        let target = module.join("target");
        if !target.is_dir() {
            continue;
        }
        for file in sh.read_dir(&target)? {
            let name = file_name(&file);
            if name.ends_with(".jar")
                && !name.ends_with("-sources.jar")
                && !name.ends_with("-tests.jar")
            {
                sh.copy_file(&file, dist)?;
                names.push(name);
            }
        }
    }
    if !names.iter().any(|name| name.starts_with("ecs-java-")) {
        bail!("maven produced no ecs-java jar");
    }
    names.sort();
    Ok(names)
}

/// Fails unless the `ecs-java` jar in `dist` holds the library at [`JAR_ENTRY`].
fn check_library_is_packed(sh: &Shell, dist: &Path) -> Result<()> {
    let jar = ecs_java_jar(sh, dist)?;
    let listing = cmd!(sh, "jar tf {jar}").quiet().read()?;
    if !listing.lines().any(|entry| entry == JAR_ENTRY) {
        bail!("{} lacks {JAR_ENTRY}", jar.display());
    }
    Ok(())
}

/// A Java program that opens a store with an invalid URL: it answers `INVALID_INPUT` only when
/// the library loaded (from the jar: nothing else is on the paths) and ran.
const JAR_PROBE: &str = r#"
import io.ecscloudstack.ecs.EcsException;
import io.ecscloudstack.ecs.EcsObjectStore;
import java.util.Map;

public class JarProbe {
    public static void main(String[] args) {
        try {
            EcsObjectStore.open(Map.of("mgmt_url", "not a url"));
            System.out.println("UNEXPECTED: the store opened");
        } catch (EcsException e) {
            System.out.println(e.code() + ": " + e.getMessage());
        }
        System.exit(0);
    }
}
"#;

/// log4j-api, which `ecs-java` needs at run time, from Debian's `liblog4j2-java`.
const LOG4J_API_JAR: &str = "/usr/share/java/log4j-api.jar";

/// Runs [`JAR_PROBE`] against the `ecs-java` jar alone (plus log4j-api) and checks that the
/// library packed in the jar loaded.
fn check_jar_loads_its_library(sh: &Shell, root: &Path, dist: &Path) -> Result<()> {
    let jar = ecs_java_jar(sh, dist)?;
    let probe_dir = root.join("target/dist-probe");
    sh.create_dir(&probe_dir)?;
    let probe = probe_dir.join("JarProbe.java");
    sh.write_file(&probe, JAR_PROBE)?;
    let classpath = format!("{}:{LOG4J_API_JAR}", jar.display());
    let output = cmd!(sh, "java -cp {classpath} {probe}")
        .ignore_status()
        .read()?;
    sh.remove_path(&probe_dir)?;
    if !output.starts_with("INVALID_INPUT") {
        bail!("the jar did not load its packed library: {output}");
    }
    Ok(())
}

fn ecs_java_jar(sh: &Shell, dist: &Path) -> Result<PathBuf> {
    sh.read_dir(dist)?
        .into_iter()
        .find(|file| file_name(file).starts_with("ecs-java-"))
        .context("no ecs-java jar in target/dist")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The dev-profile library the CI step builds and the Java tests load.
pub(crate) fn dev_library() -> PathBuf {
    crate::target_dir().join("debug").join(LIBRARY)
}
