//! Per-bucket settings CloudStack sets after creation and from the update form: versioning,
//! encryption, quota and policy. Each is idempotent: the update form re-sends unchanged values.

use ecs_common::{Error, Result};
use ecs_mgmt::{BucketQuota, VersioningStatus};

use super::EcsObjectStore;
use crate::echo::Setting;
use crate::policy::{PolicyWrite, plan_private, plan_public, with_credential_statements};
use crate::{PolicySpec, validate};

impl EcsObjectStore {
    /// Turns versioning on, or off (S3 cannot switch it off: it becomes `Suspended`).
    pub async fn set_versioning(&self, bucket: &str, enabled: bool) -> Result<()> {
        self.ensure_open()?;
        validate::bucket_name(bucket)?;
        if self
            .echoes()
            .take_if_same(bucket, &Setting::Versioning(enabled))
        {
            return Ok(());
        }
        let status = if enabled {
            VersioningStatus::Enabled
        } else {
            VersioningStatus::Suspended
        };
        self.put_versioning(bucket, status, None).await
    }

    /// Succeeds when the bucket's encryption already is `enabled`; ECS fixes encryption at
    /// creation, so a change fails with [`ErrorKind::Unsupported`](ecs_common::ErrorKind).
    pub async fn set_encryption(&self, bucket: &str, enabled: bool) -> Result<()> {
        self.ensure_open()?;
        validate::bucket_name(bucket)?;
        if self
            .echoes()
            .take_if_same(bucket, &Setting::Encryption(enabled))
        {
            return Ok(());
        }
        let info = self
            .mgmt()
            .buckets()
            .info(bucket, self.namespace()?)
            .await?;
        if info.encryption == enabled {
            return Ok(());
        }
        let (now, wanted) = if info.encryption {
            ("on", "off")
        } else {
            ("off", "on")
        };
        Err(Error::unsupported(format!(
            "ECS fixes encryption when a bucket is created: bucket {bucket} has it {now} and it cannot be turned {wanted}"
        )))
    }

    /// Sets the hard quota in GiB: raising and lowering both work, and 0 removes the quota.
    pub async fn set_quota(&self, bucket: &str, gib: u64) -> Result<()> {
        self.ensure_open()?;
        validate::bucket_name(bucket)?;
        validate::quota_gib(gib)?;
        if self.echoes().take_if_same(bucket, &Setting::Quota(gib)) {
            return Ok(());
        }
        if self.config().tenancy().domain().is_none() {
            return self.write_quota(bucket, gib).await;
        }
        let namespace = self.mgmt().namespaces().info(self.namespace()?).await?;
        let quota = (gib > 0).then_some(gib);
        let before = self.check_namespace_room(&namespace, bucket, quota).await?;
        self.write_quota(bucket, gib).await?;
        let raised = gib > 0 && before.is_none_or(|before| gib > before);
        if raised && let Err(err) = self.recheck_namespace_room(&namespace, bucket, gib).await {
            // A racing creation or raise took the room: put the quota back as it was.
            return Err(match self.write_quota(bucket, before.unwrap_or(0)).await {
                Ok(()) => err,
                Err(undo) => err
                    .with_context(
                        "undo",
                        format!("putting the quota of {bucket} back failed too ({undo})"),
                    )
                    .with_retryable(false),
            });
        }
        Ok(())
    }

    /// Writes a bucket's hard (and notification) quota; 0 removes it.
    async fn write_quota(&self, bucket: &str, gib: u64) -> Result<()> {
        let buckets = self.mgmt().buckets();
        if gib == 0 {
            buckets.delete_quota(bucket, self.namespace()?).await
        } else {
            let quota = BucketQuota::new(Some(gib), Some(gib));
            buckets.set_quota(bucket, self.namespace()?, &quota).await
        }
    }

    /// Applies CloudStack's policy choice.
    ///
    /// `Public` adds the driver's anonymous list/read statements and keeps the user's other
    /// statements; `Private` removes every anonymous grant and keeps the rest; a custom policy
    /// (which must name only this bucket) replaces the policy. Nothing is written when the
    /// policy already is as asked.
    pub async fn set_policy(&self, bucket: &str, policy: &PolicySpec) -> Result<()> {
        self.ensure_open()?;
        validate::bucket_name(bucket)?;
        policy.check_for_bucket(bucket)?;
        if self
            .echoes()
            .take_if_same(bucket, &Setting::Policy(policy.clone()))
        {
            return Ok(());
        }
        let buckets = self.mgmt().buckets();
        let write = match policy {
            PolicySpec::Custom(custom) => {
                // Keep a bucket credential's grant (see `credentials`).
                let current = buckets.policy(bucket, self.namespace()?).await?;
                PolicyWrite::Put(with_credential_statements(
                    current.as_deref(),
                    custom.as_str(),
                ))
            }
            PolicySpec::Public => {
                let current = buckets.policy(bucket, self.namespace()?).await?;
                plan_public(current.as_deref(), bucket)
            }
            PolicySpec::Private => {
                let current = buckets.policy(bucket, self.namespace()?).await?;
                plan_private(current.as_deref())
            }
        };
        match write {
            PolicyWrite::Keep => Ok(()),
            PolicyWrite::Put(document) => {
                buckets
                    .set_policy(bucket, self.namespace()?, &document)
                    .await
            }
            PolicyWrite::Delete => buckets.delete_policy(bucket, self.namespace()?).await,
        }
    }

    /// The bucket's policy document, or `None` when it has none.
    pub async fn get_policy(&self, bucket: &str) -> Result<Option<String>> {
        self.ensure_open()?;
        validate::bucket_name(bucket)?;
        let policy = self
            .mgmt()
            .buckets()
            .policy(bucket, self.namespace()?)
            .await?;
        Ok(policy.filter(|text| !text.trim().is_empty() && text.trim() != "{}"))
    }
}
