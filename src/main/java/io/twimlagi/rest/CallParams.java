package io.twimlagi.rest;

import io.twimlagi.engine.CallRecordingRequest;
import io.twimlagi.engine.Outcome;
import io.twimlagi.twiml.Document;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.TwimlException;
import io.twimlagi.twiml.TwimlParser;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The form parameters of Calls.json POST (create) and Calls/{Sid}.json POST (update), checked as Twilio checks
 * them. Parameters Twilio has and this server does not implement are refused with a clear 400, never accepted
 * silently; parameters Twilio does not have are ignored, as Twilio does.
 */
final class CallParams {
    /** Twilio's limits: ringing seconds (default 60), call seconds (default and cap 4 hours), Twiml characters. */
    static final int DEFAULT_TIMEOUT = 60;
    static final int MAX_TIMEOUT = 600;
    static final int MAX_TIME_LIMIT = 14400;
    static final int MAX_TWIML = 4000;
    static final Set<String> EVENTS = Set.of("initiated", "ringing", "answered", "completed");
    private static final Pattern DIGITS = Pattern.compile("[0-9A-D#*wW]{1,32}");
    /** Create parameters of Twilio's that this server does not implement. */
    static final List<String> UNSUPPORTED = List.of("ApplicationSid", "MachineDetection", "MachineDetectionTimeout",
            "MachineDetectionSpeechThreshold", "MachineDetectionSpeechEndThreshold", "MachineDetectionSilenceTimeout",
            "AsyncAmd", "AsyncAmdStatusCallback", "AsyncAmdStatusCallbackMethod", "RecordingConfigurationId",
            "CallerId", "Byoc", "CallReason", "CallToken", "Passports", "ClientNotificationUrl");
    /** The recording parameters, which need {@code Record=true}. */
    static final List<String> RECORDING = List.of("RecordingChannels", "RecordingStatusCallback",
            "RecordingStatusCallbackMethod", "RecordingStatusCallbackEvent", "RecordingTrack", "Trim");

    /** Update parameters of Twilio's that this server does not implement (a live call keeps its own). */
    static final List<String> UNSUPPORTED_ON_UPDATE = List.of("StatusCallback", "StatusCallbackMethod", "TimeLimit");

    private final Map<String, List<String>> form;

    CallParams(Map<String, List<String>> form) {
        this.form = form;
    }

    OutboundRequest create() {
        for (String name : UNSUPPORTED) {
            if (form.containsKey(name)) {
                throw ApiError.badParameter(name + " is not supported by this server (twiml-agi); leave it out");
            }
        }
        String to = one("To");
        if (to == null) throw new ApiError(400, 21201, "No 'To' number is specified");
        String from = one("From");
        if (from == null) throw new ApiError(400, 21213, "No 'From' number is specified");
        String url = one("Url");
        Document twiml = twiml();
        if (url == null && twiml == null) throw new ApiError(400, 21205, "Url parameter is required");
        if (twiml != null) url = null; // Twilio: with both, Twiml wins
        else url = absoluteUrl("Url", url);
        String username = one("SipAuthUsername");
        String password = one("SipAuthPassword");
        if ((username == null) != (password == null)) {
            throw ApiError.badParameter("SipAuthUsername and SipAuthPassword go together");
        }
        String digits = one("SendDigits");
        if (digits != null && !DIGITS.matcher(digits).matches()) {
            throw ApiError.badParameter("SendDigits must be up to 32 of 0-9 A-D # * w W");
        }
        return new OutboundRequest(to, from, url, method("Method"), twiml, absoluteUrl("FallbackUrl",
                one("FallbackUrl")), method("FallbackMethod"), absoluteUrl("StatusCallback", one("StatusCallback")),
                method("StatusCallbackMethod"), events(), seconds("Timeout", DEFAULT_TIMEOUT, MAX_TIMEOUT), digits,
                username, password, seconds("TimeLimit", MAX_TIME_LIMIT, MAX_TIME_LIMIT), recording());
    }

    /**
     * Record, RecordingChannels (mono, dual), Trim (trim-silence, do-not-trim; Twilio's default trims),
     * RecordingStatusCallback (+Method), RecordingStatusCallbackEvent (completed only), RecordingTrack (both only).
     */
    private CallRecordingRequest recording() {
        String record = one("Record");
        if (record == null || record.equalsIgnoreCase("false")) {
            for (String name : RECORDING) {
                if (one(name) != null) throw ApiError.badParameter(name + " needs Record=true");
            }
            return null;
        }
        if (!record.equalsIgnoreCase("true")) throw ApiError.badParameter("Record must be true or false");
        String channels = choice("RecordingChannels", "mono", "mono", "dual");
        String trim = choice("Trim", "trim-silence", "trim-silence", "do-not-trim");
        choice("RecordingTrack", "both", "both");
        for (String v : form.getOrDefault("RecordingStatusCallbackEvent", List.of())) {
            for (String e : v.trim().split("\\s+")) {
                if (!e.isEmpty() && !e.equals("completed")) {
                    throw ApiError.badParameter("RecordingStatusCallbackEvent " + e + " is not supported by this "
                            + "server (twiml-agi): only completed");
                }
            }
        }
        return new CallRecordingRequest(channels.equals("dual"), trim.equals("trim-silence"),
                absoluteUrl("RecordingStatusCallback", one("RecordingStatusCallback")),
                method("RecordingStatusCallbackMethod"), Set.of("completed"));
    }

    /** One of {@code allowed} (the first is the default when absent). */
    private String choice(String name, String otherwise, String... allowed) {
        String v = one(name);
        if (v == null) return otherwise;
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v.strip())) return a;
        }
        throw ApiError.badParameter(name + " must be " + String.join(" or ", allowed)
                + (allowed.length == 1 ? " on this server (twiml-agi)" : ""));
    }

    CallUpdate update() {
        for (String name : UNSUPPORTED_ON_UPDATE) {
            if (form.containsKey(name)) {
                throw ApiError.badParameter(name + " cannot be changed on a call by this server (twiml-agi); "
                        + "leave it out");
            }
        }
        String status = one("Status");
        if (status != null && !status.equals("completed") && !status.equals("canceled")) {
            throw ApiError.badParameter("Status must be completed or canceled");
        }
        Document twiml = twiml();
        String url = one("Url");
        Outcome to = twiml != null ? new Outcome.Inline(twiml)
                : url != null ? new Outcome.Navigate(absoluteUrl("Url", url), method("Method"), Map.of()) : null;
        if (to == null && status == null) {
            throw new ApiError(400, 21205, "Url, Twiml or Status is required to update a call");
        }
        String fallback = one("FallbackUrl");
        return new CallUpdate(to, status, fallback == null ? null : absoluteUrl("FallbackUrl", fallback),
                method("FallbackMethod"));
    }

    /** The only (or first) value of a parameter; null when absent or empty. */
    String one(String name) {
        List<String> v = form.get(name);
        if (v == null || v.isEmpty() || v.get(0).isEmpty()) return null;
        return v.get(0);
    }

    private HttpMethod method(String name) {
        String v = one(name);
        if (v == null) return HttpMethod.POST;
        return HttpMethod.parse(v).orElseThrow(() -> ApiError.badParameter(name + " must be GET or POST"));
    }

    private static String absoluteUrl(String name, String url) {
        if (url == null) return null;
        try {
            URI u = URI.create(url.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) return u.toString();
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ApiError(400, 21205, name + " is not a valid URL: " + url);
    }

    private Document twiml() {
        String twiml = one("Twiml");
        if (twiml == null) return null;
        if (twiml.length() > MAX_TWIML) {
            throw ApiError.badParameter("Twiml is longer than " + MAX_TWIML + " characters");
        }
        try {
            return TwimlParser.parse(twiml.getBytes(StandardCharsets.UTF_8));
        } catch (TwimlException e) {
            throw new ApiError(400, e.code(), "Twiml is not valid TwiML: " + e.getMessage());
        }
    }

    private Set<String> events() {
        List<String> values = form.getOrDefault("StatusCallbackEvent", List.of());
        Set<String> events = new LinkedHashSet<>();
        for (String v : values) {
            for (String e : v.trim().split("\\s+")) { // repeated, or several in one value
                if (e.isEmpty()) continue;
                if (!EVENTS.contains(e)) {
                    throw ApiError.badParameter("StatusCallbackEvent " + e + " is not one of initiated, ringing, "
                            + "answered, completed");
                }
                events.add(e);
            }
        }
        return events.isEmpty() ? Set.of("completed") : events;
    }

    private int seconds(String name, int otherwise, int max) {
        String v = one(name);
        if (v == null) return otherwise;
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1) throw ApiError.badParameter(name + " must be 1 or more");
            return Math.min(n, max);
        } catch (NumberFormatException e) {
            throw ApiError.badParameter(name + " must be a whole number of seconds");
        }
    }
}
