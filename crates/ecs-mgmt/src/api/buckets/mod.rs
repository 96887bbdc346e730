//! Buckets (`/object/bucket`): creation with every common option, listing, info, deletion
//! (with `emptyBucket` and status polling), quota, policy, versioning, owner, ACL, tags and the
//! administrative lock.

mod model;
pub(crate) mod requests;

use std::time::{Duration, Instant};

use ecs_common::{Error, ErrorKind, Result};
use http::Method;

pub use model::{
    Acl, BucketAcl, BucketCreate, BucketCreated, BucketInfo, BucketQuota, BucketRetention,
    BucketTag, CustomGroupGrant, EmptyBucketStatus, GroupGrant, UserGrant, VersioningStatus,
};
pub(crate) use model::{BucketList, BucketLockDoc, VersioningDoc};
use requests::*;

use crate::client::{EcsMgmtClient, ReadBack};
use crate::pagination::{ItemStream, Page, paginate};
use crate::retry::Backoff;
use crate::transport::Response;
use crate::wire::Format;

/// Bucket calls; get one with [`EcsMgmtClient::buckets`].
#[derive(Clone, Debug)]
pub struct Buckets {
    client: EcsMgmtClient,
}

impl Buckets {
    pub(crate) fn new(client: EcsMgmtClient) -> Self {
        Buckets { client }
    }

    fn format(&self) -> Format {
        self.client.format()
    }

    /// Creates a bucket. A name taken in the namespace fails with [`ErrorKind::AlreadyExists`].
    ///
    /// When the answer is lost, the bucket is read back: if it exists with the requested owner
    /// the creation counts as done, if it does not exist the request is sent once more.
    pub async fn create(&self, create: &BucketCreate) -> Result<BucketCreated> {
        let request = create_request(create, self.format())?;
        let decode = |response: &Response| {
            crate::wire::decode(&response.body, request.accept)
                .map_err(|err| err.with_operation(request.operation))
        };
        let read_back = || async {
            match self.info(&create.name, &create.namespace).await {
                Ok(info) if create.owner.is_none() || info.owner == create.owner => {
                    Ok(ReadBack::Applied(BucketCreated {
                        id: info
                            .id
                            .unwrap_or_else(|| format!("{}.{}", create.namespace, create.name)),
                        name: info.name,
                    }))
                }
                Ok(_) => Ok(ReadBack::Refused(
                    Error::new(
                        ErrorKind::AlreadyExists,
                        format!("bucket {} exists with another owner", create.name),
                    )
                    .with_operation("create bucket"),
                )),
                Err(read) if read.kind() == ErrorKind::NotFound => Ok(ReadBack::Absent),
                Err(read) => Err(read),
            }
        };
        self.client
            .call_or_read_back(&request, decode, read_back)
            .await
    }

    /// A bucket's details; [`ErrorKind::NotFound`] when it does not exist.
    pub async fn info(&self, name: &str, namespace: &str) -> Result<BucketInfo> {
        self.client
            .call_decode(&info_request(name, namespace, self.format())?)
            .await
    }

    /// Whether a bucket exists.
    pub async fn exists(&self, name: &str, namespace: &str) -> Result<bool> {
        match self.info(name, namespace).await {
            Ok(_) => Ok(true),
            Err(err) if err.kind() == ErrorKind::NotFound => Ok(false),
            Err(err) => Err(err),
        }
    }

    /// Every bucket of a namespace, fetched page by page as the stream is read.
    pub fn list(&self, namespace: &str) -> ItemStream<BucketInfo> {
        let (this, namespace) = (self.clone(), namespace.to_owned());
        paginate(move |marker| {
            let (this, namespace) = (this.clone(), namespace.clone());
            async move { this.list_page(&namespace, marker.as_deref()).await }
        })
    }

    /// One page of buckets.
    pub async fn list_page(
        &self,
        namespace: &str,
        marker: Option<&str>,
    ) -> Result<Page<BucketInfo>> {
        let list: BucketList = self
            .client
            .call_decode(
                &self
                    .client
                    .paged(list_request(namespace, marker, self.format())?),
            )
            .await?;
        Ok(Page::new(list.object_bucket, list.next_marker))
    }

    /// Deletes a bucket. With `empty`, ECS first removes every object (a background task this
    /// call waits for, up to the client's `empty_bucket_timeout`); without it a bucket that
    /// still holds data is refused.
    pub async fn delete(&self, name: &str, namespace: &str, empty: bool) -> Result<()> {
        let response = self
            .client
            .call(&delete_request(name, namespace, empty, self.format())?)
            .await?;
        if response.status == 202 {
            self.wait_until_emptied(name, namespace).await?;
        }
        Ok(())
    }

    async fn wait_until_emptied(&self, name: &str, namespace: &str) -> Result<()> {
        let deadline = Instant::now() + self.client.empty_bucket_timeout();
        let mut backoff = Backoff::between(Duration::from_millis(100), Duration::from_secs(5));
        loop {
            match self.empty_bucket_status(name, namespace).await {
                Ok(status) if status.is_finished() => return finished(name, &status),
                Ok(status) => {
                    tracing::debug!(bucket = name, status = %status.status, "emptying bucket")
                }
                Err(err) if err.kind() == ErrorKind::NotFound => return Ok(()),
                Err(err) => return Err(err),
            }
            let delay = backoff.next_delay();
            if Instant::now() + delay > deadline {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!("bucket {name} is still being emptied"),
                )
                .with_operation("delete bucket"));
            }
            tokio::time::sleep(delay).await;
        }
    }

    /// Progress of an `emptyBucket` deletion.
    pub async fn empty_bucket_status(
        &self,
        name: &str,
        namespace: &str,
    ) -> Result<EmptyBucketStatus> {
        self.client
            .call_decode(&empty_status_request(name, namespace, self.format())?)
            .await
    }

    /// A bucket's quota.
    pub async fn quota(&self, name: &str, namespace: &str) -> Result<BucketQuota> {
        self.client
            .call_decode(&quota_request(Method::GET, name, namespace, self.format())?)
            .await
    }

    /// Sets a bucket's quota (at least one limit; the soft limit not above the hard one).
    pub async fn set_quota(&self, name: &str, namespace: &str, quota: &BucketQuota) -> Result<()> {
        self.client
            .call_unit(&set_quota_request(name, namespace, quota, self.format())?)
            .await
    }

    /// Removes a bucket's quota.
    pub async fn delete_quota(&self, name: &str, namespace: &str) -> Result<()> {
        self.client
            .call_unit(&quota_request(
                Method::DELETE,
                name,
                namespace,
                self.format(),
            )?)
            .await
    }

    /// A bucket's policy JSON, or `None` when it has none.
    pub async fn policy(&self, name: &str, namespace: &str) -> Result<Option<String>> {
        let response = self
            .client
            .call(&policy_request(Method::GET, name, namespace)?)
            .await?;
        let text = String::from_utf8(response.body.to_vec()).map_err(|_| {
            Error::new(ErrorKind::Protocol, "the bucket policy is not UTF-8")
                .with_operation("bucket policy")
        })?;
        let trimmed = text.trim();
        if response.status == 204 || trimmed.is_empty() || trimmed == "{}" {
            return Ok(None);
        }
        serde_json::from_str::<serde_json::Value>(trimmed).map_err(|err| {
            Error::new(
                ErrorKind::Protocol,
                format!("the bucket policy is not JSON: {err}"),
            )
            .with_operation("bucket policy")
        })?;
        Ok(Some(trimmed.to_owned()))
    }

    /// Replaces a bucket's policy (a JSON document with a `Statement`).
    pub async fn set_policy(&self, name: &str, namespace: &str, policy: &str) -> Result<()> {
        self.client
            .call_unit(&set_policy_request(name, namespace, policy)?)
            .await
    }

    /// Removes a bucket's policy.
    pub async fn delete_policy(&self, name: &str, namespace: &str) -> Result<()> {
        self.client
            .call_unit(&policy_request(Method::DELETE, name, namespace)?)
            .await
    }

    /// A bucket's versioning state.
    pub async fn versioning(&self, name: &str, namespace: &str) -> Result<VersioningStatus> {
        let doc: VersioningDoc = self
            .client
            .call_decode(&versioning_request(name, namespace, self.format())?)
            .await?;
        VersioningStatus::parse(doc.status.as_deref())
            .map_err(|err| err.with_operation("bucket versioning"))
    }

    /// Enables or suspends versioning.
    pub async fn set_versioning(
        &self,
        name: &str,
        namespace: &str,
        status: VersioningStatus,
    ) -> Result<()> {
        self.client
            .call_unit(&set_versioning_request(
                name,
                namespace,
                status,
                self.format(),
            )?)
            .await
    }

    /// Gives a bucket to another object user.
    pub async fn set_owner(&self, name: &str, namespace: &str, owner: &str) -> Result<()> {
        self.client
            .call_unit(&owner_request(
                name,
                namespace,
                owner,
                false,
                self.format(),
            )?)
            .await
    }

    /// A bucket's ACL.
    pub async fn acl(&self, name: &str, namespace: &str) -> Result<BucketAcl> {
        self.client
            .call_decode(&acl_request(name, namespace, self.format())?)
            .await
    }

    /// Replaces a bucket's ACL.
    pub async fn set_acl(&self, acl: &BucketAcl) -> Result<()> {
        self.client
            .call_unit(&set_acl_request(acl, self.format())?)
            .await
    }

    /// Adds tags (at most 10 in all).
    pub async fn add_tags(&self, name: &str, namespace: &str, tags: &[BucketTag]) -> Result<()> {
        self.client
            .call_unit(&tags_request(
                Method::POST,
                name,
                namespace,
                tags,
                self.format(),
            )?)
            .await
    }

    /// Changes the values of existing tags.
    pub async fn update_tags(&self, name: &str, namespace: &str, tags: &[BucketTag]) -> Result<()> {
        self.client
            .call_unit(&tags_request(
                Method::PUT,
                name,
                namespace,
                tags,
                self.format(),
            )?)
            .await
    }

    /// Removes tags.
    pub async fn remove_tags(&self, name: &str, namespace: &str, tags: &[BucketTag]) -> Result<()> {
        self.client
            .call_unit(&tags_request(
                Method::DELETE,
                name,
                namespace,
                tags,
                self.format(),
            )?)
            .await
    }

    /// A bucket's default retention (ECS retention, not S3 Object Lock).
    pub async fn retention(&self, name: &str, namespace: &str) -> Result<BucketRetention> {
        self.client
            .call_decode(&retention_request(name, namespace, self.format())?)
            .await
    }

    /// Sets a bucket's default retention in seconds (`None` removes it): objects cannot be
    /// deleted or overwritten until they are that old.
    pub async fn set_retention(
        &self,
        name: &str,
        namespace: &str,
        seconds: Option<u64>,
    ) -> Result<()> {
        self.client
            .call_unit(&set_retention_request(
                name,
                namespace,
                seconds,
                self.format(),
            )?)
            .await
    }

    /// Allows or forbids access during a site outage (ADO, `is_stale_allowed`); with
    /// `tso_read_only`, access during a temporary outage is read-only.
    pub async fn set_stale_allowed(
        &self,
        name: &str,
        namespace: &str,
        stale_allowed: bool,
        tso_read_only: Option<bool>,
    ) -> Result<()> {
        self.client
            .call_unit(&stale_allowed_request(
                name,
                namespace,
                stale_allowed,
                tso_read_only,
                self.format(),
            )?)
            .await
    }

    /// Whether the administrative lock is on.
    pub async fn is_locked(&self, name: &str, namespace: &str) -> Result<bool> {
        let doc: BucketLockDoc = self
            .client
            .call_decode(&lock_request(name, namespace, self.format())?)
            .await?;
        Ok(doc.is_locked)
    }

    /// Sets or clears the administrative lock.
    pub async fn set_lock(&self, name: &str, namespace: &str, locked: bool) -> Result<()> {
        self.client
            .call_unit(&set_lock_request(name, namespace, locked, self.format())?)
            .await
    }
}

fn finished(name: &str, status: &EmptyBucketStatus) -> Result<()> {
    match status.status.as_str() {
        "DONE" | "NOT_FOUND" => Ok(()),
        other => Err(Error::new(
            ErrorKind::NotEmpty,
            format!(
                "emptying bucket {name} ended {other}: {}",
                status
                    .message
                    .as_deref()
                    .unwrap_or("some entries could not be removed")
            ),
        )
        .with_operation("delete bucket")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finished_empty_statuses_map_to_results() {
        let done = EmptyBucketStatus {
            status: "DONE".into(),
            ..EmptyBucketStatus::default()
        };
        assert!(finished("b", &done).is_ok());
        let failed = EmptyBucketStatus {
            status: "FAILED".into(),
            ..EmptyBucketStatus::default()
        };
        assert_eq!(
            finished("b", &failed).unwrap_err().kind(),
            ErrorKind::NotEmpty
        );
    }
}
