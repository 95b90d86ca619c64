package io.twimlagi.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twimlagi.e2e.harness.AsteriskSandbox;
import io.twimlagi.e2e.harness.SipMessage;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves the sandbox, the harness and dialplan/twiml.conf's fallback: with NO FastAGI server on 127.0.0.1:4573,
 * a call rings (180) and is then rejected with 503 (AGISTATUS=FAILURE).
 */
class SandboxSmokeIT {

    private static AsteriskSandbox asterisk;

    @BeforeAll
    static void startAsterisk() {
        asterisk = AsteriskSandbox.start();
    }

    @AfterAll
    static void stopAsterisk() {
        if (asterisk != null) asterisk.close();
    }

    @Test
    void serverUnreachable_ringsThenRejectsWith503() {
        assertFalse(agiPortOpen(), "something listens on 127.0.0.1:" + AsteriskSandbox.AGI_PORT
                + ": this test needs the FastAGI server to be DOWN");

        SippResult r = Sipp.scenario("reject.xml")
                .service("+15551234567")
                .domain("pbx.example.com")
                .key("x_customer_id", "42")
                .key("x_campaign", "spring-sale")
                .finalCode(503)
                .timeout(Duration.ofSeconds(15))
                .run();

        assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
        assertTrue(r.sawBefore(180, 503), () -> "expected 180 then 503:\n" + r);
        assertEquals(503, r.finalInviteResponse().orElseThrow().statusCode(), r::toString);
        SipMessage invite = r.invite().orElseThrow();
        assertEquals("sip:+15551234567@pbx.example.com", invite.requestUri());
        assertEquals("42", invite.header("X-Customer-Id"));
        assertTrue(r.sent().stream().anyMatch(m -> m.method().equals("ACK")), "scenario must ACK the 503");
        assertTrue(asterisk.fullLogText().contains("agistatus=FAILURE"),
                "h extension should log agistatus=FAILURE:\n" + asterisk.fullLogText());
    }

    private static boolean agiPortOpen() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), AsteriskSandbox.AGI_PORT), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
