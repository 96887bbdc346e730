//! When and how long to wait before repeating a request: [`RetryConfig`] bounds the attempts
//! and the total time, [`Backoff`] draws decorrelated-jitter delays, and [`should_retry`]
//! decides which failures are safe to repeat.

use std::time::Duration;

use rand::Rng;

/// How the client retries failed requests.
///
/// A request is repeated only when that is safe: the failure happened before the request was
/// sent (a refused connection), ECS said so (HTTP 503, code 6000 or `retryable=true`), or the
/// request is idempotent and failed in a way that may pass (a timeout, a dropped connection,
/// HTTP 500/502/504). Retries stop after [`max_retries`](Self::max_retries) repeats or once
/// [`retry_timeout`](Self::retry_timeout) has passed since the first attempt, whichever is first.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Repeats after the first attempt (default 4; 0 disables retries).
    pub max_retries: u32,
    /// No retry starts once this much time has passed since the first attempt (default 60 s,
    /// well below ECS's 2-hour idle token expiry).
    pub retry_timeout: Duration,
    /// The first delay, and the lower bound of every delay (default 100 ms).
    pub initial_backoff: Duration,
    /// The upper bound of every delay (default 5 s).
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_retries: 4,
            retry_timeout: Duration::from_secs(60),
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryConfig {
    /// A configuration that never retries.
    pub fn disabled() -> Self {
        RetryConfig {
            max_retries: 0,
            ..RetryConfig::default()
        }
    }

    /// Sets [`max_retries`](Self::max_retries).
    #[must_use]
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Sets [`retry_timeout`](Self::retry_timeout).
    #[must_use]
    pub fn with_retry_timeout(mut self, retry_timeout: Duration) -> Self {
        self.retry_timeout = retry_timeout;
        self
    }

    /// Sets the delay bounds.
    #[must_use]
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }
}

/// Decorrelated jitter ("Exponential Backoff and Jitter", AWS architecture blog): each delay is
/// drawn uniformly from `[initial, previous * 3]`, capped at `max`.
///
/// The client's retries use it, and so may any caller that polls or waits for ECS:
///
/// ```
/// use std::time::Duration;
/// let mut backoff = ecs_mgmt::Backoff::between(Duration::from_millis(100), Duration::from_secs(5));
/// let delay = backoff.next_delay();
/// assert!(delay >= Duration::from_millis(100) && delay <= Duration::from_secs(5));
/// ```
#[derive(Clone, Debug)]
pub struct Backoff {
    initial: Duration,
    max: Duration,
    previous: Duration,
}

impl Backoff {
    pub(crate) fn new(config: &RetryConfig) -> Self {
        Backoff::between(config.initial_backoff, config.max_backoff)
    }

    /// Delays of at least `initial` and at most `max` (raised to `initial` if smaller).
    pub fn between(initial: Duration, max: Duration) -> Self {
        Backoff {
            initial,
            max: max.max(initial),
            previous: initial,
        }
    }

    /// The next delay, drawn with `rng`.
    pub(crate) fn next_with(&mut self, rng: &mut impl Rng) -> Duration {
        let low = self.initial.as_secs_f64();
        let high = (self.previous.as_secs_f64() * 3.0).max(low);
        let drawn = if high > low {
            rng.random_range(low..=high)
        } else {
            low
        };
        let delay = Duration::from_secs_f64(drawn).min(self.max);
        self.previous = delay;
        delay
    }

    /// The next delay, drawn with the thread's generator.
    pub fn next_delay(&mut self) -> Duration {
        self.next_with(&mut rand::rng())
    }
}

/// What went wrong with one attempt, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The request never left: connection refused, DNS failure.
    NotSent,
    /// The request may have reached ECS: timeout, dropped connection, broken body.
    MaybeSent,
    /// ECS answered with this status; `flagged` is ECS's own "retry later" signal.
    Status { status: u16, flagged: bool },
}

/// Whether a failed attempt may be repeated.
pub(crate) fn should_retry(failure: Failure, idempotent: bool) -> bool {
    match failure {
        Failure::NotSent => true,
        Failure::MaybeSent => idempotent,
        Failure::Status { flagged: true, .. } => true,
        Failure::Status { status, .. } => {
            matches!(status, 429 | 503) || (idempotent && matches!(status, 500 | 502 | 504))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn delays_stay_within_bounds_and_grow() {
        let config =
            RetryConfig::default().with_backoff(Duration::from_millis(100), Duration::from_secs(2));
        let mut backoff = Backoff::new(&config);
        let mut rng = StdRng::seed_from_u64(7);
        let delays: Vec<_> = (0..50).map(|_| backoff.next_with(&mut rng)).collect();
        assert!(
            delays
                .iter()
                .all(|d| *d >= Duration::from_millis(100) && *d <= Duration::from_secs(2))
        );
        assert!(
            delays.iter().any(|d| *d > Duration::from_millis(500)),
            "{delays:?}"
        );
        assert!(
            delays.windows(2).any(|w| w[0] != w[1]),
            "jitter must vary: {delays:?}"
        );
    }

    #[test]
    fn only_safe_failures_are_retried() {
        assert!(should_retry(Failure::NotSent, false));
        assert!(should_retry(Failure::MaybeSent, true));
        assert!(!should_retry(Failure::MaybeSent, false));
        assert!(should_retry(
            Failure::Status {
                status: 503,
                flagged: false
            },
            false
        ));
        assert!(should_retry(
            Failure::Status {
                status: 400,
                flagged: true
            },
            false
        ));
        assert!(should_retry(
            Failure::Status {
                status: 500,
                flagged: false
            },
            true
        ));
        assert!(!should_retry(
            Failure::Status {
                status: 500,
                flagged: false
            },
            false
        ));
        assert!(!should_retry(
            Failure::Status {
                status: 404,
                flagged: false
            },
            true
        ));
    }
}
