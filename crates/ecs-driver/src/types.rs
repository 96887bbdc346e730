//! The CloudStack-facing values the driver takes and returns.

use std::fmt;

use ecs_common::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

use crate::PolicySpec;

/// The S3 credentials of one CloudStack account on ECS.
///
/// On ECS the access key id is the object-user name (`<prefix><account uuid>`). `Debug`
/// never shows the secret.
#[derive(Clone)]
pub struct AccountCredentials {
    /// The ECS object user, which is also the S3 access key id.
    pub user_id: String,
    /// The S3 secret key.
    pub secret_key: SecretString,
}

impl AccountCredentials {
    /// Bundles a user id and a secret key.
    pub fn new(user_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        AccountCredentials {
            user_id: user_id.into(),
            secret_key: SecretString::from(secret_key.into()),
        }
    }

    /// Whether both hold the same user and secret (the secrets compared in constant time).
    pub fn same_as(&self, other: &AccountCredentials) -> bool {
        self.user_id == other.user_id && same_secret(&self.secret_key, &other.secret_key)
    }
}

impl fmt::Debug for AccountCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountCredentials")
            .field("user_id", &self.user_id)
            .field("secret_key", &"** redacted **")
            .finish()
    }
}

/// Whether two secrets are equal, compared in time independent of where they differ.
pub(crate) fn same_secret(a: &SecretString, b: &SecretString) -> bool {
    a.expose_secret()
        .as_bytes()
        .ct_eq(b.expose_secret().as_bytes())
        .into()
}

/// What CloudStack asks for when it creates a bucket (`BucketVO` plus the object-lock flag).
#[derive(Clone, Debug, Default)]
pub struct BucketSpec {
    /// The bucket name (DNS-safe, 3–63 characters).
    pub name: String,
    /// UUID of the owning CloudStack account.
    pub account_uuid: String,
    /// The account's stored credentials, when CloudStack has them (saves a request).
    pub credentials: Option<AccountCredentials>,
    /// Hard quota in GiB; `None` or `Some(0)` means no quota.
    pub quota_gib: Option<u64>,
    /// Server-side encryption, fixed at creation on ECS.
    pub encryption: bool,
    /// Turn versioning on.
    pub versioning: bool,
    /// The bucket policy to apply, if any.
    pub policy: Option<PolicySpec>,
    /// S3 Object Lock (ECS 3.6.2 and later, unless the store refuses it); turns versioning on.
    pub object_lock: bool,
}

/// CloudStack's ids of a bucket's owner, put on the bucket as ECS bucket tags named
/// `<tag prefix>store`, `account`, `domain` and `project` (prefix `cloudstack:` by default), so
/// chargeback, recovery and `ecsctl drift` can tell who owns what from ECS alone. The account
/// tag is always written (from the bucket's account UUID); the others when given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ownership {
    /// The CloudStack object store's UUID.
    pub store_uuid: Option<String>,
    /// The owning account's domain UUID.
    pub domain_uuid: Option<String>,
    /// The project UUID, when the owner is a project's account.
    pub project_uuid: Option<String>,
}

impl BucketSpec {
    /// A spec with only the name and owner set; everything else off.
    pub fn new(name: impl Into<String>, account_uuid: impl Into<String>) -> Self {
        BucketSpec {
            name: name.into(),
            account_uuid: account_uuid.into(),
            ..BucketSpec::default()
        }
    }
}

/// A bucket the driver created.
#[derive(Clone, Debug)]
pub struct CreatedBucket {
    /// The bucket name.
    pub name: String,
    /// The public path-style URL, `<s3_public_url>/<name>`.
    pub url: String,
    /// The owner's S3 credentials, to be stored on the bucket row.
    pub credentials: AccountCredentials,
    /// Whether versioning is on (asked for, or turned on by object lock), for the bucket row.
    pub versioning: bool,
}

/// One bucket of the store's namespace, as the service account sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BucketSummary {
    /// The bucket name.
    pub name: String,
    /// The owning object user, if ECS reports one.
    pub owner: Option<String>,
    /// Creation time as ECS reports it (ISO-8601).
    pub created: Option<String>,
    /// Hard quota in GiB; `None` = no quota.
    pub quota_gib: Option<u64>,
    /// Whether server-side encryption is on.
    pub encryption: bool,
    /// Whether versioning is enabled (not suspended or off).
    pub versioning: bool,
}

/// The outcome of [`EcsObjectStore::check`](crate::EcsObjectStore::check).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckReport {
    /// Whether every check passed.
    pub ok: bool,
    /// Each check, in the order they ran.
    pub checks: Vec<Check>,
}

impl CheckReport {
    /// Builds a report; `ok` is true when every check passed.
    pub fn new(checks: Vec<Check>) -> Self {
        CheckReport {
            ok: checks.iter().all(|check| check.ok),
            checks,
        }
    }

    /// The failed checks' details joined into one line, for an administrator.
    pub fn summary(&self) -> String {
        let failed: Vec<String> = self
            .checks
            .iter()
            .filter(|check| !check.ok)
            .map(|check| format!("{}: {}", check.name, check.detail))
            .collect();
        if failed.is_empty() {
            "all checks passed".to_owned()
        } else {
            failed.join("; ")
        }
    }
}

/// One connectivity check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// A stable name: `login`, `role`, `namespace`, `replication_group`, `ecs_version`, `s3`,
    /// `tls`.
    pub name: String,
    /// Whether it passed.
    pub ok: bool,
    /// What was found, or what went wrong and how to fix it.
    pub detail: String,
}

impl Check {
    /// A passed check.
    pub fn pass(name: &str, detail: impl Into<String>) -> Self {
        Check {
            name: name.to_owned(),
            ok: true,
            detail: detail.into(),
        }
    }

    /// A failed check.
    pub fn fail(name: &str, detail: impl Into<String>) -> Self {
        Check {
            name: name.to_owned(),
            ok: false,
            detail: detail.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_debug_is_redacted() {
        let credentials = AccountCredentials::new("cs-x", "topsecret");
        let debug = format!("{credentials:?}");
        assert!(!debug.contains("topsecret"), "{debug}");
        assert!(debug.contains("cs-x"));
    }

    #[test]
    fn credentials_compare() {
        let a = AccountCredentials::new("u", "k1");
        assert!(a.same_as(&AccountCredentials::new("u", "k1")));
        assert!(!a.same_as(&AccountCredentials::new("u", "k2")));
        assert!(!a.same_as(&AccountCredentials::new("v", "k1")));
        assert!(!a.same_as(&AccountCredentials::new("u", "k10")));
    }

    #[test]
    fn report_is_ok_only_when_all_pass() {
        let report = CheckReport::new(vec![Check::pass("login", "ok")]);
        assert!(report.ok);
        assert_eq!(report.summary(), "all checks passed");
        let report = CheckReport::new(vec![
            Check::pass("login", "ok"),
            Check::fail("s3", "refused"),
        ]);
        assert!(!report.ok);
        assert_eq!(report.summary(), "s3: refused");
    }
}
