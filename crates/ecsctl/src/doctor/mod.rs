//! `ecsctl doctor`: checks a store configuration end to end, from DNS to CORS, and says for
//! every check what was found and what to change.
//!
//! The checks run in the order a connection is built (configuration, name, socket, TLS, HTTP,
//! login, authorisation, ECS objects, S3, browser). A check whose prerequisite failed is
//! skipped rather than failing again for the same reason.

mod endpoint;
mod http;
mod mgmt;
mod net;
mod quota;
mod report;
mod tenancy;

use std::collections::HashMap;

use ecs_driver::{StoreConfig, keys};

pub(crate) use report::{Finding, Report};

/// Options of the doctor beyond the store details.
#[derive(Clone, Debug, Default)]
pub(crate) struct DoctorOptions {
    /// The origin the CloudStack UI is served from (`https://cloud.example.com`); defaults to
    /// the first of the store's `cors_origins`.
    pub(crate) ui_origin: Option<String>,
}

/// Runs every check against the store described by `details`.
pub(crate) async fn run(details: &HashMap<String, String>, options: &DoctorOptions) -> Report {
    let mut findings = Vec::new();
    let config = match StoreConfig::from_details(details) {
        Ok(config) => {
            findings.push(Finding::pass("config", describe_config(&config)));
            config
        }
        Err(err) => {
            findings.push(Finding::fail(
                "config",
                err.to_string(),
                "correct the store details named above (see `ecsctl doctor --help` for the keys)",
            ));
            return Report::new(findings);
        }
    };

    let probe = http::probe_client();
    let mgmt = endpoint::check("mgmt", config.mgmt_url(), &config, keys::MGMT_URL).await;
    let mgmt_usable = mgmt.usable;
    findings.extend(mgmt.findings);
    findings.push(clock_check(probe.as_ref(), &config, mgmt.reachable).await);

    let session = mgmt::check(&config, mgmt_usable, &mut findings).await;

    let private = endpoint::check(
        "s3-private",
        config.s3_private_url(),
        &config,
        private_key(details),
    )
    .await;
    let s3_usable = private.usable;
    findings.extend(private.findings);
    if let Ok(client) = &probe {
        findings.push(
            endpoint::s3_api_check(
                "s3-private.api",
                client,
                config.s3_private_url(),
                private.reachable,
            )
            .await,
        );
    }
    if config.s3_public_url() == config.s3_private_url() {
        findings.push(Finding::pass(
            "s3-public",
            format!(
                "same URL as the private endpoint ({})",
                config.s3_public_url()
            ),
        ));
    } else {
        let public = endpoint::check(
            "s3-public",
            config.s3_public_url(),
            &config,
            keys::S3_PUBLIC_URL,
        )
        .await;
        findings.extend(public.findings);
        if let Ok(client) = &probe {
            findings.push(
                endpoint::s3_api_check(
                    "s3-public.api",
                    client,
                    config.s3_public_url(),
                    public.reachable,
                )
                .await,
            );
        }
    }

    let origin = options
        .ui_origin
        .clone()
        .or_else(|| config.cors_origins().first().cloned());
    findings.extend(
        endpoint::cors_checks(
            probe.as_ref().ok(),
            &config,
            origin.as_deref(),
            session.as_ref(),
            s3_usable,
        )
        .await,
    );
    if let Some(session) = session {
        session.close().await;
    }
    Report::new(findings)
}

fn describe_config(config: &StoreConfig) -> String {
    format!(
        "management {} as {}, namespace {}, S3 {}{}",
        config.mgmt_url(),
        config.sa_user(),
        config.namespace(),
        config.s3_private_url(),
        if config.tls().is_insecure() {
            " (insecure TLS)"
        } else {
            ""
        }
    )
}

/// The key the private S3 URL came from, for fixes: `s3_private_url` when set, else the public one.
fn private_key(details: &HashMap<String, String>) -> &'static str {
    if details
        .get(keys::S3_PRIVATE_URL)
        .is_some_and(|url| !url.trim().is_empty())
    {
        keys::S3_PRIVATE_URL
    } else if details
        .get(keys::S3_PUBLIC_URL)
        .is_some_and(|url| !url.trim().is_empty())
    {
        keys::S3_PUBLIC_URL
    } else {
        keys::S3_HOST
    }
}

/// Largest skew that only warns; S3 refuses signatures beyond 15 minutes.
const SKEW_WARN_SECONDS: i64 = 30;
const SKEW_FAIL_SECONDS: i64 = 15 * 60;

async fn clock_check(
    probe: Result<&reqwest::Client, &String>,
    config: &StoreConfig,
    reachable: bool,
) -> Finding {
    const NAME: &str = "clock";
    if !reachable {
        return Finding::skip(NAME, "the management endpoint is unreachable");
    }
    let client = match probe {
        Ok(client) => client,
        Err(err) => return Finding::skip(NAME, err.clone()),
    };
    let mut url = config.mgmt_url().clone();
    url.set_path("/login");
    match http::clock_skew(client, &url).await {
        Err(err) => Finding::warn(NAME, err, "make sure the management URL points at ECS"),
        Ok(reading) => skew_finding(NAME, reading.seconds, &reading.server_date),
    }
}

fn skew_finding(name: &str, seconds: i64, server_date: &str) -> Finding {
    let direction = if seconds >= 0 { "ahead of" } else { "behind" };
    let detail = format!(
        "ECS says {server_date}: {}s {direction} this machine",
        seconds.unsigned_abs()
    );
    let fix = "synchronise both clocks with NTP (S3 refuses signatures more than 15 minutes off)";
    match seconds.abs() {
        s if s > SKEW_FAIL_SECONDS => Finding::fail(name, detail, fix),
        s if s > SKEW_WARN_SECONDS => Finding::warn(name, detail, fix),
        _ => Finding::pass(name, detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use report::Verdict;

    #[test]
    fn skew_verdicts_follow_the_limits() {
        assert_eq!(skew_finding("c", 2, "d").verdict, Verdict::Pass);
        assert_eq!(skew_finding("c", -120, "d").verdict, Verdict::Warn);
        let far = skew_finding("c", -3600, "d");
        assert_eq!(far.verdict, Verdict::Fail);
        assert!(far.detail.contains("3600s behind"), "{}", far.detail);
    }

    #[tokio::test]
    async fn invalid_details_fail_the_config_check_only() {
        let details: HashMap<String, String> = [("mgmt_url".to_owned(), "not a url".to_owned())]
            .into_iter()
            .collect();
        let report = run(&details, &DoctorOptions::default()).await;
        assert!(!report.ok);
        assert_eq!(report.checks.len(), 1);
        assert_eq!(report.checks[0].name, "config");
        assert!(
            report.checks[0].detail.contains("mgmt_url"),
            "{:?}",
            report.checks[0]
        );
    }
}
