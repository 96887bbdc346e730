//! The cached `X-SDS-AUTH-TOKEN`: at most one per client, shared by every caller, refreshed by
//! exactly one of them (single flight) while the others wait for its result.

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ecs_common::{Error, ExposeSecret, Result, SecretString};
use tokio::sync::RwLock;

/// When a cached token stops being used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TokenPolicy {
    /// Subtracted from every server-given lifetime, so a token is never used at its very end.
    pub(crate) skew: Duration,
    /// ECS expires a token this long after its last use (2 hours by default).
    pub(crate) idle_timeout: Duration,
    /// The lifetime assumed when ECS sends no `X-SDS-AUTH-MAX-AGE`.
    pub(crate) fallback_max_age: Duration,
}

impl Default for TokenPolicy {
    fn default() -> Self {
        TokenPolicy {
            skew: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(2 * 60 * 60),
            fallback_max_age: Duration::from_secs(30 * 60),
        }
    }
}

/// One session token and when it stops being good.
pub(crate) struct Token {
    value: SecretString,
    generation: u64,
    expires_at: Instant,
    last_used: Mutex<Instant>,
}

impl Token {
    /// A token just received from `/login`; `max_age` is `X-SDS-AUTH-MAX-AGE`.
    pub(crate) fn new(
        value: SecretString,
        max_age: Option<Duration>,
        policy: &TokenPolicy,
        generation: u64,
    ) -> Self {
        let now = Instant::now();
        let lifetime = max_age
            .unwrap_or(policy.fallback_max_age)
            .saturating_sub(policy.skew);
        Token {
            value,
            generation,
            expires_at: now + lifetime,
            last_used: Mutex::new(now),
        }
    }

    /// The token text, for the request header only.
    pub(crate) fn expose(&self) -> &str {
        self.value.expose_secret()
    }

    /// Which login produced this token.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// Records a successful use (ECS restarts its idle clock on every call).
    pub(crate) fn touch(&self) {
        if let Ok(mut last_used) = self.last_used.lock() {
            *last_used = Instant::now();
        }
    }

    /// Whether the token can still be used at `now` under `policy`.
    pub(crate) fn is_fresh(&self, now: Instant, policy: &TokenPolicy) -> bool {
        let idle_deadline = self
            .last_used
            .lock()
            .map(|last| *last + policy.idle_timeout.saturating_sub(policy.skew))
            .unwrap_or(now);
        now < self.expires_at && now < idle_deadline
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("value", &"** redacted **")
            .field("generation", &self.generation)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// The one token a client holds.
#[derive(Debug)]
pub(crate) struct TokenCache {
    slot: RwLock<Option<Arc<Token>>>,
    policy: TokenPolicy,
    /// Finished refresh attempts; a caller that waited through someone else's attempt sees it.
    attempts: AtomicU64,
    /// The error of the latest attempt, if it failed, shared with the callers that waited.
    failure: Mutex<Option<Error>>,
}

impl TokenCache {
    pub(crate) fn new(policy: TokenPolicy) -> Self {
        TokenCache {
            slot: RwLock::new(None),
            policy,
            attempts: AtomicU64::new(0),
            failure: Mutex::new(None),
        }
    }

    pub(crate) fn policy(&self) -> &TokenPolicy {
        &self.policy
    }

    /// The cached token if it is fresh; otherwise runs `refresh` once for all waiting callers.
    ///
    /// `refresh` receives the stale token (if any) so it can log it out before logging in:
    /// a client never holds two live tokens.
    pub(crate) async fn get_or_refresh<F, Fut>(&self, refresh: F) -> Result<Arc<Token>>
    where
        F: FnOnce(Option<Arc<Token>>) -> Fut,
        Fut: Future<Output = Result<Token>>,
    {
        let seen = self.attempts.load(Ordering::SeqCst);
        if let Some(token) = self.fresh().await {
            return Ok(token);
        }
        let mut slot = self.slot.write().await;
        if let Some(token) = slot
            .as_ref()
            .filter(|t| t.is_fresh(Instant::now(), &self.policy))
        {
            return Ok(Arc::clone(token));
        }
        // Someone refreshed while this caller waited and failed: share that answer rather
        // than sending one more login per waiting caller.
        if self.attempts.load(Ordering::SeqCst) != seen
            && let Some(failure) = self
                .failure
                .lock()
                .ok()
                .and_then(|failure| failure.as_ref().cloned())
        {
            return Err(failure);
        }
        let stale = slot.take();
        let outcome = refresh(stale).await;
        self.attempts.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut failure) = self.failure.lock() {
            *failure = outcome.as_ref().err().cloned();
        }
        let token = Arc::new(outcome?);
        *slot = Some(Arc::clone(&token));
        Ok(token)
    }

    async fn fresh(&self) -> Option<Arc<Token>> {
        let slot = self.slot.read().await;
        slot.as_ref()
            .filter(|t| t.is_fresh(Instant::now(), &self.policy))
            .cloned()
    }

    /// Drops the cached token if it is still the one of `generation` (ECS refused it);
    /// a token another caller already replaced is left alone.
    pub(crate) async fn invalidate(&self, generation: u64) {
        let mut slot = self.slot.write().await;
        if slot.as_ref().is_some_and(|t| t.generation == generation) {
            *slot = None;
        }
    }

    /// Removes and returns the cached token (for logout).
    pub(crate) async fn take(&self) -> Option<Arc<Token>> {
        self.slot.write().await.take()
    }

    /// Removes the cached token without waiting; `None` if it is busy or empty (for `Drop`).
    pub(crate) fn try_take(&self) -> Option<Arc<Token>> {
        self.slot.try_write().ok().and_then(|mut slot| slot.take())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(max_age: Duration, generation: u64) -> Token {
        Token::new(
            "t".into(),
            Some(max_age),
            &TokenPolicy::default(),
            generation,
        )
    }

    #[test]
    fn freshness_honours_max_age_skew_and_idle_time() {
        let policy = TokenPolicy::default();
        let now = Instant::now();
        let long = token(Duration::from_secs(28_800), 1);
        assert!(long.is_fresh(now, &policy));
        assert!(
            !long.is_fresh(now + Duration::from_secs(28_800 - 30), &policy),
            "skew applies"
        );
        assert!(
            !long.is_fresh(now + Duration::from_secs(2 * 3600), &policy),
            "idle expiry applies"
        );
        let short = token(Duration::from_secs(30), 2);
        assert!(
            !short.is_fresh(Instant::now(), &policy),
            "a lifetime shorter than the skew is never fresh"
        );
        assert!(!format!("{long:?}").contains("\"t\""));
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_refresh() {
        let cache = Arc::new(TokenCache::new(TokenPolicy::default()));
        let logins = Arc::new(AtomicU64::new(0));
        let tasks: Vec<_> = (0..32)
            .map(|_| {
                let (cache, logins) = (Arc::clone(&cache), Arc::clone(&logins));
                tokio::spawn(async move {
                    cache
                        .get_or_refresh(|_| async {
                            tokio::time::sleep(Duration::from_millis(20)).await;
                            let generation = logins.fetch_add(1, Ordering::SeqCst) + 1;
                            Ok(token(Duration::from_secs(3600), generation))
                        })
                        .await
                        .unwrap()
                        .generation()
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap(), 1);
        }
        assert_eq!(logins.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn waiting_callers_share_a_failed_refresh() {
        let cache = Arc::new(TokenCache::new(TokenPolicy::default()));
        let attempts = Arc::new(AtomicU64::new(0));
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (cache, attempts) = (Arc::clone(&cache), Arc::clone(&attempts));
                tokio::spawn(async move {
                    cache
                        .get_or_refresh(|_| async {
                            tokio::time::sleep(Duration::from_millis(20)).await;
                            attempts.fetch_add(1, Ordering::SeqCst);
                            Err(Error::new(ecs_common::ErrorKind::Unauthorized, "refused")
                                .with_status(401))
                        })
                        .await
                        .unwrap_err()
                })
            })
            .collect();
        for task in tasks {
            let err = task.await.unwrap();
            assert_eq!(
                (err.kind(), err.status()),
                (ecs_common::ErrorKind::Unauthorized, Some(401))
            );
        }
        assert_eq!(attempts.load(Ordering::SeqCst), 1);
        // A later call tries again.
        let later = cache
            .get_or_refresh(|_| async { Ok(token(Duration::from_secs(3600), 9)) })
            .await;
        assert_eq!(later.unwrap().generation(), 9);
    }

    #[tokio::test]
    async fn invalidate_only_drops_the_named_generation() {
        let cache = TokenCache::new(TokenPolicy::default());
        let first = cache
            .get_or_refresh(|_| async { Ok(token(Duration::from_secs(3600), 1)) })
            .await
            .unwrap();
        cache.invalidate(first.generation() + 1).await;
        assert!(cache.fresh().await.is_some());
        cache.invalidate(first.generation()).await;
        assert!(cache.fresh().await.is_none());
        let stale_seen = cache
            .get_or_refresh(|stale| async move {
                assert!(stale.is_none());
                Ok(token(Duration::from_secs(3600), 2))
            })
            .await
            .unwrap();
        assert_eq!(stale_seen.generation(), 2);
        assert_eq!(cache.try_take().map(|t| t.generation()), Some(2));
    }
}
