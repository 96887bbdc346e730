//! Listing a bucket's keys and versions: prefix, delimiter roll-up, markers and page limits.
//!
//! Pure functions over the bucket's sorted key map, shared by ListObjects v1/v2 (one marker) and
//! ListObjectVersions (key marker plus version-id marker).

use std::collections::BTreeMap;
use std::ops::Bound;

use time::OffsetDateTime;

use super::bucket::ObjectVersion;

/// The largest page S3 (and ECS) returns.
pub(crate) const MAX_KEYS: usize = 1000;

/// What to list.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ListQuery<'a> {
    pub(crate) prefix: &'a str,
    pub(crate) delimiter: Option<&'a str>,
    /// Start after this key (v1 `marker`, v2 `start-after` or the continuation token).
    pub(crate) after: Option<&'a str>,
    pub(crate) max_keys: usize,
}

/// Which version to start after, for ListObjectVersions.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct VersionMarker<'a> {
    pub(crate) key: Option<&'a str>,
    pub(crate) version_id: Option<&'a str>,
}

/// A current object in a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ObjectEntry {
    pub(crate) key: String,
    pub(crate) last_modified: OffsetDateTime,
    pub(crate) etag: String,
    pub(crate) size: u64,
}

/// One version or delete marker in a version listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct VersionEntry {
    pub(crate) key: String,
    pub(crate) version_id: String,
    pub(crate) is_latest: bool,
    pub(crate) last_modified: OffsetDateTime,
    /// ETag and size; `None` for a delete marker.
    pub(crate) data: Option<(String, u64)>,
}

/// A page of results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Page<T> {
    pub(crate) entries: Vec<T>,
    pub(crate) common_prefixes: Vec<String>,
    pub(crate) truncated: bool,
    /// The key (or common prefix) of the last item returned, when truncated.
    pub(crate) next_key: Option<String>,
    /// The version id of the last item returned, when truncated on a version.
    pub(crate) next_version_id: Option<String>,
}

enum Item<T> {
    Entry(T),
    Prefix(String),
}

/// Gathers items up to the page size and notices when there is more.
struct Collector<T> {
    max: usize,
    items: Vec<Item<T>>,
    truncated: bool,
}

impl<T> Collector<T> {
    fn new(max: usize) -> Self {
        Self {
            max: max.min(MAX_KEYS),
            items: Vec::new(),
            truncated: false,
        }
    }

    /// Adds an item; `false` once the page is full (and there is more).
    fn offer(&mut self, item: Item<T>) -> bool {
        if self.items.len() >= self.max {
            self.truncated = true;
            return false;
        }
        self.items.push(item);
        true
    }

    fn last_prefix(&self) -> Option<&str> {
        match self.items.last() {
            Some(Item::Prefix(p)) => Some(p),
            _ => None,
        }
    }

    fn finish(self, key_of: impl Fn(&T) -> (String, Option<String>)) -> Page<T> {
        let (next_key, next_version_id) = match (self.truncated, self.items.last()) {
            (true, Some(Item::Entry(e))) => {
                let (k, v) = key_of(e);
                (Some(k), v)
            }
            (true, Some(Item::Prefix(p))) => (Some(p.clone()), None),
            _ => (None, None),
        };
        let mut page = Page {
            entries: Vec::new(),
            common_prefixes: Vec::new(),
            truncated: self.truncated,
            next_key,
            next_version_id,
        };
        for item in self.items {
            match item {
                Item::Entry(e) => page.entries.push(e),
                Item::Prefix(p) => page.common_prefixes.push(p),
            }
        }
        page
    }
}

/// The common prefix `key` rolls up into, if the delimiter occurs after `prefix`.
fn common_prefix(key: &str, prefix: &str, delimiter: Option<&str>) -> Option<String> {
    let delimiter = delimiter.filter(|d| !d.is_empty())?;
    let rest = &key[prefix.len()..];
    rest.find(delimiter)
        .map(|i| key[..prefix.len() + i + delimiter.len()].to_owned())
}

/// The keys at or after `prefix` / `after`, stopping once past the prefix.
fn keys_from<'m>(
    objects: &'m BTreeMap<String, Vec<ObjectVersion>>,
    prefix: &'m str,
    start: Bound<&'m str>,
) -> impl Iterator<Item = (&'m String, &'m Vec<ObjectVersion>)> + 'm {
    objects
        .range::<str, _>((start, Bound::Unbounded))
        .take_while(move |(key, _)| key.starts_with(prefix))
}

fn start_bound<'a>(
    prefix: &'a str,
    after: Option<&'a str>,
    inclusive_after: bool,
) -> Bound<&'a str> {
    match after {
        Some(a) if a >= prefix && inclusive_after => Bound::Included(a),
        Some(a) if a >= prefix => Bound::Excluded(a),
        _ => Bound::Included(prefix),
    }
}

/// ListObjects: the current (not deleted) objects.
pub(crate) fn list_objects(
    objects: &BTreeMap<String, Vec<ObjectVersion>>,
    q: ListQuery<'_>,
) -> Page<ObjectEntry> {
    let mut out = Collector::new(q.max_keys);
    for (key, stack) in keys_from(objects, q.prefix, start_bound(q.prefix, q.after, false)) {
        let Some(latest) = stack.first() else {
            continue;
        };
        let Some(data) = &latest.data else { continue };
        let item = match common_prefix(key, q.prefix, q.delimiter) {
            Some(cp)
                if q.after.is_some_and(|a| cp.as_str() <= a) || out.last_prefix() == Some(&cp) =>
            {
                continue;
            }
            Some(cp) => Item::Prefix(cp),
            None => Item::Entry(ObjectEntry {
                key: key.clone(),
                last_modified: latest.last_modified,
                etag: data.etag.clone(),
                size: data.size(),
            }),
        };
        if !out.offer(item) {
            break;
        }
    }
    out.finish(|e| (e.key.clone(), None))
}

/// ListObjectVersions: every version and delete marker, newest first within a key.
pub(crate) fn list_versions(
    objects: &BTreeMap<String, Vec<ObjectVersion>>,
    q: ListQuery<'_>,
    marker: VersionMarker<'_>,
) -> Page<VersionEntry> {
    let resume_in_key = marker.version_id.filter(|v| !v.is_empty()).is_some();
    let mut out = Collector::new(q.max_keys);
    'keys: for (key, stack) in keys_from(
        objects,
        q.prefix,
        start_bound(q.prefix, marker.key, resume_in_key),
    ) {
        if let Some(cp) = common_prefix(key, q.prefix, q.delimiter) {
            if marker.key.is_some_and(|m| cp.as_str() <= m) || out.last_prefix() == Some(&cp) {
                continue;
            }
            if !out.offer(Item::Prefix(cp)) {
                break;
            }
            continue;
        }
        let mut versions = stack.iter().enumerate().peekable();
        if resume_in_key && marker.key == Some(key.as_str()) {
            // Skip up to and including the marker version.
            let marker_id = marker.version_id.unwrap_or_default();
            for (_, v) in versions.by_ref() {
                if v.version_id == marker_id {
                    break;
                }
            }
        }
        for (i, v) in versions {
            let entry = VersionEntry {
                key: key.clone(),
                version_id: v.version_id.clone(),
                is_latest: i == 0,
                last_modified: v.last_modified,
                data: v.data.as_ref().map(|d| (d.etag.clone(), d.size())),
            };
            if !out.offer(Item::Entry(entry)) {
                break 'keys;
            }
        }
    }
    out.finish(|e| (e.key.clone(), Some(e.version_id.clone())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Blob;
    use crate::storage::bucket::{BucketStore, ObjectData, ObjectMeta, Versioning};

    fn store(keys: &[&str]) -> BucketStore {
        let mut b = BucketStore::default();
        for k in keys {
            let data = ObjectData {
                body: Blob::default(),
                etag: format!("etag-{k}"),
                meta: ObjectMeta::default(),
            };
            b.put(k, data, Versioning::Enabled, OffsetDateTime::UNIX_EPOCH);
        }
        b
    }

    fn keys(page: &Page<ObjectEntry>) -> Vec<&str> {
        page.entries.iter().map(|e| e.key.as_str()).collect()
    }

    #[test]
    fn prefix_and_delimiter_roll_up() {
        let b = store(&["a/1", "a/2", "a/b/3", "b", "c/1", "d"]);
        let q = ListQuery {
            delimiter: Some("/"),
            max_keys: 1000,
            ..Default::default()
        };
        let page = list_objects(&b.objects, q);
        assert_eq!(keys(&page), vec!["b", "d"]);
        assert_eq!(page.common_prefixes, vec!["a/", "c/"]);
        assert!(!page.truncated);

        let q = ListQuery {
            prefix: "a/",
            delimiter: Some("/"),
            max_keys: 1000,
            ..Default::default()
        };
        let page = list_objects(&b.objects, q);
        assert_eq!(keys(&page), vec!["a/1", "a/2"]);
        assert_eq!(page.common_prefixes, vec!["a/b/"]);
    }

    #[test]
    fn pages_follow_markers_through_prefixes() {
        let b = store(&["a/1", "a/2", "b", "c/1", "c/2", "d"]);
        let mut after: Option<String> = None;
        let mut seen = Vec::new();
        for _ in 0..10 {
            let q = ListQuery {
                delimiter: Some("/"),
                after: after.as_deref(),
                max_keys: 1,
                ..Default::default()
            };
            let page = list_objects(&b.objects, q);
            seen.extend(page.entries.iter().map(|e| e.key.clone()));
            seen.extend(page.common_prefixes.iter().cloned());
            if !page.truncated {
                break;
            }
            after = page.next_key.clone();
        }
        assert_eq!(seen, vec!["a/", "b", "c/", "d"]);
    }

    #[test]
    fn deleted_objects_are_hidden_and_max_keys_is_capped() {
        let mut b = store(&["x", "y"]);
        b.delete("x", None, Versioning::Enabled, OffsetDateTime::UNIX_EPOCH);
        let page = list_objects(
            &b.objects,
            ListQuery {
                max_keys: 5000,
                ..Default::default()
            },
        );
        assert_eq!(keys(&page), vec!["y"]);
        let page = list_objects(
            &b.objects,
            ListQuery {
                max_keys: 0,
                ..Default::default()
            },
        );
        assert!(page.entries.is_empty());
        assert!(page.truncated);
    }

    #[test]
    fn versions_page_through_key_and_version_markers() {
        let mut b = store(&["k", "k", "k", "m"]);
        b.delete("m", None, Versioning::Enabled, OffsetDateTime::UNIX_EPOCH);
        let all = list_versions(
            &b.objects,
            ListQuery {
                max_keys: 1000,
                ..Default::default()
            },
            VersionMarker::default(),
        );
        assert_eq!(all.entries.len(), 5);
        assert!(all.entries[0].is_latest && !all.entries[1].is_latest);
        assert!(all.entries[3].data.is_none() && all.entries[3].is_latest);

        let mut marker = (None::<String>, None::<String>);
        let mut seen = Vec::new();
        for _ in 0..10 {
            let m = VersionMarker {
                key: marker.0.as_deref(),
                version_id: marker.1.as_deref(),
            };
            let page = list_versions(
                &b.objects,
                ListQuery {
                    max_keys: 2,
                    ..Default::default()
                },
                m,
            );
            seen.extend(
                page.entries
                    .iter()
                    .map(|e| (e.key.clone(), e.version_id.clone())),
            );
            if !page.truncated {
                break;
            }
            marker = (page.next_key.clone(), page.next_version_id.clone());
        }
        let expected: Vec<_> = all
            .entries
            .iter()
            .map(|e| (e.key.clone(), e.version_id.clone()))
            .collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn key_marker_without_version_skips_the_whole_key() {
        let b = store(&["k", "k", "m"]);
        let m = VersionMarker {
            key: Some("k"),
            version_id: None,
        };
        let page = list_versions(
            &b.objects,
            ListQuery {
                max_keys: 1000,
                ..Default::default()
            },
            m,
        );
        assert_eq!(
            page.entries
                .iter()
                .map(|e| e.key.as_str())
                .collect::<Vec<_>>(),
            vec!["m"]
        );
    }
}
