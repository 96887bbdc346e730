//! Bucket policy evaluation for the S3 actions the emulator enforces.
//!
//! ECS stores S3-style policy documents (`Statement[]` with `Effect`, `Principal`, `Action`,
//! `Resource`). This evaluator understands `Principal` `*`, `{"AWS": ...}` with `*`, user ids or
//! user ARNs (`arn:aws:iam::<ns>:user/<uid>`), `Action` and `Resource` patterns with `*` and `?`
//! wildcards, and lets an explicit `Deny` win over any `Allow`. Statements with a `Condition`, a
//! `NotPrincipal`, `NotAction` or `NotResource` are not understood and therefore never match
//! (so they neither grant nor refuse anything).

use serde_json::Value;

/// The outcome of evaluating a policy for one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// A statement allows the request and none denies it.
    Allow,
    /// A statement denies the request.
    Deny,
    /// No statement applies.
    NotApplicable,
}

/// Who is asking: an object user, or nobody.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Principal<'a> {
    /// An anonymous request: only `*` principals match.
    Anonymous,
    /// An authenticated object user.
    User(&'a str),
}

/// The resource ARN of a bucket (`arn:aws:s3:::bucket`) or an object (`arn:aws:s3:::bucket/key`).
pub(crate) fn resource_arn(bucket: &str, key: Option<&str>) -> String {
    match key {
        Some(key) => format!("arn:aws:s3:::{bucket}/{key}"),
        None => format!("arn:aws:s3:::{bucket}"),
    }
}

/// Checks that a policy document is JSON with a `Statement`, as ECS requires.
pub(crate) fn validate(document: &str) -> Result<(), String> {
    let value: Value =
        serde_json::from_str(document).map_err(|e| format!("policy is not valid JSON: {e}"))?;
    match value.get("Statement") {
        Some(Value::Array(_) | Value::Object(_)) => Ok(()),
        _ => Err("policy has no Statement".to_owned()),
    }
}

/// Evaluates `document` for `principal` doing `action` (e.g. `s3:GetObject`) on `resource`.
///
/// A document that is not valid JSON grants nothing.
pub(crate) fn evaluate(
    document: &str,
    principal: Principal<'_>,
    action: &str,
    resource: &str,
) -> Decision {
    let Ok(value) = serde_json::from_str::<Value>(document) else {
        return Decision::NotApplicable;
    };
    let mut decision = Decision::NotApplicable;
    for statement in one_or_many(value.get("Statement")) {
        if !statement_applies(statement, principal, action, resource) {
            continue;
        }
        match statement.get("Effect").and_then(Value::as_str) {
            Some("Deny") => return Decision::Deny,
            Some("Allow") => decision = Decision::Allow,
            _ => {}
        }
    }
    decision
}

fn one_or_many(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(other) => vec![other],
        None => Vec::new(),
    }
}

fn strings(value: Option<&Value>) -> Vec<&str> {
    one_or_many(value)
        .into_iter()
        .filter_map(Value::as_str)
        .collect()
}

fn statement_applies(
    statement: &Value,
    principal: Principal<'_>,
    action: &str,
    resource: &str,
) -> bool {
    const UNSUPPORTED: [&str; 4] = ["Condition", "NotPrincipal", "NotAction", "NotResource"];
    if UNSUPPORTED.iter().any(|k| statement.get(k).is_some()) {
        return false;
    }
    principal_matches(statement.get("Principal"), principal)
        && strings(statement.get("Action"))
            .iter()
            .any(|p| action_matches(p, action))
        && strings(statement.get("Resource"))
            .iter()
            .any(|p| resource_matches(p, resource))
}

fn principal_matches(value: Option<&Value>, principal: Principal<'_>) -> bool {
    let names = match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Object(map)) => map.values().flat_map(|v| strings(Some(v))).collect(),
        Some(Value::Array(_)) => strings(value),
        _ => Vec::new(),
    };
    names.iter().any(|name| match principal {
        _ if *name == "*" => true,
        Principal::Anonymous => false,
        Principal::User(uid) => {
            *name == uid || name.rsplit_once(":user/").is_some_and(|(_, u)| u == uid)
        }
    })
}

fn action_matches(pattern: &str, action: &str) -> bool {
    // Action names are case-insensitive.
    wildcard_match(&pattern.to_ascii_lowercase(), &action.to_ascii_lowercase())
}

fn resource_matches(pattern: &str, resource: &str) -> bool {
    // ECS also accepts bare bucket names and `bucket/*` in place of ARNs.
    let full;
    let pattern = if pattern.starts_with("arn:") || pattern == "*" {
        pattern
    } else {
        full = format!("arn:aws:s3:::{pattern}");
        &full
    };
    wildcard_match(pattern, resource)
}

/// Glob matching with `*` (any run, including `/`) and `?` (one character).
pub(crate) fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLIC_READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"pub","Effect":"Allow",
        "Principal":"*","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::b1/*"]}]}"#;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y"));
        assert!(wildcard_match("a?c*", "abcdef"));
        assert!(wildcard_match("*", ""));
        assert!(!wildcard_match("arn:aws:s3:::b/*", "arn:aws:s3:::bb/x"));
        assert!(!wildcard_match("a?c", "ac"));
        assert!(wildcard_match("*x*y", "aaxbby"));
    }

    #[test]
    fn public_read_allows_anyone_to_get_only() {
        let obj = resource_arn("b1", Some("k"));
        assert_eq!(
            evaluate(PUBLIC_READ, Principal::Anonymous, "s3:GetObject", &obj),
            Decision::Allow
        );
        assert_eq!(
            evaluate(PUBLIC_READ, Principal::User("u2"), "s3:GetObject", &obj),
            Decision::Allow
        );
        assert_eq!(
            evaluate(PUBLIC_READ, Principal::Anonymous, "s3:PutObject", &obj),
            Decision::NotApplicable
        );
        assert_eq!(
            evaluate(
                PUBLIC_READ,
                Principal::Anonymous,
                "s3:ListBucket",
                &resource_arn("b1", None)
            ),
            Decision::NotApplicable
        );
        assert_eq!(
            evaluate(
                PUBLIC_READ,
                Principal::Anonymous,
                "s3:GetObject",
                &resource_arn("b2", Some("k"))
            ),
            Decision::NotApplicable
        );
    }

    #[test]
    fn user_principals_and_deny_wins() {
        let doc = r#"{"Statement":[
            {"Effect":"Allow","Principal":{"AWS":["u2","arn:aws:iam::ns1:user/u3"]},"Action":"s3:*","Resource":["b1","b1/*"]},
            {"Effect":"Deny","Principal":{"AWS":"u3"},"Action":"s3:DeleteObject","Resource":"arn:aws:s3:::b1/*"}]}"#;
        let obj = resource_arn("b1", Some("k"));
        assert_eq!(
            evaluate(doc, Principal::User("u2"), "s3:PutObject", &obj),
            Decision::Allow
        );
        assert_eq!(
            evaluate(doc, Principal::User("u3"), "s3:GetObject", &obj),
            Decision::Allow
        );
        assert_eq!(
            evaluate(doc, Principal::User("u3"), "s3:DeleteObject", &obj),
            Decision::Deny
        );
        assert_eq!(
            evaluate(
                doc,
                Principal::User("u2"),
                "s3:ListBucket",
                &resource_arn("b1", None)
            ),
            Decision::Allow
        );
        assert_eq!(
            evaluate(doc, Principal::User("u4"), "s3:GetObject", &obj),
            Decision::NotApplicable
        );
        assert_eq!(
            evaluate(doc, Principal::Anonymous, "s3:GetObject", &obj),
            Decision::NotApplicable
        );
    }

    #[test]
    fn single_statement_object_and_case_insensitive_actions() {
        let doc =
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"S3:get*","Resource":"*"}}"#;
        assert_eq!(
            evaluate(
                doc,
                Principal::Anonymous,
                "s3:GetObject",
                "arn:aws:s3:::x/y"
            ),
            Decision::Allow
        );
    }

    #[test]
    fn conditions_and_garbage_grant_nothing() {
        let doc = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*",
            "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#;
        assert_eq!(
            evaluate(
                doc,
                Principal::Anonymous,
                "s3:GetObject",
                "arn:aws:s3:::x/y"
            ),
            Decision::NotApplicable
        );
        assert_eq!(
            evaluate(
                "not json",
                Principal::Anonymous,
                "s3:GetObject",
                "arn:aws:s3:::x/y"
            ),
            Decision::NotApplicable
        );
    }

    #[test]
    fn validation_requires_a_statement() {
        assert!(validate(PUBLIC_READ).is_ok());
        assert!(validate(r#"{"Version":"2012-10-17"}"#).is_err());
        assert!(validate("{").is_err());
    }
}
