package io.ecscloudstack.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import com.cloud.storage.BucketVO;
import com.cloud.user.AccountVO;
import io.ecscloudstack.ecs.AccountCredentials;
import io.ecscloudstack.ecs.EcsObjectStore;
import io.ecscloudstack.ecs.ObjectEntry;
import io.ecscloudstack.harness.BucketRequest;
import io.ecscloudstack.harness.BucketUpdate;
import io.ecscloudstack.harness.CloudStackHarness;
import io.ecscloudstack.harness.StepReport;
import org.apache.cloudstack.storage.datastore.provider.EcsObjectStoreProviderImpl;

/**
 * {@code cargo xtask soak}, the Java side: CloudStack's operations, drawn from a seeded
 * generator, through the CloudStack harness, the ECS plug-in, JNI and the Rust driver against an
 * ecs-sim that injects faults (set up here through its {@code /_sim/} control plane): 503s with
 * ECS code 6000, dropped connections, lost answers, latency spikes, and every 100 operations a
 * revocation of the service account's tokens.
 *
 * <p>Operations: create buckets with every option (which provisions the account on its first
 * bucket), update quota, versioning and policy, the hourly usage task, the bucket browser's
 * puts, lists and deletes, and bucket deletion (emptied first). Creating a bucket is the only
 * operation that is not idempotent: it may fail, and must then leave nothing behind. Every other
 * failure that reaches CloudStack is a visible failure.
 *
 * <p>Afterwards the faults are cleared, CloudStack's rows are written as JSON to {@code --out}
 * (for the checker in {@code tests/tests/soak.rs}, which compares them with ECS), and every
 * store is closed as a stopping management server does.
 *
 * <p>Usage: {@code SoakMain --mgmt-url URL --s3-url URL --ops N --seed S --out FILE}
 */
public final class SoakMain {
    private static final int ACCOUNTS = 6;
    private static final String[] POLICIES = {null, "public", "private"};

    private final Map<String, String> details;
    private final String control;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AccountVO> accounts = new ArrayList<>();
    /** Bucket id to the model of what CloudStack believes it holds. */
    private final Map<Long, Model> buckets = new LinkedHashMap<>();
    private final EcsObjectStoreProviderImpl provider = new EcsObjectStoreProviderImpl();
    private CloudStackHarness cs;
    private EcsObjectStore browser;
    private long storeId;
    private int visibleFailures;
    private int failedCreates;
    private int listingMismatches;

    /** What CloudStack's row and the browser's uploads say about one bucket. */
    private static final class Model {
        final boolean data;
        final TreeSet<String> objects = new TreeSet<>();

        Model(boolean data) {
            this.data = data;
        }
    }

    private SoakMain(Map<String, String> details, long seed) {
        this.details = details;
        this.control = details.get("mgmt_url").replaceAll("/+$", "") + "/_sim/";
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        Map<String, String> details = Options.storeDetails(options);
        int ops = Integer.parseInt(options.getOrDefault("ops", "1000"));
        long seed = Long.parseLong(options.getOrDefault("seed", "1"));
        SoakMain soak = new SoakMain(details, seed);
        int code;
        try {
            soak.run(ops, Path.of(options.get("out")));
            code = 0;
        } catch (Exception e) {
            System.err.println("soak: the run itself failed: " + e);
            code = 1;
        } finally {
            soak.close();
        }
        // The native runtime's worker threads stay attached to the JVM; end it explicitly.
        System.exit(code);
    }

    private void run(int ops, Path out) throws IOException, InterruptedException {
        cs = CloudStackHarness.start(provider);
        storeId = cs.addObjectStore("ECS", "ecs-soak", details.get("s3_public_url"), details).orThrow().getId();
        browser = EcsObjectStore.open(details);
        for (int i = 0; i < ACCOUNTS; i++) {
            accounts.add(cs.createAccount("soak-" + i));
        }
        injectFaults();
        long started = System.nanoTime();
        for (int op = 0; op < ops; op++) {
            if (op > 0 && op % 100 == 0) {
                post("tokens/" + details.get("sa_user") + "/revoke", "");
            }
            step(op);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        send(HttpRequest.newBuilder(URI.create(control + "faults")).DELETE());
        System.err.println("soak: " + ops + " operations in " + millis + " ms");
        Files.writeString(out, rows(ops));
    }

    private void close() {
        if (browser != null) {
            browser.close();
        }
        provider.close();
    }

    /**
     * The faults of the soak, on both APIs and every path, drawn from the emulator's seed. Logins
     * get the same 503s, dropped connections and spikes, but never lose an answer: a login whose
     * answer is lost leaves a token the client never saw, which only ECS's idle timeout ends,
     * and the live-token count at the end would measure that, not the driver.
     */
    private void injectFaults() throws IOException, InterruptedException {
        post("faults", "{\"api\":\"mgmt\",\"path_prefix\":\"/login\",\"error_503\":0.10,"
                + "\"drop_connection\":0.05,\"spike_chance\":0.02,\"spike\":250}");
        for (String api : List.of("mgmt", "s3")) {
            post("faults", "{\"api\":\"" + api + "\",\"path_prefix\":\"/\",\"error_503\":0.10,"
                    + "\"drop_connection\":0.025,\"drop_answer\":0.025,\"spike_chance\":0.02,\"spike\":250}");
        }
    }

    private void step(int op) {
        int roll = random.nextInt(100);
        if (buckets.isEmpty() || roll < 22) {
            create(op);
        } else if (roll < 42) {
            update(op);
        } else if (roll < 47) {
            idempotent(op, "usage task", () -> cs.runUsageTask().orThrow());
        } else if (roll < 67) {
            put(op);
        } else if (roll < 77) {
            list(op);
        } else if (roll < 87) {
            deleteObject(op);
        } else {
            deleteBucket(op);
        }
    }

    private void create(int op) {
        AccountVO account = accounts.get(random.nextInt(accounts.size()));
        boolean versioning = random.nextInt(3) == 0;
        boolean data = !versioning && random.nextBoolean();
        BucketRequest request = BucketRequest.of(storeId, account.getId(), "soak-" + op + "-" + random.nextInt(1000))
                .withQuota(random.nextInt(4) == 0 ? null : random.nextInt(6))
                .withVersioning(versioning)
                .withEncryption(random.nextBoolean())
                .withPolicy(POLICIES[random.nextInt(POLICIES.length)]);
        StepReport<BucketVO> report = cs.createBucket(request);
        if (report.succeeded()) {
            buckets.put(report.value().getId(), new Model(data));
        } else {
            failedCreates++;
            System.err.println("soak: op " + op + " create " + request.name() + " failed (allowed: not idempotent): "
                    + report.message());
        }
    }

    private void update(int op) {
        Long id = pick(false);
        BucketVO row = cs.bucketDao().findById(id);
        BucketUpdate update = BucketUpdate.none();
        if (random.nextBoolean()) {
            update = update.withQuota(random.nextInt(6));
        }
        if (random.nextBoolean()) {
            update = update.withPolicy(POLICIES[1 + random.nextInt(2)]);
        }
        if (!buckets.get(id).data && random.nextBoolean()) {
            update = update.withVersioning(random.nextBoolean());
        }
        if (random.nextInt(4) == 0) {
            update = update.withEncryption(row.isEncryption());
        }
        BucketUpdate sent = update;
        idempotent(op, "update " + row.getName(), () -> cs.updateBucket(id, sent).orThrow());
    }

    private void put(int op) {
        Long id = pick(true);
        if (id == null) {
            return;
        }
        BucketVO row = cs.bucketDao().findById(id);
        String key = "dir" + random.nextInt(3) + "/obj-" + random.nextInt(20);
        byte[] body = new byte[random.nextInt(2048)];
        random.nextBytes(body);
        if (idempotent(op, "put " + row.getName() + "/" + key,
                () -> browser.putObject(keys(row), row.getName(), key, body))) {
            buckets.get(id).objects.add(key);
        }
    }

    private void list(int op) {
        Long id = pick(true);
        if (id == null) {
            return;
        }
        BucketVO row = cs.bucketDao().findById(id);
        List<ObjectEntry> listed = new ArrayList<>();
        if (idempotent(op, "list " + row.getName(), () -> listed.addAll(listAll(row)))) {
            TreeSet<String> keys = new TreeSet<>();
            listed.forEach(entry -> keys.add(entry.key()));
            if (!keys.equals(buckets.get(id).objects)) {
                listingMismatches++;
                System.err.println("soak: op " + op + " list " + row.getName() + " shows " + keys + ", CloudStack put "
                        + buckets.get(id).objects);
            }
        }
    }

    private List<ObjectEntry> listAll(BucketVO row) {
        List<ObjectEntry> all = new ArrayList<>();
        for (ObjectEntry top : browser.listObjects(keys(row), row.getName(), null)) {
            if (top.isPrefix()) {
                all.addAll(browser.listObjects(keys(row), row.getName(), top.key()));
            } else {
                all.add(top);
            }
        }
        return all;
    }

    private void deleteObject(int op) {
        Long id = pick(true);
        if (id == null || buckets.get(id).objects.isEmpty()) {
            return;
        }
        BucketVO row = cs.bucketDao().findById(id);
        String key = buckets.get(id).objects.first();
        if (idempotent(op, "delete " + row.getName() + "/" + key,
                () -> browser.deleteObject(keys(row), row.getName(), key))) {
            buckets.get(id).objects.remove(key);
        }
    }

    private void deleteBucket(int op) {
        Long id = pick(false);
        BucketVO row = cs.bucketDao().findById(id);
        Model model = buckets.get(id);
        boolean emptied = idempotent(op, "empty " + row.getName(), () -> {
            for (String key : new ArrayList<>(model.objects)) {
                browser.deleteObject(keys(row), row.getName(), key);
                model.objects.remove(key);
            }
        });
        if (emptied && idempotent(op, "delete bucket " + row.getName(), () -> cs.deleteBucket(id).orThrow())) {
            buckets.remove(id);
        }
    }

    /** Runs an idempotent operation; a failure reaching CloudStack is a visible failure. */
    private boolean idempotent(int op, String what, Runnable body) {
        try {
            body.run();
            return true;
        } catch (RuntimeException e) {
            visibleFailures++;
            System.err.println("soak: op " + op + " " + what + " FAILED: " + e.getMessage());
            return false;
        }
    }

    /** @return a random bucket (only data buckets when {@code data}), or null when there is none */
    private Long pick(boolean data) {
        List<Long> ids = new ArrayList<>();
        buckets.forEach((id, model) -> {
            if (!data || model.data) {
                ids.add(id);
            }
        });
        return ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
    }

    private static AccountCredentials keys(BucketVO row) {
        return new AccountCredentials(row.getAccessKey(), row.getSecretKey());
    }

    /** CloudStack's rows of the store, as JSON, with the run's counts. */
    private String rows(int ops) {
        StringBuilder json = new StringBuilder();
        json.append("{\"ops\":").append(ops).append(",\"visible_failures\":").append(visibleFailures)
                .append(",\"failed_creates\":").append(failedCreates).append(",\"listing_mismatches\":")
                .append(listingMismatches).append(",\"accounts\":[");
        String sep = "";
        for (AccountVO account : accounts) {
            RowsJson.account(json.append(sep), cs, account, storeId);
            sep = ",";
        }
        json.append("],\"buckets\":[");
        sep = "";
        for (BucketVO row : cs.bucketDao().listByObjectStoreId(storeId)) {
            Model model = buckets.get(row.getId());
            RowsJson.bucketFields(json.append(sep), cs, row).append(",\"objects\":")
                    .append(model == null ? -1 : model.objects.size()).append('}');
            sep = ",";
        }
        return json.append("]}\n").toString();
    }

    private void post(String path, String body) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(URI.create(control + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private void send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("the emulator's control plane answered HTTP " + response.statusCode() + " to "
                    + request.build().uri() + " (is ecs-sim running with --control?)");
        }
    }
}
