package io.twimlagi.stream;

import io.twimlagi.audiosocket.FakeAudioSocket;
import io.twimlagi.call.AudioLinkEnd;
import io.twimlagi.call.CallInterrupted;
import io.twimlagi.engine.Outcome;
import io.twimlagi.media.Ulaw;
import io.twimlagi.twiml.Connect;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.webhook.RequestSigner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code <Connect><Stream>} end to end inside the JVM: the executor, the WebSocket to a MockWebServer app, the
 * AudioSocket listener with a fake Asterisk on the other side (what {@code AudioSocket()} does: present the UUID,
 * send the caller's frames, play what arrives, return when told to hang up).
 */
class ConnectStreamTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    final StreamFixture f;

    ConnectStreamTest() throws Exception {
        f = new StreamFixture();
    }

    @AfterEach
    void close() {
        f.close();
    }

    /** The fake Asterisk of linkAudio: connects, runs {@code script}, returns what it returns. */
    void asterisk(Function<FakeAudioSocket, AudioLinkEnd> script) {
        f.call.onLinkAudio = link -> {
            try (FakeAudioSocket a = FakeAudioSocket.connect(link.address(), link.id())) {
                return script.apply(a);
            }
        };
    }

    Outcome connect(String xml) throws Exception {
        return new ConnectStreamExecutor(f.streams, (v, c) -> {
            throw new AssertionError("not a stream");
        }).execute((Connect) f.verb(xml), f.ctx);
    }

    /** Waits until the server ended the link (its hangup message or the socket closed). */
    static AudioLinkEnd untilHungUp(FakeAudioSocket a) {
        assertTrue(a.awaitReceived(m -> m.kind() == 0x00, WAIT) || a.awaitClosedByServer(WAIT), "hung up");
        return AudioLinkEnd.ENDED;
    }

    /** A frame no other seed gives (bytes in 0x10..0x6F: none is 0x7F or 0xFF, which do not survive G.711). */
    static byte[] ulawFrame(int seed) {
        byte[] u = new byte[160];
        u[0] = (byte) (0x10 + (seed & 0x3F));
        u[1] = (byte) (0x10 + ((seed >> 6) & 0x3F));
        for (int i = 2; i < u.length; i++) u[i] = (byte) (0x10 + (seed * 7 + i) % 0x60);
        return u;
    }

    static byte[] pcm(byte[] ulaw) {
        byte[] p = new byte[ulaw.length * 2];
        Ulaw.toPcm(ulaw, 0, ulaw.length, p, 0);
        return p;
    }

    static boolean isFrame(FakeAudioSocket.Received r, byte[] ulaw) {
        return r.kind() == 0x10 && Arrays.equals(r.payload(), pcm(ulaw));
    }

    @Test
    void messagesInTwiliosOrderWithTheirFieldsThenTheAppsCloseGoesToTheAction() throws Exception {
        asterisk(a -> {
            StreamApp.Connection app = f.app.awaitConnection(WAIT);
            app.awaitEvent("start", WAIT);
            for (int i = 0; i < 3; i++) a.sendAudio(pcm(ulawFrame(i)));
            a.sendDtmf('7');
            app.awaitEvent("dtmf", WAIT);
            app.close();
            return untilHungUp(a);
        });
        Outcome o = connect("<Connect action=\"/after\" method=\"GET\"><Stream url=\"{app}/stream/bot?token=x\" "
                + "name=\"bot\" statusCallback=\"{http}/status\"><Parameter name=\"FirstName\" value=\"Jane\"/>"
                + "<Parameter name=\"RemoteParty\" value=\"Bob\"/></Stream></Connect>");

        Outcome.Navigate nav = assertInstanceOf(Outcome.Navigate.class, o);
        assertEquals("https://app.example.com/after", nav.url());
        assertEquals(HttpMethod.GET, nav.method());
        assertEquals(List.of("answer", "linkAudio"), f.call.events);

        StreamApp.Connection app = f.app.connections().get(0);
        assertEquals("/stream/bot", app.path, "the query string is removed, as Twilio does");
        String url = f.app.url("/stream/bot");
        assertEquals(RequestSigner.sign(StreamFixture.TOKEN, url, HttpMethod.GET, Map.of()),
                app.requestHeaders.get("X-Twilio-Signature"));
        assertNull(app.requestHeaders.get("Sec-WebSocket-Extensions"),
                "no permessage-deflate offered: OkHttp would inflate a compressed message without bound");
        List<StreamApp.Message> m = app.messages();
        assertEquals(List.of("connected", "start", "media", "media", "media", "dtmf"),
                m.stream().map(StreamApp.Message::event).toList(), "the app closed: no stop");
        assertNull(m.get(0).json().get("sequenceNumber"), "connected has no sequence number");
        var start = m.get(1).json();
        assertEquals("1", start.get("sequenceNumber").getAsString());
        String sid = start.get("streamSid").getAsString();
        assertTrue(sid.matches("MZ[0-9a-f]{32}"), sid);
        var s = start.getAsJsonObject("start");
        assertEquals(StreamFixture.ACCOUNT, s.get("accountSid").getAsString());
        assertEquals(StreamFixture.CALL_SID, s.get("callSid").getAsString());
        assertEquals(sid, s.get("streamSid").getAsString());
        assertEquals("[\"inbound\"]", s.get("tracks").toString());
        assertEquals("{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}",
                s.get("mediaFormat").toString());
        assertEquals("{\"FirstName\":\"Jane\",\"RemoteParty\":\"Bob\"}", s.get("customParameters").toString());
        long lastTimestamp = -1;
        for (int i = 0; i < 3; i++) {
            var media = m.get(2 + i).json();
            assertEquals(Integer.toString(2 + i), media.get("sequenceNumber").getAsString());
            assertEquals(sid, media.get("streamSid").getAsString());
            assertEquals("inbound", m.get(2 + i).track());
            assertEquals(Integer.toString(i + 1), media.getAsJsonObject("media").get("chunk").getAsString());
            long ts = Long.parseLong(media.getAsJsonObject("media").get("timestamp").getAsString());
            assertTrue(ts >= lastTimestamp, "timestamps never go back");
            lastTimestamp = ts;
            assertArrayEquals(ulawFrame(i), m.get(2 + i).payload(), "the caller's audio, byte for byte");
        }
        var dtmf = m.get(5).json();
        assertEquals("5", dtmf.get("sequenceNumber").getAsString());
        assertEquals("{\"track\":\"inbound_track\",\"digit\":\"7\"}", dtmf.get("dtmf").toString());

        Map<String, String> started = f.app.awaitCallback("stream-started", WAIT);
        assertEquals(Map.of("AccountSid", StreamFixture.ACCOUNT, "CallSid", StreamFixture.CALL_SID, "StreamSid", sid,
                "StreamName", "bot", "StreamEvent", "stream-started", "Timestamp", started.get("Timestamp")), started);
        assertTrue(started.get("Timestamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"));
        assertEquals(sid, f.app.awaitCallback("stream-stopped", WAIT).get("StreamSid"));
    }

    @Test
    void theBotsAudioIsPacedEvery20MsAndItsMarkComesBackAfterTheLastFramePlayed() throws Exception {
        long[] markAt = new long[1];
        List<FakeAudioSocket.Received> heard = new ArrayList<>();
        asterisk(a -> {
            StreamApp.Connection app = f.app.awaitConnection(WAIT);
            app.awaitEvent("start", WAIT);
            byte[] audio = new byte[0];
            for (int i = 0; i < 10; i++) audio = concat(audio, ulawFrame(i));
            app.sendMedia(audio);
            app.sendMark("spoken");
            markAt[0] = app.await(m -> m.event().equals("mark"), WAIT).nanos();
            heard.addAll(a.received());
            app.close();
            return untilHungUp(a);
        });
        connect("<Connect><Stream url=\"{app}/stream\"/></Connect>");

        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int k = i;
            FakeAudioSocket.Received r = heard.stream().filter(x -> isFrame(x, ulawFrame(k))).findFirst()
                    .orElseThrow(() -> new AssertionError("frame " + k + " not played"));
            times.add(r.nanos());
        }
        for (int i = 1; i < 10; i++) assertTrue(times.get(i) > times.get(i - 1), "in order");
        double meanGapMs = (times.get(9) - times.get(0)) / 9 / 1e6;
        assertTrue(meanGapMs > 15 && meanGapMs < 30, "one frame per 20 ms, was " + meanGapMs);
        // the mark goes out one tick after the last frame (that frame has been heard), never with it; the upper
        // bound leaves room for a loaded test machine (BENCHMARKS.md has the figures measured on the wire)
        double afterLastMs = (markAt[0] - times.get(9)) / 1e6;
        assertTrue(afterLastMs >= 10 && afterLastMs < 150, "the mark once the last frame played: " + afterLastMs);
    }

    @Test
    void clearStopsTheAudioAtOnceAndEchoesThePendingMark() throws Exception {
        long[] clearedAt = new long[1];
        long[] markAt = new long[1];
        List<FakeAudioSocket.Received> heard = new ArrayList<>();
        asterisk(a -> {
            StreamApp.Connection app = f.app.awaitConnection(WAIT);
            app.awaitEvent("start", WAIT);
            byte[] audio = new byte[0];
            for (int i = 0; i < 100; i++) audio = concat(audio, ulawFrame(i)); // 2 s
            app.sendMedia(audio);
            app.sendMark("end-of-answer");
            assertTrue(a.awaitReceived(r -> isFrame(r, ulawFrame(10)), WAIT), "playing");
            clearedAt[0] = System.nanoTime();
            app.sendClear();
            markAt[0] = app.await(m -> m.event().equals("mark"), WAIT).nanos();
            assertFalse(a.awaitReceived(r -> isFrame(r, ulawFrame(99)), Duration.ofMillis(300)), "never played");
            heard.addAll(a.received());
            app.close();
            return untilHungUp(a);
        });
        connect("<Connect><Stream url=\"{app}/stream\"/></Connect>");

        assertTrue((markAt[0] - clearedAt[0]) / 1e6 < 100, "the mark is echoed on clear");
        long lastBotFrame = 0;
        for (FakeAudioSocket.Received r : heard) {
            for (int i = 0; i < 100; i++) {
                if (isFrame(r, ulawFrame(i))) lastBotFrame = Math.max(lastBotFrame, r.nanos());
            }
        }
        double afterClearMs = (lastBotFrame - clearedAt[0]) / 1e6;
        assertTrue(afterClearMs < 100, "audio stops within 100 ms of the clear: " + afterClearMs + " ms");
    }

    @Test
    void theCallersHangupSendsStopAndStreamStopped() throws Exception {
        asterisk(a -> {
            StreamApp.Connection app = f.app.awaitConnection(WAIT);
            app.awaitEvent("start", WAIT);
            return AudioLinkEnd.CALLER_HUNG_UP; // Asterisk's AudioSocket() returned -1 and the channel is gone
        });
        Outcome o = connect("<Connect><Stream url=\"{app}/stream\" statusCallback=\"{http}/status\"/></Connect>");
        assertEquals(Outcome.END, o);
        StreamApp.Connection app = f.app.connections().get(0);
        var stop = app.awaitEvent("stop", WAIT).json();
        assertEquals("{\"accountSid\":\"" + StreamFixture.ACCOUNT + "\",\"callSid\":\"" + StreamFixture.CALL_SID
                + "\"}", stop.get("stop").toString());
        assertEquals("2", stop.get("sequenceNumber").getAsString(), "start is 1, no media: stop is 2");
        assertTrue(app.awaitClosed(WAIT));
        assertEquals("stream-stopped", f.app.awaitCallback("stream-stopped", WAIT).get("StreamEvent"));
        assertEquals(0, f.streams.live());
    }

    @Test
    void anUnreachableUrlIsStreamErrorAndTheNextVerb() throws Exception {
        Outcome o = connect("<Connect><Stream url=\"ws://127.0.0.1:1/stream\" statusCallback=\"{http}/status\"/>"
                + "</Connect>");
        assertEquals(Outcome.NEXT, o);
        assertEquals(List.of("answer"), f.call.events, "no audio link without the app");
        assertTrue(f.app.awaitCallback("stream-error", WAIT).get("StreamError").contains("refused"));
    }

    @Test
    void aRefusedHandshakeIsStreamError() throws Exception {
        assertEquals(Outcome.NEXT, connect("<Connect><Stream url=\"{app}/reject\" statusCallback=\"{http}/status\"/>"
                + "</Connect>"));
        assertTrue(f.app.awaitCallback("stream-error", WAIT).get("StreamError").contains("HTTP 403"));
    }

    @Test
    void aUrlThatIsNotAWebSocketIsRefusedBeforeConnecting() throws Exception {
        assertEquals(Outcome.NEXT, connect("<Connect><Stream url=\"ftp://example.com/x\" "
                + "statusCallback=\"{http}/status\"/></Connect>"));
        assertTrue(f.app.awaitCallback("stream-error", WAIT).get("StreamError").contains("not a ws://"));
        assertTrue(f.app.connections().isEmpty());
    }

    /** java.net.URI takes port 70000 (and 0); OkHttp cannot open it: stream-error, the next verb, nothing left. */
    @Test
    void aUrlWithAnImpossiblePortIsRefusedBeforeConnecting() throws Exception {
        assertEquals(Outcome.NEXT, connect("<Connect><Stream url=\"ws://127.0.0.1:70000/x\" "
                + "statusCallback=\"{http}/status\"/></Connect>"));
        assertTrue(f.app.awaitCallback("stream-error", WAIT).get("StreamError").contains("not a URL we can open"));
        assertEquals(0, f.streams.live(), "no session left behind");
        assertTrue(f.app.connections().isEmpty());
    }

    @Test
    void aUrlWithPortZeroIsRefusedBeforeConnecting() throws Exception {
        assertEquals(Outcome.NEXT, connect("<Connect><Stream url=\"ws://127.0.0.1:0/x\" "
                + "statusCallback=\"{http}/status\"/></Connect>"));
        assertTrue(f.app.awaitCallback("stream-error", WAIT).get("StreamError").contains("not a URL we can open"));
        assertEquals(0, f.streams.live(), "no session left behind");
    }

    @Test
    void aLiveUpdateEndsTheStreamAtOnce() throws Exception {
        asterisk(a -> {
            StreamApp.Connection app = f.app.awaitConnection(WAIT);
            app.awaitEvent("start", WAIT);
            f.call.interrupt(); // what a REST redirect does (Walk.redirect)
            return untilHungUp(a);
        });
        assertThrows(CallInterrupted.class, () -> connect("<Connect action=\"/never\"><Stream url=\"{app}/stream\"/>"
                + "</Connect>"));
        StreamApp.Connection app = f.app.connections().get(0);
        assertNotNull(app.awaitEvent("stop", WAIT), "the app is told the stream stopped");
    }

    @Test
    void badInputIsIgnoredAndTheStreamGoesOn() throws Exception {
        asterisk(a -> {
            StreamApp.Connection app = f.app.awaitConnection(WAIT);
            String sid = app.streamSid();
            app.send("not json at all");
            app.send("{\"event\":\"dance\",\"streamSid\":\"" + sid + "\"}");
            app.send("{\"event\":\"media\",\"streamSid\":\"MZ" + "0".repeat(32) + "\",\"media\":{\"payload\":\"AAAA\"}}");
            app.send("{\"event\":\"media\",\"streamSid\":\"" + sid + "\",\"media\":{\"payload\":\""
                    + "A".repeat(10 * 1024 * 1024) + "\"}}"); // 10 MB: refused
            app.sendMedia(ulawFrame(42));
            app.sendMark("still-here");
            app.await(m -> m.event().equals("mark"), WAIT);
            assertTrue(a.awaitReceived(r -> isFrame(r, ulawFrame(42)), WAIT), "good audio after bad input plays");
            app.close();
            return untilHungUp(a);
        });
        assertEquals(Outcome.NEXT, connect("<Connect><Stream url=\"{app}/stream\"/></Connect>"));
        assertFalse(f.call.isGone());
    }

    @Test
    void aConnectWithoutAStreamIsNotRunHere() throws Exception {
        boolean[] fallback = {false};
        Outcome o = new ConnectStreamExecutor(f.streams, (v, c) -> {
            fallback[0] = true;
            return Outcome.END;
        }).execute((Connect) f.verb("<Connect><ConversationRelay url=\"wss://x\"/></Connect>"), f.ctx);
        assertEquals(Outcome.END, o);
        assertTrue(fallback[0]);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
