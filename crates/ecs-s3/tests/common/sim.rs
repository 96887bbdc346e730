//! Starts `ecs-sim` and makes object users, keys and buckets through its management API over
//! HTTP, as the driver does against a real ECS.

use ecs_sim::Sim;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::{Value, json};

use super::User;

/// The seeded management user and namespace (`Seed::default()`).
const ADMIN: (&str, &str) = ("root", "ChangeMe");
pub const NAMESPACE: &str = "ns1";

/// A running emulator with a logged-in management session.
pub struct SimServer {
    pub sim: Sim,
    http: reqwest::Client,
    token: String,
}

impl SimServer {
    /// Starts the emulator (S3 over TLS when `tls`) and logs in to its management API.
    pub async fn start(tls: bool) -> SimServer {
        let sim = Sim::builder()
            .s3_tls(tls)
            .start()
            .await
            .expect("ecs-sim starts");
        let http = reqwest::Client::new();
        let login = http
            .get(format!("{}/login", sim.mgmt_url()))
            .basic_auth(ADMIN.0, Some(ADMIN.1))
            .send()
            .await
            .expect("login request");
        assert!(login.status().is_success(), "login: {}", login.status());
        let token = login
            .headers()
            .get("x-sds-auth-token")
            .expect("a token header")
            .to_str()
            .expect("an ASCII token")
            .to_owned();
        SimServer { sim, http, token }
    }

    /// Creates object user `uid` in `ns1` with a generated secret key.
    pub async fn user(&self, uid: &str) -> User {
        self.post(
            "/object/users",
            json!({ "user": uid, "namespace": NAMESPACE }),
        )
        .await;
        let key = self
            .post(
                &format!("/object/user-secret-keys/{uid}"),
                json!({ "namespace": NAMESPACE }),
            )
            .await;
        let secret = key["secret_key"]
            .as_str()
            .unwrap_or_else(|| panic!("no secret_key in {key}"));
        User {
            name: uid.to_owned(),
            access_key: uid.to_owned(),
            secret_key: secret.to_owned(),
        }
    }

    /// Creates bucket `name` in `ns1` owned by `owner`.
    pub async fn bucket(&self, owner: &User, name: &str) {
        self.bucket_with(owner, name, json!({})).await;
    }

    /// Creates bucket `name` with extra creation fields (`{"blockSize": 1}`).
    pub async fn bucket_with(&self, owner: &User, name: &str, extra: Value) {
        let mut body =
            json!({ "name": name, "namespace": NAMESPACE, "owner": owner.name, "head_type": "s3" });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        self.post("/object/bucket", body).await;
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let answer = self
            .http
            .post(format!("{}{path}", self.sim.mgmt_url()))
            .header("x-sds-auth-token", &self.token)
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap_or_else(|err| panic!("POST {path}: {err}"));
        let status = answer.status();
        let text = answer.text().await.unwrap_or_default();
        assert!(status.is_success(), "POST {path}: {status}: {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }
}
