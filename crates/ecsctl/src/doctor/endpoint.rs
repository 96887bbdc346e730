//! Checks of one endpoint (management or S3): DNS, TCP, TLS, whether it speaks S3, and CORS.

use ecs_driver::{StoreConfig, keys};
use url::Url;

use super::http::{self, S3Answer};
use super::mgmt::Session;
use super::net::{self, CertProblem, Target, TlsOutcome};
use super::report::Finding;

/// The findings for one endpoint and what later checks may rely on.
#[derive(Debug)]
pub(crate) struct EndpointChecks {
    pub(crate) findings: Vec<Finding>,
    /// A TCP connection succeeded.
    pub(crate) reachable: bool,
    /// The driver's clients can talk to it: reachable, and TLS acceptable as configured.
    pub(crate) usable: bool,
}

/// DNS, TCP and (for https) TLS checks of `url`; `key` is the detail key it came from.
pub(crate) async fn check(
    label: &str,
    url: &Url,
    config: &StoreConfig,
    key: &str,
) -> EndpointChecks {
    let mut findings = Vec::new();
    let name = |check: &str| format!("{label}.{check}");
    let target = match Target::from_url(url) {
        Ok(target) => target,
        Err(err) => {
            findings.push(Finding::fail(name("url"), err, format!("correct {key}")));
            return EndpointChecks {
                findings,
                reachable: false,
                usable: false,
            };
        }
    };

    let addrs = match net::resolve(&target).await {
        Ok(addrs) => {
            let list: Vec<_> = addrs.iter().map(|addr| addr.ip().to_string()).collect();
            findings.push(Finding::pass(
                name("dns"),
                format!("{} resolves to {}", target.host, list.join(", ")),
            ));
            addrs
        }
        Err(err) => {
            findings.push(Finding::fail(
                name("dns"),
                err,
                format!("check the host name in {key}, or the DNS servers of this machine (/etc/resolv.conf)"),
            ));
            return EndpointChecks {
                findings,
                reachable: false,
                usable: false,
            };
        }
    };

    let addr = match net::connect(&addrs).await {
        Ok(addr) => {
            findings.push(Finding::pass(name("tcp"), format!("connected to {addr}")));
            addr
        }
        Err(err) => {
            findings.push(Finding::fail(
                name("tcp"),
                format!("cannot connect to {}: {err}", target.authority()),
                format!(
                    "check the port in {key} (ECS: management 4443, S3 9020 http / 9021 https), \
                     that ECS is up, and that no firewall blocks this machine"
                ),
            ));
            return EndpointChecks {
                findings,
                reachable: false,
                usable: false,
            };
        }
    };

    if !target.https {
        findings.push(Finding::warn(
            name("tls"),
            format!("{key} uses plain http: passwords and keys cross the network unencrypted"),
            format!("use https in {key} (ECS: management 4443, S3 9021)"),
        ));
        return EndpointChecks {
            findings,
            reachable: true,
            usable: true,
        };
    }
    let (finding, usable) = tls_finding(
        name("tls"),
        net::probe_tls(addr, &target, config.tls()).await,
        config.tls().is_insecure(),
    );
    findings.push(finding);
    EndpointChecks {
        findings,
        reachable: true,
        usable,
    }
}

/// The TLS verdict, including what `insecure=true` hides or would hide.
fn tls_finding(name: String, outcome: TlsOutcome, insecure: bool) -> (Finding, bool) {
    match outcome {
        TlsOutcome::Verified { certificate } => {
            let cert = certificate.unwrap_or_else(|| "a certificate".to_owned());
            if insecure {
                let finding = Finding::warn(
                    name,
                    format!(
                        "the certificate verifies ({cert}), yet insecure=true turns verification off"
                    ),
                    format!("remove {} (or set it to false)", keys::INSECURE),
                );
                (finding, true)
            } else {
                (
                    Finding::pass(name, format!("certificate verified: {cert}")),
                    true,
                )
            }
        }
        TlsOutcome::Refused {
            problem,
            reason,
            certificate,
        } => {
            let presented = certificate
                .map(|cert| format!("; the server presents {cert}"))
                .unwrap_or_default();
            let fix = tls_fix(problem);
            if insecure {
                let detail = format!("insecure=true hides this: {reason}{presented}");
                (
                    Finding::warn(
                        name,
                        detail,
                        format!("{fix}, then remove {}", keys::INSECURE),
                    ),
                    true,
                )
            } else {
                let detail = format!("{reason}{presented}");
                let fix = format!(
                    "{fix}. Setting {}=true would make this pass by accepting any certificate, \
                     including an attacker's",
                    keys::INSECURE
                );
                (Finding::fail(name, detail, fix), false)
            }
        }
        TlsOutcome::Broken { reason } => {
            let fix = "check that this port serves https (ECS: management 4443, S3 9021; 9020 is plain http)";
            (Finding::fail(name, reason, fix), false)
        }
    }
}

fn tls_fix(problem: CertProblem) -> String {
    match problem {
        CertProblem::UnknownIssuer => format!(
            "put the PEM of the CA that issued the ECS certificate into {} (or into this machine's \
             trust store); if {} is set, it is not that CA",
            keys::CA_CERT,
            keys::CA_CERT
        ),
        CertProblem::WrongName => {
            "use a host name the certificate lists, or reissue the certificate \
             with this name in its subject alternative names"
                .to_owned()
        }
        CertProblem::Dates => {
            "renew the certificate, and check the clocks of ECS and this machine".to_owned()
        }
        CertProblem::Other => "replace the certificate with one signed by a trusted CA".to_owned(),
    }
}

/// Whether `url` answers like S3 (an anonymous `GET /` gives an S3 error document or a list).
pub(crate) async fn s3_api_check(
    name: &str,
    client: &reqwest::Client,
    url: &Url,
    reachable: bool,
) -> Finding {
    if !reachable {
        return Finding::skip(name, "the endpoint is unreachable");
    }
    match http::probe_s3(client, url).await {
        Ok(S3Answer::S3 { status, code }) => Finding::pass(
            name,
            format!(
                "speaks S3 (anonymous request answered {status}{})",
                code.map(|code| format!(" {code}")).unwrap_or_default()
            ),
        ),
        Ok(S3Answer::NotS3 { status, snippet }) => Finding::fail(
            name,
            format!("answers HTTP {status} but not like S3: {snippet:?}"),
            "point the S3 URL at the ECS S3 service (ports 9020 http / 9021 https), not the management API",
        ),
        Err(err) => Finding::fail(name, err, "check the S3 URL and that the S3 service is up"),
    }
}

/// The CORS checks: does the store configure the UI origin, and does a live bucket allow it.
pub(crate) async fn cors_checks(
    client: Option<&reqwest::Client>,
    config: &StoreConfig,
    origin: Option<&str>,
    session: Option<&Session>,
    s3_usable: bool,
) -> Vec<Finding> {
    let Some(origin) = origin else {
        return vec![Finding::warn(
            "cors",
            "no UI origin known: neither --ui-origin nor cors_origins is set, so new buckets get no \
             CORS rule and the CloudStack UI cannot browse them from the browser",
            format!(
                "set {} to the URL the CloudStack UI is served from, e.g. https://cloud.example.com",
                keys::CORS_ORIGINS
            ),
        )];
    };
    let mut findings = vec![config_cors_finding(config, origin)];
    findings.push(live_cors_finding(client, config, origin, session, s3_usable).await);
    findings
}

fn config_cors_finding(config: &StoreConfig, origin: &str) -> Finding {
    let listed = config
        .cors_origins()
        .iter()
        .any(|allowed| allowed.eq_ignore_ascii_case(origin));
    if listed {
        Finding::pass("cors.config", format!("new buckets allow {origin}"))
    } else {
        Finding::fail(
            "cors.config",
            format!(
                "{} does not list {origin}: new buckets will refuse the UI's requests",
                keys::CORS_ORIGINS
            ),
            format!("add {origin} to {}", keys::CORS_ORIGINS),
        )
    }
}

async fn live_cors_finding(
    client: Option<&reqwest::Client>,
    config: &StoreConfig,
    origin: &str,
    session: Option<&Session>,
    s3_usable: bool,
) -> Finding {
    const NAME: &str = "cors.bucket";
    let (Some(client), Some(session), true) = (client, session, s3_usable) else {
        return Finding::skip(NAME, "needs a working login and S3 endpoint");
    };
    let bucket = match session.sample_bucket(config.namespace()).await {
        Ok(Some(bucket)) => bucket,
        Ok(None) => {
            return Finding::skip(
                NAME,
                format!("namespace {} has no bucket to try", config.namespace()),
            );
        }
        Err(err) => return Finding::skip(NAME, format!("cannot list buckets: {err}")),
    };
    let object = format!(
        "{}/{bucket}/ecsctl-doctor-probe",
        config.s3_public_url().as_str().trim_end_matches('/')
    );
    let Ok(object_url) = Url::parse(&object) else {
        return Finding::skip(NAME, format!("cannot build a URL for bucket {bucket}"));
    };
    match http::cors_preflight(client, &object_url, origin, "PUT").await {
        Ok(preflight) if preflight.allows(origin, "PUT") => Finding::pass(
            NAME,
            format!("bucket {bucket} allows uploads from {origin}"),
        ),
        Ok(preflight) => Finding::warn(
            NAME,
            format!(
                "bucket {bucket} refuses a preflight from {origin} (status {}, allow-origin {:?})",
                preflight.status, preflight.allow_origin
            ),
            "buckets created before cors_origins was set keep their old rule: set their CORS rule again",
        ),
        Err(err) => Finding::warn(NAME, err, "check the public S3 URL"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::report::Verdict;

    fn refused() -> TlsOutcome {
        TlsOutcome::Refused {
            problem: CertProblem::UnknownIssuer,
            reason: "the certificate is not signed by a trusted CA (unknown issuer)".into(),
            certificate: Some("subject \"CN=ecs\"".into()),
        }
    }

    #[test]
    fn refused_certificate_fails_and_warns_about_insecure() {
        let (finding, usable) = tls_finding("mgmt.tls".into(), refused(), false);
        assert_eq!(finding.verdict, Verdict::Fail);
        assert!(!usable);
        assert!(
            finding.detail.contains("unknown issuer"),
            "{}",
            finding.detail
        );
        let fix = finding.fix.unwrap();
        assert!(
            fix.contains("ca_cert") && fix.contains("insecure=true"),
            "{fix}"
        );
    }

    #[test]
    fn insecure_hides_a_refusal_and_says_so() {
        let (finding, usable) = tls_finding("mgmt.tls".into(), refused(), true);
        assert_eq!(finding.verdict, Verdict::Warn);
        assert!(usable);
        assert!(
            finding.detail.starts_with("insecure=true hides this"),
            "{}",
            finding.detail
        );
    }

    #[test]
    fn needless_insecure_is_a_warning() {
        let outcome = TlsOutcome::Verified { certificate: None };
        let (finding, _) = tls_finding("s3.tls".into(), outcome, true);
        assert_eq!(finding.verdict, Verdict::Warn);
    }
}
