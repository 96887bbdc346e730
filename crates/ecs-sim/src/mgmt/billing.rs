//! Billing (metering): bucket info, batch bucket info, namespace info, batch namespace info.
//!
//! Sizes come from the bucket contents ([`crate::core::Core::usage`]), sampled live: the
//! `sample_time` and `uptodate_till` are the current emulated time. `sizeunit` takes `KB`,
//! `MB`, `GB` (the default; binary like ECS's legacy units), `KiB`, `MiB`, `GiB` and `BYTE`.

use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::routing::{get, post};

use super::buckets::tag_set;
use super::doc::{Doc, Val};
use super::input::Input;
use super::{Answer, Body, Caller, Params, Reply, Req, page, routes};
use crate::clock::sample_time;
use crate::core::Core;
use crate::data::BucketUsage;
use crate::error::EcsError;
use crate::state::Bucket;

#[rustfmt::skip]
pub(super) fn routes() -> Router<Arc<Core>> {
    routes! {
        "/object/billing/buckets/{namespace}/{bucket}/info" => get(bucket_info),
        "/object/billing/buckets/{namespace}/info" => post(buckets_info),
        "/object/billing/namespace/{namespace}/info" => get(namespace_info),
        "/object/billing/namespace/info" => post(namespaces_info),
    }
}

/// Buckets per page of a namespace's bucket details or a batch answer.
const PAGE: usize = 100;

/// A billing size unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct SizeUnit {
    name: &'static str,
    bytes: u64,
}

impl SizeUnit {
    fn parse(params: &Params) -> Result<SizeUnit, EcsError> {
        let (name, bytes) = match params.get("sizeunit").unwrap_or("GB") {
            "BYTE" => ("BYTE", 1),
            "KB" => ("KB", 1 << 10),
            "MB" => ("MB", 1 << 20),
            "GB" => ("GB", 1 << 30),
            "KiB" => ("KiB", 1 << 10),
            "MiB" => ("MiB", 1 << 20),
            "GiB" => ("GiB", 1 << 30),
            other => return Err(EcsError::invalid(format!("Invalid sizeunit {other}"))),
        };
        Ok(SizeUnit { name, bytes })
    }

    /// A size in this unit: exact integers for `BYTE`, else rounded to 6 decimals.
    fn size(self, bytes: u64) -> Val {
        if self.bytes == 1 {
            return Val::Int(i64::try_from(bytes).unwrap_or(i64::MAX));
        }
        #[allow(
            clippy::cast_precision_loss,
            reason = "billing sizes are approximate by nature"
        )]
        let value = bytes as f64 / self.bytes as f64;
        Val::Float((value * 1e6).round() / 1e6)
    }
}

fn count(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn bucket_billing(bucket: &Bucket, usage: BucketUsage, unit: SizeUnit, now: i64) -> Doc {
    Doc::new("bucket_billing_info")
        .str("name", bucket.name.clone())
        .str("namespace", bucket.namespace.clone())
        .str("vpool_id", bucket.vpool.clone())
        .val("total_size", unit.size(usage.bytes))
        .str("total_size_unit", unit.name)
        .int("total_objects", count(usage.objects))
        .str("sample_time", sample_time(now))
        .str("uptodate_till", sample_time(now))
        .val("TagSet", tag_set(&bucket.tags, Some("Tag")))
        .val("total_mpu_size", unit.size(0))
        .int("total_mpu_parts", count(usage.uploads))
}

/// The billing rows of `names` in `namespace`, read under one lock; usage asked after.
fn rows(
    core: &Core,
    caller: &Caller,
    namespace: &str,
    names: &[String],
) -> Result<Vec<Bucket>, EcsError> {
    let state = core.state();
    state.namespace(namespace)?;
    caller.read(namespace, "read billing")?;
    names
        .iter()
        .map(|name| state.bucket(namespace, name).cloned())
        .collect()
}

/// `GET /object/billing/buckets/{namespace}/{bucket}/info[?sizeunit=]`.
async fn bucket_info(req: Req, Path((namespace, bucket)): Path<(String, String)>) -> Answer {
    let unit = SizeUnit::parse(&req.params)?;
    let buckets = rows(&req.core, &req.caller, &namespace, &[bucket])?;
    let now = req.core.clock.now_ms();
    let doc = buckets
        .first()
        .map(|bucket| bucket_billing(bucket, req.core.usage(&namespace, &bucket.name), unit, now))
        .ok_or_else(|| EcsError::internal("bucket vanished"))?;
    Ok(Reply::doc(doc))
}

/// The `id` list of a batch body: JSON `{"id": [...]}` or XML `<bucket_list><id>…</id></bucket_list>`.
fn ids(body: Input, root: &str) -> Result<Vec<String>, EcsError> {
    let ids: Vec<String> = body
        .root(root)
        .list("id")
        .iter()
        .filter_map(Input::as_text)
        .collect();
    if ids.is_empty() {
        Err(EcsError::missing("id"))
    } else {
        Ok(ids)
    }
}

/// `POST /object/billing/buckets/{namespace}/info[?sizeunit=&marker=]`: several buckets at once,
/// answered in name order, [`PAGE`] at a time with `next_marker`.
async fn buckets_info(req: Req, Path(namespace): Path<String>, Body(body): Body) -> Answer {
    let unit = SizeUnit::parse(&req.params)?;
    let mut names = ids(body, "bucket_list")?;
    names.sort();
    names.dedup();
    // Page the names first, so that a page reads and measures only its own buckets (measuring
    // every named bucket for every page made a batch of n buckets cost O(n²)).
    let keyed = names.into_iter().map(|name| (name.clone(), name)).collect();
    let (names, next) = page(keyed, req.params.get("marker"), Some(PAGE));
    let buckets = rows(&req.core, &req.caller, &namespace, &names)?;
    let now = req.core.clock.now_ms();
    let items = buckets
        .iter()
        .map(|bucket| {
            let usage = req.core.usage(&namespace, &bucket.name);
            Val::Obj(bucket_billing(bucket, usage, unit, now))
        })
        .collect();
    let doc = Doc::new("bucket_billing_infos").list("bucket_billing_info", items);
    Ok(Reply::doc(match next {
        Some(next) => doc.str("next_marker", next),
        None => doc,
    }))
}

/// The `namespace_billing_info` of one namespace, with bucket rows when asked.
fn namespace_billing(
    core: &Core,
    caller: &Caller,
    namespace: &str,
    unit: SizeUnit,
    detail: bool,
    marker: Option<&str>,
) -> Result<Doc, EcsError> {
    let buckets: Vec<Bucket> = {
        let state = core.state();
        state.namespace(namespace)?;
        caller.read(namespace, "read billing")?;
        state
            .buckets
            .get(namespace)
            .map(|b| b.values().cloned().collect())
            .unwrap_or_default()
    };
    let now = core.clock.now_ms();
    let usages: Vec<(Bucket, BucketUsage)> = buckets
        .into_iter()
        .map(|bucket| {
            let usage = core.usage(namespace, &bucket.name);
            (bucket, usage)
        })
        .collect();
    let total_bytes = usages.iter().map(|(_, usage)| usage.bytes).sum();
    let total_objects = usages.iter().map(|(_, usage)| usage.objects).sum();
    let total_uploads = usages.iter().map(|(_, usage)| usage.uploads).sum();
    let mut doc = Doc::new("namespace_billing_info")
        .str("namespace", namespace)
        .val("total_size", unit.size(total_bytes))
        .str("total_size_unit", unit.name)
        .int("total_objects", count(total_objects))
        .str("sample_time", sample_time(now))
        .str("uptodate_till", sample_time(now))
        .val("total_mpu_size", unit.size(0))
        .int("total_mpu_parts", count(total_uploads));
    if detail {
        let entries = usages
            .iter()
            .map(|(bucket, usage)| {
                (
                    bucket.name.clone(),
                    Val::Obj(bucket_billing(bucket, *usage, unit, now)),
                )
            })
            .collect();
        let (items, next) = page(entries, marker, Some(PAGE));
        doc = doc.list("bucket_billing_info", items);
        if let Some(next) = next {
            doc = doc.str("next_marker", next);
        }
    }
    Ok(doc)
}

/// `GET /object/billing/namespace/{namespace}/info[?sizeunit=&include_bucket_detail=&marker=]`.
async fn namespace_info(req: Req, Path(namespace): Path<String>) -> Answer {
    let unit = SizeUnit::parse(&req.params)?;
    let doc = namespace_billing(
        &req.core,
        &req.caller,
        &namespace,
        unit,
        req.params.flag("include_bucket_detail"),
        req.params.get("marker"),
    )?;
    Ok(Reply::doc(doc))
}

/// `POST /object/billing/namespace/info[?sizeunit=]`: several namespaces at once.
async fn namespaces_info(req: Req, Body(body): Body) -> Answer {
    let unit = SizeUnit::parse(&req.params)?;
    let detail = req.params.flag("include_bucket_detail");
    let docs = ids(body, "namespace_list")?
        .iter()
        .map(|namespace| {
            namespace_billing(&req.core, &req.caller, namespace, unit, detail, None).map(Val::Obj)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Reply::doc(
        Doc::new("namespace_billing_infos").list("namespace_billing_info", docs),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_convert_binary_and_bytes_exactly() {
        let params = |unit: &str| {
            Params(
                [("sizeunit".to_owned(), unit.to_owned())]
                    .into_iter()
                    .collect(),
            )
        };
        let kb = SizeUnit::parse(&params("KB")).unwrap();
        assert_eq!(kb.size(1536), Val::Float(1.5));
        let byte = SizeUnit::parse(&params("BYTE")).unwrap();
        assert_eq!(byte.size(12_345), Val::Int(12_345));
        assert_eq!(SizeUnit::parse(&Params::default()).unwrap().name, "GB");
        assert_eq!(SizeUnit::parse(&params("TB")).unwrap_err().code, 1008);
    }
}
