package io.twimlagi.dial;

import io.twimlagi.records.ConferenceRecord;
import io.twimlagi.records.ConferenceStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A conference in progress here: its record (as the REST API lists it), its participants in the order they joined,
 * and, once something decided it ends, why (Twilio's {@code ReasonConferenceEnded}, first reason wins).
 */
final class LiveConference {
    final String sid;
    final String accountSid;
    final ConferenceRooms.Room room;
    private ConferenceRecord record;
    private final Map<String, LiveParticipant> participants = new LinkedHashMap<>();
    private String endReason;
    private String endingCallSid;

    LiveConference(ConferenceRooms.Room room, ConferenceRecord record) {
        this.sid = record.sid();
        this.accountSid = record.accountSid();
        this.room = room;
        this.record = record;
    }

    synchronized ConferenceRecord record() {
        return record;
    }

    /** Moves to {@code status}; returns the new record, or null when it was there already (nothing to save). */
    synchronized ConferenceRecord status(ConferenceStatus status, Instant now) {
        if (record.status() == status) return null;
        record = record.withStatus(status, now);
        return record;
    }

    /** Completed, for the reason recorded (or {@code otherwise}); returns the final record. */
    synchronized ConferenceRecord complete(Instant now, String otherwise) {
        record = record.ended(now, endReason != null ? endReason : otherwise, endReason != null ? endingCallSid : null);
        return record;
    }

    /** Records why it ends, unless a reason was recorded already; true when this one counts. */
    synchronized boolean ending(String reason, String callSid) {
        if (endReason != null) return false;
        endReason = reason;
        endingCallSid = callSid;
        return true;
    }

    synchronized boolean isEnding() {
        return endReason != null;
    }

    synchronized String endReason() {
        return endReason;
    }

    synchronized String endingCallSid() {
        return endingCallSid;
    }

    synchronized void add(LiveParticipant p) {
        participants.put(p.callSid, p);
    }

    synchronized void remove(LiveParticipant p) {
        participants.remove(p.callSid, p);
    }

    /** A participant by CallSid, or else by its label (Twilio's resource takes either). */
    synchronized LiveParticipant participant(String callSidOrLabel) {
        LiveParticipant p = participants.get(callSidOrLabel);
        if (p != null) return p;
        for (LiveParticipant q : participants.values()) {
            if (callSidOrLabel.equals(q.label)) return q;
        }
        return null;
    }

    synchronized List<LiveParticipant> participants() {
        return new ArrayList<>(participants.values());
    }
}
