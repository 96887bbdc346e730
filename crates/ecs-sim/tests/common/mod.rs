//! Helpers shared by the integration tests: a started emulator and a logged-in reqwest client
//! ([`Env`]), one-line requests ([`Env::call`]: `env.call(Method::PUT, path).json(body)
//! .status().await`), and fixtures (object users, buckets) built through the management API.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use ecs_sim::Sim;
use reqwest::{Client, Method, RequestBuilder, Response};
use serde_json::{Value, json};

/// The wire format a test speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fmt {
    Xml,
    Json,
}

impl Fmt {
    pub fn both() -> [Fmt; 2] {
        [Fmt::Xml, Fmt::Json]
    }

    pub fn mime(self) -> &'static str {
        match self {
            Fmt::Xml => "application/xml",
            Fmt::Json => "application/json",
        }
    }
}

/// A started emulator plus a client holding a root token.
pub struct Env {
    pub sim: Sim,
    pub http: Client,
    pub token: String,
}

pub async fn start() -> Env {
    start_with(Sim::builder()).await
}

pub async fn start_with(builder: ecs_sim::SimBuilder) -> Env {
    let sim = builder.start().await.expect("emulator starts");
    let http = Client::builder().build().expect("client");
    let token = login(&http, &sim.mgmt_url(), "root", "ChangeMe").await;
    Env { sim, http, token }
}

pub async fn login(http: &Client, url: &str, user: &str, password: &str) -> String {
    let response = http
        .get(format!("{url}/login"))
        .basic_auth(user, Some(password))
        .send()
        .await
        .expect("login request");
    assert_eq!(response.status(), 200, "login as {user}");
    response.headers()["X-SDS-AUTH-TOKEN"]
        .to_str()
        .expect("token")
        .to_owned()
}

impl Env {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sim.mgmt_url())
    }

    /// A request with the root token and `Accept` for `fmt`.
    pub fn req(&self, method: Method, path: &str, fmt: Fmt) -> RequestBuilder {
        self.http
            .request(method, self.url(path))
            .header("X-SDS-AUTH-TOKEN", &self.token)
            .header("Accept", fmt.mime())
    }

    /// A request with a body in `fmt` (JSON value given; XML rendered by the caller as text).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        fmt: Fmt,
        body: Option<Body<'_>>,
    ) -> Response {
        let call = self.call(method, path).fmt(fmt);
        match body {
            Some(body) => call.body(body.json, body.xml).send().await,
            None => call.send().await,
        }
    }

    pub async fn stop(self) {
        self.sim.shutdown().await;
    }

    /// A request with the root token, JSON by default: add a body and a format, then send it
    /// and read the status ([`Call::status`]) or the status and body ([`Call::read`]).
    pub fn call(&self, method: Method, path: impl Into<String>) -> Call<'_> {
        Call {
            env: self,
            method,
            path: path.into(),
            fmt: Fmt::Json,
            body: None,
            token: None,
        }
    }

    /// `GET path` in `fmt`, read.
    pub async fn get(&self, path: &str, fmt: Fmt) -> (u16, Value) {
        self.call(Method::GET, path).fmt(fmt).read().await
    }

    /// Creates object user `uid` in `ns1` (no key); fails the test unless it answers 200.
    pub async fn user(&self, uid: &str) {
        self.call(Method::POST, "/object/users")
            .json(json!({"user": uid, "namespace": "ns1"}))
            .expect(200)
            .await;
    }

    /// Creates bucket `name` in `namespace` with `extra` settings (JSON); returns the answer.
    pub async fn bucket_in(&self, namespace: &str, name: &str, extra: Value) -> (u16, Value) {
        let mut payload = json!({"name": name, "namespace": namespace});
        if let (Some(map), Value::Object(more)) = (payload.as_object_mut(), extra) {
            map.extend(more);
        }
        self.call(Method::POST, "/object/bucket")
            .json(payload)
            .read()
            .await
    }
}

/// A request being built by [`Env::call`].
pub struct Call<'a> {
    env: &'a Env,
    method: Method,
    path: String,
    fmt: Fmt,
    body: Option<Body<'a>>,
    token: Option<&'a str>,
}

impl<'a> Call<'a> {
    /// Speak `fmt` (default JSON): `Accept`, and the body's `Content-Type`.
    pub fn fmt(mut self, fmt: Fmt) -> Self {
        self.fmt = fmt;
        self
    }

    /// A body in both formats (the one sent follows [`Call::fmt`]).
    pub fn body(mut self, json: Value, xml: &'a str) -> Self {
        self.body = Some(Body { json, xml });
        self
    }

    /// A JSON body.
    pub fn json(self, json: Value) -> Self {
        self.body(json, "")
    }

    /// An XML body, speaking XML.
    pub fn xml(self, xml: &'a str) -> Self {
        self.fmt(Fmt::Xml).body(Value::Null, xml)
    }

    /// Authenticates with `token` instead of root's.
    pub fn token(mut self, token: &'a str) -> Self {
        self.token = Some(token);
        self
    }

    /// Sends it.
    pub async fn send(self) -> Response {
        let mut request = self
            .env
            .http
            .request(self.method, self.env.url(&self.path))
            .header("X-SDS-AUTH-TOKEN", self.token.unwrap_or(&self.env.token))
            .header("Accept", self.fmt.mime());
        if let Some(body) = self.body {
            request = match self.fmt {
                Fmt::Json => request
                    .header("Content-Type", "application/json")
                    .body(body.json.to_string()),
                Fmt::Xml => request
                    .header("Content-Type", "application/xml")
                    .body(body.xml.to_owned()),
            };
        }
        request.send().await.expect("request sent")
    }

    /// Sends it and returns the status.
    pub async fn status(self) -> u16 {
        self.send().await.status().as_u16()
    }

    /// Sends it and reads the answer in its format.
    pub async fn read(self) -> (u16, Value) {
        let fmt = self.fmt;
        read(self.send().await, fmt).await
    }

    /// Sends it, fails the test unless it answers `status` with ECS error `code`, and returns
    /// the error document.
    pub async fn fails(self, status: u16, code: &str) -> Value {
        let what = format!("{} {}", self.method, self.path);
        let (got, error) = self.read().await;
        assert_eq!(
            (got, text(&error, "code")),
            (status, code.to_owned()),
            "{what}: {error}"
        );
        error
    }

    /// Sends it, fails the test unless it answers `status`, and returns the answer's body.
    pub async fn expect(self, status: u16) -> Value {
        let what = format!("{} {}", self.method, self.path);
        let (got, body) = self.read().await;
        assert_eq!(got, status, "{what}: {body}");
        body
    }
}

/// One request body in both formats.
pub struct Body<'a> {
    pub json: Value,
    pub xml: &'a str,
}

pub fn body<'a>(json: Value, xml: &'a str) -> Option<Body<'a>> {
    Some(Body { json, xml })
}

/// A response body read into JSON: JSON as is; XML converted to the same unwrapped shape
/// (repeated elements as arrays, leaves as strings).
pub async fn read(response: Response, fmt: Fmt) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    if text.trim().is_empty() {
        return (status, Value::Null);
    }
    match fmt {
        Fmt::Json => (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        ),
        Fmt::Xml => (status, xml_to_json(&text)),
    }
}

/// An element being read: name, children so far, text so far.
type OpenElement = (String, Vec<(String, Value)>, String);

/// Minimal XML → JSON for assertions (elements only; attributes of `link` become rel/href).
pub fn xml_to_json(text: &str) -> Value {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<OpenElement> = vec![("#doc".into(), Vec::new(), String::new())];
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                stack.push((name, Vec::new(), String::new()));
            }
            Event::Empty(empty) => {
                let name = String::from_utf8_lossy(empty.name().as_ref()).into_owned();
                let mut attrs = serde_json::Map::new();
                for attr in empty.attributes().flatten() {
                    let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
                    let value = attr.unescape_value().expect("attr").into_owned();
                    attrs.insert(key, Value::String(value));
                }
                let value = if attrs.is_empty() {
                    Value::String(String::new())
                } else {
                    Value::Object(attrs)
                };
                stack.last_mut().expect("parent").1.push((name, value));
            }
            Event::Text(t) => {
                let decoded = t.decode().expect("text");
                stack.last_mut().expect("parent").2.push_str(&decoded);
            }
            Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(&r).into_owned();
                let c = match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    _ => "'",
                };
                stack.last_mut().expect("parent").2.push_str(c);
            }
            Event::End(_) => {
                let (name, children, text) = stack.pop().expect("open element");
                let value = fold(children, text);
                stack.last_mut().expect("parent").1.push((name, value));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let (_, mut children, _) = stack.pop().expect("doc");
    let (_, root) = children.pop().expect("root element");
    root
}

fn fold(children: Vec<(String, Value)>, text: String) -> Value {
    if children.is_empty() {
        return Value::String(text);
    }
    let mut map = serde_json::Map::new();
    let mut counts = std::collections::HashMap::new();
    for (name, _) in &children {
        *counts.entry(name.clone()).or_insert(0) += 1;
    }
    for (name, value) in children {
        if counts[&name] > 1 {
            map.entry(name)
                .or_insert_with(|| Value::Array(Vec::new()))
                .as_array_mut()
                .expect("array")
                .push(value);
        } else {
            map.insert(name, value);
        }
    }
    Value::Object(map)
}

/// A field as text whatever the format gave (`"5"` or `5` or `true`).
pub fn text(value: &Value, key: &str) -> String {
    match &value[key] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Items of a repeated field: an array, one object, or nothing.
pub fn items(value: &Value, key: &str) -> Vec<Value> {
    match &value[key] {
        Value::Array(items) => items.clone(),
        Value::Null => Vec::new(),
        Value::String(s) if s.is_empty() => Vec::new(),
        other => vec![other.clone()],
    }
}

/// An `aws-sdk-s3` client for the emulator's S3 port: path style, real SigV4, and the SDK's
/// retries only when `retries` (a test of refusals wants each call sent once).
pub fn s3_client(sim: &Sim, access_key: &str, secret: &str, retries: bool) -> aws_sdk_s3::Client {
    use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
    let mut conf = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(sim.s3_url())
        .force_path_style(true)
        .credentials_provider(Credentials::new(access_key, secret, None, None, "test"));
    if !retries {
        conf = conf.retry_config(aws_sdk_s3::config::retry::RetryConfig::disabled());
    }
    aws_sdk_s3::Client::from_conf(conf.build())
}

/// The S3 error code of a failed `aws-sdk-s3` call (its debug form when it has none).
pub fn s3_code<E, R>(err: &aws_sdk_s3::error::SdkError<E, R>) -> String
where
    E: aws_sdk_s3::error::ProvideErrorMetadata + std::fmt::Debug,
    R: std::fmt::Debug,
{
    err.as_service_error()
        .and_then(|e| e.code())
        .map_or_else(|| format!("{err:?}"), str::to_owned)
}

/// The management API as the S3-side tests use it beside their own emulator: a root token
/// and JSON, any status answered ([`Mgmt::call`]) or asserted to be a success ([`Mgmt::ok`]).
pub struct Mgmt {
    http: Client,
    url: String,
    token: String,
}

impl Mgmt {
    pub async fn login(sim: &Sim) -> Mgmt {
        let http = Client::new();
        let url = sim.mgmt_url();
        let token = login(&http, &url, "root", "ChangeMe").await;
        Mgmt { http, url, token }
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.url))
            .header("X-SDS-AUTH-TOKEN", &self.token)
            .header("Accept", "application/json");
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().await.expect("mgmt request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("mgmt body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let (status, value) = self.call(method.clone(), path, body).await;
        assert!(status < 300, "{method} {path}: {status} {value}");
        value
    }
}
