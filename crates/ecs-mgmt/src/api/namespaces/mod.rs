//! Namespaces (`/object/namespaces`), ECS's tenants: listing, details, creation, update,
//! deletion, the namespace quota and the retention classes.

mod model;
pub(crate) mod requests;

use ecs_common::{Error, ErrorKind, Result};
use http::Method;

pub use model::{
    MappingAttribute, NamespaceCreate, NamespaceEntry, NamespaceInfo, NamespaceQuota,
    NamespaceUpdate, RetentionClass, RetentionPeriod, UserMapping,
};
pub(crate) use model::{NamespaceList, RetentionClassList};
use requests::*;

use crate::client::{EcsMgmtClient, ReadBack};
use crate::pagination::{ItemStream, Page, paginate};
use crate::transport::Response;
use crate::wire::Format;

/// Namespace calls; get one with [`EcsMgmtClient::namespaces`].
#[derive(Clone, Debug)]
pub struct Namespaces {
    client: EcsMgmtClient,
}

impl Namespaces {
    pub(crate) fn new(client: EcsMgmtClient) -> Self {
        Namespaces { client }
    }

    fn format(&self) -> Format {
        self.client.format()
    }

    /// Every namespace, fetched page by page as the stream is read.
    pub fn list(&self) -> ItemStream<NamespaceEntry> {
        let this = self.clone();
        paginate(move |marker| {
            let this = this.clone();
            async move { this.list_page(marker.as_deref()).await }
        })
    }

    /// One page of namespaces.
    pub async fn list_page(&self, marker: Option<&str>) -> Result<Page<NamespaceEntry>> {
        let list: NamespaceList = self
            .client
            .call_decode(&self.client.paged(list_request(marker, self.format())))
            .await?;
        Ok(Page::new(list.namespace, list.next_marker))
    }

    /// A namespace's details; [`ErrorKind::NotFound`] when it does not exist.
    pub async fn info(&self, namespace: &str) -> Result<NamespaceInfo> {
        self.client
            .call_decode(&info_request(namespace, self.format())?)
            .await
    }

    /// Whether a namespace exists.
    pub async fn exists(&self, namespace: &str) -> Result<bool> {
        match self.info(namespace).await {
            Ok(_) => Ok(true),
            Err(err) if err.kind() == ErrorKind::NotFound => Ok(false),
            Err(err) => Err(err),
        }
    }

    /// Creates a namespace (SYSTEM_ADMIN); a name already taken fails with
    /// [`ErrorKind::AlreadyExists`]. When the answer is lost the namespace is read back: if it
    /// exists the creation counts as done, if not the request is sent once more.
    pub async fn create(&self, create: &NamespaceCreate) -> Result<NamespaceInfo> {
        let request = create_request(create, self.format())?;
        let decode = |response: &Response| self.created(&request, response);
        let read_back = || async {
            match self.info(&create.name).await {
                Ok(info) => Ok(ReadBack::Applied(Some(info))),
                Err(read) if read.kind() == ErrorKind::NotFound => Ok(ReadBack::Absent),
                Err(read) => Err(read),
            }
        };
        let created = self
            .client
            .call_or_read_back(&request, decode, read_back)
            .await?;
        match created {
            Some(info) => Ok(info),
            None => self.info(&create.name).await,
        }
    }

    /// The namespace document ECS answers a creation with (`None` for an empty body).
    fn created(
        &self,
        request: &crate::request::ApiRequest,
        response: &Response,
    ) -> Result<Option<NamespaceInfo>> {
        if response.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        crate::wire::decode(&response.body, request.accept)
            .map(Some)
            .map_err(|err| err.with_operation(request.operation))
    }

    /// Changes a namespace's settings (replication groups, admins, user mappings, flags). ECS
    /// answers some releases with the namespace, some with nothing; both are accepted.
    pub async fn update(&self, namespace: &str, update: &NamespaceUpdate) -> Result<()> {
        self.client
            .call_unit(&update_request(namespace, update, self.format())?)
            .await
    }

    /// Deletes a namespace (SYSTEM_ADMIN). ECS refuses one that still holds buckets or object
    /// users ([`ErrorKind::Conflict`]). When the answer is lost, a namespace that is gone counts
    /// as deleted.
    pub async fn delete(&self, namespace: &str) -> Result<()> {
        let request = delete_request(namespace, self.format())?;
        let read_back = || async {
            match self.info(namespace).await {
                Ok(_) => Ok(ReadBack::Absent),
                Err(read) if read.kind() == ErrorKind::NotFound => Ok(ReadBack::Applied(())),
                Err(read) => Err(read),
            }
        };
        self.client
            .call_or_read_back(&request, |_| Ok(()), read_back)
            .await
    }

    /// A namespace's quota.
    pub async fn quota(&self, namespace: &str) -> Result<NamespaceQuota> {
        let mut quota: NamespaceQuota = self
            .client
            .call_decode(&quota_request(Method::GET, namespace, self.format())?)
            .await?;
        if quota.namespace.is_empty() {
            namespace.clone_into(&mut quota.namespace);
        }
        Ok(quota)
    }

    /// Sets a namespace's quota: a hard limit (`block_size_gb`) refuses writes beyond it, a
    /// soft one (`notification_size_gb`) only notifies; at least one, soft not above hard.
    pub async fn set_quota(&self, namespace: &str, quota: &NamespaceQuota) -> Result<()> {
        self.client
            .call_unit(&set_quota_request(namespace, quota, self.format())?)
            .await
    }

    /// Removes a namespace's quota.
    pub async fn delete_quota(&self, namespace: &str) -> Result<()> {
        self.client
            .call_unit(&quota_request(Method::DELETE, namespace, self.format())?)
            .await
    }

    /// A namespace's retention classes.
    pub async fn retention_classes(&self, namespace: &str) -> Result<Vec<RetentionClass>> {
        let list: RetentionClassList = self
            .client
            .call_decode(&retention_list_request(namespace, self.format())?)
            .await?;
        Ok(list.retention_class)
    }

    /// One retention class; [`ErrorKind::NotFound`] when the namespace has no such class.
    pub async fn retention_class(&self, namespace: &str, class: &str) -> Result<RetentionClass> {
        self.client
            .call_decode(&retention_request(namespace, class, self.format())?)
            .await
    }

    /// Creates a retention class; a class of that name already there fails with
    /// [`ErrorKind::AlreadyExists`]. When the answer is lost, a class found with the requested
    /// period counts as created.
    pub async fn create_retention_class(
        &self,
        namespace: &str,
        class: &str,
        period: RetentionPeriod,
    ) -> Result<()> {
        let request = create_retention_request(namespace, class, period, self.format())?;
        let read_back = || async {
            match self.retention_class(namespace, class).await {
                Ok(found) if found.period == period => Ok(ReadBack::Applied(())),
                Ok(found) => Ok(ReadBack::Refused(
                    Error::new(
                        ErrorKind::AlreadyExists,
                        format!(
                            "retention class {class} exists with period {}",
                            found.period
                        ),
                    )
                    .with_operation("create retention class"),
                )),
                Err(read) if read.kind() == ErrorKind::NotFound => Ok(ReadBack::Absent),
                Err(read) => Err(read),
            }
        };
        self.client
            .call_or_read_back(&request, |_| Ok(()), read_back)
            .await
    }

    /// Changes a retention class's period.
    pub async fn update_retention_class(
        &self,
        namespace: &str,
        class: &str,
        period: RetentionPeriod,
    ) -> Result<()> {
        self.client
            .call_unit(&update_retention_request(
                namespace,
                class,
                period,
                self.format(),
            )?)
            .await
    }
}
