//! Starts and stops a private SeaweedFS (`weed mini`) on loopback ports for one test.
//!
//! `weed` is started under a tiny `sh` guardian that watches its stdin: when the test drops the
//! server, or when the test process dies in any way, the pipe closes, `read` returns and the
//! guardian kills `weed`. So no `weed` outlives its test, without any platform-specific call.
//! The guardian exits when `weed` does, so a crash at start-up is noticed at once.

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rand::Rng;

/// Static identities: the access key, secret key and bucket prefix of each test user.
pub const USERS: &[(&str, &str, &str)] = &[
    ("alice", "AKALICE1", "alice-secret-1"),
    ("bob", "AKBOB1", "bob-secret-1"),
];

/// Runs `weed` ("$0" "$@") and a watcher that kills it once stdin (fd 3) closes; exits when
/// weed exits, so an early crash is seen at once.
const GUARDIAN: &str = r#"exec 3<&0
"$0" "$@" >"$WEED_LOG" 2>&1 </dev/null &
pid=$!
( read _ <&3; kill -9 $pid 2>/dev/null ) &
watcher=$!
wait $pid
status=$?
kill $watcher 2>/dev/null
exit $status"#;

/// A running `weed mini`.
pub struct Weed {
    guardian: Child,
    endpoint: String,
    dir: tempfile::TempDir,
}

impl Weed {
    /// Starts `weed mini`, or returns `None` (outside CI only) when no binary is installed.
    pub fn start() -> Option<Weed> {
        let binary = binary()?;
        let mut last_error = String::new();
        // Ports are checked free, then bound by weed: another process may win the race.
        for _ in 0..3 {
            match Weed::try_start(&binary) {
                Ok(weed) => return Some(weed),
                Err(err) => last_error = err,
            }
        }
        panic!("weed mini did not start: {last_error}");
    }

    fn try_start(binary: &Path) -> Result<Weed, String> {
        let dir = tempfile::tempdir().map_err(|err| err.to_string())?;
        let config = dir.path().join("s3.json");
        std::fs::write(&config, identities()).map_err(|err| err.to_string())?;
        let ports = free_port_bases(5);
        let (master, volume, filer, s3, admin) = (ports[0], ports[1], ports[2], ports[3], ports[4]);
        let log = dir.path().join("weed.log");
        let data = dir.path().join("data");
        std::fs::create_dir(&data).map_err(|err| err.to_string())?;
        let guardian = Command::new("sh")
            .arg("-c")
            .arg(GUARDIAN)
            .arg(binary)
            .arg("mini")
            .arg(format!("-dir={}", data.display()))
            .args([
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                "-master.telemetry=false",
            ])
            .args(["-webdav=false", "-admin.ui=false"])
            .arg(format!("-master.port={master}"))
            .arg(format!("-volume.port={volume}"))
            .arg(format!("-filer.port={filer}"))
            .arg(format!("-s3.port={s3}"))
            .arg(format!("-admin.port={admin}"))
            .args(["-s3.port.iceberg=0", "-s3.port.lance=0"])
            .arg(format!("-s3.config={}", config.display()))
            .args([
                "-s3.allowDeleteBucketNotEmpty=false",
                "-s3.autoCreateBucket=false",
            ])
            .env("WEED_LOG", &log)
            // weed mini creates a user from these when set; the test identities are explicit.
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("S3_BUCKET")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|err| format!("cannot run sh: {err}"))?;
        let mut weed = Weed {
            guardian,
            endpoint: format!("http://127.0.0.1:{s3}"),
            dir,
        };
        match weed.wait_ready(&log) {
            Ok(()) => Ok(weed),
            Err(err) => {
                weed.stop();
                Err(err)
            }
        }
    }

    /// Waits for the `S3 Endpoint:` line, checks that weed kept our port, then for `/healthz`.
    fn wait_ready(&mut self, log: &Path) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let wanted = format!("S3 Endpoint:     {}", self.endpoint);
        loop {
            let text = read_log(log);
            if let Some(line) = text.lines().find(|line| line.contains("S3 Endpoint:")) {
                if !line.contains(&wanted) {
                    return Err(format!("weed moved the S3 port: {}", line.trim()));
                }
                if healthy(&self.endpoint) {
                    return Ok(());
                }
            }
            if let Ok(Some(status)) = self.guardian.try_wait() {
                return Err(format!("weed exited ({status}):\n{text}"));
            }
            if Instant::now() > deadline {
                return Err(format!("weed was not ready within 60 s:\n{text}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The S3 endpoint, `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Stops weed (the guardian kills it) and waits for it.
    pub fn stop(&mut self) {
        drop(self.guardian.stdin.take());
        let _ = self.guardian.wait();
        let _ = &self.dir;
    }
}

impl Drop for Weed {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The weed binary: `ECS_TEST_WEED`, else the workspace's `.venv/bin/weed`.
fn binary() -> Option<PathBuf> {
    let path = match std::env::var_os("ECS_TEST_WEED") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/weed"),
    };
    if path.is_file() {
        return Some(path);
    }
    let message = format!(
        "SeaweedFS not found at {} (set ECS_TEST_WEED or run `cargo xtask install`)",
        path.display()
    );
    if std::env::var_os("CI").is_some() {
        panic!("{message}");
    }
    eprintln!("SKIPPED: {message}");
    None
}

fn identities() -> String {
    let identities: Vec<_> = USERS
        .iter()
        .map(|(name, access, secret)| {
            let actions: Vec<_> = ["Admin", "Read", "Write", "List", "Tagging"]
                .iter()
                .map(|action| format!("{action}:{name}-*"))
                .collect();
            serde_json::json!({
                "name": name,
                "credentials": [{"accessKey": access, "secretKey": secret}],
                "actions": actions,
            })
        })
        .collect();
    serde_json::json!({ "identities": identities }).to_string()
}

/// `count` distinct ports `p` with both `p` and `p + 10000` (weed's gRPC port) free, below
/// the kernel's ephemeral range.
fn free_port_bases(count: usize) -> Vec<u16> {
    let mut rng = rand::rng();
    let mut ports: Vec<u16> = Vec::new();
    while ports.len() < count {
        let port = rng.random_range(10_000..22_000u16);
        if ports.iter().any(|p| p.abs_diff(port) < 2) {
            continue;
        }
        let free = |p: u16| TcpListener::bind(("127.0.0.1", p)).is_ok();
        if free(port) && free(port + 10_000) {
            ports.push(port);
        }
    }
    ports
}

fn read_log(path: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut file) = std::fs::File::open(path) {
        let _ = file.read_to_string(&mut text);
    }
    text
}

/// A blocking `GET /healthz` over a raw socket (the harness stays synchronous).
fn healthy(endpoint: &str) -> bool {
    use std::io::Write;
    let Some(addr) = endpoint.strip_prefix("http://") else {
        return false;
    };
    let Ok(mut stream) = std::net::TcpStream::connect(addr) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = [0u8; 12];
    stream.read_exact(&mut answer).is_ok() && answer.starts_with(b"HTTP/1.1 200")
}
