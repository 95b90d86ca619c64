package io.twimlagi.queue;

import io.twimlagi.call.CallInterrupted;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.engine.Outcome;
import io.twimlagi.twiml.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.twimlagi.queue.QueueKit.sid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code <Enqueue>} and {@code <Leave>} on FakeCalls against a real HTTP app. */
class EnqueueExecutorTest {
    static final String ENQUEUE = "<Enqueue waitUrl=\"/wait\" action=\"/left\">support</Enqueue>";

    @TempDir
    Path media;
    QueueKit kit;

    @BeforeEach
    void start() throws Exception {
        kit = new QueueKit(media);
        kit.documents.put("/wait", "<Response><Pause length=\"1\"/></Response>");
        kit.documents.put("/left", "<Response><Hangup/></Response>");
    }

    @AfterEach
    void stop() throws Exception {
        kit.close();
    }

    static Outcome.Navigate navigate(Outcome o) {
        return assertInstanceOf(Outcome.Navigate.class, o);
    }

    static Outcome.Navigate done(CompletableFuture<Outcome> f) throws Exception {
        return navigate(f.get(10, TimeUnit.SECONDS));
    }

    @Test
    void callersWaitInOrderWithTheirPlacesAndGrowingQueueTime() throws Exception {
        FakeCall a = QueueKit.call();
        FakeCall b = QueueKit.call();
        CompletableFuture<Outcome> ra = kit.start(ENQUEUE, kit.ctx(a, sid(1)));
        Map<String, String> first = kit.await("/wait", sid(1), 1).params();
        assertEquals("1", first.get("QueuePosition"));
        assertEquals("1", first.get("CurrentQueueSize"));
        assertEquals("1000", first.get("MaxQueueSize"), "Twilio's default size");
        assertEquals("0", first.get("QueueTime"));
        assertEquals("0", first.get("AvgQueueTime"));
        assertTrue(first.get("QueueSid").matches("QU[0-9a-f]{32}"), first.toString());
        assertEquals("in-progress", first.get("CallStatus"), "Enqueue answers the call");
        assertEquals("answer", a.events.get(0));
        CompletableFuture<Outcome> rb = kit.start(ENQUEUE, kit.ctx(b, sid(2)));
        Map<String, String> second = kit.await("/wait", sid(2), 1).params();
        assertEquals("2", second.get("QueuePosition"));
        assertEquals("2", second.get("CurrentQueueSize"));
        assertEquals(first.get("QueueSid"), second.get("QueueSid"));
        assertEquals("support", b.variables.get("TWIML_QUEUE"));
        assertEquals("2", b.variables.get("TWIML_QUEUE_POSITION"), "the place shows in the CLI");
        Map<String, String> later = kit.await("/wait", sid(1), 3).params();
        assertTrue(Integer.parseInt(later.get("QueueTime")) >= 2, "the waitUrl loops, QueueTime grows: " + later);
        assertEquals("2", later.get("CurrentQueueSize"));

        kit.queues().shutdown(); // SIGTERM: everyone leaves at once
        for (CompletableFuture<Outcome> r : List.of(ra, rb)) {
            Outcome.Navigate left = done(r);
            assertEquals(kit.url("/left"), left.url());
            assertEquals("system-shutdown", left.extraParams().get("QueueResult"));
            assertEquals(first.get("QueueSid"), left.extraParams().get("QueueSid"));
        }
        assertEquals("", a.variables.get("TWIML_QUEUE_POSITION"), "out of the queue");
        assertFalse(a.interrupted(), "the stop left no interrupt behind");
    }

    @Test
    void leaveEndsTheWaitAndTheActionGetsLeave() throws Exception {
        kit.documents.put("/wait", "<Response><Pause length=\"1\"/><Leave/><Say>never</Say></Response>");
        FakeCall a = QueueKit.call();
        Outcome.Navigate left = navigate(kit.run(ENQUEUE, kit.ctx(a, sid(1))));
        assertEquals("leave", left.extraParams().get("QueueResult"));
        assertEquals("1", left.extraParams().get("QueueTime"));
        assertEquals(0, kit.queues().list().get(0).currentSize(), "the queue shrinks");
        assertEquals(List.of("answer", "pause 1000ms"), a.events, "nothing after <Leave> runs");
        FakeCall b = QueueKit.call();
        assertEquals(Outcome.NEXT, kit.run("<Enqueue waitUrl=\"/wait\">support</Enqueue>", kit.ctx(b, sid(2))),
                "without an action the next verb runs");
    }

    @Test
    void aFullQueueIsQueueFullAtOnce() throws Exception {
        QueueSnapshot tiny = kit.queues().create("tiny", 1);
        CompletableFuture<Outcome> first = kit.start(ENQUEUE.replace("support", "tiny"), kit.ctx(QueueKit.call(),
                sid(1)));
        kit.await("/wait", sid(1), 1);
        FakeCall b = QueueKit.call();
        Outcome.Navigate full = navigate(kit.run(ENQUEUE.replace("support", "tiny"), kit.ctx(b, sid(2))));
        assertEquals("queue-full", full.extraParams().get("QueueResult"));
        assertEquals(tiny.sid(), full.extraParams().get("QueueSid"));
        assertEquals("0", full.extraParams().get("QueueTime"));
        assertTrue(kit.hits("/wait", sid(2)).isEmpty(), "never waited");
        kit.queues().shutdown();
        done(first);
    }

    @Test
    void aCallerWhoHangsUpWhileWaitingLeavesWithHangup() throws Exception {
        FakeCall a = QueueKit.call().callerHangsUpAtEvent(3); // answer, pause, pause, then gone
        CompletableFuture<Outcome> ra = kit.start(ENQUEUE, kit.ctx(a, sid(1)));
        FakeCall b = QueueKit.call();
        CompletableFuture<Outcome> rb = kit.start(ENQUEUE, kit.ctx(b, sid(2)));
        assertEquals(Outcome.END, ra.get(10, TimeUnit.SECONDS));
        assertTrue(a.isGone());
        assertEquals("hangup", kit.await("/left", sid(1), 1).params().get("QueueResult"),
                "the action is requested all the same");
        Map<String, String> moved = kit.await("/wait", p -> sid(2).equals(p.get("CallSid"))
                && "1".equals(p.get("QueuePosition")), 1).params();
        assertEquals("1", moved.get("CurrentQueueSize"), "the queue shrank");
        kit.queues().shutdown();
        done(rb);
    }

    @Test
    void withoutWaitUrlTheCallerHearsHoldMusicAndARestRedirectTakesItOut() throws Exception {
        FakeCall a = QueueKit.call();
        CountDownLatch holding = new CountDownLatch(1);
        a.duringMedia = () -> holding.countDown();
        CompletableFuture<Outcome> ra = kit.start("<Enqueue action=\"/left\">support</Enqueue>", kit.ctx(a, sid(1)));
        assertTrue(holding.await(5, TimeUnit.SECONDS));
        assertEquals("moh default 30000ms", a.events.get(1), "Asterisk's default music-on-hold class");
        String queue = kit.queues().sidOf("support").orElseThrow();
        MemberSnapshot m = kit.queues().redirect(queue, "Front", kit.url("/next"), HttpMethod.GET).orElseThrow();
        assertEquals(sid(1), m.callSid());
        Outcome.Navigate next = done(ra);
        assertEquals(kit.url("/next"), next.url(), "the REST Url runs, not the action");
        assertEquals(HttpMethod.GET, next.method());
        Map<String, String> told = kit.await("/left", sid(1), 1).params();
        assertEquals("redirected", told.get("QueueResult"), "the action is told");
        assertFalse(a.interrupted(), "the hold's stop was ours and is cleared");
    }

    @Test
    void aWaitUrlOfAudioLoopsTheAudioAndDoesNotEndTheCall() throws Exception {
        FakeCall a = QueueKit.call();
        CompletableFuture<Outcome> ra = kit.start(ENQUEUE.replace("/wait", "/music.wav"), kit.ctx(a, sid(1)));
        kit.await("/music.wav", sid(1), 3);
        assertFalse(a.isGone(), "the audio document's end is only the end of a round");
        assertTrue(a.events.stream().filter(e -> e.startsWith("play ")).count() >= 2, a.events.toString());
        assertFalse(a.events.contains("hangup"));
        kit.queues().shutdown();
        assertEquals("system-shutdown", done(ra).extraParams().get("QueueResult"));
    }

    @Test
    void aWaitUrlThatFailsIsHoldMusicThenAskedAgainKeepingThePlace() throws Exception {
        FakeCall a = QueueKit.call();
        CountDownLatch music = new CountDownLatch(1);
        a.duringMedia = () -> {
            if (a.events.get(a.events.size() - 1).startsWith("moh")) music.countDown();
        };
        CompletableFuture<Outcome> ra = kit.start(ENQUEUE.replace("/wait", "/broken"), kit.ctx(a, sid(1)));
        assertTrue(music.await(5, TimeUnit.SECONDS));
        assertEquals("moh default 10000ms", a.events.get(a.events.size() - 1));
        String queue = kit.queues().sidOf("support").orElseThrow();
        assertEquals(sid(1), kit.queues().member(queue, "Front").orElseThrow().callSid(), "still first in line");
        kit.queues().shutdown();
        assertEquals("system-shutdown", done(ra).extraParams().get("QueueResult"));
    }

    @Test
    void aLiveUpdateTakesTheCallerOutAndTellsTheAction() throws Exception {
        FakeCall a = QueueKit.call();
        CompletableFuture<Outcome> ra = kit.start(ENQUEUE, kit.ctx(a, sid(1)));
        kit.await("/wait", sid(1), 1);
        a.interrupt(); // what Walk.redirect does for a REST update of the call
        ExecutionException e = assertThrows(ExecutionException.class, () -> ra.get(10, TimeUnit.SECONDS));
        assertInstanceOf(CallInterrupted.class, e.getCause(), "the call's walk takes the new TwiML");
        assertEquals("redirected", kit.await("/left", sid(1), 1).params().get("QueueResult"));
        assertEquals(0, kit.queues().list().get(0).currentSize());
    }

    @Test
    void workflowSidAndBadNamesAreErrorsWithoutWaiting() {
        FakeCall a = QueueKit.call();
        Outcome.Navigate tr = navigate(kit.run("<Enqueue workflowSid=\"WW" + "0".repeat(32)
                + "\" action=\"/left\">support</Enqueue>", kit.ctx(a, sid(1))));
        assertEquals("error", tr.extraParams().get("QueueResult"));
        assertNull(tr.extraParams().get("QueueSid"));
        Outcome.Navigate empty = navigate(kit.run("<Enqueue action=\"/left\"></Enqueue>", kit.ctx(a, sid(1))));
        assertEquals("error", empty.extraParams().get("QueueResult"));
        Outcome.Navigate longName = navigate(kit.run("<Enqueue action=\"/left\">" + "q".repeat(65) + "</Enqueue>",
                kit.ctx(a, sid(1))));
        assertEquals("error", longName.extraParams().get("QueueResult"));
        assertTrue(a.events.isEmpty(), "nothing happened on the call: " + a.events);
        assertTrue(kit.queues().list().isEmpty());
    }

    @Test
    void metricsShowEachQueuesSizeAndWaitsAndHowLongCallersWaited() throws Exception {
        kit.documents.put("/wait2", "<Response><Pause length=\"1\"/><Leave/></Response>");
        CompletableFuture<Outcome> ra = kit.start(ENQUEUE, kit.ctx(QueueKit.call(), sid(1)));
        CompletableFuture<Outcome> rb = kit.start(ENQUEUE, kit.ctx(QueueKit.call(), sid(2)));
        kit.await("/wait", sid(1), 2);
        kit.await("/wait", sid(2), 2);
        String text = kit.services.metrics().render();
        assertTrue(text.contains("twiml_agi_queue_size{queue=\"support\"} 2.0"), text);
        assertTrue(text.matches("(?s).*twiml_agi_queue_longest_wait_seconds\\{queue=\"support\"} [1-9].*"), text);
        assertTrue(text.contains("twiml_agi_queue_average_wait_seconds{queue=\"support\"}"), text);
        kit.run("<Enqueue waitUrl=\"/wait2\">support</Enqueue>", kit.ctx(QueueKit.call(), sid(3)));
        kit.queues().shutdown();
        done(ra);
        done(rb);
        text = kit.services.metrics().render();
        assertTrue(text.contains("twiml_agi_queue_size{queue=\"support\"} 0.0"), text);
        assertTrue(text.contains("twiml_agi_queue_wait_seconds_count{result=\"leave\"} 1"), text);
        assertTrue(text.contains("twiml_agi_queue_wait_seconds_count{result=\"system-shutdown\"} 2"), text);
    }

    @Test
    void leaveOutsideAQueueIsIgnored() {
        FakeCall a = QueueKit.call();
        assertEquals(Outcome.NEXT, kit.run("<Leave/>", kit.ctx(a, sid(1))));
        assertTrue(a.events.isEmpty());
    }
}
