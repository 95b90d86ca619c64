package io.twimlagi.call;

import java.time.Duration;
import java.util.List;

/**
 * What {@link CallBridging#dial} rings: every leg at once (first to answer wins), for {@code timeout}, bridged at
 * most {@code timeLimit}; {@code callerId} (validated, or null = the caller's own) is the From user on the legs;
 * {@code answeredToken} (null = none): when a leg answers, Asterisk runs the dialplan's twiml-dial-answered
 * routine on it, which calls the server back with this token before the bridge (screening {@code url},
 * 200 OK headers); {@code recording} (null = none); {@code ringTone} (a country code of Asterisk's
 * indications, or null) is the ringback the caller hears; {@code watchToken} (null = none): each leg also calls
 * the server back with this token as it is created, before its INVITE (its SIP Call-ID, to report when it rings).
 */
public record DialRequest(List<DialLeg> legs, Duration timeout, Duration timeLimit, String callerId,
                          boolean hangupOnStar, String answeredToken, DialRecording recording, String ringTone,
                          String watchToken) {
    public DialRequest {
        legs = List.copyOf(legs);
    }

    public DialRequest(List<DialLeg> legs, Duration timeout, Duration timeLimit, String callerId,
                       boolean hangupOnStar, String answeredToken, DialRecording recording, String ringTone) {
        this(legs, timeout, timeLimit, callerId, hangupOnStar, answeredToken, recording, ringTone, null);
    }

    /** True when each leg reports its creation (its ringing is then reported as it happens). */
    public boolean watchLegs() {
        return watchToken != null;
    }

    public DialRequest(List<DialLeg> legs, Duration timeout, Duration timeLimit, String callerId,
                       boolean hangupOnStar) {
        this(legs, timeout, timeLimit, callerId, hangupOnStar, null, null, null);
    }
}
