//! Checks through the Management API: login, roles, namespace, replication group, the
//! namespace quota and the tenancy.

use ecs_driver::diagnose::{
    self, GroupVerdict, NamespaceLookup, Patience, RoleVerdict, WantedGroup, group_names,
    judge_group, look_up_namespace, roles_text,
};
use ecs_driver::mgmt::{EcsMgmtClient, NamespaceInfo, WhoAmI};
use ecs_driver::{Error, ErrorKind, StoreConfig, keys};

use super::report::Finding;

/// A logged-in management session, kept for the checks that follow (CORS needs a bucket).
#[derive(Debug)]
pub(crate) struct Session {
    client: EcsMgmtClient,
}

impl Session {
    /// The name of some bucket of `namespace`, if it has one.
    pub(crate) async fn sample_bucket(&self, namespace: &str) -> Result<Option<String>, Error> {
        let page = self.client.buckets().list_page(namespace, None).await?;
        Ok(page.items.into_iter().next().map(|bucket| bucket.name))
    }

    /// Logs out.
    pub(crate) async fn close(self) {
        self.client.close().await;
    }
}

/// Names of the checks this module runs, in order.
const CHECKS: [&str; 6] = [
    "login",
    "roles",
    "namespace",
    "replication-group",
    super::quota::CHECK,
    super::tenancy::CHECK,
];

/// Runs login, roles, namespace and replication-group checks, appending findings; returns
/// the session when login worked.
pub(crate) async fn check(
    config: &StoreConfig,
    usable: bool,
    findings: &mut Vec<Finding>,
) -> Option<Session> {
    if !usable {
        skip_from(
            0,
            "the management endpoint is not usable (see above)",
            findings,
        );
        return None;
    }
    let client = match diagnose::mgmt_client(config, Patience::Diagnostic) {
        Ok(client) => client,
        Err(err) => {
            findings.push(Finding::fail(
                "login",
                err.to_string(),
                "correct the store details",
            ));
            skip_from(1, "login failed", findings);
            return None;
        }
    };
    if let Err(err) = client.login().await {
        findings.push(login_failure(config, &err));
        skip_from(1, "login failed", findings);
        return None;
    }
    findings.push(Finding::pass(
        "login",
        format!("logged in as {}", config.sa_user()),
    ));

    findings.push(match client.whoami().await {
        Ok(who) => roles_finding(config, &who),
        Err(err) => Finding::fail(
            "roles",
            format!("cannot read the user's roles: {err}"),
            "check the user's roles in the ECS portal",
        ),
    });
    let namespace_info = match namespace_check(&client, config).await {
        Ok(info) => {
            findings.push(Finding::pass(
                "namespace",
                format!("namespace {} exists", info.name),
            ));
            Some(info)
        }
        Err(finding) => {
            findings.push(finding);
            None
        }
    };
    let namespace_found = namespace_info.is_some();
    findings.push(replication_group_check(&client, config, namespace_info.as_deref()).await);
    findings.push(if namespace_found {
        super::quota::check(&client, config).await
    } else {
        Finding::skip(super::quota::CHECK, "the namespace was not found")
    });
    findings.push(super::tenancy::check(&client, config).await);
    Some(Session { client })
}

fn skip_from(index: usize, reason: &str, findings: &mut Vec<Finding>) {
    findings.extend(
        CHECKS[index..]
            .iter()
            .map(|name| Finding::skip(*name, reason)),
    );
}

fn login_failure(config: &StoreConfig, err: &Error) -> Finding {
    let user = config.sa_user();
    let (detail, fix) = match err.kind() {
        // ECS answers both a wrong password and a full token table with 401 and code 4000;
        // only its text tells them apart, so the finding shows that text and covers both.
        ErrorKind::Unauthorized | ErrorKind::TokenLimit => (
            format!("ECS refused to log in {user} ({err})"),
            format!(
                "check {} and {}: they must name an ECS management user (ECS portal: Manage > \
                 Users > Management Users), not an object user; repeated failures may lock the \
                 user. If ECS says the maximum number of tokens is exceeded, log the user's other \
                 sessions out or wait for their tokens to expire",
                keys::SA_USER,
                keys::SA_PASSWORD
            ),
        ),
        ErrorKind::Forbidden => (
            format!("{user} may not log in to the Management API ({err})"),
            "give the user a management role (System Admin, or Namespace Admin of the store's \
             namespace)"
                .to_owned(),
        ),
        ErrorKind::Tls => (
            err.to_string(),
            format!(
                "see the mgmt.tls check; set {} to the right CA",
                keys::CA_CERT
            ),
        ),
        _ => (
            format!("login failed: {err}"),
            "check that the management URL points at ECS (port 4443)".to_owned(),
        ),
    };
    Finding::fail("login", detail, fix)
}

fn roles_finding(config: &StoreConfig, who: &WhoAmI) -> Finding {
    let roles = roles_text(who);
    match RoleVerdict::of(who, config.namespace()) {
        RoleVerdict::SystemAdmin => {
            Finding::pass("roles", format!("{} holds {roles}", who.common_name))
        }
        RoleVerdict::NamespaceAdmin => Finding::pass(
            "roles",
            format!(
                "{} is namespace admin of {} ({roles})",
                who.common_name,
                config.namespace()
            ),
        ),
        RoleVerdict::Insufficient => Finding::fail(
            "roles",
            format!(
                "{} holds {roles}{}: not enough to manage users and buckets of namespace {}",
                who.common_name,
                who.namespace
                    .as_deref()
                    .map(|ns| format!(" in namespace {ns}"))
                    .unwrap_or_default(),
                config.namespace()
            ),
            format!(
                "make {} a System Admin, or Namespace Admin of {}",
                config.sa_user(),
                config.namespace()
            ),
        ),
    }
}

async fn namespace_check(
    client: &EcsMgmtClient,
    config: &StoreConfig,
) -> Result<Box<NamespaceInfo>, Finding> {
    let namespace = config.namespace();
    match look_up_namespace(client, namespace).await {
        NamespaceLookup::Found(info) => Ok(info),
        NamespaceLookup::Missing { known } => {
            let listing = if known.is_empty() {
                String::new()
            } else {
                format!("; this ECS has: {}", known.join(", "))
            };
            Err(Finding::fail(
                "namespace",
                format!("namespace {namespace} does not exist{listing}"),
                format!(
                    "set {} to an existing namespace, or create {namespace} in ECS (Manage > Namespace)",
                    keys::NAMESPACE
                ),
            ))
        }
        NamespaceLookup::Failed(err) => Err(Finding::fail(
            "namespace",
            format!("cannot read namespace {namespace}: {err}"),
            format!("check {} and the user's rights on it", keys::NAMESPACE),
        )),
    }
}

async fn replication_group_check(
    client: &EcsMgmtClient,
    config: &StoreConfig,
    namespace: Option<&NamespaceInfo>,
) -> Finding {
    const NAME: &str = "replication-group";
    let groups = match client.replication_groups().list().await {
        Ok(groups) => groups,
        Err(err) => {
            return Finding::fail(
                NAME,
                format!("cannot list replication groups: {err}"),
                "check the user's roles (System Admin or Monitor)",
            );
        }
    };
    let (wanted, source) = match diagnose::wanted_group(config, namespace) {
        WantedGroup::Configured(wanted) => (wanted, "configured"),
        WantedGroup::NamespaceDefault(default) => (default, "namespace default"),
        WantedGroup::Unknown => return Finding::skip(NAME, "the namespace check failed"),
        WantedGroup::NoDefault => {
            return Finding::fail(
                NAME,
                format!(
                    "namespace {} has no default replication group and the store names none",
                    config.namespace()
                ),
                format!(
                    "set {} to one of: {}",
                    keys::REPLICATION_GROUP,
                    group_names(&groups)
                ),
            );
        }
    };
    match judge_group(&groups, wanted, namespace) {
        GroupVerdict::Usable(group) => {
            Finding::pass(NAME, format!("{} ({source}, {})", group.name, group.id))
        }
        GroupVerdict::Missing => Finding::fail(
            NAME,
            format!(
                "replication group {wanted} does not exist; this ECS has: {}",
                group_names(&groups)
            ),
            format!(
                "set {} to one of the groups listed",
                keys::REPLICATION_GROUP
            ),
        ),
        GroupVerdict::Inactive(group) => Finding::fail(
            NAME,
            format!("replication group {} is inactive", group.name),
            format!(
                "choose an active group for {}: {}",
                keys::REPLICATION_GROUP,
                group_names(&groups)
            ),
        ),
        GroupVerdict::NotAllowed(group) => Finding::fail(
            NAME,
            format!(
                "namespace {} may not use replication group {}",
                namespace.map_or(config.namespace(), |ns| ns.name.as_str()),
                group.name
            ),
            format!(
                "allow {} for the namespace in ECS, or choose another {}",
                group.name,
                keys::REPLICATION_GROUP
            ),
        ),
    }
}
