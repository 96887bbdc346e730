//! [`Sim`]: a running emulator (management listener, S3 listener, control) and its builder.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use ecs_common::{Error, ErrorKind, Result};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::control::{Api, Control};
use crate::core::Core;
use crate::seed::{Seed, TokenSettings};
use crate::server::{Front, boxed, serve};
use crate::state::State;
use crate::storage::Storage;
use crate::version::EcsVersion;
use crate::{control_http, mgmt, s3, tls};

/// Configures and starts a [`Sim`].
#[derive(Debug, Clone)]
#[must_use]
pub struct SimBuilder {
    seed: Seed,
    control: bool,
    mgmt_tls: bool,
    s3_tls: bool,
    mgmt_addr: SocketAddr,
    s3_addr: SocketAddr,
    second_s3_addr: Option<SocketAddr>,
    state_file: Option<PathBuf>,
    data_dir: Option<PathBuf>,
}

impl Default for SimBuilder {
    fn default() -> Self {
        let loopback = SocketAddr::from(([127, 0, 0, 1], 0));
        SimBuilder {
            seed: Seed::default(),
            control: false,
            mgmt_tls: false,
            s3_tls: false,
            mgmt_addr: loopback,
            s3_addr: loopback,
            second_s3_addr: None,
            state_file: None,
            data_dir: None,
        }
    }
}

impl SimBuilder {
    /// Serves the `/_sim/` control plane on the management listener (the in-process
    /// [`Control`] is always available).
    pub fn control(mut self, enabled: bool) -> Self {
        self.control = enabled;
        self
    }

    /// Serves the management API over TLS with a generated certificate (see [`Sim::ca_pem`]).
    pub fn mgmt_tls(mut self, enabled: bool) -> Self {
        self.mgmt_tls = enabled;
        self
    }

    /// Serves S3 over TLS with a generated certificate (see [`Sim::ca_pem`]).
    pub fn s3_tls(mut self, enabled: bool) -> Self {
        self.s3_tls = enabled;
        self
    }

    /// The starting state (default: ECS's factory default, see [`Seed::default`]).
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = seed;
        self
    }

    /// Token lifetime, idle timeout and cap (overrides the seed's).
    pub fn tokens(mut self, tokens: TokenSettings) -> Self {
        self.seed.tokens = tokens;
        self
    }

    /// The ECS release to play (default 4.1; overrides the seed's). Below 4.0 the management
    /// versioning endpoints are absent; see [`EcsVersion`].
    pub fn ecs_version(mut self, version: EcsVersion) -> Self {
        self.seed.ecs_version = version;
        self
    }

    /// The seed of fault-injection randomness (overrides the seed's).
    pub fn fault_seed(mut self, fault_seed: u64) -> Self {
        self.seed.fault_seed = fault_seed;
        self
    }

    /// The management listener's address (default `127.0.0.1:0`, a free port).
    pub fn mgmt_addr(mut self, addr: SocketAddr) -> Self {
        self.mgmt_addr = addr;
        self
    }

    /// The S3 listener's address (default `127.0.0.1:0`, a free port).
    pub fn s3_addr(mut self, addr: SocketAddr) -> Self {
        self.s3_addr = addr;
        self
    }

    /// Serves S3 on a second address too, sharing everything with the first (as ECS's public
    /// and private S3 endpoints reach the same cluster); each [`RequestRecord`] names the
    /// listener that received it. Same TLS setting as the first. Default: none.
    ///
    /// [`RequestRecord`]: crate::RequestRecord
    pub fn second_s3_listener(mut self, addr: SocketAddr) -> Self {
        self.second_s3_addr = Some(addr);
        self
    }

    /// Loads the state from this JSON file when it exists, and saves every change to it.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// Where the S3 side keeps object data (in memory when unset).
    pub fn data_dir(mut self, path: impl Into<PathBuf>) -> Self {
        self.data_dir = Some(path.into());
        self
    }

    fn initial_state(&self, clock: &Clock) -> Result<State> {
        if let Some(path) = &self.state_file
            && path.exists()
        {
            let text = std::fs::read(path).map_err(|error| {
                Error::new(
                    ErrorKind::InvalidInput,
                    format!("cannot read state file {}", path.display()),
                )
                .with_source(error)
            })?;
            return serde_json::from_slice(&text).map_err(|error| {
                Error::new(
                    ErrorKind::InvalidInput,
                    format!("invalid state file {}", path.display()),
                )
                .with_source(error)
            });
        }
        Ok(State::from_seed(&self.seed, clock.now_ms()))
    }

    /// Binds both listeners and starts serving.
    pub async fn start(self) -> Result<Sim> {
        self.seed.validate()?;
        let clock = Clock::default();
        let state = self.initial_state(&clock)?;
        let storage = match &self.data_dir {
            None => Storage::in_memory(),
            Some(dir) => Storage::on_disk(dir).map_err(|error| {
                Error::new(
                    ErrorKind::InvalidInput,
                    format!("cannot use the data directory {}", dir.display()),
                )
                .with_source(error)
            })?,
        };
        let core = Arc::new(Core::new(
            state,
            clock,
            self.seed.fault_seed,
            Arc::new(storage),
            self.seed.tokens,
            self.seed.ecs_version,
            self.state_file.clone(),
        ));
        let control = Control::new(core.clone());
        let tls = if self.mgmt_tls || self.s3_tls {
            Some(tls::generate()?)
        } else {
            None
        };

        let mgmt_listener = bind(self.mgmt_addr).await?;
        let s3_listener = bind(self.s3_addr).await?;
        let mgmt_addr = local_addr(&mgmt_listener)?;
        let s3_addr = local_addr(&s3_listener)?;
        let second_s3_listener = match self.second_s3_addr {
            Some(addr) => Some(bind(addr).await?),
            None => None,
        };
        let second_s3_addr = second_s3_listener.as_ref().map(local_addr).transpose()?;

        let control_service = self
            .control
            .then(|| boxed(control_http::router(control.clone())));
        let mgmt_front = Front::new(
            Api::Mgmt,
            core.clone(),
            boxed(mgmt::router(core.clone())),
            control_service,
        );
        let s3_front = Front::new(Api::S3, core.clone(), s3::service(core.clone()), None);

        let (shutdown, stop) = watch::channel(false);
        let mut tasks = Vec::new();
        if let Some(listener) = second_s3_listener {
            let tls = tls.clone().filter(|_| self.s3_tls);
            tasks.push(serve(listener, tls, s3_front.clone(), stop.clone()));
        }
        tasks.extend([
            serve(
                mgmt_listener,
                tls.clone().filter(|_| self.mgmt_tls),
                mgmt_front,
                stop.clone(),
            ),
            serve(
                s3_listener,
                tls.clone().filter(|_| self.s3_tls),
                s3_front,
                stop,
            ),
        ]);
        let scheme = |secure: bool| if secure { "https" } else { "http" };
        let sim = Sim {
            mgmt_url: format!("{}://{mgmt_addr}", scheme(self.mgmt_tls)),
            s3_url: format!("{}://{s3_addr}", scheme(self.s3_tls)),
            second_s3_url: second_s3_addr.map(|addr| format!("{}://{addr}", scheme(self.s3_tls))),
            mgmt_addr,
            s3_addr,
            ca_pem: tls.map(|tls| tls.ca_pem),
            control,
            core,
            shutdown,
            tasks,
        };
        tracing::info!(mgmt = %sim.mgmt_url, s3 = %sim.s3_url, "ecs-sim started");
        Ok(sim)
    }
}

async fn bind(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr).await.map_err(|error| {
        Error::new(ErrorKind::Connect, format!("cannot listen on {addr}")).with_source(error)
    })
}

fn local_addr(listener: &TcpListener) -> Result<SocketAddr> {
    listener
        .local_addr()
        .map_err(|error| Error::internal("cannot read the listener address").with_source(error))
}

/// A running emulator. Stop it with [`Sim::shutdown`]; dropping it stops it too (best effort).
#[derive(Debug)]
pub struct Sim {
    mgmt_url: String,
    s3_url: String,
    second_s3_url: Option<String>,
    mgmt_addr: SocketAddr,
    s3_addr: SocketAddr,
    ca_pem: Option<String>,
    control: Control,
    core: Arc<Core>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Sim {
    /// Starts configuring an emulator.
    pub fn builder() -> SimBuilder {
        SimBuilder::default()
    }

    /// The management API's base URL (`http://127.0.0.1:PORT`, `https` with TLS).
    pub fn mgmt_url(&self) -> String {
        self.mgmt_url.clone()
    }

    /// The S3 API's base URL.
    pub fn s3_url(&self) -> String {
        self.s3_url.clone()
    }

    /// The second S3 listener's base URL, when one was asked for
    /// ([`SimBuilder::second_s3_listener`]).
    pub fn second_s3_url(&self) -> Option<String> {
        self.second_s3_url.clone()
    }

    /// The management listener's address.
    pub fn mgmt_addr(&self) -> SocketAddr {
        self.mgmt_addr
    }

    /// The S3 listener's address.
    pub fn s3_addr(&self) -> SocketAddr {
        self.s3_addr
    }

    /// The PEM of the CA that signed the emulator's certificate, when TLS is on.
    pub fn ca_pem(&self) -> Option<String> {
        self.ca_pem.clone()
    }

    /// Test control: request log, tokens, clock, faults, bucket usage.
    pub fn control(&self) -> &Control {
        &self.control
    }

    /// Stops accepting, drains open connections (bounded), and saves the state file.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        for task in std::mem::take(&mut self.tasks) {
            if let Err(error) = task.await {
                tracing::warn!(%error, "listener task failed");
            }
        }
        self.core.persist();
        tracing::info!("ecs-sim stopped");
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}
