package io.twimlagi.queue;

import io.twimlagi.call.ConferenceExit;
import io.twimlagi.call.ConferenceRequest;
import io.twimlagi.call.ConferenceResult;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.engine.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.twimlagi.queue.EnqueueExecutorTest.done;
import static io.twimlagi.queue.EnqueueExecutorTest.navigate;
import static io.twimlagi.queue.QueueKit.sid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code <Dial><Queue>}: an agent's FakeCall dequeues callers' FakeCalls; both "join" the same room (FakeCall's
 * conference), the caller staying in it until the agent is in, as ConfBridge keeps it.
 */
class QueueDialerTest {
    static final String ENQUEUE = EnqueueExecutorTest.ENQUEUE;
    static final String AGENT = sid(0xA6E);

    @TempDir
    Path media;
    QueueKit kit;
    final List<String> timeline = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        kit = new QueueKit(media);
        kit.documents.put("/wait", "<Response><Pause length=\"1\"/></Response>");
        kit.documents.put("/left", "<Response><Hangup/></Response>");
        kit.documents.put("/whisper", "<Response><Say>You are next</Say></Response>");
    }

    @AfterEach
    void stop() throws Exception {
        kit.queues().shutdown();
        kit.close();
    }

    /** A caller who stays in its room until the agent is in it (or 5 s), then leaves as {@code exit}. */
    FakeCall caller(String name, CountDownLatch agentIn, ConferenceExit exit) {
        FakeCall c = QueueKit.call();
        c.nextConference = new ConferenceResult(exit, 7, false);
        c.duringConference = r -> {
            timeline.add(name + " joins " + r.room());
            try {
                agentIn.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        return c;
    }

    FakeCall agent(CountDownLatch agentIn) {
        FakeCall a = QueueKit.call();
        a.nextConference = new ConferenceResult(ConferenceExit.TIME_LIMIT, 7, false);
        a.duringConference = r -> {
            timeline.add("agent joins " + r.room());
            agentIn.countDown();
        };
        return a;
    }

    @Test
    void anUnknownQueueFailsAtOnce() {
        Outcome.Navigate after = navigate(kit.run("<Dial action=\"/after\"><Queue>nobody</Queue></Dial>",
                kit.ctx(QueueKit.call(), AGENT)));
        assertEquals("failed", after.extraParams().get("DialCallStatus"));
    }

    @Test
    void anEmptyQueueIsWaitedOnForTheDialTimeout() {
        String queue = kit.queues().create("support", null).sid();
        FakeCall agent = QueueKit.call();
        long start = System.nanoTime();
        Outcome.Navigate after = navigate(kit.run("<Dial action=\"/after\" timeout=\"1\"><Queue>support</Queue>"
                + "</Dial>", kit.ctx(agent, AGENT)));
        assertTrue(System.nanoTime() - start >= Duration.ofSeconds(1).toNanos());
        assertEquals("no-answer", after.extraParams().get("DialCallStatus"));
        assertEquals(queue, after.extraParams().get("QueueSid"));
        assertTrue(agent.events.stream().allMatch(e -> e.equals("pause 200ms")), agent.events.toString());
    }

    @Test
    void theAgentBridgesTheFirstCallerAfterTheUrlRanOnItsLegAndTheSecondMovesUp() throws Exception {
        CountDownLatch agentIn = new CountDownLatch(1);
        FakeCall a = caller("A", agentIn, ConferenceExit.KICKED);
        FakeCall b = QueueKit.call();
        CompletableFuture<Outcome> ra = kit.start(ENQUEUE, kit.ctx(a, sid(1)));
        kit.await("/wait", sid(1), 1);
        CompletableFuture<Outcome> rb = kit.start(ENQUEUE, kit.ctx(b, sid(2)));
        kit.await("/wait", sid(2), 1);
        FakeCall agent = agent(agentIn);
        agent.duringConference = agent.duringConference.andThen(r ->
                timeline.add("whisper requests " + kit.hits("/whisper", sid(1)).size()));
        Outcome.Navigate after = navigate(kit.run("<Dial action=\"/after\" timeLimit=\"600\"><Queue url=\"/whisper\">"
                + "support</Queue></Dial>", kit.ctx(agent, AGENT)));

        Map<String, String> whisper = kit.await("/whisper", sid(1), 1).params();
        String queue = kit.queues().sidOf("support").orElseThrow();
        assertEquals(queue, whisper.get("QueueSid"));
        assertEquals(AGENT, whisper.get("DequeingCallSid"));
        assertTrue(Integer.parseInt(whisper.get("QueueTime")) >= 0);
        String room = agent.lastConference.room();
        assertEquals(room, a.lastConference.room(), "one room for both");
        assertTrue(room.matches("twiml-queue-[0-9a-f]{16}"), room);
        assertEquals(List.of("A joins " + room, "agent joins " + room, "whisper requests 1"), timeline,
                "the url ran on the caller's leg before the bridge");
        int say = indexOf(a.events, "play ");
        assertTrue(say >= 0 && say < a.events.indexOf("conference " + room), a.events.toString());
        for (ConferenceRequest r : List.of(agent.lastConference, a.lastConference)) {
            assertTrue(r.startOnEnter() && r.endOnExit() && r.quiet(), r.toString());
            assertEquals(2, r.maxParticipants());
            assertNull(r.holdClass(), "silence while one waits for the other");
        }
        assertEquals(Duration.ofSeconds(600), agent.lastConference.timeLimit(), "the Dial's timeLimit");

        assertEquals("completed", after.extraParams().get("DialCallStatus"));
        assertEquals(sid(1), after.extraParams().get("DialCallSid"));
        assertEquals("7", after.extraParams().get("DialCallDuration"));
        assertEquals(queue, after.extraParams().get("QueueSid"));
        Outcome.Navigate left = done(ra);
        assertEquals("bridged", left.extraParams().get("QueueResult"));
        assertFalse(a.interrupted() || agent.interrupted(), "no interrupt left behind");
        assertEquals("1", kit.await("/wait", p -> sid(2).equals(p.get("CallSid"))
                && "1".equals(p.get("QueuePosition")), 1).params().get("CurrentQueueSize"), "B moved up");
        kit.queues().shutdown();
        done(rb);
    }

    @Test
    void anAgentWhoHangsUpDuringTheUrlSendsTheCallerBackToItsPlace() throws Exception {
        kit.documents.put("/whisper", "<Response><Pause length=\"5\"/></Response>");
        FakeCall a = QueueKit.call();
        CompletableFuture<Outcome> ra = kit.start(ENQUEUE, kit.ctx(a, sid(1)));
        kit.await("/wait", sid(1), 1);
        FakeCall agent = QueueKit.call().callerHangsUpAtEvent(3); // a few polls while the caller's url runs
        assertEquals(Outcome.END, kit.run("<Dial action=\"/after\"><Queue url=\"/whisper\">support</Queue>"
                + "</Dial>", kit.ctx(agent, AGENT)));
        assertEquals("canceled", kit.await("/after", AGENT, 1).params().get("DialCallStatus"),
                "the agent's action is requested all the same");
        Map<String, String> back = kit.await("/wait", p -> sid(1).equals(p.get("CallSid")), 2).params();
        assertEquals("1", back.get("QueuePosition"), "back at its place");
        assertFalse(a.events.stream().anyMatch(e -> e.startsWith("conference")), a.events.toString());
        assertFalse(a.interrupted());
        kit.queues().shutdown();
        assertEquals("system-shutdown", done(ra).extraParams().get("QueueResult"));
    }

    @Test
    void anAgentThatCannotJoinSendsTheCallerBack() throws Exception {
        CountDownLatch agentIn = new CountDownLatch(1);
        FakeCall a = QueueKit.call();
        CountDownLatch kicked = new CountDownLatch(1);
        // as in ConfBridge: the caller stays in its room until our kick (not merely until the agent tried to join)
        a.nextConference = new ConferenceResult(ConferenceExit.KICKED, 7, false);
        a.duringConference = r -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            try {
                while (!a.interrupted() && System.nanoTime() < deadline) Thread.sleep(1);
                if (a.interrupted()) kicked.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        CompletableFuture<Outcome> ra = kit.start(ENQUEUE, kit.ctx(a, sid(1)));
        kit.await("/wait", sid(1), 1);
        FakeCall agent = agent(agentIn);
        agent.nextConference = new ConferenceResult(ConferenceExit.NOT_JOINED, 0, false);
        kit.run("<Dial action=\"/after\" timeout=\"1\"><Queue>support</Queue></Dial>", kit.ctx(agent, AGENT));
        assertEquals("1", kit.await("/wait", sid(1), 2).params().get("QueuePosition"), "waiting again");
        assertEquals(0, kicked.getCount(), "taken out of the room by the failed agent");
        assertFalse(a.interrupted(), "the kick was ours and is cleared");
        kit.queues().shutdown();
        done(ra);
    }

    @Test
    void aCallerWhoHangsUpDuringTheUrlIsSkippedForTheNext() throws Exception {
        kit.documents.put("/whisper", "<Response><Pause length=\"1\"/></Response>");
        CountDownLatch agentIn = new CountDownLatch(1);
        FakeCall a = QueueKit.call();
        CompletableFuture<Outcome> ra = kit.start(ENQUEUE, kit.ctx(a, sid(1)));
        kit.await("/wait", sid(1), 1);
        FakeCall b = caller("B", agentIn, ConferenceExit.KICKED);
        CompletableFuture<Outcome> rb = kit.start(ENQUEUE, kit.ctx(b, sid(2)));
        kit.await("/wait", sid(2), 1);
        a.duringMedia = () -> {
            if (!kit.hits("/whisper", sid(1)).isEmpty()) a.hangupReported(); // hangs up during the url
        };
        FakeCall agent = agent(agentIn);
        Outcome.Navigate after = navigate(kit.run("<Dial action=\"/after\"><Queue url=\"/whisper\">support</Queue>"
                + "</Dial>", kit.ctx(agent, AGENT)));
        assertEquals(Outcome.END, ra.get(10, TimeUnit.SECONDS));
        assertEquals("bridging-in-process", kit.await("/left", sid(1), 1).params().get("QueueResult"));
        assertEquals(sid(2), after.extraParams().get("DialCallSid"), "the next caller");
        assertEquals("bridged", done(rb).extraParams().get("QueueResult"));
    }

    static int indexOf(List<String> events, String prefix) {
        for (int i = 0; i < events.size(); i++) if (events.get(i).startsWith(prefix)) return i;
        return -1;
    }
}
