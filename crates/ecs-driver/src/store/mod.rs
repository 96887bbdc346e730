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
mod usage;

pub use credentials::BucketCredential;
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
#[derive(Clone)]
pub struct EcsObjectStore {
    inner: Arc<Inner>,
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
                closed: AtomicBool::new(false),
            }),
        })
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

    fn ensure_open(&self) -> Result<()> {
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

    fn namespace(&self) -> &str {
        self.inner.config.namespace()
    }

    fn echoes(&self) -> &Echoes {
        &self.inner.echoes
    }

    /// The S3 client acting as `credentials`' owner on the private URL.
    fn s3_client(&self, credentials: &AccountCredentials) -> Result<EcsS3Client> {
        let config = &self.inner.config;
        let client_config = ClientConfig::builder()
            .endpoint(config.s3_endpoint())
            .credentials(credentials.user_id.clone(), credentials.secret_key.clone())
            .namespace(Some(config.namespace().to_owned()))
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
            .field("closed", &self.inner.closed.load(Ordering::SeqCst))
            .finish_non_exhaustive()
    }
}
