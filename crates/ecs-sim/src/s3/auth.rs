//! Who is asking, and may they: secret keys for `s3s`'s signature checks, presigned-URL expiry on
//! the emulator's clock, namespace resolution, and ownership, bucket-policy and ACL authorization.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use s3s::access::{S3Access, S3AccessContext};
use s3s::auth::{S3Auth, SecretKey};
use s3s::path::S3Path;
use s3s::{S3Result, s3_error};
use time::OffsetDateTime;
use time::macros::format_description;

use super::policy::{self, Decision, Principal};
use crate::core::Core;
use crate::state::Bucket;

/// The header naming the namespace of a request.
pub(crate) const NAMESPACE_HEADER: &str = "x-emc-namespace";

/// Which of a user's secret keys the current signature check tries, and how many there are.
///
/// ECS tries secret key 1, then key 2; `s3s` asks for one key per request, so the HTTP layer
/// runs a request again with the next slot when the first key's signature did not match.
#[derive(Debug, Default)]
pub(crate) struct KeyAttempt {
    /// The slot to hand out (0 = key 1).
    pub(crate) slot: usize,
    /// How many live keys the user had when asked (0 when not asked).
    pub(crate) available: AtomicUsize,
}

tokio::task_local! {
    /// The key attempt of the request being served.
    pub(crate) static KEY_ATTEMPT: Arc<KeyAttempt>;
}

/// The authenticated caller and the namespace the request addresses, left in the request's
/// extensions by [`EcsAccess`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Caller {
    /// The object user, `None` for anonymous requests.
    pub(crate) uid: Option<String>,
    /// The namespace of the addressed bucket (or of the user, for bucket-less requests).
    pub(crate) namespace: Option<String>,
}

/// What an S3 operation needs from the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Need {
    /// Any authenticated user (ListBuckets, CreateBucket).
    User,
    /// The bucket's owner (bucket configuration).
    Owner,
    /// The owner, or whoever the policy allows this action.
    Action(&'static str),
    /// Checked per key by the operation itself (DeleteObjects).
    PerKey,
}

/// The policy action (or owner requirement) of each S3 operation.
pub(crate) fn need_of(op: &str) -> Need {
    match op {
        "ListBuckets" | "CreateBucket" => Need::User,
        "GetObject" | "HeadObject" => Need::Action("s3:GetObject"),
        "PutObject"
        | "CopyObject"
        | "CreateMultipartUpload"
        | "UploadPart"
        | "UploadPartCopy"
        | "CompleteMultipartUpload"
        | "AbortMultipartUpload"
        | "ListParts" => Need::Action("s3:PutObject"),
        "DeleteObject" => Need::Action("s3:DeleteObject"),
        "GetBucketAcl" => Need::Action("s3:GetBucketAcl"),
        "PutBucketAcl" => Need::Action("s3:PutBucketAcl"),
        "GetObjectAcl" => Need::Action("s3:GetObjectAcl"),
        "PutObjectAcl" => Need::Action("s3:PutObjectAcl"),
        "DeleteObjects" => Need::PerKey,
        "ListObjects"
        | "ListObjectsV2"
        | "ListObjectVersions"
        | "ListMultipartUploads"
        | "HeadBucket"
        | "GetBucketLocation" => Need::Action("s3:ListBucket"),
        _ => Need::Owner,
    }
}

/// Hands `s3s` the secret key of an object user (slot chosen by [`KEY_ATTEMPT`]).
#[derive(Debug)]
pub(crate) struct EcsAuth {
    core: Arc<Core>,
}

impl EcsAuth {
    pub(crate) fn new(core: Arc<Core>) -> Self {
        Self { core }
    }
}

#[async_trait::async_trait]
impl S3Auth for EcsAuth {
    async fn get_secret_key(&self, access_key: &str) -> S3Result<SecretKey> {
        let unknown = || {
            s3_error!(
                InvalidAccessKeyId,
                "The AWS Access Key Id you provided does not exist in our records."
            )
        };
        let user = self.core.object_user(access_key).ok_or_else(unknown)?;
        if user.locked {
            return Err(s3_error!(AccessDenied, "The object user is locked"));
        }
        let keys = self.core.live_secret_keys(access_key);
        let slot = KEY_ATTEMPT
            .try_with(|attempt| {
                attempt.available.store(keys.len(), Ordering::SeqCst);
                attempt.slot
            })
            .unwrap_or(0);
        let key = keys
            .get(slot)
            .or_else(|| keys.first())
            .ok_or_else(unknown)?;
        Ok(SecretKey::from(key.as_str()))
    }
}

/// Checks expiry, resolves the namespace and authorizes every request before `s3s` decodes it.
#[derive(Debug)]
pub(crate) struct EcsAccess {
    core: Arc<Core>,
}

impl EcsAccess {
    pub(crate) fn new(core: Arc<Core>) -> Self {
        Self { core }
    }
}

#[async_trait::async_trait]
impl S3Access for EcsAccess {
    async fn check(&self, cx: &mut S3AccessContext<'_>) -> S3Result<()> {
        check_presigned_expiry(cx.uri().query().unwrap_or(""), self.core.clock.now())?;
        let uid = cx.credentials().map(|c| c.access_key.clone());
        let header_ns = cx
            .headers()
            .get(NAMESPACE_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let user_ns = uid
            .as_deref()
            .and_then(|u| self.core.object_user(u))
            .map(|u| u.namespace);
        let need = need_of(cx.s3_op().name());
        let (bucket, key) = match cx.s3_path() {
            S3Path::Root => (None, None),
            S3Path::Bucket { bucket } => (Some(bucket.to_string()), None),
            S3Path::Object { bucket, key } => (Some(bucket.to_string()), Some(key.to_string())),
        };
        let namespace = match &bucket {
            Some(bucket) if need != Need::User => header_ns
                .clone()
                .or(user_ns.clone())
                .or_else(|| self.core.find_bucket_namespace(bucket, None)),
            _ => header_ns.or(user_ns),
        };
        match (&bucket, need) {
            (_, Need::User) | (None, _) => {
                if uid.is_none() {
                    return Err(s3_error!(AccessDenied, "Anonymous users cannot do this"));
                }
            }
            (Some(bucket), need) => {
                let ns = namespace
                    .as_deref()
                    .ok_or_else(|| s3_error!(NoSuchBucket))?;
                authorize(&self.core, uid.as_deref(), ns, bucket, key.as_deref(), need)?;
            }
        }
        cx.extensions_mut().insert(Caller { uid, namespace });
        Ok(())
    }
}

/// Checks that `uid` (or an anonymous caller) may do `need` on a bucket or object; returns the
/// bucket's metadata.
pub(crate) fn authorize(
    core: &Core,
    uid: Option<&str>,
    ns: &str,
    bucket: &str,
    key: Option<&str>,
    need: Need,
) -> S3Result<Bucket> {
    let meta = core
        .bucket_meta(ns, bucket)
        .ok_or_else(|| s3_error!(NoSuchBucket, "The specified bucket does not exist"))?;
    if meta.locked {
        return Err(s3_error!(AccessDenied, "The bucket is locked"));
    }
    // A user of another namespace is granted nothing by name: ECS's tenants are isolated
    // ("an ECS user in one namespace has no access to buckets in another namespace", ECS
    // Data Access Guide), so a policy or ACL naming such a user by mistake does not let them
    // in; only what is open to everyone (`*`) is.
    let foreign = uid
        .and_then(|u| core.object_user(u))
        .is_some_and(|user| user.namespace != ns);
    let uid = if foreign { None } else { uid };
    let is_owner = uid.is_some_and(|u| u == meta.owner);
    let allowed = match need {
        Need::User => uid.is_some(),
        Need::Owner => is_owner,
        Need::PerKey => uid.is_some() || meta.policy.is_some(),
        Need::Action(action) => {
            let principal = uid.map_or(Principal::Anonymous, Principal::User);
            let resource = match (action, key) {
                ("s3:ListBucket" | "s3:GetBucketAcl" | "s3:PutBucketAcl", _) | (_, None) => {
                    policy::resource_arn(bucket, None)
                }
                (_, Some(key)) => policy::resource_arn(bucket, Some(key)),
            };
            let decision = meta
                .policy
                .as_deref()
                .map_or(Decision::NotApplicable, |doc| {
                    policy::evaluate(doc, principal, action, &resource)
                });
            decision != Decision::Deny
                && (is_owner
                    || decision == Decision::Allow
                    || super::acl::allows(core, &meta, key, action, uid))
        }
    };
    if allowed {
        Ok(meta)
    } else {
        Err(s3_error!(AccessDenied, "Access Denied"))
    }
}

/// Refuses a presigned URL (SigV4 `X-Amz-Date` + `X-Amz-Expires`, or SigV2 `Expires`) whose
/// lifetime ended on the emulator's clock, which tests may have advanced past the wall clock.
pub(crate) fn check_presigned_expiry(query: &str, now: OffsetDateTime) -> S3Result<()> {
    let param = |name: &str| url_pairs(query).find(|(k, _)| k == name).map(|(_, v)| v);
    let expired = || Err(s3_error!(AccessDenied, "Request has expired"));
    if let (Some(date), Some(expires)) = (param("X-Amz-Date"), param("X-Amz-Expires")) {
        let format = format_description!("[year][month][day]T[hour][minute][second]Z");
        let signed = time::PrimitiveDateTime::parse(&date, format)
            .map_err(|_| s3_error!(AuthorizationQueryParametersError, "X-Amz-Date is malformed"))?;
        let expires: i64 = expires.parse().map_err(|_| {
            s3_error!(
                AuthorizationQueryParametersError,
                "X-Amz-Expires is malformed"
            )
        })?;
        // An expiry that runs past the calendar (either way) is malformed, not a panic.
        let until = signed
            .assume_utc()
            .checked_add(time::Duration::seconds(expires))
            .ok_or_else(|| {
                s3_error!(
                    AuthorizationQueryParametersError,
                    "X-Amz-Expires is out of range"
                )
            })?;
        if now > until {
            return expired();
        }
    } else if let (Some(expires), Some(_)) = (param("Expires"), param("Signature")) {
        let expires: i64 = expires
            .parse()
            .map_err(|_| s3_error!(AccessDenied, "Expires is malformed"))?;
        if now.unix_timestamp() > expires {
            return expired();
        }
    }
    Ok(())
}

fn url_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        (decode(k), decode(v))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> OffsetDateTime {
        OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).expect("date")
    }

    #[test]
    fn sigv4_presigned_expiry_uses_the_given_clock() {
        let q = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261122T100000Z&X-Amz-Expires=60&X-Amz-Signature=ab";
        assert!(check_presigned_expiry(q, at("2026-11-22T10:00:59Z")).is_ok());
        let err = check_presigned_expiry(q, at("2026-11-22T10:01:01Z")).expect_err("expired");
        assert_eq!(err.code(), &s3s::S3ErrorCode::AccessDenied);
        assert!(check_presigned_expiry("prefix=a", at("2030-01-01T00:00:00Z")).is_ok());
    }

    /// Found by `fuzz_sim_s3_cors_and_presigned`: an expiry past the calendar panicked.
    #[test]
    fn sigv4_expiry_out_of_the_calendar_is_malformed() {
        for expires in ["-8348750130960666863", "9223372036854775807"] {
            let q = format!("X-Amz-Date=20240101T000000Z&X-Amz-Expires={expires}");
            let err = check_presigned_expiry(&q, at("2026-11-22T10:00:00Z")).expect_err("refused");
            assert_eq!(
                err.code(),
                &s3s::S3ErrorCode::AuthorizationQueryParametersError
            );
        }
    }

    #[test]
    fn sigv2_presigned_expiry() {
        let q = "AWSAccessKeyId=u&Expires=1000&Signature=x";
        assert!(
            check_presigned_expiry(q, OffsetDateTime::from_unix_timestamp(999).expect("t")).is_ok()
        );
        assert!(
            check_presigned_expiry(q, OffsetDateTime::from_unix_timestamp(1001).expect("t"))
                .is_err()
        );
    }

    #[test]
    fn operations_map_to_needs() {
        assert_eq!(need_of("GetObject"), Need::Action("s3:GetObject"));
        assert_eq!(need_of("UploadPart"), Need::Action("s3:PutObject"));
        assert_eq!(need_of("ListObjectsV2"), Need::Action("s3:ListBucket"));
        assert_eq!(need_of("PutBucketPolicy"), Need::Owner);
        assert_eq!(need_of("DeleteBucket"), Need::Owner);
        assert_eq!(need_of("ListBuckets"), Need::User);
    }
}
