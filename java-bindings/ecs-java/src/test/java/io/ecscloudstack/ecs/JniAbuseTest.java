package io.ecscloudstack.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * The JNI bridge under abuse and load, against a live {@code ecs-sim}, with {@code -Xcheck:jni}
 * (the Maven build's argLine): 64 threads calling every native while another closes the store,
 * calls after close and with forged handles, null, empty, huge (10 MB strings, 100,000-element
 * arrays) and malformed arguments on every native, and panics on Java and tokio worker threads.
 * Every call returns or throws {@link EcsException} with a code; every wait is bounded.
 */
class JniAbuseTest {
    private static final int THREADS = 64;
    private static final String ACCOUNT = "0e9c6e8a-1f0b-4c39-9c1b-2d5f3e4a5b6c";
    private static final String HUGE = "x".repeat(10 * 1024 * 1024);
    /** Null, empty, huge and malformed strings (NUL, a lone surrogate, markup, a path). */
    private static final String[] BAD_STRINGS = {
        null, "", HUGE, "\u0000", "\uD800", "</name><owner>root</owner>", "../../object/users",
    };

    private static EcsSim sim;

    @BeforeAll
    static void start() throws Exception {
        NativeLibrary.load();
        sim = EcsSim.start();
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private static String[] flatten(Map<String, String> details) {
        List<String> flat = new ArrayList<>();
        details.forEach((key, value) -> {
            flat.add(key);
            flat.add(value);
        });
        return flat.toArray(new String[0]);
    }

    private static long openRaw() {
        return EcsNative.storeOpen(null, flatten(sim.details()));
    }

    /** Every store native on {@code handle}, each string argument {@code s}. */
    private static List<Executable> everyNative(long handle, String s, byte[] data) {
        return List.of(
                () -> EcsNative.storeCheck(handle),
                () -> EcsNative.storeEnsureAccountUser(handle, s, s, s, s),
                () -> EcsNative.storeCreateBucket(handle, s, s, s, s, 1L, true, true, s, false, s, s, s),
                () -> EcsNative.storeSetVersioning(handle, s, s, true),
                () -> EcsNative.storeSetEncryption(handle, s, s, false),
                () -> EcsNative.storeSetQuota(handle, s, s, 1),
                () -> EcsNative.storeSetPolicy(handle, s, s, s),
                () -> EcsNative.storeGetPolicy(handle, s, s),
                () -> EcsNative.storeDeleteBucket(handle, s, s),
                () -> EcsNative.storeListBuckets(handle),
                () -> EcsNative.storeUsage(handle),
                () -> EcsNative.storeRotateAccountKey(handle, s, s, 1),
                () -> EcsNative.storeDeleteAccountUser(handle, s, s),
                () -> EcsNative.storeListObjects(handle, s, s, s, s),
                () -> EcsNative.storeListVersions(handle, s, s, s, s),
                () -> EcsNative.storePutObject(handle, s, s, s, s, data),
                () -> EcsNative.storeGetObject(handle, s, s, s, s),
                () -> EcsNative.storeDeleteObject(handle, s, s, s, s),
                () -> EcsNative.storeDeleteObjectVersion(handle, s, s, s, s, s),
                () -> EcsNative.storePresignGet(handle, s, s, s, s, 60),
                () -> EcsNative.storeBucketCredentialsUnsupportedReason(handle),
                () -> EcsNative.storeAccountSupportsBucketCredentials(handle, s, s),
                () -> EcsNative.storeMigrateAccountForBucketCredentials(handle, s, s),
                () -> EcsNative.storeIsAccountKeyRotationPending(handle, s, s),
                () -> EcsNative.storeRotateMigratedAccountKey(handle, s, s),
                () -> EcsNative.storeCreateBucketCredential(handle, s, s),
                () -> EcsNative.storeCreateBucketCredentialKey(handle, s, s),
                () -> EcsNative.storeRemoveBucketCredentialKey(handle, s, s, s),
                () -> EcsNative.storeDeleteBucketCredential(handle, s, s),
                () -> EcsNative.storeDrift(handle, s));
    }

    /** Runs {@code call}: returns normally, or the code of the {@link EcsException} it threw. */
    private static ErrorCode outcome(Executable call) {
        try {
            call.execute();
            return null;
        } catch (EcsException e) {
            assertNotNull(e.code(), e::toString);
            return e.code();
        } catch (Throwable other) {
            throw new AssertionError("not an EcsException: " + other, other);
        }
    }

    private static void awaitAll(ExecutorService pool, List<Future<?>> futures) throws Exception {
        pool.shutdown();
        assertTrue(pool.awaitTermination(240, TimeUnit.SECONDS), "the threads did not finish: a hang");
        for (Future<?> future : futures) {
            future.get(1, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(300)
    void sixtyFourThreadsCallEveryNativeWhileAnotherClosesTheStore() throws Exception {
        long handle = openRaw();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        CountDownLatch running = new CountDownLatch(THREADS);
        AtomicBoolean closed = new AtomicBoolean();
        AtomicLong calls = new AtomicLong();
        AtomicLong closedCalls = new AtomicLong();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String bucket = "abuse-" + t;
            futures.add(pool.submit(() -> {
                running.countDown();
                for (int round = 0; round < 200; round++) {
                    boolean afterClose = closed.get();
                    List<Executable> natives = new ArrayList<>(everyNative(handle, bucket, new byte[] {1}));
                    natives.set(1, () -> EcsNative.storeEnsureAccountUser(handle, null, ACCOUNT, null, null));
                    natives.set(2, () -> EcsNative.storeCreateBucket(handle, bucket, ACCOUNT, null, null, null,
                            false, false, null, false, null, null, null));
                    natives.set(11, () -> EcsNative.storeRotateAccountKey(handle, null, ACCOUNT, 0));
                    for (Executable call : natives) {
                        ErrorCode code = outcome(call);
                        calls.incrementAndGet();
                        if (afterClose) {
                            closedCalls.incrementAndGet();
                            if (code != ErrorCode.CLOSED) {
                                wrong.add("after close: " + code);
                            }
                        }
                    }
                    if (afterClose) {
                        return null;
                    }
                }
                return null;
            }));
        }
        futures.add(pool.submit(() -> {
            assertTrue(running.await(60, TimeUnit.SECONDS));
            Thread.sleep(6000);
            EcsNative.storeClose(handle);
            closed.set(true);
            EcsNative.storeClose(handle); // idempotent, even racing the callers
            return null;
        }));
        awaitAll(pool, futures);
        assertTrue(wrong.isEmpty(), wrong.toString());
        assertTrue(closed.get());
        assertTrue(closedCalls.get() > 0, "some calls came after the close: " + calls);
        System.out.println("jni abuse: " + calls.get() + " native calls from " + THREADS
                + " threads, " + closedCalls.get() + " after close, all returned or threw EcsException");
    }

    @Test
    @Timeout(300)
    void theJavaStoreSharedBySixtyFourThreadsClosesCleanly() throws Exception {
        EcsObjectStore store = EcsObjectStore.open(sim.details());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        AtomicBoolean closed = new AtomicBoolean();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        AccountCredentials credentials = new AccountCredentials("cs-" + ACCOUNT, "secret");
        for (int t = 0; t < THREADS; t++) {
            String bucket = "shared-" + t;
            futures.add(pool.submit(() -> {
                for (int round = 0; round < 200; round++) {
                    boolean afterClose = closed.get();
                    List<Executable> calls = List.of(
                            store::listBuckets,
                            store::usage,
                            () -> store.setQuota(bucket, 2),
                            () -> store.getPolicy(bucket),
                            () -> store.listObjects(credentials, bucket, null),
                            () -> store.presignGet(credentials, bucket, "k", 60));
                    for (Executable call : calls) {
                        ErrorCode code = outcome(call);
                        if (afterClose && code != ErrorCode.CLOSED) {
                            wrong.add("after close: " + code);
                        }
                    }
                    if (afterClose) {
                        return null;
                    }
                }
                return null;
            }));
        }
        futures.add(pool.submit(() -> {
            Thread.sleep(1000);
            store.close();
            closed.set(true);
            return null;
        }));
        awaitAll(pool, futures);
        assertTrue(wrong.isEmpty(), wrong.toString());
    }

    @Test
    void callsAfterCloseAndOnForgedHandlesAreClosed() {
        long handle = openRaw();
        EcsNative.storeClose(handle);
        long[] handles = {handle, 1, -1, 42, Long.MAX_VALUE, Long.MIN_VALUE, handle + 1_000_000};
        for (long forged : handles) {
            for (Executable call : everyNative(forged, "b1", new byte[] {1})) {
                assertEquals(ErrorCode.CLOSED, outcome(call), "handle " + forged);
            }
            EcsNative.storeClose(forged); // closing what is not open is a no-op
        }
    }

    @Test
    @Timeout(300)
    void nullEmptyHugeAndMalformedArgumentsAreInvalidInputOnEveryNative() {
        long handle = openRaw();
        try {
            int checked = 0;
            for (String bad : BAD_STRINGS) {
                for (Executable call : everyNative(handle, bad, new byte[] {1})) {
                    ErrorCode code = outcome(call);
                    checked++;
                    // storeCheck, storeListBuckets and storeUsage take no string: they may succeed.
                    if (code != null) {
                        assertEquals(ErrorCode.INVALID_INPUT, code,
                                () -> "argument " + (bad == null ? "null" : bad.length() + " chars"));
                    }
                }
            }
            String bucket = "good-bucket";
            assertEquals(ErrorCode.INVALID_INPUT,
                    outcome(() -> EcsNative.storePutObject(handle, "u", "s", bucket, "k", null)));
            assertEquals(ErrorCode.INVALID_INPUT, outcome(() -> EcsNative.storeSetQuota(handle, null, bucket, -1)));
            assertEquals(ErrorCode.INVALID_INPUT, outcome(() -> EcsNative.storeCreateBucket(handle, bucket,
                    ACCOUNT, null, null, -5L, false, false, null, false, null, null, null)));
            assertEquals(ErrorCode.INVALID_INPUT, outcome(() -> EcsNative.storePutObject(handle, "u", "s",
                    "Bad_Bucket", "k", new byte[10 * 1024 * 1024])));
            for (long seconds : new long[] {-1, Long.MIN_VALUE, Long.MAX_VALUE}) {
                outcome(() -> EcsNative.storePresignGet(handle, "u", "s", bucket, "k", seconds));
                outcome(() -> EcsNative.storeRotateAccountKey(handle, null, "not-a-uuid", seconds));
            }
            System.out.println("jni abuse: " + checked + " calls with null, empty, 10 MB and malformed strings");
        } finally {
            EcsNative.storeClose(handle);
        }
    }

    @Test
    @Timeout(120)
    void hugeAndMalformedDetailArraysAreRefusedOrOpenCleanly() {
        Map<String, String> base = new LinkedHashMap<>(sim.details());
        List<String> big = new ArrayList<>(Arrays.asList(flatten(base)));
        while (big.size() < 100_000) {
            big.add("unknown_" + big.size());
            big.add("v");
        }
        String[] many = big.toArray(new String[0]);
        assertEquals(100_000, many.length);
        ErrorCode code = outcome(() -> EcsNative.storeClose(EcsNative.storeOpen(null, many)));
        assertTrue(code == null || code == ErrorCode.INVALID_INPUT, String.valueOf(code));

        String[] odd = Arrays.copyOf(many, 100_001);
        odd[100_000] = "dangling";
        assertEquals(ErrorCode.INVALID_INPUT, outcome(() -> EcsNative.storeOpen(null, odd)));
        String[] nulls = new String[100_000];
        assertEquals(ErrorCode.INVALID_INPUT, outcome(() -> EcsNative.storeOpen(null, nulls)));
        assertEquals(ErrorCode.INVALID_INPUT, outcome(() -> EcsNative.storeOpen(HUGE, flatten(base))));
        for (String bad : BAD_STRINGS) {
            Map<String, String> details = new LinkedHashMap<>(base);
            details.put("mgmt_url", bad == null ? "" : bad);
            assertEquals(ErrorCode.INVALID_INPUT, outcome(() -> EcsNative.storeOpen(null, flatten(details))));
        }
    }

    @Test
    @Timeout(120)
    void panicsOnJavaAndTokioWorkerThreadsAreInternalAndTheLibraryLivesOn() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int n = t;
            futures.add(pool.submit(() -> {
                assertEquals(ErrorCode.INTERNAL, outcome(() -> EcsNativeTesting.panic("java worker " + n)));
                assertEquals(ErrorCode.INTERNAL, outcome(() -> EcsNativeTesting.panicInWorker("tokio worker " + n)));
                return null;
            }));
        }
        awaitAll(pool, futures);
        EcsNativeTesting.panicInWorker(""); // the runtime still runs tasks
        assertEquals(NativeLibrary.jarVersion(), EcsNative.version());
        long handle = openRaw();
        try {
            BucketSummary[] buckets = EcsNative.storeListBuckets(handle);
            assertNotNull(buckets);
        } finally {
            EcsNative.storeClose(handle);
        }
    }
}
