//! Scenarios 1 and 7: management calls through `ecs-mgmt` against python-ecsclient, and our
//! cached token against the upstream plug-in's login per call.

use std::process::Command;
use std::time::Instant;

use ecs_mgmt::{BucketCreate, BucketQuota, EcsMgmtClient};
use futures::StreamExt;

use crate::report::{Better, Row, Scenario};
use crate::{Bench, LOGIN_PASSWORD, LOGIN_USER, NAMESPACE};

/// The bucket scenario 1 reads and sets the quota of.
const BUCKET: &str = "s1-bench";

/// Creates what the management scenarios read: one owner and one bucket.
pub(crate) async fn prepare(bench: &Bench) {
    let client = bench.client();
    client
        .object_users()
        .create("s1-owner", NAMESPACE)
        .await
        .expect("owner user");
    let create = BucketCreate {
        owner: Some("s1-owner".into()),
        ..BucketCreate::new(BUCKET, NAMESPACE)
    };
    client.buckets().create(&create).await.expect("bucket");
    client.close().await;
}

/// One sequence: bucket info, user create, secret-key get, user delete, quota set.
async fn sequence(client: &EcsMgmtClient, uid: &str) {
    let quota = BucketQuota::new(Some(5), Some(4));
    client
        .buckets()
        .info(BUCKET, NAMESPACE)
        .await
        .expect("bucket info");
    client
        .object_users()
        .create(uid, NAMESPACE)
        .await
        .expect("user create");
    client
        .secret_keys()
        .get(uid, None)
        .await
        .expect("secret keys");
    client
        .object_users()
        .delete(uid, NAMESPACE)
        .await
        .expect("user delete");
    client
        .buckets()
        .set_quota(BUCKET, NAMESPACE, &quota)
        .await
        .expect("quota");
}

/// Ours: `callers` tasks sharing one client, each running `per_caller` sequences. Returns the
/// calls made, the seconds, and the requests ECS saw (warm-up login included).
async fn ours(bench: &Bench, tag: &str, callers: usize, per_caller: usize) -> (u64, f64, u64) {
    bench.sim.clear_log().await;
    let client = bench.client();
    client
        .buckets()
        .info(BUCKET, NAMESPACE)
        .await
        .expect("warm-up");
    let start = Instant::now();
    futures::stream::iter(0..callers)
        .for_each_concurrent(callers, |caller| {
            let client = client.clone();
            async move {
                for i in 0..per_caller {
                    sequence(&client, &format!("s1-ours-{tag}-{caller}-{i}")).await;
                }
            }
        })
        .await;
    let elapsed = start.elapsed().as_secs_f64();
    client.close().await;
    let requests = bench.sim.take_count().await;
    ((5 * callers * per_caller) as u64, elapsed, requests)
}

/// The peer's result, as `mgmt_peer.py` prints it.
#[derive(serde::Deserialize)]
struct PeerResult {
    calls: u64,
    elapsed_s: f64,
    vmhwm_kib: u64,
    errors: Vec<String>,
}

/// The last line of a child's stdout, parsed as JSON; panics with its stderr when it failed.
pub(crate) fn run_json<T: serde::de::DeserializeOwned>(command: &mut Command) -> T {
    let output = command.output().expect("start the peer");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{command:?} failed: {}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let line = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(line).unwrap_or_else(|err| panic!("{command:?} printed {line:?}: {err}"))
}

async fn python(bench: &Bench, tag: &str, callers: usize, per_caller: usize) -> (PeerResult, u64) {
    let python = bench
        .python
        .as_ref()
        .expect("ECS_BENCH_PYTHON: the bench virtualenv's python");
    bench.sim.clear_log().await;
    let result: PeerResult = run_json(
        Command::new(python)
            .arg(bench.py_dir.join("mgmt_peer.py"))
            .arg("--endpoint")
            .arg(bench.sim.mgmt_url())
            .args(["--bucket", BUCKET, "--namespace", NAMESPACE])
            .arg("--iterations")
            .arg(per_caller.to_string())
            .arg("--callers")
            .arg(callers.to_string())
            .arg("--prefix")
            .arg(format!("s1-py-{tag}")),
    );
    assert!(
        result.errors.is_empty(),
        "python-ecsclient failed: {:?}",
        result.errors
    );
    let requests = bench.sim.take_count().await;
    (result, requests)
}

/// Scenario 1.
pub(crate) async fn versus_python(bench: &Bench) -> Scenario {
    let sizes = &bench.sizes;
    let mut rows = Vec::new();
    for (tag, callers, per_caller) in [
        ("seq", 1, sizes.mgmt_sequences),
        ("par", sizes.mgmt_callers, sizes.mgmt_sequences_per_caller),
    ] {
        let (calls, seconds, requests) = ours(bench, tag, callers, per_caller).await;
        let (peer, peer_requests) = python(bench, tag, callers, per_caller).await;
        assert_eq!(calls, peer.calls, "both made the same calls");
        let name = if callers == 1 {
            format!("{calls} management calls, one caller")
        } else {
            format!("{calls} management calls, {callers} concurrent callers")
        };
        rows.push(
            Row::versus(
                name,
                calls as f64 / seconds,
                peer.calls as f64 / peer.elapsed_s,
                "python-ecsclient",
                "calls/s",
                Better::Higher,
            )
            .requests(Some(requests), Some(peer_requests))
            .rss(None, Some(peer.vmhwm_kib as f64 / 1024.0))
            .note("requests include each caller's login and one warm-up call; python-ecsclient checks its token with GET /user/whoami before every call"),
        );
    }
    let worst = rows
        .iter()
        .filter_map(|row| row.ratio)
        .fold(f64::INFINITY, f64::min);
    let met = worst >= 5.0;
    let finding = format!(
        "ours is {:.1}x (one caller) and {:.1}x ({} callers) python-ecsclient's rate",
        rows[0].ratio.unwrap_or(0.0),
        rows[1].ratio.unwrap_or(0.0),
        sizes.mgmt_callers
    );
    Scenario::new(
        1,
        "Management calls: ecs-mgmt vs python-ecsclient",
        "peers",
        ">= 5x python-ecsclient's calls/s",
        rows,
        1,
    )
    .judged(Some(met), finding)
}

/// Scenario 7: `calls` bucket-info calls with one cached token, then with a login before each
/// call and no logout (the upstream plug-in's pattern), sent by a bare HTTP client.
pub(crate) async fn login_pattern(bench: &Bench) -> Scenario {
    let calls = bench.sizes.login_calls;
    let url = bench.sim.mgmt_url();

    bench.sim.clear_log().await;
    let client = crate::client_for(&url, LOGIN_USER, LOGIN_PASSWORD);
    let start = Instant::now();
    for _ in 0..calls {
        client
            .buckets()
            .info(BUCKET, NAMESPACE)
            .await
            .expect("bucket info");
    }
    let ours_s = start.elapsed().as_secs_f64();
    let ours_tokens = bench.sim.live_tokens(LOGIN_USER).await;
    client.close().await;
    let ours_requests = bench.sim.take_count().await;

    let http = reqwest::Client::new();
    let info = format!("{url}/object/bucket/{BUCKET}/info?namespace={NAMESPACE}");
    let start = Instant::now();
    for _ in 0..calls {
        let login = http
            .get(format!("{url}/login"))
            .basic_auth(LOGIN_USER, Some(LOGIN_PASSWORD))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("login");
        let token = login
            .headers()
            .get("x-sds-auth-token")
            .expect("a token")
            .clone();
        http.get(&info)
            .header("x-sds-auth-token", token)
            .header("accept", "application/json")
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("bucket info")
            .bytes()
            .await
            .expect("body");
    }
    let peer_s = start.elapsed().as_secs_f64();
    let peer_tokens = bench.sim.live_tokens(LOGIN_USER).await;
    let peer_requests = bench.sim.take_count().await;

    let per_call = |seconds: f64| seconds * 1e6 / calls as f64;
    let rows = vec![
        Row::versus(
            format!("{calls} bucket-info calls: time per call"),
            per_call(ours_s),
            per_call(peer_s),
            "login per call (upstream plug-in)",
            "us/call",
            Better::Lower,
        )
        .requests(Some(ours_requests), Some(peer_requests)),
        Row::versus(
            "live tokens left on ECS afterwards (before our logout)",
            ours_tokens as f64,
            peer_tokens as f64,
            "login per call (upstream plug-in)",
            "tokens",
            Better::Lower,
        )
        .note("ECS caps live tokens at 100 per user: past that the per-call pattern's logins are refused; this emulator's cap was raised so the pattern could finish"),
    ];
    let finding = format!(
        "one cached token: {:.0} us per call and {} request(s) for {calls} calls, {} token live; login per call: {:.0} us, {} requests, {} tokens live",
        per_call(ours_s),
        ours_requests,
        ours_tokens,
        per_call(peer_s),
        peer_requests,
        peer_tokens
    );
    Scenario::new(
        7,
        "Login pattern: cached token vs login per call",
        "peers",
        "none (informs): time, requests and live tokens",
        rows,
        0,
    )
    .judged(None, finding)
}
