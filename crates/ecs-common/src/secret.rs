//! Secrets (passwords, secret keys, tokens) and the helpers that keep them out of output.

pub use secrecy::{ExposeSecret, SecretString};

/// Formats a secret for `Debug` output: never its value, only whether it is set.
///
/// ```
/// assert_eq!(ecs_common::redacted(Some(&"hunter2".into())), "Some(** redacted **)");
/// ```
pub fn redacted(secret: Option<&SecretString>) -> &'static str {
    match secret {
        Some(_) => "Some(** redacted **)",
        None => "None",
    }
}
