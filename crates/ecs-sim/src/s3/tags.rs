//! Object and bucket tagging: `?tagging` on objects (per version) and buckets, the
//! `x-amz-tagging` header of PUT, CopyObject (`x-amz-tagging-directive`) and
//! CreateMultipartUpload, and `x-amz-tagging-count` on GET.
//!
//! Limits, as S3 and ECS document them: at most 10 tags on an object or a bucket (ECS Data Access
//! Guide, "S3 supported features": tagging; the management API refuses an 11th bucket tag too),
//! keys of 1 to 128 and values of up to 256 Unicode characters, of letters, digits, spaces and
//! `+ - = . _ : / @`, keys unique and not starting with `aws:`. Anything else is 400 `InvalidTag`.
//! A bucket's tags are the management state's `TagSet` (the management API's bucket tags).

use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result, s3_error};

use super::convert::{reported_version, storage_error};
use super::service::EcsS3;

type Out<T> = S3Result<S3Response<T>>;

/// Tags on one object or bucket.
pub(crate) const MAX_TAGS: usize = 10;
const MAX_KEY_CHARS: usize = 128;
const MAX_VALUE_CHARS: usize = 256;

fn allowed(c: char) -> bool {
    c.is_alphanumeric() || c == ' ' || "+-=._:/@".contains(c)
}

/// Checks a tag set against S3's rules.
pub(crate) fn validate(tags: &[(String, String)]) -> S3Result<()> {
    if tags.len() > MAX_TAGS {
        return Err(s3_error!(
            InvalidTag,
            "Object tags cannot be greater than 10"
        ));
    }
    for (i, (key, value)) in tags.iter().enumerate() {
        let key_chars = key.chars().count();
        if key_chars == 0 || key_chars > MAX_KEY_CHARS || !key.chars().all(allowed) {
            return Err(s3_error!(
                InvalidTag,
                "The TagKey you have provided is invalid"
            ));
        }
        if key.starts_with("aws:") {
            return Err(s3_error!(
                InvalidTag,
                "Your TagKey cannot be prefixed with aws:"
            ));
        }
        if value.chars().count() > MAX_VALUE_CHARS || !value.chars().all(allowed) {
            return Err(s3_error!(
                InvalidTag,
                "The TagValue you have provided is invalid"
            ));
        }
        if tags[..i].iter().any(|(k, _)| k == key) {
            return Err(s3_error!(
                InvalidTag,
                "Cannot provide multiple Tags with the same key"
            ));
        }
    }
    Ok(())
}

/// A `Tagging` body as (key, value) pairs, validated.
fn from_tagging(tagging: &Tagging) -> S3Result<Vec<(String, String)>> {
    let tags = tagging
        .tag_set
        .iter()
        .map(|t| {
            (
                t.key.clone().unwrap_or_default(),
                t.value.clone().unwrap_or_default(),
            )
        })
        .collect::<Vec<_>>();
    validate(&tags)?;
    Ok(tags)
}

fn to_tag_set(tags: &[(String, String)]) -> TagSet {
    tags.iter()
        .map(|(k, v)| Tag {
            key: Some(k.clone()),
            value: Some(v.clone()),
        })
        .collect()
}

/// The `x-amz-tagging` header (`k1=v1&k2=v2`, URL-encoded), validated.
pub(crate) fn from_header(header: Option<&str>) -> S3Result<Vec<(String, String)>> {
    let Some(header) = header.filter(|h| !h.is_empty()) else {
        return Ok(Vec::new());
    };
    let decode = |s: &str| -> S3Result<String> {
        let s = s.replace('+', " ");
        percent_encoding::percent_decode_str(&s)
            .decode_utf8()
            .map(|c| c.into_owned())
            .map_err(|_| s3_error!(InvalidTag, "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates."))
    };
    let tags = header
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((decode(k)?, decode(v)?))
        })
        .collect::<S3Result<Vec<_>>>()?;
    validate(&tags)?;
    Ok(tags)
}

/// `x-amz-tagging-count` for a GET answer.
pub(crate) fn count(tags: &[(String, String)]) -> Option<i32> {
    (!tags.is_empty()).then(|| i32::try_from(tags.len()).unwrap_or(i32::MAX))
}

pub(crate) fn get_object_tagging(
    s3: &EcsS3,
    req: S3Request<GetObjectTaggingInput>,
) -> Out<GetObjectTaggingOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let input = &req.input;
    let version = s3
        .storage
        .get_object(&ns, &meta.name, &input.key, input.version_id.as_deref())
        .map_err(storage_error)?;
    let tags = version.data.map(|d| d.meta.tags).unwrap_or_default();
    Ok(S3Response::new(GetObjectTaggingOutput {
        tag_set: to_tag_set(&tags),
        version_id: reported_version(&meta, version.version_id),
    }))
}

/// Replaces (or, with `None`, removes) the tags of a version; returns its id.
fn set_object_tags(
    s3: &EcsS3,
    ns: &str,
    bucket: &str,
    key: &str,
    version_id: Option<&str>,
    tags: Vec<(String, String)>,
) -> S3Result<String> {
    s3.storage
        .update_version(ns, bucket, key, version_id, |version| {
            if let Some(data) = version.data.as_mut() {
                data.meta.tags = tags;
            }
            version.version_id.clone()
        })
        .map_err(storage_error)
}

pub(crate) fn put_object_tagging(
    s3: &EcsS3,
    req: S3Request<PutObjectTaggingInput>,
) -> Out<PutObjectTaggingOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let input = &req.input;
    let tags = from_tagging(&input.tagging)?;
    let id = set_object_tags(
        s3,
        &ns,
        &meta.name,
        &input.key,
        input.version_id.as_deref(),
        tags,
    )?;
    Ok(S3Response::new(PutObjectTaggingOutput {
        version_id: reported_version(&meta, id),
    }))
}

pub(crate) fn delete_object_tagging(
    s3: &EcsS3,
    req: S3Request<DeleteObjectTaggingInput>,
) -> Out<DeleteObjectTaggingOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let input = &req.input;
    let id = set_object_tags(
        s3,
        &ns,
        &meta.name,
        &input.key,
        input.version_id.as_deref(),
        Vec::new(),
    )?;
    Ok(S3Response::new(DeleteObjectTaggingOutput {
        version_id: reported_version(&meta, id),
    }))
}

pub(crate) fn get_bucket_tagging(
    s3: &EcsS3,
    req: S3Request<GetBucketTaggingInput>,
) -> Out<GetBucketTaggingOutput> {
    let (_, meta) = s3.bucket(&req, &req.input.bucket)?;
    if meta.tags.is_empty() {
        return Err(s3_error!(NoSuchTagSet, "The TagSet does not exist"));
    }
    Ok(S3Response::new(GetBucketTaggingOutput {
        tag_set: to_tag_set(&meta.tags),
    }))
}

pub(crate) fn put_bucket_tagging(
    s3: &EcsS3,
    req: S3Request<PutBucketTaggingInput>,
) -> Out<PutBucketTaggingOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let tags = from_tagging(&req.input.tagging)?;
    s3.core
        .update_bucket(&ns, &meta.name, |bucket| bucket.tags = tags);
    Ok(S3Response::new(PutBucketTaggingOutput::default()))
}

pub(crate) fn delete_bucket_tagging(
    s3: &EcsS3,
    req: S3Request<DeleteBucketTaggingInput>,
) -> Out<DeleteBucketTaggingOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    s3.core
        .update_bucket(&ns, &meta.name, |bucket| bucket.tags.clear());
    Ok(S3Response::new(DeleteBucketTaggingOutput::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn limits_are_s3s() {
        assert!(validate(&tags(&[("a", ""), ("b c", "x+y=z/@:._-")])).is_ok());
        let eleven: Vec<_> = (0..11).map(|i| (format!("k{i}"), String::new())).collect();
        assert!(validate(&eleven[..10]).is_ok());
        for bad in [
            eleven.clone(),
            tags(&[("", "v")]),
            tags(&[("k", "v"), ("k", "w")]),
            tags(&[("aws:x", "v")]),
            tags(&[("k#", "v")]),
            vec![("k".repeat(129), String::new())],
            vec![("k".to_owned(), "v".repeat(257))],
        ] {
            let err = validate(&bad).expect_err("invalid");
            assert_eq!(err.code().as_str(), "InvalidTag", "{bad:?}");
        }
        assert!(validate(&[("é".repeat(128), "ü".repeat(256))]).is_ok());
    }

    #[test]
    fn header_is_url_encoded_pairs() {
        assert_eq!(
            from_header(Some("a=1&b%20c=x%2By&d=e+f")).expect("valid"),
            tags(&[("a", "1"), ("b c", "x+y"), ("d", "e f")])
        );
        assert!(from_header(None).expect("none").is_empty());
        assert!(from_header(Some("a=1&a=2")).is_err());
    }
}
