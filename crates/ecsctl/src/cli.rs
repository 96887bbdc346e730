//! The command line, declared with clap's derive API.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use ecs_common::{ExposeSecret, SecretString};
use ecs_driver::keys;

use crate::details::{self, Details};

/// Operator's tool for Dell ECS object stores in Apache CloudStack.
///
/// The store is described by the same details CloudStack holds (`--details FILE`, a JSON
/// object or `key=value` lines), optionally overridden by flags.
#[derive(Debug, Parser)]
#[command(name = "ecsctl", version, about, long_about = None)]
pub(crate) struct Cli {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub(crate) json: bool,

    /// Log more (repeat for more detail); logs go to stderr. `RUST_LOG` also works.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,

    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Checks a store configuration end to end and prints a verdict and a fix per check.
    ///
    /// DNS and TCP reachability, TLS certificate chain and host name (and what `insecure`
    /// would hide), login, roles, namespace, replication group, the private and public S3
    /// endpoints, clock skew against ECS, and CORS for the UI origin. Exits 1 when a check fails.
    #[command(after_long_help = DETAIL_KEYS)]
    Doctor {
        #[command(flatten)]
        store: StoreArgs,
        /// The origin the CloudStack UI is served from (default: the first of `cors_origins`).
        #[arg(long, value_name = "ORIGIN")]
        ui_origin: Option<String>,
    },
    /// Buckets of the store's namespace.
    Buckets {
        #[command(subcommand)]
        command: BucketsCommand,
    },
    /// Object users of the store's namespace.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// The store's namespace (ECS's tenant): create, show, list, delete, quota, retention.
    Namespace {
        #[command(subcommand)]
        command: crate::namespace::NamespaceCommand,
    },
    /// The store's namespaces and what each holds: one per CloudStack domain with
    /// `tenancy=domain` (namespace, domain UUID, buckets, users, quota, use), else the store's.
    Tenants {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// S3 secret keys of CloudStack accounts.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Compares what the driver made on ECS with CloudStack's rows; exits 1 on drift.
    ///
    /// Lists from ECS alone (user prefix, owners, ownership tags) every CloudStack-made user,
    /// bucket credential and bucket; with `--cloudstack` (the rows JSON documented in
    /// `ecs_driver::drift`) also buckets without a row, rows without a bucket, users of deleted
    /// accounts and owners that differ. In `tenancy=domain` it reads the store's namespace and
    /// every domain namespace (`<tenant_namespace_prefix><uuid>`) and names each finding's.
    /// `--fix` removes twin keys; deleting users needs `--yes` too; buckets and data are never
    /// deleted.
    Drift {
        #[command(flatten)]
        store: StoreArgs,
        /// CloudStack's bucket and account rows: {"accounts":[{"uuid","removed","domain_uuid"}],"buckets":[{"name","account_uuid"}]}.
        #[arg(long, value_name = "ROWS_JSON")]
        cloudstack: Option<PathBuf>,
        /// Apply the safe repairs (remove an account user's second, newer key).
        #[arg(long)]
        fix: bool,
        /// With --fix: also delete orphan credential users and users of deleted accounts that own nothing.
        #[arg(long, requires = "fix")]
        yes: bool,
    },
    /// Runs CloudStack's bucket lifecycle against the store, step by step, and cleans up.
    ///
    /// Adds the store, provisions a throw-away account, creates two buckets, uploads, lists,
    /// reads usage, checks three refusals, then deletes everything it created. With
    /// `--sim-control` (an `ecs-sim` management URL) each step shows its ECS requests.
    Demo {
        #[command(flatten)]
        store: StoreArgs,
        /// The emulator's management URL, whose `/_sim/log` counts each step's requests.
        #[arg(long, value_name = "URL")]
        sim_control: Option<url::Url>,
        /// Also show what other CloudStack drivers lack: a per-bucket credential and its key
        /// rotation, ownership tags and a clean drift report.
        #[arg(long)]
        beyond: bool,
    },
}

/// The store detail keys, for `--help`.
const DETAIL_KEYS: &str = "\
Store detail keys (CloudStack's details[n].key; --details FILE, flags or -D KEY=VALUE):
  mgmt_url        ECS Management API URL, e.g. https://ecs.example.com:4443 (required)
  sa_user         management user, System Admin or Namespace Admin (required)
  sa_password     its password (required)
  namespace       ECS namespace of the store's users and buckets (required)
  s3_public_url   S3 URL users see, e.g. https://s3.example.com:9021 (required)
  s3_private_url  S3 URL the driver uses (default: s3_public_url)
  ca_cert         PEM of an extra CA to trust (--ca-cert-file reads it from a file)
  insecure        true: accept any certificate (test systems only)
  replication_group  replication group for new buckets, URN or name (default: the namespace's)
  user_prefix     prefix of ECS object-user names (default: cs-)
  cors_origins    origins allowed to browse buckets, e.g. https://cloud.example.com
  s3_host         the upstream plug-in's private S3 URL (host[:port], https implied, or a URL);
                  same meaning as s3_private_url
  tenancy         shared (default: everyone in namespace) or domain (a namespace per CloudStack domain)
  tenant_namespace_prefix     with tenancy=domain: namespace names <prefix><domain uuid> (default: cs-)
  tenant_namespace_quota_gib  with tenancy=domain: hard quota of each new domain namespace, GB
  tenant_namespace_soft_quota_gib  with tenancy=domain: its soft quota (a notification), GB";

/// `ecsctl buckets ...`
#[derive(Debug, Subcommand)]
pub(crate) enum BucketsCommand {
    /// Lists the buckets with owner, quota, encryption and versioning.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Shows the bytes each bucket uses, as CloudStack's usage task sees them.
    Usage {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Deletes every object, version and delete marker of a bucket (with its owner's keys), so
    /// that CloudStack can delete it. Asks for --yes.
    Empty {
        #[command(flatten)]
        store: StoreArgs,
        /// The bucket.
        bucket: String,
        /// Confirm that every object and version goes for good.
        #[arg(long)]
        yes: bool,
    },
}

/// `ecsctl users ...`
#[derive(Debug, Subcommand)]
pub(crate) enum UsersCommand {
    /// Lists the object users, marking those this store manages for CloudStack accounts.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// `ecsctl keys ...`
#[derive(Debug, Subcommand)]
pub(crate) enum KeysCommand {
    /// Gives an account a new S3 secret key; the old one keeps working for the grace period.
    ///
    /// Prints the new secret once: store it in the account's details in CloudStack.
    Rotate {
        #[command(flatten)]
        store: StoreArgs,
        /// UUID of the CloudStack account.
        account: String,
        /// Minutes the old key stays valid.
        #[arg(long, default_value_t = 60, value_name = "MINUTES")]
        grace_minutes: u64,
    },
}

/// `--sa-password` and `ECSCTL_SA_PASSWORD`, kept in a [`SecretString`] so that the parsed
/// command line (`Debug` included) never shows it.
fn secret(value: &str) -> std::result::Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(value.to_owned()))
}

/// Where the store details come from.
#[derive(Debug, Args)]
pub(crate) struct StoreArgs {
    /// Store details file: a JSON object or `key=value` lines (CloudStack's detail keys).
    #[arg(long, value_name = "FILE", env = "ECSCTL_DETAILS")]
    pub(crate) details: Option<PathBuf>,
    /// Management API URL (`mgmt_url`), e.g. https://ecs.example.com:4443.
    #[arg(long, value_name = "URL")]
    pub(crate) mgmt_url: Option<String>,
    /// Management user (`sa_user`).
    #[arg(long, value_name = "USER")]
    pub(crate) sa_user: Option<String>,
    /// Management password (`sa_password`); prefer the environment variable or the file.
    #[arg(
        long,
        value_name = "PASSWORD",
        env = "ECSCTL_SA_PASSWORD",
        hide_env_values = true,
        value_parser = secret
    )]
    pub(crate) sa_password: Option<SecretString>,
    /// ECS namespace (`namespace`).
    #[arg(long, value_name = "NAMESPACE")]
    pub(crate) namespace: Option<String>,
    /// S3 URL users see (`s3_public_url`).
    #[arg(long, value_name = "URL")]
    pub(crate) s3_public_url: Option<String>,
    /// S3 URL the driver uses (`s3_private_url`).
    #[arg(long, value_name = "URL")]
    pub(crate) s3_private_url: Option<String>,
    /// A PEM file with the CA that signed ECS's certificates (sets `ca_cert`).
    #[arg(long, value_name = "FILE")]
    pub(crate) ca_cert_file: Option<PathBuf>,
    /// Accept any TLS certificate (`insecure=true`). Test systems only.
    #[arg(long)]
    pub(crate) insecure: bool,
    /// Any other detail, `KEY=VALUE` (repeatable), e.g. `-D cors_origins=https://cloud.example.com`.
    #[arg(short = 'D', long = "detail", value_name = "KEY=VALUE")]
    pub(crate) extra: Vec<String>,
}

impl StoreArgs {
    /// The details map: the file first, then each flag on top.
    pub(crate) fn details(&self) -> Result<Details> {
        let mut details = match &self.details {
            Some(path) => details::read_file(path)?,
            None => Details::new(),
        };
        if let Some(password) = &self.sa_password {
            details.insert(
                keys::SA_PASSWORD.to_owned(),
                password.expose_secret().to_owned(),
            );
        }
        let flags = [
            (keys::MGMT_URL, &self.mgmt_url),
            (keys::SA_USER, &self.sa_user),
            (keys::NAMESPACE, &self.namespace),
            (keys::S3_PUBLIC_URL, &self.s3_public_url),
            (keys::S3_PRIVATE_URL, &self.s3_private_url),
        ];
        for (key, value) in flags {
            if let Some(value) = value {
                details.insert(key.to_owned(), value.clone());
            }
        }
        if let Some(path) = &self.ca_cert_file {
            let pem = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the CA file {}", path.display()))?;
            details.insert(keys::CA_CERT.to_owned(), pem);
        }
        if self.insecure {
            details.insert(keys::INSECURE.to_owned(), "true".to_owned());
        }
        for pair in &self.extra {
            let (key, value) = details::split_pair(pair).context("bad --detail")?;
            details.insert(key, value);
        }
        Ok(details)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn flags_override_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("store.properties");
        std::fs::write(&file, "mgmt_url=https://a:4443\nnamespace=ns1\n").unwrap();
        let cli = Cli::try_parse_from([
            "ecsctl",
            "buckets",
            "list",
            "--details",
            file.to_str().unwrap(),
            "--namespace",
            "ns2",
            "-D",
            "user_prefix=acs-",
            "--insecure",
        ])
        .unwrap();
        let Command::Buckets {
            command: BucketsCommand::List { store },
        } = cli.command
        else {
            panic!("parsed the wrong command");
        };
        let details = store.details().unwrap();
        assert_eq!(details["mgmt_url"], "https://a:4443");
        assert_eq!(details["namespace"], "ns2");
        assert_eq!(details["user_prefix"], "acs-");
        assert_eq!(details["insecure"], "true");
    }

    #[test]
    fn the_parsed_command_line_never_shows_the_password() {
        let cli = Cli::try_parse_from([
            "ecsctl",
            "buckets",
            "list",
            "--mgmt-url",
            "https://a:4443",
            "--sa-password",
            "pa55-word-under-test",
        ])
        .unwrap();
        let debug = format!("{cli:?}");
        assert!(!debug.contains("pa55-word-under-test"), "{debug}");
        let Command::Buckets {
            command: BucketsCommand::List { store },
        } = cli.command
        else {
            panic!("parsed the wrong command");
        };
        assert_eq!(
            store.details().unwrap()["sa_password"],
            "pa55-word-under-test"
        );
    }
}
