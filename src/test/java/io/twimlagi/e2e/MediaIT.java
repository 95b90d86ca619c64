package io.twimlagi.e2e;

import io.twimlagi.e2e.harness.RtpSink;
import io.twimlagi.e2e.harness.SipMessage;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import okhttp3.mockwebserver.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Answered calls on a real Asterisk 22: Say and Play heard by the caller (RTP energy), Pause, Hangup, injection. */
class MediaIT {
    static Bench bench;

    @BeforeAll
    static void start() throws Exception {
        bench = new Bench();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) bench.close();
    }

    /** Places a call that waits for our BYE, with RTP going to {@code sink}. */
    static SippResult answeredCall(String user, RtpSink sink) {
        SippResult r = Sipp.scenario("answer-wait-bye.xml").service(user).domain(Bench.DOMAIN)
                .rtpPort(sink.port()).timeout(Duration.ofSeconds(40)).run();
        assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
        assertTrue(r.sawBefore(180, 200), () -> "expected 180 then 200:\n" + r);
        assertTrue(r.received().stream().anyMatch(m -> "BYE".equals(m.method())), () -> "server must hang up:\n" + r);
        return r;
    }

    @Test
    void sayIsHeardAsSpeech() throws Exception {
        bench.app.on("say", "/voice", "<Response><Say voice=\"woman\" language=\"en-US\">"
                + "Welcome to twiml agi. This sentence is spoken by the text to speech engine.</Say></Response>");
        try (RtpSink sink = new RtpSink()) {
            answeredCall("say", sink);
            assertTrue(sink.speechMillis() >= 1500, "expected speech, got " + sink.speechMillis() + " ms at "
                    + sink.rmsDbfs() + " dBFS over " + sink.packetCount() + " packets");
        }
    }

    @Test
    void sayInFrenchAndLoopIsHeardTwice() throws Exception {
        bench.app.on("say-fr", "/voice",
                "<Response><Say language=\"fr-FR\" loop=\"2\">Bonjour et bienvenue.</Say></Response>");
        try (RtpSink once = new RtpSink(); RtpSink twice = new RtpSink()) {
            bench.app.on("say-fr1", "/voice", "<Response><Say language=\"fr-FR\">Bonjour et bienvenue.</Say></Response>");
            answeredCall("say-fr1", once);
            answeredCall("say-fr", twice);
            assertTrue(once.hasSpeech(), "French speech expected");
            assertTrue(twice.speechMillis() > once.speechMillis() * 3 / 2,
                    "loop=2 should speak about twice as long: " + once.speechMillis() + " vs " + twice.speechMillis());
        }
    }

    @Test
    void playOfAWavIsHeard() throws Exception {
        byte[] wav = io.twimlagi.media.ToneTts.wav(44100, 2, 2.0, 440); // stereo 44.1 kHz: converted for Asterisk
        bench.app.always("/media/tone.wav", new MockResponse().setResponseCode(200)
                .addHeader("Content-Type", "audio/wav").setBody(new Buffer().write(wav)));
        bench.app.on("play", "/voice", "<Response><Play>/media/tone.wav</Play></Response>");
        try (RtpSink sink = new RtpSink()) {
            answeredCall("play", sink);
            assertTrue(sink.speechMillis() >= 1500, "tone expected, got " + sink.speechMillis() + " ms");
        }
    }

    @Test
    void playOfAnMp3IsHeard() throws Exception {
        byte[] mp3 = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(
                "src/test/resources/media/tone-44k-stereo-96k.mp3"));
        bench.app.always("/media/tone.mp3", new MockResponse().setResponseCode(200)
                .addHeader("Content-Type", "audio/mpeg").setBody(new Buffer().write(mp3)));
        bench.app.on("play-mp3", "/voice", "<Response><Play loop=\"2\">/media/tone.mp3</Play></Response>");
        try (RtpSink sink = new RtpSink()) {
            answeredCall("play-mp3", sink);
            assertTrue(sink.speechMillis() >= 1600, "2 x 1 s of MP3 tone expected, got " + sink.speechMillis());
        }
    }

    @Test
    void playOfAMissingFileGoesOnToTheNextVerb() throws Exception {
        bench.app.on("play-missing", "/voice",
                "<Response><Play>/media/nothing-here.wav</Play><Say>Still here.</Say></Response>");
        try (RtpSink sink = new RtpSink()) {
            answeredCall("play-missing", sink);
            assertTrue(sink.hasSpeech(), "the Say after the failed Play must be heard");
        }
    }

    @Test
    void pauseFirstKeepsRingingForItsLength() throws Exception {
        bench.app.on("pause", "/voice", "<Response><Pause length=\"2\"/><Say>Answered.</Say></Response>");
        try (RtpSink sink = new RtpSink()) {
            SippResult r = answeredCall("pause", sink);
            SipMessage ringing = r.received().stream().filter(m -> m.isResponse() && m.statusCode() == 180)
                    .findFirst().orElseThrow();
            SipMessage ok = r.finalInviteResponse().orElseThrow();
            long ms = Duration.between(ringing.time(), ok.time()).toMillis();
            assertTrue(ms >= 1900 && ms < 4000, "200 OK should follow 180 by about 2 s, was " + ms + " ms");
        }
    }

    @Test
    void hangupFirstAnswersThenByes() throws Exception {
        bench.app.on("hangup", "/voice", "<Response><Hangup/><Say>never</Say></Response>");
        try (RtpSink sink = new RtpSink()) {
            answeredCall("hangup", sink);
        }
        assertEquals(1, bench.app.hits("hangup").size());
    }

    @Test
    void playDigitsReachTheCallerAsRfc4733() throws Exception {
        bench.app.on("digits", "/voice", "<Response><Play digits=\"1w2#\"/><Pause length=\"1\"/></Response>");
        try (RtpSink sink = new RtpSink()) {
            answeredCall("digits", sink);
            assertTrue(sink.awaitDtmf("12#", Duration.ofSeconds(5)), "DTMF heard: '" + sink.receivedDtmf() + "'");
        }
    }

    @Test
    void rejectAfterAnswerEndsTheCall() throws Exception {
        bench.app.on("late-reject", "/voice", "<Response><Say>Sorry.</Say><Reject reason=\"busy\"/></Response>");
        try (RtpSink sink = new RtpSink()) {
            answeredCall("late-reject", sink);
            assertTrue(sink.hasSpeech());
        }
    }

    @Test
    void injectionAttemptsAreOnlySpoken() throws Exception {
        Path marker = bench.asterisk.root().resolve("tmp/twiml-pwned");
        Files.deleteIfExists(marker);
        String evil = "Hello&quot; ) , EXEC System(touch /tmp/twiml-pwned) ${SHELL(touch /tmp/twiml-pwned)} "
                + "&#13;&#10;EXEC Hangup 17&#10;SET VARIABLE X 1 | done";
        bench.app.on("inject", "/voice", "<Response><Say>" + evil + "</Say><Play digits=\"1\"/></Response>");
        try (RtpSink sink = new RtpSink()) {
            SippResult r = Sipp.scenario("answer-wait-bye.xml").service("inject").domain(Bench.DOMAIN)
                    .header("X-Evil", "${SHELL(touch /tmp/twiml-pwned)}),EXEC System(x)")
                    .rtpPort(sink.port()).timeout(Duration.ofSeconds(40)).run();
            assertEquals(0, r.exitCode(), () -> "sipp failed:\n" + r + "\n" + r.output());
            assertTrue(r.sawBefore(180, 200), r::toString);
            assertTrue(sink.speechMillis() >= 2000, "the text must be spoken: " + sink.speechMillis());
        }
        assertFalse(Files.exists(marker), "nothing may run a command");
        List<WebhookApp.Hit> hits = bench.app.hits("inject");
        assertEquals("${SHELL(touch /tmp/twiml-pwned)}),EXEC System(x)", hits.get(0).params().get("SipHeader_X-Evil"));
    }
}
