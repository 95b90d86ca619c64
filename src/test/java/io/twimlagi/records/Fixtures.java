package io.twimlagi.records;

import java.time.Instant;

/** Records for the store's tests: SIDs from numbers (so their order is known), fixed times. */
final class Fixtures {
    static final String ACCOUNT = "AC" + "a".repeat(32);

    private Fixtures() {
    }

    static String callSid(long n) {
        return "CA" + String.format("%032x", n);
    }

    static String recordingSid(long n) {
        return "RE" + String.format("%032x", n);
    }

    static String conferenceSid(long n) {
        return "CF" + String.format("%032x", n);
    }

    /** A call created at {@code created}, started then, in progress. */
    static CallRecord call(long n, Instant created) {
        return CallRecord.of(callSid(n), ACCOUNT, null, CallDirection.INBOUND, "+1555" + (n % 7),
                        "sip:user" + (n % 5) + "@pbx.example.com", CallStatus.IN_PROGRESS, created)
                .withStartTime(created).withSipDetails(n + "@client.example.com", "pbx.example.com", null, null);
    }

    static RecordingRecord recording(long n, String callSid, String conferenceSid, Instant created) {
        return new RecordingRecord(recordingSid(n), ACCOUNT, callSid, conferenceSid, created, created, created, 7, 1,
                conferenceSid == null ? RecordingSource.RECORD_VERB : RecordingSource.CONFERENCE,
                RecordingStatus.COMPLETED, null);
    }
}
