package io.twimlagi.util;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The text of Asterisk's res_config_curl exchanges: the request is a form ({@code id=...&...}), the reply one line
 * of URL-encoded {@code key=value} pairs, which Asterisk decodes with {@code %XX} only.
 */
public final class RealtimeForm {
    private RealtimeForm() {
    }

    /** The first value of {@code name} in a URL-encoded form; null when absent. */
    public static String value(String form, String name) {
        if (form == null) return null;
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** URL-encodes for Asterisk: a space is {@code %20}, since res_config_curl does not turn "+" into a space. */
    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
