package org.apache.cloudstack.storage.datastore.driver;

import java.util.function.Supplier;

import com.cloud.utils.exception.CloudRuntimeException;
import io.ecscloudstack.ecs.EcsException;

/**
 * Runs calls into the ECS Java API and turns an {@link EcsException} into the
 * {@link CloudRuntimeException} CloudStack shows to the user, saying what was being done, why it
 * failed and the error code. Messages from the Rust driver never carry secrets.
 */
public final class EcsCalls {
    private EcsCalls() {
    }

    /**
     * @param action what is being done, e.g. {@code "create bucket 'photos'"}
     * @param call the call
     * @param <T> its result type
     * @return its result
     * @throws CloudRuntimeException if the call throws an {@link EcsException}
     */
    public static <T> T call(String action, Supplier<T> call) {
        try {
            return call.get();
        } catch (EcsException e) {
            throw translate(action, e);
        }
    }

    /**
     * @param action what is being done
     * @param call the call
     * @throws CloudRuntimeException if the call throws an {@link EcsException}
     */
    public static void run(String action, Runnable call) {
        call(action, () -> {
            call.run();
            return null;
        });
    }

    /**
     * @param action what was being done
     * @param e the error
     * @return the exception CloudStack should see
     */
    public static CloudRuntimeException translate(String action, EcsException e) {
        return new CloudRuntimeException("ECS: failed to " + action + ": " + e.getMessage() + " [" + e.code()
                + (e.retryable() ? ", retryable" : "") + "]", e);
    }
}
