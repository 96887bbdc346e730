package io.ecscloudstack.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.cloud.user.AccountVO;
import io.ecscloudstack.ecs.EcsObjectStore;
import io.ecscloudstack.harness.BucketRequest;
import io.ecscloudstack.harness.CloudStackHarness;
import io.ecscloudstack.harness.StepReport;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;
import org.apache.cloudstack.storage.datastore.provider.EcsObjectStoreProviderImpl;

/**
 * The Java side of {@code cargo xtask bench} (scenarios 4 and 6), run against a running ecs-sim
 * with the release JNI library. Prints one JSON line on stdout.
 *
 * <p>{@code --mode jni}: the cost of the cheapest call into Rust and back
 * ({@link EcsObjectStore#nativeVersion()}), and of CloudStack's hourly usage task through the
 * harness, the plug-in and JNI. {@code --mode create}: {@code --threads} Java threads creating
 * {@code --buckets} buckets through the harness and the plug-in, each thread for its own account.
 * The emulator's request log is cleared when the timed part starts, so what it holds afterwards
 * is what the timed part sent.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("mgmt_url", options.get("mgmt-url"));
        details.put("sa_user", "root");
        details.put("sa_password", "ChangeMe");
        details.put("namespace", options.get("namespace"));
        details.put("s3_public_url", options.get("s3-url"));
        String json = switch (options.get("mode")) {
            case "jni" -> jni(details, Integer.parseInt(options.get("calls")),
                    Integer.parseInt(options.get("driver-calls")));
            case "create" -> create(details, Integer.parseInt(options.get("threads")),
                    Integer.parseInt(options.get("buckets")));
            default -> throw new IllegalArgumentException("--mode jni|create");
        };
        System.out.println(json);
        // The native runtime's worker threads stay attached to the JVM; end it explicitly.
        System.exit(0);
    }

    private static String jni(Map<String, String> details, int calls, int driverCalls) {
        int sink = 0;
        for (int i = 0; i < Math.max(100_000, calls / 10); i++) {
            sink += EcsObjectStore.nativeVersion().length();
        }
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            sink += EcsObjectStore.nativeVersion().length();
        }
        double noopNs = (System.nanoTime() - start) / (double) calls;

        CloudStackHarness cs = CloudStackHarness.start(new EcsObjectStoreProviderImpl());
        ok(cs.addObjectStore("ECS", "bench-jni", details.get("s3_public_url"), details));
        for (int i = 0; i < 20; i++) {
            ok(cs.runUsageTask());
        }
        clearLog(details.get("mgmt_url"));
        start = System.nanoTime();
        for (int i = 0; i < driverCalls; i++) {
            ok(cs.runUsageTask());
        }
        double usageUs = (System.nanoTime() - start) / 1e3 / driverCalls;
        return String.format(Locale.ROOT, "{\"noop_ns\": %.3f, \"usage_us\": %.3f, \"sink\": %d}", noopNs, usageUs,
                sink);
    }

    private static String create(Map<String, String> details, int threads, int buckets) throws InterruptedException {
        CloudStackHarness cs = CloudStackHarness.start(new EcsObjectStoreProviderImpl());
        ObjectStoreVO store = ok(cs.addObjectStore("ECS", "bench-plug", details.get("s3_public_url"), details));
        long storeId = store.getId();
        List<AccountVO> accounts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            AccountVO account = cs.createAccount(String.format(Locale.ROOT, "bench-%02d", t));
            accounts.add(account);
            // Provision the account's ECS user before the clock starts.
            ok(cs.createBucket(request(storeId, account, String.format(Locale.ROOT, "w6-t%02d", t))));
        }
        int perThread = buckets / threads;
        AtomicInteger created = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<String> firstErrors = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            AccountVO account = accounts.get(t);
            int thread = t;
            workers.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    String name = String.format(Locale.ROOT, "p6-t%02d-%04d", thread, i);
                    StepReport<?> report = cs.createBucket(request(storeId, account, name));
                    if (report.succeeded()) {
                        created.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                        synchronized (firstErrors) {
                            if (firstErrors.size() < 3) {
                                firstErrors.add(String.valueOf(report.error()));
                            }
                        }
                    }
                }
            }));
        }
        clearLog(details.get("mgmt_url"));
        long start = System.nanoTime();
        workers.forEach(Thread::start);
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        for (String error : firstErrors) {
            System.err.println("bench: " + error);
        }
        return String.format(Locale.ROOT, "{\"created\": %d, \"errors\": %d, \"elapsed_s\": %.6f}", created.get(),
                errors.get(), seconds);
    }

    private static BucketRequest request(long storeId, AccountVO account, String name) {
        return BucketRequest.of(storeId, account.getId(), name).withQuota(5).withVersioning(true)
                .withEncryption(true).withPolicy("public");
    }

    private static <T> T ok(StepReport<T> report) {
        if (!report.succeeded()) {
            throw new IllegalStateException(report.step() + " failed: " + report.error(), report.error());
        }
        return report.value();
    }

    /** Empties the emulator's request log ({@code DELETE /_sim/log}). */
    private static void clearLog(String mgmtUrl) {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(mgmtUrl + "/_sim/log")).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("clearing the request log answered " + response.statusCode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
