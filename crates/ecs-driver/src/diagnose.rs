//! What the driver's connectivity check and an operator's tool (`ecsctl doctor`) share: the
//! one way to build a store's management client, the role rule, the namespace look-up, and the
//! rules that pick and judge the replication group. Each caller words the verdicts its own
//! way (a one-line check for CloudStack, a finding with a fix for an operator).

use std::time::Duration;

use ecs_common::{Error, ErrorKind, Result};
use ecs_mgmt::{EcsMgmtClient, NamespaceInfo, ReplicationGroup, RetryConfig, Role, WhoAmI};
use futures::TryStreamExt;

use crate::StoreConfig;

/// How patient a management client is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Patience {
    /// The driver's: up to [`DRIVER_RETRIES`] retries of the requests that are safe to repeat,
    /// within the client's 60 s retry budget, and its default timeouts.
    #[default]
    Normal,
    /// A diagnosis': no retries (a retry would hide flakiness, and repeated logins may lock
    /// the user), 5 s to connect and 15 s per request.
    Diagnostic,
}

/// Retries of a management or S3 request the driver may repeat (after the first attempt).
///
/// Six rather than the client's default four: under the fault soak's sustained faults (10 %
/// 503s and 5 % dropped connections, so 15 % of attempts fail) a 1,000-operation soak showed
/// CloudStack one request that had failed all five attempts (0.15⁵, about one request in
/// 13,000); all seven fail for about one in 590,000. The 60 s retry budget bounds the wait.
pub const DRIVER_RETRIES: u32 = 6;

/// The management client for a store's service account: the one place where a
/// [`StoreConfig`] becomes an [`EcsMgmtClient`]. Sends nothing.
pub fn mgmt_client(config: &StoreConfig, patience: Patience) -> Result<EcsMgmtClient> {
    let builder = EcsMgmtClient::builder()
        .endpoint(config.mgmt_endpoint())?
        .credentials(config.sa_user().to_owned(), config.sa_password().clone())
        .tls(config.tls().clone());
    let builder = match patience {
        Patience::Normal => builder.retry(RetryConfig::default().with_max_retries(DRIVER_RETRIES)),
        Patience::Diagnostic => builder
            .connect_timeout(Duration::from_secs(5))
            .request_timeout(Duration::from_secs(15))
            .retry(RetryConfig::disabled()),
    };
    builder.build()
}

/// Whether a management user may run a store on a namespace, by its roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleVerdict {
    /// A system administrator: may manage every namespace.
    SystemAdmin,
    /// The administrator of the store's namespace.
    NamespaceAdmin,
    /// Neither: it cannot manage the namespace's users and buckets.
    Insufficient,
}

impl RoleVerdict {
    /// The verdict for `who` running a store on `namespace`.
    pub fn of(who: &WhoAmI, namespace: &str) -> RoleVerdict {
        if who.has_role(Role::SystemAdmin) {
            RoleVerdict::SystemAdmin
        } else if who.has_role(Role::NamespaceAdmin) && who.namespace.as_deref() == Some(namespace)
        {
            RoleVerdict::NamespaceAdmin
        } else {
            RoleVerdict::Insufficient
        }
    }

    /// Whether the user may run the store.
    pub fn is_sufficient(self) -> bool {
        self != RoleVerdict::Insufficient
    }
}

/// The user's roles as one comma-separated line (`no role` when it has none).
pub fn roles_text(who: &WhoAmI) -> String {
    if who.roles.is_empty() {
        return "no role".to_owned();
    }
    who.roles
        .iter()
        .map(Role::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What ECS says about the store's namespace.
#[derive(Debug)]
pub enum NamespaceLookup {
    /// It exists.
    Found(Box<NamespaceInfo>),
    /// It does not; `known` lists the namespaces the user can see (empty if it may list none).
    Missing {
        /// Names of the namespaces that exist.
        known: Vec<String>,
    },
    /// It could not be read.
    Failed(Error),
}

/// Reads the namespace; when it is missing, lists the ones that exist.
pub async fn look_up_namespace(client: &EcsMgmtClient, namespace: &str) -> NamespaceLookup {
    match client.namespaces().info(namespace).await {
        Ok(info) => NamespaceLookup::Found(Box::new(info)),
        Err(err) if err.kind() == ErrorKind::NotFound => NamespaceLookup::Missing {
            known: client
                .namespaces()
                .list()
                .map_ok(|entry| entry.name)
                .try_collect()
                .await
                .unwrap_or_default(),
        },
        Err(err) => NamespaceLookup::Failed(err),
    }
}

/// The replication group the store's new buckets get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WantedGroup<'a> {
    /// The store names one (`replication_group`: an id or a name).
    Configured(&'a str),
    /// The namespace's default.
    NamespaceDefault(&'a str),
    /// The store names none and the namespace has no default: bucket creation will fail.
    NoDefault,
    /// The store names none and the namespace is unknown.
    Unknown,
}

/// Which replication group new buckets get, from the configuration and the namespace.
pub fn wanted_group<'a>(
    config: &'a StoreConfig,
    namespace: Option<&'a NamespaceInfo>,
) -> WantedGroup<'a> {
    match (config.replication_group(), namespace) {
        (Some(configured), _) => WantedGroup::Configured(configured),
        (None, None) => WantedGroup::Unknown,
        (None, Some(namespace)) => match namespace.default_data_services_vpool.as_deref() {
            Some(default) => WantedGroup::NamespaceDefault(default),
            None => WantedGroup::NoDefault,
        },
    }
}

/// What the replication groups of ECS say about the wanted one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupVerdict<'g> {
    /// It exists, is active, and the namespace may use it.
    Usable(&'g ReplicationGroup),
    /// No group has that id or name.
    Missing,
    /// It exists but is inactive.
    Inactive(&'g ReplicationGroup),
    /// The namespace may not use it (its allowed or disallowed list says so).
    NotAllowed(&'g ReplicationGroup),
}

/// Judges the group `wanted` (an id or a name) among `groups`, for `namespace` when known.
pub fn judge_group<'g>(
    groups: &'g [ReplicationGroup],
    wanted: &str,
    namespace: Option<&NamespaceInfo>,
) -> GroupVerdict<'g> {
    let Some(group) = groups
        .iter()
        .find(|group| group.id == wanted || group.name == wanted)
    else {
        return GroupVerdict::Missing;
    };
    if group.inactive {
        return GroupVerdict::Inactive(group);
    }
    let listed = |list: &[String]| list.iter().any(|id| id == &group.id || id == &group.name);
    let allowed = namespace.is_none_or(|ns| {
        !listed(&ns.disallowed_vpools_list)
            && (ns.allowed_vpools_list.is_empty() || listed(&ns.allowed_vpools_list))
    });
    if allowed {
        GroupVerdict::Usable(group)
    } else {
        GroupVerdict::NotAllowed(group)
    }
}

/// The names of `groups`, comma-separated.
pub fn group_names(groups: &[ReplicationGroup]) -> String {
    groups
        .iter()
        .map(|group| group.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(roles: &[&str], namespace: Option<&str>) -> WhoAmI {
        let mut who = WhoAmI::default();
        who.roles = roles.iter().map(|role| Role::parse(role)).collect();
        who.namespace = namespace.map(str::to_owned);
        who
    }

    #[test]
    fn roles_decide_who_may_run_the_store() {
        assert_eq!(
            RoleVerdict::of(&who(&["SYSTEM_ADMIN"], None), "ns1"),
            RoleVerdict::SystemAdmin
        );
        assert_eq!(
            RoleVerdict::of(&who(&["NAMESPACE_ADMIN"], Some("ns1")), "ns1"),
            RoleVerdict::NamespaceAdmin
        );
        let elsewhere = RoleVerdict::of(&who(&["NAMESPACE_ADMIN"], Some("ns2")), "ns1");
        assert_eq!(elsewhere, RoleVerdict::Insufficient);
        assert!(!elsewhere.is_sufficient());
        assert!(!RoleVerdict::of(&who(&["SYSTEM_MONITOR"], None), "ns1").is_sufficient());
        assert_eq!(roles_text(&who(&[], None)), "no role");
        assert_eq!(
            roles_text(&who(&["SYSTEM_ADMIN", "SYSTEM_MONITOR"], None)),
            "SYSTEM_ADMIN, SYSTEM_MONITOR"
        );
    }

    fn group(id: &str, name: &str, inactive: bool) -> ReplicationGroup {
        let mut group = ReplicationGroup::default();
        group.id = id.to_owned();
        group.name = name.to_owned();
        group.inactive = inactive;
        group
    }

    #[test]
    fn groups_are_found_by_id_or_name_and_judged_for_the_namespace() {
        let groups = [
            group("urn:rg1", "rg1", false),
            group("urn:old", "old", true),
        ];
        assert_eq!(
            judge_group(&groups, "rg1", None),
            GroupVerdict::Usable(&groups[0])
        );
        assert_eq!(
            judge_group(&groups, "urn:rg1", None),
            GroupVerdict::Usable(&groups[0])
        );
        assert_eq!(judge_group(&groups, "nope", None), GroupVerdict::Missing);
        assert_eq!(
            judge_group(&groups, "old", None),
            GroupVerdict::Inactive(&groups[1])
        );
        let mut namespace = NamespaceInfo::default();
        namespace.disallowed_vpools_list = vec!["urn:rg1".into()];
        assert_eq!(
            judge_group(&groups, "rg1", Some(&namespace)),
            GroupVerdict::NotAllowed(&groups[0])
        );
        namespace.disallowed_vpools_list.clear();
        namespace.allowed_vpools_list = vec!["rg1".into()];
        assert_eq!(
            judge_group(&groups, "rg1", Some(&namespace)),
            GroupVerdict::Usable(&groups[0])
        );
        assert_eq!(group_names(&groups), "rg1, old");
    }
}
