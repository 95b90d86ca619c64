package io.twimlagi.twiml;

import java.util.Set;

/**
 * {@code <Record>}. Defaults: action null (= current document), method POST, timeout 5 (0 disables), maxLength 3600,
 * finishOnKey "1234567890*#" ("" disables), playBeep true, trim {@link Trim#TRIM_SILENCE},
 * recordingStatusCallbackMethod POST, recordingStatusCallbackEvent {completed}, transcribe false. Absent optional
 * values are null.
 */
public record Record(String action, HttpMethod method, int timeout, int maxLength, String finishOnKey,
                     boolean playBeep, Trim trim, String recordingStatusCallback,
                     HttpMethod recordingStatusCallbackMethod, Set<String> recordingStatusCallbackEvent,
                     boolean transcribe, String transcribeCallback, String recordingConfigurationId, int line)
        implements Verb {
    public Record {
        recordingStatusCallbackEvent = Imm.set(recordingStatusCallbackEvent);
    }

    @Override public String name() { return "Record"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitRecord(this); }
}
