package io.twimlagi.twiml;

import java.util.Set;

/**
 * {@code <Conference>} in Dial. Defaults: muted false, beep "true", startConferenceOnEnter true,
 * endConferenceOnExit false, waitUrl null (= Twilio's default playlist; "" = silence), waitMethod POST,
 * maxParticipants 250, record "do-not-record", trim "trim-silence", jitterBufferSize "large",
 * recordingStatusCallbackEvent {completed}. Other absent values are null / empty.
 */
public record Conference(String name, boolean muted, String beep, boolean startConferenceOnEnter,
                         boolean endConferenceOnExit, String waitUrl, HttpMethod waitMethod, int maxParticipants,
                         String record, String region, String trim, String coach, String participantLabel,
                         String jitterBufferSize, String statusCallback, HttpMethod statusCallbackMethod,
                         Set<String> statusCallbackEvent, String recordingStatusCallback,
                         HttpMethod recordingStatusCallbackMethod, Set<String> recordingStatusCallbackEvent,
                         String eventCallbackUrl, int line) implements DialNoun {
    public Conference {
        statusCallbackEvent = Imm.set(statusCallbackEvent);
        recordingStatusCallbackEvent = Imm.set(recordingStatusCallbackEvent);
    }
}
