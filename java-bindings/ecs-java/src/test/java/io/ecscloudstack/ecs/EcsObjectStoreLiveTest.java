package io.ecscloudstack.ecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java API end to end: Java, JNI, ecs-driver, HTTP, a live {@code ecs-sim} child process. */
class EcsObjectStoreLiveTest {
    private static EcsSim sim;
    private static EcsObjectStore store;
    private static CapturedLogs logs;

    @BeforeAll
    static void start() throws Exception {
        sim = EcsSim.start();
        logs = CapturedLogs.record();
        store = EcsObjectStore.open(sim.details());
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) {
            store.close();
        }
        if (logs != null) {
            logs.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private static String account() {
        return UUID.randomUUID().toString();
    }

    private static String bucketName(String stem) {
        return stem + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void checkPassesAgainstTheEmulator() {
        CheckReport report = store.check();
        assertTrue(report.ok(), report::toString);
        assertFalse(report.checks().isEmpty());
        List<String> names = report.checks().stream().map(CheckReport.Check::name).collect(Collectors.toList());
        assertTrue(names.contains("login"), names::toString);
        assertEquals("all checks passed", report.summary());
    }

    @Test
    void aWrongPasswordFailsTheCheckWithoutThrowing() {
        Map<String, String> details = sim.details();
        details.put("sa_password", "wrong-password-42");
        try (EcsObjectStore wrong = EcsObjectStore.open(details)) {
            CheckReport report = wrong.check();
            assertFalse(report.ok(), report::toString);
            assertFalse(report.toString().contains("wrong-password-42"), report::toString);
            assertTrue(report.summary().startsWith("login: "), report.summary());
            assertFalse(report.summary().contains("wrong-password-42"), report.summary());
        }
    }

    @Test
    void accountUsersAreEnsuredRotatedAndDeleted() {
        String account = account();
        AccountCredentials created = store.ensureAccountUser(account, null);
        assertEquals("cs-" + account, created.userId());
        assertEquals(created, store.ensureAccountUser(account, created), "stored keys are kept");
        AccountCredentials rotated = store.rotateAccountKey(account, 0);
        assertEquals(created.userId(), rotated.userId());
        assertNotEquals(created.secretKey(), rotated.secretKey());
        store.deleteAccountUser(account);
        assertNeverLogged(created.secretKey(), rotated.secretKey());
    }

    @Test
    void bucketsAreCreatedWithEveryOptionChangedListedAndDeleted() {
        String account = account();
        AccountCredentials keys = store.ensureAccountUser(account, null);
        String name = bucketName("full");
        CreatedBucket created = store.createBucket(BucketSpec.builder(name, account).credentials(keys).quotaGib(2L)
                .encryption(true).versioning(true).policy("public").build());
        assertEquals(name, created.name());
        assertEquals(sim.s3Url() + "/" + name, created.url());
        assertEquals(keys, created.credentials());

        BucketSummary summary = summary(name);
        assertEquals(2L, summary.quotaGib());
        assertTrue(summary.versioning());
        assertTrue(summary.encryption());
        assertNotNull(store.getPolicy(name));

        store.setQuota(name, 5);
        store.setVersioning(name, false);
        store.setPolicy(name, "private");
        summary = summary(name);
        assertEquals(5L, summary.quotaGib());
        assertFalse(summary.versioning());

        store.deleteBucket(name);
        assertTrue(store.listBuckets().stream().noneMatch(b -> b.name().equals(name)));
        store.deleteBucket(name); // a missing bucket is not an error
        assertNeverLogged(keys.secretKey());
    }

    private static BucketSummary summary(String name) {
        return store.listBuckets().stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not listed"));
    }

    @Test
    void objectsAreBrowsedThroughTheOwnersKeys() {
        String account = account();
        String name = bucketName("objects");
        AccountCredentials keys = store.createBucket(BucketSpec.builder(name, account).build()).credentials();
        byte[] data = "hello from java".getBytes(StandardCharsets.UTF_8);
        store.putObject(keys, name, "dir/hello.txt", data);
        store.putObject(keys, name, "top.txt", new byte[0]);

        assertArrayEquals(data, store.getObject(keys, name, "dir/hello.txt"));
        List<ObjectEntry> top = store.listObjects(keys, name, null);
        assertEquals(List.of("top.txt", "dir/"), top.stream().map(ObjectEntry::key).collect(Collectors.toList()),
                top::toString);
        ObjectEntry file = top.get(0);
        assertFalse(file.isPrefix());
        assertNotNull(file.lastModified());
        assertTrue(top.get(1).isPrefix());
        List<ObjectEntry> inDir = store.listObjects(keys, name, "dir/");
        assertEquals(1, inDir.size(), inDir::toString);
        assertEquals(data.length, inDir.get(0).size());

        String url = store.presignGet(keys, name, "dir/hello.txt", 300);
        assertTrue(url.startsWith(sim.s3Url() + "/" + name + "/dir/hello.txt?"), url);
        assertTrue(store.usage().containsKey(name), () -> store.usage().toString());

        EcsException notEmpty = assertThrows(EcsException.class, () -> store.deleteBucket(name));
        assertEquals(ErrorCode.NOT_EMPTY, notEmpty.code(), notEmpty::toString);
        List<ObjectVersionEntry> versions = store.listVersions(keys, name, null);
        assertEquals(2, versions.size(), versions::toString);
        store.deleteObject(keys, name, "dir/hello.txt");
        store.deleteObject(keys, name, "top.txt");
        assertTrue(store.listObjects(keys, name, null).isEmpty());
        store.deleteBucket(name);
        assertNeverLogged(keys.secretKey());
    }

    @Test
    void longListingsCrossTheBridgeWhole() {
        String account = account();
        String name = bucketName("many");
        AccountCredentials keys = store.createBucket(BucketSpec.builder(name, account).build()).credentials();
        int count = 120;
        for (int i = 0; i < count; i++) {
            store.putObject(keys, name, String.format("k%03d", i), new byte[] {(byte) i});
        }
        List<ObjectEntry> listed = store.listObjects(keys, name, null);
        assertEquals(count, listed.size());
        assertEquals("k000", listed.get(0).key());
        assertEquals("k119", listed.get(count - 1).key());
        assertEquals(count, store.listVersions(keys, name, "k").size());
        for (ObjectEntry entry : listed) {
            store.deleteObject(keys, name, entry.key());
        }
        store.deleteBucket(name);
    }

    @Test
    void failuresArriveAsEcsExceptionsWithTheirCodes() {
        String account = account();
        Map<String, String> refusing = sim.details();
        refusing.put("object_lock", "refuse");
        try (EcsObjectStore noLock = EcsObjectStore.open(refusing)) {
            EcsException lock = assertThrows(EcsException.class, () -> noLock.createBucket(
                    BucketSpec.builder(bucketName("lock"), account).objectLock(true).build()));
            assertEquals(ErrorCode.UNSUPPORTED, lock.code(), lock::toString);
        }
        EcsException badName = assertThrows(EcsException.class,
                () -> store.createBucket(BucketSpec.builder("Not_A_Bucket", account).build()));
        assertEquals(ErrorCode.INVALID_INPUT, badName.code(), badName::toString);
        EcsException nullBucket = assertThrows(EcsException.class, () -> store.setQuota(null, 1));
        assertEquals(ErrorCode.INVALID_INPUT, nullBucket.code());
        assertEquals("bucket must not be null", nullBucket.getMessage());
        EcsException nullSpec = assertThrows(EcsException.class, () -> store.createBucket(null));
        assertEquals(ErrorCode.INVALID_INPUT, nullSpec.code());
        EcsException nullCredentials = assertThrows(EcsException.class,
                () -> store.listObjects(null, "b1", null));
        assertEquals(ErrorCode.INVALID_INPUT, nullCredentials.code());
    }

    @Test
    void aDefaultStoreCreatesLockBucketsWithVersioningOn() {
        String name = bucketName("lock");
        CreatedBucket created = store.createBucket(BucketSpec.builder(name, account()).objectLock(true).build());
        assertTrue(created.versioning(), "object lock turns versioning on");
        assertTrue(store.listBuckets().stream().anyMatch(b -> b.name().equals(name) && b.versioning()));
        store.deleteBucket(name);
    }

    @Test
    void versionsAreDeletedOneByOneAndDriftComparesWithCloudStackRows() {
        String account = account();
        String name = bucketName("ver");
        AccountCredentials keys = store.createBucket(BucketSpec.builder(name, account).versioning(true).build())
                .credentials();
        store.putObject(keys, name, "a.txt", new byte[] {1});
        store.putObject(keys, name, "a.txt", new byte[] {2});
        List<ObjectVersionEntry> versions = store.listVersions(keys, name, null);
        assertEquals(2, versions.size());
        for (ObjectVersionEntry version : versions) {
            store.deleteObjectVersion(keys, name, version.key(), version.versionId());
        }
        assertEquals(List.of(), store.listVersions(keys, name, null));

        String rows = "{\"accounts\":[{\"uuid\":\"" + account + "\",\"removed\":false}],\"buckets\":["
                + "{\"name\":\"" + name + "\",\"account_uuid\":\"" + account + "\"},"
                + "{\"name\":\"gone-" + name + "\",\"account_uuid\":\"" + account + "\"}]}";
        DriftReport report = store.drift(rows);
        assertTrue(report.comparedWithRows());
        assertTrue(report.buckets() >= 1 && report.accountUsers() >= 1, report::toString);
        assertTrue(report.findings().stream().anyMatch(f -> f.kind().equals("row_without_bucket")
                && f.subject().equals("gone-" + name)), report::toString);
        assertFalse(report.findings().stream().anyMatch(f -> f.subject().equals(name)), report::toString);
        assertFalse(store.drift(null).comparedWithRows());
        EcsException bad = assertThrows(EcsException.class, () -> store.drift("not json"));
        assertEquals(ErrorCode.INVALID_INPUT, bad.code(), bad::toString);
        store.deleteBucket(name);
    }

    @Test
    void javaThreadsShareOneStore() throws Exception {
        String account = account();
        AccountCredentials keys = store.ensureAccountUser(account, null);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<CreatedBucket>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String name = bucketName("par" + i);
                futures.add(pool.submit(() -> store.createBucket(
                        BucketSpec.builder(name, account).credentials(keys).build())));
            }
            for (Future<CreatedBucket> future : futures) {
                CreatedBucket bucket = future.get(60, TimeUnit.SECONDS);
                assertEquals(keys, bucket.credentials());
                store.deleteBucket(bucket.name());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theServicePasswordIsNeverLogged() {
        store.check();
        assertNeverLogged("ChangeMe");
    }

    private static void assertNeverLogged(String... secrets) {
        String all = logs.all();
        for (String secret : secrets) {
            assertFalse(all.contains(secret), () -> "a secret reached the log:\n" + all);
        }
    }
}
