package io.twimlagi.queue;

import io.twimlagi.engine.FakeCall;
import io.twimlagi.twiml.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link QueueRegistry}: places, sizes, the REST operations, signals to waiting callers. */
class QueueRegistryTest {
    final QueueRegistry queues = new QueueRegistry();

    static String sid(int n) {
        return "CA" + String.format("%032x", n);
    }

    Member enqueue(String name, int n) {
        QueueRegistry.Admission a = queues.enqueue(name, null, sid(n), new FakeCall());
        assertNotNull(a.member(), "admitted");
        return a.member();
    }

    @Test
    void aQueueIsCreatedOnFirstUseWithTwiliosDefaultSizeAndKeepsArrivalOrder() {
        Member a = enqueue("support", 1);
        Member b = enqueue("support", 2);
        Member c = enqueue("sales", 3);
        assertEquals(1, queues.position(a));
        assertEquals(2, queues.position(b));
        assertEquals(1, queues.position(c));
        QueueSnapshot q = queues.queueOf(a);
        assertEquals("support", q.friendlyName());
        assertEquals(2, q.currentSize());
        assertEquals(1000, q.maxSize());
        assertTrue(q.sid().matches("QU[0-9a-f]{32}"), q.sid());
        assertEquals(a.queueSid(), b.queueSid());
        assertFalse(a.queueSid().equals(c.queueSid()));
        queues.leave(a);
        assertEquals(0, queues.position(a));
        assertEquals(1, queues.position(b), "the second moves up");
        assertEquals(1, queues.queueOf(b).currentSize());
    }

    @Test
    void aFullQueueRefusesAtOnce() {
        QueueSnapshot q = queues.create("tiny", 1);
        enqueue("tiny", 1);
        QueueRegistry.Admission full = queues.enqueue("tiny", null, sid(2), new FakeCall());
        assertNull(full.member());
        assertEquals(QueueRegistry.Refusal.FULL, full.refusal());
        assertEquals(q.sid(), full.queueSid());
    }

    @Test
    void enqueueMaxQueueSizeSetsTheSizeOfANewQueueOnly() {
        assertNotNull(queues.enqueue("x", 3, sid(1), new FakeCall()).member());
        assertEquals(3, queues.fetch(queues.sidOf("x").orElseThrow()).orElseThrow().maxSize());
        queues.enqueue("x", 50, sid(2), new FakeCall());
        assertEquals(3, queues.fetch(queues.sidOf("x").orElseThrow()).orElseThrow().maxSize());
    }

    @Test
    void aDequeuedCallerPutBackTakesItsOldPlace() {
        Member a = enqueue("q", 1);
        Member b = enqueue("q", 2);
        Handoff h = queues.dequeueFront(a.queueSid(), m -> new Handoff("room", m, sid(9), new FakeCall(), null,
                HttpMethod.POST));
        assertEquals(a, h.caller);
        assertEquals(1, queues.position(b));
        assertInstanceOf(Signal.Dequeued.class, queues.takeSignal(a));
        Member c = enqueue("q", 3);
        assertTrue(queues.putBack(a));
        assertEquals(List.of(1, 2, 3), List.of(queues.position(a), queues.position(b), queues.position(c)));
    }

    @Test
    void aSignalStopsTheWaitOnceAndUnderTheLock() {
        Member a = enqueue("q", 1);
        List<String> stops = new ArrayList<>();
        assertTrue(queues.attach(a, () -> stops.add("stopped")));
        assertTrue(queues.redirect(a.queueSid(), "Front", "https://app.example.com/next", HttpMethod.GET)
                .isPresent());
        assertEquals(List.of("stopped"), stops);
        assertTrue(queues.stopRan(a));
        Signal s = queues.takeSignal(a);
        assertEquals(new Signal.Redirected("https://app.example.com/next", HttpMethod.GET), s);
        assertNull(queues.takeSignal(a), "once");
        assertFalse(queues.redirect(a.queueSid(), "Front", "https://x/", HttpMethod.GET).isPresent(),
                "it is out of the queue");
        Member b = enqueue("q", 2);
        queues.redirect(b.queueSid(), b.callSid(), "https://x/", HttpMethod.POST);
        assertFalse(queues.attach(b, () -> stops.add("late")), "a signal before the wait: no wait at all");
        assertEquals(1, stops.size());
    }

    @Test
    void aSignalThatCameJustAsTheCallerLeftIsHandedBack() {
        Member a = enqueue("q", 1);
        Handoff h = queues.dequeueFront(a.queueSid(), m -> new Handoff("room", m, sid(9), new FakeCall(), null,
                HttpMethod.POST));
        Signal late = queues.abandon(a);
        assertEquals(new Signal.Dequeued(h), late);
    }

    @Test
    void shutdownSignalsEveryWaitingCallerAndRefusesNewOnes() {
        Member a = enqueue("q", 1);
        Member b = enqueue("r", 2);
        queues.shutdown();
        assertInstanceOf(Signal.Shutdown.class, queues.takeSignal(a));
        assertInstanceOf(Signal.Shutdown.class, queues.takeSignal(b));
        assertEquals(QueueRegistry.Refusal.SHUTTING_DOWN, queues.enqueue("q", null, sid(3), new FakeCall()).refusal());
        assertFalse(queues.putBack(a));
    }

    @Test
    void restCreateUpdateDeleteWithTwiliosRules() {
        QueueSnapshot q = queues.create("support", null);
        assertEquals(1000, q.maxSize());
        assertThrows(IllegalArgumentException.class, () -> queues.create("support", 10), "names are unique");
        assertThrows(IllegalArgumentException.class, () -> queues.create("big", 5001));
        assertThrows(IllegalArgumentException.class, () -> queues.create("x".repeat(65), 1));
        queues.create("other", 5);
        assertThrows(IllegalArgumentException.class, () -> queues.update(q.sid(), "other", null));
        QueueSnapshot renamed = queues.update(q.sid(), "help", 20).orElseThrow();
        assertEquals("help", renamed.friendlyName());
        assertEquals(20, renamed.maxSize());
        assertEquals(q.sid(), queues.sidOf("help").orElseThrow());
        assertTrue(queues.sidOf("support").isEmpty());
        Member m = enqueue("help", 1);
        assertEquals(m.queueSid(), q.sid(), "an Enqueue by the new name finds it");
        assertThrows(IllegalStateException.class, () -> queues.delete(q.sid()), "callers wait in it");
        queues.leave(m);
        assertTrue(queues.delete(q.sid()));
        assertFalse(queues.delete(q.sid()));
        assertEquals(List.of("other"), queues.list().stream().map(QueueSnapshot::friendlyName).toList());
    }

    @Test
    void membersAreListedInOrderAndFoundByCallSidOrFront() {
        enqueue("q", 1);
        Member b = enqueue("q", 2);
        List<MemberSnapshot> all = queues.members(b.queueSid()).orElseThrow();
        assertEquals(List.of(sid(1), sid(2)), all.stream().map(MemberSnapshot::callSid).toList());
        assertEquals(List.of(1, 2), all.stream().map(MemberSnapshot::position).toList());
        assertEquals(sid(1), queues.member(b.queueSid(), "Front").orElseThrow().callSid());
        assertEquals(2, queues.member(b.queueSid(), sid(2)).orElseThrow().position());
        assertTrue(queues.member(b.queueSid(), sid(7)).isEmpty());
        assertTrue(queues.members("QU" + "00".repeat(16)).isEmpty());
    }
}
