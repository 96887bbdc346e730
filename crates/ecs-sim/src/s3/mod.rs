//! The S3 data path of the emulator: an `s3s` service over [`crate::storage`] that speaks for the
//! object users, buckets and policies of the management state.
//!
//! Authentication and authorization live in [`auth`], the HTTP wrapper (CORS preflight, the
//! second-key retry) in [`http`], and the operations in [`buckets`], [`objects`], [`listing`]
//! and [`uploads`]. Bucket metadata (owner, policy, versioning, encryption, quota, CORS) is read
//! and written through the management state's accessors (`crate::access`); object data lives in
//! the one [`crate::storage::Storage`] the core holds, which the management side also asks for
//! usage.

mod acl;
mod auth;
mod buckets;
mod convert;
mod cors;
#[cfg(test)]
mod fuzz_tests;
mod http;
mod listing;
mod lock;
mod objects;
mod policy;
mod service;
mod tags;
mod tenancy;
mod uploads;

use std::sync::Arc;

use s3s::service::S3ServiceBuilder;
use time::OffsetDateTime;
use tower::util::BoxCloneSyncService;

use crate::core::Core;
use crate::server::HttpService;
use crate::storage::Clock;

/// The service behind the S3 listener.
pub(crate) fn service(core: Arc<Core>) -> HttpService {
    let storage = core.storage.clone();
    // A weak reference: the core owns the storage, so a strong one would be a cycle.
    let weak = Arc::downgrade(&core);
    storage.set_clock(Clock::new(move || {
        weak.upgrade()
            .map_or_else(OffsetDateTime::now_utc, |c| c.clock.now())
    }));

    let mut builder = S3ServiceBuilder::new(service::EcsS3::new(core.clone(), storage));
    builder.set_auth(auth::EcsAuth::new(core.clone()));
    builder.set_access(auth::EcsAccess::new(core.clone()));
    let front = http::S3Http::new(core, builder.build());
    BoxCloneSyncService::new(tower::service_fn(move |request| {
        front.clone().handle(request)
    }))
}
