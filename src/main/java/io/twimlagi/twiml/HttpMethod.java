package io.twimlagi.twiml;

import java.util.Locale;
import java.util.Optional;

/** The two methods TwiML's {@code method} attributes and the config's {@code *_method} keys accept. */
public enum HttpMethod {
    GET, POST;

    /** Parses {@code GET}/{@code POST}, case-insensitively as Twilio does; empty when the text is anything else. */
    public static Optional<HttpMethod> parse(String text) {
        if (text == null) return Optional.empty();
        return switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "GET" -> Optional.of(GET);
            case "POST" -> Optional.of(POST);
            default -> Optional.empty();
        };
    }
}
