package io.twimlagi.engine;

import java.util.Map;

/**
 * A Dial leg that just answered, as Asterisk reports it before the bridge: the Dial's {@code token}, the leg's
 * index among the Dial's legs (-1 when unknown), its SIP Call-ID (empty when not SIP) and the X- headers of its
 * 200 OK.
 */
public record AnsweredLeg(String token, int index, String sipCallId, Map<String, String> okHeaders) {
    public AnsweredLeg {
        okHeaders = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(okHeaders));
    }
}
