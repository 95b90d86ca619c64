package io.twimlagi.e2e;

import io.twimlagi.e2e.harness.RtpSink;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import io.twimlagi.e2e.harness.TestTones;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code <Dial><Conference>} on a real Asterisk 22 (ConfBridge): two or three sipp callers whose RTP goes to
 * {@link RtpSink}s; each sends its own tone and the others must hear it. The hold music of the test config is a
 * 550 Hz tone (scripts/asterisk-sandbox).
 */
class ConferenceIT {
    static Bench bench;
    static final double HOLD_HZ = 550;
    static final String LEFT = "<Response><Say>Goodbye.</Say><Hangup/></Response>";

    @BeforeAll
    static void start() throws Exception {
        bench = new Bench();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) bench.close();
    }

    static CompletableFuture<SippResult> caller(String user, RtpSink sink) {
        return Sipp.scenario("answer-wait-bye.xml").service(user).domain(Bench.DOMAIN).rtpPort(sink.port())
                .timeout(Duration.ofSeconds(60)).start();
    }

    static SippResult ok(CompletableFuture<SippResult> run, String who) throws Exception {
        SippResult r = run.get(90, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode(), () -> who + " sipp failed:\n" + r.ladder() + "\n" + r.output() + "\n"
                + r.errors());
        return r;
    }

    /** Waits (polling Asterisk's CLI) until the conference whose name starts with {@code prefix} has n members. */
    static void awaitMembers(String prefix, int n) throws InterruptedException {
        BooleanSupplier full = () -> bench.asterisk.cli("confbridge list").lines()
                .anyMatch(l -> l.startsWith(prefix + "-") && l.split("\\s+").length > 1
                        && l.split("\\s+")[1].equals(Integer.toString(n)));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!full.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "conference " + prefix + " never had " + n + " members:\n"
                    + bench.asterisk.cli("confbridge list"));
            Thread.sleep(50);
        }
    }

    /** Sends {@code hz} from {@code from} while the test thread goes on; joined by the caller. */
    static Thread send(RtpSink from, double hz, long millis) {
        Thread t = new Thread(() -> from.sendPcmu(TestTones.sine(hz, millis, 0.3)));
        t.start();
        return t;
    }

    static WebhookApp.Hit left(String user) throws InterruptedException {
        List<WebhookApp.Hit> hits = bench.app.awaitHits(user, 2, Duration.ofSeconds(30));
        WebhookApp.Hit a = hits.get(1);
        assertEquals("/left", a.path());
        assertTrue(a.signatureValid());
        return a;
    }

    @Test
    void twoCallersHearEachOtherAndEndConferenceOnExitEndsItForBoth() throws Exception {
        // A ends the conference when its 8 s time limit ends; B then leaves too and both actions run
        bench.app.on("conf-a", "/voice", "<Response><Dial action=\"/left\" timeLimit=\"8\">"
                + "<Conference endConferenceOnExit=\"true\" statusCallback=\"/conf-events\" "
                + "statusCallbackEvent=\"start end join leave\">Team Room 1</Conference></Dial></Response>");
        bench.app.always("/conf-events", new okhttp3.mockwebserver.MockResponse().setResponseCode(204));
        bench.app.on("conf-b", "/voice", "<Response><Dial action=\"/left\">"
                + "<Conference>Team Room 1</Conference></Dial></Response>");
        bench.app.on("conf-a", "/left", LEFT);
        bench.app.on("conf-b", "/left", LEFT);
        try (RtpSink a = new RtpSink(); RtpSink b = new RtpSink()) {
            CompletableFuture<SippResult> callerA = caller("conf-a", a);
            awaitMembers("Team_Room_1", 1);
            assertTrue(a.awaitToneMillis(HOLD_HZ, 400, 0, Duration.ofSeconds(5)),
                    "alone in the conference, A hears the hold music");
            CompletableFuture<SippResult> callerB = caller("conf-b", b);
            awaitMembers("Team_Room_1", 2);
            assertTrue(b.awaitPackets(10, Duration.ofSeconds(5)), "B gets RTP");
            int markA = a.sampleCount();
            int markB = b.sampleCount();
            Thread ta = send(a, 1000, 1500);
            Thread tb = send(b, 1400, 1500);
            ta.join();
            tb.join();
            assertTrue(b.awaitToneMillis(1000, 600, markB, Duration.ofSeconds(3)),
                    "B hears A's 1000 Hz: " + b.toneMillis(1000, markB) + " ms");
            assertTrue(a.awaitToneMillis(1400, 600, markA, Duration.ofSeconds(3)),
                    "A hears B's 1400 Hz: " + a.toneMillis(1400, markA) + " ms");
            assertTrue(a.toneMillis(HOLD_HZ, markA) < 200, "no hold music once two are in");
            ok(callerA, "A");
            ok(callerB, "B");
        }
        Map<String, String> pa = left("conf-a").params();
        Map<String, String> pb = left("conf-b").params();
        assertEquals("answered", pa.get("DialCallStatus"));
        assertEquals("answered", pb.get("DialCallStatus"), "B was kicked when A ended the conference");
        assertEquals("in-progress", pb.get("CallStatus"), "B's call goes on with its TwiML");
        // the creator's statusCallback gets the conference's events, SequenceNumber orders them
        List<Map<String, String>> events = bench.app.awaitPathHits("/conf-events", 6, Duration.ofSeconds(10))
                .stream().peek(h -> assertTrue(h.signatureValid())).map(WebhookApp.Hit::params)
                .sorted(java.util.Comparator.comparingInt(p -> Integer.parseInt(p.get("SequenceNumber")))).toList();
        String a = bench.app.hits("conf-a").get(0).params().get("CallSid");
        String b = bench.app.hits("conf-b").get(0).params().get("CallSid");
        List<String> seen = events.stream().map(p -> p.get("StatusCallbackEvent") + " " + p.getOrDefault("CallSid",
                "-")).toList();
        assertEquals(List.of("participant-join " + a, "conference-start -", "participant-join " + b),
                seen.subList(0, 3), "conference events carry no CallSid: " + seen);
        // A's time limit ends it and B is kicked at once: their leaves may come in either order
        assertEquals(java.util.Set.of("participant-leave " + a, "participant-leave " + b),
                java.util.Set.copyOf(seen.subList(3, 5)));
        assertEquals("conference-end -", seen.get(5));
        assertEquals(1, events.stream().map(p -> p.get("ConferenceSid")).distinct().count());
        assertEquals("Team Room 1", events.get(0).get("FriendlyName"));
        assertEquals("participant-with-end-conference-on-exit-left", events.get(5).get("ReasonConferenceEnded"));
        assertEquals(a, events.get(5).get("CallSidEndingConference"));
    }

    @Test
    void aWaitingParticipantHearsHoldMusicNotTheOthersUntilTheStarterJoins() throws Exception {
        // W (startConferenceOnEnter=false) waits; S starts it; M joins muted: W hears S but never M
        String room = "waiting";
        bench.app.on("conf-w", "/voice", "<Response><Dial action=\"/left\"><Conference startConferenceOnEnter=\"false\""
                + " beep=\"false\">" + room + "</Conference></Dial></Response>");
        bench.app.on("conf-m", "/voice", "<Response><Dial action=\"/left\"><Conference startConferenceOnEnter=\"false\""
                + " muted=\"true\" beep=\"false\">" + room + "</Conference></Dial></Response>");
        bench.app.on("conf-s", "/voice", "<Response><Dial action=\"/left\" timeLimit=\"6\">"
                + "<Conference endConferenceOnExit=\"true\" beep=\"false\">" + room + "</Conference></Dial></Response>");
        for (String u : List.of("conf-w", "conf-m", "conf-s")) bench.app.on(u, "/left", LEFT);
        try (RtpSink w = new RtpSink(); RtpSink m = new RtpSink(); RtpSink s = new RtpSink()) {
            CompletableFuture<SippResult> callerW = caller("conf-w", w);
            CompletableFuture<SippResult> callerM = caller("conf-m", m);
            awaitMembers(room, 2);
            assertTrue(w.awaitPackets(10, Duration.ofSeconds(5)) && m.awaitPackets(10, Duration.ofSeconds(5)));
            int markW = w.sampleCount();
            send(m, 1400, 1000).join();
            assertTrue(w.awaitToneMillis(HOLD_HZ, 400, markW, Duration.ofSeconds(3)), "W waits with hold music");
            assertEquals(0, w.toneMillis(1400, markW), "a waiting participant does not hear the others");
            CompletableFuture<SippResult> callerS = caller("conf-s", s);
            awaitMembers(room, 3);
            assertTrue(s.awaitPackets(10, Duration.ofSeconds(5)));
            markW = w.sampleCount();
            int markS = s.sampleCount();
            Thread ts = send(s, 1000, 1200);
            Thread tm = send(m, 1400, 1200);
            ts.join();
            tm.join();
            assertTrue(w.awaitToneMillis(1000, 500, markW, Duration.ofSeconds(3)), "once started, W hears S");
            assertEquals(0, w.toneMillis(1400, markW), "muted M is not heard");
            assertEquals(0, s.toneMillis(1400, markS), "muted M is not heard");
            ok(callerS, "S");
            ok(callerW, "W");
            ok(callerM, "M");
        }
        for (String u : List.of("conf-w", "conf-m", "conf-s")) {
            assertEquals("answered", left(u).params().get("DialCallStatus"), u);
        }
    }

    @Test
    void waitersKeepTalkingAfterTheStarterLeaves() throws Exception {
        // W1 and W2 wait; S starts the conference and leaves after 4 s: on Twilio the conference goes on, so W1
        // and W2 hear each other (ConfBridge alone would put them back on hold: they are let out and rejoin)
        String room = "keep-going";
        for (String u : List.of("conf-w1", "conf-w2")) {
            bench.app.on(u, "/voice", "<Response><Dial action=\"/left\" timeLimit=\"12\"><Conference "
                    + "startConferenceOnEnter=\"false\" beep=\"false\">" + room + "</Conference></Dial></Response>");
            bench.app.on(u, "/left", LEFT);
        }
        bench.app.on("conf-s2", "/voice", "<Response><Dial action=\"/left\" timeLimit=\"4\"><Conference "
                + "beep=\"false\">" + room + "</Conference></Dial></Response>");
        bench.app.on("conf-s2", "/left", LEFT);
        try (RtpSink w1 = new RtpSink(); RtpSink w2 = new RtpSink(); RtpSink s = new RtpSink()) {
            CompletableFuture<SippResult> callerW1 = caller("conf-w1", w1);
            CompletableFuture<SippResult> callerW2 = caller("conf-w2", w2);
            awaitMembers(room, 2);
            CompletableFuture<SippResult> callerS = caller("conf-s2", s);
            awaitMembers(room, 3);
            left("conf-s2"); // S's time limit ended: it is out of the conference
            awaitMarked(room, 2);
            int mark = w2.sampleCount();
            send(w1, 1000, 1500).join();
            assertTrue(w2.awaitToneMillis(1000, 600, mark, Duration.ofSeconds(3)),
                    "W2 hears W1 after the starter left: " + w2.toneMillis(1000, mark) + " ms");
            assertTrue(w2.toneMillis(HOLD_HZ, mark) < 300, "not back on hold: " + w2.toneMillis(HOLD_HZ, mark));
            ok(callerS, "S");
            ok(callerW1, "W1");
            ok(callerW2, "W2");
        }
        for (String u : List.of("conf-w1", "conf-w2")) {
            Map<String, String> p = left(u).params();
            assertEquals("answered", p.get("DialCallStatus"), u);
        }
    }

    /** Waits until the conference {@code prefix} has {@code n} members, all ConfBridge marked users (flag M). */
    static void awaitMarked(String prefix, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            String list = bench.asterisk.cli("confbridge list").lines().filter(l -> l.startsWith(prefix + "-"))
                    .map(l -> l.split("\\s+")[0]).findFirst().map(name -> bench.asterisk.cli("confbridge list " + name))
                    .orElse("");
            long marked = list.lines().filter(l -> l.startsWith("PJSIP/") && l.split("\\s+").length > 1
                    && l.split("\\s+")[1].contains("M")).count();
            long members = list.lines().filter(l -> l.startsWith("PJSIP/")).count();
            if (marked == n && members == n) return;
            assertTrue(System.nanoTime() < deadline, "never " + n + " marked members:\n" + list);
            Thread.sleep(50);
        }
    }

    @Test
    void aTwimlWaitUrlIsWhatTheWaitingParticipantHears() throws Exception {
        // <Say> once, then <Play loop="0"> of a 750 Hz tone forever (Asterisk's loop_last), until time is up
        java.nio.file.Path tone = TestTones.writeWav(java.nio.file.Files.createTempFile("wait", ".wav"),
                TestTones.sine(750, 2000, 0.3));
        bench.app.always("/wait-tone.wav", new okhttp3.mockwebserver.MockResponse().setResponseCode(200)
                .addHeader("Content-Type", "audio/wav")
                .setBody(new okio.Buffer().write(java.nio.file.Files.readAllBytes(tone))));
        bench.app.on("conf-wait", "/voice", "<Response><Dial action=\"/left\" timeLimit=\"8\"><Conference "
                + "startConferenceOnEnter=\"false\" waitUrl=\"/hold\">lobby</Conference></Dial></Response>");
        bench.app.on("conf-wait", "/hold", "<Response><Say>Please hold.</Say><Play loop=\"0\">/wait-tone.wav</Play>"
                + "</Response>");
        bench.app.on("conf-wait", "/left", LEFT);
        try (RtpSink w = new RtpSink()) {
            CompletableFuture<SippResult> caller = caller("conf-wait", w);
            assertTrue(w.awaitToneMillis(750, 3000, 0, Duration.ofSeconds(10)),
                    "the wait document's Play loops: " + w.toneMillis(750, 0) + " ms of 750 Hz");
            assertTrue(w.speechMillis() - w.toneMillis(750, 0) >= 300, "the Say played before the music");
            assertEquals(0, w.toneMillis(HOLD_HZ, 0), "not the default hold music");
            ok(caller, "W");
        }
        List<WebhookApp.Hit> hits = bench.app.awaitHits("conf-wait", 3, Duration.ofSeconds(20));
        WebhookApp.Hit hold = hits.get(1);
        assertEquals("/hold", hold.path());
        assertEquals("POST", hold.method());
        assertTrue(hold.signatureValid());
        assertEquals(hits.get(0).params().get("CallSid"), hold.params().get("CallSid"));
        assertEquals("answered", hits.get(2).params().get("DialCallStatus"));
    }

    @Test
    void recordFromStartRecordsTheConferenceAndMaxParticipantsKeepsTheThirdOut() throws Exception {
        String room = "recorded";
        bench.app.on("conf-r1", "/voice", "<Response><Dial action=\"/left\" timeLimit=\"7\"><Conference "
                + "record=\"record-from-start\" recordingStatusCallback=\"/conf-rec\" maxParticipants=\"2\" "
                + "endConferenceOnExit=\"true\" beep=\"false\">" + room + "</Conference></Dial></Response>");
        bench.app.on("conf-r2", "/voice", "<Response><Dial action=\"/left\"><Conference beep=\"false\">" + room
                + "</Conference></Dial></Response>");
        bench.app.on("conf-r3", "/voice", "<Response><Dial action=\"/left\"><Conference>" + room
                + "</Conference></Dial></Response>");
        for (String u : List.of("conf-r1", "conf-r2", "conf-r3")) bench.app.on(u, "/left", LEFT);
        bench.app.always("/conf-rec", new okhttp3.mockwebserver.MockResponse().setResponseCode(204));
        try (RtpSink a = new RtpSink(); RtpSink b = new RtpSink(); RtpSink c = new RtpSink()) {
            CompletableFuture<SippResult> callerA = caller("conf-r1", a);
            awaitMembers(room, 1);
            CompletableFuture<SippResult> callerB = caller("conf-r2", b);
            awaitMembers(room, 2);
            assertTrue(a.awaitPackets(10, Duration.ofSeconds(5)) && b.awaitPackets(10, Duration.ofSeconds(5)));
            send(a, 1000, 1200).join(); // one after the other: each tone alone in the mix
            send(b, 1400, 1200).join();
            // the conference is full: the third caller is not joined and its TwiML goes on with the action
            ok(caller("conf-r3", c), "C");
            assertEquals("failed", left("conf-r3").params().get("DialCallStatus"));
            assertTrue(c.speechMillis() >= 300, "C is still on the call: its action's <Say> plays");
            ok(callerA, "A");
            ok(callerB, "B");
        }
        Map<String, String> cb = bench.app.awaitPathHits("/conf-rec", 1, Duration.ofSeconds(15)).get(0).params();
        assertEquals("completed", cb.get("RecordingStatus"));
        assertEquals("Conference", cb.get("RecordingSource"));
        assertTrue(cb.get("ConferenceSid").matches("CF[0-9a-f]{32}"), cb.toString());
        java.nio.file.Path wav = bench.asterisk.mediaDirOnHost().resolve("recordings")
                .resolve(cb.get("RecordingSid") + ".wav");
        short[] mixed = TestTones.readWav(wav);
        assertTrue(TestTones.toneMillis(mixed, 1000) >= 400, "A is in the recording");
        assertTrue(TestTones.toneMillis(mixed, 1400) >= 400, "B is in the recording");
        assertEquals("answered", left("conf-r1").params().get("DialCallStatus"));
    }
}
