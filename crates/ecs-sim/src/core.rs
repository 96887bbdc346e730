//! The shared heart of a running emulator: state, clock, request log, faults, object storage.
//!
//! One [`Core`] is shared (`Arc`) by the management service, the S3 service, the `/_sim/`
//! control plane and the in-process [`crate::Control`].

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::clock::Clock;
use crate::control::{Api, RequestRecord};
use crate::data::BucketUsage;
use crate::faults::Faults;
use crate::seed::TokenSettings;
use crate::state::State;
use crate::storage::Storage;
use crate::version::EcsVersion;

/// State plus the machinery around it.
#[derive(Debug)]
pub(crate) struct Core {
    state: Mutex<State>,
    /// The emulated clock.
    pub(crate) clock: Clock,
    log: Mutex<Vec<RequestRecord>>,
    /// Every management token and secret key handed out, for tests that scan output for them.
    issued_secrets: Mutex<Vec<String>>,
    /// Fault rules and their generator.
    pub(crate) faults: Faults,
    /// Bucket contents: the one object storage the S3 service writes and billing reads.
    pub(crate) storage: Arc<Storage>,
    usage_overrides: Mutex<HashMap<(String, String), BucketUsage>>,
    /// Token lifetime, idle timeout and cap.
    pub(crate) tokens: TokenSettings,
    /// The ECS release emulated.
    pub(crate) ecs_version: EcsVersion,
    state_file: Option<PathBuf>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Core {
    pub(crate) fn new(
        state: State,
        clock: Clock,
        fault_seed: u64,
        storage: Arc<Storage>,
        tokens: TokenSettings,
        ecs_version: EcsVersion,
        state_file: Option<PathBuf>,
    ) -> Self {
        Core {
            state: Mutex::new(state),
            clock,
            log: Mutex::new(Vec::new()),
            issued_secrets: Mutex::new(Vec::new()),
            faults: Faults::new(fault_seed),
            storage,
            usage_overrides: Mutex::new(HashMap::new()),
            tokens,
            ecs_version,
            state_file,
        }
    }

    /// Locks the management state. Keep the guard short and never hold it across `.await`.
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Appends a request to the log (the S3 side records through the shared front end);
    /// `listener` is the address that received it.
    pub(crate) fn record(
        &self,
        api: Api,
        listener: &str,
        method: &str,
        path: &str,
        query: &str,
        status: u16,
    ) {
        lock(&self.log).push(RequestRecord {
            api,
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
            status,
            listener: listener.to_owned(),
        });
    }

    /// Notes a secret handed out: a token at login, a generated or supplied secret key.
    pub(crate) fn note_secret(&self, secret: &str) {
        lock(&self.issued_secrets).push(secret.to_owned());
    }

    /// Every secret handed out so far, live or not.
    pub(crate) fn issued_secrets(&self) -> Vec<String> {
        lock(&self.issued_secrets).clone()
    }

    pub(crate) fn request_log(&self) -> Vec<RequestRecord> {
        lock(&self.log).clone()
    }

    pub(crate) fn clear_request_log(&self) {
        lock(&self.log).clear();
    }

    /// Token lifetime and idle timeout in milliseconds.
    fn token_limits_ms(&self) -> (i64, i64) {
        let ms =
            |duration: std::time::Duration| i64::try_from(duration.as_millis()).unwrap_or(i64::MAX);
        (ms(self.tokens.lifetime()), ms(self.tokens.idle()))
    }

    /// Drops expired tokens; call before counting or validating.
    pub(crate) fn expire_tokens(&self, state: &mut State) {
        let (lifetime, idle) = self.token_limits_ms();
        state.expire_tokens(self.clock.now_ms(), lifetime, idle);
    }

    pub(crate) fn live_tokens(&self, user: &str) -> usize {
        let mut state = self.state();
        self.expire_tokens(&mut state);
        state.live_tokens(user)
    }

    pub(crate) fn revoke_tokens(&self, user: &str) -> usize {
        let mut state = self.state();
        let before = state.tokens.len();
        state.tokens.retain(|_, token| token.user != user);
        before - state.tokens.len()
    }

    /// What a bucket holds: the test override when set, else the storage's answer.
    pub(crate) fn usage(&self, namespace: &str, bucket: &str) -> BucketUsage {
        let key = (namespace.to_owned(), bucket.to_owned());
        match lock(&self.usage_overrides).get(&key) {
            Some(usage) => *usage,
            None => self.storage.usage(namespace, bucket),
        }
    }

    pub(crate) fn set_usage_override(&self, namespace: &str, bucket: &str, usage: BucketUsage) {
        lock(&self.usage_overrides).insert((namespace.to_owned(), bucket.to_owned()), usage);
    }

    /// Removes every object of a bucket (override and real data); returns entries removed.
    pub(crate) fn empty_bucket(&self, namespace: &str, bucket: &str) -> u64 {
        let key = (namespace.to_owned(), bucket.to_owned());
        let overridden = lock(&self.usage_overrides)
            .remove(&key)
            .map(|usage| usage.objects + usage.versions + usage.uploads)
            .unwrap_or(0);
        overridden + self.storage.empty(namespace, bucket)
    }

    /// Forgets a removed bucket's contents.
    pub(crate) fn bucket_removed(&self, namespace: &str, bucket: &str) {
        lock(&self.usage_overrides).remove(&(namespace.to_owned(), bucket.to_owned()));
        self.storage.bucket_removed(namespace, bucket);
    }

    /// Writes the state to the `--state` file, if any (atomically: temp file, then rename).
    pub(crate) fn persist(&self) {
        let Some(path) = &self.state_file else { return };
        let text = match serde_json::to_vec_pretty(&*self.state()) {
            Ok(text) => text,
            Err(error) => {
                tracing::error!(%error, "cannot serialise state");
                return;
            }
        };
        let temp = path.with_extension("tmp");
        if let Err(error) = std::fs::write(&temp, text).and_then(|()| std::fs::rename(&temp, path))
        {
            tracing::error!(%error, path = %path.display(), "cannot write state file");
        }
    }
}
