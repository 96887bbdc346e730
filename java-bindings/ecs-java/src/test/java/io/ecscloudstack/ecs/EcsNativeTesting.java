package io.ecscloudstack.ecs;

/**
 * Natives that exist only in a library built with the cargo feature {@code testing} (as
 * {@code cargo xtask ci} builds it): they prove each error path of the bridge.
 */
final class EcsNativeTesting {
    private EcsNativeTesting() {
    }

    /** Panics in Rust with {@code message}. */
    static native int panic(String message);

    /** Returns a Rust error of kind {@code code} (an {@link ErrorCode} name) with {@code message}. */
    static native void fail(String code, String message);

    /** Emits a {@code tracing} event at {@code level} (1..5) with a field {@code secret_key = secret}. */
    static native void log(int level, String message, String secret);

    /** Emits an info event on a tokio worker thread; returns the worker's name. */
    static native String logFromWorker(String message);

    /** Panics with {@code message} inside a task on a tokio worker thread (INTERNAL). */
    static native void panicInWorker(String message);
}
