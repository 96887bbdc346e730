//! The reference corpus beside the repository (`<repo>/../shared`): recorded ECS traffic and
//! Dell's OpenAPI description, which six tests read. A plain clone has no corpus; `cargo xtask
//! ci` then leaves those suites out with a filter, and says so loudly.

use std::path::{Path, PathBuf};

/// What the corpus-reading suites need, relative to the corpus directory.
const NEEDED: &[&str] = &[
    "fixtures/ecs-cf-service-broker",
    "fixtures/goobjectscale",
    "reference/ecs-management-openapi-4.1.json",
];

/// The suites that read the corpus, with what they check (for the notice).
const SUITES: &[(&str, &str)] = &[
    (
        "ecs-mgmt fixture_tests (3 tests)",
        "recorded ECS responses decode with the client's models",
    ),
    (
        "ecs-sim tests/fixtures.rs (2 tests)",
        "recorded ECS traffic replays against the emulator",
    ),
    (
        "ecs-sim tests/openapi.rs (1 test)",
        "the emulator's JSON matches Dell's OpenAPI schemas",
    ),
];

/// The nextest filter expression that leaves exactly [`SUITES`] out.
pub(crate) const WITHOUT_CORPUS_FILTER: &str = "not ((package(ecs-mgmt) and test(/^fixture_tests::/)) or (package(ecs-sim) and (binary(=fixtures) or binary(=openapi))))";

/// The corpus directory the tests read: `<repo>/../shared`.
pub(crate) fn dir(root: &Path) -> PathBuf {
    root.join("..").join("shared")
}

/// The needed entries missing under `corpus` (empty when the corpus is complete).
pub(crate) fn missing(corpus: &Path) -> Vec<String> {
    NEEDED
        .iter()
        .filter(|entry| !corpus.join(entry).exists())
        .map(|entry| (*entry).to_owned())
        .collect()
}

/// The notice printed when suites are left out: impossible to miss, naming each suite and why.
pub(crate) fn left_out_notice(corpus: &Path, missing: &[String]) -> String {
    let rule = "=".repeat(78);
    let mut text = format!(
        "{rule}\nxtask ci: NOT EVERYTHING RAN. {} suites were LEFT OUT because the reference corpus is absent:\n",
        SUITES.len()
    );
    for (suite, checks) in SUITES {
        text.push_str(&format!("  - {suite}: {checks}\n"));
    }
    text.push_str(&format!(
        "  why: {} lacks {}\n  to run them: put the corpus (fixtures/, reference/) at that path, as our CI has it\n{rule}",
        corpus.display(),
        missing.join(", ")
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-corpus-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        dir
    }

    #[test]
    fn a_complete_corpus_misses_nothing_and_a_partial_one_names_the_gaps() {
        let corpus = temp_dir("complete");
        assert_eq!(missing(&corpus).len(), NEEDED.len());
        std::fs::create_dir_all(corpus.join("fixtures/ecs-cf-service-broker")).expect("mkdir");
        std::fs::create_dir_all(corpus.join("fixtures/goobjectscale")).expect("mkdir");
        assert_eq!(
            missing(&corpus),
            ["reference/ecs-management-openapi-4.1.json"]
        );
        std::fs::create_dir_all(corpus.join("reference")).expect("mkdir");
        std::fs::write(
            corpus.join("reference/ecs-management-openapi-4.1.json"),
            "{}",
        )
        .expect("write");
        assert!(missing(&corpus).is_empty());
        std::fs::remove_dir_all(corpus).expect("clean up");
    }

    #[test]
    fn the_notice_names_every_suite_left_out_and_why() {
        let notice = left_out_notice(
            Path::new("/nowhere/shared"),
            &["fixtures/goobjectscale".to_owned()],
        );
        assert!(notice.contains("LEFT OUT"), "{notice}");
        for (suite, _) in SUITES {
            assert!(notice.contains(suite), "{notice}");
        }
        assert!(
            notice.contains("/nowhere/shared lacks fixtures/goobjectscale"),
            "{notice}"
        );
    }

    #[test]
    fn the_filter_names_the_suites_that_read_the_corpus() {
        for part in ["fixture_tests", "binary(=fixtures)", "binary(=openapi)"] {
            assert!(WITHOUT_CORPUS_FILTER.contains(part), "{part}");
        }
        assert!(WITHOUT_CORPUS_FILTER.starts_with("not "));
    }
}
