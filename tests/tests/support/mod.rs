//! What the suites that run the Java side share (`soak.rs`, `two_jvms.rs`, `demo_secrets.rs`):
//! the Java process's logging at DEBUG/TRACE, the check of CloudStack's rows against ECS
//! (orphans, duplicate users or keys, mismatches), and the scan of output for secrets.
#![allow(dead_code)] // Each suite uses a part.

use std::collections::{HashMap, HashSet};
use std::process::Command;

use ecs_common::{ExposeSecret, SecretString};
use ecs_mgmt::{EcsMgmtClient, VersioningStatus};
use ecs_sim::Sim;
use futures::TryStreamExt;
use serde_json::Value;

/// The emulator's service password (user `root`).
pub(crate) const PASSWORD: &str = "ChangeMe";
/// The driver's default object-user prefix.
pub(crate) const PREFIX: &str = "cs-";

/// log4j2 at DEBUG everywhere and the native library's loggers at TRACE, to `target`
/// (`SYSTEM_OUT` or `SYSTEM_ERR`).
pub(crate) fn log4j2(target: &str) -> String {
    format!(
        "status = warn
appender.out.type = Console
appender.out.name = out
appender.out.target = {target}
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = %d{{HH:mm:ss.SSS}} %-5p %c - %m%n%ex
rootLogger.level = debug
rootLogger.appenderRef.out.ref = out
logger.rust.name = io.ecscloudstack.rust
logger.rust.level = trace
"
    )
}

/// An environment variable `cargo xtask soak` sets.
pub(crate) fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run this suite with `cargo xtask soak` (see its doc)")
    })
}

/// `java` with the JNI library (its tracing at TRACE), the log4j2 configuration at `config`
/// and the Java modules' classpath, ready for a main class and its arguments.
pub(crate) fn java(config: &std::path::Path) -> Command {
    let mut java = Command::new("java");
    java.arg(format!("-Decs.native.path={}", env("ECS_SOAK_NATIVE")))
        .arg("-Decs.native.log=trace")
        .arg(format!("-Dlog4j2.configurationFile={}", config.display()))
        .args(["-cp", &env("ECS_SOAK_CLASSPATH")]);
    java
}

/// A management client of the emulator's service account.
pub(crate) fn admin(sim: &Sim) -> EcsMgmtClient {
    EcsMgmtClient::builder()
        .endpoint(&sim.mgmt_url())
        .expect("endpoint")
        .credentials("root", SecretString::from(PASSWORD.to_owned()))
        .build()
        .expect("admin client")
}

/// Whether a policy document grants anything to everyone (the driver's "public").
pub(crate) fn is_public(policy: Option<&str>) -> bool {
    let Some(document) = policy.and_then(|text| serde_json::from_str::<Value>(text).ok()) else {
        return false;
    };
    let statements = match &document["Statement"] {
        Value::Array(list) => list.clone(),
        Value::Object(_) => vec![document["Statement"].clone()],
        _ => Vec::new(),
    };
    statements.iter().any(|statement| {
        let principal = &statement["Principal"];
        principal == "*" || principal["AWS"] == "*"
    })
}

/// CloudStack's rows compared with ECS.
#[derive(Debug, Default)]
pub(crate) struct Comparison {
    /// ECS buckets or users no row explains.
    pub(crate) orphans: Vec<String>,
    /// Accounts with more than one ECS user, users with more than one active key.
    pub(crate) duplicates: Vec<String>,
    /// Rows that ECS does not match.
    pub(crate) mismatches: Vec<String>,
    /// Every secret key ECS holds (to scan output for).
    pub(crate) ecs_secrets: Vec<String>,
    /// The secret keys CloudStack's account rows hold.
    pub(crate) stored_secrets: Vec<String>,
    /// Bucket rows.
    pub(crate) buckets: usize,
    /// Accounts with stored keys.
    pub(crate) accounts_with_keys: usize,
}

/// Compares CloudStack's rows (the JSON `SoakMain` and `TwoServersMain` write: `accounts` with
/// `uuid`, `access_key`, `secret_key`; `buckets` with `name`, `account`, `quota`, `versioning`,
/// `encryption`, `policy`, `access_key`) with what ECS holds in namespace `ns1`.
pub(crate) async fn compare(admin: &EcsMgmtClient, rows: &Value) -> Comparison {
    let mut out = Comparison::default();
    let ecs_buckets: Vec<_> = admin.buckets().list("ns1").try_collect().await.unwrap();
    let ecs_users: Vec<_> = admin
        .object_users()
        .list("ns1")
        .try_collect()
        .await
        .unwrap();

    let mut stored_keys: HashMap<String, (String, String)> = HashMap::new();
    for account in rows["accounts"].as_array().unwrap() {
        if let (Some(access), Some(secret)) = (
            account["access_key"].as_str(),
            account["secret_key"].as_str(),
        ) {
            let uuid = account["uuid"].as_str().unwrap().to_owned();
            stored_keys.insert(uuid, (access.to_owned(), secret.to_owned()));
        }
    }
    let row_buckets: HashMap<&str, &Value> = rows["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["name"].as_str().unwrap(), row))
        .collect();
    out.buckets = row_buckets.len();
    out.accounts_with_keys = stored_keys.len();
    out.stored_secrets = stored_keys
        .values()
        .map(|(_, secret)| secret.clone())
        .collect();

    // Orphans: ECS buckets and users no row explains.
    for bucket in &ecs_buckets {
        if !row_buckets.contains_key(bucket.name.as_str()) {
            out.orphans.push(format!("bucket {}", bucket.name));
        }
    }
    let mut users_per_account: HashMap<String, usize> = HashMap::new();
    for user in &ecs_users {
        let Some(uuid) = user.userid.strip_prefix(PREFIX) else {
            continue;
        };
        *users_per_account.entry(uuid.to_owned()).or_default() += 1;
        if !stored_keys.contains_key(uuid) {
            out.orphans.push(format!("user {}", user.userid));
        }
    }

    // Duplicates: more than one user or more than one active key per account.
    let mut active_secrets: HashMap<String, Vec<String>> = HashMap::new();
    let now = time::OffsetDateTime::now_utc();
    for user in &ecs_users {
        let keys = admin
            .secret_keys()
            .get(&user.userid, Some("ns1"))
            .await
            .unwrap();
        let mut active = Vec::new();
        for key in keys.keys() {
            out.ecs_secrets.push(key.secret.expose_secret().to_owned());
            if key.expires.is_none_or(|expires| expires > now) {
                active.push(key.secret.expose_secret().to_owned());
            }
        }
        if active.len() > 1 {
            out.duplicates
                .push(format!("{} has {} active keys", user.userid, active.len()));
        }
        active_secrets.insert(user.userid.clone(), active);
    }
    for (uuid, count) in &users_per_account {
        if *count > 1 {
            out.duplicates
                .push(format!("account {uuid} has {count} users"));
        }
    }

    // Mismatches: each row against ECS.
    for (uuid, (access, secret)) in &stored_keys {
        let uid = format!("{PREFIX}{uuid}");
        if *access != uid {
            out.mismatches.push(format!(
                "account {uuid} stores access key {access}, ECS user is {uid}"
            ));
        }
        if !active_secrets
            .get(&uid)
            .is_some_and(|active| active.contains(secret))
        {
            out.mismatches.push(format!(
                "account {uuid}: the stored secret key is not an active key of {uid}"
            ));
        }
    }
    let by_name: HashMap<&str, _> = ecs_buckets
        .iter()
        .map(|info| (info.name.as_str(), info))
        .collect();
    for (name, row) in &row_buckets {
        let Some(info) = by_name.get(name) else {
            out.mismatches
                .push(format!("bucket {name} has a row but is not on ECS"));
            continue;
        };
        let uid = format!("{PREFIX}{}", row["account"].as_str().unwrap());
        if info.owner.as_deref() != Some(uid.as_str()) {
            out.mismatches.push(format!(
                "bucket {name}: owner {:?}, row says {uid}",
                info.owner
            ));
        }
        if row["access_key"].as_str() != Some(uid.as_str()) {
            out.mismatches
                .push(format!("bucket {name}: the row's access key is not {uid}"));
        }
        let row_quota = row["quota"].as_u64().filter(|gib| *gib > 0);
        if info.block_size_gb.filter(|gib| *gib > 0) != row_quota {
            out.mismatches.push(format!(
                "bucket {name}: quota {:?} on ECS, {row_quota:?} in the row",
                info.block_size_gb
            ));
        }
        if info.encryption != row["encryption"].as_bool().unwrap() {
            out.mismatches
                .push(format!("bucket {name}: encryption differs"));
        }
        let versioning = admin.buckets().versioning(name, "ns1").await.unwrap();
        if (versioning == VersioningStatus::Enabled) != row["versioning"].as_bool().unwrap() {
            out.mismatches.push(format!(
                "bucket {name}: versioning {versioning:?} on ECS, row {}",
                row["versioning"]
            ));
        }
        let policy = admin.buckets().policy(name, "ns1").await.unwrap();
        let row_public = row["policy"]
            .as_str()
            .is_some_and(|text| text.eq_ignore_ascii_case("public"));
        if is_public(policy.as_deref()) != row_public {
            out.mismatches.push(format!(
                "bucket {name}: policy {policy:?} on ECS, row {}",
                row["policy"]
            ));
        }
    }
    out
}

/// The secrets to look for in a run's output: the service password, `known` (the keys ECS or
/// CloudStack's rows hold), and every token and key the emulator ever handed out.
pub(crate) fn needles<'a>(
    sim: &Sim,
    known: impl IntoIterator<Item = &'a String>,
) -> HashSet<String> {
    let mut needles = HashSet::from([PASSWORD.to_owned()]);
    needles.extend(known.into_iter().cloned());
    needles.extend(sim.control().issued_secrets());
    needles.retain(|needle| !needle.is_empty());
    needles
}

/// Every secret key of every object user ECS holds in namespace `ns1`.
pub(crate) async fn secret_keys_on_ecs(admin: &EcsMgmtClient) -> Vec<String> {
    let users: Vec<_> = admin
        .object_users()
        .list("ns1")
        .try_collect()
        .await
        .unwrap();
    let mut secrets = Vec::new();
    for user in &users {
        let keys = admin
            .secret_keys()
            .get(&user.userid, Some("ns1"))
            .await
            .unwrap();
        secrets.extend(keys.keys().map(|key| key.secret.expose_secret().to_owned()));
    }
    secrets
}

/// The lines of `output` that show any of `needles`.
pub(crate) fn lines_with_secrets<'a>(output: &'a str, needles: &HashSet<String>) -> Vec<&'a str> {
    output
        .lines()
        .filter(|line| needles.iter().any(|needle| line.contains(needle.as_str())))
        .collect()
}

/// The last 40 lines of `text`.
pub(crate) fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}
