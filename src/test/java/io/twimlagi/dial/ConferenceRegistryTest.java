package io.twimlagi.dial;

import io.twimlagi.call.ConferenceExit;
import io.twimlagi.call.ConferenceRequest;
import io.twimlagi.records.ConferenceRecord;
import io.twimlagi.records.ConferenceStatus;
import io.twimlagi.records.ParticipantRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry's changes against ConfBridge's timing: a call that is on its way into a ConfBridge cannot be muted
 * or kicked yet (Asterisk refuses), so the change is tried again until it is in; one that left meanwhile takes the
 * change when it joins again. Conference records follow the status.
 */
class ConferenceRegistryTest {
    static final String ACCOUNT = "AC" + "ab".repeat(16);
    static final String CALL = "CA" + "01".repeat(16);
    static final String CHANNEL = "PJSIP/a-00000001";

    final FakeBridge bridge = new FakeBridge();
    final List<ConferenceRecord> saved = new ArrayList<>();
    final ConferenceRegistry registry = new ConferenceRegistry(saved::add, bridge);

    LiveParticipant participant() {
        ConferenceRooms.Room room = registry.rooms.enter("SD" + "0".repeat(32), "room", r ->
                r.live = registry.opened(r, ACCOUNT, "room", null, "pbx.example.com")).room();
        return registry.joined(room.live, CALL, CHANNEL, null, false, true, false);
    }

    static ConferenceRequest request(String room, boolean muted) {
        return new ConferenceRequest(room, muted, true, false, false, 10, "default", null, Duration.ofSeconds(60),
                (char) 0, DialKit.SOUNDS);
    }

    /** The call's thread: it is placed, then joins the ConfBridge {@code afterMs} later, and stays there. */
    CompletableFuture<ConferenceExit> joinsLater(LiveParticipant p, long afterMs) {
        LiveParticipant.Placement at = p.enter();
        return CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(afterMs);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            ConferenceExit exit = bridge.join(CHANNEL, request(p.room(at.place()), at.muted()));
            p.out();
            return exit;
        });
    }

    @Test
    void aMuteWhileTheCallIsStillJoiningIsAppliedOnceItIsIn() throws Exception {
        LiveParticipant p = participant();
        CompletableFuture<ConferenceExit> call = joinsLater(p, 200);
        ParticipantRecord r = registry.change(p.conference.sid, CALL, new ParticipantChange(true, null, null, null))
                .orElseThrow();
        assertTrue(r.muted());
        assertTrue(bridge.member(CHANNEL).muted, "ConfBridge has it muted");
        assertTrue(bridge.actions.size() > 1, "refused while joining, tried again: " + bridge.actions);
        bridge.leave(CHANNEL, ConferenceExit.HUNG_UP);
        call.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aHoldWhileTheCallIsStillJoiningKicksItOnceItIsIn() throws Exception {
        LiveParticipant p = participant();
        CompletableFuture<ConferenceExit> call = joinsLater(p, 200);
        registry.change(p.conference.sid, CALL, new ParticipantChange(null, true, null, null));
        assertEquals(ConferenceExit.KICKED, call.get(5, TimeUnit.SECONDS));
        LiveParticipant.Placement next = p.enter();
        assertEquals(LiveParticipant.Place.HOLD, next.place(), "its thread goes to the hold room next");
    }

    @Test
    void aCallBetweenConfBridgesTakesTheChangeWhenItJoinsAgain() throws Exception {
        LiveParticipant p = participant();
        assertTrue(registry.remove(p.conference.sid, CALL));
        assertTrue(bridge.actions.isEmpty(), "nothing to kick: " + bridge.actions);
        assertEquals(LiveParticipant.Place.OUT, p.enter().place(), "it leaves instead of joining");
        assertEquals("participant_updated_via_api", p.removedFor());
    }

    @Test
    void withAsteriskUnreachableNothingChanges() {
        LiveParticipant p = participant();
        bridge.available = false;
        BridgeControlException e = assertThrows(BridgeControlException.class,
                () -> registry.change(p.conference.sid, CALL, new ParticipantChange(true, true, null, null)));
        assertEquals(BridgeControlException.Reason.UNAVAILABLE, e.reason());
        assertFalse(p.snapshot().muted());
        assertFalse(p.snapshot().hold());
    }

    @Test
    void theRecordFollowsTheStatusAndTheReason() {
        LiveParticipant p = participant();
        LiveConference c = p.conference;
        registry.started(c);
        registry.started(c); // no second save
        registry.left(p);
        registry.closed(c, ConferenceRegistry.LAST_LEFT);
        assertEquals(List.of(ConferenceStatus.INIT, ConferenceStatus.IN_PROGRESS, ConferenceStatus.COMPLETED),
                saved.stream().map(ConferenceRecord::status).toList());
        assertEquals("last-participant-left", saved.get(2).reasonConferenceEnded());
        assertEquals("us1", saved.get(0).region());
        assertFalse(registry.isLive(c.sid));
        assertTrue(registry.participants(c.sid).isEmpty());
    }
}
