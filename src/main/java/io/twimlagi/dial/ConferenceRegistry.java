package io.twimlagi.dial;

import io.twimlagi.dial.LiveParticipant.Place;
import io.twimlagi.records.ConferenceRecord;
import io.twimlagi.records.ConferenceStatus;
import io.twimlagi.records.ParticipantRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The conferences in progress on this server and their participants, by SID, as the REST API reads and changes
 * them. The conference code reports what happens (opened, started, a participant joined or left, closed); each
 * change of a conference's status goes to {@code store} (its records, listable after it ended). REST changes (mute,
 * hold, remove, end) set the participant's wishes, then act on the ConfBridge the call is in through
 * {@link BridgeControl}: a kicked call's thread comes back for where it belongs now ({@link LiveParticipant#enter}).
 *
 * <p>A call between two ConfBridges (joining, or moving to or from hold) cannot be kicked yet: a kick Asterisk
 * refuses is tried again every {@value #RETRY_MS} ms while the call is still on its way in, for up to
 * {@link #SETTLE}; a call that left meanwhile takes the new wishes when it joins again.
 */
public final class ConferenceRegistry {
    private static final Logger log = LoggerFactory.getLogger(ConferenceRegistry.class);
    static final Duration SETTLE = Duration.ofSeconds(3);
    static final long RETRY_MS = 50;
    /** Twilio's region when {@code <Conference region>} names none. */
    public static final String DEFAULT_REGION = "us1";
    /** Twilio's ReasonConferenceEnded values. */
    static final String LAST_LEFT = "last-participant-left";
    static final String LAST_KICKED = "last-participant-kicked";
    static final String ENDER_LEFT = "participant-with-end-conference-on-exit-left";
    static final String ENDER_KICKED = "participant-with-end-conference-on-exit-kicked";
    static final String VIA_API = "conference-ended-via-api";

    final ConferenceRooms rooms = new ConferenceRooms();
    private final Map<String, LiveConference> live = new ConcurrentHashMap<>();
    private final Map<String, LiveParticipant> calls = new ConcurrentHashMap<>();
    private final Consumer<ConferenceRecord> store;
    private final BridgeControl control;

    /** {@code store} keeps conference records; {@code control} is null without the Manager Interface. */
    public ConferenceRegistry(Consumer<ConferenceRecord> store, BridgeControl control) {
        this.store = store;
        this.control = control;
    }

    /** Keeps nothing, changes nothing (tests; the conference code runs the same). */
    static ConferenceRegistry unmanaged() {
        return new ConferenceRegistry(r -> { }, null);
    }

    // ------------------------------------------------------------------------------ reported by the conference code

    LiveConference opened(ConferenceRooms.Room room, String accountSid, String friendlyName, String region,
                          String domain) {
        ConferenceRecord r = ConferenceRecord.created(room.conferenceSid, accountSid, friendlyName,
                region == null || region.isBlank() ? DEFAULT_REGION : region, domain, Instant.now());
        LiveConference c = new LiveConference(room, r);
        live.put(c.sid, c);
        save(r);
        return c;
    }

    /** A participant with startConferenceOnEnter joined: {@code in-progress}. */
    void started(LiveConference c) {
        ConferenceRecord r = c.status(ConferenceStatus.IN_PROGRESS, Instant.now());
        if (r != null) save(r);
    }

    LiveParticipant joined(LiveConference c, String callSid, String channel, String label, boolean muted,
                           boolean startOnEnter, boolean endOnExit) {
        LiveParticipant p = new LiveParticipant(c, callSid, channel, label, muted, startOnEnter, endOnExit,
                Instant.now());
        c.add(p);
        calls.put(callSid, p);
        return p;
    }

    void left(LiveParticipant p) {
        p.conference.remove(p);
        calls.remove(p.callSid, p);
    }

    /** The last participant left: {@code completed}, for the reason recorded or {@code otherwise}. */
    void closed(LiveConference c, String otherwise) {
        live.remove(c.sid, c);
        save(c.complete(Instant.now(), otherwise));
    }

    /**
     * Participant {@code callSid}'s leaving ends the conference ({@code reason}): the others leave too, those on hold
     * as well. {@code othersKicked}: Asterisk already took the others out of the conference's ConfBridge
     * (endConferenceOnExit's ConfKick); otherwise they are kicked here.
     */
    void endedBy(LiveConference c, String callSid, String reason, boolean othersKicked) {
        if (!c.ending(reason, callSid)) return;
        rooms.detach(c.room);
        for (LiveParticipant p : c.participants()) {
            if (p.callSid.equals(callSid)) continue;
            Place from = p.remove(reason.equals(ENDER_KICKED) ? "participant_with_end_conference_on_exit_kicked"
                    : "participant_with_end_conference_on_exit_left");
            if (control == null || from == Place.OUT || (from == Place.CONFERENCE && othersKicked)) continue;
            try {
                kick(p, from);
            } catch (BridgeControlException e) {
                log.error("{} cannot take it out of conference {}: {}", p.callSid, c.sid, e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------------------ asked by the REST API

    /** The participants of a conference in progress (in the order they joined); empty when it is not in progress. */
    public Optional<List<ParticipantRecord>> participants(String conferenceSid) {
        LiveConference c = live.get(conferenceSid);
        return c == null ? Optional.empty()
                : Optional.of(c.participants().stream().map(LiveParticipant::snapshot).toList());
    }

    public Optional<ParticipantRecord> participant(String conferenceSid, String callSid) {
        return find(conferenceSid, callSid).map(LiveParticipant::snapshot);
    }

    /**
     * Mutes, unmutes, holds or unholds a participant now; its record afterwards, empty when it is not in that
     * conference.
     *
     * @throws BridgeControlException when Asterisk cannot be asked (no AMI, not connected) or refuses
     */
    public Optional<ParticipantRecord> change(String conferenceSid, String callSid, ParticipantChange change)
            throws BridgeControlException {
        Optional<LiveParticipant> found = find(conferenceSid, callSid);
        if (found.isEmpty()) return Optional.empty();
        LiveParticipant p = found.get();
        requireControl();
        Instant now = Instant.now();
        ConferenceEvents events = p.conference.room.events;
        if (change.muted() != null) {
            boolean muted = change.muted();
            boolean was = p.muted();
            log.info("{} REST: {} in conference {}", callSid, muted ? "muted" : "unmuted", conferenceSid);
            if (p.mute(muted, now) == Place.CONFERENCE) mute(p, muted);
            if (events != null && was != muted) events.changed("mute", p, muted);
        }
        if (change.hold() != null) {
            boolean hold = change.hold();
            boolean was = p.snapshot().hold();
            log.info("{} REST: {} in conference {}{}", callSid, hold ? "on hold" : "off hold", conferenceSid,
                    hold && change.holdUrl() != null ? " (hold audio " + change.holdUrl() + ")" : "");
            Place from = p.hold(hold, change.holdUrl(), change.holdMethod(), now);
            if (from != Place.OUT) kick(p, from);
            if (events != null && was != hold) events.changed("hold", p, hold);
        }
        return Optional.of(p.snapshot());
    }

    /**
     * Takes a participant out of the conference: its {@code <Dial>} ends and its TwiML goes on. False when it is not
     * in that conference.
     */
    public boolean remove(String conferenceSid, String callSid) throws BridgeControlException {
        Optional<LiveParticipant> found = find(conferenceSid, callSid);
        if (found.isEmpty()) return false;
        requireControl();
        log.info("{} REST: removed from conference {}", callSid, conferenceSid);
        takeOut(found.get(), "participant_updated_via_api");
        return true;
    }

    /**
     * Takes call {@code callSid} out of whatever conference it is in here (its TwiML goes on); false when it is in
     * none. For a change to the call itself (e.g. a live update of its TwiML).
     */
    public boolean removeCall(String callSid) throws BridgeControlException {
        LiveParticipant p = calls.get(callSid);
        if (p == null) return false;
        requireControl();
        takeOut(p, "participant_updated_via_api");
        return true;
    }

    /** Ends a conference in progress: every participant leaves it and goes on with its TwiML. */
    public boolean end(String conferenceSid) throws BridgeControlException {
        LiveConference c = live.get(conferenceSid);
        if (c == null) return false;
        requireControl();
        if (c.ending(VIA_API, null)) log.info("{} REST: ending conference \"{}\"", c.sid, c.record().friendlyName());
        rooms.detach(c.room); // the name now starts a new conference
        for (LiveParticipant p : c.participants()) takeOut(p, "conference_ended_via_api");
        return true;
    }

    /** True while the conference is in progress here. */
    public boolean isLive(String conferenceSid) {
        return live.containsKey(conferenceSid);
    }

    /** Waits (up to {@code max}) until the conference is over: its participants have left after {@link #end}. */
    public boolean awaitClosed(String conferenceSid, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (isLive(conferenceSid)) {
            if (System.nanoTime() - deadline > 0) return false;
            pause();
        }
        return true;
    }

    // ------------------------------------------------------------------------------ Asterisk

    private Optional<LiveParticipant> find(String conferenceSid, String callSid) {
        LiveConference c = live.get(conferenceSid);
        return c == null ? Optional.empty() : Optional.ofNullable(c.participant(callSid));
    }

    private void takeOut(LiveParticipant p, String reason) throws BridgeControlException {
        Place from = p.remove(reason);
        if (from != Place.OUT) kick(p, from);
    }

    private void requireControl() throws BridgeControlException {
        if (control == null) {
            throw new BridgeControlException(BridgeControlException.Reason.NOT_CONFIGURED, "changing a conference "
                    + "participant needs the Asterisk Manager Interface (ami_username / ami_secret)");
        }
        if (!control.available()) {
            throw new BridgeControlException(BridgeControlException.Reason.UNAVAILABLE,
                    "Asterisk's Manager Interface is not reachable");
        }
    }

    /** Kicks {@code p} out of the ConfBridge of {@code from}, again while it is still on its way into it. */
    private void kick(LiveParticipant p, Place from) throws BridgeControlException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            try {
                control.kick(p.room(from), p.channel);
                return;
            } catch (BridgeControlException e) {
                if (e.reason() != BridgeControlException.Reason.REFUSED) throw e;
                // not in that ConfBridge: still joining it (try again), or it left meanwhile (it takes the new
                // wishes when it joins again)
                if (!p.awaitsKick(from)) return;
                if (System.nanoTime() - deadline > 0) throw e;
                pause();
            }
        }
    }

    /** Tells ConfBridge the participant's muted state, again while it is still joining. */
    private void mute(LiveParticipant p, boolean muted) throws BridgeControlException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            try {
                control.mute(p.room(Place.CONFERENCE), p.channel, muted);
                return;
            } catch (BridgeControlException e) {
                if (e.reason() != BridgeControlException.Reason.REFUSED) throw e;
                // not in the bridge (yet): a call that left takes the setting when it joins again
                if (!p.isAt(Place.CONFERENCE) || p.muted() != muted) return;
                if (System.nanoTime() - deadline > 0) throw e;
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void save(ConferenceRecord r) {
        try {
            store.accept(r);
        } catch (RuntimeException e) { // a record lost is not a conference lost
            log.error("{} conference record not saved: {}", r.sid(), e.toString());
        }
    }
}
