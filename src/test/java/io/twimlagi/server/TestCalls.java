package io.twimlagi.server;

import io.twimlagi.call.Call;
import io.twimlagi.config.Domain;
import io.twimlagi.engine.CallIdentity;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twilio.Sids;

/**
 * A test hook into the server's own call lifecycle for tests outside this package: an inbound call runs as
 * {@code TwimlAgiServer} runs it once the INVITE is read (a {@link CallSession} on the composition root's
 * {@link Services}), without the server's listeners.
 */
public final class TestCalls {
    private TestCalls() {
    }

    /** Runs an inbound call to {@code domain} on this thread until it ends, as the server's call handler does. */
    public static void runInbound(Services services, Call call, SipInvite invite, Domain domain, String channel) {
        CallIdentity identity = CallIdentity.inbound(Sids.newCallSid(), services.general().accountSid(), invite, domain);
        new CallSession(services, call, identity).run(channel);
    }
}
