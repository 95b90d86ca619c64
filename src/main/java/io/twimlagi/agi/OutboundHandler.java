package io.twimlagi.agi;

import io.twimlagi.call.Call;

import java.util.Map;

/** What runs the two halves of a call the server (or an operator) started (dialplan/twiml.conf). */
public interface OutboundHandler {
    /** The dialing half of REST call {@code callSid} (twiml-outbound-dial): rings the callee, returns when done. */
    void dial(String callSid, Call half, String channel);

    /**
     * The answered half (twiml-outbound): runs the TwiML of REST call {@code callSid}, or, without one, of an
     * operator's {@code channel originate} whose AGI URL gave {@code parameters} ({@code Url}, {@code Method},
     * {@code From}, {@code To}).
     */
    void answered(String callSid, Map<String, String> parameters, Call half, String channel);
}
