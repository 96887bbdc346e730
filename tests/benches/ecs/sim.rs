//! The release-built `ecs-sim` as a separate process: started on free loopback ports with its
//! control plane and on-disk object storage, its request log and faults driven over HTTP, its
//! memory read from `/proc`, and killed when dropped.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::json;

/// One record of the emulator's request log (the fields the bench reads).
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Record {
    pub(crate) api: String,
    pub(crate) method: String,
    pub(crate) path: String,
    #[serde(default)]
    pub(crate) query: String,
}

/// The running emulator process.
pub(crate) struct SimProcess {
    child: Child,
    mgmt: SocketAddr,
    s3: SocketAddr,
    http: reqwest::Client,
}

fn free_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    listener.local_addr().expect("its address")
}

impl SimProcess {
    /// Starts `binary` with a token cap high enough for the login-per-call pattern (ECS's own
    /// cap is 100; the bench counts the live tokens instead). Object data stays in memory, or
    /// goes under `data_dir`; the emulator's log goes to `log`.
    pub(crate) fn start(binary: &Path, data_dir: Option<&Path>, log: &Path) -> SimProcess {
        let (mgmt, s3) = (free_port(), free_port());
        let mut command = Command::new(binary);
        command
            .args(["--control", "--log", "warn", "--max-tokens", "100000"])
            .args(["--namespace", "grow:rg1", "--namespace", "plug:rg1"])
            .arg("--mgmt-user")
            .arg(format!(
                "{}:{}:SYSTEM_ADMIN",
                crate::LOGIN_USER,
                crate::LOGIN_PASSWORD
            ))
            .arg("--mgmt-addr")
            .arg(mgmt.to_string())
            .arg("--s3-addr")
            .arg(s3.to_string());
        if let Some(dir) = data_dir {
            std::fs::create_dir_all(dir).expect("create the emulator's data directory");
            command.arg("--data-dir").arg(dir);
        }
        let log = std::fs::File::create(log).expect("the emulator's log file");
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|err| panic!("start {}: {err}", binary.display()));
        let started = Instant::now();
        while TcpStream::connect(mgmt).is_err() || TcpStream::connect(s3).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "ecs-sim did not open its ports within 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        SimProcess {
            child,
            mgmt,
            s3,
            http: reqwest::Client::new(),
        }
    }

    pub(crate) fn mgmt_url(&self) -> String {
        format!("http://{}", self.mgmt)
    }

    pub(crate) fn s3_url(&self) -> String {
        format!("http://{}", self.s3)
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Empties the request log.
    pub(crate) async fn clear_log(&self) {
        self.http
            .delete(format!("{}/_sim/log", self.mgmt_url()))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("clear the request log");
    }

    /// The request log since the last clear.
    pub(crate) async fn log(&self) -> Vec<Record> {
        self.http
            .get(format!("{}/_sim/log", self.mgmt_url()))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("read the request log")
            .json()
            .await
            .expect("the request log is JSON")
    }

    /// Requests logged since the last clear, then clears the log.
    pub(crate) async fn take_count(&self) -> u64 {
        let count = self.log().await.len() as u64;
        self.clear_log().await;
        count
    }

    /// Adds a latency-only fault on management paths starting with `prefix`.
    pub(crate) async fn add_latency(&self, prefix: &str, millis: u64) {
        self.http
            .post(format!("{}/_sim/faults", self.mgmt_url()))
            .json(&json!({ "api": "mgmt", "path_prefix": prefix, "latency": millis }))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("add a latency fault");
    }

    pub(crate) async fn clear_faults(&self) {
        self.http
            .delete(format!("{}/_sim/faults", self.mgmt_url()))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("clear the faults");
    }

    /// Live management tokens of `user`.
    pub(crate) async fn live_tokens(&self, user: &str) -> u64 {
        let value: serde_json::Value = self
            .http
            .get(format!("{}/_sim/tokens/{user}", self.mgmt_url()))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("read the live tokens")
            .json()
            .await
            .expect("tokens are JSON");
        live_token_count(&value)
    }

    /// The emulator's peak and current resident memory, in KiB.
    pub(crate) fn memory_kib(&self) -> (u64, u64) {
        (
            status_kib(self.pid(), "VmHWM:"),
            status_kib(self.pid(), "VmRSS:"),
        )
    }
}

/// The count in `/_sim/tokens/{user}`'s answer (`{"user": .., "live": N}`).
fn live_token_count(value: &serde_json::Value) -> u64 {
    value["live"].as_u64().expect("the answer has a live count")
}

/// A `Vm*:` line of `/proc/<pid>/status`, in KiB (0 when unreadable).
pub(crate) fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with(field))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        // Best effort: the process may already have ended.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
