//! Counting the ECS requests a step sends, from the emulator's request log (`/_sim/log`).
//!
//! Against a real ECS there is no such log; the demo then reports only the management
//! requests the driver counted itself.

use std::fmt;

use anyhow::{Context, Result};
use serde::Deserialize;
use url::Url;

/// One record of the emulator's request log.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Record {
    /// `mgmt` or `s3`.
    pub(crate) api: String,
    /// The HTTP method.
    pub(crate) method: String,
    /// The path as sent.
    pub(crate) path: String,
    /// The HTTP status (0: dropped).
    pub(crate) status: u16,
}

/// Requests of one step, by API.
#[derive(Clone, Debug, Default)]
pub(crate) struct Requests {
    /// Every request, in order.
    pub(crate) records: Vec<Record>,
}

impl Requests {
    pub(crate) fn mgmt(&self) -> usize {
        self.records
            .iter()
            .filter(|record| record.api == "mgmt")
            .count()
    }

    pub(crate) fn s3(&self) -> usize {
        self.records
            .iter()
            .filter(|record| record.api == "s3")
            .count()
    }

    pub(crate) fn total(&self) -> usize {
        self.records.len()
    }
}

impl fmt::Display for Requests {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.total();
        let noun = if total == 1 { "request" } else { "requests" };
        write!(
            f,
            "{total} ECS {noun} ({} mgmt, {} S3)",
            self.mgmt(),
            self.s3()
        )
    }
}

/// Reads and clears the emulator's request log.
#[derive(Debug)]
pub(crate) struct Counter {
    client: reqwest::Client,
    log_url: Url,
}

impl Counter {
    /// A counter for the emulator whose management URL (where `/_sim/` lives) is `base`.
    pub(crate) fn new(base: &Url) -> Result<Self> {
        let log_url = base.join("/_sim/log").context("bad --sim-control URL")?;
        let client = reqwest::Client::builder()
            .tls_danger_accept_invalid_certs(true)
            .build()
            .context("cannot build the control-plane client")?;
        Ok(Counter { client, log_url })
    }

    /// Forgets every request so far.
    pub(crate) async fn reset(&self) -> Result<()> {
        self.client
            .delete(self.log_url.clone())
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .context("cannot clear the emulator's request log (is --control on?)")?;
        Ok(())
    }

    /// The requests since the last [`reset`](Self::reset).
    pub(crate) async fn take(&self) -> Result<Requests> {
        let records = self
            .client
            .get(self.log_url.clone())
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .context("cannot read the emulator's request log")?
            .json::<Vec<Record>>()
            .await
            .context("the emulator's request log is not the expected JSON")?;
        self.reset().await?;
        Ok(Requests { records })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_api() {
        let record = |api: &str| Record {
            api: api.into(),
            method: "GET".into(),
            path: "/".into(),
            status: 200,
        };
        let requests = Requests {
            records: vec![record("mgmt"), record("s3"), record("mgmt")],
        };
        assert_eq!(requests.to_string(), "3 ECS requests (2 mgmt, 1 S3)");
    }
}
