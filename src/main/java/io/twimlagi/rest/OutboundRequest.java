package io.twimlagi.rest;

import io.twimlagi.engine.CallRecordingRequest;
import io.twimlagi.twiml.Document;
import io.twimlagi.twiml.HttpMethod;

import java.util.Set;

/**
 * A REST-created call (Calls.json POST), validated: whom to ring and what to run when they answer.
 *
 * @param to                   a {@code sip:} URI (with optional URI headers), a number, or {@code client:name}
 * @param from                 the From (caller id) of the INVITE
 * @param url                  the TwiML's URL (null when {@code twiml} is given)
 * @param twiml                inline TwiML, parsed (null when {@code url} is given)
 * @param statusCallback       null = none; {@code statusCallbackEvents} default {@code completed}
 * @param timeoutSeconds       how long it rings (Twilio: default 60, at most 600)
 * @param sendDigits           DTMF sent once the callee answers, before the TwiML (null = none)
 * @param sipAuthUsername      digest credentials for a SIP callee that challenges (both or neither)
 * @param timeLimitSeconds     longest call once answered (Twilio: default and at most 4 hours)
 * @param recording            {@code Record=true}: the whole call is recorded from the answer (null: not)
 */
public record OutboundRequest(String to, String from, String url, HttpMethod method, Document twiml,
                              String fallbackUrl, HttpMethod fallbackMethod, String statusCallback,
                              HttpMethod statusCallbackMethod, Set<String> statusCallbackEvents, int timeoutSeconds,
                              String sendDigits, String sipAuthUsername, String sipAuthPassword,
                              int timeLimitSeconds, CallRecordingRequest recording) {
    public OutboundRequest {
        statusCallbackEvents = Set.copyOf(statusCallbackEvents);
    }
}
