//! Generated input for what `ecsctl` reads from people: details files (JSON and `key=value`),
//! command lines (flags, `-D KEY=VALUE`, positional bucket and account), and the store
//! configuration the driver builds from them. Run by `cargo xtask fuzz` (see `ecs-fuzz`).

use clap::Parser;
use ecs_driver::{ErrorKind, StoreConfig, validate};
use ecs_fuzz::proptest::prelude::*;
use ecs_fuzz::proptest::sample::select;
use ecs_fuzz::{awkward_text, check, json_doc, mutated, scalar_text, text_from};

use crate::cli::{BucketsCommand, Cli, Command, KeysCommand, StoreArgs, UsersCommand};
use crate::details;

const KEYS: &[&str] = &[
    "mgmt_url",
    "sa_user",
    "sa_password",
    "namespace",
    "s3_public_url",
    "s3_private_url",
    "s3_host",
    "insecure",
    "ca_cert",
    "user_prefix",
    "replication_group",
    "cors_origins",
    "url",
    "MGMT_URL",
    "",
];

const VALUES: &[&str] = &[
    "https://ecs.example.com:4443",
    "http://127.0.0.1:9020",
    "10.0.0.5:9021",
    "root",
    "ChangeMe",
    "ns1",
    "true",
    "yes",
    "cs-",
    "rg1",
    "https://cloud.example.com",
    "=",
    "#",
    " ",
    "\n",
    "\"",
    "{",
    "}",
    ":",
    ",",
    "null",
    "[1]",
    "{\"a\":1}",
];

fn details_text() -> impl Strategy<Value = String> {
    let line = (
        select(KEYS),
        prop_oneof![select(VALUES).prop_map(str::to_owned), scalar_text()],
    )
        .prop_map(|(key, value)| format!("{key}={value}"));
    prop_oneof![
        3 => prop::collection::vec(
            prop_oneof![4 => line, 1 => select(&["", "# comment", "   ", "=x", "novalue", "\r"][..]).prop_map(str::to_owned)],
            0..10,
        )
        .prop_map(|lines| lines.join("\n")),
        3 => json_doc(KEYS),
        2 => mutated(vec![
            "mgmt_url=https://ecs:4443\nsa_user=root\nsa_password=a=b\nnamespace=ns1\ns3_public_url=http://s3:9020\n".to_owned(),
            r#"{"mgmt_url":"https://ecs:4443","sa_user":"root","sa_password":"x","namespace":"ns1","s3_public_url":"http://s3:9020","insecure":true,"user_prefix":null}"#.to_owned(),
        ])
        .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        1 => awkward_text(),
    ]
}

/// A details text either parses into a map or is refused with a message; a map either makes
/// a store configuration or an `InvalidInput` error.
fn judge(text: &str) {
    match details::parse(text) {
        Ok(map) => {
            if let Err(error) = StoreConfig::from_details(&map) {
                assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
            }
        }
        Err(error) => assert!(!format!("{error:#}").is_empty()),
    }
}

#[test]
fn fuzz_ctl_details_files() {
    check("ctl_details_files", details_text(), |text| judge(&text));
}

fn store_of(command: &Command) -> Option<&StoreArgs> {
    match command {
        Command::Doctor { store, .. }
        | Command::Demo { store, .. }
        | Command::Drift { store, .. }
        | Command::Tenants { store } => Some(store),
        Command::Buckets { command } => match command {
            BucketsCommand::List { store }
            | BucketsCommand::Usage { store }
            | BucketsCommand::Empty { store, .. } => Some(store),
        },
        Command::Users {
            command: UsersCommand::List { store },
        } => Some(store),
        Command::Keys {
            command: KeysCommand::Rotate { store, .. },
        } => Some(store),
        // Its sub-commands each carry the store; the generated command lines do not reach them.
        Command::Namespace { .. } => None,
    }
}

#[test]
fn fuzz_ctl_command_lines() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("store.properties");
    std::fs::write(
        &file,
        "mgmt_url=https://ecs:4443\nsa_user=root\nsa_password=pw\nnamespace=ns1\n",
    )
    .expect("write the details file");
    let file: &'static str = Box::leak(file.display().to_string().into_boxed_str());
    let words: &'static [&'static str] = Box::leak(
        vec![
            "doctor",
            "buckets",
            "list",
            "usage",
            "empty",
            "users",
            "keys",
            "rotate",
            "demo",
            "drift",
            "--fix",
            "--json",
            "-v",
            "-vvv",
            "--details",
            file,
            "/nonexistent",
            "--mgmt-url",
            "--sa-user",
            "--sa-password",
            "--namespace",
            "--s3-public-url",
            "--s3-private-url",
            "--ca-cert-file",
            "--insecure",
            "-D",
            "--detail",
            "user_prefix=acs-",
            "=",
            "k=v",
            "--grace-minutes",
            "60",
            "-1",
            "18446744073709551616",
            "--yes",
            "--ui-origin",
            "--sim-control",
            "https://ecs:4443",
            "b1",
            "Bad_Bucket",
            "0e9c6e8a-1f0b-4c39-9c1b-2d5f3e4a5b6c",
            "--",
            "--help",
            "-h",
        ]
        .into_boxed_slice(),
    );
    let argument = prop_oneof![
        6 => select(words).prop_map(str::to_owned),
        1 => text_from(&["-", "--", "=", "a", "D", "é", "k"]),
        1 => scalar_text(),
    ];
    check(
        "ctl_command_lines",
        prop::collection::vec(argument, 0..10),
        |arguments| {
            let args = std::iter::once("ecsctl".to_owned()).chain(arguments);
            let Ok(cli) = Cli::try_parse_from(args) else {
                return;
            };
            if let Some(store) = store_of(&cli.command)
                && let Ok(map) = store.details()
                && let Err(error) = StoreConfig::from_details(&map)
            {
                assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
            }
            match &cli.command {
                Command::Buckets {
                    command: BucketsCommand::Empty { bucket, .. },
                } => {
                    let _ = validate::bucket_name(bucket);
                }
                Command::Keys {
                    command: KeysCommand::Rotate { account, .. },
                } => {
                    let _ = validate::account_uuid(account);
                }
                _ => {}
            }
        },
    );
}
