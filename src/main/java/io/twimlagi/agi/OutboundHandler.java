package io.twimlagi.agi;

import io.twimlagi.call.Call;
import io.twimlagi.call.DialRequest;
import io.twimlagi.call.DialResult;

import java.util.Map;
import java.util.function.Function;

/** What runs the two halves of a call the server (or an operator) started (dialplan/twiml.conf). */
public interface OutboundHandler {
    /**
     * The dialing half of REST call {@code callSid} (twiml-outbound-dial) dialed the callee in dialplan and its
     * Dial is over (the callee never answered, or the bridge ended; {@link DialplanDial}): {@code outcome} reads
     * how, for the call's Dial request. {@code channel} is the dialing half, already hung up.
     */
    void dialed(String callSid, Function<DialRequest, DialResult> outcome, String channel);

    /**
     * The answered half (twiml-outbound): runs the TwiML of REST call {@code callSid}, or, without one, of an
     * operator's {@code channel originate} whose AGI URL gave {@code parameters} ({@code Url}, {@code Method},
     * {@code From}, {@code To}).
     */
    void answered(String callSid, Map<String, String> parameters, Call half, String channel);
}
