//! Store options for what the driver offers beyond CloudStack's other object-store drivers:
//! per-bucket credentials, the account key's rotation grace and the ownership tags.
//!
//! Kept apart from [`crate::StoreConfig`]'s endpoint and credential rules; parsed from the same
//! details map by [`Features::from_details`] and reached through [`StoreConfig::features`].
//!
//! [`StoreConfig::features`]: crate::StoreConfig::features

use std::collections::HashMap;
use std::fmt;

use ecs_common::{Error, Result};

/// Store-detail names of these options.
pub mod feature_keys {
    /// `on` (default) or `off`: whether buckets may get their own ECS object user and keys
    /// (CloudStack's per-bucket credentials, apache/cloudstack PR #14170).
    pub const BUCKET_CREDENTIALS: &str = "bucket_credentials";
    /// Minutes the old account key keeps working after the account key is rotated for
    /// per-bucket credentials (ECS's key expiry); default 0, the old key ends at once.
    pub const ACCOUNT_KEY_GRACE_MINUTES: &str = "account_key_grace_minutes";
    /// Prefix of the tag names the driver puts on buckets and users; default `cloudstack:`.
    pub const TAG_PREFIX: &str = "tag_prefix";
    /// `allow` (the default: buckets get S3 Object Lock when CloudStack asks and ECS has it,
    /// 3.6.2 and later) or `refuse` (CloudStack's object-lock flag is refused with
    /// `UNSUPPORTED`, as it is on older releases).
    pub const OBJECT_LOCK: &str = "object_lock";
    /// `governance` or `compliance`: the default retention mode of object-lock buckets (with
    /// `object_lock_days`; none unless both are set).
    pub const OBJECT_LOCK_MODE: &str = "object_lock_mode";
    /// Days of the default retention of object-lock buckets (1 to 36500).
    pub const OBJECT_LOCK_DAYS: &str = "object_lock_days";
}

/// The default retention every object version of an object-lock bucket gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LockDefault {
    /// `true` for compliance (nobody may shorten it), `false` for governance.
    pub compliance: bool,
    /// Days from each version's creation.
    pub days: u32,
}

/// `compliance 30 day(s)` or `governance 1 day(s)`: how the check report and the demo name it.
impl fmt::Display for LockDefault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mode = if self.compliance {
            "compliance"
        } else {
            "governance"
        };
        write!(f, "{mode} {} day(s)", self.days)
    }
}

/// The default prefix of the driver's tag names.
pub const DEFAULT_TAG_PREFIX: &str = "cloudstack:";

/// The longest account-key grace accepted: 30 days, in minutes.
const MAX_GRACE_MINUTES: u32 = 30 * 24 * 60;

/// Options beyond the endpoints and credentials, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Features {
    bucket_credentials: bool,
    account_key_grace_minutes: u32,
    tag_prefix: String,
    object_lock_refused: bool,
    lock_default: Option<LockDefault>,
}

impl Default for Features {
    fn default() -> Self {
        Features {
            bucket_credentials: true,
            account_key_grace_minutes: 0,
            tag_prefix: DEFAULT_TAG_PREFIX.to_owned(),
            object_lock_refused: false,
            lock_default: None,
        }
    }
}

impl Features {
    /// Reads the options from a store's details; absent keys take their defaults. Errors are
    /// `InvalidInput` naming the key.
    pub fn from_details(details: &HashMap<String, String>) -> Result<Features> {
        let get = |key: &str| {
            details
                .get(key)
                .map(|value| value.trim())
                .filter(|value| !value.is_empty())
        };
        let mut features = Features::default();
        if let Some(value) = get(feature_keys::BUCKET_CREDENTIALS) {
            features.bucket_credentials = match value.to_ascii_lowercase().as_str() {
                "on" | "true" => true,
                "off" | "false" => false,
                _ => {
                    return Err(detail_error(
                        feature_keys::BUCKET_CREDENTIALS,
                        "must be on or off",
                    ));
                }
            };
        }
        if let Some(value) = get(feature_keys::ACCOUNT_KEY_GRACE_MINUTES) {
            features.account_key_grace_minutes = value
                .parse::<u32>()
                .ok()
                .filter(|minutes| *minutes <= MAX_GRACE_MINUTES)
                .ok_or_else(|| {
                    detail_error(
                        feature_keys::ACCOUNT_KEY_GRACE_MINUTES,
                        &format!("must be a whole number of minutes from 0 to {MAX_GRACE_MINUTES}"),
                    )
                })?;
        }
        if let Some(prefix) = details.get(feature_keys::TAG_PREFIX) {
            let prefix = prefix.trim();
            let allowed = |c: char| c.is_ascii_alphanumeric() || "+-=._:/@".contains(c);
            if prefix.len() > 64 || !prefix.chars().all(allowed) {
                return Err(detail_error(
                    feature_keys::TAG_PREFIX,
                    "must be at most 64 letters, digits or + - = . _ : / @",
                ));
            }
            prefix.clone_into(&mut features.tag_prefix);
        }
        if let Some(value) = get(feature_keys::OBJECT_LOCK) {
            features.object_lock_refused = match value.to_ascii_lowercase().as_str() {
                "allow" => false,
                "refuse" => true,
                _ => {
                    return Err(detail_error(
                        feature_keys::OBJECT_LOCK,
                        "must be allow or refuse",
                    ));
                }
            };
        }
        let mode = get(feature_keys::OBJECT_LOCK_MODE)
            .map(|mode| match mode.to_ascii_lowercase().as_str() {
                "governance" => Ok(false),
                "compliance" => Ok(true),
                _ => Err(detail_error(
                    feature_keys::OBJECT_LOCK_MODE,
                    "must be governance or compliance",
                )),
            })
            .transpose()?;
        let days = get(feature_keys::OBJECT_LOCK_DAYS)
            .map(|days| {
                days.parse::<u32>()
                    .ok()
                    .filter(|days| (1..=36_500).contains(days))
                    .ok_or_else(|| {
                        detail_error(
                            feature_keys::OBJECT_LOCK_DAYS,
                            "must be a number of days from 1 to 36500",
                        )
                    })
            })
            .transpose()?;
        features.lock_default = match (mode, days) {
            (Some(compliance), Some(days)) => Some(LockDefault { compliance, days }),
            (None, None) => None,
            _ => {
                return Err(detail_error(
                    feature_keys::OBJECT_LOCK_MODE,
                    "and object_lock_days go together: give both or neither",
                ));
            }
        };
        Ok(features)
    }

    /// Whether the store refuses CloudStack's object-lock flag (`object_lock=refuse`).
    pub fn object_lock_refused(&self) -> bool {
        self.object_lock_refused
    }

    /// The default retention of object-lock buckets, when the store's details set one.
    pub fn lock_default(&self) -> Option<LockDefault> {
        self.lock_default
    }

    /// Whether buckets may get their own credentials (`bucket_credentials`, default on).
    pub fn bucket_credentials(&self) -> bool {
        self.bucket_credentials
    }

    /// Minutes the old account key keeps working after a rotation for per-bucket credentials.
    pub fn account_key_grace_minutes(&self) -> u32 {
        self.account_key_grace_minutes
    }

    /// The prefix of the driver's tag names (default `cloudstack:`).
    pub fn tag_prefix(&self) -> &str {
        &self.tag_prefix
    }

    /// A tag name with the prefix: `tag("account")` is `cloudstack:account` by default.
    pub fn tag(&self, name: &str) -> String {
        format!("{}{name}", self.tag_prefix)
    }
}

fn detail_error(key: &str, problem: &str) -> Error {
    Error::invalid_input(format!("store detail {key} {problem}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecs_common::ErrorKind;

    fn details(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_lock_default_names_its_mode_and_days() {
        let compliance = LockDefault {
            compliance: true,
            days: 30,
        };
        let governance = LockDefault {
            compliance: false,
            days: 1,
        };
        assert_eq!(compliance.to_string(), "compliance 30 day(s)");
        assert_eq!(governance.to_string(), "governance 1 day(s)");
    }

    #[test]
    fn defaults() {
        let features = Features::from_details(&HashMap::new()).unwrap();
        assert!(features.bucket_credentials());
        assert_eq!(features.account_key_grace_minutes(), 0);
        assert_eq!(features.tag("account"), "cloudstack:account");
        assert!(
            !features.object_lock_refused(),
            "object lock is allowed by default"
        );
        assert_eq!(features.lock_default(), None);
    }

    #[test]
    fn values_are_read_and_checked() {
        let features = Features::from_details(&details(&[
            ("bucket_credentials", "OFF"),
            ("account_key_grace_minutes", "90"),
            ("tag_prefix", "acme/"),
        ]))
        .unwrap();
        assert!(!features.bucket_credentials());
        assert_eq!(features.account_key_grace_minutes(), 90);
        assert_eq!(features.tag("store"), "acme/store");
        let locked = Features::from_details(&details(&[
            ("object_lock", "allow"),
            ("object_lock_mode", "Compliance"),
            ("object_lock_days", "30"),
        ]))
        .unwrap();
        assert!(!locked.object_lock_refused());
        assert!(!Features::default().object_lock_refused());
        let refusing = Features::from_details(&details(&[("object_lock", "Refuse")])).unwrap();
        assert!(refusing.object_lock_refused());
        assert_eq!(
            locked.lock_default(),
            Some(LockDefault {
                compliance: true,
                days: 30
            })
        );
        let half = Features::from_details(&details(&[("object_lock_days", "30")])).unwrap_err();
        assert!(half.to_string().contains("give both"), "{half}");
        for (key, bad) in [
            ("bucket_credentials", "maybe"),
            ("account_key_grace_minutes", "-1"),
            ("account_key_grace_minutes", "99999999"),
            ("tag_prefix", "a b"),
            ("object_lock", "sometimes"),
            ("object_lock_mode", "strict"),
            ("object_lock_days", "0"),
        ] {
            let err = Features::from_details(&details(&[(key, bad)])).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput);
            assert!(err.to_string().contains(key), "{err}");
        }
    }
}
