package io.twimlagi.agi;

import io.twimlagi.call.CallGoneException;
import io.twimlagi.call.DialLegListener;
import io.twimlagi.sip.RejectCodes;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AGI scripts the dialplan calls, by the name in its {@code agi://host:port/<name>} URL
 * (dialplan/twiml.conf): {@value #CALL} for each call, {@value AgiAnsweredLeg#SCRIPT} when a Dial leg answered,
 * {@value AgiCreatedLeg#SCRIPT} when one was created, {@value DialplanDial#SCRIPT} (the dialing half's Dial is
 * over) and {@value #OUTBOUND} (the answered half) for a call the server originated. Any other name is refused by asterisk-java's mapping.
 */
public final class AgiScripts {
    private static final Logger log = LoggerFactory.getLogger(AgiScripts.class);
    /** The script name of a call: {@code AGI(agi://127.0.0.1:4573/twiml)}. */
    public static final String CALL = "twiml";
    /** The answered half: {@code AGI(agi://.../twiml-outbound,<CallSid>)}, or {@code ...?Url=...} from the CLI. */
    public static final String OUTBOUND = "twiml-outbound";
    /** Query parameters an operator's AGI URL may carry for {@link #OUTBOUND}. */
    private static final List<String> OUTBOUND_PARAMETERS = List.of("Url", "Method", "From", "To");

    private AgiScripts() {
    }

    /** Calls and Dial legs only (no originated calls, no bridge breaking). */
    public static Map<String, AgiScript> of(CallHandler calls, DialLegListener legs) {
        return of(calls, legs, BridgeBreaker.NONE);
    }

    private static Map<String, AgiScript> of(CallHandler calls, DialLegListener legs, BridgeBreaker breaker) {
        return Map.of(CALL, (request, channel) -> call(calls, request, AgiCall.hangingUpOnReturn(channel, breaker)),
                AgiAnsweredLeg.SCRIPT, (request, channel) -> answered(legs, request, channel),
                AgiCreatedLeg.SCRIPT, (request, channel) -> created(legs, request, channel));
    }

    /** Everything; {@code breaker} ends a call's Dial or conference when a live update comes. */
    public static Map<String, AgiScript> of(CallHandler calls, DialLegListener legs, OutboundHandler outbound,
                                            BridgeBreaker breaker) {
        Map<String, AgiScript> m = new HashMap<>(of(calls, legs, breaker));
        m.put(DialplanDial.SCRIPT, (request, channel) -> outbound.dialed(firstArgument(request),
                dial -> new AgiDialer(channel).dialed(dial), request.getChannel()));
        m.put(OUTBOUND, (request, channel) -> {
            AgiCall half = AgiCall.hangingUpOnReturn(channel, breaker);
            half.markAnsweredQuietly(); // Asterisk runs this half only once the callee answered
            Map<String, String> parameters = new LinkedHashMap<>();
            for (String name : OUTBOUND_PARAMETERS) {
                String v = request.getParameter(name);
                if (v != null) parameters.put(name, v);
            }
            try {
                outbound.answered(firstArgument(request), parameters, half, request.getChannel());
            } catch (CallGoneException gone) {
                log.info("{} callee hung up", request.getUniqueId());
            }
        });
        return Map.copyOf(m);
    }

    /** A call: its INVITE is read, then the handler runs it; a failure ends it as cleanly as it can. */
    private static void call(CallHandler handler, AgiRequest request, AgiCall call) {
        try {
            handler.handle(call, InviteReader.read(call), request.getChannel());
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
        }
    }

    /** A Dial leg's answer: never counted as a call, never hangs anything up itself. */
    private static void answered(DialLegListener legs, AgiRequest request, AgiChannel channel) {
        String token = firstArgument(request);
        AgiAnsweredLeg agi = new AgiAnsweredLeg(channel);
        AgiCall callee = new AgiCall(channel);
        callee.markAnsweredQuietly();
        boolean connect;
        try {
            connect = legs.answered(callee, agi.read(token, request.getChannel()));
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
    private static void created(DialLegListener legs, AgiRequest request, AgiChannel channel) {
        String token = firstArgument(request);
        try {
            AgiCreatedLeg.Created leg = AgiCreatedLeg.read(channel);
            legs.created(token, leg.dialed(), leg.callId());
        } catch (RuntimeException e) {
            log.warn("new Dial leg {} (Dial {}): {}; its ringing is reported when it answers", request.getChannel(),
                    token, e.toString());
        }
    }

    private static String firstArgument(AgiRequest request) {
        String[] args = request.getArguments();
        return args != null && args.length > 0 && args[0] != null ? args[0] : "";
    }
}
