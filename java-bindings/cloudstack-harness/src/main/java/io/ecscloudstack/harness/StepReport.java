package io.ecscloudstack.harness;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of one CloudStack step run by the harness: what it returned or the error
 * CloudStack would report, how long it took, the driver calls it made and what the DAOs held
 * afterwards.
 *
 * @param step the step's name ({@code addObjectStore}, {@code allocBucket}, {@code createBucket},
 *        {@code updateBucket}, {@code deleteBucket}, {@code usageTask}, ...)
 * @param succeeded whether CloudStack would report success
 * @param value what the step produced (null when it failed)
 * @param error the exception CloudStack would surface (null when it succeeded)
 * @param duration the step's wall-clock time
 * @param driverCalls the driver calls made, in order
 * @param findings conformance problems the harness noticed (empty when none)
 * @param after the DAOs' content once the step ended
 * @param <T> the step's result type
 */
public record StepReport<T>(String step, boolean succeeded, T value, RuntimeException error, Duration duration,
        List<DriverCall> driverCalls, List<String> findings, DaoSnapshot after) {

    /** @return the value, or the step's error thrown */
    public T orThrow() {
        if (!succeeded) {
            throw error;
        }
        return value;
    }

    /** @return the error's message, or null */
    public String message() {
        return error == null ? null : error.getMessage();
    }

    /** @return the names of the driver methods called, in order */
    public List<String> driverMethods() {
        return driverCalls.stream().map(DriverCall::method).toList();
    }

    /** @return one line: step, outcome, time and driver calls (no DAO content, no secrets) */
    public String summary() {
        return step + ": " + (succeeded ? "ok" : "FAILED (" + message() + ")") + " in " + duration.toMillis()
                + " ms; driver calls " + driverCalls + (findings.isEmpty() ? "" : "; findings " + findings);
    }

    @Override
    public String toString() {
        return summary();
    }
}
