//! `cargo xtask dist`: the release JNI library and the jars, with the library inside, in
//! `target/dist/`.
//!
//! The library is built with the release profile (`--dev` packages the dev-profile one instead,
//! a quick check of the packaging) and without the `testing` feature, then stripped of its debug
//! sections; the debug information goes to `libecs_jni.so.debug` beside it (linked with
//! `.gnu_debuglink`, for crash analysis). Maven then packages every module of `java-bindings/`;
//! `ecs-java` packs the stripped `libecs_jni.so` at `/native/linux-x86_64/`, where the Java
//! loader finds it when neither `-Decs.native.path` nor `java.library.path` has it.
//!
//! Layout: `target/dist/` holds what goes onto a CloudStack management server (the two jars, the
//! library and its debug file); `target/dist/dev/` the jars that never do (CloudStack stand-ins,
//! the harness, the demo). The step fails when a jar meant for CloudStack carries a stand-in
//! class (`com.cloud.*`, or `org.apache.cloudstack.*` outside the plug-in's own packages) or
//! when the packed library still has debug sections.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

use crate::{cargo, flags, project_root};

/// The library file cargo writes for crate `ecs-jni`.
pub(crate) const LIBRARY: &str = "libecs_jni.so";

/// Where the library sits inside the `ecs-java` jar.
const JAR_ENTRY: &str = "native/linux-x86_64/libecs_jni.so";

/// The jars (by file-name prefix) that go onto a CloudStack management server.
const CLOUDSTACK_JARS: &[&str] = &["ecs-java-", "cloudstack-plugin-"];

/// Packages of the plug-in's own classes under `org.apache.cloudstack` (CloudStack's naming, so
/// the module drops into CloudStack's tree); every other `org.apache.cloudstack` or `com.cloud`
/// class in a shipped jar is a stand-in that would shadow CloudStack's real one.
const PLUGIN_PACKAGES: &[&str] = &[
    "org/apache/cloudstack/storage/datastore/driver/",
    "org/apache/cloudstack/storage/datastore/lifecycle/",
    "org/apache/cloudstack/storage/datastore/provider/",
];

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
        let built = crate::target_dir().join(profile_dir).join(LIBRARY);
        if !built.is_file() {
            bail!("cargo did not produce {}", built.display());
        }

        let dist = crate::target_dir().join("dist");
        sh.remove_path(&dist)?;
        sh.create_dir(dist.join("dev"))?;
        let library = dist.join(LIBRARY);
        strip_library(sh, &built, &library)?;
        check_no_debug_sections(sh, &library)?;

        package_jars(sh, &root, &dist)?;
        let jars = copy_jars(sh, &root.join("java-bindings"), &dist)?;
        check_library_is_packed(sh, &dist)?;
        for jar in &jars {
            if CLOUDSTACK_JARS.iter().any(|prefix| jar.starts_with(prefix)) {
                check_no_stand_ins(sh, &dist.join(jar))?;
            }
        }
        check_jar_loads_its_library(sh, &root, &dist)?;
        // Leave no packed library in ecs-java's build output for later (test) builds to pick up.
        sh.remove_path(root.join("java-bindings/ecs-java/target/classes/native"))?;
        crate::ui::dist(sh, &dist)?;
        eprintln!("xtask: target/dist/ ({profile_dir} library, stripped):");
        for file in [
            built.clone(),
            library.clone(),
            dist.join(format!("{LIBRARY}.debug")),
        ]
        .into_iter()
        .chain(jars.iter().map(|jar| dist.join(jar)))
        {
            let size = std::fs::metadata(&file)?.len();
            eprintln!("  {:>6.1} MB  {}", mb(size), file.display());
        }
        Ok(())
    }
}

/// Runs Maven over `java-bindings/` with the library directory as `ecs-java`'s native resources.
fn package_jars(sh: &Shell, root: &Path, library_dir: &Path) -> Result<()> {
    // Maven reads the stripped library from `library_dir` (target/dist).
    let _dir = sh.push_dir(root.join("java-bindings"));
    let resources = format!("-Decs.native.resources={}", library_dir.display());
    cmd!(sh, "mvn {resources} -DskipTests package")
        .run()
        .context("mvn package failed")?;
    Ok(())
}

/// Megabytes (10^6 bytes), as `ls -l --si` and the README count them.
fn mb(bytes: u64) -> f64 {
    // Exact for any library or jar size (well below 2^52 bytes).
    #[allow(clippy::cast_precision_loss)]
    let bytes = bytes as f64;
    bytes / 1_000_000.0
}

/// Writes `built` without debug sections to `stripped`, and its debug information to
/// `<stripped>.debug`, linked from the stripped file (`gdb` and `eu-stack` find it).
fn strip_library(sh: &Shell, built: &Path, stripped: &Path) -> Result<()> {
    let debug = stripped.with_file_name(format!("{LIBRARY}.debug"));
    cmd!(sh, "objcopy --only-keep-debug {built} {debug}")
        .run()
        .context("objcopy (binutils) is needed to split the debug information")?;
    let dir = debug.parent().context("the debug file has a directory")?;
    let _dir = sh.push_dir(dir);
    // Run beside the debug file so that the link records its bare name.
    let debug_name = format!("{LIBRARY}.debug");
    cmd!(
        sh,
        "objcopy --strip-debug --strip-unneeded --add-gnu-debuglink={debug_name} {built} {stripped}"
    )
    .run()?;
    Ok(())
}

/// Fails when the ELF file still has `.debug_*` sections.
fn check_no_debug_sections(sh: &Shell, library: &Path) -> Result<()> {
    let sections = cmd!(sh, "readelf -S -W {library}").quiet().read()?;
    let debug: Vec<&str> = sections
        .split_whitespace()
        .filter(|word| word.starts_with(".debug") || word.starts_with(".zdebug"))
        .collect();
    if !debug.is_empty() {
        bail!(
            "{} carries debug sections: {}",
            library.display(),
            debug.join(" ")
        );
    }
    Ok(())
}

/// Whether a jar entry is a stand-in for a CloudStack class: a class under `com/cloud/` or
/// under `org/apache/cloudstack/` outside [`PLUGIN_PACKAGES`].
fn is_stand_in(entry: &str) -> bool {
    entry.ends_with(".class")
        && (entry.starts_with("com/cloud/")
            || (entry.starts_with("org/apache/cloudstack/")
                && !PLUGIN_PACKAGES.iter().any(|own| entry.starts_with(own))))
}

/// Fails when a jar meant for CloudStack carries stand-in classes, and when the packed
/// library in it has debug sections.
fn check_no_stand_ins(sh: &Shell, jar: &Path) -> Result<()> {
    let listing = cmd!(sh, "jar tf {jar}").quiet().read()?;
    let stand_ins: Vec<&str> = listing.lines().filter(|entry| is_stand_in(entry)).collect();
    if !stand_ins.is_empty() {
        bail!(
            "{} is meant for CloudStack but carries {} stand-in class(es), e.g. {}",
            jar.display(),
            stand_ins.len(),
            stand_ins[..stand_ins.len().min(3)].join(", ")
        );
    }
    if listing.lines().any(|entry| entry == JAR_ENTRY) {
        let packed = jar.with_extension("packed.so");
        let bytes = cmd!(sh, "unzip -p {jar} {JAR_ENTRY}")
            .quiet()
            .output()?
            .stdout;
        std::fs::write(&packed, bytes)?;
        let checked = check_no_debug_sections(sh, &packed);
        sh.remove_path(&packed)?;
        checked.with_context(|| format!("the library packed in {}", jar.display()))?;
    }
    Ok(())
}

/// Copies each module's main jar into `dist` (the CloudStack ones) or `dist/dev` (the others);
/// returns their paths relative to `dist`.
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
                if CLOUDSTACK_JARS
                    .iter()
                    .any(|prefix| name.starts_with(prefix))
                {
                    sh.copy_file(&file, dist)?;
                    names.push(name);
                } else {
                    sh.copy_file(&file, dist.join("dev"))?;
                    names.push(format!("dev/{name}"));
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_ins_are_cloudstack_classes_that_are_not_the_plugins_own() {
        for stand_in in [
            "com/cloud/storage/BucketVO.class",
            "org/apache/cloudstack/storage/object/BaseObjectStoreDriverImpl.class",
            "org/apache/cloudstack/storage/datastore/db/ObjectStoreVO.class",
        ] {
            assert!(is_stand_in(stand_in), "{stand_in}");
        }
        for own in [
            "org/apache/cloudstack/storage/datastore/driver/EcsObjectStoreDriverImpl.class",
            "org/apache/cloudstack/storage/datastore/provider/EcsObjectStoreProviderImpl.class",
            "org/apache/cloudstack/storage/datastore/lifecycle/EcsObjectStoreLifeCycleImpl.class",
            "io/ecscloudstack/ecs/EcsObjectStore.class",
            "com/cloud/",
            "META-INF/cloudstack/storage-object-ecs/module.properties",
        ] {
            assert!(!is_stand_in(own), "{own}");
        }
    }

    #[test]
    fn megabytes_are_decimal() {
        assert!((mb(25_000_000) - 25.0).abs() < f64::EPSILON);
    }
}
