package io.ecscloudstack.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The value classes and the generated error codes, without the native library. */
class ValuesTest {
    @Test
    void credentialsNeverShowTheSecret() {
        AccountCredentials credentials = new AccountCredentials("cs-acct", "hunter2");
        assertFalse(credentials.toString().contains("hunter2"), credentials.toString());
        assertTrue(credentials.toString().contains("cs-acct"));
        assertEquals(new AccountCredentials("cs-acct", "hunter2"), credentials);
        assertFalse(credentials.equals(new AccountCredentials("cs-acct", "other")));
        CreatedBucket created = new CreatedBucket("b1", "http://s3/b1", credentials);
        assertFalse(created.toString().contains("hunter2"), created.toString());
        BucketSpec spec = BucketSpec.builder("b1", "acct").credentials(credentials).build();
        assertFalse(spec.toString().contains("hunter2"), spec.toString());
    }

    @Test
    void credentialsRefuseNulls() {
        EcsException e = assertThrows(EcsException.class, () -> new AccountCredentials(null, "s"));
        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertEquals("userId must not be null", e.getMessage());
    }

    @Test
    void bucketSpecStartsWithEverythingOffAndKeepsWhatIsSet() {
        BucketSpec plain = BucketSpec.builder("b1", "acct").build();
        assertNull(plain.quotaGib());
        assertNull(plain.policy());
        assertNull(plain.credentials());
        assertFalse(plain.encryption() || plain.versioning() || plain.objectLock());

        BucketSpec full = BucketSpec.builder("b2", "acct").quotaGib(5L).encryption(true).versioning(true)
                .policy("public").objectLock(true).build();
        assertEquals(5L, full.quotaGib());
        assertEquals("public", full.policy());
        assertTrue(full.encryption() && full.versioning() && full.objectLock());
        assertEquals(ErrorCode.INVALID_INPUT,
                assertThrows(EcsException.class, () -> BucketSpec.builder("b", "a").quotaGib(-1L)).code());
        assertEquals(ErrorCode.INVALID_INPUT,
                assertThrows(EcsException.class, () -> BucketSpec.builder(null, "a")).code());
    }

    @Test
    void summariesMapTheNoQuotaMarkerToNull() {
        assertNull(new BucketSummary("b", null, null, null, false, false).quotaGib());
        assertEquals(3L, new BucketSummary("b", "u", "2024-01-01T00:00:00Z", 3L, true, true).quotaGib());
    }

    @Test
    void errorCodesMirrorTheRustKinds() {
        assertEquals("not found", ErrorCode.NOT_FOUND.description());
        assertTrue(ErrorCode.UNAVAILABLE.retryableByDefault());
        assertFalse(ErrorCode.INTERNAL.retryableByDefault());
        EcsException unknown = new EcsException("NO_SUCH_CODE", "m", false);
        assertEquals(ErrorCode.INTERNAL, unknown.code());
        EcsException timeout = new EcsException(ErrorCode.TIMEOUT, "slow");
        assertTrue(timeout.retryable());
        assertTrue(timeout.toString().contains("TIMEOUT"), timeout.toString());
    }
}
