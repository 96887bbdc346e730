package io.ecscloudstack.ecs;

import java.util.List;

/** The outcome of {@link EcsObjectStore#check()}: one entry per connectivity check. */
public final class CheckReport {
    private final boolean ok;
    private final List<Check> checks;
    private final String summary;

    /** Called by the native library. */
    CheckReport(boolean ok, Check[] checks, String summary) {
        this.ok = ok;
        this.checks = List.of(checks);
        this.summary = summary;
    }

    /**
     * @return the failed checks' details joined into one line for an administrator (the Rust
     *         driver's wording), or {@code "all checks passed"}
     */
    public String summary() {
        return summary;
    }

    /** @return whether every check passed */
    public boolean ok() {
        return ok;
    }

    /** @return each check, in the order they ran */
    public List<Check> checks() {
        return checks;
    }

    @Override
    public String toString() {
        return "CheckReport[ok=" + ok + ", checks=" + checks + "]";
    }

    /** One connectivity check: {@code login}, {@code role}, {@code namespace}, {@code s3}, ... */
    public static final class Check {
        private final String name;
        private final boolean ok;
        private final String detail;

        /** Called by the native library. */
        Check(String name, boolean ok, String detail) {
            this.name = name;
            this.ok = ok;
            this.detail = detail;
        }

        /** @return the stable name of the check */
        public String name() {
            return name;
        }

        /** @return whether it passed */
        public boolean ok() {
            return ok;
        }

        /** @return what was found, or what went wrong and how to fix it */
        public String detail() {
            return detail;
        }

        @Override
        public String toString() {
            return name + "=" + (ok ? "ok" : "FAILED") + " (" + detail + ")";
        }
    }
}
