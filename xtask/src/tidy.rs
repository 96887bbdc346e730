//! `tidy`: repository-wide hygiene checks that run as an ordinary `#[test]`.
//!
//! Every Rust source file starts with a `//!` line saying what it is for, and no source file
//! carries trailing whitespace or tabs in Rust code.

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::{Path, PathBuf};

    use crate::project_root;

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

    fn all_rust_files() -> Vec<PathBuf> {
        let root = project_root();
        let mut files = Vec::new();
        for dir in ["crates", "tests", "xtask"] {
            rust_files(&root.join(dir), &mut files);
        }
        assert!(files.len() > 5, "tidy found too few Rust files: {files:?}");
        files
    }

    #[test]
    fn every_rust_file_starts_with_a_module_doc() {
        let offenders: Vec<_> = all_rust_files()
            .into_iter()
            .filter(|path| {
                let text = fs::read_to_string(path).unwrap_or_default();
                let first = text.lines().find(|line| !line.trim().is_empty());
                !first.is_some_and(|line| line.starts_with("//!"))
            })
            .collect();
        assert!(
            offenders.is_empty(),
            "files without a leading `//!` doc: {offenders:#?}"
        );
    }

    #[test]
    fn no_trailing_whitespace_or_tabs() {
        let mut offenders = Vec::new();
        for path in all_rust_files() {
            let text = fs::read_to_string(&path).unwrap_or_default();
            for (index, line) in text.lines().enumerate() {
                if line.ends_with(' ') || line.contains('\t') {
                    offenders.push(format!("{}:{}", path.display(), index + 1));
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "trailing whitespace or tabs: {offenders:#?}"
        );
    }
}
