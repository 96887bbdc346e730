//! Two management servers for real: two `java` processes, each with its own CloudStack harness,
//! ECS plug-in, JNI library, driver and ECS session (`TwoServersMain` in
//! `java-bindings/ecs-demo`), sharing one `ecs-sim` and one directory of CloudStack tables
//! (`CloudStackHarness.startShared`: each DAO call one transaction under a file lock, as the
//! servers of a cluster share one MySQL database). This test plays CloudStack's users and load
//! balancer: it sends API calls to one server or to both at once and waits for the answers,
//! interleaving them on the same accounts and buckets:
//!
//! 1. the first buckets of an account created on both servers at once (one ECS user, one
//!    active key, and the rows agree);
//! 2. a change from the other server right after a create, inside the creating driver's echo
//!    window (`ecs_driver`'s `echo.rs`, 10 s): first after the create job, then racing the job's
//!    follow-ups; a change is never swallowed, on ECS or in the rows;
//! 3. deletes racing updates: no orphan bucket, no row without its bucket, every failure typed.
//!
//! Afterwards the rows are compared with ECS through its management API (0 orphans, 0 duplicate
//! users or keys, 0 mismatches), both servers close (0 live tokens), and both servers' whole
//! output (log4j2 at DEBUG, the native library at TRACE) is scanned for secrets.
//!
//! Needs the Java side built, so it is ignored by plain test runs: `cargo xtask soak
//! --two-jvms` (and `cargo xtask ci`) build everything and run it (`ECS_SOAK_CLASSPATH`,
//! `ECS_SOAK_NATIVE`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test code: a failed unwrap is a failed test.

mod support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ecs_mgmt::{EcsMgmtClient, VersioningStatus};
use ecs_sim::Sim;
use futures::TryStreamExt;
use serde_json::Value;

use support::{admin, compare, is_public, lines_with_secrets, log4j2, needles, tail};

/// The whole run, JVM start-up included, must end by then.
const RUN_LIMIT: Duration = Duration::from_secs(100);
/// The driver's echo window (`ecs_driver::echo::ECHO_TTL`).
const ECHO_TTL: Duration = Duration::from_secs(10);
/// Accounts whose first buckets both servers create at once.
const ACCOUNTS: usize = 4;
/// Buckets changed from the other server right after their creation, per variant.
const ECHO_BUCKETS: usize = 4;
/// Deletes racing updates.
const DELETE_RACES: usize = 8;

/// A server's answer to one call.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    Ok(String),
    Err { kind: String, message: String },
}

/// One management server: a `TwoServersMain` JVM, killed when dropped.
struct Server {
    name: &'static str,
    child: Child,
    stdin: ChildStdin,
    answers: Receiver<String>,
    /// What the JVM printed on stdout besides its answers.
    chatter: Arc<Mutex<String>>,
    stderr: PathBuf,
    deadline: Instant,
    calls: usize,
}

impl Server {
    fn start(name: &'static str, sim: &Sim, dir: &Path, deadline: Instant) -> Server {
        let stderr = dir.join(format!("server-{name}.err"));
        let mut child = support::java(&dir.join("log4j2.properties"))
            .arg("io.ecscloudstack.demo.TwoServersMain")
            .args(["--name", name, "--database"])
            .arg(dir.join("database"))
            .args(["--mgmt-url", &sim.mgmt_url(), "--s3-url", &sim.s3_url()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .expect("java starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, answers) = std::sync::mpsc::channel();
        let chatter = Arc::new(Mutex::new(String::new()));
        let heard = Arc::clone(&chatter);
        // Ends when the JVM closes its stdout (it exits or is killed).
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                match line.strip_prefix("@@ ") {
                    Some(answer) => {
                        if sender.send(answer.to_owned()).is_err() {
                            break;
                        }
                    }
                    None => {
                        let mut heard = heard.lock().unwrap();
                        heard.push_str(&line);
                        heard.push('\n');
                    }
                }
            }
        });
        Server {
            name,
            child,
            stdin,
            answers,
            chatter,
            stderr,
            deadline,
            calls: 0,
        }
    }

    /// Sends one call and waits for its answer, at most until the run's deadline.
    fn ask(&mut self, call: &str) -> Answer {
        self.calls += 1;
        writeln!(self.stdin, "{call}").expect("the server reads its calls");
        self.stdin.flush().unwrap();
        let left = self.deadline.saturating_duration_since(Instant::now());
        let line = match self.answers.recv_timeout(left) {
            Ok(line) => line,
            Err(RecvTimeoutError::Timeout) => panic!(
                "server {} did not answer `{call}` before the run's limit of {RUN_LIMIT:?}:\n{}",
                self.name,
                self.log_tail()
            ),
            Err(RecvTimeoutError::Disconnected) => panic!(
                "server {} ended without answering `{call}`:\n{}",
                self.name,
                self.log_tail()
            ),
        };
        if let Some(value) = line.strip_prefix("ok ") {
            return Answer::Ok(value.to_owned());
        }
        let rest = line.strip_prefix("err ").expect("an answer is ok or err");
        let (kind, message) = rest.split_once(' ').unwrap_or((rest, ""));
        Answer::Err {
            kind: kind.to_owned(),
            message: message.to_owned(),
        }
    }

    /// Sends one call that must succeed; returns its value.
    fn ok(&mut self, call: &str) -> String {
        match self.ask(call) {
            Answer::Ok(value) => value,
            Answer::Err { kind, message } => {
                panic!("server {}: `{call}` failed: {kind} {message}", self.name)
            }
        }
    }

    /// Closes the plug-in (the ECS sessions end) and waits for the JVM to exit.
    fn close(&mut self) {
        assert_eq!(self.ok("close"), "closed");
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(
                    status.success(),
                    "server {} exited with {status}",
                    self.name
                );
                return;
            }
            assert!(
                Instant::now() < self.deadline,
                "server {} did not exit after close",
                self.name
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Everything the JVM printed besides its answers.
    fn output(&self) -> String {
        let stderr = std::fs::read_to_string(&self.stderr).unwrap_or_default();
        format!("{}{stderr}", self.chatter.lock().unwrap())
    }

    fn log_tail(&self) -> String {
        tail(&self.output())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Sends `to_a` to `a` and `to_b` to `b` at the same moment; both answers.
fn at_once(a: &mut Server, to_a: &str, b: &mut Server, to_b: &str) -> (Answer, Answer) {
    std::thread::scope(|scope| {
        let first = scope.spawn(|| a.ask(to_a));
        let second = b.ask(to_b);
        (first.join().expect("the call to A"), second)
    })
}

/// What ECS holds for a bucket: versioning on, quota, public.
async fn on_ecs(admin: &EcsMgmtClient, bucket: &str) -> (bool, Option<u64>, bool) {
    let info = admin.buckets().info(bucket, "ns1").await.unwrap();
    let versioning = admin.buckets().versioning(bucket, "ns1").await.unwrap();
    let policy = admin.buckets().policy(bucket, "ns1").await.unwrap();
    (
        versioning == VersioningStatus::Enabled,
        info.block_size_gb.filter(|gib| *gib > 0),
        is_public(policy.as_deref()),
    )
}

async fn on_ecs_at_all(admin: &EcsMgmtClient, bucket: &str) -> bool {
    admin.buckets().info(bucket, "ns1").await.is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the Java side built: run by `cargo xtask soak --two-jvms` and `cargo xtask ci`"]
async fn two_management_servers_in_two_jvms() {
    let started = Instant::now();
    let deadline = started + RUN_LIMIT;
    let sim = Sim::builder().control(true).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("database")).unwrap();
    std::fs::write(dir.path().join("log4j2.properties"), log4j2("SYSTEM_ERR")).unwrap();
    let admin = admin(&sim);
    let mut a = Server::start("A", &sim, dir.path(), deadline);
    let mut b = Server::start("B", &sim, dir.path(), deadline);

    // CloudStack's setup: the store added through A; accounts made on either server.
    let store = a.ok("store ecs-cluster");
    let mut accounts = Vec::new();
    for i in 0..ACCOUNTS {
        let server = if i % 2 == 0 { &mut a } else { &mut b };
        accounts.push(server.ok(&format!("account acct-{i}")));
    }
    let up = started.elapsed();

    // 1. The first buckets of each account, one on each server at once: both provision the
    //    account's ECS user and key at the same time.
    for (i, account) in accounts.iter().enumerate() {
        let (on_a, on_b) = at_once(
            &mut a,
            &format!("create {store} {account} first-{i}-a quota=1 policy=public"),
            &mut b,
            &format!("create {store} {account} first-{i}-b versioning=true encryption=true"),
        );
        assert!(matches!(on_a, Answer::Ok(_)), "first bucket on A: {on_a:?}");
        assert!(matches!(on_b, Answer::Ok(_)), "first bucket on B: {on_b:?}");
    }
    let users: Vec<String> = admin
        .object_users()
        .list("ns1")
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .into_iter()
        .map(|user| user.userid)
        .filter(|uid| uid.starts_with(support::PREFIX))
        .collect();
    assert_eq!(users.len(), ACCOUNTS, "one ECS user per account: {users:?}");

    // 2a. A change from the other server right after the create job, then the creating server
    //     setting the creation values again, all inside the creator's echo window: each change
    //     must reach ECS (a driver answering from a stale memory would keep the other's).
    let mut echo_checks = 0;
    let mut slowest_window = Duration::ZERO;
    for i in 0..ECHO_BUCKETS {
        let (creator, other) = if i % 2 == 0 {
            (&mut a, &mut b)
        } else {
            (&mut b, &mut a)
        };
        let name = format!("echo-{i}");
        let account = &accounts[i % ACCOUNTS];
        creator.ok(&format!(
            "create {store} {account} {name} quota=2 versioning=true encryption=true policy=public"
        ));
        let created = Instant::now();
        other.ok(&format!(
            "update {store} {name} quota=5 versioning=false policy=private"
        ));
        assert_eq!(
            on_ecs(&admin, &name).await,
            (false, Some(5), false),
            "{name}: the other server's change is on ECS"
        );
        creator.ok(&format!(
            "update {store} {name} quota=2 versioning=true policy=public"
        ));
        let window = created.elapsed();
        assert_eq!(
            on_ecs(&admin, &name).await,
            (true, Some(2), true),
            "{name}: the creator's change back to its creation values is on ECS, not swallowed"
        );
        assert!(
            window < ECHO_TTL,
            "{name}: the changes took {window:?}, outside the echo window"
        );
        slowest_window = slowest_window.max(window);
        echo_checks += 2;
    }

    // 2b. The other server's change racing the create job: it starts as soon as the bucket is
    //     on ECS (its row has a URL), possibly before the job's follow-ups; the rows and ECS
    //     must agree afterwards (checked at the end).
    let mut inside_job = 0;
    for i in 0..ECHO_BUCKETS {
        let (creator, other) = if i % 2 == 0 {
            (&mut a, &mut b)
        } else {
            (&mut b, &mut a)
        };
        let name = format!("race-{i}");
        let account = &accounts[(i + 1) % ACCOUNTS];
        let (made, changed) = at_once(
            creator,
            &format!(
                "create {store} {account} {name} quota=2 versioning=true encryption=true policy=public"
            ),
            other,
            &format!("update-when-created {store} {name} quota=5 versioning=false policy=private"),
        );
        assert!(matches!(made, Answer::Ok(_)), "{name} created: {made:?}");
        match changed {
            Answer::Ok(state) if state == "Allocated" => inside_job += 1,
            Answer::Ok(_) => {}
            other => panic!("{name}: the change racing the create failed: {other:?}"),
        }
        assert_eq!(
            on_ecs(&admin, &name).await,
            (false, Some(5), false),
            "{name}: the change racing the create is on ECS"
        );
    }

    // 3. Deletes racing updates, alternating which server deletes.
    let mut updates_first = 0;
    let mut typed_failures: BTreeMap<String, usize> = BTreeMap::new();
    for i in 0..DELETE_RACES {
        let name = format!("doomed-{i}");
        let account = &accounts[i % ACCOUNTS];
        let (deleter, updater) = if i % 2 == 0 {
            (&mut a, &mut b)
        } else {
            (&mut b, &mut a)
        };
        updater.ok(&format!("create {store} {account} {name} quota=1"));
        let (deleted, updated) = at_once(
            deleter,
            &format!("delete {store} {name}"),
            updater,
            &format!("update {store} {name} quota=3 versioning=true policy=public"),
        );
        assert_eq!(deleted, Answer::Ok("true".to_owned()), "{name} deleted");
        match updated {
            Answer::Ok(_) => updates_first += 1,
            Answer::Err { kind, message } => {
                // ECS said the bucket is gone, or CloudStack found no row: typed, never a
                // protocol or internal error.
                assert!(
                    kind == "NOT_FOUND" || kind == "InvalidParameterValueException",
                    "{name}: the update racing the delete failed with {kind}: {message}"
                );
                *typed_failures.entry(kind).or_default() += 1;
            }
        }
        assert!(
            !on_ecs_at_all(&admin, &name).await,
            "{name} is still on ECS after its delete"
        );
    }

    // Both servers see the same rows; ECS must match them.
    let (rows_a, rows_b) = (
        dir.path().join("rows-a.json"),
        dir.path().join("rows-b.json"),
    );
    a.ok(&format!("rows {store} {}", rows_a.display()));
    b.ok(&format!("rows {store} {}", rows_b.display()));
    let rows: Value = serde_json::from_str(&std::fs::read_to_string(&rows_a).unwrap()).unwrap();
    let rows_of_b: Value =
        serde_json::from_str(&std::fs::read_to_string(&rows_b).unwrap()).unwrap();
    assert_eq!(rows, rows_of_b, "both servers read the same tables");
    for row in rows["buckets"].as_array().unwrap() {
        assert!(
            !row["name"].as_str().unwrap().starts_with("doomed-"),
            "a deleted bucket's row is left: {}",
            row["name"]
        );
    }
    let found = compare(&admin, &rows).await;
    let calls = a.calls + b.calls + 2;
    a.close();
    b.close();
    admin.close().await;
    let live_tokens = sim.control().live_tokens("root");

    let needles = needles(&sim, found.ecs_secrets.iter().chain(&found.stored_secrets));
    let output = format!("{}\n{}", a.output(), b.output());
    let lines = output.lines().count();
    let leaks = lines_with_secrets(&output, &needles);

    println!(
        "two servers: {calls} calls on 2 JVMs, {} orphans, {} duplicate users or keys, {} mismatches, {live_tokens} live tokens, {:.1} s ({:.1} s to start both)",
        found.orphans.len(),
        found.duplicates.len(),
        found.mismatches.len(),
        started.elapsed().as_secs_f64(),
        up.as_secs_f64()
    );
    println!(
        "two servers: {ACCOUNTS} accounts' first buckets created on both at once; {echo_checks} changes right after a create seen on ECS (slowest {:.2} s after the create, window {ECHO_TTL:?}); {ECHO_BUCKETS} changes racing the create job ({inside_job} began inside it); {DELETE_RACES} deletes racing updates ({updates_first} updates done first, then typed failures: {typed_failures:?}); {} buckets and {} accounts with keys at the end",
        slowest_window.as_secs_f64(),
        found.buckets,
        found.accounts_with_keys
    );
    println!(
        "secrets: {} hits in {lines} lines of both servers' log4j2 DEBUG and Rust TRACE output ({} secrets looked for)",
        leaks.len(),
        needles.len()
    );
    for problem in found
        .orphans
        .iter()
        .chain(&found.duplicates)
        .chain(&found.mismatches)
    {
        println!("  {problem}");
    }
    assert!(found.orphans.is_empty(), "{:?}", found.orphans);
    assert!(found.duplicates.is_empty(), "{:?}", found.duplicates);
    assert!(found.mismatches.is_empty(), "{:?}", found.mismatches);
    assert_eq!(live_tokens, 0, "tokens left after both servers closed");
    assert!(
        leaks.is_empty(),
        "{} lines show a secret (not printed here)",
        leaks.len()
    );
    assert!(
        lines > calls,
        "both servers logged at DEBUG/TRACE ({lines} lines)"
    );
    sim.shutdown().await;
}
