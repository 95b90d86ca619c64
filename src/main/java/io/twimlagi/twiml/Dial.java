package io.twimlagi.twiml;

import java.util.List;
import java.util.Set;

/**
 * {@code <Dial>}. A plain-text body becomes a single {@link Number} noun.
 * Defaults: action null (= fall through to the next verb), method POST, timeout 30, timeLimit 14400,
 * hangupOnStar false, record {@link RecordMode#DO_NOT_RECORD} ("true" = record-from-answer, "false" =
 * do-not-record), answerOnBridge false, ringTone null (carrier ringback), trim {@link Trim#DO_NOT_TRIM},
 * recordingStatusCallbackMethod POST, recordingStatusCallbackEvent {completed}, recordingTrack "both", referMethod
 * POST, sequential false. Other absent values are null.
 */
public record Dial(String action, HttpMethod method, int timeout, String callerId, int timeLimit, boolean hangupOnStar,
                   RecordMode record, boolean answerOnBridge, RingTone ringTone, Trim trim,
                   String recordingStatusCallback, HttpMethod recordingStatusCallbackMethod,
                   Set<String> recordingStatusCallbackEvent, String recordingTrack, String recordingConfigurationId,
                   String referUrl, HttpMethod referMethod, boolean sequential, String callReason, String events,
                   String passports, List<DialNoun> nouns, int line) implements Verb {

    /** Dial's {@code record}: whether the bridged call is recorded, from when, in one or two channels. */
    public enum RecordMode implements TwimlValue {
        DO_NOT_RECORD("do-not-record"),
        RECORD_FROM_ANSWER("record-from-answer"),
        RECORD_FROM_RINGING("record-from-ringing"),
        RECORD_FROM_ANSWER_DUAL("record-from-answer-dual"),
        RECORD_FROM_RINGING_DUAL("record-from-ringing-dual");

        private final String value;

        RecordMode(String value) {
            this.value = value;
        }

        /** True for every mode but {@link #DO_NOT_RECORD}. */
        public boolean records() { return this != DO_NOT_RECORD; }

        /** Recording starts when the legs ring, not when one answers. */
        public boolean fromRinging() { return this == RECORD_FROM_RINGING || this == RECORD_FROM_RINGING_DUAL; }

        /** Two channels (caller, callee) instead of one mixed. */
        public boolean dual() { return this == RECORD_FROM_ANSWER_DUAL || this == RECORD_FROM_RINGING_DUAL; }

        @Override public String value() { return value; }

        @Override public String toString() { return value; }
    }

    public Dial {
        recordingStatusCallbackEvent = Imm.set(recordingStatusCallbackEvent);
        nouns = List.copyOf(nouns);
    }

    @Override public String name() { return "Dial"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitDial(this); }
}
