package io.twimlagi;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Applies the config's {@code log_level} to our loggers; writes the queued lines on exit. */
final class Logging {
    private Logging() {
    }

    static void setLevel(String level) {
        if (level == null || level.isBlank()) return;
        Logger ours = (Logger) LoggerFactory.getLogger("io.twimlagi");
        ours.setLevel(Level.toLevel(level, Level.INFO));
    }

    /** Writes every line still queued for the log (logback.xml's asynchronous appender) and stops logging. */
    static void flush() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) context.stop();
    }
}
