package io.twimlagi;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped logback.xml: a call thread does not format or write its log lines (stdout may be a slow pipe), and
 * no line is ever dropped for it, even in a burst far larger than the queue; stopping the context writes them all.
 */
class LoggingTest {
    /** Stands in for stdout: keeps what is written, and which threads wrote it. */
    static final class Stdout extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Set<String> writers = ConcurrentHashMap.newKeySet();

        @Override
        public synchronized void write(int b) {
            writers.add(Thread.currentThread().getName());
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writers.add(Thread.currentThread().getName());
            bytes.write(b, off, len);
        }
    }

    @Test
    void callThreadsQueueTheirLinesAndNoneIsDropped() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // as slf4j's provider sets up the real one
        JoranConfigurator config = new JoranConfigurator();
        config.setContext(context);
        config.doConfigure(getClass().getResource("/logback.xml"));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> appender = root.getAppender("ASYNC");
        AsyncAppender async = assertInstanceOf(AsyncAppender.class, appender, "the root logger writes through ASYNC");
        assertTrue(async.getAppender("STDOUT") != null, "ASYNC writes to STDOUT");

        int burst = 30_000; // over three times the queue: with logback's default discarding, INFO lines would go
        org.slf4j.Logger log = context.getLogger("io.twimlagi.server.CallSession");
        Stdout stdout = new Stdout();
        PrintStream old = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < burst; i++) log.info("CA{} call-end n={}", "0".repeat(32), i);
            context.stop(); // what Logging.flush does on exit
        } finally {
            System.setOut(old);
        }
        List<String> lines = stdout.bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(burst, lines.size(), "every line written");
        assertTrue(lines.get(burst - 1).endsWith("[" + Thread.currentThread().getName() + "] CallSession CA"
                + "0".repeat(32) + " call-end n=" + (burst - 1)), "in order, with the caller's thread: "
                + lines.get(burst - 1));
        assertFalse(stdout.writers.contains(Thread.currentThread().getName()), "written by logback's worker only");
    }
}
