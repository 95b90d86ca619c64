package io.twimlagi.stream;

import io.twimlagi.twiml.HttpMethod;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stream as the TwiML asked for it, checked: its {@code MZ} sid, its name (the sid when the TwiML gave none),
 * the WebSocket URL to open (ws/wss, no query string), its tracks, the {@code <Parameter>}s, and where its status
 * callbacks go (absolute, or null).
 */
record StreamSpec(String sid, String name, String url, Tracks tracks, Map<String, String> parameters,
                  String statusCallback, HttpMethod statusCallbackMethod) {
    StreamSpec {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
}
