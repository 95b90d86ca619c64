package io.twimlagi;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Applies the config's {@code log_level} to our loggers. */
final class Logging {
    private Logging() {
    }

    static void setLevel(String level) {
        if (level == null || level.isBlank()) return;
        Logger ours = (Logger) LoggerFactory.getLogger("io.twimlagi");
        ours.setLevel(Level.toLevel(level, Level.INFO));
    }
}
