//! `ecs-sim`: the emulator binary (management API, S3, optional control plane).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use ecs_sim::{EcsVersion, Role, Seed, Sim};

/// A stateful emulator of Dell ECS: the management REST API (port 4443 on ECS) and S3 (9020).
///
/// Starts from ECS's factory default (management user root/ChangeMe as SYSTEM_ADMIN, namespace
/// ns1 on replication group rg1) unless --seed or the seed flags say otherwise. Stops cleanly on
/// SIGINT or SIGTERM.
#[derive(Debug, Parser)]
#[command(name = "ecs-sim", version, about, long_about)]
struct Args {
    /// Address of the management API listener.
    #[arg(long, default_value = "127.0.0.1:4443", value_name = "ADDR")]
    mgmt_addr: SocketAddr,

    /// Address of the S3 listener.
    #[arg(long, default_value = "127.0.0.1:9020", value_name = "ADDR")]
    s3_addr: SocketAddr,

    /// Also serve S3 on this address, sharing all state with --s3-addr (ECS's public and private
    /// S3 endpoints); the request log's "listener" field says which address a request reached.
    #[arg(long, value_name = "ADDR")]
    s3_second_addr: Option<SocketAddr>,

    /// Serve the management API over HTTPS with a self-signed certificate (CA written by --ca-out, else printed).
    #[arg(long)]
    mgmt_tls: bool,

    /// Serve S3 over HTTPS with a self-signed certificate (same CA as --mgmt-tls).
    #[arg(long)]
    s3_tls: bool,

    /// Write the CA certificate PEM to this file when TLS is on.
    #[arg(long, value_name = "FILE")]
    ca_out: Option<PathBuf>,

    /// Enable the /_sim/ test control plane (request log, tokens, clock, faults, bucket usage).
    #[arg(long)]
    control: bool,

    /// Keep users, keys and buckets in this JSON file across restarts (loaded if it exists).
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,

    /// Keep S3 object data under this directory (in memory when absent).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,

    /// Read the starting state from a TOML seed file (see the crate README for the format).
    #[arg(long, value_name = "FILE.toml")]
    seed: Option<PathBuf>,

    /// Add a management user: NAME:PASSWORD[:ROLE[:NAMESPACE]], ROLE one of SYSTEM_ADMIN,
    /// SYSTEM_MONITOR, NAMESPACE_ADMIN (repeatable).
    #[arg(long, value_name = "SPEC")]
    mgmt_user: Vec<String>,

    /// Add a namespace: NAME[:REPLICATION_GROUP] (the group is created if unknown; repeatable).
    #[arg(long, value_name = "SPEC")]
    namespace: Vec<String>,

    /// Seconds a management token lives (ECS: 28800).
    #[arg(long, value_name = "SECS")]
    token_lifetime: Option<u64>,

    /// Seconds a management token survives unused (ECS: 7200).
    #[arg(long, value_name = "SECS")]
    token_idle: Option<u64>,

    /// Live tokens a management user may hold (ECS: 100).
    #[arg(long, value_name = "N")]
    max_tokens: Option<usize>,

    /// Seed of the fault-injection random generator (same seed, same faults).
    #[arg(long, value_name = "N")]
    fault_seed: Option<u64>,

    /// The ECS release to play, such as 3.6 or 4.1 (default: the seed's, else 4.1). Below 4.0
    /// the management versioning endpoints are absent (versioning goes through S3); GET
    /// /vdc/nodes reports the version.
    #[arg(long, value_name = "MAJOR.MINOR")]
    ecs_version: Option<EcsVersion>,

    /// Log filter (tracing EnvFilter syntax; RUST_LOG also works).
    #[arg(long, default_value = "info", value_name = "FILTER")]
    log: String,
}

fn parse_role(text: &str) -> Result<Role, String> {
    match text {
        "SYSTEM_ADMIN" => Ok(Role::SystemAdmin),
        "SYSTEM_MONITOR" => Ok(Role::SystemMonitor),
        "NAMESPACE_ADMIN" => Ok(Role::NamespaceAdmin),
        other => Err(format!("unknown role {other}")),
    }
}

/// Builds the seed: the file or the factory default, plus the seed flags.
fn seed(args: &Args) -> Result<Seed, String> {
    let mut seed = match &args.seed {
        Some(path) => Seed::from_file(path).map_err(|error| error.to_string())?,
        None => Seed::default(),
    };
    for spec in &args.namespace {
        let (name, group) = spec.split_once(':').unwrap_or((spec.as_str(), "rg1"));
        if !seed.replication_groups.iter().any(|rg| rg.name == group) {
            seed = seed.with_replication_group(group);
        }
        seed = seed.with_namespace(name, group);
    }
    for spec in &args.mgmt_user {
        let mut parts = spec.splitn(4, ':');
        let (Some(name), Some(password)) = (parts.next(), parts.next()) else {
            return Err(format!(
                "--mgmt-user {spec}: expected NAME:PASSWORD[:ROLE[:NAMESPACE]]"
            ));
        };
        let role = parse_role(parts.next().unwrap_or("SYSTEM_ADMIN"))?;
        seed = seed.with_mgmt_user(name, password, &[role], parts.next());
    }
    if let Some(secs) = args.token_lifetime {
        seed.tokens.lifetime_secs = secs;
    }
    if let Some(secs) = args.token_idle {
        seed.tokens.idle_secs = secs;
    }
    if let Some(max) = args.max_tokens {
        seed.tokens.max_per_user = max;
    }
    if let Some(fault_seed) = args.fault_seed {
        seed.fault_seed = fault_seed;
    }
    if let Some(version) = args.ecs_version {
        seed.ecs_version = version;
    }
    seed.validate().map_err(|error| error.to_string())?;
    Ok(seed)
}

async fn wait_for_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(terminate) => terminate,
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for SIGTERM");
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

async fn serve(args: Args) -> Result<(), String> {
    let seed = seed(&args)?;
    let mut builder = Sim::builder()
        .seed(seed)
        .control(args.control)
        .mgmt_tls(args.mgmt_tls)
        .s3_tls(args.s3_tls)
        .mgmt_addr(args.mgmt_addr)
        .s3_addr(args.s3_addr);
    if let Some(addr) = args.s3_second_addr {
        builder = builder.second_s3_listener(addr);
    }
    if let Some(path) = &args.state {
        builder = builder.state_file(path);
    }
    if let Some(path) = &args.data_dir {
        builder = builder.data_dir(path);
    }
    let sim = builder.start().await.map_err(|error| error.to_string())?;
    println!("ecs-sim management API: {}", sim.mgmt_url());
    println!("ecs-sim S3 API:         {}", sim.s3_url());
    if let Some(url) = sim.second_s3_url() {
        println!("ecs-sim S3 API (2nd):   {url}");
    }
    if let Some(pem) = sim.ca_pem() {
        match &args.ca_out {
            Some(path) => {
                std::fs::write(path, &pem)
                    .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
                println!("ecs-sim CA certificate: {}", path.display());
            }
            None => println!("ecs-sim CA certificate:\n{pem}"),
        }
    }
    if args.control {
        println!("ecs-sim control plane:  {}/_sim/", sim.mgmt_url());
    }
    wait_for_signal().await;
    tracing::info!("shutting down");
    sim.shutdown().await;
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&args.log));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("ecs-sim: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ecs-sim: {error}");
            ExitCode::FAILURE
        }
    }
}
