//! `ecs-fuzz`: the generated-input runner every parser's fuzz target uses, and the generators
//! of hostile text (XML and JSON documents, mutated seeds, awkward scalars) they share.
//!
//! A target is one `#[test]` named `fuzz_<what>` that calls [`check`] with a `proptest`
//! strategy and the property (usually: "parsing this never panics, and what parses is
//! consistent"). [`check`] runs the property on as many generated values as
//! [`CASES_VAR`] asks (default [`DEFAULT_CASES`]), counts every execution and every panic, keeps
//! going after a panic, shrinks the first failing value, and writes one report line for
//! `cargo xtask fuzz` when [`REPORT_VAR`] names a directory. Runs are deterministic: the seed is
//! derived from the target's name (and [`SEED_VAR`], when set).
#![deny(missing_docs)]

use std::cell::RefCell;
use std::fmt::Debug;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Once;
use std::time::{Duration, Instant};

pub use proptest;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

mod generate;

pub use generate::{
    awkward_text, bytes, json_doc, json_value, mutated, scalar_text, text_from, xml_doc,
};

/// Environment variable: generated cases per target (an integer).
pub const CASES_VAR: &str = "ECS_FUZZ_CASES";
/// Environment variable: a directory where each target writes `<target>.tsv`, one line
/// `target<TAB>cases<TAB>panics<TAB>milliseconds`.
pub const REPORT_VAR: &str = "ECS_FUZZ_REPORT";
/// Environment variable: a number mixed into every target's seed (another run, other inputs).
pub const SEED_VAR: &str = "ECS_FUZZ_SEED";
/// Cases per target when [`CASES_VAR`] is not set: the quick run of every `cargo nextest`.
pub const DEFAULT_CASES: u64 = 256;
/// Re-runs spent at most on shrinking the first failing value.
const SHRINK_BUDGET: u32 = 4096;

/// What one target's run found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The target's name.
    pub target: String,
    /// Generated values the property ran on (shrinking runs not counted).
    pub cases: u64,
    /// Of those, the runs that panicked.
    pub panics: u64,
    /// The smallest failing value found (its `Debug` form) and its panic message.
    pub smallest: Option<(String, String)>,
    /// Wall time of the run.
    pub elapsed: Duration,
}

thread_local! {
    /// Set while a property runs on this thread: panics are recorded, not printed.
    static CAPTURE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that keeps a property's panic message instead of printing it,
/// and leaves every other panic to the previous hook.
fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let captured = CAPTURE.with(|slot| {
                let mut slot = slot.borrow_mut();
                match slot.as_mut() {
                    Some(message) => {
                        *message = info.to_string();
                        true
                    }
                    None => false,
                }
            });
            if !captured {
                previous(info);
            }
        }));
    });
}

/// Runs `property` on one value; `Err(message)` when it panicked.
fn run_one<V>(property: &impl Fn(V), value: V) -> Result<(), String> {
    CAPTURE.with(|slot| *slot.borrow_mut() = Some(String::new()));
    let result = catch_unwind(AssertUnwindSafe(|| property(value)));
    let message = CAPTURE
        .with(|slot| slot.borrow_mut().take())
        .unwrap_or_default();
    result.map_err(|_| message)
}

/// The cases a target runs: [`CASES_VAR`], else `default`.
pub fn cases_wanted(default: u64) -> u64 {
    std::env::var(CASES_VAR)
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(default)
}

/// The deterministic seed of a target (FNV-1a of its name, mixed with [`SEED_VAR`]).
fn seed_of(target: &str) -> [u8; 32] {
    let extra: u64 = std::env::var(SEED_VAR)
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(0);
    let mut seed = [0u8; 32];
    for (lane, chunk) in seed.chunks_mut(8).enumerate() {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ extra.rotate_left(lane as u32 * 16);
        for byte in target.bytes().chain([lane as u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        chunk.copy_from_slice(&hash.to_le_bytes());
    }
    seed
}

/// Runs `property` on `cases` values drawn from `strategy`; never panics itself.
pub fn run<S>(target: &str, cases: u64, strategy: S, property: impl Fn(S::Value)) -> Outcome
where
    S: Strategy,
    S::Value: Debug,
{
    install_hook();
    let started = Instant::now();
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_of(target));
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let mut outcome = Outcome {
        target: target.to_owned(),
        cases: 0,
        panics: 0,
        smallest: None,
        elapsed: Duration::ZERO,
    };
    let mut rejected = 0u64;
    while outcome.cases < cases {
        let mut tree = match strategy.new_tree(&mut runner) {
            Ok(tree) => tree,
            Err(_) => {
                // A filtered strategy may reject; a strategy that only rejects is a bug.
                rejected += 1;
                assert!(rejected < cases.max(1000), "{target}: the strategy rejects");
                continue;
            }
        };
        outcome.cases += 1;
        if let Err(message) = run_one(&property, tree.current()) {
            outcome.panics += 1;
            if outcome.smallest.is_none() {
                outcome.smallest = Some(shrink(&mut tree, &property, message));
            }
        }
    }
    outcome.elapsed = started.elapsed();
    outcome
}

/// Shrinks a failing value tree within [`SHRINK_BUDGET`] runs: the smallest failing value's
/// `Debug` form and its panic message.
fn shrink<T>(tree: &mut T, property: &impl Fn(T::Value), message: String) -> (String, String)
where
    T: ValueTree,
    T::Value: Debug,
{
    let mut smallest = (format!("{:?}", tree.current()), message);
    if !tree.simplify() {
        return smallest;
    }
    for _ in 0..SHRINK_BUDGET {
        match run_one(property, tree.current()) {
            Err(message) => {
                smallest = (format!("{:?}", tree.current()), message);
                if !tree.simplify() {
                    break;
                }
            }
            Ok(()) => {
                if !tree.complicate() {
                    break;
                }
            }
        }
    }
    smallest
}

/// One report line: `target<TAB>cases<TAB>panics<TAB>milliseconds`.
fn report_line(outcome: &Outcome) -> String {
    format!(
        "{}\t{}\t{}\t{}\n",
        outcome.target,
        outcome.cases,
        outcome.panics,
        outcome.elapsed.as_millis()
    )
}

/// Writes the outcome's report line into [`REPORT_VAR`]'s directory, when set.
fn report(outcome: &Outcome) {
    let Some(dir) = std::env::var_os(REPORT_VAR).map(PathBuf::from) else {
        return;
    };
    let line = report_line(outcome);
    let path = dir.join(format!("{}.tsv", outcome.target));
    if let Err(error) = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, line)) {
        panic!("cannot write the fuzz report {}: {error}", path.display());
    }
}

/// The fuzz target's body: runs [`cases_wanted`]`(`[`DEFAULT_CASES`]`)` cases, reports, and
/// fails (naming the smallest failing input and its panic) when any case panicked.
pub fn check<S>(target: &str, strategy: S, property: impl Fn(S::Value))
where
    S: Strategy,
    S::Value: Debug,
{
    let outcome = run(target, cases_wanted(DEFAULT_CASES), strategy, property);
    report(&outcome);
    eprintln!(
        "fuzz target {}: {} cases, {} panics, {} ms",
        outcome.target,
        outcome.cases,
        outcome.panics,
        outcome.elapsed.as_millis()
    );
    if let Some((value, message)) = &outcome.smallest {
        panic!(
            "{}: {} of {} cases panicked; smallest input: {value}\npanic: {message}",
            outcome.target, outcome.panics, outcome.cases
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_case_and_every_panic_and_shrinks_the_first() {
        let outcome = run("self-test", 500, 0u32..1000, |n| {
            assert!(n < 700, "too big: {n}");
        });
        assert_eq!(outcome.cases, 500);
        assert!(outcome.panics > 50, "{outcome:?}");
        let (value, message) = outcome.smallest.expect("a failure is kept");
        assert_eq!(value, "700", "shrunk to the boundary");
        assert!(message.contains("too big: 700"), "{message}");
    }

    #[test]
    fn a_clean_property_has_no_panics_and_runs_are_deterministic() {
        let seen = RefCell::new(Vec::new());
        let first = run("determinism", 50, any::<u64>(), |n| {
            seen.borrow_mut().push(n)
        });
        let again = RefCell::new(Vec::new());
        run("determinism", 50, any::<u64>(), |n| {
            again.borrow_mut().push(n)
        });
        assert_eq!(first.panics, 0);
        assert_eq!(first.cases, 50);
        assert_eq!(seen.into_inner(), again.into_inner());
    }

    #[test]
    fn the_report_line_is_what_xtask_reads() {
        let outcome = Outcome {
            target: "t1".to_owned(),
            cases: 12,
            panics: 1,
            smallest: None,
            elapsed: Duration::from_millis(7),
        };
        assert_eq!(report_line(&outcome), "t1\t12\t1\t7\n");
    }
}
