//! Object operations: put, get (ranges), head, delete (versions, delete markers), batch delete and copy.

use bytes::Bytes;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result, s3_error};

use super::auth::{Need, authorize};
use super::convert::{
    MetaInput, caller, content_md5, etag, reported_version, sse, storage_error, timestamp,
    user_metadata, versioning,
};
use super::service::EcsS3;
use super::{acl, lock, tags, tenancy};
use crate::state::Bucket;
use crate::storage::{ObjectData, ObjectVersion, StorageError};

type Out<T> = S3Result<S3Response<T>>;

/// Keys one DeleteObjects request may name (S3's limit; more is `MalformedXML`).
const MAX_DELETE_KEYS: usize = 1000;

fn empty_body() -> StreamingBlob {
    StreamingBlob::wrap(futures::stream::empty::<Result<Bytes, std::io::Error>>())
}

pub(crate) async fn put_object(s3: &EcsS3, req: S3Request<PutObjectInput>) -> Out<PutObjectOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let uid = caller(&req)?.uid;
    tenancy::check_retention(s3, &ns, &meta, &req.input.key)?;
    let ecs_retention = tenancy::requested_retention(s3, &ns, &req.headers)?;
    let input = req.input;
    let (retention, legal_hold) = lock::for_new_version(
        s3,
        &meta,
        input.object_lock_mode.as_ref(),
        input.object_lock_retain_until_date.as_ref(),
        input.object_lock_legal_hold_status.as_ref(),
    )?;
    let object_acl = acl::for_new_object(
        s3,
        &meta,
        uid.as_deref(),
        input.acl.as_ref(),
        acl::grant_headers!(input, None),
    )?;
    let tag_set = tags::from_header(input.tagging.as_deref())?;
    let md5 = content_md5(input.content_md5.as_deref())?;
    let mut object = MetaInput {
        content_type: input.content_type,
        content_encoding: input.content_encoding,
        content_disposition: input.content_disposition,
        content_language: input.content_language,
        cache_control: input.cache_control,
        metadata: input.metadata,
    }
    .into_meta();
    object.retention = retention;
    object.legal_hold = legal_hold;
    object.tags = tag_set;
    object.acl = Some(object_acl);
    let opts = s3.write_options(&ns, &meta, object, md5, input.content_length);
    let opts = tenancy::within_namespace_quota(s3, &ns, &meta.name, opts)?;
    let body = input.body.unwrap_or_else(empty_body);
    let written = s3
        .storage
        .put_object(&ns, &meta.name, &input.key, body, opts)
        .await
        .map_err(storage_error)?;
    tenancy::record_retention(s3, &ns, &meta.name, &input.key, ecs_retention);
    s3.note_soft_quota(&ns, &meta);
    Ok(S3Response::new(PutObjectOutput {
        e_tag: Some(etag(&written.etag)),
        version_id: reported_version(&meta, written.version_id),
        server_side_encryption: sse(&meta),
        ..Default::default()
    }))
}

/// The version a GET/HEAD addresses, with its data.
fn fetch(
    s3: &EcsS3,
    ns: &str,
    meta: &Bucket,
    key: &str,
    version_id: Option<&str>,
) -> S3Result<(ObjectVersion, ObjectData)> {
    let version = match s3.storage.get_object(ns, &meta.name, key, version_id) {
        Ok(version) => version,
        Err(err @ (StorageError::NoSuchKey | StorageError::DeleteMarker)) => {
            // S3 tells the client when a delete marker is what it reached.
            let marker = match version_id {
                Some(id) => Some(id.to_owned()),
                None => s3.storage.current_delete_marker(ns, &meta.name, key),
            };
            let mut error = storage_error(err);
            if let Some(marker) = marker {
                let mut headers = http::HeaderMap::new();
                headers.insert(
                    "x-amz-delete-marker",
                    http::HeaderValue::from_static("true"),
                );
                if let Ok(value) = http::HeaderValue::from_str(&marker) {
                    headers.insert("x-amz-version-id", value);
                }
                error.set_headers(headers);
            }
            return Err(error);
        }
        Err(err) => return Err(storage_error(err)),
    };
    let data = version.data.clone().ok_or_else(|| s3_error!(NoSuchKey))?;
    Ok((version, data))
}

/// The byte range to serve (`start..end`) and its `Content-Range`.
fn byte_range(range: Option<&Range>, size: u64) -> S3Result<(u64, u64, Option<String>)> {
    match range {
        None => Ok((0, size, None)),
        Some(range) => {
            let r = range
                .check(size)
                .map_err(|_| s3_error!(InvalidRange, "The requested range is not satisfiable"))?;
            let header = format!("bytes {}-{}/{size}", r.start, r.end - 1);
            Ok((r.start, r.end, Some(header)))
        }
    }
}

/// The bytes of part `number` (`?partNumber=`): the parts of a multipart upload as completed,
/// part 1 being the whole of any other object; with `x-amz-mp-parts-count` for multipart ones.
fn part_range(data: &ObjectData, number: i32) -> S3Result<(u64, u64, Option<String>, Option<i32>)> {
    let size = data.size();
    let sizes = &data.meta.part_sizes;
    let not_satisfiable = || {
        let mut err = s3s::S3Error::with_message(
            s3s::S3ErrorCode::Custom("InvalidPartNumber".into()),
            "The requested partnumber is not satisfiable",
        );
        err.set_status_code(http::StatusCode::RANGE_NOT_SATISFIABLE);
        err
    };
    let index = usize::try_from(number)
        .ok()
        .and_then(|n| n.checked_sub(1))
        .ok_or_else(not_satisfiable)?;
    if sizes.is_empty() {
        return if index == 0 {
            Ok((0, size, None, None))
        } else {
            Err(not_satisfiable())
        };
    }
    let part = *sizes.get(index).ok_or_else(not_satisfiable)?;
    let start: u64 = sizes[..index].iter().sum();
    let end = start + part;
    let range = (part > 0).then(|| format!("bytes {start}-{}/{size}", end - 1));
    Ok((start, end, range, i32::try_from(sizes.len()).ok()))
}

/// The conditional-request headers of a GET or HEAD.
struct Conditions<'a> {
    if_match: Option<&'a ETagCondition>,
    if_none_match: Option<&'a ETagCondition>,
    if_modified_since: Option<&'a Timestamp>,
    if_unmodified_since: Option<&'a Timestamp>,
}

impl Conditions<'_> {
    /// Checks them as S3 does: 412 for a failed `If-Match` / `If-Unmodified-Since`, 304 for a
    /// matching `If-None-Match` or an unchanged `If-Modified-Since`.
    fn check(&self, tag: &str, modified: time::OffsetDateTime) -> S3Result<()> {
        let matches =
            |c: &ETagCondition| c.is_any() || c.as_etag().is_some_and(|e| e.value() == tag);
        // HTTP dates have whole seconds.
        let modified = modified.replace_nanosecond(0).unwrap_or(modified);
        let since = |t: &Timestamp| time::OffsetDateTime::from(t.clone());
        match self.if_match {
            Some(c) if !matches(c) => {
                return Err(s3_error!(
                    PreconditionFailed,
                    "At least one of the preconditions you specified did not hold"
                ));
            }
            None if self
                .if_unmodified_since
                .is_some_and(|t| modified > since(t)) =>
            {
                return Err(s3_error!(
                    PreconditionFailed,
                    "At least one of the preconditions you specified did not hold"
                ));
            }
            _ => {}
        }
        match self.if_none_match {
            Some(c) if matches(c) => Err(s3_error!(NotModified)),
            None if self.if_modified_since.is_some_and(|t| modified <= since(t)) => {
                Err(s3_error!(NotModified))
            }
            _ => Ok(()),
        }
    }
}

fn content_length(len: u64) -> Option<i64> {
    i64::try_from(len).ok()
}

/// What a GET or HEAD serves: the addressed version (its conditions checked) and the byte range.
struct Selected {
    version: ObjectVersion,
    data: ObjectData,
    start: u64,
    end: u64,
    content_range: Option<String>,
    /// `x-amz-mp-parts-count`, when a part was asked for.
    parts_count: Option<i32>,
}

/// Selects the version a GET or HEAD addresses. The two inputs are distinct types with the same
/// fields, hence a macro.
macro_rules! select_version {
    ($s3:expr, $ns:expr, $meta:expr, $input:expr) => {{
        let input = $input;
        let (version, data) = fetch($s3, $ns, $meta, &input.key, input.version_id.as_deref())?;
        Conditions {
            if_match: input.if_match.as_ref(),
            if_none_match: input.if_none_match.as_ref(),
            if_modified_since: input.if_modified_since.as_ref(),
            if_unmodified_since: input.if_unmodified_since.as_ref(),
        }
        .check(&data.etag, version.last_modified)?;
        let (start, end, content_range, parts_count) = match input.part_number {
            Some(number) => part_range(&data, number)?,
            None => {
                let (start, end, range) = byte_range(input.range.as_ref(), data.size())?;
                (start, end, range, None)
            }
        };
        Selected {
            version,
            data,
            start,
            end,
            content_range,
            parts_count,
        }
    }};
}

/// The headers GET and HEAD answer alike, into either output type, after the fields given.
macro_rules! object_output {
    ($output:ident { $($field:ident: $value:expr),* $(,)? }, $meta:expr, $selected:expr) => {{
        let meta: &Bucket = $meta;
        let Selected { version, data, start, end, content_range, parts_count } = $selected;
        let m = &data.meta;
        let (object_lock_mode, object_lock_retain_until_date, object_lock_legal_hold_status) =
            lock::headers(m);
        $output {
            $($field: $value,)*
            accept_ranges: Some("bytes".to_owned()),
            content_length: content_length(end - start),
            content_range,
            content_type: m.content_type.clone(),
            content_encoding: m.content_encoding.clone(),
            content_disposition: m.content_disposition.clone(),
            content_language: m.content_language.clone(),
            cache_control: m.cache_control.clone(),
            metadata: user_metadata(m),
            e_tag: Some(etag(&data.etag)),
            last_modified: Some(timestamp(version.last_modified)),
            version_id: reported_version(meta, version.version_id),
            server_side_encryption: sse(meta),
            object_lock_mode,
            object_lock_retain_until_date,
            object_lock_legal_hold_status,
            parts_count,
            ..Default::default()
        }
    }};
}

pub(crate) fn get_object(s3: &EcsS3, req: S3Request<GetObjectInput>) -> Out<GetObjectOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let selected = select_version!(s3, &ns, &meta, &req.input);
    let body = StreamingBlob::wrap(
        s3.storage
            .read(&selected.data, selected.start, selected.end),
    );
    let tag_count = tags::count(&selected.data.meta.tags);
    Ok(S3Response::new(object_output!(
        GetObjectOutput {
            body: Some(body),
            tag_count: tag_count
        },
        &meta,
        selected
    )))
}

pub(crate) fn head_object(s3: &EcsS3, req: S3Request<HeadObjectInput>) -> Out<HeadObjectOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let selected = select_version!(s3, &ns, &meta, &req.input);
    Ok(S3Response::new(object_output!(
        HeadObjectOutput {},
        &meta,
        selected
    )))
}

pub(crate) fn delete_object(
    s3: &EcsS3,
    req: S3Request<DeleteObjectInput>,
) -> Out<DeleteObjectOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let input = &req.input;
    tenancy::check_retention(s3, &ns, &meta, &input.key)?;
    let uid = caller(&req)?.uid;
    let bypass = lock::may_bypass(
        s3,
        uid.as_deref(),
        &ns,
        &meta.name,
        &input.key,
        input.bypass_governance_retention,
    );
    lock::permits_delete(
        s3,
        &ns,
        &meta.name,
        &input.key,
        input.version_id.as_deref(),
        bypass,
    )?;
    let deleted = s3.storage.delete_object(
        &ns,
        &meta.name,
        &input.key,
        input.version_id.as_deref(),
        versioning(&meta),
    );
    Ok(S3Response::new(DeleteObjectOutput {
        delete_marker: deleted.delete_marker.then_some(true),
        version_id: deleted.version_id,
        ..Default::default()
    }))
}

pub(crate) fn delete_objects(
    s3: &EcsS3,
    req: S3Request<DeleteObjectsInput>,
) -> Out<DeleteObjectsOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    if req.input.delete.objects.len() > MAX_DELETE_KEYS {
        return Err(s3_error!(
            MalformedXML,
            "The XML you provided was not well-formed or did not validate against our published schema"
        ));
    }
    let uid = caller(&req)?.uid;
    let versioning = versioning(&meta);
    let quiet = req.input.delete.quiet == Some(true);
    let (mut deleted, mut errors) = (Vec::new(), Vec::new());
    for object in &req.input.delete.objects {
        let allowed = authorize(
            &s3.core,
            uid.as_deref(),
            &ns,
            &meta.name,
            Some(&object.key),
            Need::Action("s3:DeleteObject"),
        )
        .and_then(|_| {
            let bypass = lock::may_bypass(
                s3,
                uid.as_deref(),
                &ns,
                &meta.name,
                &object.key,
                req.input.bypass_governance_retention,
            );
            lock::permits_delete(
                s3,
                &ns,
                &meta.name,
                &object.key,
                object.version_id.as_deref(),
                bypass,
            )
        });
        if let Err(err) = allowed {
            errors.push(Error {
                code: Some(err.code().as_str().to_owned()),
                key: Some(object.key.clone()),
                message: err.message().map(str::to_owned),
                version_id: object.version_id.clone(),
            });
            continue;
        }
        if let Err(err) = tenancy::check_retention(s3, &ns, &meta, &object.key) {
            errors.push(Error {
                code: Some(err.code().as_str().to_owned()),
                key: Some(object.key.clone()),
                message: err.message().map(str::to_owned),
                version_id: object.version_id.clone(),
            });
            continue;
        }
        let d = s3.storage.delete_object(
            &ns,
            &meta.name,
            &object.key,
            object.version_id.as_deref(),
            versioning,
        );
        if !quiet {
            let marker_id = (d.delete_marker && object.version_id.is_none())
                .then(|| d.version_id.clone())
                .flatten();
            deleted.push(DeletedObject {
                delete_marker: d.delete_marker.then_some(true),
                delete_marker_version_id: marker_id,
                key: Some(object.key.clone()),
                version_id: object.version_id.clone(),
            });
        }
    }
    Ok(S3Response::new(DeleteObjectsOutput {
        deleted: Some(deleted),
        errors: Some(errors),
        ..Default::default()
    }))
}

/// The bucket, key and version a copy reads (`x-amz-copy-source`), once the caller may read it:
/// CopyObject and UploadPartCopy both need `s3:GetObject` on the source.
pub(crate) fn readable_copy_source<'a>(
    s3: &EcsS3,
    uid: Option<&str>,
    ns: &str,
    source: &'a CopySource,
) -> S3Result<(&'a str, &'a str, Option<&'a str>)> {
    let CopySource::Bucket {
        bucket,
        key,
        version_id,
    } = source
    else {
        return Err(s3_error!(
            NotImplemented,
            "Copying from an access point is not supported"
        ));
    };
    authorize(
        &s3.core,
        uid,
        ns,
        bucket,
        Some(key),
        Need::Action("s3:GetObject"),
    )?;
    Ok((bucket, key, version_id.as_deref()))
}

pub(crate) fn copy_object(s3: &EcsS3, req: S3Request<CopyObjectInput>) -> Out<CopyObjectOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let uid = caller(&req)?.uid;
    let input = &req.input;
    let (src_bucket, src_key, src_version) =
        readable_copy_source(s3, uid.as_deref(), &ns, &input.copy_source)?;
    let replace = input
        .metadata_directive
        .as_ref()
        .is_some_and(|d| d.as_str() == MetadataDirective::REPLACE);
    let (retention, legal_hold) = lock::for_new_version(
        s3,
        &meta,
        input.object_lock_mode.as_ref(),
        input.object_lock_retain_until_date.as_ref(),
        input.object_lock_legal_hold_status.as_ref(),
    )?;
    let mut object = MetaInput {
        content_type: input.content_type.clone(),
        content_encoding: input.content_encoding.clone(),
        content_disposition: input.content_disposition.clone(),
        content_language: input.content_language.clone(),
        cache_control: input.cache_control.clone(),
        metadata: input.metadata.clone(),
    }
    .into_meta();
    tenancy::check_retention(s3, &ns, &meta, &input.key)?;
    object.retention = retention;
    object.legal_hold = legal_hold;
    object.acl = Some(acl::for_new_object(
        s3,
        &meta,
        uid.as_deref(),
        input.acl.as_ref(),
        acl::grant_headers!(input, None),
    )?);
    let replace_tags = input
        .tagging_directive
        .as_ref()
        .is_some_and(|d| d.as_str() == TaggingDirective::REPLACE);
    if replace_tags {
        object.tags = tags::from_header(input.tagging.as_deref())?;
    }
    let mut opts = s3.write_options(&ns, &meta, object, None, None);
    opts.replace_tags = replace_tags;
    let opts = tenancy::within_namespace_quota(s3, &ns, &meta.name, opts)?;
    let written = s3
        .storage
        .copy_object(
            (&ns, src_bucket, src_key, src_version),
            (&ns, &meta.name, &input.key),
            replace,
            opts,
        )
        .map_err(storage_error)?;
    s3.note_soft_quota(&ns, &meta);
    let now = s3.core.clock.now();
    Ok(S3Response::new(CopyObjectOutput {
        copy_object_result: Some(CopyObjectResult {
            e_tag: Some(etag(&written.etag)),
            last_modified: Some(timestamp(now)),
            ..Default::default()
        }),
        copy_source_version_id: src_version.map(str::to_owned),
        version_id: reported_version(&meta, written.version_id),
        server_side_encryption: sse(&meta),
        ..Default::default()
    }))
}
