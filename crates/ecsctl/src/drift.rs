//! `ecsctl drift`: what the driver made on ECS, compared with CloudStack's rows, and the safe
//! repairs. The logic is `ecs_driver::drift`; this module reads the files and prints.

use std::path::Path;

use anyhow::{Context, Result};
use ecs_driver::drift::{CloudStackRows, DriftReport, FixOptions};

use crate::admin::open_store;
use crate::details::Details;
use crate::output::{Output, table};

/// `ecsctl drift`.
pub(crate) async fn drift(
    details: &Details,
    rows: Option<&Path>,
    options: FixOptions,
) -> Result<Output> {
    let rows = rows
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            CloudStackRows::from_json(&text).with_context(|| format!("in {}", path.display()))
        })
        .transpose()?;
    let (_config, store) = open_store(details)?;
    let report = store.drift(rows.as_ref(), options).await;
    store.close().await;
    let report = report.context("cannot read what ECS holds")?;
    Ok(Output {
        human: human(&report),
        json: serde_json::to_value(&report)?,
        ok: !report.drifted(),
    })
}

fn human(report: &DriftReport) -> String {
    let inventory = &report.inventory;
    let mut out = format!(
        "On ECS for CloudStack: {} account user(s), {} bucket credential(s), {} bucket(s) in \
         {} namespace(s) ({})\n",
        inventory.account_users.len(),
        inventory.credential_users.len(),
        inventory.buckets.len(),
        inventory.namespaces.len(),
        inventory
            .namespaces
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !report.compared_with_rows {
        out.push_str("(no CloudStack rows given: only what ECS alone shows was checked)\n");
    }
    if report.findings.is_empty() {
        out.push_str("No drift.\n");
        return out;
    }
    let rows: Vec<Vec<String>> = report
        .findings
        .iter()
        .map(|finding| {
            vec![
                finding.kind.clone(),
                finding.namespace.clone(),
                finding.subject.clone(),
                finding.detail.clone(),
                finding.fixed.clone().unwrap_or_else(|| "-".to_owned()),
            ]
        })
        .collect();
    out.push_str(&table(
        &["KIND", "NAMESPACE", "SUBJECT", "DETAIL", "FIXED"],
        &rows,
    ));
    out.push_str(&format!("{} finding(s): drift.\n", report.findings.len()));
    out
}
