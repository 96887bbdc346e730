//! The typed calls for ECS's S3 features beyond the basics (Object Lock, tagging), against
//! `ecs-sim`.

#![allow(clippy::unwrap_used)] // test code: a failed call is a failed test

mod common;

use std::time::{Duration, SystemTime};

use common::sim::SimServer;
use ecs_common::{ErrorKind, SecretString};
use ecs_s3::{
    Body, DefaultRetention, EcsS3Client, Retention, RetentionMode, RetentionPeriod, Versioning,
};

fn client(sim: &SimServer, user: &common::User) -> EcsS3Client {
    EcsS3Client::builder()
        .endpoint(sim.sim.s3_url())
        .credentials(
            user.access_key.clone(),
            SecretString::from(user.secret_key.clone()),
        )
        .max_attempts(1)
        .build()
        .unwrap()
}

#[tokio::test]
async fn object_lock_configuration_retention_and_legal_hold() {
    let sim = SimServer::start(false).await;
    let alice = sim.user("alice").await;
    let s3 = client(&sim, &alice);
    s3.create_bucket("plain").await.unwrap();
    s3.create_bucket_with_object_lock("worm").await.unwrap();
    assert_eq!(
        s3.get_versioning("worm").await.unwrap(),
        Versioning::Enabled
    );
    assert_eq!(s3.get_object_lock("plain").await.unwrap(), None);
    assert_eq!(s3.get_object_lock("worm").await.unwrap(), Some(None));
    let default = DefaultRetention {
        mode: RetentionMode::Governance,
        period: RetentionPeriod::Days(1),
    };
    let err = s3
        .put_object_lock("plain", Some(default))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err:?}");
    let err = s3
        .put_object_lock(
            "worm",
            Some(DefaultRetention {
                period: RetentionPeriod::Years(0),
                ..default
            }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    s3.put_object_lock("worm", Some(default)).await.unwrap();
    assert_eq!(
        s3.get_object_lock("worm").await.unwrap(),
        Some(Some(default))
    );

    let put = s3
        .put_object("worm", "doc", Body::from(b"v1".to_vec()))
        .await
        .unwrap();
    let v1 = put.version_id.clone().unwrap();
    let retention = s3
        .get_retention("worm", "doc", Some(&v1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(retention.mode, RetentionMode::Governance);
    let left = retention
        .retain_until
        .duration_since(SystemTime::now())
        .unwrap();
    assert!(left > Duration::from_secs(86_000) && left <= Duration::from_secs(86_400));

    // Retained: deleting the version is Forbidden, unless governance is bypassed.
    let err = s3
        .delete_object("worm", "doc", Some(&v1))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden, "{err:?}");
    // Lengthening works; switching to compliance works; shortening compliance does not.
    let later = SystemTime::now() + Duration::from_secs(3 * 86_400);
    s3.put_retention(
        "worm",
        "doc",
        Some(&v1),
        Some(Retention {
            mode: RetentionMode::Compliance,
            retain_until: later,
        }),
        false,
    )
    .await
    .unwrap();
    let err = s3
        .put_retention("worm", "doc", Some(&v1), None, true)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    let err = s3
        .delete_version_bypassing_governance("worm", "doc", &v1)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);

    // Legal hold on a governance-retained version: the bypass no longer helps.
    let v2 = s3
        .put_object("worm", "held", Body::from(b"h".to_vec()))
        .await
        .unwrap()
        .version_id
        .unwrap();
    assert!(!s3.get_legal_hold("worm", "held", None).await.unwrap());
    s3.put_legal_hold("worm", "held", None, true).await.unwrap();
    assert!(s3.get_legal_hold("worm", "held", Some(&v2)).await.unwrap());
    let err = s3
        .delete_version_bypassing_governance("worm", "held", &v2)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    s3.put_legal_hold("worm", "held", None, false)
        .await
        .unwrap();
    s3.delete_version_bypassing_governance("worm", "held", &v2)
        .await
        .unwrap();

    // Per-object settings in a bucket without Object Lock are refused.
    s3.put_object("plain", "p", Body::from(b"p".to_vec()))
        .await
        .unwrap();
    let err = s3
        .put_legal_hold("plain", "p", None, true)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.remote_code(), Some("InvalidRequest"));
    sim.sim.shutdown().await;
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn bucket_and_object_tags() {
    let sim = SimServer::start(false).await;
    let alice = sim.user("alice").await;
    let s3 = client(&sim, &alice);
    s3.create_bucket("tagged").await.unwrap();
    assert!(s3.get_bucket_tags("tagged").await.unwrap().is_empty());
    let tags = pairs(&[("project", "cloud"), ("cost center", "42")]);
    s3.put_bucket_tags("tagged", &tags).await.unwrap();
    assert_eq!(s3.get_bucket_tags("tagged").await.unwrap(), tags);
    s3.delete_bucket_tags("tagged").await.unwrap();
    assert!(s3.get_bucket_tags("tagged").await.unwrap().is_empty());

    s3.put_object("tagged", "k", Body::from(b"x".to_vec()))
        .await
        .unwrap();
    assert!(
        s3.get_object_tags("tagged", "k", None)
            .await
            .unwrap()
            .is_empty()
    );
    s3.put_object_tags("tagged", "k", None, &tags)
        .await
        .unwrap();
    assert_eq!(s3.get_object_tags("tagged", "k", None).await.unwrap(), tags);
    s3.delete_object_tags("tagged", "k", None).await.unwrap();
    assert!(
        s3.get_object_tags("tagged", "k", None)
            .await
            .unwrap()
            .is_empty()
    );

    let eleven: Vec<(String, String)> =
        (0..11).map(|i| (format!("k{i}"), "v".to_owned())).collect();
    for bad in [
        eleven,
        pairs(&[("a", "1"), ("a", "2")]),
        vec![("k".repeat(129), String::new())],
        vec![("k".to_owned(), "v".repeat(257))],
    ] {
        let err = s3
            .put_object_tags("tagged", "k", None, &bad)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{bad:?}");
        assert_eq!(err.remote_code(), Some("InvalidTag"));
        let err = s3.put_bucket_tags("tagged", &bad).await.unwrap_err();
        assert_eq!(err.remote_code(), Some("InvalidTag"));
    }
    let err = s3
        .get_object_tags("tagged", "missing", None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    sim.sim.shutdown().await;
}
