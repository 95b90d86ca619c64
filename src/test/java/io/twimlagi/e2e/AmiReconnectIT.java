package io.twimlagi.e2e;

import io.twimlagi.ami.AmiClient;
import io.twimlagi.ami.AmiException;
import io.twimlagi.ami.Originate;
import io.twimlagi.e2e.harness.AsteriskSandbox;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The AMI client through Asterisk's absence and restarts, on the real Asterisk 22 sandbox. */
class AmiReconnectIT {
    /** An action that only a live session answers: Asterisk's own "No such channel". */
    static void answeredByAsterisk(AmiClient ami) {
        AmiException e = assertThrows(AmiException.class, () -> ami.hangup("PJSIP/nobody-00000000", 16));
        assertEquals(AmiException.Reason.REFUSED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().endsWith("No such channel"), e.getMessage());
    }

    static void failsFastWhileDown(AmiClient ami) {
        long t0 = System.nanoTime();
        AmiException e = assertThrows(AmiException.class, () -> ami.hangup("PJSIP/nobody-00000000", 16));
        assertEquals(AmiException.Reason.NOT_CONNECTED, e.reason(), e.getMessage());
        CompletableFuture<?> o = ami.originate(Originate.toExtension("PJSIP/trunk/sip:bob@127.0.0.1:5074",
                "ami-test", "park", 1));
        assertTrue(o.isCompletedExceptionally(), "originate fails at once");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 200, "failed fast: " + ms + " ms");
    }

    static long millisUntil(AmiClient ami, boolean connected, Duration max) throws InterruptedException {
        long t0 = System.nanoTime();
        while (ami.isConnected() != connected) {
            if (System.nanoTime() - t0 > max.toNanos()) {
                throw new AssertionError((connected ? "not connected" : "still connected") + " after " + max);
            }
            Thread.sleep(10);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void startedWhileAsteriskIsStoppedItConnectsOnceAsteriskRunsAndReconnectsAfterARestart() throws Exception {
        AsteriskSandbox.start().close(); // whatever ran before: Asterisk is stopped now
        AsteriskSandbox asterisk = null;
        try (AmiClient ami = AmiClient.start(Bench.amiUser(Bench.AMI_USER))) {
            assertFalse(ami.isConnected());
            failsFastWhileDown(ami);

            asterisk = AsteriskSandbox.start(); // returns once Asterisk is fully booted
            long ms = millisUntil(ami, true, Duration.ofSeconds(10));
            assertTrue(ms < 3000, "connected " + ms + " ms after Asterisk booted");
            answeredByAsterisk(ami);

            asterisk.close();
            millisUntil(ami, false, Duration.ofSeconds(5));
            failsFastWhileDown(ami);
            asterisk = AsteriskSandbox.start();
            ms = millisUntil(ami, true, Duration.ofSeconds(10));
            assertTrue(ms < 3000, "reconnected " + ms + " ms after Asterisk restarted");
            answeredByAsterisk(ami);
        } finally {
            if (asterisk != null) asterisk.close();
        }
    }
}
