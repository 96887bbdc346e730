package io.ecscloudstack.ecs;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;

/**
 * The sink of the native library's {@code tracing} events: each is logged through log4j2 under
 * {@code io.ecscloudstack.rust.<rust target>} (with {@code ::} as {@code .}), so driver logs
 * appear in the management server log. Called only from native code.
 */
final class NativeLog {
    /** Prefix of the loggers native events go to. */
    static final String LOGGER_PREFIX = "io.ecscloudstack.rust.";

    private NativeLog() {
    }

    /**
     * Called by the native library for each event that passed its filter.
     *
     * @param level   1 = error, 2 = warn, 3 = info, 4 = debug, 5 = trace
     * @param target  the Rust target, e.g. {@code ecs_driver::store}
     * @param message the formatted message, secrets already redacted
     */
    static void log(int level, String target, String message) {
        LogManager.getLogger(LOGGER_PREFIX + target.replace("::", ".")).log(levelOf(level), message);
    }

    static Level levelOf(int level) {
        switch (level) {
            case 1:
                return Level.ERROR;
            case 2:
                return Level.WARN;
            case 3:
                return Level.INFO;
            case 4:
                return Level.DEBUG;
            default:
                return Level.TRACE;
        }
    }
}
