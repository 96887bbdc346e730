//! The test control surface: request log, live tokens, revocation, clock, faults and usage.
//!
//! [`Control`] is always available in-process ([`crate::Sim::control`]); the same powers are
//! served over HTTP under `/_sim/` when the emulator runs with `--control`.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::core::Core;
use crate::data::BucketUsage;

/// Which API a request was addressed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Api {
    /// The management REST API (port 4443 on ECS).
    Mgmt,
    /// The S3 API (port 9020/9021 on ECS).
    S3,
}

/// One request the emulator answered (or dropped: status 0).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRecord {
    /// The API addressed.
    pub api: Api,
    /// HTTP method (`GET`).
    pub method: String,
    /// Path as sent, including any `.json`/`.xml` suffix.
    pub path: String,
    /// Raw query string (`""` when none).
    pub query: String,
    /// Response status; 0 when the connection was dropped by a fault.
    pub status: u16,
    /// The address of the listener that received it (`127.0.0.1:9020`), which tells ECS's
    /// public and private S3 endpoints apart when a second S3 listener runs
    /// ([`crate::SimBuilder::second_s3_listener`]).
    #[serde(default)]
    pub listener: String,
}

/// A fault injected into matching requests.
///
/// A request matches when its API, method (if given) and path prefix match. Each match consumes
/// one of `times` (unlimited when `None`), waits `latency`, then draws one number from the
/// emulator's seeded generator to decide between a dropped connection, a lost answer (handled,
/// then the connection closed), a 503 (ECS code 6000, `retryable=true`), a 500 (code 7000), or
/// normal handling, and a second to decide on a latency spike. Probabilities of 1.0 always fire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaultRule {
    /// The API the rule applies to.
    pub api: Api,
    /// HTTP method to match (`None` = any).
    pub method: Option<String>,
    /// Path prefix to match (`"/"` = every path).
    pub path_prefix: String,
    /// Extra delay before answering.
    #[serde(with = "duration_ms_opt")]
    pub latency: Option<Duration>,
    /// Probability of a 500.
    pub error_500: f64,
    /// Probability of a 503 with code 6000.
    pub error_503: f64,
    /// Probability of closing the connection without an answer.
    pub drop_connection: f64,
    /// Probability of handling the request, then closing the connection without its answer
    /// (the change is made; the client never hears of it).
    pub drop_answer: f64,
    /// Probability of waiting `spike` more before answering.
    pub spike_chance: f64,
    /// The extra delay of a latency spike.
    #[serde(with = "duration_ms_opt")]
    pub spike: Option<Duration>,
    /// How many matching requests the rule affects (`None` = all).
    pub times: Option<u32>,
}

impl Default for FaultRule {
    fn default() -> Self {
        FaultRule {
            api: Api::Mgmt,
            method: None,
            path_prefix: "/".to_owned(),
            latency: None,
            error_500: 0.0,
            error_503: 0.0,
            drop_connection: 0.0,
            drop_answer: 0.0,
            spike_chance: 0.0,
            spike: None,
            times: None,
        }
    }
}

impl FaultRule {
    /// A rule for `api` and `path_prefix` that does nothing until a field is set.
    pub fn new(api: Api, path_prefix: &str) -> Self {
        FaultRule {
            api,
            path_prefix: path_prefix.to_owned(),
            ..FaultRule::default()
        }
    }
}

mod duration_ms_opt {
    //! `Option<Duration>` as optional milliseconds (`latency_ms`-style JSON numbers).
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        value: &Option<Duration>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(duration) => {
                serializer.serialize_some(&u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
            }
            None => serializer.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Duration>, D::Error> {
        Ok(Option::<u64>::deserialize(deserializer)?.map(Duration::from_millis))
    }
}

/// In-process control of a running emulator (cheap to clone).
#[derive(Clone, Debug)]
pub struct Control {
    core: Arc<Core>,
}

impl Control {
    pub(crate) fn new(core: Arc<Core>) -> Self {
        Control { core }
    }

    /// Every request answered so far (management and S3), oldest first.
    pub fn request_log(&self) -> Vec<RequestRecord> {
        self.core.request_log()
    }

    /// Forgets the request log.
    pub fn clear_request_log(&self) {
        self.core.clear_request_log();
    }

    /// How many unexpired tokens the management user holds.
    pub fn live_tokens(&self, user: &str) -> usize {
        self.core.live_tokens(user)
    }

    /// Every management token and secret key the emulator handed out, live, expired or
    /// deleted (to scan output for them).
    pub fn issued_secrets(&self) -> Vec<String> {
        self.core.issued_secrets()
    }

    /// Invalidates every token of the management user; returns how many there were.
    pub fn revoke_tokens(&self, user: &str) -> usize {
        self.core.revoke_tokens(user)
    }

    /// Moves the emulated clock forward (token lifetime and idle timeout, key expiry).
    pub fn advance_clock(&self, by: Duration) {
        self.core.clock.advance(by);
    }

    /// Adds a fault rule (rules are checked in the order added; the first match applies).
    pub fn add_fault(&self, rule: FaultRule) {
        self.core.faults.add(rule);
    }

    /// The fault rules in force (with their remaining `times`).
    pub fn fault_rules(&self) -> Vec<FaultRule> {
        self.core.faults.rules()
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.core.faults.clear();
    }

    /// Sets what billing, bucket deletion and `emptyBucket` see in a bucket, overriding the
    /// real contents until the bucket is emptied or removed.
    pub fn set_bucket_usage(&self, namespace: &str, bucket: &str, bytes: u64, objects: u64) {
        self.core.set_usage_override(
            namespace,
            bucket,
            BucketUsage {
                bytes,
                objects,
                versions: 0,
                uploads: 0,
            },
        );
    }

    /// The usage the management side sees for a bucket.
    pub fn bucket_usage(&self, namespace: &str, bucket: &str) -> BucketUsage {
        self.core.usage(namespace, bucket)
    }
}
