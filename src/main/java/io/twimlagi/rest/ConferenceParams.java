package io.twimlagi.rest;

import io.twimlagi.twiml.HttpMethod;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The form parameters of Conferences/{Sid}.json POST and Participants/{CallSid}.json POST, checked as Twilio checks
 * them. Parameters Twilio has and this server does not implement are refused with a clear 400, never accepted
 * silently; parameters Twilio does not have are ignored, as Twilio does.
 */
final class ConferenceParams {
    /** Conference update parameters of Twilio's that this server does not implement. */
    static final List<String> CONFERENCE_UNSUPPORTED = List.of("AnnounceUrl", "AnnounceMethod");
    /** Participant update parameters of Twilio's that this server does not implement. */
    static final List<String> PARTICIPANT_UNSUPPORTED = List.of("AnnounceUrl", "AnnounceMethod", "WaitUrl",
            "WaitMethod", "BeepOnExit", "EndConferenceOnExit", "Coaching", "CallSidToCoach");

    private final Map<String, List<String>> form;

    ConferenceParams(Map<String, List<String>> form) {
        this.form = form;
    }

    /** True when the conference update ends it ({@code Status=completed}); false when it changes nothing. */
    boolean endsConference() {
        refuse(CONFERENCE_UNSUPPORTED);
        String status = one("Status");
        if (status == null) return false;
        if (!status.equals("completed")) throw ApiError.badParameter("Status must be completed");
        return true;
    }

    ParticipantUpdate participant() {
        refuse(PARTICIPANT_UNSUPPORTED);
        Boolean hold = flag("Hold");
        String holdUrl = one("HoldUrl");
        String holdMethod = one("HoldMethod");
        if ((holdUrl != null || holdMethod != null) && !Boolean.TRUE.equals(hold)) {
            throw ApiError.badParameter("HoldUrl and HoldMethod go with Hold=true");
        }
        HttpMethod method = holdMethod == null ? HttpMethod.GET : HttpMethod.parse(holdMethod)
                .orElseThrow(() -> ApiError.badParameter("HoldMethod must be GET or POST"));
        return new ParticipantUpdate(flag("Muted"), hold, holdUrl == null ? null : absoluteUrl("HoldUrl", holdUrl),
                method);
    }

    /** Twilio's reading of a boolean parameter: {@code true} (any case) is true, any other value false. */
    private Boolean flag(String name) {
        String v = one(name);
        return v == null ? null : v.strip().equalsIgnoreCase("true");
    }

    private void refuse(List<String> unsupported) {
        for (String name : unsupported) {
            if (form.containsKey(name)) {
                throw ApiError.badParameter(name + " is not supported by this server (twiml-agi); leave it out");
            }
        }
    }

    private String one(String name) {
        List<String> v = form.get(name);
        if (v == null || v.isEmpty() || v.get(0).isEmpty()) return null;
        return v.get(0);
    }

    private static String absoluteUrl(String name, String url) {
        try {
            URI u = URI.create(url.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) return u.toString();
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ApiError(400, 21205, name + " is not a valid URL: " + url);
    }
}
