//! `cargo xtask bench`: our clients and driver side by side with what people would use
//! instead (python-ecsclient, boto3, a bare HTTP loop, the upstream plug-in's login pattern),
//! in one run against one release-built `ecs-sim` process, as ratios.
//!
//! `cargo xtask bench` builds everything optimised, prepares the peers (a virtualenv with
//! python-ecsclient and boto3, the Java plug-in's jars) and runs this program, which writes
//! `results.json` and the charts into its output directory and prints one table. Results are
//! measured, never asserted: tests assert behaviour, this shows the cost. The same executable
//! is its own S3 worker (`s3-worker`), so the peak memory of our S3 client is that of a process
//! doing nothing else, like the boto3 process it is compared with.
//!
//! Inputs (set by `cargo xtask bench`): `ECS_BENCH_SIM` (the ecs-sim binary), `ECS_BENCH_OUT`
//! (the output directory), `ECS_BENCH_PYTHON` (the virtualenv's python), `ECS_BENCH_JAVA_CP`
//! and `ECS_BENCH_JNI` (the Java classpath and the JNI library), `ECS_BENCH_QUICK=1` (small
//! sizes), `ECS_BENCH_ONLY=1,4` (a subset of the scenarios while developing).

mod chart;
mod java;
mod mgmt;
mod raw;
mod report;
mod s3;
mod scale;
mod sim;

use std::path::PathBuf;
use std::time::Instant;

use ecs_common::SecretString;
use ecs_driver::{EcsObjectStore, StoreConfig};
use ecs_mgmt::EcsMgmtClient;

use crate::report::{Conditions, Results, Scenario};
use crate::sim::SimProcess;

/// The namespace of the data-path and management scenarios (the emulator's default one).
pub(crate) const NAMESPACE: &str = "ns1";
/// The namespace that grows to 10,000 buckets (scenarios 5, 8 and 9).
pub(crate) const GROWTH_NAMESPACE: &str = "grow";
/// The namespace of the Java scenarios (4 and 6).
pub(crate) const JAVA_NAMESPACE: &str = "plug";
/// The management user of the login-pattern scenario (7), so its tokens are counted alone.
pub(crate) const LOGIN_USER: &str = "login-bench";
pub(crate) const LOGIN_PASSWORD: &str = "ChangeMe7";

/// How big each scenario is: the full run, or `ECS_BENCH_QUICK=1` for development.
#[derive(Clone, Debug)]
pub(crate) struct Sizes {
    pub(crate) mgmt_sequences: usize,
    pub(crate) mgmt_callers: usize,
    pub(crate) mgmt_sequences_per_caller: usize,
    pub(crate) big_bytes: u64,
    pub(crate) small_objects: usize,
    pub(crate) creates: usize,
    pub(crate) jni_calls: usize,
    pub(crate) jni_driver_calls: usize,
    pub(crate) usage_buckets: usize,
    pub(crate) java_threads: usize,
    pub(crate) java_buckets: usize,
    pub(crate) login_calls: usize,
    pub(crate) growth_buckets: Vec<usize>,
    pub(crate) growth_accounts: Vec<usize>,
    pub(crate) growth_ops: usize,
    pub(crate) emulator_objects: usize,
    pub(crate) emulator_requests: usize,
}

impl Sizes {
    fn full() -> Sizes {
        Sizes {
            mgmt_sequences: 300,
            mgmt_callers: 16,
            mgmt_sequences_per_caller: 40,
            big_bytes: 1 << 30,
            small_objects: 10_000,
            creates: 300,
            jni_calls: 2_000_000,
            jni_driver_calls: 300,
            usage_buckets: 10_000,
            java_threads: 64,
            java_buckets: 320,
            login_calls: 1_000,
            growth_buckets: vec![100, 1_000, 10_000],
            growth_accounts: vec![10, 1_000],
            growth_ops: 20,
            emulator_objects: 100_000,
            emulator_requests: 20_000,
        }
    }

    fn quick() -> Sizes {
        Sizes {
            mgmt_sequences: 20,
            mgmt_callers: 16,
            mgmt_sequences_per_caller: 3,
            big_bytes: 64 << 20,
            small_objects: 300,
            creates: 20,
            jni_calls: 100_000,
            jni_driver_calls: 20,
            usage_buckets: 300,
            java_threads: 64,
            java_buckets: 128,
            login_calls: 100,
            growth_buckets: vec![20, 100, 300],
            growth_accounts: vec![5, 30],
            growth_ops: 5,
            emulator_objects: 1_000,
            emulator_requests: 2_000,
        }
    }
}

/// Everything a scenario needs: the emulator, the sizes, the peers' tools.
pub(crate) struct Bench {
    /// The emulator every scenario but the large transfer talks to (objects in memory).
    pub(crate) sim: SimProcess,
    pub(crate) sim_binary: PathBuf,
    pub(crate) sizes: Sizes,
    pub(crate) out: PathBuf,
    pub(crate) python: Option<PathBuf>,
    pub(crate) py_dir: PathBuf,
    pub(crate) java_cp: Option<String>,
    pub(crate) jni: Option<PathBuf>,
    /// How many buckets the growth namespace holds so far.
    pub(crate) grown: std::sync::atomic::AtomicUsize,
}

impl Bench {
    /// A management client for the emulator's root user.
    pub(crate) fn client(&self) -> EcsMgmtClient {
        client_for(&self.sim.mgmt_url(), "root", "ChangeMe")
    }

    /// A driver store on `namespace`, without CORS origins (so every request of a bucket
    /// creation goes to the management API, which a bare HTTP loop can replay).
    pub(crate) fn store(&self, namespace: &str) -> EcsObjectStore {
        store_on(&self.sim, namespace)
    }
}

/// A driver store on `namespace` of `sim`, without CORS origins.
pub(crate) fn store_on(sim: &SimProcess, namespace: &str) -> EcsObjectStore {
    {
        let details = [
            ("mgmt_url", sim.mgmt_url()),
            ("sa_user", "root".to_owned()),
            ("sa_password", "ChangeMe".to_owned()),
            ("namespace", namespace.to_owned()),
            ("s3_public_url", sim.s3_url()),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect();
        let config = StoreConfig::from_details(&details).expect("valid details");
        EcsObjectStore::new(config).expect("store builds")
    }
}

pub(crate) fn client_for(url: &str, user: &str, password: &str) -> EcsMgmtClient {
    EcsMgmtClient::builder()
        .endpoint(url)
        .expect("emulator URL is valid")
        .credentials(user, SecretString::from(password))
        .build()
        .expect("client builds")
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("s3-worker") {
        s3::worker(&args[2..]);
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(orchestrate());
}

async fn orchestrate() {
    let quick = std::env::var("ECS_BENCH_QUICK").is_ok_and(|value| value == "1");
    let only: Option<Vec<u32>> = std::env::var("ECS_BENCH_ONLY")
        .ok()
        .filter(|value| !value.is_empty())
        .map(|value| {
            value
                .split(',')
                .map(|id| {
                    id.trim()
                        .parse()
                        .expect("ECS_BENCH_ONLY lists scenario numbers")
                })
                .collect()
        });
    let wanted = |id: u32| only.as_ref().is_none_or(|ids| ids.contains(&id));
    let out = env_path("ECS_BENCH_OUT").unwrap_or_else(|| PathBuf::from("target/bench"));
    std::fs::create_dir_all(&out).expect("create the output directory");
    let sim_binary = env_path("ECS_BENCH_SIM").expect("ECS_BENCH_SIM names the ecs-sim binary");
    // Left over from an interrupted run: start empty.
    let _ = std::fs::remove_dir_all(out.join("sim-data"));
    let started = Instant::now();
    let load_start = report::load_average();
    let bench = Bench {
        sim: SimProcess::start(&sim_binary, None, &out.join("sim.log")),
        sim_binary,
        sizes: if quick { Sizes::quick() } else { Sizes::full() },
        py_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/py"),
        python: env_path("ECS_BENCH_PYTHON"),
        java_cp: std::env::var("ECS_BENCH_JAVA_CP")
            .ok()
            .filter(|cp| !cp.is_empty()),
        jni: env_path("ECS_BENCH_JNI"),
        out: out.clone(),
        grown: std::sync::atomic::AtomicUsize::new(0),
    };
    eprintln!(
        "bench: ecs-sim (pid {}) on {} and {}, {} sizes",
        bench.sim.pid(),
        bench.sim.mgmt_url(),
        bench.sim.s3_url(),
        if quick { "quick" } else { "full" }
    );
    mgmt::prepare(&bench).await;

    let mut scenarios: Vec<Scenario> = Vec::new();
    // Scenario 4 first: its usage call should see the same small namespace from Java and Rust.
    let order: [u32; 9] = [4, 1, 7, 3, 6, 2, 8, 5, 9];
    for id in order.into_iter().filter(|id| wanted(*id)) {
        eprintln!("bench: scenario {id} ...");
        let clock = Instant::now();
        let mut scenario = match id {
            1 => mgmt::versus_python(&bench).await,
            2 => s3::versus_boto3(&bench).await,
            3 => raw::driver_overhead(&bench).await,
            4 => java::jni_cost(&bench).await,
            5 => scale::hourly_usage(&bench).await,
            6 => java::many_callers(&bench).await,
            7 => mgmt::login_pattern(&bench).await,
            8 => scale::growth(&bench).await,
            9 => scale::emulator(&bench).await,
            _ => unreachable!("the order lists scenarios 1 to 9"),
        };
        scenario.elapsed_s = clock.elapsed().as_secs_f64();
        eprintln!("bench: scenario {id} took {:.1} s", scenario.elapsed_s);
        scenarios.push(scenario);
    }
    scenarios.sort_by_key(|scenario| scenario.id);
    let results = Results {
        finished_unix: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_secs()),
        quick,
        total_s: started.elapsed().as_secs_f64(),
        conditions: Conditions {
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            load_average_start: load_start,
            load_average_end: report::load_average(),
            profile: "release (cargo xtask bench)",
        },
        ratio_is: "how many times better ours is than the peer: ours/peer for rates, peer/ours for costs (above 1: ours is faster)",
        scenarios,
    };
    for scenario in &results.scenarios {
        scenario.print();
    }
    let json = serde_json::to_string_pretty(&results).expect("results serialise");
    std::fs::write(out.join("results.json"), json).expect("write results.json");
    chart::draw_all(&results, &out);
    println!(
        "\nbench: {} scenarios in {:.0} s; wrote {} and the charts",
        results.scenarios.len(),
        results.total_s,
        out.join("results.json").display()
    );
}
