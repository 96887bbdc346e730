//! The `--smoke` scenario: starts an emulator on free ports and drives its management API over
//! real HTTP, printing each step; `cargo xtask demo` runs it until the real demo exists.

use std::io::Write;

use ecs_common::{Error, ErrorKind, Result};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use crate::Sim;

/// One HTTP exchange of the scenario.
struct Step<'a> {
    what: &'a str,
    method: Method,
    path: &'a str,
    body: Option<Value>,
    expect: StatusCode,
}

/// A logged-in JSON client for the scenario.
struct Driver<'w, W: Write> {
    http: Client,
    base: String,
    token: String,
    out: &'w mut W,
    count: usize,
}

fn failed(message: String) -> Error {
    Error::new(ErrorKind::Protocol, message)
}

impl<W: Write> Driver<'_, W> {
    async fn run(&mut self, step: Step<'_>) -> Result<Value> {
        self.count += 1;
        let mut request = self
            .http
            .request(step.method.clone(), format!("{}{}", self.base, step.path))
            .header("X-SDS-AUTH-TOKEN", &self.token)
            .header("Accept", "application/json");
        if let Some(body) = &step.body {
            request = request
                .header("Content-Type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().await.map_err(|error| {
            Error::new(ErrorKind::Connect, format!("{}: request failed", step.what))
                .with_source(error)
        })?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        let line = format!(
            "step {:>2}: {:<44} {} {} -> {}",
            self.count,
            step.what,
            step.method,
            step.path,
            status.as_u16()
        );
        let _ = writeln!(self.out, "{line}");
        if status != step.expect {
            return Err(failed(format!(
                "{}: expected {}, got {status}: {text}",
                step.what, step.expect
            )));
        }
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

fn check(condition: bool, what: &str) -> Result<()> {
    if condition {
        Ok(())
    } else {
        Err(failed(format!("check failed: {what}")))
    }
}

/// Runs the scenario against a fresh emulator, writing one line per step to `out`.
pub async fn run(out: &mut impl Write) -> Result<()> {
    let sim = Sim::builder().control(true).start().await?;
    let result = scenario(&sim, out).await;
    sim.shutdown().await;
    match &result {
        Ok(()) => {
            let _ = writeln!(out, "smoke: all steps passed");
        }
        Err(error) => {
            let _ = writeln!(out, "smoke: FAILED: {error}");
        }
    }
    result
}

async fn scenario(sim: &Sim, out: &mut impl Write) -> Result<()> {
    let http = Client::new();
    let base = sim.mgmt_url();
    let _ = writeln!(out, "ecs-sim smoke scenario against {base}");
    let response = http
        .get(format!("{base}/login"))
        .basic_auth("root", Some("ChangeMe"))
        .send()
        .await
        .map_err(|error| Error::new(ErrorKind::Connect, "login failed").with_source(error))?;
    let token = response
        .headers()
        .get("X-SDS-AUTH-TOKEN")
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| failed(format!("login: no token (status {})", response.status())))?
        .to_owned();
    let _ = writeln!(out, "step  0: {:<44} GET /login -> 200", "log in as root");
    let mut driver = Driver {
        http,
        base,
        token,
        out,
        count: 0,
    };
    let ok = StatusCode::OK;
    let bad = StatusCode::BAD_REQUEST;

    let whoami = driver
        .run(Step {
            what: "who am I",
            method: Method::GET,
            path: "/user/whoami",
            body: None,
            expect: ok,
        })
        .await?;
    check(
        whoami["roles"] == json!(["SYSTEM_ADMIN"]),
        "root is SYSTEM_ADMIN",
    )?;
    let groups = driver
        .run(Step {
            what: "list replication groups",
            method: Method::GET,
            path: "/vdc/data-service/vpools",
            body: None,
            expect: ok,
        })
        .await?;
    check(
        groups["data_service_vpool"][0]["name"] == "rg1",
        "rg1 exists",
    )?;
    driver
        .run(Step {
            what: "create object user smoke-user",
            method: Method::POST,
            path: "/object/users",
            body: Some(json!({"user": "smoke-user", "namespace": "ns1"})),
            expect: ok,
        })
        .await?;
    driver
        .run(Step {
            what: "create the same user again (refused)",
            method: Method::POST,
            path: "/object/users",
            body: Some(json!({"user": "smoke-user", "namespace": "ns1"})),
            expect: bad,
        })
        .await?;
    let key = driver
        .run(Step {
            what: "create a secret key",
            method: Method::POST,
            path: "/object/user-secret-keys/smoke-user",
            body: Some(json!({"namespace": "ns1"})),
            expect: ok,
        })
        .await?;
    let keys = driver
        .run(Step {
            what: "read the keys back",
            method: Method::GET,
            path: "/object/user-secret-keys/smoke-user",
            body: None,
            expect: ok,
        })
        .await?;
    check(
        keys["secret_key_1"] == key["secret_key"],
        "key 1 is the new key",
    )?;
    driver
        .run(Step {
            what: "create bucket smoke-bucket (2 GB quota)",
            method: Method::POST,
            path: "/object/bucket",
            body: Some(
                json!({"name": "smoke-bucket", "namespace": "ns1", "owner": "smoke-user",
                              "blockSize": 2, "notificationSize": 1, "head_type": "s3"}),
            ),
            expect: ok,
        })
        .await?;
    let info = driver
        .run(Step {
            what: "bucket info",
            method: Method::GET,
            path: "/object/bucket/smoke-bucket/info?namespace=ns1",
            body: None,
            expect: ok,
        })
        .await?;
    check(
        info["owner"] == "smoke-user" && info["block_size"] == 2,
        "owner and quota",
    )?;
    driver
        .run(Step {
            what: "raise the quota to 10 GB",
            method: Method::PUT,
            path: "/object/bucket/smoke-bucket/quota",
            body: Some(json!({"blockSize": 10, "notificationSize": 8, "namespace": "ns1"})),
            expect: ok,
        })
        .await?;
    driver
        .run(Step {
            what: "set a public-read policy",
            method: Method::PUT,
            path: "/object/bucket/smoke-bucket/policy?namespace=ns1",
            body: Some(json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                              "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::smoke-bucket/*"]}]})),
            expect: ok,
        })
        .await?;
    driver
        .run(Step {
            what: "enable versioning",
            method: Method::PUT,
            path: "/object/bucket/smoke-bucket/versioning?namespace=ns1",
            body: Some(json!({"Status": "Enabled"})),
            expect: ok,
        })
        .await?;
    sim.control()
        .set_bucket_usage("ns1", "smoke-bucket", 4096, 3);
    let _ = writeln!(
        driver.out,
        "          (test hook: smoke-bucket now holds 3 objects, 4096 bytes)"
    );
    let billing = driver
        .run(Step {
            what: "billing in bytes",
            method: Method::GET,
            path: "/object/billing/buckets/ns1/smoke-bucket/info?sizeunit=BYTE",
            body: None,
            expect: ok,
        })
        .await?;
    check(
        billing["total_size"] == 4096 && billing["total_objects"] == 3,
        "billing reflects usage",
    )?;
    driver
        .run(Step {
            what: "delete the non-empty bucket (refused)",
            method: Method::POST,
            path: "/object/bucket/smoke-bucket/deactivate?namespace=ns1",
            body: None,
            expect: bad,
        })
        .await?;
    driver
        .run(Step {
            what: "delete it with emptyBucket=true",
            method: Method::POST,
            path: "/object/bucket/smoke-bucket/deactivate?namespace=ns1&emptyBucket=true",
            body: None,
            expect: StatusCode::ACCEPTED,
        })
        .await?;
    let status = driver
        .run(Step {
            what: "empty-bucket status",
            method: Method::GET,
            path: "/object/bucket/smoke-bucket/empty-bucket-status?namespace=ns1",
            body: None,
            expect: ok,
        })
        .await?;
    check(status["status"] == "DONE", "emptying finished")?;
    driver
        .run(Step {
            what: "the bucket is gone",
            method: Method::GET,
            path: "/object/bucket/smoke-bucket/info?namespace=ns1",
            body: None,
            expect: bad,
        })
        .await?;
    driver
        .run(Step {
            what: "delete the object user",
            method: Method::POST,
            path: "/object/users/deactivate",
            body: Some(json!({"user": "smoke-user", "namespace": "ns1"})),
            expect: ok,
        })
        .await?;
    driver
        .run(Step {
            what: "log out",
            method: Method::GET,
            path: "/logout",
            body: None,
            expect: ok,
        })
        .await?;
    let logged = sim.control().request_log().len();
    let _ = writeln!(
        driver.out,
        "          (request log: {logged} management requests)"
    );
    check(logged == driver.count + 1, "every request was logged")
}
