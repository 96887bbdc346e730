//! `ecsctl namespace …`: the ECS portal's steps that prepare a namespace (ECS's tenant) for
//! CloudStack — create it with the service account as its administrator, give it a quota and
//! retention classes, show and list namespaces, delete an unused one. The store's namespace
//! (`namespace` in the details, or `--namespace`) is the one acted on.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use ecs_driver::mgmt::{EcsMgmtClient, NamespaceInfo, RetentionClass, RetentionPeriod};
use ecs_driver::tenancy::{self, QuotaLevel, QuotaState, TenantSpec};
use ecs_driver::{ErrorKind, StoreConfig};
use futures::TryStreamExt;
use serde_json::{Value, json};

use crate::admin::open_store;
use crate::cli::StoreArgs;
use crate::output::{Output, human_bytes, table, yes_no};

/// `ecsctl namespace …`
#[derive(Debug, Subcommand)]
pub(crate) enum NamespaceCommand {
    /// Lists every namespace (System Admin or System Monitor).
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Shows the store's namespace: replication groups, admins, flags, quota and retention.
    Show {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Creates the store's namespace (System Admin), on the details' `replication_group` or
    /// ECS's only group, with `--admin` users as its Namespace Admins.
    Create {
        #[command(flatten)]
        store: StoreArgs,
        /// A management user to make its Namespace Admin, e.g. CloudStack's service account
        /// (repeatable).
        #[arg(long = "admin", value_name = "USER")]
        admins: Vec<String>,
        /// Encrypt every bucket of the namespace.
        #[arg(long)]
        encrypted: bool,
    },
    /// Deletes the store's namespace; ECS refuses one that still holds buckets or users.
    Delete {
        #[command(flatten)]
        store: StoreArgs,
        /// Confirm the deletion.
        #[arg(long)]
        yes: bool,
    },
    /// The namespace quota: a hard limit blocks writes, a soft one only notifies.
    Quota {
        #[command(subcommand)]
        command: QuotaCommand,
    },
    /// Retention classes: named periods objects can be kept for.
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
}

/// `ecsctl namespace quota …`
#[derive(Debug, Subcommand)]
pub(crate) enum QuotaCommand {
    /// Shows the quota and what the namespace holds.
    Show {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Sets the quota in GB: `--hard` blocks writes beyond it, `--soft` notifies (at least one).
    Set {
        #[command(flatten)]
        store: StoreArgs,
        /// Hard limit in GB: writes beyond it are refused.
        #[arg(long, value_name = "GB")]
        hard: Option<u64>,
        /// Soft limit in GB: passing it raises an alert only.
        #[arg(long, value_name = "GB")]
        soft: Option<u64>,
    },
    /// Removes the quota.
    Delete {
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// `ecsctl namespace retention …`
#[derive(Debug, Subcommand)]
pub(crate) enum RetentionCommand {
    /// Lists the retention classes.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Creates a retention class, or changes its period.
    Set {
        #[command(flatten)]
        store: StoreArgs,
        /// The class name.
        class: String,
        /// The period: seconds, a number with `d` (days) or `y` (365 days), or `infinite`.
        #[arg(long, value_name = "PERIOD")]
        period: String,
    },
}

/// Runs one `ecsctl namespace …` command.
pub(crate) async fn run(command: NamespaceCommand) -> Result<Output> {
    match command {
        NamespaceCommand::List { store } => with_client(&store, list).await,
        NamespaceCommand::Show { store } => with_client(&store, show).await,
        NamespaceCommand::Create {
            store,
            admins,
            encrypted,
        } => {
            with_client(&store, |client, config| {
                create(client, config, admins, encrypted)
            })
            .await
        }
        NamespaceCommand::Delete { store, yes } => {
            if !yes {
                bail!("deleting a namespace cannot be undone: add --yes to confirm");
            }
            with_client(&store, delete).await
        }
        NamespaceCommand::Quota { command } => match command {
            QuotaCommand::Show { store } => with_client(&store, quota_show).await,
            QuotaCommand::Set { store, hard, soft } => {
                with_client(&store, |client, config| {
                    quota_set(client, config, hard, soft)
                })
                .await
            }
            QuotaCommand::Delete { store } => with_client(&store, quota_delete).await,
        },
        NamespaceCommand::Retention { command } => match command {
            RetentionCommand::List { store } => with_client(&store, retention_list).await,
            RetentionCommand::Set {
                store,
                class,
                period,
            } => {
                let seconds = parse_period(&period)?;
                with_client(&store, |client, config| {
                    retention_set(client, config, class, seconds)
                })
                .await
            }
        },
    }
}

/// Opens the store's management client, runs `step`, closes the client.
async fn with_client<F, Fut>(store: &StoreArgs, step: F) -> Result<Output>
where
    F: FnOnce(EcsMgmtClient, StoreConfig) -> Fut,
    Fut: Future<Output = Result<Output>>,
{
    let (config, store) = open_store(&store.details()?)?;
    let result = step(store.mgmt().clone(), config).await;
    store.close().await;
    result
}

/// A failed call, with what to do about the kinds an operator can fix.
fn explain(err: ecs_driver::Error, what: String) -> anyhow::Error {
    let hint = match err.kind() {
        ErrorKind::Forbidden => {
            "; the management user's role does not allow it (namespaces, their quota and \
             deletion need a System Admin; retention classes a System Admin or the namespace's \
             Namespace Admin)"
        }
        ErrorKind::Conflict => "; it still holds buckets or object users: remove them first",
        ErrorKind::NotFound => "; check the name (`ecsctl namespace list`)",
        _ => "",
    };
    anyhow::Error::new(err).context(format!("{what}{hint}"))
}

/// Seconds from `60`, `30d`, `7y` or `infinite` (`None`).
fn parse_period(text: &str) -> Result<Option<u64>> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("infinite") || text == "-1" {
        return Ok(None);
    }
    let (number, unit) = match text.char_indices().last() {
        Some((at, 'd')) => (&text[..at], 86_400),
        Some((at, 'y')) => (&text[..at], 365 * 86_400),
        Some((at, 's')) => (&text[..at], 1),
        _ => (text, 1),
    };
    let value: u64 = number
        .parse()
        .with_context(|| format!("bad period {text:?}: use seconds, 30d, 7y or infinite"))?;
    Ok(Some(value.saturating_mul(unit)))
}

fn period_text(period: RetentionPeriod) -> String {
    match period {
        RetentionPeriod::Infinite => "infinite".to_owned(),
        RetentionPeriod::Seconds(seconds) if seconds > 0 && seconds % 86_400 == 0 => {
            format!("{seconds} s ({} days)", seconds / 86_400)
        }
        RetentionPeriod::Seconds(seconds) => format!("{seconds} s"),
    }
}

fn period_json(period: RetentionPeriod) -> Value {
    match period {
        RetentionPeriod::Infinite => json!("infinite"),
        RetentionPeriod::Seconds(seconds) => json!(seconds),
    }
}

fn classes_json(classes: &[RetentionClass]) -> Value {
    classes
        .iter()
        .map(|class| json!({"name": class.name, "period_seconds": period_json(class.period)}))
        .collect()
}

fn gb(value: Option<u64>) -> String {
    value.map_or_else(|| "none".to_owned(), |gb| format!("{gb} GB"))
}

fn level_text(level: QuotaLevel) -> &'static str {
    match level {
        QuotaLevel::Unlimited => "no quota",
        QuotaLevel::Within => "within quota",
        QuotaLevel::OverSoft => "over the soft quota: ECS notifies, writes go on",
        QuotaLevel::Blocked => "at the hard quota: ECS refuses writes",
    }
}

fn level_json(level: QuotaLevel) -> &'static str {
    match level {
        QuotaLevel::Unlimited => "unlimited",
        QuotaLevel::Within => "within",
        QuotaLevel::OverSoft => "over_soft",
        QuotaLevel::Blocked => "blocked",
    }
}

fn quota_json(state: &QuotaState) -> Value {
    json!({
        "hard_gb": state.hard_gb,
        "soft_gb": state.soft_gb,
        "used_bytes": state.used_bytes,
        "state": level_json(state.level()),
    })
}

fn info_json(info: &NamespaceInfo) -> Value {
    json!({
        "name": info.name,
        "default_replication_group": info.default_data_services_vpool,
        "allowed_replication_groups": info.allowed_vpools_list,
        "disallowed_replication_groups": info.disallowed_vpools_list,
        "admins": info.namespace_admins,
        "encryption": info.encryption,
        "stale_allowed": info.stale_allowed,
        "compliance": info.compliance,
        "default_bucket_quota_gb": info.default_bucket_block_size,
        "user_mappings": info.user_mappings.iter().map(|m| json!({
            "domain": m.domain, "groups": m.groups,
            "attributes": m.attributes.iter().map(|a| json!({"key": a.key, "values": a.values})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn info_text(info: &NamespaceInfo) -> String {
    let list = |items: &[String]| {
        if items.is_empty() {
            "-".to_owned()
        } else {
            items.join(", ")
        }
    };
    let mut text = format!(
        "namespace {}\n  default replication group: {}\n  allowed replication groups: {}\n  \
         disallowed replication groups: {}\n  admins: {}\n  encrypted: {}\n  \
         access during outage: {}\n  compliance: {}\n  default bucket quota: {}\n",
        info.name,
        info.default_data_services_vpool.as_deref().unwrap_or("-"),
        list(&info.allowed_vpools_list),
        list(&info.disallowed_vpools_list),
        list(&info.namespace_admins),
        yes_no(info.encryption),
        yes_no(info.stale_allowed),
        yes_no(info.compliance),
        gb(info.default_bucket_block_size),
    );
    for mapping in &info.user_mappings {
        text.push_str(&format!(
            "  user mapping: domain {} groups {}\n",
            mapping.domain,
            list(&mapping.groups)
        ));
    }
    text
}

async fn list(client: EcsMgmtClient, _config: StoreConfig) -> Result<Output> {
    let entries: Vec<_> = client
        .namespaces()
        .list()
        .try_collect()
        .await
        .map_err(|err| explain(err, "cannot list namespaces".to_owned()))?;
    let human = if entries.is_empty() {
        "no namespaces\n".to_owned()
    } else {
        table(
            &["NAME"],
            &entries
                .iter()
                .map(|entry| vec![entry.name.clone()])
                .collect::<Vec<_>>(),
        )
    };
    let names: Vec<&str> = entries.iter().map(|entry| entry.name.as_str()).collect();
    Ok(Output::ok(human, json!({ "namespaces": names })))
}

async fn show(client: EcsMgmtClient, config: StoreConfig) -> Result<Output> {
    let name = config.namespace();
    let info = client
        .namespaces()
        .info(name)
        .await
        .map_err(|err| explain(err, format!("cannot read namespace {name}")))?;
    let quota = tenancy::quota_state(&client, name)
        .await
        .map_err(|err| explain(err, format!("cannot read the quota of namespace {name}")))?;
    let mut human = info_text(&info);
    human.push_str(&quota_text(&quota));
    human.push_str(&classes_text(&info.retention_classes));
    let mut json = info_json(&info);
    json["quota"] = quota_json(&quota);
    json["retention_classes"] = classes_json(&info.retention_classes);
    Ok(Output::ok(human, json))
}

fn quota_text(state: &QuotaState) -> String {
    format!(
        "  quota: hard {}, soft {}; holds {} ({})\n",
        gb(state.hard_gb),
        gb(state.soft_gb),
        human_bytes(state.used_bytes),
        level_text(state.level())
    )
}

fn classes_text(classes: &[RetentionClass]) -> String {
    if classes.is_empty() {
        return "  retention classes: none\n".to_owned();
    }
    let mut text = "  retention classes:\n".to_owned();
    for class in classes {
        text.push_str(&format!(
            "    {}: {}\n",
            class.name,
            period_text(class.period)
        ));
    }
    text
}

async fn create(
    client: EcsMgmtClient,
    config: StoreConfig,
    admins: Vec<String>,
    encryption: bool,
) -> Result<Output> {
    let name = config.namespace();
    let spec = TenantSpec {
        replication_group: config.replication_group().map(str::to_owned),
        admins,
        encryption,
        ..TenantSpec::new(name)
    };
    let info = tenancy::create_namespace(&client, &spec)
        .await
        .map_err(|err| explain(err, format!("cannot create namespace {name}")))?;
    let human = format!("created namespace {name}\n{}", info_text(&info));
    Ok(Output::ok(human, json!({ "created": info_json(&info) })))
}

async fn delete(client: EcsMgmtClient, config: StoreConfig) -> Result<Output> {
    let name = config.namespace();
    client
        .namespaces()
        .delete(name)
        .await
        .map_err(|err| explain(err, format!("cannot delete namespace {name}")))?;
    Ok(Output::ok(
        format!("deleted namespace {name}\n"),
        json!({ "deleted": name }),
    ))
}

async fn quota_show(client: EcsMgmtClient, config: StoreConfig) -> Result<Output> {
    let name = config.namespace();
    let state = tenancy::quota_state(&client, name)
        .await
        .map_err(|err| explain(err, format!("cannot read the quota of namespace {name}")))?;
    let mut json = quota_json(&state);
    json["namespace"] = json!(name);
    Ok(Output::ok(
        format!("namespace {name}\n{}", quota_text(&state)),
        json,
    ))
}

async fn quota_set(
    client: EcsMgmtClient,
    config: StoreConfig,
    hard: Option<u64>,
    soft: Option<u64>,
) -> Result<Output> {
    let name = config.namespace();
    if hard.is_none() && soft.is_none() {
        bail!("give --hard, --soft or both (in GB); `ecsctl namespace quota delete` removes it");
    }
    tenancy::set_quota(&client, name, hard, soft)
        .await
        .map_err(|err| explain(err, format!("cannot set the quota of namespace {name}")))?;
    quota_show(client, config).await
}

async fn quota_delete(client: EcsMgmtClient, config: StoreConfig) -> Result<Output> {
    let name = config.namespace();
    client
        .namespaces()
        .delete_quota(name)
        .await
        .map_err(|err| explain(err, format!("cannot remove the quota of namespace {name}")))?;
    Ok(Output::ok(
        format!("removed the quota of namespace {name}\n"),
        json!({ "namespace": name, "quota": null }),
    ))
}

async fn retention_list(client: EcsMgmtClient, config: StoreConfig) -> Result<Output> {
    let name = config.namespace();
    let classes = client
        .namespaces()
        .retention_classes(name)
        .await
        .map_err(|err| explain(err, format!("cannot list the retention classes of {name}")))?;
    Ok(Output::ok(
        format!("namespace {name}\n{}", classes_text(&classes)),
        json!({ "namespace": name, "retention_classes": classes_json(&classes) }),
    ))
}

async fn retention_set(
    client: EcsMgmtClient,
    config: StoreConfig,
    class: String,
    seconds: Option<u64>,
) -> Result<Output> {
    let name = config.namespace();
    let created = tenancy::set_retention_class(&client, name, &class, seconds)
        .await
        .map_err(|err| explain(err, format!("cannot set retention class {class} of {name}")))?;
    let period = seconds.map_or(RetentionPeriod::Infinite, RetentionPeriod::Seconds);
    let verb = if created { "created" } else { "updated" };
    Ok(Output::ok(
        format!(
            "{verb} retention class {class} of namespace {name}: {}\n",
            period_text(period)
        ),
        json!({
            "namespace": name,
            "class": class,
            "period_seconds": period_json(period),
            "created": created,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse() {
        assert_eq!(parse_period("60").unwrap(), Some(60));
        assert_eq!(parse_period("30d").unwrap(), Some(2_592_000));
        assert_eq!(parse_period("1y").unwrap(), Some(31_536_000));
        assert_eq!(parse_period("infinite").unwrap(), None);
        assert!(parse_period("soon").is_err());
        assert!(parse_period("-5").is_err());
    }
}
