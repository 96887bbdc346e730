//! `ecsctl demo`: CloudStack's object-storage flow against a store, step by step, through the
//! Rust driver (the same calls the Java plug-in makes through JNI).
//!
//! Adds the store (with its check report), provisions an account, creates an encrypted,
//! versioned, public bucket and a private one with a quota, uploads and lists objects as the
//! UI's browser does, shows usage in bytes, creates a bucket with object lock and deletes it
//! again (or shows the refusal where the store refuses object lock), tries an encryption
//! change (refused) and to delete a non-empty bucket (refused), then empties and deletes
//! everything it created. `cargo xtask demo` runs it against `ecs-sim`.

mod beyond;
mod counter;
mod runner;
mod tenancy;

use anyhow::{Context, Result, anyhow, bail, ensure};
use bytes::Bytes;
use ecs_common::ErrorKind;
use ecs_driver::{
    AccountCredentials, Body, BucketBrowser, BucketSpec, EcsObjectStore, ListEntry, PolicySpec,
    StoreConfig,
};
use url::Url;

use crate::details::Details;
use crate::output::{Output, human_bytes};
use counter::Counter;
use runner::{Runner, Told};

/// Steps the flow runs (for the `[n/N]` counter).
const STEPS: usize = 14;

/// The objects uploaded: (bucket index, key, body). Bucket 0 is public, 1 private.
const OBJECTS: &[(usize, &str, &str)] = &[
    (0, "index.html", "<h1>hello from CloudStack on ECS</h1>\n"),
    (
        0,
        "docs/readme.txt",
        "The demo uploads these objects through the bucket browser.\n",
    ),
    (
        0,
        "docs/guide.txt",
        "Versioned buckets keep every version until they are emptied.\n",
    ),
    (0, "index.html", "<h1>hello again: this is version 2</h1>\n"),
    (
        1,
        "backups/db-2026-11-22.sql",
        "-- a private backup that only the owner can read\n",
    ),
];

/// What the flow needs besides the store details.
#[derive(Debug)]
pub(crate) struct DemoOptions {
    /// The emulator's management URL, whose `/_sim/log` counts requests; `None` on real ECS.
    pub(crate) sim_control: Option<Url>,
    /// Suppress the commentary (for `--json`).
    pub(crate) quiet: bool,
    /// How the flow reaches ECS, for the banner and the summary.
    pub(crate) path: String,
    /// Also run the steps of `beyond` (per-bucket credentials, tags, drift).
    pub(crate) beyond: bool,
}

/// Runs the whole flow; the error names the step that failed.
pub(crate) async fn run(details: &Details, options: &DemoOptions) -> Result<Output> {
    let config = StoreConfig::from_details(details).context("invalid store details")?;
    let counter = options.sim_control.as_ref().map(Counter::new).transpose()?;
    if !options.quiet {
        println!(
            "CloudStack object storage on ECS, step by step ({})",
            options.path
        );
        println!(
            "ECS management {}, S3 {}, namespace {}\n",
            config.mgmt_endpoint(),
            config.bucket_url("").trim_end_matches('/'),
            config.namespace()
        );
    }
    let total = STEPS + if options.beyond { beyond::STEPS } else { 0 };
    let mut runner = Runner::new(counter, total, options.quiet);
    let account = uuid::Uuid::new_v4().to_string();
    let suffix = &account[..8];
    let buckets = [
        format!("demo-public-{suffix}"),
        format!("demo-private-{suffix}"),
    ];

    let store = runner
        .step("add the store (with its check report)", add_store(config))
        .await?;
    let result = flow(&mut runner, &store, &account, &buckets, options.beyond).await;
    store.close().await;
    result?;
    let json = runner.summary(&options.path);
    Ok(Output::ok(String::new(), json))
}

async fn flow(
    runner: &mut Runner,
    store: &EcsObjectStore,
    account: &str,
    buckets: &[String; 2],
    beyond: bool,
) -> Result<()> {
    let credentials = runner
        .step(
            "provision the account's ECS user",
            provision(store, account),
        )
        .await?;
    runner
        .step(
            "provision again, as before every bucket (idempotent)",
            provision_again(store, account, &credentials),
        )
        .await?;
    let public = BucketSpec {
        credentials: Some(credentials.clone()),
        encryption: true,
        versioning: true,
        policy: Some(PolicySpec::Public),
        ..BucketSpec::new(&buckets[0], account)
    };
    runner
        .step(
            "create bucket: encrypted, versioned, public",
            create_bucket(store, public),
        )
        .await?;
    let private = BucketSpec {
        credentials: Some(credentials.clone()),
        quota_gib: Some(1),
        policy: Some(PolicySpec::Private),
        ..BucketSpec::new(&buckets[1], account)
    };
    runner
        .step(
            "create bucket: private, 1 GiB quota",
            create_bucket(store, private),
        )
        .await?;
    let browser = store
        .browser(&credentials)
        .context("cannot open the bucket browser")?;
    runner
        .step(
            "upload objects through the bucket browser",
            upload(&browser, buckets),
        )
        .await?;
    runner
        .step("list objects and versions", list(&browser, &buckets[0]))
        .await?;
    let exact = runner.counts_requests();
    runner
        .step(
            "usage in bytes (CloudStack's hourly task)",
            usage(store, buckets, exact),
        )
        .await?;
    let locked = BucketSpec {
        credentials: Some(credentials.clone()),
        object_lock: true,
        ..BucketSpec::new(format!("{}-lock", buckets[0]), account)
    };
    match store.check_object_lock_allowed().await {
        Ok(()) => {
            runner
                .step(
                    "create bucket: object lock (versioning on), then delete it",
                    lock_bucket(store, &locked),
                )
                .await?;
        }
        Err(err) if err.kind() == ErrorKind::Unsupported => {
            runner
                .step(
                    "try object lock (refused)",
                    refused(store.create_bucket(&locked), ErrorKind::Unsupported),
                )
                .await?;
        }
        Err(err) => return Err(err).context("cannot tell whether the store allows object lock"),
    }
    runner
        .step(
            "try to turn encryption off (refused)",
            refused(
                store.set_encryption(&buckets[0], false),
                ErrorKind::Unsupported,
            ),
        )
        .await?;
    runner
        .step(
            "try to delete a non-empty bucket (refused)",
            refused(store.delete_bucket(&buckets[0]), ErrorKind::NotEmpty),
        )
        .await?;
    if beyond {
        beyond::steps(runner, store, account, buckets).await?;
    }
    runner
        .step(
            "empty the buckets (every version)",
            empty(&browser, buckets),
        )
        .await?;
    runner
        .step("delete the buckets", delete_buckets(store, buckets))
        .await?;
    runner
        .step(
            "remove the account's ECS user",
            remove_account(store, account, &credentials),
        )
        .await?;
    Ok(())
}

async fn add_store(config: StoreConfig) -> Result<Told<EcsObjectStore>> {
    let store = EcsObjectStore::new(config).context("the store details do not work")?;
    let report = store.check().await;
    let lines = report
        .checks
        .iter()
        .map(|check| {
            format!(
                "check {:<18} {}  {}",
                check.name,
                if check.ok { "ok  " } else { "FAIL" },
                check.detail
            )
        })
        .collect();
    if !report.ok {
        store.close().await;
        bail!("the store check failed: {}", report.summary());
    }
    Ok(Told::new(store, lines))
}

async fn provision(store: &EcsObjectStore, account: &str) -> Result<Told<AccountCredentials>> {
    let credentials = store.ensure_account_user(account, None).await?;
    let line = format!(
        "account {account} -> ECS object user {} with an S3 secret key",
        credentials.user_id
    );
    Ok(Told::new(credentials, vec![line]))
}

async fn provision_again(
    store: &EcsObjectStore,
    account: &str,
    stored: &AccountCredentials,
) -> Result<Told<()>> {
    let again = store
        .ensure_account_user(account, Some(stored.clone()))
        .await?;
    ensure!(
        again.same_as(stored),
        "the second provisioning changed the account's key"
    );
    Ok(Told::new(
        (),
        vec!["same user, same key: nothing was created".to_owned()],
    ))
}

async fn create_bucket(store: &EcsObjectStore, spec: BucketSpec) -> Result<Told<()>> {
    let created = store.create_bucket(&spec).await?;
    let policy = store.get_policy(&created.name).await?;
    let policy = match policy {
        Some(policy) if policy.contains("\"*\"") => "a public-read policy",
        Some(_) => "a policy",
        None => "no policy (private)",
    };
    let lines = vec![
        format!("bucket {} at {}", created.name, created.url),
        format!(
            "encryption {}, versioning {}, quota {}, {policy}",
            on_off(spec.encryption),
            on_off(spec.versioning),
            spec.quota_gib
                .map_or_else(|| "none".to_owned(), |gib| format!("{gib} GiB"))
        ),
    ];
    Ok(Told::new((), lines))
}

/// Where the store allows object lock: a bucket with it (versioning on for good), read back
/// from ECS, and deleted again while it holds nothing (no version can be retained).
async fn lock_bucket(store: &EcsObjectStore, spec: &BucketSpec) -> Result<Told<()>> {
    let created = store.create_bucket(spec).await?;
    ensure!(created.versioning, "object lock did not turn versioning on");
    let info = store
        .mgmt()
        .buckets()
        .info(&created.name, store.config().namespace())
        .await?;
    ensure!(
        info.object_lock,
        "ECS reports no object lock on {}",
        created.name
    );
    let retention = store.config().features().lock_default().map_or_else(
        || "no default retention (store details object_lock_mode, object_lock_days)".to_owned(),
        |default| format!("default retention {default}"),
    );
    store.delete_bucket(&created.name).await?;
    Ok(Told::new(
        (),
        vec![
            format!(
                "bucket {} created with S3 Object Lock: versioning on, {retention}",
                created.name
            ),
            "deleted again: it held no object, so nothing was retained".to_owned(),
        ],
    ))
}

async fn upload(browser: &BucketBrowser, buckets: &[String; 2]) -> Result<Told<()>> {
    let mut lines = Vec::new();
    for (bucket, key, body) in OBJECTS {
        let bucket = &buckets[*bucket];
        let put = browser
            .upload(
                bucket,
                key,
                Body::Bytes(Bytes::from_static(body.as_bytes())),
            )
            .await?;
        let version = put
            .version_id
            .map(|id| format!(", version {id}"))
            .unwrap_or_default();
        lines.push(format!(
            "put {bucket}/{key} ({} bytes{version})",
            body.len()
        ));
    }
    Ok(Told::new((), lines))
}

async fn list(browser: &BucketBrowser, bucket: &str) -> Result<Told<()>> {
    let top = browser.list(bucket, None).await?;
    let docs = browser.list(bucket, Some("docs/")).await?;
    let versions = browser.versions(bucket, None).await?;
    ensure!(
        docs.len() == 2,
        "expected 2 objects under docs/, listed {}",
        docs.len()
    );
    let expected_versions = OBJECTS.iter().filter(|(index, ..)| *index == 0).count();
    ensure!(
        versions.len() == expected_versions,
        "expected {expected_versions} versions, listed {}",
        versions.len()
    );
    let lines = vec![
        format!("{bucket}/: {}", entries(&top)),
        format!("{bucket}/docs/: {}", entries(&docs)),
        format!(
            "{} versions; index.html has {}",
            versions.len(),
            versions.iter().filter(|v| v.key == "index.html").count()
        ),
    ];
    Ok(Told::new((), lines))
}

fn entries(listing: &[ListEntry]) -> String {
    let names: Vec<String> = listing
        .iter()
        .map(|entry| match entry {
            ListEntry::Object(object) => format!("{} ({} B)", object.key, object.size),
            ListEntry::CommonPrefix(prefix) => format!("{prefix} (folder)"),
        })
        .collect();
    names.join(", ")
}

/// Reads usage; `exact` (on the emulator, whose billing is immediate) also checks the bytes
/// against what was uploaded, which a real ECS reports only after its next billing sample.
async fn usage(store: &EcsObjectStore, buckets: &[String; 2], exact: bool) -> Result<Told<()>> {
    let usage = store.usage().await?;
    let mut lines = Vec::new();
    for (index, bucket) in buckets.iter().enumerate() {
        let bytes = *usage
            .get(bucket)
            .ok_or_else(|| anyhow!("no usage reported for {bucket}"))?;
        let uploaded: usize = OBJECTS
            .iter()
            .filter(|(i, ..)| *i == index)
            .map(|(_, _, body)| body.len())
            .sum();
        ensure!(
            !exact || bytes == uploaded as u64,
            "{bucket} reports {bytes} bytes, but {uploaded} were uploaded"
        );
        let size = if bytes >= 1024 {
            format!(" ({})", human_bytes(bytes))
        } else {
            String::new()
        };
        lines.push(format!("{bucket}: {bytes} bytes{size}"));
    }
    Ok(Told::new((), lines))
}

/// Expects `call` to fail with `kind`; the refusal's message is what the step tells.
async fn refused<T>(
    call: impl Future<Output = ecs_common::Result<T>>,
    kind: ErrorKind,
) -> Result<Told<()>> {
    match call.await {
        Ok(_) => bail!("expected a refusal ({kind}), but it succeeded"),
        Err(err) if err.kind() == kind => Ok(Told::new(
            (),
            vec![format!("refused ({}): {err}", kind.code())],
        )),
        Err(err) => bail!(
            "expected a refusal ({}), got {}: {err}",
            kind.code(),
            err.kind().code()
        ),
    }
}

async fn empty(browser: &BucketBrowser, buckets: &[String; 2]) -> Result<Told<()>> {
    let mut lines = Vec::new();
    for bucket in buckets {
        let versions = browser.versions(bucket, None).await?;
        for version in &versions {
            browser
                .delete(bucket, &version.key, Some(&version.version_id))
                .await?;
        }
        let left = browser.versions(bucket, None).await?;
        ensure!(
            left.is_empty(),
            "{bucket} still holds {} versions",
            left.len()
        );
        lines.push(format!(
            "{bucket}: deleted {} object versions",
            versions.len()
        ));
    }
    Ok(Told::new((), lines))
}

async fn delete_buckets(store: &EcsObjectStore, buckets: &[String; 2]) -> Result<Told<()>> {
    for bucket in buckets {
        store.delete_bucket(bucket).await?;
    }
    let remaining = store.list_buckets().await?;
    let left: Vec<_> = remaining
        .iter()
        .filter(|summary| buckets.contains(&summary.name))
        .collect();
    ensure!(
        left.is_empty(),
        "buckets still listed after deletion: {left:?}"
    );
    Ok(Told::new(
        (),
        vec![format!("deleted {}", buckets.join(" and "))],
    ))
}

async fn remove_account(
    store: &EcsObjectStore,
    account: &str,
    credentials: &AccountCredentials,
) -> Result<Told<()>> {
    store.delete_account_user(account).await?;
    Ok(Told::new(
        (),
        vec![format!("deleted ECS object user {}", credentials.user_id)],
    ))
}

fn on_off(flag: bool) -> &'static str {
    if flag { "on" } else { "off" }
}
