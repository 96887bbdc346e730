//! Metering (`/object/billing`): bucket and namespace usage, always asked for in bytes
//! (`sizeunit=BYTE`) and converted to bytes if an older ECS answers in another unit.

use ecs_common::{Error, ErrorKind, Result};
use futures::TryStreamExt;
use http::Method;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::api::buckets::BucketTag;
use crate::client::EcsMgmtClient;
use crate::pagination::{ItemStream, Page, paginate};
use crate::request::{ApiRequest, Path, require};
use crate::wire::{Format, de};

/// Usage of one bucket, as last sampled by ECS (every ~5 minutes).
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct BucketBilling {
    /// The namespace.
    pub namespace: String,
    /// The bucket name.
    pub name: String,
    /// The replication group URN.
    pub vpool_id: Option<String>,
    /// Bytes stored.
    pub total_size_bytes: u64,
    /// Objects stored.
    pub total_objects: u64,
    /// Bytes in unfinished multipart uploads, when reported.
    pub total_mpu_size_bytes: Option<u64>,
    /// Parts of unfinished multipart uploads, when reported.
    pub total_mpu_parts: Option<u64>,
    /// When the sample was taken.
    pub sample_time: Option<OffsetDateTime>,
    /// Until when the sample is consistent.
    pub uptodate_till: Option<OffsetDateTime>,
    /// The bucket's tags.
    pub tags: Vec<BucketTag>,
}

/// Usage of a whole namespace.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct NamespaceBilling {
    /// The namespace.
    pub namespace: String,
    /// Bytes stored (bucket sizes are rounded before summing, so this need not equal their sum).
    pub total_size_bytes: u64,
    /// Objects stored.
    pub total_objects: u64,
    /// When the sample was taken.
    pub sample_time: Option<OffsetDateTime>,
}

#[derive(Deserialize)]
struct RawBucketBilling {
    #[serde(default, deserialize_with = "de::string")]
    namespace: String,
    #[serde(default, deserialize_with = "de::string")]
    name: String,
    #[serde(default, deserialize_with = "de::opt_string")]
    vpool_id: Option<String>,
    #[serde(default, deserialize_with = "de::opt_f64")]
    total_size: Option<f64>,
    #[serde(default, deserialize_with = "de::opt_string")]
    total_size_unit: Option<String>,
    #[serde(default, deserialize_with = "de::opt_u64")]
    total_objects: Option<u64>,
    #[serde(default, deserialize_with = "de::opt_f64")]
    total_mpu_size: Option<f64>,
    #[serde(default, deserialize_with = "de::opt_u64")]
    total_mpu_parts: Option<u64>,
    #[serde(default, deserialize_with = "de::opt_time")]
    sample_time: Option<OffsetDateTime>,
    #[serde(default, deserialize_with = "de::opt_time")]
    uptodate_till: Option<OffsetDateTime>,
    #[serde(
        rename = "TagSet",
        alias = "Tag",
        alias = "tags",
        default,
        deserialize_with = "de::wrapped_list"
    )]
    tags: Vec<BucketTag>,
}

impl RawBucketBilling {
    fn into_billing(self) -> Result<BucketBilling> {
        let unit = self.total_size_unit.as_deref();
        Ok(BucketBilling {
            total_size_bytes: to_bytes(self.total_size, unit)?,
            total_mpu_size_bytes: self
                .total_mpu_size
                .map(|size| to_bytes(Some(size), unit))
                .transpose()?,
            namespace: self.namespace,
            name: self.name,
            vpool_id: self.vpool_id,
            total_objects: self.total_objects.unwrap_or_default(),
            total_mpu_parts: self.total_mpu_parts,
            sample_time: self.sample_time,
            uptodate_till: self.uptodate_till,
            tags: self.tags,
        })
    }
}

#[derive(Deserialize)]
pub(crate) struct RawBucketBillingList {
    #[serde(
        rename = "bucket_billing_info",
        alias = "bucket_billing_infos",
        default
    )]
    buckets: Vec<RawBucketBilling>,
    #[serde(default, deserialize_with = "de::opt_string")]
    next_marker: Option<String>,
}

#[derive(Deserialize)]
struct RawNamespaceBilling {
    #[serde(default, deserialize_with = "de::string")]
    namespace: String,
    #[serde(default, deserialize_with = "de::opt_f64")]
    total_size: Option<f64>,
    #[serde(default, deserialize_with = "de::opt_string")]
    total_size_unit: Option<String>,
    #[serde(default, deserialize_with = "de::opt_u64")]
    total_objects: Option<u64>,
    #[serde(default, deserialize_with = "de::opt_time")]
    sample_time: Option<OffsetDateTime>,
    #[serde(default)]
    bucket_billing_info: Vec<RawBucketBilling>,
    #[serde(default, deserialize_with = "de::opt_string")]
    next_marker: Option<String>,
}

#[derive(Serialize)]
struct BucketIds<'a> {
    id: &'a [String],
}

/// Converts a reported size to bytes; `BYTE` is exact, the legacy units are binary.
fn to_bytes(size: Option<f64>, unit: Option<&str>) -> Result<u64> {
    let Some(size) = size else { return Ok(0) };
    let factor: f64 = match unit.map(|u| u.trim().to_ascii_uppercase()).as_deref() {
        None | Some("") | Some("BYTE") | Some("BYTES") | Some("B") => 1.0,
        Some("KB") | Some("KIB") => 1024.0,
        Some("MB") | Some("MIB") => 1024.0 * 1024.0,
        Some("GB") | Some("GIB") => 1024.0 * 1024.0 * 1024.0,
        Some("TB") | Some("TIB") => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        Some(other) => {
            return Err(Error::new(
                ErrorKind::Protocol,
                format!("unknown billing size unit `{other}`"),
            ));
        }
    };
    if !size.is_finite() || size < 0.0 {
        return Err(Error::new(
            ErrorKind::Protocol,
            format!("invalid billing size `{size}`"),
        ));
    }
    Ok((size * factor).round() as u64)
}

/// `GET /object/billing/buckets/{ns}/{bucket}/info?sizeunit=BYTE`.
pub(crate) fn bucket_info_request(
    namespace: &str,
    bucket: &str,
    format: Format,
) -> Result<ApiRequest> {
    require(namespace, "namespace")?;
    require(bucket, "bucket name")?;
    let path = Path::new("object/billing/buckets")
        .seg(namespace)
        .seg(bucket)
        .lit("info");
    Ok(ApiRequest::get(path, format, "bucket billing").query("sizeunit", "BYTE"))
}

/// `POST /object/billing/buckets/{ns}/info?sizeunit=BYTE[&marker=]` with the bucket names
/// (root `bucket_list`); a read, so repeating it is harmless.
pub(crate) fn buckets_info_request(
    namespace: &str,
    buckets: &[String],
    marker: Option<&str>,
    format: Format,
) -> Result<ApiRequest> {
    require(namespace, "namespace")?;
    let path = Path::new("object/billing/buckets")
        .seg(namespace)
        .lit("info");
    ApiRequest::new(Method::POST, path, format, "buckets billing")
        .query("sizeunit", "BYTE")
        .query_opt("marker", marker)
        .idempotent(true)
        .body(&BucketIds { id: buckets }, "bucket_list", format)
}

/// `GET /object/billing/namespace/{ns}/info?sizeunit=BYTE[&include_bucket_detail=true&marker=]`.
pub(crate) fn namespace_info_request(
    namespace: &str,
    bucket_detail: bool,
    marker: Option<&str>,
    format: Format,
) -> Result<ApiRequest> {
    require(namespace, "namespace")?;
    let path = Path::new("object/billing/namespace")
        .seg(namespace)
        .lit("info");
    Ok(ApiRequest::get(path, format, "namespace billing")
        .query("sizeunit", "BYTE")
        .query_opt("include_bucket_detail", bucket_detail.then_some("true"))
        .query_opt("marker", marker))
}

/// Metering calls; get one with [`EcsMgmtClient::billing`].
#[derive(Clone, Debug)]
pub struct Billing {
    client: EcsMgmtClient,
}

impl Billing {
    pub(crate) fn new(client: EcsMgmtClient) -> Self {
        Billing { client }
    }

    fn format(&self) -> Format {
        self.client.format()
    }

    /// Usage of one bucket.
    pub async fn bucket_info(&self, namespace: &str, bucket: &str) -> Result<BucketBilling> {
        let raw: RawBucketBilling = self
            .client
            .call_decode(&bucket_info_request(namespace, bucket, self.format())?)
            .await?;
        raw.into_billing()
    }

    /// Usage of several buckets of a namespace in one round trip per page (`marker` /
    /// `next_marker` are followed).
    pub async fn buckets_info(
        &self,
        namespace: &str,
        buckets: &[String],
    ) -> Result<Vec<BucketBilling>> {
        let (this, namespace, buckets) = (self.clone(), namespace.to_owned(), buckets.to_vec());
        paginate(move |marker| {
            let (this, namespace, buckets) = (this.clone(), namespace.clone(), buckets.clone());
            async move {
                let request =
                    buckets_info_request(&namespace, &buckets, marker.as_deref(), this.format())?;
                let list: RawBucketBillingList = this.client.call_decode(&request).await?;
                let items = list
                    .buckets
                    .into_iter()
                    .map(RawBucketBilling::into_billing)
                    .collect::<Result<_>>()?;
                Ok(Page::new(items, list.next_marker))
            }
        })
        .try_collect()
        .await
    }

    /// Usage totals of a namespace.
    pub async fn namespace_info(&self, namespace: &str) -> Result<NamespaceBilling> {
        let raw: RawNamespaceBilling = self
            .client
            .call_decode(&namespace_info_request(
                namespace,
                false,
                None,
                self.format(),
            )?)
            .await?;
        Ok(NamespaceBilling {
            total_size_bytes: to_bytes(raw.total_size, raw.total_size_unit.as_deref())?,
            namespace: raw.namespace,
            total_objects: raw.total_objects.unwrap_or_default(),
            sample_time: raw.sample_time,
        })
    }

    /// Usage of every bucket of a namespace, page by page (`include_bucket_detail=true`).
    pub fn namespace_buckets(&self, namespace: &str) -> ItemStream<BucketBilling> {
        let (this, namespace) = (self.clone(), namespace.to_owned());
        paginate(move |marker| {
            let (this, namespace) = (this.clone(), namespace.clone());
            async move {
                let request =
                    namespace_info_request(&namespace, true, marker.as_deref(), this.format())?;
                let raw: RawNamespaceBilling = this.client.call_decode(&request).await?;
                let items = raw
                    .bucket_billing_info
                    .into_iter()
                    .map(RawBucketBilling::into_billing)
                    .collect::<Result<_>>()?;
                Ok(Page::new(items, raw.next_marker))
            }
        })
    }
}

/// Decodes `body` as each billing answer and converts it as the client does (the fuzz targets'
/// entry: the raw documents are private to this module).
#[cfg(test)]
pub(crate) fn decode_for_fuzz(body: &[u8], format: Format) -> Vec<Result<BucketBilling>> {
    let mut out = Vec::new();
    if let Ok(raw) = crate::wire::decode::<RawBucketBilling>(body, format) {
        out.push(raw.into_billing());
    }
    if let Ok(list) = crate::wire::decode::<RawBucketBillingList>(body, format) {
        out.extend(list.buckets.into_iter().map(RawBucketBilling::into_billing));
    }
    if let Ok(raw) = crate::wire::decode::<RawNamespaceBilling>(body, format) {
        out.push(
            to_bytes(raw.total_size, raw.total_size_unit.as_deref())
                .map(|_| BucketBilling::default()),
        );
        out.extend(
            raw.bucket_billing_info
                .into_iter()
                .map(RawBucketBilling::into_billing),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::decode;

    #[test]
    fn requests_ask_for_bytes() {
        assert_eq!(
            bucket_info_request("ns", "b", Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/billing/buckets/ns/b/info?sizeunit=BYTE"
        );
        let batch =
            buckets_info_request("ns", &["a".into(), "b".into()], Some("m"), Format::Xml).unwrap();
        assert_eq!(
            batch.path_and_query(),
            "/object/billing/buckets/ns/info?sizeunit=BYTE&marker=m"
        );
        assert!(batch.idempotent);
        assert_eq!(
            batch.body.as_ref().unwrap().0,
            b"<bucket_list><id>a</id><id>b</id></bucket_list>"
        );
        let json = buckets_info_request("ns", &["a".into()], None, Format::Json).unwrap();
        assert_eq!(json.body.unwrap().0, br#"{"id":["a"]}"#);
        assert_eq!(
            namespace_info_request("ns", true, Some("x"), Format::Json)
                .unwrap()
                .path_and_query(),
            "/object/billing/namespace/ns/info?sizeunit=BYTE&include_bucket_detail=true&marker=x"
        );
    }

    #[test]
    fn sizes_become_bytes() {
        assert_eq!(to_bytes(Some(107.0), Some("BYTE")).unwrap(), 107);
        assert_eq!(to_bytes(Some(2.5), Some("KB")).unwrap(), 2560);
        assert_eq!(to_bytes(Some(1.0), Some("GiB")).unwrap(), 1 << 30);
        assert_eq!(to_bytes(None, None).unwrap(), 0);
        assert!(to_bytes(Some(1.0), Some("parsecs")).is_err());
    }

    #[test]
    fn billing_documents_decode() {
        let xml: RawBucketBilling = decode(
            b"<bucket_billing_info><namespace>ns1</namespace><name>b</name><sample_time>2017-02-13T11:55:45Z</sample_time>\
              <vpool_id>urn:rg</vpool_id><total_size>3</total_size><total_size_unit>KB</total_size_unit>\
              <total_objects>2</total_objects><TagSet/></bucket_billing_info>",
            Format::Xml,
        )
        .unwrap();
        let billing = xml.into_billing().unwrap();
        assert_eq!((billing.total_size_bytes, billing.total_objects), (3072, 2));
        assert_eq!(billing.sample_time.map(|t| t.year()), Some(2017));
        let list: RawBucketBillingList = decode(
            br#"{"bucket_billing_infos":[{"namespace":"s3","name":"a","total_size":"107.0","total_size_unit":"BYTE",
                "total_objects":6,"total_mpu_size":"0.0","total_mpu_parts":"0"}],"next_marker":"n"}"#,
            Format::Json,
        )
        .unwrap();
        assert_eq!(list.buckets.len(), 1);
        assert_eq!(list.next_marker.as_deref(), Some("n"));
    }
}
