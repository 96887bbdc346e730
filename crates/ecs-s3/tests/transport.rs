//! The transport: TLS parity with `ecs-mgmt` (against `ecs-sim` over HTTPS), how transport
//! failures are classified, the namespace header, and the client cache.

#![allow(clippy::unwrap_used)] // test code: a failed call is a failed test

mod common;

use std::time::Duration;

use common::sim::SimServer;
use ecs_common::{ErrorKind, SecretString, TlsOptions};
use ecs_s3::{Body, ClientCache, EcsS3Client};

async fn tls_sim() -> (SimServer, common::User, String) {
    let sim = SimServer::start(true).await;
    let user = sim.user("alice").await;
    sim.bucket(&user, "alice-tls").await;
    (sim, user, "alice-tls".to_owned())
}

fn builder(endpoint: &str, user: &common::User) -> ecs_s3::ClientConfigBuilder {
    EcsS3Client::builder()
        .endpoint(endpoint)
        .credentials(
            user.access_key.clone(),
            SecretString::from(user.secret_key.clone()),
        )
        .max_attempts(1)
}

#[tokio::test]
async fn untrusted_certificate_is_a_tls_error() {
    let (sim, user, bucket) = tls_sim().await;
    assert!(sim.sim.s3_url().starts_with("https://"));
    let s3 = builder(&sim.sim.s3_url(), &user).build().unwrap();
    let err = s3.bucket_exists(&bucket).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Tls, "{err:?}");
    assert!(!err.is_retryable());
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn extra_ca_is_trusted() {
    let (sim, user, bucket) = tls_sim().await;
    let ca = sim.sim.ca_pem().expect("the emulator's CA");
    let tls = TlsOptions::default().with_ca_pem(&ca).unwrap();
    let s3 = builder(&sim.sim.s3_url(), &user).tls(tls).build().unwrap();
    assert!(s3.bucket_exists(&bucket).await.unwrap());
    s3.put_object(&bucket, "k", Body::from(b"over tls".to_vec()))
        .await
        .unwrap();
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn insecure_only_when_asked() {
    let (sim, user, bucket) = tls_sim().await;
    let tls = TlsOptions::default().danger_accept_invalid_certs(true);
    let s3 = builder(&sim.sim.s3_url(), &user).tls(tls).build().unwrap();
    assert!(s3.bucket_exists(&bucket).await.unwrap());
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn refused_connection_is_connect_and_retryable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let user = common::User {
        name: "x".into(),
        access_key: "x".into(),
        secret_key: "y".into(),
    };
    let s3 = builder(&endpoint, &user).build().unwrap();
    let err = s3.bucket_exists("b").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connect, "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.operation(), Some("head bucket"));
}

#[tokio::test]
async fn silent_server_is_a_timeout() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    // Accepts connections and never answers.
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let user = common::User {
        name: "x".into(),
        access_key: "x".into(),
        secret_key: "y".into(),
    };
    let s3 = builder(&endpoint, &user)
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = s3.get_versioning("b").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err:?}");
    assert!(err.is_retryable());
    silent.abort();
}

#[tokio::test]
async fn namespace_header_selects_the_namespace() {
    let sim = SimServer::start(false).await;
    let user = sim.user("alice").await;
    sim.bucket(&user, "alice-ns").await;
    let right = builder(&sim.sim.s3_url(), &user)
        .namespace(Some(common::sim::NAMESPACE.into()))
        .build()
        .unwrap();
    assert!(right.bucket_exists("alice-ns").await.unwrap());
    let wrong = builder(&sim.sim.s3_url(), &user)
        .namespace(Some("no-such-namespace".into()))
        .build()
        .unwrap();
    // The header is signed and honoured: in another namespace the bucket does not exist.
    assert!(!wrong.bucket_exists("alice-ns").await.unwrap());
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn cached_clients_share_and_work() {
    let sim = SimServer::start(false).await;
    let alice = sim.user("alice").await;
    let bob = sim.user("bob").await;
    sim.bucket(&alice, "alice-cache").await;
    let cache = ClientCache::new(8);
    let config = |user: &common::User| builder(&sim.sim.s3_url(), user).build_config().unwrap();
    let a1 = cache.get(&config(&alice)).unwrap();
    let a2 = cache.get(&config(&alice)).unwrap();
    let b = cache.get(&config(&bob)).unwrap();
    assert!(a1.same_client(&a2));
    assert!(!a1.same_client(&b));
    assert_eq!(cache.len(), 2);
    a1.put_object("alice-cache", "k", Body::from(b"v".to_vec()))
        .await
        .unwrap();
    assert!(a2.bucket_exists("alice-cache").await.unwrap());
    let err = b.get_object("alice-cache", "k", None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden, "{err:?}");
    sim.sim.shutdown().await;
}

#[tokio::test]
async fn namespace_header_is_part_of_the_signature() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    // Records one request head and answers 200.
    let recorder = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 4096];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.unwrap();
            assert!(n > 0, "connection closed mid-request");
            head.extend_from_slice(&buf[..n]);
        }
        socket
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            .await
            .unwrap();
        String::from_utf8(head).unwrap().to_ascii_lowercase()
    });
    let user = common::User {
        name: "alice".into(),
        access_key: "alice".into(),
        secret_key: "secret".into(),
    };
    let s3 = builder(&endpoint, &user)
        .namespace(Some("ns7".into()))
        .build()
        .unwrap();
    assert!(s3.bucket_exists("b1").await.unwrap());
    let head = recorder.await.unwrap();
    assert!(head.starts_with("head /b1/ "), "path style: {head}");
    assert!(head.contains("\r\nx-emc-namespace: ns7\r\n"), "{head}");
    let signed = head
        .split("signedheaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .unwrap_or_else(|| panic!("no SignedHeaders in {head}"));
    assert!(
        signed.split(';').any(|h| h == "x-emc-namespace"),
        "{signed}"
    );
    assert!(head.contains("/us-east-1/s3/aws4_request"), "{head}");
}
