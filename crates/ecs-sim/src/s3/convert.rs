//! Small conversions between the S3 wire types of `s3s` and the emulator's storage and state.

use base64::Engine as _;
use s3s::dto::{ETag, Owner, ServerSideEncryption, Timestamp};
use s3s::{S3Error, S3ErrorCode, S3Request, S3Result, s3_error};
use time::OffsetDateTime;

use super::auth::Caller;
use crate::state::Bucket;
use crate::storage::{ObjectMeta, StorageError, Versioning};

const GIB: u64 = 1024 * 1024 * 1024;

/// The S3 error for a storage failure.
pub(crate) fn storage_error(err: StorageError) -> S3Error {
    let message = err.to_string();
    let code = match err {
        StorageError::NoSuchKey => S3ErrorCode::NoSuchKey,
        StorageError::NoSuchVersion => S3ErrorCode::NoSuchVersion,
        StorageError::DeleteMarker => S3ErrorCode::MethodNotAllowed,
        StorageError::NoSuchUpload => S3ErrorCode::NoSuchUpload,
        StorageError::InvalidPart(_) => S3ErrorCode::InvalidPart,
        StorageError::InvalidPartOrder => S3ErrorCode::InvalidPartOrder,
        StorageError::EntityTooSmall => S3ErrorCode::EntityTooSmall,
        StorageError::QuotaExceeded => return quota_exceeded(),
        StorageError::BadDigest => S3ErrorCode::BadDigest,
        StorageError::IncompleteBody(_) => S3ErrorCode::IncompleteBody,
        StorageError::Io(_) => S3ErrorCode::InternalError,
    };
    S3Error::with_message(code, message)
}

/// ECS's refusal of a write past the bucket's hard quota (`blockSize`).
pub(crate) fn quota_exceeded() -> S3Error {
    let mut err = S3Error::with_message(
        S3ErrorCode::Custom("QuotaExceeded".into()),
        "The bucket's hard quota (blockSize) does not allow this write",
    );
    err.set_status_code(http::StatusCode::FORBIDDEN);
    err
}

/// ECS does not emulate S3 Object Lock; say so plainly.
pub(crate) fn object_lock_unsupported() -> S3Error {
    s3_error!(
        NotImplemented,
        "S3 Object Lock is not supported by this ECS (ecs-sim): object lock cannot be enabled or used"
    )
}

/// The caller and namespace resolved by the access check.
pub(crate) fn caller<T>(req: &S3Request<T>) -> S3Result<Caller> {
    req.extensions
        .get::<Caller>()
        .cloned()
        .ok_or_else(|| s3_error!(InternalError, "request was not authorized"))
}

/// The bucket's versioning state.
pub(crate) fn versioning(meta: &Bucket) -> Versioning {
    match meta.versioning.as_deref() {
        Some("Enabled") => Versioning::Enabled,
        Some("Suspended") => Versioning::Suspended,
        _ => Versioning::Unversioned,
    }
}

/// The hard quota in bytes (`blockSize` is in GiB; -1 = none).
pub(crate) fn hard_quota(meta: &Bucket) -> Option<u64> {
    u64::try_from(meta.block_size)
        .ok()
        .filter(|gb| *gb > 0)
        .map(|gb| gb.saturating_mul(GIB))
}

/// The soft quota in bytes (`notificationSize`).
pub(crate) fn soft_quota(meta: &Bucket) -> Option<u64> {
    u64::try_from(meta.notification_size)
        .ok()
        .filter(|gb| *gb > 0)
        .map(|gb| gb.saturating_mul(GIB))
}

/// `AES256` for objects of an encrypted bucket.
pub(crate) fn sse(meta: &Bucket) -> Option<ServerSideEncryption> {
    meta.encryption
        .then(|| ServerSideEncryption::from_static(ServerSideEncryption::AES256))
}

/// A version id as S3 reports it: only for buckets that have known versioning.
pub(crate) fn reported_version(meta: &Bucket, version_id: String) -> Option<String> {
    (versioning(meta) != Versioning::Unversioned).then_some(version_id)
}

/// A strong ETag.
pub(crate) fn etag(value: &str) -> ETag {
    ETag::Strong(value.to_owned())
}

/// A timestamp for the wire.
pub(crate) fn timestamp(at: OffsetDateTime) -> Timestamp {
    Timestamp::from(at)
}

/// The owner element for an object user.
pub(crate) fn owner(uid: &str) -> Owner {
    Owner {
        display_name: Some(uid.to_owned()),
        id: Some(uid.to_owned()),
    }
}

/// Decodes `Content-MD5` (base64 of 16 bytes).
pub(crate) fn content_md5(header: Option<&str>) -> S3Result<Option<[u8; 16]>> {
    let Some(header) = header else {
        return Ok(None);
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(header.trim())
        .map_err(|_| s3_error!(InvalidDigest, "The Content-MD5 you specified was invalid"))?;
    let md5: [u8; 16] = bytes
        .try_into()
        .map_err(|_| s3_error!(InvalidDigest, "The Content-MD5 you specified was invalid"))?;
    Ok(Some(md5))
}

/// The stored headers of an object.
#[derive(Debug, Default)]
pub(crate) struct MetaInput {
    pub(crate) content_type: Option<String>,
    pub(crate) content_encoding: Option<String>,
    pub(crate) content_disposition: Option<String>,
    pub(crate) content_language: Option<String>,
    pub(crate) cache_control: Option<String>,
    pub(crate) metadata: Option<s3s::dto::Metadata>,
}

impl MetaInput {
    /// Into the storage's form (user metadata keys lower-cased).
    pub(crate) fn into_meta(self) -> ObjectMeta {
        ObjectMeta {
            content_type: self.content_type,
            content_encoding: self.content_encoding,
            content_disposition: self.content_disposition,
            content_language: self.content_language,
            cache_control: self.cache_control,
            user: self
                .metadata
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
            ..ObjectMeta::default()
        }
    }
}

/// User metadata for the wire (`None` when empty).
pub(crate) fn user_metadata(meta: &ObjectMeta) -> Option<s3s::dto::Metadata> {
    (!meta.user.is_empty()).then(|| {
        meta.user
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_md5_decodes_or_refuses() {
        assert_eq!(content_md5(None).expect("none"), None);
        let md5 = content_md5(Some("kAFQmDzST7DWlj99KOF/cg=="))
            .expect("valid")
            .expect("some");
        assert_eq!(hex::encode(md5), "900150983cd24fb0d6963f7d28e17f72");
        assert!(content_md5(Some("abc")).is_err());
        assert!(content_md5(Some("YWJj")).is_err());
    }

    #[test]
    fn quota_error_is_ecs_style() {
        let err = quota_exceeded();
        assert_eq!(err.code().as_str(), "QuotaExceeded");
        assert_eq!(err.status_code(), Some(http::StatusCode::FORBIDDEN));
        assert_eq!(
            storage_error(StorageError::DeleteMarker).code(),
            &S3ErrorCode::MethodNotAllowed
        );
    }
}
