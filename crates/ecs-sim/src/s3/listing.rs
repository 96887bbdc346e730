//! ListObjects (v1, v2) and ListObjectVersions on top of the storage's listing.

use base64::Engine as _;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result, s3_error};

use super::convert::{etag, owner, timestamp};
use super::service::EcsS3;
use crate::storage::{ListQuery, MAX_KEYS, ObjectEntry, Page, VersionMarker};

type Out<T> = S3Result<S3Response<T>>;

/// Characters `encoding-type=url` leaves alone (as S3 does).
const URL_SAFE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// Encodes keys and prefixes when the client asked for `encoding-type=url`.
#[derive(Clone, Copy)]
struct Encoder(bool);

impl Encoder {
    fn new(encoding: Option<&EncodingType>) -> Self {
        Self(encoding.is_some_and(|e| e.as_str() == EncodingType::URL))
    }

    fn apply(self, text: &str) -> String {
        if self.0 {
            utf8_percent_encode(text, URL_SAFE).to_string()
        } else {
            text.to_owned()
        }
    }

    fn opt(self, text: Option<&str>) -> Option<String> {
        text.map(|t| self.apply(t))
    }
}

fn max_keys(requested: Option<i32>) -> S3Result<usize> {
    match requested {
        None => Ok(MAX_KEYS),
        Some(n) => usize::try_from(n)
            .map_err(|_| s3_error!(InvalidArgument, "max-keys must not be negative")),
    }
}

fn objects(page: &Page<ObjectEntry>, enc: Encoder) -> Vec<Object> {
    page.entries
        .iter()
        .map(|e| Object {
            e_tag: Some(etag(&e.etag)),
            key: Some(enc.apply(&e.key)),
            last_modified: Some(timestamp(e.last_modified)),
            size: i64::try_from(e.size).ok(),
            storage_class: Some(ObjectStorageClass::from_static(
                ObjectStorageClass::STANDARD,
            )),
            ..Default::default()
        })
        .collect()
}

fn prefixes(list: &[String], enc: Encoder) -> Vec<CommonPrefix> {
    list.iter()
        .map(|p| CommonPrefix {
            prefix: Some(enc.apply(p)),
        })
        .collect()
}

pub(crate) fn list_objects(s3: &EcsS3, req: S3Request<ListObjectsInput>) -> Out<ListObjectsOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let input = &req.input;
    let enc = Encoder::new(input.encoding_type.as_ref());
    let max = max_keys(input.max_keys)?;
    let query = ListQuery {
        prefix: input.prefix.as_deref().unwrap_or_default(),
        delimiter: input.delimiter.as_deref(),
        after: input.marker.as_deref().filter(|m| !m.is_empty()),
        max_keys: max,
    };
    let page = s3.storage.list_objects(&ns, &meta.name, query);
    Ok(S3Response::new(ListObjectsOutput {
        name: Some(meta.name.clone()),
        prefix: Some(enc.apply(query.prefix)),
        marker: Some(enc.apply(query.after.unwrap_or_default())),
        max_keys: i32::try_from(max.min(MAX_KEYS)).ok(),
        is_truncated: Some(page.truncated),
        contents: Some(objects(&page, enc)),
        common_prefixes: Some(prefixes(&page.common_prefixes, enc)),
        delimiter: enc.opt(input.delimiter.as_deref()),
        next_marker: enc.opt(page.next_key.as_deref()),
        encoding_type: input.encoding_type.clone(),
        ..Default::default()
    }))
}

/// The opaque v2 continuation token for "start after this key".
fn token_for(key: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key)
}

fn key_of_token(token: &str) -> S3Result<String> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| {
            s3_error!(
                InvalidArgument,
                "The continuation token provided is incorrect"
            )
        })?;
    String::from_utf8(bytes).map_err(|_| {
        s3_error!(
            InvalidArgument,
            "The continuation token provided is incorrect"
        )
    })
}

pub(crate) fn list_objects_v2(
    s3: &EcsS3,
    req: S3Request<ListObjectsV2Input>,
) -> Out<ListObjectsV2Output> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let input = &req.input;
    let enc = Encoder::new(input.encoding_type.as_ref());
    let max = max_keys(input.max_keys)?;
    let token_key = input
        .continuation_token
        .as_deref()
        .map(key_of_token)
        .transpose()?;
    let after = token_key
        .as_deref()
        .or(input.start_after.as_deref())
        .filter(|a| !a.is_empty());
    let query = ListQuery {
        prefix: input.prefix.as_deref().unwrap_or_default(),
        delimiter: input.delimiter.as_deref(),
        after,
        max_keys: max,
    };
    let page = s3.storage.list_objects(&ns, &meta.name, query);
    let mut contents = objects(&page, enc);
    if input.fetch_owner == Some(true) {
        for object in &mut contents {
            object.owner = Some(owner(&meta.owner));
        }
    }
    let key_count = contents.len() + page.common_prefixes.len();
    Ok(S3Response::new(ListObjectsV2Output {
        name: Some(meta.name.clone()),
        prefix: Some(enc.apply(query.prefix)),
        max_keys: i32::try_from(max.min(MAX_KEYS)).ok(),
        key_count: i32::try_from(key_count).ok(),
        continuation_token: input.continuation_token.clone(),
        is_truncated: Some(page.truncated),
        next_continuation_token: page
            .next_key
            .as_deref()
            .filter(|_| page.truncated)
            .map(token_for),
        contents: Some(contents),
        common_prefixes: Some(prefixes(&page.common_prefixes, enc)),
        delimiter: enc.opt(input.delimiter.as_deref()),
        encoding_type: input.encoding_type.clone(),
        start_after: enc.opt(input.start_after.as_deref()),
        ..Default::default()
    }))
}

pub(crate) fn list_object_versions(
    s3: &EcsS3,
    req: S3Request<ListObjectVersionsInput>,
) -> Out<ListObjectVersionsOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let input = &req.input;
    let enc = Encoder::new(input.encoding_type.as_ref());
    let max = max_keys(input.max_keys)?;
    let query = ListQuery {
        prefix: input.prefix.as_deref().unwrap_or_default(),
        delimiter: input.delimiter.as_deref(),
        after: None,
        max_keys: max,
    };
    let marker = VersionMarker {
        key: input.key_marker.as_deref().filter(|k| !k.is_empty()),
        version_id: input.version_id_marker.as_deref().filter(|v| !v.is_empty()),
    };
    let page = s3.storage.list_versions(&ns, &meta.name, query, marker);
    let (mut versions, mut markers) = (Vec::new(), Vec::new());
    for e in &page.entries {
        let (key, modified, vid) = (
            Some(enc.apply(&e.key)),
            Some(timestamp(e.last_modified)),
            Some(e.version_id.clone()),
        );
        match &e.data {
            Some((tag, size)) => versions.push(ObjectVersion {
                e_tag: Some(etag(tag)),
                is_latest: Some(e.is_latest),
                key,
                last_modified: modified,
                owner: Some(owner(&meta.owner)),
                size: i64::try_from(*size).ok(),
                storage_class: Some(ObjectVersionStorageClass::from_static(
                    ObjectVersionStorageClass::STANDARD,
                )),
                version_id: vid,
                ..Default::default()
            }),
            None => markers.push(DeleteMarkerEntry {
                is_latest: Some(e.is_latest),
                key,
                last_modified: modified,
                owner: Some(owner(&meta.owner)),
                version_id: vid,
            }),
        }
    }
    Ok(S3Response::new(ListObjectVersionsOutput {
        common_prefixes: Some(prefixes(&page.common_prefixes, enc)),
        delete_markers: Some(markers),
        delimiter: enc.opt(input.delimiter.as_deref()),
        encoding_type: input.encoding_type.clone(),
        is_truncated: Some(page.truncated),
        key_marker: Some(enc.apply(marker.key.unwrap_or_default())),
        max_keys: i32::try_from(max.min(MAX_KEYS)).ok(),
        name: Some(meta.name.clone()),
        next_key_marker: enc.opt(page.next_key.as_deref()),
        next_version_id_marker: page.next_version_id.clone(),
        prefix: Some(enc.apply(query.prefix)),
        version_id_marker: Some(marker.version_id.unwrap_or_default().to_owned()),
        versions: Some(versions),
        ..Default::default()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_roundtrip_and_reject_garbage() {
        assert_eq!(key_of_token(&token_for("a/b c")).expect("token"), "a/b c");
        assert!(key_of_token("!!!").is_err());
    }

    #[test]
    fn url_encoding_only_when_asked() {
        assert_eq!(Encoder(true).apply("a b/c+d"), "a%20b/c%2Bd");
        assert_eq!(Encoder(false).apply("a b"), "a b");
    }
}
