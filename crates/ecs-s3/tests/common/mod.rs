//! The two servers the behaviour suite runs against, behind one `Server` type.

#![allow(dead_code, unreachable_pub)]

pub mod sim;
pub mod weed;

use ecs_common::SecretString;
use ecs_s3::{ClientConfigBuilder, EcsS3Client, TransferOptions};

/// An object user of the server under test.
#[derive(Clone, Debug)]
pub struct User {
    pub name: String,
    pub access_key: String,
    pub secret_key: String,
}

/// Which server a test runs against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    SeaweedFs,
    EcsSim,
}

/// A running S3 server with two users, stopped when dropped.
pub struct Server {
    pub kind: Kind,
    endpoint: String,
    users: Vec<User>,
    backend: Backend,
}

enum Backend {
    Weed(weed::Weed),
    Sim(sim::SimServer),
}

impl Server {
    /// Starts the server of `kind`; `None` when SeaweedFS is not installed outside CI.
    pub async fn start(kind: Kind) -> Option<Server> {
        match kind {
            Kind::SeaweedFs => {
                let weed = tokio::task::spawn_blocking(weed::Weed::start)
                    .await
                    .expect("weed start panicked")?;
                let users = weed::USERS
                    .iter()
                    .map(|(name, access, secret)| User {
                        name: (*name).to_owned(),
                        access_key: (*access).to_owned(),
                        secret_key: (*secret).to_owned(),
                    })
                    .collect();
                Some(Server {
                    kind,
                    endpoint: weed.endpoint().to_owned(),
                    users,
                    backend: Backend::Weed(weed),
                })
            }
            Kind::EcsSim => {
                let sim = sim::SimServer::start(false).await;
                let users = vec![sim.user("alice").await, sim.user("bob").await];
                Some(Server {
                    kind,
                    endpoint: sim.sim.s3_url(),
                    users,
                    backend: Backend::Sim(sim),
                })
            }
        }
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The namespace the users live in (SeaweedFS has none and ignores the header).
    pub fn namespace(&self) -> &str {
        sim::NAMESPACE
    }

    /// The first user (owner of the test buckets).
    pub fn alice(&self) -> &User {
        &self.users[0]
    }

    /// A second user, who owns nothing of alice's.
    pub fn bob(&self) -> &User {
        &self.users[1]
    }

    /// A client builder for `user`, with small parts so multipart is cheap to exercise.
    pub fn builder(&self, user: &User) -> ClientConfigBuilder {
        EcsS3Client::builder()
            .endpoint(self.endpoint.clone())
            .credentials(
                user.access_key.clone(),
                SecretString::from(user.secret_key.clone()),
            )
            .transfer(
                TransferOptions::default()
                    .with_part_size(5 * 1024 * 1024)
                    .with_multipart_threshold(5 * 1024 * 1024)
                    .with_concurrency(3),
            )
    }

    pub fn client(&self, user: &User) -> EcsS3Client {
        self.builder(user).build().expect("client builds")
    }

    /// Creates a fresh bucket owned by `user`, named after the test.
    pub async fn bucket(&self, user: &User, label: &str) -> String {
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        let name = format!("{}-{label}-{}", user.name, &suffix[..8]);
        match &self.backend {
            Backend::Weed(_) => self
                .client(user)
                .create_bucket(&name)
                .await
                .expect("create test bucket"),
            Backend::Sim(sim) => sim.bucket(user, &name).await,
        }
        name
    }

    /// Stops the server now (dropping does the same).
    pub async fn stop(self) {
        match self.backend {
            Backend::Weed(weed) => tokio::task::spawn_blocking(move || drop(weed))
                .await
                .expect("weed stop"),
            Backend::Sim(sim) => sim.sim.shutdown().await,
        }
    }
}
