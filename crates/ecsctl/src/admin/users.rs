//! `ecsctl users list`: the namespace's object users, which of them the store manages for
//! CloudStack accounts, and the state of their S3 keys (two slots on ECS).

use anyhow::{Context, Result};
use ecs_driver::StoreConfig;
use ecs_driver::mgmt::{EcsMgmtClient, ObjectUser, UserSecretKeys};
use futures::{StreamExt, TryStreamExt};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{open_store, progress_bar};
use crate::details::Details;
use crate::output::{Output, table};

/// How many key look-ups run at once.
const CONCURRENCY: usize = 8;

/// One user row.
#[derive(Debug)]
struct UserRow {
    user: String,
    managed: bool,
    keys: Result<KeyState, String>,
}

/// What the two key slots hold.
#[derive(Debug, Default, PartialEq, Eq)]
struct KeyState {
    /// Keys present (0 to 2).
    count: usize,
    /// The earliest expiry among keys that expire (an old key in its grace period).
    expiring: Option<OffsetDateTime>,
}

impl KeyState {
    fn of(keys: &UserSecretKeys) -> Self {
        KeyState {
            count: keys.keys().count(),
            expiring: keys.keys().filter_map(|key| key.expires).min(),
        }
    }
}

/// `ecsctl users list`.
pub(crate) async fn users_list(details: &Details) -> Result<Output> {
    let (config, store) = open_store(details)?;
    let client = store.mgmt();
    let users: Result<Vec<ObjectUser>> = client
        .object_users()
        .list(config.namespace())
        .try_collect()
        .await
        .with_context(|| format!("cannot list the users of namespace {}", config.namespace()));
    let rows = match users {
        Ok(users) => Ok(key_states(client, &config, users).await),
        Err(err) => Err(err),
    };
    store.close().await;
    let rows = rows?;
    Ok(Output::ok(users_table(&rows), users_json(&config, &rows)))
}

/// Reads every user's key slots, a few at a time, with a progress bar.
async fn key_states(
    client: &EcsMgmtClient,
    config: &StoreConfig,
    users: Vec<ObjectUser>,
) -> Vec<UserRow> {
    let bar = progress_bar(users.len() as u64, "reading secret keys".to_owned());
    let rows = futures::stream::iter(users)
        .map(|user| {
            let bar = bar.clone();
            async move {
                let keys = client
                    .secret_keys()
                    .get(&user.userid, Some(config.namespace()))
                    .await
                    .map(|keys| KeyState::of(&keys))
                    .map_err(|err| err.to_string());
                bar.inc(1);
                UserRow {
                    managed: user.userid.starts_with(config.user_prefix()),
                    user: user.userid,
                    keys,
                }
            }
        })
        .buffered(CONCURRENCY)
        .collect()
        .await;
    bar.finish_and_clear();
    rows
}

fn users_table(rows: &[UserRow]) -> String {
    if rows.is_empty() {
        return "no object users\n".to_owned();
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let (keys, expiring) = match &row.keys {
                Ok(state) => (
                    state.count.to_string(),
                    state.expiring.map_or_else(|| "-".to_owned(), time_text),
                ),
                Err(err) => ("?".to_owned(), err.clone()),
            };
            let managed = if row.managed { "cloudstack" } else { "-" };
            vec![row.user.clone(), managed.to_owned(), keys, expiring]
        })
        .collect();
    table(&["USER", "MANAGED BY", "KEYS", "OLD KEY EXPIRES"], &cells)
}

fn users_json(config: &StoreConfig, rows: &[UserRow]) -> serde_json::Value {
    let users: Vec<_> = rows
        .iter()
        .map(|row| {
            let mut value = json!({ "user": row.user, "managed": row.managed });
            match &row.keys {
                Ok(state) => {
                    value["keys"] = json!(state.count);
                    value["old_key_expires"] = json!(state.expiring.map(time_text));
                }
                Err(err) => value["error"] = json!(err),
            }
            value
        })
        .collect();
    json!({ "namespace": config.namespace(), "users": users })
}

fn time_text(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_else(|_| at.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_marks_managed_users_and_errors() {
        let rows = vec![
            UserRow {
                user: "cs-1".into(),
                managed: true,
                keys: Ok(KeyState {
                    count: 2,
                    expiring: None,
                }),
            },
            UserRow {
                user: "alice".into(),
                managed: false,
                keys: Err("forbidden".into()),
            },
        ];
        let text = users_table(&rows);
        assert!(text.contains("cs-1   cloudstack  2"), "{text}");
        assert!(
            text.contains("alice  -           ?     forbidden"),
            "{text}"
        );
    }
}
