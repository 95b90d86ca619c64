package io.twimlagi.agi;

import io.twimlagi.call.Call;
import io.twimlagi.sip.SipInvite;

/** What runs a call once Asterisk handed it over and its INVITE was read. */
@FunctionalInterface
public interface CallHandler {
    /** Runs the call to its end on the calling thread; {@code channel} is Asterisk's channel name (for the logs). */
    void handle(Call call, SipInvite invite, String channel);
}
