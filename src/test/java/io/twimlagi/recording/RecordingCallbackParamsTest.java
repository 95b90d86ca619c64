package io.twimlagi.recording;

import io.twimlagi.twilio.TwilioTime;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecordingCallbackParamsTest {
    static final String AC = "AC" + "a".repeat(32);
    static final String CA = "CA" + "b".repeat(32);
    static final String RE = "RE" + "c".repeat(32);

    @Test
    void completedHasTwiliosParametersInOrder() {
        Map<String, String> p = RecordingCallbackParams.completed(AC, CA, RE, "http://h/Recordings/" + RE, 7,
                Instant.parse("2010-08-20T01:13:42Z"));
        assertEquals(List.of("AccountSid", "CallSid", "RecordingSid", "RecordingUrl", "RecordingStatus",
                "RecordingDuration", "RecordingChannels", "RecordingSource", "RecordingStartTime"),
                List.copyOf(p.keySet()));
        assertEquals(AC, p.get("AccountSid"));
        assertEquals(CA, p.get("CallSid"));
        assertEquals(RE, p.get("RecordingSid"));
        assertEquals("http://h/Recordings/" + RE, p.get("RecordingUrl"));
        assertEquals("completed", p.get("RecordingStatus"));
        assertEquals("7", p.get("RecordingDuration"));
        assertEquals("1", p.get("RecordingChannels"));
        assertEquals("RecordVerb", p.get("RecordingSource"));
        assertEquals("Fri, 20 Aug 2010 01:13:42 +0000", p.get("RecordingStartTime"));
    }

    @Test
    void startTimeIsWrittenInUtcWhateverTheZone() {
        ZonedDateTime paris = ZonedDateTime.of(2024, 3, 5, 9, 4, 5, 0, ZoneId.of("Europe/Paris"));
        assertEquals("Tue, 05 Mar 2024 08:04:05 +0000", TwilioTime.rfc2822(paris));
        assertEquals("Tue, 05 Mar 2024 08:04:05 +0000", TwilioTime.rfc2822(paris.toOffsetDateTime()));
        Map<String, String> p = RecordingCallbackParams.of("absent", AC, CA, RE, "u", 0, paris);
        assertEquals("absent", p.get("RecordingStatus"));
        assertEquals("0", p.get("RecordingDuration"));
    }
}
