package io.ecscloudstack.harness;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BucketNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"abc", "photos-2024", "my.bucket.name", "a1b", "x23456789012345678901234567890123456789012345678901234567890123"})
    void s3DnsNamesAreAccepted(String name) {
        assertNull(BucketNames.problem(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "Upper", "under_score", "-lead", "trail-", "trail.", ".lead", "two..dots", "dash-.dot",
        "dot.-dash", "192.168.1.1", "with space",
        "x234567890123456789012345678901234567890123456789012345678901234"})
    void invalidNamesAreRefusedWithAReason(String name) {
        assertNotNull(BucketNames.problem(name), name);
    }
}
