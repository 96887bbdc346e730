package org.apache.cloudstack.framework.async;

/**
 * Stand-in for CloudStack's {@code AsyncCompletionCallback}.
 *
 * @param <T> the result type
 */
public interface AsyncCompletionCallback<T> {
    /** @param resultObject the result */
    void complete(T resultObject);
}
