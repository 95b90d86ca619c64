package io.twimlagi.webhook;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import io.twimlagi.util.Redaction;
import io.twimlagi.util.RedactedMessageConverter;
import io.twimlagi.util.RedactedThrowableConverter;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedactionTest {
    @Test
    void passwordsInUrlsAreHidden() {
        assertEquals("fetch https://user:***@app.example.com/voice?x=1 failed",
                Redaction.redact("fetch https://user:s3cr%40t@app.example.com/voice?x=1 failed"));
        assertEquals("a http://u:***@h:8080/ and https://v:***@k/",
                Redaction.redact("a http://u:p@h:8080/ and https://v:q:r@k/"));
        assertEquals("https://app.example.com/voice", Redaction.redact("https://app.example.com/voice"));
        assertEquals("https://***@app.example.com/", Redaction.redact("https://sk_live_token@app.example.com/"),
                "a user-info without a password may be a token itself");
        assertEquals("mail alice@example.com", Redaction.redact("mail alice@example.com"));
        assertEquals("https://u:***@host/x", Redaction.redact("https://u:p@ss@host/x"), "a raw @ in the password");
        assertEquals("https://h/p?email=a:b@c", Redaction.redact("https://h/p?email=a:b@c"), "not user-info");
    }

    @Test
    void theLogLayoutRedactsEveryMessageAndStackTrace() {
        LoggerContext lc = new LoggerContext();
        Logger logger = lc.getLogger("test");
        LoggingEvent e = new LoggingEvent("x", logger, Level.WARN, "{} fetch {} failed", null,
                new Object[]{"CA1", "https://bob:hunter2@app.example.com/voice"});
        RedactedMessageConverter msg = new RedactedMessageConverter();
        assertEquals("CA1 fetch https://bob:***@app.example.com/voice failed", msg.convert(e));
        LoggingEvent withError = new LoggingEvent("x", logger, Level.ERROR, "failed", null, null);
        withError.setThrowableProxy(new ThrowableProxy(
                new IllegalStateException("cannot fetch http://bob:hunter2@h/x")));
        RedactedThrowableConverter ex = new RedactedThrowableConverter();
        ex.setContext(lc);
        ex.start();
        String trace = ex.convert(withError);
        assertTrue(trace.contains("http://bob:***@h/x"), trace);
        assertFalse(trace.contains("hunter2"), trace);
    }

    /**
     * A caller's From of a.a.a... (Asterisk passes kilobytes) made every letter start a scan to the end: 32 kB took
     * 6.5 s on the log's one writer thread. The bound is generous; the linear pattern takes milliseconds.
     */
    @Test
    void aLongRunOfSchemeCharactersIsRedactedInLinearTime() {
        String from = "sip:" + "a.".repeat(16_384) + "@x";
        String line = "CA1 call from " + from + " to https://user:secret@app.example.com/voice";
        String redacted = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> Redaction.redact(line));
        assertTrue(redacted.endsWith("https://user:***@app.example.com/voice"));
        assertTrue(redacted.startsWith("CA1 call from " + from), "the From itself is no URL with a password");
        assertEquals("my.scheme+x://***@h/", Redaction.redact("my.scheme+x://token@h/"));
    }
}
