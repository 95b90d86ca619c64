package io.twimlagi.rest;

import io.twimlagi.records.ConferenceQuery;
import io.twimlagi.records.ConferenceRecord;
import io.twimlagi.records.Page;
import io.twimlagi.records.ParticipantRecord;

import java.util.List;
import java.util.Optional;

/**
 * What the Conferences resources need from the server: conference records (also of ended conferences), the
 * participants of those in progress, and changes to them. Changes throw {@link ApiError} 503 when Asterisk cannot be
 * asked (no Manager Interface, or not connected).
 */
public interface ConferencesBackend {
    Page<ConferenceRecord> list(ConferenceQuery query, int page, int pageSize);

    Optional<ConferenceRecord> fetch(String conferenceSid);

    /** Ends a conference in progress (every participant leaves); its record afterwards, empty when there is none. */
    Optional<ConferenceRecord> end(String conferenceSid);

    /** The participants now (none once it ended), in the order they joined; empty when there is no such conference. */
    Optional<List<ParticipantRecord>> participants(String conferenceSid);

    /** A participant by CallSid or label; empty when it is not in that conference (now). */
    Optional<ParticipantRecord> participant(String conferenceSid, String callSidOrLabel);

    /** Mutes / holds a participant now; its record afterwards, empty when it is not in that conference. */
    Optional<ParticipantRecord> update(String conferenceSid, String callSidOrLabel, ParticipantUpdate update);

    /** Takes a participant out of the conference (its TwiML goes on); false when it is not in it. */
    boolean remove(String conferenceSid, String callSidOrLabel);
}
