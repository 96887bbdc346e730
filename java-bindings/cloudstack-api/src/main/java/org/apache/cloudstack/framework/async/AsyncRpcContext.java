package org.apache.cloudstack.framework.async;

/**
 * Stand-in for CloudStack's {@code AsyncRpcContext}.
 *
 * @param <T> the result type of the parent callback
 */
public class AsyncRpcContext<T> {
    private final AsyncCompletionCallback<T> parentCallback;

    /** @param callback the callback to complete */
    public AsyncRpcContext(AsyncCompletionCallback<T> callback) {
        this.parentCallback = callback;
    }

    /** @return the callback to complete */
    public AsyncCompletionCallback<T> getParentCallback() {
        return this.parentCallback;
    }
}
