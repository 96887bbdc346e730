//! The small vocabulary every ECS crate shares: one error model, secrets, TLS options.
//!
//! `ecs-mgmt`, `ecs-s3` and `ecs-driver` all return [`Error`], classified by one
//! [`ErrorKind`], so a failure keeps its meaning from the wire up to the Java `EcsException`
//! without being translated on the way.

#![deny(missing_docs)]

mod error;
mod secret;
mod tls;

pub use error::{Error, ErrorKind, RemoteError, Result};
pub use secret::{ExposeSecret, SecretString, redacted};
pub use tls::TlsOptions;
