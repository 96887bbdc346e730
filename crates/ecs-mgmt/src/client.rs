//! [`EcsMgmtClient`]: the session (login, single-flight token, one re-login and replay on 401,
//! logout on close and drop) and the one thin layer that sends requests, with bounded retries.
//! The `api` modules build requests; only this module and [`crate::transport`] do IO.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use ecs_common::{Error, ErrorKind, ExposeSecret, Result, SecretString};
use http::HeaderValue;
use serde::de::DeserializeOwned;

use crate::api;
use crate::builder::EcsMgmtClientBuilder;
use crate::error::{self, EcsErrorBody, Endpoint};
use crate::request::{ApiRequest, TOKEN_HEADER};
use crate::retry::{Backoff, Failure, RetryConfig, should_retry};
use crate::token::{Token, TokenCache, TokenPolicy};
use crate::transport::{self, Response, error_chain, header_text};
use crate::wire::{self, Format};

/// A client for one ECS management endpoint and one management user.
///
/// Cloning is cheap and every clone shares one connection pool, one session token and one set
/// of [`ClientStats`]. The token is obtained on first use, reused until it nears its end, and
/// released by [`close`](Self::close) (or, best effort, when the last clone is dropped).
#[derive(Clone)]
pub struct EcsMgmtClient {
    inner: Arc<Inner>,
}

/// What [`crate::EcsMgmtClientBuilder`] decided; fixed for the client's life.
pub(crate) struct Settings {
    pub(crate) http: reqwest::Client,
    pub(crate) base: String,
    pub(crate) username: String,
    pub(crate) password: SecretString,
    pub(crate) format: Format,
    pub(crate) override_header: bool,
    pub(crate) retry: RetryConfig,
    pub(crate) token_policy: TokenPolicy,
    pub(crate) empty_bucket_timeout: Duration,
    pub(crate) page_size: Option<u32>,
}

struct Inner {
    settings: Settings,
    tokens: TokenCache,
    generation: AtomicU64,
    counters: Counters,
    closed: AtomicBool,
}

/// Round trips and session events of a client (all clones together), for benchmarks, tests and
/// the driver's reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientStats {
    /// HTTP requests sent, every attempt counted, logins and logouts included.
    pub requests: u64,
    /// Successful `/login` calls.
    pub logins: u64,
    /// `/logout` calls.
    pub logouts: u64,
    /// Attempts repeated after a retryable failure.
    pub retries: u64,
    /// Requests replayed with a new token after ECS refused the old one.
    pub replays: u64,
}

#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    logins: AtomicU64,
    logouts: AtomicU64,
    retries: AtomicU64,
    replays: AtomicU64,
}

impl Counters {
    fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn snapshot(&self) -> ClientStats {
        ClientStats {
            requests: self.requests.load(Ordering::Relaxed),
            logins: self.logins.load(Ordering::Relaxed),
            logouts: self.logouts.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            replays: self.replays.load(Ordering::Relaxed),
        }
    }
}

/// How a request authenticates.
#[derive(Clone, Copy)]
enum Auth<'a> {
    /// HTTP Basic with the client's credentials (`/login`).
    Basic,
    /// A session token.
    Token(&'a str),
}

/// A failed call, telling apart "ECS did not apply it" from "ECS may have applied it".
#[derive(Debug)]
pub(crate) enum CallError {
    /// The call failed; ECS did not apply it (or it was idempotent and it does not matter).
    Failed(Error),
    /// A non-idempotent request may or may not have been applied: the caller must read back.
    Unknown(Error),
}

/// What reading back found after a request whose outcome is unknown.
pub(crate) enum ReadBack<T> {
    /// The request took effect; this is its result.
    Applied(T),
    /// It did not take effect: it is sent once more.
    Absent,
    /// ECS holds something the request would not have made: the call fails with this.
    Refused(Error),
}

impl From<CallError> for Error {
    fn from(err: CallError) -> Error {
        match err {
            CallError::Failed(err) | CallError::Unknown(err) => err,
        }
    }
}

impl EcsMgmtClient {
    /// Starts configuring a client.
    pub fn builder() -> EcsMgmtClientBuilder {
        EcsMgmtClientBuilder::default()
    }

    pub(crate) fn new(settings: Settings) -> Self {
        EcsMgmtClient {
            inner: Arc::new(Inner {
                tokens: TokenCache::new(settings.token_policy),
                settings,
                generation: AtomicU64::new(0),
                counters: Counters::default(),
                closed: AtomicBool::new(false),
            }),
        }
    }

    /// Object users (`/object/users`).
    pub fn object_users(&self) -> api::object_users::ObjectUsers {
        api::object_users::ObjectUsers::new(self.clone())
    }

    /// S3 secret keys of object users (`/object/user-secret-keys`).
    pub fn secret_keys(&self) -> api::secret_keys::SecretKeys {
        api::secret_keys::SecretKeys::new(self.clone())
    }

    /// Buckets (`/object/bucket`).
    pub fn buckets(&self) -> api::buckets::Buckets {
        api::buckets::Buckets::new(self.clone())
    }

    /// Namespaces (`/object/namespaces`).
    pub fn namespaces(&self) -> api::namespaces::Namespaces {
        api::namespaces::Namespaces::new(self.clone())
    }

    /// Base URL calls (`/object/baseurl`).
    pub fn base_urls(&self) -> api::base_urls::BaseUrls {
        api::base_urls::BaseUrls::new(self.clone())
    }

    /// Data nodes and the ECS release they run (`/vdc/nodes`).
    pub fn nodes(&self) -> api::nodes::Nodes {
        api::nodes::Nodes::new(self.clone())
    }

    /// Replication groups (`/vdc/data-service/vpools`).
    pub fn replication_groups(&self) -> api::replication_groups::ReplicationGroups {
        api::replication_groups::ReplicationGroups::new(self.clone())
    }

    /// Metering (`/object/billing`).
    pub fn billing(&self) -> api::billing::Billing {
        api::billing::Billing::new(self.clone())
    }

    /// Logs in now (normally implicit); concurrent callers share one `/login`.
    pub async fn login(&self) -> Result<()> {
        self.ensure_open()?;
        self.token().await.map(drop)
    }

    /// Who the client is logged in as (`GET /user/whoami`); cheap, and a good health check.
    pub async fn whoami(&self) -> Result<api::auth::WhoAmI> {
        self.call_decode(&api::auth::whoami_request(self.format()))
            .await
    }

    /// Logs out and closes the client; later calls fail with [`ErrorKind::Closed`].
    /// Calling it again does nothing.
    pub async fn close(&self) {
        if self.inner.closed.swap(true, Ordering::SeqCst) {
            return;
        }
        if let Some(token) = self.inner.tokens.take().await {
            self.logout(&token).await;
        }
    }

    /// Whether [`close`](Self::close) was called.
    pub fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::SeqCst)
    }

    /// Round trips and session events so far.
    pub fn stats(&self) -> ClientStats {
        self.inner.counters.snapshot()
    }

    /// HTTP requests sent so far (every attempt, logins and logouts included).
    pub fn request_count(&self) -> u64 {
        self.stats().requests
    }

    /// The body format this client uses.
    pub fn format(&self) -> Format {
        self.inner.settings.format
    }

    /// The endpoint, such as `https://ecs:4443`.
    pub fn endpoint(&self) -> &str {
        &self.inner.settings.base
    }

    pub(crate) fn empty_bucket_timeout(&self) -> Duration {
        self.inner.settings.empty_bucket_timeout
    }

    /// Adds the configured page size (`limit`) to a listing request.
    pub(crate) fn paged(&self, request: ApiRequest) -> ApiRequest {
        request.query_opt(
            "limit",
            self.inner.settings.page_size.map(|size| size.to_string()),
        )
    }

    fn ensure_open(&self) -> Result<()> {
        if self.is_closed() {
            return Err(Error::new(
                ErrorKind::Closed,
                "the management client is closed",
            ));
        }
        Ok(())
    }

    /// Sends a request that is not idempotent, so never repeated blindly: when its answer is
    /// lost, `read_back` looks at what ECS holds. If the request took effect, that is the
    /// result; if it did not, it is sent once more; if reading back fails, the call fails with
    /// the original error.
    pub(crate) async fn call_or_read_back<T, Fut>(
        &self,
        request: &ApiRequest,
        decode: impl Fn(&Response) -> Result<T>,
        read_back: impl FnOnce() -> Fut,
    ) -> Result<T>
    where
        Fut: Future<Output = Result<ReadBack<T>>>,
    {
        match self.call_outcome(request).await {
            Ok(response) => decode(&response),
            Err(CallError::Failed(err)) => Err(err),
            Err(CallError::Unknown(err)) => {
                tracing::info!(
                    operation = request.operation,
                    "outcome unknown; reading back before sending again"
                );
                match read_back().await {
                    Ok(ReadBack::Applied(value)) => Ok(value),
                    Ok(ReadBack::Absent) => decode(&self.call(request).await?),
                    Ok(ReadBack::Refused(refused)) => Err(refused),
                    Err(read) => {
                        tracing::debug!(operation = request.operation, error = %read, "cannot read back");
                        Err(err)
                    }
                }
            }
        }
    }

    /// Sends an authenticated request and decodes a 2xx body in the request's format.
    pub(crate) async fn call_decode<T: DeserializeOwned>(&self, request: &ApiRequest) -> Result<T> {
        let response = self.call(request).await?;
        wire::decode(&response.body, request.accept)
            .map_err(|err| err.with_operation(request.operation))
    }

    /// Sends an authenticated request and ignores a 2xx body.
    pub(crate) async fn call_unit(&self, request: &ApiRequest) -> Result<()> {
        self.call(request).await.map(drop)
    }

    /// Sends an authenticated request; a non-2xx answer becomes an error.
    pub(crate) async fn call(&self, request: &ApiRequest) -> Result<Response> {
        self.call_outcome(request).await.map_err(Error::from)
    }

    /// Like [`call`](Self::call), but says when a failed request may have been applied.
    ///
    /// ECS refusing the token (401, or a redirect to `/login`) causes one re-login and one
    /// replay; the refusal proves the request was not applied, so the replay is always safe.
    pub(crate) async fn call_outcome(&self, request: &ApiRequest) -> Result<Response, CallError> {
        self.ensure_open().map_err(CallError::Failed)?;
        let mut replayed = false;
        loop {
            let token = self.token().await.map_err(CallError::Failed)?;
            let response = self.send(request, Auth::Token(token.expose())).await?;
            if is_token_refusal(&response) && !replayed {
                tracing::debug!(
                    operation = request.operation,
                    "ECS refused the token; logging in again"
                );
                self.inner.tokens.invalidate(token.generation()).await;
                Counters::bump(&self.inner.counters.replays);
                replayed = true;
                continue;
            }
            if (200..300).contains(&response.status) {
                token.touch();
                return Ok(response);
            }
            return Err(CallError::Failed(response_error(&response, request)));
        }
    }

    /// The cached token, or a new one from one `/login` shared by all waiting callers.
    async fn token(&self) -> Result<Arc<Token>> {
        self.inner
            .tokens
            .get_or_refresh(|stale| async move {
                if let Some(stale) = stale {
                    // The token is only locally expired: release it so ECS never sees two.
                    self.logout(&stale).await;
                }
                self.ensure_open()?;
                self.login_token().await
            })
            .await
    }

    async fn login_token(&self) -> Result<Token> {
        let mut request = api::auth::login_request(self.format());
        if self.inner.counters.logins.load(Ordering::Relaxed) > 0 {
            request.endpoint = Endpoint::Relogin;
        }
        let response = self.send_login(&request).await?;
        if !(200..300).contains(&response.status) {
            return Err(response_error(&response, &request));
        }
        Counters::bump(&self.inner.counters.logins);
        let value = header_text(&response.headers, TOKEN_HEADER).ok_or_else(|| {
            Error::new(
                ErrorKind::Protocol,
                "the login answer carries no X-SDS-AUTH-TOKEN",
            )
            .with_operation("login")
        })?;
        let max_age = header_text(&response.headers, "X-SDS-AUTH-MAX-AGE")
            .and_then(|age| age.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let generation = self.inner.generation.fetch_add(1, Ordering::Relaxed) + 1;
        tracing::debug!(user = %self.inner.settings.username, generation, "logged in to ECS");
        Ok(Token::new(
            SecretString::from(value),
            max_age,
            self.inner.tokens.policy(),
            generation,
        ))
    }

    /// Sends a login, again when the connection dropped after it was sent (within the retry
    /// budget). A login is not idempotent (each mints a token), so [`send`](Self::send) does not
    /// repeat it then; but the worst a lost answer leaves behind is one token this client never
    /// saw, which ECS expires on its own, while giving up would fail the caller's operation on a
    /// network blip (the fault soak, `cargo xtask soak`, found CloudStack operations failing so).
    async fn send_login(&self, request: &ApiRequest) -> Result<Response> {
        let retry = &self.inner.settings.retry;
        let mut backoff = Backoff::new(retry);
        let mut lost = 0;
        loop {
            match self.send(request, Auth::Basic).await {
                Err(CallError::Unknown(err)) if lost < retry.max_retries => {
                    lost += 1;
                    Counters::bump(&self.inner.counters.retries);
                    let delay = backoff.next_delay();
                    tracing::debug!(error = %err, ?delay, lost, "the login's answer was lost; logging in again");
                    tokio::time::sleep(delay).await;
                }
                other => return other.map_err(Error::from),
            }
        }
    }

    /// Releases a token; failures only matter to the log (the token expires on its own).
    async fn logout(&self, token: &Token) {
        let request = api::auth::logout_request(self.format());
        Counters::bump(&self.inner.counters.logouts);
        match self.send(&request, Auth::Token(token.expose())).await {
            Ok(response) if (200..300).contains(&response.status) || response.status == 401 => {}
            Ok(response) => tracing::warn!(status = response.status, "ECS refused the logout"),
            Err(err) => tracing::warn!(error = %Error::from(err), "cannot log out of ECS"),
        }
    }

    /// Sends one request with bounded retries; any HTTP answer is `Ok`.
    async fn send(&self, request: &ApiRequest, auth: Auth<'_>) -> Result<Response, CallError> {
        let prepared = self.prepare(request, auth).map_err(CallError::Failed)?;
        let retry = &self.inner.settings.retry;
        let started = Instant::now();
        let mut backoff = Backoff::new(retry);
        let mut retries = 0;
        loop {
            let attempt = prepared.try_clone().ok_or_else(|| {
                CallError::Failed(Error::internal("a request body cannot be repeated"))
            })?;
            Counters::bump(&self.inner.counters.requests);
            let outcome = transport::attempt(&self.inner.settings.http, attempt).await;
            let failure = match &outcome {
                Ok(response) if response.status < 400 => {
                    return outcome.map_err(|(_, err)| CallError::Failed(err));
                }
                Ok(response) => Failure::Status {
                    status: response.status,
                    flagged: error::is_retryable(
                        response.status,
                        parse_error_body(response).as_ref(),
                    ),
                },
                Err((failure, _)) => *failure,
            };
            let delay = backoff.next_delay();
            let in_budget =
                retries < retry.max_retries && started.elapsed() + delay <= retry.retry_timeout;
            if !(in_budget && should_retry(failure, request.idempotent)) {
                return outcome.map_err(|(failure, err)| {
                    let err = err.with_operation(request.operation);
                    if failure == Failure::MaybeSent && !request.idempotent {
                        CallError::Unknown(err)
                    } else {
                        CallError::Failed(err)
                    }
                });
            }
            retries += 1;
            Counters::bump(&self.inner.counters.retries);
            tracing::debug!(
                operation = request.operation,
                ?failure,
                ?delay,
                retries,
                "retrying an ECS request"
            );
            tokio::time::sleep(delay).await;
        }
    }

    fn prepare(&self, request: &ApiRequest, auth: Auth<'_>) -> Result<reqwest::Request> {
        let mut http = request.to_http(
            &self.inner.settings.base,
            self.inner.settings.override_header,
        )?;
        let header = match auth {
            Auth::Basic => {
                let pair = format!(
                    "{}:{}",
                    self.inner.settings.username,
                    self.inner.settings.password.expose_secret()
                );
                (
                    http::header::AUTHORIZATION.as_str(),
                    format!(
                        "Basic {}",
                        base64::engine::general_purpose::STANDARD.encode(pair)
                    ),
                )
            }
            Auth::Token(token) => (TOKEN_HEADER, token.to_owned()),
        };
        let mut value = HeaderValue::from_str(&header.1).map_err(|_| {
            Error::invalid_input("the credentials or token contain characters HTTP cannot carry")
        })?;
        value.set_sensitive(true);
        http.headers_mut().insert(header.0, value);
        reqwest::Request::try_from(http).map_err(|err| {
            Error::invalid_input(format!(
                "cannot build the {} request: {}",
                request.operation,
                error_chain(&err)
            ))
        })
    }
}

fn is_token_refusal(response: &Response) -> bool {
    response.status == 401
        || (response.status == 302
            && header_text(&response.headers, "location")
                .is_some_and(|location| location.contains("/login")))
}

fn parse_error_body(response: &Response) -> Option<EcsErrorBody> {
    let content_type = header_text(&response.headers, "content-type");
    EcsErrorBody::parse(&response.body, content_type.as_deref())
}

/// The error for a non-2xx answer.
pub(crate) fn response_error(response: &Response, request: &ApiRequest) -> Error {
    error::from_response(
        response.status,
        parse_error_body(response),
        request.endpoint,
        request.operation,
    )
}

impl fmt::Debug for EcsMgmtClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcsMgmtClient")
            .field("endpoint", &self.inner.settings.base)
            .field("username", &self.inner.settings.username)
            .field("password", &"** redacted **")
            .field("format", &self.inner.settings.format)
            .field("closed", &self.is_closed())
            .finish_non_exhaustive()
    }
}

impl Drop for Inner {
    /// Logs out in the background when the last clone goes without [`EcsMgmtClient::close`]:
    /// never blocks, and does nothing outside a tokio runtime (the token then expires on its own).
    fn drop(&mut self) {
        if self.closed.load(Ordering::SeqCst) {
            return;
        }
        let Some(token) = self.tokens.try_take() else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::debug!("dropped outside a runtime; the ECS token will expire on its own");
            return;
        };
        let Ok(mut value) = HeaderValue::from_str(token.expose()) else {
            return;
        };
        value.set_sensitive(true);
        let request = self
            .settings
            .http
            .get(format!("{}/logout", self.settings.base))
            .header(TOKEN_HEADER, value)
            .timeout(Duration::from_secs(5));
        runtime.spawn(async move {
            if let Err(err) = request.send().await {
                tracing::debug!(error = %error_chain(&err), "best-effort logout on drop failed");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn closed_clients_refuse_calls_without_sending() {
        let client = EcsMgmtClient::builder()
            .endpoint("http://127.0.0.1:9")
            .unwrap()
            .credentials("root", "p".into())
            .build()
            .unwrap();
        client.close().await;
        client.close().await;
        assert_eq!(client.whoami().await.unwrap_err().kind(), ErrorKind::Closed);
        assert_eq!(client.stats(), ClientStats::default());
    }

    #[tokio::test]
    async fn a_refused_connection_is_retried_then_reported_as_connect() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let client = EcsMgmtClient::builder()
            .endpoint(&format!("http://127.0.0.1:{port}"))
            .unwrap()
            .credentials("root", "p".into())
            .retry(
                RetryConfig::default()
                    .with_max_retries(2)
                    .with_backoff(Duration::from_millis(1), Duration::from_millis(2)),
            )
            .build()
            .unwrap();
        let err = client.login().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Connect);
        assert_eq!(client.stats().requests, 3);
        assert_eq!(client.stats().retries, 2);
    }
}
