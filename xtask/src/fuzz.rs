//! `cargo xtask fuzz [--cases N]`: runs every parser's fuzz target (the `fuzz_*` tests built on
//! the `ecs-fuzz` runner) on N generated cases in all and prints `fuzz: N cases, P panics`.
//!
//! The targets are listed by nextest, N is shared evenly between them (`ECS_FUZZ_CASES`), and
//! the printed counts are the ones the targets report (`ECS_FUZZ_REPORT`): executions that
//! happened, not cases that were asked for. Same build as CI (dev profile, one feature
//! resolution), so nothing is compiled again after `cargo xtask ci`.

use std::path::Path;

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

use crate::{cargo, flags};

/// The nextest filter that selects the fuzz targets.
pub(crate) const FILTER: &str = "test(/(^|::)fuzz_/)";
/// Cases in all when `--cases` is not given.
const DEFAULT_CASES: u64 = 1_000_000;

impl flags::Fuzz {
    pub(crate) fn run(self, sh: &Shell) -> Result<()> {
        run(sh, self.cases.unwrap_or(DEFAULT_CASES))
    }
}

/// Runs the targets on `cases` generated cases in all; fails on any panic or a short count.
pub(crate) fn run(sh: &Shell, cases: u64) -> Result<()> {
    let cargo = cargo();
    let features = crate::ci::FEATURES;
    let listed = cmd!(
        sh,
        "{cargo} nextest list --workspace --locked {features...} -E {FILTER} --message-format oneline"
    )
    .read()?;
    let targets = listed
        .lines()
        .filter(|line| !line.trim().is_empty())
        .count() as u64;
    if targets == 0 {
        bail!("no fuzz target found (nextest filter {FILTER})");
    }
    let per_target = cases.div_ceil(targets);
    let reports = crate::target_dir().join("fuzz-report");
    if reports.exists() {
        std::fs::remove_dir_all(&reports)
            .with_context(|| format!("cannot clear {}", reports.display()))?;
    }
    eprintln!("fuzz: {targets} targets, {per_target} cases each");
    let started = std::time::Instant::now();
    let outcome = {
        let _cases = sh.push_env("ECS_FUZZ_CASES", per_target.to_string());
        let _reports = sh.push_env("ECS_FUZZ_REPORT", &reports);
        cmd!(
            sh,
            "{cargo} nextest run --workspace --locked --no-fail-fast {features...} -E {FILTER}"
        )
        .run()
    };
    let seconds = started.elapsed().as_secs();
    let lines = read_reports(&reports)?;
    let summary = summarize(&lines)?;
    for line in &summary.table {
        println!("{line}");
    }
    println!(
        "fuzz: {} cases, {} panics ({} targets, {seconds} s)",
        summary.cases, summary.panics, summary.targets
    );
    if summary.panics > 0 {
        bail!("{} generated cases panicked", summary.panics);
    }
    outcome.context("a fuzz target failed")?;
    if summary.targets < targets || summary.cases < cases {
        bail!(
            "only {} of {targets} targets reported, {} of {cases} cases",
            summary.targets,
            summary.cases
        );
    }
    Ok(())
}

/// The report lines the targets wrote, one file each.
fn read_reports(dir: &Path) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    if !dir.is_dir() {
        return Ok(lines);
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        lines.extend(text.lines().map(str::to_owned));
    }
    lines.sort();
    Ok(lines)
}

/// Totals of the report lines (`target<TAB>cases<TAB>panics<TAB>ms`) and a table of them.
#[derive(Debug, PartialEq)]
struct Summary {
    targets: u64,
    cases: u64,
    panics: u64,
    table: Vec<String>,
}

fn summarize(lines: &[String]) -> Result<Summary> {
    let mut summary = Summary {
        targets: 0,
        cases: 0,
        panics: 0,
        table: Vec::new(),
    };
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        let [target, cases, panics, millis] = fields[..] else {
            bail!("a malformed fuzz report line: {line:?}");
        };
        let number = |text: &str| -> Result<u64> {
            text.parse()
                .with_context(|| format!("a malformed fuzz report line: {line:?}"))
        };
        let (cases, panics, millis) = (number(cases)?, number(panics)?, number(millis)?);
        summary.targets += 1;
        summary.cases += cases;
        summary.panics += panics;
        let rate = cases * 1000 / millis.max(1);
        summary.table.push(format!(
            "  {target:<40} {cases:>9} cases {panics:>4} panics {rate:>7} cases/s"
        ));
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_lines_are_summed_and_malformed_ones_refused() {
        let lines = vec!["a\t100\t0\t50".to_owned(), "b\t250\t2\t0".to_owned()];
        let summary = summarize(&lines).expect("well formed");
        assert_eq!(
            (summary.targets, summary.cases, summary.panics),
            (2, 350, 2)
        );
        assert!(
            summary.table[0].contains("2000 cases/s"),
            "{:?}",
            summary.table
        );
        assert!(summarize(&["a\t1\t0".to_owned()]).is_err());
        assert!(summarize(&["a\tx\t0\t1".to_owned()]).is_err());
    }
}
