package io.ecscloudstack.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.cloud.storage.BucketVO;
import com.cloud.user.AccountVO;
import io.ecscloudstack.ecs.AccountCredentials;
import io.ecscloudstack.ecs.CheckReport;
import io.ecscloudstack.ecs.EcsObjectStore;
import io.ecscloudstack.ecs.ObjectEntry;
import io.ecscloudstack.ecs.ObjectVersionEntry;
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
 * <p>Usage: {@code DemoMain --mgmt-url URL --s3-url URL [--sa-user U] [--sa-password P]
 * [--namespace NS]}; the request log is read from the management URL's {@code /_sim/log}.
 */
public final class DemoMain {
    private static final int STEPS = 14;
    private static final String PATH = "Java plug-in -> JNI -> Rust driver -> ecs-sim";

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

    private DemoMain(Map<String, String> details, Steps steps) {
        this.details = details;
        this.steps = steps;
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
    static int runDemo(Map<String, String> details) {
        System.out.println("CloudStack object storage on ECS, step by step (" + PATH + ")");
        System.out.println("ECS management " + details.get("mgmt_url") + ", S3 " + details.get("s3_public_url")
                + ", namespace " + details.get("namespace") + "\n");
        DemoMain demo = new DemoMain(details, new Steps(new SimLog(details.get("mgmt_url")), STEPS));
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

    private void run() throws Steps.StepFailed {
        steps.run("add the store (with its check report)", this::addStore);
        steps.run("provision the account's ECS user (allocBucket)", this::provision);
        steps.run("create bucket: encrypted, versioned, public", this::createPublic);
        steps.run("create bucket: private, 1 GiB quota", this::createPrivate);
        steps.run("upload objects through the bucket browser", this::upload);
        steps.run("list objects", this::list);
        steps.run("usage in bytes (CloudStack's hourly task)", this::usage);
        steps.run("try object lock (refused)", this::objectLock);
        steps.run("try to turn encryption off (refused)", this::encryptionOff);
        steps.run("try to delete a non-empty bucket (refused)", this::deleteNonEmpty);
        steps.run("a second domain in domain tenancy (its bucket invisible to the first domain's keys)",
                () -> DomainTenancyStep.run(cs, details, direct, keys()));
        steps.run("empty the private bucket", this::empty);
        steps.run("delete the buckets", this::deleteBuckets);
        steps.run("remove the store and the account's ECS user", this::cleanUp);
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
        return new AccountCredentials(privateBucket.getAccessKey(), privateBucket.getSecretKey());
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

    private List<String> objectLock() {
        BucketRequest locked = BucketRequest.of(storeId, account.getId(), "demo-locked-" + suffix())
                .withObjectLocking(true);
        return refused(cs.createBucket(locked));
    }

    private List<String> encryptionOff() {
        return refused(cs.updateBucket(publicBucket.getId(), BucketUpdate.none().withEncryption(false)));
    }

    private List<String> deleteNonEmpty() {
        return refused(cs.deleteBucket(privateBucket.getId()));
    }

    private List<String> empty() {
        List<ObjectVersionEntry> versions = direct.listVersions(keys(), privateBucket.getName(), null);
        for (ObjectVersionEntry version : versions) {
            direct.deleteObject(keys(), privateBucket.getName(), version.key());
        }
        List<ObjectVersionEntry> left = direct.listVersions(keys(), privateBucket.getName(), null);
        if (!left.isEmpty()) {
            throw new IllegalStateException(privateBucket.getName() + " still holds " + left.size() + " versions");
        }
        return List.of(privateBucket.getName() + ": deleted " + versions.size() + " objects");
    }

    private List<String> deleteBuckets() {
        ok(cs.deleteBucket(publicBucket.getId()));
        ok(cs.deleteBucket(privateBucket.getId()));
        boolean listed = direct.listBuckets().stream()
                .anyMatch(b -> b.name().equals(publicBucket.getName()) || b.name().equals(privateBucket.getName()));
        if (listed) {
            throw new IllegalStateException("the buckets are still listed after deletion");
        }
        return List.of("deleted " + publicBucket.getName() + " and " + privateBucket.getName());
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
