//! The connectivity check behind "add object storage": login, role, namespace, replication
//! group, S3 reachability and the TLS outcome, each reported with a fix when it fails.

use ecs_common::{Error, ErrorKind, SecretString};
use ecs_mgmt::{EcsMgmtClient, NamespaceInfo, WhoAmI};
use ecs_s3::ClientConfig;

use super::{EcsObjectStore, ecs_version};
use crate::diagnose::{
    self, GroupVerdict, NamespaceLookup, Patience, RoleVerdict, WantedGroup, group_names,
    judge_group, look_up_namespace, roles_text,
};
use crate::{Check, CheckReport};

/// A bucket name no one owns, probed to see whether the S3 endpoint answers.
const PROBE_BUCKET: &str = "cloudstack-connectivity-probe";

impl EcsObjectStore {
    /// Checks everything the store needs, with a separate management session that is logged
    /// out afterwards (the store's own session is untouched). Never fails: problems are in the
    /// report.
    pub async fn check(&self) -> CheckReport {
        if let Err(err) = self.ensure_open() {
            return CheckReport::new(vec![Check::fail("store", err.to_string())]);
        }
        let mut checks = vec![self.tls_check()];
        match diagnose::mgmt_client(self.config(), Patience::Normal) {
            Ok(client) => {
                self.mgmt_checks(&client, &mut checks).await;
                client.close().await;
            }
            Err(err) => checks.push(Check::fail("login", err.to_string())),
        }
        checks.push(self.s3_check().await);
        CheckReport::new(checks)
    }

    fn tls_check(&self) -> Check {
        let tls = self.config().tls();
        let detail = if tls.is_insecure() {
            "certificate verification is OFF (insecure=true); use ca_cert instead in production"
                .to_owned()
        } else if tls.extra_roots().is_empty() {
            "certificates are verified against the system roots".to_owned()
        } else {
            format!(
                "certificates are verified against the system roots and {} extra CA certificate(s)",
                tls.extra_roots().len()
            )
        };
        Check::pass("tls", detail)
    }

    async fn mgmt_checks(&self, client: &EcsMgmtClient, checks: &mut Vec<Check>) {
        let me = match client.whoami().await {
            Ok(me) => me,
            Err(err) => {
                checks.push(Check::fail(
                    "login",
                    explain(&err, "mgmt_url", "sa_user and sa_password"),
                ));
                for name in ["role", "namespace", "replication_group", "ecs_version"] {
                    checks.push(Check::fail(name, "not checked: the login failed"));
                }
                return;
            }
        };
        checks.push(Check::pass(
            "login",
            format!(
                "logged in to {} as {}",
                self.config().mgmt_endpoint(),
                me.common_name
            ),
        ));
        checks.push(self.role_check(&me));
        if let Some(check) = self.tenancy_check(&me).await {
            checks.push(check);
        }
        match look_up_namespace(client, self.config().namespace()).await {
            NamespaceLookup::Found(info) => {
                checks.push(Check::pass(
                    "namespace",
                    format!("namespace {} exists", info.name),
                ));
                checks.push(self.replication_group_check(client, &info).await);
            }
            failed => {
                let detail = match failed {
                    NamespaceLookup::Failed(err) => {
                        explain(&err, "mgmt_url", "sa_user and sa_password")
                    }
                    _ => format!(
                        "namespace {} does not exist; create it or fix the namespace detail",
                        self.config().namespace()
                    ),
                };
                checks.push(Check::fail("namespace", detail));
                checks.push(Check::fail(
                    "replication_group",
                    "not checked: the namespace is unknown",
                ));
            }
        }
        let (check, release) = ecs_version::version_check(client, self.config().features()).await;
        if let Some(release) = release {
            // Registration learns the release once; the store's calls then need not ask.
            let _ = self.inner.ecs_release.set(release);
        }
        checks.push(check);
    }

    /// In `domain` tenancy: the service account must be a System Admin (it creates the
    /// domains' namespaces), and the store's namespace must hold no buckets of its accounts
    /// made in `shared` tenancy (a store that holds buckets cannot switch). `None` in `shared`
    /// tenancy.
    async fn tenancy_check(&self, me: &WhoAmI) -> Option<Check> {
        let tenancy = self.config().tenancy().domain()?;
        if !me.roles.contains(&ecs_mgmt::Role::SystemAdmin) {
            return Some(Check::fail(
                "tenancy",
                format!(
                    "tenancy=domain creates a namespace per CloudStack domain, which needs \
                     SYSTEM_ADMIN; {} has roles [{}]",
                    me.common_name,
                    roles_text(me)
                ),
            ));
        }
        Some(match self.shared_buckets().await {
            Ok(None) => Check::pass(
                "tenancy",
                format!(
                    "each CloudStack domain gets its own namespace {}<domain uuid>, created on \
                     first use",
                    tenancy.prefix()
                ),
            ),
            Ok(Some(refusal)) => Check::fail("tenancy", refusal.to_string()),
            Err(err) => Check::fail(
                "tenancy",
                explain(&err, "mgmt_url", "sa_user and sa_password"),
            ),
        })
    }

    fn role_check(&self, me: &WhoAmI) -> Check {
        if RoleVerdict::of(me, self.config().namespace()).is_sufficient() {
            Check::pass(
                "role",
                format!(
                    "{} may manage namespace {} ({})",
                    me.common_name,
                    self.config().namespace(),
                    roles_text(me)
                ),
            )
        } else {
            Check::fail(
                "role",
                format!(
                    "{} has roles [{}]; it needs SYSTEM_ADMIN or NAMESPACE_ADMIN of {}",
                    me.common_name,
                    roles_text(me),
                    self.config().namespace()
                ),
            )
        }
    }

    async fn replication_group_check(
        &self,
        client: &EcsMgmtClient,
        namespace: &NamespaceInfo,
    ) -> Check {
        let wanted = match diagnose::wanted_group(self.config(), Some(namespace)) {
            WantedGroup::Configured(wanted) => wanted,
            WantedGroup::NamespaceDefault(default) => {
                return Check::pass(
                    "replication_group",
                    format!("buckets use the namespace default {default}"),
                );
            }
            WantedGroup::NoDefault | WantedGroup::Unknown => {
                return Check::fail(
                    "replication_group",
                    "the namespace has no default replication group; set replication_group",
                );
            }
        };
        let groups = match client.replication_groups().list().await {
            Ok(groups) => groups,
            Err(err) => {
                return Check::fail(
                    "replication_group",
                    explain(&err, "mgmt_url", "sa_user and sa_password"),
                );
            }
        };
        match judge_group(&groups, wanted, Some(namespace)) {
            GroupVerdict::Usable(group) => Check::pass(
                "replication_group",
                format!("replication group {} ({}) is usable", group.name, group.id),
            ),
            GroupVerdict::Missing => Check::fail(
                "replication_group",
                format!(
                    "replication group {wanted} does not exist (known: {})",
                    group_names(&groups)
                ),
            ),
            GroupVerdict::Inactive(group) | GroupVerdict::NotAllowed(group) => Check::fail(
                "replication_group",
                format!(
                    "replication group {} is inactive or not allowed in namespace {}",
                    group.name,
                    self.config().namespace()
                ),
            ),
        }
    }

    /// Probes the private S3 URL with made-up credentials: any S3 answer (even "access
    /// denied") proves it is reachable.
    async fn s3_check(&self) -> Check {
        let config = self.config();
        let probe = ClientConfig::builder()
            .endpoint(config.s3_endpoint())
            .credentials(
                "cloudstack-connectivity-check",
                SecretString::from("not-a-real-secret".to_owned()),
            )
            .tls(config.tls().clone())
            .max_attempts(1)
            .build();
        let client = match probe {
            Ok(client) => client,
            Err(err) => return Check::fail("s3", err.to_string()),
        };
        match client.bucket_exists(PROBE_BUCKET).await {
            Ok(_) => Check::pass("s3", format!("S3 answers at {}", config.s3_endpoint())),
            Err(err) if err.status().is_some() => {
                Check::pass("s3", format!("S3 answers at {}", config.s3_endpoint()))
            }
            Err(err) => Check::fail("s3", explain(&err, "s3_private_url", "the S3 endpoint")),
        }
    }
}

/// A failure in words an administrator can act on.
fn explain(err: &Error, url_key: &str, credentials: &str) -> String {
    let hint = match err.kind() {
        ErrorKind::Unauthorized => format!("check {credentials}"),
        ErrorKind::Forbidden => "the account lacks permission".to_owned(),
        ErrorKind::TokenLimit => {
            "the user holds too many sessions; log some out or wait".to_owned()
        }
        ErrorKind::Tls => {
            "the certificate is not trusted: set ca_cert (PEM), or insecure=true for tests"
                .to_owned()
        }
        ErrorKind::Connect | ErrorKind::Timeout => {
            format!("cannot reach {url_key}; check the URL, port and firewall")
        }
        _ => format!("check {url_key}"),
    };
    format!("{err} ({hint})")
}
