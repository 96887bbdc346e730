package io.ecscloudstack.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The contract of the JNI bridge, with the testing natives of a {@code --features testing}
 * library: every failure, including a panic, arrives as {@link EcsException}, and the JVM lives on.
 */
class BridgeTest {
    @BeforeAll
    static void load() {
        NativeLibrary.load();
        try {
            EcsNativeTesting.fail("NOT_FOUND", "probe");
        } catch (EcsException expected) {
            return;
        } catch (UnsatisfiedLinkError e) {
            throw new AssertionError(NativeLibrary.source() + " lacks the testing natives: build it with "
                    + "`cargo build -p ecs-jni --features testing` (as `cargo xtask ci` does)", e);
        }
        throw new AssertionError("EcsNativeTesting.fail returned normally");
    }

    private static EcsException ecsException(ErrorCode code, Executable call) {
        EcsException e = assertThrows(EcsException.class, call);
        assertEquals(code, e.code(), e::toString);
        return e;
    }

    @Test
    void loadsTheLibraryNamedByTheSystemPropertyAndChecksItsVersion() throws Exception {
        String path = System.getProperty("ecs.native.path");
        assertEquals(new File(path).getAbsolutePath(), NativeLibrary.source());
        assertEquals(NativeLibrary.jarVersion(), EcsNative.version());
        assertFalse(NativeLibrary.jarVersion().contains("${"), "ecs-java.properties was filtered");
        IllegalStateException mismatch = assertThrows(IllegalStateException.class,
                () -> NativeLibrary.checkVersion("0.1.0", "0.2.0"));
        assertTrue(mismatch.getMessage().contains("0.2.0"), mismatch.getMessage());
        assertEquals("linux-x86_64", NativeLibrary.classifier());
    }

    @Test
    void aPanicBecomesAnInternalEcsExceptionAndTheJvmLivesOn() throws Exception {
        for (int i = 0; i < 3; i++) {
            EcsException e = ecsException(ErrorCode.INTERNAL, () -> EcsNativeTesting.panic("boom " + 7));
            assertEquals("native code panicked: boom 7", e.getMessage());
            assertFalse(e.retryable());
        }
        // The library still answers after the panics.
        assertEquals(NativeLibrary.jarVersion(), EcsNative.version());
    }

    @Test
    void everyErrorKindCrossesTheBridgeWithItsCodeAndRetryFlag() {
        for (ErrorCode code : ErrorCode.values()) {
            EcsException e = ecsException(code, () -> EcsNativeTesting.fail(code.name(), "failed: " + code));
            assertEquals("failed: " + code, e.getMessage());
            assertEquals(code.retryableByDefault(), e.retryable(), code::name);
        }
    }

    @Test
    void nullArgumentsAreInvalidInputNamingTheArgument() {
        EcsException e = ecsException(ErrorCode.INVALID_INPUT, () -> EcsNativeTesting.fail(null, "x"));
        assertEquals("code must not be null", e.getMessage());
        e = ecsException(ErrorCode.INVALID_INPUT, () -> EcsNative.storeOpen(null, null));
        assertEquals("details must not be null", e.getMessage());
        e = ecsException(ErrorCode.INVALID_INPUT, () -> EcsNative.storeOpen(null, new String[] {null, "v"}));
        assertEquals("a detail key must not be null", e.getMessage());
        ecsException(ErrorCode.INVALID_INPUT, () -> EcsNative.storeOpen(null, new String[] {"odd"}));
        ecsException(ErrorCode.INVALID_INPUT, () -> EcsObjectStore.open(null));
    }

    @Test
    void everyStoreNativeIsRegisteredAndAZeroHandleIsClosed() {
        List<Executable> calls = List.of(
                () -> EcsNative.storeCheck(0),
                () -> EcsNative.storeEnsureAccountUser(0, null, "a", null, null),
                () -> EcsNative.storeCreateBucket(0, "b", "a", null, null, null, false, false, null, false, null,
                        null, null),
                () -> EcsNative.storeCreateBucketCredential(0, null, "b"),
                () -> EcsNative.storeAccountSupportsBucketCredentials(0, null, "a"),
                () -> EcsNative.storeSetVersioning(0, null, "b", true),
                () -> EcsNative.storeSetEncryption(0, null, "b", true),
                () -> EcsNative.storeSetQuota(0, null, "b", 1),
                () -> EcsNative.storeSetPolicy(0, null, "b", "public"),
                () -> EcsNative.storeGetPolicy(0, null, "b"),
                () -> EcsNative.storeDeleteBucket(0, null, "b"),
                () -> EcsNative.storeListBuckets(0),
                () -> EcsNative.storeUsage(0),
                () -> EcsNative.storeRotateAccountKey(0, null, "a", 1),
                () -> EcsNative.storeDeleteAccountUser(0, null, "a"),
                () -> EcsNative.storeListObjects(0, "u", "s", "b", null),
                () -> EcsNative.storeListVersions(0, "u", "s", "b", null),
                () -> EcsNative.storePutObject(0, "u", "s", "b", "k", new byte[0]),
                () -> EcsNative.storeGetObject(0, "u", "s", "b", "k"),
                () -> EcsNative.storeDeleteObject(0, "u", "s", "b", "k"),
                () -> EcsNative.storePresignGet(0, "u", "s", "b", "k", 60));
        for (Executable call : calls) {
            EcsException e = ecsException(ErrorCode.CLOSED, call);
            assertEquals("the object store is closed", e.getMessage());
        }
        EcsNative.storeClose(0); // closing nothing is a no-op
    }

    @Test
    void aClosedStoreThrowsClosedAndClosingIsIdempotent() {
        Map<String, String> details = new HashMap<>();
        details.put("mgmt_url", "http://127.0.0.1:9");
        details.put("sa_user", "root");
        details.put("sa_password", "ChangeMe");
        details.put("namespace", "ns1");
        details.put("s3_public_url", "http://127.0.0.1:9");
        EcsObjectStore store = EcsObjectStore.open(details);
        store.close();
        store.close();
        ecsException(ErrorCode.CLOSED, store::listBuckets);
        ecsException(ErrorCode.CLOSED, () -> store.deleteBucket("b1"));
        ecsException(ErrorCode.CLOSED,
                () -> store.listObjects(new AccountCredentials("u", "s"), "b1", null));
    }

    @Test
    void invalidDetailsAreRefusedBeforeAnyNetwork() {
        Map<String, String> details = new HashMap<>();
        details.put("mgmt_url", "not a url");
        EcsException e = ecsException(ErrorCode.INVALID_INPUT, () -> EcsObjectStore.open(details));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void tracingEventsReachLog4jWithLevelTargetAndRedactedSecrets() {
        try (CapturedLogs logs = CapturedLogs.record()) {
            EcsNativeTesting.log(3, "hello from rust", "hunter2");
            EcsNativeTesting.log(2, "careful", "hunter2");
            EcsNativeTesting.log(5, "too fine for the default filter", "hunter2");
            List<CapturedLogs.Entry> entries = logs.entries();
            assertEquals(2, entries.size(), logs::all);
            CapturedLogs.Entry info = entries.get(0);
            assertEquals(Level.INFO, info.level);
            assertEquals("io.ecscloudstack.rust.ecs_jni.testing", info.logger);
            assertEquals("hello from rust secret_key=** redacted **", info.message);
            assertEquals(Level.WARN, entries.get(1).level);
            assertFalse(logs.all().contains("hunter2"), logs::all);
        }
    }

    @Test
    void eventsFromTokioWorkersReachLog4jOnNamedAttachedThreads() {
        try (CapturedLogs logs = CapturedLogs.record()) {
            String worker = EcsNativeTesting.logFromWorker("from a worker");
            assertTrue(worker.startsWith("ecs-jni-worker-"), worker);
            List<String> threads = logs.entries().stream()
                    .filter(entry -> entry.message.equals("from a worker"))
                    .map(entry -> entry.thread)
                    .collect(Collectors.toList());
            assertEquals(List.of(worker), threads, logs::all);
        }
    }
}
