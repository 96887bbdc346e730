//! Echo suppression: CloudStack repeats options right after `createBucket`.
//!
//! `BucketApiServiceImpl.createBucket` calls the driver's `createBucket`, then, on the same
//! thread and with nothing in between, `setBucketVersioning` (only when versioning is on),
//! `setBucketEncryption` (only when encryption is on), `setQuota` (when a quota was sent) and
//! `setBucketPolicy` (when a policy was sent), with the very values the bucket was just
//! created with. The driver applied them at creation already, so it answers those follow-ups
//! without a request.
//!
//! The memory is scoped to the create call that set it, so that a change made on another
//! management server is never hidden:
//! - only the follow-ups CloudStack will actually send are remembered (a bucket created with
//!   versioning off remembers nothing about versioning: CloudStack sends no follow-up for it,
//!   and a later "versioning off" from the update form must reach ECS);
//! - each is answered once, and only in CloudStack's order: a setter for a later option drops
//!   the earlier ones still pending, and a setter with another value drops the whole entry;
//! - whatever is not consumed expires after [`ECHO_TTL`] (the follow-ups arrive within
//!   milliseconds of the create).
//!
//! Answering a follow-up from memory is the same as having applied it at creation, before any
//! other server could change the bucket, so no interleaving loses another server's change.
//! `two_servers` in the driver's tests and the two-JVM suite of the plug-in check this.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::PolicySpec;

/// How long a creation's follow-ups are waited for.
pub(crate) const ECHO_TTL: Duration = Duration::from_secs(10);

/// At most this many buckets are remembered; older entries are dropped first.
const MAX_ENTRIES: usize = 1024;

/// One remembered setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Setting {
    Versioning(bool),
    Encryption(bool),
    Quota(u64),
    Policy(PolicySpec),
}

impl Setting {
    fn slot(&self) -> usize {
        match self {
            Setting::Versioning(_) => 0,
            Setting::Encryption(_) => 1,
            Setting::Quota(_) => 2,
            Setting::Policy(_) => 3,
        }
    }
}

#[derive(Debug)]
struct Entry {
    at: Instant,
    settings: [Option<Setting>; 4],
}

/// The values of recently created buckets, each answerable once.
#[derive(Debug, Default)]
pub(crate) struct Echoes {
    entries: Mutex<HashMap<String, Entry>>,
}

impl Echoes {
    /// Remembers what `bucket` was just created with.
    pub(crate) fn remember(&self, bucket: &str, settings: Vec<Setting>) {
        let now = Instant::now();
        let mut entries = self.lock();
        entries.retain(|_, entry| now.duration_since(entry.at) < ECHO_TTL);
        if entries.len() >= MAX_ENTRIES
            && let Some(oldest) = entries
                .iter()
                .min_by_key(|(_, entry)| entry.at)
                .map(|(name, _)| name.clone())
        {
            entries.remove(&oldest);
        }
        let mut slots: [Option<Setting>; 4] = Default::default();
        for setting in settings {
            let slot = setting.slot();
            slots[slot] = Some(setting);
        }
        entries.insert(
            bucket.to_owned(),
            Entry {
                at: now,
                settings: slots,
            },
        );
    }

    /// Whether `setting` is the follow-up CloudStack sends after creating `bucket` with it.
    ///
    /// Consumes the memory of that setting either way, and of every earlier one still pending
    /// (CloudStack would have sent those first); a value other than the remembered one
    /// forgets the bucket.
    pub(crate) fn take_if_same(&self, bucket: &str, setting: &Setting) -> bool {
        let mut entries = self.lock();
        let Some(entry) = entries.get_mut(bucket) else {
            return false;
        };
        if entry.at.elapsed() >= ECHO_TTL {
            entries.remove(bucket);
            return false;
        }
        let slot = setting.slot();
        let remembered = entry.settings[slot].take();
        for earlier in &mut entry.settings[..slot] {
            *earlier = None;
        }
        let same = remembered.as_ref() == Some(setting);
        let broken = remembered.is_some() && !same;
        if broken || entry.settings.iter().all(Option::is_none) {
            entries.remove(bucket);
        }
        same
    }

    /// Forgets a bucket (deleted, or changed by this driver).
    pub(crate) fn forget(&self, bucket: &str) {
        self.lock().remove(bucket);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_setting_is_answered_once() {
        let echoes = Echoes::default();
        echoes.remember("b", vec![Setting::Versioning(true), Setting::Quota(5)]);
        assert!(echoes.take_if_same("b", &Setting::Versioning(true)));
        assert!(
            !echoes.take_if_same("b", &Setting::Versioning(true)),
            "only once"
        );
        assert!(echoes.take_if_same("b", &Setting::Quota(5)));
        assert!(!echoes.take_if_same("b", &Setting::Quota(5)));
    }

    #[test]
    fn a_different_value_is_not_an_echo_and_consumes() {
        let echoes = Echoes::default();
        echoes.remember(
            "b",
            vec![Setting::Quota(5), Setting::Policy(PolicySpec::Public)],
        );
        assert!(!echoes.take_if_same("b", &Setting::Quota(6)));
        assert!(!echoes.take_if_same("b", &Setting::Quota(5)));
        assert!(!echoes.take_if_same("b", &Setting::Policy(PolicySpec::Private)));
        assert!(!echoes.take_if_same("other", &Setting::Quota(5)));
    }

    #[test]
    fn a_later_option_drops_the_earlier_ones_still_pending() {
        let echoes = Echoes::default();
        echoes.remember(
            "b",
            vec![
                Setting::Versioning(true),
                Setting::Quota(5),
                Setting::Policy(PolicySpec::Public),
            ],
        );
        assert!(echoes.take_if_same("b", &Setting::Quota(5)));
        assert!(
            !echoes.take_if_same("b", &Setting::Versioning(true)),
            "CloudStack sends versioning before the quota: this is the update form"
        );
        assert!(echoes.take_if_same("b", &Setting::Policy(PolicySpec::Public)));
    }

    #[test]
    fn another_value_forgets_the_whole_creation() {
        let echoes = Echoes::default();
        echoes.remember("b", vec![Setting::Versioning(true), Setting::Quota(5)]);
        assert!(!echoes.take_if_same("b", &Setting::Versioning(false)));
        assert!(
            !echoes.take_if_same("b", &Setting::Quota(5)),
            "the sequence was broken: the quota goes to ECS"
        );
    }

    #[test]
    fn forget_drops_everything() {
        let echoes = Echoes::default();
        echoes.remember("b", vec![Setting::Encryption(true)]);
        echoes.forget("b");
        assert!(!echoes.take_if_same("b", &Setting::Encryption(true)));
    }

    #[test]
    fn the_map_stays_bounded() {
        let echoes = Echoes::default();
        for n in 0..(MAX_ENTRIES + 10) {
            echoes.remember(&format!("b{n}"), vec![Setting::Quota(1)]);
        }
        assert!(echoes.lock().len() <= MAX_ENTRIES);
    }
}
