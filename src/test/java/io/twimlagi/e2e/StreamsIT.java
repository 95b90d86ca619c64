package io.twimlagi.e2e;

import com.google.gson.JsonParser;
import io.twimlagi.e2e.harness.RtpProbe;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import io.twimlagi.media.ToneTts;
import io.twimlagi.stream.StreamApp;
import okhttp3.mockwebserver.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Media Streams on a real Asterisk 22 with sipp callers: {@code <Connect><Stream>} (Asterisk's AudioSocket() on the
 * call) and {@code <Start><Stream>} (ChanSpy on an AudioSocket channel), a MockWebServer app speaking Twilio's
 * protocol, the caller's RTP sent and received by an {@link RtpProbe} and told apart by frequency (Goertzel).
 */
class StreamsIT {
    static final Duration WAIT = Duration.ofSeconds(10);
    static Bench bench;
    static StreamApp app;

    @BeforeAll
    static void start() throws Exception {
        // its own AudioSocket port: unit tests of other engineers may hold the default one (4574) meanwhile;
        // its own records_db comes from Bench
        bench = new Bench("audiosocket_bind = 127.0.0.1:14574\n");
        app = new StreamApp();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) app.close();
        if (bench != null) bench.close();
    }

    /** Calls {@code user} (the call waits for our BYE), RTP to {@code probe}. */
    static CompletableFuture<SippResult> call(String user, RtpProbe probe) {
        return Sipp.scenario("answer-wait-bye.xml").service(user).domain(Bench.DOMAIN).rtpPort(probe.port())
                .timeout(Duration.ofSeconds(60)).start();
    }

    static SippResult ended(CompletableFuture<SippResult> call) throws Exception {
        SippResult r = call.get(40, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode(), () -> r + "\n" + r.output());
        assertTrue(r.received().stream().anyMatch(m -> "BYE".equals(m.method())), "the server hangs up");
        return r;
    }

    /** 3 s of a tone as the bot's audio: 150 frames of μ-law. */
    static byte[] botTone(double hz, int frames) {
        byte[] all = new byte[frames * RtpProbe.FRAME];
        for (int k = 0; k < frames; k++) System.arraycopy(RtpProbe.tone(hz, k), 0, all, k * RtpProbe.FRAME,
                RtpProbe.FRAME);
        return all;
    }

    static StreamApp.Connection connection(String path) {
        return app.awaitConnection(path, WAIT);
    }

    @Test
    void anEchoBotSendsTheCallersToneBackToTheCaller() throws Exception {
        app.echo(true);
        bench.app.on("stream-echo", "/voice", "<Response><Connect><Stream url=\"" + app.url("/stream/echo")
                + "\"><Parameter name=\"FirstName\" value=\"Jane\"/></Stream></Connect><Hangup/></Response>");
        try (RtpProbe probe = new RtpProbe()) {
            CompletableFuture<SippResult> call = call("stream-echo", probe);
            StreamApp.Connection c = connection("/stream/echo");
            app.echo(false);
            var start = c.awaitEvent("start", WAIT).json().getAsJsonObject("start");
            assertEquals("{\"FirstName\":\"Jane\"}", start.get("customParameters").toString());
            String callSid = bench.app.hits("stream-echo").get(0).params().get("CallSid");
            assertEquals(callSid, start.get("callSid").getAsString());
            assertTrue(probe.awaitRemote(WAIT), "Asterisk's RTP flows (the stream's silence)");
            probe.startSending(k -> RtpProbe.tone(1000, k), 75); // 1.5 s
            assertTrue(probe.awaitPackets(p -> RtpProbe.hasTone(p.payload(), 1000), 50, WAIT),
                    "the caller hears its own tone back through the app");
            assertTrue(c.events("media").stream().filter(m -> RtpProbe.hasTone(m.payload(), 1000)).count() >= 50,
                    "the app got the caller's tone");
            c.close(); // the app is done: the TwiML goes on (Hangup)
            ended(call);
        }
    }

    @Test
    void theBotsMarkComesBackOnceItsThreeSecondsHavePlayed() throws Exception {
        bench.app.on("stream-mark", "/voice", "<Response><Connect><Stream url=\"" + app.url("/stream/mark")
                + "\"/></Connect><Hangup/></Response>");
        try (RtpProbe probe = new RtpProbe()) {
            CompletableFuture<SippResult> call = call("stream-mark", probe);
            StreamApp.Connection c = connection("/stream/mark");
            c.awaitEvent("start", WAIT);
            c.sendMedia(botTone(700, 150));
            c.sendMark("three-seconds");
            long markAt = c.await(m -> m.event().equals("mark"), WAIT).nanos();
            List<RtpProbe.Packet> tone = probe.packets(p -> RtpProbe.hasTone(p.payload(), 700));
            assertTrue(tone.size() >= 145, "the 3 s were played: " + tone.size() + " frames");
            long firstMs = (markAt - tone.get(0).nanos()) / 1_000_000;
            double afterLastMs = (markAt - tone.get(tone.size() - 1).nanos()) / 1e6;
            assertTrue(firstMs >= 2900, "not before the audio played: " + firstMs + " ms after its first frame");
            assertTrue(afterLastMs > 0 && afterLastMs < 60, "once the last frame was heard, not much after: "
                    + afterLastMs + " ms");
            c.close();
            ended(call);
        }
    }

    @Test
    void clearStopsTheBotWithin100MsAndEchoesItsMark() throws Exception {
        bench.app.on("stream-clear", "/voice", "<Response><Connect><Stream url=\"" + app.url("/stream/clear")
                + "\"/></Connect><Hangup/></Response>");
        try (RtpProbe probe = new RtpProbe()) {
            CompletableFuture<SippResult> call = call("stream-clear", probe);
            StreamApp.Connection c = connection("/stream/clear");
            c.awaitEvent("start", WAIT);
            c.sendMedia(botTone(700, 150));
            c.sendMark("interrupted");
            assertTrue(probe.awaitPackets(p -> RtpProbe.hasTone(p.payload(), 700), 50, WAIT), "1 s played");
            long clearedAt = System.nanoTime();
            c.sendClear();
            long markAt = c.await(m -> m.event().equals("mark"), WAIT).nanos();
            assertTrue(probe.awaitPackets(p -> p.nanos() > clearedAt + 300_000_000L, 5, WAIT), "RTP goes on");
            List<RtpProbe.Packet> tone = probe.packets(p -> RtpProbe.hasTone(p.payload(), 700));
            double lastToneAfterClearMs = (tone.get(tone.size() - 1).nanos() - clearedAt) / 1e6;
            assertTrue(lastToneAfterClearMs < 100, "the bot stopped within 100 ms: " + lastToneAfterClearMs);
            assertTrue(tone.size() < 120, "most of the 3 s was never played: " + tone.size() + " frames");
            assertTrue((markAt - clearedAt) / 1e6 < 100, "the pending mark comes back on clear");
            c.close();
            ended(call);
        }
    }

    @Test
    void theCallersKeysArriveAsDtmfEvents() throws Exception {
        bench.app.on("stream-dtmf", "/voice", "<Response><Connect><Stream url=\"" + app.url("/stream/dtmf")
                + "\"/></Connect><Hangup/></Response>");
        try (RtpProbe probe = new RtpProbe()) {
            CompletableFuture<SippResult> call = call("stream-dtmf", probe);
            StreamApp.Connection c = connection("/stream/dtmf");
            c.awaitEvent("start", WAIT);
            assertTrue(probe.awaitRemote(WAIT));
            probe.sendDtmf('5');
            probe.sendDtmf('#');
            c.await(m -> m.event().equals("dtmf") && m.json().getAsJsonObject("dtmf").get("digit").getAsString()
                    .equals("#"), WAIT);
            assertEquals(List.of("5", "#"), c.events("dtmf").stream().map(m -> m.json().getAsJsonObject("dtmf")
                    .get("digit").getAsString()).toList());
            assertEquals("inbound_track", c.events("dtmf").get(0).json().getAsJsonObject("dtmf").get("track")
                    .getAsString());
            c.close();
            ended(call);
        }
    }

    @Test
    void theCallersHangupSendsStopAndStreamStopped() throws Exception {
        bench.app.on("stream-bye", "/voice", "<Response><Connect><Stream url=\"" + app.url("/stream/bye")
                + "\" statusCallback=\"" + app.httpUrl("/status/bye") + "\"/></Connect></Response>");
        try (RtpProbe probe = new RtpProbe()) {
            SippResult r = Sipp.scenario("answer-bye.xml").service("stream-bye").domain(Bench.DOMAIN)
                    .rtpPort(probe.port()).pause(Duration.ofSeconds(2)).timeout(Duration.ofSeconds(30)).run();
            assertEquals(0, r.exitCode(), () -> r + "\n" + r.output());
            StreamApp.Connection c = connection("/stream/bye");
            var stop = c.awaitEvent("stop", WAIT).json();
            String callSid = bench.app.hits("stream-bye").get(0).params().get("CallSid");
            assertEquals(callSid, stop.getAsJsonObject("stop").get("callSid").getAsString());
            assertTrue(c.awaitClosed(WAIT));
            Map<String, String> stopped = awaitCallback("stream-stopped", c.streamSid());
            assertEquals(callSid, stopped.get("CallSid"));
        }
    }

    @Test
    void theAppClosingTheSocketRunsTheAction() throws Exception {
        bench.app.on("stream-action", "/voice", "<Response><Connect action=\"/after-stream\"><Stream url=\""
                + app.url("/stream/action") + "\"/></Connect><Say>never</Say></Response>");
        bench.app.on("stream-action", "/after-stream", "<Response><Play>/media/after.wav</Play><Hangup/></Response>");
        bench.app.always("/media/after.wav", new MockResponse().setResponseCode(200)
                .addHeader("Content-Type", "audio/wav")
                .setBody(new Buffer().write(ToneTts.wav(8000, 1, 1.0, 1200))));
        try (RtpProbe probe = new RtpProbe()) {
            CompletableFuture<SippResult> call = call("stream-action", probe);
            StreamApp.Connection c = connection("/stream/action");
            c.awaitEvent("start", WAIT);
            c.close();
            assertTrue(probe.awaitPackets(p -> RtpProbe.hasTone(p.payload(), 1200), 25, WAIT), "the action plays");
            ended(call);
            assertEquals("/after-stream", bench.app.hits("stream-action").get(1).path());
        }
    }

    @Test
    void anUnreachableAppIsStreamErrorAndTheNextVerbRuns() throws Exception {
        bench.app.on("stream-down", "/voice", "<Response><Connect><Stream url=\"ws://127.0.0.1:1/nobody\" "
                + "statusCallback=\"" + app.httpUrl("/status/down") + "\"/></Connect><Play>/media/down.wav</Play>"
                + "<Hangup/></Response>");
        bench.app.always("/media/down.wav", new MockResponse().setResponseCode(200)
                .addHeader("Content-Type", "audio/wav")
                .setBody(new Buffer().write(ToneTts.wav(8000, 1, 1.0, 900))));
        try (RtpProbe probe = new RtpProbe()) {
            CompletableFuture<SippResult> call = call("stream-down", probe);
            assertTrue(probe.awaitPackets(p -> RtpProbe.hasTone(p.payload(), 900), 25, WAIT), "the next verb plays");
            ended(call);
            String callSid = bench.app.hits("stream-down").get(0).params().get("CallSid");
            Map<String, String> error = awaitCallback("stream-error", null, callSid);
            assertTrue(error.get("StreamError").contains("refused"), error.toString());
        }
    }

    @Test
    void aForkOfBothTracksDuringASayThenStopped() throws Exception {
        bench.app.always("/media/long.wav", new MockResponse().setResponseCode(200)
                .addHeader("Content-Type", "audio/wav")
                .setBody(new Buffer().write(ToneTts.wav(8000, 1, 4.0, 1500))));
        bench.app.on("stream-fork", "/voice", "<Response><Start><Stream name=\"notes\" url=\""
                + app.url("/stream/fork") + "\" track=\"both_tracks\" statusCallback=\"" + app.httpUrl("/status/fork")
                + "\"/></Start><Say>This sentence is spoken while the stream copies both sides of the call to the "
                + "application.</Say><Play>/media/long.wav</Play><Stop><Stream name=\"notes\"/></Stop>"
                + "<Pause length=\"2\"/><Hangup/></Response>");
        try (RtpProbe probe = new RtpProbe()) {
            CompletableFuture<SippResult> call = call("stream-fork", probe);
            StreamApp.Connection c = connection("/stream/fork");
            assertEquals("[\"inbound\",\"outbound\"]", c.awaitEvent("start", WAIT).json().getAsJsonObject("start")
                    .get("tracks").toString());
            assertTrue(probe.awaitRemote(WAIT), "the Say is heard");
            probe.startSending(k -> RtpProbe.tone(1000, k), 150); // the caller talks over it, 3 s
            c.await(m -> m.event().equals("media") && m.track().equals("inbound")
                    && RtpProbe.hasTone(m.payload(), 1000), WAIT);
            c.await(m -> m.event().equals("media") && m.track().equals("outbound")
                    && RtpProbe.hasTone(m.payload(), 1500), WAIT);
            long stopAt = c.awaitEvent("stop", Duration.ofSeconds(30)).nanos();
            long speech = c.events("media").stream().filter(m -> m.track().equals("outbound")
                    && RtpProbe.loud(m.payload()) && !RtpProbe.hasTone(m.payload(), 1500)).count();
            assertTrue(speech >= 50, "the Say's speech is on the outbound track: " + speech + " frames");
            long callerOnOutbound = c.events("media").stream().filter(m -> m.track().equals("outbound")
                    && RtpProbe.hasTone(m.payload(), 1000)).count();
            assertTrue(callerOnOutbound < 5, "the caller is not on the outbound track: " + callerOnOutbound);
            assertTrue(c.events("media").stream().noneMatch(m -> m.nanos() > stopAt), "no media after stop");
            ended(call);
            assertTrue(c.awaitClosed(WAIT));
            awaitCallback("stream-stopped", c.streamSid());
        }
    }

    @Test
    void aLiveUpdateEndsTheBidirectionalStreamAndItsTwimlRuns() throws Exception {
        bench.app.always("/media/update.wav", new MockResponse().setResponseCode(200)
                .addHeader("Content-Type", "audio/wav").setBody(new Buffer().write(ToneTts.wav(8000, 1, 1.0, 1300))));
        bench.app.on("stream-update", "/voice", "<Response><Connect action=\"/never\"><Stream url=\""
                + app.url("/stream/update") + "\"/></Connect></Response>");
        try (RtpProbe probe = new RtpProbe()) {
            CompletableFuture<SippResult> call = call("stream-update", probe);
            StreamApp.Connection c = connection("/stream/update");
            c.awaitEvent("start", WAIT);
            String callSid = bench.app.hits("stream-update").get(0).params().get("CallSid");
            HttpResponse<String> r = rest("/Calls/" + callSid + ".json", "Twiml=" + URLEncoder.encode(
                    "<Response><Play>" + bench.app.url("/media/update.wav") + "</Play><Hangup/></Response>",
                    StandardCharsets.UTF_8));
            assertEquals(200, r.statusCode(), r.body());
            c.awaitEvent("stop", WAIT);
            assertTrue(probe.awaitPackets(p -> RtpProbe.hasTone(p.payload(), 1300), 25, WAIT), "the update plays");
            ended(call);
            assertEquals(0, bench.app.pathHits("/never").size(), "the new TwiML replaces the action");
        }
    }

    @Test
    void theRestApiStopsAFork() throws Exception {
        bench.app.always("/media/hold.wav", new MockResponse().setResponseCode(200)
                .addHeader("Content-Type", "audio/wav").setBody(new Buffer().write(ToneTts.wav(8000, 1, 8.0, 600))));
        bench.app.on("stream-rest", "/voice", "<Response><Start><Stream name=\"notes\" url=\""
                + app.url("/stream/rest") + "\"/></Start><Play>/media/hold.wav</Play><Hangup/></Response>");
        try (RtpProbe probe = new RtpProbe()) {
            CompletableFuture<SippResult> call = call("stream-rest", probe);
            StreamApp.Connection c = connection("/stream/rest");
            String sid = c.streamSid();
            String callSid = bench.app.hits("stream-rest").get(0).params().get("CallSid");
            HttpResponse<String> r = rest("/Calls/" + callSid + "/Streams/notes.json", "Status=stopped");
            assertEquals(200, r.statusCode(), r.body());
            var body = JsonParser.parseString(r.body()).getAsJsonObject();
            assertEquals(sid, body.get("sid").getAsString());
            assertEquals("stopped", body.get("status").getAsString());
            assertEquals("notes", body.get("name").getAsString());
            assertEquals(callSid, body.get("call_sid").getAsString());
            c.awaitEvent("stop", WAIT);
            assertTrue(probe.awaitPackets(p -> RtpProbe.hasTone(p.payload(), 600), 50, WAIT), "the call goes on");
            assertEquals(404, rest("/Calls/" + callSid + "/Streams/notes.json", "Status=stopped").statusCode(),
                    "stopped already");
            ended(call);
        }
    }

    /** A POST to the REST API (Bench's http_bind), form-encoded, with the account's credentials. */
    static HttpResponse<String> rest(String path, String form) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18089/2010-04-01"
                        + "/Accounts/" + Bench.ACCOUNT + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((Bench.ACCOUNT + ":"
                        + Bench.TOKEN).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A stream status callback of this stream (or, with {@code streamSid} null, of this call). */
    static Map<String, String> awaitCallback(String event, String streamSid) {
        return awaitCallback(event, streamSid, null);
    }

    static Map<String, String> awaitCallback(String event, String streamSid, String callSid) {
        return app.awaitCallback(cb -> event.equals(cb.get("StreamEvent"))
                && (streamSid == null || streamSid.equals(cb.get("StreamSid")))
                && (callSid == null || callSid.equals(cb.get("CallSid"))), WAIT);
    }
}
