package io.twimlagi.call;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Dial leg that just answered, as Asterisk reports it before the bridge: the Dial's {@code token}, the leg's
 * index among the legs Asterisk created (-1 when unknown) and how many it created ({@code legCount}: fewer than
 * the Dial's legs when a channel could not be created, and then the index says nothing about which noun this
 * is), its SIP Call-ID (empty when not SIP) and the X- headers of its 200 OK.
 */
public record AnsweredLeg(String token, int index, int legCount, String sipCallId, Map<String, String> okHeaders) {
    public AnsweredLeg {
        okHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(okHeaders));
    }
}
