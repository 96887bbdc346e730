//! `ecsctl namespace …` and doctor's quota check, run as a child process against `ecs-sim`:
//! an operator prepares a namespace for CloudStack (namespace, admin, quota, retention).

// A test file: its helpers panic to report a failure, like the tests themselves.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::ecsctl;
use ecs_sim::{Seed, Sim};
use serde_json::Value;

const GIB: u64 = 1024 * 1024 * 1024;

/// A details file for namespace `namespace` as management user `user`.
fn details(dir: &Path, sim: &Sim, name: &str, user: &str, password: &str) -> String {
    let path = dir.join(name);
    let text = format!(
        "mgmt_url={}\nsa_user={user}\nsa_password={password}\nnamespace=cloud\ns3_public_url={}\n",
        sim.mgmt_url(),
        sim.s3_url()
    );
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// A bucket in `namespace`, made over the management API as root.
async fn bucket(sim: &Sim, namespace: &str, name: &str) {
    let http = reqwest::Client::new();
    let login = http
        .get(format!("{}/login", sim.mgmt_url()))
        .basic_auth("root", Some("ChangeMe"))
        .send()
        .await
        .unwrap();
    let token = login.headers()["X-SDS-AUTH-TOKEN"]
        .to_str()
        .unwrap()
        .to_owned();
    let status = http
        .post(format!("{}/object/bucket", sim.mgmt_url()))
        .header("X-SDS-AUTH-TOKEN", token)
        .header("Content-Type", "application/json")
        .body(format!(r#"{{"name":"{name}","namespace":"{namespace}"}}"#))
        .send()
        .await
        .unwrap()
        .status();
    assert!(status.is_success(), "{status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_prepares_a_namespace_for_cloudstack() {
    let seed = Seed::default().with_mgmt_user("cloudstack", "Cloud-1", &[], None);
    let sim = Sim::builder().seed(seed).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = details(dir.path(), &sim, "root.properties", "root", "ChangeMe");
    let service = details(dir.path(), &sim, "cs.properties", "cloudstack", "Cloud-1");

    // The service account cannot create namespaces: a clear refusal.
    let denied = ecsctl(&["namespace", "create", "--details", &service]).await;
    assert_eq!(denied.code, 2, "{denied:#?}");
    assert!(
        denied.stderr.contains("cannot create namespace cloud")
            && denied.stderr.contains("System Admin"),
        "{}",
        denied.stderr
    );

    let created = ecsctl(&[
        "namespace",
        "create",
        "--details",
        &root,
        "--admin",
        "cloudstack",
    ])
    .await;
    assert_eq!(created.code, 0, "{created:#?}");
    assert!(created.stdout.contains("created namespace cloud"));
    assert!(created.stdout.contains("admins: cloudstack"));
    let again = ecsctl(&["namespace", "create", "--details", &root]).await;
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);

    let list = ecsctl(&["namespace", "list", "--details", &root, "--json"])
        .await
        .json();
    assert_eq!(list["namespaces"], serde_json::json!(["cloud", "ns1"]));

    // Quota and retention, as the service account's administrator would set them.
    let none = ecsctl(&["namespace", "quota", "set", "--details", &root]).await;
    assert_eq!(none.code, 2);
    assert!(none.stderr.contains("--hard"), "{}", none.stderr);
    let quota = ecsctl(&[
        "namespace",
        "quota",
        "set",
        "--details",
        &root,
        "--hard",
        "10",
        "--soft",
        "8",
        "--json",
    ])
    .await
    .json();
    assert_eq!(
        (
            quota["hard_gb"].clone(),
            quota["soft_gb"].clone(),
            quota["state"].clone()
        ),
        (10.into(), 8.into(), "within".into())
    );
    for (class, period) in [("month", "30d"), ("forever", "infinite"), ("month", "60")] {
        let set = ecsctl(&[
            "namespace",
            "retention",
            "set",
            class,
            "--period",
            period,
            "--details",
            &service,
        ])
        .await;
        assert_eq!(set.code, 0, "{set:#?}");
    }
    let classes = ecsctl(&[
        "namespace",
        "retention",
        "list",
        "--details",
        &root,
        "--json",
    ])
    .await
    .json();
    assert_eq!(
        classes["retention_classes"],
        serde_json::json!([{"name": "forever", "period_seconds": "infinite"},
                           {"name": "month", "period_seconds": 60}])
    );
    let show = ecsctl(&["namespace", "show", "--details", &root, "--json"])
        .await
        .json();
    assert_eq!(show["admins"], serde_json::json!(["cloudstack"]));
    assert_eq!(show["quota"]["hard_gb"], 10);
    let text = ecsctl(&["namespace", "show", "--details", &service]).await;
    assert!(
        text.stdout.contains("quota: hard 10 GB, soft 8 GB") && text.stdout.contains("month: 60 s"),
        "{}",
        text.stdout
    );

    // Doctor, as the service account: its role is enough, and the quota state shows.
    bucket(&sim, "cloud", "data").await;
    let report = ecsctl(&["doctor", "--details", &service, "--json"])
        .await
        .json();
    let finding = |report: &Value, name: &str| {
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|check| check["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no {name} in {report:#}"))
    };
    assert_eq!(finding(&report, "roles")["verdict"], "pass", "{report:#}");
    assert_eq!(finding(&report, "namespace-quota")["verdict"], "pass");
    sim.control().set_bucket_usage("cloud", "data", 9 * GIB, 1);
    let report = ecsctl(&["doctor", "--details", &service, "--json"])
        .await
        .json();
    assert_eq!(finding(&report, "namespace-quota")["verdict"], "warn");
    sim.control().set_bucket_usage("cloud", "data", 10 * GIB, 1);
    let run = ecsctl(&["doctor", "--details", &service]).await;
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("at the hard quota, ECS refuses writes"),
        "{}",
        run.stdout
    );

    // Deletion: confirmed, refused while a bucket remains, then done.
    let unconfirmed = ecsctl(&["namespace", "delete", "--details", &root]).await;
    assert_eq!(unconfirmed.code, 2);
    assert!(unconfirmed.stderr.contains("--yes"));
    let busy = ecsctl(&["namespace", "delete", "--details", &root, "--yes"]).await;
    assert_eq!(busy.code, 2);
    assert!(
        busy.stderr.contains("still holds buckets or object users"),
        "{}",
        busy.stderr
    );
    let quota_gone = ecsctl(&["namespace", "quota", "delete", "--details", &root]).await;
    assert_eq!(quota_gone.code, 0);
    sim.shutdown().await;
}
