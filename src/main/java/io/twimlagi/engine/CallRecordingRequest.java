package io.twimlagi.engine;

import io.twimlagi.twiml.HttpMethod;

import java.util.Set;

/**
 * A whole call recorded from its answer to its end (the REST API's {@code Record=true}).
 *
 * @param dual           two channels (Twilio's {@code RecordingChannels=dual}) instead of one mixed
 * @param trim           leading and trailing silence removed ({@code Trim=trim-silence}, Twilio's default)
 * @param callbackUrl    {@code RecordingStatusCallback}, or null
 * @param callbackEvents when it is sent; {@code completed} only
 */
public record CallRecordingRequest(boolean dual, boolean trim, String callbackUrl, HttpMethod callbackMethod,
                                   Set<String> callbackEvents) {
    public CallRecordingRequest {
        callbackEvents = Set.copyOf(callbackEvents);
    }
}
