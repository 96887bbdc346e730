package io.ecscloudstack.demo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.cloud.storage.BucketVO;
import com.cloud.user.AccountVO;
import io.ecscloudstack.ecs.AccountCredentials;
import io.ecscloudstack.ecs.CheckReport;
import io.ecscloudstack.ecs.DriftReport;
import io.ecscloudstack.ecs.EcsException;
import io.ecscloudstack.ecs.EcsObjectStore;
import io.ecscloudstack.ecs.ObjectEntry;
import io.ecscloudstack.ecs.ObjectVersionEntry;
import io.ecscloudstack.harness.BucketCredentialFlows;
import io.ecscloudstack.harness.BucketRequest;
import io.ecscloudstack.harness.BucketUpdate;
import io.ecscloudstack.harness.CloudStackHarness;
import io.ecscloudstack.harness.StepReport;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;
import org.apache.cloudstack.storage.datastore.driver.AccountKeys;
import org.apache.cloudstack.storage.datastore.provider.EcsObjectStoreProviderImpl;

/**
 * {@code cargo xtask demo}, Java path: CloudStack's object-storage flow, played by the CloudStack
 * harness (CloudStack's own call sequences over in-memory DAOs) through the ECS plug-in, the JNI
 * bridge and the Rust driver, against a running ecs-sim.
 *
 * <p>The bucket-browser operations (upload, list, delete objects) go through the ecs-java API
 * with the bucket's keys, as the plug-in's UI browser does. Objects are uploaded to the
 * private bucket only: ecs-java cannot delete single object versions yet, so a versioned bucket
 * with data could not be emptied here (the Rust path, {@code ecsctl demo}, shows versions).
 *
 * <p>Beyond other CloudStack drivers, the store gets a default object-lock retention and an
 * account-key grace period (its details {@link #STORE_FEATURES}), and the flow shows a bucket
 * with object lock whose delete is refused until a named date, a store that refuses object
 * lock, the ownership tags, a per-bucket credential, an account-key rotation with grace and a
 * clean drift report. Two steps move the emulator's clock ({@code /_sim/clock/advance}): past
 * the key's grace, and past the retention so the locked bucket can be emptied and deleted.
 *
 * <p>Usage: {@code DemoMain --mgmt-url URL --s3-url URL [--sa-user U] [--sa-password P]
 * [--namespace NS]}; the request log is read from the management URL's {@code /_sim/log}.
 */
public final class DemoMain {
    private static final String PATH = "Java plug-in -> JNI -> Rust driver -> ecs-sim";

    /** Store details beyond the connection: a 1-day governance retention, a 60-minute key grace. */
    static final Map<String, String> STORE_FEATURES = Map.of(
            "object_lock_mode", "governance",
            "object_lock_days", "1",
            "account_key_grace_minutes", "60");

    /** Objects uploaded to the private bucket: key and content. */
    private static final Map<String, String> OBJECTS = new LinkedHashMap<>();

    static {
        OBJECTS.put("index.html", "<h1>hello from CloudStack on ECS</h1>\n");
        OBJECTS.put("docs/readme.txt", "The demo uploads these objects through the bucket browser.\n");
        OBJECTS.put("docs/guide.txt", "A bucket must be empty before CloudStack can delete it.\n");
    }

    private final Map<String, String> details;
    private final Steps steps;
    private CloudStackHarness cs;
    private EcsObjectStore direct;
    private long storeId;
    private AccountVO account;
    private BucketVO publicBucket;
    private BucketVO privateBucket;
    private BucketVO lockedBucket;
    private String retainedUntil;
    private SimLog sim;

    /** One step of the flow: its name and its work. */
    private record Step(String name, Steps.Work work) {
    }

    private DemoMain(Map<String, String> details, SimLog sim) {
        this.details = details;
        this.sim = sim;
        this.steps = new Steps(sim, plan().size());
    }

    public static void main(String[] args) {
        Map<String, String> options = parse(args);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("mgmt_url", require(options, "mgmt-url"));
        details.put("sa_user", options.getOrDefault("sa-user", "root"));
        details.put("sa_password", options.getOrDefault("sa-password", "ChangeMe"));
        details.put("namespace", options.getOrDefault("namespace", "ns1"));
        details.put("s3_public_url", require(options, "s3-url"));
        // The native runtime's worker threads stay attached to the JVM; end it explicitly.
        System.exit(runDemo(details));
    }

    /**
     * Runs the whole flow against the store the details describe, printing on stdout.
     *
     * @param details the store details (the management URL's {@code /_sim/log} counts requests)
     * @return 0 when every step passed, 1 when one failed (named on stderr)
     */
    static int runDemo(Map<String, String> connection) {
        Map<String, String> details = new LinkedHashMap<>(connection);
        STORE_FEATURES.forEach(details::putIfAbsent);
        System.out.println("CloudStack object storage on ECS, step by step (" + PATH + ")");
        System.out.println("ECS management " + details.get("mgmt_url") + ", S3 " + details.get("s3_public_url")
                + ", namespace " + details.get("namespace"));
        System.out.println("store details beyond the connection: object_lock_mode=" + details.get("object_lock_mode")
                + ", object_lock_days=" + details.get("object_lock_days") + ", account_key_grace_minutes="
                + details.get("account_key_grace_minutes") + "\n");
        SimLog log = new SimLog(details.get("mgmt_url"));
        DemoMain demo = new DemoMain(details, log);
        try {
            demo.run();
        } catch (Steps.StepFailed e) {
            System.err.println(e.getMessage());
            return 1;
        } finally {
            if (demo.direct != null) {
                demo.direct.close();
            }
        }
        demo.steps.summary(PATH);
        return 0;
    }

    /** The flow, in order; a step is one line here. */
    private List<Step> plan() {
        return List.of(
                new Step("add the store (with its check report)", this::addStore),
                new Step("provision the account's ECS user (allocBucket)", this::provision),
                new Step("create bucket: encrypted, versioned, public", this::createPublic),
                new Step("create bucket: private, 1 GiB quota", this::createPrivate),
                new Step("upload objects through the bucket browser", this::upload),
                new Step("list objects", this::list),
                new Step("usage in bytes (CloudStack's hourly task)", this::usage),
                new Step("create bucket: object lock, 1-day governance retention", this::createLocked),
                new Step("try to delete the locked bucket (refused until a date)", this::deleteLocked),
                new Step("try object lock on a store that refuses it (refused)", this::objectLockRefused),
                new Step("try to turn encryption off (refused)", this::encryptionOff),
                new Step("try to delete a non-empty bucket (refused)", this::deleteNonEmpty),
                new Step("ownership tags read back from ECS", this::tags),
                new Step("per-bucket credential: reads its bucket, cannot write another", this::bucketCredential),
                new Step("rotate the account key with a 60-minute grace", this::rotateAccountKey),
                new Step("drift report against CloudStack's rows (clean)", this::drift),
                new Step("a second domain in domain tenancy (its bucket invisible to the first domain's keys)",
                        () -> DomainTenancyStep.run(cs, details, direct, keys())),
                new Step("empty the private bucket", this::empty),
                new Step("after the retention (clock +1 day): empty the locked bucket", this::emptyLocked),
                new Step("delete the buckets", this::deleteBuckets),
                new Step("remove the store and the account's ECS user", this::cleanUp));
    }

    private void run() throws Steps.StepFailed {
        for (Step step : plan()) {
            steps.run(step.name(), step.work());
        }
    }

    private List<String> addStore() {
        cs = CloudStackHarness.start(new EcsObjectStoreProviderImpl());
        ObjectStoreVO store = ok(cs.addObjectStore("ECS", "ecs-demo", details.get("s3_public_url"), details));
        storeId = store.getId();
        direct = EcsObjectStore.open(details);
        CheckReport report = direct.check();
        List<String> lines = new ArrayList<>();
        lines.add("object store " + store.getName() + " (id " + storeId + ", provider ECS) added");
        for (CheckReport.Check check : report.checks()) {
            lines.add(String.format("check %-18s %s  %s", check.name(), check.ok() ? "ok  " : "FAIL", check.detail()));
        }
        if (!report.ok()) {
            throw new IllegalStateException("the store check failed: " + report);
        }
        return lines;
    }

    private BucketRequest publicRequest() {
        return BucketRequest.of(storeId, account.getId(), "demo-public-" + suffix()).withQuota(2)
                .withVersioning(true).withEncryption(true).withPolicy("public");
    }

    private String suffix() {
        return account.getUuid().substring(0, 8);
    }

    private List<String> provision() {
        account = cs.createAccount("demo");
        StepReport<BucketVO> alloc = cs.allocBucket(publicRequest());
        publicBucket = ok(alloc);
        String user = cs.accountDetailsDao().findDetails(account.getId()).get(AccountKeys.accessKeyName(storeId));
        return List.of("account " + account.getName() + " (" + account.getUuid() + "): driver calls "
                + alloc.driverMethods(), "ECS object user " + user + " stored in the account's details");
    }

    private List<String> createPublic() {
        StepReport<BucketVO> job = cs.createBucketJob(publicBucket.getId(), publicRequest());
        publicBucket = ok(job);
        return describe(publicBucket, job);
    }

    private List<String> createPrivate() {
        BucketRequest request = BucketRequest.of(storeId, account.getId(), "demo-private-" + suffix()).withQuota(1)
                .withPolicy("private");
        StepReport<BucketVO> created = cs.createBucket(request);
        privateBucket = ok(created);
        return describe(privateBucket, created);
    }

    private List<String> describe(BucketVO bucket, StepReport<BucketVO> report) {
        String policy = direct.getPolicy(bucket.getName());
        return List.of("bucket " + bucket.getName() + " at " + bucket.getBucketURL(),
                "encryption " + onOff(bucket.isEncryption()) + ", versioning " + onOff(bucket.isVersioning())
                        + ", quota " + bucket.getQuota() + " GiB, "
                        + (policy == null ? "no policy (private)" : "a public-read policy"),
                "driver calls " + report.driverMethods());
    }

    private AccountCredentials keys() {
        return keysOf(privateBucket);
    }

    private List<String> upload() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> object : OBJECTS.entrySet()) {
            byte[] body = object.getValue().getBytes(StandardCharsets.UTF_8);
            direct.putObject(keys(), privateBucket.getName(), object.getKey(), body);
            lines.add("put " + privateBucket.getName() + "/" + object.getKey() + " (" + body.length + " bytes)");
        }
        return lines;
    }

    private List<String> list() {
        List<ObjectEntry> top = direct.listObjects(keys(), privateBucket.getName(), null);
        List<ObjectEntry> docs = direct.listObjects(keys(), privateBucket.getName(), "docs/");
        if (docs.size() != 2) {
            throw new IllegalStateException("expected 2 objects under docs/, listed " + docs.size());
        }
        return List.of(privateBucket.getName() + "/: " + entries(top),
                privateBucket.getName() + "/docs/: " + entries(docs));
    }

    private static String entries(List<ObjectEntry> listing) {
        List<String> names = new ArrayList<>();
        for (ObjectEntry entry : listing) {
            names.add(entry.isPrefix() ? entry.key() + " (folder)" : entry.key() + " (" + entry.size() + " B)");
        }
        return String.join(", ", names);
    }

    private List<String> usage() {
        Map<Long, Long> usage = ok(cs.runUsageTask());
        long uploaded = 0;
        for (String body : OBJECTS.values()) {
            uploaded += body.getBytes(StandardCharsets.UTF_8).length;
        }
        Long privateBytes = usage.get(privateBucket.getId());
        if (privateBytes == null || privateBytes != uploaded) {
            throw new IllegalStateException(privateBucket.getName() + " reports " + privateBytes + " bytes, but "
                    + uploaded + " were uploaded");
        }
        return List.of(publicBucket.getName() + ": " + usage.get(publicBucket.getId()) + " bytes",
                privateBucket.getName() + ": " + privateBytes + " bytes (written to the bucket row's size)");
    }

    private List<String> createLocked() {
        BucketRequest request = BucketRequest.of(storeId, account.getId(), "demo-locked-" + suffix()).withQuota(1)
                .withObjectLocking(true);
        StepReport<BucketVO> created = cs.createBucket(request);
        if (!created.succeeded() && created.message().contains("[UNSUPPORTED]")) {
            // An ECS before 3.6.2 has no object lock: the lock steps say so and skip.
            return List.of("refused: " + created.message(), NO_LOCK);
        }
        lockedBucket = ok(created);
        if (!lockedBucket.isVersioning() || !lockedBucket.isObjectLock()) {
            throw new IllegalStateException("the row of " + lockedBucket.getName() + " does not show object lock"
                    + " and versioning on");
        }
        byte[] body = "kept for a day\n".getBytes(StandardCharsets.UTF_8);
        direct.putObject(keysOf(lockedBucket), lockedBucket.getName(), "record.txt", body);
        return List.of("bucket " + lockedBucket.getName() + " at " + lockedBucket.getBucketURL(),
                "object lock on, and versioning on in CloudStack's row (object lock turned it on; not asked for)",
                "put " + lockedBucket.getName() + "/record.txt (" + body.length + " bytes): retained for 1 day",
                "driver calls " + created.driverMethods());
    }

    /** What the lock steps say on an ECS without object lock. */
    private static final String NO_LOCK = "skipped: this ECS has no S3 Object Lock (3.6.2 and later)";

    /** @return the demo's buckets that exist: the locked one only where ECS has object lock */
    private List<BucketVO> buckets() {
        return lockedBucket == null ? List.of(publicBucket, privateBucket)
                : List.of(publicBucket, privateBucket, lockedBucket);
    }

    private List<String> deleteLocked() {
        if (lockedBucket == null) {
            return List.of(NO_LOCK);
        }
        StepReport<Boolean> report = cs.deleteBucket(lockedBucket.getId());
        List<String> lines = refused(report);
        java.util.regex.Matcher date = java.util.regex.Pattern.compile("retention until (\\S+);")
                .matcher(report.message());
        if (!date.find()) {
            throw new IllegalStateException("the refusal names no date: " + report.message());
        }
        retainedUntil = date.group(1);
        return lines;
    }

    private List<String> objectLockRefused() {
        Map<String, String> refusing = new LinkedHashMap<>(details);
        refusing.put("object_lock", "refuse");
        refusing.put("s3_private_url", details.get("s3_public_url"));
        refusing.put("s3_public_url", "https://no-lock.example.com");
        long noLock = ok(cs.addObjectStore("ECS", "ecs-demo-no-lock", refusing.get("s3_public_url"), refusing))
                .getId();
        BucketRequest locked = BucketRequest.of(noLock, account.getId(), "demo-no-lock-" + suffix())
                .withObjectLocking(true);
        List<String> lines = new ArrayList<>();
        lines.add("store ecs-demo-no-lock (id " + noLock + ") added with object_lock=refuse");
        lines.addAll(refused(cs.createBucket(locked)));
        ok(cs.deleteObjectStore(noLock));
        lines.add("store ecs-demo-no-lock removed again");
        return lines;
    }

    private List<String> encryptionOff() {
        return refused(cs.updateBucket(publicBucket.getId(), BucketUpdate.none().withEncryption(false)));
    }

    private List<String> deleteNonEmpty() {
        return refused(cs.deleteBucket(privateBucket.getId()));
    }

    private List<String> tags() throws Exception {
        List<String> lines = new ArrayList<>();
        EcsTags ecs = EcsTags.login(details.get("mgmt_url"), details.get("sa_user"), details.get("sa_password"));
        String store = cs.objectStoreDao().findById(storeId).getUuid();
        for (BucketVO bucket : buckets()) {
            Map<String, String> tags = ecs.bucketTags(bucket.getName(), details.get("namespace"));
            if (!account.getUuid().equals(tags.get("cloudstack:account")) || !store.equals(tags.get("cloudstack:store"))) {
                throw new IllegalStateException(bucket.getName() + " does not name its account and store: " + tags);
            }
            lines.add(bucket.getName() + ": " + tags);
        }
        ecs.logout();
        return lines;
    }

    private static AccountCredentials keysOf(BucketVO row) {
        return new AccountCredentials(row.getAccessKey(), row.getSecretKey());
    }

    private BucketVO row(BucketVO bucket) {
        return cs.bucketDao().findById(bucket.getId());
    }

    private boolean canWrite(AccountCredentials keys, String bucket) {
        try {
            direct.putObject(keys, bucket, "probe.txt", "x".getBytes(StandardCharsets.UTF_8));
            direct.deleteObject(keys, bucket, "probe.txt");
            return true;
        } catch (EcsException refused) {
            return false;
        }
    }

    private List<String> bucketCredential() {
        BucketCredentialFlows flows = cs.bucketCredentials();
        flows.migrateObjectStoreAccount(account.getId(), storeId);
        privateBucket = flows.migrateBucketCredential(privateBucket.getId());
        AccountCredentials credential = keysOf(privateBucket);
        int listed = direct.listObjects(credential, privateBucket.getName(), null).size();
        if (canWrite(credential, publicBucket.getName())) {
            throw new IllegalStateException("the credential of " + privateBucket.getName() + " could write "
                    + publicBucket.getName());
        }
        return List.of("account moved onto per-bucket credentials (migrateObjectStoreAccount)",
                "credential " + credential.userId() + " lists " + privateBucket.getName() + " (" + listed
                        + " entries)",
                "writing " + publicBucket.getName() + " with it: refused");
    }

    private List<String> rotateAccountKey() throws Exception {
        BucketCredentialFlows flows = cs.bucketCredentials();
        AccountCredentials old = keysOf(publicBucket);
        publicBucket = flows.migrateBucketCredential(publicBucket.getId());
        if (lockedBucket != null) {
            lockedBucket = flows.migrateBucketCredential(lockedBucket.getId());
        }
        flows.rotateObjectStoreAccountKey(account.getId(), storeId);
        AccountCredentials rotated = new AccountKeys(cs.accountDetailsDao()).load(account.getId(), storeId);
        if (rotated == null || rotated.secretKey().equals(old.secretKey())) {
            throw new IllegalStateException("the account key did not change");
        }
        direct.listObjects(rotated, privateBucket.getName(), null);
        direct.listObjects(old, privateBucket.getName(), null);
        sim.advanceClock(Duration.ofMinutes(61));
        boolean oldStillWorks;
        try {
            direct.listObjects(old, privateBucket.getName(), null);
            oldStillWorks = true;
        } catch (EcsException expired) {
            oldStillWorks = false;
        }
        if (oldStillWorks) {
            throw new IllegalStateException("the old account key still works after its grace");
        }
        direct.listObjects(rotated, privateBucket.getName(), null);
        return List.of("the other buckets moved onto their own credentials; then rotateObjectStoreAccountKey",
                "new key works; the old one still works within the grace",
                "emulator clock +61 minutes: the old key no longer works, the new one does");
    }

    private List<String> drift() {
        DriftReport report = direct.drift(cs.driftRows(storeId));
        if (report.drifted()) {
            throw new IllegalStateException("drift: " + report.findings());
        }
        return List.of("CloudStack's rows (" + cs.bucketDao().listByObjectStoreId(storeId).size()
                + " bucket rows) against ECS: " + report.accountUsers() + " account user(s), "
                + report.credentialUsers() + " credential user(s), " + report.buckets() + " bucket(s): no drift");
    }

    private List<String> empty() {
        AccountCredentials keys = keysOf(privateBucket);
        List<ObjectVersionEntry> versions = direct.listVersions(keys, privateBucket.getName(), null);
        for (ObjectVersionEntry version : versions) {
            direct.deleteObject(keys, privateBucket.getName(), version.key());
        }
        List<ObjectVersionEntry> left = direct.listVersions(keys, privateBucket.getName(), null);
        if (!left.isEmpty()) {
            throw new IllegalStateException(privateBucket.getName() + " still holds " + left.size() + " versions");
        }
        return List.of(privateBucket.getName() + ": deleted " + versions.size() + " objects");
    }

    private List<String> emptyLocked() throws Exception {
        if (lockedBucket == null) {
            return List.of(NO_LOCK);
        }
        AccountCredentials keys = keysOf(row(lockedBucket));
        sim.advanceClock(Duration.ofDays(1).plusMinutes(1));
        List<ObjectVersionEntry> versions = direct.listVersions(keys, lockedBucket.getName(), null);
        for (ObjectVersionEntry version : versions) {
            direct.deleteObjectVersion(keys, lockedBucket.getName(), version.key(), version.versionId());
        }
        List<ObjectVersionEntry> left = direct.listVersions(keys, lockedBucket.getName(), null);
        if (!left.isEmpty()) {
            throw new IllegalStateException(lockedBucket.getName() + " still holds " + left.size() + " versions");
        }
        return List.of("retained until " + retainedUntil + "; emulator clock +1 day",
                lockedBucket.getName() + ": deleted " + versions.size() + " object version(s)");
    }

    private List<String> deleteBuckets() {
        List<String> names = new ArrayList<>();
        for (BucketVO bucket : buckets()) {
            ok(cs.deleteBucket(bucket.getId()));
            names.add(bucket.getName());
        }
        boolean listed = direct.listBuckets().stream().anyMatch(b -> names.contains(b.name()));
        if (listed) {
            throw new IllegalStateException("the buckets are still listed after deletion");
        }
        return List.of("deleted " + String.join(", ", names) + " (and their credentials)");
    }

    private List<String> cleanUp() {
        ok(cs.deleteObjectStore(storeId));
        direct.deleteAccountUser(account.getUuid());
        return List.of("object store removed from CloudStack; ECS object user of " + account.getName() + " deleted");
    }

    /** @return the step's value, or throws with CloudStack's message when it failed */
    private static <T> T ok(StepReport<T> report) {
        if (!report.succeeded()) {
            throw new IllegalStateException(report.step() + " failed: " + report.message(), report.error());
        }
        if (!report.findings().isEmpty()) {
            System.out.println("        harness findings: " + report.findings());
        }
        return report.value();
    }

    /** @return the refusal as CloudStack reports it; throws if the step succeeded */
    private static List<String> refused(StepReport<?> report) {
        if (report.succeeded()) {
            throw new IllegalStateException(report.step() + " should have been refused, but it succeeded");
        }
        return List.of("refused: " + report.message(), "driver calls " + report.driverMethods());
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage("unexpected argument " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            usage("--" + name + " is required");
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println("ecs-demo: " + problem);
        System.err.println("usage: DemoMain --mgmt-url URL --s3-url URL [--sa-user U] [--sa-password P]"
                + " [--namespace NS]");
        System.exit(2);
    }
}
