package io.ecscloudstack.uifixture;

import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import com.cloud.exception.InvalidParameterValueException;
import com.cloud.storage.BucketVO;
import com.cloud.user.AccountVO;
import io.ecscloudstack.harness.BucketRequest;
import io.ecscloudstack.harness.BucketUpdate;
import io.ecscloudstack.harness.CloudStackHarness;
import io.ecscloudstack.harness.StepReport;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;

/**
 * The API commands the ECS page uses, answered the way CloudStack's {@code ApiServer} does:
 * {@code {"<command>response": {...}}} objects, lists as {@code count} plus an array named after
 * the entity, {@code createBucket} as an async job polled with {@code queryAsyncJobResult}, and
 * failures as {@code errorcode}, {@code cserrorcode} and {@code errortext}. Every bucket and
 * store operation is a {@link CloudStackHarness} step, so it runs CloudStack's call sequence
 * through the real plug-in.
 */
final class Api {
    /** The one account the stand-in knows: the logged-in administrator's. */
    static final String ACCOUNT_NAME = "admin";
    private static final String DOMAIN_NAME = "ROOT";
    private static final String DOMAIN_UUID = "a1b2c3d4-0000-4000-8000-000000000001";

    private final CloudStackHarness cs;
    private final AccountVO account;
    private final String userUuid = UUID.randomUUID().toString();
    private final String domainUuid = DOMAIN_UUID;
    private final Map<String, Map<String, Object>> jobs = new ConcurrentHashMap<>();
    private final ExecutorService jobRunner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "async-job-executor");
        t.setDaemon(true);
        return t;
    });

    Api(CloudStackHarness cs) {
        this.cs = cs;
        this.account = cs.createAccount(ACCOUNT_NAME);
    }

    String userUuid() {
        return userUuid;
    }

    String accountUuid() {
        return account.getUuid();
    }

    String domainUuid() {
        return domainUuid;
    }

    void close() {
        jobRunner.shutdownNow();
    }

    /**
     * @param command the command as sent (CloudStack matches names exactly)
     * @param p the request's parameters
     * @return the body of {@code <command>response}
     * @throws ApiException as CloudStack would report the failure
     */
    Map<String, Object> call(String command, Map<String, String> p) {
        return switch (command) {
            case "listUsers" -> list("user", List.of(user()));
            case "listObjectStoragePools" -> listStores(p);
            case "addObjectStoragePool" -> addStore(p);
            case "deleteObjectStoragePool" -> deleteStore(p);
            case "listBuckets" -> listBuckets(p);
            case "createBucket" -> createBucket(p);
            case "queryAsyncJobResult" -> queryJob(p);
            case "updateBucket" -> updateBucket(p);
            case "deleteBucket" -> deleteBucket(p);
            default -> throw new ApiException(ApiException.UNSUPPORTED_ACTION, ApiException.CS_INVALID_PARAMETER,
                    "The given command:" + command + " does not exist or it is not available for user");
        };
    }

    /** @return the user the login created, in {@code UserResponse}'s shape */
    Map<String, Object> user() {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("id", userUuid);
        u.put("username", "admin");
        u.put("firstname", "Admin");
        u.put("lastname", "User");
        u.put("account", ACCOUNT_NAME);
        u.put("accountid", account.getUuid());
        u.put("accounttype", 1);
        u.put("roletype", "Admin");
        u.put("rolename", "Root Admin");
        u.put("domainid", domainUuid);
        u.put("domain", DOMAIN_NAME);
        u.put("state", "enabled");
        return u;
    }

    private static Map<String, Object> list(String entity, List<Map<String, Object>> items) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!items.isEmpty()) {
            out.put("count", items.size());
            out.put(entity, items);
        }
        return out;
    }

    private static Map<String, Object> single(String entity, Map<String, Object> item) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(entity, item);
        return out;
    }

    private static Map<String, Object> success() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("success", true);
        return out;
    }

    private static String required(String command, Map<String, String> p, String name) {
        String v = p.get(name);
        if (v == null || v.isBlank()) {
            throw ApiException.missing(command, name);
        }
        return v;
    }

    private static Boolean bool(Map<String, String> p, String name) {
        String v = p.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.valueOf(v);
        }
        throw ApiException.param("Unable to execute API command due to invalid value. Invalid parameter " + name
                + " value=" + v + " due to incorrect type. Expected boolean");
    }

    private static Integer integer(Map<String, String> p, String name) {
        String v = p.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.param("Unable to execute API command due to invalid value. Invalid parameter " + name
                    + " value=" + v + " due to incorrect type. Expected integer");
        }
    }

    /** Turns a failed harness step into CloudStack's error: parameter errors 431, the rest 530. */
    private static <T> T orFail(StepReport<T> step) {
        if (step.succeeded()) {
            return step.value();
        }
        RuntimeException e = step.error();
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof InvalidParameterValueException || e instanceof IllegalArgumentException) {
            throw ApiException.param(text);
        }
        throw new ApiException(ApiException.INTERNAL_ERROR, ApiException.CS_CLOUD_RUNTIME, text);
    }

    // ---- object stores ----------------------------------------------------------------

    private Map<String, Object> store(ObjectStoreVO s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.getUuid());
        out.put("name", s.getName());
        out.put("url", s.getUrl());
        out.put("providername", s.getProviderName());
        if (s.getTotalSize() != null) {
            out.put("storagetotal", s.getTotalSize());
        }
        if (s.getUsedBytes() != null) {
            out.put("storageused", s.getUsedBytes());
        }
        out.put("hasannotations", false);
        return out;
    }

    private ObjectStoreVO storeByUuid(String command, String uuid) {
        for (ObjectStoreVO s : cs.objectStoreDao().listObjectStores()) {
            if (uuid.equals(s.getUuid())) {
                return s;
            }
        }
        throw ApiException.param("Unable to execute API command " + command.toLowerCase()
                + " due to invalid value. Invalid parameter id value=" + uuid + " due to incorrect long value format,"
                + " or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.");
    }

    private Map<String, Object> listStores(Map<String, String> p) {
        Predicate<ObjectStoreVO> keep = s -> (p.get("id") == null || p.get("id").equals(s.getUuid()))
                && (p.get("name") == null || p.get("name").equals(s.getName()))
                && (p.get("provider") == null || p.get("provider").equalsIgnoreCase(s.getProviderName()))
                && (p.get("keyword") == null || s.getName().contains(p.get("keyword")));
        List<Map<String, Object>> items = new ArrayList<>();
        for (ObjectStoreVO s : cs.objectStoreDao().listObjectStores()) {
            if (keep.test(s)) {
                items.add(store(s));
            }
        }
        return list("objectstore", items);
    }

    private Map<String, Object> addStore(Map<String, String> p) {
        String command = "addObjectStoragePool";
        String name = required(command, p, "name");
        String url = required(command, p, "url");
        String provider = required(command, p, "provider");
        // details[N].key / details[N].value, as CloudStack's map parameters arrive.
        Map<Integer, String[]> pairs = new TreeMap<>();
        p.forEach((k, v) -> {
            if (k.startsWith("details[") && (k.endsWith("].key") || k.endsWith("].value"))) {
                int close = k.indexOf(']');
                try {
                    int index = Integer.parseInt(k.substring("details[".length(), close));
                    String[] pair = pairs.computeIfAbsent(index, i -> new String[2]);
                    pair[k.endsWith("].key") ? 0 : 1] = v;
                } catch (NumberFormatException e) {
                    throw ApiException.param("Invalid map parameter " + k);
                }
            }
        });
        Map<String, String> details = new LinkedHashMap<>();
        for (String[] pair : pairs.values()) {
            if (pair[0] != null && pair[1] != null) {
                details.put(pair[0], pair[1]);
            }
        }
        ObjectStoreVO added = orFail(cs.addObjectStore(provider, name, url, details));
        return single("objectstore", store(added));
    }

    private Map<String, Object> deleteStore(Map<String, String> p) {
        ObjectStoreVO s = storeByUuid("deleteObjectStoragePool", required("deleteObjectStoragePool", p, "id"));
        orFail(cs.deleteObjectStore(s.getId()));
        return success();
    }

    // ---- buckets ----------------------------------------------------------------------

    private static String date(Date d) {
        if (d == null) {
            return null;
        }
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ssZ", Locale.ROOT);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f.format(d);
    }

    private Map<String, Object> bucket(BucketVO b) {
        ObjectStoreVO s = cs.objectStoreDao().findById(b.getObjectStoreId());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", b.getUuid());
        out.put("name", b.getName());
        out.put("created", date(b.getCreated()));
        out.put("account", ACCOUNT_NAME);
        out.put("domainid", domainUuid);
        out.put("domain", DOMAIN_NAME);
        out.put("objectstorageid", s == null ? null : s.getUuid());
        out.put("objectstore", s == null ? null : s.getName());
        out.put("size", b.getSize() == null ? 0L : b.getSize());
        out.put("state", b.getState() == null ? null : b.getState().toString());
        out.put("quota", b.getQuota());
        out.put("encryption", b.isEncryption());
        out.put("versioning", b.isVersioning());
        out.put("objectlocking", b.isObjectLock());
        out.put("policy", b.getPolicy());
        out.put("url", b.getBucketURL());
        out.put("accesskey", b.getAccessKey());
        out.put("usersecretkey", b.getSecretKey());
        out.put("provider", s == null ? null : s.getProviderName());
        out.put("tags", List.of());
        return out;
    }

    private BucketVO bucketByUuid(String command, String uuid) {
        for (BucketVO b : cs.bucketDao().listAll()) {
            if (uuid.equals(b.getUuid())) {
                return b;
            }
        }
        throw ApiException.param("Unable to execute API command " + command.toLowerCase()
                + " due to invalid value. Invalid parameter id value=" + uuid + " due to incorrect long value format,"
                + " or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.");
    }

    private Map<String, Object> listBuckets(Map<String, String> p) {
        String storeUuid = p.get("objectstorageid");
        Predicate<BucketVO> keep = b -> (p.get("id") == null || p.get("id").equals(b.getUuid()))
                && (p.get("name") == null || p.get("name").equals(b.getName()))
                && (p.get("keyword") == null || b.getName().contains(p.get("keyword")));
        List<Map<String, Object>> items = new ArrayList<>();
        for (BucketVO b : cs.bucketDao().listAll()) {
            if (!keep.test(b)) {
                continue;
            }
            Map<String, Object> row = bucket(b);
            if (storeUuid == null || storeUuid.equals(row.get("objectstorageid"))) {
                items.add(row);
            }
        }
        return list("bucket", items);
    }

    private Map<String, Object> createBucket(Map<String, String> p) {
        String command = "createBucket";
        String name = required(command, p, "name");
        ObjectStoreVO s = storeByUuid(command, required(command, p, "objectstorageid"));
        BucketRequest request = new BucketRequest(s.getId(), account.getId(), name, integer(p, "quota"),
                Boolean.TRUE.equals(bool(p, "versioning")), Boolean.TRUE.equals(bool(p, "encryption")),
                Boolean.TRUE.equals(bool(p, "objectlocking")), p.get("policy"));
        // BaseAsyncCreateCmd: create() (allocBucket) runs in the API thread, execute() in a job.
        BucketVO allocated = orFail(cs.allocBucket(request));
        String jobId = UUID.randomUUID().toString();
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("accountid", account.getUuid());
        job.put("userid", userUuid);
        job.put("cmd", "org.apache.cloudstack.api.command.user.bucket.CreateBucketCmd");
        job.put("jobid", jobId);
        job.put("jobstatus", 0);
        job.put("jobprocstatus", 0);
        job.put("jobresultcode", 0);
        job.put("jobinstancetype", "Bucket");
        job.put("jobinstanceid", allocated.getUuid());
        job.put("created", date(new Date()));
        jobs.put(jobId, job);
        jobRunner.submit(() -> finish(job, () -> single("bucket", bucket(orFail(
                cs.createBucketJob(allocated.getId(), request))))));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", allocated.getUuid());
        out.put("jobid", jobId);
        return out;
    }

    private interface JobBody {
        Map<String, Object> run();
    }

    private static void finish(Map<String, Object> job, JobBody body) {
        Map<String, Object> result;
        int status;
        int code;
        try {
            result = body.run();
            status = 1;
            code = 0;
        } catch (ApiException e) {
            result = new LinkedHashMap<>();
            result.put("errorcode", e.errorCode());
            result.put("errortext", e.getMessage());
            status = 2;
            code = e.errorCode();
        } catch (RuntimeException e) {
            result = new LinkedHashMap<>();
            result.put("errorcode", ApiException.INTERNAL_ERROR);
            result.put("errortext", String.valueOf(e.getMessage()));
            status = 2;
            code = ApiException.INTERNAL_ERROR;
        }
        synchronized (job) {
            job.put("jobresulttype", "object");
            job.put("jobresult", result);
            job.put("jobresultcode", code);
            job.put("completed", date(new Date()));
            job.put("jobstatus", status);
        }
    }

    private Map<String, Object> queryJob(Map<String, String> p) {
        String id = required("queryAsyncJobResult", p, "jobid");
        Map<String, Object> job = jobs.get(id);
        if (job == null) {
            throw ApiException.param("Unable to execute API command queryasyncjobresult due to invalid value."
                    + " Invalid parameter jobid value=" + id + " due to incorrect long value format, or entity does"
                    + " not exist or due to incorrect parameter annotation for the field in api cmd class.");
        }
        synchronized (job) {
            return new LinkedHashMap<>(job);
        }
    }

    private Map<String, Object> updateBucket(Map<String, String> p) {
        BucketVO b = bucketByUuid("updateBucket", required("updateBucket", p, "id"));
        BucketUpdate update = new BucketUpdate(bool(p, "encryption"), bool(p, "versioning"), p.get("policy"),
                integer(p, "quota"));
        orFail(cs.updateBucket(b.getId(), update));
        return success();
    }

    private Map<String, Object> deleteBucket(Map<String, String> p) {
        BucketVO b = bucketByUuid("deleteBucket", required("deleteBucket", p, "id"));
        orFail(cs.deleteBucket(b.getId()));
        return success();
    }
}
