//! [`ClientCache`]: clients reused per configuration, connection pools reused per TLS setup.
//!
//! A busy caller (the driver serving many accounts) asks for a client per request; the cache
//! hands back the same client for the same endpoint, credentials, namespace and TLS, and every
//! client for the same TLS setup shares one connection pool.

use std::fmt;
use std::num::NonZeroUsize;
use std::sync::{Mutex, OnceLock};

use aws_sdk_s3::config::SharedHttpClient;
use ecs_common::Result;
use lru::LruCache;

use crate::client::EcsS3Client;
use crate::config::{CacheKey, ClientConfig, TransportKey};
use crate::transport::Transport;

/// How many clients (and pools) a cache keeps before it forgets the least recently used.
const DEFAULT_CAPACITY: usize = 256;

/// A bounded cache of [`EcsS3Client`]s.
///
/// ```
/// use ecs_s3::{ClientCache, ClientConfig};
/// let config = ClientConfig::builder()
///     .endpoint("http://127.0.0.1:9020")
///     .credentials("alice", "secret".into())
///     .build_config()?;
/// let cache = ClientCache::new(8);
/// let a = cache.get(&config)?;
/// let b = cache.get(&config)?;
/// assert!(a.same_client(&b));
/// # Ok::<(), ecs_common::Error>(())
/// ```
pub struct ClientCache {
    state: Mutex<State>,
}

struct State {
    clients: LruCache<CacheKey, EcsS3Client>,
    transports: LruCache<TransportKey, SharedHttpClient>,
}

impl ClientCache {
    /// A cache keeping at most `capacity` clients (at least one).
    pub fn new(capacity: usize) -> Self {
        let capacity = NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN);
        ClientCache {
            state: Mutex::new(State {
                clients: LruCache::new(capacity),
                transports: LruCache::new(capacity),
            }),
        }
    }

    /// The process-wide cache.
    pub fn global() -> &'static ClientCache {
        static GLOBAL: OnceLock<ClientCache> = OnceLock::new();
        GLOBAL.get_or_init(|| ClientCache::new(DEFAULT_CAPACITY))
    }

    /// The client for `config`, built on first use.
    pub fn get(&self, config: &ClientConfig) -> Result<EcsS3Client> {
        let key = config.cache_key();
        let mut state = self.lock();
        if let Some(client) = state.clients.get(&key) {
            return Ok(client.clone());
        }
        let transport_key = config.transport_key();
        let transport = match state.transports.get(&transport_key) {
            Some(transport) => transport.clone(),
            None => {
                let transport = Transport::new(&config.tls, config.connect_timeout)?.into_shared();
                state.transports.put(transport_key, transport.clone());
                transport
            }
        };
        let client = EcsS3Client::with_transport(config.clone(), transport);
        state.clients.put(key, client.clone());
        Ok(client)
    }

    /// How many clients the cache holds.
    pub fn len(&self) -> usize {
        self.lock().clients.len()
    }

    /// Whether the cache holds no client.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}

impl fmt::Debug for ClientCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("ClientCache")
            .field("capacity", &state.clients.cap())
            .field("clients", &state.clients.len())
            .field("transports", &state.transports.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(user: &str) -> ClientConfig {
        ClientConfig::builder()
            .endpoint("http://127.0.0.1:9020")
            .credentials(user, "secret".into())
            .build_config()
            .unwrap()
    }

    #[test]
    fn same_config_same_client_and_eviction_is_lru() {
        let cache = ClientCache::new(2);
        let a = cache.get(&config("a")).unwrap();
        let _b = cache.get(&config("b")).unwrap();
        assert!(cache.get(&config("a")).unwrap().same_client(&a));
        let _c = cache.get(&config("c")).unwrap(); // evicts b, the least recently used
        assert_eq!(cache.len(), 2);
        assert!(cache.get(&config("a")).unwrap().same_client(&a));
    }

    #[test]
    fn rotated_secret_gets_a_new_client() {
        let cache = ClientCache::new(4);
        let a = cache.get(&config("a")).unwrap();
        let rotated = ClientConfig::builder()
            .endpoint("http://127.0.0.1:9020")
            .credentials("a", "new-secret".into())
            .build_config()
            .unwrap();
        assert!(!cache.get(&rotated).unwrap().same_client(&a));
    }
}
