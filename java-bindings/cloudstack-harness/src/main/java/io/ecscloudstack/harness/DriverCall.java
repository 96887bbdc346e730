package io.ecscloudstack.harness;

import java.time.Duration;

/**
 * One call CloudStack made into the driver during a step.
 *
 * @param method the driver method's name
 * @param duration how long it took
 * @param error what it threw, or null if it returned
 */
public record DriverCall(String method, Duration duration, Throwable error) {
    /** @return whether the call returned normally */
    public boolean ok() {
        return error == null;
    }

    @Override
    public String toString() {
        return method + " " + duration.toMillis() + " ms " + (ok() ? "ok" : "threw " + error);
    }
}
