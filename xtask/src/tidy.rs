//! `cargo xtask tidy`: repository-wide hygiene that a compiler does not check.
//!
//! - every Rust source file starts with a `//!` line saying what it is for;
//! - no trailing whitespace or tabs in Rust code;
//! - no unused dependency: each dependency of a workspace crate is named (`dep::`, `use dep`)
//!   somewhere in that crate's sources;
//! - the layer rules of ARCHITECTURE.md: which of our crates (and which layer-defining external
//!   crates, `jni` and `aws-sdk-s3`) each crate may depend on, for normal and for dev
//!   dependencies, read from `cargo metadata`;
//! - every library crate denies `missing_docs`, so each public item is documented.
//!
//! `cargo xtask ci` runs it before clippy; the unit tests below feed each check a fixture with a
//! violation, so none can pass by finding nothing.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value;
use xshell::{Shell, cmd};

use crate::{cargo, flags, project_root};

impl flags::Tidy {
    pub(crate) fn run(self, sh: &Shell) -> Result<()> {
        let cargo = cargo();
        let metadata = cmd!(sh, "{cargo} metadata --format-version 1 --locked")
            .quiet()
            .read()?;
        let metadata: Value =
            serde_json::from_str(&metadata).context("cargo metadata printed invalid JSON")?;
        let problems = check(&project_root(), &metadata)?;
        if problems.is_empty() {
            println!("tidy: all checks pass");
            return Ok(());
        }
        for problem in &problems {
            eprintln!("tidy: {problem}");
        }
        bail!("tidy found {} problem(s)", problems.len())
    }
}

/// Every problem of the workspace described by `metadata` under `root`.
fn check(root: &Path, metadata: &Value) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let files = all_rust_files(root);
    problems.extend(
        files_without_module_doc(&files)
            .into_iter()
            .map(|path| format!("{}: no leading `//!` doc line", path.display())),
    );
    problems.extend(
        trailing_whitespace_or_tabs(&files)
            .into_iter()
            .map(|place| format!("{place}: trailing whitespace or a tab")),
    );
    for package in packages(metadata)? {
        let sources = package_sources(&package.dir);
        problems.extend(unused_dependencies(&package, &sources));
        problems.extend(layer_violations(&package));
        if let Some(root) = &package.lib_root {
            let text = fs::read_to_string(root).unwrap_or_default();
            problems.extend(missing_docs_opt_in(&package.name, &text));
        }
    }
    Ok(problems)
}

// ---------------------------------------------------------------------------------------------
// The workspace as `cargo metadata` describes it.

/// How a crate depends on another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Normal,
    Dev,
    Build,
}

/// One dependency of a workspace crate.
#[derive(Debug)]
struct Dep {
    /// The package name (`aws-sdk-s3`).
    package: String,
    /// The name the sources use (`aws_sdk_s3`; the new name of a renamed dependency).
    ident: String,
    kinds: Vec<Kind>,
}

/// A workspace crate.
#[derive(Debug)]
struct Package {
    name: String,
    dir: PathBuf,
    deps: Vec<Dep>,
    /// The library target's root file, when the crate has a library.
    lib_root: Option<PathBuf>,
}

fn text<'a>(value: &'a Value, key: &str) -> Result<&'a str> {
    value[key]
        .as_str()
        .with_context(|| format!("cargo metadata: `{key}` is not a string in {value}"))
}

fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value[key].as_array().map_or(&[], Vec::as_slice)
}

/// The workspace members with their resolved dependencies (full metadata, not `--no-deps`).
fn packages(metadata: &Value) -> Result<Vec<Package>> {
    let mut names = BTreeMap::new();
    for package in list(metadata, "packages") {
        names.insert(text(package, "id")?, package);
    }
    let mut nodes = BTreeMap::new();
    for node in list(&metadata["resolve"], "nodes") {
        nodes.insert(text(node, "id")?, node);
    }
    let mut out = Vec::new();
    for member in list(metadata, "workspace_members") {
        let id = member.as_str().context("cargo metadata: a member id")?;
        let package = names.get(id).context("cargo metadata: member not listed")?;
        let node = nodes
            .get(id)
            .context("cargo metadata: member not resolved")?;
        let mut deps = Vec::new();
        for dep in list(node, "deps") {
            let target = names
                .get(text(dep, "pkg")?)
                .context("cargo metadata: dependency not listed")?;
            let mut kinds: Vec<Kind> = list(dep, "dep_kinds")
                .iter()
                .map(|kind| match kind["kind"].as_str() {
                    Some("dev") => Kind::Dev,
                    Some("build") => Kind::Build,
                    _ => Kind::Normal,
                })
                .collect();
            kinds.sort();
            kinds.dedup();
            deps.push(Dep {
                package: text(target, "name")?.to_owned(),
                ident: text(dep, "name")?.to_owned(),
                kinds,
            });
        }
        let manifest = PathBuf::from(text(package, "manifest_path")?);
        let lib_root = list(package, "targets")
            .iter()
            .find(|target| {
                list(target, "kind").iter().any(|kind| {
                    matches!(
                        kind.as_str(),
                        Some("lib" | "rlib" | "dylib" | "cdylib" | "staticlib")
                    )
                })
            })
            .map(|target| text(target, "src_path").map(PathBuf::from))
            .transpose()?;
        out.push(Package {
            name: text(package, "name")?.to_owned(),
            dir: manifest
                .parent()
                .context("cargo metadata: a manifest without a directory")?
                .to_path_buf(),
            deps,
            lib_root,
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Source files.

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if path.is_dir() {
            rust_files(&path, out);
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

fn all_rust_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["crates", "tests", "xtask"] {
        rust_files(&root.join(dir), &mut files);
    }
    files
}

/// The Rust sources of the crate in `dir`, read.
fn package_sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(dir, &mut files);
    files
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).unwrap_or_default();
            (path, text)
        })
        .collect()
}

fn files_without_module_doc(files: &[PathBuf]) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|path| {
            let text = fs::read_to_string(path).unwrap_or_default();
            let first = text.lines().find(|line| !line.trim().is_empty());
            !first.is_some_and(|line| line.starts_with("//!"))
        })
        .cloned()
        .collect()
}

fn trailing_whitespace_or_tabs(files: &[PathBuf]) -> Vec<String> {
    let mut offenders = Vec::new();
    for path in files {
        let text = fs::read_to_string(path).unwrap_or_default();
        for (index, line) in text.lines().enumerate() {
            if line.ends_with(' ') || line.contains('\t') {
                offenders.push(format!("{}:{}", path.display(), index + 1));
            }
        }
    }
    offenders
}

// ---------------------------------------------------------------------------------------------
// Unused dependencies.

/// Dependencies the sources do not name, with why they stay. Delete an entry when its reason
/// is gone; tidy reports entries that no longer match anything.
const UNUSED_ALLOWED: &[(&str, &str, &str)] = &[];

/// Whether `text` names the crate `ident` in code: `ident::`, `use ident`, `extern crate ident`.
fn names_crate(text: &str, ident: &str) -> bool {
    let bytes = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    text.match_indices(ident).any(|(at, _)| {
        let end = at + ident.len();
        let before_ok = at == 0 || !word(bytes[at - 1]);
        let after = &text[end..];
        let after_ok = after.starts_with("::")
            || after.starts_with(';')
            || after.starts_with(" as ")
            || after.starts_with(" {");
        let prefix = &text[..at];
        let used = after.starts_with("::")
            || prefix.ends_with("use ")
            || prefix.ends_with("extern crate ");
        before_ok && after_ok && used
    })
}

/// Whether `path` (in the crate at `dir`) only builds for tests, benches or examples.
fn test_only(dir: &Path, path: &Path) -> bool {
    let relative = path.strip_prefix(dir).unwrap_or(path);
    relative.components().next().is_some_and(|first| {
        ["tests", "benches", "examples"].contains(&first.as_os_str().to_str().unwrap_or_default())
    })
}

/// Dependencies no source names, and normal dependencies only tests name (they belong in
/// `[dev-dependencies]`).
fn unused_dependencies(package: &Package, sources: &[(PathBuf, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for dep in &package.deps {
        let allowed = UNUSED_ALLOWED
            .iter()
            .any(|(name, allowed, _)| *name == package.name && *allowed == dep.package);
        if allowed {
            continue;
        }
        let named = |path: &Path, text: &str, tests: bool| {
            (tests || !test_only(&package.dir, path)) && names_crate(text, &dep.ident)
        };
        if !sources.iter().any(|(path, text)| named(path, text, true)) {
            problems.push(format!(
                "{}: dependency `{}` is never used (no `{}::` or `use {}` in its sources)",
                package.name, dep.package, dep.ident, dep.ident
            ));
        } else if dep.kinds.iter().all(|kind| *kind != Kind::Dev)
            && !sources.iter().any(|(path, text)| named(path, text, false))
        {
            problems.push(format!(
                "{}: dependency `{}` is used only by tests: move it to [dev-dependencies]",
                package.name, dep.package
            ));
        }
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// Layers.

/// The crates whose use marks a layer: our own crates and the two external ones only one layer
/// may hold (`jni` for the bridge, `aws-sdk-s3` for the S3 client).
const LAYERED: &[&str] = &[
    "ecs-common",
    "ecs-mgmt",
    "ecs-s3",
    "ecs-driver",
    "ecs-jni",
    "ecs-sim",
    "ecsctl",
    "ecs-tests",
    "xtask",
    "ecs-fuzz",
    "jni",
    "aws-sdk-s3",
];

/// A crate's allowed layered dependencies: (crate, normal and build, dev).
///
/// The emulator depends on none of our client crates (it judges them); the clients may test
/// against the emulator; only the bridge holds `jni`; only `ecs-s3` builds on `aws-sdk-s3`
/// (the emulator's and the cross-crate tests may drive it as an independent S3 client).
const LAYERS: &[(&str, &[&str], &[&str])] = &[
    ("ecs-common", &[], &[]),
    ("ecs-mgmt", &["ecs-common"], &["ecs-sim", "ecs-fuzz"]),
    ("ecs-s3", &["ecs-common", "aws-sdk-s3"], &["ecs-sim"]),
    (
        "ecs-driver",
        &["ecs-common", "ecs-mgmt", "ecs-s3"],
        &["ecs-sim", "ecs-fuzz"],
    ),
    (
        "ecs-jni",
        &["ecs-common", "ecs-driver", "jni"],
        &["ecs-sim"],
    ),
    // ecsctl reads admin views through ecs-mgmt's typed client, obtained from the driver.
    (
        "ecsctl",
        &["ecs-common", "ecs-driver", "ecs-mgmt"],
        &["ecs-sim", "ecs-fuzz"],
    ),
    (
        "ecs-sim",
        &["ecs-common"],
        &["ecs-common", "aws-sdk-s3", "ecs-fuzz"],
    ),
    (
        "ecs-tests",
        &[],
        &[
            "ecs-common",
            "ecs-mgmt",
            "ecs-s3",
            "ecs-driver",
            "ecs-sim",
            "ecsctl",
            "aws-sdk-s3",
        ],
    ),
    ("xtask", &["ecs-common"], &[]),
    // The fuzz runner: the crates' fuzz targets dev-depend on it; it knows none of them.
    ("ecs-fuzz", &[], &[]),
];

/// Layered dependencies allowed for now beyond [`LAYERS`], with why.
const LAYERS_TEMPORARY: &[(&str, &str, &str)] = &[];

fn layer_violations(package: &Package) -> Vec<String> {
    let Some((_, normal, dev)) = LAYERS.iter().find(|(name, _, _)| *name == package.name) else {
        return vec![format!(
            "{}: not in the layer table of xtask/src/tidy.rs (say what it may depend on)",
            package.name
        )];
    };
    let mut problems = Vec::new();
    for dep in &package.deps {
        if !LAYERED.contains(&dep.package.as_str())
            || LAYERS_TEMPORARY
                .iter()
                .any(|(name, allowed, _)| *name == package.name && *allowed == dep.package)
        {
            continue;
        }
        for kind in &dep.kinds {
            let allowed = match kind {
                Kind::Normal | Kind::Build => normal.contains(&dep.package.as_str()),
                // What a crate may use, its tests may use too.
                Kind::Dev => {
                    normal.contains(&dep.package.as_str()) || dev.contains(&dep.package.as_str())
                }
            };
            if !allowed {
                problems.push(format!(
                    "{}: may not depend on `{}` ({kind:?} dependency; see ARCHITECTURE.md)",
                    package.name, dep.package
                ));
            }
        }
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// Documentation.

/// A library crate must deny (or warn on, which CI's clippy turns into an error) `missing_docs`.
fn missing_docs_opt_in(package: &str, lib_root: &str) -> Option<String> {
    let opted_in = lib_root.lines().any(|line| {
        let line = line.trim().replace(' ', "");
        [
            "#![deny(missing_docs)]",
            "#![warn(missing_docs)]",
            "#![forbid(missing_docs)]",
        ]
        .contains(&line.as_str())
    });
    (!opted_in).then(|| {
        format!(
            "{package}: its library root lacks `#![deny(missing_docs)]` (document public items)"
        )
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_rust_file_starts_with_a_module_doc() {
        let files = all_rust_files(&project_root());
        assert!(files.len() > 5, "tidy found too few Rust files: {files:?}");
        let offenders = files_without_module_doc(&files);
        assert!(
            offenders.is_empty(),
            "files without a leading `//!` doc: {offenders:#?}"
        );
    }

    #[test]
    fn no_trailing_whitespace_or_tabs() {
        let offenders = trailing_whitespace_or_tabs(&all_rust_files(&project_root()));
        assert!(
            offenders.is_empty(),
            "trailing whitespace or tabs: {offenders:#?}"
        );
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-tidy-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create a temporary directory");
        dir
    }

    #[test]
    fn module_doc_and_whitespace_checks_find_offenders() {
        let dir = temp_dir("files");
        let good = dir.join("good.rs");
        let bad = dir.join("bad.rs");
        fs::write(&good, "//! Fine.\n\nfn main() {}\n").expect("write");
        fs::write(&bad, "// Not a module doc.\nfn main() {} \n\tlet x;\n").expect("write");
        let files = vec![good, bad.clone()];
        assert_eq!(files_without_module_doc(&files), vec![bad.clone()]);
        assert_eq!(
            trailing_whitespace_or_tabs(&files),
            vec![
                format!("{}:2", bad.display()),
                format!("{}:3", bad.display())
            ]
        );
        fs::remove_dir_all(dir).expect("remove the directory");
    }

    /// Metadata of a two-crate workspace: `ecs-mgmt` depends on `ecs-common` (used), `secrecy`
    /// (unused), `md-5` as `md5` (used) and `ecs-driver` (a layer violation, used), and
    /// dev-depends on `ecs-sim` (allowed) and `jni` (not allowed).
    fn fixture() -> Value {
        let pkg = |name: &str, lib: &str| {
            json!({
                "id": format!("{name} 0.1.0"),
                "name": name,
                "manifest_path": format!("/ws/{name}/Cargo.toml"),
                "targets": [{"kind": [lib], "src_path": format!("/ws/{name}/src/lib.rs")}],
            })
        };
        let dep = |name: &str, ident: &str, kind: Value| json!({"name": ident, "pkg": format!("{name} 0.1.0"), "dep_kinds": [{"kind": kind}]});
        json!({
            "packages": [
                pkg("ecs-mgmt", "lib"), pkg("ecs-common", "lib"), pkg("secrecy", "lib"),
                pkg("md-5", "lib"), pkg("ecs-driver", "lib"), pkg("ecs-sim", "lib"),
                pkg("jni", "lib"), pkg("mystery", "bin"),
            ],
            "workspace_members": ["ecs-mgmt 0.1.0", "mystery 0.1.0"],
            "resolve": {"nodes": [
                {"id": "ecs-mgmt 0.1.0", "deps": [
                    dep("ecs-common", "ecs_common", Value::Null),
                    dep("secrecy", "secrecy", Value::Null),
                    dep("md-5", "md5", Value::Null),
                    dep("ecs-driver", "ecs_driver", Value::Null),
                    dep("ecs-sim", "ecs_sim", json!("dev")),
                    dep("jni", "jni", json!("dev")),
                ]},
                {"id": "mystery 0.1.0", "deps": []},
            ]},
        })
    }

    const SOURCE: &str = "//! A crate.\nuse ecs_common::Error;\nfn f() { md5::compute(b\"\"); \
        ecs_driver::go(); }\n#[cfg(test)] mod t { use ecs_sim::Sim; use jni::JNIEnv; }\n\
        // secrecy is mentioned in a comment only: secrecy_extra::x, \"secrecy\"\n";

    #[test]
    fn metadata_is_read_into_packages() {
        let packages = packages(&fixture()).expect("the fixture parses");
        let names: Vec<_> = packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["ecs-mgmt", "mystery"]);
        let mgmt = &packages[0];
        assert_eq!(mgmt.dir, PathBuf::from("/ws/ecs-mgmt"));
        assert_eq!(
            mgmt.lib_root,
            Some(PathBuf::from("/ws/ecs-mgmt/src/lib.rs"))
        );
        assert_eq!(packages[1].lib_root, None, "a binary has no library root");
        let md5 = mgmt
            .deps
            .iter()
            .find(|d| d.package == "md-5")
            .expect("md-5");
        assert_eq!(
            (md5.ident.as_str(), md5.kinds.as_slice()),
            ("md5", &[Kind::Normal][..])
        );
        let sim = mgmt
            .deps
            .iter()
            .find(|d| d.package == "ecs-sim")
            .expect("ecs-sim");
        assert_eq!(sim.kinds, [Kind::Dev]);
    }

    #[test]
    fn an_unused_dependency_is_reported_and_used_ones_are_not() {
        let packages = packages(&fixture()).expect("the fixture parses");
        let sources = vec![(PathBuf::from("/ws/ecs-mgmt/src/lib.rs"), SOURCE.to_owned())];
        let problems = unused_dependencies(&packages[0], &sources);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].contains("`secrecy` is never used"),
            "{problems:#?}"
        );
        let used = "use secrecy::SecretString;\n".to_owned();
        let sources = vec![(
            PathBuf::from("/ws/ecs-mgmt/src/lib.rs"),
            SOURCE.to_owned() + &used,
        )];
        assert!(unused_dependencies(&packages[0], &sources).is_empty());
    }

    #[test]
    fn a_normal_dependency_only_tests_use_is_reported() {
        let packages = packages(&fixture()).expect("the fixture parses");
        let sources = vec![
            (PathBuf::from("/ws/ecs-mgmt/src/lib.rs"), SOURCE.to_owned()),
            (
                PathBuf::from("/ws/ecs-mgmt/tests/keys.rs"),
                "use secrecy::ExposeSecret;\n".to_owned(),
            ),
        ];
        let problems = unused_dependencies(&packages[0], &sources);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].contains("`secrecy` is used only by tests"),
            "{problems:#?}"
        );
    }

    #[test]
    fn crate_names_count_only_in_code() {
        assert!(names_crate("use serde::Deserialize;", "serde"));
        assert!(names_crate("#[tokio::main]", "tokio"));
        assert!(names_crate("use anyhow;", "anyhow"));
        assert!(names_crate("extern crate jni;", "jni"));
        assert!(names_crate("use md5 as digest;", "md5"));
        assert!(!names_crate("let filter = \"ecs_mgmt=info\";", "ecs_mgmt"));
        assert!(!names_crate("my_serde::x()", "serde"));
        assert!(!names_crate("serde_json::to_string(&x)", "serde"));
    }

    #[test]
    fn layer_violations_are_reported_for_normal_and_dev_dependencies() {
        let packages = packages(&fixture()).expect("the fixture parses");
        let problems = layer_violations(&packages[0]);
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].contains("may not depend on `ecs-driver` (Normal"));
        assert!(problems[1].contains("may not depend on `jni` (Dev"));
        let unknown = layer_violations(&packages[1]);
        assert!(
            unknown[0].contains("mystery: not in the layer table"),
            "{unknown:#?}"
        );
    }

    #[test]
    fn the_layer_table_covers_every_workspace_crate_and_only_layered_ones() {
        for (name, normal, dev) in LAYERS {
            assert!(LAYERED.contains(name), "{name} is not in LAYERED");
            for dep in normal.iter().chain(dev.iter()) {
                assert!(LAYERED.contains(dep), "{name} → {dep}: not in LAYERED");
            }
        }
        for dir in ["crates", "."] {
            let root = project_root().join(dir);
            for entry in fs::read_dir(&root).expect("read the workspace").flatten() {
                let manifest = entry.path().join("Cargo.toml");
                let Ok(text) = fs::read_to_string(&manifest) else {
                    continue;
                };
                let Some(name) = text
                    .lines()
                    .find_map(|line| line.strip_prefix("name = \""))
                    .and_then(|rest| rest.strip_suffix('"'))
                else {
                    continue;
                };
                assert!(
                    LAYERS.iter().any(|(layer, _, _)| *layer == name),
                    "{name} ({}) is missing from LAYERS",
                    manifest.display()
                );
            }
        }
    }

    #[test]
    fn a_library_without_missing_docs_is_reported() {
        assert!(missing_docs_opt_in("a", "//! A.\n#![deny(missing_docs)]\n").is_none());
        assert!(missing_docs_opt_in("a", "//! A.\n#![warn(missing_docs)]\n").is_none());
        let problem = missing_docs_opt_in("a", "//! A.\n#![deny(unsafe_code)]\n");
        assert!(problem.is_some_and(|p| p.contains("a: its library root lacks")));
        let commented = missing_docs_opt_in("a", "//! A.\n// #![deny(missing_docs)] later\n");
        assert!(commented.is_some());
    }

    #[test]
    fn allow_lists_name_real_crates() {
        for (name, dep, why) in UNUSED_ALLOWED.iter().chain(LAYERS_TEMPORARY) {
            assert!(LAYERS.iter().any(|(layer, _, _)| layer == name), "{name}");
            assert!(!dep.is_empty() && !why.is_empty());
        }
    }
}
