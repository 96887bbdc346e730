package io.ecscloudstack.ecs;

import java.util.List;

/**
 * The outcome of {@link EcsObjectStore#drift(String)}: what the driver made on ECS, found from
 * ECS alone, and the differences from CloudStack's rows (the kinds and the rows' JSON shape are
 * documented in the Rust driver's {@code drift} module; {@code ecsctl drift} prints the same).
 */
public final class DriftReport {
    private final boolean comparedWithRows;
    private final int accountUsers;
    private final int credentialUsers;
    private final int buckets;
    private final List<Finding> findings;

    /** Called by the native library. */
    DriftReport(boolean comparedWithRows, int accountUsers, int credentialUsers, int buckets, Finding[] findings) {
        this.comparedWithRows = comparedWithRows;
        this.accountUsers = accountUsers;
        this.credentialUsers = credentialUsers;
        this.buckets = buckets;
        this.findings = List.of(findings);
    }

    /** @return whether CloudStack's rows were compared (else only ECS-side findings) */
    public boolean comparedWithRows() {
        return comparedWithRows;
    }

    /** @return how many account users ({@code <prefix><account uuid>}) ECS holds */
    public int accountUsers() {
        return accountUsers;
    }

    /** @return how many bucket-credential users ECS holds */
    public int credentialUsers() {
        return credentialUsers;
    }

    /** @return how many CloudStack-made buckets ECS holds */
    public int buckets() {
        return buckets;
    }

    /** @return the differences; empty means no drift */
    public List<Finding> findings() {
        return findings;
    }

    /** @return whether anything differs */
    public boolean drifted() {
        return !findings.isEmpty();
    }

    @Override
    public String toString() {
        return "DriftReport[comparedWithRows=" + comparedWithRows + ", accountUsers=" + accountUsers
                + ", credentialUsers=" + credentialUsers + ", buckets=" + buckets + ", findings=" + findings + "]";
    }

    /** One difference: {@code twin_key}, {@code bucket_without_row}, {@code row_without_bucket}, ... */
    public static final class Finding {
        private final String kind;
        private final String subject;
        private final String detail;

        /** Called by the native library. */
        Finding(String kind, String subject, String detail) {
            this.kind = kind;
            this.subject = subject;
            this.detail = detail;
        }

        /** @return the kind */
        public String kind() {
            return kind;
        }

        /** @return the bucket or user concerned */
        public String subject() {
            return subject;
        }

        /** @return what is wrong, in words */
        public String detail() {
            return detail;
        }

        @Override
        public String toString() {
            return kind + " " + subject + ": " + detail;
        }
    }
}
