//! The bare HTTP side: a `reqwest` loop that sends the very requests the driver sent (read back
//! from the emulator's request log) with one token, and scenario 3, which compares the two.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use ecs_driver::{BucketSpec, PolicySpec};
use futures::StreamExt;
use reqwest::Method;
use serde_json::json;

use crate::report::{Better, Row, Scenario};
use crate::sim::Record;
use crate::{Bench, NAMESPACE};

/// One request of a bucket's creation, with the bucket name taken out of the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Step {
    method: String,
    /// The path after `/object/bucket/{name}` (empty for the creation itself).
    suffix: String,
    query: String,
}

/// The creation sequences of the buckets in `log`, by bucket name, and the requests that
/// name no bucket (looked up by account, for instance).
///
/// `POST /object/bucket` carries the name in its body, not its path: it is counted as the
/// first step of the next bucket that appears, which holds for the driver, which sends it first.
pub(crate) fn sequences(log: &[Record]) -> (BTreeMap<String, Vec<Step>>, Vec<Record>) {
    let mut buckets: BTreeMap<String, Vec<Step>> = BTreeMap::new();
    let mut others = Vec::new();
    let mut creates = 0usize;
    for record in log.iter().filter(|record| record.api == "mgmt") {
        if record.method == "POST" && record.path == "/object/bucket" {
            creates += 1;
            continue;
        }
        match record.path.strip_prefix("/object/bucket/") {
            Some(rest) if rest.contains('/') => {
                let (name, suffix) = rest.split_once('/').unwrap_or((rest, ""));
                buckets.entry(name.to_owned()).or_default().push(Step {
                    method: record.method.clone(),
                    suffix: format!("/{suffix}"),
                    query: record.query.clone(),
                });
            }
            _ => others.push(record.clone()),
        }
    }
    assert!(
        creates == buckets.len(),
        "{creates} creations for {} buckets in the log",
        buckets.len()
    );
    for steps in buckets.values_mut() {
        steps.insert(
            0,
            Step {
                method: "POST".to_owned(),
                suffix: String::new(),
                query: String::new(),
            },
        );
    }
    (buckets, others)
}

/// The one sequence every bucket of `log` was created with (they must agree).
pub(crate) fn common_sequence(buckets: &BTreeMap<String, Vec<Step>>) -> Vec<Step> {
    let mut shapes = buckets.values();
    let first = shapes.next().expect("at least one bucket").clone();
    assert!(
        shapes.all(|steps| *steps == first),
        "the buckets were created with different request sequences"
    );
    first
}

/// What the bodies of a creation are built from.
#[derive(Clone, Debug)]
pub(crate) struct Bodies {
    pub(crate) namespace: String,
    pub(crate) owner: String,
    pub(crate) vpool: Option<String>,
    pub(crate) quota_gib: u64,
    /// The public-read policy for `{bucket}`.
    pub(crate) policy_template: String,
}

impl Bodies {
    fn body(&self, step: &Step, bucket: &str) -> Option<String> {
        match (step.method.as_str(), step.suffix.as_str()) {
            ("GET" | "DELETE", _) => None,
            ("POST", "") => Some(
                json!({
                    "name": bucket,
                    "namespace": self.namespace,
                    "head_type": "s3",
                    "owner": self.owner,
                    "vpool": self.vpool,
                    "is_encryption_enabled": true,
                    "block_size": self.quota_gib,
                    "notification_size": self.quota_gib,
                })
                .to_string(),
            ),
            ("PUT", "/versioning") => Some(json!({ "Status": "Enabled" }).to_string()),
            ("PUT", "/policy") => Some(self.policy_template.replace("{bucket}", bucket)),
            ("PUT", "/quota") => Some(
                json!({
                    "blockSize": self.quota_gib,
                    "notificationSize": self.quota_gib,
                    "namespace": self.namespace,
                })
                .to_string(),
            ),
            (method, suffix) => {
                panic!("no body known for {method} /object/bucket/{{name}}{suffix}")
            }
        }
    }
}

/// A bare HTTP client with one management token.
pub(crate) struct Raw {
    http: reqwest::Client,
    url: String,
    token: String,
}

impl Raw {
    pub(crate) async fn login(url: &str) -> Raw {
        let http = reqwest::Client::new();
        let response = http
            .get(format!("{url}/login"))
            .basic_auth("root", Some("ChangeMe"))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("login");
        let token = response
            .headers()
            .get("x-sds-auth-token")
            .and_then(|value| value.to_str().ok())
            .expect("a token")
            .to_owned();
        Raw {
            http,
            url: url.to_owned(),
            token,
        }
    }

    /// Sends one request; returns whether it succeeded.
    pub(crate) async fn send(
        &self,
        method: &str,
        path_and_query: &str,
        body: Option<String>,
    ) -> bool {
        let method = Method::from_bytes(method.as_bytes()).expect("an HTTP method");
        let mut request = self
            .http
            .request(method, format!("{}{path_and_query}", self.url))
            .header("x-sds-auth-token", &self.token)
            .header("accept", "application/json");
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        match request.send().await {
            Ok(response) => {
                let ok = response.status().is_success();
                ok && response.bytes().await.is_ok()
            }
            Err(_) => false,
        }
    }

    /// Creates every bucket of `names` with `sequence`, `tasks` buckets at a time, each
    /// bucket's requests in order; returns the seconds and the failed requests.
    pub(crate) async fn create_all(
        self: &Arc<Self>,
        names: Vec<String>,
        sequence: &[Step],
        bodies: &Bodies,
        tasks: usize,
    ) -> (f64, usize) {
        let start = Instant::now();
        let failures: usize = futures::stream::iter(names)
            .map(|name| async move {
                let mut failed = 0;
                for step in sequence {
                    let mut path = if step.suffix.is_empty() {
                        "/object/bucket".to_owned()
                    } else {
                        format!("/object/bucket/{name}{}", step.suffix)
                    };
                    if !step.query.is_empty() {
                        path.push('?');
                        path.push_str(&step.query);
                    }
                    if !self
                        .send(&step.method, &path, bodies.body(step, &name))
                        .await
                    {
                        failed += 1;
                    }
                }
                failed
            })
            .buffer_unordered(tasks)
            .fold(0, |sum, failed| async move { sum + failed })
            .await;
        (start.elapsed().as_secs_f64(), failures)
    }

    /// Sends the logged requests that name no bucket again (reads only).
    pub(crate) async fn replay_reads(&self, records: &[Record]) -> usize {
        let mut failed = 0;
        for record in records {
            assert_eq!(record.method, "GET", "only reads are replayed: {record:?}");
            let mut path = record.path.clone();
            if !record.query.is_empty() {
                path.push('?');
                path.push_str(&record.query);
            }
            if !self.send("GET", &path, None).await {
                failed += 1;
            }
        }
        failed
    }
}

/// The bodies for buckets created by the driver in `namespace`: owner, replication group and
/// policy read back from one of them.
pub(crate) async fn bodies_like(
    bench: &Bench,
    namespace: &str,
    bucket: &str,
    quota_gib: u64,
) -> Bodies {
    let client = bench.client();
    let info = client
        .buckets()
        .info(bucket, namespace)
        .await
        .expect("bucket info");
    let policy = client
        .buckets()
        .policy(bucket, namespace)
        .await
        .expect("policy")
        .unwrap_or_default();
    client.close().await;
    Bodies {
        namespace: namespace.to_owned(),
        owner: info.owner.expect("the bucket has an owner"),
        vpool: info.vpool,
        quota_gib,
        policy_template: policy.replace(bucket, "{bucket}"),
    }
}

/// Scenario 3: the driver's bucket creation (quota, encryption, versioning, public policy)
/// against the same requests sent by a bare `reqwest` loop.
pub(crate) async fn driver_overhead(bench: &Bench) -> Scenario {
    let count = bench.sizes.creates;
    let store = bench.store(NAMESPACE);
    let account = "3c1d9a77-3333-4c39-9c1b-2d5f3e4a5b6c";
    let credentials = store
        .ensure_account_user(account, None)
        .await
        .expect("account user");
    let spec = |name: String| BucketSpec {
        credentials: Some(credentials.clone()),
        quota_gib: Some(5),
        encryption: true,
        versioning: true,
        policy: Some(PolicySpec::Public),
        ..BucketSpec::new(name, account)
    };
    // Warm-up: the store learns the replication group and the ECS release once.
    store
        .create_bucket(&spec("s3w-00000".to_owned()))
        .await
        .expect("warm-up create");
    bench.sim.clear_log().await;
    let start = Instant::now();
    for n in 0..count {
        store
            .create_bucket(&spec(format!("s3d-{n:05}")))
            .await
            .expect("create");
    }
    let driver_s = start.elapsed().as_secs_f64();
    store.close().await;
    let log = bench.sim.log().await;
    let driver_requests = log.len() as u64;
    let (buckets, others) = sequences(&log);
    let sequence = common_sequence(&buckets);
    let bodies = bodies_like(bench, NAMESPACE, "s3d-00000", 5).await;

    let raw = Arc::new(Raw::login(&bench.sim.mgmt_url()).await);
    bench.sim.clear_log().await;
    let names = (0..count).map(|n| format!("s3r-{n:05}")).collect();
    let (raw_s, failures) = raw.create_all(names, &sequence, &bodies, 1).await;
    let raw_log = bench.sim.log().await;
    bench.sim.clear_log().await;
    assert_eq!(failures, 0, "the bare loop's requests all succeeded");
    let (raw_buckets, _) = sequences(&raw_log);
    assert_eq!(
        common_sequence(&raw_buckets),
        sequence,
        "the bare loop sent the driver's requests"
    );
    let per = |seconds: f64| seconds * 1e6 / count as f64;
    let shape: Vec<String> = sequence
        .iter()
        .map(|step| {
            format!(
                "{} {}",
                step.method,
                if step.suffix.is_empty() {
                    "/object/bucket"
                } else {
                    &step.suffix
                }
            )
        })
        .collect();
    let rows = vec![
        Row::versus(
            format!("create a bucket ({} requests), x{count}", sequence.len()),
            per(driver_s),
            per(raw_s),
            "bare reqwest loop, same requests",
            "us/bucket",
            Better::Lower,
        )
        .requests(Some(driver_requests), Some(raw_log.len() as u64))
        .note(format!(
            "requests per bucket: {}; {} other request(s) from the driver",
            shape.join(", "),
            others.len()
        )),
    ];
    let overhead = driver_s / raw_s;
    let finding = format!(
        "the driver takes {overhead:.2}x the bare loop's time for the same {} requests per bucket",
        sequence.len()
    );
    Scenario::new(
        3,
        "Driver overhead: ecs-driver vs a bare reqwest loop",
        "peers",
        "<= 1.15x the bare loop's time",
        rows,
        0,
    )
    .judged(Some(overhead <= 1.15), finding)
}
