//! `ecsctl`: the operator's tool for Dell ECS object stores in Apache CloudStack.
//!
//! Every command reads the store details CloudStack holds, talks to ECS through `ecs-driver`
//! (and `ecs-mgmt`/`ecs-s3` for what the driver does not expose), and prints text or `--json`.

mod admin;
mod cli;
mod demo;
mod details;
mod doctor;
mod drift;
#[cfg(test)]
mod fuzz_tests;
mod namespace;
mod output;
mod tenants;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{BucketsCommand, Cli, Command, KeysCommand, UsersCommand};
use crate::output::Output;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("ecsctl: cannot start the async runtime: {err}");
            return ExitCode::from(2);
        }
    };
    let json = cli.json;
    match runtime.block_on(run(cli.command, json)) {
        Ok(output) => {
            if json {
                println!("{:#}", output.json);
            } else {
                print!("{}", output.human);
            }
            if output.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(err) => {
            if json {
                let error = serde_json::json!({ "ok": false, "error": format!("{err:#}") });
                println!("{error:#}");
            }
            eprintln!("ecsctl: {err:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(command: Command, json: bool) -> anyhow::Result<Output> {
    match command {
        Command::Doctor { store, ui_origin } => {
            let details = store.details()?;
            let options = doctor::DoctorOptions { ui_origin };
            let report = doctor::run(&details, &options).await;
            Ok(Output {
                human: report.to_human(),
                json: serde_json::to_value(&report)?,
                ok: report.ok,
            })
        }
        Command::Buckets {
            command: BucketsCommand::List { store },
        } => admin::buckets_list(&store.details()?).await,
        Command::Buckets {
            command: BucketsCommand::Usage { store },
        } => admin::buckets_usage(&store.details()?).await,
        Command::Buckets {
            command: BucketsCommand::Empty { store, bucket, yes },
        } => admin::buckets_empty(&store.details()?, &bucket, yes).await,
        Command::Users {
            command: UsersCommand::List { store },
        } => admin::users_list(&store.details()?).await,
        Command::Namespace { command } => namespace::run(command).await,
        Command::Tenants { store } => tenants::tenants(&store.details()?).await,
        Command::Keys {
            command:
                KeysCommand::Rotate {
                    store,
                    account,
                    grace_minutes,
                },
        } => admin::keys_rotate(&store.details()?, &account, grace_minutes).await,
        Command::Drift {
            store,
            cloudstack,
            fix,
            yes,
        } => {
            let options = ecs_driver::drift::FixOptions { fix, yes };
            drift::drift(&store.details()?, cloudstack.as_deref(), options).await
        }
        Command::Demo {
            store,
            sim_control,
            beyond,
        } => {
            let path = if sim_control.is_some() {
                "Rust driver -> ecs-sim"
            } else {
                "Rust driver -> ECS"
            };
            let options = demo::DemoOptions {
                sim_control,
                quiet: json,
                path: path.to_owned(),
                beyond,
            };
            demo::run(&store.details()?, &options).await
        }
    }
}

/// Logs to stderr: warnings by default, more with `-v`, or whatever `RUST_LOG` says.
fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
