//! The seam between the management half and the S3 half of the emulator.
//!
//! The S3 side (`src/s3/`, `src/storage/`, owned by the S3 work) plugs in here and nowhere
//! else: [`bucket_data`] chooses the [`BucketData`] the management API consults, and
//! [`s3_service`] builds the service behind the S3 listener. Both receive everything they need;
//! the S3 service reads users, keys and buckets through the accessors in [`crate::access`] and
//! its requests are logged and fault-injected by the shared front end ([`crate::server`]).
//!
//! Both delegate to [`crate::s3`]: one [`crate::storage::Storage`] holds the objects and
//! answers the management side's usage questions.

use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use http::{Request, Response, StatusCode};
use tower::util::BoxCloneSyncService;

use crate::core::Core;
use crate::data::{BucketData, BucketUsage};

/// An HTTP service as the listeners run it.
pub(crate) type HttpService = BoxCloneSyncService<Request<Body>, Response<Body>, Infallible>;

/// Bucket data for an emulator without object storage: every bucket is empty.
#[derive(Debug)]
struct NoData;

impl BucketData for NoData {
    fn bucket_created(&self, _namespace: &str, _bucket: &str) {}

    fn bucket_removed(&self, _namespace: &str, _bucket: &str) {}

    fn usage(&self, _namespace: &str, _bucket: &str) -> BucketUsage {
        BucketUsage::default()
    }

    fn empty(&self, _namespace: &str, _bucket: &str) -> u64 {
        0
    }
}

/// The bucket contents for an emulator whose objects live under `data_dir` (in memory if `None`).
pub(crate) fn bucket_data(_data_dir: Option<&Path>) -> Arc<dyn BucketData> {
    Arc::new(NoData)
}

/// The service answering the S3 listener.
pub(crate) fn s3_service(_core: Arc<Core>) -> HttpService {
    BoxCloneSyncService::new(tower::service_fn(|request: Request<Body>| async move {
        let body = format!(
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Error><Code>NotImplemented</Code>"#,
                "<Message>The S3 API is not available in this build</Message><Resource>{}</Resource></Error>"
            ),
            request.uri().path()
        );
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = StatusCode::NOT_IMPLEMENTED;
        Ok::<_, Infallible>(response)
    }))
}
