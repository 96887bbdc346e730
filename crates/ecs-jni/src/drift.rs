//! The native of `EcsObjectStore.drift`: CloudStack's rows (the JSON shape `ecs_driver::drift`
//! documents) in, the driver's drift report out as a `DriftReport`. Read-only: no repair is
//! made through this bridge (`ecsctl drift --fix` makes them).

use ecs_driver::drift::{CloudStackRows, DriftReport, Finding, FixOptions};
use jni::objects::{JClass, JObject, JString, JValue};
use jni::sys::jlong;
use jni::{Env, jni_sig};

use crate::classes;
use crate::convert::{object_array, optional_string};
use crate::error::BridgeResult;
use crate::store::{block_on, store};

pub(crate) fn drift<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
    handle: jlong,
    rows_json: JString<'local>,
) -> BridgeResult<JObject<'local>> {
    let store = store(handle)?;
    let rows = optional_string(env, &rows_json)?
        .map(|text| CloudStackRows::from_json(&text))
        .transpose()?;
    let report = block_on(store.drift(rows.as_ref(), FixOptions::default()))??;
    drift_report(env, &report)
}

/// `new DriftReport(comparedWithRows, accountUsers, credentialUsers, buckets, Finding[])`.
fn drift_report<'local>(
    env: &mut Env<'local>,
    report: &DriftReport,
) -> BridgeResult<JObject<'local>> {
    let classes = classes::get()?;
    let findings = object_array(
        env,
        &classes.drift_finding,
        &report.findings,
        |env, finding: &Finding| {
            let kind = env.new_string(&finding.kind)?;
            let subject = env.new_string(&finding.subject)?;
            let detail = env.new_string(&finding.detail)?;
            Ok(env.new_object(
                &classes.drift_finding,
                jni_sig!((kind: JString, subject: JString, detail: JString) -> void),
                &[
                    JValue::Object(&kind),
                    JValue::Object(&subject),
                    JValue::Object(&detail),
                ],
            )?)
        },
    )?;
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    Ok(env.new_object(
        &classes.drift_report,
        jni_sig!((compared_with_rows: jboolean, account_users: jint, credential_users: jint, buckets: jint,
            findings: io.ecscloudstack.ecs.DriftReport::Finding[]) -> void),
        &[
            JValue::Bool(report.compared_with_rows),
            JValue::Int(count(report.inventory.account_users.len())),
            JValue::Int(count(report.inventory.credential_users.len())),
            JValue::Int(count(report.inventory.buckets.len())),
            JValue::Object(&findings),
        ],
    )?)
}
