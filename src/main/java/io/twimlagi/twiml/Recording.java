package io.twimlagi.twiml;

import java.util.Map;
import java.util.Set;

/** {@code <Recording>} (Start/Stop). Absent values null; method POST; events empty = Twilio default. */
public record Recording(String recordingStatusCallback, HttpMethod recordingStatusCallbackMethod,
                        Set<String> recordingStatusCallbackEvent, String trim, String track, String channels,
                        Map<String, String> attributes, int line) implements MediaNoun {
    public Recording {
        recordingStatusCallbackEvent = Imm.set(recordingStatusCallbackEvent);
        attributes = Imm.map(attributes);
    }
}
