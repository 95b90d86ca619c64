package io.twimlagi.rest;

import io.twimlagi.engine.CallRecordingRequest;
import io.twimlagi.twiml.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calls.json POST's recording parameters, as Twilio's SDK sends them. */
class CallParamsTest {
    static OutboundRequest create(String... pairs) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("To", List.of("sip:bob@example.com"));
        form.put("From", List.of("+15550001111"));
        form.put("Url", List.of("https://app.example.com/voice"));
        for (int i = 0; i < pairs.length; i += 2) {
            form.computeIfAbsent(pairs[i], k -> new ArrayList<>()).add(pairs[i + 1]);
        }
        return new CallParams(form).create();
    }

    static String refused(String... pairs) {
        ApiError e = assertThrows(ApiError.class, () -> create(pairs));
        assertEquals(400, e.status());
        return e.getMessage();
    }

    @Test
    void withoutRecordNothingIsRecorded() {
        assertNull(create().recording());
        assertNull(create("Record", "false").recording());
    }

    @Test
    void recordTakesTwiliosDefaultsMonoAndTrimmed() {
        assertEquals(new CallRecordingRequest(false, true, null, HttpMethod.POST, Set.of("completed")),
                create("Record", "true").recording());
    }

    @Test
    void everyRecordingParameterIsRead() {
        assertEquals(new CallRecordingRequest(true, false, "https://app.example.com/rec", HttpMethod.GET,
                        Set.of("completed")),
                create("Record", "true", "RecordingChannels", "dual", "Trim", "do-not-trim",
                        "RecordingStatusCallback", "https://app.example.com/rec",
                        "RecordingStatusCallbackMethod", "GET", "RecordingStatusCallbackEvent", "completed",
                        "RecordingTrack", "both").recording());
    }

    @Test
    void whatThisServerCannotDoIsRefusedNotIgnored() {
        assertTrue(refused("Record", "yes").contains("Record must be true or false"));
        assertTrue(refused("RecordingChannels", "dual").contains("needs Record=true"));
        assertTrue(refused("Record", "true", "RecordingChannels", "stereo").contains("mono or dual"));
        assertTrue(refused("Record", "true", "RecordingTrack", "inbound").contains("RecordingTrack must be both"));
        assertTrue(refused("Record", "true", "RecordingStatusCallbackEvent", "in-progress completed")
                .contains("in-progress is not supported"));
        assertTrue(refused("Record", "true", "RecordingStatusCallback", "ftp://x").contains("not a valid URL"));
        assertTrue(refused("RecordingConfigurationId", "JZ123").contains("RecordingConfigurationId"));
    }
}
