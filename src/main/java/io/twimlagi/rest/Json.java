package io.twimlagi.rest;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.twimlagi.http.Exchange;
import io.twimlagi.twilio.TwilioTime;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON as Twilio's API writes it: snake_case fields in resource order, nulls written out, RFC 2822 dates. */
final class Json {
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private Json() {
    }

    /** An ordered object to fill. */
    static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    /** {@code Fri, 20 Aug 2010 01:13:42 +0000}, or null. */
    static String date(Instant t) {
        return t == null ? null : TwilioTime.rfc2822(t);
    }

    /** A number Twilio writes as a string ({@code "duration": "15"}), or null. */
    static String string(Integer n) {
        return n == null ? null : Integer.toString(n);
    }

    static void send(Exchange x, int status, Object body) {
        x.send(status, "application/json; charset=utf-8", GSON.toJson(body));
    }

    /** Twilio's error body. */
    static void sendError(Exchange x, ApiError e) {
        Map<String, Object> body = object();
        body.put("code", e.code());
        body.put("message", e.getMessage());
        body.put("more_info", "https://www.twilio.com/docs/errors/" + e.code());
        body.put("status", e.status());
        send(x, e.status(), body);
    }
}
