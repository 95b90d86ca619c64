package io.twimlagi.engine;

import io.twimlagi.server.CallSessionTest;
import com.twilio.security.RequestValidator;
import io.twimlagi.config.Domain;
import io.twimlagi.config.General;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.webhook.CallbackSender;
import io.twimlagi.webhook.WebhookClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusCallbacksTest {
    MockWebServer app = new MockWebServer();
    WebhookClient webhooks = new WebhookClient("tok", Duration.ofSeconds(1), Duration.ofSeconds(2));
    CallbackSender sender = new CallbackSender(webhooks);
    StatusCallbacks callbacks;

    @BeforeEach
    void start() throws Exception {
        app.start();
    }

    @AfterEach
    void stop() throws Exception {
        sender.close();
        webhooks.close();
        app.shutdown();
    }

    CallContext call(FakeCall call, Set<String> events) {
        Domain d = new Domain("pbx.example.com", "SD" + "00".repeat(16), "https://app.example.com/voice",
                HttpMethod.POST, null, HttpMethod.POST, app.url("/status").toString(), HttpMethod.POST, events,
                General.DEFAULT_DIAL_NUMBER, General.DEFAULT_DIAL_SIP_ENDPOINT, General.DEFAULT_DIAL_CLIENT);
        CallContext ctx = new CallContext(call, "CA" + "11".repeat(16), "AC" + "22".repeat(16),
                new SipInvite("sip:1@pbx.example.com", "sip:a@b", "pbx.example.com", "c", "1.2.3.4", Map.of()), d);
        callbacks = new StatusCallbacks(sender, ctx);
        call.onAnswer(() -> {
            ctx.progress().answered();
            callbacks.answered();
        });
        return ctx;
    }

    Map<String, String> next(RecordedRequest[] holder) throws Exception {
        RecordedRequest r = app.takeRequest(5, TimeUnit.SECONDS);
        holder[0] = r;
        return CallSessionTest.form(r);
    }

    @Test
    void rejectedCallGetsOneTerminalCallbackByDefault() throws Exception {
        app.enqueue(new MockResponse().setResponseCode(204));
        CallContext ctx = call(new FakeCall(), Set.of("completed"));
        callbacks.started();
        ctx.progress().rejected(486);
        ctx.call().reject(486);
        callbacks.completed();
        callbacks.completed(); // a second end (e.g. shutdown) sends nothing more
        RecordedRequest[] r = new RecordedRequest[1];
        Map<String, String> p = next(r);
        assertEquals("busy", p.get("CallStatus"));
        assertEquals("486", p.get("SipResponseCode"));
        assertEquals("0", p.get("CallDuration"));
        assertEquals("call-progress-events", p.get("CallbackSource"));
        assertEquals("0", p.get("SequenceNumber"));
        assertTrue(p.get("Timestamp").matches("\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000"), p.get("Timestamp"));
        assertTrue(new RequestValidator("tok").validate(r[0].getRequestUrl().toString(), p,
                r[0].getHeader("X-Twilio-Signature")));
        assertNull(app.takeRequest(300, TimeUnit.MILLISECONDS), "exactly one callback");
    }

    @Test
    void everyEventInOrderWhenAsked() throws Exception {
        for (int i = 0; i < 4; i++) app.enqueue(new MockResponse().setResponseCode(204));
        FakeCall fake = new FakeCall();
        CallContext ctx = call(fake, Set.of("initiated", "ringing", "answered", "completed"));
        callbacks.started();
        fake.answer();
        fake.hangup();
        callbacks.completed();
        RecordedRequest[] r = new RecordedRequest[1];
        Map<String, Map<String, String>> bySeq = new java.util.HashMap<>();
        for (int i = 0; i < 4; i++) {
            Map<String, String> p = next(r);
            bySeq.put(p.get("SequenceNumber"), p);
        }
        assertEquals("initiated", bySeq.get("0").get("CallStatus"));
        assertEquals("ringing", bySeq.get("1").get("CallStatus"));
        assertEquals("in-progress", bySeq.get("2").get("CallStatus"));
        assertEquals("completed", bySeq.get("3").get("CallStatus"));
        assertEquals("200", bySeq.get("3").get("SipResponseCode"));
    }

    /** Found by ArgumentFuzzTest: a Dial noun's statusCallback="javascript:..." threw on the Dial's event thread. */
    @Test
    void aCallbackToAnUnusableUrlIsDroppedAndTheNextOneStillGoes() throws Exception {
        app.enqueue(new MockResponse().setResponseCode(204));
        for (String url : new String[] {"javascript:alert(1)", "cb/relative", "http://", "%"}) {
            new StatusCallbackEmitter(sender, "CA" + "11".repeat(16), "statusCallback", url, HttpMethod.POST,
                    Set.of("initiated"), true).emit("initiated", Map.of("CallStatus", "initiated"));
        }
        new StatusCallbackEmitter(sender, "CA" + "11".repeat(16), "statusCallback", app.url("/ok").toString(),
                HttpMethod.POST, Set.of("initiated"), true).emit("initiated", Map.of("CallStatus", "initiated"));
        RecordedRequest r = app.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("/ok", r.getPath());
        assertNull(app.takeRequest(300, TimeUnit.MILLISECONDS), "nothing else");
    }
}
