//! Bucket and object tagging: a tag set is a list of (key, value) pairs, at most 10 on ECS.

use aws_sdk_s3::types::{Tag, Tagging};
use ecs_common::{Error, Result};

use crate::client::EcsS3Client;
use crate::error::from_sdk;

/// A tag set as (key, value) pairs, in the server's order.
pub type TagSet = Vec<(String, String)>;

fn to_tagging(tags: &[(String, String)]) -> Result<Tagging> {
    let tags = tags
        .iter()
        .map(|(k, v)| {
            Tag::builder()
                .key(k)
                .value(v)
                .build()
                .map_err(|err| Error::invalid_input(format!("invalid tag {k:?}: {err}")))
        })
        .collect::<Result<Vec<_>>>()?;
    Tagging::builder()
        .set_tag_set(Some(tags))
        .build()
        .map_err(|err| Error::invalid_input(format!("invalid tag set: {err}")))
}

fn from_tags(tags: &[Tag]) -> TagSet {
    tags.iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .collect()
}

impl EcsS3Client {
    /// The bucket's tags; empty when it has none.
    pub async fn get_bucket_tags(&self, bucket: &str) -> Result<TagSet> {
        match self.sdk().get_bucket_tagging().bucket(bucket).send().await {
            Ok(output) => Ok(from_tags(output.tag_set())),
            Err(err) => {
                let err = from_sdk("get bucket tagging", bucket, err);
                if err.remote_code() == Some("NoSuchTagSet") {
                    Ok(Vec::new())
                } else {
                    Err(err)
                }
            }
        }
    }

    /// Replaces the bucket's tags. An invalid set (more than 10, a bad or repeated key, a long
    /// value) is [`ErrorKind::InvalidInput`](ecs_common::ErrorKind::InvalidInput) (`InvalidTag`).
    pub async fn put_bucket_tags(&self, bucket: &str, tags: &[(String, String)]) -> Result<()> {
        self.sdk()
            .put_bucket_tagging()
            .bucket(bucket)
            .tagging(to_tagging(tags)?)
            .send()
            .await
            .map_err(|err| from_sdk("put bucket tagging", bucket, err))?;
        Ok(())
    }

    /// Removes every tag of the bucket.
    pub async fn delete_bucket_tags(&self, bucket: &str) -> Result<()> {
        self.sdk()
            .delete_bucket_tagging()
            .bucket(bucket)
            .send()
            .await
            .map_err(|err| from_sdk("delete bucket tagging", bucket, err))?;
        Ok(())
    }

    /// The tags of the current version of `key`, or of `version_id`.
    pub async fn get_object_tags(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<TagSet> {
        let output = self
            .sdk()
            .get_object_tagging()
            .bucket(bucket)
            .key(key)
            .set_version_id(version_id.map(str::to_owned))
            .send()
            .await
            .map_err(|err| from_sdk("get object tagging", &format!("{bucket}/{key}"), err))?;
        Ok(from_tags(output.tag_set()))
    }

    /// Replaces the tags of the current version of `key`, or of `version_id`.
    pub async fn put_object_tags(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        tags: &[(String, String)],
    ) -> Result<()> {
        self.sdk()
            .put_object_tagging()
            .bucket(bucket)
            .key(key)
            .set_version_id(version_id.map(str::to_owned))
            .tagging(to_tagging(tags)?)
            .send()
            .await
            .map_err(|err| from_sdk("put object tagging", &format!("{bucket}/{key}"), err))?;
        Ok(())
    }

    /// Removes the tags of the current version of `key`, or of `version_id`.
    pub async fn delete_object_tags(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<()> {
        self.sdk()
            .delete_object_tagging()
            .bucket(bucket)
            .key(key)
            .set_version_id(version_id.map(str::to_owned))
            .send()
            .await
            .map_err(|err| from_sdk("delete object tagging", &format!("{bucket}/{key}"), err))?;
        Ok(())
    }
}
