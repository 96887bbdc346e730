package io.ecscloudstack.demo;

import static io.ecscloudstack.demo.RowsJson.quote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.cloud.storage.BucketVO;
import com.cloud.user.AccountVO;
import io.ecscloudstack.ecs.EcsException;
import io.ecscloudstack.harness.BucketRequest;
import io.ecscloudstack.harness.BucketUpdate;
import io.ecscloudstack.harness.CloudStackHarness;
import io.ecscloudstack.harness.StepReport;
import org.apache.cloudstack.storage.datastore.provider.EcsObjectStoreProviderImpl;

/**
 * One management server of a two-server CloudStack cluster, for the two-JVM suite
 * ({@code tests/tests/two_jvms.rs}): the CloudStack harness with the ECS plug-in, its own JNI
 * library instance, driver and ECS session, over CloudStack tables shared with the other server
 * ({@link CloudStackHarness#startShared}, a directory both processes open).
 *
 * <p>It takes CloudStack API calls on standard input, one per line, runs each through the
 * harness (CloudStack's exact call sequences) and answers on standard output with one line
 * starting with {@code @@ }: {@code @@ ok VALUE} or {@code @@ err KIND MESSAGE}, where KIND is
 * the {@code ErrorCode} of the {@link EcsException} behind the failure, or the class of the
 * CloudStack exception when ECS was not involved. Logs go to standard error. Calls:
 * <ul>
 *   <li>{@code store NAME}: "add object storage" with the details of the command line; the
 *       store's id</li>
 *   <li>{@code account NAME}: a new account; its id</li>
 *   <li>{@code create STORE ACCOUNT BUCKET [quota=N] [versioning=B] [encryption=B] [policy=P]}:
 *       createBucket (allocBucket and the job); the bucket's id</li>
 *   <li>{@code update STORE BUCKET [quota=N] [versioning=B] [encryption=B] [policy=P]}:
 *       updateBucket; the row's state when the update began</li>
 *   <li>{@code update-when-created STORE BUCKET ...}: waits (at most 20 s) until the other server
 *       has created the bucket on ECS (its row has a URL), then updates it at once, possibly while
 *       the other server's create job still sends its follow-ups; the row's state then
 *       ({@code Allocated}: the job had not finished)</li>
 *   <li>{@code delete STORE BUCKET}: deleteBucket</li>
 *   <li>{@code rows STORE FILE}: CloudStack's rows of the store as JSON (the soak's shape)</li>
 *   <li>{@code close}: closes the plug-in, as a stopping management server does, and exits</li>
 * </ul>
 *
 * <p>Usage: {@code TwoServersMain --name A --database DIR --mgmt-url URL --s3-url URL}
 */
public final class TwoServersMain {
    private static final long CREATED_WAIT_MILLIS = 20_000;

    private final Map<String, String> details;
    private final EcsObjectStoreProviderImpl provider = new EcsObjectStoreProviderImpl();
    private final CloudStackHarness cs;

    private TwoServersMain(Map<String, String> details, Path database) {
        this.details = details;
        this.cs = CloudStackHarness.startShared(database, provider);
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = Options.parse(args);
        Map<String, String> details = Options.storeDetails(options);
        TwoServersMain server = new TwoServersMain(details, Path.of(options.get("database")));
        System.err.println("server " + options.get("name") + ": started");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int code = 0;
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] words = line.trim().split("\\s+");
                String reply;
                try {
                    reply = "ok " + server.call(words);
                } catch (RuntimeException e) {
                    reply = "err " + kind(e) + " " + String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
                }
                System.out.println("@@ " + reply);
                System.out.flush();
                if (words[0].equals("close")) {
                    break;
                }
            }
        } catch (IOException e) {
            System.err.println("server " + options.get("name") + ": reading its calls failed: " + e);
            code = 1;
        } finally {
            server.provider.close();
        }
        // The native runtime's worker threads stay attached to the JVM; end it explicitly.
        System.exit(code);
    }

    private String call(String[] words) {
        switch (words[0]) {
            case "store":
                return String.valueOf(cs.addObjectStore(EcsObjectStoreProviderImpl.NAME, words[1],
                        details.get("s3_public_url"), details).orThrow().getId());
            case "account":
                return String.valueOf(cs.createAccount(words[1]).getId());
            case "create":
                return String.valueOf(create(Long.parseLong(words[1]), Long.parseLong(words[2]), words[3], words)
                        .orThrow().getId());
            case "update":
                return update(Long.parseLong(words[1]), words[2], words, false);
            case "update-when-created":
                return update(Long.parseLong(words[1]), words[2], words, true);
            case "delete": {
                BucketVO row = row(Long.parseLong(words[1]), words[2]);
                return String.valueOf(cs.deleteBucket(row.getId()).orThrow());
            }
            case "rows":
                try {
                    Files.writeString(Path.of(words[2]), rows(Long.parseLong(words[1])));
                } catch (IOException e) {
                    throw new IllegalStateException("cannot write the rows: " + e.getMessage(), e);
                }
                return words[2];
            case "close":
                provider.close();
                return "closed";
            default:
                throw new IllegalArgumentException("unknown call " + words[0]);
        }
    }

    private StepReport<BucketVO> create(long storeId, long accountId, String name, String[] words) {
        BucketRequest request = BucketRequest.of(storeId, accountId, name);
        Map<String, String> options = options(words, 4);
        if (options.containsKey("quota")) {
            request = request.withQuota(Integer.valueOf(options.get("quota")));
        }
        if (options.containsKey("versioning")) {
            request = request.withVersioning(Boolean.parseBoolean(options.get("versioning")));
        }
        if (options.containsKey("encryption")) {
            request = request.withEncryption(Boolean.parseBoolean(options.get("encryption")));
        }
        if (options.containsKey("policy")) {
            request = request.withPolicy(options.get("policy"));
        }
        return cs.createBucket(request);
    }

    private String update(long storeId, String name, String[] words, boolean waitForCreation) {
        BucketVO row = waitForCreation ? created(storeId, name) : row(storeId, name);
        Map<String, String> options = options(words, 3);
        BucketUpdate update = BucketUpdate.none();
        if (options.containsKey("quota")) {
            update = update.withQuota(Integer.valueOf(options.get("quota")));
        }
        if (options.containsKey("versioning")) {
            update = update.withVersioning(Boolean.parseBoolean(options.get("versioning")));
        }
        if (options.containsKey("encryption")) {
            update = update.withEncryption(Boolean.parseBoolean(options.get("encryption")));
        }
        if (options.containsKey("policy")) {
            update = update.withPolicy(options.get("policy"));
        }
        cs.updateBucket(row.getId(), update).orThrow();
        return String.valueOf(row.getState());
    }

    /** @return the bucket's row once its URL is written (the bucket exists on ECS) */
    private BucketVO created(long storeId, String name) {
        long deadline = System.nanoTime() + CREATED_WAIT_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            BucketVO row = find(storeId, name);
            if (row != null && row.getBucketURL() != null) {
                return row;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for bucket " + name, e);
            }
        }
        throw new IllegalStateException("bucket " + name + " was not created within " + CREATED_WAIT_MILLIS + " ms");
    }

    private BucketVO row(long storeId, String name) {
        BucketVO row = find(storeId, name);
        if (row == null) {
            throw new com.cloud.exception.InvalidParameterValueException("Unable to find bucket " + name);
        }
        return row;
    }

    private BucketVO find(long storeId, String name) {
        return cs.bucketDao().listByObjectStoreId(storeId).stream()
                .filter(b -> b.getName().equals(name))
                .findFirst()
                .orElse(null);
    }

    private static Map<String, String> options(String[] words, int from) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = from; i < words.length; i++) {
            String[] pair = words[i].split("=", 2);
            if (pair.length != 2) {
                throw new IllegalArgumentException("expected name=value, got " + words[i]);
            }
            options.put(pair[0], pair[1]);
        }
        return options;
    }

    /** @return the ECS error code behind the failure, else the class of the innermost cause */
    private static String kind(Throwable error) {
        Throwable innermost = error;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof EcsException ecs) {
                return ecs.code().name();
            }
            innermost = t;
        }
        return innermost.getClass().getSimpleName();
    }

    /** CloudStack's rows of the store, as JSON, in the shape the soak's checker reads. */
    private String rows(long storeId) {
        StringBuilder json = new StringBuilder("{\"accounts\":[");
        String sep = "";
        for (AccountVO account : cs.accountDao().listAll()) {
            RowsJson.account(json.append(sep), cs, account, storeId);
            sep = ",";
        }
        json.append("],\"buckets\":[");
        sep = "";
        for (BucketVO row : cs.bucketDao().listByObjectStoreId(storeId)) {
            RowsJson.bucketFields(json.append(sep), cs, row).append(",\"secret_key\":")
                    .append(quote(row.getSecretKey())).append(",\"state\":")
                    .append(quote(String.valueOf(row.getState()))).append('}');
            sep = ",";
        }
        return json.append("]}\n").toString();
    }
}
