package io.twimlagi.e2e;

import io.twimlagi.e2e.harness.RtpSink;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import io.twimlagi.e2e.harness.TestTones;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code <Record>} on a real Asterisk 22: the caller's audio recorded, trimmed, served with Basic auth. */
class RecordIT {
    static Bench bench;
    static final HttpClient http = HttpClient.newHttpClient();
    static final String RECORD = "<Response><Record action=\"/recorded\" timeout=\"3\" maxLength=\"20\" "
            + "recordingStatusCallback=\"/recording-status\"/><Say>No message was recorded.</Say></Response>";
    static final String THANKS = "<Response><Say>Got it.</Say><Hangup/></Response>";

    @BeforeAll
    static void start() throws Exception {
        bench = new Bench();
        bench.app.always("/recording-status", new okhttp3.mockwebserver.MockResponse().setResponseCode(204));
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) bench.close();
    }

    static HttpResponse<byte[]> get(String url, boolean withCredentials) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (withCredentials) {
            String basic = Base64.getEncoder().encodeToString((Bench.ACCOUNT + ":" + Bench.TOKEN)
                    .getBytes(StandardCharsets.UTF_8));
            b.header("Authorization", "Basic " + basic);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** RMS of the decoded recording, in linear 16-bit units. */
    static double rms(byte[] audio) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new BufferedInputStream(new ByteArrayInputStream(audio)))) {
            AudioFormat f = in.getFormat();
            assertEquals(8000f, f.getSampleRate());
            byte[] pcm = in.readAllBytes();
            double sum = 0;
            for (int i = 0; i + 1 < pcm.length; i += 2) {
                short s = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
                sum += (double) s * s;
            }
            return Math.sqrt(sum / Math.max(1, pcm.length / 2));
        }
    }

    @Test
    void callerSpeaksThenPressesAKey() throws Exception {
        bench.app.on("rec-key", "/voice", RECORD);
        bench.app.on("rec-key", "/recorded", THANKS);
        try (RtpSink sink = new RtpSink()) {
            CompletableFuture<SippResult> call = Sipp.scenario("answer-wait-bye.xml").service("rec-key")
                    .domain(Bench.DOMAIN).rtpPort(sink.port()).timeout(Duration.ofSeconds(60)).start();
            assertTrue(sink.awaitSpeechMillis(100, Duration.ofSeconds(10)), "the beep must be heard");
            sink.sendPcmu(TestTones.sine(440, 2000, 0.5));
            sink.sendDtmf('#', Duration.ofMillis(120));
            List<WebhookApp.Hit> hits = bench.app.awaitHits("rec-key", 2, Duration.ofSeconds(10));
            SippResult r = call.get(60, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());

            WebhookApp.Hit action = hits.get(1);
            assertEquals("/recorded", action.path());
            assertTrue(action.signatureValid());
            assertEquals("#", action.params().get("Digits"));
            String sid = action.params().get("RecordingSid");
            assertTrue(sid.matches("RE[0-9a-f]{32}"), sid);
            String url = action.params().get("RecordingUrl");
            assertEquals("http://127.0.0.1:18089/Recordings/" + sid, url);
            int duration = Integer.parseInt(action.params().get("RecordingDuration"));
            assertTrue(duration >= 1 && duration <= 4, "about 2 s recorded: " + duration);

            HttpResponse<byte[]> wav = get(url, true);
            assertEquals(200, wav.statusCode());
            assertEquals("audio/x-wav", wav.headers().firstValue("Content-Type").orElse(""));
            assertTrue(rms(wav.body()) > 1500, "the caller's tone is in the recording");
            assertEquals(401, get(url, false).statusCode());
            assertEquals(200, get(url + ".wav", true).statusCode());
            HttpResponse<byte[]> mp3 = get(url + ".mp3", true);
            assertEquals(200, mp3.statusCode(), "lame is installed by scripts/install-deps");
            assertEquals("audio/mpeg", mp3.headers().firstValue("Content-Type").orElse(""));

            WebhookApp.Hit status = bench.app.awaitHit("/recording-status", "RecordingSid", sid,
                    Duration.ofSeconds(10));
            assertTrue(status != null, "recordingStatusCallback must arrive");
            assertEquals("completed", status.params().get("RecordingStatus"));
            assertEquals(action.params().get("CallSid"), status.params().get("CallSid"));
            assertEquals(url, status.params().get("RecordingUrl"));
            assertEquals(sid, status.params().get("RecordingSid"));
            assertTrue(status.signatureValid());
        }
    }

    @Test
    void callerHangsUpWhileRecording() throws Exception {
        bench.app.on("rec-hangup", "/voice", RECORD);
        bench.app.on("rec-hangup", "/recorded", THANKS);
        try (RtpSink sink = new RtpSink()) {
            CompletableFuture<SippResult> call = Sipp.scenario("answer-bye.xml").service("rec-hangup")
                    .domain(Bench.DOMAIN).rtpPort(sink.port()).pause(Duration.ofMillis(3500))
                    .timeout(Duration.ofSeconds(60)).start();
            assertTrue(sink.awaitSpeechMillis(100, Duration.ofSeconds(10)), "the beep must be heard");
            sink.sendPcmu(TestTones.sine(300, 1500, 0.5));
            SippResult r = call.get(60, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
            WebhookApp.Hit action = bench.app.awaitHits("rec-hangup", 2, Duration.ofSeconds(10)).get(1);
            assertEquals("/recorded", action.path());
            assertEquals("hangup", action.params().get("Digits"));
            assertEquals("completed", action.params().get("CallStatus"));
            assertEquals(200, get(action.params().get("RecordingUrl"), true).statusCode(), "recording kept");
        }
    }

    @Test
    void silentCallerSkipsTheActionAndTheNextVerbRuns() throws Exception {
        bench.app.on("rec-silent", "/voice", RECORD.replace("timeout=\"3\"", "timeout=\"2\""));
        try (RtpSink sink = new RtpSink()) {
            CompletableFuture<SippResult> call = Sipp.scenario("answer-wait-bye.xml").service("rec-silent")
                    .domain(Bench.DOMAIN).rtpPort(sink.port()).timeout(Duration.ofSeconds(60)).start();
            assertTrue(sink.awaitSpeechMillis(100, Duration.ofSeconds(10)), "the beep must be heard");
            long beep = sink.speechMillis();
            sink.sendPcmu(TestTones.silence(4000)); // RTP that carries silence: Asterisk's detector ends it
            SippResult r = call.get(60, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
            assertEquals(1, bench.app.hits("rec-silent").size(), "no action for an empty recording");
            assertTrue(sink.speechMillis() > beep + 1000, "the Say after Record is heard");
        }
    }
}
