//! [`EcsObjectStore`]: one CloudStack object store on one ECS namespace.
//!
//! The operations live in sibling modules by concern: accounts (`account`), bucket life cycle
//! (`buckets`), per-bucket settings (`settings`), metering (`usage`) and the connectivity
//! check (`check`).

mod account;
mod buckets;
mod check;
mod credentials;
mod ecs_version;
mod lock;
mod settings;
mod tenants;
mod usage;

pub use credentials::BucketCredential;
pub use tenants::TenantUsage;
pub use usage::BucketMetering;

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use ecs_common::{Error, ErrorKind, Result};
use ecs_mgmt::{EcsMgmtClient, EcsRelease};
use ecs_s3::{ClientCache, ClientConfig, EcsS3Client};
use tokio::sync::OnceCell;

use crate::diagnose::{self, Patience};
use crate::echo::Echoes;
use crate::{AccountCredentials, BucketBrowser, StoreConfig};

/// How many owners' S3 clients a store keeps ready.
const S3_CLIENTS: usize = 64;

/// Attempts per S3 request: the first and as many retries as a management request gets
/// ([`diagnose::DRIVER_RETRIES`]); the SDK's default of three attempts let about one browser
/// operation in 300 fail under the fault soak's faults (`cargo xtask soak`).
const S3_ATTEMPTS: u32 = 1 + diagnose::DRIVER_RETRIES;

/// CloudStack's object-store operations on one ECS namespace.
///
/// Thread-safe and cheap to clone (an `Arc` inside): one instance serves every call for its
/// store. It holds one pooled management client whose token is cached, so steady-state calls
/// never log in. [`close`](Self::close) logs out; later calls fail with [`ErrorKind::Closed`].
///
/// Every operation validates its input before sending anything; the exact requests of each
/// are listed in [`crate::requests`].
///
/// In `domain` tenancy (store detail `tenancy`) each CloudStack domain has its own ECS
/// namespace: [`for_domain`](Self::for_domain) gives the store's operations in one domain's
/// namespace, and the operations about one account or bucket fail with `InvalidInput` on the
/// store itself, which names no domain.
#[derive(Clone)]
pub struct EcsObjectStore {
    inner: Arc<Inner>,
    /// The CloudStack domain the operations are about, when the caller named one.
    scope: Option<Arc<DomainScope>>,
}

/// One domain's UUID and the namespace it maps to under the store's tenancy.
#[derive(Debug)]
struct DomainScope {
    domain_uuid: String,
    namespace: String,
}

struct Inner {
    config: StoreConfig,
    mgmt: EcsMgmtClient,
    s3_clients: ClientCache,
    echoes: Echoes,
    /// The replication group's URN, resolved once from a configured name.
    vpool: OnceCell<Option<String>>,
    /// The ECS release, found out once (see `ecs_version`).
    ecs_release: OnceCell<Option<EcsRelease>>,
    /// Set once the store's namespace was found free of buckets of `shared` tenancy (domain
    /// tenancy only; see `tenants`).
    tenancy_checked: OnceCell<()>,
    closed: AtomicBool,
}

impl EcsObjectStore {
    /// Builds the store's clients. Sends nothing; see [`check`](Self::check) for connectivity.
    pub fn new(config: StoreConfig) -> Result<EcsObjectStore> {
        let mgmt = diagnose::mgmt_client(&config, Patience::Normal)?;
        Ok(EcsObjectStore {
            inner: Arc::new(Inner {
                config,
                mgmt,
                s3_clients: ClientCache::new(S3_CLIENTS),
                echoes: Echoes::default(),
                vpool: OnceCell::new(),
                ecs_release: OnceCell::new(),
                tenancy_checked: OnceCell::new(),
                closed: AtomicBool::new(false),
            }),
            scope: None,
        })
    }

    /// The store's operations for one CloudStack domain (the owning account's domain): in
    /// `domain` tenancy they act in that domain's namespace (`<prefix><domain uuid>`, created
    /// on first use), in `shared` tenancy in the store's namespace as without a domain. Sends
    /// nothing and shares the store's clients and session; fails with `InvalidInput` when
    /// `domain_uuid` is not a UUID.
    ///
    /// Nothing about the domain is remembered: the namespace is derived from the UUID on every
    /// call, so CloudStack's rows stay the source of truth.
    pub fn for_domain(&self, domain_uuid: &str) -> Result<EcsObjectStore> {
        let uuid = crate::validate::account_uuid(domain_uuid)
            .map_err(|err| err.wrap("the domain UUID is not valid"))?;
        let namespace = match self.config().tenancy().domain() {
            Some(domain) => domain.namespace_of(&uuid)?,
            None => self.config().namespace().to_owned(),
        };
        Ok(EcsObjectStore {
            inner: Arc::clone(&self.inner),
            scope: Some(Arc::new(DomainScope {
                domain_uuid: uuid,
                namespace,
            })),
        })
    }

    /// The domain named by [`for_domain`](Self::for_domain), if any.
    pub fn domain_uuid(&self) -> Option<&str> {
        self.scope.as_ref().map(|scope| scope.domain_uuid.as_str())
    }

    /// The validated configuration.
    pub fn config(&self) -> &StoreConfig {
        &self.inner.config
    }

    /// Browser operations on buckets owned by `credentials`, over the private S3 URL.
    pub fn browser(&self, credentials: &AccountCredentials) -> Result<BucketBrowser> {
        self.ensure_open()?;
        Ok(BucketBrowser::new(self.s3_client(credentials)?))
    }

    /// Logs out of the management API. Idempotent; every later call fails with
    /// [`ErrorKind::Closed`].
    pub async fn close(&self) {
        if !self.inner.closed.swap(true, Ordering::SeqCst) {
            self.inner.mgmt.close().await;
        }
    }

    /// How many management requests this store has sent (for benchmarks and tests).
    pub fn mgmt_request_count(&self) -> u64 {
        self.inner.mgmt.request_count()
    }

    pub(crate) fn ensure_open(&self) -> Result<()> {
        if self.inner.closed.load(Ordering::SeqCst) {
            return Err(Error::new(ErrorKind::Closed, "the object store was closed"));
        }
        Ok(())
    }

    /// The store's management client, the one its operations use, for admin views the driver
    /// does not offer (`ecsctl users list`). Its session is the store's: [`close`](Self::close)
    /// ends it.
    pub fn mgmt(&self) -> &EcsMgmtClient {
        &self.inner.mgmt
    }

    /// The namespace the operations act in: the domain's (see [`for_domain`](Self::for_domain))
    /// or, in `shared` tenancy, the store's. In `domain` tenancy without a domain it fails with
    /// `InvalidInput`: the call must say whose namespace it means.
    pub(crate) fn namespace(&self) -> Result<&str> {
        if let Some(scope) = &self.scope {
            return Ok(&scope.namespace);
        }
        match self.inner.config.tenancy().domain() {
            None => Ok(self.inner.config.namespace()),
            Some(_) => Err(Error::invalid_input(
                "this store gives each CloudStack domain its own ECS namespace (tenancy=domain): \
                 the call must name the account's domain",
            )),
        }
    }

    fn echoes(&self) -> &Echoes {
        &self.inner.echoes
    }

    /// The S3 client acting as `credentials`' owner on the private URL. Its requests carry
    /// `x-emc-namespace` = [`namespace`](Self::namespace); in `domain` tenancy without a
    /// domain they carry none, and ECS takes the namespace of the user (an owner's own).
    fn s3_client(&self, credentials: &AccountCredentials) -> Result<EcsS3Client> {
        let config = &self.inner.config;
        let client_config = ClientConfig::builder()
            .endpoint(config.s3_endpoint())
            .credentials(credentials.user_id.clone(), credentials.secret_key.clone())
            .namespace(self.namespace().ok().map(str::to_owned))
            .tls(config.tls().clone())
            .max_attempts(S3_ATTEMPTS)
            .build_config()?;
        self.inner.s3_clients.get(&client_config)
    }
}

impl fmt::Debug for EcsObjectStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcsObjectStore")
            .field("config", &self.inner.config)
            .field("scope", &self.scope)
            .field("closed", &self.inner.closed.load(Ordering::SeqCst))
            .finish_non_exhaustive()
    }
}
