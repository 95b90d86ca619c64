package io.twimlagi.twiml;

import java.util.Set;

/**
 * {@code <Number>} in Dial. Absent optional values are null; {@code statusCallbackEvent} empty = Twilio default
 * ({@code completed} when statusCallback is set).
 */
public record Number(String number, String sendDigits, String url, HttpMethod method, String statusCallback,
                     HttpMethod statusCallbackMethod, Set<String> statusCallbackEvent, String byoc,
                     MachineDetection machineDetection, int line) implements DialNoun {
    public Number {
        statusCallbackEvent = Imm.set(statusCallbackEvent);
    }
}
