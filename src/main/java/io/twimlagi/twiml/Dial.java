package io.twimlagi.twiml;

import java.util.List;
import java.util.Set;

/**
 * {@code <Dial>}. A plain-text body becomes a single {@link Number} noun.
 * Defaults: action null (= fall through to the next verb), method POST, timeout 30, timeLimit 14400,
 * hangupOnStar false, record "do-not-record" (normalised: "true" = record-from-answer, "false" = do-not-record),
 * answerOnBridge false, ringTone null (carrier ringback), trim "do-not-trim", recordingStatusCallbackMethod POST,
 * recordingStatusCallbackEvent {completed}, recordingTrack "both", referMethod POST, sequential false.
 * Other absent values are null.
 */
public record Dial(String action, HttpMethod method, int timeout, String callerId, int timeLimit, boolean hangupOnStar,
                   String record, boolean answerOnBridge, String ringTone, String trim,
                   String recordingStatusCallback, HttpMethod recordingStatusCallbackMethod,
                   Set<String> recordingStatusCallbackEvent, String recordingTrack, String recordingConfigurationId,
                   String referUrl, HttpMethod referMethod, boolean sequential, String callReason, String events,
                   String passports, List<DialNoun> nouns, int line) implements Verb {
    public Dial {
        recordingStatusCallbackEvent = Imm.set(recordingStatusCallbackEvent);
        nouns = List.copyOf(nouns);
    }

    @Override public String name() { return "Dial"; }
}
