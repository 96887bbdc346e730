//! Bucket operations: list, create, head, delete, and the configuration kept in the management
//! state (versioning, policy, CORS, encryption); Object Lock is in [`super::lock`].

use s3s::dto::*;
use s3s::{S3Error, S3ErrorCode, S3Request, S3Response, S3Result, s3_error};

use super::convert::{caller, owner, timestamp};
use super::service::EcsS3;
use super::{cors, lock, policy};
use crate::error::EcsError;

type Out<T> = S3Result<S3Response<T>>;

fn ok<T>(output: T) -> Out<T> {
    Ok(S3Response::new(output))
}

fn created_at(ms: i64) -> Timestamp {
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    timestamp(at)
}

pub(crate) fn list_buckets(s3: &EcsS3, req: S3Request<ListBucketsInput>) -> Out<ListBucketsOutput> {
    let who = caller(&req)?;
    let uid = who.uid.ok_or_else(|| s3_error!(AccessDenied))?;
    let prefix = req.input.prefix.clone().unwrap_or_default();
    let buckets = s3
        .core
        .buckets_owned_by(&uid)
        .into_iter()
        .filter(|b| {
            who.namespace.as_deref().is_none_or(|ns| ns == b.namespace)
                && b.name.starts_with(&prefix)
        })
        .map(|b| s3s::dto::Bucket {
            bucket_region: None,
            creation_date: Some(created_at(b.created_ms)),
            name: Some(b.name),
        })
        .collect();
    ok(ListBucketsOutput {
        buckets: Some(buckets),
        owner: Some(owner(&uid)),
        ..Default::default()
    })
}

fn header_flag(req: &S3Request<CreateBucketInput>, name: &str) -> bool {
    req.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// The S3 error for a management refusal of `CreateBucket`.
fn create_error(err: &EcsError, exists_owned_by_caller: bool) -> S3Error {
    match err.code {
        40008 if exists_owned_by_caller => s3_error!(
            BucketAlreadyOwnedByYou,
            "Your previous request to create the named bucket succeeded and you already own it."
        ),
        40008 => s3_error!(
            BucketAlreadyExists,
            "The requested bucket name is not available."
        ),
        40009 => s3_error!(InvalidBucketName, "The specified bucket is not valid."),
        _ => S3Error::with_message(S3ErrorCode::InvalidArgument, err.details.clone()),
    }
}

pub(crate) fn create_bucket(
    s3: &EcsS3,
    req: S3Request<CreateBucketInput>,
) -> Out<CreateBucketOutput> {
    let who = caller(&req)?;
    let uid = who.uid.ok_or_else(|| s3_error!(AccessDenied))?;
    let ns = who
        .namespace
        .ok_or_else(|| s3_error!(InvalidArgument, "no namespace: send x-emc-namespace"))?;
    let object_lock = req.input.object_lock_enabled_for_bucket == Some(true)
        || header_flag(&req, "x-amz-bucket-object-lock-enabled");
    if object_lock {
        lock::supported(s3)?;
    }
    let encryption = header_flag(&req, "x-emc-server-side-encryption-enabled");
    let name = req.input.bucket.as_str();
    if let Err(err) = s3.core.create_bucket_for_s3(&ns, name, &uid, encryption) {
        let mine = s3
            .core
            .bucket_meta(&ns, name)
            .is_some_and(|b| b.owner == uid);
        return Err(create_error(&err, mine));
    }
    if object_lock {
        lock::enable_on_new_bucket(s3, &ns, name);
    }
    ok(CreateBucketOutput {
        location: Some(format!("/{name}")),
    })
}

pub(crate) fn head_bucket(s3: &EcsS3, req: S3Request<HeadBucketInput>) -> Out<HeadBucketOutput> {
    s3.bucket(&req, &req.input.bucket)?;
    ok(HeadBucketOutput::default())
}

pub(crate) fn get_bucket_location(
    s3: &EcsS3,
    req: S3Request<GetBucketLocationInput>,
) -> Out<GetBucketLocationOutput> {
    s3.bucket(&req, &req.input.bucket)?;
    ok(GetBucketLocationOutput::default())
}

/// Refuses while anything remains (objects, old versions, delete markers, uploads).
pub(crate) fn delete_bucket(
    s3: &EcsS3,
    req: S3Request<DeleteBucketInput>,
) -> Out<DeleteBucketOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let usage = s3.core.usage(&ns, &meta.name);
    if !usage.is_empty() {
        let msg = format!(
            "The bucket you tried to delete is not empty: {} objects, {} old versions or delete markers, {} uploads in progress",
            usage.objects, usage.versions, usage.uploads
        );
        return Err(S3Error::with_message(S3ErrorCode::BucketNotEmpty, msg));
    }
    s3.core
        .delete_bucket_for_s3(&ns, &meta.name)
        .map_err(|err| match err.code {
            1012 => S3Error::with_message(S3ErrorCode::BucketNotEmpty, err.details),
            _ => s3_error!(NoSuchBucket),
        })?;
    ok(DeleteBucketOutput {})
}

pub(crate) fn get_bucket_versioning(
    s3: &EcsS3,
    req: S3Request<GetBucketVersioningInput>,
) -> Out<GetBucketVersioningOutput> {
    let (_, meta) = s3.bucket(&req, &req.input.bucket)?;
    ok(GetBucketVersioningOutput {
        mfa_delete: None,
        status: meta.versioning.map(BucketVersioningStatus::from),
    })
}

pub(crate) fn put_bucket_versioning(
    s3: &EcsS3,
    req: S3Request<PutBucketVersioningInput>,
) -> Out<PutBucketVersioningOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let status = req
        .input
        .versioning_configuration
        .status
        .as_ref()
        .map(|s| s.as_str().to_owned());
    match status.as_deref() {
        Some(BucketVersioningStatus::ENABLED | BucketVersioningStatus::SUSPENDED) => {}
        _ => {
            return Err(s3_error!(
                MalformedXML,
                "Status must be Enabled or Suspended"
            ));
        }
    }
    if meta.object_lock.enabled && status.as_deref() != Some(BucketVersioningStatus::ENABLED) {
        return Err(s3_error!(
            InvalidBucketState,
            "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed."
        ));
    }
    s3.core
        .set_bucket_versioning(&ns, &meta.name, status.as_deref().unwrap_or_default());
    ok(PutBucketVersioningOutput {})
}

pub(crate) fn get_bucket_policy(
    s3: &EcsS3,
    req: S3Request<GetBucketPolicyInput>,
) -> Out<GetBucketPolicyOutput> {
    let (_, meta) = s3.bucket(&req, &req.input.bucket)?;
    let policy = meta
        .policy
        .ok_or_else(|| s3_error!(NoSuchBucketPolicy, "The bucket policy does not exist"))?;
    ok(GetBucketPolicyOutput {
        policy: Some(policy),
    })
}

pub(crate) fn put_bucket_policy(
    s3: &EcsS3,
    req: S3Request<PutBucketPolicyInput>,
) -> Out<PutBucketPolicyOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    policy::validate(&req.input.policy)
        .map_err(|why| S3Error::with_message(S3ErrorCode::MalformedPolicy, why))?;
    s3.core
        .set_bucket_policy(&ns, &meta.name, Some(req.input.policy));
    ok(PutBucketPolicyOutput {})
}

pub(crate) fn delete_bucket_policy(
    s3: &EcsS3,
    req: S3Request<DeleteBucketPolicyInput>,
) -> Out<DeleteBucketPolicyOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    s3.core.set_bucket_policy(&ns, &meta.name, None);
    ok(DeleteBucketPolicyOutput {})
}

pub(crate) fn get_bucket_cors(
    s3: &EcsS3,
    req: S3Request<GetBucketCorsInput>,
) -> Out<GetBucketCorsOutput> {
    let (_, meta) = s3.bucket(&req, &req.input.bucket)?;
    let config = meta
        .cors
        .as_deref()
        .and_then(cors::from_xml)
        .ok_or_else(|| {
            s3_error!(
                NoSuchCORSConfiguration,
                "The CORS configuration does not exist"
            )
        })?;
    ok(GetBucketCorsOutput {
        cors_rules: Some(config.cors_rules),
    })
}

pub(crate) fn put_bucket_cors(
    s3: &EcsS3,
    req: S3Request<PutBucketCorsInput>,
) -> Out<PutBucketCorsOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let config = &req.input.cors_configuration;
    if config.cors_rules.is_empty()
        || config
            .cors_rules
            .iter()
            .any(|r| r.allowed_methods.is_empty() || r.allowed_origins.is_empty())
    {
        return Err(s3_error!(
            MalformedXML,
            "Every CORSRule needs an AllowedMethod and an AllowedOrigin"
        ));
    }
    let xml = cors::to_xml(config)
        .map_err(|why| S3Error::with_message(S3ErrorCode::InternalError, why))?;
    s3.core.set_bucket_cors(&ns, &meta.name, Some(xml));
    ok(PutBucketCorsOutput {})
}

pub(crate) fn delete_bucket_cors(
    s3: &EcsS3,
    req: S3Request<DeleteBucketCorsInput>,
) -> Out<DeleteBucketCorsOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    s3.core.set_bucket_cors(&ns, &meta.name, None);
    ok(DeleteBucketCorsOutput {})
}

/// ECS encrypts a bucket when it is created with the flag; S3 reports that as AES256.
pub(crate) fn get_bucket_encryption(
    s3: &EcsS3,
    req: S3Request<GetBucketEncryptionInput>,
) -> Out<GetBucketEncryptionOutput> {
    let (_, meta) = s3.bucket(&req, &req.input.bucket)?;
    if !meta.encryption {
        return Err(s3_error!(
            ServerSideEncryptionConfigurationNotFoundError,
            "The server side encryption configuration was not found"
        ));
    }
    let rule = ServerSideEncryptionRule {
        apply_server_side_encryption_by_default: Some(ServerSideEncryptionByDefault {
            kms_master_key_id: None,
            sse_algorithm: ServerSideEncryption::from_static(ServerSideEncryption::AES256),
        }),
        bucket_key_enabled: None,
    };
    ok(GetBucketEncryptionOutput {
        server_side_encryption_configuration: Some(ServerSideEncryptionConfiguration {
            rules: vec![rule],
        }),
    })
}

pub(crate) fn put_bucket_encryption(
    s3: &EcsS3,
    req: S3Request<PutBucketEncryptionInput>,
) -> Out<PutBucketEncryptionOutput> {
    s3.bucket(&req, &req.input.bucket)?;
    Err(s3_error!(
        NotImplemented,
        "ECS sets bucket encryption only when the bucket is created (is_encryption_enabled or x-emc-server-side-encryption-enabled)"
    ))
}
