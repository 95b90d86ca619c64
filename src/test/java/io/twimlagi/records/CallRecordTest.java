package io.twimlagi.records;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.twimlagi.records.Fixtures.ACCOUNT;
import static io.twimlagi.records.Fixtures.callSid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallRecordTest {
    static final Instant T = Instant.parse("2024-06-01T10:00:00.123456789Z");

    @Test
    void timesAreKeptToTheMillisecond() {
        CallRecord c = CallRecord.of(callSid(1), ACCOUNT, null, CallDirection.INBOUND, "a", "b", CallStatus.RINGING, T)
                .withStartTime(T);
        assertEquals(Instant.parse("2024-06-01T10:00:00.123Z"), c.dateCreated());
        assertEquals(c.dateCreated(), c.startTime());
        assertEquals(c, c.withStartTime(c.startTime()), "what is saved is what is read back");
    }

    @Test
    void endedSetsTheFinalFields() {
        CallRecord c = CallRecord.of(callSid(1), ACCOUNT, callSid(2), CallDirection.OUTBOUND_DIAL, "a", "b",
                CallStatus.IN_PROGRESS, T).withStartTime(T);
        CallRecord e = c.ended(CallStatus.COMPLETED, T.plusSeconds(42), 41, 200);
        assertEquals(CallStatus.COMPLETED, e.status());
        assertEquals(c.dateCreated().plusSeconds(42), e.endTime());
        assertEquals(e.endTime(), e.dateUpdated());
        assertEquals(41, e.duration());
        assertEquals(200, e.sipResponseCode());
        assertEquals(c.dateCreated(), e.dateCreated());
        assertTrue(e.status().isFinal());
        assertNull(c.endTime());
    }

    @Test
    void badFieldsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CallRecord.of("CA123", ACCOUNT, null,
                CallDirection.INBOUND, "a", "b", CallStatus.RINGING, T));
        assertThrows(IllegalArgumentException.class, () -> CallRecord.of(callSid(1), "AC1", null,
                CallDirection.INBOUND, "a", "b", CallStatus.RINGING, T));
        assertThrows(IllegalArgumentException.class, () -> CallRecord.of(callSid(1), ACCOUNT, "RE" + "0".repeat(32),
                CallDirection.INBOUND, "a", "b", CallStatus.RINGING, T));
        CallRecord c = CallRecord.of(callSid(1), ACCOUNT, null, CallDirection.INBOUND, "a", "b", CallStatus.RINGING, T);
        assertThrows(IllegalArgumentException.class, () -> c.withDuration(-1));
        assertThrows(IllegalArgumentException.class, () -> c.withSipResponseCode(99));
        assertThrows(NullPointerException.class, () -> c.withStatus(null));
        assertThrows(IllegalArgumentException.class, () -> new RecordingRecord("RE" + "0".repeat(32), ACCOUNT, null,
                null, T, T, T, 1, 3, RecordingSource.DIAL_VERB, RecordingStatus.COMPLETED, null), "channels 1 or 2");
    }

    @Test
    void twilioNamesRoundTrip() {
        for (CallStatus s : CallStatus.values()) assertEquals(s, CallStatus.fromTwilio(s.twilioName()).orElseThrow());
        for (CallDirection d : CallDirection.values()) {
            assertEquals(d, CallDirection.fromTwilio(d.twilioName()).orElseThrow());
        }
        for (RecordingSource s : RecordingSource.values()) {
            assertEquals(s, RecordingSource.fromTwilio(s.twilioName()).orElseThrow());
        }
        for (RecordingStatus s : RecordingStatus.values()) {
            assertEquals(s, RecordingStatus.fromTwilio(s.twilioName()).orElseThrow());
        }
        assertEquals("outbound-dial", CallDirection.OUTBOUND_DIAL.twilioName());
        assertEquals("StartCallRecordingAPI", RecordingSource.START_CALL_RECORDING_API.twilioName());
    }
}
