package io.ecscloudstack.ecs;

import java.util.ArrayList;
import java.util.List;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Records every log4j2 event of the native loggers ({@code io.ecscloudstack.rust.*}) while open. */
final class CapturedLogs extends AbstractAppender implements AutoCloseable {
    /** One recorded event. */
    static final class Entry {
        final Level level;
        final String logger;
        final String message;
        final String thread;

        Entry(Level level, String logger, String message, String thread) {
            this.level = level;
            this.logger = logger;
            this.message = message;
            this.thread = thread;
        }

        @Override
        public String toString() {
            return level + " " + logger + " [" + thread + "] " + message;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final LoggerConfig loggerConfig;

    private CapturedLogs(LoggerConfig loggerConfig) {
        super("captured-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        this.loggerConfig = loggerConfig;
    }

    /** Starts recording; close to stop. */
    static CapturedLogs record() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        LoggerConfig config = configuration.getLoggerConfig(NativeLog.LOGGER_PREFIX + "x");
        CapturedLogs logs = new CapturedLogs(config);
        logs.start0();
        config.addAppender(logs, Level.ALL, null);
        context.updateLoggers();
        return logs;
    }

    private void start0() {
        super.start();
    }

    @Override
    public synchronized void append(LogEvent event) {
        entries.add(new Entry(event.getLevel(), event.getLoggerName(), event.getMessage().getFormattedMessage(),
                event.getThreadName()));
    }

    /** @return a copy of what was recorded so far */
    synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    /** @return every recorded message joined, for "never contains" checks */
    synchronized String all() {
        StringBuilder text = new StringBuilder();
        for (Entry entry : entries) {
            text.append(entry).append('\n');
        }
        return text.toString();
    }

    @Override
    public void close() {
        loggerConfig.removeAppender(getName());
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
        stop();
    }
}
