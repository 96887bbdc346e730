//! `ecs-s3`: S3 operations for Dell ECS on `aws-sdk-s3`.
#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod bucket;
mod cache;
mod client;
mod config;
mod cors;
mod delete;
mod download;
mod error;
mod list;
mod lock;
mod presign;
mod tagging;
mod transport;
mod upload;

pub use bucket::Versioning;
pub use cache::ClientCache;
pub use client::EcsS3Client;
pub use config::{ClientConfig, ClientConfigBuilder, DEFAULT_REGION, TransferOptions};
pub use cors::CorsRule;
pub use delete::{
    DELETE_BATCH, DeleteFailure, DeleteReport, DeleteResult, EmptyProgress, EmptyReport, ObjectId,
};
pub use download::{ByteRange, Download, ObjectInfo};
pub use list::{ListEntry, ListOptions, ObjectEntry, VersionEntry};
pub use lock::{DefaultRetention, Retention, RetentionMode, RetentionPeriod};
pub use presign::MAX_PRESIGN_EXPIRY;
pub use tagging::TagSet;
pub use upload::{Body, PutOptions, PutResult};
