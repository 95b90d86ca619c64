package io.twimlagi.dial;

import io.twimlagi.config.Domain;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.engine.Outcome;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.Dial;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.TwimlParser;
import io.twimlagi.webhook.CallbackSender;
import io.twimlagi.webhook.WebhookClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A callback URL from TwiML that is not http(s) (file:, another scheme) is logged and skipped, never thrown. */
class CallbackUrlsTest {
    final FakeCall call = new FakeCall();
    final WebhookClient client = new WebhookClient("token", Duration.ofSeconds(1), Duration.ofSeconds(2));
    final CallbackSender sender = new CallbackSender(client);

    @AfterEach
    void stop() {
        sender.close();
        client.close();
    }

    @Test
    void aDialLegsFileStatusCallbackDoesNotBreakTheDial() throws Exception {
        DialSessions sessions = new DialSessions(null, null);
        DialExecutor executor = DialKit.executor(sessions, null, sender, null);
        CallContext ctx = new CallContext(call, "CA" + "11".repeat(16), "AC" + "22".repeat(16),
                new SipInvite("sip:1@pbx.example.com", "sip:a@b", "pbx.example.com", "c", "1.2.3.4", Map.of()),
                new Domain("pbx.example.com", "SD" + "00".repeat(16), "https://app.example.com/ivr/main.xml",
                        HttpMethod.POST, null, HttpMethod.POST, null, HttpMethod.POST));
        Dial dial = (Dial) TwimlParser.parse(("<Response><Dial><Number statusCallback=\"file:///etc/passwd\" "
                + "statusCallbackEvent=\"initiated ringing answered completed\">+15551234567</Number></Dial>"
                + "</Response>").getBytes(StandardCharsets.UTF_8)).verbs().get(0);
        Outcome o = executor.execute(dial, ctx);
        assertNotNull(call.lastDial, "the Dial ran");
        assertEquals(Outcome.NEXT, o);
        assertEquals(0, sessions.open(), "the Dial's session is closed (issue 12: a bad statusCallback leaked it)");
    }
}
