//! Replays recorded ECS traffic from `<repo>/../shared/fixtures/` against a suitably seeded
//! emulator and compares the status and the set of element / field names with the recording.
//!
//! * `ecs-cf-service-broker/`: WireMock stubs. Each stub's preconditions come from its WireMock
//!   scenario: the stubs that lead to its `requiredScenarioState` are replayed first.
//! * `goobjectscale/`: go-vcr cassettes recorded against real systems; the ECS interactions of
//!   `buckets` and `objectuser` are replayed in order against a seed holding the recorded
//!   namespace, bucket and users.
//!
//! The recorded names must all appear in the emulator's answer (the emulator may send more, as
//! newer releases do), except the documented version differences in [`RENAMED`]. Skipped
//! fixtures are listed, with reasons, in [`SKIP_CFSB`] and [`SKIP_VCR`].

#![allow(
    clippy::unwrap_used,
    reason = "tests fail loudly on the first surprise"
)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ecs_sim::{Seed, Sim};
use reqwest::{Client, Method};
use serde_json::Value;

/// Broker stubs not replayed, by file-name prefix (after `mappings__`), with the reason.
const SKIP_CFSB: &[(&str, &str)] = &[
    (
        "baseurl-info",
        "these base URL ids were recorded on another system; the emulator has only ECS's default base URL (its listing replays)",
    ),
    (
        "iam-",
        "the IAM API (POST /iam?Action=...) is outside the CloudStack subset",
    ),
    (
        "nfsexport-",
        "NFS exports (/object/nfs/exports) are not emulated",
    ),
    (
        "user-info-",
        "the broker's success stubs answer GET /object/users/{uid}/info with a user_secret_keys body; the reference says not to copy that",
    ),
    (
        "user-info2-",
        "same wrong user_secret_keys body as user-info-",
    ),
    (
        "namespace-retention-delete",
        "DELETE of a retention class exists only in these stubs, not in the OpenAPI file (reference: unsupported)",
    ),
];

/// Cassette interactions not replayed, by URL fragment, with the reason.
const SKIP_VCR: &[(&str, &str)] = &[
    (
        "/mgmt/serviceLogin",
        "ObjectScale gateway service login, not ECS",
    ),
    (
        "/vdc/alertpolicy",
        "ObjectScale alert policies are not emulated",
    ),
    (
        "/replication/control",
        "ObjectScale replication control is not emulated",
    ),
    (
        "/object/mt/",
        "ObjectScale metering (/object/mt) is not emulated",
    ),
    (
        "/vdc/recovery-status",
        "ObjectScale recovery status is not emulated",
    ),
    ("/object/tenants", "ObjectScale tenants are not emulated"),
];

/// Cassettes replayed (the others are ObjectScale-only and skipped whole by [`SKIP_VCR`]).
const VCR_CASSETTES: &[&str] = &["buckets__fixtures.yaml", "objectuser__fixtures.yaml"];

/// Names an older release used that the emulator (following the 4.1 OpenAPI file) spells
/// differently or no longer sends: (root element, recorded name, emulator's name or "" when
/// dropped).
const RENAMED: &[(&str, &str, &str)] = &[
    // ECS 2.x `tags` on buckets became `TagSet`.
    ("object_bucket", "tags", "TagSet"),
    ("bucket_info", "tags", "TagSet"),
    // 2.x bucket_info had `inactive` and `search_metadata`; the 4.1 schema has neither here.
    ("bucket_info", "inactive", ""),
    // The 4.1 schema of data_service_vpool has no `tags`.
    ("data_service_vpools", "tags", ""),
];

/// Cassette interactions not replayed, by "METHOD path", with the reason.
const SKIP_VCR_EXACT: &[(&str, &str)] = &[
    (
        "GET /object/bucket/testbucket/quota?namespace=130820808912778549",
        "ObjectScale answered 404 with a quota body for a missing bucket; ECS answers 400/1004 (broker stubs), which the emulator follows",
    ),
    (
        "PUT /object/bucket/testbucket1/policy",
        "the cassette recorded this PUT with an empty body; ECS requires a policy with Statement",
    ),
];

/// The policy PUT by stubs that recorded no body (the broker's default bucket policy).
const BROKER_POLICY: &str = r#"{"Version":"2012-10-17","Id":"DefaultPCFBucketPolicy","Statement":[{"Sid":"ecs-cf-broker-sid-user","Effect":"Allow","Action":["s3:*"],"Resource":["testbucket4"],"Principal":"testuser3"}]}"#;

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures")
}

/// One request/response pair to replay.
#[derive(Clone, Debug)]
struct Exchange {
    name: String,
    method: Method,
    path: String,
    accept: Option<String>,
    content_type: Option<String>,
    body: Option<String>,
    status: u16,
    response: String,
}

/// A WireMock stub with its scenario.
#[derive(Clone, Debug)]
struct Stub {
    exchange: Exchange,
    scenario: Option<String>,
    required: Option<String>,
    new_state: Option<String>,
}

fn header(request: &Value, name: &str) -> Option<String> {
    request["headers"][name]["equalTo"]
        .as_str()
        .map(str::to_owned)
}

fn stub(name: &str, mapping: &Value) -> Stub {
    let request = &mapping["request"];
    let response = &mapping["response"];
    let (content_type, body) = match request["bodyPatterns"][0]
        .as_object()
        .and_then(|p| p.iter().next())
    {
        Some((kind, value)) if kind == "equalToXml" => (
            Some("application/xml".to_owned()),
            value.as_str().map(str::to_owned),
        ),
        Some((kind, value)) if kind == "equalToJson" => (
            Some("application/json".to_owned()),
            value.as_str().map(str::to_owned),
        ),
        _ => (header(request, "Content-Type"), None),
    };
    let status = match &response["status"] {
        Value::String(text) => text.parse().expect("status"),
        other => other.as_u64().expect("status") as u16,
    };
    Stub {
        exchange: Exchange {
            name: name.to_owned(),
            method: request["method"]
                .as_str()
                .expect("method")
                .parse()
                .expect("method"),
            path: request["url"].as_str().expect("url").to_owned(),
            accept: header(request, "Accept"),
            content_type,
            body,
            status,
            response: response["body"].as_str().unwrap_or("").to_owned(),
        },
        scenario: mapping["scenarioName"].as_str().map(str::to_owned),
        required: mapping["requiredScenarioState"].as_str().map(str::to_owned),
        new_state: mapping["newScenarioState"].as_str().map(str::to_owned),
    }
}

fn load_stubs() -> Vec<Stub> {
    let dir = shared().join("ecs-cf-service-broker");
    let mut stubs = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    for path in files {
        let name = path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .trim_start_matches("mappings__")
            .to_owned();
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        match doc.get("mappings").and_then(Value::as_array) {
            Some(mappings) => stubs.extend(
                mappings
                    .iter()
                    .enumerate()
                    .map(|(i, m)| stub(&format!("{name}#{i}"), m)),
            ),
            None => stubs.push(stub(&name, &doc)),
        }
    }
    stubs
}

/// Every element name of an XML document, or every key of a JSON document.
fn names(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed == "null" {
        return out;
    }
    if trimmed.starts_with('<') {
        let mut reader = quick_xml::Reader::from_str(trimmed);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Start(e)) | Ok(quick_xml::events::Event::Empty(e)) => {
                    out.insert(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                }
                Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
    } else if let Ok(json) = serde_json::from_str::<Value>(trimmed) {
        fn walk(value: &Value, out: &mut BTreeSet<String>) {
            match value {
                Value::Object(map) => {
                    for (key, inner) in map {
                        out.insert(key.clone());
                        walk(inner, out);
                    }
                }
                Value::Array(items) => items.iter().for_each(|item| walk(item, out)),
                _ => {}
            }
        }
        walk(&json, &mut out);
    }
    out
}

/// The root element of an XML document (empty for JSON).
fn root(text: &str) -> String {
    let mut reader = quick_xml::Reader::from_str(text.trim());
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) | Ok(quick_xml::events::Event::Empty(e)) => {
                return String::from_utf8_lossy(e.name().as_ref()).into_owned();
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return String::new(),
            _ => {}
        }
    }
}

/// Recorded names missing from the emulator's answer, after the documented renames.
fn missing(recorded: &str, ours: &str) -> Vec<String> {
    let context = root(recorded);
    let ours = names(ours);
    names(recorded)
        .into_iter()
        .filter(|name| {
            match RENAMED
                .iter()
                .find(|(at, old, _)| *at == context && old == name)
            {
                Some((_, _, "")) => false,
                Some((_, _, new)) => !ours.contains(*new) && !ours.contains(name),
                None => !ours.contains(name),
            }
        })
        .collect()
}

async fn send(http: &Client, base: &str, token: &str, exchange: &Exchange) -> (u16, String) {
    let mut request = http
        .request(exchange.method.clone(), format!("{base}{}", exchange.path))
        .header("X-SDS-AUTH-TOKEN", token);
    if exchange.path == "/login" {
        request = http
            .get(format!("{base}/login"))
            .basic_auth("root", Some("ChangeMe"));
    }
    if let Some(accept) = &exchange.accept {
        request = request.header("Accept", accept);
    }
    if let Some(content_type) = &exchange.content_type {
        request = request.header("Content-Type", content_type);
    }
    if let Some(body) = &exchange.body {
        request = request.body(body.clone());
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", exchange.name));
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// The stubs to replay before `target`: the chain of its scenario that reaches its required state.
fn prerequisites<'a>(stubs: &'a [Stub], target: &Stub) -> Vec<&'a Stub> {
    let mut chain = Vec::new();
    let mut wanted = target.required.clone();
    for _ in 0..8 {
        let Some(state) = wanted.take().filter(|s| s != "Started") else {
            break;
        };
        let step = stubs
            .iter()
            .filter(|s| {
                s.scenario == target.scenario && s.new_state.as_deref() == Some(state.as_str())
            })
            .filter(|s| s.exchange.method != Method::GET)
            .min_by_key(|s| s.required.as_deref() != Some("Started"));
        match step {
            Some(step) => {
                chain.push(step);
                wanted = step.required.clone();
            }
            None => break,
        }
    }
    chain.reverse();
    chain
}

/// The broker's world: root, replication group rg1 with the recorded URN, namespace ns1
/// (absent for the namespace scenario, which creates it).
fn cfsb_seed(with_ns1: bool) -> Seed {
    let mut seed =
        Seed::empty().with_mgmt_user("root", "ChangeMe", &[ecs_sim::Role::SystemAdmin], None);
    seed.replication_groups.push(ecs_sim::ReplicationGroupSeed {
        name: "rg1".into(),
        id: Some(
            "urn:storageos:ReplicationGroupInfo:2ef0a92d-cf88-4933-90ba-90245aa031b1:global".into(),
        ),
    });
    if with_ns1 {
        seed = seed.with_namespace("ns1", "rg1");
    }
    seed
}

#[tokio::test]
async fn broker_stubs_replay_with_matching_status_and_names() {
    let stubs = load_stubs();
    let http = Client::new();
    let mut replayed = Vec::new();
    let mut failures = Vec::new();
    for target in &stubs {
        if let Some((_, reason)) = SKIP_CFSB
            .iter()
            .find(|(prefix, _)| target.exchange.name.starts_with(prefix))
        {
            println!("skip {}: {reason}", target.exchange.name);
            continue;
        }
        let creates_namespace = stubs.iter().any(|s| {
            s.scenario.is_some()
                && s.scenario == target.scenario
                && s.exchange.path == "/object/namespaces/namespace"
        });
        let sim = Sim::builder()
            .seed(cfsb_seed(!creates_namespace))
            .start()
            .await
            .unwrap();
        let base = sim.mgmt_url();
        let token = common::login(&http, &base, "root", "ChangeMe").await;
        let mut steps = prerequisites(&stubs, target);
        if target.scenario.is_none()
            && let Some(bucket) = target
                .exchange
                .path
                .strip_prefix("/object/bucket/")
                .and_then(|rest| rest.split('/').next())
        {
            // Stubs outside any scenario still address an existing bucket: create it first.
            let create = format!("bucket-create-{bucket}");
            steps.extend(stubs.iter().filter(|s| s.exchange.name == create));
        }
        for step in steps {
            let mut exchange = step.exchange.clone();
            if exchange.body.is_none() && exchange.path.ends_with("/policy?namespace=ns1") {
                exchange.body = Some(BROKER_POLICY.into());
            }
            let (status, body) = send(&http, &base, &token, &exchange).await;
            assert!(
                status < 300,
                "{}: prerequisite {} answered {status}: {body}",
                target.exchange.name,
                step.exchange.name
            );
        }
        let mut exchange = target.exchange.clone();
        if exchange.body.is_none()
            && exchange.method == Method::PUT
            && exchange.path.contains("/policy")
        {
            exchange.body = Some(BROKER_POLICY.into());
        }
        let (status, body) = send(&http, &base, &token, &exchange).await;
        let lost = missing(&exchange.response, &body);
        if status != exchange.status || !lost.is_empty() {
            failures.push(format!(
                "{}: status {status} (recorded {}), missing names {lost:?}\n  ours: {body}",
                exchange.name, exchange.status
            ));
        }
        replayed.push(exchange.name.clone());
        sim.shutdown().await;
    }
    assert!(
        failures.is_empty(),
        "{} of {} broker stubs differ:\n{}",
        failures.len(),
        replayed.len(),
        failures.join("\n")
    );
    assert!(
        replayed.len() >= 70,
        "replayed {} broker stubs",
        replayed.len()
    );
}

fn cassette(path: &Path) -> Vec<Exchange> {
    let doc: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let interactions = doc["interactions"]
        .as_sequence()
        .cloned()
        .unwrap_or_default();
    interactions
        .iter()
        .enumerate()
        .map(|(i, interaction)| {
            let request = &interaction["request"];
            let response = &interaction["response"];
            let url = request["url"].as_str().unwrap_or_default();
            let path = url
                .splitn(4, '/')
                .nth(3)
                .map(|rest| format!("/{rest}"))
                .unwrap_or_default();
            let first = |headers: &serde_yaml::Value, name: &str| {
                headers[name][0].as_str().map(str::to_owned)
            };
            let body = request["body"]
                .as_str()
                .filter(|b| !b.is_empty())
                .map(str::to_owned);
            Exchange {
                name: format!(
                    "{}#{i} {} {path}",
                    path_name(path.as_str()),
                    request["method"].as_str().unwrap_or("GET")
                ),
                method: request["method"].as_str().unwrap_or("GET").parse().unwrap(),
                path,
                accept: first(&request["headers"], "Accept"),
                content_type: first(&request["headers"], "Content-Type"),
                body,
                status: response["code"].as_u64().unwrap_or(0) as u16,
                response: response["body"].as_str().unwrap_or("").to_owned(),
            }
        })
        .collect()
}

/// The cassettes record independent tests in one file; give each interaction the state its test
/// had: `testbucket1` exists for calls on it, is absent before its creation, and a recorded
/// policy is in place before it is read back.
async fn vcr_preconditions(http: &Client, base: &str, token: &str, exchange: &Exchange) {
    let namespace = "130820808912778549";
    let call = |method: Method, path: String, body: Option<String>| {
        let mut request = http
            .request(method, format!("{base}{path}"))
            .header("X-SDS-AUTH-TOKEN", token);
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body);
        }
        request.send()
    };
    let bucket = exchange
        .path
        .strip_prefix("/object/bucket/")
        .and_then(|rest| rest.split(['/', '?']).next());
    if exchange.path == "/object/bucket" && exchange.method == Method::POST {
        call(
            Method::POST,
            format!("/object/bucket/testbucket1/deactivate?namespace={namespace}"),
            None,
        )
        .await
        .unwrap();
    } else if let Some(bucket) = bucket.filter(|b| *b == "testbucket1") {
        let body = format!(r#"{{"name":"{bucket}","namespace":"{namespace}"}}"#);
        call(Method::POST, "/object/bucket".into(), Some(body))
            .await
            .unwrap();
        if exchange.method == Method::GET
            && exchange.path.contains("/policy")
            && !exchange.response.is_empty()
        {
            let path = format!("/object/bucket/{bucket}/policy?namespace={namespace}");
            let response = call(Method::PUT, path, Some(exchange.response.clone()))
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "policy precondition");
        }
    }
}

fn path_name(path: &str) -> String {
    path.split('?').next().unwrap_or(path).to_owned()
}

/// The recorded ObjectScale world: namespace `130820808912778549` holding bucket `Files`, and
/// the object users of the recorded listing (namespace `small-operator-acceptance`).
fn vcr_seed(users: &[(String, String)]) -> Seed {
    let mut seed = Seed::default();
    seed.replication_groups.push(ecs_sim::ReplicationGroupSeed {
        name: "rg-recorded".into(),
        id: Some(
            "urn:storageos:ReplicationGroupInfo:104b3728-fba1-41b3-8055-4592348f1d24:global".into(),
        ),
    });
    // The recorded account logs in as its namespace's id and owns that namespace.
    seed = seed
        .with_namespace("130820808912778549", "rg-recorded")
        .with_mgmt_user(
            "130820808912778549",
            "pw",
            &[ecs_sim::Role::SystemAdmin],
            Some("130820808912778549"),
        );
    for (uid, namespace) in users {
        if seed.namespaces.iter().all(|ns| &ns.name != namespace) {
            seed = seed.with_namespace(namespace, "rg1");
        }
        seed = seed.with_object_user(
            uid,
            namespace,
            Some("cmowa2dxeXZrM2U1NWptdHdrdTB6a3B4YnRub3RwZHY="),
        );
    }
    seed
}

#[tokio::test]
async fn objectscale_cassettes_replay_their_ecs_interactions() {
    let http = Client::new();
    let mut failures = Vec::new();
    let mut replayed = 0;
    for file in VCR_CASSETTES {
        let exchanges = cassette(&shared().join("goobjectscale").join(file));
        let users: Vec<(String, String)> = exchanges
            .iter()
            .filter(|e| e.path == "/object/users" && e.method == Method::GET)
            .flat_map(|e| serde_json::from_str::<Value>(&e.response).ok())
            .flat_map(|list| list["blobuser"].as_array().cloned().unwrap_or_default())
            .map(|u| {
                (
                    u["userid"].as_str().unwrap().to_owned(),
                    u["namespace"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let sim = Sim::builder().seed(vcr_seed(&users)).start().await.unwrap();
        let base = sim.mgmt_url();
        let token = common::login(&http, &base, "130820808912778549", "pw").await;
        let create = http
            .post(format!("{base}/object/bucket"))
            .header("X-SDS-AUTH-TOKEN", &token)
            .header("Content-Type", "application/json")
            .body(r#"{"name":"Files","namespace":"130820808912778549"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(create.status(), 200);
        for exchange in exchanges {
            if let Some((_, reason)) = SKIP_VCR
                .iter()
                .find(|(fragment, _)| exchange.path.contains(fragment))
            {
                println!("skip {} {}: {reason}", file, exchange.name);
                continue;
            }
            let key = format!("{} {}", exchange.method, exchange.path);
            if let Some((_, reason)) = SKIP_VCR_EXACT.iter().find(|(exact, _)| *exact == key) {
                println!("skip {file} {}: {reason}", exchange.name);
                continue;
            }
            vcr_preconditions(&http, &base, &token, &exchange).await;
            let (status, body) = send(&http, &base, &token, &exchange).await;
            let lost = missing(&exchange.response, &body);
            if status != exchange.status || !lost.is_empty() {
                failures.push(format!(
                    "{file} {}: status {status} (recorded {}), missing {lost:?}\n  ours: {body}",
                    exchange.name, exchange.status
                ));
            }
            replayed += 1;
        }
        sim.shutdown().await;
    }
    assert!(
        failures.is_empty(),
        "{} interactions differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(replayed >= 15, "replayed {replayed} interactions");
}
