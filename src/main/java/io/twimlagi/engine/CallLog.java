package io.twimlagi.engine;

import java.time.Instant;

/**
 * Where calls' records go as they start, ring, answer and end (the REST API's Calls resource reads them):
 * inbound calls, REST-created calls and Dial legs alike. Statuses are Twilio's words ({@code queued},
 * {@code ringing}, {@code in-progress}, {@code completed}, {@code busy}, {@code no-answer}, {@code failed},
 * {@code canceled}). Calls return at once; the log writes in the background.
 */
public interface CallLog {
    /** Keeps nothing (no REST API, tests). */
    CallLog NONE = new CallLog() {
        @Override public void started(CallIdentity call, String status) { }
        @Override public void dialing(String callSid) { }
        @Override public void answered(String callSid) { }
        @Override public void ended(String callSid, String status, int durationSeconds, int sipResponseCode) { }
        @Override public void recorded(String recordingSid, String callSid, String conferenceSid, Instant started,
                                       int seconds, int channels, String source) { }
    };

    /** A call appears, {@code status} {@code queued} or {@code ringing}. */
    void started(CallIdentity call, String status);

    /** Its INVITE went out (a REST call or a Dial leg): {@code ringing}, start time now. */
    void dialing(String callSid);

    /** It was answered: {@code in-progress}. */
    void answered(String callSid);

    /** It is over; {@code sipResponseCode} 0 when unknown. */
    void ended(String callSid, String status, int durationSeconds, int sipResponseCode);

    /**
     * A recording is finished (the REST API lists recordings too): a call's ({@code conferenceSid} null) or a
     * conference's ({@code callSid} null); {@code source} as Twilio names it ({@code RecordVerb}, {@code DialVerb},
     * {@code Conference}).
     */
    void recorded(String recordingSid, String callSid, String conferenceSid, Instant started, int seconds,
                  int channels, String source);
}
