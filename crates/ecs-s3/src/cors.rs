//! Bucket CORS: reading, writing and removing a bucket's rules.

use aws_sdk_s3::types::{CorsConfiguration, CorsRule as SdkCorsRule};
use ecs_common::{Error, Result};

use crate::client::EcsS3Client;
use crate::error::from_sdk;

/// One CORS rule of a bucket.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CorsRule {
    /// Origins allowed to call, e.g. `https://cloudstack.example.com` or `*`.
    pub allowed_origins: Vec<String>,
    /// HTTP methods allowed (`GET`, `PUT`, `POST`, `DELETE`, `HEAD`).
    pub allowed_methods: Vec<String>,
    /// Request headers allowed in a preflight (`*` for any).
    pub allowed_headers: Vec<String>,
    /// Response headers the browser may read.
    pub expose_headers: Vec<String>,
    /// How long a browser may cache the preflight answer.
    pub max_age_seconds: Option<i32>,
}

impl EcsS3Client {
    /// The bucket's CORS rules; empty when it has none.
    pub async fn get_cors(&self, bucket: &str) -> Result<Vec<CorsRule>> {
        match self.sdk().get_bucket_cors().bucket(bucket).send().await {
            Ok(output) => Ok(output.cors_rules().iter().map(from_sdk_rule).collect()),
            Err(err) => {
                let err = from_sdk("get bucket cors", bucket, err);
                if err.remote_code() == Some("NoSuchCORSConfiguration") {
                    Ok(Vec::new())
                } else {
                    Err(err)
                }
            }
        }
    }

    /// Replaces the bucket's CORS rules.
    pub async fn put_cors(&self, bucket: &str, rules: &[CorsRule]) -> Result<()> {
        let rules = rules.iter().map(to_sdk_rule).collect::<Result<Vec<_>>>()?;
        let configuration = CorsConfiguration::builder()
            .set_cors_rules(Some(rules))
            .build()
            .map_err(|err| Error::invalid_input(format!("invalid CORS configuration: {err}")))?;
        self.sdk()
            .put_bucket_cors()
            .bucket(bucket)
            .cors_configuration(configuration)
            .send()
            .await
            .map_err(|err| from_sdk("put bucket cors", bucket, err))?;
        Ok(())
    }

    /// Removes every CORS rule of the bucket.
    pub async fn delete_cors(&self, bucket: &str) -> Result<()> {
        self.sdk()
            .delete_bucket_cors()
            .bucket(bucket)
            .send()
            .await
            .map_err(|err| from_sdk("delete bucket cors", bucket, err))?;
        Ok(())
    }
}

fn to_sdk_rule(rule: &CorsRule) -> Result<SdkCorsRule> {
    SdkCorsRule::builder()
        .set_allowed_origins(Some(rule.allowed_origins.clone()))
        .set_allowed_methods(Some(rule.allowed_methods.clone()))
        .set_allowed_headers(Some(rule.allowed_headers.clone()))
        .set_expose_headers(Some(rule.expose_headers.clone()))
        .set_max_age_seconds(rule.max_age_seconds)
        .build()
        .map_err(|err| Error::invalid_input(format!("invalid CORS rule: {err}")))
}

fn from_sdk_rule(rule: &SdkCorsRule) -> CorsRule {
    CorsRule {
        allowed_origins: rule.allowed_origins().to_vec(),
        allowed_methods: rule.allowed_methods().to_vec(),
        allowed_headers: rule.allowed_headers().to_vec(),
        expose_headers: rule.expose_headers().to_vec(),
        max_age_seconds: rule.max_age_seconds(),
    }
}
