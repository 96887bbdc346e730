//! S3 ACLs on buckets and objects (ECS Data Access Guide, "S3 API supported and unsupported
//! features": GET/PUT Bucket acl, GET/PUT Object acl): canned ACLs (`x-amz-acl`), grants
//! (`x-amz-grant-*` headers or an `AccessControlPolicy` body) to object users (`id=`) and to S3's
//! groups (`AllUsers`, `AuthenticatedUsers`, `LogDelivery`), and their enforcement.
//!
//! A bucket's ACL is the management state's (`Bucket::acl`, ECS's own model that the management
//! API's `/object/bucket/{b}/acl` reads and writes: `user_acl`/`group_acl` with `read`, `write`,
//! `read_acl`, `write_acl`, `full_control`; groups `public`, `all_users`, `log_delivery`); an
//! object's is stored with its version. Access is decided as S3 decides it, which is how ECS
//! documents its bucket policies: an explicit policy `Deny` wins; otherwise the owner, a policy
//! `Allow` or an ACL grant allows ([`allows`]).

use s3s::dto::*;
use s3s::{S3Error, S3ErrorCode, S3Request, S3Response, S3Result, s3_error};

use super::convert::{caller, owner, storage_error};
use super::service::EcsS3;
use crate::core::Core;
use crate::state::{Acl, Bucket, Grant as EcsGrant};
use crate::storage::ObjectAcl;

type Out<T> = S3Result<S3Response<T>>;

const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTHENTICATED: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
const LOG_DELIVERY: &str = "http://acs.amazonaws.com/groups/s3/LogDelivery";

/// S3 permission names and ECS's management names for them.
const PERMISSIONS: &[(&str, &str)] = &[
    ("READ", "read"),
    ("WRITE", "write"),
    ("READ_ACP", "read_acl"),
    ("WRITE_ACP", "write_acl"),
    ("FULL_CONTROL", "full_control"),
];

/// S3 group URIs and ECS's management group names.
const GROUPS: &[(&str, &str)] = &[
    (ALL_USERS, "public"),
    (AUTHENTICATED, "all_users"),
    (LOG_DELIVERY, "log_delivery"),
];

/// Who a grant is for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Who {
    User(String),
    /// An S3 group URI.
    Group(&'static str),
}

/// One grant: who, and an S3 permission name.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Grant {
    who: Who,
    permission: &'static str,
}

fn invalid(message: impl Into<String>) -> S3Error {
    S3Error::with_message(S3ErrorCode::InvalidArgument, message.into())
}

fn s3_permission(name: &str) -> S3Result<&'static str> {
    PERMISSIONS
        .iter()
        .map(|(s3, _)| *s3)
        .find(|p| *p == name)
        .ok_or_else(|| s3_error!(MalformedACLError, "The XML you provided was not well-formed or did not validate against our published schema"))
}

fn group(uri: &str) -> S3Result<&'static str> {
    GROUPS
        .iter()
        .map(|(u, _)| *u)
        .find(|u| *u == uri)
        .ok_or_else(|| invalid(format!("Invalid group uri: {uri}")))
}

fn user(core: &Core, uid: &str) -> S3Result<Who> {
    core.object_user(uid)
        .map(|_| Who::User(uid.to_owned()))
        .ok_or_else(|| invalid("Invalid id"))
}

/// The grants of a canned ACL besides the owner's full control.
fn canned(name: &str, bucket_owner: &str) -> S3Result<Vec<Grant>> {
    let g = |who: Who, permission| Grant { who, permission };
    Ok(match name {
        "private" => vec![],
        "public-read" => vec![g(Who::Group(ALL_USERS), "READ")],
        "public-read-write" => vec![
            g(Who::Group(ALL_USERS), "READ"),
            g(Who::Group(ALL_USERS), "WRITE"),
        ],
        "authenticated-read" => vec![g(Who::Group(AUTHENTICATED), "READ")],
        "bucket-owner-read" => vec![g(Who::User(bucket_owner.to_owned()), "READ")],
        "bucket-owner-full-control" => {
            vec![g(Who::User(bucket_owner.to_owned()), "FULL_CONTROL")]
        }
        "log-delivery-write" => vec![
            g(Who::Group(LOG_DELIVERY), "WRITE"),
            g(Who::Group(LOG_DELIVERY), "READ_ACP"),
        ],
        other => return Err(invalid(format!("Invalid canned ACL: {other}"))),
    })
}

/// One `x-amz-grant-*` header: `id="uid", uri="http://acs.amazonaws.com/groups/..."`.
fn header_grants(core: &Core, header: &str, permission: &'static str) -> S3Result<Vec<Grant>> {
    header
        .split(',')
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(|grant| {
            let (kind, value) = grant
                .split_once('=')
                .ok_or_else(|| invalid(format!("Invalid grant: {grant}")))?;
            let value = value.trim().trim_matches('"');
            let who = match kind.trim().to_ascii_lowercase().as_str() {
                "id" => user(core, value)?,
                "uri" => Who::Group(group(value)?),
                _ => {
                    return Err(invalid(
                        "Only id= and uri= grantees are supported (no e-mail grantees on ECS)",
                    ));
                }
            };
            Ok(Grant { who, permission })
        })
        .collect()
}

/// The five `x-amz-grant-*` headers of an S3 input (every input that has them names them
/// alike) with the permission each grants, as [`requested`] takes them. An input without
/// `x-amz-grant-write` (an object write) passes what stands in for it.
macro_rules! grant_headers {
    ($input:expr) => {
        $crate::s3::acl::grant_headers!($input, $input.grant_write.as_ref())
    };
    ($input:expr, $write:expr) => {
        [
            ($input.grant_full_control.as_ref(), "FULL_CONTROL"),
            ($input.grant_read.as_ref(), "READ"),
            ($input.grant_read_acp.as_ref(), "READ_ACP"),
            ($write, "WRITE"),
            ($input.grant_write_acp.as_ref(), "WRITE_ACP"),
        ]
    };
}
pub(crate) use grant_headers;

/// The refusal of a put-ACL request that names no grant at all.
fn missing_grants() -> S3Error {
    s3_error!(
        MissingSecurityHeader,
        "Your request was missing a required header"
    )
}

/// The grants a request asks for, from exactly one of: a canned ACL, `x-amz-grant-*` headers, an
/// `AccessControlPolicy` body. `None` when it asks for nothing.
#[allow(clippy::too_many_arguments)] // the five grant headers, as S3 defines them
fn requested(
    core: &Core,
    bucket_owner: &str,
    canned_acl: Option<&str>,
    headers: [(Option<&String>, &'static str); 5],
    policy: Option<&AccessControlPolicy>,
) -> S3Result<Option<Vec<Grant>>> {
    let from_headers = headers.iter().any(|(h, _)| h.is_some());
    let ways = usize::from(canned_acl.is_some())
        + usize::from(from_headers)
        + usize::from(policy.is_some());
    if ways > 1 {
        return Err(s3_error!(
            InvalidRequest,
            "Specifying both Canned ACLs and Header Grants is not allowed"
        ));
    }
    if let Some(name) = canned_acl {
        return canned(name, bucket_owner).map(Some);
    }
    if from_headers {
        let mut grants = Vec::new();
        for (header, permission) in headers {
            if let Some(header) = header {
                grants.extend(header_grants(core, header, permission)?);
            }
        }
        return Ok(Some(grants));
    }
    let Some(policy) = policy else {
        return Ok(None);
    };
    let mut grants = Vec::new();
    for grant in policy.grants.iter().flatten() {
        let grantee = grant
            .grantee
            .as_ref()
            .ok_or_else(|| s3_error!(MalformedACLError, "A grant has no grantee"))?;
        let permission = s3_permission(grant.permission.as_ref().map_or("", |p| p.as_str()))?;
        let who = match grantee.type_.as_str() {
            Type::CANONICAL_USER => user(core, grantee.id.as_deref().unwrap_or_default())?,
            Type::GROUP => Who::Group(group(grantee.uri.as_deref().unwrap_or_default())?),
            _ => {
                return Err(invalid(
                    "Only CanonicalUser and Group grantees are supported (no e-mail grantees on ECS)",
                ));
            }
        };
        grants.push(Grant { who, permission });
    }
    Ok(Some(grants))
}

fn stored(grant: &Grant) -> (String, String) {
    let who = match &grant.who {
        Who::User(uid) => format!("user:{uid}"),
        Who::Group(uri) => format!("group:{uri}"),
    };
    (who, grant.permission.to_owned())
}

fn from_stored((who, permission): &(String, String)) -> Option<Grant> {
    let permission = s3_permission(permission).ok()?;
    let who = match who.split_once(':')? {
        ("user", uid) => Who::User(uid.to_owned()),
        ("group", uri) => Who::Group(group(uri).ok()?),
        _ => return None,
    };
    Some(Grant { who, permission })
}

/// A bucket's grants, read from ECS's model (the owner's full control included).
fn bucket_grants(meta: &Bucket) -> Vec<Grant> {
    let perm = |ecs: &str| {
        PERMISSIONS
            .iter()
            .find(|(_, e)| e.eq_ignore_ascii_case(ecs))
            .map(|(s3, _)| *s3)
    };
    let mut grants = Vec::new();
    for g in &meta.acl.user_acl {
        for p in g.permissions.iter().filter_map(|p| perm(p)) {
            grants.push(Grant {
                who: Who::User(g.grantee.clone()),
                permission: p,
            });
        }
    }
    for g in &meta.acl.group_acl {
        let Some((uri, _)) = GROUPS.iter().find(|(_, ecs)| *ecs == g.grantee) else {
            continue;
        };
        for p in g.permissions.iter().filter_map(|p| perm(p)) {
            grants.push(Grant {
                who: Who::Group(uri),
                permission: p,
            });
        }
    }
    grants
}

/// ECS's model of `grants` (the owner's full control always kept).
fn ecs_acl(previous: &Acl, owner: &str, grants: &[Grant]) -> Acl {
    let ecs_name = |p: &str| {
        PERMISSIONS
            .iter()
            .find(|(s3, _)| *s3 == p)
            .map_or("none", |(_, e)| *e)
            .to_owned()
    };
    let mut users: Vec<EcsGrant> = vec![EcsGrant {
        grantee: owner.to_owned(),
        permissions: vec!["full_control".to_owned()],
    }];
    let mut groups: Vec<EcsGrant> = Vec::new();
    for grant in grants {
        let (list, grantee) = match &grant.who {
            Who::User(uid) => (&mut users, uid.clone()),
            Who::Group(uri) => (
                &mut groups,
                GROUPS
                    .iter()
                    .find(|(u, _)| u == uri)
                    .map_or_else(String::new, |(_, e)| (*e).to_owned()),
            ),
        };
        let permission = ecs_name(grant.permission);
        match list.iter_mut().find(|g| g.grantee == grantee) {
            Some(g) if !g.permissions.contains(&permission) => g.permissions.push(permission),
            Some(_) => {}
            None => list.push(EcsGrant {
                grantee,
                permissions: vec![permission],
            }),
        }
    }
    Acl {
        owner: Some(owner.to_owned()),
        default_group: previous.default_group.clone(),
        user_acl: users,
        group_acl: groups,
        customgroup_acl: previous.customgroup_acl.clone(),
    }
}

fn grants_cover(grants: &[Grant], uid: Option<&str>, permission: &str) -> bool {
    grants.iter().any(|g| {
        let who = match &g.who {
            Who::User(u) => uid == Some(u.as_str()),
            Who::Group(uri) => *uri == ALL_USERS || (*uri == AUTHENTICATED && uid.is_some()),
        };
        who && (g.permission == permission || g.permission == "FULL_CONTROL")
    })
}

/// Whether an ACL grant lets `uid` (or an anonymous caller) do `action` on the bucket or on
/// `key`: reading an object needs `READ` on it; listing `READ` on the bucket; writing and
/// deleting objects `WRITE` on the bucket; reading and changing an ACL `READ_ACP`/`WRITE_ACP`.
pub(crate) fn allows(
    core: &Core,
    meta: &Bucket,
    key: Option<&str>,
    action: &str,
    uid: Option<&str>,
) -> bool {
    let object_grants = |key: &str| {
        core.storage
            .get_object(&meta.namespace, &meta.name, key, None)
            .ok()
            .and_then(|v| v.data)
            .and_then(|d| d.meta.acl)
            .map(|acl| {
                let mut grants: Vec<Grant> = acl.grants.iter().filter_map(from_stored).collect();
                grants.push(Grant {
                    who: Who::User(acl.owner),
                    permission: "FULL_CONTROL",
                });
                grants
            })
            .unwrap_or_default()
    };
    match (action, key) {
        ("s3:GetObject", Some(key)) => grants_cover(&object_grants(key), uid, "READ"),
        ("s3:GetObjectAcl", Some(key)) => grants_cover(&object_grants(key), uid, "READ_ACP"),
        ("s3:PutObjectAcl", Some(key)) => grants_cover(&object_grants(key), uid, "WRITE_ACP"),
        ("s3:ListBucket", _) => grants_cover(&bucket_grants(meta), uid, "READ"),
        ("s3:PutObject" | "s3:DeleteObject", _) => grants_cover(&bucket_grants(meta), uid, "WRITE"),
        ("s3:GetBucketAcl", _) => grants_cover(&bucket_grants(meta), uid, "READ_ACP"),
        ("s3:PutBucketAcl", _) => grants_cover(&bucket_grants(meta), uid, "WRITE_ACP"),
        _ => false,
    }
}

fn to_s3(owner_uid: &str, grants: &[Grant]) -> (Owner, Grants) {
    let list = grants
        .iter()
        .map(|g| {
            let grantee = match &g.who {
                Who::User(uid) => Grantee {
                    display_name: Some(uid.clone()),
                    email_address: None,
                    id: Some(uid.clone()),
                    type_: Type::from_static(Type::CANONICAL_USER),
                    uri: None,
                },
                Who::Group(uri) => Grantee {
                    display_name: None,
                    email_address: None,
                    id: None,
                    type_: Type::from_static(Type::GROUP),
                    uri: Some((*uri).to_owned()),
                },
            };
            s3s::dto::Grant {
                grantee: Some(grantee),
                permission: Some(Permission::from_static(g.permission)),
            }
        })
        .collect();
    (owner(owner_uid), list)
}

/// The grants of a `CreateBucket` (`x-amz-acl`, `x-amz-grant-*`), stored as the bucket's ACL.
pub(crate) fn apply_to_new_bucket(
    s3: &EcsS3,
    req: &S3Request<CreateBucketInput>,
    ns: &str,
    owner_uid: &str,
) -> S3Result<()> {
    let input = &req.input;
    let wanted = requested(
        &s3.core,
        owner_uid,
        input.acl.as_ref().map(|a| a.as_str()),
        grant_headers!(input),
        None,
    )?;
    if let Some(grants) = wanted {
        s3.core.update_bucket(ns, &input.bucket, |b| {
            b.acl = ecs_acl(&b.acl, owner_uid, &grants);
        });
    }
    Ok(())
}

/// The ACL of a new object (`PutObject`, `CopyObject`): its writer owns it; grants from
/// `x-amz-acl` or `x-amz-grant-*`, else none (private).
pub(crate) fn for_new_object(
    s3: &EcsS3,
    meta: &Bucket,
    writer: Option<&str>,
    canned_acl: Option<&ObjectCannedACL>,
    headers: [(Option<&String>, &'static str); 5],
) -> S3Result<ObjectAcl> {
    let grants = requested(
        &s3.core,
        &meta.owner,
        canned_acl.map(|a| a.as_str()),
        headers,
        None,
    )?
    .unwrap_or_default();
    Ok(ObjectAcl {
        owner: writer.unwrap_or(&meta.owner).to_owned(),
        grants: grants.iter().map(stored).collect(),
    })
}

pub(crate) fn get_bucket_acl(
    s3: &EcsS3,
    req: S3Request<GetBucketAclInput>,
) -> Out<GetBucketAclOutput> {
    let (_, meta) = s3.bucket(&req, &req.input.bucket)?;
    let (owner, grants) = to_s3(&meta.owner, &bucket_grants(&meta));
    Ok(S3Response::new(GetBucketAclOutput {
        owner: Some(owner),
        grants: Some(grants),
    }))
}

pub(crate) fn put_bucket_acl(
    s3: &EcsS3,
    req: S3Request<PutBucketAclInput>,
) -> Out<PutBucketAclOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let input = &req.input;
    let grants = requested(
        &s3.core,
        &meta.owner,
        input.acl.as_ref().map(|a| a.as_str()),
        grant_headers!(input),
        input.access_control_policy.as_ref(),
    )?
    .ok_or_else(missing_grants)?;
    let owner_uid = meta.owner.clone();
    s3.core.update_bucket(&ns, &meta.name, |b| {
        b.acl = ecs_acl(&b.acl, &owner_uid, &grants);
    });
    Ok(S3Response::new(PutBucketAclOutput::default()))
}

pub(crate) fn get_object_acl(
    s3: &EcsS3,
    req: S3Request<GetObjectAclInput>,
) -> Out<GetObjectAclOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let input = &req.input;
    let version = s3
        .storage
        .get_object(&ns, &meta.name, &input.key, input.version_id.as_deref())
        .map_err(storage_error)?;
    let acl = version
        .data
        .and_then(|d| d.meta.acl)
        .unwrap_or_else(|| ObjectAcl {
            owner: meta.owner.clone(),
            grants: Vec::new(),
        });
    let mut grants = vec![Grant {
        who: Who::User(acl.owner.clone()),
        permission: "FULL_CONTROL",
    }];
    grants.extend(acl.grants.iter().filter_map(from_stored));
    let (owner, grants) = to_s3(&acl.owner, &grants);
    Ok(S3Response::new(GetObjectAclOutput {
        owner: Some(owner),
        grants: Some(grants),
        ..Default::default()
    }))
}

pub(crate) fn put_object_acl(
    s3: &EcsS3,
    req: S3Request<PutObjectAclInput>,
) -> Out<PutObjectAclOutput> {
    let (ns, meta) = s3.bucket(&req, &req.input.bucket)?;
    let uid = caller(&req)?.uid;
    let input = &req.input;
    let grants = requested(
        &s3.core,
        &meta.owner,
        input.acl.as_ref().map(|a| a.as_str()),
        grant_headers!(input),
        input.access_control_policy.as_ref(),
    )?
    .ok_or_else(missing_grants)?;
    // The owner's own full control is implied, not stored twice.
    let default_owner = uid.unwrap_or_else(|| meta.owner.clone());
    s3.storage
        .update_version(
            &ns,
            &meta.name,
            &input.key,
            input.version_id.as_deref(),
            |v| {
                if let Some(data) = v.data.as_mut() {
                    let owner = data
                        .meta
                        .acl
                        .as_ref()
                        .map_or_else(|| default_owner.clone(), |a| a.owner.clone());
                    let grants = grants
                        .iter()
                        .filter(|g| {
                            !(g.who == Who::User(owner.clone()) && g.permission == "FULL_CONTROL")
                        })
                        .map(stored)
                        .collect();
                    data.meta.acl = Some(ObjectAcl { owner, grants });
                }
            },
        )
        .map_err(storage_error)?;
    Ok(S3Response::new(PutObjectAclOutput::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canned_acls_grant_what_s3_says() {
        assert!(canned("private", "o").expect("private").is_empty());
        let public = canned("public-read", "o").expect("public");
        assert!(grants_cover(&public, None, "READ"));
        assert!(!grants_cover(&public, None, "WRITE"));
        let auth = canned("authenticated-read", "o").expect("auth");
        assert!(!grants_cover(&auth, None, "READ"));
        assert!(grants_cover(&auth, Some("u"), "READ"));
        let full = canned("bucket-owner-full-control", "o").expect("full");
        assert!(grants_cover(&full, Some("o"), "WRITE_ACP"));
        assert!(canned("nope", "o").is_err());
    }

    #[test]
    fn grants_round_trip_through_ecs_and_storage_forms() {
        let grants = vec![
            Grant {
                who: Who::User("bob".to_owned()),
                permission: "READ",
            },
            Grant {
                who: Who::Group(ALL_USERS),
                permission: "READ",
            },
        ];
        let acl = ecs_acl(&Acl::default(), "alice", &grants);
        assert_eq!(acl.user_acl[0].permissions, vec!["full_control"]);
        assert_eq!(acl.group_acl[0].grantee, "public");
        let meta_grants = {
            let ns = crate::state::Namespace::new("ns", "rg", 0);
            let mut bucket = crate::mgmt::buckets::new_s3_bucket(&ns, "b", "alice", false, 0);
            bucket.acl = acl;
            bucket_grants(&bucket)
        };
        assert_eq!(meta_grants.len(), 3);
        for g in &grants {
            assert_eq!(from_stored(&stored(g)).as_ref(), Some(g));
        }
    }
}
