package io.twimlagi.twiml;

import java.util.Set;

/**
 * {@code <Conference>} in Dial. Defaults: muted false, beep {@link Beep#TRUE}, startConferenceOnEnter true,
 * endConferenceOnExit false, waitUrl null (= Twilio's default playlist; "" = silence), waitMethod POST,
 * maxParticipants 250, record {@link RecordMode#DO_NOT_RECORD}, trim {@link Trim#TRIM_SILENCE},
 * jitterBufferSize "large", recordingStatusCallbackEvent {completed}. Other absent values are null / empty.
 */
public record Conference(String name, boolean muted, Beep beep, boolean startConferenceOnEnter,
                         boolean endConferenceOnExit, String waitUrl, HttpMethod waitMethod, int maxParticipants,
                         RecordMode record, String region, Trim trim, String coach, String participantLabel,
                         String jitterBufferSize, String statusCallback, HttpMethod statusCallbackMethod,
                         Set<String> statusCallbackEvent, String recordingStatusCallback,
                         HttpMethod recordingStatusCallbackMethod, Set<String> recordingStatusCallbackEvent,
                         String eventCallbackUrl, int line) implements DialNoun {

    /** {@code beep}: when the others hear a participant join or leave. */
    public enum Beep implements TwimlValue {
        TRUE("true"), FALSE("false"), ON_ENTER("onEnter"), ON_EXIT("onExit");

        private final String value;

        Beep(String value) {
            this.value = value;
        }

        @Override public String value() { return value; }

        @Override public String toString() { return value; }
    }

    /** {@code record}: whether the conference is recorded from its start. */
    public enum RecordMode implements TwimlValue {
        DO_NOT_RECORD("do-not-record"), RECORD_FROM_START("record-from-start");

        private final String value;

        RecordMode(String value) {
            this.value = value;
        }

        @Override public String value() { return value; }

        @Override public String toString() { return value; }
    }

    public Conference {
        statusCallbackEvent = Imm.set(statusCallbackEvent);
        recordingStatusCallbackEvent = Imm.set(recordingStatusCallbackEvent);
    }
}
