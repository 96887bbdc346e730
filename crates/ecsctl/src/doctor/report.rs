//! The doctor's findings: one [`Finding`] per check, with a verdict and, when it failed, a fix.

use std::fmt::Write as _;

use serde::Serialize;

/// How a check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Verdict {
    /// The check passed.
    Pass,
    /// It works, but something is risky or will bite later.
    Warn,
    /// It does not work; CloudStack will fail here.
    Fail,
    /// Not checked, because an earlier check failed or nothing was configured.
    Skip,
}

impl Verdict {
    fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "ok",
            Verdict::Warn => "warn",
            Verdict::Fail => "FAIL",
            Verdict::Skip => "skip",
        }
    }
}

/// One check's outcome.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Finding {
    /// A stable, short name (`mgmt.tls`, `login`).
    pub(crate) name: String,
    /// The verdict.
    pub(crate) verdict: Verdict,
    /// What was found, in one or two sentences.
    pub(crate) detail: String,
    /// What to change, when something is wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) fix: Option<String>,
}

impl Finding {
    pub(crate) fn pass(name: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::new(name, Verdict::Pass, detail, None)
    }

    pub(crate) fn warn(
        name: impl Into<String>,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self::new(name, Verdict::Warn, detail, Some(fix.into()))
    }

    pub(crate) fn fail(
        name: impl Into<String>,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self::new(name, Verdict::Fail, detail, Some(fix.into()))
    }

    pub(crate) fn skip(name: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::new(name, Verdict::Skip, detail, None)
    }

    fn new(
        name: impl Into<String>,
        verdict: Verdict,
        detail: impl Into<String>,
        fix: Option<String>,
    ) -> Self {
        Finding {
            name: name.into(),
            verdict,
            detail: detail.into(),
            fix,
        }
    }
}

/// Every finding of one doctor run.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Report {
    /// No check failed.
    pub(crate) ok: bool,
    /// The findings, in the order they were checked.
    pub(crate) checks: Vec<Finding>,
}

impl Report {
    pub(crate) fn new(checks: Vec<Finding>) -> Self {
        let ok = checks
            .iter()
            .all(|finding| finding.verdict != Verdict::Fail);
        Report { ok, checks }
    }

    fn count(&self, verdict: Verdict) -> usize {
        self.checks
            .iter()
            .filter(|finding| finding.verdict == verdict)
            .count()
    }

    /// The report for a terminal: one line per check, its fix indented below it.
    pub(crate) fn to_human(&self) -> String {
        let width = self
            .checks
            .iter()
            .map(|finding| finding.name.len())
            .max()
            .unwrap_or(0);
        let mut out = String::new();
        for finding in &self.checks {
            let label = finding.verdict.label();
            let _ = writeln!(
                out,
                "[{label:>4}] {:width$}  {}",
                finding.name, finding.detail
            );
            if let Some(fix) = &finding.fix {
                let _ = writeln!(out, "       {:width$}  fix: {fix}", "");
            }
        }
        let _ = writeln!(
            out,
            "\n{}: {} ok, {} warnings, {} failed, {} skipped",
            if self.ok {
                "store looks healthy"
            } else {
                "store has problems"
            },
            self.count(Verdict::Pass),
            self.count(Verdict::Warn),
            self.count(Verdict::Fail),
            self.count(Verdict::Skip),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_failure_makes_the_report_not_ok_and_prints_its_fix() {
        let report = Report::new(vec![
            Finding::pass("dns", "ecs resolves to 10.0.0.1"),
            Finding::fail("login", "password refused", "check sa_password"),
            Finding::skip("roles", "login failed"),
        ]);
        assert!(!report.ok);
        let text = report.to_human();
        assert!(text.contains("[FAIL] login"), "{text}");
        assert!(text.contains("fix: check sa_password"), "{text}");
        assert!(
            text.contains("1 ok, 0 warnings, 1 failed, 1 skipped"),
            "{text}"
        );
    }

    #[test]
    fn warnings_keep_the_report_ok() {
        let report = Report::new(vec![Finding::warn("tls", "insecure", "remove insecure")]);
        assert!(report.ok);
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["checks"][0]["verdict"], "warn");
    }
}
