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
use http::{Request, Response};
use tower::util::BoxCloneSyncService;

use crate::core::Core;
use crate::data::BucketData;

/// An HTTP service as the listeners run it.
pub(crate) type HttpService = BoxCloneSyncService<Request<Body>, Response<Body>, Infallible>;

/// The bucket contents for an emulator whose objects live under `data_dir` (in memory if `None`).
pub(crate) fn bucket_data(data_dir: Option<&Path>) -> Arc<dyn BucketData> {
    crate::s3::bucket_data(data_dir)
}

/// The service answering the S3 listener.
pub(crate) fn s3_service(core: Arc<Core>) -> HttpService {
    crate::s3::service(core)
}
