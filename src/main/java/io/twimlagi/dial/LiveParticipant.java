package io.twimlagi.dial;

import io.twimlagi.records.ParticipantRecord;
import io.twimlagi.twiml.HttpMethod;

import java.time.Instant;
import java.util.Objects;

/**
 * One of our calls in a conference, as the REST API sees and changes it. The call's own thread asks {@link #enter}
 * where to go each time it (re)joins, and reports {@link #out} when its ConfBridge returns; REST threads change
 * the wishes (muted, hold, removed) and learn where the call is now, to act on that ConfBridge. One lock, never held
 * while Asterisk is asked.
 */
final class LiveParticipant {
    /** Where the call is: in no ConfBridge (between two, or not yet), the conference's, or its own hold room. */
    enum Place { OUT, CONFERENCE, HOLD }

    /** Where the call goes next and with what: {@code place} OUT means it leaves the conference. */
    record Placement(Place place, boolean muted, String holdUrl, HttpMethod holdMethod) {
    }

    final LiveConference conference;
    final String callSid;
    /** Asterisk's channel name. */
    final String channel;
    final String label;
    final boolean startConferenceOnEnter;
    final boolean endConferenceOnExit;
    final Instant dateCreated;

    private boolean muted;
    private boolean hold;
    private String holdUrl;
    private HttpMethod holdMethod = HttpMethod.GET;
    /** Why it was removed from outside (Twilio's ReasonParticipantLeft), null while it stays. */
    private String removedFor;
    /** A change from outside kicked it out of its ConfBridge: that KICKED result is ours, not the conference's end. */
    private boolean kickAsked;
    private Place place = Place.OUT;
    private Instant dateUpdated;

    LiveParticipant(LiveConference conference, String callSid, String channel, String label, boolean muted,
                    boolean startConferenceOnEnter, boolean endConferenceOnExit, Instant now) {
        this.conference = conference;
        this.callSid = callSid;
        this.channel = channel;
        this.label = label;
        this.muted = muted;
        this.startConferenceOnEnter = startConferenceOnEnter;
        this.endConferenceOnExit = endConferenceOnExit;
        this.dateCreated = now;
        this.dateUpdated = now;
    }

    /** The ConfBridge a held call waits in, alone with its hold audio. */
    String holdRoom() {
        return "hold-" + callSid;
    }

    /** The room of a place (CONFERENCE or HOLD). */
    String room(Place p) {
        return p == Place.HOLD ? holdRoom() : conference.room.bridgeName;
    }

    // ------------------------------------------------------------------------------------ the call's thread

    /** Where the call goes now (and its settings there); it is there from now on until {@link #out}. */
    synchronized Placement enter() {
        kickAsked = false;
        place = removedFor != null ? Place.OUT : hold ? Place.HOLD : Place.CONFERENCE;
        return new Placement(place, muted, holdUrl, holdMethod);
    }

    /** Its ConfBridge returned; true when a change from outside kicked it (it then goes where it now belongs). */
    synchronized boolean out() {
        place = Place.OUT;
        boolean ours = kickAsked;
        kickAsked = false;
        return ours;
    }

    synchronized String removedFor() {
        return removedFor;
    }

    synchronized boolean muted() {
        return muted;
    }

    // ------------------------------------------------------------------------------------ REST threads

    /** Sets muted; returns where the call is (CONFERENCE: Asterisk must be told). */
    synchronized Place mute(boolean value, Instant now) {
        if (muted != value) {
            muted = value;
            dateUpdated = now;
        }
        return place;
    }

    /**
     * Puts on hold (with {@code url}, null = the default music, "" = silence) or takes off hold; returns the place to
     * kick the call out of (it then goes where it now belongs), or OUT when nothing has to move now.
     */
    synchronized Place hold(boolean value, String url, HttpMethod method, Instant now) {
        boolean newMusic = value && hold && !Objects.equals(url, holdUrl);
        if (value == hold && !newMusic) return Place.OUT;
        hold = value;
        if (value) {
            holdUrl = url;
            holdMethod = method == null ? HttpMethod.GET : method;
        }
        dateUpdated = now;
        boolean move = value ? place == Place.CONFERENCE || (place == Place.HOLD && newMusic) : place == Place.HOLD;
        if (!move) return Place.OUT;
        kickAsked = true;
        return place;
    }

    /** Removes it from the conference; returns the place to kick it out of (OUT: it is between places). */
    synchronized Place remove(String reason) {
        if (removedFor == null) removedFor = reason;
        if (place == Place.OUT) return Place.OUT;
        kickAsked = true;
        return place;
    }

    /** True while the call is still at {@code p} with a kick pending (a kick that failed is worth trying again). */
    synchronized boolean awaitsKick(Place p) {
        return place == p && kickAsked;
    }

    synchronized boolean isAt(Place p) {
        return place == p;
    }

    synchronized ParticipantRecord snapshot() {
        return new ParticipantRecord(conference.accountSid, callSid, conference.sid, label, muted, hold, false,
                endConferenceOnExit, startConferenceOnEnter, ParticipantRecord.CONNECTED, dateCreated, dateUpdated);
    }
}
