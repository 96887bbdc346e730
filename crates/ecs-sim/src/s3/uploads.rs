//! Multipart uploads: create, upload part, list parts, list uploads, complete, abort.

use bytes::Bytes;
use futures::Stream;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result, s3_error};

use super::convert::{
    MetaInput, caller, content_md5, etag, owner, reported_version, sse, storage_error, timestamp,
};
use super::service::EcsS3;
use super::{lock, tags};
use crate::state::Bucket;
use crate::storage::{MAX_KEYS, UploadRef, WriteOptions};

type Out<T> = S3Result<S3Response<T>>;

pub(crate) fn create_multipart_upload(
    s3: &EcsS3,
    req: S3Request<CreateMultipartUploadInput>,
) -> Out<CreateMultipartUploadOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let input = req.input;
    let (retention, legal_hold) = lock::for_new_version(
        s3,
        &meta,
        input.object_lock_mode.as_ref(),
        input.object_lock_retain_until_date.as_ref(),
        input.object_lock_legal_hold_status.as_ref(),
    )?;
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
    object.tags = tags::from_header(input.tagging.as_deref())?;
    let upload_id = s3
        .storage
        .create_upload(&ns, &meta.name, &input.key, object);
    Ok(S3Response::new(CreateMultipartUploadOutput {
        bucket: Some(meta.name.clone()),
        key: Some(input.key),
        upload_id: Some(upload_id),
        server_side_encryption: sse(&meta),
        ..Default::default()
    }))
}

pub(crate) async fn upload_part(
    s3: &EcsS3,
    req: S3Request<UploadPartInput>,
) -> Out<UploadPartOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let input = req.input;
    let md5 = content_md5(input.content_md5.as_deref())?;
    let opts = s3.write_options(&ns, &meta, Default::default(), md5, input.content_length);
    let body = input
        .body
        .ok_or_else(|| s3_error!(IncompleteBody, "UploadPart needs a body"))?;
    let upload = UploadRef {
        ns: &ns,
        bucket: &meta.name,
        key: &input.key,
        upload_id: &input.upload_id,
    };
    let tag = store_part(s3, &meta, upload, input.part_number, body, opts).await?;
    Ok(S3Response::new(UploadPartOutput {
        e_tag: Some(etag(&tag)),
        server_side_encryption: sse(&meta),
        ..Default::default()
    }))
}

/// Stores one part (UploadPart's body or UploadPartCopy's range) within the namespace's hard
/// quota, then notes a passed soft quota; returns the part's ETag.
async fn store_part<S, E>(
    s3: &EcsS3,
    meta: &Bucket,
    upload: UploadRef<'_>,
    number: i32,
    body: S,
    opts: WriteOptions,
) -> S3Result<String>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let ns = upload.ns;
    let opts = super::tenancy::within_namespace_quota(s3, ns, &meta.name, opts)?;
    let tag = s3
        .storage
        .upload_part(upload, number, body, opts)
        .await
        .map_err(storage_error)?;
    s3.note_soft_quota(ns, meta);
    Ok(tag)
}

/// The bytes `x-amz-copy-source-range` (`bytes=first-last`) names in a source of `size` bytes.
fn copy_range(range: Option<&str>, size: u64) -> S3Result<(u64, u64)> {
    let Some(range) = range else {
        return Ok((0, size));
    };
    let invalid = || {
        s3s::S3Error::with_message(
            s3s::S3ErrorCode::InvalidArgument,
            format!("Range specified is not valid for source object of size: {size}"),
        )
    };
    let (first, last) = range
        .strip_prefix("bytes=")
        .and_then(|r| r.split_once('-'))
        .ok_or_else(invalid)?;
    let first: u64 = first.trim().parse().map_err(|_| invalid())?;
    let last: u64 = last.trim().parse().map_err(|_| invalid())?;
    if first > last || last >= size {
        return Err(invalid());
    }
    Ok((first, last + 1))
}

/// UploadPartCopy: a part made of (a range of) an existing object version.
pub(crate) async fn upload_part_copy(
    s3: &EcsS3,
    req: S3Request<UploadPartCopyInput>,
) -> Out<UploadPartCopyOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let uid = caller(&req)?.uid;
    let input = req.input;
    let (src_bucket, src_key, src_version) =
        super::objects::readable_copy_source(s3, uid.as_deref(), &ns, &input.copy_source)?;
    let source = s3
        .storage
        .get_object(&ns, src_bucket, src_key, src_version)
        .map_err(storage_error)?;
    let data = source.data.ok_or_else(|| s3_error!(NoSuchKey))?;
    let (start, end) = copy_range(input.copy_source_range.as_deref(), data.size())?;
    let body = s3.storage.read(&data, start, end);
    let opts = s3.write_options(
        &ns,
        &meta,
        Default::default(),
        None,
        i64::try_from(end - start).ok(),
    );
    let upload = UploadRef {
        ns: &ns,
        bucket: &meta.name,
        key: &input.key,
        upload_id: &input.upload_id,
    };
    let tag = store_part(s3, &meta, upload, input.part_number, body, opts).await?;
    Ok(S3Response::new(UploadPartCopyOutput {
        copy_part_result: Some(CopyPartResult {
            e_tag: Some(etag(&tag)),
            last_modified: Some(timestamp(s3.core.clock.now())),
            ..Default::default()
        }),
        copy_source_version_id: src_version.map(str::to_owned),
        server_side_encryption: sse(&meta),
        ..Default::default()
    }))
}

pub(crate) fn complete_multipart_upload(
    s3: &EcsS3,
    req: S3Request<CompleteMultipartUploadInput>,
) -> Out<CompleteMultipartUploadOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let input = &req.input;
    let requested: Vec<(i32, String)> = input
        .multipart_upload
        .as_ref()
        .and_then(|m| m.parts.as_ref())
        .map(|parts| {
            parts
                .iter()
                .map(|p| {
                    (
                        p.part_number.unwrap_or_default(),
                        p.e_tag
                            .as_ref()
                            .map(|t| t.value().to_owned())
                            .unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let written = s3
        .storage
        .complete_upload(
            &ns,
            &meta.name,
            &input.key,
            &input.upload_id,
            &requested,
            super::convert::versioning(&meta),
        )
        .map_err(storage_error)?;
    Ok(S3Response::new(CompleteMultipartUploadOutput {
        bucket: Some(meta.name.clone()),
        key: Some(input.key.clone()),
        e_tag: Some(etag(&written.etag)),
        location: Some(format!("/{}/{}", meta.name, input.key)),
        version_id: reported_version(&meta, written.version_id),
        server_side_encryption: sse(&meta),
        ..Default::default()
    }))
}

pub(crate) fn abort_multipart_upload(
    s3: &EcsS3,
    req: S3Request<AbortMultipartUploadInput>,
) -> Out<AbortMultipartUploadOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    s3.storage
        .abort_upload(&ns, &meta.name, &req.input.key, &req.input.upload_id)
        .map_err(storage_error)?;
    Ok(S3Response::new(AbortMultipartUploadOutput::default()))
}

pub(crate) fn list_parts(s3: &EcsS3, req: S3Request<ListPartsInput>) -> Out<ListPartsOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let input = &req.input;
    let upload = s3
        .storage
        .get_upload(&ns, &meta.name, &input.key, &input.upload_id)
        .map_err(storage_error)?;
    let max = usize::try_from(input.max_parts.unwrap_or(1000))
        .unwrap_or(0)
        .min(MAX_KEYS);
    let after = input.part_number_marker.unwrap_or(0);
    let mut remaining = upload.parts.range(after + 1..).peekable();
    let mut parts = Vec::new();
    while parts.len() < max {
        let Some((number, part)) = remaining.next() else {
            break;
        };
        parts.push(Part {
            e_tag: Some(etag(&part.etag())),
            last_modified: Some(timestamp(part.last_modified)),
            part_number: Some(*number),
            size: i64::try_from(part.body.len()).ok(),
            ..Default::default()
        });
    }
    let truncated = remaining.peek().is_some();
    let initiator = caller(&req)?.uid.map(|u| Initiator {
        display_name: Some(u.clone()),
        id: Some(u),
    });
    Ok(S3Response::new(ListPartsOutput {
        bucket: Some(meta.name.clone()),
        key: Some(input.key.clone()),
        upload_id: Some(input.upload_id.clone()),
        is_truncated: Some(truncated),
        max_parts: i32::try_from(max).ok(),
        part_number_marker: input.part_number_marker,
        next_part_number_marker: parts
            .last()
            .and_then(|p| p.part_number)
            .filter(|_| truncated),
        parts: Some(parts),
        initiator,
        owner: Some(owner(&meta.owner)),
        storage_class: Some(StorageClass::from_static(StorageClass::STANDARD)),
        ..Default::default()
    }))
}

pub(crate) fn list_multipart_uploads(
    s3: &EcsS3,
    req: S3Request<ListMultipartUploadsInput>,
) -> Out<ListMultipartUploadsOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let input = &req.input;
    let max = usize::try_from(input.max_uploads.unwrap_or(1000))
        .unwrap_or(0)
        .min(MAX_KEYS);
    let key_marker = input.key_marker.as_deref().unwrap_or_default();
    let id_marker = input.upload_id_marker.as_deref();
    let all = s3
        .storage
        .list_uploads(&ns, &meta.name, input.prefix.as_deref().unwrap_or_default());
    let after_key = |k: &str| {
        all.iter()
            .position(|u| u.key.as_str() > k)
            .unwrap_or(all.len())
    };
    let start = match (key_marker, id_marker) {
        ("", _) => 0,
        (k, None) => after_key(k),
        (k, Some(id)) => all
            .iter()
            .position(|u| u.key == k && u.upload_id == id)
            .map_or_else(|| after_key(k), |i| i + 1),
    };
    let rest = &all[start..];
    let uploads = &rest[..rest.len().min(max)];
    let truncated = rest.len() > uploads.len();
    let listed = uploads
        .iter()
        .map(|u| MultipartUpload {
            initiated: Some(timestamp(u.initiated)),
            key: Some(u.key.clone()),
            upload_id: Some(u.upload_id.clone()),
            owner: Some(owner(&meta.owner)),
            storage_class: Some(StorageClass::from_static(StorageClass::STANDARD)),
            ..Default::default()
        })
        .collect();
    Ok(S3Response::new(ListMultipartUploadsOutput {
        bucket: Some(meta.name.clone()),
        is_truncated: Some(truncated),
        key_marker: input.key_marker.clone(),
        upload_id_marker: input.upload_id_marker.clone(),
        max_uploads: i32::try_from(max).ok(),
        next_key_marker: uploads.last().map(|u| u.key.clone()).filter(|_| truncated),
        next_upload_id_marker: uploads
            .last()
            .map(|u| u.upload_id.clone())
            .filter(|_| truncated),
        prefix: input.prefix.clone(),
        uploads: Some(listed),
        ..Default::default()
    }))
}
