//! Bucket policies: CloudStack's `Public` / `Private` / custom JSON, the documents the driver
//! writes, and the plans that turn a wanted policy plus the current one into one write.
//!
//! The driver's own statements carry the `Sid`s [`PUBLIC_LIST_SID`] and [`PUBLIC_READ_SID`], so
//! "public" can be recognised and "private" removes only public grants, keeping a user's other
//! statements (the upstream plug-in deleted the whole policy, custom statements included, and
//! treated "public" as done whenever any policy existed).

use std::fmt;

use ecs_common::{Error, Result};
use serde_json::{Value, json};

use crate::validate::printable;

/// `Sid` of the statement that lets anyone list a public bucket.
pub const PUBLIC_LIST_SID: &str = "CloudStackPublicList";
/// `Sid` of the statement that lets anyone read a public bucket's objects.
pub const PUBLIC_READ_SID: &str = "CloudStackPublicRead";
/// `Sid` of the statement that grants a bucket's own credential (its ECS user) that bucket.
pub const CREDENTIAL_SID: &str = "CloudStackBucketCredential";
/// The largest custom policy accepted (S3's bucket-policy limit), in bytes.
pub const MAX_POLICY_BYTES: usize = 20 * 1024;

/// A bucket policy as CloudStack asks for it.
#[derive(Clone, PartialEq, Eq)]
pub enum PolicySpec {
    /// Anyone may list the bucket and read its objects.
    Public,
    /// No anonymous access: public grants are removed, other statements kept.
    Private,
    /// A policy document given by the user, validated.
    Custom(CustomPolicy),
}

impl PolicySpec {
    /// Parses CloudStack's free-text policy: `public` or `private` (any case), or a JSON
    /// bucket policy. Fails with `InvalidInput` otherwise; sends nothing.
    ///
    /// ```
    /// use ecs_driver::PolicySpec;
    /// assert_eq!(PolicySpec::parse("Public").unwrap(), PolicySpec::Public);
    /// assert!(PolicySpec::parse("world-writable").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<PolicySpec> {
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("public") {
            Ok(PolicySpec::Public)
        } else if trimmed.eq_ignore_ascii_case("private") {
            Ok(PolicySpec::Private)
        } else if trimmed.starts_with('{') {
            CustomPolicy::parse(trimmed).map(PolicySpec::Custom)
        } else {
            Err(Error::invalid_input(format!(
                "invalid policy \"{}\": expected public, private or a JSON bucket policy",
                printable(trimmed)
            )))
        }
    }

    /// Checks that the policy may be applied to `bucket` (a custom one must name only it).
    pub fn check_for_bucket(&self, bucket: &str) -> Result<()> {
        match self {
            PolicySpec::Custom(custom) => custom.check_for_bucket(bucket),
            PolicySpec::Public | PolicySpec::Private => Ok(()),
        }
    }
}

impl fmt::Debug for PolicySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicySpec::Public => f.write_str("Public"),
            PolicySpec::Private => f.write_str("Private"),
            PolicySpec::Custom(custom) => f
                .debug_tuple("Custom")
                .field(&format_args!("{} bytes", custom.text.len()))
                .finish(),
        }
    }
}

/// A user-supplied bucket policy: valid JSON with a non-empty `Statement` list whose entries
/// each have an `Effect`, an `Action` and a `Resource`.
#[derive(Clone, PartialEq, Eq)]
pub struct CustomPolicy {
    text: String,
    resources: Vec<String>,
}

impl CustomPolicy {
    /// Parses and checks a policy document.
    pub fn parse(text: &str) -> Result<CustomPolicy> {
        if text.len() > MAX_POLICY_BYTES {
            return Err(policy_error(&format!(
                "it is {} bytes, more than {MAX_POLICY_BYTES}",
                text.len()
            )));
        }
        let document: Value = serde_json::from_str(text)
            .map_err(|err| policy_error(&format!("it is not valid JSON ({err})")))?;
        let statements = statements(&document)?;
        let mut resources = Vec::new();
        for (index, statement) in statements.iter().enumerate() {
            resources.extend(check_statement(index, statement)?);
        }
        Ok(CustomPolicy {
            text: serde_json::to_string(&document).expect("a parsed JSON value serializes"),
            resources,
        })
    }

    /// The document as it is sent (compact JSON).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Checks that every `Resource` names `bucket` or objects in it, and nothing else.
    pub fn check_for_bucket(&self, bucket: &str) -> Result<()> {
        match self
            .resources
            .iter()
            .find(|resource| !names_only_bucket(resource, bucket))
        {
            None => Ok(()),
            Some(resource) => Err(policy_error(&format!(
                "its resource \"{}\" is outside bucket {bucket}",
                printable(resource)
            ))),
        }
    }
}

impl fmt::Debug for CustomPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomPolicy")
            .field("bytes", &self.text.len())
            .field("resources", &self.resources)
            .finish()
    }
}

fn policy_error(problem: &str) -> Error {
    Error::invalid_input(format!("invalid bucket policy: {problem}"))
}

fn statements(document: &Value) -> Result<Vec<&Value>> {
    let object = document
        .as_object()
        .ok_or_else(|| policy_error("it must be a JSON object"))?;
    let statements: Vec<&Value> = match object.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(single @ Value::Object(_)) => vec![single],
        Some(_) => return Err(policy_error("Statement must be a list of objects")),
        None => return Err(policy_error("it has no Statement")),
    };
    if statements.is_empty() {
        return Err(policy_error("its Statement list is empty"));
    }
    Ok(statements)
}

/// Checks one statement and returns its resources.
fn check_statement(index: usize, statement: &Value) -> Result<Vec<String>> {
    let at = |problem: &str| policy_error(&format!("statement {index} {problem}"));
    let object = statement
        .as_object()
        .ok_or_else(|| at("is not an object"))?;
    match object.get("Effect").and_then(Value::as_str) {
        Some("Allow" | "Deny") => {}
        _ => return Err(at("needs Effect Allow or Deny")),
    }
    if !object.contains_key("Action") && !object.contains_key("NotAction") {
        return Err(at("needs an Action"));
    }
    if object.contains_key("NotResource") {
        return Err(at(
            "uses NotResource, which cannot be limited to the bucket",
        ));
    }
    let resources = match object.get("Resource") {
        Some(Value::String(one)) => vec![one.clone()],
        Some(Value::Array(list)) if !list.is_empty() => list
            .iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| at("has a Resource that is not a string"))?,
        _ => return Err(at("needs a Resource")),
    };
    Ok(resources)
}

/// `arn:aws:s3:::bucket`, `arn:aws:s3:::bucket/<anything>`, or the same without the ARN prefix
/// (ECS accepts bare names).
fn names_only_bucket(resource: &str, bucket: &str) -> bool {
    let path = resource.strip_prefix("arn:aws:s3:::").unwrap_or(resource);
    match path.strip_prefix(bucket) {
        Some("") => true,
        Some(rest) => rest.starts_with('/'),
        None => false,
    }
}

/// The policy the driver writes for "public": anonymous list and read, nothing else.
pub fn public_policy(bucket: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": public_statements(bucket),
    })
}

fn public_statements(bucket: &str) -> Vec<Value> {
    vec![
        json!({
            "Sid": PUBLIC_LIST_SID,
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["s3:ListBucket"],
            "Resource": [format!("arn:aws:s3:::{bucket}")],
        }),
        json!({
            "Sid": PUBLIC_READ_SID,
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["s3:GetObject"],
            "Resource": [format!("arn:aws:s3:::{bucket}/*")],
        }),
    ]
}

/// The one write that brings a bucket's policy to what was asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyWrite {
    /// The current policy already matches: send nothing.
    Keep,
    /// Put this document.
    Put(String),
    /// Delete the policy.
    Delete,
}

/// Plans "public" on top of the current policy: keeps the user's statements, replaces the
/// driver's own public statements, and writes nothing when they are already there.
pub fn plan_public(current: Option<&str>, bucket: &str) -> PolicyWrite {
    let wanted = public_statements(bucket);
    let Some(mut document) = current.and_then(parse_object) else {
        return PolicyWrite::Put(public_policy(bucket).to_string());
    };
    let mut kept: Vec<Value> = statement_list(&document)
        .into_iter()
        .filter(|statement| !is_driver_statement(statement))
        .collect();
    let present: Vec<Value> = statement_list(&document)
        .into_iter()
        .filter(is_driver_statement)
        .collect();
    if present == wanted {
        return PolicyWrite::Keep;
    }
    kept.extend(wanted);
    document["Statement"] = Value::Array(kept);
    if document.get("Version").is_none() {
        document["Version"] = json!("2012-10-17");
    }
    PolicyWrite::Put(document.to_string())
}

/// Plans "private": removes every statement that allows anonymous access and keeps the rest;
/// deletes the policy when nothing remains.
pub fn plan_private(current: Option<&str>) -> PolicyWrite {
    let Some(current) = current.filter(|text| !text.trim().is_empty()) else {
        return PolicyWrite::Keep;
    };
    let Some(document) = parse_object(current) else {
        // Unreadable: the only safe "private" is no policy at all.
        return PolicyWrite::Delete;
    };
    plan_removal(document, grants_anonymous)
}

/// Plans removing the statements `remove` picks from `document`: writes nothing when there is
/// none, deletes the policy when nothing remains, else puts the rest.
fn plan_removal(mut document: Value, remove: impl Fn(&Value) -> bool) -> PolicyWrite {
    let statements = statement_list(&document);
    let kept: Vec<Value> = statements
        .iter()
        .filter(|statement| !remove(statement))
        .cloned()
        .collect();
    if kept.len() == statements.len() {
        PolicyWrite::Keep
    } else if kept.is_empty() {
        PolicyWrite::Delete
    } else {
        document["Statement"] = Value::Array(kept);
        PolicyWrite::Put(document.to_string())
    }
}

/// The statement granting a bucket's credential user every S3 action on that bucket only.
pub fn credential_statement(bucket: &str, uid: &str) -> Value {
    json!({
        "Sid": CREDENTIAL_SID,
        "Effect": "Allow",
        "Principal": {"AWS": [uid]},
        "Action": ["s3:*"],
        "Resource": [format!("arn:aws:s3:::{bucket}"), format!("arn:aws:s3:::{bucket}/*")],
    })
}

/// Plans granting `uid` the bucket: replaces a statement with [`CREDENTIAL_SID`], keeps every
/// other one, writes nothing when the grant is already there.
pub fn plan_credential_grant(current: Option<&str>, bucket: &str, uid: &str) -> PolicyWrite {
    let wanted = credential_statement(bucket, uid);
    let mut document = current
        .and_then(parse_object)
        .unwrap_or_else(|| json!({"Version": "2012-10-17", "Statement": []}));
    let statements = statement_list(&document);
    if statements.contains(&wanted) {
        return PolicyWrite::Keep;
    }
    let mut kept: Vec<Value> = statements
        .into_iter()
        .filter(|statement| !is_credential_statement(statement))
        .collect();
    kept.push(wanted);
    document["Statement"] = Value::Array(kept);
    if document.get("Version").is_none() {
        document["Version"] = json!("2012-10-17");
    }
    PolicyWrite::Put(document.to_string())
}

/// Plans removing the credential grant: keeps every other statement, deletes the policy when
/// nothing remains, writes nothing when there is no grant.
pub fn plan_credential_revoke(current: Option<&str>) -> PolicyWrite {
    let Some(document) = current.and_then(parse_object) else {
        return PolicyWrite::Keep;
    };
    plan_removal(document, is_credential_statement)
}

/// A custom policy with the current policy's credential grant carried over, so replacing the
/// policy never cuts a bucket's own credential off.
pub fn with_credential_statements(current: Option<&str>, custom: &str) -> String {
    let grants: Vec<Value> = current
        .and_then(parse_object)
        .map(|document| {
            statement_list(&document)
                .into_iter()
                .filter(is_credential_statement)
                .collect()
        })
        .unwrap_or_default();
    let Some(mut document) = parse_object(custom).filter(|_| !grants.is_empty()) else {
        return custom.to_owned();
    };
    let mut statements: Vec<Value> = statement_list(&document)
        .into_iter()
        .filter(|statement| !is_credential_statement(statement))
        .collect();
    statements.extend(grants);
    document["Statement"] = Value::Array(statements);
    document.to_string()
}

fn is_credential_statement(statement: &Value) -> bool {
    statement.get("Sid").and_then(Value::as_str) == Some(CREDENTIAL_SID)
}

/// Whether a policy document (as returned by ECS) allows anonymous access.
pub fn is_public(current: &str) -> bool {
    parse_object(current)
        .map(|document| statement_list(&document).iter().any(grants_anonymous))
        .unwrap_or(false)
}

fn parse_object(text: &str) -> Option<Value> {
    serde_json::from_str::<Value>(text)
        .ok()
        .filter(Value::is_object)
}

fn statement_list(document: &Value) -> Vec<Value> {
    match document.get("Statement") {
        Some(Value::Array(list)) => list.clone(),
        Some(single @ Value::Object(_)) => vec![single.clone()],
        _ => Vec::new(),
    }
}

fn is_driver_statement(statement: &Value) -> bool {
    matches!(
        statement.get("Sid").and_then(Value::as_str),
        Some(PUBLIC_LIST_SID | PUBLIC_READ_SID)
    )
}

fn grants_anonymous(statement: &Value) -> bool {
    let allows = statement.get("Effect").and_then(Value::as_str) == Some("Allow");
    let everyone = |value: &Value| match value {
        Value::String(text) => text == "*",
        Value::Array(list) => list.iter().any(|item| item.as_str() == Some("*")),
        _ => false,
    };
    let anonymous = match statement.get("Principal") {
        Some(Value::Object(map)) => map.values().any(everyone),
        Some(other) => everyone(other),
        None => false,
    };
    allows && anonymous
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecs_common::ErrorKind;

    fn custom(resource: &str) -> String {
        json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow", "Principal": {"AWS": ["cs-x"]},
                "Action": ["s3:GetObject"], "Resource": [resource],
            }]
        })
        .to_string()
    }

    #[test]
    fn parse_keywords_in_any_case() {
        assert_eq!(PolicySpec::parse(" PUBLIC ").unwrap(), PolicySpec::Public);
        assert_eq!(PolicySpec::parse("private").unwrap(), PolicySpec::Private);
        assert_eq!(PolicySpec::parse("Private").unwrap(), PolicySpec::Private);
    }

    #[test]
    fn bad_policies_are_invalid_input() {
        for bad in [
            "",
            "public-read-write",
            "{",
            "{}",
            "[]",
            r#"{"Statement": []}"#,
            r#"{"Statement": "x"}"#,
            r#"{"Statement": [{"Effect": "Maybe", "Action": "s3:*", "Resource": "arn:aws:s3:::b"}]}"#,
            r#"{"Statement": [{"Effect": "Allow", "Resource": "arn:aws:s3:::b"}]}"#,
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*"}]}"#,
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "NotResource": "x"}]}"#,
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": [1]}]}"#,
        ] {
            let err = PolicySpec::parse(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{bad}");
        }
        let huge = format!("{{\"x\":\"{}\"}}", "a".repeat(MAX_POLICY_BYTES));
        assert!(
            PolicySpec::parse(&huge)
                .unwrap_err()
                .to_string()
                .contains("bytes")
        );
    }

    #[test]
    fn custom_policies_must_name_only_their_bucket() {
        for ok in ["arn:aws:s3:::b1", "arn:aws:s3:::b1/*", "b1/prefix/*", "b1"] {
            PolicySpec::parse(&custom(ok))
                .unwrap()
                .check_for_bucket("b1")
                .unwrap_or_else(|err| panic!("{ok}: {err}"));
        }
        for bad in [
            "arn:aws:s3:::b10",
            "arn:aws:s3:::*",
            "*",
            "arn:aws:s3:::b2/*",
            "b1x/*",
        ] {
            let err = PolicySpec::parse(&custom(bad))
                .unwrap()
                .check_for_bucket("b1")
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{bad}");
            assert!(err.to_string().contains("outside bucket b1"), "{err}");
        }
    }

    #[test]
    fn debug_does_not_dump_documents() {
        let spec = PolicySpec::parse(&custom("arn:aws:s3:::b1")).unwrap();
        assert!(format!("{spec:?}").contains("bytes"));
    }

    #[test]
    fn public_plan_writes_once_and_keeps_user_statements() {
        let first = plan_public(None, "b1");
        let PolicyWrite::Put(document) = first else {
            panic!("expected a put")
        };
        assert!(is_public(&document));
        assert_eq!(plan_public(Some(&document), "b1"), PolicyWrite::Keep);

        let user = custom("arn:aws:s3:::b1/*");
        let PolicyWrite::Put(merged) = plan_public(Some(&user), "b1") else {
            panic!("put")
        };
        let value: Value = serde_json::from_str(&merged).unwrap();
        assert_eq!(value["Statement"].as_array().unwrap().len(), 3);
        assert_eq!(plan_public(Some(&merged), "b1"), PolicyWrite::Keep);
    }

    #[test]
    fn credential_grant_is_merged_and_removed_alone() {
        let user = custom("arn:aws:s3:::b1/*");
        let PolicyWrite::Put(granted) = plan_credential_grant(Some(&user), "b1", "cs-bucket-b1")
        else {
            panic!("put")
        };
        let statements = |text: &str| {
            serde_json::from_str::<Value>(text).unwrap()["Statement"]
                .as_array()
                .unwrap()
                .clone()
        };
        assert_eq!(statements(&granted).len(), 2);
        assert_eq!(
            plan_credential_grant(Some(&granted), "b1", "cs-bucket-b1"),
            PolicyWrite::Keep
        );
        // Public and private leave the grant in place.
        let PolicyWrite::Put(public) = plan_public(Some(&granted), "b1") else {
            panic!("put")
        };
        assert_eq!(statements(&public).len(), 4);
        let PolicyWrite::Put(private) = plan_private(Some(&public)) else {
            panic!("put")
        };
        assert_eq!(statements(&private), statements(&granted));
        // A custom policy keeps it too.
        let replaced = with_credential_statements(Some(&granted), &custom("arn:aws:s3:::b1"));
        assert_eq!(statements(&replaced).len(), 2);
        assert_eq!(
            with_credential_statements(Some(&user), &custom("arn:aws:s3:::b1")),
            custom("arn:aws:s3:::b1")
        );
        // Revoking removes the grant only, then the policy when nothing is left.
        let PolicyWrite::Put(revoked) = plan_credential_revoke(Some(&granted)) else {
            panic!("put")
        };
        assert_eq!(statements(&revoked), statements(&user));
        assert_eq!(plan_credential_revoke(Some(&revoked)), PolicyWrite::Keep);
        let PolicyWrite::Put(alone) = plan_credential_grant(None, "b1", "u") else {
            panic!("put")
        };
        assert_eq!(plan_credential_revoke(Some(&alone)), PolicyWrite::Delete);
        assert_eq!(plan_credential_revoke(None), PolicyWrite::Keep);
    }

    #[test]
    fn private_plan_removes_only_public_grants() {
        assert_eq!(plan_private(None), PolicyWrite::Keep);
        assert_eq!(plan_private(Some("")), PolicyWrite::Keep);
        let public = public_policy("b1").to_string();
        assert_eq!(plan_private(Some(&public)), PolicyWrite::Delete);

        let user = custom("arn:aws:s3:::b1/*");
        assert_eq!(plan_private(Some(&user)), PolicyWrite::Keep);
        let PolicyWrite::Put(merged) = plan_public(Some(&user), "b1") else {
            panic!("put")
        };
        let PolicyWrite::Put(back) = plan_private(Some(&merged)) else {
            panic!("put")
        };
        assert!(!is_public(&back));
        assert_eq!(
            serde_json::from_str::<Value>(&back).unwrap()["Statement"]
                .as_array()
                .unwrap()
                .len(),
            1
        );

        let foreign_public = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"b1/*"}]}"#;
        assert_eq!(plan_private(Some(foreign_public)), PolicyWrite::Delete);
        assert_eq!(plan_private(Some("not json")), PolicyWrite::Delete);
    }
}
