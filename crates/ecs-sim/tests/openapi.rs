//! Every JSON response of every implemented route validates against the matching 200 schema of
//! Dell's OpenAPI file (`<repo>/../shared/reference/ecs-management-openapi-4.1.json`), and
//! declares no field the schema does not know (bar the documented exceptions below).

#![allow(
    clippy::unwrap_used,
    reason = "tests fail loudly on the first surprise"
)]

mod common;

use std::path::PathBuf;

use common::{Env, Fmt, start};
use reqwest::Method;
use serde_json::{Value, json};

/// Fields the emulator sends that the OpenAPI schema lacks, each for a reason.
const UNDECLARED_OK: &[(&str, &str, &str)] = &[
    // The reference settles the role/roles conflict for `roles` (PYC's schema and SPEC41's example).
    ("/user/whoami", "", "roles"),
];

fn openapi() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/reference/ecs-management-openapi-4.1.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("read {}: {error}", path.display()));
    serde_json::from_str(&text).expect("OpenAPI JSON")
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.rsplit('/').next().expect("ref name");
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// Fields of `instance` (and of objects inside its arrays and objects) the schema does not declare.
fn undeclared(doc: &Value, schema: &Value, instance: &Value, at: &str, out: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    match instance {
        Value::Object(map) => {
            let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
                return;
            };
            for (key, value) in map {
                match properties.get(key) {
                    Some(sub) => undeclared(doc, sub, value, &format!("{at}/{key}"), out),
                    None => out.push(format!("{at}/{key}")),
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for item in items {
                    undeclared(doc, item_schema, item, at, out);
                }
            }
        }
        _ => {}
    }
}

struct Checker {
    doc: Value,
    checked: Vec<String>,
}

impl Checker {
    fn check(&mut self, method: &str, template: &str, response: &Value) {
        let operation = &self.doc["paths"][template][method.to_ascii_lowercase()];
        assert!(
            operation.is_object(),
            "{method} {template} is in the OpenAPI file"
        );
        let schema = resolve(
            &self.doc,
            &operation["responses"]["200"]["content"]["application/json"]["schema"],
        )
        .clone();
        let mut full = schema.clone();
        if let Some(map) = full.as_object_mut() {
            map.insert("components".into(), self.doc["components"].clone());
        }
        let validator = jsonschema::validator_for(&full)
            .unwrap_or_else(|e| panic!("schema of {template}: {e}"));
        let errors: Vec<String> = validator
            .iter_errors(response)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(
            errors.is_empty(),
            "{method} {template}: {errors:#?}\n{response:#}"
        );
        let mut extra = Vec::new();
        undeclared(&self.doc, &schema, response, "", &mut extra);
        extra.retain(|field| {
            !UNDECLARED_OK
                .iter()
                .any(|(t, at, name)| *t == template && *field == format!("{at}/{name}"))
        });
        assert!(
            extra.is_empty(),
            "{method} {template} sends undeclared fields {extra:?}"
        );
        self.checked.push(format!("{method} {template}"));
    }
}

async fn call(env: &Env, method: Method, path: &str, payload: Option<Value>) -> Value {
    let response = env
        .send(
            method.clone(),
            path,
            Fmt::Json,
            payload.map(|p| common::Body { json: p, xml: "" }),
        )
        .await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{method} {path}: {status} {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text}"))
    }
}

#[tokio::test]
async fn every_json_response_matches_the_openapi_schema() {
    let env = start().await;
    let mut checker = Checker {
        doc: openapi(),
        checked: Vec::new(),
    };
    let rg = call(&env, Method::GET, "/vdc/data-service/vpools", None).await;
    let rg_id = rg["data_service_vpool"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let steps: Vec<(Method, String, &str, Option<Value>)> = vec![
        (Method::GET, "/user/whoami".into(), "/user/whoami", None),
        (
            Method::GET,
            "/vdc/data-service/vpools".into(),
            "/vdc/data-service/vpools",
            None,
        ),
        (
            Method::GET,
            format!("/vdc/data-service/vpools/{rg_id}"),
            "/vdc/data-service/vpools/{id}",
            None,
        ),
        (
            Method::POST,
            "/object/users".into(),
            "/object/users",
            Some(json!({"user": "u1", "namespace": "ns1", "tags": [{"name": "t", "value": "v"}]})),
        ),
        (Method::GET, "/object/users".into(), "/object/users", None),
        (
            Method::GET,
            "/object/users?limit=1".into(),
            "/object/users",
            None,
        ),
        (
            Method::GET,
            "/object/users/ns1".into(),
            "/object/users/{namespace}",
            None,
        ),
        (
            Method::GET,
            "/object/users/query?tag=t&namespace=ns1".into(),
            "/object/users/query",
            None,
        ),
        (
            Method::GET,
            "/object/users/u1/info".into(),
            "/object/users/{uid}/info",
            None,
        ),
        (
            Method::GET,
            "/object/users/lock/u1".into(),
            "/object/users/lock/{uid}",
            None,
        ),
        (
            Method::GET,
            "/object/users/lock/u1/ns1".into(),
            "/object/users/lock/{uid}/{namespace}",
            None,
        ),
        (
            Method::GET,
            "/object/users/u1/tags".into(),
            "/object/users/{uid}/tags",
            None,
        ),
        (
            Method::POST,
            "/object/user-secret-keys/u1".into(),
            "/object/user-secret-keys/{uid}",
            Some(json!({"namespace": "ns1"})),
        ),
        (
            Method::POST,
            "/object/user-secret-keys/u1".into(),
            "/object/user-secret-keys/{uid}",
            Some(json!({"namespace": "ns1", "existing_key_expiry_time_mins": "5"})),
        ),
        (
            Method::GET,
            "/object/user-secret-keys/u1".into(),
            "/object/user-secret-keys/{uid}",
            None,
        ),
        (
            Method::GET,
            "/object/user-secret-keys/u1/ns1".into(),
            "/object/user-secret-keys/{uid}/{namespace}",
            None,
        ),
        (
            Method::GET,
            "/object/user-secret-keys/exist/u1/ns1".into(),
            "/object/user-secret-keys/exist/{uid}/{namespace}",
            None,
        ),
        (
            Method::POST,
            "/object/bucket".into(),
            "/object/bucket",
            Some(
                json!({"name": "b1", "namespace": "ns1", "owner": "u1", "blockSize": 2, "notificationSize": 1, "TagSet": [{"Key": "k", "Value": "v"}]}),
            ),
        ),
        (
            Method::POST,
            "/object/bucket".into(),
            "/object/bucket",
            Some(json!({"name": "b2", "namespace": "ns1", "is_object_lock_enabled": true})),
        ),
        (
            Method::PUT,
            "/object/bucket/b2/object-lock-config?namespace=ns1".into(),
            "",
            Some(json!({"Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 1}}})),
        ),
        (
            Method::GET,
            "/object/bucket?namespace=ns1".into(),
            "/object/bucket",
            None,
        ),
        (
            Method::GET,
            "/object/bucket?namespace=ns1&limit=1".into(),
            "/object/bucket",
            None,
        ),
        (
            Method::GET,
            "/object/bucket/b1/info?namespace=ns1".into(),
            "/object/bucket/{bucketName}/info",
            None,
        ),
        (
            Method::GET,
            "/object/bucket/b2/info?namespace=ns1".into(),
            "/object/bucket/{bucketName}/info",
            None,
        ),
        (
            Method::GET,
            "/object/bucket/b1/quota?namespace=ns1".into(),
            "/object/bucket/{bucketName}/quota",
            None,
        ),
        (
            Method::GET,
            "/object/bucket/b1/acl?namespace=ns1".into(),
            "/object/bucket/{bucketName}/acl",
            None,
        ),
        (
            Method::GET,
            "/object/bucket/b1/lock?namespace=ns1".into(),
            "/object/bucket/{bucketName}/lock",
            None,
        ),
        (
            Method::GET,
            "/object/bucket/b1/retention?namespace=ns1".into(),
            "/object/bucket/{bucketName}/retention",
            None,
        ),
        (
            Method::PUT,
            "/object/bucket/b1/versioning?namespace=ns1".into(),
            "",
            Some(json!({"Status": "Enabled"})),
        ),
        (
            Method::GET,
            "/object/bucket/b1/versioning?namespace=ns1".into(),
            "/object/bucket/{bucketName}/versioning",
            None,
        ),
        (
            Method::GET,
            "/object/bucket/b2/object-lock-config?namespace=ns1".into(),
            "/object/bucket/{bucketName}/object-lock-config",
            None,
        ),
        (
            Method::GET,
            "/object/bucket/b1/empty-bucket-status?namespace=ns1".into(),
            "/object/bucket/{bucketName}/empty-bucket-status",
            None,
        ),
        (
            Method::GET,
            "/object/namespaces".into(),
            "/object/namespaces",
            None,
        ),
        (
            Method::GET,
            "/object/namespaces?limit=1".into(),
            "/object/namespaces",
            None,
        ),
        (
            Method::GET,
            "/object/namespaces/namespace/ns1".into(),
            "/object/namespaces/namespace/{id}",
            None,
        ),
        (
            Method::POST,
            "/object/namespaces/namespace".into(),
            "/object/namespaces/namespace",
            Some(json!({
                "namespace": "ns2",
                "allowed_vpools_list": [rg_id.clone()],
                "namespace_admins": "root",
                "user_mapping": [{"domain": "example.com",
                    "attributes": [{"key": "ou", "value": ["cloud"]}], "groups": ["ops"]}],
                "is_stale_allowed": true,
                "compliance_enabled": false,
                "default_bucket_block_size": 10
            })),
        ),
        (
            Method::PUT,
            "/object/namespaces/namespace/ns2".into(),
            "/object/namespaces/namespace/{namespace}",
            Some(
                json!({"vpools_added_to_disallowed_vpools_list": [], "is_encryption_enabled": true,
                "user_mapping": [{"domain": "corp.example.com", "groups": ["a", "b"]}]}),
            ),
        ),
        (
            Method::GET,
            "/object/namespaces/namespace/ns2".into(),
            "/object/namespaces/namespace/{id}",
            None,
        ),
        (
            Method::PUT,
            "/object/namespaces/namespace/ns2/quota".into(),
            "",
            Some(json!({"blockSize": 10, "notificationSize": 8})),
        ),
        (
            Method::GET,
            "/object/namespaces/namespace/ns2/quota".into(),
            "/object/namespaces/namespace/{namespace}/quota",
            None,
        ),
        (
            Method::DELETE,
            "/object/namespaces/namespace/ns2/quota".into(),
            "",
            None,
        ),
        (
            Method::POST,
            "/object/namespaces/namespace/ns2/deactivate".into(),
            "",
            None,
        ),
        (
            Method::GET,
            "/vdc/alerts?namespace=ns1".into(),
            "/vdc/alerts",
            None,
        ),
        (
            Method::GET,
            "/object/baseurl".into(),
            "/object/baseurl",
            None,
        ),
        (
            Method::GET,
            "/object/baseurl/urn:ObjectBaseUrl:00000000-0000-0000-0000-000000000001".into(),
            "/object/baseurl/{id}",
            None,
        ),
        (
            Method::PUT,
            "/object/bucket/b1/retention".into(),
            "",
            Some(json!({"namespace": "ns1", "period": 60})),
        ),
        (
            Method::POST,
            "/object/bucket/b1/isstaleallowed".into(),
            "",
            Some(json!({"namespace": "ns1", "is_stale_allowed": true})),
        ),
        (
            Method::GET,
            "/object/namespaces/namespace/ns1/quota".into(),
            "/object/namespaces/namespace/{namespace}/quota",
            None,
        ),
        (
            Method::POST,
            "/object/namespaces/namespace/ns1/retention".into(),
            "",
            Some(json!({"name": "rc", "period": 10})),
        ),
        (
            Method::GET,
            "/object/namespaces/namespace/ns1/retention".into(),
            "/object/namespaces/namespace/{namespace}/retention",
            None,
        ),
        (
            Method::GET,
            "/object/namespaces/namespace/ns1/retention/rc".into(),
            "/object/namespaces/namespace/{namespace}/retention/{class}",
            None,
        ),
        (
            Method::GET,
            "/object/billing/buckets/ns1/b1/info".into(),
            "/object/billing/buckets/{namespace}/{bucketName}/info",
            None,
        ),
        (
            Method::GET,
            "/object/billing/buckets/ns1/b1/info?sizeunit=BYTE".into(),
            "/object/billing/buckets/{namespace}/{bucketName}/info",
            None,
        ),
        (
            Method::POST,
            "/object/billing/buckets/ns1/info?sizeunit=KB".into(),
            "/object/billing/buckets/{namespace}/info",
            Some(json!({"id": ["b1", "b2"]})),
        ),
        (
            Method::GET,
            "/object/billing/namespace/ns1/info?include_bucket_detail=true".into(),
            "/object/billing/namespace/{namespace}/info",
            None,
        ),
        (
            Method::POST,
            "/object/billing/namespace/info?sizeunit=MB".into(),
            "/object/billing/namespace/info",
            Some(json!({"id": ["ns1"]})),
        ),
    ];
    env.sim.control().set_bucket_usage("ns1", "b1", 123_456, 3);
    for (method, path, template, payload) in steps {
        let response = call(&env, method.clone(), &path, payload).await;
        if !template.is_empty() {
            checker.check(method.as_str(), template, &response);
        }
    }
    env.sim.control().set_bucket_usage("ns1", "b1", 1, 1);
    call(
        &env,
        Method::POST,
        "/object/bucket/b1/deactivate?namespace=ns1&emptyBucket=true",
        None,
    )
    .await;
    let status = call(
        &env,
        Method::GET,
        "/object/bucket/b1/empty-bucket-status?namespace=ns1",
        None,
    )
    .await;
    checker.check(
        "GET",
        "/object/bucket/{bucketName}/empty-bucket-status",
        &status,
    );
    assert!(
        checker.checked.len() >= 45,
        "walked {} responses",
        checker.checked.len()
    );
    env.stop().await;
}
