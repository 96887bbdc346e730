//! `ecs-sim`: a stateful emulator of Dell ECS (management REST API and S3) for tests and demos.
#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod access;
mod clock;
mod control;
mod control_http;
mod core;
mod data;
mod error;
mod faults;
mod mgmt;
mod s3;
mod seed;
mod server;
mod sim;
mod state;
mod storage;
mod tls;
mod version;

pub use control::{Api, Control, FaultRule, RequestRecord};
pub use data::BucketUsage;
pub use seed::{
    MgmtUserSeed, NamespaceSeed, ObjectUserSeed, ReplicationGroupSeed, Role, Seed, TokenSettings,
};
pub use sim::{Sim, SimBuilder};
pub use version::EcsVersion;
