package io.twimlagi.e2e;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Queue;
import com.twilio.rest.api.v2010.account.queue.Member;
import io.twimlagi.config.ConfigLoader;
import io.twimlagi.e2e.harness.RtpSink;
import io.twimlagi.e2e.harness.Sipp;
import io.twimlagi.e2e.harness.SippResult;
import io.twimlagi.media.ToneTts;
import io.twimlagi.rest.LocalTwilioHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contact center on a real Asterisk 22: sipp callers {@code <Enqueue>} and wait hearing their waitUrl, an
 * agent's {@code <Dial><Queue>} takes the first one (its url heard on the caller's leg first, then both hear each
 * other in the private ConfBridge room, told apart by tone frequency), callers hang up, leave, find the queue full,
 * hear Asterisk's hold music, are dequeued through Twilio's SDK, survive a reload and are sent away by a stop.
 */
class QueueIT {
    static Bench bench;
    static TwilioRestClient rest;
    static final double HOLD_HZ = 600;
    static final double WHISPER_HZ = 900;
    static final double MOH_HZ = 550; // the sandbox's default music-on-hold class
    static final String LEFT = "<Response><Say>Thank you for waiting.</Say><Hangup/></Response>";

    @BeforeAll
    static void start() throws Exception {
        bench = new Bench(); // its own records_db (Bench)
        bench.app.always("/media/hold.wav", wav(HOLD_HZ, 1.5));
        bench.app.always("/media/whisper.wav", wav(WHISPER_HZ, 1.0));
        rest = new TwilioRestClient.Builder(Bench.ACCOUNT, Bench.TOKEN)
                .httpClient(new LocalTwilioHttpClient("http://127.0.0.1:18089")).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) bench.close();
    }

    static MockResponse wav(double hz, double seconds) {
        return new MockResponse().setResponseCode(200).addHeader("Content-Type", "audio/wav")
                .setBody(new Buffer().write(ToneTts.wav(8000, 1, seconds, (int) hz)));
    }

    /** A caller of {@code user} who waits in {@code queue} hearing the hold tone, with /left as the action. */
    static void waiter(String user, String queue) {
        bench.app.on(user, "/voice", "<Response><Enqueue waitUrl=\"/wait\" action=\"/left\">" + queue
                + "</Enqueue></Response>");
        bench.app.on(user, "/wait", "<Response><Play>/media/hold.wav</Play></Response>");
        bench.app.on(user, "/left", LEFT);
        bench.app.on(user, "/next", "<Response><Play>/media/whisper.wav</Play><Hangup/></Response>");
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

    /** Waits for a request of {@code user}'s call to {@code path} whose parameters match. */
    static Map<String, String> awaitHit(String user, String path, Predicate<Map<String, String>> which)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            List<WebhookApp.Hit> all = bench.app.hits(user);
            for (WebhookApp.Hit h : all) {
                if (h.path().equals(path) && which.test(h.params())) {
                    assertTrue(h.signatureValid(), "signed: " + h);
                    return h.params();
                }
            }
            long left = deadline - System.currentTimeMillis();
            assertTrue(left > 0, "no " + path + " request of " + user + " as expected in " + all);
            bench.app.awaitHits(user, all.size() + 1, Duration.ofMillis(left));
        }
    }

    static Predicate<Map<String, String>> is(String name, String value) {
        return p -> value.equals(p.get(name));
    }

    static String callSid(String user) throws InterruptedException {
        return awaitHit(user, "/voice", p -> true).get("CallSid");
    }

    /** Waits until ConfBridge lists a queue room with {@code n} members. */
    static void awaitRoom(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (bench.asterisk.cli("confbridge list").lines().noneMatch(l -> l.startsWith("twiml-queue-")
                && l.split("\\s+").length > 1 && l.split("\\s+")[1].equals(Integer.toString(n)))) {
            assertTrue(System.nanoTime() < deadline, "no queue room with " + n + " members:\n"
                    + bench.asterisk.cli("confbridge list"));
            Thread.sleep(50);
        }
    }

    /** Waits until the channel of {@code callSid} shows {@code variable=value} in {@code core show channel}. */
    static void awaitChannelVariable(String callSid, String variable, String value) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            for (String line : bench.asterisk.cli("core show channels concise").split("\n")) {
                if (!line.contains("!")) continue;
                String shown = bench.asterisk.cli("core show channel " + line.split("!")[0]);
                if (shown.contains("TWIML_CALLSID=" + callSid)) {
                    last = shown;
                    if (shown.contains(variable + "=" + value + "\n")) return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(callSid + " never showed " + variable + "=" + value + ":\n" + last);
    }

    static Thread send(RtpSink from, double hz, long millis) {
        Thread t = new Thread(() -> from.sendPcmu(io.twimlagi.e2e.harness.TestTones.sine(hz, millis, 0.3)));
        t.start();
        return t;
    }

    static String queueSid(String name) {
        for (Queue q : Queue.reader().read(rest)) {
            if (q.getFriendlyName().equals(name)) return q.getSid();
        }
        throw new AssertionError("no queue " + name);
    }

    @Test
    void callersWaitInOrderAndAnAgentTakesTheFirstAfterItsUrlAndBothHearEachOther() throws Exception {
        waiter("q-c1", "support");
        waiter("q-c2", "support");
        bench.app.on("q-c1", "/whisper", "<Response><Play>/media/whisper.wav</Play></Response>");
        bench.app.on("q-agent", "/voice", "<Response><Dial action=\"/after\" timeLimit=\"8\"><Queue url=\"/whisper\">"
                + "support</Queue></Dial></Response>");
        bench.app.on("q-agent", "/after", "<Response><Hangup/></Response>");
        try (RtpSink c1 = new RtpSink(); RtpSink c2 = new RtpSink(); RtpSink agent = new RtpSink()) {
            CompletableFuture<SippResult> call1 = caller("q-c1", c1);
            Map<String, String> w1 = awaitHit("q-c1", "/wait", p -> true);
            assertEquals("1", w1.get("QueuePosition"));
            assertEquals("1", w1.get("CurrentQueueSize"));
            assertEquals("1000", w1.get("MaxQueueSize"));
            assertEquals("0", w1.get("QueueTime"));
            assertTrue(w1.get("QueueSid").matches("QU[0-9a-f]{32}"), w1.toString());
            assertTrue(c1.awaitToneMillis(HOLD_HZ, 500, 0, Duration.ofSeconds(10)), "the waitUrl's music plays");
            CompletableFuture<SippResult> call2 = caller("q-c2", c2);
            Map<String, String> w2 = awaitHit("q-c2", "/wait", p -> true);
            assertEquals("2", w2.get("QueuePosition"));
            assertEquals("2", w2.get("CurrentQueueSize"));
            assertEquals(w1.get("QueueSid"), w2.get("QueueSid"));
            Map<String, String> again = awaitHit("q-c1", "/wait", p -> Integer.parseInt(p.get("QueueTime")) >= 1);
            assertEquals("1", again.get("QueuePosition"), "the waitUrl loops; QueueTime grows: " + again);
            String sid1 = callSid("q-c1");
            String sid2 = callSid("q-c2");
            awaitChannelVariable(sid2, "TWIML_QUEUE", "support");
            awaitChannelVariable(sid2, "TWIML_QUEUE_POSITION", "2");

            CompletableFuture<SippResult> agentCall = caller("q-agent", agent);
            String agentSid = callSid("q-agent");
            int mark1 = c1.sampleCount();
            Map<String, String> whisper = awaitHit("q-c1", "/whisper", p -> true);
            assertEquals(sid1, whisper.get("CallSid"), "the url runs on the dequeued caller's leg");
            assertEquals(agentSid, whisper.get("DequeingCallSid"));
            assertEquals(w1.get("QueueSid"), whisper.get("QueueSid"));
            assertTrue(c1.awaitToneMillis(WHISPER_HZ, 600, mark1, Duration.ofSeconds(10)), "the caller hears it");
            assertEquals(0, agent.toneMillis(WHISPER_HZ, 0), "the agent does not");
            awaitRoom(2);
            assertTrue(agent.awaitPackets(10, Duration.ofSeconds(5)));
            int markC = c1.sampleCount();
            int markA = agent.sampleCount();
            Thread tc = send(c1, 1000, 1500);
            Thread ta = send(agent, 1400, 1500);
            tc.join();
            ta.join();
            assertTrue(agent.awaitToneMillis(1000, 600, markA, Duration.ofSeconds(3)),
                    "the agent hears the caller: " + agent.toneMillis(1000, markA) + " ms");
            assertTrue(c1.awaitToneMillis(1400, 600, markC, Duration.ofSeconds(3)),
                    "the caller hears the agent: " + c1.toneMillis(1400, markC) + " ms");
            Map<String, String> moved = awaitHit("q-c2", "/wait", is("QueuePosition", "1"));
            assertEquals("1", moved.get("CurrentQueueSize"), "the second moved up");
            awaitChannelVariable(sid2, "TWIML_QUEUE_POSITION", "1");

            // the agent's timeLimit ends the bridge for both; each goes on with its own TwiML
            Map<String, String> after = awaitHit("q-agent", "/after", p -> true);
            assertEquals("completed", after.get("DialCallStatus"));
            assertEquals(sid1, after.get("DialCallSid"));
            assertEquals(w1.get("QueueSid"), after.get("QueueSid"));
            Map<String, String> left = awaitHit("q-c1", "/left", p -> true);
            assertEquals("bridged", left.get("QueueResult"));
            assertEquals("in-progress", left.get("CallStatus"), "the caller's call goes on");
            assertTrue(Integer.parseInt(left.get("QueueTime")) >= 1);
            ok(agentCall, "agent");
            ok(call1, "caller 1");

            Member.updater(w1.get("QueueSid"), "Front", URI.create(bench.app.url("/next"))).update(rest);
            ok(call2, "caller 2");
        }
    }

    @Test
    void aCallerWhoHangsUpLeavesWithHangupAndOneWhoLeavesWithLeave() throws Exception {
        waiter("q-h1", "hangups");
        waiter("q-h2", "hangups");
        try (RtpSink h1 = new RtpSink(); RtpSink h2 = new RtpSink()) {
            // h1 hangs up (BYE) after 5 s of waiting; h2 waits behind it
            CompletableFuture<SippResult> call1 = Sipp.scenario("answer-bye.xml").service("q-h1").domain(Bench.DOMAIN)
                    .rtpPort(h1.port()).pause(Duration.ofSeconds(5)).timeout(Duration.ofSeconds(30)).start();
            awaitHit("q-h1", "/wait", is("QueuePosition", "1"));
            CompletableFuture<SippResult> call2 = caller("q-h2", h2);
            awaitHit("q-h2", "/wait", is("QueuePosition", "2"));
            Map<String, String> hungUp = awaitHit("q-h1", "/left", p -> true);
            assertEquals("hangup", hungUp.get("QueueResult"));
            assertEquals("completed", hungUp.get("CallStatus"));
            ok(call1, "h1");
            Map<String, String> shrunk = awaitHit("q-h2", "/wait", is("QueuePosition", "1"));
            assertEquals("1", shrunk.get("CurrentQueueSize"), "the queue shrank");
            assertEquals(1, Queue.fetcher(shrunk.get("QueueSid")).fetch(rest).getCurrentSize());

            // the app's next wait document says <Leave/>: the action runs with leave
            bench.app.on("q-h2", "/wait", "<Response><Leave/><Play>/media/whisper.wav</Play></Response>");
            Map<String, String> left = awaitHit("q-h2", "/left", p -> true);
            assertEquals("leave", left.get("QueueResult"));
            assertEquals("in-progress", left.get("CallStatus"));
            assertEquals(0, h2.toneMillis(WHISPER_HZ, 0), "nothing after <Leave/> plays");
            ok(call2, "h2");
            assertTrue(h2.speechMillis() > 500, "the action's Say was heard");
            assertEquals(0, Queue.fetcher(shrunk.get("QueueSid")).fetch(rest).getCurrentSize());
        }
    }

    @Test
    void aFullQueueIsQueueFullAtOnceAndTheSdkDequeuesTheFrontIntoNewTwiml() throws Exception {
        Queue tiny = Queue.creator("tiny").setMaxSize(1).create(rest);
        waiter("q-f1", "tiny");
        waiter("q-f2", "tiny");
        // f1's waitUrl is the audio itself (a common Twilio app): it loops
        bench.app.on("q-f1", "/voice", "<Response><Enqueue waitUrl=\"/media/hold.wav\" action=\"/left\">tiny"
                + "</Enqueue></Response>");
        try (RtpSink f1 = new RtpSink(); RtpSink f2 = new RtpSink()) {
            CompletableFuture<SippResult> call1 = caller("q-f1", f1);
            awaitHit("q-f1", "/media/hold.wav", is("QueuePosition", "1"));
            assertTrue(f1.awaitToneMillis(HOLD_HZ, 2500, 0, Duration.ofSeconds(10)),
                    "the waitUrl's audio plays more than once: " + f1.toneMillis(HOLD_HZ, 0) + " ms");
            CompletableFuture<SippResult> call2 = caller("q-f2", f2);
            Map<String, String> full = awaitHit("q-f2", "/left", p -> true);
            assertEquals("queue-full", full.get("QueueResult"));
            assertEquals(tiny.getSid(), full.get("QueueSid"));
            ok(call2, "f2");
            assertTrue(bench.app.hits("q-f2").stream().noneMatch(h -> h.path().equals("/wait")), "never waited");

            String sid1 = callSid("q-f1");
            List<Member> members = new ArrayList<>();
            Member.reader(tiny.getSid()).read(rest).forEach(members::add);
            assertEquals(List.of(sid1), members.stream().map(Member::getCallSid).toList());
            int mark = f1.sampleCount();
            Member front = Member.updater(tiny.getSid(), "Front", URI.create(bench.app.url("/next")))
                    .setMethod(com.twilio.http.HttpMethod.POST).update(rest);
            assertEquals(sid1, front.getCallSid());
            assertEquals(1, front.getPosition());
            assertEquals(sid1, awaitHit("q-f1", "/next", p -> true).get("CallSid"));
            assertEquals("redirected", awaitHit("q-f1", "/left", p -> true).get("QueueResult"), "the action is told");
            assertTrue(f1.awaitToneMillis(WHISPER_HZ, 600, mark, Duration.ofSeconds(10)), "the new TwiML plays");
            ok(call1, "f1");
        }
    }

    @Test
    void withoutWaitUrlTheCallerHearsAsterisksHoldMusic() throws Exception {
        bench.app.on("q-moh", "/voice", "<Response><Enqueue action=\"/left\">moh</Enqueue></Response>");
        bench.app.on("q-moh", "/next", "<Response><Hangup/></Response>");
        bench.app.on("q-moh", "/left", LEFT);
        try (RtpSink s = new RtpSink()) {
            CompletableFuture<SippResult> call = caller("q-moh", s);
            assertTrue(s.awaitToneMillis(MOH_HZ, 1500, 0, Duration.ofSeconds(10)),
                    "the default music-on-hold class: " + s.toneMillis(MOH_HZ, 0) + " ms");
            Member.updater(queueSid("moh"), "Front", URI.create(bench.app.url("/next"))).update(rest);
            ok(call, "moh");
        }
    }

    @Test
    void aReloadKeepsWaitingCallersAndAStopSendsThemToTheirActionWithSystemShutdown() throws Exception {
        waiter("q-r1", "reload");
        try (RtpSink r1 = new RtpSink()) {
            CompletableFuture<SippResult> call = caller("q-r1", r1);
            Map<String, String> before = awaitHit("q-r1", "/wait", p -> true);
            bench.server.reload(ConfigLoader.load(bench.configFile)); // SIGHUP
            Map<String, String> afterReload = awaitHit("q-r1", "/wait",
                    p -> Integer.parseInt(p.get("QueueTime")) >= 1);
            assertEquals(before.get("QueueSid"), afterReload.get("QueueSid"), "the same queue, the same place");
            assertEquals("1", afterReload.get("QueuePosition"));
            assertEquals(1, Queue.fetcher(before.get("QueueSid")).fetch(rest).getCurrentSize());

            bench.server.shutdown(Duration.ofSeconds(20)); // SIGTERM: returns once the call has ended
            Map<String, String> left = awaitHit("q-r1", "/left", p -> true);
            assertEquals("system-shutdown", left.get("QueueResult"));
            ok(call, "r1");
            bench.restartServer();
            List<String> names = new ArrayList<>();
            Queue.reader().read(rest).forEach(q -> names.add(q.getFriendlyName()));
            assertTrue(names.isEmpty(), "a restart starts without queues: " + names);
        }
    }
}
