//! Bucket life cycle: create (with every option, rolled back on failure), delete, list.

use ecs_common::{Error, ErrorKind, Result};
use ecs_mgmt::{BucketCreate, BucketInfo, BucketTag, VersioningStatus};
use futures::TryStreamExt;

use super::EcsObjectStore;
use crate::cors;
use crate::echo::Setting;
use crate::policy::{PolicyWrite, plan_public};
use crate::{
    AccountCredentials, BucketSpec, BucketSummary, CreatedBucket, Ownership, PolicySpec, validate,
};

impl EcsObjectStore {
    /// Creates a bucket with every option CloudStack offers, owned by the account's user.
    ///
    /// Quota (GiB, `None`/0 = none), encryption and owner go into the creation request;
    /// versioning, policy and the CORS rule for the UI follow. If any step fails, the bucket
    /// is deleted again and the error says which step failed. Object lock (which turns
    /// versioning on) is applied with the store's default retention where ECS has it (3.6.2
    /// and later) and the store allows it; otherwise it is refused with
    /// [`ErrorKind::Unsupported`] before anything is written.
    pub async fn create_bucket(&self, spec: &BucketSpec) -> Result<CreatedBucket> {
        self.create_owned_bucket(spec, &Ownership::default()).await
    }

    /// [`create_bucket`](Self::create_bucket) with CloudStack's ids of the owner, written as
    /// ECS bucket tags in the same creation request (see [`Ownership`]).
    ///
    /// In `domain` tenancy the bucket goes into the owner's domain namespace: the domain of
    /// [`for_domain`](Self::for_domain), else `ownership.domain_uuid` (both given and
    /// different: `InvalidInput`). The namespace is created when missing (and the owner's
    /// user with it), and the namespace's hard quota must hold the bucket's quota (see
    /// `check_namespace_room`), also after the creation: a bucket whose quota a racing
    /// creation left no room for is deleted again (`recheck_namespace_room`).
    pub async fn create_owned_bucket(
        &self,
        spec: &BucketSpec,
        ownership: &Ownership,
    ) -> Result<CreatedBucket> {
        self.ensure_open()?;
        let (owner, quota) = self.check_spec(spec)?;
        check_ownership(ownership)?;
        if let Some(domain) = &ownership.domain_uuid {
            match self.domain_uuid() {
                None if self.config().tenancy().domain().is_some() => {
                    return Box::pin(
                        self.for_domain(domain)?
                            .create_owned_bucket(spec, ownership),
                    )
                    .await;
                }
                Some(scoped) if !scoped.eq_ignore_ascii_case(domain) => {
                    return Err(Error::invalid_input(format!(
                        "the bucket's owner is in domain {domain}, but the call was made for \
                         domain {scoped}"
                    )));
                }
                _ => {}
            }
        }
        self.namespace()?;
        if spec.object_lock {
            self.check_object_lock_allowed().await?;
        }
        self.check_tenancy_switch().await?;
        let tenant = self.ensure_tenant_namespace().await?;
        let stored = spec
            .credentials
            .clone()
            .filter(|_| !tenant.as_ref().is_some_and(|tenant| tenant.created));
        let credentials = match stored {
            Some(credentials) => credentials,
            None => {
                self.ensure_account_user(&spec.account_uuid, spec.credentials.clone())
                    .await?
            }
        };
        if let Some(tenant) = &tenant {
            self.check_namespace_room(&tenant.info, &spec.name, quota)
                .await?;
        }
        let mut create = BucketCreate::new(&spec.name, self.namespace()?);
        create.owner = Some(owner);
        create.vpool = self.vpool().await?;
        create.head_type = Some("s3".to_owned());
        create.encryption = Some(spec.encryption);
        create.block_size_gb = quota;
        create.notification_size_gb = quota;
        create.tags = self.ownership_tags(spec, ownership);
        // Object lock turns versioning on for good (ECS does it with the lock).
        create.object_lock = spec.object_lock.then_some(true);
        self.mgmt()
            .buckets()
            .create(&create)
            .await
            .map_err(|err| creation_error(&spec.name, err))?;
        tracing::info!(bucket = %spec.name, "created bucket");

        if let (Some(tenant), Some(gib)) = (&tenant, quota)
            && let Err(err) = self
                .recheck_namespace_room(&tenant.info, &spec.name, gib)
                .await
        {
            return Err(self.roll_back(&spec.name, err).await);
        }
        if let Err(err) = self.configure_new_bucket(spec, &credentials).await {
            return Err(self.roll_back(&spec.name, err).await);
        }
        self.echoes()
            .remember(&spec.name, creation_settings(spec, quota));
        Ok(CreatedBucket {
            name: spec.name.clone(),
            url: self.config().bucket_url(&spec.name),
            credentials,
            versioning: spec.versioning || spec.object_lock,
        })
    }

    /// Deletes a bucket. A missing bucket counts as deleted; a bucket that still holds data
    /// fails with [`ErrorKind::NotEmpty`], saying what remains.
    pub async fn delete_bucket(&self, bucket: &str) -> Result<()> {
        self.ensure_open()?;
        validate::bucket_name(bucket)?;
        self.echoes().forget(bucket);
        match self
            .mgmt()
            .buckets()
            .delete(bucket, self.namespace()?, false)
            .await
        {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == ErrorKind::NotFound => {
                tracing::info!(bucket, "bucket to delete is already gone");
                Ok(())
            }
            Err(err) if err.kind() == ErrorKind::NotEmpty => {
                match self.retained_until(bucket).await {
                    Some(until) => Err(super::lock::retained_error(bucket, until, err)),
                    None => Err(self.not_empty_error(bucket, err).await),
                }
            }
            Err(err) => Err(err),
        }
    }

    /// Every bucket of the namespace (all pages), seen with the service account; in `domain`
    /// tenancy without a domain, of every domain namespace.
    pub async fn list_buckets(&self) -> Result<Vec<BucketSummary>> {
        self.ensure_open()?;
        let mut buckets = Vec::new();
        for (namespace, _) in self.namespaces_in_view().await? {
            let mut listed: Vec<BucketSummary> = self
                .mgmt()
                .buckets()
                .list(&namespace)
                .map_ok(summary)
                .try_collect()
                .await?;
            buckets.append(&mut listed);
        }
        Ok(buckets)
    }

    /// Validates a spec without sending anything; returns the owner and the quota to set.
    /// The bucket tags saying who owns the bucket in CloudStack (see [`crate::Ownership`]).
    fn ownership_tags(&self, spec: &BucketSpec, ownership: &Ownership) -> Vec<BucketTag> {
        let features = self.config().features();
        [
            ("store", ownership.store_uuid.as_deref()),
            ("account", Some(spec.account_uuid.as_str())),
            ("domain", ownership.domain_uuid.as_deref()),
            ("project", ownership.project_uuid.as_deref()),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| BucketTag::new(features.tag(name), value)))
        .collect()
    }

    fn check_spec(&self, spec: &BucketSpec) -> Result<(String, Option<u64>)> {
        validate::bucket_name(&spec.name)?;
        let owner = self.config().user_id(&spec.account_uuid)?;
        if let Some(credentials) = &spec.credentials
            && credentials.user_id != owner
        {
            return Err(Error::invalid_input(format!(
                "the credentials belong to {}, not to the account's user {owner}",
                credentials.user_id
            )));
        }
        let quota = spec.quota_gib.filter(|gib| *gib > 0);
        if let Some(gib) = quota {
            validate::quota_gib(gib)?;
        }
        if let Some(policy) = &spec.policy {
            policy.check_for_bucket(&spec.name)?;
        }
        Ok((owner, quota))
    }

    /// Versioning, policy and CORS of a bucket that was just created (so it has no policy).
    async fn configure_new_bucket(
        &self,
        spec: &BucketSpec,
        credentials: &AccountCredentials,
    ) -> Result<()> {
        let buckets = self.mgmt().buckets();
        if spec.object_lock {
            self.put_default_retention(&spec.name, credentials)
                .await
                .map_err(|err| step_error("set the default retention", err))?;
        }
        if spec.versioning && !spec.object_lock {
            self.put_versioning(&spec.name, VersioningStatus::Enabled, Some(credentials))
                .await
                .map_err(|err| step_error("enable versioning", err))?;
        }
        let policy = match &spec.policy {
            Some(PolicySpec::Public) => plan_public(None, &spec.name),
            Some(PolicySpec::Custom(custom)) => PolicyWrite::Put(custom.as_str().to_owned()),
            Some(PolicySpec::Private) | None => PolicyWrite::Keep,
        };
        if let PolicyWrite::Put(document) = policy {
            buckets
                .set_policy(&spec.name, self.namespace()?, &document)
                .await
                .map_err(|err| step_error("set the bucket policy", err))?;
        }
        let origins = self.config().cors_origins();
        if !origins.is_empty() {
            self.put_cors_once_key_works(&spec.name, credentials, &[cors::ui_rule(origins)])
                .await
                .map_err(|err| step_error("set the CORS rule", err))?;
        }
        Ok(())
    }

    /// Puts the CORS rule with the owner's keys. A key created moments ago may not work on
    /// every ECS node yet (up to two minutes): while S3 refuses it as unknown, the call is
    /// repeated with backoff, up to the configured `key_propagation_wait`. Other errors fail
    /// at once.
    async fn put_cors_once_key_works(
        &self,
        bucket: &str,
        credentials: &AccountCredentials,
        rules: &[ecs_s3::CorsRule],
    ) -> Result<()> {
        self.with_owner_key(bucket, credentials, |client| async move {
            client.put_cors(bucket, rules).await
        })
        .await
    }

    /// Deletes a bucket whose configuration failed; returns the error to report.
    async fn roll_back(&self, bucket: &str, cause: Error) -> Error {
        let Ok(namespace) = self.namespace() else {
            return cause;
        };
        match self.mgmt().buckets().delete(bucket, namespace, false).await {
            Ok(()) => {
                tracing::warn!(bucket, error = %cause, "bucket creation failed; the bucket was removed");
                cause
            }
            Err(err) if err.kind() == ErrorKind::NotFound => cause,
            Err(rollback) => {
                tracing::error!(bucket, error = %cause, rollback = %rollback, "bucket creation failed and the bucket could not be removed");
                cause
                    .with_context(
                        "rollback",
                        format!(
                            "removing the half-created bucket {bucket} failed too ({rollback}), delete it by hand"
                        ),
                    )
                    .with_retryable(false)
            }
        }
    }

    /// The replication group's URN: configured as a URN, or resolved once from its name.
    async fn vpool(&self) -> Result<Option<String>> {
        let Some(group) = self.config().replication_group().map(str::to_owned) else {
            return Ok(None);
        };
        if group.starts_with("urn:") {
            return Ok(Some(group));
        }
        self.inner
            .vpool
            .get_or_try_init(|| async {
                let groups = self.mgmt().replication_groups().list().await?;
                groups
                    .into_iter()
                    .find(|candidate| candidate.name == group && !candidate.inactive)
                    .map(|found| Some(found.id))
                    .ok_or_else(|| {
                        Error::invalid_input(format!(
                            "replication group {group} does not exist or is inactive"
                        ))
                    })
            })
            .await
            .cloned()
    }

    /// Builds the "not empty" error, with what billing reports remains.
    async fn not_empty_error(&self, bucket: &str, cause: Error) -> Error {
        let billing = match self.namespace() {
            Ok(namespace) => self.mgmt().billing().bucket_info(namespace, bucket).await,
            Err(err) => Err(err),
        };
        let remains = match billing {
            Ok(billing) => format!(
                "ECS metering reports {} object(s), {} byte(s)",
                billing.total_objects, billing.total_size_bytes
            ),
            Err(_) => "it still holds objects or object versions".to_owned(),
        };
        cause
            .wrap(format!(
                "bucket {bucket} is not empty: {remains}; delete its objects and versions first"
            ))
            .with_operation("delete bucket")
    }
}

fn creation_error(bucket: &str, err: Error) -> Error {
    if err.kind() == ErrorKind::AlreadyExists {
        return err
            .wrap(format!(
                "bucket name {bucket} is already taken in the namespace; choose another name"
            ))
            .with_operation("create bucket");
    }
    err
}

/// A failed configuration step of a new bucket, classified as the step's error was.
fn step_error(step: &'static str, err: Error) -> Error {
    err.wrap(format!("bucket created but could not {step}"))
        .with_operation("create bucket")
}

/// The follow-ups CloudStack's `createBucket` job sends after the driver's `createBucket`
/// (`BucketApiServiceImpl`): versioning and encryption only when on, the quota and the policy
/// only when given. Nothing else is remembered, so nothing else can be answered from memory.
fn creation_settings(spec: &BucketSpec, quota: Option<u64>) -> Vec<Setting> {
    let mut settings = Vec::with_capacity(4);
    if spec.versioning || spec.object_lock {
        settings.push(Setting::Versioning(true));
    }
    if spec.encryption {
        settings.push(Setting::Encryption(true));
    }
    if spec.quota_gib.is_some() {
        settings.push(Setting::Quota(quota.unwrap_or(0)));
    }
    if let Some(policy) = &spec.policy {
        settings.push(Setting::Policy(policy.clone()));
    }
    settings
}

fn summary(info: BucketInfo) -> BucketSummary {
    BucketSummary {
        created: info.created.and_then(|created| {
            created
                .format(&time::format_description::well_known::Rfc3339)
                .ok()
        }),
        quota_gib: info.block_size_gb.filter(|gib| *gib > 0),
        encryption: info.encryption,
        versioning: info.versioning_status == VersioningStatus::Enabled,
        owner: info.owner,
        name: info.name,
    }
}

/// Each given id of the owner must be a UUID (they become tag values).
fn check_ownership(ownership: &Ownership) -> Result<()> {
    for (what, value) in [
        ("store", &ownership.store_uuid),
        ("domain", &ownership.domain_uuid),
        ("project", &ownership.project_uuid),
    ] {
        if let Some(value) = value {
            validate::account_uuid(value)
                .map_err(|err| err.wrap(format!("the {what} UUID is not valid")))?;
        }
    }
    Ok(())
}
