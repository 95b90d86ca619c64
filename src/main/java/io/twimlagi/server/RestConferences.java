package io.twimlagi.server;

import io.twimlagi.dial.BridgeControlException;
import io.twimlagi.dial.ConferenceRegistry;
import io.twimlagi.dial.ParticipantChange;
import io.twimlagi.records.ConferenceQuery;
import io.twimlagi.records.ConferenceRecord;
import io.twimlagi.records.Page;
import io.twimlagi.records.ParticipantRecord;
import io.twimlagi.records.RecordStore;
import io.twimlagi.rest.ApiError;
import io.twimlagi.rest.ConferencesBackend;
import io.twimlagi.rest.ParticipantUpdate;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The Conferences resources on this server: conference records from the record store (kept after a conference
 * ended, like calls), participants and changes from the {@link ConferenceRegistry} of the conferences in progress.
 */
final class RestConferences implements ConferencesBackend {
    /** How long an end waits for the participants to leave, so the answer shows the conference completed. */
    static final Duration END_WAIT = Duration.ofSeconds(2);

    private final RecordStore records;
    private final ConferenceRegistry registry;

    RestConferences(RecordStore records, ConferenceRegistry registry) {
        this.records = records;
        this.registry = registry;
    }

    @Override
    public Page<ConferenceRecord> list(ConferenceQuery query, int page, int pageSize) {
        return records.listConferences(query, page, pageSize);
    }

    @Override
    public Optional<ConferenceRecord> fetch(String conferenceSid) {
        return records.fetchConference(conferenceSid);
    }

    @Override
    public Optional<ConferenceRecord> end(String conferenceSid) {
        try {
            if (registry.end(conferenceSid)) registry.awaitClosed(conferenceSid, END_WAIT);
        } catch (BridgeControlException e) {
            throw error(e);
        }
        return fetch(conferenceSid); // an ended one stays as it is
    }

    @Override
    public Optional<List<ParticipantRecord>> participants(String conferenceSid) {
        Optional<List<ParticipantRecord>> now = registry.participants(conferenceSid);
        if (now.isPresent()) return now;
        return fetch(conferenceSid).map(ended -> List.of()); // Twilio lists no participants of a completed one
    }

    @Override
    public Optional<ParticipantRecord> participant(String conferenceSid, String callSidOrLabel) {
        return registry.participant(conferenceSid, callSidOrLabel);
    }

    @Override
    public Optional<ParticipantRecord> update(String conferenceSid, String callSidOrLabel, ParticipantUpdate u) {
        try {
            return registry.change(conferenceSid, callSidOrLabel,
                    new ParticipantChange(u.muted(), u.hold(), u.holdUrl(), u.holdMethod()));
        } catch (BridgeControlException e) {
            throw error(e);
        }
    }

    @Override
    public boolean remove(String conferenceSid, String callSidOrLabel) {
        try {
            return registry.remove(conferenceSid, callSidOrLabel);
        } catch (BridgeControlException e) {
            throw error(e);
        }
    }

    /** As for Calls: 503 when Asterisk cannot be asked (the same codes as a call placed without AMI). */
    private static ApiError error(BridgeControlException e) {
        return switch (e.reason()) {
            case NOT_CONFIGURED, UNAVAILABLE -> new ApiError(503, OutboundCalls.UNAVAILABLE, e.getMessage());
            case REFUSED -> new ApiError(500, 20500, "Asterisk refused the change: " + e.getMessage());
        };
    }
}
