package io.twimlagi.agi;

import io.twimlagi.engine.AnsweredLeg;
import io.twimlagi.engine.Call;
import io.twimlagi.engine.CallGoneException;
import io.twimlagi.sip.RejectCodes;
import io.twimlagi.sip.SipInvite;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The FastAGI server, configured for telephony: bound where the config says, only peers in {@code agi_allow}
 * ({@link AgiListener}), one thread per call up to {@code agi_max_calls} (small stacks, so thousands fit), no read
 * timeout while a call runs (a call can last hours) but deadlines for the AGI environment and for the replies to
 * commands that return at once ({@link AgiLimits}), a single script for every URL (no class loading by URL), and no
 * trailing command after the call.
 */
public final class FastAgiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FastAgiServer.class);

    /** What to do with each call once its INVITE is read. */
    public interface CallHandler {
        void handle(Call call, SipInvite invite, AgiRequest request);

        /**
         * A Dial leg answered (the dialplan's twiml-dial-answered routine): runs what must happen before the bridge
         * on the callee's {@code call}; false = do not connect it.
         */
        default boolean answered(Call callee, AnsweredLeg leg) {
            return true;
        }

        /**
         * A Dial leg was created, before its INVITE (the dialplan's twiml-dial-leg,watch handler): its SIP
         * {@code callId} and its Dial target without the technology ({@code dialed}). Must return quickly.
         */
        default void legCreated(String token, String dialed, String callId) {
        }
    }

    private final AgiListener listener;
    private final AtomicInteger active = new AtomicInteger();

    /** With {@link AgiLimits#DEFAULTS}: loopback peers only. */
    public FastAgiServer(InetSocketAddress bind, int maxCalls, CallHandler handler) throws IOException {
        this(bind, maxCalls, AgiLimits.DEFAULTS, handler);
    }

    public FastAgiServer(InetSocketAddress bind, int maxCalls, AgiLimits limits, CallHandler handler)
            throws IOException {
        listener = new AgiListener(bind, maxCalls, limits, (request, channel) -> serve(handler, request, channel));
    }

    public int activeCalls() {
        return active.get();
    }

    private void serve(CallHandler handler, AgiRequest request, AgiChannel channel) {
        if (AgiAnsweredLeg.SCRIPT.equals(request.getScript())) {
            answered(handler, request, channel);
            return;
        }
        if (AgiCreatedLeg.SCRIPT.equals(request.getScript())) {
            created(handler, request, channel);
            return;
        }
        active.incrementAndGet();
        AgiCall call = new AgiCall(channel);
        try {
            handler.handle(call, InviteReader.read(call), request);
        } catch (CallGoneException gone) {
            log.info("{} caller hung up before the call started", request.getUniqueId());
        } catch (RuntimeException e) {
            log.error("call {} failed: {}", request.getUniqueId(), e.toString(), e);
            if (!call.isGone()) {
                try {
                    if (call.isAnswered()) call.hangup();
                    else call.reject(RejectCodes.UNAVAILABLE.sipCode);
                } catch (RuntimeException ignored) {
                    // the call is being torn down anyway
                }
            }
        } finally {
            active.decrementAndGet();
        }
    }

    /** A Dial leg's answer: never counted as a call, never hangs anything up itself. */
    private void answered(CallHandler handler, AgiRequest request, AgiChannel channel) {
        String[] args = request.getArguments();
        String token = args != null && args.length > 0 && args[0] != null ? args[0] : "";
        AgiAnsweredLeg agi = new AgiAnsweredLeg(channel);
        AgiCall callee = new AgiCall(channel);
        callee.markAnsweredQuietly();
        boolean connect;
        try {
            connect = handler.answered(callee, agi.read(token, request.getChannel()));
        } catch (RuntimeException e) {
            // as when the server is unreachable (dialplan/twiml.conf): an unchecked leg is not connected
            log.error("answered leg {} (Dial {}) failed: {}; not connecting it", request.getChannel(), token,
                    e.toString(), e);
            connect = false;
        }
        try {
            if (!connect) agi.refuse(); // also when the callee is gone: SET VARIABLE works on a dead channel
        } catch (RuntimeException e) {
            log.warn("answered leg {}: cannot refuse it: {}", request.getChannel(), e.toString());
        }
    }

    /** A new Dial leg, before its INVITE: never counted as a call; a failure only loses its ringing event. */
    private void created(CallHandler handler, AgiRequest request, AgiChannel channel) {
        String[] args = request.getArguments();
        String token = args != null && args.length > 0 && args[0] != null ? args[0] : "";
        try {
            AgiCreatedLeg.Created leg = AgiCreatedLeg.read(channel);
            handler.legCreated(token, leg.dialed(), leg.callId());
        } catch (RuntimeException e) {
            log.warn("new Dial leg {} (Dial {}): {}; its ringing is reported when it answers", request.getChannel(),
                    token, e.toString());
        }
    }

    /** Stops taking calls (Asterisk's dialplan then answers new ones 503); calls in progress go on. */
    @Override
    public void close() {
        listener.close();
    }
}
